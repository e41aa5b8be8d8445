"""Writes for workplaces, internships and follow-up visits.

Workplaces are employer data: no access-log row (the workplace keeps who added it).
Internships and visits are the enrollment's record: only the owning organisation writes them
(``can_write``), atomically, with the audit row in the same transaction. Free text and the
supervisor's contact details are logged by field name only, never with their values.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access.audit import diff, log_event, snapshot
from stegvis.access.models import Action, Part
from stegvis.access.policy import acting_organisation_id, can_write
from stegvis.activities.models import FunderCategory, Participation
from stegvis.organisations.models import Partner
from stegvis.participants.models import Enrollment

from .models import (
    OUTCOME_FIELDS,
    PLACEMENT_FIELDS,
    EmploymentSupport,
    LanguageSupport,
    Outcome,
    Placement,
    PlacementVisit,
    Sector,
    Workplace,
)
from .orgnumber import parse_organisation_number
from .selectors import partners_for_workplaces

_UNLOGGED_VALUES = frozenset(
    {
        "tasks",
        "notes",
        "outcome_note",
        "language_support_note",
        "supervisor_name",
        "supervisor_phone",
        "supervisor_email",
    }
)


_TENTH = Decimal("0.1")


def _logged(changes: dict[str, Any]) -> dict[str, Any]:
    return {name: None if name in _UNLOGGED_VALUES else value for name, value in changes.items()}


def _save_changes(
    *,
    actor: Any,
    placement: Placement,
    enrollment: Enrollment,
    before: dict[str, Any],
    fields: Sequence[str],
) -> dict[str, Any]:
    """Save the fields that changed and log them as one update; nothing when nothing changed."""
    changes = diff(before, snapshot(placement, fields))
    if not changes:
        return {}
    placement.save(update_fields=list(changes))
    log_event(
        actor=actor,
        action=Action.UPDATE,
        part=Part.RECORD,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=placement,
        changes=_logged(changes),
    )
    return changes


def _require_writer(actor: Any, enrollment: Enrollment) -> None:
    if not can_write(actor, enrollment, Part.RECORD):
        raise ValidationError(_("You cannot change the internships of this participant."))


def _not_in_future(errors: dict[str, str], field: str, day: datetime.date) -> None:
    if day > timezone.localdate():
        errors[field] = _("The date cannot be in the future.")


@transaction.atomic
def workplace_create(
    *,
    actor: Any,
    partner: Partner,
    name: str,
    organisation_number: str,
    sector: str,
    street_address: str = "",
    postal_code: str = "",
    city: str = "",
) -> Workplace:
    """Add a workplace to the programme of one of the actor's partnerships."""
    if not partners_for_workplaces(actor).filter(pk=partner.pk).exists():
        raise ValidationError(_("You cannot add workplaces for this partner."))
    errors: dict[str, Any] = {}
    name = name.strip()
    if not name:
        errors["name"] = _("Write the employer's name.")
    try:
        parsed = parse_organisation_number(organisation_number)
    except ValidationError as error:
        errors["organisation_number"] = error.messages[0]
        parsed = None
    if sector not in Sector.values:
        errors["sector"] = _("Choose a sector.")
    if (
        parsed is not None
        and Workplace.objects.filter(
            programme_id=partner.programme_id, organisation_number=parsed.number, name__iexact=name
        ).exists()
    ):
        errors["name"] = _("This workplace is already registered in the programme.")
    if errors:
        raise ValidationError(errors)
    assert parsed is not None
    return Workplace.objects.create(
        programme_id=partner.programme_id,
        name=name,
        organisation_number=parsed.number,
        sole_trader=parsed.sole_trader,
        sector=sector,
        street_address=street_address.strip(),
        postal_code=postal_code.strip(),
        city=city.strip(),
        added_by_partner=partner,
        created_by=actor,
    )


