"""Scoping of every API endpoint: own organisation only, outsiders get 404 or nothing,
aggregate roles 403, anonymous 401; every personal record returned is logged."""

from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from stegvis.access.models import AccessEvent, Action, Part

from .helpers import rate

SECRETS = ("Karimi", "Omar", "SECRET-EXIT-NOTE")


@pytest.fixture
def data(cast, with_participants, exited):
    """Partner A: Layla (own unit of Alice) in the SFI group with a self-rating, Hassan
    (A / AME) exited."""
    assessment = rate(cast.enrollment_a, datetime.date(2025, 3, 1), {"swedish": 4})
    return {
        "enrollment": cast.enrollment_a.pk,
        "exited": cast.enrollment_a2.pk,
        "activity": with_participants.pk,
        "assessment": assessment.pk,
    }


def list_urls() -> list[str]:
    return [
        "/api/v1/enrollments/",
        "/api/v1/shared-enrollments/",
        "/api/v1/exits/",
        "/api/v1/activities/",
        "/api/v1/participations/",
        "/api/v1/assessments/",
    ]


def detail_urls(data, missing: bool = False) -> list[str]:
    pick = (lambda key: 999999) if missing else data.__getitem__
    return [
        f"/api/v1/enrollments/{pick('enrollment')}/",
        f"/api/v1/enrollments/{pick('exited')}/exit/",
        f"/api/v1/shared-enrollments/{pick('enrollment')}/",
        f"/api/v1/activities/{pick('activity')}/",
        f"/api/v1/assessments/{pick('assessment')}/",
    ]


def test_partner_a_sees_its_own_data(api, cast, data):
    anna = api("anna")
    enrollments = anna.get("/api/v1/enrollments/").json()
    assert {row["id"] for row in enrollments["results"]} == {data["enrollment"], data["exited"]}
    layla = next(r for r in enrollments["results"] if r["id"] == data["enrollment"])
    assert layla["participant"]["last_name"] == "Karimi"
    assert layla["partner_name"] == "Alfa kommun"
    assert layla["unit_name"] == "Vuxenutbildningen"
    exits = anna.get("/api/v1/exits/").json()["results"]
    assert [(e["enrollment"], e["reason"], e["note"]) for e in exits] == [
        (data["exited"], "work.employment", "SECRET-EXIT-NOTE")
    ]
    exit_ = anna.get(f"/api/v1/enrollments/{data['exited']}/exit/").json()
    assert exit_["in_employment"] is True
    assert exit_["follow_up"] == {
        "due_date": "2025-12-01",
        "done_date": None,
        "in_employment": "",
        "improved_situation": "",
        "note": "",
    }
    assert exits[0]["follow_up"]["due_date"] == "2025-12-01"
    parts = anna.get("/api/v1/participations/", activity=data["activity"]).json()["results"]
    assert {p["enrollment"] for p in parts} == {data["enrollment"], data["exited"]}
    activity = anna.get(f"/api/v1/activities/{data['activity']}/").json()
    assert activity["current_participants"] == 2
    assert activity["name"] == "SFI group B"


def test_staff_see_their_own_units_only(api, data):
    alice = api("alice")
    ids = {row["id"] for row in alice.get("/api/v1/enrollments/").json()["results"]}
    assert ids == {data["enrollment"]}
    assert alice.get(f"/api/v1/enrollments/{data['exited']}/").status_code == 404
    assert alice.get(f"/api/v1/enrollments/{data['exited']}/exit/").status_code == 404
    assert alice.get("/api/v1/exits/").json()["results"] == []
    parts = alice.get("/api/v1/participations/").json()["results"]
    assert {p["enrollment"] for p in parts} == {data["enrollment"]}


@pytest.mark.parametrize("who", ["otto", "bob", "bea"])
def test_other_organisations_get_nothing_from_lists(api, data, who):
    client = api(who)
    for url in list_urls():
        for params in ({}, {"partner": 1}, {"activity": data["activity"]}):
            response = client.get(url, **params)
            assert response.status_code == 200, url
            rows = response.json()["results"]
            ids = {row.get("enrollment", row["id"]) for row in rows}
            if "activities" in url:
                assert data["activity"] not in ids
            else:
                assert not ids & {data["enrollment"], data["exited"]}, url
            assert not any(secret in response.content.decode() for secret in SECRETS)


