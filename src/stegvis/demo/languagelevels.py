"""Language results for the demo: SFI courses over time, a few SAS grund and CEFR results.

Most demo participants study SFI alongside the programme (as in the Lerum report, where all
did): about nine in ten of those in a language course, seven in ten of the others. The study
path follows the years of schooling (path 1 up to 6 years, path 2 up to 12, path 3 above).
Each starts with a placement (the course they study, not graded yet) around the start date;
then, every few months while enrolled, they pass the course (mostly grades E–C), fail it
(F, and try again), or stop. About one in ten has the placement only (and those who joined
recently have no grade yet): a missing follow-up, shown as such. Some who pass SFI D go on to
SAS grund. About one in ten is also assessed on the CEFR scale in two or three skills by a
teacher; a few report their own level. About seven in ten of those with a follow-up improve
by at least one level: under the funders' 80 % target, above Lerum's 44 %.

Deterministic: one ``random.Random`` per seed, enrollments in pk order. Bulk-inserted, with
the audit rows the services would have written. Call inside the demo's transaction.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Min, OuterRef
from django.utils import timezone

from stegvis.access.audit import diff, snapshot
from stegvis.access.models import AccessEvent, Action, Part
from stegvis.activities.models import FunderCategory, Participation
from stegvis.languagelevels.models import (
    COURSES_OF_PATH,
    RESULT_FIELDS,
    CefrLevel,
    LanguageResult,
    ResultKind,
    Skill,
    Source,
)
from stegvis.organisations.models import Membership
from stegvis.participants.models import Enrollment

BATCH_SIZE = 1000
IN_COURSE_SHARE = 0.9
OTHERS_SHARE = 0.7
PLACEMENT_ONLY_SHARE = 0.1
# At each later result: stop (below STOP_SHARE), pass (below PASS_BELOW) or fail.
STOP_SHARE = 0.12
PASS_BELOW = 0.6
CEFR_SHARE = 0.1
SELF_REPORTED_SHARE = 0.03
# Months between results, by study path (path 1 is slower).
STEP_MONTHS = {1: (4, 8), 2: (3, 6), 3: (3, 5)}
PASS_GRADES = (("E", 40), ("D", 25), ("C", 20), ("B", 10), ("A", 5))
CEFR_LEVELS = CefrLevel.values


@dataclass(frozen=True)
class LanguageSummary:
    results: int
    enrollments: int
    access_events: int


def _path(years_of_schooling: int | None, rng: random.Random) -> int:
    if years_of_schooling is None:
        return rng.choice((1, 2, 2, 3))
    if years_of_schooling <= 6:
        return 1
    return 2 if years_of_schooling <= 12 else 3


def _pick(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _w in pairs], [w for _v, w in pairs])[0]


def _sfi_results(
    rng: random.Random, path: int, start: datetime.date, last_day: datetime.date
) -> list[dict[str, Any]]:
    """Placement, then pass / fail / stop every few months until the last day."""
    courses = COURSES_OF_PATH[path]
    index = 0 if rng.random() < 0.6 else min(1, len(courses) - 1)
    # Many already study SFI when they join: the placement is at or a little before the start.
    day = start - datetime.timedelta(days=rng.randrange(45))
    rows: list[dict[str, Any]] = [
        {"kind": ResultKind.SFI, "study_path": path, "course": courses[index], "grade": ""}
    ]
    days = [day]
    if rng.random() < PLACEMENT_ONLY_SHARE:
        return [dict(row, result_date=d) for row, d in zip(rows, days, strict=True)]
    on_sas = False
    low, high = STEP_MONTHS[path]
    months = rng.randint(2, 5)  # the first grade: many were studying the course already
    while True:
        day = day + datetime.timedelta(days=30 * months)
        months = rng.randint(low, high)
        if day > last_day:
            break
        roll = rng.random()
        if roll < STOP_SHARE:  # stopped: no more results
            break
        if on_sas:
            grade = _pick(rng, PASS_GRADES) if roll < 0.75 else "F"
            rows.append({"kind": ResultKind.SAS, "grade": grade})
            days.append(day)
            if grade != "F":
                break
            continue
        grade = _pick(rng, PASS_GRADES) if roll < PASS_BELOW else "F"
        rows.append(
            {"kind": ResultKind.SFI, "study_path": path, "course": courses[index], "grade": grade}
        )
        days.append(day)
        if grade == "F":
            continue
        if index + 1 < len(courses):
            index += 1
        elif rng.random() < 0.4:
            on_sas = True  # SFI D passed: some go on to SAS grund
        else:
            break
    return [dict(row, result_date=d) for row, d in zip(rows, days, strict=True)]


def _cefr_results(
    rng: random.Random, path: int, start: datetime.date, last_day: datetime.date
) -> list[dict[str, Any]]:
    skills = rng.sample(list(Skill.values), rng.choice((2, 3)))
    first_day = start + datetime.timedelta(days=rng.randrange(30))
    later = first_day + datetime.timedelta(days=30 * rng.randint(4, 9))
    rows: list[dict[str, Any]] = []
    for skill in skills:
        level = min(path - 1 + rng.randrange(2), 3)  # pre-A1 … B1
        rows.append({"kind": ResultKind.CEFR, "skill": skill, "cefr_level": CEFR_LEVELS[level]})
        rows[-1]["result_date"] = first_day
        if later <= last_day and rng.random() < 0.8:
            step = 1 if rng.random() < 0.6 else 0
            rows.append(
                {
                    "kind": ResultKind.CEFR,
                    "skill": skill,
                    "cefr_level": CEFR_LEVELS[level + step],
                    "result_date": later,
                }
            )
    return [row for row in rows if row["result_date"] <= last_day]


def write_language_results(*, seed: int, today: datetime.date) -> LanguageSummary:
    """Write language results for most demo enrollments (none twice: only those without)."""
    rng = random.Random(f"stegvis-demo-language-{seed}")
    unit_member = dict(
        Membership.objects.values("unit_id")
        .annotate(first_user=Min("user_id"))
        .values_list("unit_id", "first_user")
    )
    users = dict(Membership.objects.values_list("user_id", "user__username"))
    in_course = Participation.objects.filter(
        enrollment_id=OuterRef("pk"),
        activity__activity_type__funder_category=FunderCategory.LANGUAGE_COURSE,
    )
    rows = (
        Enrollment.objects.filter(language_results__isnull=True)
        .annotate(in_course=Exists(in_course))
        .order_by("pk")
        .values_list(
            "pk",
            "participant_id",
            "unit_id",
            "unit__organisation_id",
            "start_date",
            "end_date",
            "participant__years_of_schooling",
            "created_by_id",
            "in_course",
        )
    )
    results: list[LanguageResult] = []
    meta: dict[int, tuple[int, int, int]] = {}  # enrollment: participant, organisation, user
    for pk, participant_id, unit_id, org_id, start, end, schooling, creator, course in rows:
        if rng.random() >= (IN_COURSE_SHARE if course else OTHERS_SHARE):
            continue
        user_id = creator if creator in users else unit_member.get(unit_id)
        if user_id is None or start > today:
            continue
        last_day = min(end or today, today)
        path = _path(schooling, rng)
        found = _sfi_results(rng, path, start, last_day)
        if rng.random() < CEFR_SHARE:
            found += _cefr_results(rng, path, start, last_day)
        self_reported = rng.random() < SELF_REPORTED_SHARE
        for values in found:
            source = Source.SCHOOL_RESULT
            if values["kind"] == ResultKind.CEFR:
                source = Source.SELF_REPORTED if self_reported else Source.TEACHER_ASSESSMENT
            day = values["result_date"]
            recorded = timezone.make_aware(
                datetime.datetime.combine(
                    min(day + datetime.timedelta(days=rng.randrange(10)), today),
                    datetime.time(8 + rng.randrange(9), rng.randrange(60)),
                )
            )
            results.append(
                LanguageResult(
                    enrollment_id=pk,
                    source=source,
                    recorded_by_id=user_id,
                    recorded_at=recorded,
                    updated_at=recorded,
                    **values,
                )
            )
        meta[pk] = (participant_id, org_id, user_id)
    LanguageResult.objects.bulk_create(results, batch_size=BATCH_SIZE)
    events = [
        AccessEvent(
            at=result.recorded_at,
            actor_id=meta[result.enrollment_id][2],
            actor_name=users[meta[result.enrollment_id][2]],
            organisation_id=meta[result.enrollment_id][1],
            action=Action.CREATE,
            part=Part.ASSESSMENTS,
            participant_id=meta[result.enrollment_id][0],
            enrollment_id=result.enrollment_id,
            object_type=result._meta.label_lower,
            object_id=str(result.pk),
            changes=diff(
                {}, snapshot(result, [name for name in RESULT_FIELDS if getattr(result, name)])
            ),
        )
        for result in results
    ]
    AccessEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    return LanguageSummary(results=len(results), enrollments=len(meta), access_events=len(events))


__all__ = ["LanguageSummary", "write_language_results"]
