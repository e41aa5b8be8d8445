"""The results dashboard: open it, click a number, land on the enrollments behind it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stegvis.organisations.models import Role
from stegvis.reporting.models import Target
from tests import factories as f
from tests.reporting.lerum import build_lerum

from .conftest import assert_accessible, login

pytestmark = pytest.mark.browser


@pytest.fixture
def lerum(db):
    lerum = build_lerum()
    manager = f.UserFactory(username="lerum-pm", first_name="Petra")
    unit = f.UnitFactory(organisation=lerum.programme.owner, name="Projektledningen")
    f.MembershipFactory(user=manager, unit=unit, role=Role.PROGRAMME_MANAGER)
    Target.objects.create(programme=lerum.programme, indicator="exits.work", value=20, label="Mål")
    lerum.manager = manager
    return lerum


def test_manager_clicks_a_number_and_sees_pseudonymous_codes(lerum, live_server, page):
    login(page, live_server, lerum.manager)
    page.goto(reverse("reporting:programme", args=[lerum.programme.pk]))
    assert_accessible(page, "dashboard")
    # The number of exits to "moved away" (16) is a link to the enrollments behind it.
    page.locator("a[href*='code=exit.personal.moved&part=numerator']").first.click()
    page.wait_for_url("**/numbers/**")
    assert page.locator("h1").inner_text().startswith("exit.personal.moved")
    rows = page.locator("tbody tr")
    assert rows.count() == 16
    assert lerum.enrollments[0].pseudonym in page.content()
    assert "Lerum00" not in page.content()
    assert_accessible(page, "numbers")
    page.goto(reverse("reporting:targets", args=[lerum.programme.pk]))
    assert_accessible(page, "targets")


def test_coordinator_clicks_a_number_and_reaches_the_record(lerum, live_server, page):
    login(page, live_server, lerum.coordinator)
    page.goto(reverse("reporting:partner", args=[lerum.programme.pk, lerum.partner.pk]))
    assert_accessible(page, "partner-dashboard")
    page.locator("a[href*='code=exit.work.subsidised&part=numerator']").first.click()
    page.wait_for_url("**/numbers/**")
    links = page.locator("tbody a")
    assert links.count() == 4
    links.first.click()
    page.wait_for_url("**/participants/**")


def test_final_report_page_is_accessible(lerum, live_server, page):
    login(page, live_server, lerum.coordinator)
    url = reverse("reporting:final_report", args=[lerum.programme.pk])
    page.goto(f"{url}?partner={lerum.partner.pk}")
    assert_accessible(page, "final-report")
    page.fill("#id_background", "Lerum ville stärka samverkan.")
    page.locator("form.narrative button[type=submit]").click()
    page.wait_for_load_state()
    assert "Lerum ville stärka samverkan." in page.content()
    assert_accessible(page, "final-report-saved")
