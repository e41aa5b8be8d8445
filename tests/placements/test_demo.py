"""The demo's workplaces, internships and drop-in visits: present, plausible, deterministic."""

import datetime

import pytest
from django.db import transaction
from django.db.models import Sum

from stegvis.access.models import AccessEvent
from stegvis.demo.generator import generate_demo
from stegvis.dropin.models import DropInVisit
from stegvis.placements.models import Outcome, Placement, PlacementVisit, Workplace
from stegvis.placements.orgnumber import parse_organisation_number

TODAY = datetime.date(2026, 3, 16)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _rows():
    return (
        sorted(Workplace.objects.values_list("name", "organisation_number", "sector", "city")),
        sorted(
            Placement.objects.values_list(
                "enrollment__pseudonym",
                "workplace__name",
                "start_date",
                "end_date",
                "outcome",
                "employment_support",
            )
        ),
        sorted(PlacementVisit.objects.values_list("placement__workplace__name", "visit_date")),
        sorted(DropInVisit.objects.values_list("unit__name", "visit_date", "topic", "visitors")),
    )


def _generate_and_roll_back(seed):
    with transaction.atomic():
        generate_demo(seed=seed, today=TODAY, participants=120)
        rows = _rows()
        transaction.set_rollback(True)
    return rows


@pytest.mark.django_db
def test_the_demo_has_workplaces_internships_and_drop_in():
    generate_demo(seed=7, today=TODAY, participants=120)
    assert Workplace.objects.count() == 150
    for number, sole_trader in Workplace.objects.values_list("organisation_number", "sole_trader"):
        parsed = parse_organisation_number(number)
        assert (parsed.number, parsed.sole_trader) == (number, sole_trader)
    placements = Placement.objects.select_related("enrollment")
    assert placements.count() >= 8
    assert placements.filter(outcome=Outcome.EMPLOYMENT).exists()
    assert placements.filter(outcome=Outcome.ONGOING).exists()
    for placement in placements:
        enrollment = placement.enrollment
        assert enrollment.start_date <= placement.start_date <= TODAY
        if enrollment.end_date is not None:
            assert placement.end_date is not None
            assert placement.end_date <= enrollment.end_date
        if placement.outcome == Outcome.ONGOING:
            assert placement.end_date is None or placement.end_date >= TODAY
        for visit in placement.visits.all():
            assert placement.start_date <= visit.visit_date <= TODAY
        # The audit row the service would have written.
        assert AccessEvent.objects.filter(
            object_type="placements.placement", object_id=str(placement.pk), action="create"
        ).exists()
    assert PlacementVisit.objects.exists()
    assert DropInVisit.objects.count() > 500
    assert DropInVisit.objects.filter(visit_date__gt=TODAY).count() == 0
    linked = DropInVisit.objects.filter(enrollment__isnull=False)
    assert linked.exists()
    assert linked.aggregate(total=Sum("visitors"))["total"] == linked.count()
    assert AccessEvent.objects.filter(object_type="dropin.dropinvisit").count() == linked.count()
    # Only the programme's partners run drop-in.
    assert not DropInVisit.objects.filter(unit__organisation__partnerships__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_gives_the_same_internships_and_drop_in():
    first = _generate_and_roll_back(7)
    assert first == _generate_and_roll_back(7)
    assert first != _generate_and_roll_back(8)
