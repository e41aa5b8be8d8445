"""Every indicator Stegvis counts, defined once (architecture principle 3).

An ``Indicator`` states its code, title, regulation reference, definition, population
(denominator), counting rule (numerator) and what counts as missing, as ``Q`` filters on a
scoped, annotated enrollment queryset. ``compute_indicators`` turns all of them into one
aggregate query, so the CLI, the dashboards, the exports and the final report show the same
numbers, and the drill-down lists (``enrollments_behind``) use the very same filters.

Counting rules that hold for every indicator (INDICATORS.md):

- Only enrollments of *eligible* participants count. Ineligible and unknown-eligibility
  enrollments in the population are counted apart (``excluded_ineligible``,
  ``excluded_unknown``), never silently dropped.
- Erroneous registrations (exit type "erroneous") are removed from every count
  (``erroneous`` on the result set).
- Participant indicators count **persons** (a person enrolled twice is one participant,
  counted once per indicator: Migrationsverket's "once per indicator" rule). Exit indicators
  count **exits** (one per enrollment): someone who left twice in the period left twice.
- Period: participant indicators take enrollments active at some time in the period
  (started on or before its end, not ended before its start); exit indicators take exits dated
  inside the period. An exit after the period's end is not an exit of that period: the
  enrollment counts as active.
- Shares are numerator / population; missing data is a subset of the population and is shown
  next to the share ("37 of 48; 6 did not answer"), never removed from the denominator.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stegvis.access.models import Part
from stegvis.access.policy import enrollments_for
from stegvis.access.scope import scope_for
from stegvis.activities.models import FunderCategory, Participation
from stegvis.languagelevels.models import LanguageResult
from stegvis.languagelevels.selectors import language_progress
from stegvis.organisations.models import Organisation, Partner, Programme, Track
from stegvis.outcomes.models import Answer, ExitReason, ExitReasonGroup, ExitType, Occupation
from stegvis.participants.eligibility import Eligibility
from stegvis.participants.models import (
    EducationLevel,
    Enrollment,
    Gender,
    LabourMarketStatus,
)

from .selectors import SUPPRESSION_LIMIT

AMIF = "amif"
ESF_PLUS = "esf_plus"
ALL_FUNDS = frozenset({AMIF, ESF_PLUS, "other"})

COUNT = "count"
SHARE = "share"

PERSON = "person"
EXIT = "exit"
# Organisations, not people (AMIF O.2.2): counted from the programme's partners.
ENTITY = "entity"


class NotAllowed(PermissionError):
    """The actor may not see indicators of this programme or partner."""


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2025-01-01..2025-12-31``; either side may be empty (open)."""
        left, sep, right = text.partition("..")
        if not sep:
            raise ValueError("period must be FROM..TO")
        start = datetime.date.fromisoformat(left) if left else datetime.date.min
        end = datetime.date.fromisoformat(right) if right else datetime.date.max
        if end < start:
            raise ValueError("period ends before it starts")
        return cls(start, end)

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


@dataclass(frozen=True)
class Indicator:
    code: str
    title: Promise
    reference: str
    definition: Promise
    population_text: Promise
    rule_text: Promise
    unit: str  # COUNT or SHARE
    counts: str  # PERSON or EXIT
    # Filters on the annotated enrollment queryset (see ``_annotated``).
    population: Q
    numerator: Q | None  # None: the data source is not available yet
    missing: Q | None = None
    missing_text: Promise | None = None
    funds: frozenset[str] = ALL_FUNDS
    group: str = "own"
    source_note: Promise | None = None

    @property
    def available(self) -> bool:
        return self.numerator is not None


def _share(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return Decimal(numerator) * 100 / Decimal(denominator)


def round_share(value: Decimal | None, places: int) -> Decimal | None:
    """Round half up only at the end (never before dividing)."""
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    numerator: int | None
    denominator: int
    # None: counts from 1 to 4 not shown to viewers without record access.
    missing: int | None
    excluded_ineligible: int | None
    excluded_unknown: int | None
    by_gender: dict[str, int | None] = field(default_factory=dict)
    suppressed: bool = False

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def share(self) -> Decimal | None:
        if self.numerator is None or self.suppressed:
            return None
        return _share(self.numerator, self.denominator)

    @property
    def value(self) -> Decimal | int | None:
        """The count, or the share in percent (one decimal, as in data exports)."""
        if self.indicator.unit == COUNT:
            return self.numerator
        return round_share(self.share, 1)

    @property
    def percent(self) -> int | None:
        """Whole percent, as the reports print it."""
        rounded = round_share(self.share, 0)
        return None if rounded is None else int(rounded)

    def to_dict(self) -> dict[str, Any]:
        ind = self.indicator
        value = self.value
        return {
            "code": ind.code,
            "title": str(ind.title),
            "reference": ind.reference,
            "definition": str(ind.definition),
            "population": str(ind.population_text),
            "counting_rule": str(ind.rule_text),
            "unit": ind.unit,
            "counts": ind.counts,
            "data_available": ind.available,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": str(value) if isinstance(value, Decimal) else value,
            "missing": self.missing,
            "missing_means": str(ind.missing_text) if ind.missing_text else "",
            "excluded_ineligible": self.excluded_ineligible,
            "excluded_unknown_eligibility": self.excluded_unknown,
            "by_gender": dict(self.by_gender),
            "suppressed": self.suppressed,
        }


@dataclass(frozen=True)
class IndicatorSet:
    """All results of one computation, with the scope they were computed for."""

    programme: Programme
    partner: Partner | None
    track: Track | None
    period: Period | None
    results: list[IndicatorResult]
    erroneous: int
    record_access: bool

    def __iter__(self) -> Iterator[IndicatorResult]:
        return iter(self.results)

    def get(self, code: str) -> IndicatorResult | None:
        return next((r for r in self.results if r.code == code), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "programme": self.programme.code,
            "partner": self.partner.organisation.name if self.partner else None,
            "track": self.track.name if self.track else None,
            "period": str(self.period) if self.period else None,
            "erroneous_registrations_excluded": self.erroneous,
            "indicators": [r.to_dict() for r in self.results],
        }


# ---------------------------------------------------------------------------------------------
# The annotated base queryset: one row per enrollment, with the flags the filters use.

ELIGIBLE = Q(eligibility=Eligibility.ELIGIBLE)
ACTIVE_IN_PERIOD = Q(in_period=True)
EXITED_IN_PERIOD = Q(exited_in_period=True)
PARTICIPANTS = ACTIVE_IN_PERIOD


def _participation_in(category: str, period: Period | None) -> Exists:
    qs = Participation.objects.filter(
        enrollment_id=OuterRef("pk"), activity__activity_type__funder_category=category
    )
    if period is not None:
        qs = qs.filter(start_date__lte=period.end).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=period.start)
        )
    return Exists(qs)


