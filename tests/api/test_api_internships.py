"""/api/v1/internships/, /workplaces/ and /drop-in/summary/.

Internships are the owning organisation's record (never shared by consent): own rows with
every field, one access-log row per internship returned, outsiders nothing and 404 (the same
as missing), aggregate roles 403. Workplaces are employer data with counts, suppressed from 1
to 4 for aggregate roles like the workplace page. The drop-in summary counts visitors per
topic at one of the user's units in one month, like the summary page.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.api.models import ApiToken
from stegvis.dropin.services import dropin_record, dropin_record_for
from stegvis.placements.services import placement_record_outcome, placement_visit_record
from tests import factories as f
from tests.placements.conftest import make_placement, make_workplace

D = datetime.date
HUGE = 2**64


@pytest.fixture
def data(cast):
    """Restaurang Linden (added by A) and Björk Bygg AB (added by B), both in "Broar".

    Layla (A / Alice's unit) at Linden since 2025-03-03, ongoing, two visits. Hassan (A / AME)
    at Linden from 2025-04-01, turned into a job with wage subsidy. Senait (B) at Björk, its
    end date passed without an outcome.
    """
    linden = make_workplace(cast.anna, cast.partner_a)
    bjork = make_workplace(cast.bea, cast.partner_b, name="Björk Bygg AB", number="202100-5448")
    layla = make_placement(
        cast.alice, cast.enrollment_a, linden, supervisor_email="karin@linden.example"
    )
    placement_visit_record(
        actor=cast.alice, placement=layla, visit_date=D(2025, 3, 20), notes="Trivs i köket."
    )
    placement_visit_record(
        actor=cast.anna, placement=layla, visit_date=D(2025, 4, 10), notes="Vill fortsätta."
    )
    hassan = make_placement(
        cast.amir,
        cast.enrollment_a2,
        linden,
        supervisor_name="Per Ek",
        supervisor_phone="",
        start_date=D(2025, 4, 1),
        hours_per_week=Decimal("12.5"),
        tasks="Servering",
        language_support="none",
    )
    placement_record_outcome(
        actor=cast.amir,
        placement=hassan,
        outcome="employment",
        outcome_date=D(2025, 5, 30),
        employment_support="wage_subsidy",
        outcome_note="Anställd från juni.",
    )
    senait = make_placement(
        cast.bob,
        cast.enrollment_b,
        bjork,
        supervisor_name="Sven Björk",
        start_date=D(2025, 2, 1),
        end_date=D(2025, 3, 1),
    )
    return SimpleNamespace(linden=linden, bjork=bjork, layla=layla, hassan=hassan, senait=senait)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def placement_events(since: int):
    return AccessEvent.objects.filter(pk__gt=since, object_type="placements.placement")


def last_event_id() -> int:
    return AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# ---- Internships ----


def test_own_internships_with_every_field(api, cast, data):
    body = api("alice").get("/api/v1/internships/").json()
    # Alice's unit has Layla only; Hassan is the AME unit's.
    assert body["count"] == 1
    assert body["results"] == [
        {
            "id": data.layla.pk,
            "enrollment": cast.enrollment_a.pk,
            "workplace": {
                "id": data.linden.pk,
                "name": "Restaurang Linden",
                "organisation_number": "556012-5790",
            },
            "supervisor_name": "Karin Lind",
            "supervisor_phone": "070-123 45 67",
            "supervisor_email": "karin@linden.example",
            "start_date": "2025-03-03",
            "end_date": None,
            "hours_per_week": "20.0",
            "tasks": "Disk och förberedelser i köket",
            "language_support": "colleague",
            "language_support_note": "",
            "outcome": "ongoing",
            "outcome_date": None,
            "employment_support": "",
            "outcome_note": "",
            "participation": None,
            "visit_count": 2,
        }
    ]
    # The coordinator sees her organisation's two, in id order.
    rows = api("anna").get("/api/v1/internships/").json()["results"]
    assert [r["id"] for r in rows] == [data.layla.pk, data.hassan.pk]
    hassan = rows[1]
    assert (hassan["outcome"], hassan["outcome_date"], hassan["employment_support"]) == (
        "employment",
        "2025-05-30",
        "wage_subsidy",
    )
    assert (hassan["end_date"], hassan["hours_per_week"], hassan["visit_count"]) == (
        "2025-05-30",
        "12.5",
        0,
    )
    assert hassan["outcome_note"] == "Anställd från juni."


def test_the_detail_has_the_visits_newest_first(api, cast, data):
    detail = api("alice").get(f"/api/v1/internships/{data.layla.pk}/")
    assert detail.status_code == 200
    body = detail.json()
    assert body["visit_count"] == 2
    assert body["workplace"]["name"] == "Restaurang Linden"
    assert [(v["visit_date"], v["visited_by"], v["notes"]) for v in body["visits"]] == [
        ("2025-04-10", "Anna Testsson", "Vill fortsätta."),
        ("2025-03-20", "Alice Testsson", "Trivs i köket."),
    ]
    hassan = api("anna").get(f"/api/v1/internships/{data.hassan.pk}/").json()
    assert (hassan["visits"], hassan["visit_count"]) == ([], 0)


def test_filters(api, cast, data):
    anna, bea = api("anna"), api("bea")
    url = "/api/v1/internships/"
    assert ids(anna.get(url, state="ongoing")) == [data.layla.pk]
    assert ids(anna.get(url, state="ended")) == [data.hassan.pk]
    assert ids(anna.get(url, state="needs_outcome")) == []  # Layla has no end date
    assert ids(bea.get(url, state="needs_outcome")) == [data.senait.pk]
    assert ids(anna.get(url, outcome="employment")) == [data.hassan.pk]
    assert ids(anna.get(url, outcome="ongoing")) == [data.layla.pk]
    assert ids(anna.get(url, workplace=data.linden.pk)) == [data.layla.pk, data.hassan.pk]
    assert ids(anna.get(url, workplace=data.bjork.pk)) == []
    assert ids(anna.get(url, enrollment=cast.enrollment_a2.pk)) == [data.hassan.pk]
    assert ids(anna.get(url, start_from="2025-03-04")) == [data.hassan.pk]
    assert ids(anna.get(url, start_to="2025-03-03")) == [data.layla.pk]
    assert ids(anna.get(url, start_from="2025-03-03", start_to="2025-04-01")) == [
        data.layla.pk,
        data.hassan.pk,
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"state": "finished"}, "state"),
        ({"outcome": "hired"}, "outcome"),
        ({"workplace": "linden"}, "workplace"),
        ({"workplace": str(HUGE)}, "workplace"),
        ({"enrollment": "0"}, "enrollment"),
        ({"start_from": "last spring"}, "start_from"),
        ({"start_from": "2025-05-01", "start_to": "2025-04-01"}, "start_to"),
    ],
)
def test_bad_filters_are_400_naming_the_field(api, data, params, field):
    before = last_event_id()
    response = api("anna").get("/api/v1/internships/", **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == [field]
    assert not placement_events(before).exists()


def test_each_returned_internship_is_logged_once(api, cast, data):
    anna = api("anna")
    token = ApiToken.objects.get(user=cast.anna)
    before = last_event_id()
    anna.get("/api/v1/internships/", page_size=1)
    (event,) = placement_events(before)  # this page only
    assert (event.object_id, event.action, event.part) == (
        str(data.layla.pk),
        Action.VIEW,
        Part.RECORD,
    )
    assert event.enrollment_id == cast.enrollment_a.pk
    assert event.participant_id == cast.enrollment_a.participant_id
    assert event.organisation_id == cast.partner_a.organisation_id
    assert event.consent_id is None
    assert event.summary == f"API token {token.prefix}"
    before = last_event_id()
    anna.get("/api/v1/internships/")
    assert sorted(int(e.object_id) for e in placement_events(before)) == [
        data.layla.pk,
        data.hassan.pk,
    ]
    before = last_event_id()
    anna.get(f"/api/v1/internships/{data.hassan.pk}/")
    (event,) = placement_events(before)
    assert (event.object_id, event.part, event.enrollment_id, event.consent_id) == (
        str(data.hassan.pk),
        Part.RECORD,
        cast.enrollment_a2.pk,
        None,
    )
    assert event.summary == f"API token {token.prefix}"


@pytest.mark.parametrize("who", ["bob", "bea", "otto", "amir_elsewhere"])
def test_outsiders_see_nothing_and_get_404(api, cast, data, who):
    client = api(who)
    before = last_event_id()
    listed = ids(client.get("/api/v1/internships/"))
    assert data.layla.pk not in listed
    assert ids(client.get("/api/v1/internships/", enrollment=cast.enrollment_a.pk)) == []
    not_yours = client.get(f"/api/v1/internships/{data.layla.pk}/")
    missing = client.get("/api/v1/internships/999999/")
    assert not_yours.status_code == missing.status_code == 404
    assert not_yours.json() == missing.json()
    assert client.get(f"/api/v1/internships/{HUGE}/").status_code == 404
    logged = {int(e.object_id) for e in placement_events(before)}
    assert data.layla.pk not in logged


def test_a_consent_does_not_share_internships(api, cast, share, data):
    share(
        covers_mapping=True,
        covers_plan=True,
        covers_checkins=True,
        covers_notes=True,
        covers_assessments=True,
        covers_sensitive=True,
    )
    bob = api("bob")
    assert ids(bob.get("/api/v1/internships/")) == [data.senait.pk]
    assert bob.get(f"/api/v1/internships/{data.layla.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["mona", "axel"])
def test_aggregate_roles_get_403_on_internships(api, data, who):
    client = api(who)
    before = last_event_id()
    for url in ("/api/v1/internships/", f"/api/v1/internships/{data.layla.pk}/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "aggregate" in response.json()["detail"]
    assert not placement_events(before).exists()


def test_anonymous_gets_401(cast, data):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    for url in (
        "/api/v1/internships/",
        f"/api/v1/internships/{data.layla.pk}/",
        "/api/v1/workplaces/",
        f"/api/v1/drop-in/summary/?unit={cast.unit_a.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_errors_follow_the_request_language(api, data):
    client = api("mona").client
    response = client.get("/api/v1/internships/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 403
    assert "sammanställda siffror" in response.json()["detail"]


# ---- Workplaces ----


def counts(response) -> dict[str, tuple]:
    assert response.status_code == 200, response.json()
    return {
        row["name"]: (row["placement_count"], row["job_count"])
        for row in response.json()["results"]
    }


def n(value: int) -> dict:
    return {"value": value, "suppressed": False}


SUPPRESSED = {"value": None, "suppressed": True}


def test_workplaces_with_counts_over_what_the_user_sees(api, cast, data):
    before = last_event_id()
    body = api("anna").get("/api/v1/workplaces/").json()
    assert [row["id"] for row in body["results"]] == [data.linden.pk, data.bjork.pk]
    linden = body["results"][0]
    assert linden == {
        "id": data.linden.pk,
        "programme": cast.programme.pk,
        "programme_name": "Broar",
        "name": "Restaurang Linden",
        "organisation_number": "556012-5790",
        "sole_trader": False,
        "sector": "private",
        "street_address": "",
        "postal_code": "",
        "city": "Lerum",
        "added_by_partner": cast.partner_a.pk,
        "placement_count": n(2),
        "job_count": n(1),
    }
    assert counts(api("anna").get("/api/v1/workplaces/"))["Björk Bygg AB"] == (n(0), n(0))
    # Staff count their own unit's; partner B's people count theirs, unsuppressed.
    assert counts(api("alice").get("/api/v1/workplaces/")) == {
        "Restaurang Linden": (n(1), n(0)),
        "Björk Bygg AB": (n(0), n(0)),
    }
    assert counts(api("bea").get("/api/v1/workplaces/")) == {
        "Restaurang Linden": (n(0), n(0)),
        "Björk Bygg AB": (n(1), n(0)),
    }
    # Another programme's staff see none of Broar's workplaces.
    assert counts(api("otto").get("/api/v1/workplaces/")) == {}
    # Employer data: nothing is logged.
    assert not AccessEvent.objects.filter(pk__gt=before).exists()


@pytest.mark.parametrize("who", ["mona", "axel"])
def test_aggregate_roles_see_programme_counts_with_1_to_4_suppressed(api, cast, data, who):
    for _ in range(5):
        enrollment = f.EnrollmentFactory(partner=cast.partner_b, unit=cast.unit_b)
        make_placement(cast.bob, enrollment, data.bjork)
    # Björk: Senait and five more (6, no jobs); Linden: Layla and Hassan (2, one job).
    assert counts(api(who).get("/api/v1/workplaces/")) == {
        "Restaurang Linden": (SUPPRESSED, SUPPRESSED),
        "Björk Bygg AB": (n(6), n(0)),
    }
    # Staff still count only their own, unsuppressed.
    assert counts(api("bob").get("/api/v1/workplaces/"))["Björk Bygg AB"] == (n(6), n(0))
    assert counts(api("alice").get("/api/v1/workplaces/"))["Restaurang Linden"] == (n(1), n(0))


def test_workplace_filters(api, cast, data):
    anna = api("anna")
    url = "/api/v1/workplaces/"
    assert ids(anna.get(url, q="björk")) == [data.bjork.pk]
    assert ids(anna.get(url, q="556012")) == [data.linden.pk]
    assert ids(anna.get(url, programme=cast.programme.pk)) == [data.linden.pk, data.bjork.pk]
    assert ids(anna.get(url, programme=cast.other_programme.pk)) == []
    bad = anna.get(url, programme="broar")
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["programme"]


# ---- Drop-in ----


@pytest.fixture
def visits(cast):
    """March 2025 at A / Vuxenutbildningen: 3 + 2 practising Swedish, 1 job search (counts),
    Layla once about Swedish. April: 4 about health. Elsewhere in March: 5 about housing at
    A / AME, 7 practising Swedish at B."""
    dropin_record(
        actor=cast.alice, unit=cast.unit_a, visit_date=D(2025, 3, 5), topic="swedish", visitors=3
    )
    dropin_record(
        actor=cast.alice, unit=cast.unit_a, visit_date=D(2025, 3, 31), topic="swedish", visitors=2
    )
    dropin_record(actor=cast.alice, unit=cast.unit_a, visit_date=D(2025, 3, 20), topic="job_search")
    dropin_record_for(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        unit=cast.unit_a,
        visit_date=D(2025, 3, 21),
        topic="swedish",
    )
    dropin_record(
        actor=cast.alice, unit=cast.unit_a, visit_date=D(2025, 4, 1), topic="health", visitors=4
    )
    dropin_record(
        actor=cast.amir, unit=cast.unit_a2, visit_date=D(2025, 3, 5), topic="housing", visitors=5
    )
    dropin_record(
        actor=cast.bob, unit=cast.unit_b, visit_date=D(2025, 3, 5), topic="swedish", visitors=7
    )


def summary(client, unit, month: str | None = "2025-03"):
    params = {"unit": unit.pk}
    if month:
        params["month"] = month
    return client.get("/api/v1/drop-in/summary/", **params)


def test_the_drop_in_summary_counts_by_hand(api, cast, visits):
    before = last_event_id()
    response = summary(api("alice"), cast.unit_a)
    assert response.status_code == 200
    body = response.json()
    topics = {row["topic"]: row for row in body.pop("topics")}
    assert body == {
        "unit": cast.unit_a.pk,
        "unit_name": "Vuxenutbildningen",
        "organisation_name": "Alfa kommun",
        "month": "2025-03",
        "anonymous": 6,
        "linked": 1,
        "total": 7,
        "registrations": 4,
    }
    assert list(topics) == [
        "job_search",
        "authorities",
        "swedish",
        "health",
        "housing",
        "school",
        "digital",
        "other",
    ]
    assert topics["swedish"] == {
        "topic": "swedish",
        "label": "Practising Swedish",
        "anonymous": 5,
        "linked": 1,
        "total": 6,
    }
    assert (topics["job_search"]["total"], topics["health"]["total"]) == (1, 0)
    april = summary(api("alice"), cast.unit_a, "2025-04").json()
    assert (april["total"], april["topics"][3]["topic"], april["topics"][3]["total"]) == (
        4,
        "health",
        4,
    )
    # Counts only: nothing about a person was read.
    assert not AccessEvent.objects.filter(pk__gt=before).exists()


def test_the_summary_is_scoped_like_the_page(api, cast, visits):
    # The coordinator sees every unit of her organisation; staff their own units only.
    ame = summary(api("anna"), cast.unit_a2).json()
    assert (ame["total"], ame["organisation_name"]) == (5, "Alfa kommun")
    assert summary(api("bob"), cast.unit_b).json()["total"] == 7
    for who, unit in [
        ("alice", cast.unit_a2),
        ("bob", cast.unit_a),
        ("bea", cast.unit_a),
        ("otto", cast.unit_a),
    ]:
        not_yours = summary(api(who), unit)
        missing = api(who).get("/api/v1/drop-in/summary/", unit=999999, month="2025-03")
        assert not_yours.status_code == missing.status_code == 404, who
        assert not_yours.json() == missing.json()


@pytest.mark.parametrize("who", ["mona", "axel"])
def test_aggregate_roles_get_403_on_the_drop_in_summary(api, cast, visits, who):
    response = summary(api(who), cast.unit_a)
    assert response.status_code == 403
    assert "unit" in response.json()["detail"]


def test_the_summary_labels_follow_the_request_language(api, cast, visits):
    client = api("alice").client
    response = client.get(
        "/api/v1/drop-in/summary/",
        {"unit": cast.unit_a.pk, "month": "2025-03"},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    labels = {row["topic"]: row["label"] for row in response.json()["topics"]}
    assert labels["swedish"] == "Öva svenska"


def test_the_summary_defaults_to_this_month(api, cast):
    today = timezone.localdate()
    dropin_record(actor=cast.alice, unit=cast.unit_a, visit_date=today, topic="digital", visitors=2)
    body = summary(api("alice"), cast.unit_a, month=None).json()
    assert (body["month"], body["total"]) == (f"{today:%Y-%m}", 2)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"month": "2025-03"}, "unit"),
        ({"unit": "vux", "month": "2025-03"}, "unit"),
        ({"unit": str(HUGE), "month": "2025-03"}, "unit"),
        ({"unit": "{unit}", "month": "2025-13"}, "month"),
        ({"unit": "{unit}", "month": "mars"}, "month"),
    ],
)
def test_bad_summary_queries_are_400(api, cast, params, field):
    params = {key: value.format(unit=cast.unit_a.pk) for key, value in params.items()}
    response = api("alice").get("/api/v1/drop-in/summary/", **params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


# ---- Query counts ----


def count_queries(client, url: str) -> tuple[int, int]:
    """(queries, rows returned)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    return len(queries), body.get("count", body.get("registrations"))


@pytest.mark.parametrize(
    ("url", "who", "expected"),
    [
        # Token and user, memberships, coordinated partners, count, page, one log insert.
        ("/api/v1/internships/", "anna", 6),
        # Token and user, memberships, coordinated partners, count, page (nothing logged).
        ("/api/v1/workplaces/", "anna", 5),
        ("/api/v1/workplaces/", "mona", 5),  # the programmes instead of coordinated partners
        # Token and user, memberships, the unit, the counts.
        ("/api/v1/drop-in/summary/?month=2025-03&unit={unit}", "alice", 4),
    ],
)
def test_query_counts_do_not_grow_with_rows(api, cast, url, who, expected):
    url = url.format(unit=cast.unit_a.pk)
    linden = make_workplace(cast.anna, cast.partner_a)

    def add(count: int) -> None:
        for index in range(count):
            enrollment = f.EnrollmentFactory(partner=cast.partner_a, unit=cast.unit_a)
            workplace = make_workplace(
                cast.anna, cast.partner_a, name=f"Verkstad {enrollment.pk}", number="556012-5790"
            )
            placement = make_placement(cast.alice, enrollment, workplace)
            make_placement(cast.alice, enrollment, linden)
            placement_visit_record(
                actor=cast.alice, placement=placement, visit_date=D(2025, 3, 20), notes="Bra."
            )
            dropin_record(
                actor=cast.alice,
                unit=cast.unit_a,
                visit_date=D(2025, 3, 1 + index % 28),
                topic=["swedish", "health", "other"][index % 3],
            )

    client = api(who).client
    add(3)
    count_queries(client, url)  # the token's first use is written once
    few, few_rows = count_queries(client, url)
    add(27)
    many, many_rows = count_queries(client, url)
    assert few_rows >= 3 and many_rows >= few_rows + 27
    assert few == many == expected
