"""Writes to activities and participations.

Creating an activity is not a write of participant data, so it has no access-log row (the
activity keeps who created it). Adding a participant is: it is logged as a create of the
enrollment's record part, in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stegvis.access.audit import diff, log_event, snapshot
from stegvis.access.models import Action, Part
from stegvis.access.policy import acting_organisation_id, can_write, enrollments_for
from stegvis.accounts.models import User
from stegvis.organisations.models import Programme, Role, Track, Unit
from stegvis.participants.models import Enrollment, EnrollmentStatus

from .models import (
    Activity,
    ActivityType,
    Attendance,
    AttendanceBatch,
    AttendanceStatus,
    EndReason,
    FunderCategory,
    Participation,
    Session,
)
from .selectors import (
    activities_for,
    catalogue_programmes,
    partners_for_activities,
    session_participations,
    units_for_activities,
)


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


# --- Participation end -------------------------------------------------------------------


@transaction.atomic
def participation_end(
    *, actor: Any, participation: Participation, end_date: datetime.date, end_reason: str
) -> Participation:
    """End a participation on a date, with a reason; logged as a change of the record."""
    enrollment = participation.enrollment
    if not can_write(actor, enrollment, Part.RECORD):
        raise PermissionDenied
    locked = Participation.objects.select_for_update().get(pk=participation.pk)
    if locked.end_date is not None:
        raise ValidationError(_("The participation has already ended."))
    errors: dict[str, str] = {}
    if end_date < locked.start_date:
        errors["end_date"] = _("The end cannot be before the start of the participation.")
    if end_reason not in EndReason.values:
        errors["end_reason"] = _("Choose a reason for ending.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(locked, ("end_date", "end_reason"))
    locked.end_date = end_date
    locked.end_reason = end_reason
    locked.save(update_fields=["end_date", "end_reason"])
    log_event(
        actor=actor,
        action=Action.UPDATE,
        part=Part.RECORD,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=locked,
        changes=diff(before, snapshot(locked, ("end_date", "end_reason"))),
    )
    return locked


# --- Sessions ----------------------------------------------------------------------------

# A pattern covers at most this many days: a typo in the year must not create 10,000 sessions.
MAX_PATTERN_DAYS = 3 * 366


def hours_between(start: datetime.time, end: datetime.time) -> Decimal:
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def _session_hours(
    start_time: datetime.time | None, end_time: datetime.time | None, hours: Decimal | None
) -> tuple[Decimal | None, dict[str, str]]:
    errors: dict[str, str] = {}
    if (start_time is None) != (end_time is None):
        errors["end_time"] = _("Give both a start and an end time, or neither.")
    elif start_time is not None and end_time is not None:
        if end_time <= start_time:
            errors["end_time"] = _("The end time must be after the start time.")
        elif hours is None:
            hours = hours_between(start_time, end_time)
    if hours is None and "end_time" not in errors:
        errors["hours"] = _("Give the times or the number of hours.")
    elif hours is not None and not (0 < hours <= 24):
        errors["hours"] = _("The hours must be more than 0 and at most 24.")
    return hours, errors


def _visible_activity(actor: Any, activity: Activity, *, lock: bool = False) -> Activity:
    queryset = activities_for(actor)
    if lock:
        queryset = queryset.select_for_update()
    found = queryset.filter(pk=activity.pk).first()
    if found is None:
        raise PermissionDenied
    return found


@dataclass(frozen=True)
class GeneratedSessions:
    created: int
    skipped: int


@transaction.atomic
def sessions_generate(
    *,
    actor: Any,
    activity: Activity,
    weekdays: Iterable[int],
    first_date: datetime.date,
    last_date: datetime.date,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    hours: Decimal | None = None,
) -> GeneratedSessions:
    """Create a session on each chosen weekday (0 = Monday) from ``first_date`` to
    ``last_date``. Days that already have a session are skipped, so running it again (or with
    an overlapping range) never duplicates."""
    locked = _visible_activity(actor, activity, lock=True)
    days = sorted(set(weekdays))
    hours, errors = _session_hours(start_time, end_time, hours)
    if not days or any(day not in range(7) for day in days):
        errors["weekdays"] = _("Choose at least one weekday.")
    if last_date < first_date:
        errors["last_date"] = _("The last date cannot be before the first.")
    elif (last_date - first_date).days > MAX_PATTERN_DAYS:
        errors["last_date"] = _("A pattern can cover at most three years.")
    if first_date < locked.start_date:
        errors["first_date"] = _("The first date must be within the activity's dates.")
    if locked.end_date and last_date > locked.end_date:
        errors["last_date"] = _("The last date must be within the activity's dates.")
    if errors:
        raise ValidationError(errors)
    assert hours is not None
    existing = set(
        Session.objects.filter(activity=locked, date__range=(first_date, last_date)).values_list(
            "date", flat=True
        )
    )
    new = []
    day = first_date
    while day <= last_date:
        if day.weekday() in days and day not in existing:
            new.append(
                Session(
                    activity=locked,
                    date=day,
                    start_time=start_time,
                    end_time=end_time,
                    hours=hours,
                )
            )
        day += datetime.timedelta(days=1)
    Session.objects.bulk_create(new)
    candidates = sum(
        1
        for offset in range((last_date - first_date).days + 1)
        if (first_date + datetime.timedelta(days=offset)).weekday() in days
    )
    return GeneratedSessions(created=len(new), skipped=candidates - len(new))


SESSION_FIELDS = ("date", "start_time", "end_time", "hours", "cancelled", "cancel_reason", "note")


@transaction.atomic
def session_update(
    *,
    actor: Any,
    session: Session,
    date: datetime.date,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
    hours: Decimal | None,
    cancelled: bool,
    cancel_reason: str = "",
    note: str = "",
) -> Session:
    """Edit one session: move, retime, cancel (with a reason) or reinstate it."""
    activity = _visible_activity(actor, session.activity, lock=True)
    hours, errors = _session_hours(start_time, end_time, hours)
    if cancelled and not cancel_reason.strip():
        errors["cancel_reason"] = _("Say why the session is cancelled.")
    if date < activity.start_date or (activity.end_date and date > activity.end_date):
        errors["date"] = _("The date must be within the activity's dates.")
    elif Session.objects.filter(activity=activity, date=date).exclude(pk=session.pk).exists():
        errors["date"] = _("The activity already has a session on that day.")
    if errors:
        raise ValidationError(errors)
    session.date = date
    session.start_time = start_time
    session.end_time = end_time
    session.hours = hours  # type: ignore[assignment]
    session.cancelled = cancelled
    session.cancel_reason = cancel_reason.strip() if cancelled else ""
    session.note = note
    session.save(update_fields=list(SESSION_FIELDS))
    return session


# --- Attendance --------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    status: str
    hours: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "hours", Decimal(self.hours))


def _mark_value(attendance: Attendance | None) -> list[str] | None:
    if attendance is None:
        return None
    return [attendance.status, str(attendance.hours)]


def _log_mark(
    actor: Any,
    participation: Participation,
    attendance: Attendance,
    action: str,
    before: list[str] | None,
    after: list[str] | None,
    session: Session,
) -> None:
    enrollment = participation.enrollment
    changes: dict[str, Any] = {"session": session.date.isoformat()}
    old_status, old_hours = before or (None, None)
    new_status, new_hours = after or (None, None)
    if old_status != new_status:
        changes["status"] = [old_status, new_status]
    if old_hours != new_hours:
        changes["hours"] = [old_hours, new_hours]
    log_event(
        actor=actor,
        action=action,
        part=Part.RECORD,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=attendance,
        changes=changes,
    )


def _session_for_marking(actor: Any, session: Session) -> Session:
    _visible_activity(actor, session.activity)
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if locked.cancelled:
        raise ValidationError(_("The session is cancelled: attendance is not registered."))
    if locked.date > timezone.localdate():
        raise ValidationError(_("Attendance can be registered on the day or afterwards."))
    return locked


@transaction.atomic
def attendance_save(
    *, actor: Any, session: Session, marks: dict[int, Mark]
) -> AttendanceBatch | None:
    """Save the marks of a session (participation id → mark), in one batch that can be undone.

    Only participations the actor may mark (``session_participations``) are accepted; any
    other id refuses the whole save. Unchanged marks are left alone; each changed one is
    written and logged per enrollment. Returns None when nothing changed.
    """
    locked = _session_for_marking(actor, session)
    allowed = {
        p.pk: p
        for p in session_participations(actor=actor, session=locked).select_related(
            "enrollment__unit"
        )
    }
    if set(marks) - set(allowed):
        raise PermissionDenied
    errors = []
    for mark in marks.values():
        if mark.status not in AttendanceStatus.values:
            errors.append(_("Choose present, absent or excused."))
        elif not (Decimal(0) <= mark.hours <= 24):
            errors.append(_("Hours must be between 0 and 24."))
    if errors:
        raise ValidationError(sorted(set(errors)))
    current = {
        a.participation_id: a
        for a in Attendance.objects.select_for_update().filter(
            session=locked, participation_id__in=list(marks)
        )
    }
    changed: dict[int, tuple[Attendance | None, Mark]] = {}
    for pk, mark in marks.items():
        # Only present carries hours: an absence is zero hours whatever the form said.
        hours = mark.hours.quantize(Decimal("0.01")) if mark.status == "present" else Decimal(0)
        mark = Mark(mark.status, hours.quantize(Decimal("0.01")))
        old = current.get(pk)
        if old is None or old.status != mark.status or old.hours != mark.hours:
            changed[pk] = (old, mark)
    if not changed:
        return None
    batch = AttendanceBatch.objects.create(
        session=locked,
        recorded_by=actor,
        previous={str(pk): _mark_value(old) for pk, (old, _mark) in changed.items()},
    )
    new_rows, updated = [], []
    logs = []
    for pk, (old, mark) in changed.items():
        participation = allowed[pk]
        before = _mark_value(old)
        if old is None:
            row = Attendance(
                session=locked,
                participation=participation,
                enrollment_id=participation.enrollment_id,
                status=mark.status,
                hours=mark.hours,
                batch=batch,
            )
            new_rows.append(row)
            logs.append((participation, row, Action.CREATE, before))
        else:
            old.status, old.hours, old.batch = mark.status, mark.hours, batch
            updated.append(old)
            logs.append((participation, old, Action.UPDATE, before))
    Attendance.objects.bulk_create(new_rows)
    Attendance.objects.bulk_update(updated, ["status", "hours", "batch"])
    for participation, row, action, before in logs:
        _log_mark(actor, participation, row, action, before, _mark_value(row), locked)
    return batch


def latest_batch(session: Session) -> AttendanceBatch | None:
    return AttendanceBatch.objects.filter(session=session).order_by("-pk").first()


@transaction.atomic
def attendance_undo(*, actor: Any, session: Session, batch_id: int) -> AttendanceBatch:
    """Restore the marks a save replaced. Only the session's latest save, and only once."""
    locked = _session_for_marking(actor, session)
    batch = latest_batch(locked)
    if batch is None or batch.pk != batch_id or batch.undone_at is not None:
        raise ValidationError(_("Only the latest save of this session can be undone, once."))
    previous = {int(pk): value for pk, value in batch.previous.items()}
    allowed = {
        p.pk: p
        for p in Participation.objects.filter(
            pk__in=list(previous),
            enrollment__in=enrollments_for(actor, part=Part.RECORD),
        ).select_related("enrollment__unit")
    }
    if set(previous) - set(allowed):
        raise ValidationError(
            _("The save includes participants you do not work with: ask who saved it to undo.")
        )
    rows = {
        a.participation_id: a
        for a in Attendance.objects.select_for_update().filter(
            session=locked, participation_id__in=list(previous)
        )
    }
    for pk, value in previous.items():
        row = rows.get(pk)
        if row is None:  # already gone; nothing to restore from
            continue
        before = _mark_value(row)
        if value is None:
            row_pk = row.pk
            row.delete()
            row.pk = row_pk
            _log_mark(actor, allowed[pk], row, Action.DELETE, before, None, locked)
        else:
            row.status, row.hours, row.batch = value[0], Decimal(value[1]), None
            row.save(update_fields=["status", "hours", "batch"])
            _log_mark(actor, allowed[pk], row, Action.UPDATE, before, value, locked)
    batch.undone_at = timezone.now()
    batch.undone_by = actor
    batch.save(update_fields=["undone_at", "undone_by"])
    return batch


