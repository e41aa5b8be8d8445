"""Writes to activities and participations.

Creating an activity is not a write of participant data, so it has no access-log row (the
activity keeps who created it). Adding a participant is: it is logged as a create of the
enrollment's record part, in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from stegvis.access.audit import log_event
from stegvis.access.models import Action, Part
from stegvis.access.policy import acting_organisation_id, can_write
from stegvis.accounts.models import User
from stegvis.organisations.models import Role, Track, Unit
from stegvis.participants.models import Enrollment, EnrollmentStatus

from .models import Activity, ActivityType, Participation
from .selectors import activities_for, partners_for_activities, units_for_activities


def staff_candidates(*, organisation_ids: Iterable[int]) -> Any:
    """Users who work with participants (staff or coordinator) in these organisations."""
    return (
        User.objects.filter(
            memberships__unit__organisation_id__in=list(organisation_ids),
            memberships__role__in=[Role.STAFF, Role.COORDINATOR],
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


@transaction.atomic
def activity_create(
    *,
    actor: Any,
    activity_type: ActivityType,
    unit: Unit,
    name: str,
    language: str,
    start_date: datetime.date,
    track: Track | None = None,
    place: str = "",
    end_date: datetime.date | None = None,
    capacity: int | None = None,
    staff: Iterable[Any] = (),
) -> Activity:
    """Create an activity provided by ``unit`` for its organisation's partner in the programme."""
    if not units_for_activities(actor=actor).filter(pk=unit.pk).exists():
        raise PermissionDenied
    partner = (
        partners_for_activities(actor=actor)
        .filter(organisation_id=unit.organisation_id, programme_id=activity_type.programme_id)
        .first()
    )
    if partner is None:
        raise ValidationError(
            {"activity_type": _("The unit's organisation is not a partner in this programme.")}
        )
    errors: dict[str, str] = {}
    if track is not None and track.programme_id != activity_type.programme_id:
        errors["track"] = _("The track belongs to another programme.")
    if end_date is not None and end_date < start_date:
        errors["end_date"] = _("The end date cannot be before the start date.")
    staff = list(staff)
    allowed = set(
        staff_candidates(organisation_ids=[unit.organisation_id]).values_list("pk", flat=True)
    )
    if any(user.pk not in allowed for user in staff):
        errors["staff"] = _("Staff must work with participants in the unit's organisation.")
    if errors:
        raise ValidationError(errors)
    activity = Activity.objects.create(
        activity_type=activity_type,
        name=name,
        track=track,
        partner=partner,
        unit=unit,
        language=language,
        place=place,
        start_date=start_date,
        end_date=end_date,
        capacity=capacity,
        created_by=actor,
    )
    activity.staff.set(staff)
    return activity


@transaction.atomic
def participation_add(
    *, actor: Any, activity: Activity, enrollment: Enrollment, start_date: datetime.date
) -> Participation:
    """Enrol a participant in an activity: own enrollment of the provider partner, one at a time.

    Refused when the actor may not see the activity or not write the enrollment's record
    (PermissionDenied), and when the dates or the capacity do not allow it (ValidationError).
    """
    if not can_write(actor, enrollment, Part.RECORD):
        raise PermissionDenied
    # Locks the activity: concurrent additions are counted against the capacity in turn.
    locked = activities_for(actor).select_for_update().filter(pk=activity.pk).first()
    if locked is None:
        raise PermissionDenied
    if enrollment.partner_id != locked.partner_id:
        raise ValidationError(_("The participant is enrolled with another partner."))
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise ValidationError(_("The participant's enrollment has ended."))
    if start_date < locked.start_date or (locked.end_date and start_date > locked.end_date):
        raise ValidationError({"start_date": _("The start must be within the activity's dates.")})
    if start_date < enrollment.start_date:
        raise ValidationError(
            {"start_date": _("The start cannot be before the participant's enrollment.")}
        )
    current = Participation.objects.filter(activity=locked, end_date__isnull=True)
    if current.filter(enrollment=enrollment).exists():
        raise ValidationError(_("The participant already takes part in this activity."))
    if locked.capacity is not None and current.count() >= locked.capacity:
        raise ValidationError(_("The activity is full."))
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                activity=locked, enrollment=enrollment, start_date=start_date, created_by=actor
            )
    except IntegrityError:
        raise ValidationError(_("The participant already takes part in this activity.")) from None
    log_event(
        actor=actor,
        action=Action.CREATE,
        part=Part.RECORD,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=participation,
        changes={"activity": [None, locked.pk], "start_date": [None, start_date.isoformat()]},
    )
    return participation