def _any_participation(period: Period | None) -> Exists:
    qs = Participation.objects.filter(enrollment_id=OuterRef("pk"))
    if period is not None:
        qs = qs.filter(start_date__lte=period.end).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=period.start)
        )
    return Exists(qs)


def _mapping_flags() -> dict[str, Exists]:
    from stegvis.mapping.models import Mapping, Qualification

    return {
        "has_mapping": Exists(Mapping.objects.filter(enrollment_id=OuterRef("pk"))),
        "recognition_applied": Exists(
            Qualification.objects.filter(
                mapping__enrollment_id=OuterRef("pk"), recognition_applied="yes"
            )
        ),
    }


def _exit_questionnaire_flags() -> dict[str, Exists]:
    """From each enrollment's latest exit questionnaire (the progression app): answered the
    "helped integration" item at all, and answered "yes" (partly is not yes)."""
    from stegvis.progression.models import Answer, Assessment, InstrumentKind, Item

    latest = (
        Assessment.objects.filter(
            enrollment_id=OuterRef(OuterRef("pk")),
            version__instrument__kind=InstrumentKind.EXIT_QUESTIONNAIRE,
        )
        .order_by("-date", "-pk")
        .values("pk")[:1]
    )
    answers = Answer.objects.filter(assessment_id=Subquery(latest), item__code=HELPED_ITEM)
    # Choice answers store the 1-based position in the item's own list of choices.
    yes = Q(pk__in=[])
    for item_id, choices in Item.objects.filter(
        code=HELPED_ITEM, version__instrument__kind=InstrumentKind.EXIT_QUESTIONNAIRE
    ).values_list("pk", "choices"):
        if "yes" in (choices or []):
            yes |= Q(item_id=item_id, value=choices.index("yes") + 1)
    return {
        "answered_helped": Exists(answers.filter(value__gt=0)),
        "helped_integration": Exists(answers.filter(yes)),
    }


HELPED_ITEM = "helped-integration"


def _month_days() -> tuple[Any, Any]:
    """Month*100+day of the start and birth dates, to compute the age in the database."""
    start_md = ExtractMonth("start_date") * 100 + ExtractDay("start_date")
    birth_md = ExtractMonth("participant__birth_date") * 100 + ExtractDay("participant__birth_date")
    return start_md, birth_md


WORK_BELIEF = "work_belief"


def _work_belief_flags(base: QuerySet[Enrollment]) -> dict[str, Case]:
    """Compared and improved on the self-rating's "belief in future work", per enrollment.

    The progression app's own rule (``progression.selectors``): the first and the latest
    self-rating are compared where both answered the dimension on the same scale. The scores
    come from ``rounds_for`` in one query, whatever the number of people; the result is fed
    back into the aggregate query as two id lists.
    """
    from stegvis.progression.models import Assessment, InstrumentKind
    from stegvis.progression.selectors import comparable_dimensions, rounds_for

    rounds_of: dict[int, list[Any]] = {}
    assessments = Assessment.objects.filter(
        enrollment__in=base, version__instrument__kind=InstrumentKind.SELF_RATING
    )
    for round_ in rounds_for(assessments):  # ordered by date, then id
        rounds_of.setdefault(round_.enrollment_id, []).append(round_)
    compared, improved = [], []
    for enrollment_id, rounds in sorted(rounds_of.items()):
        first, latest = rounds[0], rounds[-1]
        if len(rounds) < 2 or WORK_BELIEF not in comparable_dimensions(first, latest):
            continue
        compared.append(enrollment_id)
        if latest.dimensions[WORK_BELIEF][0] > first.dimensions[WORK_BELIEF][0]:
            improved.append(enrollment_id)

    def flag(ids: list[int]) -> Case:
        if not ids:
            return Case(default=Value(False), output_field=BooleanField())
        return Case(
            When(pk__in=ids, then=Value(True)), default=Value(False), output_field=BooleanField()
        )

    return {"work_belief_compared": flag(compared), "work_belief_improved": flag(improved)}


