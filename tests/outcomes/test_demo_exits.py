import datetime

import pytest
from django.db import transaction

from stegvis.access.models import AccessEvent
from stegvis.demo.generator import generate_demo
from stegvis.outcomes.models import FOLLOW_UP_MONTHS, Exit, ExitType, FollowUp, months_after
from stegvis.participants.eligibility import Eligibility
from stegvis.participants.models import Enrollment, EnrollmentStatus

TODAY = datetime.date(2026, 3, 16)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _exits():
    return sorted(
        Exit.objects.values_list(
            "enrollment__pseudonym",
            "exit_date",
            "exit_type",
            "reason",
            "in_employment",
            "in_education",
            "occupation_after",
            "support_after",
            "enrollment__follow_up__done_date",
            "enrollment__follow_up__in_employment",
        )
    )


def _generate_and_roll_back(seed):
    with transaction.atomic():
        generate_demo(seed=seed, today=TODAY, participants=120)
        rows = _exits()
        transaction.set_rollback(True)
    return rows


@pytest.mark.django_db
def test_every_exited_demo_enrollment_has_a_consistent_exit():
    generate_demo(seed=7, today=TODAY, participants=120)
    exited = Enrollment.objects.filter(status=EnrollmentStatus.EXITED)
    assert exited.count() == Exit.objects.count() > 20
    for record in Exit.objects.select_related("enrollment"):
        enrollment = record.enrollment
        assert record.exit_date == enrollment.end_date
        if enrollment.eligibility == Eligibility.INELIGIBLE:
            assert record.reason == "admin.not_eligible"
        assert record.in_employment == (record.reason_group == "work")
        assert record.in_education == (record.reason_group == "study")
        assert record.recorded_at.date() <= TODAY
        follow_up = FollowUp.objects.filter(enrollment=enrollment).first()
        if record.exit_type == ExitType.ERRONEOUS:
            assert follow_up is None
            continue
        assert follow_up.due_date == months_after(record.exit_date, FOLLOW_UP_MONTHS)
        if follow_up.done_date is not None:
            assert follow_up.due_date <= follow_up.done_date <= TODAY
            assert follow_up.in_employment and follow_up.improved_situation
    assert AccessEvent.objects.filter(object_type="outcomes.exit").count() == Exit.objects.count()
    due = FollowUp.objects.filter(due_date__lte=TODAY)
    assert due.filter(done_date__isnull=False).count() > due.count() / 2
    reasons = set(Exit.objects.values_list("reason", flat=True))
    assert {"personal.moved", "work.employment", "study.language"} <= reasons


@pytest.mark.django_db
def test_the_demo_exits_are_deterministic():
    first = _generate_and_roll_back(7)
    assert not Exit.objects.exists()
    assert first == _generate_and_roll_back(7)
    assert first != _generate_and_roll_back(8)
