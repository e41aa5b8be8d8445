"""Attendance rates and hours against a hand-computed fixture.

Counted "today" is 2025-03-31. All sessions are 3 hours unless said otherwise.

SFI group (partner A, type SFI), sessions:
    S1 Mon 03-03   S2 Wed 03-05   S3 Mon 03-10 CANCELLED   S4 Wed 03-12
    S5 Mon 03-17   S6 Wed 03-19   S7 Wed 04-02 (after "today")
  Layla: from 03-01, no end. Counted: S1 S2 S4 S5 S6 = 5 (S3 cancelled, S7 not yet).
    S1 present 3h, S2 present 2.5h, S3 present (then cancelled: ignored), S4 absent,
    S5 excused, S6 no mark, S7 present (after today: ignored).
    → present 2, absent 1, excused 1, not registered 1 (S6); rate 2/(2+1) = 66.7 %; 5.5 h.
  Hassan: joins late 03-11, leaves early 03-17. Counted: S4 S5 = 2.
    S2 present (before he joined: ignored), S4 present 3h, S5 present 3h.
    → present 2, absent 0, excused 0, not registered 0; rate 2/2 = 100 %; 6 h.
  Activity: expected 7, present 4, absent 1, excused 1, not registered 1; 4/5 = 80 %; 11.5 h.

Health group (partner A, type Health), one 1.5 h session H1 Fri 03-07:
  Layla present 1.5 h → expected 1, present 1; 100 %; 1.5 h.

Partner A (= both activities): expected 8, present 5, absent 1, excused 1, not registered 1;
  5/6 = 83.3 %; 13.0 h.
Layla over both activities: expected 6, present 3, absent 1, excused 1, not registered 1;
  3/4 = 75.0 %; 7.0 h.

Beta group (partner B, type Health): sessions B1 03-04, B2 03-06; Senait absent at both.
  → expected 2, absent 2; 0/2 = 0.0 %; 0 h. Never counted in A's figures.
"""

import datetime
from decimal import Decimal

import pytest

from stegvis.activities import figures
from stegvis.activities.models import (
    ActivityType,
    Attendance,
    FunderCategory,
    Participation,
)
from stegvis.activities.selectors import figure_participations, visible_participations
from stegvis.activities.services import Mark, attendance_save, participation_add
from tests.activities.conftest import START, make_activity, make_session

TODAY = datetime.date(2025, 3, 31)
D = datetime.date


def mark(actor, session, participation, status, hours=3):
    attendance_save(
        actor=actor, session=session, marks={participation.pk: Mark(status, Decimal(hours))}
    )


@pytest.fixture
def world(cast, sfi):
    health = ActivityType.objects.create(
        programme=cast.programme, name="Health group", funder_category=FunderCategory.HEALTH
    )
    group = make_activity(cast.anna, cast.unit_a, sfi)
    layla = participation_add(
        actor=cast.anna, activity=group, enrollment=cast.enrollment_a, start_date=START
    )
    hassan = participation_add(
        actor=cast.anna, activity=group, enrollment=cast.enrollment_a2, start_date=START
    )
    s1, s2, s3, s4, s5, s6, s7 = (
        make_session(group, day)
        for day in (
            D(2025, 3, 3),
            D(2025, 3, 5),
            D(2025, 3, 10),
            D(2025, 3, 12),
            D(2025, 3, 17),
            D(2025, 3, 19),
            D(2025, 4, 2),
        )
    )
    mark(cast.anna, s1, layla, "present")
    mark(cast.anna, s2, layla, "present", "2.5")
    mark(cast.anna, s3, layla, "present")
    s3.cancelled, s3.cancel_reason = True, "Teacher ill"
    s3.save()
    mark(cast.anna, s4, layla, "absent")
    mark(cast.anna, s5, layla, "excused")
    mark(cast.anna, s7, layla, "present")
    # Hassan's mark at S2 was made before his start date was corrected to 03-11.
    mark(cast.anna, s2, hassan, "present")
    mark(cast.anna, s4, hassan, "present")
    mark(cast.anna, s5, hassan, "present")
    Participation.objects.filter(pk=hassan.pk).update(
        start_date=D(2025, 3, 11), end_date=D(2025, 3, 17), end_reason="employment"
    )

    health_group = make_activity(cast.anna, cast.unit_a, health, name="Health group A")
    layla_health = participation_add(
        actor=cast.anna, activity=health_group, enrollment=cast.enrollment_a, start_date=START
    )
    mark(
        cast.anna,
        make_session(health_group, D(2025, 3, 7), hours="1.5"),
        layla_health,
        "present",
        "1.5",
    )

    beta = make_activity(cast.bob, cast.unit_b, health, name="Beta group")
    senait = participation_add(
        actor=cast.bob, activity=beta, enrollment=cast.enrollment_b, start_date=START
    )
    for day in (D(2025, 3, 4), D(2025, 3, 6)):
        mark(cast.bob, make_session(beta, day), senait, "absent")
    assert Attendance.objects.count() == 12
    return {"group": group, "health": health, "layla": layla, "hassan": hassan, "beta": beta}


