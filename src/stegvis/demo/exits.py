"""Exits and follow-ups for the demo's exited enrollments.

Reasons are drawn to resemble the Lerum final report (INDICATORS.md): about a third moved away,
a fifth went to work (some of it subsidised), a sixth continued SFI/SAS, a sixth to other
measures, a few each to parental or sick leave, vocational training and "programme ended";
ineligible enrollments exit as "not in the target group", and a few exits are erroneous
registrations. Follow-ups fall six months after the exit; those already due are mostly done.

Deterministic: one ``random.Random`` per seed, enrollments in pk order. Bulk-inserted, with the
audit rows the services would have written. Call inside the demo's transaction.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Min
from django.utils import timezone

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.organisations.models import Membership
from stegvis.outcomes.models import (
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
from stegvis.participants.eligibility import Eligibility
from stegvis.participants.models import Enrollment, EnrollmentStatus

T = TypeVar("T")

BATCH_SIZE = 500
ERRONEOUS_SHARE = 0.02
FOLLOW_UP_DONE_SHARE = 0.85

# (reason, weight in per cent of exits of eligible participants).
REASONS: tuple[tuple[ExitReason, float], ...] = (
    (ExitReason.PERSONAL_MOVED, 33),
    (ExitReason.PERSONAL_PARENTAL_LEAVE, 5),
    (ExitReason.PERSONAL_SICK_LEAVE, 3),
    (ExitReason.WORK_EMPLOYMENT, 13),
    (ExitReason.WORK_SUBSIDISED, 6),
    (ExitReason.WORK_SELF_EMPLOYED, 1),
    (ExitReason.STUDY_LANGUAGE, 16),
    (ExitReason.MEASURE_MUNICIPAL, 6),
    (ExitReason.MEASURE_PES, 7),
    (ExitReason.MEASURE_HEALTH, 2),
    (ExitReason.STUDY_VOCATIONAL, 2),
    (ExitReason.ADMIN_PROGRAMME_ENDED, 2),
    (ExitReason.ADMIN_NO_CONTACT, 2),
    (ExitReason.PERSONAL_OTHER, 1),
    (ExitReason.STUDY_FOLK_HIGH_SCHOOL, 1),
)
_INTERRUPTED_GROUPS = {"personal", "admin"}
_SUPPORT_BEFORE = (
    (SupportSource.ESTABLISHMENT_ALLOWANCE, 45),
    (SupportSource.ECONOMIC_ASSISTANCE, 30),
    (SupportSource.ACTIVITY_SUPPORT, 15),
    (SupportSource.OTHER, 5),
    (SupportSource.UNKNOWN, 5),
)
_OCCUPATION_BEFORE = (
    (Occupation.JOB_SEEKER, 55),
    (Occupation.STUDIES, 20),
    (Occupation.OTHER, 20),
    (Occupation.UNKNOWN, 5),
)


@dataclass(frozen=True)
class ExitsSummary:
    exits: int
    erroneous: int
    follow_ups: int
    follow_ups_done: int
    access_events: int


def _pick(rng: random.Random, pairs: tuple[tuple[T, float], ...]) -> T:
    return rng.choices([value for value, _w in pairs], [w for _v, w in pairs])[0]


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(9 + rng.randrange(8), rng.randrange(60)))
    )


def _after(reason: ExitReason, rng: random.Random) -> tuple[Occupation, SupportSource]:
    group = reason.group
    if group == "work":
        return Occupation.WORK, SupportSource.SALARY
    if group == "study":
        support = (
            SupportSource.STUDENT_AID if rng.random() < 0.6 else SupportSource.ECONOMIC_ASSISTANCE
        )
        return Occupation.STUDIES, support
    if group == "measure":
        if reason == ExitReason.MEASURE_HEALTH:
            return Occupation.OTHER, SupportSource.SICKNESS_BENEFIT
        return Occupation.JOB_SEEKER, SupportSource.ACTIVITY_SUPPORT
    if reason == ExitReason.PERSONAL_PARENTAL_LEAVE:
        return Occupation.OTHER, SupportSource.PARENTAL_BENEFIT
    if reason == ExitReason.PERSONAL_SICK_LEAVE:
        return Occupation.OTHER, SupportSource.SICKNESS_BENEFIT
    return Occupation.UNKNOWN, SupportSource.UNKNOWN


def write_exits(*, seed: int, today: datetime.date) -> ExitsSummary:
    """Write an exit (and follow-up) for every exited demo enrollment that has none."""
    rng = random.Random(f"stegvis-demo-exits-{seed}")
    # Whoever records the exit: the enrollment's creator, else the unit's first member.
    unit_member = dict(
        Membership.objects.values("unit_id")
        .annotate(first_user=Min("user_id"))
        .values_list("unit_id", "first_user")
    )
    users = dict(Membership.objects.values_list("user_id", "user__username"))
    rows = (
        Enrollment.objects.filter(status=EnrollmentStatus.EXITED, exit__isnull=True)
        .order_by("pk")
        .values_list(
            "pk",
            "participant_id",
            "unit_id",
            "unit__organisation_id",
            "start_date",
            "end_date",
            "eligibility",
            "created_by_id",
        )
    )
    exits: list[Exit] = []
    follow_ups: list[FollowUp] = []
    meta: list[tuple[int, int, int, int]] = []  # enrollment, participant, organisation, user
    for pk, participant_id, unit_id, org_id, start, end, eligibility, creator in rows:
        exit_date = end or start
        user_id = creator if creator in users else unit_member.get(unit_id)
        if user_id is None:
            continue
        if eligibility == Eligibility.INELIGIBLE:
            reason, exit_type = ExitReason.ADMIN_NOT_ELIGIBLE, ExitType.INTERRUPTED
        elif rng.random() < ERRONEOUS_SHARE:
            reason, exit_type = ExitReason.ADMIN_OTHER, ExitType.ERRONEOUS
        else:
            reason = _pick(rng, REASONS)
            exit_type = (
                ExitType.INTERRUPTED
                if reason.group in _INTERRUPTED_GROUPS
                and reason != ExitReason.ADMIN_PROGRAMME_ENDED
                else ExitType.COMPLETED
            )
        group = reason.group
        occupation_after, support_after = _after(reason, rng)
        recorded_on = min(exit_date + datetime.timedelta(days=rng.randrange(4)), today)
        exits.append(
            Exit(
                enrollment_id=pk,
                exit_date=exit_date,
                exit_type=exit_type,
                reason=reason,
                job_seeking=group == "measure"
                and reason != ExitReason.MEASURE_HEALTH
                or (group == "personal" and rng.random() < 0.2),
                in_education=group == "study",
                gained_qualification=(group == "study" and rng.random() < 0.3)
                or (group == "work" and rng.random() < 0.2),
                in_employment=group == "work",
                occupation_before=_pick(rng, _OCCUPATION_BEFORE),
                occupation_after=occupation_after,
                support_before=_pick(rng, _SUPPORT_BEFORE),
                support_after=support_after,
                recorded_by_id=user_id,
                recorded_at=_at(recorded_on, rng),
            )
        )
        meta.append((pk, participant_id, org_id, user_id))
        if exit_type == ExitType.ERRONEOUS:
            continue
        due = months_after(exit_date, FOLLOW_UP_MONTHS)
        follow_up = FollowUp(enrollment_id=pk, due_date=due, created_at=exits[-1].recorded_at)
        if due <= today and rng.random() < FOLLOW_UP_DONE_SHARE:
            done = min(due + datetime.timedelta(days=rng.randrange(21)), today)
            employed = group == "work" and rng.random() < 0.85 or rng.random() < 0.15
            follow_up.done_date = done
            follow_up.in_employment = (
                Answer.YES if employed else _pick(rng, ((Answer.NO, 85), (Answer.UNKNOWN, 15)))
            )
            follow_up.improved_situation = (
                Answer.YES
                if employed or group == "study" and rng.random() < 0.6
                else _pick(rng, ((Answer.NO, 70), (Answer.UNKNOWN, 30)))
            )
            follow_up.recorded_by_id = user_id
            follow_up.recorded_at = _at(done, rng)
        follow_ups.append(follow_up)

    Exit.objects.bulk_create(exits, batch_size=BATCH_SIZE)
    FollowUp.objects.bulk_create(follow_ups, batch_size=BATCH_SIZE)
    by_enrollment = {pk: (participant, org, user) for pk, participant, org, user in meta}
    events = [
        _event(
            record, by_enrollment, users, Action.CREATE, record.recorded_at, _exit_changes(record)
        )
        for record in exits
    ]
    for follow_up in follow_ups:
        events.append(
            _event(
                follow_up,
                by_enrollment,
                users,
                Action.CREATE,
                follow_up.created_at,
                {"due_date": [None, follow_up.due_date.isoformat()]},
            )
        )
        if follow_up.recorded_at is not None:
            events.append(
                _event(
                    follow_up,
                    by_enrollment,
                    users,
                    Action.UPDATE,
                    follow_up.recorded_at,
                    {
                        "done_date": [None, str(follow_up.done_date)],
                        "in_employment": ["", follow_up.in_employment],
                        "improved_situation": ["", follow_up.improved_situation],
                    },
                )
            )
    AccessEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    return ExitsSummary(
        exits=len(exits),
        erroneous=sum(e.exit_type == ExitType.ERRONEOUS for e in exits),
        follow_ups=len(follow_ups),
        follow_ups_done=sum(f.done_date is not None for f in follow_ups),
        access_events=len(events),
    )


def _exit_changes(record: Exit) -> dict[str, object]:
    changes: dict[str, object] = {
        "exit_date": [None, record.exit_date.isoformat()],
        "exit_type": [None, record.exit_type],
        "reason": [None, record.reason],
    }
    for name in ("job_seeking", "in_education", "gained_qualification", "in_employment"):
        if getattr(record, name):
            changes[name] = [None, True]
    for name in ("occupation_before", "occupation_after", "support_before", "support_after"):
        changes[name] = [None, getattr(record, name)]
    return changes


def _event(
    obj: Exit | FollowUp,
    by_enrollment: dict[int, tuple[int, int, int]],
    users: dict[int, str],
    action: str,
    at: datetime.datetime,
    changes: dict[str, object],
) -> AccessEvent:
    participant_id, organisation_id, user_id = by_enrollment[obj.enrollment_id]
    return AccessEvent(
        at=at,
        actor_id=user_id,
        actor_name=users[user_id],
        organisation_id=organisation_id,
        action=action,
        part=Part.RECORD,
        participant_id=participant_id,
        enrollment_id=obj.enrollment_id,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        changes=changes,
    )


__all__ = ["ExitsSummary", "write_exits"]
