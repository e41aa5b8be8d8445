"""Drop-in services and the monthly summary, with hand-computed counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stegvis.access.models import AccessEvent, Action
from stegvis.dropin.models import DropInVisit
from stegvis.dropin.selectors import month_bounds, visit_summary
from stegvis.dropin.services import dropin_record, dropin_record_for

TODAY = timezone.localdate()
MARCH = datetime.date(2025, 3, 1)


def test_an_anonymous_count_is_stored_without_an_audit_row(cast):
    visit = dropin_record(
        actor=cast.alice, unit=cast.unit_a, visit_date=TODAY, topic="job_search", visitors=3
    )
    assert (visit.visitors, visit.enrollment, visit.registered_by) == (3, None, cast.alice)
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"visitors": 0}, "visitors"),
        ({"visitors": 51}, "visitors"),
        ({"topic": "weather"}, "topic"),
        ({"visit_date": TODAY + datetime.timedelta(days=1)}, "visit_date"),
        ({"unit_name": "unit_b"}, "unit"),  # Alice is not staff at partner B's unit
    ],
)
def test_bad_counts_are_refused_and_nothing_is_stored(cast, fields, field):
    values = {"visit_date": TODAY, "topic": "housing", "visitors": 2, "unit": cast.unit_a}
    if "unit_name" in fields:
        values["unit"] = getattr(cast, fields.pop("unit_name"))
    values.update(fields)
    with pytest.raises(ValidationError) as error:
        dropin_record(actor=cast.alice, **values)
    assert field in error.value.message_dict
    assert not DropInVisit.objects.exists()


def test_a_coordinator_registers_for_every_unit_of_the_organisation(cast):
    dropin_record(actor=cast.anna, unit=cast.unit_a2, visit_date=TODAY, topic="digital")
    assert DropInVisit.objects.get().unit == cast.unit_a2


def test_a_participants_visit_counts_one_and_is_logged(cast):
    visit = dropin_record_for(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        unit=cast.unit_a,
        visit_date=TODAY,
        topic="authorities",
    )
    assert (visit.visitors, visit.enrollment) == (1, cast.enrollment_a)
    event = AccessEvent.objects.get()
    assert (event.action, event.enrollment_id, event.object_type) == (
        Action.CREATE,
        cast.enrollment_a.pk,
        "dropin.dropinvisit",
    )
    assert event.changes["topic"] == [None, "authorities"]


def test_another_partner_cannot_link_a_visit_to_partner_a_participant(cast, share):
    share(covers_plan=True)
    with pytest.raises(ValidationError):
        dropin_record_for(
            actor=cast.bob,
            enrollment=cast.enrollment_a,
            unit=cast.unit_b,
            visit_date=TODAY,
            topic="health",
        )
    assert not DropInVisit.objects.exists()
    assert not AccessEvent.objects.exists()


def test_a_linked_visit_is_at_a_unit_of_the_participants_organisation(cast):
    # Anna coordinates A only: partner B's unit is refused before anything is stored.
    with pytest.raises(ValidationError) as error:
        dropin_record_for(
            actor=cast.anna,
            enrollment=cast.enrollment_a,
            unit=cast.unit_b,
            visit_date=TODAY,
            topic="health",
        )
    assert "unit" in error.value.message_dict
    assert not DropInVisit.objects.exists()


def _visit(cast, day, topic, visitors=1, unit=None, enrollment=None):
    return DropInVisit.objects.create(
        unit=unit or cast.unit_a,
        visit_date=day,
        topic=topic,
        visitors=visitors,
        enrollment=enrollment,
        registered_by=cast.alice,
    )


def test_the_monthly_summary_counts_per_topic(cast, django_assert_num_queries):
    """In March at Vuxenutbildningen: job search 3 + 2 anonymous and Layla once; digital 4
    anonymous. Not counted: 28 February, 1 April, and AME's visit in March."""
    _visit(cast, datetime.date(2025, 3, 1), "job_search", 3)
    _visit(cast, datetime.date(2025, 3, 31), "job_search", 2)
    _visit(cast, datetime.date(2025, 3, 14), "job_search", enrollment=cast.enrollment_a)
    _visit(cast, datetime.date(2025, 3, 14), "digital", 4)
    _visit(cast, datetime.date(2025, 2, 28), "digital", 7)
    _visit(cast, datetime.date(2025, 4, 1), "housing", 5)
    _visit(cast, datetime.date(2025, 3, 10), "housing", 6, unit=cast.unit_a2)

    start, end = month_bounds(MARCH)
    assert (start, end) == (MARCH, datetime.date(2025, 4, 1))
    with django_assert_num_queries(1):
        summary = visit_summary(unit=cast.unit_a, start=start, end=end)
    rows = {row.topic: (row.anonymous, row.linked, row.total) for row in summary.rows}
    assert rows["job_search"] == (5, 1, 6)
    assert rows["digital"] == (4, 0, 4)
    assert rows["housing"] == (0, 0, 0)
    assert len(rows) == 8  # every topic is shown, also the empty ones
    assert (summary.anonymous, summary.linked, summary.total, summary.registrations) == (
        9,
        1,
        10,
        4,
    )


def test_december_runs_to_the_first_of_january():
    assert month_bounds(datetime.date(2025, 12, 17)) == (
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
    )
