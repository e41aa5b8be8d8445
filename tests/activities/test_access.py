"""Partner A's activity pages are not found for anyone outside A's provider unit/partner,
and participant names only appear for those who may see the enrollment."""

import pytest
from django.urls import reverse

from stegvis.activities.models import Participation

OUTSIDERS_OF_A = ["bob", "bea", "mona", "axel", "otto"]
PAGES = ["activities:detail", "activities:add_participant"]


@pytest.mark.parametrize("url_name", PAGES)
@pytest.mark.parametrize("who", OUTSIDERS_OF_A)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_get_404_on_partner_a_activities(
    cast, client, with_participants, url_name, who, method
):
    client.force_login(getattr(cast, who))
    url = reverse(url_name, args=[with_participants.pk])
    data = {"enrollment": cast.enrollment_b.pk, "start_date": "2025-03-10"}
    response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == 404
    assert b"Karimi" not in response.content
    assert b"Omar" not in response.content
    assert Participation.objects.filter(enrollment=cast.enrollment_b).count() == 0


@pytest.mark.parametrize("url_name", PAGES)
def test_missing_and_not_yours_look_the_same(cast, client, with_participants, url_name):
    client.force_login(cast.bob)
    not_yours = client.get(reverse(url_name, args=[with_participants.pk]))
    missing = client.get(reverse(url_name, args=[999999]))
    assert not_yours.status_code == missing.status_code == 404
    assert not_yours.content == missing.content


@pytest.mark.parametrize("who", ["bob", "bea", "otto"])
def test_other_organisations_lists_do_not_show_partner_a(
    cast, client, with_participants, activity_b, who
):
    client.force_login(getattr(cast, who))
    response = client.get(reverse("activities:list"))
    assert response.status_code == 200
    assert with_participants not in response.context["page_obj"]
    text = response.content.decode()
    assert reverse("activities:detail", args=[with_participants.pk]) not in text
    assert "Karimi" not in text and "Omar" not in text


def test_a_consented_organisation_still_does_not_see_the_activity(
    cast, client, with_participants, share
):
    share(covers_plan=True, covers_mapping=True)
    client.force_login(cast.bob)
    assert client.get(reverse("activities:detail", args=[with_participants.pk])).status_code == (
        404
    )


@pytest.mark.parametrize("url_name", PAGES)
def test_anonymous_users_are_sent_to_login(cast, client, activity_a, url_name):
    response = client.get(reverse(url_name, args=[activity_a.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
