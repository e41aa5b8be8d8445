"""Reads of language results, and "improved by at least one level" computed in the database.

The definition (INDICATORS.md, "Language levels", and AMIF R.2.8): *"Improved at least one
level" = a higher passed SFI course, or a higher assessed CEFR level, at exit than at entry,
for participants in a language activity; without both levels the participant is "not
assessed"* (shown as missing data, never as "not improved").

How that reads on the level scales of ``models.py``, per enrollment:

- **Swedish scale** (SFI and SAS grund): the entry level is the highest level among the
  results on the earliest date; the exit level is the highest level reached (a passed course
  stays passed). Improved when exit > entry.
- **CEFR, per skill**: the entry level is the first assessment of that skill, the exit level
  the latest one (a new assessment replaces the old one). Improved when, for some skill, the
  latest assessment is later than the first and higher.
- *Assessed* (has entry and follow-up): results on at least two different dates on one scale.
  Improved implies assessed. One SFI result and one CEFR result are not comparable: not
  assessed.
- Improved by at least one level: improved on the Swedish scale **or** on any CEFR skill.
- Counted per enrollment: a person enrolled twice counts in each enrollment, with that
  enrollment's results only.
- Only assessed levels count: results the participant reported themselves are shown, but
  left out of entry and exit levels (the funder asks for an *assessed* level).

**Language participants** (the population): enrollments with a participation in an activity
whose type's funder category is "language course", or with at least one language result.
The selectors take an enrollments queryset and count what they are given: callers exclude
ineligible and unknown-eligibility enrollments, erroneous registrations and whatever else the
report leaves out (``stegvis.reporting``/``outcomes`` decide that, not this module).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from stegvis.access.models import Part
from stegvis.access.policy import enrollments_for, register, scoped_queryset
from stegvis.activities.models import FunderCategory, Participation
from stegvis.participants.models import Enrollment

from .models import (
    LEVEL,
    SWEDISH_LEVELS,
    SWEDISH_SCALE,
    CefrLevel,
    LanguageResult,
    ResultKind,
    Skill,
    Source,
)

SWEDISH_KINDS = (ResultKind.SFI, ResultKind.SAS)


def register_with_access_layer() -> None:
    # Language results are assessments: the own organisation, or one with a consent that
    # covers assessments (read-only).
    register(
        LanguageResult,
        queryset=lambda actor, part: LanguageResult.objects.filter(
            enrollment__in=enrollments_for(actor, part=part)
        ).select_related("enrollment__participant", "enrollment__unit"),
        enrollment_of=lambda obj: obj.enrollment,
        participant_id_of=lambda obj: obj.enrollment.participant_id,
    )


def results_of(*, actor: Any, enrollment: Enrollment) -> QuerySet[LanguageResult]:
    """The enrollment's language results, oldest first, through the access layer."""
    return (
        scoped_queryset(LanguageResult, actor=actor, part=Part.ASSESSMENTS)
        .filter(enrollment_id=enrollment.pk)
        .select_related("recorded_by")
        .order_by("result_date", "pk")
    )


# --- the computation, in the database ---------------------------------------------------------


def _assessed() -> QuerySet[LanguageResult]:
    """The results that count for levels: not reported by the participant."""
    return LanguageResult.objects.exclude(source=Source.SELF_REPORTED)


def _swedish(enrollment_ref: Any) -> Any:  # a queryset annotated with rank
    return (
        _assessed()
        .filter(enrollment_id=enrollment_ref, kind__in=SWEDISH_KINDS)
        .annotate(rank=LEVEL)
    )


def _same_skill() -> QuerySet[LanguageResult]:
    """CEFR results of the outer result's enrollment and skill."""
    return _assessed().filter(
        enrollment_id=OuterRef("enrollment_id"), kind=ResultKind.CEFR, skill=OuterRef("skill")
    )


