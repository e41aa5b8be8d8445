"""Consent-based sharing between organisations, clicked through in a real browser (issue 3).

Staff at partner A record a consent naming partner B for the plan only, and print the form in
Arabic. Staff at B then find the participant under "Shared with us" and read the plan, but get
404 for the notes and the mapping. A withdraws the consent, and B's very next request for the
same plan URL is a 404. Finally A's coordinator reads "who has seen my data", where B's read
of the plan stands with B's organisation and the consent it relied on.

Selectors use ids, names, values and URLs; the few visible texts checked are taken from the
translations (``sv``), so the test holds while wording changes. Every page checked with
``assert_accessible`` must pass axe-core's WCAG 2.1 A/AA rules, error states included.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.consents.models import Consent
from stegvis.notes import services as note_services
from stegvis.plans import services as plan_services

from .conftest import DESKTOP, PHONE, assert_accessible, login

pytestmark = pytest.mark.browser

MAIN_FORM_SUBMIT = "main form[method=post] button[type=submit]"
PLAN_GOAL = "Praktik i storkök hos Beta, mål 4711"
PLAN_ACTIVITY = "Språkstöd på praktikplatsen, aktivitet 4712"
NOTE_TEXT = "Ringde om busskortet, anteckning 4713"


def in_swedish(text: str) -> str:
    """The interface's wording for ``text`` (the browser runs with the default, Swedish)."""
    with translation.override("sv"):
        return gettext(text)


def write_plan_and_note(cast) -> None:
    """Partner A's own work before anything is shared: an agreed plan and a note."""
    enrollment = cast.enrollment_a
    today = timezone.localdate()
    draft = plan_services.plan_draft_save(
        actor=cast.alice,
        enrollment=enrollment,
        expected_draft_id=None,
        goals=[plan_services.GoalInput(text=PLAN_GOAL, target_date=today + datetime.timedelta(90))],
        activities=[
            plan_services.ActivityInput(
                what=PLAN_ACTIVITY,
                organisation=cast.partner_b.organisation,
                responsible_name="Bob",
            )
        ],
    )
    plan_services.plan_agree(
        actor=cast.alice,
        enrollment=enrollment,
        draft_id=draft.pk,
        agreed_on=today,
        interpreter_used=True,
        interpreter_language="ar",
        conversation_language="ar",
    )
    note_services.note_create(
        actor=cast.alice, enrollment=enrollment, date=today, category="contact", text=NOTE_TEXT
    )


