"""Attendance on the dashboards, against the hand-computed world of the attendance figures
(tests/activities/test_attendance_figures.py) with four more of partner A's participants in
the SFI group, so that some groups reach five people.

Counted up to TODAY = 2025-03-31. From the activities world:
    SFI group (A, SFI):   Layla  expected 5, present 2, absent 1, excused 1, not reg. 1; 5.5 h
                          Hassan expected 2, present 2 (late join, early leave); 6.0 h
    Health group (A, Health): Layla expected 1, present 1; 1.5 h
    Beta group (B, Health):   Senait expected 2, absent 2; 0 h
Added here: P1–P4 (partner A) in the SFI group from 03-01, no end: counted S1 S2 S4 S5 S6 = 5
each; present at S1 (3 h), absent at S2, nothing else → each expected 5, present 1, absent 1,
not registered 3, 3 h.

By hand:
    SFI type (6 people, 5 sessions S1 S2 S4 S5 S6): expected 7+20 = 27, present 4+4 = 8,
        absent 1+4 = 5, excused 1, not registered 1+12 = 13; 8/13 = 61.5 %; 11.5+12 = 23.50 h
    Health type (Layla, Senait; 3 sessions H1 B1 B2): expected 3, present 1, absent 2,
        excused 0, not registered 0; 1/3 = 33.3 %; 1.50 h
    Partner A (6 people, 6 sessions): expected 28, present 9, absent 5, excused 1,
        not registered 13; 9/14 = 64.3 %; 25.00 h
    Partner B (Senait, 2 sessions): expected 2, absent 2; 0.0 %; 0.00 h
    All (7 people, 8 sessions): expected 30, present 9, absent 7, excused 1, not registered 13;
        9/16 = 56.2 % (56.25 rounded half to even); 25.00 h
    Funder categories: language course = the SFI type, health = the Health type.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stegvis.activities.figures import Figures
from stegvis.activities.models import ActivityType, FunderCategory, Session
from stegvis.activities.services import participation_add
from stegvis.outcomes.models import ExitType
from stegvis.reporting.attendance import attendance_overview, rows_to_hide
from stegvis.reporting.indicators import NotAllowed, Period
from tests import factories as f
from tests.activities.conftest import START, make_activity, make_session, sfi  # noqa: F401
from tests.activities.test_attendance_figures import TODAY, mark
from tests.activities.test_attendance_figures import world as attendance_world  # noqa: F401

from .fixtures import leave

D = datetime.date
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
UNTIL_TODAY = "end=2025-03-31"  # the dashboards count up to today or the period's end


def F(expected, present, absent, excused, hours):
    return Figures(expected, present, absent, excused, Decimal(hours))


def sessions_of(activity):
    return {s.date: s for s in Session.objects.filter(activity=activity)}


@pytest.fixture
def programme_world(cast, attendance_world):  # noqa: F811
    group = attendance_world["group"]
    days = sessions_of(group)
    for n in range(1, 5):
        enrollment = f.EnrollmentFactory(
            partner=cast.partner_a,
            unit=cast.unit_a,
            participant=f.ParticipantFactory(first_name=f"P{n}", last_name="Test"),
        )
        p = participation_add(
            actor=cast.anna, activity=group, enrollment=enrollment, start_date=START
        )
        mark(cast.anna, days[D(2025, 3, 3)], p, "present")
        mark(cast.anna, days[D(2025, 3, 5)], p, "absent")
    return attendance_world


def overview(actor, cast, **kwargs):
    kwargs.setdefault("today", TODAY)
    return attendance_overview(actor=actor, programme=cast.programme, **kwargs)


def shown(rows):
    return {r.label: (r.participants.value, r.sessions, r.figures) for r in rows}


def test_the_programme_manager_sees_the_programme_counted_by_hand(cast, programme_world):
    result = overview(cast.mona, cast)
    assert not result.record_access
    partners = {r.label: r for r in result.by_partner}
    a, b = partners["Alfa kommun"], partners["Beta folkhögskola"]
    # One participant: no number of B describes Senait.
    assert b.suppressed and str(b.participants) == "<5"
    assert (b.sessions, b.figures) == (None, None)
    # A's figures would give B's back (total minus A): hidden too, its head count shown.
    assert not a.suppressed and a.hidden and a.participants.value == 6

    types = {r.label: r for r in result.by_type}
    sfi_row, health = types["SFI with vocational Swedish"], types["Health group"]
    assert health.suppressed and health.figures is None  # Layla and Senait
    assert sfi_row.participants.value == 6 and sfi_row.hidden  # total minus SFI = Health
    categories = {r.label: r for r in result.by_category}
    assert categories["Health"].suppressed and categories["Language course"].hidden

    total = result.total
    assert (total.participants.value, total.sessions) == (7, 8)
    assert total.figures == F(30, 9, 7, 1, "25.00")
    assert (total.figures.not_registered, total.figures.rate) == (13, 56.2)


def test_the_programme_manager_sees_big_enough_groups(cast, programme_world):
    # Four more people at B make B 5: nothing hidden among partners. The Health type (Layla,
    # Senait) stays hidden, and so does the smallest other type (to protect it).
    beta = programme_world["beta"]
    days = sessions_of(beta)
    for _n in range(4):
        enrollment = f.EnrollmentFactory(partner=cast.partner_b, unit=cast.unit_b)
        p = participation_add(
            actor=cast.bob, activity=beta, enrollment=enrollment, start_date=START
        )
        mark(cast.bob, days[D(2025, 3, 4)], p, "present", "2")
    result = overview(cast.mona, cast)
    assert shown(result.by_partner) == {
        "Alfa kommun": (6, 6, F(28, 9, 5, 1, "25.00")),
        # Senait absent twice; the four: present at B1 (2 h each), nothing at B2.
        "Beta folkhögskola": (5, 2, F(10, 4, 2, 0, "8.00")),
    }
    partner_a = result.by_partner[0].figures
    assert (partner_a.not_registered, partner_a.rate) == (13, 64.3)
    types = {r.label: r for r in result.by_type}
    # Health: Layla, Senait and the four = 6 people, SFI 6: both shown.
    assert types["Health group"].figures == F(11, 5, 2, 0, "9.50")
    assert types["SFI with vocational Swedish"].figures == F(27, 8, 5, 1, "23.50")
    assert types["SFI with vocational Swedish"].figures.rate == 61.5
    assert result.total.figures == F(38, 13, 7, 1, "33.00")


def test_small_rows_are_hidden_with_enough_others_to_protect_them():
    def hidden(*people):
        return sorted(rows_to_hide(list(people), record_access=False))

    assert hidden(6, 3, 4, 10) == [1, 2]  # 3 + 4 people hidden between them: enough
    assert hidden(6, 1, 10) == [0, 1]  # 1 alone is not: the 6 goes too
    assert hidden(8, 6, 0) == []  # nothing small, nothing hidden
    assert hidden(2, 0) == [0]  # the only other row is empty: nothing to give away
    assert hidden(2, 3) == [0, 1]
    assert rows_to_hide([1, 9], record_access=True) == set()


def test_the_coordinator_sees_her_own_partner_unsuppressed(cast, programme_world):
    result = overview(cast.anna, cast)
    assert result.record_access
    assert shown(result.by_partner) == {"Alfa kommun": (6, 6, F(28, 9, 5, 1, "25.00"))}
    assert shown(result.by_type) == {
        "Health group": (1, 1, F(1, 1, 0, 0, "1.50")),  # Layla only: no suppression for A
        "SFI with vocational Swedish": (6, 5, F(27, 8, 5, 1, "23.50")),
    }
    assert shown(result.by_category) == {
        "Health": (1, 1, F(1, 1, 0, 0, "1.50")),
        "Language course": (6, 5, F(27, 8, 5, 1, "23.50")),
    }
    assert (result.total.participants.value, result.total.figures) == (
        6,
        F(28, 9, 5, 1, "25.00"),
    )


def test_partner_b_never_counts_partner_a(cast, programme_world):
    result = overview(cast.bea, cast)
    assert shown(result.by_partner) == {"Beta folkhögskola": (1, 2, F(2, 0, 2, 0, "0.00"))}
    assert result.total.figures.rate == 0.0
    with pytest.raises(NotAllowed):
        overview(cast.otto, cast)


def test_one_partner_and_a_period(cast, programme_world):
    # From 03-11: S4 S5 S6 of the SFI group; nothing of the Health or Beta groups.
    # Layla: absent, excused, not registered; Hassan: present twice (6 h); P1–P4: three
    # not registered each.
    result = overview(
        cast.anna, cast, partner=cast.partner_a, period=Period(D(2025, 3, 11), D(2025, 6, 30))
    )
    assert (result.since, result.until) == (D(2025, 3, 11), TODAY)
    assert result.total.figures == F(17, 2, 1, 1, "6.00")
    assert (result.total.figures.not_registered, result.total.figures.rate) == (13, 66.7)
    assert (result.total.participants.value, result.total.sessions) == (6, 3)
    # A period ending before today ends the counting: S1 and S2 only. Layla present at both
    # (3 + 2.5 h), P1–P4 present at S1 and absent at S2; Hassan had not started yet.
    early = overview(cast.anna, cast, period=Period(D(2025, 1, 1), D(2025, 3, 5)))
    assert early.until == D(2025, 3, 5)
    assert early.total.figures == F(10, 6, 4, 0, "17.50")
    assert early.total.participants.value == 5


def test_a_track_counts_its_enrollments_only(cast, programme_world):
    # Only Layla is in the track.
    result = overview(cast.anna, cast, track=cast.track)
    assert shown(result.by_partner) == {"Alfa kommun": (1, 6, F(6, 3, 1, 1, "7.00"))}


def test_ineligible_and_erroneous_enrollments_do_not_count(cast, programme_world):
    swede = f.EnrollmentFactory(
        partner=cast.partner_a,
        unit=cast.unit_a,
        participant=f.ParticipantFactory(citizenships=["SE"], country_of_birth="SE"),
    )
    wrong = f.EnrollmentFactory(partner=cast.partner_a, unit=cast.unit_a)
    for enrollment in (swede, wrong):
        participation_add(
            actor=cast.anna,
            activity=programme_world["group"],
            enrollment=enrollment,
            start_date=START,
        )
    leave(wrong, D(2025, 3, 2), "admin.other", exit_type=ExitType.ERRONEOUS, recorded_by=cast.anna)
    assert overview(cast.anna, cast).total.participants.value == 6


@pytest.mark.parametrize("url_name", ["programme", "partner", "track"])
def test_an_outsider_gets_404(cast, programme_world, client, url_name):
    args = {
        "programme": [cast.programme.pk],
        "partner": [cast.programme.pk, cast.partner_a.pk],
        "track": [cast.programme.pk, cast.track.pk],
    }[url_name]
    client.force_login(cast.otto)
    assert client.get(reverse(f"reporting:{url_name}", args=args)).status_code == 404


def test_the_dashboard_shows_the_attendance_tables(cast, programme_world, client):
    client.force_login(cast.anna)
    url = reverse("reporting:programme", args=[cast.programme.pk]) + "?" + UNTIL_TODAY
    page = client.get(url, **EN)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<h2 id="attendance-heading">Attendance</h2>' in html
    assert "<caption>Attendance per partner</caption>" in html
    assert "<caption>Attendance per activity type</caption>" in html
    assert "<caption>Attendance per funder category</caption>" in html
    assert '<td class="num">64.3 %</td>' in html and '<td class="num">25.00</td>' in html
    assert "Beta folkhögskola" not in html.split("attendance-heading")[1].split("</section>")[0]
    swedish = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Närvaro" in swedish and "64,3 %" in swedish


def test_the_partner_view_shows_the_partner_only(cast, programme_world, client):
    client.force_login(cast.bea)
    assert (
        client.get(
            reverse("reporting:partner", args=[cast.programme.pk, cast.partner_a.pk])
        ).status_code
        == 404
    )
    page = client.get(
        reverse("reporting:partner", args=[cast.programme.pk, cast.partner_b.pk])
        + "?"
        + UNTIL_TODAY,
        **EN,
    )
    assert page.status_code == 200
    attendance = page.context["attendance"]
    assert attendance.total.figures == F(2, 0, 2, 0, "0.00")
    assert "<caption>Attendance per partner</caption>" not in page.content.decode()
    client.force_login(cast.mona)
    page = client.get(
        reverse("reporting:partner", args=[cast.programme.pk, cast.partner_b.pk]), **EN
    )
    assert page.context["attendance"].total.suppressed


def test_the_query_count_does_not_grow_with_participants_and_sessions(cast, programme_world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            overview(cast.mona, cast)
        return len(queries)

    count()  # the viewer's scope is cached on the user after the first call
    few = count()
    language = ActivityType.objects.create(
        programme=cast.programme, name="Job club", funder_category=FunderCategory.JOB_SEARCH
    )
    club = make_activity(cast.bob, cast.unit_b, language, name="Job club B")
    days = [make_session(club, D(2025, 3, d)) for d in (4, 11, 18, 25)]
    for n in range(8):
        enrollment = f.EnrollmentFactory(partner=cast.partner_b, unit=cast.unit_b)
        p = participation_add(
            actor=cast.bob, activity=club, enrollment=enrollment, start_date=START
        )
        for day in days:
            mark(cast.bob, day, p, "present" if n % 2 else "absent")
    assert count() == few == 8


def test_the_dashboard_query_count_does_not_grow_with_attendance(cast, programme_world, client):
    client.force_login(cast.mona)
    url = reverse("reporting:programme", args=[cast.programme.pk])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    club = make_activity(cast.anna, cast.unit_a, programme_world["health"], name="Walks A")
    days = [make_session(club, D(2025, 3, d)) for d in (4, 11, 18, 25)]
    for n in range(6):
        enrollment = f.EnrollmentFactory(partner=cast.partner_a, unit=cast.unit_a)
        p = participation_add(
            actor=cast.anna, activity=club, enrollment=enrollment, start_date=START
        )
        for day in days:
            mark(cast.anna, day, p, "excused" if n % 2 else "present")
    assert count() == few
