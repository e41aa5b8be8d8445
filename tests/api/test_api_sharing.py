"""The sharing matrix through the API: viewer × consent state × part.

The same viewers and consent states as tests/consents/test_sharing_matrix.py. Through the API
a consented organisation reaches only the shared overview (``/shared-enrollments/``): name,
birth date, who the person is enrolled with, and which parts the consent covers. The record
endpoints (enrollments, exits, participations) never open to another organisation, whatever
the consent says, and no part's content is ever in an answer.
"""

from __future__ import annotations

import datetime

import pytest

from stegvis.access.models import AccessEvent, Part
from stegvis.activities.services import participation_add
from stegvis.consents.models import SHAREABLE_PARTS
from stegvis.outcomes.services import exit_record
from tests.consents.test_sharing_matrix import (
    NAMED,
    SECRETS,
    STATES,
    VIEWERS,
    expected_visible,
    give_consent,
    record,  # noqa: F401, F811 (fixture: content in every part of Layla's record)
)
from tests.languagelevels.helpers import sfi as sfi_result

from .helpers import rate

PARTS = [Part.OVERVIEW, *SHAREABLE_PARTS]
RECORD_SECRETS = ("SECRET-MUNICIPALITY", "SECRET-EXIT-NOTE")
# Language results and self-ratings are assessments: shared when a consent covers assessments.
LANGUAGE_SECRET = "SECRET-LANGUAGE-NOTE"


@pytest.fixture
def full_record(cast, record, activity_a):  # noqa: F811
    """Layla's record: every part (``record``), a registry secret, an activity and an exit."""
    participant = cast.enrollment_a.participant
    participant.municipality = RECORD_SECRETS[0]
    participant.save()
    participation_add(
        actor=cast.alice,
        activity=activity_a,
        enrollment=cast.enrollment_a,
        start_date=datetime.date(2025, 3, 1),
    )
    result = sfi_result(cast.enrollment_a, cast.alice, datetime.date(2025, 3, 1), 2, "B", "C")
    result.note = LANGUAGE_SECRET
    result.save()
    rate(cast.enrollment_a, datetime.date(2025, 3, 2), {"swedish": 3, "future-work": 9})
    exit_record(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        exit_date=datetime.date(2025, 6, 1),
        exit_type="completed",
        reason="study.language",
        note=RECORD_SECRETS[1],
    )
    return cast.enrollment_a


def all_secrets(cast) -> list[str]:
    return [*SECRETS.values(), *RECORD_SECRETS, cast.enrollment_a.participant.identity_number]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("who", VIEWERS)
def test_the_api_shares_the_overview_only_under_an_active_consent(
    api, cast, full_record, who, state, part
):
    give_consent(cast, state, part)
    client = api(who)
    pk = full_record.pk
    aggregate = who in ("mona", "axel")
    visible = expected_visible(who, state, Part.OVERVIEW)
    refused = 403 if aggregate else 404
    answers = []

    detail = client.get(f"/api/v1/shared-enrollments/{pk}/")
    assert detail.status_code == (200 if visible else refused), (who, state, part)
    answers.append(detail)
    listed = client.get("/api/v1/shared-enrollments/")
    answers.append(listed)
    if aggregate:
        assert listed.status_code == 403
    else:
        ids = {row["id"] for row in listed.json()["results"]}
        assert (pk in ids) == visible
    if visible:
        body = detail.json()
        assert body["participant"]["last_name"] == "Karimi"
        # The parts the consent covers, and only those.
        assert (part in body["shared_parts"]) == (state == "active" and part != Part.OVERVIEW)
        assert set(body) >= {"shared_parts", "consent_valid_to"}
        assert "identity_number" not in body["participant"]

    # The own organisation's endpoints never open by consent.
    for url in (f"/api/v1/enrollments/{pk}/", f"/api/v1/enrollments/{pk}/exit/"):
        response = client.get(url)
        assert response.status_code == refused, url
        answers.append(response)
    for url in ("/api/v1/enrollments/", "/api/v1/exits/", "/api/v1/participations/"):
        response = client.get(url)
        answers.append(response)
        if not aggregate:
            rows = response.json()["results"]
            assert pk not in {row.get("enrollment", row["id"]) for row in rows}, url

    # Assessments (language results): only under an active consent covering them.
    results_visible = who in NAMED and (
        # give_consent: "active" covers just this part, "not_covered" every other one.
        (state == "active" and part == Part.ASSESSMENTS)
        or (state == "not_covered" and part != Part.ASSESSMENTS)
    )
    results = client.get("/api/v1/language-results/", enrollment=pk)
    if aggregate:
        assert results.status_code == 403
    else:
        rows = results.json()["results"]
        assert bool(rows) == results_visible, (who, state, part)
        if results_visible:
            assert rows[0]["note"] == LANGUAGE_SECRET
    if not results_visible:
        answers.append(results)
    # The self-ratings (progression assessments) follow the same rule.
    assessments = client.get("/api/v1/assessments/", enrollment=pk)
    if aggregate:
        assert assessments.status_code == 403
    else:
        rows = assessments.json()["results"]
        assert bool(rows) == results_visible, (who, state, part)
        if results_visible:
            assert [(a["item"], a["value"]) for a in rows[0]["answers"]] == [
                ("swedish", 3),
                ("future-work", 9),
            ]
            detail = client.get(f"/api/v1/assessments/{rows[0]['id']}/")
            assert detail.status_code == 200
    answers.append(assessments)

    for response in answers:
        content = response.content.decode()
        for secret in [*all_secrets(cast), LANGUAGE_SECRET]:
            assert secret not in content, (who, state, part, secret)


def test_a_shared_read_cites_the_consent_in_the_log(api, cast, share):
    consent = share(covers_mapping=True)
    bob = api("bob")
    before = AccessEvent.objects.count()
    assert bob.get(f"/api/v1/shared-enrollments/{cast.enrollment_a.pk}/").status_code == 200
    bob.get("/api/v1/shared-enrollments/")
    events = list(AccessEvent.objects.order_by("pk")[before:])
    assert len(events) == 2
    for event in events:
        assert event.consent_id == consent.pk
        assert event.part == Part.OVERVIEW
        assert event.organisation_id == cast.partner_b.organisation_id
        assert event.enrollment_id == cast.enrollment_a.pk


def test_protected_identity_hides_the_name_from_other_organisations(api, cast, share):
    share()
    participant = cast.enrollment_a.participant
    participant.protected_identity = True
    participant.save()
    body = api("bob").get(f"/api/v1/shared-enrollments/{cast.enrollment_a.pk}/").json()
    assert body["participant"]["first_name"] is None
    assert body["participant"]["last_name"] is None
    assert "Karimi" not in str(body)