def click(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def goto_status(page, url: str) -> int:
    response = page.goto(url)
    assert response is not None
    return response.status


def log_out(page) -> None:
    with page.expect_navigation():
        page.locator("header form.logout-form button[type=submit]").click()
    assert "/accounts/login/" in page.url


def assert_error_links_reach_their_fields(page) -> None:
    """Each link in the error summary moves focus to a control of the field it names."""
    links = page.locator("#error-summary a")
    assert links.count() > 0
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href") or ""
        assert re.fullmatch(r"#[\w-]+", href), (
            f"error summary link {links.nth(i).inner_text()!r} goes to {href!r}, not to a field"
        )
        assert page.locator(f"main form {href}").count() == 1, f"nothing in the form has {href}"


def table_rows(page) -> list[list[str]]:
    """The cells of every body row of the main table, as visible text."""
    rows = page.locator("main table tbody tr")
    return [
        [cell.strip() for cell in rows.nth(i).locator("td, th").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_consent_shares_the_plan_only_until_it_is_withdrawn(page, phone_page, live_server, cast):
    enrollment = cast.enrollment_a
    pk = enrollment.pk
    org_a = cast.partner_a.organisation
    org_b = cast.partner_b.organisation
    today = timezone.localdate()
    valid_to = today + datetime.timedelta(days=180)
    write_plan_and_note(cast)
    plan_url = f"{live_server.url}{reverse('plans:detail', args=[pk])}"
    notes_url = f"{live_server.url}{reverse('notes:list', args=[pk])}"
    mapping_url = f"{live_server.url}{reverse('mapping:detail', args=[pk])}"
    shared_url = f"{live_server.url}{reverse('participants:shared')}"
    detail_path = reverse("participants:detail", args=[pk])
    participant_link = f'main table a[href="{detail_path}"]'

    # -- Alice (staff, partner A) records the consent ------------------------------------------
    login(page, live_server, cast.alice)
    page.goto(f"{live_server.url}{detail_path}")
    click(page, f'main a[href="{reverse("consents:list", args=[pk])}"]')
    assert_accessible(page, "consents-none")
    click(page, f'main a[href="{reverse("consents:create", args=[pk])}"]')
    assert page.url == f"{live_server.url}{reverse('consents:create', args=[pk])}"
    assert_accessible(page, "consent-form")

    # Partner A itself is not offered: it needs no consent.
    assert page.locator(f'input[name=organisations][value="{org_a.pk}"]').count() == 0
    assert not page.is_checked(f'input[name=organisations][value="{org_b.pk}"]')
    # The form suggests the plan and the check-ins; the participant agreed to the plan only.
    assert page.is_checked("input[name=parts][value=plan]")
    assert page.is_checked("input[name=parts][value=checkins]")
    parts = page.locator("input[name=parts]")
    for i in range(parts.count()):
        checkbox = parts.nth(i)
        if checkbox.get_attribute("value") == Part.PLAN:
            checkbox.check()
        else:
            checkbox.uncheck()
    assert not page.is_checked("#id_takes_part_in_plan")
    page.fill("#id_purpose", "Gemensam planering av praktik och språkstöd.")
    page.select_option("#id_form", Consent.Form.WRITTEN)
    page.select_option("#id_language", "ar")
    page.fill("#id_given_on", today.isoformat())
    page.fill("#id_valid_from", today.isoformat())
    page.fill("#id_valid_to", valid_to.isoformat())

    # First without naming an organisation: an error, nothing saved, the choices kept.
    with page.expect_navigation():
        page.click(MAIN_FORM_SUBMIT)
    assert page.url == f"{live_server.url}{reverse('consents:create', args=[pk])}"
    assert page.locator("#error-summary").is_visible()
    organisations_fieldset = page.locator(
        "main form fieldset", has=page.locator("input[name=organisations]")
    )
    assert organisations_fieldset.locator(".field-error").is_visible()
    assert_error_links_reach_their_fields(page)
    assert not Consent.objects.filter(enrollment=enrollment).exists()
    assert page.is_checked("input[name=parts][value=plan]")
    assert not page.is_checked("input[name=parts][value=checkins]")
    assert page.input_value("#id_language") == "ar"
    assert_accessible(page, "consent-form-error")

    page.check(f'input[name=organisations][value="{org_b.pk}"]')
    with page.expect_navigation():
        page.click(MAIN_FORM_SUBMIT)
    consents_url = f"{live_server.url}{reverse('consents:list', args=[pk])}"
    assert page.url == consents_url
    assert page.locator(".messages .message--success").is_visible()
    consent = Consent.objects.get(enrollment=enrollment)
    assert list(consent.organisations.all()) == [org_b]
    assert consent.parts == [Part.PLAN]
    assert not consent.takes_part_in_plan
    assert consent.form == Consent.Form.WRITTEN
    assert consent.language == "ar"
    assert (consent.given_on, consent.valid_from, consent.valid_to) == (today, today, valid_to)
    assert consent.state() == "active"
    [row] = table_rows(page)
    assert row[0] == org_b.name
    assert page.locator("main table .badge--ok").count() == 1
    assert_accessible(page, "consents-list")

    # The form to sign, in Swedish and Arabic: the Arabic text runs right to left.
    click(page, f'main a[href="{reverse("consents:print", args=[pk, consent.pk])}"]')
    page.select_option("#consent-language", "ar")
    with page.expect_navigation():
        page.locator("form:has(#consent-language) button[type=submit]").click()
    assert page.url.endswith(f"{reverse('consents:print', args=[pk, consent.pk])}?language=ar")
    versions = page.locator("main section.consent-version")
    assert versions.count() == 2
    assert versions.nth(0).get_attribute("lang") == "sv"
    assert versions.nth(0).get_attribute("dir") == "ltr"
    arabic = page.locator('main section.consent-version[lang="ar"]')
    assert arabic.get_attribute("dir") == "rtl"
    assert org_b.name in arabic.inner_text()
    assert arabic.locator("dd ul li").count() == 1  # the plan, and nothing else
    assert_accessible(page, "consent-print-ar")
    assert AccessEvent.objects.filter(
        actor=cast.alice, action=Action.PRINT, enrollment=enrollment, object_id=str(consent.pk)
    ).exists()

    # -- Bob (staff, partner B) sees the plan, and only the plan -------------------------------
    bob = phone_page
    login(bob, live_server, cast.bob)
    click(bob, f'header nav a[href="{reverse("participants:shared")}"]')
    assert bob.url == shared_url
    assert bob.locator(participant_link).is_visible()
    assert len(table_rows(bob)) == 1  # not partner B's own participants, only the shared one
    assert_accessible(bob, "shared-list-phone")
    overflow = bob.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than a {PHONE['width']}px phone screen"

    bob.set_viewport_size(DESKTOP)
    click(bob, participant_link)
    assert bob.locator("h1").inner_text() == "Layla Karimi"
    parts_nav = bob.locator("main ul.parts-nav")
    assert parts_nav.locator(f'a[href="{reverse("plans:detail", args=[pk])}"]').count() == 1
    assert parts_nav.locator("a").count() == 1  # no notes, no mapping, no check-ins
    main_text = bob.locator("main").inner_text()
    assert enrollment.participant.identity_number_display not in main_text
    assert NOTE_TEXT not in main_text
    assert_accessible(bob, "shared-detail")

    click(bob, f'main ul.parts-nav a[href="{reverse("plans:detail", args=[pk])}"]')
    assert bob.url == plan_url
    assert PLAN_GOAL in bob.locator("main").inner_text()
    assert PLAN_ACTIVITY in bob.locator("main").inner_text()
    # Read-only: the consent does not say partner B takes part in the plan.
    assert bob.locator(f'main a[href="{reverse("plans:edit", args=[pk])}"]').count() == 0
    assert bob.locator(f'main a[href="{reverse("plans:checkins", args=[pk])}"]').count() == 0
    assert_accessible(bob, "shared-plan")
    plan_reads = AccessEvent.objects.filter(
        actor=cast.bob, action=Action.VIEW, part=Part.PLAN, enrollment=enrollment
    )
    assert plan_reads.exists()
    assert {(e.organisation_id, e.consent_id) for e in plan_reads} == {(org_b.pk, consent.pk)}

    assert goto_status(bob, notes_url) == 404
    assert NOTE_TEXT not in bob.content()
    assert goto_status(bob, mapping_url) == 404
    assert not AccessEvent.objects.filter(
        actor=cast.bob, part__in=[Part.NOTES, Part.MAPPING], action=Action.VIEW
    ).exists()

    # -- Alice withdraws the consent -----------------------------------------------------------
    page.goto(consents_url)
    withdraw_path = reverse("consents:withdraw", args=[pk, consent.pk])
    click(page, f'main a[href="{withdraw_path}"]')
    assert org_b.name in page.locator("main").inner_text()
    assert_accessible(page, "consent-withdraw")
    page.fill("#id_note", "Deltagaren ringde och tog tillbaka samtycket.")
    with page.expect_navigation():
        page.click(MAIN_FORM_SUBMIT)
    assert page.url == consents_url
    assert page.locator(".messages .message--success").is_visible()
    assert page.locator("main table .badge--danger").count() == 1
    assert page.locator(f'main a[href="{withdraw_path}"]').count() == 0
    consent.refresh_from_db()
    assert consent.state() == "withdrawn"
    assert consent.withdrawn_by == cast.alice
    assert_accessible(page, "consents-withdrawn")

    # -- Bob, still logged in, has lost access at once -----------------------------------------
    assert goto_status(bob, plan_url) == 404
    assert PLAN_GOAL not in bob.content()
    assert goto_status(bob, f"{live_server.url}{detail_path}") == 404
    assert goto_status(bob, shared_url) == 200
    assert bob.locator(participant_link).count() == 0
    assert "Karimi" not in bob.locator("main").inner_text()

    # -- Anna (coordinator, partner A) sees who has seen the data ------------------------------
    log_out(page)
    login(page, live_server, cast.anna)
    page.goto(f"{live_server.url}{detail_path}")
    click(page, f'main a[href="{reverse("access:seen_by", args=[pk])}"]')
    assert page.locator("main button[onclick='window.print()']").is_visible()
    rows = table_rows(page)
    bob_name = cast.bob.get_full_name()
    bobs_plan_reads = [
        row for row in rows if row[1].startswith(bob_name) and row[4] == in_swedish("your plan")
    ]
    assert bobs_plan_reads, f"Bob's read of the plan is missing from {rows}"
    for row in bobs_plan_reads:
        assert row[2] == org_b.name
        assert row[3] == in_swedish("read")
        assert row[5] == in_swedish("your consent")
    # Partner A's own staff read the data because they work with the participant.
    alices_rows = [row for row in rows if row[1].startswith(cast.alice.get_full_name())]
    assert alices_rows
    assert {row[5] for row in alices_rows} == {in_swedish("they work with you")}
    assert NOTE_TEXT not in page.locator("main").inner_text()
    assert PLAN_GOAL not in page.locator("main").inner_text()
    assert_accessible(page, "who-has-seen")

    click(page, f'header nav a[href="{reverse("access:log")}"]')
    with translation.override("sv"):
        plan_label, viewed_label = str(Part.PLAN.label), str(Action.VIEW.label)
    log_rows = table_rows(page)
    bob_log = [row for row in log_rows if row[1] == cast.bob.username and row[4] == plan_label]
    assert bob_log, f"Bob's read of the plan is missing from the access log: {log_rows}"
    assert bob_log[-1][2] == org_b.name
    assert bob_log[-1][3] == viewed_label
    assert_accessible(page, "access-log")
