"""A teacher registers a whole group's attendance on a phone, corrects it, and undoes once.

Selectors use names, ids and values, not visible texts (the browser runs in Swedish).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from stegvis.activities.models import ActivityType, Attendance, Session
from stegvis.activities.services import activity_create, participation_add
from tests import factories as f

from .conftest import assert_accessible, login

pytestmark = pytest.mark.browser

GROUP = 20


@pytest.fixture
def todays_session(cast):
    today = timezone.localdate()
    activity_type = ActivityType.objects.create(
        programme=cast.programme, name="SFI", funder_category="language_course"
    )
    activity = activity_create(
        actor=cast.alice,
        activity_type=activity_type,
        unit=cast.unit_a,
        name="SFI grupp B",
        language="easy_swedish",
        start_date=today - datetime.timedelta(days=60),
        staff=[cast.alice],
    )
    enrollments = [cast.enrollment_a] + [
        f.EnrollmentFactory(partner=cast.partner_a, unit=cast.unit_a) for _ in range(GROUP - 1)
    ]
    participations = [
        participation_add(
            actor=cast.alice,
            activity=activity,
            enrollment=enrollment,
            start_date=today - datetime.timedelta(days=30),
        )
        for enrollment in enrollments
    ]
    session = Session.objects.create(
        activity=activity,
        date=today,
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        hours=Decimal(3),
    )
    return session, participations


def statuses(session):
    return dict(
        Attendance.objects.filter(session=session).values_list("participation_id", "status")
    )


def submit(page, selector):
    with page.expect_navigation():
        page.locator(selector).click()


def test_a_teacher_registers_a_whole_group_on_a_phone_and_undoes_once(
    phone_page, live_server, cast, todays_session
):
    session, participations = todays_session
    page = phone_page
    login(page, live_server, cast.alice)

    # Today's session is offered on the activities page.
    page.goto(f"{live_server.url}/activities/")
    register_url = f"/activities/sessions/{session.pk}/attendance/"
    with page.expect_navigation():
        page.locator(f"a[href='{register_url}']").click()
    assert page.locator("input[type=radio]").count() == 3 * GROUP
    assert_accessible(page, "register-empty")

    # Everyone present, in one tap.
    submit(page, "button[name=everyone_present]")
    assert set(statuses(session).values()) == {"present"}
    assert len(statuses(session)) == GROUP
    assert_accessible(page, "register-saved")

    # Two were not there after all, one with a valid reason; one left early.
    absent, excused, early = participations[1], participations[2], participations[3]
    page.locator(f"label[for=id_status_{absent.pk}_1]").click()
    page.locator(f"label[for=id_status_{excused.pk}_2]").click()
    page.fill(f"#id_hours_{early.pk}", "1.5")
    submit(page, "form.register button[type=submit]:not([name])")
    marks = statuses(session)
    assert (marks[absent.pk], marks[excused.pk], marks[early.pk]) == (
        "absent",
        "excused",
        "present",
    )
    assert Attendance.objects.get(session=session, participation=early).hours == Decimal("1.5")

    # Undo once: back to everyone present, three hours each.
    submit(page, "form.undo-bar button[type=submit]")
    assert set(statuses(session).values()) == {"present"}
    assert set(Attendance.objects.filter(session=session).values_list("hours", flat=True)) == {
        Decimal("3.00")
    }
    assert page.locator(f"#id_status_{absent.pk}_0").is_checked()
    assert_accessible(page, "register-undone")
