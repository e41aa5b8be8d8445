import pytest

from stegvis.access.models import AccessEvent, Action
from stegvis.access.policy import enrollments_for, get_for_actor, participants_for
from stegvis.participants.models import Enrollment, Participant


def visible(user):
    return set(enrollments_for(user).values_list("pk", flat=True))


def test_staff_see_their_own_units_enrollments(cast):
    assert visible(cast.alice) == {cast.enrollment_a.pk}
    assert visible(cast.amir) == {cast.enrollment_a2.pk}
    assert visible(cast.bob) == {cast.enrollment_b.pk}


def test_coordinators_see_their_whole_partner(cast):
    assert visible(cast.anna) == {cast.enrollment_a.pk, cast.enrollment_a2.pk}
    assert visible(cast.bea) == {cast.enrollment_b.pk}


@pytest.mark.parametrize("who", ["mona", "axel", "otto"])
def test_aggregate_roles_and_outsiders_see_no_records(cast, who):
    user = getattr(cast, who)
    assert visible(user) == set()
    assert not participants_for(user).exists()


def test_inactive_memberships_grant_nothing(cast):
    cast.alice.memberships.update(is_active=False)
    cast.alice.refresh_from_db()  # drops the cached scope with the instance
    assert visible(cast.alice) == set()


def test_a_person_enrolled_at_two_partners_is_visible_to_both(cast):
    from tests.factories import EnrollmentFactory

    shared_person = cast.enrollment_b.participant
    EnrollmentFactory(
        participant=shared_person,
        partner=cast.partner_a,
        unit=cast.unit_a,
        status="exited",
    )
    assert participants_for(cast.alice).filter(pk=shared_person.pk).exists()
    # …but Alice still only sees A's enrollment of that person, not B's.
    assert cast.enrollment_b.pk not in visible(cast.alice)


def test_get_for_actor_logs_the_read(cast):
    enrollment = get_for_actor(Enrollment, actor=cast.alice, pk=cast.enrollment_a.pk)
    event = AccessEvent.objects.get()
    assert (event.actor, event.action, event.enrollment_id, event.participant_id) == (
        cast.alice,
        Action.VIEW,
        enrollment.pk,
        enrollment.participant_id,
    )
    assert event.organisation_id == cast.unit_a.organisation_id


def test_get_for_actor_logs_nothing_when_refusing(cast):
    from django.http import Http404

    with pytest.raises(Http404):
        get_for_actor(Enrollment, actor=cast.bob, pk=cast.enrollment_a.pk)
    with pytest.raises(Http404):
        get_for_actor(Participant, actor=cast.bob, pk=cast.enrollment_a.participant_id)
    with pytest.raises(Http404):
        get_for_actor(Enrollment, actor=cast.bob, pk="not-a-number")
    assert not AccessEvent.objects.exists()


def test_the_detail_page_fails_closed_when_the_log_cannot_be_written(cast, client, monkeypatch):
    from stegvis.access import policy

    def broken(**kwargs):
        raise RuntimeError("log unavailable")

    monkeypatch.setattr(policy, "log_event", broken)
    client.raise_request_exception = False
    client.force_login(cast.alice)
    response = client.get(f"/participants/{cast.enrollment_a.pk}/")
    assert response.status_code == 500
    assert b"Karimi" not in response.content
