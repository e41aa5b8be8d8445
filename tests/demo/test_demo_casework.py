"""The demo's casework: mappings, plans, check-ins, notes and consents that every role can use.

The clock is frozen at the demo's date, so that consents in force and overdue actions (which the
access layer and the selectors judge by today's date) are those the demo planned.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.access.policy import enrollments_for, shared_enrollments_for
from stegvis.access.scope import scope_for
from stegvis.consents.models import Consent
from stegvis.demo import catalogue, generator
from stegvis.demo.casework import casework_fingerprint, load_context, plan_casework
from stegvis.demo.generator import generate_demo
from stegvis.demo.output import summary_lines
from stegvis.mapping.models import (
    Mapping,
    MappingLanguage,
    MappingStatus,
    Qualification,
    RecognitionApplied,
    SensitiveCircumstances,
    WorkExperience,
)
from stegvis.notes.models import Note, NoteCategory
from stegvis.organisations.models import Membership, Partner, Programme, Role
from stegvis.participants.models import Enrollment, EnrollmentStatus
from stegvis.plans.models import (
    AgreedAction,
    CheckIn,
    Goal,
    GoalStatus,
    Plan,
    PlannedActivity,
    PlanStatus,
)
from stegvis.plans.selectors import my_actions, open_action_counts

TODAY = datetime.date(2026, 3, 16)  # a Monday
PARTICIPANTS = 150
SEED = 11
EXTERNAL_USERS = [f"personal.{slug}" for slug, *_rest in catalogue.EXTERNAL_ORGANISATIONS]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    noon = datetime.datetime.combine(
        TODAY, datetime.time(12), tzinfo=timezone.get_default_timezone()
    )
    monkeypatch.setattr(timezone, "now", lambda: noon)


@pytest.fixture
def demo(db):
    return generate_demo(seed=SEED, today=TODAY, participants=PARTICIPANTS)


def _user(username):
    return get_user_model().objects.get(username=username)


def _database_fingerprint() -> str:
    """Every casework row by natural keys (pseudonyms, usernames, names), never by ids."""
    queries = [
        Mapping.objects.values_list(
            "enrollment__pseudonym",
            "status",
            "carried_out_on",
            "goals",
            "informal_skills",
            "recorded_by__username",
            "completed_at",
            "based_on__carried_out_on",
        ),
        MappingLanguage.objects.values_list(
            "mapping__enrollment__pseudonym", "mapping__carried_out_on", "language", "level"
        ),
        WorkExperience.objects.values_list(
            "mapping__enrollment__pseudonym", "mapping__carried_out_on", "occupation", "years"
        ),
        Qualification.objects.values_list(
            "mapping__enrollment__pseudonym", "title", "recognition_applied"
        ),
        SensitiveCircumstances.objects.values_list(
            "enrollment__pseudonym", "health", "family_situation", "other", "recorded_at"
        ),
        Plan.objects.values_list(
            "enrollment__pseudonym",
            "version",
            "status",
            "agreed_on",
            "agreed_by__username",
            "created_by__username",
            "created_at",
            "based_on__version",
        ),
        Goal.objects.values_list(
            "plan__enrollment__pseudonym", "plan__version", "position", "text", "status"
        ),
        PlannedActivity.objects.values_list(
            "plan__enrollment__pseudonym",
            "plan__version",
            "position",
            "what",
            "organisation__name",
            "responsible_user__username",
            "starts_on",
        ),
        CheckIn.objects.values_list(
            "enrollment__pseudonym", "held_on", "created_at", "summary", "interpreter_language"
        ),
        CheckIn.staff.through.objects.values_list(
            "checkin__enrollment__pseudonym", "checkin__created_at", "user__username"
        ),
        CheckIn.organisations.through.objects.values_list(
            "checkin__enrollment__pseudonym", "checkin__created_at", "organisation__name"
        ),
        AgreedAction.objects.values_list(
            "checkin__enrollment__pseudonym",
            "checkin__created_at",
            "position",
            "what",
            "owner_user__username",
            "owner_organisation__name",
            "due_on",
            "done_at",
        ),
        Note.objects.values_list(
            "enrollment__pseudonym",
            "created_at",
            "date",
            "category",
            "text",
            "author__username",
            "corrects__created_at",
            "correction_reason",
        ),
        Consent.objects.values_list(
            "enrollment__pseudonym",
            "given_on",
            "valid_to",
            "withdrawn_at",
            "covers_plan",
            "covers_checkins",
            "covers_sensitive",
            "takes_part_in_plan",
            "purpose",
        ),
        Consent.organisations.through.objects.values_list(
            "consent__enrollment__pseudonym", "consent__given_on", "organisation__name"
        ),
        AccessEvent.objects.values_list(
            "at", "actor_name", "action", "part", "enrollment__pseudonym", "object_type", "summary"
        ),
    ]
    text = repr([sorted(map(repr, query)) for query in queries])
    return hashlib.sha256(text.encode()).hexdigest()


def _generate_and_roll_back(seed: int) -> tuple[str, str]:
    with transaction.atomic():
        summary = generate_demo(seed=seed, today=TODAY, participants=PARTICIPANTS)
        assert summary.casework is not None
        result = (summary.casework.fingerprint, _database_fingerprint())
        transaction.set_rollback(True)
    return result


# Determinism


@pytest.mark.django_db
def test_the_same_seed_and_date_write_the_same_casework():
    first = _generate_and_roll_back(SEED)
    assert not Enrollment.objects.exists()
    second = _generate_and_roll_back(SEED)
    assert first == second
    other = _generate_and_roll_back(SEED + 1)
    assert other[0] != first[0]
    assert other[1] != first[1]


@pytest.mark.django_db
def test_planning_is_pure(demo):
    context, _ids = load_context(today=TODAY)
    plan = plan_casework(context, seed=SEED)
    assert plan == plan_casework(context, seed=SEED)
    assert casework_fingerprint(plan) == demo.casework.fingerprint
    assert casework_fingerprint(plan_casework(context, seed=SEED + 1)) != (
        demo.casework.fingerprint
    )


# What the demo contains


@pytest.mark.django_db
def test_the_summary_counts_what_was_written(demo):
    work = demo.casework
    assert work.mappings == Mapping.objects.count()
    assert work.plans == Plan.objects.count()
    assert work.goals == Goal.objects.count()
    assert work.checkins == CheckIn.objects.count()
    assert work.actions == AgreedAction.objects.count()
    assert work.notes == Note.objects.count()
    assert work.consents == Consent.objects.count()
    assert work.access_events == AccessEvent.objects.count() - demo.access_events
    lines = "\n".join(summary_lines(demo))
    assert f"{work.notes:,} notes" in lines
    assert f"{work.consents_withdrawn:,} withdrawn" in lines


@pytest.mark.django_db
def test_shares_are_close_to_those_asked_for(demo):
    enrollments = Enrollment.objects.annotate(
        mappings_n=Count("mappings", distinct=True),
        completed_n=Count("mappings", filter=Q(mappings__status="completed"), distinct=True),
        plans_n=Count("plans", distinct=True),
        checkins_n=Count("checkins", distinct=True),
        notes_n=Count("notes", distinct=True),
    )
    total = enrollments.count()

    def share(**lookup):
        return enrollments.filter(**lookup).count() / total

    assert 0.75 <= share(mappings_n__gte=1) <= 0.95
    assert 0 < share(mappings_n__gte=2) <= 0.2
    assert share(mappings_n=1, completed_n=0) > 0  # only a draft
    assert 0.6 <= share(plans_n__gte=1) <= 0.9
    assert share(plans_n__gte=2) > 0.05
    assert 0.35 <= share(checkins_n__gte=1) <= 0.65
    assert 0.55 <= share(notes_n__gte=1) <= 0.85
    assert enrollments.filter(checkins_n__gt=3).count() <= 5  # a few extra, for "My actions"
    assert enrollments.filter(notes_n__gt=8).count() == 0

    mappings = Mapping.objects.count()
    with_work = Mapping.objects.filter(work_experience__isnull=False).distinct().count()
    assert 0.4 <= with_work / mappings <= 0.8
    qualifications = Counter(Qualification.objects.values_list("recognition_applied", flat=True))
    assert qualifications[RecognitionApplied.YES] > 0
    assert qualifications[RecognitionApplied.NO] > 0
    assert SensitiveCircumstances.objects.exists()
    categories = Counter(Note.objects.values_list("category", flat=True))
    assert set(categories) == set(NoteCategory.values)
    assert Note.objects.filter(corrects__isnull=False).exists()

    active = Enrollment.objects.filter(status=EnrollmentStatus.ACTIVE).count()
    consented = Consent.objects.values("enrollment").distinct().count()
    assert consented == round(active * 0.3)
    assert not Consent.objects.exclude(enrollment__status=EnrollmentStatus.ACTIVE).exists()


@pytest.mark.django_db
def test_every_consent_state_occurs_and_each_is_coherent(demo):
    consents = list(
        Consent.objects.select_related("enrollment__unit", "enrollment__programme")
        .prefetch_related("organisations")
        .all()
    )
    states = Counter(consent.state(TODAY) for consent in consents)
    assert set(states) == {"active", "withdrawn", "expired"}
    assert states["active"] > states["withdrawn"] + states["expired"]
    staff_orgs = dict(Membership.objects.values_list("user_id", "unit__organisation_id"))
    for consent in consents:
        enrollment = consent.enrollment
        own = enrollment.unit.organisation_id
        assert consent.organisations.all()
        assert own not in {o.pk for o in consent.organisations.all()}
        assert consent.parts
        assert not consent.takes_part_in_plan or consent.covers_plan
        assert enrollment.start_date <= consent.given_on == consent.valid_from < TODAY
        assert staff_orgs[consent.recorded_by_id] == own
        if consent.state(TODAY) == "withdrawn":
            assert consent.valid_from < consent.withdrawn_at.date() < TODAY
            assert staff_orgs[consent.withdrawn_by_id] == own
        elif consent.state(TODAY) == "expired":
            assert consent.valid_to < TODAY
        else:
            assert consent.valid_to == enrollment.programme.end_date
        if consent.interpreter_used is False:
            assert consent.form != Consent.Form.VERBAL_INTERPRETER


@pytest.mark.django_db
def test_organisations_outside_the_programme_see_participants_shared_with_them(demo):
    for username in EXTERNAL_USERS:
        shared = shared_enrollments_for(_user(username))
        assert shared.count() >= 3, username
        assert shared.filter(pk__in=enrollments_for(_user(username), part=Part.CHECKINS)).exists()
    # A partner's staff see participants of another partner.
    partner_orgs = set(Partner.objects.values_list("organisation_id", flat=True))
    staff = get_user_model().objects.filter(
        memberships__role=Role.STAFF, memberships__unit__organisation_id__in=partner_orgs
    )
    seen = [
        (user, enrollment)
        for user in staff
        for enrollment in shared_enrollments_for(user).select_related("unit")
    ]
    assert seen
    for user, enrollment in seen:
        assert enrollment.unit.organisation_id not in scope_for(user).organisation_ids


@pytest.mark.django_db
def test_everyone_who_works_with_participants_has_overdue_and_upcoming_actions(demo):
    today_minus_10 = TODAY - datetime.timedelta(days=10)
    checked = 0
    for user in get_user_model().objects.order_by("pk"):
        scope = scope_for(user)
        if not scope.has_record_access:
            continue
        own = Enrollment.objects.filter(
            Q(unit_id__in=scope.staff_unit_ids) | Q(partner_id__in=scope.coordinator_partner_ids),
            status=EnrollmentStatus.ACTIVE,
            start_date__lte=today_minus_10,
        )
        if user.username not in EXTERNAL_USERS and not own.exists():
            continue  # a unit without current participants in this small demo
        counts = open_action_counts(user)
        assert counts.overdue >= 1, user.username
        assert counts.due_this_week >= 1, user.username
        checked += 1
    assert checked >= 30
    af = _user("personal.arbetsformedlingen")
    actions = list(my_actions(actor=af))
    assert {a.owner_organisation.name for a in actions} == {"Arbetsförmedlingen"}
    assert all(a.checkin.enrollment.unit.organisation.name != "Arbetsförmedlingen" for a in actions)


@pytest.mark.django_db
def test_rows_keep_the_rules_and_happen_in_time(demo):
    for model in (
        Mapping,
        MappingLanguage,
        WorkExperience,
        Qualification,
        SensitiveCircumstances,
        Plan,
        Goal,
        PlannedActivity,
        CheckIn,
        AgreedAction,
        Note,
        Consent,
    ):
        for row in model.objects.all():
            row.full_clean(validate_unique=False)
    now = timezone.now()

    def within(enrollment, day):
        return enrollment.start_date <= day < TODAY and (
            enrollment.end_date is None or day <= enrollment.end_date
        )

    for mapping in Mapping.objects.select_related("enrollment").prefetch_related("languages"):
        assert within(mapping.enrollment, mapping.carried_out_on)
        if mapping.status == MappingStatus.COMPLETED:
            assert mapping.created_at <= mapping.completed_at < now
            assert mapping.completed_by_id and mapping.goals and mapping.digital_skills
            assert {row.language for row in mapping.languages.all()} >= {"sv"}
            assert mapping.years_of_schooling is not None
        if mapping.based_on is not None:
            assert mapping.based_on.enrollment_id == mapping.enrollment_id
            assert mapping.based_on.carried_out_on < mapping.carried_out_on
    for plan in Plan.objects.select_related("enrollment", "based_on").prefetch_related("goals"):
        goals = list(plan.goals.all())
        assert 2 <= len(goals) <= 5
        if plan.status == PlanStatus.AGREED:
            assert within(plan.enrollment, plan.agreed_on)
            assert plan.created_at.date() <= plan.agreed_on == plan.agreed_at.date()
        if plan.version == 1:
            assert plan.based_on is None
            # Frozen when agreed: nothing can have been reached yet.
            assert {g.status for g in goals} <= {GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS}
        else:
            assert plan.based_on.version == plan.version - 1
            assert plan.based_on.status == PlanStatus.AGREED
    for checkin in CheckIn.objects.select_related("enrollment").prefetch_related(
        "actions", "organisations"
    ):
        assert within(checkin.enrollment, checkin.held_on)
        organisations = {o.pk for o in checkin.organisations.all()}
        assert checkin.enrollment.unit.organisation_id in organisations
        for action in checkin.actions.all():
            assert action.due_on > checkin.held_on
            assert action.owner_organisation_id in organisations
            if action.done_at is not None:
                assert checkin.held_on < action.done_at.date() < TODAY
    for note in Note.objects.select_related("enrollment", "corrects"):
        assert within(note.enrollment, note.date) or note.corrects is not None
        if note.corrects is not None:
            assert note.corrects.enrollment_id == note.enrollment_id
            assert note.created_at > note.corrects.created_at
            assert note.thread_id in {note.corrects_id, note.corrects.thread_id}


@pytest.mark.django_db
def test_every_created_row_has_its_audit_row_and_no_content(demo):
    events = {
        (event.object_type, event.object_id): event
        for event in AccessEvent.objects.filter(action=Action.CREATE)
    }
    own_staff = dict(Membership.objects.values_list("user_id", "unit__organisation_id"))
    for model, part in (
        (Mapping, Part.MAPPING),
        (Plan, Part.PLAN),
        (CheckIn, Part.CHECKINS),
        (Consent, Part.RECORD),
        (Note, None),
        (SensitiveCircumstances, Part.SENSITIVE),
    ):
        for row in model.objects.select_related("enrollment__unit"):
            event = events.get((model._meta.label_lower, str(row.pk)))
            if model is SensitiveCircumstances and event is None:
                continue  # a later version: logged as an update
            assert event is not None, (model, row.pk)
            assert event.enrollment_id == row.enrollment_id
            assert event.participant_id == row.enrollment.participant_id
            assert event.organisation_id == own_staff[event.actor_id]
            if part is not None:
                assert event.part == part
            if event.organisation_id != row.enrollment.unit.organisation_id:
                assert model is Plan and event.consent_id is not None
    assert (
        AccessEvent.objects.filter(object_type="notes.note", part=Part.SENSITIVE).count()
        >= Note.objects.filter(category=NoteCategory.SENSITIVE).count()
    )
    # Field names only: no text of notes, goals or the sensitive part reaches the log.
    logged = json.dumps(list(AccessEvent.objects.values_list("changes", "summary")))
    texts = set(Note.objects.values_list("text", flat=True))
    texts |= set(Goal.objects.values_list("text", flat=True))
    texts |= set(SensitiveCircumstances.objects.values_list("health", flat=True)) - {""}
    assert not [text for text in texts if json.dumps(text)[1:-1] in logged]


@pytest.mark.django_db
def test_the_pages_show_the_casework(demo, client):
    af = _user("personal.arbetsformedlingen")
    client.force_login(af)
    response = client.get(reverse("participants:shared"))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == shared_enrollments_for(af).count()
    response = client.get(reverse("plans:my_actions"))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count >= 2

    # An enrollment with everything, seen by its own staff.
    enrollment = (
        Enrollment.objects.annotate(
            m=Count("mappings", distinct=True),
            p=Count("plans", distinct=True),
            c=Count("checkins", distinct=True),
            n=Count("notes", distinct=True),
            k=Count("consents", distinct=True),
        )
        .filter(m__gt=0, p__gt=0, c__gt=0, n__gt=0, k__gt=0)
        .order_by("pk")
        .first()
    )
    assert enrollment is not None
    staff = Membership.objects.filter(unit=enrollment.unit, role=Role.STAFF).first().user
    client.force_login(staff)
    checkin = enrollment.checkins.first()
    for url in (
        reverse("participants:detail", args=[enrollment.pk]),
        reverse("mapping:detail", args=[enrollment.pk]),
        reverse("plans:detail", args=[enrollment.pk]),
        reverse("plans:checkins", args=[enrollment.pk]),
        reverse("plans:checkin_detail", args=[enrollment.pk, checkin.pk]),
        reverse("notes:list", args=[enrollment.pk]),
        reverse("consents:list", args=[enrollment.pk]),
        "/",
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("participants", [10, 40])
def test_small_demos_get_casework_too(participants):
    summary = generate_demo(seed=3, today=TODAY, participants=participants)
    assert summary.casework is not None
    assert summary.casework.mappings > 0
    assert summary.casework.consents >= 1
    assert Consent.objects.count() == summary.casework.consents


@pytest.mark.django_db
def test_a_failure_in_the_casework_leaves_nothing(monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("casework failed")

    monkeypatch.setattr(generator, "write_casework", fail)
    with pytest.raises(RuntimeError, match="casework failed"):
        generate_demo(seed=SEED, today=TODAY, participants=20)
    assert not Programme.objects.exists()
    assert not Enrollment.objects.exists()
    assert not AccessEvent.objects.exists()