# Indicators whose filters use the self-rating flags (they cost one query to compute).
SELF_RATING_CODES = frozenset({"employability"})


def _annotated(
    base: QuerySet[Enrollment], period: Period | None, *, self_ratings: bool = False
) -> QuerySet[Enrollment]:
    if period is None:
        in_period: Any = Value(True)
        exited: Any = ExpressionWrapper(Q(exit__isnull=False), output_field=BooleanField())
    else:
        in_period = ExpressionWrapper(
            Q(start_date__lte=period.end)
            & (Q(end_date__isnull=True) | Q(end_date__gte=period.start)),
            output_field=BooleanField(),
        )
        exited = ExpressionWrapper(
            Q(exit__isnull=False)
            & Q(exit__exit_date__gte=period.start)
            & Q(exit__exit_date__lte=period.end),
            output_field=BooleanField(),
        )
    start_md, birth_md = _month_days()
    return (
        # Entry and exit language levels, "assessed" and "improved by one level", defined by
        # the language levels app (per enrollment, over all its assessed results).
        language_progress(base)
        .annotate(
            has_language_result=Exists(LanguageResult.objects.filter(enrollment_id=OuterRef("pk"))),
            **_exit_questionnaire_flags(),
            in_period=in_period,
            exited_in_period=exited,
            in_activity=_any_participation(period),
            in_language_course=_participation_in(FunderCategory.LANGUAGE_COURSE, period),
            in_civic_orientation=_participation_in(FunderCategory.CIVIC_ORIENTATION, period),
            in_guidance=_participation_in(FunderCategory.PROFESSIONAL_GUIDANCE, period),
            **_mapping_flags(),
            **(_work_belief_flags(base) if self_ratings else {}),
            _start_md=start_md,
            _birth_md=birth_md,
        )
        .annotate(
            age=ExtractYear("start_date")
            - ExtractYear("participant__birth_date")
            - Case(
                When(condition=Q(_start_md__lt=F("_birth_md")), then=Value(1)),
                default=Value(0),
            )
        )
        .exclude(exit__exit_type=ExitType.ERRONEOUS)
    )


# ---------------------------------------------------------------------------------------------
# The registry.

REGISTRY: dict[str, Indicator] = {}


def define(indicator: Indicator) -> Indicator:
    if indicator.code in REGISTRY:
        raise ValueError(f"indicator {indicator.code} defined twice")
    REGISTRY[indicator.code] = indicator
    return indicator


NOT_YET = _("Data source not yet available in Stegvis: every participant is counted as missing.")
PARTICIPANTS_TEXT = _(
    "Eligible participants (persons) with an enrollment active at some time in the period."
)
EXITS_TEXT = _("Exits dated in the period, of eligible participants (erroneous ones left out).")

define(
    Indicator(
        code="participants",
        title=_("Participants"),
        reference="AMIF Annex VIII / ESF+ Annex I: total number of participants",
        definition=_(
            "Persons who took part in the programme in the period. A person enrolled twice is "
            "one participant. Staff are never counted."
        ),
        population_text=PARTICIPANTS_TEXT,
        rule_text=_("Every person in the population, counted once."),
        unit=COUNT,
        counts=PERSON,
        population=PARTICIPANTS,
        numerator=Q(),
        group="programme",
    )
)


def _amif(code: str, title: Promise, reference: str, definition: Promise, **kwargs: Any) -> None:
    define(
        Indicator(
            code=code,
            title=title,
            reference=reference,
            definition=definition,
            population_text=kwargs.pop("population_text", PARTICIPANTS_TEXT),
            unit=kwargs.pop("unit", COUNT),
            counts=PERSON,
            population=kwargs.pop("population", PARTICIPANTS),
            funds=frozenset({AMIF}),
            group="amif",
            **kwargs,
        )
    )


