"""Aggregates for programme managers and analysts: counts only, 1 to 4 suppressed."""

from __future__ import annotations

import pytest

from stegvis.access.models import AccessEvent
from tests import factories as f


@pytest.fixture
def seven_at_a(cast):
    """Partner A: Layla (woman), Hassan (man) and five more women; partner B: Senait."""
    for _ in range(5):
        f.EnrollmentFactory(
            partner=cast.partner_a,
            unit=cast.unit_a,
            participant=f.ParticipantFactory(gender="woman"),
        )


@pytest.mark.parametrize("who", ["mona", "axel"])
def test_the_overview_counts_and_suppresses(api, cast, seven_at_a, who):
    client = api(who)
    programmes = client.get("/api/v1/programmes/").json()
    # The region owns both of the cast's programmes.
    assert [p["id"] for p in programmes] == [cast.programme.pk, cast.other_programme.pk]
    before = AccessEvent.objects.count()
    response = client.get(f"/api/v1/programmes/{cast.programme.pk}/overview/")
    assert response.status_code == 200
    body = response.json()
    assert body["programme"]["name"] == "Broar"
    assert body["enrolled"] == {"value": 8, "suppressed": False}
    assert body["ineligible"] == {"value": 0, "suppressed": False}
    rows = {row["organisation_name"]: row for row in body["partners"]}
    a, b = rows["Alfa kommun"], rows["Beta folkhögskola"]
    assert a["enrolled"] == {"value": 7, "suppressed": False}
    assert a["women"] == {"value": 6, "suppressed": False}
    assert a["men"] == {"value": None, "suppressed": True}  # 1 man
    assert b["enrolled"] == {"value": None, "suppressed": True}
    assert b["men"] == {"value": 0, "suppressed": False}
    # No personal data in aggregates, so nothing personal to log.
    assert AccessEvent.objects.count() == before
    assert "Karimi" not in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "anna", "bob", "otto"])
def test_other_roles_have_no_programme_aggregates(api, cast, who):
    client = api(who)
    # They see the programmes their organisation is a partner in (for its indicators).
    listed = [p["id"] for p in client.get("/api/v1/programmes/").json()]
    expected = cast.other_programme if who == "otto" else cast.programme
    assert listed == [expected.pk]
    response = client.get(f"/api/v1/programmes/{cast.programme.pk}/overview/")
    assert response.status_code == 404


def test_another_owners_programme_is_404_like_a_missing_one(api, cast):
    elsewhere = f.ProgrammeFactory(name="Elsewhere")
    mona = api("mona")
    hidden = mona.get(f"/api/v1/programmes/{elsewhere.pk}/overview/")
    missing = mona.get("/api/v1/programmes/999999/overview/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
