"""Drop-in pages: quick registration by topic buttons, the monthly summary, a participant's
visit; who may use them; pinned query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stegvis.dropin.models import DropInVisit

TODAY = timezone.localdate()


def test_tapping_a_topic_registers_the_count(cast, client):
    client.force_login(cast.alice)
    url = reverse("dropin:register")
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="topic" value="job_search"' in page.content
    response = client.post(
        url,
        {
            "unit": cast.unit_a.pk,
            "visit_date": TODAY.isoformat(),
            "visitors": "3",
            "topic": "swedish",
        },
        follow=True,
    )
    visit = DropInVisit.objects.get()
    assert (visit.unit, visit.topic, visit.visitors) == (cast.unit_a, "swedish", 3)
    assert b"Registered 3 visitors: Practising Swedish." in response.content
    assert response.context["today_summary"].total == 3


def test_a_bad_count_is_refused_with_a_message(cast, client):
    client.force_login(cast.alice)
    response = client.post(
        reverse("dropin:register"),
        {
            "unit": cast.unit_a.pk,
            "visit_date": TODAY.isoformat(),
            "visitors": "0",
            "topic": "other",
        },
    )
    assert response.status_code == 200
    assert b"error-summary" in response.content
    assert not DropInVisit.objects.exists()


def test_staff_cannot_register_for_another_partners_unit(cast, client):
    client.force_login(cast.bob)
    response = client.post(
        reverse("dropin:register"),
        {
            "unit": cast.unit_a.pk,
            "visit_date": TODAY.isoformat(),
            "visitors": "2",
            "topic": "other",
        },
    )
    assert response.status_code == 200
    assert not DropInVisit.objects.exists()


@pytest.mark.parametrize("who", ["mona", "axel", "otto"])
def test_roles_without_a_unit_of_the_programme_do_not_register(cast, client, who):
    client.force_login(getattr(cast, who))
    for name in ("dropin:register", "dropin:summary"):
        status = client.get(reverse(name)).status_code
        # Otto has a unit of his own (another programme): his own drop-in, nothing of A's.
        assert status == (200 if who == "otto" else 404)


def test_a_participants_visit_from_the_participant_page(cast, client):
    client.force_login(cast.alice)
    url = reverse("dropin:participant", args=[cast.enrollment_a.pk])
    response = client.post(
        url, {"unit": cast.unit_a.pk, "visit_date": TODAY.isoformat(), "topic": "housing"}
    )
    assert response.status_code == 302
    visit = DropInVisit.objects.get()
    assert (visit.enrollment, visit.visitors) == (cast.enrollment_a, 1)
    assert b"Housing" in client.get(url).content


def _visits(cast, count):
    DropInVisit.objects.bulk_create(
        DropInVisit(
            unit=cast.unit_a,
            visit_date=TODAY.replace(day=1) + datetime.timedelta(days=index % 20),
            topic=["job_search", "digital", "health"][index % 3],
            visitors=2,
            registered_by=cast.alice,
        )
        for index in range(count)
    )


SUMMARY_QUERIES = 9


def test_the_summary_shows_the_month_and_runs_the_same_queries(
    cast, client, django_assert_num_queries
):
    client.force_login(cast.anna)
    url = reverse("dropin:summary") + f"?unit={cast.unit_a.pk}&month={TODAY:%Y-%m}"
    _visits(cast, 3)
    client.get(url)
    with django_assert_num_queries(SUMMARY_QUERIES):
        response = client.get(url)
    assert response.context["summary"].total == 6
    _visits(cast, 300)
    with django_assert_num_queries(SUMMARY_QUERIES):
        response = client.get(url)
    assert response.context["summary"].total == 606
    assert b"606 visitors" in response.content


def test_the_summary_of_another_organisations_unit_is_not_shown(cast, client):
    _visits(cast, 3)
    client.force_login(cast.bea)
    response = client.get(reverse("dropin:summary") + f"?unit={cast.unit_a.pk}")
    assert response.status_code == 200
    assert response.context["unit"] == cast.unit_b
    assert response.context["summary"].total == 0


def test_the_participant_page_counts_the_drop_in_visits(cast, client):
    for day in (datetime.date(2025, 3, 4), datetime.date(2025, 3, 11)):
        DropInVisit.objects.create(
            unit=cast.unit_a,
            visit_date=day,
            topic="digital",
            enrollment=cast.enrollment_a,
            registered_by=cast.alice,
        )
    client.force_login(cast.alice)
    page = client.get(reverse("participants:detail", args=[cast.enrollment_a.pk])).content
    assert b"2 drop-in visits, the last on 2025-03-11." in page