define(
    Indicator(
        code="O.2.2",
        title=_("Local and regional authorities supported to implement integration measures"),
        reference="Regulation (EU) 2021/1147, Annex VIII, output indicator 2.2",
        definition=_(
            "Partner organisations that are municipalities or regions (local and regional "
            "authorities) taking part in the programme."
        ),
        population_text=_("The programme's partners."),
        rule_text=_("Partners whose organisation is a municipality or a region."),
        unit=COUNT,
        counts=ENTITY,
        population=Q(),
        numerator=Q(
            organisation__kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.REGION]
        ),
        funds=frozenset({AMIF}),
        group="amif",
    )
)
_amif(
    "O.2.3",
    _("Participants in support activities"),
    "Regulation (EU) 2021/1147, Annex VIII, output indicator 2.3",
    _("Participants who took part in at least one activity of the programme in the period."),
    rule_text=_("Persons with a participation in any activity overlapping the period."),
    numerator=Q(in_activity=True),
)
_amif(
    "O.2.3.1",
    _("of which in a language course"),
    "Regulation (EU) 2021/1147, Annex VIII, output indicator 2.3.1",
    _("Participants in an activity whose type the funder classes as a language course."),
    rule_text=_("Persons with a participation in a language-course activity in the period."),
    numerator=Q(in_language_course=True),
)
_amif(
    "O.2.3.2",
    _("of which in a civic orientation course"),
    "Regulation (EU) 2021/1147, Annex VIII, output indicator 2.3.2",
    _("Participants in an activity whose type the funder classes as civic orientation."),
    rule_text=_("Persons with a participation in a civic-orientation activity in the period."),
    numerator=Q(in_civic_orientation=True),
)
_amif(
    "O.2.3.3",
    _("of which received personalised professional guidance"),
    "Regulation (EU) 2021/1147, Annex VIII, output indicator 2.3.3",
    _("Participants in an activity classed as personalised professional guidance."),
    rule_text=_("Persons with a participation in a guidance activity in the period."),
    numerator=Q(in_guidance=True),
)
_amif(
    "O.2.5",
    _("Participants given assistance to apply for family reunification"),
    "Regulation (EU) 2021/1147, Annex VIII, output indicator 2.5",
    _("Participants who received information or assistance to apply for family reunification."),
    rule_text=_("Not recorded in Stegvis yet."),
    numerator=None,
    missing=Q(),
    missing_text=NOT_YET,
    source_note=NOT_YET,
)
_amif(
    "R.2.8",
    _("Language course participants who improved at least one level"),
    "Regulation (EU) 2021/1147, Annex VIII, result indicator 2.8",
    _(
        "Participants in language courses who improved their proficiency by at least one CEFR "
        "level or national equivalent: a higher passed SFI course (or SAS grund), or a higher "
        "assessed CEFR level in a skill, at their latest result than at their first. Results "
        "the participant reported themselves do not count. Without an entry and a later level "
        "on one scale the participant is 'not assessed', not 'not improved'."
    ),
    population_text=_(
        "Eligible participants (persons) active in the period who took part in a language "
        "course or have a language result."
    ),
    population=PARTICIPANTS & (Q(in_language_course=True) | Q(has_language_result=True)),
    rule_text=_("Persons whose exit level is higher than their entry level."),
    unit=SHARE,
    numerator=Q(improved_one_level=True),
    missing=Q(assessed=False),
    missing_text=_("not assessed (no entry and later level on one scale)"),
)
_amif(
    "R.2.9",
    _("Participants who report the activity helped their integration"),
    "Regulation (EU) 2021/1147, Annex VIII, result indicator 2.9",
    _(
        "Participants who, in their latest exit questionnaire, answer 'yes' to whether the "
        "activity was helpful for their integration ('partly' is not counted as yes)."
    ),
    population_text=_("Eligible participants (persons) who left in the period."),
    population=EXITED_IN_PERIOD,
    rule_text=_("Persons answering 'yes' in the exit questionnaire."),
    unit=SHARE,
    numerator=Q(helped_integration=True),
    missing=Q(answered_helped=False),
    missing_text=_("did not answer the exit questionnaire"),
)
_amif(
    "R.2.10",
    _("Participants who applied for recognition of their qualifications"),
    "Regulation (EU) 2021/1147, Annex VIII, result indicator 2.10",
    _(
        "Participants who applied for recognition or assessment of a qualification acquired "
        "in a third country (from the mapping)."
    ),
    rule_text=_("Persons with a mapped qualification marked 'recognition applied for: yes'."),
    numerator=Q(recognition_applied=True),
    missing=Q(has_mapping=False),
    missing_text=_("no mapping recorded"),
)
_amif(
    "R.2.11",
    _("Participants who applied for long-term residence status"),
    "Regulation (EU) 2021/1147, Annex VIII, result indicator 2.11",
    _("Participants who applied for long-term resident status (recorded by staff)."),
    rule_text=_("Not recorded in Stegvis yet."),
    numerator=None,
    missing=Q(),
    missing_text=NOT_YET,
    source_note=NOT_YET,
)


def _esf(code: str, title: Promise, reference: str, numerator: Q | None, **kwargs: Any) -> None:
    define(
        Indicator(
            code=code,
            title=title,
            reference=reference,
            definition=kwargs.pop("definition", title),
            population_text=kwargs.pop("population_text", PARTICIPANTS_TEXT),
            rule_text=kwargs.pop("rule_text", title),
            unit=COUNT,
            counts=PERSON,
            population=kwargs.pop("population", PARTICIPANTS),
            numerator=numerator,
            funds=frozenset({ESF_PLUS}),
            group="esf_plus",
            **kwargs,
        )
    )