def F(expected, present, absent, excused, hours):
    return figures.Figures(expected, present, absent, excused, Decimal(hours))


def test_per_participant_in_an_activity(cast, world):
    rows = {
        p.pk: figures.figures_of(p)
        for p in figures.with_figures(
            visible_participations(actor=cast.anna, activity=world["group"]), today=TODAY
        )
    }
    layla, hassan = rows[world["layla"].pk], rows[world["hassan"].pk]
    assert layla == F(5, 2, 1, 1, "5.50")
    assert (layla.not_registered, layla.rate) == (1, 66.7)
    assert hassan == F(2, 2, 0, 0, "6.00")
    assert (hassan.not_registered, hassan.rate) == (0, 100.0)


def test_per_activity(cast, world):
    by_activity = figures.figures_by(
        figure_participations(actor=cast.anna), key="activity", today=TODAY
    )
    group = by_activity[world["group"].pk]
    assert group == F(7, 4, 1, 1, "11.50")
    assert (group.not_registered, group.rate) == (1, 80.0)
    assert world["beta"].pk not in by_activity
    total = figures.totals(
        visible_participations(actor=cast.anna, activity=world["group"]), today=TODAY
    )
    assert total == group


def test_per_activity_type_and_partner(cast, world):
    participations = figure_participations(actor=cast.anna)
    by_type = figures.figures_by(participations, key="activity__activity_type", today=TODAY)
    assert by_type == {
        world["group"].activity_type_id: F(7, 4, 1, 1, "11.50"),
        world["health"].pk: F(1, 1, 0, 0, "1.50"),
    }
    by_partner = figures.figures_by(participations, key="activity__partner", today=TODAY)
    assert by_partner == {cast.partner_a.pk: F(8, 5, 1, 1, "13.00")}
    assert by_partner[cast.partner_a.pk].rate == 83.3


def test_per_participant_over_activities(cast, world):
    by_enrollment = figures.figures_by(
        figure_participations(actor=cast.anna), key="enrollment", today=TODAY
    )
    layla = by_enrollment[cast.enrollment_a.pk]
    assert layla == F(6, 3, 1, 1, "7.00")
    assert layla.rate == 75.0


def test_partner_b_sees_only_its_own(cast, world):
    by_partner = figures.figures_by(
        figure_participations(actor=cast.bea), key="activity__partner", today=TODAY
    )
    assert by_partner == {cast.partner_b.pk: F(2, 0, 2, 0, "0.00")}
    assert by_partner[cast.partner_b.pk].rate == 0.0
    assert (
        figures.figures_by(figure_participations(actor=cast.mona), key="activity", today=TODAY)
        == {}
    )


def test_nothing_to_divide_is_no_rate():
    assert figures.Figures(expected=3, excused=2).rate is None
    assert figures.Figures(expected=3, excused=2).not_registered == 1


def test_the_summary_page(cast, client, world):
    client.force_login(cast.anna)
    response = client.get("/activities/attendance/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Health group" in text and "SFI with vocational Swedish" in text
    assert "Beta" not in text


def test_the_participant_page_shows_attendance_per_activity(cast, client, world):
    client.force_login(cast.anna)
    text = client.get(f"/participants/{cast.enrollment_a2.pk}/").content.decode()
    # Hassan, counted up to the real today: S4 and S5 present, nothing else in his period.
    assert "attendance 100.0 % (2 present, 0 absent)" in text
    assert "6.00 hours" in text
