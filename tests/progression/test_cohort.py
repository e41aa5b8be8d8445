"""Cohort progression against hand-computed figures.

Self-rating, partner A (first vs latest round; overall = mean of comparable dimensions):
  E1  v1 (2, 4, 6)=4 -> follow-up (3,3,3) ignored -> v1 (5, 5, 8)=6       change +2
  E2  v1 (6, 6, 6)=6 -> v1 (5, 6, 4)=5                                     change -1
  E3  v1 (3, 3, 3) only                                                    lacking a follow-up
  E4  v1 (4, skip, 4) -> v1 (7, 7, 7): society not in the first round,
      compared on Swedish and work: 4 -> 7                                 change +3
  E5  v1 (2, 2, 2) -> v2 (4, 5, 6), where v2 rates society 1-5:
      compared on Swedish and work only: 2 -> 5                            change +3
  E6  v1 (2, 2, 2) -> v3 (all 1-5): nothing comparable                     not comparable
  E8  v1 (5, 5, 5) -> v1 (5, 5, 5)                                         change 0
Changes 2, -1, 3, 3, 0: n = 5, improved 3 (60 %), mean 1.4,
  s = sqrt(13.2 / 4) = 1.816590, se = 0.812404, t(0.975, 4) = 2.776,
  CI = 1.4 ± 2.255234 = (-0.855234, 3.655234).
Partner B: E7 (1,1,1) -> (2,2,2), change +1, n = 1 (no interval).
Track "Jobbspår" (E1, E2): changes 2, -1: mean 0.5, s = 2.121320, se = 1.5,
  t(0.975, 1) = 12.706, CI = 0.5 ± 19.059 = (-18.559, 19.559).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from stegvis.activities import services as activity_services
from stegvis.activities.models import ActivityType
from stegvis.participants.models import Enrollment
from stegvis.progression import bundled, selectors, services, stats
from stegvis.progression.models import Instrument
from tests import factories as f


def _version_with_scales(maxima):
    data = bundled.read(bundled.INSTRUMENT_DIR / "self-rating.json")
    for item in data["items"]:
        item["scale_max"] = maxima.get(item["code"], item["scale_max"])
    return services.instrument_load(data=data)


def values(a, b, c):
    return {"swedish": a, "society": b, "future-work": c}


@pytest.fixture
def cohort(cast, self_rating, rate):
    v1 = self_rating
    v2 = _version_with_scales({"society": 5})
    v3 = _version_with_scales({"swedish": 5, "society": 5, "future-work": 5})

    def enrol(partner=cast.partner_a, unit=cast.unit_a, track=None):
        return f.EnrollmentFactory(partner=partner, unit=unit, track=track)

    e1 = enrol(track=cast.track)
    rate(e1, v1, "2025-03-01", values(2, 4, 6))
    rate(e1, v1, "2025-06-01", values(3, 3, 3), point="follow_up")
    rate(e1, v1, "2025-09-01", values(5, 5, 8), point="exit")
    e2 = enrol(track=cast.track)
    rate(e2, v1, "2025-03-01", values(6, 6, 6))
    rate(e2, v1, "2025-09-01", values(5, 6, 4), point="exit")
    e3 = enrol()
    rate(e3, v1, "2025-03-01", values(3, 3, 3))
    e4 = enrol()
    rate(e4, v1, "2025-03-01", {"swedish": 4, "society": None, "future-work": 4})
    rate(e4, v1, "2025-09-01", values(7, 7, 7), point="exit")
    e5 = enrol()
    rate(e5, v1, "2025-03-01", values(2, 2, 2))
    rate(e5, v2, "2025-09-01", values(4, 5, 6), point="exit")
    e6 = enrol()
    rate(e6, v1, "2025-03-01", values(2, 2, 2))
    rate(e6, v3, "2025-09-01", values(4, 4, 4), point="exit")
    e8 = enrol()
    rate(e8, v1, "2025-03-01", values(5, 5, 5))
    rate(e8, v1, "2025-09-01", values(5, 5, 5), point="exit")
    e7 = enrol(partner=cast.partner_b, unit=cast.unit_b)
    rate(e7, v1, "2025-03-01", values(1, 1, 1))
    rate(e7, v1, "2025-09-01", values(2, 2, 2), point="exit")
    return Instrument.objects.get(code="self-rating")


def rows_for(actor, programme, instrument, grouping="partner"):
    enrollments, record_access = selectors.cohort_enrollments(actor, programme)
    with translation.override("en"):
        return {
            row.label: row
            for row in selectors.cohort_progression(
                enrollments=enrollments,
                instrument=instrument,
                grouping=grouping,
                record_access=record_access,
            )
        }


def test_t_critical_values():
    assert stats.t_critical(1) == 12.706
    assert stats.t_critical(4) == 2.776
    assert stats.t_critical(35) == 2.042  # the next lower listed df: conservative
    assert stats.t_critical(1000) == 1.960


def test_mean_change_with_a_95_percent_interval():
    change = stats.mean_change([2, -1, 3, 3, 0])
    assert change.mean == pytest.approx(1.4)
    assert change.low == pytest.approx(-0.855234, abs=1e-5)
    assert change.high == pytest.approx(3.655234, abs=1e-5)
    single = stats.mean_change([1.0])
    assert (single.mean, single.low, single.high) == (1.0, None, None)
    assert stats.mean_change([]) is None


def test_partner_coordinator_sees_own_partner_progression(cast, cohort):
    rows = rows_for(cast.anna, cast.programme, cohort)
    assert set(rows) == {"Alfa kommun"}
    row = rows["Alfa kommun"]
    assert row.assessed.value == 7
    assert row.both_rounds.value == 5
    assert row.improved.value == 3
    assert row.share_improved == pytest.approx(0.6)
    assert row.change.mean == pytest.approx(1.4)
    assert row.change.low == pytest.approx(-0.855234, abs=1e-5)
    assert row.change.high == pytest.approx(3.655234, abs=1e-5)
    assert row.lacking_follow_up.value == 1
    assert row.not_comparable.value == 1


def test_progression_per_track(cast, cohort):
    row = rows_for(cast.anna, cast.programme, cohort, grouping="track")["Jobbspår"]
    assert row.both_rounds.value == 2
    assert row.change.mean == pytest.approx(0.5)
    assert row.change.low == pytest.approx(-18.559, abs=1e-3)
    assert row.change.high == pytest.approx(19.559, abs=1e-3)


def test_programme_manager_sees_all_partners_with_small_groups_suppressed(cast, cohort):
    rows = rows_for(cast.mona, cast.programme, cohort)
    assert rows["Alfa kommun"].change.mean == pytest.approx(1.4)
    assert not rows["Alfa kommun"].hidden
    small = rows["Beta folkhögskola"]
    assert small.hidden and small.change is None and small.share_improved is None
    assert str(small.both_rounds) == "<5"


def test_outsiders_see_no_progression(cast, cohort):
    assert rows_for(cast.otto, cast.programme, cohort) == {}
    assert set(rows_for(cast.bea, cast.programme, cohort)) == {"Beta folkhögskola"}


def test_cohort_page_shows_a_chart_and_its_table(cast, client, cohort):
    client.force_login(cast.mona)
    url = reverse("progression:cohort")
    page = client.get(
        url, {"programme": cast.programme.pk, "instrument": cohort.pk, "grouping": "partner"}
    ).content.decode()
    assert 'role="img"' in page and "<caption>" in page
    assert "1.40 (-0.86 – 3.66)" in page and "60 %" in page
    assert "&lt;5" in page
    client.force_login(cast.otto)
    page = client.get(
        url, {"programme": cast.programme.pk, "instrument": cohort.pk, "grouping": "partner"}
    ).content.decode()
    assert "Alfa kommun" not in page


def test_radar_chart_of_first_and_latest_rounds(cast, cohort):
    enrollment = cohort.versions.first().assessments.order_by("pk").first().enrollment
    with translation.override("en"):
        (chart,) = selectors.radar_charts(enrollment)
        labels = [label for _code, label in chart.dimensions]
    assert labels == [
        "Swedish",
        "Participation in society",
        "Belief in work",
    ]
    assert [r["values"] for r in chart.rounds] == [[2, 4, 6], [3, 3, 3], [5, 5, 8]]
    assert chart.table[0] == ("Swedish", [2, 3, 5])


def test_exit_answers_count_each_persons_latest_questionnaire(cast, rate):
    questionnaire = Instrument.objects.get(code="exit-questionnaire").current_version()

    def answered(helped, day="2025-09-01", enrollment=None):
        enrollment = enrollment or f.EnrollmentFactory(partner=cast.partner_a, unit=cast.unit_a)
        rate(enrollment, questionnaire, day, {"helped-integration": helped}, point="exit")
        return enrollment

    answered(1)  # yes
    answered(1)
    answered(2)  # partly
    answered(None)  # skipped
    corrected = answered(3)  # no, then yes in a later questionnaire: counts once, as yes
    answered(1, day="2025-10-01", enrollment=corrected)
    answered(4, enrollment=f.EnrollmentFactory(partner=cast.partner_b, unit=cast.unit_b))
    enrollments, _record_access = selectors.cohort_enrollments(cast.anna, cast.programme)
    assert selectors.exit_answers(enrollments=enrollments, item_code="helped-integration") == {
        "yes": 3,
        "partly": 1,
        "skipped": 1,
    }


def test_progression_per_activity_type(cast, cohort):
    activity_type = ActivityType.objects.create(
        programme=cast.programme, name="Yrkessvenska", funder_category="language_course"
    )
    activity = activity_services.activity_create(
        actor=cast.anna,
        activity_type=activity_type,
        unit=cast.unit_a,
        name="Yrkessvenska i storkök",
        language="easy_swedish",
        start_date=datetime.date(2025, 2, 1),
        capacity=12,
    )
    # E1 and E2 are the cohort's enrollments on the track (cast.enrollment_a is not rated).
    for enrollment in Enrollment.objects.filter(track=cast.track).exclude(pk=cast.enrollment_a.pk):
        activity_services.participation_add(
            actor=cast.anna,
            activity=activity,
            enrollment=enrollment,
            start_date=datetime.date(2025, 2, 15),
        )
    rows = rows_for(cast.anna, cast.programme, cohort, grouping="activity_type")
    assert rows["Yrkessvenska"].both_rounds.value == 2
    assert rows["Yrkessvenska"].change.mean == pytest.approx(0.5)
    assert rows["None"].both_rounds.value == 3
    assert rows["None"].lacking_follow_up.value == 1


def test_cohort_page_shows_the_self_rating_without_choosing(cast, client, cohort):
    client.force_login(cast.anna)
    page = client.get(reverse("progression:cohort")).content.decode()
    assert "<caption>Progression per group</caption>" in page
    assert "Alfa kommun" in page and "Beta folkhögskola" not in page