def _check_placement(
    errors: dict[str, Any],
    *,
    enrollment: Enrollment,
    workplace: Workplace,
    start_date: datetime.date,
    end_date: datetime.date | None,
    hours_per_week: Decimal,
    language_support: str,
    supervisor_name: str,
    tasks: str,
    participation: Participation | None,
) -> None:
    if participation is not None and (
        participation.enrollment_id != enrollment.pk
        or participation.activity.activity_type.funder_category != FunderCategory.INTERNSHIP
    ):
        errors["participation"] = _(
            "Choose one of the participant's own activities of the kind 'Internship'."
        )
    if workplace.programme_id != enrollment.programme_id:
        errors["workplace"] = _("The workplace belongs to another programme.")
    if start_date < enrollment.start_date:
        errors["start_date"] = _(
            "The internship cannot start before the enrollment started (%(start)s)."
        ) % {"start": enrollment.start_date.isoformat()}
    if end_date is not None and end_date < start_date:
        errors["end_date"] = _("The end date cannot be before the start date.")
    if not Decimal(1) <= hours_per_week <= Decimal(40):
        errors["hours_per_week"] = _("Hours per week must be between 1 and 40.")
    if language_support not in LanguageSupport.values:
        errors["language_support"] = _("Choose the language support on site.")
    if not supervisor_name.strip():
        errors["supervisor_name"] = _("Write the supervisor's name.")
    if not tasks.strip():
        errors["tasks"] = _("Describe the tasks.")


@transaction.atomic
def placement_create(
    *,
    actor: Any,
    enrollment: Enrollment,
    workplace: Workplace,
    supervisor_name: str,
    start_date: datetime.date,
    hours_per_week: Decimal,
    tasks: str,
    end_date: datetime.date | None = None,
    supervisor_phone: str = "",
    supervisor_email: str = "",
    language_support: str = LanguageSupport.NONE,
    language_support_note: str = "",
    participation: Participation | None = None,
) -> Placement:
    """Register an internship for an enrollment of the actor's own organisation."""
    _require_writer(actor, enrollment)
    errors: dict[str, Any] = {}
    _check_placement(
        errors,
        enrollment=enrollment,
        workplace=workplace,
        start_date=start_date,
        end_date=end_date,
        hours_per_week=hours_per_week,
        language_support=language_support,
        supervisor_name=supervisor_name,
        tasks=tasks,
        participation=participation,
    )
    if errors:
        raise ValidationError(errors)
    placement = Placement(
        enrollment=enrollment,
        workplace=workplace,
        supervisor_name=supervisor_name.strip(),
        supervisor_phone=supervisor_phone.strip(),
        supervisor_email=supervisor_email.strip(),
        start_date=start_date,
        end_date=end_date,
        hours_per_week=Decimal(hours_per_week).quantize(_TENTH),
        tasks=tasks.strip(),
        language_support=language_support,
        language_support_note=language_support_note.strip(),
        participation=participation,
        created_by=actor,
    )
    placement.full_clean(exclude=["enrollment", "workplace", "participation", "created_by"])
    placement.save()
    log_event(
        actor=actor,
        action=Action.CREATE,
        part=Part.RECORD,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=placement,
        changes=_logged(
            diff({}, snapshot(placement, [f for f in PLACEMENT_FIELDS if getattr(placement, f)]))
        ),
    )
    return placement


@transaction.atomic
def placement_update(
    *,
    actor: Any,
    placement: Placement,
    workplace: Workplace,
    supervisor_name: str,
    start_date: datetime.date,
    hours_per_week: Decimal,
    tasks: str,
    end_date: datetime.date | None = None,
    supervisor_phone: str = "",
    supervisor_email: str = "",
    language_support: str = LanguageSupport.NONE,
    language_support_note: str = "",
    participation: Participation | None = None,
) -> dict[str, Any]:
    """Correct an internship's details (not its outcome); returns what changed."""
    enrollment = placement.enrollment
    _require_writer(actor, enrollment)
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    errors: dict[str, Any] = {}
    _check_placement(
        errors,
        enrollment=enrollment,
        workplace=workplace,
        start_date=start_date,
        end_date=end_date,
        hours_per_week=hours_per_week,
        language_support=language_support,
        supervisor_name=supervisor_name,
        tasks=tasks,
        participation=participation,
    )
    if placement.outcome_date is not None and start_date > placement.outcome_date:
        errors["start_date"] = _("The start cannot be after the outcome date %(date)s.") % {
            "date": placement.outcome_date.isoformat()
        }
    if errors:
        raise ValidationError(errors)
    before = snapshot(placement, PLACEMENT_FIELDS)
    placement.workplace = workplace
    placement.supervisor_name = supervisor_name.strip()
    placement.supervisor_phone = supervisor_phone.strip()
    placement.supervisor_email = supervisor_email.strip()
    placement.start_date = start_date
    placement.end_date = end_date
    placement.hours_per_week = Decimal(hours_per_week).quantize(_TENTH)
    placement.tasks = tasks.strip()
    placement.language_support = language_support
    placement.language_support_note = language_support_note.strip()
    placement.participation = participation
    placement.full_clean(exclude=["enrollment", "workplace", "participation", "created_by"])
    return _save_changes(
        actor=actor,
        placement=placement,
        enrollment=enrollment,
        before=before,
        fields=PLACEMENT_FIELDS,
    )


