"""The participant journeys of JOURNEYS.md, clicked through in a real browser.

Selectors use ids, roles and URLs rather than visible texts, so that the tests hold while
the Swedish translations are being written. Every page checked with ``assert_accessible``
must pass axe-core's WCAG 2.1 A/AA rules, error states included.
"""

from __future__ import annotations

import datetime
import re

import pytest

from stegvis.access.models import AccessEvent, Action
from stegvis.participants.models import Enrollment
from tests.factories import personnummer

from .conftest import assert_accessible, login, submit_login_form

pytestmark = pytest.mark.browser

MAIN_FORM_SUBMIT = "main form[method=post] button[type=submit]"


def search(page, text: str) -> None:
    page.fill("#id_q", text)
    with page.expect_navigation():
        page.press("#id_q", "Enter")


def result_names(page) -> list[str]:
    return page.locator("main table tbody tr td:first-child a").all_inner_texts()


def test_staff_finds_views_and_edits_a_participant(page, live_server, cast):
    layla = cast.enrollment_a.participant

    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page, "login")
    login(page, live_server, cast.alice)
    assert_accessible(page, "home")

    page.goto(f"{live_server.url}/participants/")
    assert_accessible(page, "list")
    assert "Karimi, Layla" in result_names(page)
    assert "Tesfay, Senait" not in result_names(page)  # partner B's

    search(page, "Karimi")
    assert result_names(page) == ["Karimi, Layla"]
    assert_accessible(page, "search-by-name")

    search(page, layla.identity_number_display)
    assert result_names(page) == ["Karimi, Layla"]

    with page.expect_navigation():
        page.get_by_role("link", name="Karimi, Layla").click()
    assert page.url == f"{live_server.url}/participants/{cast.enrollment_a.pk}/"
    assert page.locator("h1").inner_text() == "Layla Karimi"
    assert_accessible(page, "detail")
    assert AccessEvent.objects.filter(
        actor=cast.alice, action=Action.VIEW, enrollment=cast.enrollment_a
    ).exists()

    with page.expect_navigation():
        page.locator(f'main a[href="/participants/{cast.enrollment_a.pk}/edit/"]').click()
    assert_accessible(page, "edit")
    page.fill("#id_person-municipality", "Härryda")
    with page.expect_navigation():
        page.click(MAIN_FORM_SUBMIT)

    assert page.url == f"{live_server.url}/participants/{cast.enrollment_a.pk}/"
    assert page.locator(".messages .message--success").is_visible()
    assert "Härryda" in page.locator("main").inner_text()
    assert_accessible(page, "detail-after-edit")
    layla.refresh_from_db()
    assert layla.municipality == "Härryda"
    assert AccessEvent.objects.filter(
        actor=cast.alice, action=Action.UPDATE, participant=layla
    ).exists()


def test_wrong_password_shows_an_error_and_repeated_failures_lock_the_account(
    page, live_server, cast
):
    page.goto(f"{live_server.url}/accounts/login/")
    response = submit_login_form(page, "alice", "wrong password")
    assert response.status == 200
    assert "/accounts/login/" in page.url
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page, "login-error")

    for _attempt in range(2, 5):
        response = submit_login_form(page, "alice", "wrong password")
        assert response.status == 200, "locked out before the fifth failure"

    response = submit_login_form(page, "alice", "wrong password")
    assert response.status == 429
    assert page.locator("#id_username").count() == 0
    assert_accessible(page, "locked-out")

    # Locked out means the right password does not help either, for now.
    page.goto(f"{live_server.url}/accounts/login/")
    response = submit_login_form(page, "alice", "correct horse battery staple")
    assert response.status == 429


def test_staff_enrols_a_participant_after_correcting_the_identity_number(page, live_server, cast):
    valid = personnummer(datetime.date(1990, 5, 17))
    # Same number with a wrong check digit.
    invalid = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    login(page, live_server, cast.alice)
    page.goto(f"{live_server.url}/participants/new/")
    assert_accessible(page, "enrol-form")

    page.select_option("#id_person-identity_kind", "personnummer")
    page.fill("#id_person-identity_number", f"{invalid[:8]}-{invalid[8:]}")
    page.fill("#id_person-first_name", "Noor")
    page.fill("#id_person-last_name", "Rahimi")
    page.select_option("#id_person-gender", "woman")
    page.select_option("#id_enrollment-unit", str(cast.unit_a.pk))
    page.fill("#id_enrollment-start_date", "2025-03-03")
    with page.expect_navigation():
        page.click(MAIN_FORM_SUBMIT)

    assert page.url == f"{live_server.url}/participants/new/"
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#id_person-identity_number_error").is_visible()
    assert not Enrollment.objects.filter(participant__last_name="Rahimi").exists()
    assert_accessible(page, "enrol-error")

    page.fill("#id_person-identity_number", f"{valid[:8]}-{valid[8:]}")
    with page.expect_navigation():
        page.click(MAIN_FORM_SUBMIT)

    enrollment = Enrollment.objects.get(participant__last_name="Rahimi")
    assert page.url == f"{live_server.url}/participants/{enrollment.pk}/"
    assert enrollment.participant.identity_number == valid
    assert enrollment.participant.birth_date == datetime.date(1990, 5, 17)
    assert enrollment.unit == cast.unit_a
    assert page.locator("h1").inner_text() == "Noor Rahimi"
    assert page.locator(".messages .message--success").is_visible()
    assert_accessible(page, "enrolled")


def test_the_interface_switches_to_english(page, live_server, cast):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "sv"

    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.locator("form:has(#language-select) button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Log in to Stegvis"
    assert_accessible(page, "login-en")

    # The choice sticks after logging in.
    login(page, live_server, cast.alice)
    assert page.locator("html").get_attribute("lang") == "en"
    navigation = page.get_by_role("navigation")
    assert navigation.get_by_role("link", name="Participants", exact=True).is_visible()


def test_participant_list_works_on_a_phone(phone_page, live_server, cast):
    page = phone_page
    login(page, live_server, cast.alice)
    page.goto(f"{live_server.url}/participants/")
    assert page.get_by_role("link", name="Karimi, Layla").is_visible()
    assert_accessible(page, "list-phone")
    # Reflow (WCAG 1.4.10): the page itself must not scroll sideways; wide tables scroll
    # inside their own wrapper.
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than a 390px phone screen"


def test_programme_manager_sees_aggregates_but_no_records(page, live_server, cast):
    login(page, live_server, cast.mona)
    assert page.url == f"{live_server.url}/"
    programme = page.locator("main section", has=page.get_by_role("heading", name="Broar"))
    assert programme.is_visible()
    partners = programme.locator("tbody th[scope=row]").all_inner_texts()
    assert partners == ["Alfa kommun", "Beta folkhögskola"]
    assert not page.get_by_text(re.compile("Karimi|Tesfay|Omar")).count()
    assert_accessible(page, "home-programme-manager")

    response = page.goto(f"{live_server.url}/participants/")
    assert response is not None
    assert response.status == 404
    response = page.goto(f"{live_server.url}/participants/{cast.enrollment_a.pk}/")
    assert response is not None
    assert response.status == 404
