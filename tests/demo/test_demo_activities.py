"""The demo's activities, sessions, participations and attendance."""

import datetime

import pytest
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from stegvis.access.models import AccessEvent
from stegvis.activities.models import (
    ActivityType,
    Attendance,
    AttendanceStatus,
    Participation,
    Session,
)
from stegvis.activities.selectors import sessions_on
from stegvis.demo.generator import generate_demo
from stegvis.organisations.models import Membership, Role

TODAY = datetime.date(2026, 3, 18)  # a Wednesday
PARTICIPANTS = 150
SEED = 5


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    noon = datetime.datetime.combine(
        TODAY, datetime.time(12), tzinfo=timezone.get_default_timezone()
    )
    monkeypatch.setattr(timezone, "now", lambda: noon)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


@pytest.fixture
def demo(db):
    return generate_demo(seed=SEED, today=TODAY, participants=PARTICIPANTS)


def _fingerprint():
    return (
        sorted(Session.objects.values_list("activity__name", "date", "cancelled")),
        sorted(
            Attendance.objects.values_list(
                "session__date", "enrollment__pseudonym", "status", "hours"
            )
        ),
    )


@pytest.mark.django_db
def test_the_same_seed_writes_the_same_activities():
    results = []
    for _ in range(2):
        with transaction.atomic():
            generate_demo(seed=SEED, today=TODAY, participants=PARTICIPANTS)
            results.append(_fingerprint())
            transaction.set_rollback(True)
    assert results[0] == results[1]
    assert results[0][1]


@pytest.mark.django_db
def test_the_demo_is_plausible(demo):
    assert ActivityType.objects.count() == 8
    # Marks only inside the participation, never on cancelled or future sessions.
    assert not Attendance.objects.filter(
        Q(session__cancelled=True)
        | Q(session__date__gte=TODAY)
        | Q(session__date__lt=F("participation__start_date"))
        | Q(session__date__gt=F("participation__end_date"))
    ).exists()
    assert not Attendance.objects.exclude(enrollment=F("participation__enrollment")).exists()
    statuses = dict(
        Attendance.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    total = sum(statuses.values())
    assert 0.65 < statuses[AttendanceStatus.PRESENT] / total < 0.95
    assert statuses[AttendanceStatus.EXCUSED] and statuses[AttendanceStatus.ABSENT]
    assert Session.objects.filter(cancelled=True).exclude(cancel_reason="").exists()
    assert Participation.objects.filter(end_reason="employment").exists()
    # Every mark has its audit row.
    assert AccessEvent.objects.filter(object_type="activities.attendance").count() == total


@pytest.mark.django_db
def test_staff_have_sessions_to_mark_today(demo):
    staff = Membership.objects.filter(
        role=Role.STAFF, unit__activities__isnull=False
    ).select_related("user")
    assert staff.exists()
    for membership in staff:
        today = sessions_on(actor=membership.user, day=TODAY)
        assert today.exists(), membership.user.username


@pytest.mark.django_db
def test_activity_and_attendance_pages_keep_their_query_counts_on_demo_data(
    demo, client, settings, django_assert_num_queries
):
    """The pins of tests/activities hold on the demo's real mix of groups, sessions and marks:
    the busiest past session and its activity, opened by a staff member of its unit."""
    from django.urls import reverse

    settings.PAGE_SIZE = 50
    session = (
        Session.objects.filter(cancelled=False, date__lt=TODAY)
        .annotate(marks=Count("attendances"))
        .order_by("-marks", "pk")
        .first()
    )
    assert session.marks >= 5
    staff = Membership.objects.filter(role=Role.STAFF, unit=session.activity.unit).first()
    client.force_login(staff.user)
    with django_assert_num_queries(6):
        response = client.get(reverse("activities:attendance", args=[session.pk]))
    assert len(response.context["rows"]) >= 5
    with django_assert_num_queries(13):
        response = client.get(reverse("activities:detail", args=[session.activity_id]))
    assert response.status_code == 200
    assert response.context["total"].present > 0