LMS = LabourMarketStatus
UNKNOWN_STATUS = Q(participant__labour_market_status=LMS.UNKNOWN) | Q(
    participant__labour_market_status=""
)
UNKNOWN_EDUCATION = Q(participant__education_level=EducationLevel.UNKNOWN) | Q(
    participant__education_level=""
)
# Codes as SFC2021 numbers them (EECO01 total ... EECO17 rural areas); check against the
# managing authority's list before release.
ANNEX_I = "Regulation (EU) 2021/1057, Annex I, "
_esf(
    "EECO02",
    _("Unemployed, including long-term unemployed"),
    ANNEX_I + "common output indicator on entry",
    Q(participant__labour_market_status__in=[LMS.UNEMPLOYED, LMS.LONG_TERM_UNEMPLOYED]),
    missing=UNKNOWN_STATUS,
    missing_text=_("labour-market status unknown"),
)
_esf(
    "EECO03",
    _("Long-term unemployed"),
    ANNEX_I + "common output indicator on entry",
    Q(participant__labour_market_status=LMS.LONG_TERM_UNEMPLOYED),
    missing=UNKNOWN_STATUS,
    missing_text=_("labour-market status unknown"),
)
_esf(
    "EECO04",
    _("Inactive"),
    ANNEX_I + "common output indicator on entry",
    Q(participant__labour_market_status=LMS.INACTIVE),
    missing=UNKNOWN_STATUS,
    missing_text=_("labour-market status unknown"),
)
_esf(
    "EECO05",
    _("Employed, including self-employed"),
    ANNEX_I + "common output indicator on entry",
    Q(participant__labour_market_status__in=[LMS.EMPLOYED, LMS.SELF_EMPLOYED]),
    missing=UNKNOWN_STATUS,
    missing_text=_("labour-market status unknown"),
)
AGE_RULE = _("Age on the enrollment's start date.")
_esf("EECO06", _("Below 18 years of age"), ANNEX_I + "common output indicator", Q(age__lt=18))
_esf(
    "EECO07",
    _("Between 18 and 29 years of age"),
    ANNEX_I + "common output indicator",
    Q(age__gte=18, age__lte=29),
)
_esf("EECO08", _("55 years of age and above"), ANNEX_I + "common output indicator", Q(age__gte=55))
_esf(
    "EECO09",
    _("With lower secondary education or less (ISCED 0-2)"),
    ANNEX_I + "common output indicator",
    Q(participant__education_level__in=["0", "1", "2"]),
    missing=UNKNOWN_EDUCATION,
    missing_text=_("education level unknown"),
)
_esf(
    "EECO10",
    _("With upper secondary or post-secondary education (ISCED 3-4)"),
    ANNEX_I + "common output indicator",
    Q(participant__education_level__in=["3", "4"]),
    missing=UNKNOWN_EDUCATION,
    missing_text=_("education level unknown"),
)
_esf(
    "EECO11",
    _("With tertiary education (ISCED 5-8)"),
    ANNEX_I + "common output indicator",
    Q(participant__education_level__in=["5", "6", "7", "8"]),
    missing=UNKNOWN_EDUCATION,
    missing_text=_("education level unknown"),
)
_esf(
    "EECO13",
    _("Third-country nationals"),
    ANNEX_I + "common output indicator",
    Q(eligibility=Eligibility.ELIGIBLE),
    rule_text=_(
        "Persons with no citizenship of an EU/EEA country or Switzerland (stateless included)."
    ),
)

_esf(
    "EECO01",
    _("Total number of participants"),
    ANNEX_I + "common output indicator",
    Q(),
)
_esf(
    "EECO14",
    _("Participants with a foreign background (born abroad)"),
    ANNEX_I + "other common output indicator",
    ~Q(participant__country_of_birth="SE") & ~Q(participant__country_of_birth=""),
    definition=_(
        "Participants born outside Sweden. Parents' countries of birth are not recorded, so "
        "people born in Sweden to parents born abroad are not counted."
    ),
    missing=Q(participant__country_of_birth=""),
    missing_text=_("country of birth not recorded"),
)
for _code, _title in (
    ("EECO12", _("Participants with disabilities")),
    ("EECO15", _("Minorities (including marginalised communities such as Roma)")),
    ("EECO16", _("Homeless or affected by housing exclusion")),
    ("EECO17", _("Participants from rural areas")),
):
    _esf(
        _code,
        _title,
        ANNEX_I + "other common output indicator",
        None,
        missing=Q(),
        missing_text=NOT_YET,
        source_note=NOT_YET,
        rule_text=_(
            "Not recorded in Stegvis yet (special categories need a legal basis, and "
            "'declined to answer' is a value)."
        ),
    )

EXIT_SITUATION = [
    ("EECR01", _("Engaged in job searching upon leaving"), Q(exit__job_seeking=True)),
    ("EECR02", _("In education or training upon leaving"), Q(exit__in_education=True)),
    ("EECR03", _("Gaining a qualification upon leaving"), Q(exit__gained_qualification=True)),
    (
        "EECR04",
        _("In employment, including self-employment, upon leaving"),
        Q(exit__in_employment=True),
    ),
]
for _code, _title, _q in EXIT_SITUATION:
    _esf(
        _code,
        _title,
        ANNEX_I + "common immediate result indicator (within four weeks of leaving)",
        _q,
        population=EXITED_IN_PERIOD,
        population_text=_("Eligible participants (persons) who left in the period."),
    )

FOLLOW_UP_POP = EXITED_IN_PERIOD
FOLLOW_UP_MISSING = Q(follow_up__isnull=True) | Q(follow_up__done_date__isnull=True)
_esf(
    "EECR05",
    _("In employment, including self-employment, six months after leaving"),
    ANNEX_I + "common longer-term result indicator",
    Q(follow_up__in_employment=Answer.YES),
    population=FOLLOW_UP_POP,
    population_text=_("Eligible participants (persons) who left in the period."),
    missing=FOLLOW_UP_MISSING | Q(follow_up__in_employment=Answer.UNKNOWN),
    missing_text=_("follow-up not done or answer unknown"),
)
_esf(
    "EECR06",
    _("With an improved labour-market situation six months after leaving"),
    ANNEX_I + "common longer-term result indicator",
    Q(follow_up__improved_situation=Answer.YES),
    population=FOLLOW_UP_POP,
    population_text=_("Eligible participants (persons) who left in the period."),
    missing=FOLLOW_UP_MISSING | Q(follow_up__improved_situation=Answer.UNKNOWN),
    missing_text=_("follow-up not done or answer unknown"),
)

