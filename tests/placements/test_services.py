"""Workplace, internship, visit and outcome services: what they store, what they log, and
that bad input is refused with a message and nothing changed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stegvis.access.models import AccessEvent, Action
from stegvis.placements.models import Placement, PlacementVisit, Workplace
from stegvis.placements.services import (
    placement_record_outcome,
    placement_update,
    placement_visit_record,
)
from tests import factories as f

from .conftest import START, make_placement, make_workplace

TODAY = timezone.localdate()


def _events(enrollment, action):
    return AccessEvent.objects.filter(enrollment_id=enrollment.pk, action=action)


# Workplaces


def test_a_workplace_is_stored_with_its_number_normalised(cast):
    workplace = make_workplace(cast.anna, cast.partner_a, number="5560125790")
    assert workplace.organisation_number == "556012-5790"
    assert workplace.programme == cast.programme
    assert workplace.added_by_partner == cast.partner_a
    assert workplace.sole_trader is False


def test_a_sole_trader_is_marked(cast):
    workplace = make_workplace(cast.alice, cast.partner_a, name="Frisör Amal", number="8112189876")
    assert workplace.sole_trader is True
    assert workplace.organisation_number == "811218-9876"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"number": "556012-5791"}, "organisation_number"),
        ({"name": "  "}, "name"),
        ({"sector": "bank"}, "sector"),
    ],
)
def test_bad_workplaces_are_refused(cast, fields, field):
    with pytest.raises(ValidationError) as error:
        make_workplace(cast.anna, cast.partner_a, **fields)
    assert field in error.value.message_dict
    assert not Workplace.objects.exists()


def test_the_same_workplace_twice_in_a_programme_is_refused(cast, workplace):
    with pytest.raises(ValidationError) as error:
        make_workplace(cast.bea, cast.partner_b, name="restaurang linden")
    assert "already registered" in error.value.message_dict["name"][0]
    assert Workplace.objects.count() == 1


def test_no_one_adds_workplaces_for_another_partner(cast):
    with pytest.raises(ValidationError):
        make_workplace(cast.bob, cast.partner_a)
    assert not Workplace.objects.exists()


# Internships


def test_an_internship_is_created_and_logged_without_its_free_text(cast, placement_a):
    assert placement_a.outcome == "ongoing"
    assert placement_a.hours_per_week == Decimal(20)
    event = _events(cast.enrollment_a, Action.CREATE).get()
    assert event.object_type == "placements.placement"
    assert event.object_id == str(placement_a.pk)
    assert event.actor == cast.alice
    assert event.organisation_id == cast.partner_a.organisation_id
    assert event.changes["workplace"] == [None, placement_a.workplace_id]
    assert event.changes["start_date"] == [None, "2025-03-03"]
    # Free text and the supervisor's contact details: names only.
    assert event.changes["tasks"] is None
    assert event.changes["supervisor_name"] is None
    assert "Karin" not in str(event.changes)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"end_date": START - datetime.timedelta(days=1)}, "end_date"),
        ({"hours_per_week": Decimal(0)}, "hours_per_week"),
        ({"hours_per_week": Decimal(41)}, "hours_per_week"),
        ({"start_date": datetime.date(2025, 1, 31)}, "start_date"),  # before the enrollment
        ({"language_support": "telepathy"}, "language_support"),
        ({"supervisor_name": " "}, "supervisor_name"),
        ({"tasks": ""}, "tasks"),
    ],
)
def test_bad_internships_are_refused_and_nothing_is_stored(cast, workplace, fields, field):
    with pytest.raises(ValidationError) as error:
        make_placement(cast.alice, cast.enrollment_a, workplace, **fields)
    assert field in error.value.message_dict
    assert not Placement.objects.exists()
    assert not _events(cast.enrollment_a, Action.CREATE).exists()


def test_a_workplace_of_another_programme_is_refused(cast):
    other = f.PartnerFactory(
        programme=cast.other_programme, organisation=cast.partner_a.organisation
    )
    workplace = make_workplace(cast.anna, other)
    with pytest.raises(ValidationError) as error:
        make_placement(cast.alice, cast.enrollment_a, workplace)
    assert "another programme" in error.value.message_dict["workplace"][0]
    assert not Placement.objects.exists()


def test_another_partner_cannot_register_an_internship(cast, workplace, share):
    share(covers_plan=True, covers_mapping=True)  # even with consent: own organisation only
    with pytest.raises(ValidationError):
        make_placement(cast.bob, cast.enrollment_a, workplace)
    assert not Placement.objects.exists()


def _details(placement, **fields):
    values = {
        name: getattr(placement, name)
        for name in (
            "workplace",
            "supervisor_name",
            "supervisor_phone",
            "supervisor_email",
            "start_date",
            "end_date",
            "hours_per_week",
            "tasks",
            "language_support",
            "language_support_note",
        )
    }
    values.update(fields)
    return values


def test_correcting_an_internship_logs_what_changed(cast, placement_a):
    changes = placement_update(
        actor=cast.anna,
        placement=placement_a,
        **_details(placement_a, hours_per_week=Decimal(30), supervisor_phone="031-12 34 56"),
    )
    assert set(changes) == {"hours_per_week", "supervisor_phone"}
    placement_a.refresh_from_db()
    assert placement_a.hours_per_week == Decimal(30)
    event = _events(cast.enrollment_a, Action.UPDATE).get()
    assert event.changes == {"hours_per_week": ["20.0", "30.0"], "supervisor_phone": None}
    # Saving the same details again changes and logs nothing.
    assert placement_update(actor=cast.anna, placement=placement_a, **_details(placement_a)) == {}
    assert _events(cast.enrollment_a, Action.UPDATE).count() == 1


def test_a_bad_correction_changes_nothing(cast, placement_a):
    with pytest.raises(ValidationError) as error:
        placement_update(
            actor=cast.alice,
            placement=placement_a,
            **_details(placement_a, end_date=START - datetime.timedelta(days=1), tasks="Ny"),
        )
    assert "end_date" in error.value.message_dict
    placement_a.refresh_from_db()
    assert (placement_a.end_date, placement_a.tasks) == (None, "Disk och förberedelser i köket")
    with pytest.raises(ValidationError):
        placement_update(actor=cast.bob, placement=placement_a, **_details(placement_a, tasks="x"))
    assert not _events(cast.enrollment_a, Action.UPDATE).exists()


# Visits


def test_a_visit_is_recorded_by_the_actor_and_logged(cast, placement_a):
    visit = placement_visit_record(
        actor=cast.alice, placement=placement_a, visit_date=TODAY, notes="Går bra, vill fortsätta."
    )
    assert visit.visited_by == cast.alice
    event = AccessEvent.objects.get(object_type="placements.placementvisit")
    assert event.enrollment_id == cast.enrollment_a.pk
    assert event.changes == {"visit_date": [None, TODAY.isoformat()], "notes": None}


@pytest.mark.parametrize(
    ("visit_date", "notes", "field"),
    [
        (START - datetime.timedelta(days=1), "Besök", "visit_date"),
        (TODAY + datetime.timedelta(days=1), "Besök", "visit_date"),
        (TODAY, "   ", "notes"),
    ],
)
def test_bad_visits_are_refused(cast, placement_a, visit_date, notes, field):
    with pytest.raises(ValidationError) as error:
        placement_visit_record(
            actor=cast.alice, placement=placement_a, visit_date=visit_date, notes=notes
        )
    assert field in error.value.message_dict
    assert not PlacementVisit.objects.exists()


def test_another_partner_cannot_record_a_visit(cast, placement_a):
    with pytest.raises(ValidationError):
        placement_visit_record(actor=cast.bea, placement=placement_a, visit_date=TODAY, notes="x")
    assert not PlacementVisit.objects.exists()


# Outcomes


def test_an_employment_with_wage_subsidy_ends_the_internship(cast, placement_a):
    day = TODAY - datetime.timedelta(days=3)
    changes = placement_record_outcome(
        actor=cast.alice,
        placement=placement_a,
        outcome="employment",
        outcome_date=day,
        employment_support="wage_subsidy",
        outcome_note="Anställd i köket",
    )
    placement_a.refresh_from_db()
    assert (placement_a.outcome, placement_a.employment_support) == ("employment", "wage_subsidy")
    assert placement_a.end_date == placement_a.outcome_date == day
    assert placement_a.is_over
    event = _events(cast.enrollment_a, Action.UPDATE).get()
    assert event.changes["outcome"] == ["ongoing", "employment"]
    assert event.changes["employment_support"] == ["", "wage_subsidy"]
    assert event.changes["outcome_note"] is None
    assert changes.keys() == event.changes.keys()


def test_an_extension_keeps_the_internship_going_to_a_new_end_date(cast, placement_a):
    new_end = TODAY + datetime.timedelta(days=60)
    placement_record_outcome(
        actor=cast.alice,
        placement=placement_a,
        outcome="continued",
        outcome_date=TODAY,
        end_date=new_end,
    )
    placement_a.refresh_from_db()
    assert (placement_a.outcome, placement_a.end_date) == ("continued", new_end)
    assert not placement_a.is_over


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"outcome": "employment"}, "employment_support"),
        ({"outcome": "employment", "employment_support": "bribe"}, "employment_support"),
        ({"outcome": "ended", "employment_support": "wage_subsidy"}, "employment_support"),
        ({"outcome": "continued"}, "end_date"),
        ({"outcome": "continued", "end_date": TODAY}, "end_date"),
        ({"outcome": "ongoing"}, "outcome"),
        ({"outcome": "ended", "outcome_date": START - datetime.timedelta(days=1)}, "outcome_date"),
        ({"outcome": "ended", "outcome_date": TODAY + datetime.timedelta(days=1)}, "outcome_date"),
    ],
)
def test_bad_outcomes_are_refused_and_nothing_changes(cast, placement_a, fields, field):
    values = {"outcome_date": TODAY}
    values.update(fields)
    with pytest.raises(ValidationError) as error:
        placement_record_outcome(actor=cast.alice, placement=placement_a, **values)
    assert field in error.value.message_dict
    placement_a.refresh_from_db()
    assert (placement_a.outcome, placement_a.end_date, placement_a.employment_support) == (
        "ongoing",
        None,
        "",
    )
    assert not _events(cast.enrollment_a, Action.UPDATE).exists()


def test_recording_the_same_outcome_again_changes_and_logs_nothing(cast, placement_a):
    values = {"outcome": "ended", "outcome_date": TODAY}
    placement_record_outcome(actor=cast.alice, placement=placement_a, **values)
    assert placement_record_outcome(actor=cast.anna, placement=placement_a, **values) == {}
    assert _events(cast.enrollment_a, Action.UPDATE).count() == 1


def test_another_partner_cannot_record_an_outcome(cast, placement_a):
    with pytest.raises(ValidationError):
        placement_record_outcome(
            actor=cast.bob, placement=placement_a, outcome="ended", outcome_date=TODAY
        )
    placement_a.refresh_from_db()
    assert placement_a.outcome == "ongoing"


# The optional link to an internship activity


@pytest.fixture
def internship_activity(cast):
    from stegvis.activities.models import ActivityType
    from stegvis.activities.services import activity_create

    kinds = {
        category: ActivityType.objects.create(
            programme=cast.programme, name=category, funder_category=category
        )
        for category in ("internship", "language_course")
    }

    def make(category):
        return activity_create(
            actor=cast.anna,
            activity_type=kinds[category],
            unit=cast.unit_a,
            name=f"Praktik {category}",
            language="swedish",
            start_date=START,
        )

    return make


def test_an_internship_links_to_the_participants_internship_activity(
    cast, workplace, internship_activity
):
    from stegvis.activities.services import participation_add

    activity = internship_activity("internship")
    own = participation_add(
        actor=cast.anna, activity=activity, enrollment=cast.enrollment_a, start_date=START
    )
    other = participation_add(
        actor=cast.anna, activity=activity, enrollment=cast.enrollment_a2, start_date=START
    )
    course = participation_add(
        actor=cast.anna,
        activity=internship_activity("language_course"),
        enrollment=cast.enrollment_a,
        start_date=START,
    )
    placement = make_placement(cast.alice, cast.enrollment_a, workplace, participation=own)
    assert placement.participation == own
    for wrong in (other, course):
        with pytest.raises(ValidationError) as error:
            make_placement(cast.alice, cast.enrollment_a, workplace, participation=wrong)
        assert "participation" in error.value.message_dict
    assert Placement.objects.count() == 1
