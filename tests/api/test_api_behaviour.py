"""Pagination, filters, error shapes, writes through the services, and pinned query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stegvis.access.models import AccessEvent, Action
from stegvis.api import pagination
from stegvis.outcomes.models import Exit
from stegvis.participants.models import Enrollment, EnrollmentStatus, Participant
from tests import factories as f
from tests.factories import personnummer


def more_enrollments(cast, n: int, **fields) -> list:
    return [
        f.EnrollmentFactory(partner=cast.partner_a, unit=cast.unit_a, **fields) for _ in range(n)
    ]


class TestPagination:
    def test_pages_count_and_links(self, api, cast):
        more_enrollments(cast, 4)  # Alice sees Layla + 4
        body = api("alice").get("/api/v1/enrollments/", page_size=2).json()
        assert body["count"] == 5
        assert len(body["results"]) == 2
        assert "page=2" in body["next"]
        assert body["previous"] is None
        last = api("alice").get("/api/v1/enrollments/", page_size=2, page=3).json()
        assert len(last["results"]) == 1
        assert last["next"] is None
        ids = [r["id"] for r in body["results"]]
        assert ids == sorted(ids)

    def test_the_page_size_is_capped(self, api, cast, monkeypatch):
        monkeypatch.setattr(pagination.Pagination, "max_page_size", 3)
        more_enrollments(cast, 4)
        body = api("alice").get("/api/v1/enrollments/", page_size=1000).json()
        assert len(body["results"]) == 3
        assert body["count"] == 5

    def test_a_page_past_the_end_is_404(self, api, cast):
        response = api("alice").get("/api/v1/enrollments/", page=9)
        assert response.status_code == 404
        assert response.json() == {"detail": "Invalid page.", "code": "not_found", "errors": {}}


class TestFilters:
    def test_status_partner_and_updated_since(self, api, cast, exited):
        anna = api("anna")
        active = anna.get("/api/v1/enrollments/", status="active").json()["results"]
        assert {r["id"] for r in active} == {cast.enrollment_a.pk}
        exited_rows = anna.get("/api/v1/enrollments/", status="exited").json()["results"]
        assert {r["id"] for r in exited_rows} == {cast.enrollment_a2.pk}
        other_partner = anna.get("/api/v1/enrollments/", partner=cast.partner_b.pk).json()
        assert other_partner["results"] == []
        later = timezone.now() + datetime.timedelta(minutes=5)
        assert (
            anna.get("/api/v1/enrollments/", updated_since=later.isoformat()).json()["count"] == 0
        )
        # A change of the person counts as an update of the enrollment.
        Enrollment.objects.filter(pk=cast.enrollment_a.pk).update(
            updated_at=timezone.now() - datetime.timedelta(days=3)
        )
        since = timezone.now() - datetime.timedelta(days=1)
        participant = cast.enrollment_a.participant
        participant.municipality = "Alingsås"
        participant.save()
        changed = anna.get("/api/v1/enrollments/", updated_since=since.isoformat()).json()
        assert cast.enrollment_a.pk in {r["id"] for r in changed["results"]}

    def test_bad_filters_are_400_with_field_names(self, api, cast):
        response = api("alice").get(
            "/api/v1/enrollments/", status="sleeping", updated_since="yesterday", partner="x"
        )
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid"
        assert body["detail"] == "The request has invalid data."
        assert set(body["errors"]) == {"status", "updated_since", "partner"}
        assert body["errors"]["status"] == ['"sleeping" is not a valid choice.']


class TestErrors:
    def test_method_not_allowed_is_405_json(self, api, cast):
        response = api("alice").client.delete("/api/v1/enrollments/")
        assert response.status_code == 405
        assert response.json() == {
            "detail": 'Method "DELETE" not allowed.',
            "code": "method_not_allowed",
            "errors": {},
        }

    def test_malformed_json_is_400(self, api, cast):
        response = api("alice").client.post(
            f"/api/v1/enrollments/{cast.enrollment_a.pk}/exit/",
            "{not json",
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["code"] == "parse_error"

    @pytest.mark.parametrize(
        "url", ["/api/v1/enrollments/abc/", "/api/v1/nothing/", "/api/v1/activities/1x/"]
    )
    def test_unknown_api_urls_are_json_404(self, api, cast, url):
        response = api("alice").get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found.", "code": "not_found", "errors": {}}

    def test_ids_beyond_64_bits_are_404_not_a_database_error(self, api, cast):
        for url in ("/api/v1/enrollments/", "/api/v1/activities/", "/api/v1/shared-enrollments/"):
            assert api("alice").get(f"{url}{2**70}/").status_code == 404
        response = api("alice").get("/api/v1/enrollments/", partner=2**70)
        assert response.status_code == 400
        assert "partner" in response.json()["errors"]

    def test_swedish_by_default(self, api, cast):
        client = api("alice").client
        client.defaults.pop("HTTP_ACCEPT_LANGUAGE")
        response = client.get("/api/v1/enrollments/999999/")
        assert response.json()["detail"] == "Hittades inte."


class TestExitWrite:
    def url(self, cast):
        return f"/api/v1/enrollments/{cast.enrollment_a.pk}/exit/"

    def test_recording_an_exit_goes_through_the_service(self, api, cast):
        response = api("alice").post(
            self.url(cast),
            {"exit_date": "2025-05-02", "exit_type": "interrupted", "reason": "personal.moved"},
        )
        assert response.status_code == 201, response.json()
        assert response.json()["reason"] == "personal.moved"
        enrollment = Enrollment.objects.get(pk=cast.enrollment_a.pk)
        assert enrollment.status == EnrollmentStatus.EXITED
        assert enrollment.end_date == datetime.date(2025, 5, 2)
        created = AccessEvent.objects.filter(
            actor=cast.alice, action=Action.CREATE, object_type="outcomes.exit"
        )
        assert created.count() == 1
        again = api("alice").post(
            self.url(cast),
            {"exit_date": "2025-05-02", "exit_type": "interrupted", "reason": "personal.moved"},
        )
        assert again.status_code == 400
        assert again.json()["errors"] == {
            "non_field_errors": ["An exit is already recorded for this enrollment."]
        }

    def test_invalid_input_names_the_fields_and_changes_nothing(self, api, cast):
        future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
        response = api("alice").post(self.url(cast), {"exit_type": "gone", "reason": "x"})
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"exit_date", "exit_type", "reason"}
        response = api("alice").post(
            self.url(cast), {"exit_date": future, "exit_type": "completed", "reason": "admin.other"}
        )
        assert response.status_code == 400
        assert response.json()["errors"] == {
            "exit_date": ["The exit date cannot be in the future."]
        }
        assert not Exit.objects.exists()

    @pytest.mark.parametrize("who", ["bob", "bea", "amir_elsewhere", "otto"])
    def test_other_organisations_get_404(self, api, cast, share, who):
        share(covers_mapping=True, covers_plan=True)
        response = api(who).post(
            self.url(cast),
            {"exit_date": "2025-05-02", "exit_type": "completed", "reason": "admin.other"},
        )
        assert response.status_code == 404
        assert not Exit.objects.exists()

    def test_aggregate_roles_get_403(self, api, cast):
        response = api("mona").post(self.url(cast), {})
        assert response.status_code == 403


class TestParticipationWrite:
    def test_adding_a_participant_through_the_service(self, api, cast, activity_a):
        response = api("alice").post(
            "/api/v1/participations/",
            {
                "activity": activity_a.pk,
                "enrollment": cast.enrollment_a.pk,
                "start_date": "2025-03-01",
            },
        )
        assert response.status_code == 201, response.json()
        assert response.json()["enrollment"] == cast.enrollment_a.pk
        assert AccessEvent.objects.filter(
            actor=cast.alice, action=Action.CREATE, object_type="activities.participation"
        ).exists()
        again = api("alice").post(
            "/api/v1/participations/",
            {
                "activity": activity_a.pk,
                "enrollment": cast.enrollment_a.pk,
                "start_date": "2025-03-01",
            },
        )
        assert again.status_code == 400
        assert again.json()["errors"] == {
            "non_field_errors": ["The participant already takes part in this activity."]
        }

    def test_before_the_activity_is_a_field_error(self, api, cast, activity_a):
        response = api("alice").post(
            "/api/v1/participations/",
            {
                "activity": activity_a.pk,
                "enrollment": cast.enrollment_a.pk,
                "start_date": "2024-03-01",
            },
        )
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["start_date"]

    @pytest.mark.parametrize("who", ["bob", "bea", "otto"])
    def test_other_organisations_get_404(self, api, cast, activity_a, who):
        response = api(who).post(
            "/api/v1/participations/",
            {
                "activity": activity_a.pk,
                "enrollment": cast.enrollment_a.pk,
                "start_date": "2025-03-01",
            },
        )
        assert response.status_code == 404
        from stegvis.activities.models import Participation

        assert not Participation.objects.exists()


def person(**fields):
    data = {
        "identity_kind": "personnummer",
        "identity_number": personnummer(datetime.date(1990, 4, 5), 321)[:8]
        + "-"
        + personnummer(datetime.date(1990, 4, 5), 321)[8:],
        "first_name": "Nour",
        "last_name": "Haddad",
        "gender": "woman",
        "citizenships": ["SY"],
    }
    data.update(fields)
    return data


class TestEnrollmentCreate:
    def payload(self, cast, **fields):
        data = {
            "participant": person(),
            "partner": cast.partner_a.pk,
            "unit": cast.unit_a.pk,
            "start_date": "2025-04-01",
        }
        data.update(fields)
        return data

    def test_enrolling_through_the_service(self, api, cast):
        response = api("alice").post("/api/v1/enrollments/", self.payload(cast))
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["participant"]["birth_date"] == "1990-04-05"
        assert body["eligibility"] == "eligible"
        assert body["unit_name"] == "Vuxenutbildningen"
        enrollment = Enrollment.objects.get(pk=body["id"])
        assert enrollment.created_by == cast.alice
        assert AccessEvent.objects.filter(
            action=Action.CREATE, enrollment_id=enrollment.pk, actor=cast.alice
        ).exists()

    def test_the_forms_rules_apply_with_field_names(self, api, cast):
        response = api("alice").post(
            "/api/v1/enrollments/",
            self.payload(
                cast,
                participant=person(identity_number="19900405-0000"),
                unit=cast.unit_b.pk,
            ),
        )
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert "participant.identity_number" in errors
        assert "unit" in errors
        assert not Participant.objects.filter(first_name="Nour").exists()

    def test_missing_fields(self, api, cast):
        response = api("alice").post("/api/v1/enrollments/", {"participant": {}})
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert {"partner", "unit", "start_date", "participant.first_name"} <= set(errors)
        assert errors["partner"] == ["This field is required."]

    def test_a_duplicate_is_refused(self, api, cast):
        payload = self.payload(cast)
        assert api("alice").post("/api/v1/enrollments/", payload).status_code == 201
        again = api("anna").post("/api/v1/enrollments/", payload)
        assert again.status_code == 400
        assert "already enrolled" in again.json()["errors"]["participant.identity_number"][0]

    def test_another_organisations_partner_is_refused(self, api, cast):
        response = api("bob").post("/api/v1/enrollments/", self.payload(cast))
        assert response.status_code == 400
        assert {"partner", "unit"} <= set(response.json()["errors"])
        assert not Participant.objects.filter(first_name="Nour").exists()


def count_queries(client, url: str) -> tuple[int, int]:
    """(queries, rows returned)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


