"""Writes for exits and follow-ups. Each is atomic and writes its audit row.

Audit rows keep field names and codes only: the free-text note is logged as "changed", never
with its text.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access.audit import diff, log_event, snapshot
from stegvis.access.models import Action, Part
from stegvis.access.policy import acting_organisation_id, is_own
from stegvis.participants.models import Enrollment, EnrollmentStatus

from .models import (
    EXIT_FIELDS,
    FOLLOW_UP_FIELDS,
    FOLLOW_UP_MONTHS,
    Answer,
    Exit,
    ExitReason,
    ExitType,
    FollowUp,
    Occupation,
    SupportSource,
    months_after,
)

# Free-text fields: logged by name only.
_TEXT_FIELDS = frozenset({"note"})


def _logged(changes: dict[str, Any]) -> dict[str, Any]:
    return {name: None if name in _TEXT_FIELDS else value for name, value in changes.items()}


@transaction.atomic
def exit_record(
    *,
    actor: Any,
    enrollment: Enrollment,
    exit_date: date,
    exit_type: str,
    reason: str,
    job_seeking: bool = False,
    in_education: bool = False,
    gained_qualification: bool = False,
    in_employment: bool = False,
    occupation_before: str = Occupation.UNKNOWN,
    occupation_after: str = Occupation.UNKNOWN,
    support_before: str = SupportSource.UNKNOWN,
    support_after: str = SupportSource.UNKNOWN,
    note: str = "",
) -> Exit:
    """Record how an enrollment ended: the enrollment becomes exited, ending on the exit date.

    A follow-up is scheduled FOLLOW_UP_MONTHS after the exit, except for an erroneous
    registration (kept, but never counted or followed up). Only the owning organisation may
    record an exit; the person may enrol in the programme again afterwards.
    """
    if not is_own(actor, enrollment):
        raise ValidationError(_("You cannot record an exit for this participant."))
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if Exit.objects.filter(enrollment=enrollment).exists():
        raise ValidationError(_("An exit is already recorded for this enrollment."))
    if exit_type not in ExitType.values:
        raise ValidationError(_("Choose a valid type of exit."))
    if reason not in ExitReason.values:
        raise ValidationError(_("Choose a valid reason for the exit."))
    if exit_date < enrollment.start_date:
        raise ValidationError(
            {
                "exit_date": _("The exit date cannot be before the start date %(start)s.")
                % {"start": enrollment.start_date.isoformat()}
            }
        )
    if exit_date > timezone.localdate():
        raise ValidationError({"exit_date": _("The exit date cannot be in the future.")})

    record = Exit(
        enrollment=enrollment,
        exit_date=exit_date,
        exit_type=exit_type,
        reason=reason,
        job_seeking=job_seeking,
        in_education=in_education,
        gained_qualification=gained_qualification,
        in_employment=in_employment,
        occupation_before=occupation_before,
        occupation_after=occupation_after,
        support_before=support_before,
        support_after=support_after,
        note=note,
        recorded_by=actor,
    )
    record.full_clean(exclude=["enrollment", "recorded_by"])
    before = snapshot(enrollment, ("status", "end_date"))
    enrollment.status = EnrollmentStatus.EXITED
    enrollment.end_date = exit_date
    enrollment.save(update_fields=["status", "end_date", "updated_at"])
    record.save()

    organisation_id = acting_organisation_id(actor, enrollment)
    changes = _logged(diff({}, snapshot(record, [f for f in EXIT_FIELDS if getattr(record, f)])))
    changes.update(diff(before, snapshot(enrollment, ("status", "end_date"))))
    log_event(
        actor=actor,
        action=Action.CREATE,
        part=Part.RECORD,
        organisation_id=organisation_id,
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=record,
        changes=changes,
    )
    if exit_type != ExitType.ERRONEOUS:
        follow_up = FollowUp.objects.create(
            enrollment=enrollment, due_date=months_after(exit_date, FOLLOW_UP_MONTHS)
        )
        log_event(
            actor=actor,
            action=Action.CREATE,
            part=Part.RECORD,
            organisation_id=organisation_id,
            participant_id=enrollment.participant_id,
            enrollment_id=enrollment.pk,
            obj=follow_up,
            changes=diff({}, snapshot(follow_up, ("due_date",))),
        )
    return record


@transaction.atomic
def followup_record(
    *,
    actor: Any,
    follow_up: FollowUp,
    done_date: date,
    in_employment: str,
    improved_situation: str,
    note: str = "",
) -> dict[str, Any]:
    """Record (or correct) the follow-up's answers; returns what changed."""
    enrollment = follow_up.enrollment
    if not is_own(actor, enrollment):
        raise ValidationError(_("You cannot record a follow-up for this participant."))
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if in_employment not in Answer.values or improved_situation not in Answer.values:
        raise ValidationError(_("Answer every question; choose 'Unknown' if you do not know."))
    exit_date = (
        Exit.objects.filter(enrollment_id=enrollment.pk).values_list("exit_date", flat=True).first()
    )
    if exit_date is not None and done_date < exit_date:
        raise ValidationError(
            {
                "done_date": _("The follow-up cannot be before the exit date %(exit)s.")
                % {"exit": exit_date.isoformat()}
            }
        )
    if done_date > timezone.localdate():
        raise ValidationError({"done_date": _("The date cannot be in the future.")})

    fields = FOLLOW_UP_FIELDS
    before = snapshot(follow_up, fields)
    follow_up.done_date = done_date
    follow_up.in_employment = in_employment
    follow_up.improved_situation = improved_situation
    follow_up.note = note
    changes = diff(before, snapshot(follow_up, fields))
    if not changes:
        return {}
    follow_up.recorded_by = actor
    follow_up.recorded_at = timezone.now()
    follow_up.save(update_fields=[*fields, "recorded_by", "recorded_at"])
    log_event(
        actor=actor,
        action=Action.UPDATE,
        part=Part.RECORD,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=follow_up,
        changes=_logged(changes),
    )
    return changes