@transaction.atomic
def placement_visit_record(
    *, actor: Any, placement: Placement, visit_date: datetime.date, notes: str
) -> PlacementVisit:
    """Record a follow-up visit at the workplace, made by the actor."""
    enrollment = placement.enrollment
    _require_writer(actor, enrollment)
    errors: dict[str, Any] = {}
    if visit_date < placement.start_date:
        errors["visit_date"] = _(
            "The visit cannot be before the internship started (%(start)s)."
        ) % {"start": placement.start_date.isoformat()}
    _not_in_future(errors, "visit_date", visit_date)
    if not notes.strip():
        errors["notes"] = _("Write what came up during the visit.")
    if errors:
        raise ValidationError(errors)
    visit = PlacementVisit.objects.create(
        placement=placement, visit_date=visit_date, visited_by=actor, notes=notes.strip()
    )
    log_event(
        actor=actor,
        action=Action.CREATE,
        part=Part.RECORD,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=visit,
        changes={"visit_date": [None, visit_date.isoformat()], "notes": None},
    )
    return visit


@transaction.atomic
def placement_record_outcome(
    *,
    actor: Any,
    placement: Placement,
    outcome: str,
    outcome_date: datetime.date,
    employment_support: str = "",
    end_date: datetime.date | None = None,
    outcome_note: str = "",
) -> dict[str, Any]:
    """Record how the internship went; returns what changed.

    Ended and employment close the internship on the outcome date. Continued (extended)
    keeps it going until a new end date after the outcome date. Only an employment has a
    kind of support, and it must say which (or "no support").
    """
    enrollment = placement.enrollment
    _require_writer(actor, enrollment)
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    errors: dict[str, Any] = {}
    if outcome not in Outcome.values or outcome == Outcome.ONGOING:
        errors["outcome"] = _("Choose how the internship went.")
    if outcome_date < placement.start_date:
        errors["outcome_date"] = _(
            "The date cannot be before the internship started (%(start)s)."
        ) % {"start": placement.start_date.isoformat()}
    _not_in_future(errors, "outcome_date", outcome_date)
    if outcome == Outcome.EMPLOYMENT:
        if employment_support not in EmploymentSupport.values:
            errors["employment_support"] = _(
                "Choose the kind of support for the employment, or 'No support'."
            )
    elif employment_support:
        errors["employment_support"] = _("Only an employment has a kind of support.")
    if outcome == Outcome.CONTINUED:
        if end_date is None:
            errors["end_date"] = _("Give the new end date of the extended internship.")
        elif end_date <= outcome_date:
            errors["end_date"] = _("The new end date must be after the date of the decision.")
    if errors:
        raise ValidationError(errors)

    before = snapshot(placement, OUTCOME_FIELDS)
    placement.outcome = outcome
    placement.outcome_date = outcome_date
    placement.employment_support = employment_support if outcome == Outcome.EMPLOYMENT else ""
    placement.end_date = end_date if outcome == Outcome.CONTINUED else outcome_date
    placement.outcome_note = outcome_note.strip()
    return _save_changes(
        actor=actor,
        placement=placement,
        enrollment=enrollment,
        before=before,
        fields=OUTCOME_FIELDS,
    )
