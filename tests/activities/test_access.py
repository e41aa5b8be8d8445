"""Partner A's activity pages are not found for anyone outside A's provider unit/partner,
and participant names only appear for those who may see the enrollment."""

import pytest
from django.urls import reverse

from stegvis.activities.models import Participation

OUTSIDERS_OF_A = ["bob", "bea", "mona", "axel", "otto"]
PAGES = ["activities:detail", "activities:add_participant"]


@pytest.mark.parametrize("url_name", PAGES)
@pytest.mark.parametrize("who", OUTSIDERS_OF_A)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_get_404_on_partner_a_activities(
    cast, client, with_participants, url_name, who, method
):
    client.force_login(getattr(cast, who))
    url = reverse(url_name, args=[with_participants.pk])
    data = {"enrollment": cast.enrollment_b.pk, "start_date": "2025-03-10"}
    response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == 404
    assert b"Karimi" not in response.content
    assert b"Omar" not in response.content
    assert Participation.objects.filter(enrollment=cast.enrollment_b).count() == 0


@pytest.mark.parametrize("url_name", PAGES)
def test_missing_and_not_yours_look_the_same(cast, client, with_participants, url_name):
    client.force_login(cast.bob)
    not_yours = client.get(reverse(url_name, args=[with_participants.pk]))
    missing = client.get(reverse(url_name, args=[999999]))
    assert not_yours.status_code == missing.status_code == 404
    assert not_yours.content == missing.content


@pytest.mark.parametrize("who", ["bob", "bea", "otto"])
def test_other_organisations_lists_do_not_show_partner_a(
    cast, client, with_participants, activity_b, who
):
    client.force_login(getattr(cast, who))
    response = client.get(reverse("activities:list"))
    assert response.status_code == 200
    assert with_participants not in response.context["page_obj"]
    text = response.content.decode()
    assert reverse("activities:detail", args=[with_participants.pk]) not in text
    assert "Karimi" not in text and "Omar" not in text


def test_a_consented_organisation_still_does_not_see_the_activity(
    cast, client, with_participants, share
):
    share(covers_plan=True, covers_mapping=True)
    client.force_login(cast.bob)
    assert client.get(reverse("activities:detail", args=[with_participants.pk])).status_code == (
        404
    )


@pytest.mark.parametrize("url_name", PAGES)
def test_anonymous_users_are_sent_to_login(cast, client, activity_a, url_name):
    response = client.get(reverse(url_name, args=[activity_a.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- Sessions, attendance, ending a participation ------------------------------------------

SESSION_PAGES = ["activities:session_edit", "activities:attendance", "activities:undo"]
ACTIVITY_SESSION_PAGES = ["activities:sessions", "activities:generate_sessions"]


@pytest.fixture
def marked(cast, session_a):
    """Layla marked present by Alice: one save that could be undone."""
    from stegvis.activities.services import Mark, attendance_save

    participation = Participation.objects.get(enrollment=cast.enrollment_a)
    batch = attendance_save(
        actor=cast.alice, session=session_a, marks={participation.pk: Mark("present", 3)}
    )
    return session_a, participation, batch


def _state(session):
    from stegvis.activities.models import Attendance, AttendanceBatch, Session

    return (
        list(Attendance.objects.values_list("enrollment_id", "status", "hours")),
        list(AttendanceBatch.objects.values_list("pk", "undone_at")),
        list(Session.objects.values_list("date", "cancelled", "hours")),
        list(Participation.objects.values_list("pk", "end_date")),
    )


@pytest.mark.parametrize("who", OUTSIDERS_OF_A)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_get_404_on_partner_a_sessions_and_attendance(cast, client, marked, who, method):
    session, participation, batch = marked
    before = _state(session)
    client.force_login(getattr(cast, who))
    data = {
        "everyone_present": "1",
        f"status_{participation.pk}": "absent",
        "batch": batch.pk,
        "date": "2025-03-11",
        "hours": "2",
        "cancelled": "on",
        "cancel_reason": "x",
        "weekdays": ["0", "1"],
        "first_date": "2025-03-01",
        "last_date": "2025-04-30",
        "end_date": "2025-03-20",
        "end_reason": "dropped_out",
    }
    urls = [reverse(name, args=[session.pk]) for name in SESSION_PAGES]
    urls += [reverse(name, args=[session.activity_id]) for name in ACTIVITY_SESSION_PAGES]
    urls.append(reverse("activities:end_participation", args=[participation.pk]))
    for url in urls:
        response = client.post(url, data) if method == "post" else client.get(url)
        assert response.status_code == (405 if method == "get" and "undo" in url else 404), url
        assert b"Karimi" not in response.content
    assert _state(session) == before


def test_missing_and_not_yours_sessions_look_the_same(cast, client, marked):
    session, participation, _batch = marked
    client.force_login(cast.bob)
    for name, pk in [
        ("activities:attendance", session.pk),
        ("activities:session_edit", session.pk),
        ("activities:end_participation", participation.pk),
    ]:
        not_yours = client.get(reverse(name, args=[pk]))
        missing = client.get(reverse(name, args=[999999]))
        assert not_yours.status_code == missing.status_code == 404
        assert not_yours.content == missing.content


def test_partner_b_staff_cannot_mark_their_own_enrollment_in_partner_a_activity(
    cast, client, session_a
):
    """Even with a participation id of their own, B cannot reach A's session."""
    client.force_login(cast.bob)
    response = client.post(
        reverse("activities:attendance", args=[session_a.pk]), {"everyone_present": "1"}
    )
    assert response.status_code == 404


def test_staff_of_another_unit_see_the_register_without_others_participants(
    cast, client, session_a
):
    """Amir (A / AME) does not see the activity at all: it is run by Vuxenutbildningen."""
    client.force_login(cast.amir)
    assert client.get(reverse("activities:attendance", args=[session_a.pk])).status_code == 404