# --- Catalogue ---------------------------------------------------------------------------


@transaction.atomic
def activity_type_save(
    *,
    actor: Any,
    programme: Programme,
    name: str,
    funder_category: str,
    description: str = "",
    activity_type: ActivityType | None = None,
) -> ActivityType:
    """Create or edit an entry of a programme's catalogue (administrators, programme managers)."""
    if not catalogue_programmes(actor=actor).filter(pk=programme.pk).exists():
        raise PermissionDenied
    if activity_type is not None and activity_type.programme_id != programme.pk:
        raise PermissionDenied
    name = name.strip()
    duplicate = ActivityType.objects.filter(programme=programme, name__iexact=name)
    if activity_type is not None:
        duplicate = duplicate.exclude(pk=activity_type.pk)
    if duplicate.exists():
        raise ValidationError({"name": _("The catalogue already has a type with this name.")})
    if funder_category not in FunderCategory.values:
        raise ValidationError({"funder_category": _("Choose a funder category.")})
    if activity_type is None:
        return ActivityType.objects.create(
            programme=programme,
            name=name,
            description=description,
            funder_category=funder_category,
        )
    activity_type.name = name
    activity_type.description = description
    activity_type.funder_category = funder_category
    activity_type.save(update_fields=["name", "description", "funder_category"])
    return activity_type


@transaction.atomic
def activity_type_delete(*, actor: Any, activity_type: ActivityType) -> None:
    """Remove a catalogue entry that no activity uses; refused (with the count) otherwise."""
    if not catalogue_programmes(actor=actor).filter(pk=activity_type.programme_id).exists():
        raise PermissionDenied
    used = Activity.objects.filter(activity_type=activity_type).count()
    if used:
        raise ValidationError(
            ngettext(
                "The type is used by %(count)d activity and cannot be deleted.",
                "The type is used by %(count)d activities and cannot be deleted.",
                used,
            )
            % {"count": used}
        )
    activity_type.delete()
