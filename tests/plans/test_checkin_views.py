import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.plans.models import AgreedAction, CheckIn
from tests.plans.helpers import days, make_checkin


def url(name, cast, *args):
    return reverse(f"plans:{name}", args=[cast.enrollment_a.pk, *args])


def create_payload(cast, actions=()):
    data = {
        "held_on": days(0).isoformat(),
        "participant_present": "on",
        "staff": [str(cast.alice.pk)],
        "organisations": [str(cast.partner_a.organisation.pk)],
        "external_attendees": "Sara, Arbetsförmedlingen",
        "interpreter_used": "on",
        "interpreter_language": "ti",
        "summary": "Talked about the internship.",
        "actions-TOTAL_FORMS": str(max(len(actions), 1)),
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
    }
    for index, action in enumerate(actions):
        for key, value in action.items():
            data[f"actions-{index}-{key}"] = value
    return data


def test_staff_record_a_check_in_with_actions(cast, client):
    client.force_login(cast.alice)
    assert client.get(url("checkin_create", cast)).status_code == 200
    response = client.post(
        url("checkin_create", cast),
        create_payload(
            cast,
            [
                {
                    "what": "Find an internship",
                    "owner_user": str(cast.alice.pk),
                    "owner_organisation": str(cast.partner_a.organisation.pk),
                    "due_on": days(14).isoformat(),
                },
                {"what": "", "owner_user": "", "owner_organisation": "", "due_on": ""},
            ],
        ),
    )
    checkin = CheckIn.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("checkin_detail", cast, checkin.pk)
    assert checkin.interpreter_language == "ti"
    assert list(checkin.staff.all()) == [cast.alice]
    assert checkin.actions.get().owner_user == cast.alice

    page = client.get(url("checkin_detail", cast, checkin.pk))
    assert page.status_code == 200
    assert "Find an internship" in page.content.decode()
    assert "Talked about the internship." in page.content.decode()


def test_an_owner_must_work_at_the_owning_organisation(cast, client):
    client.force_login(cast.alice)
    response = client.post(
        url("checkin_create", cast),
        create_payload(
            cast,
            [
                {
                    "what": "Book a course",
                    "owner_user": str(cast.alice.pk),
                    "owner_organisation": str(cast.partner_b.organisation.pk),
                    "due_on": days(7).isoformat(),
                }
            ],
        ),
    )
    assert response.status_code == 200
    assert "owner_user" in response.context["actions"].errors[0]
    assert not CheckIn.objects.exists()


def test_people_without_a_consent_cannot_be_chosen(cast, client):
    client.force_login(cast.alice)
    response = client.get(url("checkin_create", cast))
    people = set(response.context["form"].fields["staff"].queryset)
    assert cast.alice in people and cast.anna in people
    assert cast.bob not in people and cast.otto not in people


def test_people_of_a_consented_organisation_can_be_chosen(cast, client, share):
    share(plan=False, checkins=True)
    client.force_login(cast.alice)
    response = client.get(url("checkin_create", cast))
    assert cast.bob in set(response.context["form"].fields["staff"].queryset)


@pytest.mark.parametrize("who", ["otto", "bob", "bea", "mona", "axel", "amir"])
def test_others_get_404(cast, client, who):
    checkin = make_checkin(
        cast.enrollment_a,
        by=cast.alice,
        actions=[("Call", getattr(cast, who), cast.partner_a.organisation, days(1))],
    )
    action = checkin.actions.get()
    client.force_login(getattr(cast, who))
    for name, args in [
        ("checkins", ()),
        ("checkin_create", ()),
        ("checkin_detail", (checkin.pk,)),
        ("action_done", (checkin.pk, action.pk)),
    ]:
        for method in ("get", "post"):
            response = getattr(client, method)(url(name, cast, *args))
            assert response.status_code == 404, (name, method)
            assert b"Karimi" not in response.content
    assert AgreedAction.objects.get().done_at is None


def test_a_check_in_of_another_enrollment_is_not_found_through_this_one(cast, client):
    other = make_checkin(cast.enrollment_a2, by=cast.amir)
    client.force_login(cast.anna)
    assert client.get(url("checkin_detail", cast, other.pk)).status_code == 404