# Exits by reason: one indicator per group and per code of the controlled list.
EXIT_REFERENCE = "Stegvis exit reasons (INDICATORS.md, controlled list)"
define(
    Indicator(
        code="exits",
        title=_("Exits"),
        reference=EXIT_REFERENCE,
        definition=_("Enrollments that ended in the period (erroneous registrations left out)."),
        population_text=EXITS_TEXT,
        rule_text=_("Every exit in the population."),
        unit=COUNT,
        counts=EXIT,
        population=EXITED_IN_PERIOD,
        numerator=Q(),
        group="exits",
    )
)
for _group in ExitReasonGroup:
    define(
        Indicator(
            code=f"exits.{_group.value}",
            title=_group.label,
            reference=EXIT_REFERENCE,
            definition=_("Exits in the period whose reason is in this group."),
            population_text=EXITS_TEXT,
            rule_text=_("Exits with a reason code starting with the group's code."),
            unit=SHARE,
            counts=EXIT,
            population=EXITED_IN_PERIOD,
            numerator=Q(exit__reason__startswith=f"{_group.value}."),
            group="exits",
        )
    )
for _reason in ExitReason:
    define(
        Indicator(
            code=f"exit.{_reason.value}",
            title=_reason.label,
            reference=EXIT_REFERENCE,
            definition=_("Exits in the period with this reason."),
            population_text=EXITS_TEXT,
            rule_text=_("Exits with this reason code."),
            unit=SHARE,
            counts=EXIT,
            population=EXITED_IN_PERIOD,
            numerator=Q(exit__reason=_reason.value),
            group="exits",
        )
    )
define(
    Indicator(
        code="exits.completed",
        title=_("Completed"),
        reference=EXIT_REFERENCE,
        definition=_("Exits in the period of participants who completed the programme."),
        population_text=EXITS_TEXT,
        rule_text=_("Exits of type 'completed'."),
        unit=SHARE,
        counts=EXIT,
        population=EXITED_IN_PERIOD,
        numerator=Q(exit__exit_type=ExitType.COMPLETED),
        group="exits",
    )
)
define(
    Indicator(
        code="work_or_studies",
        title=_("Finishers directly in work or studies"),
        reference="Finsam follow-up (national reference 33 % in 2015)",
        definition=_(
            "Share of those who left in the period whose occupation after is work or studies."
        ),
        population_text=EXITS_TEXT,
        rule_text=_("Exits with occupation after 'work' or 'studies'."),
        unit=SHARE,
        counts=EXIT,
        population=EXITED_IN_PERIOD,
        numerator=Q(exit__occupation_after__in=[Occupation.WORK, Occupation.STUDIES]),
        missing=Q(exit__occupation_after=Occupation.UNKNOWN),
        missing_text=_("occupation after unknown"),
        group="programme",
    )
)
define(
    Indicator(
        code="employability",
        title=_("Participants with increased belief in their chances of work"),
        reference="Programme goal (SKAPA self-rating)",
        definition=_(
            "Participants whose self-rated belief in future work (SKAPA-style self-rating) "
            "is higher in their latest rating than in their first."
        ),
        population_text=_("Eligible participants (persons) who left in the period."),
        rule_text=_(
            "Persons whose latest self-rating on 'belief in future work' is higher than their "
            "first, compared as the progression app does (same dimension, same scale)."
        ),
        unit=SHARE,
        counts=PERSON,
        population=EXITED_IN_PERIOD,
        numerator=Q(work_belief_improved=True),
        missing=Q(work_belief_compared=False),
        missing_text=_("without two comparable self-ratings (one rating only, or none)"),
        group="programme",
    )
)

GENDERS = [g.value for g in Gender]


def indicators_for(programme: Programme) -> list[Indicator]:
    """The programme's fund's indicators in registry order; ESF+ codes in their own order."""
    chosen = [ind for ind in REGISTRY.values() if programme.fund in ind.funds]
    esf = iter(sorted((i for i in chosen if i.group == "esf_plus"), key=lambda i: i.code))
    return [next(esf) if ind.group == "esf_plus" else ind for ind in chosen]


# ---------------------------------------------------------------------------------------------
# Computation.


def _base(
    *, actor: Any, programme: Programme, partner: Partner | None, track: Track | None
) -> tuple[QuerySet[Enrollment], bool]:
    """The enrollments the actor's numbers are counted over, and whether they have record
    access to them (then nothing is suppressed)."""
    if actor is None:
        # The server-side command line: trusted, whole programme, nothing suppressed.
        qs = Enrollment.objects.filter(programme=programme)
        record_access = True
    else:
        scope = scope_for(actor)
        if programme.pk in scope.aggregate_programme_ids:
            qs = Enrollment.objects.filter(programme=programme)
            record_access = False
        elif scope.has_record_access:
            qs = enrollments_for(actor, part=Part.RECORD).filter(programme=programme)
            coordinates = Partner.objects.filter(
                programme=programme, pk__in=scope.coordinator_partner_ids
            )
            if not (coordinates.exists() or qs.exists()):
                raise NotAllowed
            record_access = True
        else:
            raise NotAllowed
    if partner is not None:
        if partner.programme_id != programme.pk:
            raise NotAllowed
        qs = qs.filter(partner=partner)
    if track is not None:
        qs = qs.filter(track=track)
    return qs, record_access


