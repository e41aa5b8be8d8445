import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.plans import services
from stegvis.plans.models import Goal, Plan, PlanStatus
from stegvis.plans.services import ActivityInput, GoalInput
from tests.plans.helpers import days, make_plan


def save(actor, enrollment, *goals, draft=None, activities=()):
    return services.plan_draft_save(
        actor=actor,
        enrollment=enrollment,
        expected_draft_id=draft.pk if draft else None,
        goals=[goal if isinstance(goal, GoalInput) else GoalInput(text=goal) for goal in goals],
        activities=list(activities),
    )


def agree(actor, enrollment, draft, **overrides):
    values = {
        "agreed_on": days(0),
        "interpreter_used": True,
        "interpreter_language": "prs",
        "conversation_language": "prs",
    }
    values.update(overrides)
    return services.plan_agree(actor=actor, enrollment=enrollment, draft_id=draft.pk, **values)


def test_the_first_save_starts_version_1_as_a_draft(cast):
    plan = save(
        cast.alice,
        cast.enrollment_a,
        "Get a job in elderly care",
        activities=[
            ActivityInput(what="SFI course", organisation=cast.partner_a.organisation),
        ],
    )
    assert (plan.version, plan.status) == (1, PlanStatus.DRAFT)
    assert [goal.text for goal in plan.goals.all()] == ["Get a job in elderly care"]
    assert plan.activities.get().organisation == cast.partner_a.organisation


def test_an_empty_first_save_creates_nothing(cast):
    with pytest.raises(ValidationError):
        save(cast.alice, cast.enrollment_a)
    assert not Plan.objects.exists()


def test_agreeing_freezes_the_version_and_the_next_edit_starts_the_next_version(cast):
    draft = save(cast.alice, cast.enrollment_a, "Get a job in elderly care")
    agreed = agree(cast.alice, cast.enrollment_a, draft)
    assert (agreed.status, agreed.agreed_on, agreed.agreed_by) == (
        PlanStatus.AGREED,
        days(0),
        cast.alice,
    )

    second = save(cast.alice, cast.enrollment_a, "Get a job in elderly care", "Driving licence")
    assert (second.version, second.status, second.based_on) == (2, PlanStatus.DRAFT, agreed)
    # Version 1 is kept exactly as it was agreed.
    agreed.refresh_from_db()
    assert agreed.status == PlanStatus.AGREED
    assert [goal.text for goal in agreed.goals.all()] == ["Get a job in elderly care"]
    assert second.goals.count() == 2


def test_rows_of_an_agreed_version_cannot_be_changed_through_the_draft(cast):
    draft = save(cast.alice, cast.enrollment_a, "Original goal")
    agree(cast.alice, cast.enrollment_a, draft)
    frozen_goal = draft.goals.get()
    with pytest.raises(services.PlanConflict):
        save(
            cast.alice,
            cast.enrollment_a,
            GoalInput(pk=frozen_goal.pk, text="Rewritten history"),
        )
    frozen_goal.refresh_from_db()
    assert frozen_goal.text == "Original goal"
    assert Plan.objects.count() == 1


def test_saving_a_stale_form_is_refused(cast):
    save(cast.alice, cast.enrollment_a, "Goal by Alice")
    # Anna opened the form before Alice started the draft.
    with pytest.raises(services.PlanConflict):
        save(cast.anna, cast.enrollment_a, "Goal by Anna", draft=None)
    assert Goal.objects.count() == 1


def test_a_draft_is_edited_in_place(cast):
    draft = save(cast.alice, cast.enrollment_a, "First", "Second")
    first, second = draft.goals.all()
    save(
        cast.alice,
        cast.enrollment_a,
        GoalInput(pk=first.pk, text="First, clearer", status="in_progress"),
        GoalInput(pk=second.pk, text="Second", delete=True),
        GoalInput(text="Third"),
        draft=draft,
    )
    assert [(goal.text, goal.status) for goal in draft.goals.all()] == [
        ("First, clearer", "in_progress"),
        ("Third", "not_started"),
    ]
    assert Plan.objects.count() == 1


def test_agreeing_needs_a_goal_and_a_date_not_in_the_future(cast):
    draft = save(
        cast.alice,
        cast.enrollment_a,
        activities=[ActivityInput(what="SFI", organisation=cast.partner_a.organisation)],
    )
    with pytest.raises(ValidationError):
        agree(cast.alice, cast.enrollment_a, draft)
    save(cast.alice, cast.enrollment_a, "A goal", draft=draft)
    with pytest.raises(ValidationError):
        agree(cast.alice, cast.enrollment_a, draft, agreed_on=days(1))
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_writes_are_audited_without_the_plan_text(cast):
    draft = save(cast.alice, cast.enrollment_a, "A private goal")
    agree(cast.alice, cast.enrollment_a, draft)
    events = list(
        AccessEvent.objects.filter(part=Part.PLAN, enrollment=cast.enrollment_a).order_by("id")
    )
    assert [event.action for event in events] == [Action.CREATE, Action.UPDATE]
    assert all(event.organisation_id == cast.partner_a.organisation.pk for event in events)
    assert all(event.participant_id == cast.enrollment_a.participant_id for event in events)
    assert all(event.object_id == str(draft.pk) for event in events)
    assert all(event.consent_id is None for event in events)
    assert events[1].changes["status"] == ["draft", "agreed"]
    assert "private" not in str([(e.changes, e.summary) for e in events])


@pytest.mark.parametrize("who", ["otto", "bob", "bea", "mona", "axel", "amir"])
def test_others_cannot_write_the_plan(cast, who):
    with pytest.raises(PermissionDenied):
        save(getattr(cast, who), cast.enrollment_a, "Not mine")
    assert not Plan.objects.exists()


def test_a_consented_organisation_reads_but_does_not_write_the_plan(cast, share):
    share(plan=True, takes_part=False)
    with pytest.raises(PermissionDenied):
        save(cast.bob, cast.enrollment_a, "Not mine")
    draft = save(cast.alice, cast.enrollment_a, "Alice's goal")
    with pytest.raises(PermissionDenied):
        agree(cast.bob, cast.enrollment_a, draft)


def test_an_organisation_taking_part_in_the_plan_writes_it_citing_the_consent(cast, share):
    consent = share(plan=True, takes_part=True)
    draft = save(cast.bob, cast.enrollment_a, "Folk high school course")
    agree(cast.bob, cast.enrollment_a, draft)
    events = AccessEvent.objects.filter(part=Part.PLAN, actor=cast.bob)
    assert events.count() == 2
    assert {event.consent_id for event in events} == {consent.pk}
    assert {event.organisation_id for event in events} == {cast.partner_b.organisation.pk}


def test_taking_part_ends_with_the_consent(cast, share):
    consent = share(plan=True, takes_part=True)
    save(cast.bob, cast.enrollment_a, "Folk high school course")
    consent.withdrawn_at = timezone.now()
    consent.save()
    with pytest.raises(PermissionDenied):
        save(cast.bob, cast.enrollment_a, "Another", draft=Plan.objects.get())


def test_the_test_helper_plans_are_valid(cast):
    plan = make_plan(cast.enrollment_a, by=cast.alice)
    plan.full_clean()
