"""Self-assessment on a phone: a one-time link in Arabic (right to left), then the same
questions in Swedish with staff beside the participant. axe-core on every page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stegvis.progression import services
from stegvis.progression.models import Assessment, Instrument

from .conftest import assert_accessible, login

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def instruments(transactional_db):
    # Live-server tests flush the database, data migrations' rows included.
    services.bundled_instruments_load()


def _answer(page, value):
    page.click(f"label[for=answer-{value}]")
    with page.expect_navigation():
        page.click("button.flow__next")


def test_participant_answers_in_arabic_on_a_one_time_link(cast, live_server, page, phone_page):
    version = Instrument.objects.get(code="self-rating").current_version()
    login(page, live_server, cast.alice)
    page.goto(reverse("progression:link_create", args=[cast.enrollment_a.pk]))
    assert_accessible(page, "link-create")
    page.select_option("#id_version", str(version.pk))
    page.select_option("#id_point", "start")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator(".qr-card__code svg").count() == 1
    assert_accessible(page, "link-created")
    url = page.locator("#selfservice-url").inner_text()

    phone = phone_page
    phone.goto(url)
    assert phone.url.endswith(reverse("selfservice:language"))
    assert "Karimi" not in phone.content()
    assert_accessible(phone, "language")
    with phone.expect_navigation():
        phone.click("button[value=ar]")
    html = phone.locator("html")
    assert html.get_attribute("lang") == "ar" and html.get_attribute("dir") == "rtl"
    assert "ما مدى إتقانك للغة السويدية؟" in phone.locator("h1").inner_text()
    # Big buttons: at least 48 px in both directions.
    box = phone.locator("label[for=answer-5]").bounding_box()
    assert box["width"] >= 48 and box["height"] >= 48
    # Right to left: the first scale point sits to the right of the second.
    first = phone.locator("label[for=answer-1]").bounding_box()
    second = phone.locator("label[for=answer-2]").bounding_box()
    assert first["x"] > second["x"]
    assert_accessible(phone, "question-ar")
    # Next without an answer: a message in Arabic, nothing kept.
    with phone.expect_navigation():
        phone.click("button.flow__next")
    assert "اختر إجابة" in phone.locator("[role=alert]").inner_text()
    assert_accessible(phone, "question-ar-error")
    _answer(phone, 3)
    _answer(phone, "skip")
    _answer(phone, 8)
    assert phone.url.endswith(reverse("selfservice:review"))
    assert_accessible(phone, "review-ar")
    with phone.expect_navigation():
        phone.click("button.flow__next")
    assert "شكراً" in phone.locator("h1").inner_text()
    assert_accessible(phone, "thanks-ar")

    assessment = Assessment.objects.get()
    assert (assessment.mode, assessment.language, assessment.enrollment_id) == (
        "self",
        "ar",
        cast.enrollment_a.pk,
    )
    assert dict(assessment.answers.values_list("item__code", "value")) == {
        "swedish": 3,
        "society": None,
        "future-work": 8,
    }

    # The link cannot be used twice.
    response = phone.goto(url)
    assert response.status == 410
    assert phone.locator("button.flow__next").count() == 0
    assert "هذا الرابط لم يعد يعمل" in phone.locator("h1").inner_text()
    assert_accessible(phone, "link-used")
    assert Assessment.objects.count() == 1


def test_staff_rate_together_in_swedish_on_a_phone(cast, live_server, phone_page):
    version = Instrument.objects.get(code="self-rating").current_version()
    phone = phone_page
    login(phone, live_server, cast.alice)
    phone.goto(reverse("progression:assisted_start", args=[cast.enrollment_a.pk]))
    assert_accessible(phone, "assisted-start")
    phone.select_option("#id_version", str(version.pk))
    phone.select_option("#id_point", "start")
    phone.select_option("#id_language", "sv")
    phone.check("#id_interpreter_used")
    with phone.expect_navigation():
        phone.click("main form button[type=submit]")
    assert "Hur bra kan du svenska?" in phone.locator("h1").inner_text()
    assert phone.locator(".assisted").get_attribute("dir") == "ltr"
    assert_accessible(phone, "assisted-question-sv")
    _answer(phone, 4)
    _answer(phone, 6)
    _answer(phone, 7)
    assert_accessible(phone, "assisted-review-sv")
    with phone.expect_navigation():
        phone.click("button.flow__next")
    assert phone.url.endswith(reverse("progression:assessments", args=[cast.enrollment_a.pk]))
    assessment = Assessment.objects.get()
    assert (assessment.mode, assessment.assisted_by, assessment.interpreter_used) == (
        "assisted",
        cast.alice,
        True,
    )
    assert phone.locator("svg[role=img]").count() == 1
    assert_accessible(phone, "assessments-with-radar")