@pytest.mark.parametrize("who", ["otto", "bob", "bea", "amir_elsewhere"])
def test_other_organisations_get_404_from_details(api, data, who):
    client = api(who)
    for url, missing_url in zip(detail_urls(data), detail_urls(data, missing=True), strict=True):
        if who == "amir_elsewhere" and ("/activities/" in url or "/exit/" in url):
            continue  # Hassan is his unit's; Layla's activity his organisation's (see below)
        response = client.get(url)
        missing = client.get(missing_url)
        assert response.status_code == missing.status_code == 404, url
        assert (
            response.json()
            == missing.json()
            == {
                "detail": "Not found.",
                "code": "not_found",
                "errors": {},
            }
        )
        post = client.post(url)
        assert post.status_code in (404, 405), url


def test_staff_of_another_unit_do_not_see_the_participants(api, data):
    amir = api("amir_elsewhere")
    parts = amir.get("/api/v1/participations/", activity=data["activity"]).json()["results"]
    assert {p["enrollment"] for p in parts} == {data["exited"]}  # his own unit's only


@pytest.mark.parametrize("who", ["mona", "axel"])
def test_aggregate_roles_get_403_for_personal_data(api, data, who):
    client = api(who)
    for url in list_urls() + detail_urls(data):
        response = client.get(url)
        assert response.status_code == 403, url
        body = response.json()
        assert body["code"] == "permission_denied"
        assert "aggregate" in body["detail"]
        assert not any(secret in response.content.decode() for secret in SECRETS)


def test_anonymous_requests_get_401(data):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    for url in list_urls() + detail_urls(data):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 401, (url, method)
            assert response.json()["code"] == "not_authenticated"


def test_docs_and_schema_require_login_or_token(api, client, db):
    anonymous = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    assert anonymous.get("/api/v1/schema/").status_code == 401
    assert anonymous.get("/api/v1/docs/").status_code == 401
    assert api("mona").get("/api/v1/schema/").status_code == 200


def test_session_login_works_for_the_browsable_docs(cast, client):
    client.force_login(cast.alice)
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    body = docs.content.decode()
    # Swagger UI from the bundled assets, never from a CDN.
    assert "drf_spectacular_sidecar" in body
    assert "cdn" not in body.lower()
    assert client.get("/api/v1/enrollments/", HTTP_ACCEPT="application/json").status_code == 200


class TestAudit:
    def test_each_listed_record_is_logged_with_the_token(self, api, cast, data):
        anna = api("anna")
        before = AccessEvent.objects.count()
        anna.get("/api/v1/enrollments/")
        events = AccessEvent.objects.order_by("pk")[before:]
        assert {e.enrollment_id for e in events} == {data["enrollment"], data["exited"]}
        token_prefix = anna.secret[:10]
        for event in events:
            assert event.actor == cast.anna
            assert event.action == Action.VIEW
            assert event.part == Part.RECORD
            assert event.organisation_id == cast.partner_a.organisation_id
            assert event.summary == f"API token {token_prefix}"
            assert event.object_type == "participants.enrollment"

    def test_details_exits_and_participations_are_logged(self, api, cast, data):
        anna = api("anna")
        for url, object_type in [
            (f"/api/v1/enrollments/{data['enrollment']}/", "participants.enrollment"),
            (f"/api/v1/enrollments/{data['exited']}/exit/", "outcomes.exit"),
            ("/api/v1/exits/", "outcomes.exit"),
        ]:
            before = AccessEvent.objects.count()
            anna.get(url)
            events = list(AccessEvent.objects.order_by("pk")[before:])
            assert len(events) == 1, url
            assert events[0].object_type == object_type
            assert events[0].participant_id is not None
        before = AccessEvent.objects.count()
        anna.get("/api/v1/participations/")
        assert AccessEvent.objects.count() - before == 2

    def test_activities_are_not_personal_data_and_not_logged(self, api, data):
        before = AccessEvent.objects.count()
        api("anna").get("/api/v1/activities/")
        api("anna").get(f"/api/v1/activities/{data['activity']}/")
        assert AccessEvent.objects.count() == before

    def test_refused_requests_log_nothing(self, api, data):
        before = AccessEvent.objects.count()
        api("bob").get(f"/api/v1/enrollments/{data['enrollment']}/")
        api("mona").get("/api/v1/enrollments/")
        assert AccessEvent.objects.count() == before


def test_the_browsable_api_works_with_the_session(cast, client, data):
    client.force_login(cast.anna)
    page = client.get("/api/v1/enrollments/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert "Karimi" in page.content.decode()
    client.force_login(cast.bob)
    hidden = client.get(f"/api/v1/enrollments/{data['enrollment']}/", HTTP_ACCEPT="text/html")
    assert hidden.status_code == 404
    assert "Karimi" not in hidden.content.decode()
