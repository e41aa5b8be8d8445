"""Endpoints for what other apps added: indicators, sessions and attendance, language results."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stegvis.access.models import AccessEvent, Part
from stegvis.activities.models import Session
from stegvis.activities.services import Mark, attendance_save, sessions_generate
from stegvis.reporting.indicators import compute_indicators
from tests.api.test_api_aggregates import seven_at_a  # noqa: F401
from tests.languagelevels.helpers import sfi as sfi_result


class TestIndicators:
    def url(self, cast):
        return f"/api/v1/programmes/{cast.programme.pk}/indicators/"

    def test_aggregate_viewers_get_the_whole_programme_suppressed(self, api, cast, seven_at_a):  # noqa: F811
        body = api("mona").get(self.url(cast)).json()
        rows = {row["code"]: row for row in body["indicators"]}
        assert body["programme"] == cast.programme.code
        assert rows["participants"]["value"] == "8"
        assert rows["participants"]["suppressed"] is False
        # The same numbers as the dashboards' function.
        expected = compute_indicators(actor=cast.mona, programme=cast.programme).to_dict()
        assert [r["code"] for r in body["indicators"]] == [
            r["code"] for r in expected["indicators"]
        ]
        for row, want in zip(body["indicators"], expected["indicators"], strict=True):
            assert row["numerator"] == want["numerator"]
            assert row["suppressed"] == want["suppressed"]
            assert row["by_gender"] == want["by_gender"]
        assert AccessEvent.objects.count() == 0

    def test_small_counts_are_suppressed(self, api, cast):
        rows = {r["code"]: r for r in api("axel").get(self.url(cast)).json()["indicators"]}
        assert rows["participants"]["suppressed"] is True  # 3 people
        assert rows["participants"]["value"] is None
        assert rows["participants"]["numerator"] is None

    def test_a_coordinator_counts_their_own_organisation(self, api, cast, seven_at_a):  # noqa: F811
        rows = {r["code"]: r for r in api("anna").get(self.url(cast)).json()["indicators"]}
        assert rows["participants"]["value"] == "7"
        assert api("anna").get(self.url(cast), partner=cast.partner_b.pk).status_code == 404

    def test_outsiders_and_bad_periods(self, api, cast):
        assert api("otto").get(self.url(cast)).status_code == 404
        response = api("mona").get(self.url(cast), start="2025-06-01", end="2025-01-01")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["end"]
        period = api("mona").get(self.url(cast), start="2025-01-01", end="2025-12-31").json()
        assert period["period"] == "2025-01-01..2025-12-31"


@pytest.fixture
def marked(cast, with_participants):
    """Two Mondays of the SFI group; Layla present then absent, Hassan present twice."""
    sessions_generate(
        actor=cast.anna,
        activity=with_participants,
        weekdays=[0],
        first_date=datetime.date(2025, 3, 3),
        last_date=datetime.date(2025, 3, 10),
        hours=Decimal(3),
    )
    first, second = Session.objects.filter(activity=with_participants).order_by("date")
    layla, hassan = (
        with_participants.participations.get(enrollment=cast.enrollment_a),
        with_participants.participations.get(enrollment=cast.enrollment_a2),
    )
    attendance_save(
        actor=cast.anna,
        session=first,
        marks={layla.pk: Mark("present", 3), hassan.pk: Mark("present", 3)},
    )
    attendance_save(
        actor=cast.anna,
        session=second,
        marks={layla.pk: Mark("absent", 0), hassan.pk: Mark("present", 2)},
    )
    return with_participants


class TestAttendance:
    def test_sessions_of_a_visible_activity(self, api, cast, marked):
        body = api("alice").get(f"/api/v1/activities/{marked.pk}/sessions/").json()
        assert [s["date"] for s in body["results"]] == ["2025-03-03", "2025-03-10"]
        assert body["results"][0]["hours"] == "3.00"
        for who in ("bob", "otto"):
            response = api(who).get(f"/api/v1/activities/{marked.pk}/sessions/")
            assert response.status_code == 404
        assert api("mona").get(f"/api/v1/activities/{marked.pk}/sessions/").status_code == 403

    def test_marks_of_visible_enrollments_only_and_logged(self, api, cast, marked):
        before = AccessEvent.objects.count()
        rows = api("alice").get("/api/v1/attendance/", activity=marked.pk).json()["results"]
        assert [(r["date"], r["status"], r["hours"]) for r in rows] == [
            ("2025-03-03", "present", "3.00"),
            ("2025-03-10", "absent", "0.00"),
        ]
        assert {r["enrollment"] for r in rows} == {cast.enrollment_a.pk}
        events = AccessEvent.objects.order_by("pk")[before:]
        assert [e.object_type for e in events] == ["activities.attendance"] * 2
        anna = api("anna").get("/api/v1/attendance/", date_from="2025-03-10").json()
        assert sorted(r["status"] for r in anna["results"]) == ["absent", "present"]
        for who in ("bob", "bea", "otto"):
            assert api(who).get("/api/v1/attendance/").json()["results"] == []
        assert api("axel").get("/api/v1/attendance/").status_code == 403


class TestLanguageResults:
    def test_own_results(self, api, cast):
        result = sfi_result(cast.enrollment_a, cast.alice, datetime.date(2025, 3, 1), 2, "B", "C")
        rows = api("alice").get("/api/v1/language-results/").json()["results"]
        assert [(r["id"], r["course"], r["grade"]) for r in rows] == [(result.pk, "B", "C")]
        event = AccessEvent.objects.latest("pk")
        assert event.part == Part.ASSESSMENTS
        assert event.consent_id is None
        assert event.organisation_id == cast.partner_a.organisation_id

    def test_shared_only_while_a_consent_covers_assessments(self, api, cast, share):
        sfi_result(cast.enrollment_a, cast.alice, datetime.date(2025, 3, 1), 2, "B", "C")
        bob = api("bob")
        assert bob.get("/api/v1/language-results/").json()["results"] == []
        share(covers_mapping=True)
        assert bob.get("/api/v1/language-results/").json()["results"] == []
        consent = share(covers_assessments=True)
        before = AccessEvent.objects.count()
        rows = bob.get("/api/v1/language-results/").json()["results"]
        assert [r["enrollment"] for r in rows] == [cast.enrollment_a.pk]
        event = AccessEvent.objects.order_by("pk")[before:][0]
        assert event.consent_id == consent.pk
        assert event.organisation_id == cast.partner_b.organisation_id
        assert api("otto").get("/api/v1/language-results/").json()["results"] == []
        assert api("mona").get("/api/v1/language-results/").status_code == 403