EXPECTED_QUERIES = {
    "/api/v1/enrollments/": 6,
    "/api/v1/shared-enrollments/": 7,
    "/api/v1/exits/": 6,
    "/api/v1/activities/": 5,
    "/api/v1/participations/": 6,
    "/api/v1/attendance/": 6,
    "/api/v1/language-results/": 5,  # Bob is staff: no coordinated partners to look up
    "/api/v1/assessments/": 6,  # as language results, + the answers (with their items)
}


@pytest.mark.parametrize("url", list(EXPECTED_QUERIES))
def test_list_query_counts_do_not_grow_with_rows(api, cast, activity_a, share, url):
    from stegvis.activities.models import Activity, Session
    from stegvis.activities.services import (
        Mark,
        attendance_save,
        participation_add,
        sessions_generate,
    )
    from stegvis.outcomes.services import exit_record
    from tests.api.helpers import rate
    from tests.languagelevels.helpers import sfi as sfi_result

    sessions_generate(
        actor=cast.anna,
        activity=activity_a,
        weekdays=[0],
        first_date=datetime.date(2025, 3, 3),
        last_date=datetime.date(2025, 3, 3),
        hours=3,
    )
    session = Session.objects.get(activity=activity_a)

    def add(n: int) -> None:
        for enrollment in more_enrollments(cast, n):
            participation = participation_add(
                actor=cast.anna,
                activity=activity_a,
                enrollment=enrollment,
                start_date=datetime.date(2025, 3, 1),
            )
            attendance_save(
                actor=cast.anna, session=session, marks={participation.pk: Mark("present", 3)}
            )
            sfi_result(enrollment, cast.anna, datetime.date(2025, 3, 1), 2, "B", "C")
            rate(enrollment, datetime.date(2025, 3, 1), {"swedish": 4, "society": 5})
            exit_record(
                actor=cast.anna,
                enrollment=enrollment,
                exit_date=datetime.date(2025, 6, 1),
                exit_type="completed",
                reason="admin.other",
            )
            share(enrollment, covers_mapping=True, covers_assessments=True)
        for _ in range(n):
            # More activities (a copy each), for the activity list.
            copy = Activity.objects.get(pk=activity_a.pk)
            copy.pk = None
            copy.save()

    # Bob reads partner A's rows under consents; Anna her own organisation's.
    viewer = api("bob" if any(w in url for w in ("shared", "language", "assessments")) else "anna")
    add(3)
    count_queries(viewer.client, url)  # the token's first use is written once
    few, few_rows = count_queries(viewer.client, url)
    add(27)
    many, many_rows = count_queries(viewer.client, url)
    assert few_rows >= 3 and many_rows >= few_rows + 27
    assert few == many
    # Token and user, memberships, coordinated partners, count, page, one log insert
    # (shared: + the consents; activities: not personal data, no log).
    assert many == EXPECTED_QUERIES[url]


