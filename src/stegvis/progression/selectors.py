"""Reads of assessments, due measurements, radar charts and cohort progression.

Everything about participants starts from the access layer. Comparing rounds: a participant's
*first* and *latest* assessment of an instrument are compared on the dimensions both rounds
answered with the same scale (same dimension code, same lowest and highest value), so a new
instrument version compares where it still means the same and nowhere else. A dimension's
score is the mean of its answered items; the overall score is the mean of the comparable
dimensions' scores. "Don't know" answers are left out. Participants with one rating are
counted as lacking a follow-up, never dropped.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.access.models import Part
from stegvis.access.policy import enrollments_for, register
from stegvis.access.scope import scope_for
from stegvis.activities.models import Participation
from stegvis.organisations.models import Programme
from stegvis.outcomes.models import months_after
from stegvis.participants.models import Enrollment, EnrollmentStatus
from stegvis.reporting.selectors import Count_, suppress

from . import stats
from .models import (
    Answer,
    Assessment,
    Instrument,
    InstrumentVersion,
    Item,
    ItemKind,
    MeasurementPoint,
    MeasurementSchedule,
    SelfServiceLink,
)

DIMENSION_LABELS = {
    "language": _("Swedish"),
    "participation": _("Participation in society"),
    "work_belief": _("Belief in work"),
    "health": _("Health"),
    "everyday_life": _("Everyday life"),
    "cooperation": _("Cooperation"),
    "job_search": _("Job search"),
    "network": _("Network"),
    "caseworker_belief": _("Caseworker's belief in work"),
}


def dimension_label(code: str) -> str:
    return str(DIMENSION_LABELS.get(code, code.replace("_", " ")))


def register_with_access_layer() -> None:
    register(
        Assessment,
        queryset=lambda actor, part: Assessment.objects.filter(
            enrollment__in=enrollments_for(actor, part=Part.ASSESSMENTS)
        ).select_related("enrollment__participant", "version__instrument", "assisted_by"),
        enrollment_of=lambda obj: obj.enrollment,
        participant_id_of=lambda obj: obj.enrollment.participant_id,
    )


def published_versions() -> QuerySet[InstrumentVersion]:
    """The newest published version of each instrument (what new assessments use)."""
    newer = InstrumentVersion.objects.filter(
        instrument_id=OuterRef("instrument_id"),
        published_at__isnull=False,
        number__gt=OuterRef("number"),
    )
    return (
        InstrumentVersion.objects.filter(published_at__isnull=False)
        .exclude(Exists(newer))
        .select_related("instrument")
        .order_by("instrument__name")
    )


def assessments_of(enrollment: Enrollment) -> QuerySet[Assessment]:
    """For an enrollment already fetched (and logged) through the access layer."""
    return (
        Assessment.objects.filter(enrollment=enrollment)
        .select_related("version__instrument", "assisted_by")
        .order_by("-date", "-pk")
    )


def open_links_of(enrollment: Enrollment) -> QuerySet[SelfServiceLink]:
    return SelfServiceLink.objects.filter(
        enrollment=enrollment, used_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("version__instrument")


# --- Due and overdue measurements ------------------------------------------------------------

DUE_SOON_DAYS = 14
DEFAULT_SCHEDULE = MeasurementSchedule(
    start_within_days=14, follow_up_months=3, exit_within_days=30
)


START, FOLLOW_UP, EXIT = 1, 2, 3
NEED_LABELS = {
    START: MeasurementPoint.START.label,
    FOLLOW_UP: MeasurementPoint.FOLLOW_UP.label,
    EXIT: MeasurementPoint.EXIT.label,
}


def _months_before(day: datetime.date, months: int) -> datetime.date:
    return months_after(day, -months)


def measurements_due(*, actor: Any, today: datetime.date | None = None) -> QuerySet[Enrollment]:
    """The actor's own enrollments with a measurement due within DUE_SOON_DAYS or overdue.

    Annotated with ``need`` (START, FOLLOW_UP or EXIT) and ``last_assessed``. A start rating is
    due ``start_within_days`` after enrollment; a follow-up ``follow_up_months`` after the
    latest rating while active; an exit questionnaire within ``exit_within_days`` of leaving.
    """
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    scope = scope_for(actor)
    own = Q(unit_id__in=scope.staff_unit_ids) | Q(partner_id__in=scope.coordinator_partner_ids)
    enrollments = enrollments_for(actor, part=Part.ASSESSMENTS).filter(own)
    programme_ids = set(enrollments.values_list("programme_id", flat=True).distinct())
    schedules = {
        s.programme_id: s
        for s in MeasurementSchedule.objects.filter(programme_id__in=programme_ids)
    }

    has_start = Exists(
        Assessment.objects.filter(enrollment_id=OuterRef("pk"), point=MeasurementPoint.START)
    )
    has_exit = Exists(
        Assessment.objects.filter(enrollment_id=OuterRef("pk"), point=MeasurementPoint.EXIT)
    )
    start_q, follow_q, exit_q = Q(pk__in=[]), Q(pk__in=[]), Q(pk__in=[])
    for programme_id in programme_ids:
        schedule = schedules.get(programme_id, DEFAULT_SCHEDULE)
        in_programme = Q(programme_id=programme_id)
        # Start due on start_date + N days <= soon  <=>  start_date <= soon - N days.
        start_q |= in_programme & Q(
            start_date__lte=soon - datetime.timedelta(days=schedule.start_within_days)
        )
        if schedule.follow_up_months:
            follow_q |= in_programme & Q(
                last_assessed__lte=_months_before(soon, schedule.follow_up_months)
            )
        # Exit questionnaire: left, and the window has not closed more than a while ago.
        exit_q |= in_programme & Q(
            end_date__gte=today - datetime.timedelta(days=schedule.exit_within_days + 60)
        )
    active = Q(status=EnrollmentStatus.ACTIVE)
    exited = Q(status=EnrollmentStatus.EXITED)
    return (
        enrollments.annotate(
            has_start=has_start,
            has_exit=has_exit,
            last_assessed=Max("assessments__date"),
        )
        .annotate(
            need=Case(
                When(active & Q(has_start=False) & start_q, then=Value(START)),
                When(active & Q(has_start=True) & follow_q, then=Value(FOLLOW_UP)),
                When(exited & Q(has_exit=False) & exit_q, then=Value(EXIT)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .filter(need__gt=0)
        .select_related("participant", "unit", "partner__organisation", "programme")
        .order_by("need", "start_date", "pk")
    )


@dataclass(frozen=True)
class DueRow:
    enrollment: Enrollment
    need: str
    due: datetime.date
    overdue: bool


def due_rows(
    enrollments: list[Enrollment],
    *,
    today: datetime.date,
    schedules: dict[int, MeasurementSchedule],
) -> list[DueRow]:
    """Due dates for a page of ``measurements_due`` (no queries)."""
    rows = []
    for enrollment in enrollments:
        schedule = schedules.get(enrollment.programme_id, DEFAULT_SCHEDULE)
        need = enrollment.need  # type: ignore[attr-defined]
        if need == START:
            due = enrollment.start_date + datetime.timedelta(days=schedule.start_within_days)
        elif need == FOLLOW_UP:
            due = months_after(enrollment.last_assessed, schedule.follow_up_months)  # type: ignore[attr-defined]
        else:
            due = (enrollment.end_date or today) + datetime.timedelta(
                days=schedule.exit_within_days
            )
        rows.append(DueRow(enrollment, str(NEED_LABELS[need]), due, due < today))
    return rows


def schedules_for(enrollments: list[Enrollment]) -> dict[int, MeasurementSchedule]:
    ids = {e.programme_id for e in enrollments}
    return {s.programme_id: s for s in MeasurementSchedule.objects.filter(programme_id__in=ids)}


# --- Scores ----------------------------------------------------------------------------------


@dataclass
class Round:
    assessment_id: int
    enrollment_id: int
    date: datetime.date
    version_id: int
    point: str
    # dimension -> (mean of answered items, (scale_min, scale_max))
    dimensions: dict[str, tuple[float, tuple[int, int]]] = field(default_factory=dict)


def rounds_for(assessments: QuerySet[Assessment]) -> list[Round]:
    """Dimension scores of each assessment, averaged in the database (one query)."""
    rows = (
        Answer.objects.filter(
            assessment__in=assessments, item__kind=ItemKind.SCALE, value__isnull=False
        )
        .values(
            "assessment_id",
            "assessment__enrollment_id",
            "assessment__date",
            "assessment__version_id",
            "assessment__point",
            "item__dimension",
            "item__scale_min",
            "item__scale_max",
        )
        .annotate(mean=Avg("value"))
        .order_by("assessment__date", "assessment_id", "item__dimension")
    )
    rounds: dict[int, Round] = {}
    for row in rows:
        round_ = rounds.setdefault(
            row["assessment_id"],
            Round(
                row["assessment_id"],
                row["assessment__enrollment_id"],
                row["assessment__date"],
                row["assessment__version_id"],
                row["assessment__point"],
            ),
        )
        round_.dimensions[row["item__dimension"]] = (
            float(row["mean"]),
            (row["item__scale_min"], row["item__scale_max"]),
        )
    return list(rounds.values())


def comparable_dimensions(first: Round, latest: Round) -> list[str]:
    return sorted(
        dimension
        for dimension, (_score, scale) in first.dimensions.items()
        if dimension in latest.dimensions and latest.dimensions[dimension][1] == scale
    )


def change_between(first: Round, latest: Round) -> float | None:
    """Latest minus first overall score on the comparable dimensions (None: none comparable)."""
    dimensions = comparable_dimensions(first, latest)
    if not dimensions:
        return None
    before = sum(first.dimensions[d][0] for d in dimensions) / len(dimensions)
    after = sum(latest.dimensions[d][0] for d in dimensions) / len(dimensions)
    return after - before


# --- Radar chart -----------------------------------------------------------------------------

RADAR_SIZE = 320
RADAR_RADIUS = 110
RADAR_STYLES = ["", "6 4", "2 3", "10 3 2 3"]  # dash patterns: rounds differ by more than colour


@dataclass
class RadarChart:
    instrument: Instrument
    dimensions: list[tuple[str, str]]  # code, label
    rounds: list[dict[str, Any]]
    axes: list[dict[str, Any]]
    grid: list[str]
    scale: tuple[int, int]

    @property
    def table(self) -> list[tuple[str, list[float | None]]]:
        return [
            (label, [round_["values"][i] for round_ in self.rounds])
            for i, (_code, label) in enumerate(self.dimensions)
        ]


def radar_charts(enrollment: Enrollment) -> list[RadarChart]:
    """One chart per instrument with scale items: the first and up to three latest rounds."""
    assessments = Assessment.objects.filter(enrollment=enrollment)
    by_instrument: dict[int, list[Round]] = defaultdict(list)
    version_instrument = dict(
        InstrumentVersion.objects.filter(assessments__enrollment=enrollment).values_list(
            "pk", "instrument_id"
        )
    )
    for round_ in rounds_for(assessments):
        by_instrument[version_instrument[round_.version_id]].append(round_)
    instruments = Instrument.objects.in_bulk(list(by_instrument))
    # Axes: every scale dimension of the versions answered, answered this time or not.
    dimensions: dict[int, set[str]] = defaultdict(set)
    for version_id, dimension in Item.objects.filter(
        version_id__in=list(version_instrument), kind=ItemKind.SCALE
    ).values_list("version_id", "dimension"):
        dimensions[version_id].add(dimension)
    charts = []
    for instrument_id, rounds in by_instrument.items():
        shown = rounds if len(rounds) <= 4 else [rounds[0], *rounds[-3:]]
        codes = sorted({d for r in shown for d in dimensions[r.version_id]})
        if len(codes) < 3:
            continue  # a radar needs three axes; the table on the page still lists them
        scale = next(iter(shown[0].dimensions.values()))[1]
        charts.append(_radar(instruments[instrument_id], codes, shown, scale))
    return charts


def _point(index: int, count: int, fraction: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    centre = RADAR_SIZE / 2
    return (
        round(centre + RADAR_RADIUS * fraction * math.cos(angle), 1),
        round(centre + RADAR_RADIUS * fraction * math.sin(angle), 1),
    )


def _radar(
    instrument: Instrument, codes: list[str], rounds: list[Round], scale: tuple[int, int]
) -> RadarChart:
    low, high = scale
    count = len(codes)
    grid = [
        " ".join(f"{x},{y}" for x, y in (_point(i, count, level / 4) for i in range(count)))
        for level in (1, 2, 3, 4)
    ]
    axes = []
    for i, code in enumerate(codes):
        x, y = _point(i, count, 1)
        lx, ly = _point(i, count, 1.18)
        # Strings, so that the template's number localisation (decimal comma) never reaches SVG.
        axes.append(
            {"x": str(x), "y": str(y), "lx": str(lx), "ly": str(ly), "label": dimension_label(code)}
        )
    drawn = []
    for n, round_ in enumerate(rounds):
        points = []
        values = []
        for i, code in enumerate(codes):
            value = round_.dimensions.get(code)
            values.append(round(value[0], 1) if value else None)
            fraction = (value[0] - low) / (high - low) if value and high > low else 0
            points.append("{},{}".format(*_point(i, count, max(0.0, min(1.0, fraction)))))
        drawn.append(
            {
                "date": round_.date,
                "point": MeasurementPoint(round_.point).label,
                "points": " ".join(points),
                "values": values,
                "dash": RADAR_STYLES[n % len(RADAR_STYLES)],
                "colour": n % len(RADAR_STYLES),
            }
        )
    return RadarChart(
        instrument=instrument,
        dimensions=[(code, dimension_label(code)) for code in codes],
        rounds=drawn,
        axes=axes,
        grid=grid,
        scale=scale,
    )


# --- Cohort progression ----------------------------------------------------------------------

GROUPINGS = {"partner": _("Partner"), "track": _("Track"), "activity_type": _("Activity type")}


@dataclass(frozen=True)
class CohortRow:
    label: str
    assessed: Count_
    both_rounds: Count_
    improved: Count_
    share_improved: float | None
    change: stats.MeanChange | None
    lacking_follow_up: Count_
    not_comparable: Count_
    hidden: bool


def cohort_enrollments(actor: Any, programme: Programme) -> tuple[QuerySet[Enrollment], bool]:
    """Enrollments the actor may see progression of, and whether small counts are shown.

    Staff and coordinators: their own organisation's enrollments (record access). Programme
    managers and analysts: the whole programme, with counts under five suppressed.
    """
    scope = scope_for(actor)
    if scope.has_record_access:
        own = Q(unit_id__in=scope.staff_unit_ids) | Q(partner_id__in=scope.coordinator_partner_ids)
        return enrollments_for(actor, part=Part.ASSESSMENTS).filter(own, programme=programme), True
    if programme.pk in scope.aggregate_programme_ids:
        return Enrollment.objects.filter(programme=programme), False
    return Enrollment.objects.none(), False


def cohort_programmes(actor: Any) -> QuerySet[Programme]:
    scope = scope_for(actor)
    if scope.has_record_access:
        ids = enrollments_for(actor, part=Part.ASSESSMENTS).values("programme_id")
        return Programme.objects.filter(pk__in=ids)
    return Programme.objects.filter(pk__in=scope.aggregate_programme_ids)


def cohort_progression(
    *,
    enrollments: QuerySet[Enrollment],
    instrument: Instrument,
    grouping: str,
    record_access: bool,
) -> list[CohortRow]:
    """Per group: people assessed, with both rounds, share improved, mean change with 95 % CI,
    lacking a follow-up. Three queries whatever the number of people."""
    assessments = Assessment.objects.filter(
        enrollment__in=enrollments, version__instrument=instrument
    )
    per_enrollment: dict[int, list[Round]] = defaultdict(list)
    for round_ in rounds_for(assessments):
        per_enrollment[round_.enrollment_id].append(round_)

    groups: dict[int, set[str]] = defaultdict(set)
    ids = list(per_enrollment)
    if grouping == "activity_type":
        for enrollment_id, name in Participation.objects.filter(enrollment_id__in=ids).values_list(
            "enrollment_id", "activity__activity_type__name"
        ):
            groups[enrollment_id].add(name)
    else:
        field_name = "partner__organisation__name" if grouping == "partner" else "track__name"
        for enrollment_id, name in Enrollment.objects.filter(pk__in=ids).values_list(
            "pk", field_name
        ):
            groups[enrollment_id].add(name or str(_("No track")))

    changes: dict[str, list[float]] = defaultdict(list)
    assessed: dict[str, int] = defaultdict(int)
    lacking: dict[str, int] = defaultdict(int)
    not_comparable: dict[str, int] = defaultdict(int)
    for enrollment_id, rounds in per_enrollment.items():
        change = change_between(rounds[0], rounds[-1]) if len(rounds) > 1 else None
        for label in groups.get(enrollment_id) or {str(_("None"))}:
            assessed[label] += 1
            if len(rounds) < 2:
                lacking[label] += 1
            elif change is None:
                not_comparable[label] += 1
            else:
                changes[label].append(change)

    rows = []
    for label in sorted(assessed):
        values = changes[label]
        improved = sum(1 for value in values if value > 0)
        hidden = not record_access and len(values) <= 4
        rows.append(
            CohortRow(
                label=label,
                assessed=suppress(assessed[label], record_access=record_access),
                both_rounds=suppress(len(values), record_access=record_access),
                improved=suppress(improved, record_access=record_access),
                share_improved=None if hidden or not values else improved / len(values),
                change=None if hidden else stats.mean_change(values),
                lacking_follow_up=suppress(lacking[label], record_access=record_access),
                not_comparable=suppress(not_comparable[label], record_access=record_access),
                hidden=hidden,
            )
        )
    return rows


# --- Exit questionnaire (for the funder's indicators) ----------------------------------------


def exit_answers(*, enrollments: QuerySet[Enrollment], item_code: str) -> dict[str, int]:
    """People per answer to an exit-questionnaire choice item, from each enrollment's latest
    exit questionnaire: {"yes": n, "partly": n, "no": n, "dont_know": n, "skipped": n}.

    ``helped-integration`` feeds the AMIF result "helpful for integration" (yes only by
    default; yes + partly if the programme's definition says so). Two queries.
    """
    latest = (
        Assessment.objects.filter(
            enrollment_id=OuterRef("assessment__enrollment_id"),
            version__instrument__kind="exit_questionnaire",
        )
        .order_by("-date", "-pk")
        .values("pk")[:1]
    )
    rows = list(
        Answer.objects.filter(
            assessment__enrollment__in=enrollments,
            assessment__version__instrument__kind="exit_questionnaire",
            item__code=item_code,
            assessment_id=Subquery(latest),
        )
        .values("item_id", "value")
        .annotate(n=Count("pk"))
        .order_by()
    )
    choices_of = dict(
        Item.objects.filter(pk__in={row["item_id"] for row in rows}).values_list("pk", "choices")
    )
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        choices = choices_of.get(row["item_id"]) or []
        value = row["value"]
        code = choices[value - 1] if value and 0 < value <= len(choices) else "skipped"
        counts[code] += row["n"]
    return dict(counts)
