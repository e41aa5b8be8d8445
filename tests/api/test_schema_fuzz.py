"""Schemathesis against the API's own schema: no server errors, no answers outside it.

Loads the schema from the Django app over WSGI (no server) and sends generated requests to
every operation, valid and invalid, with the token of a staff user who has data to see.
A fixed number of examples per operation and no deadline keep it bounded (~30 s on an idle
machine).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from stegvis.activities.models import Session
from stegvis.activities.services import Mark, attendance_save, sessions_generate
from stegvis.api.tokens import token_create
from stegvis.dropin.services import dropin_record, dropin_record_for
from stegvis.outcomes.services import exit_record
from stegvis.placements.services import placement_record_outcome, placement_visit_record
from tests.languagelevels.helpers import sfi as sfi_result
from tests.placements.conftest import make_placement, make_workplace

from .helpers import rate

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 8


@pytest.fixture
def fuzz_data(cast, with_participants, share):
    exit_record(
        actor=cast.anna,
        enrollment=cast.enrollment_a2,
        exit_date=datetime.date(2025, 6, 1),
        exit_type="completed",
        reason="work.employment",
    )
    # Something shared with Alice's organisation too, assessments included.
    share(cast.enrollment_b, organisation=cast.partner_a.organisation, covers_assessments=True)
    sfi_result(cast.enrollment_b, cast.bob, datetime.date(2025, 3, 1), 2, "B", "C")
    sfi_result(cast.enrollment_a, cast.alice, datetime.date(2025, 3, 1), 2, "C")
    # Self-ratings (one with a skipped answer), own and shared.
    rate(cast.enrollment_a, datetime.date(2025, 3, 1), {"swedish": 3, "society": None})
    rate(cast.enrollment_b, datetime.date(2025, 3, 2), {"health": 2}, instrument="employability")
    # A session with marks.
    sessions_generate(
        actor=cast.anna,
        activity=with_participants,
        weekdays=[0],
        first_date=datetime.date(2025, 3, 3),
        last_date=datetime.date(2025, 3, 3),
        hours=Decimal(3),
    )
    session = Session.objects.get(activity=with_participants)
    attendance_save(
        actor=cast.anna,
        session=session,
        marks={p.pk: Mark("present", 3) for p in with_participants.participations.all()},
    )
    # An internship with a visit and one turned into a job; drop-in visits this month.
    linden = make_workplace(cast.anna, cast.partner_a)
    placement = make_placement(cast.alice, cast.enrollment_a, linden)
    placement_visit_record(
        actor=cast.alice, placement=placement, visit_date=datetime.date(2025, 3, 20), notes="Bra."
    )
    hired = make_placement(
        cast.alice, cast.enrollment_a, linden, end_date=datetime.date(2025, 5, 1)
    )
    placement_record_outcome(
        actor=cast.alice,
        placement=hired,
        outcome="employment",
        outcome_date=datetime.date(2025, 5, 1),
        employment_support="none",
    )
    today = timezone.localdate()
    dropin_record(actor=cast.alice, unit=cast.unit_a, visit_date=today, topic="swedish", visitors=3)
    dropin_record_for(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        unit=cast.unit_a,
        visit_date=today,
        topic="health",
    )


@pytest.fixture
def wsgi_app():
    """The project's WSGI app, keeping the test's database connection open between requests
    (as Django's test client does): otherwise PostgreSQL loses the test transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_the_api_keeps_to_its_schema(cast, fuzz_data, wsgi_app, mode):
    secret = token_create(actor=cast.alice, name="fuzz").secret
    headers = {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", wsgi_app, headers=headers
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    generation_mode = schemathesis.GenerationMode(mode)
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=generation_mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