def _cefr_flags() -> dict[str, Any]:
    """Exists-expressions over the outer enrollment's CEFR results: assessed / improved."""
    cefr = _assessed().filter(enrollment_id=OuterRef("pk"), kind=ResultKind.CEFR)
    first = _same_skill().annotate(rank=LEVEL).order_by("result_date", "pk")
    later_same_skill = _same_skill().filter(result_date__gt=OuterRef("result_date"))
    after_in_order = _same_skill().filter(
        Q(result_date__gt=OuterRef("result_date"))
        | Q(result_date=OuterRef("result_date"), pk__gt=OuterRef("pk"))
    )
    latest_rows = (
        cefr.annotate(
            rank=LEVEL,
            first_level=Subquery(first.values("rank")[:1]),
            first_date=Subquery(first.values("result_date")[:1]),
        )
        .exclude(Exists(after_in_order))
        .filter(result_date__gt=F("first_date"), rank__gt=F("first_level"))
    )
    return {
        "cefr_assessed": Exists(cefr.filter(Exists(later_same_skill))),
        "cefr_improved": Exists(latest_rows),
    }


def _swedish_entry(enrollment_ref: Any) -> Subquery:
    """The entry level on the Swedish scale: the highest level on the first date."""
    return Subquery(
        _swedish(enrollment_ref).order_by("result_date", "-rank").values("rank")[:1],
        output_field=IntegerField(),
    )


def language_level_flags() -> dict[str, Any]:
    """Boolean expressions over the outer enrollment (``OuterRef("pk")``), each standing
    alone, to merge into any ``Enrollment`` ``annotate()`` (the indicators use these):

    - ``language_assessed``: an entry and a later result on the same scale,
    - ``language_improved``: improved by at least one level (implies assessed).
    """
    swedish = _swedish(OuterRef("pk"))
    first_date = Subquery(
        _swedish(OuterRef(OuterRef("pk"))).order_by("result_date").values("result_date")[:1]
    )
    # The entry is the highest level on the first date, so any higher level is a later one.
    swedish_improved = Exists(swedish.filter(rank__gt=_swedish_entry(OuterRef(OuterRef("pk")))))
    swedish_assessed = Exists(swedish.filter(result_date__gt=first_date))
    cefr = _cefr_flags()
    return {
        "language_assessed": ExpressionWrapper(
            Q(swedish_assessed) | Q(cefr["cefr_assessed"]), output_field=BooleanField()
        ),
        "language_improved": ExpressionWrapper(
            Q(swedish_improved) | Q(cefr["cefr_improved"]), output_field=BooleanField()
        ),
    }