def enrollments_in_scope(
    *, actor: Any, programme: Programme, partner: Partner | None, track: Track | None
) -> tuple[QuerySet[Enrollment], bool]:
    """The enrollments a dashboard counts for the actor, and whether they have record access
    (the same scoping as the indicators; for other dashboard figures such as attendance).
    Raises ``NotAllowed``."""
    return _base(actor=actor, programme=programme, partner=partner, track=track)


def _entity_counts(
    n: int, ind: Indicator, programme: Programme, partner: Partner | None
) -> dict[str, int]:
    """Partners of the programme (the population) and those matching the numerator; a partner
    is one organisation in one programme. The filters are on ``Partner``."""
    partners = Partner.objects.filter(programme=programme)
    if partner is not None:
        partners = partners.filter(pk=partner.pk)
    counts = partners.aggregate(
        p=Count("pk", filter=ind.population),
        n=Count("pk", filter=ind.numerator or Q(pk__in=[])),
    )
    return {f"p{n}": counts["p"], f"n{n}": counts["n"], f"i{n}": 0, f"u{n}": 0}


def _counted(ind: Indicator) -> str:
    return "participant" if ind.counts == PERSON else "pk"


def compute_indicators(
    *,
    actor: Any,
    programme: Programme,
    partner: Partner | None = None,
    track: Track | None = None,
    period: Period | None = None,
    codes: Iterable[str] | None = None,
) -> IndicatorSet:
    """Every indicator of the programme's fund, in one aggregate query.

    ``actor=None`` is the server-side command line (whole programme). Aggregate-only viewers
    get counts from 1 to 4 suppressed; viewers with record access count only the enrollments
    they may see.
    """
    base, record_access = _base(actor=actor, programme=programme, partner=partner, track=track)
    indicators = indicators_for(programme)
    if codes is not None:
        wanted = set(codes)
        indicators = [i for i in indicators if i.code in wanted]
    qs = _annotated(base, period, self_ratings=any(i.code in SELF_RATING_CODES for i in indicators))
    # Grouped by eligibility and gender: a person has one gender, so counts of distinct
    # people per group add up exactly, and the gender split costs no extra expressions.
    aggregates: dict[str, Any] = {}
    for n, ind in enumerate(indicators):
        if ind.counts == ENTITY:
            continue
        what = _counted(ind)
        aggregates[f"p{n}"] = Count(what, filter=ind.population, distinct=True)
        if ind.numerator is not None:
            aggregates[f"n{n}"] = Count(what, filter=ind.population & ind.numerator, distinct=True)
        if ind.missing is not None:
            aggregates[f"m{n}"] = Count(what, filter=ind.population & ind.missing, distinct=True)
    groups = (
        list(qs.order_by().values("eligibility", "participant__gender").annotate(**aggregates))
        if aggregates
        else []
    )

    def total(key: str, eligibility: str, gender: str | None = None) -> int:
        return sum(
            g.get(key) or 0
            for g in groups
            if g["eligibility"] == eligibility
            and (gender is None or g["participant__gender"] == gender)
        )

    row: dict[str, Any] = {}
    for n, ind in enumerate(indicators):
        if ind.counts == ENTITY:
            row.update(_entity_counts(n, ind, programme, partner))
            continue
        row[f"p{n}"] = total(f"p{n}", Eligibility.ELIGIBLE)
        row[f"i{n}"] = total(f"p{n}", Eligibility.INELIGIBLE)
        row[f"u{n}"] = total(f"p{n}", Eligibility.UNKNOWN)
        if ind.numerator is not None:
            row[f"n{n}"] = total(f"n{n}", Eligibility.ELIGIBLE)
            for gender in GENDERS:
                row[f"g{n}_{gender}"] = total(f"n{n}", Eligibility.ELIGIBLE, gender)
        if ind.missing is not None:
            row[f"m{n}"] = total(f"m{n}", Eligibility.ELIGIBLE)
    erroneous = base.filter(exit__exit_type=ExitType.ERRONEOUS).count()
    results = []
    for n, ind in enumerate(indicators):
        numerator = row[f"n{n}"] if ind.numerator is not None else None
        denominator = row[f"p{n}"]
        by_gender: dict[str, int | None] = (
            {g: row[f"g{n}_{g}"] for g in GENDERS}
            if ind.numerator is not None and ind.counts != ENTITY
            else {}
        )
        suppressed = False
        if not record_access and ind.counts != ENTITY:
            small = [v for v in (numerator, denominator) if v is not None]
            if any(0 < v <= SUPPRESSION_LIMIT for v in small):
                suppressed = True
                by_gender = {g: None for g in by_gender}
            else:
                by_gender = {
                    g: (None if v is not None and 0 < v <= SUPPRESSION_LIMIT else v)
                    for g, v in by_gender.items()
                }
        missing = row[f"m{n}"] if ind.missing is not None and not suppressed else 0

        def shown(value: int) -> int | None:
            small = not record_access and 0 < value <= SUPPRESSION_LIMIT
            return None if small else value

        results.append(
            IndicatorResult(
                indicator=ind,
                numerator=None if suppressed else numerator,
                denominator=0 if suppressed else denominator,
                missing=shown(missing),
                excluded_ineligible=shown(row[f"i{n}"]),
                excluded_unknown=shown(row[f"u{n}"]),
                by_gender=by_gender,
                suppressed=suppressed,
            )
        )
    return IndicatorSet(
        programme=programme,
        partner=partner,
        track=track,
        period=period,
        results=results,
        erroneous=erroneous,
        record_access=record_access,
    )


