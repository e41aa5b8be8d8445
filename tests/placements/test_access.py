"""Partner A's internship pages are not found for anyone outside partner A, for GET and POST;
a POST changes nothing. Workplace pages show employer data to the programme, but internships
only to those who may see the enrollment."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from stegvis.access.models import AccessEvent, Action
from stegvis.placements.models import Placement, PlacementVisit

OUTSIDERS_OF_A = ["bob", "bea", "mona", "axel", "otto"]
PAGES = ["placements:detail", "placements:edit", "placements:visit_add", "placements:outcome"]
TODAY = timezone.localdate().isoformat()
POSTS = {
    "placements:detail": {},
    "placements:edit": {
        "workplace": "1",
        "supervisor_name": "Intrång",
        "start_date": "2025-03-03",
        "hours_per_week": "10",
        "tasks": "Intrång",
        "language_support": "none",
    },
    "placements:visit_add": {"visit_date": TODAY, "notes": "Intrång"},
    "placements:outcome": {
        "outcome": "employment",
        "outcome_date": TODAY,
        "employment_support": "none",
    },
}


@pytest.mark.parametrize("url_name", PAGES)
@pytest.mark.parametrize("who", OUTSIDERS_OF_A)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_get_404_on_partner_a_internships(
    cast, client, placement_a, url_name, who, method
):
    client.force_login(getattr(cast, who))
    url = reverse(url_name, args=[cast.enrollment_a.pk, placement_a.pk])
    response = client.post(url, POSTS[url_name]) if method == "post" else client.get(url)
    assert response.status_code == 404
    assert b"Karimi" not in response.content
    assert b"Linden" not in response.content
    placement_a.refresh_from_db()
    assert (placement_a.outcome, placement_a.supervisor_name) == ("ongoing", "Karin Lind")
    assert not PlacementVisit.objects.exists()
    assert not AccessEvent.objects.filter(actor=getattr(cast, who)).exists()


@pytest.mark.parametrize("url_name", PAGES)
def test_missing_and_not_yours_look_the_same(cast, client, placement_a, url_name):
    client.force_login(cast.bob)
    not_yours = client.get(reverse(url_name, args=[cast.enrollment_a.pk, placement_a.pk]))
    missing = client.get(reverse(url_name, args=[cast.enrollment_a.pk, 999999]))
    assert not_yours.status_code == missing.status_code == 404
    assert not_yours.content == missing.content


@pytest.mark.parametrize("url_name", PAGES)
def test_an_internship_under_another_enrollment_is_not_found(cast, client, placement_a, url_name):
    # Anna may see both of A's enrollments, but the pair must match.
    client.force_login(cast.anna)
    url = reverse(url_name, args=[cast.enrollment_a2.pk, placement_a.pk])
    assert client.get(url).status_code == 404


def test_a_consented_organisation_still_does_not_see_the_internship(
    cast, client, placement_a, share
):
    share(covers_plan=True, covers_mapping=True, covers_notes=True)
    client.force_login(cast.bob)
    url = reverse("placements:detail", args=[cast.enrollment_a.pk, placement_a.pk])
    assert client.get(url).status_code == 404


def test_reading_an_internship_is_logged(cast, client, placement_a):
    client.force_login(cast.anna)
    url = reverse("placements:detail", args=[cast.enrollment_a.pk, placement_a.pk])
    assert client.get(url).status_code == 200
    event = AccessEvent.objects.get(actor=cast.anna, action=Action.VIEW)
    assert event.object_type == "placements.placement"
    assert event.enrollment_id == cast.enrollment_a.pk
    assert event.participant_id == cast.enrollment_a.participant_id


@pytest.mark.parametrize("who", ["bob", "bea", "otto"])
def test_other_organisations_internship_lists_do_not_show_partner_a(cast, client, placement_a, who):
    client.force_login(getattr(cast, who))
    response = client.get(reverse("placements:list"))
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []
    assert b"Karimi" not in response.content


# The workplace page (employer data): who sees it, and that its internships stay scoped.


def test_the_workplace_is_not_found_outside_its_programme(cast, client, placement_a):
    client.force_login(cast.otto)
    url = reverse("placements:workplace_detail", args=[placement_a.workplace_id])
    not_yours, missing = (
        client.get(url),
        client.get(reverse("placements:workplace_detail", args=[999999])),
    )
    assert not_yours.status_code == missing.status_code == 404
    assert not_yours.content == missing.content


@pytest.mark.parametrize("who", ["bob", "bea", "mona", "axel"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_programme_sees_the_workplace_but_not_partner_a_participants(
    cast, client, placement_a, who, method
):
    client.force_login(getattr(cast, who))
    url = reverse("placements:workplace_detail", args=[placement_a.workplace_id])
    response = getattr(client, method)(url)
    assert response.status_code == 200
    assert b"Restaurang Linden" in response.content
    assert b"Karimi" not in response.content
    assert list(response.context["page_obj"]) == []
    assert Placement.objects.count() == 1


def test_the_workplace_shows_own_internships(cast, client, placement_a):
    client.force_login(cast.alice)
    response = client.get(reverse("placements:workplace_detail", args=[placement_a.workplace_id]))
    assert list(response.context["page_obj"]) == [placement_a]
    assert b"Karimi" in response.content


def test_internships_are_not_in_the_technical_admin():
    from django.contrib import admin

    from stegvis.dropin.models import DropInVisit
    from stegvis.placements.models import PlacementVisit, Workplace

    assert not {Placement, PlacementVisit, DropInVisit} & set(admin.site._registry)
    assert Workplace in admin.site._registry
