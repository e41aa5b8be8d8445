"""Writes to the participant registry. Each is atomic and writes its audit row."""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from stegvis.access.audit import diff, log_event, snapshot
from stegvis.access.models import Action, Part
from stegvis.access.policy import acting_organisation_id, can_edit_enrollment
from stegvis.access.scope import scope_for
from stegvis.organisations.models import Partner, Track, Unit

from .eligibility import compute_eligibility
from .models import EligibilityCheck, Enrollment, EnrollmentStatus, IdentityKind, Participant

PERSON_FIELDS = (
    "identity_kind",
    "identity_number",
    "protected_identity",
    "first_name",
    "last_name",
    "gender",
    "birth_date",
    "citizenships",
    "stateless",
    "country_of_birth",
    "year_of_arrival",
    "municipality",
    "mother_tongue",
    "other_languages",
    "interpreter_needed",
    "interpreter_language",
    "years_of_schooling",
    "education_level",
    "labour_market_status",
    "referral_source",
)
ENROLLMENT_FIELDS = ("unit", "track", "start_date", "end_date", "external_id")
PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def name_key(first_name: str, last_name: str) -> str:
    text = unicodedata.normalize("NFKD", f"{first_name} {last_name}")
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.lower().split())


def new_pseudonym() -> str:
    return "D-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(8))


class DuplicateEnrollment(ValidationError):
    """The person already has an active enrollment in this programme."""

    def __init__(self, existing: Enrollment) -> None:
        self.existing = existing
        super().__init__(
            _("This person is already enrolled in %(programme)s through %(partner)s.")
            % {"programme": existing.programme, "partner": existing.partner},
            code="duplicate_enrollment",
        )


@dataclass(frozen=True)
class EnrollResult:
    enrollment: Enrollment
    reused_person: bool


def _apply_person(participant: Participant, data: dict[str, Any]) -> None:
    for name in PERSON_FIELDS:
        if name in data:
            setattr(participant, name, data[name])
    if participant.identity_kind == IdentityKind.NONE:
        participant.identity_number = None
    participant.name_key = name_key(participant.first_name, participant.last_name)


def _refresh_eligibility(participant: Participant) -> None:
    result = compute_eligibility(participant.citizenships, stateless=participant.stateless)
    participant.enrollments.filter(status=EnrollmentStatus.ACTIVE).update(
        eligibility=result.status, eligibility_reason=result.reason
    )


def _check_unit(*, actor: Any, partner: Partner, unit: Unit, track: Track | None) -> None:
    scope = scope_for(actor)
    if unit.organisation_id != partner.organisation_id:
        raise ValidationError(_("The unit does not belong to the partner organisation."))
    if unit.pk not in scope.staff_unit_ids and partner.pk not in scope.coordinator_partner_ids:
        raise ValidationError(_("You cannot enrol participants in this unit."))
    if track is not None and track.programme_id != partner.programme_id:
        raise ValidationError(_("The track does not belong to the programme."))


