"""Internships of the fixed cast: workplaces in the programme "Broar" and an internship of
Layla (partner A / Vuxenutbildningen) at a restaurant, registered by Alice."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stegvis.placements.models import Placement, Workplace
from stegvis.placements.services import placement_create, workplace_create

START = datetime.date(2025, 3, 3)


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def make_workplace(actor, partner, name="Restaurang Linden", number="556012-5790", **fields):
    values = {"sector": "private", "city": "Lerum"}
    values.update(fields)
    return workplace_create(
        actor=actor, partner=partner, name=name, organisation_number=number, **values
    )


def make_placement(actor, enrollment, workplace, **fields) -> Placement:
    values = {
        "supervisor_name": "Karin Lind",
        "supervisor_phone": "070-123 45 67",
        "start_date": START,
        "hours_per_week": Decimal(20),
        "tasks": "Disk och förberedelser i köket",
        "language_support": "colleague",
    }
    values.update(fields)
    return placement_create(actor=actor, enrollment=enrollment, workplace=workplace, **values)


@pytest.fixture
def workplace(cast) -> Workplace:
    return make_workplace(cast.anna, cast.partner_a)


@pytest.fixture
def placement_a(cast, workplace) -> Placement:
    return make_placement(cast.alice, cast.enrollment_a, workplace)
