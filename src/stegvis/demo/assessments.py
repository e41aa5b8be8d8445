"""Self-ratings and exit questionnaires for the demo's enrollments.

Most enrollments have a start rating (SKAPA-style, 1-10) within two weeks of starting; while
active, a follow-up every three months is usually done; exited enrollments mostly have an
exit rating and the exit questionnaire. About one in eight has no rating at all and some
follow-ups are skipped, so the "lacking a follow-up" figures have something to count. Ratings
drift upwards a little over time, with noise. Most are staff-assisted (some with an
interpreter), the rest answered on a one-time link.

Deterministic: one ``random.Random`` per seed, enrollments in pk order. Bulk-inserted, with
the audit rows the services would have written. Call inside the demo's transaction.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.organisations.models import Membership, Role
from stegvis.outcomes.models import months_after
from stegvis.participants.models import Enrollment, EnrollmentStatus
from stegvis.progression.models import (
    Answer,
    Assessment,
    AssessmentMode,
    Instrument,
    InstrumentVersion,
    Item,
    MeasurementPoint,
)
from stegvis.progression.services import bundled_instruments_load

BATCH_SIZE = 1000
NO_RATING_SHARE = 0.12
FOLLOW_UP_DONE_SHARE = 0.7
EXIT_RATING_SHARE = 0.75
SELF_SERVICE_SHARE = 0.3
INTERPRETER_SHARE = 0.3
LANGUAGES = (
    ("sv", 30),
    ("sv-easy", 20),
    ("ar", 20),
    ("prs", 8),
    ("fa", 5),
    ("so", 7),
    ("ti", 6),
    ("uk", 4),
)


@dataclass(frozen=True)
class AssessmentsSummary:
    assessments: int
    answers: int
    access_events: int


def _language(rng: random.Random) -> str:
    codes, weights = zip(*LANGUAGES, strict=True)
    return rng.choices(codes, weights=weights)[0]


def _assessment(
    rng: random.Random,
    helpers: list[tuple[int, str]] | None,
    enrollment_id: int,
    language: str,
    point: str,
    day: datetime.date,
    version: InstrumentVersion,
) -> Assessment:
    assisted = bool(helpers) and rng.random() >= SELF_SERVICE_SHARE
    return Assessment(
        enrollment_id=enrollment_id,
        version=version,
        point=point,
        date=day,
        language=language,
        mode=AssessmentMode.ASSISTED if assisted else AssessmentMode.SELF,
        assisted_by_id=rng.choice(helpers)[0] if assisted and helpers else None,
        interpreter_used=assisted and rng.random() < INTERPRETER_SHARE,
        completed_at=timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(10, rng.randint(0, 59)))
        ),
    )


def _ratings(
    rng: random.Random, items: list[Item], base: list[int], drift: float, step: int
) -> list[Answer]:
    """Ratings ``step`` quarters after the start: the base plus drift and noise, a few skipped."""
    answers = []
    for item, value in zip(items, base, strict=True):
        moved = value + drift * step + rng.gauss(0, 0.8)
        skipped = rng.random() < 0.03
        answers.append(Answer(item=item, value=None if skipped else max(1, min(10, round(moved)))))
    return answers


def write_assessments(*, seed: int, today: datetime.date) -> AssessmentsSummary:
    rng = random.Random(f"{seed}-assessments")
    # The data migration loads them; a flushed test database needs them again.
    bundled_instruments_load()
    rating = Instrument.objects.get(code="self-rating").current_version()
    questionnaire = Instrument.objects.get(code="exit-questionnaire").current_version()
    assert rating is not None and questionnaire is not None
    rating_items = list(rating.items.order_by("position"))
    questionnaire_items = list(questionnaire.items.order_by("position"))

    staff: dict[int, list[tuple[int, str]]] = {}
    for unit_id, user_id, username in Membership.objects.filter(
        role=Role.STAFF, is_active=True
    ).values_list("unit_id", "user_id", "user__username"):
        staff.setdefault(unit_id, []).append((user_id, username))

    planned: list[tuple[Assessment, list[Answer], int, int]] = []
    enrollments = Enrollment.objects.order_by("pk").values_list(
        "pk",
        "participant_id",
        "unit_id",
        "unit__organisation_id",
        "start_date",
        "end_date",
        "status",
    )
    for pk, participant_id, unit_id, organisation_id, start, end, status in enrollments:
        if rng.random() < NO_RATING_SHARE:
            continue
        last_day = min(end or today, today)
        base = [rng.randint(1, 6) for _ in rating_items]
        drift = rng.uniform(0.0, 0.6)  # points per three months
        language = _language(rng)

        start_day = start + datetime.timedelta(days=rng.randint(0, 14))
        if start_day > last_day:
            continue
        planned.append(
            (
                _assessment(
                    rng, staff.get(unit_id), pk, language, MeasurementPoint.START, start_day, rating
                ),
                _ratings(rng, rating_items, base, drift, 0),
                participant_id,
                organisation_id,
            )
        )
        step = 1
        day = months_after(start_day, 3)
        while day < last_day:
            if rng.random() < FOLLOW_UP_DONE_SHARE:
                planned.append(
                    (
                        _assessment(
                            rng,
                            staff.get(unit_id),
                            pk,
                            language,
                            MeasurementPoint.FOLLOW_UP,
                            day,
                            rating,
                        ),
                        _ratings(rng, rating_items, base, drift, step),
                        participant_id,
                        organisation_id,
                    )
                )
            step += 1
            day = months_after(start_day, 3 * step)
        if status == EnrollmentStatus.EXITED and end and rng.random() < EXIT_RATING_SHARE:
            months = max(0.0, (end - start_day).days / 91)
            planned.append(
                (
                    _assessment(
                        rng, staff.get(unit_id), pk, language, MeasurementPoint.EXIT, end, rating
                    ),
                    _ratings(rng, rating_items, base, drift, round(months)),
                    participant_id,
                    organisation_id,
                )
            )
            exit_answers = [
                Answer(
                    item=questionnaire_items[0],
                    value=rng.choices([1, 2, 3, 4], weights=[55, 25, 10, 10])[0],
                ),
                Answer(
                    item=questionnaire_items[1],
                    value=rng.choices([1, 2, 3], weights=[60, 25, 15])[0],
                ),
                Answer(item=questionnaire_items[2], text=""),
            ]
            planned.append(
                (
                    _assessment(
                        rng,
                        staff.get(unit_id),
                        pk,
                        language,
                        MeasurementPoint.EXIT,
                        end,
                        questionnaire,
                    ),
                    exit_answers,
                    participant_id,
                    organisation_id,
                )
            )

    assessments = Assessment.objects.bulk_create([p[0] for p in planned], batch_size=BATCH_SIZE)
    answers: list[Answer] = []
    events: list[AccessEvent] = []
    usernames = {user_id: name for members in staff.values() for user_id, name in members}
    for assessment, (_a, rows, participant_id, organisation_id) in zip(
        assessments, planned, strict=True
    ):
        for row in rows:
            row.assessment = assessment
            answers.append(row)
        actor_id = assessment.assisted_by_id
        events.append(
            AccessEvent(
                at=assessment.completed_at,
                actor_id=actor_id,
                actor_name=usernames[actor_id] if actor_id else "self-service link",
                organisation_id=organisation_id,
                action=Action.CREATE,
                part=Part.ASSESSMENTS,
                participant_id=participant_id,
                enrollment_id=assessment.enrollment_id,
                object_type=assessment._meta.label_lower,
                object_id=str(assessment.pk),
                changes={"point": [None, assessment.point], "mode": [None, assessment.mode]},
            )
        )
    Answer.objects.bulk_create(answers, batch_size=BATCH_SIZE)
    AccessEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    InstrumentVersion.objects.filter(
        pk__in=[rating.pk, questionnaire.pk], frozen_at__isnull=True
    ).update(frozen_at=timezone.now())
    return AssessmentsSummary(
        assessments=len(assessments), answers=len(answers), access_events=len(events)
    )


__all__ = ["AssessmentsSummary", "write_assessments"]