def test_a_consented_organisation_reads_check_ins_but_does_not_record_them(cast, client, share):
    consent = share(plan=False, checkins=True)
    checkin = make_checkin(cast.enrollment_a, by=cast.alice)
    client.force_login(cast.bob)
    listing = client.get(url("checkins", cast))
    assert listing.status_code == 200
    assert url("checkin_create", cast) not in listing.content.decode()
    assert client.get(url("checkin_detail", cast, checkin.pk)).status_code == 200
    assert client.get(url("checkin_create", cast)).status_code == 404
    assert client.post(url("checkin_create", cast), create_payload(cast)).status_code == 404
    event = AccessEvent.objects.filter(actor=cast.bob, part=Part.CHECKINS).latest("id")
    assert event.consent_id == consent.pk
    # Consent for check-ins only: the plan stays closed.
    assert client.get(reverse("plans:detail", args=[cast.enrollment_a.pk])).status_code == 404


def test_the_owner_marks_an_action_done_and_returns_to_their_list(cast, client, share):
    share(plan=False, checkins=True)
    checkin = make_checkin(
        cast.enrollment_a,
        by=cast.alice,
        actions=[
            ("Book a course", cast.bob, cast.partner_b.organisation, days(3)),
            ("Alice's", cast.alice, cast.partner_a.organisation, days(3)),
        ],
    )
    mine, alices = checkin.actions.all()
    client.force_login(cast.bob)
    page = client.get(url("checkin_detail", cast, checkin.pk)).content.decode()
    assert url("action_done", cast, checkin.pk, mine.pk) in page
    assert url("action_done", cast, checkin.pk, alices.pk) not in page

    my_list = reverse("plans:my_actions")
    response = client.post(url("action_done", cast, checkin.pk, mine.pk), {"next": my_list})
    assert response.status_code == 302
    assert response["Location"] == my_list
    mine.refresh_from_db()
    assert mine.done_by == cast.bob
    assert AccessEvent.objects.filter(
        actor=cast.bob, action=Action.UPDATE, part=Part.CHECKINS
    ).exists()

    response = client.post(url("action_done", cast, checkin.pk, alices.pk))
    assert response.status_code == 404
    alices.refresh_from_db()
    assert alices.done_at is None


def test_marking_done_is_a_post_and_never_redirects_elsewhere(cast, client):
    checkin = make_checkin(
        cast.enrollment_a,
        by=cast.alice,
        actions=[("Call", cast.alice, cast.partner_a.organisation, days(1))],
    )
    action = checkin.actions.get()
    client.force_login(cast.alice)
    assert client.get(url("action_done", cast, checkin.pk, action.pk)).status_code == 405
    response = client.post(
        url("action_done", cast, checkin.pk, action.pk), {"next": "https://evil.example/"}
    )
    assert response["Location"] == url("checkin_detail", cast, checkin.pk)


def test_access_ends_at_once_when_the_consent_is_withdrawn(cast, client, share):
    consent = share(plan=False, checkins=True)
    checkin = make_checkin(cast.enrollment_a, by=cast.alice)
    client.force_login(cast.bob)
    assert client.get(url("checkin_detail", cast, checkin.pk)).status_code == 200
    consent.withdrawn_at = timezone.now()
    consent.save()
    assert client.get(url("checkin_detail", cast, checkin.pk)).status_code == 404
    assert client.get(url("checkins", cast)).status_code == 404


def test_the_check_in_list_runs_the_same_queries_for_1_or_20(cast, client):
    client.force_login(cast.alice)
    counts = []
    for count in (1, 20):
        CheckIn.objects.all().delete()
        for n in range(count):
            checkin = make_checkin(
                cast.enrollment_a,
                by=cast.alice,
                held_on=days(-n),
                actions=[("Call", cast.alice, cast.partner_a.organisation, days(1))],
            )
            checkin.organisations.add(cast.partner_a.organisation, cast.partner_b.organisation)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("checkins", cast))
        assert response.status_code == 200
        assert len(response.context["page_obj"]) == count
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_check_in_page_runs_the_same_queries_for_1_or_20_actions(cast, client):
    client.force_login(cast.alice)
    counts = []
    for count in (1, 20):
        CheckIn.objects.all().delete()
        checkin = make_checkin(
            cast.enrollment_a,
            by=cast.alice,
            actions=[
                ("Call", cast.alice, cast.partner_a.organisation, days(n)) for n in range(count)
            ],
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("checkin_detail", cast, checkin.pk))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