@transaction.atomic
def participant_enroll(
    *,
    actor: Any,
    person: dict[str, Any],
    partner: Partner,
    unit: Unit,
    start_date: date,
    track: Track | None = None,
    external_id: str = "",
) -> EnrollResult:
    """Enrol a person through a partner, reusing the registry's record of them if any.

    A person with the same identity number who is already active in the programme is refused
    (DuplicateEnrollment carries the existing enrollment so the form can link to it).
    """
    _check_unit(actor=actor, partner=partner, unit=unit, track=track)
    if start_date < partner.programme.start_date or start_date > partner.programme.end_date:
        raise ValidationError(
            _("The start date must fall within the programme period %(start)s – %(end)s.")
            % {"start": partner.programme.start_date, "end": partner.programme.end_date}
        )
    identity_number = person.get("identity_number") or None
    participant = None
    if identity_number:
        participant = (
            Participant.objects.select_for_update().filter(identity_number=identity_number).first()
        )
    reused = participant is not None
    if participant is not None:
        existing = (
            participant.enrollments.filter(
                programme_id=partner.programme_id, status=EnrollmentStatus.ACTIVE
            )
            .select_related("programme", "partner__organisation")
            .first()
        )
        if existing is not None:
            raise DuplicateEnrollment(existing)
        before = snapshot(participant, PERSON_FIELDS)
        _apply_person(participant, person)
        participant.save()
        changes = diff(before, snapshot(participant, PERSON_FIELDS))
    else:
        participant = Participant()
        _apply_person(participant, person)
        participant.save()
        changes = {}

    result = compute_eligibility(participant.citizenships, stateless=participant.stateless)
    enrollment = Enrollment(
        participant=participant,
        programme_id=partner.programme_id,
        partner=partner,
        unit=unit,
        track=track,
        start_date=start_date,
        eligibility=result.status,
        eligibility_reason=result.reason,
        pseudonym=new_pseudonym(),
        external_id=external_id,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:
        # Lost a race with a concurrent enrollment of the same person.
        existing = participant.enrollments.filter(
            programme_id=partner.programme_id, status=EnrollmentStatus.ACTIVE
        ).first()
        if existing is None:
            raise
        raise DuplicateEnrollment(existing) from None
    organisation_id = unit.organisation_id
    if reused and changes:
        log_event(
            actor=actor,
            action=Action.UPDATE,
            organisation_id=organisation_id,
            participant_id=participant.pk,
            enrollment_id=enrollment.pk,
            obj=participant,
            changes=changes,
        )
    log_event(
        actor=actor,
        action=Action.CREATE,
        organisation_id=organisation_id,
        participant_id=participant.pk,
        enrollment_id=enrollment.pk,
        obj=enrollment,
        changes={} if reused else {"participant": "created"},
    )
    return EnrollResult(enrollment=enrollment, reused_person=reused)


@transaction.atomic
def participant_update(
    *, actor: Any, enrollment: Enrollment, person: dict[str, Any], enrollment_data: dict[str, Any]
) -> dict[str, Any]:
    """Change a person's registry data and their enrollment; returns what changed."""
    if not can_edit_enrollment(actor, enrollment):
        raise ValidationError(_("You cannot change this participant."))
    participant = Participant.objects.select_for_update().get(pk=enrollment.participant_id)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    unit = enrollment_data.get("unit", enrollment.unit)
    _check_unit(
        actor=actor, partner=enrollment.partner, unit=unit, track=enrollment_data.get("track")
    )
    identity_number = person.get("identity_number")
    if (
        identity_number
        and Participant.objects.filter(identity_number=identity_number)
        .exclude(pk=participant.pk)
        .exists()
    ):
        raise ValidationError(
            {"identity_number": _("Another person in the registry has this identity number.")}
        )

    before_person = snapshot(participant, PERSON_FIELDS)
    before_enrollment = snapshot(enrollment, ENROLLMENT_FIELDS)
    _apply_person(participant, person)
    for name in ENROLLMENT_FIELDS:
        if name in enrollment_data:
            setattr(enrollment, name, enrollment_data[name])
    changes = diff(before_person, snapshot(participant, PERSON_FIELDS))
    changes.update(diff(before_enrollment, snapshot(enrollment, ENROLLMENT_FIELDS)))
    if not changes:
        return {}
    participant.save()
    enrollment.save()
    if {"citizenships", "stateless"} & changes.keys():
        _refresh_eligibility(participant)
    log_event(
        actor=actor,
        action=Action.UPDATE,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=participant.pk,
        enrollment_id=enrollment.pk,
        obj=enrollment,
        changes=changes,
    )
    return changes


@transaction.atomic
def eligibility_check_record(
    *, actor: Any, enrollment: Enrollment, method: str, checked_on: date, document_note: str = ""
) -> EligibilityCheck:
    if not can_edit_enrollment(actor, enrollment):
        raise ValidationError(_("You cannot change this participant."))
    check = EligibilityCheck.objects.create(
        enrollment=enrollment,
        method=method,
        checked_on=checked_on,
        document_note=document_note,
        checked_by=actor,
    )
    log_event(
        actor=actor,
        action=Action.CREATE,
        part=Part.RECORD,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=check,
        changes={"method": method, "checked_on": checked_on.isoformat()},
    )
    return check
