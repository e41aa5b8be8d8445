"""The synthetic demo programme: a deterministic plan, written faithfully and plausibly."""

from __future__ import annotations

import datetime
import re
import secrets
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count

from stegvis.access.models import AccessEvent, Action
from stegvis.demo import catalogue
from stegvis.demo.generator import DemoDataExists, generate_demo, write_demo
from stegvis.demo.plan import plan_fingerprint
from stegvis.demo.planning import plan_demo
from stegvis.organisations.models import Membership, Organisation, Partner, Programme, Role
from stegvis.participants.eligibility import Eligibility, compute_eligibility
from stegvis.participants.identity import parse_identity_number
from stegvis.participants.models import (
    EligibilityCheck,
    Enrollment,
    EnrollmentStatus,
    Gender,
    IdentityKind,
    Participant,
)
from stegvis.participants.services import name_key

TODAY = datetime.date(2026, 3, 16)
SEEDS_DIR = Path("/work/shared/seeds")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    return generate_demo(seed=7, today=TODAY, participants=120)


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# The plan


def test_the_same_seed_and_date_give_the_same_plan():
    first = plan_demo(seed=7, today=TODAY, participants=120)
    second = plan_demo(seed=7, today=TODAY, participants=120)
    assert first == second
    assert plan_fingerprint(first) == plan_fingerprint(second)


def test_another_seed_or_date_gives_another_plan():
    plan = plan_demo(seed=7, today=TODAY, participants=120)
    assert plan_fingerprint(plan_demo(seed=8, today=TODAY, participants=120)) != (
        plan_fingerprint(plan)
    )
    later = TODAY + datetime.timedelta(days=1)
    assert plan_fingerprint(plan_demo(seed=7, today=later, participants=120)) != (
        plan_fingerprint(plan)
    )


