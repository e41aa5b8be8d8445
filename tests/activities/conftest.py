"""Activities of the fixed cast: an SFI group run by A / Vuxenutbildningen with Layla (own
unit) and Hassan (A / AME, added by the coordinator), and a group of partner B."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stegvis.activities.models import Activity, ActivityType, FunderCategory, Session
from stegvis.activities.services import activity_create, participation_add

START = datetime.date(2025, 3, 1)


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def sfi(cast) -> ActivityType:
    return ActivityType.objects.create(
        programme=cast.programme,
        name="SFI with vocational Swedish",
        funder_category=FunderCategory.LANGUAGE_COURSE,
    )


def make_activity(actor, unit, activity_type, **fields) -> Activity:
    values = {
        "name": "SFI group B",
        "language": "easy_swedish",
        "start_date": START,
        "place": "Lerum library",
    }
    values.update(fields)
    return activity_create(actor=actor, activity_type=activity_type, unit=unit, **values)


@pytest.fixture
def activity_a(cast, sfi) -> Activity:
    return make_activity(cast.alice, cast.unit_a, sfi, staff=[cast.alice])


@pytest.fixture
def activity_b(cast, sfi) -> Activity:
    return make_activity(cast.bob, cast.unit_b, sfi, name="Beta health group")


@pytest.fixture
def with_participants(cast, activity_a) -> Activity:
    participation_add(
        actor=cast.alice, activity=activity_a, enrollment=cast.enrollment_a, start_date=START
    )
    participation_add(
        actor=cast.anna, activity=activity_a, enrollment=cast.enrollment_a2, start_date=START
    )
    return activity_a


def make_session(activity, day, hours="3.00", **fields) -> Session:
    return Session.objects.create(activity=activity, date=day, hours=Decimal(hours), **fields)


@pytest.fixture
def session_a(with_participants) -> Session:
    """A Monday session of partner A's group, with Layla and Hassan taking part."""
    return make_session(with_participants, datetime.date(2025, 3, 10))
