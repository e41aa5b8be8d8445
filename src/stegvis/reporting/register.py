"""The AMIF participant register (deltagarförteckning) as xlsx.

- The partner that owns the data (its coordinators) gets the full register: identity number,
  sex, date of birth, start and end, "not an EU/EEA citizen". Every row's export is written to
  the access log.
- The programme level (programme managers, analysts) gets a pseudonymised version: the
  enrollment's pseudonymous code instead of the identity number and the year of birth only.

Contact details and "unaccompanied minor" are not recorded in Stegvis yet: the columns are
there and say so, rather than being left out.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.access.policy import enrollments_for
from stegvis.access.scope import scope_for
from stegvis.organisations.models import Partner, Programme
from stegvis.outcomes.models import ExitType
from stegvis.participants.eligibility import Eligibility
from stegvis.participants.models import Enrollment

from .exports import deterministic_xlsx
from .indicators import NotAllowed


def register_enrollments(
    *, actor: Any, programme: Programme, partner: Partner | None
) -> tuple[Any, bool]:
    """The enrollments of the register and whether it is the full (owner's) version."""
    scope = scope_for(actor)
    base = Enrollment.objects.filter(programme=programme).exclude(
        exit__exit_type=ExitType.ERRONEOUS
    )
    if partner is not None and partner.pk in scope.coordinator_partner_ids:
        qs = enrollments_for(actor, part=Part.RECORD).filter(programme=programme, partner=partner)
        full = True
        qs = qs.exclude(exit__exit_type=ExitType.ERRONEOUS)
    elif programme.pk in scope.aggregate_programme_ids:
        qs = base if partner is None else base.filter(partner=partner)
        full = False
    else:
        raise NotAllowed
    return (
        qs.select_related("participant", "partner__organisation", "exit").order_by(
            "partner__organisation__name", "start_date", "pk"
        ),
        full,
    )


def _third_country(enrollment: Enrollment) -> str:
    if enrollment.eligibility == Eligibility.ELIGIBLE:
        return _("Yes")
    if enrollment.eligibility == Eligibility.INELIGIBLE:
        return _("No")
    return _("Unknown")


def participant_register_xlsx(
    *, actor: Any, programme: Programme, partner: Partner | None
) -> bytes:
    from openpyxl import Workbook

    enrollments, full = register_enrollments(actor=actor, programme=programme, partner=partner)
    not_recorded = _("not recorded in Stegvis")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Participant register")[:31]
    sheet.append([_("Programme"), programme.name, programme.funder_reference])
    sheet.append([_("Partner"), partner.organisation.name if partner else _("All partners")])
    sheet.append([_("Version"), _("Full (owner of the data)") if full else _("Pseudonymised")])
    sheet.append([])
    sheet.append(
        [
            _("Unique id") if full else _("Pseudonymous code"),
            _("Identity kind") if full else _("Partner"),
            _("Sex"),
            _("Date of birth") if full else _("Year of birth"),
            _("Start date"),
            _("End date"),
            _("Not an EU/EEA citizen"),
            _("Unaccompanied minor"),
            _("Contact details"),
        ]
    )
    rows = list(enrollments)
    for enrollment in rows:
        person = enrollment.participant
        if full and not person.protected_identity and person.identity_number:
            unique = person.identity_number
            kind = person.get_identity_kind_display()
        elif full:
            unique = enrollment.pseudonym
            kind = _("Protected identity") if person.protected_identity else _("No number")
        else:
            unique = enrollment.pseudonym
            kind = enrollment.partner.organisation.name
        sheet.append(
            [
                unique,
                kind,
                person.get_gender_display(),
                person.birth_date.isoformat() if full else person.birth_date.year,
                enrollment.start_date.isoformat(),
                enrollment.end_date.isoformat() if enrollment.end_date else "",
                _third_country(enrollment),
                not_recorded,
                not_recorded if full else "",
            ]
        )
    with transaction.atomic():
        organisation_id = partner.organisation_id if partner else None
        name = actor.get_username()
        if full:
            AccessEvent.objects.bulk_create(
                AccessEvent(
                    actor=actor,
                    actor_name=name,
                    organisation_id=organisation_id,
                    action=Action.EXPORT,
                    part=Part.RECORD,
                    participant_id=e.participant_id,
                    enrollment_id=e.pk,
                    summary="participant register (full)",
                )
                for e in rows
            )
        else:
            AccessEvent.objects.create(
                actor=actor,
                actor_name=name,
                organisation_id=organisation_id,
                action=Action.EXPORT,
                part=Part.OVERVIEW,
                summary=f"participant register (pseudonymised): {len(rows)} rows",
            )
    return deterministic_xlsx(workbook)
