"""Ratings due: start within 14 days, follow-up every 3 months, exit within 30 days.

Today is 2025-06-01; "due soon" reaches 2025-06-15.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from stegvis.participants.models import EnrollmentStatus
from stegvis.progression import selectors
from stegvis.progression.models import MeasurementSchedule
from tests import factories as f

TODAY = datetime.date(2025, 6, 1)


@pytest.fixture
def due(cast, self_rating, rate):
    MeasurementSchedule.objects.create(
        programme=cast.programme, start_within_days=14, follow_up_months=3, exit_within_days=30
    )

    def enrol(start, **kwargs):
        return f.EnrollmentFactory(
            partner=cast.partner_a,
            unit=cast.unit_a,
            start_date=datetime.date.fromisoformat(start),
            **kwargs,
        )

    people = {
        "start overdue": enrol("2025-02-01"),
        "start due soon": enrol("2025-05-25"),
        "start not yet": enrol("2025-06-05"),
        "follow-up overdue": enrol("2025-02-01"),
        "follow-up later": enrol("2025-04-20"),
        "exit due": enrol(
            "2025-02-01", status=EnrollmentStatus.EXITED, end_date=datetime.date(2025, 5, 20)
        ),
        "exit done": enrol(
            "2025-02-01", status=EnrollmentStatus.EXITED, end_date=datetime.date(2025, 5, 20)
        ),
    }
    rate(people["follow-up overdue"], self_rating, "2025-02-10", {"swedish": 3})
    rate(people["follow-up later"], self_rating, "2025-05-01", {"swedish": 3})
    rate(people["exit done"], self_rating, "2025-02-10", {"swedish": 3})
    rate(people["exit done"], self_rating, "2025-05-25", {"swedish": 3}, point="exit")
    return people


def test_due_and_overdue_ratings(cast, due):
    enrollments = list(selectors.measurements_due(actor=cast.alice, today=TODAY))
    with translation.override("en"):
        rows = selectors.due_rows(
            enrollments, today=TODAY, schedules=selectors.schedules_for(enrollments)
        )
    found = {row.enrollment.pk: (row.need, row.due.isoformat(), row.overdue) for row in rows}
    assert found == {
        # The cast's own enrollment in Alice's unit (started 2025-02-01, never rated).
        cast.enrollment_a.pk: ("Start", "2025-02-15", True),
        due["start overdue"].pk: ("Start", "2025-02-15", True),
        due["start due soon"].pk: ("Start", "2025-06-08", False),
        due["follow-up overdue"].pk: ("Follow-up", "2025-05-10", True),
        due["exit due"].pk: ("Exit", "2025-06-19", False),
    }


def test_other_organisations_do_not_see_the_due_list(cast, due):
    assert not set(selectors.measurements_due(actor=cast.bob, today=TODAY)) & set(due.values())
    assert list(selectors.measurements_due(actor=cast.mona, today=TODAY)) == []


def test_the_due_page_runs_the_same_queries_for_few_and_many(cast, client, self_rating):
    client.force_login(cast.alice)
    url = reverse("progression:due")

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    f.EnrollmentFactory(partner=cast.partner_a, unit=cast.unit_a)
    few = count()
    for _ in range(20):
        f.EnrollmentFactory(partner=cast.partner_a, unit=cast.unit_a)
    assert count() == few
