"""On a phone: register drop-in visits with the topic buttons, then record a follow-up visit
of an internship. axe-core checks every page on the way, error states included."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from stegvis.dropin.models import DropInVisit
from stegvis.placements import services as placement_services
from stegvis.placements.models import PlacementVisit

from .conftest import assert_accessible, login

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()
MAIN_FORM_SUBMIT = "main form[method=post] button[type=submit]"


@pytest.fixture
def placement(cast):
    workplace = placement_services.workplace_create(
        actor=cast.anna,
        partner=cast.partner_a,
        name="Restaurang Linden",
        organisation_number="556012-5790",
        sector="private",
    )
    return placement_services.placement_create(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        workplace=workplace,
        supervisor_name="Karin Lind",
        supervisor_phone="070-123 45 67",
        start_date=TODAY - datetime.timedelta(days=21),
        hours_per_week=Decimal(25),
        tasks="Kallskänk och disk",
        language_support="colleague",
    )


def test_drop_in_and_a_follow_up_visit_on_a_phone(cast, live_server, phone_page, placement):
    page = phone_page
    login(page, live_server, cast.alice)

    page.goto(live_server.url + reverse("dropin:register"))
    assert_accessible(page, "dropin-register")
    page.fill("#id_visitors", "3")
    with page.expect_navigation():
        page.locator("button[name=topic][value=authorities]").click()
    with page.expect_navigation():
        page.locator("button[name=topic][value=job_search]").click()  # count back to 1
    assert sorted(DropInVisit.objects.values_list("topic", "visitors")) == [
        ("authorities", 3),
        ("job_search", 1),
    ]
    assert page.locator("main tfoot td").last.inner_text() == "4"
    assert_accessible(page, "dropin-registered")

    # Enter in the count field does not register a topic by accident.
    page.fill("#id_visitors", "2")
    with page.expect_navigation():
        page.press("#id_visitors", "Enter")
    assert page.locator("#error-summary a[href='#id_topic']").is_visible()
    assert DropInVisit.objects.count() == 2

    page.fill("#id_visitors", "0")
    with page.expect_navigation():
        page.locator("button[name=topic][value=digital]").click()
    assert page.locator("#error-summary").is_visible()
    assert DropInVisit.objects.count() == 2
    assert_accessible(page, "dropin-error")

    page.goto(live_server.url + reverse("dropin:summary"))
    assert_accessible(page, "dropin-summary")

    # The internship, from the participant's page.
    page.goto(live_server.url + reverse("participants:detail", args=[cast.enrollment_a.pk]))
    detail = reverse("placements:detail", args=[cast.enrollment_a.pk, placement.pk])
    with page.expect_navigation():
        page.locator(f"main a[href='{detail}']").click()
    assert_accessible(page, "placement")
    visit_url = reverse("placements:visit_add", args=[cast.enrollment_a.pk, placement.pk])
    with page.expect_navigation():
        page.locator(f"main a[href='{visit_url}']").click()
    page.fill("#id_notes", "")
    with page.expect_navigation():
        page.click(MAIN_FORM_SUBMIT)
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page, "visit-error")
    page.fill("#id_notes", "Handledaren är nöjd; fler arbetspass i kassan.")
    with page.expect_navigation():
        page.click(MAIN_FORM_SUBMIT)
    assert page.url == live_server.url + detail
    assert "Handledaren är nöjd" in page.locator("main .visits").inner_text()
    assert PlacementVisit.objects.get().visited_by == cast.alice
    assert_accessible(page, "placement-with-visit")

    page.goto(live_server.url + reverse("placements:workplaces"))
    assert_accessible(page, "workplaces")