def test_the_plan_uses_no_unseeded_randomness(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the demo must not use the secrets module")

    monkeypatch.setattr(secrets, "choice", refuse)
    monkeypatch.setattr(secrets, "randbelow", refuse)
    assert len(plan_demo(seed=7, today=TODAY, participants=120).enrollments) >= 120


def test_the_programme_is_near_its_end():
    programme = plan_demo(seed=7, today=TODAY, participants=120).programme
    assert programme.start_date == datetime.date(2023, 6, 1)
    assert programme.end_date == datetime.date(2026, 9, 30)
    assert programme.fund == Programme.Fund.AMIF


def test_a_full_size_plan_has_realistic_shares():
    plan = plan_demo(seed=2026, today=TODAY, participants=2500)
    people, enrollments = plan.participants, plan.enrollments
    assert len(people) == 2500
    assert 0.55 <= sum(p.gender == Gender.WOMAN for p in people) / len(people) <= 0.68
    exited = sum(e.status == EnrollmentStatus.EXITED for e in enrollments) / len(enrollments)
    assert 0.50 <= exited <= 0.60
    assert 0.02 <= (len(enrollments) - len(people)) / len(people) <= 0.04  # second enrollments
    eligibility = Counter(e.eligibility for e in enrollments)
    assert 0.015 <= eligibility[Eligibility.INELIGIBLE] / len(enrollments) <= 0.03
    assert 0.005 <= eligibility[Eligibility.UNKNOWN] / len(enrollments) <= 0.015
    kinds = Counter(p.identity_kind for p in people)
    assert 0.80 <= kinds[IdentityKind.PERSONNUMMER] / len(people) <= 0.90
    assert 0.88 <= sum(e.check is not None for e in enrollments) / len(enrollments) <= 0.92
    assert {"SY", "AF", "SO", "ER", "IQ", "IR", "TH", "UA", "ET", "TR"} <= {
        p.country_of_birth for p in people
    }
    assert any(p.stateless for p in people)
    assert plan.duplicate_pairs == 6


def test_names_avoid_the_people_in_the_source_documents():
    if not SEEDS_DIR.is_dir():
        pytest.skip("the source documents are not available here")
    words = set()
    for path in SEEDS_DIR.glob("*.txt"):
        words |= set(re.findall(r"\w+", path.read_text(encoding="utf-8")))
    plan = plan_demo(seed=2026, today=TODAY, participants=2500)
    names = {p.first_name for p in plan.participants} | {p.last_name for p in plan.participants}
    names |= {u.first_name for u in plan.users} | {u.last_name for u in plan.users}
    assert not names & words


# The database


@pytest.mark.django_db
def test_it_writes_exactly_the_plan(demo):
    plan = plan_demo(seed=7, today=TODAY, participants=120)
    assert demo.participants == Participant.objects.count() == len(plan.participants)
    assert demo.enrollments == Enrollment.objects.count() == len(plan.enrollments)
    assert set(Enrollment.objects.values_list("pseudonym", flat=True)) == {
        e.pseudonym for e in plan.enrollments
    }
    assert set(Participant.objects.values_list("identity_number", flat=True)) == {
        p.identity_number for p in plan.participants
    }
    assert demo.eligibility_checks == EligibilityCheck.objects.count()
    assert demo.active_enrollments + demo.exited_enrollments == demo.enrollments


@pytest.mark.django_db
def test_enrollments_hang_together(demo):
    programme = Programme.objects.get()
    staff_units = set(Membership.objects.filter(role=Role.STAFF).values_list("user_id", "unit_id"))
    partner_tracks = set(Partner.tracks.through.objects.values_list("partner_id", "track_id"))
    for e in Enrollment.objects.select_related("unit", "partner", "participant"):
        assert e.unit.organisation_id == e.partner.organisation_id
        assert (e.partner_id, e.track_id) in partner_tracks
        assert (e.created_by_id, e.unit_id) in staff_units
        assert programme.start_date <= e.start_date < TODAY
        if e.status == EnrollmentStatus.EXITED:
            assert e.start_date <= e.end_date <= TODAY
        else:
            assert e.end_date is None
        assert 19 <= _age(e.participant.birth_date, e.start_date) <= 64


@pytest.mark.django_db
def test_people_are_plausible(demo):
    people = list(Participant.objects.all())
    women = sum(p.gender == Gender.WOMAN for p in people) / len(people)
    assert 0.45 <= women <= 0.75
    assert len({str(p.country_of_birth) for p in people}) >= 5
    for p in people:
        assert p.name_key == name_key(p.first_name, p.last_name)
        first_start = min(e.start_date for e in p.enrollments.all())
        if p.year_of_arrival is not None:
            assert p.birth_date.year < p.year_of_arrival <= first_start.year
        assert (p.years_of_schooling is None) == (p.education_level == "unknown")
        assert bool(p.interpreter_language) == p.interpreter_needed
        assert p.mother_tongue
        assert p.municipality


@pytest.mark.django_db
def test_identity_numbers_are_valid_and_match_the_person(demo):
    for p in Participant.objects.exclude(identity_kind=IdentityKind.NONE):
        parsed = parse_identity_number(p.identity_number, today=TODAY)
        assert parsed.number == p.identity_number
        assert parsed.kind == p.identity_kind
        assert parsed.birth_date == p.birth_date
    assert not Participant.objects.filter(
        identity_kind=IdentityKind.NONE, identity_number__isnull=False
    ).exists()
    assert Participant.objects.filter(protected_identity=True).exists()


@pytest.mark.django_db
def test_eligibility_follows_citizenship_and_some_are_not_eligible(demo):
    for e in Enrollment.objects.select_related("participant"):
        result = compute_eligibility(e.participant.citizenships, stateless=e.participant.stateless)
        assert (e.eligibility, e.eligibility_reason) == (result.status, result.reason)
    statuses = Counter(Enrollment.objects.values_list("eligibility", flat=True))
    assert statuses[Eligibility.INELIGIBLE] >= 1
    assert statuses[Eligibility.UNKNOWN] >= 1
    assert not EligibilityCheck.objects.filter(enrollment__eligibility=Eligibility.UNKNOWN).exists()


@pytest.mark.django_db
def test_some_people_return_and_some_look_like_duplicates(demo):
    returning = Participant.objects.annotate(n=Count("enrollments")).filter(n=2)
    assert returning.exists()
    for p in returning:
        earlier, later = p.enrollments.order_by("start_date")
        assert earlier.status == EnrollmentStatus.EXITED
        assert earlier.end_date < later.start_date
    pairs = Participant.objects.values("name_key", "birth_date").annotate(n=Count("id")).filter(n=2)
    assert pairs.count() == demo.possible_duplicate_pairs >= 2


@pytest.mark.django_db
def test_every_enrollment_has_its_audit_row(demo):
    enrollment_rows = AccessEvent.objects.filter(object_type="participants.enrollment")
    events = {event.enrollment_id: event for event in enrollment_rows}
    assert len(events) == enrollment_rows.count() == demo.access_events
    for e in Enrollment.objects.select_related("unit", "created_by"):
        event = events[e.pk]
        assert event.action == Action.CREATE
        assert event.actor_id == e.created_by_id
        assert event.actor_name == e.created_by.username
        assert event.organisation_id == e.unit.organisation_id
        assert event.participant_id == e.participant_id
        assert event.object_type == "participants.enrollment"


@pytest.mark.django_db
def test_demo_users_log_in_with_the_published_password(demo):
    users = get_user_model().objects.all()
    assert all(user.check_password(catalogue.PASSWORD) for user in users)
    admin = users.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert users.get(username="samordnare.lerum").memberships.get().role == Role.COORDINATOR
    roles = Counter(login.role for login in demo.logins)
    assert roles[Role.COORDINATOR] == len(catalogue.PARTNERS)
    assert roles[Role.PROGRAMME_MANAGER] == roles[Role.ANALYST] == roles[Role.ADMINISTRATOR] == 1
    for partner in Partner.objects.all():
        assert Membership.objects.filter(
            unit__organisation=partner.organisation, role=Role.STAFF
        ).exists()


@pytest.mark.django_db
def test_it_refuses_a_database_with_a_programme(demo):
    with pytest.raises(DemoDataExists, match="empty database"):
        generate_demo(seed=7, today=TODAY, participants=120)
    assert Programme.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_organisations_or_taken_usernames():
    Organisation.objects.create(name="Någon kommun", kind=Organisation.Kind.MUNICIPALITY)
    with pytest.raises(DemoDataExists, match="1 organisations"):
        generate_demo(today=TODAY, participants=20)

    Organisation.objects.all().delete()
    get_user_model().objects.create_user("admin")
    plan = plan_demo(today=TODAY, participants=20)
    with pytest.raises(DemoDataExists, match="users named admin"):
        write_demo(plan, password_hash="!")
    assert not Programme.objects.exists()