def test_the_schema_is_valid_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ("/api/v1/enrollments/", "/api/v1/exits/", "/api/v1/participations/"):
        assert path in text
    assert "bearerAuth" in text


class TestRequestBudget:
    def test_a_user_over_budget_gets_429_in_the_error_shape(self, api, settings):
        settings.API_RATE = "3/min"
        for _ in range(3):
            assert api("alice").get("/api/v1/enrollments/").status_code == 200
        response = api("alice").get("/api/v1/enrollments/")
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        body = response.json()
        assert body["code"] == "throttled" and body["errors"] == {}
        assert "throttled" in body["detail"].lower()

    def test_the_budget_is_per_user_and_shared_by_their_tokens(self, api, cast, settings):
        from stegvis.api.tokens import token_create

        settings.API_RATE = "2/min"
        second = token_create(actor=cast.alice, name="second").secret
        api("alice").get("/api/v1/enrollments/")
        api("alice").get("/api/v1/enrollments/")
        again = api("alice").client
        again.credentials(HTTP_AUTHORIZATION=f"Bearer {second}")
        assert again.get("/api/v1/enrollments/").status_code == 429
        assert api("bob").get("/api/v1/enrollments/").status_code == 200

    def test_no_budget_when_switched_off(self, api, settings):
        settings.API_RATE = None
        for _ in range(5):
            assert api("alice").get("/api/v1/enrollments/").status_code == 200

    def test_the_schema_documents_429(self, api):
        schema = api("alice").get("/api/v1/schema/", format="json")
        assert schema.status_code == 200
        operation = schema.json()["paths"]["/api/v1/enrollments/"]["get"]
        assert "429" in operation["responses"]