DRILL_PARTS = ("numerator", "population", "missing", "ineligible", "unknown")


def enrollments_behind(
    *,
    actor: Any,
    programme: Programme,
    code: str,
    part: str = "numerator",
    partner: Partner | None = None,
    track: Track | None = None,
    period: Period | None = None,
    started: Period | None = None,
) -> tuple[QuerySet[Enrollment], bool]:
    """The enrollments one number was counted from, with the same filters, and whether the
    actor has record access to them. ``started`` narrows to enrollments started in that
    period (the months of "enrollments over time"). Raises KeyError for an unknown code or
    part."""
    ind = REGISTRY[code]
    if part not in DRILL_PARTS or ind.counts == ENTITY:
        raise KeyError(part)
    base, record_access = _base(actor=actor, programme=programme, partner=partner, track=track)
    qs = _annotated(base, period, self_ratings=ind.code in SELF_RATING_CODES).filter(ind.population)
    if started is not None:
        qs = qs.filter(start_date__gte=started.start, start_date__lte=started.end)
    if part == "numerator":
        if ind.numerator is None:
            return qs.none(), record_access
        qs = qs.filter(ELIGIBLE & ind.numerator)
    elif part == "missing":
        if ind.missing is None:
            return qs.none(), record_access
        qs = qs.filter(ELIGIBLE & ind.missing)
    elif part == "ineligible":
        qs = qs.filter(eligibility=Eligibility.INELIGIBLE)
    elif part == "unknown":
        qs = qs.filter(eligibility=Eligibility.UNKNOWN)
    else:
        qs = qs.filter(ELIGIBLE)
    return qs.distinct(), record_access


__all__ = [
    "REGISTRY",
    "Indicator",
    "IndicatorResult",
    "IndicatorSet",
    "NotAllowed",
    "Period",
    "compute_indicators",
    "enrollments_behind",
    "indicators_for",
    "round_share",
]


@dataclass(frozen=True)
class PartnerNumbers:
    partner: Partner
    participants: int | None
    exits: int | None
    ineligible: int
    committed: int | None
    suppressed: bool

    @property
    def fulfilment(self) -> int | None:
        if self.participants is None or not self.committed:
            return None
        return int(round_share(Decimal(self.participants) * 100 / self.committed, 0) or 0)


def partner_numbers(
    *,
    actor: Any,
    programme: Programme,
    track: Track | None = None,
    period: Period | None = None,
) -> list[PartnerNumbers]:
    """Participants (persons) and exits per partner, in one grouped query, by the same rules
    as the ``participants`` and ``exits`` indicators."""
    base, record_access = _base(actor=actor, programme=programme, partner=None, track=track)
    qs = _annotated(base, period)
    rows = {
        row["partner_id"]: row
        for row in qs.order_by()
        .values("partner_id")
        .annotate(
            n_participants=Count("participant", filter=PARTICIPANTS & ELIGIBLE, distinct=True),
            n_exits=Count("pk", filter=EXITED_IN_PERIOD & ELIGIBLE, distinct=True),
            n_ineligible=Count(
                "participant",
                filter=PARTICIPANTS & Q(eligibility=Eligibility.INELIGIBLE),
                distinct=True,
            ),
        )
    }
    partners = Partner.objects.filter(programme=programme).select_related("organisation")
    if record_access and actor is not None:
        partners = partners.filter(pk__in=list(rows))
    result = []
    for partner in partners.order_by("organisation__name"):
        row = rows.get(partner.pk, {})
        n_participants = row.get("n_participants", 0)
        n_exits = row.get("n_exits", 0)
        hide = not record_access and any(
            0 < v <= SUPPRESSION_LIMIT for v in (n_participants, n_exits)
        )
        result.append(
            PartnerNumbers(
                partner=partner,
                participants=None if hide else n_participants,
                exits=None if hide else n_exits,
                ineligible=row.get("n_ineligible", 0),
                committed=partner.committed_participants,
                suppressed=hide,
            )
        )
    return result


@dataclass(frozen=True)
class MonthCount:
    month: datetime.date
    count: int | None  # None: suppressed


def enrollments_by_month(
    *,
    actor: Any,
    programme: Programme,
    partner: Partner | None = None,
    track: Track | None = None,
    period: Period | None = None,
) -> list[MonthCount]:
    """New enrollments of eligible participants per month of their start date."""
    from django.db.models.functions import TruncMonth

    base, record_access = _base(actor=actor, programme=programme, partner=partner, track=track)
    qs = base.filter(ELIGIBLE).exclude(exit__exit_type=ExitType.ERRONEOUS)
    if period is not None:
        qs = qs.filter(start_date__gte=period.start, start_date__lte=period.end)
    rows = (
        qs.order_by()
        .annotate(month=TruncMonth("start_date"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    return [
        MonthCount(
            month=row["month"],
            count=None if not record_access and 0 < row["n"] <= SUPPRESSION_LIMIT else row["n"],
        )
        for row in rows
    ]
