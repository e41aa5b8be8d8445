"""/api/v1/assessments/: the progression app's assessments with their answers.

Scoped like /language-results/: the own organisation's enrollments, other organisations' only
while a consent naming the reader's organisation covers assessments; aggregate roles 403;
anything else 404 (the same as missing). One access-log row per assessment returned.
"""

from __future__ import annotations

import datetime

import pytest

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.api.models import ApiToken
from stegvis.progression.models import AssessmentMode

from .helpers import rate

D = datetime.date


@pytest.fixture
def layla(cast):
    """Layla (partner A, Alice's unit): a start and a follow-up self-rating, an employability
    rating. Hassan (A / AME): one start self-rating."""
    start = rate(
        cast.enrollment_a,
        D(2025, 3, 1),
        {"swedish": 3, "society": None, "future-work": 7},
        interpreter_used=True,
    )
    follow_up = rate(
        cast.enrollment_a,
        D(2025, 6, 1),
        {"swedish": 5, "society": 4, "future-work": 8},
        point="follow_up",
        mode=AssessmentMode.SELF,
    )
    employability = rate(
        cast.enrollment_a, D(2025, 6, 2), {"health": 2}, instrument="employability"
    )
    hassan = rate(cast.enrollment_a2, D(2025, 4, 1), {"swedish": 6})
    return start, follow_up, employability, hassan


def test_own_list_and_detail_with_answers(api, cast, layla):
    start, follow_up, employability, hassan = layla
    alice = api("alice")
    body = alice.get("/api/v1/assessments/").json()
    # Alice's unit has Layla only; Hassan is the AME unit's.
    assert [row["id"] for row in body["results"]] == [start.pk, follow_up.pk, employability.pk]
    first = body["results"][0]
    assert first == {
        "id": start.pk,
        "enrollment": cast.enrollment_a.pk,
        "instrument": "self-rating",
        "version": start.version.number,
        "point": "start",
        "date": "2025-03-01",
        "language": "sv",
        "mode": "assisted",
        "interpreter_used": True,
        "completed_at": first["completed_at"],
        "answers": [
            {
                "item": "swedish",
                "dimension": "language",
                "kind": "scale",
                "scale_min": 1,
                "scale_max": 10,
                "value": 3,
            },
            {
                "item": "society",
                "dimension": "participation",
                "kind": "scale",
                "scale_min": 1,
                "scale_max": 10,
                "value": None,
            },
            {
                "item": "future-work",
                "dimension": "work_belief",
                "kind": "scale",
                "scale_min": 1,
                "scale_max": 10,
                "value": 7,
            },
        ],
    }
    detail = alice.get(f"/api/v1/assessments/{follow_up.pk}/").json()
    assert (detail["point"], detail["mode"], detail["interpreter_used"]) == (
        "follow_up",
        "self",
        False,
    )
    assert [(a["item"], a["value"]) for a in detail["answers"]] == [
        ("swedish", 5),
        ("society", 4),
        ("future-work", 8),
    ]
    # The coordinator sees both enrollments of her organisation (rows in id order).
    anna = api("anna").get("/api/v1/assessments/").json()["results"]
    assert [row["id"] for row in anna] == [start.pk, follow_up.pk, employability.pk, hassan.pk]


def test_filters(api, cast, layla):
    start, follow_up, employability, hassan = layla
    anna = api("anna")

    def ids(**params):
        response = anna.get("/api/v1/assessments/", **params)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids(enrollment=cast.enrollment_a2.pk) == [hassan.pk]
    assert ids(instrument="employability") == [employability.pk]
    assert ids(instrument="self-rating", since="2025-04-01") == [follow_up.pk, hassan.pk]
    assert ids(since="2025-06-02") == [employability.pk]
    assert ids(instrument="no-such-instrument") == []
    bad = anna.get("/api/v1/assessments/", since="yesterday")
    assert bad.status_code == 400
    assert "since" in bad.json()["errors"]


def test_each_returned_assessment_is_logged_once(api, cast, layla):
    start, follow_up, employability, _hassan = layla
    alice = api("alice")
    before = AccessEvent.objects.count()
    alice.get("/api/v1/assessments/", page_size=2)
    events = list(AccessEvent.objects.order_by("pk")[before:])
    assert [int(e.object_id) for e in events] == [start.pk, follow_up.pk]  # this page only
    for event in events:
        assert event.object_type == "progression.assessment"
        assert event.part == Part.ASSESSMENTS
        assert event.action == Action.VIEW
        assert event.enrollment_id == cast.enrollment_a.pk
        assert event.participant_id == cast.enrollment_a.participant_id
        assert event.organisation_id == cast.partner_a.organisation_id
        assert event.consent_id is None
        assert event.summary == f"API token {ApiToken.objects.get(user=cast.alice).prefix}"
    before = AccessEvent.objects.count()
    alice.get(f"/api/v1/assessments/{employability.pk}/")
    (event,) = AccessEvent.objects.order_by("pk")[before:]
    assert (event.object_id, event.part, event.consent_id) == (
        str(employability.pk),
        Part.ASSESSMENTS,
        None,
    )
    assert event.organisation_id == cast.partner_a.organisation_id


@pytest.mark.parametrize("who", ["otto", "bob", "bea", "amir_elsewhere"])
def test_outsiders_get_nothing_and_404(api, cast, layla, who):
    start, *_ = layla
    client = api(who)
    before = AccessEvent.objects.count()
    if who != "amir_elsewhere":  # Amir's own unit has Hassan
        assert client.get("/api/v1/assessments/").json()["results"] == []
    rows = client.get("/api/v1/assessments/", enrollment=cast.enrollment_a.pk).json()["results"]
    assert rows == []
    response = client.get(f"/api/v1/assessments/{start.pk}/")
    missing = client.get("/api/v1/assessments/999999/")
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()
    assert not AccessEvent.objects.filter(pk__gt=before, object_type="progression.assessment")


@pytest.mark.parametrize("who", ["mona", "axel"])
def test_aggregate_roles_get_403(api, layla, who):
    start, *_ = layla
    client = api(who)
    for url in ("/api/v1/assessments/", f"/api/v1/assessments/{start.pk}/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "aggregate" in response.json()["detail"]


def test_shared_only_while_a_consent_covers_assessments(api, cast, share, layla):
    start, follow_up, employability, _hassan = layla
    bob = api("bob")
    share(covers_mapping=True, covers_plan=True)
    assert bob.get("/api/v1/assessments/").json()["results"] == []
    assert bob.get(f"/api/v1/assessments/{start.pk}/").status_code == 404
    consent = share(covers_assessments=True)
    before = AccessEvent.objects.count()
    rows = bob.get("/api/v1/assessments/").json()["results"]
    assert [r["id"] for r in rows] == [start.pk, follow_up.pk, employability.pk]
    detail = bob.get(f"/api/v1/assessments/{start.pk}/")
    assert detail.status_code == 200
    assert detail.json()["answers"][0]["value"] == 3
    events = list(AccessEvent.objects.order_by("pk")[before:])
    assert len(events) == 4
    for event in events:
        assert event.consent_id == consent.pk
        assert event.organisation_id == cast.partner_b.organisation_id
        assert event.part == Part.ASSESSMENTS
    # Not Hassan's: the consent is Layla's. Bea coordinates partner B, which the consent
    # names, so she reads the same rows.
    assert [r["id"] for r in api("bea").get("/api/v1/assessments/").json()["results"]] == [
        start.pk,
        follow_up.pk,
        employability.pk,
    ]
    assert api("otto").get("/api/v1/assessments/").json()["results"] == []