def language_progress(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """The enrollments annotated, in one query, with:

    - ``entry_level`` / ``exit_level``: the first and the latest level on the Swedish scale
      (SFI and SAS grund; 0 = before SFI A … 5 = SAS grund passed; None without SFI/SAS
      results). Entry = the highest on the first date; latest = the highest reached, since
      a passed course stays passed,
    - ``assessed``: an entry and a follow-up result on one scale (Swedish, or a CEFR skill),
    - ``improved_one_level``: the funder's "improved by at least one level",
    - ``results_count``: the number of results (self-reported ones included).

    Takes any enrollments queryset (see the module docstring: callers exclude ineligible).
    """
    flags = language_level_flags()
    return enrollments.annotate(
        entry_level=_swedish_entry(OuterRef("pk")),
        exit_level=Subquery(
            _swedish(OuterRef("pk")).order_by("-rank").values("rank")[:1],
            output_field=IntegerField(),
        ),
        assessed=flags["language_assessed"],
        improved_one_level=flags["language_improved"],
        results_count=Coalesce(
            Subquery(
                LanguageResult.objects.filter(enrollment_id=OuterRef("pk"))
                .order_by()
                .values("enrollment_id")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )


def language_participants(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Of the given enrollments, those in a language course or with a language result."""
    in_course = Participation.objects.filter(
        enrollment_id=OuterRef("pk"),
        activity__activity_type__funder_category=FunderCategory.LANGUAGE_COURSE,
    )
    with_result = LanguageResult.objects.filter(enrollment_id=OuterRef("pk"))
    return enrollments.filter(Q(Exists(in_course)) | Q(Exists(with_result)))


@contextmanager
def _without_jit(alias: str) -> Iterator[None]:
    """PostgreSQL's JIT compiles the correlated subqueries above for 0.2–5 s when it
    estimates them expensive, while running them takes milliseconds (2,500 enrollments);
    switch it off for this transaction only. Nothing to do on other databases."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def improved_one_level_counts(enrollments: QuerySet[Enrollment]) -> dict[str, int]:
    """Counts for the indicator "improved by at least one level", over the language
    participants among ``enrollments`` (one query):

    - ``population``: language participants (module docstring),
    - ``with_two_results``: assessed, i.e. an entry and a later result on the same scale,
    - ``improved``: improved by at least one level (always ≤ ``with_two_results``),
    - ``missing_followup``: population − with_two_results (no result, one result, or results
      on scales that cannot be compared): "not assessed", shown, never hidden,
    - ``without_results``: of those, no language result at all.

    The share for the funder's target is improved / with_two_results; report missing_followup
    next to it.
    """
    with _without_jit(enrollments.db):
        counts = language_progress(language_participants(enrollments)).aggregate(
            population=Count("pk"),
            with_two_results=Count("pk", filter=Q(assessed=True)),
            improved=Count("pk", filter=Q(improved_one_level=True)),
            without_results=Count("pk", filter=Q(results_count=0)),
        )
    result = {name: int(value or 0) for name, value in counts.items()}
    result["missing_followup"] = result["population"] - result["with_two_results"]
    return result


# --- one enrollment's history, for its page ---------------------------------------------------


@dataclass(frozen=True)
class Point:
    result: LanguageResult
    level: int


@dataclass(frozen=True)
class Series:
    """The results on one scale, oldest first, with their entry and exit levels."""

    scale: str
    label: str
    levels: tuple[str, ...]
    points: tuple[Point, ...]

    @property
    def entry(self) -> int:
        first_date = self.points[0].result.result_date
        return max(p.level for p in self.points if p.result.result_date == first_date)

    @property
    def exit(self) -> int:
        if self.scale == SWEDISH_SCALE:
            return max(p.level for p in self.points)
        return self.points[-1].level

    @property
    def assessed(self) -> bool:
        return len({p.result.result_date for p in self.points}) > 1

    @property
    def improved(self) -> bool:
        return self.assessed and self.exit > self.entry

    @property
    def entry_label(self) -> str:
        return self.levels[self.entry]

    @property
    def exit_label(self) -> str:
        return self.levels[self.exit]


def history(results: list[LanguageResult]) -> list[Series]:
    """One enrollment's results (already fetched) split by scale: Swedish first, then CEFR
    skills in their usual order. The same rules as ``language_progress``, for one page."""
    by_scale: dict[str, list[Point]] = {}
    for result in results:
        level = result.level
        if level is not None and result.counted:
            by_scale.setdefault(result.scale, []).append(Point(result, level))
    series = []
    if SWEDISH_SCALE in by_scale:
        series.append(
            Series(
                SWEDISH_SCALE,
                str(_swedish_label()),
                tuple(str(label) for label in SWEDISH_LEVELS),
                tuple(by_scale[SWEDISH_SCALE]),
            )
        )
    cefr_levels = tuple(str(label) for label in CefrLevel.labels)
    for skill in Skill:
        points = by_scale.get(f"cefr:{skill.value}")
        if points:
            series.append(
                Series(f"cefr:{skill.value}", str(skill.label), cefr_levels, tuple(points))
            )
    return series


def _swedish_label() -> str:
    return gettext("Swedish: SFI and SAS grund")
