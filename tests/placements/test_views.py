"""Internship and workplace pages: the flows, the counts on the workplace list, and pinned
query counts on the list pages."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stegvis.placements.models import Placement, PlacementVisit, Workplace
from stegvis.placements.services import placement_record_outcome
from tests import factories as f

from .conftest import START, make_placement, make_workplace

TODAY = timezone.localdate()


def _detail(placement):
    return reverse("placements:detail", args=[placement.enrollment_id, placement.pk])


def test_staff_register_an_internship(cast, client, workplace):
    client.force_login(cast.alice)
    url = reverse("placements:create", args=[cast.enrollment_a.pk])
    assert b"Restaurang Linden" in client.get(url).content
    response = client.post(
        url,
        {
            "workplace": workplace.pk,
            "supervisor_name": "Karin Lind",
            "supervisor_email": "karin@example.org",
            "start_date": "2025-04-01",
            "end_date": "2025-06-30",
            "hours_per_week": "25",
            "tasks": "Kallskänk",
            "language_support": "language_mentor",
            "language_support_note": "Språkombud tisdagar",
        },
    )
    placement = Placement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(placement)
    assert (placement.enrollment, placement.end_date) == (
        cast.enrollment_a,
        datetime.date(2025, 6, 30),
    )


def test_a_bad_internship_shows_the_reason_and_stores_nothing(cast, client, workplace):
    client.force_login(cast.alice)
    response = client.post(
        reverse("placements:create", args=[cast.enrollment_a.pk]),
        {
            "workplace": workplace.pk,
            "supervisor_name": "Karin Lind",
            "start_date": "2025-01-10",  # before the enrollment started (2025-02-01)
            "hours_per_week": "20",
            "tasks": "Kallskänk",
            "language_support": "none",
        },
    )
    assert response.status_code == 200
    assert b"cannot start before the enrollment started (2025-02-01)" in response.content
    assert not Placement.objects.exists()


def test_without_workplaces_the_page_says_to_add_one(cast, client):
    client.force_login(cast.alice)
    response = client.get(reverse("placements:create", args=[cast.enrollment_a.pk]))
    assert b"There are no workplaces in this programme yet." in response.content


def test_staff_record_a_visit_and_an_outcome(cast, client, placement_a):
    client.force_login(cast.alice)
    args = [cast.enrollment_a.pk, placement_a.pk]
    response = client.post(
        reverse("placements:visit_add", args=args),
        {"visit_date": TODAY.isoformat(), "notes": "Handledaren är nöjd."},
    )
    assert response.status_code == 302
    assert PlacementVisit.objects.get().notes == "Handledaren är nöjd."
    response = client.post(
        reverse("placements:outcome", args=args),
        {"outcome": "employment", "outcome_date": TODAY.isoformat(), "employment_support": ""},
    )
    assert response.status_code == 200
    assert b"Choose the kind of support" in response.content
    response = client.post(
        reverse("placements:outcome", args=args),
        {
            "outcome": "employment",
            "outcome_date": TODAY.isoformat(),
            "employment_support": "introduction_job",
        },
    )
    assert response.status_code == 302
    page = client.get(_detail(placement_a)).content.decode()
    assert "Handledaren är nöjd." in page
    assert "Introduction job (introduktionsjobb)" in page


def test_the_participant_page_shows_the_internships(cast, client, placement_a):
    client.force_login(cast.alice)
    page = client.get(reverse("participants:detail", args=[cast.enrollment_a.pk])).content
    assert _detail(placement_a).encode() in page
    assert reverse("placements:create", args=[cast.enrollment_a.pk]).encode() in page
    assert reverse("dropin:participant", args=[cast.enrollment_a.pk]).encode() in page


def test_the_list_filters_ongoing_ended_and_outcome(cast, client, workplace):
    ongoing = make_placement(cast.alice, cast.enrollment_a, workplace)
    ended = make_placement(cast.anna, cast.enrollment_a2, workplace)
    placement_record_outcome(
        actor=cast.anna,
        placement=ended,
        outcome="employment",
        outcome_date=TODAY,
        employment_support="new_start_job",
    )
    client.force_login(cast.anna)

    def shown(query):
        return set(client.get(reverse("placements:list") + query).context["page_obj"])

    assert shown("") == {ongoing, ended}
    assert shown("?state=ongoing") == {ongoing}
    assert shown("?state=ended") == {ended}
    assert shown("?outcome=employment") == {ended}
    assert shown("?outcome=ended") == set()
    assert shown("?state=needs_outcome") == set()
    late = make_placement(
        cast.anna, cast.enrollment_a2, workplace, end_date=TODAY - datetime.timedelta(days=1)
    )
    assert shown("?state=needs_outcome") == {late}
    # Alice (staff at Vuxenutbildningen) sees her unit's internship only.
    client.force_login(cast.alice)
    assert shown("") == {ongoing}


def _counts(response):
    return {
        w.name: (str(w.placements_shown), str(w.jobs_shown)) for w in response.context["page_obj"]
    }


def test_the_workplace_list_counts_internships_and_jobs_per_viewer(cast, client):
    """Hand-computed: Linden has 3 internships of A (1 job) and 1 of B (1 job); Björk has 6 of
    B (2 jobs); Ek has none."""
    linden = make_workplace(cast.anna, cast.partner_a)
    bjork = make_workplace(cast.bea, cast.partner_b, name="Björk Bygg AB", number="202100-5448")
    make_workplace(cast.bea, cast.partner_b, name="Ek förening", number="802479-1231")

    def placed(actor, enrollment, workplace, outcome=None):
        placement = make_placement(actor, enrollment, workplace)
        if outcome == "job":
            placement_record_outcome(
                actor=actor,
                placement=placement,
                outcome="employment",
                outcome_date=TODAY,
                employment_support="wage_subsidy",
            )
        elif outcome == "ended":
            placement_record_outcome(
                actor=actor, placement=placement, outcome="ended", outcome_date=TODAY
            )

    placed(cast.alice, cast.enrollment_a, linden, "job")
    placed(cast.alice, cast.enrollment_a, linden, "ended")
    placed(cast.anna, cast.enrollment_a2, linden)
    placed(cast.bob, cast.enrollment_b, linden, "job")
    for index in range(6):
        placed(cast.bob, cast.enrollment_b, bjork, "job" if index < 2 else None)

    client.force_login(cast.anna)
    assert _counts(client.get(reverse("placements:workplaces"))) == {
        "Björk Bygg AB": ("0", "0"),
        "Ek förening": ("0", "0"),
        "Restaurang Linden": ("3", "1"),
    }
    client.force_login(cast.alice)  # staff: her unit's enrollment only
    assert _counts(client.get(reverse("placements:workplaces")))["Restaurang Linden"] == (
        "2",
        "1",
    )
    client.force_login(cast.bea)
    assert _counts(client.get(reverse("placements:workplaces"))) == {
        "Björk Bygg AB": ("6", "2"),
        "Ek förening": ("0", "0"),
        "Restaurang Linden": ("1", "1"),
    }
    # The programme manager: the whole programme, 1 to 4 shown as "<5".
    client.force_login(cast.mona)
    response = client.get(reverse("placements:workplaces"))
    assert _counts(response) == {
        "Björk Bygg AB": ("6", "<5"),
        "Ek förening": ("0", "0"),
        "Restaurang Linden": ("<5", "<5"),
    }
    assert b"Karimi" not in response.content
    # Otto's programme has no workplaces.
    client.force_login(cast.otto)
    assert _counts(client.get(reverse("placements:workplaces"))) == {}
    # Search by name or the start of the number.
    client.force_login(cast.anna)
    assert set(_counts(client.get(reverse("placements:workplaces") + "?q=2021"))) == {
        "Björk Bygg AB"
    }


def test_adding_a_workplace(cast, client):
    client.force_login(cast.alice)
    url = reverse("placements:workplace_create")
    data = {
        "partner": cast.partner_a.pk,
        "name": "Café Solros",
        "organisation_number": "556012-5791",
        "sector": "private",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert b"The check digit is wrong" in response.content
    assert not Workplace.objects.exists()
    data["organisation_number"] = "5560125790"
    response = client.post(url, data)
    workplace = Workplace.objects.get()
    assert response["Location"] == reverse("placements:workplace_detail", args=[workplace.pk])
    assert workplace.organisation_number == "556012-5790"


def test_staff_cannot_add_a_workplace_for_another_partner(cast, client):
    client.force_login(cast.bob)
    response = client.post(
        reverse("placements:workplace_create"),
        {
            "partner": cast.partner_a.pk,
            "name": "Café Solros",
            "organisation_number": "5560125790",
            "sector": "private",
        },
    )
    assert response.status_code == 200
    assert not Workplace.objects.exists()


# Query counts: the same for a few rows and for many.

LIST_QUERIES = 6
WORKPLACE_QUERIES = 6


def test_the_internship_list_runs_the_same_queries_for_one_or_many(
    cast, client, workplace, django_assert_num_queries
):
    make_placement(cast.alice, cast.enrollment_a, workplace)
    client.force_login(cast.anna)
    url = reverse("placements:list") + "?state=ongoing"
    client.get(url)
    with django_assert_num_queries(LIST_QUERIES):
        client.get(url)
    for _ in range(5):
        enrollment = f.EnrollmentFactory(partner=cast.partner_a, unit=cast.unit_a2)
        for _ in range(3):
            make_placement(cast.anna, enrollment, workplace, start_date=START)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url)
    assert len(response.context["page_obj"]) == 16


@pytest.mark.parametrize("who", ["anna", "mona"])
def test_the_workplace_list_runs_the_same_queries_for_few_or_many(
    cast, client, workplace, who, django_assert_num_queries
):
    make_placement(cast.alice, cast.enrollment_a, workplace)
    client.force_login(getattr(cast, who))
    url = reverse("placements:workplaces")
    client.get(url)
    with django_assert_num_queries(WORKPLACE_QUERIES):
        client.get(url)
    for index in range(20):
        extra = make_workplace(cast.anna, cast.partner_a, name=f"Verkstad {index}")
        make_placement(cast.alice, cast.enrollment_a, extra)
    with django_assert_num_queries(WORKPLACE_QUERIES):
        response = client.get(url)
    assert len(response.context["page_obj"]) == 21


def test_staff_correct_an_internship(cast, client, placement_a):
    client.force_login(cast.alice)
    url = reverse("placements:edit", args=[cast.enrollment_a.pk, placement_a.pk])
    page = client.get(url)
    assert page.context["form"].initial["supervisor_name"] == "Karin Lind"
    response = client.post(
        url,
        {
            "workplace": placement_a.workplace_id,
            "supervisor_name": "Karin Lind",
            "supervisor_phone": "070-765 43 21",
            "start_date": "2025-03-03",
            "end_date": "2025-05-30",
            "hours_per_week": "30",
            "tasks": "Kallskänk",
            "language_support": "colleague",
        },
    )
    assert response.status_code == 302
    placement_a.refresh_from_db()
    assert (placement_a.supervisor_phone, placement_a.end_date) == (
        "070-765 43 21",
        datetime.date(2025, 5, 30),
    )


def test_the_programme_manager_finds_the_workplaces_from_home(cast, client):
    client.force_login(cast.mona)
    home = client.get(reverse("core:home")).content
    assert reverse("placements:workplaces").encode() in home


def test_the_workplace_page_runs_the_same_queries_for_one_or_many(
    cast, client, workplace, django_assert_num_queries
):
    make_placement(cast.alice, cast.enrollment_a, workplace)
    client.force_login(cast.anna)
    url = reverse("placements:workplace_detail", args=[workplace.pk])
    client.get(url)
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(url)
    for _ in range(12):
        make_placement(cast.anna, cast.enrollment_a2, workplace)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url)
    assert len(response.context["page_obj"]) == 13
    assert str(response.context["placements_shown"]) == "13"


DETAIL_QUERIES = 7
