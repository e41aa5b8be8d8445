import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stegvis.participants.models import Participant
from stegvis.plans import selectors
from stegvis.plans.models import AgreedAction, CheckIn
from tests.factories import EnrollmentFactory
from tests.plans.helpers import days, make_checkin, make_plan

MY_ACTIONS = reverse("plans:my_actions")


def ago(n):
    return timezone.now() - datetime.timedelta(days=n)


def test_overdue_come_first_oldest_first_then_upcoming_then_recently_done(cast, client):
    org = cast.partner_a.organisation
    checkin = make_checkin(
        cast.enrollment_a,
        by=cast.alice,
        actions=[
            ("upcoming later", cast.alice, org, days(20)),
            ("overdue recent", cast.alice, org, days(-1)),
            ("done recently", cast.alice, org, days(-50), ago(5)),
            ("upcoming today", cast.alice, org, days(0)),
            ("overdue oldest", cast.alice, org, days(-30)),
            ("done long ago", cast.alice, org, days(-90), ago(40)),
            ("done yesterday", cast.alice, org, days(10), ago(1)),
            ("Anna's", cast.anna, org, days(-60)),
            ("nobody's", None, org, days(-60)),
        ],
    )
    client.force_login(cast.alice)
    response = client.get(MY_ACTIONS)
    assert response.status_code == 200
    assert [action.what for action in response.context["page_obj"]] == [
        "overdue oldest",
        "overdue recent",
        "upcoming today",
        "upcoming later",
        "done yesterday",
        "done recently",
    ]
    content = response.content.decode()
    # Overdue is said in words, not only in colour.
    assert content.count('class="badge badge--danger"') == 2
    assert "Layla Karimi" in content
    assert reverse("plans:checkin_detail", args=[cast.enrollment_a.pk, checkin.pk]) in content


def test_protected_identities_show_the_pseudonym(cast, client):
    Participant.objects.filter(pk=cast.enrollment_a.participant_id).update(protected_identity=True)
    make_checkin(
        cast.enrollment_a,
        by=cast.alice,
        actions=[("Call", cast.alice, cast.partner_a.organisation, days(1))],
    )
    client.force_login(cast.alice)
    content = client.get(MY_ACTIONS).content.decode()
    assert "Karimi" not in content
    assert cast.enrollment_a.pseudonym in content


def test_actions_disappear_with_the_access_to_the_participant(cast, client, share):
    consent = share(plan=False, checkins=True)
    make_checkin(
        cast.enrollment_a,
        by=cast.alice,
        actions=[("Book a course", cast.bob, cast.partner_b.organisation, days(1))],
    )
    client.force_login(cast.bob)
    assert "Karimi" in client.get(MY_ACTIONS).content.decode()
    assert selectors.open_action_counts(cast.bob).due_this_week == 1

    consent.withdrawn_at = timezone.now()
    consent.save()
    response = client.get(MY_ACTIONS)
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []
    assert b"Karimi" not in response.content
    assert selectors.open_action_counts(cast.bob).due_this_week == 0


def test_a_consent_not_covering_check_ins_shows_nothing(cast, client, share):
    share(plan=True, checkins=False)
    make_checkin(
        cast.enrollment_a,
        by=cast.alice,
        actions=[("Book a course", cast.bob, cast.partner_b.organisation, days(1))],
    )
    client.force_login(cast.bob)
    assert b"Karimi" not in client.get(MY_ACTIONS).content


@pytest.mark.parametrize("who", ["mona", "axel"])
def test_roles_without_record_access_get_404(cast, client, who):
    client.force_login(getattr(cast, who))
    assert client.get(MY_ACTIONS).status_code == 404


def test_my_actions_run_the_same_queries_for_1_or_20_rows(cast, client):
    client.force_login(cast.alice)
    counts = []
    for count in (1, 20):
        CheckIn.objects.all().delete()
        for n in range(count):
            enrollment = EnrollmentFactory(partner=cast.partner_a, unit=cast.unit_a)
            make_checkin(
                enrollment,
                by=cast.alice,
                actions=[("Call", cast.alice, cast.partner_a.organisation, days(n - 10))],
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(MY_ACTIONS)
        assert response.status_code == 200
        assert len(response.context["page_obj"]) == count
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # session + user, scope, count, page
    assert counts[0] <= 5


def test_open_action_counts(cast):
    org = cast.partner_a.organisation
    make_checkin(
        cast.enrollment_a,
        by=cast.alice,
        actions=[
            ("overdue", cast.alice, org, days(-1)),
            ("overdue too", cast.alice, org, days(-40)),
            ("today", cast.alice, org, days(0)),
            ("after next week", cast.alice, org, days(8)),
            ("done", cast.alice, org, days(-3), ago(1)),
            ("Anna's", cast.anna, org, days(-3)),
        ],
    )
    assert selectors.open_action_counts(cast.alice) == selectors.ActionCounts(
        overdue=2, due_this_week=1
    )
    assert selectors.open_action_counts(cast.mona) == selectors.ActionCounts(0, 0)


def test_plan_summary_for_the_participant_page(cast, share):
    assert selectors.plan_summary(cast.alice, cast.enrollment_a) is None
    first = make_plan(cast.enrollment_a, version=1, goals=["A", "B"])
    first.goals.filter(text="A").update(status="reached")
    make_plan(cast.enrollment_a, version=2, agreed=False, goals=["A", "B", "C"])

    summary = selectors.plan_summary(cast.alice, cast.enrollment_a)
    assert (summary.version, summary.has_draft, summary.agreed_version) == (2, True, 1)
    assert (summary.goals, summary.goals_reached) == (2, 1)
    assert summary.agreed_on == first.agreed_on
    assert summary.next_target_date == days(60)

    assert selectors.plan_summary(cast.bob, cast.enrollment_a) is None
    assert selectors.plan_summary(cast.otto, cast.enrollment_a) is None
    share(plan=True)
    assert selectors.plan_summary(cast.bob, cast.enrollment_a) is not None


def test_checkin_summary(cast):
    make_checkin(
        cast.enrollment_a,
        by=cast.alice,
        held_on=days(-5),
        actions=[("a", cast.alice, cast.partner_a.organisation, days(1))],
    )
    make_checkin(
        cast.enrollment_a,
        by=cast.alice,
        held_on=days(-1),
        actions=[
            ("b", cast.alice, cast.partner_a.organisation, days(1)),
            ("c", cast.alice, cast.partner_a.organisation, days(1), ago(1)),
        ],
    )
    summary = selectors.checkin_summary(cast.alice, cast.enrollment_a)
    assert (summary.count, summary.latest, summary.open_actions) == (2, days(-1), 2)
    assert selectors.checkin_summary(cast.bob, cast.enrollment_a) is None
    assert AgreedAction.objects.count() == 3


def test_outsiders_see_an_empty_list(cast, client):
    make_checkin(
        cast.enrollment_a,
        by=cast.alice,
        actions=[("Call", cast.otto, cast.partner_a.organisation, days(-1))],
    )
    client.force_login(cast.otto)
    response = client.get(MY_ACTIONS)
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []
    assert b"Karimi" not in response.content
    assert selectors.open_action_counts(cast.otto).overdue == 0
