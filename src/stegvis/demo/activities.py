"""The demo's activities: a catalogue, groups per unit over about two years, weekly sessions,
participations and roughly 100,000 attendance marks, with the audit rows the services write.

Every unit that has participants runs a few groups per term (terms of 14–20 weeks back to
about two years before ``today``); the current term's first group of each unit meets on
today's weekday, so every staff member of the demo (e.g. ``personal.lerum.1``) has a session
to mark today. Participants come from the unit's own enrollments (staff mark only their own
unit's participants); some join late, some leave early with a reason. Sessions before today
are marked (present about 80 %, absent 10 %, excused 7 %, a few left unregistered); a few
sessions are cancelled with a reason; today's and later sessions are unmarked.

Deterministic: one ``random.Random`` per seed, everything read back from the database in
primary-key order. Bulk-inserted inside the demo's transaction.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.activities.models import (
    Activity,
    ActivityType,
    Attendance,
    AttendanceBatch,
    AttendanceStatus,
    EndReason,
    FunderCategory,
    InstructionLanguage,
    Participation,
    Session,
)
from stegvis.organisations.models import Membership, Partner, Programme, Role
from stegvis.participants.models import Enrollment

from . import catalogue as cat

BATCH_SIZE = 2000
TERMS = 6  # about two years of terms before today, the current one included
GROUPS_PER_TERM = 3
CANCELLED_SHARE = 0.03
UNREGISTERED_SHARE = 0.02
LATE_JOIN_SHARE = 0.2
_CENT = Decimal("0.01")
EARLY_LEAVE_SHARE = 0.15


@dataclass(frozen=True)
class TypeSpec:
    name: str
    category: str
    description: str
    per_week: int
    start: datetime.time
    end: datetime.time
    languages: tuple[str, ...]
    group: tuple[int, int]  # group size, min and max


_S = InstructionLanguage
TYPES: tuple[TypeSpec, ...] = (
    TypeSpec(
        "SFI", FunderCategory.LANGUAGE_COURSE, "Svenska för invandrare, kurs A–D.",
        3, datetime.time(9), datetime.time(12), (_S.EASY_SWEDISH, _S.SWEDISH), (10, 16),
    ),
    TypeSpec(
        "Yrkessvenska", FunderCategory.VOCATIONAL_OR_COMBINATION,
        "Svenska för vård, storkök och lokalvård ihop med praktiska moment.",
        2, datetime.time(13), datetime.time(15, 30), (_S.EASY_SWEDISH,), (8, 14),
    ),
    TypeSpec(
        "Samhällsorientering på modersmål", FunderCategory.CIVIC_ORIENTATION,
        "Samhälls- och arbetslivsorientering med kommunikatör på modersmålet.",
        2, datetime.time(9, 30), datetime.time(12), (_S.ARABIC, _S.DARI, _S.TIGRINYA, _S.SOMALI),
        (8, 14),
    ),
    TypeSpec(
        "Jobbsökarstöd", FunderCategory.JOB_SEARCH, "CV, ansökningar och intervjuträning.",
        1, datetime.time(10), datetime.time(12), (_S.EASY_SWEDISH, _S.MULTILINGUAL), (6, 12),
    ),
    TypeSpec(
        "Digital kompetens", FunderCategory.OTHER, "BankID, 1177, Arbetsförmedlingen och e-post.",
        1, datetime.time(13), datetime.time(15), (_S.EASY_SWEDISH, _S.ARABIC), (6, 10),
    ),
    TypeSpec(
        "Hälsokommunikation", FunderCategory.HEALTH,
        "Hälsa, vård och levnadsvanor med hälsokommunikatör.",
        1, datetime.time(10), datetime.time(12), (_S.ARABIC, _S.DARI, _S.SOMALI), (6, 12),
    ),
    TypeSpec(
        "Föräldraskap i Sverige", FunderCategory.PARENTAL_SUPPORT,
        "Föräldrastöd i grupp: skola, förskola och barns rättigheter.",
        1, datetime.time(17), datetime.time(19), (_S.ARABIC, _S.TIGRINYA, _S.UKRAINIAN), (6, 10),
    ),
    TypeSpec(
        "Coachning mot arbete", FunderCategory.PROFESSIONAL_GUIDANCE,
        "Individuell och gruppvis coachning med arbetsmarknadskonsulent.",
        1, datetime.time(9), datetime.time(10, 30), (_S.EASY_SWEDISH, _S.ENGLISH), (4, 8),
    ),
)  # fmt: skip

# Weekday sets by sessions per week (Monday = 0).
_WEEKDAYS = {1: ((0,), (1,), (2,), (3,)), 2: ((0, 2), (1, 3)), 3: ((0, 2, 3), (0, 1, 3))}
_CANCEL_REASONS = ("Läraren sjuk", "Studiedag", "Lokalen upptagen", "Röd dag", "Snöoväder")
_EARLY_REASONS = (
    (EndReason.EMPLOYMENT, 30),
    (EndReason.OTHER_ACTIVITY, 25),
    (EndReason.ILLNESS_OR_LEAVE, 15),
    (EndReason.DROPPED_OUT, 20),
    (EndReason.STUDIES, 10),
)


@dataclass(frozen=True)
class ActivitiesSummary:
    activity_types: int
    activities: int
    sessions: int
    participations: int
    attendances: int
    access_events: int


@dataclass
class _Enr:
    pk: int
    participant_id: int
    start: datetime.date
    end: datetime.date | None


def _hours(spec: TypeSpec) -> Decimal:
    minutes = (spec.end.hour * 60 + spec.end.minute) - (spec.start.hour * 60 + spec.start.minute)
    return Decimal(minutes) / 60


def _insert(model: type[Model], names: list[str], rows: list[tuple[Any, ...]]) -> None:
    """INSERT plain rows with executemany (values already in database form)."""
    fields = [model._meta.get_field(name) for name in names]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(connection.ops.quote_name(str(f.column)) for f in fields),  # type: ignore[union-attr]
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for offset in range(0, len(rows), BATCH_SIZE * 5):
            cursor.executemany(sql, rows[offset : offset + BATCH_SIZE * 5])


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def write_activities(*, seed: int, today: datetime.date) -> ActivitiesSummary:
    rng = random.Random(f"stegvis-demo-activities-{seed}")
    programme = Programme.objects.filter(code=cat.PROGRAMME_CODE).first()
    if programme is None:
        return ActivitiesSummary(0, 0, 0, 0, 0, 0)
    types = {
        spec.name: ActivityType(
            programme=programme,
            name=spec.name,
            description=spec.description,
            funder_category=spec.category,
        )
        for spec in TYPES
    }
    ActivityType.objects.bulk_create(types.values())
    partner_of = dict(
        Partner.objects.filter(programme=programme).values_list("organisation_id", "pk")
    )
    staff: dict[int, list[int]] = defaultdict(list)
    coordinators: dict[int, int] = {}
    unit_org: dict[int, int] = {}
    for user_id, unit_id, org_id, role in (
        Membership.objects.filter(is_active=True, role__in=[Role.STAFF, Role.COORDINATOR])
        .order_by("pk")
        .values_list("user_id", "unit_id", "unit__organisation_id", "role")
    ):
        unit_org[unit_id] = org_id
        if role == Role.STAFF:
            staff[unit_id].append(user_id)
        else:
            coordinators.setdefault(org_id, user_id)
    usernames = dict(Membership.objects.values_list("user_id", "user__username"))
    by_unit: dict[int, list[_Enr]] = defaultdict(list)
    for pk, participant_id, unit_id, enrolled, left in (
        Enrollment.objects.filter(programme=programme)
        .order_by("pk")
        .values_list("pk", "participant_id", "unit_id", "start_date", "end_date")
    ):
        by_unit[unit_id].append(_Enr(pk, participant_id, enrolled, left))

    # Terms, newest last; the current one runs from a few weeks ago to after today.
    terms: list[tuple[datetime.date, datetime.date]] = []
    term_end = today + datetime.timedelta(weeks=rng.randrange(6, 12))
    for _ in range(TERMS):
        term_start = term_end - datetime.timedelta(weeks=rng.randrange(14, 21))
        terms.append((term_start, term_end))
        term_end = term_start - datetime.timedelta(weeks=rng.randrange(1, 4))
    terms.reverse()

    activities: list[Activity] = []
    plans: list[tuple[Activity, TypeSpec, tuple[int, ...], list[_Enr], int]] = []
    for unit_id in sorted(by_unit):
        unit_org_id = unit_org.get(unit_id)
        if unit_org_id is None or unit_org_id not in partner_of:
            continue
        org_id = unit_org_id
        creators = staff.get(unit_id, []) + [coordinators[org_id]] * (org_id in coordinators)
        if not creators:
            continue
        creator = creators[0]
        for term_index, (start, end) in enumerate(terms):
            current = term_index == len(terms) - 1
            for group in range(GROUPS_PER_TERM):
                spec = TYPES[rng.randrange(len(TYPES))]
                weekdays = rng.choice(_WEEKDAYS[spec.per_week])
                if current and group == 0 and today.weekday() not in weekdays:
                    # Something to mark today for the unit's staff.
                    weekdays = (*weekdays[:-1], today.weekday())
                language = rng.choice(spec.languages)
                activity = Activity(
                    activity_type=types[spec.name],
                    name=f"{spec.name} {start:%y}{'VT' if start.month < 7 else 'HT'} "
                    f"grupp {group + 1}",
                    partner_id=partner_of[org_id],
                    unit_id=unit_id,
                    language=language,
                    place=rng.choice(("Biblioteket", "Lärcentrum", "Medborgarhuset", "Sal 3")),
                    start_date=start,
                    end_date=end,
                    capacity=spec.group[1],
                    created_by_id=creator,
                    created_at=_at(start - datetime.timedelta(days=14), datetime.time(10)),
                )
                activities.append(activity)
                candidates = [
                    e for e in by_unit[unit_id] if e.start <= end and (e.end or end) >= start
                ]
                size = min(len(candidates), rng.randint(*spec.group))
                plans.append((activity, spec, weekdays, rng.sample(candidates, size), creator))
    Activity.objects.bulk_create(activities, batch_size=BATCH_SIZE)
    Activity.staff.through.objects.bulk_create(
        [
            Activity.staff.through(activity_id=activity.pk, user_id=user_id)
            for activity, *_rest in plans
            for user_id in staff.get(activity.unit_id, [])
        ],
        batch_size=BATCH_SIZE,
    )

    sessions: list[Session] = []
    session_plan: list[list[Session]] = []
    for activity, spec, weekdays, _people, _creator in plans:
        own: list[Session] = []
        day = activity.start_date
        assert activity.end_date is not None
        while day <= activity.end_date:
            if day.weekday() in weekdays:
                cancelled = day != today and rng.random() < CANCELLED_SHARE
                own.append(
                    Session(
                        activity=activity,
                        date=day,
                        start_time=spec.start,
                        end_time=spec.end,
                        hours=_hours(spec),
                        cancelled=cancelled,
                        cancel_reason=rng.choice(_CANCEL_REASONS) if cancelled else "",
                    )
                )
            day += datetime.timedelta(days=1)
        sessions.extend(own)
        session_plan.append(own)
    Session.objects.bulk_create(sessions, batch_size=BATCH_SIZE)

    participations: list[Participation] = []
    owners: list[tuple[_Enr, int]] = []
    for activity, _spec, _weekdays, people, creator in plans:
        assert activity.end_date is not None
        for person in people:
            start = max(activity.start_date, person.start)
            if rng.random() < LATE_JOIN_SHARE:
                start += datetime.timedelta(weeks=rng.randrange(1, 6))
            if start > min(activity.end_date, today) or (person.end and start > person.end):
                continue
            left_on: datetime.date | None = None
            reason = ""
            if person.end is not None and person.end < activity.end_date:
                left_on, reason = person.end, EndReason.ENROLLMENT_ENDED
            elif rng.random() < EARLY_LEAVE_SHARE:
                left_on = start + datetime.timedelta(weeks=rng.randrange(2, 12))
                reason = rng.choices(
                    [r for r, _w in _EARLY_REASONS], [w for _r, w in _EARLY_REASONS]
                )[0]
                if left_on >= activity.end_date:
                    left_on, reason = activity.end_date, EndReason.COMPLETED
            elif activity.end_date < today:
                left_on, reason = activity.end_date, EndReason.COMPLETED
            if left_on is not None and left_on >= today:
                left_on, reason = None, ""  # a leaving day in the future is not known yet
            participations.append(
                Participation(
                    activity=activity,
                    enrollment_id=person.pk,
                    start_date=start,
                    end_date=left_on,
                    end_reason=reason,
                    created_by_id=creator,
                    created_at=_at(start, datetime.time(8, 30)),
                )
            )
            owners.append((person, creator))
    Participation.objects.bulk_create(participations, batch_size=BATCH_SIZE)

    sessions_of = {
        activity.pk: own for (activity, *_r), own in zip(plans, session_plan, strict=True)
    }
    batches: dict[int, AttendanceBatch] = {}
    # (session, participation, enrollment, status, hours): plain tuples, written with
    # executemany, because building and compiling 100,000 model instances is most of the cost.
    marks: list[tuple[Session, int, int, str, Decimal]] = []
    for participation, (person, creator) in zip(participations, owners, strict=True):
        # Each person has their own habit: most come nearly always, some often miss.
        presence = rng.choice((0.95, 0.9, 0.85, 0.8, 0.7, 0.55))
        last = min(participation.end_date or today, today - datetime.timedelta(days=1))
        for session in sessions_of[participation.activity.pk]:
            if session.date < participation.start_date or session.date > last:
                continue
            if session.cancelled or rng.random() < UNREGISTERED_SHARE:
                continue
            roll = rng.random()
            if roll < presence:
                status, hours = AttendanceStatus.PRESENT.value, session.hours
                if rng.random() < 0.05:
                    hours = max(session.hours - 1, Decimal("0.5"))
            elif roll < presence + (1 - presence) * 0.55:
                status, hours = AttendanceStatus.ABSENT.value, Decimal(0)
            else:
                status, hours = AttendanceStatus.EXCUSED.value, Decimal(0)
            if session.pk not in batches:
                batches[session.pk] = AttendanceBatch(
                    session=session,
                    recorded_by_id=creator,
                    recorded_at=_at(session.date, session.end_time or datetime.time(12)),
                )
            marks.append((session, participation.pk, person.pk, status, hours.quantize(_CENT)))
    AttendanceBatch.objects.bulk_create(batches.values(), batch_size=BATCH_SIZE)
    _insert(
        Attendance,
        ["session", "participation", "enrollment", "status", "hours", "batch"],
        [(s.pk, p, e, status, hours, batches[s.pk].pk) for s, p, e, status, hours in marks],
    )
    attendance_pk = {
        (session, enrollment): pk
        # A range on the sessions just written: a plain index scan, whatever the statistics
        # of the freshly filled tables say (a join here made PostgreSQL pick a nested loop).
        for pk, session, enrollment in Attendance.objects.filter(
            session_id__gte=min((s.pk for s in sessions), default=0),
            session_id__lte=max((s.pk for s in sessions), default=-1),
        ).values_list("pk", "session_id", "enrollment_id")
    }

    # The audit rows the services would have written: one per participation and mark.
    participant_of = {person.pk: person.participant_id for person, _c in owners}
    org_of_activity = {activity.pk: unit_org[activity.unit_id] for activity in activities}
    events = [
        AccessEvent(
            at=p.created_at,
            actor_id=p.created_by_id,
            actor_name=usernames.get(p.created_by_id, "system"),
            organisation_id=org_of_activity[p.activity.pk],
            action=Action.CREATE,
            part=Part.RECORD,
            participant_id=participant_of[p.enrollment_id],
            enrollment_id=p.enrollment_id,
            object_type="activities.participation",
            object_id=str(p.pk),
            changes={"activity": [None, p.activity.pk], "start_date": [None, str(p.start_date)]},
        )
        for p in participations
    ]
    AccessEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    at_field = AccessEvent._meta.get_field("at")
    prepared_at = {
        pk: at_field.get_db_prep_save(batch.recorded_at, connection)
        for pk, batch in batches.items()
    }
    _insert(
        AccessEvent,
        [
            "at",
            "actor",
            "actor_name",
            "organisation",
            "action",
            "part",
            "participant",
            "enrollment",
            "object_type",
            "object_id",
            "changes",
            "consent_id",
            "summary",
        ],
        [
            (
                prepared_at[session.pk],
                batches[session.pk].recorded_by_id,
                usernames.get(batches[session.pk].recorded_by_id, "system"),
                org_of_activity[session.activity.pk],
                Action.CREATE.value,
                Part.RECORD.value,
                participant_of[enrollment],
                enrollment,
                "activities.attendance",
                str(attendance_pk[(session.pk, enrollment)]),
                connection.ops.adapt_json_value(
                    {
                        "session": session.date.isoformat(),
                        "status": [None, status],
                        "hours": [None, str(hours)],
                    },
                    None,
                ),
                None,
                "",
            )
            for session, _p, enrollment, status, hours in marks
        ],
    )
    return ActivitiesSummary(
        activity_types=len(types),
        activities=len(activities),
        sessions=len(sessions),
        participations=len(participations),
        attendances=len(marks),
        access_events=len(events) + len(marks),
    )


__all__ = ["ActivitiesSummary", "write_activities"]
