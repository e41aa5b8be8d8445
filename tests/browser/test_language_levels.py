"""A teacher records an SFI result on a phone: from the participant page, with one mistake
(a course that is not in the study path) corrected on the way; axe-core on every state."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.languagelevels.models import LanguageResult

from .conftest import assert_accessible, login

pytestmark = pytest.mark.browser

SUBMIT = "main form[method=post] button[type=submit]"


def test_staff_records_a_language_result_on_a_phone(phone_page, live_server, cast):
    page = phone_page
    enrollment = cast.enrollment_a
    earlier = timezone.localdate() - datetime.timedelta(days=120)
    LanguageResult.objects.create(
        enrollment=enrollment,
        kind="sfi_course",
        result_date=earlier,
        study_path=3,
        course="C",
        source="school_result",
        recorded_by=cast.alice,
    )
    login(page, live_server, cast.alice)
    page.goto(f"/participants/{enrollment.pk}/")
    page.locator("details.record-language > summary").click()
    assert_accessible(page, "participant-with-language-form")

    page.select_option("#lr_kind", "sfi_course")
    page.fill("#lr_result_date", timezone.localdate().isoformat())
    page.select_option("#lr_study_path", "3")
    page.select_option("#lr_course", "A")  # not in study path 3
    page.select_option("#lr_grade", "C")
    with page.expect_navigation():
        page.click("details.record-language button[type=submit]")
    assert page.url.endswith(f"/language-levels/{enrollment.pk}/record/")
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#id_course_error").is_visible()
    assert_accessible(page, "record-with-error")
    assert LanguageResult.objects.count() == 1

    page.select_option("#id_course", "C")
    with page.expect_navigation():
        page.click(SUBMIT)
    assert page.url.endswith(f"/language-levels/{enrollment.pk}/")
    assert page.locator(".messages .message--success").is_visible()
    assert page.locator("main svg[role=img]").count() == 1
    assert page.locator("main table tbody tr").count() == 2
    assert_accessible(page, "history-after-recording")

    result = LanguageResult.objects.latest("pk")
    assert (result.study_path, result.course, result.grade, result.level) == (3, "C", "C", 3)
    assert AccessEvent.objects.filter(
        actor=cast.alice, action=Action.CREATE, part=Part.ASSESSMENTS, object_id=str(result.pk)
    ).exists()
