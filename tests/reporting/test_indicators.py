"""Indicators against the hand-computed world in fixtures.py."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stegvis.organisations.models import Programme
from stegvis.reporting.indicators import (
    REGISTRY,
    NotAllowed,
    compute_indicators,
    enrollments_behind,
)

from .fixtures import PERIOD


def _get(results, code):
    result = results.get(code)
    assert result is not None, code
    return result


def test_every_indicator_is_fully_defined():
    for ind in REGISTRY.values():
        assert ind.code and str(ind.title) and ind.reference and str(ind.definition)
        assert str(ind.population_text) and str(ind.rule_text)
        assert ind.unit in {"count", "share"}
        if not ind.available:
            assert ind.missing is not None, ind.code


def test_participants_count_persons_and_show_exclusions(world):
    c = world.cast
    results = compute_indicators(actor=None, programme=c.programme, period=PERIOD)
    participants = _get(results, "participants")
    # Layla, Hassan, Noor (enrolled twice: one person), Senait.
    assert participants.numerator == participants.denominator == 4
    assert participants.by_gender == {"woman": 3, "man": 1, "other": 0, "not_stated": 0}
    assert participants.excluded_ineligible == 1  # Erik
    assert participants.excluded_unknown == 1  # Sam
    assert results.erroneous == 1  # Fel, removed from every count


def test_exits_after_the_period_are_not_exits_of_the_period(world):
    c = world.cast
    results = compute_indicators(actor=None, programme=c.programme, period=PERIOD)
    exits = _get(results, "exits")
    assert exits.numerator == 2  # Noor's first enrollment and Senait; Hassan left in August
    assert exits.excluded_ineligible == 1  # Erik's exit
    assert _get(results, "exit.work.employment").numerator == 0
    moved = _get(results, "exit.personal.moved")
    assert (moved.numerator, moved.denominator, moved.value, moved.percent) == (
        1,
        2,
        Decimal("50.0"),
        50,
    )
    assert _get(results, "exits.study").numerator == 1
    assert _get(results, "exit.admin.other").numerator == 0  # the erroneous one


def test_without_a_period_everything_counts(world):
    c = world.cast
    results = compute_indicators(actor=None, programme=c.programme)
    assert _get(results, "participants").numerator == 5  # + Olle
    assert _get(results, "exits").numerator == 4  # Noor, Hassan, Senait, Olle
    assert _get(results, "exit.work.employment").numerator == 1
    assert _get(results, "exit.study.language").numerator == 2


def test_partner_filter(world):
    c = world.cast
    results = compute_indicators(
        actor=None, programme=c.programme, partner=c.partner_a, period=PERIOD
    )
    assert _get(results, "participants").numerator == 3
    assert _get(results, "exits").numerator == 1


def test_missing_data_is_counted_not_hidden(world):
    c = world.cast
    results = compute_indicators(actor=None, programme=c.programme, period=PERIOD)
    finishers = _get(results, "work_or_studies")
    # Senait to studies; Noor's occupation after was not recorded.
    assert (finishers.numerator, finishers.denominator, finishers.missing) == (1, 2, 1)
    # Nobody has filled in the exit questionnaire: none helped, both missing.
    helped = _get(results, "R.2.9")
    assert (helped.numerator, helped.denominator, helped.missing) == (0, 2, 2)
    recognition = _get(results, "R.2.10")
    assert (recognition.numerator, recognition.missing) == (0, 4)  # nobody has a mapping


def test_missing_follow_ups_in_esf_plus(world):
    c = world.cast
    Programme.objects.filter(pk=c.programme.pk).update(fund="esf_plus")
    c.programme.refresh_from_db()
    results = compute_indicators(actor=None, programme=c.programme, period=PERIOD)
    assert results.get("R.2.9") is None  # AMIF-only
    employed = _get(results, "EECR05")
    # Senait followed up in work; Noor's follow-up is still open.
    assert (employed.numerator, employed.denominator, employed.missing) == (1, 2, 1)
    assert _get(results, "EECR02").numerator == 1
    assert _get(results, "EECO06").numerator == 1  # Hassan was 17 on his start date
    assert _get(results, "EECO07").numerator == 0
    assert _get(results, "EECO01").numerator == 4
    assert _get(results, "EECO13").numerator == 4
    assert _get(results, "EECO14").numerator == 4  # all born in Syria (factory default)
    disabilities = _get(results, "EECO12")
    assert (disabilities.numerator, disabilities.missing) == (None, 4)


def test_json_is_serialisable(world):
    import json

    c = world.cast
    data = compute_indicators(actor=None, programme=c.programme, period=PERIOD).to_dict()
    text = json.dumps(data)
    moved = next(i for i in data["indicators"] if i["code"] == "exit.personal.moved")
    assert moved["numerator"] == 1 and moved["denominator"] == 2 and moved["value"] == "50.0"
    assert "definition" in moved and moved["definition"]
    assert "2025-01-01..2025-06-30" in text


def test_record_viewers_count_only_what_they_may_see(world):
    c = world.cast
    anna = compute_indicators(actor=c.anna, programme=c.programme, period=PERIOD)
    assert _get(anna, "participants").numerator == 3  # partner A only
    assert anna.record_access
    bob = compute_indicators(actor=c.bob, programme=c.programme, period=PERIOD)
    assert _get(bob, "participants").numerator == 1
    with pytest.raises(NotAllowed):
        compute_indicators(actor=c.otto, programme=c.programme)


def test_aggregate_viewers_get_small_counts_suppressed(world):
    c = world.cast
    results = compute_indicators(actor=c.mona, programme=c.programme, period=PERIOD)
    participants = _get(results, "participants")
    assert participants.suppressed and participants.numerator is None
    assert participants.to_dict()["numerator"] is None
    assert not results.record_access


def test_drill_down_uses_the_same_filters(world):
    c = world.cast
    qs, record = enrollments_behind(
        actor=c.anna, programme=c.programme, code="exit.personal.moved", period=PERIOD
    )
    assert record and list(qs) == [world.noor_first]
    qs, _ = enrollments_behind(
        actor=None, programme=c.programme, code="participants", part="ineligible", period=PERIOD
    )
    assert list(qs) == [world.erik]
    qs, _ = enrollments_behind(
        actor=None, programme=c.programme, code="participants", period=PERIOD
    )
    # Enrollments, not persons: Noor's two enrollments are both listed.
    assert {e.pk for e in qs} == {
        c.enrollment_a.pk,
        c.enrollment_a2.pk,
        world.noor_first.pk,
        world.noor_second.pk,
        c.enrollment_b.pk,
    }


def test_partner_numbers_and_months(world):
    from stegvis.reporting.indicators import enrollments_by_month, partner_numbers

    c = world.cast
    rows = {r.partner: r for r in partner_numbers(actor=None, programme=c.programme, period=PERIOD)}
    assert (rows[c.partner_a].participants, rows[c.partner_a].exits) == (3, 1)
    assert rows[c.partner_a].ineligible == 1
    assert (rows[c.partner_b].participants, rows[c.partner_b].exits) == (1, 1)
    months = enrollments_by_month(actor=None, programme=c.programme, period=PERIOD)
    # January: Noor's first; February: Layla, Hassan, Senait; April: Noor's second. Erik and Sam
    # are not eligible-or-known, Fel was erroneous, Olle started before the period.
    assert [(m.month.month, m.count) for m in months] == [(1, 1), (2, 3), (4, 1)]
    mona = partner_numbers(actor=c.mona, programme=c.programme, period=PERIOD)
    assert all(r.suppressed and r.participants is None for r in mona)


def test_local_authorities_supported_counts_partner_organisations(world):
    c = world.cast
    # Alfa kommun is a municipality, Beta folkhögskola is not.
    results = compute_indicators(actor=c.mona, programme=c.programme)
    authorities = _get(results, "O.2.2")
    assert (authorities.numerator, authorities.denominator) == (1, 2)
    assert not authorities.suppressed  # organisations, not people
    partner_b = compute_indicators(actor=None, programme=c.programme, partner=c.partner_b)
    assert _get(partner_b, "O.2.2").numerator == 0


def test_language_levels_improved_and_not_assessed(world):
    from stegvis.languagelevels.models import LanguageResult

    c = world.cast

    def sfi(enrollment, day, course, grade, path=1):
        LanguageResult.objects.create(
            enrollment=enrollment,
            kind="sfi_course",
            result_date=day,
            study_path=path,
            course=course,
            grade=grade,
            source="school_result",
            recorded_by=c.alice,
        )

    D = datetime.date
    sfi(c.enrollment_a, D(2025, 2, 10), "A", "G")  # Layla: A then B passed: improved
    sfi(c.enrollment_a, D(2025, 5, 1), "B", "G")
    sfi(c.enrollment_a2, D(2025, 2, 10), "B", "G")  # Hassan: one result: not assessed
    sfi(c.enrollment_b, D(2025, 2, 10), "C", "G")  # Senait: C passed, D not passed: assessed,
    sfi(c.enrollment_b, D(2025, 4, 1), "D", "IG")  # not improved
    sfi(world.erik, D(2025, 2, 10), "A", "G")  # ineligible: shown apart
    results = compute_indicators(actor=None, programme=c.programme, period=PERIOD)
    language = _get(results, "R.2.8")
    assert (language.numerator, language.denominator, language.missing) == (1, 3, 1)
    assert language.excluded_ineligible == 1
    assert language.value == Decimal("33.3")
    qs, _ = enrollments_behind(actor=None, programme=c.programme, code="R.2.8", period=PERIOD)
    assert list(qs) == [c.enrollment_a]


def test_exit_questionnaire_latest_answer_counts(world):
    from stegvis.progression.models import Answer, Assessment, Instrument

    c = world.cast
    version = Instrument.objects.get(code="exit-questionnaire").current_version()
    item = version.items.get(code="helped-integration")

    def answer(enrollment, day, value):
        assessment = Assessment.objects.create(
            enrollment=enrollment,
            version=version,
            point="exit",
            date=day,
            language="sv",
            mode="assisted",
        )
        Answer.objects.create(assessment=assessment, item=item, value=value)

    D = datetime.date
    answer(c.enrollment_b, D(2025, 4, 20), 3)  # Senait: "no", then "yes": the latest counts
    answer(c.enrollment_b, D(2025, 4, 30), 1)
    answer(world.noor_first, D(2025, 3, 10), None)  # Noor skipped the question: missing
    answer(c.enrollment_a2, D(2025, 7, 30), 1)  # Hassan: yes, but he left after the period
    results = compute_indicators(actor=None, programme=c.programme, period=PERIOD)
    helped = _get(results, "R.2.9")
    assert (helped.numerator, helped.denominator, helped.missing) == (1, 2, 1)
    assert helped.by_gender["woman"] == 1
    everything = compute_indicators(actor=None, programme=c.programme)
    # Whole programme: Noor (skipped), Hassan (yes), Senait (yes), Olle (none).
    assert (_get(everything, "R.2.9").numerator, _get(everything, "R.2.9").missing) == (2, 2)


def test_belief_in_work_compares_first_and_latest_self_rating(world):
    """Lerum goal 2, by hand (whole programme: leavers Noor, Hassan, Senait, Olle = 4).

    - Senait: belief in work 4, then 5, then 7 (v1): latest 7 > first 4, improved.
    - Noor: 6 on v1, then 5 on v2 (a copy, same 1-10 scale): compared, not improved.
    - Hassan: one rating only: missing (no follow-up).
    - Olle: 3 on v1, then 4 on v3 where the item is rated 1-5: not comparable, missing;
      his "participation" rose, but only belief in work counts.
    - Layla (no exit): rated and improved, but not in the population.
    So 1 of 4 improved (25 %), 2 missing.
    """
    from stegvis.progression.models import Answer, Assessment, Instrument
    from stegvis.progression.services import version_copy

    c = world.cast
    v1 = Instrument.objects.get(code="self-rating").current_version()
    v2 = version_copy(version=v1)
    v3 = version_copy(version=v1)
    v3.items.filter(dimension="work_belief").update(scale_max=5)

    def rate(enrollment, version, day, work, participation=5):
        assessment = Assessment.objects.create(
            enrollment=enrollment,
            version=version,
            point="follow_up",
            date=day,
            language="sv",
            mode="assisted",
        )
        Answer.objects.create(
            assessment=assessment, item=version.items.get(dimension="work_belief"), value=work
        )
        Answer.objects.create(
            assessment=assessment,
            item=version.items.get(dimension="participation"),
            value=participation,
        )

    D = datetime.date
    rate(c.enrollment_b, v1, D(2025, 1, 5), 4)
    rate(c.enrollment_b, v1, D(2025, 3, 5), 5)
    rate(c.enrollment_b, v1, D(2025, 4, 25), 7)
    rate(world.noor_first, v1, D(2025, 1, 12), 6)
    rate(world.noor_first, v2, D(2025, 3, 10), 5)
    rate(c.enrollment_a2, v1, D(2025, 2, 1), 2)
    rate(world.old, v1, D(2024, 3, 5), 3, participation=2)
    rate(world.old, v3, D(2024, 11, 20), 4, participation=9)
    rate(c.enrollment_a, v1, D(2025, 2, 5), 2)
    rate(c.enrollment_a, v1, D(2025, 5, 5), 8)

    results = compute_indicators(actor=None, programme=c.programme)
    work = _get(results, "employability")
    assert (work.numerator, work.denominator, work.missing) == (1, 4, 2)
    assert work.value == Decimal("25.0")
    assert work.by_gender["woman"] == 1
    # In the period only Noor's first exit and Senait's: 1 of 2, nobody missing.
    period_results = compute_indicators(actor=None, programme=c.programme, period=PERIOD)
    in_period = _get(period_results, "employability")
    assert (in_period.numerator, in_period.denominator, in_period.missing) == (1, 2, 0)
    qs, _ = enrollments_behind(actor=None, programme=c.programme, code="employability")
    assert list(qs) == [c.enrollment_b]


def test_belief_in_work_costs_the_same_queries_whatever_the_number_of_ratings(world):
    from stegvis.progression.models import Answer, Assessment, Instrument

    c = world.cast
    v1 = Instrument.objects.get(code="self-rating").current_version()
    item = v1.items.get(dimension="work_belief")

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            compute_indicators(actor=None, programme=c.programme)
        return len(ctx.captured_queries)

    before = count_queries()
    for enrollment in [c.enrollment_a, c.enrollment_b, world.noor_first, world.old]:
        for day in (1, 2, 3):
            a = Assessment.objects.create(
                enrollment=enrollment,
                version=v1,
                point="follow_up",
                date=datetime.date(2025, 1, day),
                language="sv",
                mode="assisted",
            )
            Answer.objects.create(assessment=a, item=item, value=day)
    assert count_queries() == before
