import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.plans import services
from stegvis.plans.models import AgreedAction, CheckIn
from stegvis.plans.services import ActionInput, CheckInInput
from tests.plans.helpers import days, make_checkin


def record(actor, enrollment, cast, actions=()):
    return services.checkin_create(
        actor=actor,
        enrollment=enrollment,
        checkin=CheckInInput(
            held_on=days(0),
            staff=[cast.alice, cast.bob],
            organisations=[cast.partner_a.organisation],
            summary="Talked about the internship.",
        ),
        actions=actions,
    )


def test_the_own_organisation_records_a_check_in_with_actions(cast):
    checkin = record(
        cast.alice,
        cast.enrollment_a,
        cast,
        actions=[
            ActionInput(
                what="Find an internship",
                owner_user=cast.alice,
                owner_organisation=cast.partner_a.organisation,
                due_on=days(14),
            ),
            ActionInput(
                what="Book a course",
                owner_user=cast.bob,
                owner_organisation=cast.partner_b.organisation,
                due_on=days(7),
            ),
        ],
    )
    assert set(checkin.staff.all()) == {cast.alice, cast.bob}
    # The organisations owning actions took part.
    assert set(checkin.organisations.all()) == {
        cast.partner_a.organisation,
        cast.partner_b.organisation,
    }
    assert [action.what for action in checkin.actions.all()] == [
        "Find an internship",
        "Book a course",
    ]
    event = AccessEvent.objects.get(part=Part.CHECKINS, action=Action.CREATE)
    assert (event.actor, event.object_id, event.enrollment_id) == (
        cast.alice,
        str(checkin.pk),
        cast.enrollment_a.pk,
    )
    assert "internship" not in str(event.changes) + event.summary


@pytest.mark.parametrize("who", ["bob", "bea", "otto", "mona", "amir"])
def test_only_the_own_organisation_records_check_ins(cast, share, who):
    share(plan=True, checkins=True, takes_part=True)
    with pytest.raises(PermissionDenied):
        record(getattr(cast, who), cast.enrollment_a, cast)
    assert not CheckIn.objects.exists()


def open_action(cast, owner, organisation):
    checkin = make_checkin(
        cast.enrollment_a,
        by=cast.alice,
        actions=[("Book a course", owner, organisation, days(7))],
    )
    return checkin.actions.get()


def mark(actor, cast, action):
    return services.action_mark_done(actor=actor, enrollment=cast.enrollment_a, action=action)


def test_the_owner_in_another_organisation_marks_their_action_done(cast, share):
    consent = share(plan=False, checkins=True)
    action = open_action(cast, cast.bob, cast.partner_b.organisation)
    assert mark(cast.bob, cast, action) is True
    action.refresh_from_db()
    assert action.done_by == cast.bob
    assert action.done_at is not None
    event = AccessEvent.objects.get(action=Action.UPDATE, part=Part.CHECKINS)
    assert (event.actor, event.consent_id, event.organisation_id) == (
        cast.bob,
        consent.pk,
        cast.partner_b.organisation.pk,
    )
    assert event.object_id == str(action.pk)
    assert mark(cast.bob, cast, action) is False


def test_an_action_of_the_organisation_without_a_person_can_be_marked_by_its_staff(cast, share):
    share(plan=False, checkins=True)
    action = open_action(cast, None, cast.partner_b.organisation)
    assert mark(cast.bea, cast, action) is True


def test_the_owner_needs_a_consent_covering_check_ins(cast, share):
    share(plan=True, checkins=False, takes_part=True)
    action = open_action(cast, cast.bob, cast.partner_b.organisation)
    with pytest.raises(PermissionDenied):
        mark(cast.bob, cast, action)
    action.refresh_from_db()
    assert action.done_at is None


def test_the_owner_cannot_mark_it_once_the_consent_is_withdrawn(cast, share):
    consent = share(plan=False, checkins=True)
    action = open_action(cast, cast.bob, cast.partner_b.organisation)
    consent.withdrawn_at = timezone.now()
    consent.save()
    with pytest.raises(PermissionDenied):
        mark(cast.bob, cast, action)


def test_others_cannot_mark_someone_elses_action(cast, share):
    share(plan=False, checkins=True)
    action = open_action(cast, cast.alice, cast.partner_a.organisation)
    for who in (cast.bob, cast.bea, cast.otto):
        with pytest.raises(PermissionDenied):
            mark(who, cast, action)
    assert AgreedAction.objects.get().done_at is None


def test_the_own_organisation_marks_any_action_done(cast):
    action = open_action(cast, cast.bob, cast.partner_b.organisation)
    assert mark(cast.anna, cast, action) is True


def test_an_action_of_another_enrollment_is_refused(cast):
    checkin = make_checkin(
        cast.enrollment_a2,
        by=cast.amir,
        actions=[("Elsewhere", cast.amir, cast.partner_a.organisation, days(3))],
    )
    with pytest.raises(PermissionDenied):
        mark(cast.anna, cast, checkin.actions.get())
