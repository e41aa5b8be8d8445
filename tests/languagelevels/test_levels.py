"""The ordered level scales and "improved by at least one level", on hand-computed fixtures.

Swedish scale: 0 before SFI A, 1 A passed, 2 B, 3 C, 4 D, 5 SAS grund; a result not passed (F,
IG or not graded yet) sits one below its course. CEFR: pre-A1 0 … C2 6, per skill.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from stegvis.languagelevels.models import LanguageResult, ResultKind, Source, level_of
from stegvis.languagelevels.selectors import (
    improved_one_level_counts,
    language_participants,
    language_progress,
)
from stegvis.participants.models import Enrollment, EnrollmentStatus
from tests import factories as f

from .helpers import D1, D2, D3, cefr, sas, sfi


@pytest.mark.parametrize(
    ("kind", "course", "grade", "cefr_level", "level"),
    [
        ("sfi_course", "A", "F", "", 0),
        ("sfi_course", "A", "", "", 0),
        ("sfi_course", "A", "E", "", 1),
        ("sfi_course", "B", "IG", "", 1),
        ("sfi_course", "B", "A", "", 2),
        ("sfi_course", "C", "G", "", 3),
        ("sfi_course", "D", "F", "", 3),
        ("sfi_course", "D", "C", "", 4),
        ("sas", "", "F", "", 4),
        ("sas", "", "", "", 4),
        ("sas", "", "E", "", 5),
        ("cefr", "", "", "preA1", 0),
        ("cefr", "", "", "A1", 1),
        ("cefr", "", "", "B1", 3),
        ("cefr", "", "", "C2", 6),
    ],
)
def test_each_result_has_its_level_on_its_scale(kind, course, grade, cefr_level, level):
    assert level_of(kind, course, grade, cefr_level) == level


def test_the_database_computes_the_same_level_as_python(cast):
    e = cast.enrollment_a
    rows = [
        sfi(e, cast.alice, D1, 1, "A", "F"),
        sfi(e, cast.alice, D1, 1, "B", "E"),
        sfi(e, cast.alice, D1, 2, "D", "IG"),
        sas(e, cast.alice, D1, "B"),
        cefr(e, cast.alice, D1, "writing", "A2"),
    ]
    from stegvis.languagelevels.models import LEVEL

    in_db = dict(LanguageResult.objects.annotate(rank=LEVEL).values_list("pk", "rank"))
    assert (
        in_db
        == {r.pk: r.level for r in rows}
        == {
            rows[0].pk: 0,
            rows[1].pk: 2,
            rows[2].pk: 3,
            rows[3].pk: 5,
            rows[4].pk: 2,
        }
    )


def _progress(*enrollments):
    qs = language_progress(Enrollment.objects.filter(pk__in=[e.pk for e in enrollments]))
    return {
        e.pk: (e.entry_level, e.exit_level, e.assessed, e.improved_one_level)
        for e in qs.order_by("pk")
    }


def new_enrollment(cast, **kwargs):
    return f.EnrollmentFactory(partner=cast.partner_a, unit=cast.unit_a, **kwargs)


def test_one_result_is_missing_follow_up_not_no_improvement(cast):
    e = new_enrollment(cast)
    sfi(e, cast.alice, D1, 2, "B", "E")
    assert _progress(e) == {e.pk: (2, 2, False, False)}


def test_no_result_has_no_levels(cast):
    e = new_enrollment(cast)
    assert _progress(e) == {e.pk: (None, None, False, False)}


def test_passing_the_course_one_was_placed_in_is_one_level_up(cast):
    e = new_enrollment(cast)
    sfi(e, cast.alice, D1, 2, "B")  # placed in B, not graded: level 1
    sfi(e, cast.alice, D2, 2, "B", "C")  # B passed: level 2
    assert _progress(e) == {e.pk: (1, 2, True, True)}


def test_f_grades_do_not_count_as_passed(cast):
    e = new_enrollment(cast)
    sfi(e, cast.alice, D1, 2, "B")
    sfi(e, cast.alice, D2, 2, "B", "F")
    sfi(e, cast.alice, D3, 2, "B", "IG")
    assert _progress(e) == {e.pk: (1, 1, True, False)}


def test_failing_the_next_course_keeps_the_level_reached(cast):
    e = new_enrollment(cast)
    sfi(e, cast.alice, D1, 3, "C", "E")  # 3
    sfi(e, cast.alice, D2, 3, "D", "F")  # 3
    assert _progress(e) == {e.pk: (3, 3, True, False)}


def test_a_passed_course_stays_passed(cast):
    e = new_enrollment(cast)
    sfi(e, cast.alice, D1, 1, "A", "F")  # 0
    sfi(e, cast.alice, D2, 1, "B", "E")  # 2
    sfi(e, cast.alice, D3, 1, "B", "F")  # a later fail in B (a retake): still 2
    assert _progress(e) == {e.pk: (0, 2, True, True)}


def test_a_change_of_study_path_is_compared_by_course(cast):
    moved_on = new_enrollment(cast)
    sfi(moved_on, cast.alice, D1, 1, "B", "E")  # 2
    sfi(moved_on, cast.alice, D2, 2, "C")  # placed in C on path 2: still 2
    sfi(moved_on, cast.alice, D3, 2, "C", "D")  # 3
    stayed = new_enrollment(cast)
    sfi(stayed, cast.alice, D1, 1, "C", "E")  # 3
    sfi(stayed, cast.alice, D2, 3, "D")  # placed in D on path 3: 3
    assert _progress(moved_on, stayed) == {
        moved_on.pk: (2, 3, True, True),
        stayed.pk: (3, 3, True, False),
    }


def test_sas_grund_is_the_level_after_sfi_d(cast):
    e = new_enrollment(cast)
    sfi(e, cast.alice, D1, 3, "D", "E")  # 4
    sas(e, cast.alice, D2, "F")  # 4
    sas(e, cast.alice, D3, "E")  # 5
    assert _progress(e) == {e.pk: (4, 5, True, True)}


def test_entry_is_the_highest_level_on_the_first_date(cast):
    e = new_enrollment(cast)
    sfi(e, cast.alice, D1, 1, "A", "E")  # 1
    sfi(e, cast.alice, D1, 1, "B", "E")  # 2, same day: the entry level
    assert _progress(e) == {e.pk: (2, 2, False, False)}
    sfi(e, cast.alice, D2, 1, "C")  # placed in C: 2
    assert _progress(e) == {e.pk: (2, 2, True, False)}


def test_cefr_levels_compare_within_one_skill(cast):
    improved = new_enrollment(cast)
    cefr(improved, cast.alice, D1, "reading", "A1")
    cefr(improved, cast.alice, D2, "reading", "A2")
    other_skills = new_enrollment(cast)
    cefr(other_skills, cast.alice, D1, "reading", "A1")
    cefr(other_skills, cast.alice, D2, "writing", "B1")  # higher, but another skill
    went_down = new_enrollment(cast)
    cefr(went_down, cast.alice, D1, "listening", "B1")
    cefr(went_down, cast.alice, D2, "listening", "A2")
    up_then_back = new_enrollment(cast)
    cefr(up_then_back, cast.alice, D1, "spoken_production", "A1")
    cefr(up_then_back, cast.alice, D2, "spoken_production", "A2")
    cefr(up_then_back, cast.alice, D3, "spoken_production", "A1")  # latest counts: A1
    one_skill_of_two = new_enrollment(cast)
    cefr(one_skill_of_two, cast.alice, D1, "writing", "A2")
    cefr(one_skill_of_two, cast.alice, D2, "writing", "A2")
    cefr(one_skill_of_two, cast.alice, D1, "spoken_interaction", "preA1")
    cefr(one_skill_of_two, cast.alice, D3, "spoken_interaction", "A1")
    same_day = new_enrollment(cast)
    cefr(same_day, cast.alice, D1, "reading", "A1")
    cefr(same_day, cast.alice, D1, "reading", "B1")
    # CEFR-only enrollments have no Swedish-scale levels.
    assert _progress(
        improved, other_skills, went_down, up_then_back, one_skill_of_two, same_day
    ) == {
        improved.pk: (None, None, True, True),
        other_skills.pk: (None, None, False, False),
        went_down.pk: (None, None, True, False),
        up_then_back.pk: (None, None, True, False),
        one_skill_of_two.pk: (None, None, True, True),
        same_day.pk: (None, None, False, False),
    }


def test_levels_the_participant_reported_themselves_do_not_count(cast):
    e = new_enrollment(cast)
    cefr(e, cast.alice, D1, "reading", "A1")
    self_report = cefr(e, cast.alice, D2, "reading", "B1")
    self_report.source = Source.SELF_REPORTED
    self_report.save()
    sfi(e, cast.alice, D1, 2, "B")
    told = sfi(e, cast.alice, D3, 2, "B", "E")
    told.source = Source.SELF_REPORTED
    told.save()
    assert _progress(e) == {e.pk: (1, 1, False, False)}
    assert improved_one_level_counts(Enrollment.objects.filter(pk=e.pk))["missing_followup"] == 1


def test_sfi_and_cefr_are_never_compared_with_each_other(cast):
    e = new_enrollment(cast)
    sfi(e, cast.alice, D1, 2, "B", "E")  # SFI B ≈ A1/A2 in third-party estimates
    cefr(e, cast.alice, D2, "reading", "B2")
    assert _progress(e) == {e.pk: (2, 2, False, False)}


def test_either_scale_improving_is_enough(cast):
    e = new_enrollment(cast)
    sfi(e, cast.alice, D1, 2, "C", "E")
    sfi(e, cast.alice, D2, 2, "D", "F")  # no SFI progress
    cefr(e, cast.alice, D1, "writing", "A2")
    cefr(e, cast.alice, D3, "writing", "B1")  # but writing went up
    assert _progress(e) == {e.pk: (3, 3, True, True)}


def test_people_enrolled_twice_count_per_enrollment(cast):
    person = f.ParticipantFactory()
    first = new_enrollment(
        cast,
        participant=person,
        status=EnrollmentStatus.EXITED,
        start_date=datetime.date(2024, 1, 10),
        end_date=datetime.date(2024, 12, 20),
    )
    second = new_enrollment(cast, participant=person, start_date=datetime.date(2025, 2, 1))
    sfi(first, cast.alice, datetime.date(2024, 2, 1), 1, "A")
    sfi(first, cast.alice, datetime.date(2024, 11, 1), 1, "A", "E")
    sfi(second, cast.alice, D2, 1, "B", "E")  # a higher level, but only one result here
    assert _progress(first, second) == {
        first.pk: (0, 1, True, True),
        second.pk: (2, 2, False, False),
    }
    counts = improved_one_level_counts(Enrollment.objects.filter(pk__in=[first.pk, second.pk]))
    assert counts == {
        "population": 2,
        "with_two_results": 1,
        "improved": 1,
        "missing_followup": 1,
        "without_results": 0,
    }


@pytest.fixture
def language_course(cast):
    from stegvis.activities.models import Activity, ActivityType

    def make(category="language_course"):
        activity_type = ActivityType.objects.create(
            programme=cast.programme, name=f"Typ {category}", funder_category=category
        )
        return Activity.objects.create(
            activity_type=activity_type,
            partner=cast.partner_a,
            unit=cast.unit_a,
            name=f"Kurs {category}",
            start_date=D1,
            created_by=cast.anna,
        )

    return make


def test_the_population_is_language_course_participants_or_people_with_results(
    cast, language_course
):
    from stegvis.activities.models import Participation

    course, other = language_course("language_course"), language_course("civic_orientation")
    in_course_no_results = new_enrollment(cast)
    Participation.objects.create(
        activity=course, enrollment=in_course_no_results, start_date=D1, created_by=cast.anna
    )
    in_other_activity = new_enrollment(cast)
    Participation.objects.create(
        activity=other, enrollment=in_other_activity, start_date=D1, created_by=cast.anna
    )
    results_only = new_enrollment(cast)
    sfi(results_only, cast.alice, D1, 1, "A")
    sfi(results_only, cast.alice, D2, 1, "A", "E")
    one_result = new_enrollment(cast)
    sfi(one_result, cast.alice, D1, 1, "B")
    not_improved = new_enrollment(cast)
    sfi(not_improved, cast.alice, D1, 1, "B")
    sfi(not_improved, cast.alice, D2, 1, "B", "F")
    nothing = new_enrollment(cast)
    everyone = Enrollment.objects.filter(
        pk__in=[
            in_course_no_results.pk,
            in_other_activity.pk,
            results_only.pk,
            one_result.pk,
            not_improved.pk,
            nothing.pk,
        ]
    )
    assert set(language_participants(everyone).values_list("pk", flat=True)) == {
        in_course_no_results.pk,
        results_only.pk,
        one_result.pk,
        not_improved.pk,
    }
    assert improved_one_level_counts(everyone) == {
        "population": 4,
        "with_two_results": 2,
        "improved": 1,
        "missing_followup": 2,
        "without_results": 1,
    }


def test_callers_exclude_ineligible_enrollments_through_the_queryset(cast):
    eligible = new_enrollment(cast)
    ineligible = new_enrollment(cast, participant=f.ParticipantFactory(citizenships=["SE"]))
    assert ineligible.eligibility == "ineligible"
    for e in (eligible, ineligible):
        sfi(e, cast.alice, D1, 1, "A")
        sfi(e, cast.alice, D2, 1, "A", "E")
    both = Enrollment.objects.filter(pk__in=[eligible.pk, ineligible.pk])
    assert improved_one_level_counts(both)["improved"] == 2
    counted = improved_one_level_counts(both.filter(eligibility="eligible"))
    assert counted == {
        "population": 1,
        "with_two_results": 1,
        "improved": 1,
        "missing_followup": 0,
        "without_results": 0,
    }


def test_counting_is_one_query(cast, django_assert_max_num_queries):
    for _ in range(3):
        e = new_enrollment(cast)
        sfi(e, cast.alice, D1, 1, "A")
        sfi(e, cast.alice, D2, 1, "A", "E")
        cefr(e, cast.alice, D1, "reading", "A1")
    # PostgreSQL adds a savepoint and "SET LOCAL jit = off" around it (see _without_jit).
    with django_assert_max_num_queries(4) as captured:
        improved_one_level_counts(Enrollment.objects.all())
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert len(selects) == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": ResultKind.SFI, "study_path": 3, "course": "A"},
        {"kind": ResultKind.SFI, "study_path": 2, "course": "A"},
        {"kind": ResultKind.SFI, "study_path": None, "course": "B"},
        {"kind": ResultKind.SFI, "study_path": 1, "course": ""},
        {"kind": ResultKind.SFI, "study_path": 1, "course": "B", "skill": "reading"},
        {"kind": ResultKind.SAS, "course": "D"},
        {"kind": ResultKind.CEFR, "skill": "reading", "cefr_level": ""},
        {"kind": ResultKind.CEFR, "skill": "", "cefr_level": "A1"},
        {"kind": ResultKind.CEFR, "skill": "reading", "cefr_level": "A1", "grade": "E"},
        {"kind": ResultKind.SFI, "study_path": 1, "course": "B", "grade": "X"},
        {"kind": "oral", "study_path": 1, "course": "B"},
    ],
)
def test_the_database_refuses_invalid_combinations(cast, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        LanguageResult.objects.create(
            enrollment=cast.enrollment_a,
            result_date=D1,
            source=Source.SCHOOL_RESULT,
            recorded_by=cast.alice,
            **fields,
        )


def test_the_history_page_applies_the_same_rules_as_the_database(cast):
    from stegvis.languagelevels.selectors import history

    e = new_enrollment(cast)
    sfi(e, cast.alice, D1, 1, "A", "E")
    sfi(e, cast.alice, D1, 1, "B")
    sfi(e, cast.alice, D2, 1, "B", "F")
    sfi(e, cast.alice, D3, 1, "B", "C")
    cefr(e, cast.alice, D1, "writing", "A2")
    cefr(e, cast.alice, D2, "writing", "B1")
    cefr(e, cast.alice, D3, "writing", "A2")
    cefr(e, cast.alice, D2, "listening", "A1")
    with translation.override("en"):
        series = {s.scale: s for s in history(list(LanguageResult.objects.filter(enrollment=e)))}
    assert list(series) == ["swedish", "cefr:listening", "cefr:writing"]
    swedish = series["swedish"]
    assert (swedish.entry, swedish.exit, swedish.assessed, swedish.improved) == (1, 2, True, True)
    assert (swedish.entry_label, swedish.exit_label) == ("SFI A", "SFI B")
    writing = series["cefr:writing"]
    assert (writing.entry, writing.exit, writing.assessed, writing.improved) == (2, 2, True, False)
    assert not series["cefr:listening"].assessed
    assert _progress(e) == {e.pk: (1, 2, True, True)}


def test_the_flags_merge_into_another_annotate_as_the_indicators_do(cast):
    from django.db.models import Count, Q

    from stegvis.languagelevels.selectors import language_level_flags

    improved, flat, single = new_enrollment(cast), new_enrollment(cast), new_enrollment(cast)
    sfi(improved, cast.alice, D1, 3, "C")
    sfi(improved, cast.alice, D2, 3, "C", "E")
    sfi(flat, cast.alice, D1, 3, "C", "E")
    sfi(flat, cast.alice, D2, 3, "D", "F")
    cefr(single, cast.alice, D1, "reading", "A1")
    counts = (
        Enrollment.objects.filter(pk__in=[improved.pk, flat.pk, single.pk])
        .annotate(started_2025=Q(start_date__year=2025), **language_level_flags())
        .aggregate(
            n=Count("pk"),
            assessed=Count("pk", filter=Q(language_assessed=True)),
            improved=Count("pk", filter=Q(language_improved=True)),
        )
    )
    assert counts == {"n": 3, "assessed": 2, "improved": 1}
