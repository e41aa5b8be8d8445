import datetime
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from stegvis.access.models import AccessEvent, Action
from stegvis.outcomes import services
from stegvis.outcomes.models import Exit, ExitReason, ExitType, FollowUp
from stegvis.participants.models import Enrollment, EnrollmentStatus
from tests import factories as f

EXIT_DATE = date(2025, 6, 30)
EXIT_POST = {
    "exit_date": "2025-06-30",
    "exit_type": "completed",
    "reason": "study.language",
    "in_education": "on",
    "occupation_before": "job_seeker",
    "occupation_after": "studies",
    "support_before": "economic_assistance",
    "support_after": "student_aid",
    "note": "",
}


def exit_url(enrollment):
    return reverse("outcomes:exit", args=[enrollment.pk])


def followup_url(enrollment):
    return reverse("outcomes:followup", args=[enrollment.pk])


def record_exit(actor, enrollment, exit_date=EXIT_DATE, **overrides):
    data = {"exit_type": ExitType.COMPLETED, "reason": ExitReason.WORK_EMPLOYMENT}
    data.update(overrides)
    return services.exit_record(actor=actor, enrollment=enrollment, exit_date=exit_date, **data)


def test_the_exit_form_is_shown_to_the_owning_unit(cast, client):
    client.force_login(cast.alice)
    response = client.get(exit_url(cast.enrollment_a))
    assert response.status_code == 200
    assert b'name="reason"' in response.content
    assert b'value="work.subsidised"' in response.content
    assert AccessEvent.objects.filter(
        actor=cast.alice, action=Action.VIEW, enrollment_id=cast.enrollment_a.pk
    ).exists()


def test_posting_the_form_records_the_exit(cast, client):
    client.force_login(cast.alice)
    response = client.post(exit_url(cast.enrollment_a), EXIT_POST)
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:detail", args=[cast.enrollment_a.pk])
    record = Exit.objects.get(enrollment=cast.enrollment_a)
    assert record.reason == "study.language"
    assert record.in_education and not record.in_employment
    assert Enrollment.objects.get(pk=cast.enrollment_a.pk).status == EnrollmentStatus.EXITED
    assert FollowUp.objects.filter(enrollment=cast.enrollment_a).exists()


def test_an_exit_before_the_start_is_refused_with_a_message(cast, client):
    client.force_login(cast.alice)
    response = client.post(
        exit_url(cast.enrollment_a),
        {**EXIT_POST, "exit_date": "2025-01-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "exit_date" in response.context["form"].errors
    assert not Exit.objects.exists()


def test_an_exit_in_the_future_is_refused(cast, client):
    client.force_login(cast.alice)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(exit_url(cast.enrollment_a), {**EXIT_POST, "exit_date": tomorrow})
    assert response.status_code == 200
    assert "exit_date" in response.context["form"].errors
    assert not Exit.objects.exists()


def test_a_recorded_exit_is_shown_instead_of_the_form(cast, client):
    record_exit(cast.alice, cast.enrollment_a)
    client.force_login(cast.anna)
    response = client.get(exit_url(cast.enrollment_a))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert b"work.employment" in response.content
    response = client.post(exit_url(cast.enrollment_a), EXIT_POST)
    assert response.status_code == 200
    assert Exit.objects.get().reason == "work.employment"


def test_the_participant_page_shows_the_exit_card(cast, client):
    client.force_login(cast.alice)
    detail = reverse("participants:detail", args=[cast.enrollment_a.pk])
    response = client.get(detail)
    assert exit_url(cast.enrollment_a).encode() in response.content
    record_exit(cast.alice, cast.enrollment_a)
    response = client.get(detail)
    assert b"work.employment" in response.content
    assert followup_url(cast.enrollment_a).encode() in response.content
    assert b"2025-12-30" in response.content


@pytest.mark.parametrize("who", ["bob", "bea", "mona", "axel", "otto"])
@pytest.mark.parametrize("page", [exit_url, followup_url])
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_get_404(cast, client, who, page, method):
    record_exit(cast.alice, cast.enrollment_a)
    client.force_login(getattr(cast, who))
    response = getattr(client, method)(page(cast.enrollment_a), EXIT_POST)
    assert response.status_code == 404
    assert b"Karimi" not in response.content


def test_a_consent_does_not_let_another_organisation_record_the_exit(cast, client, share):
    share(covers_mapping=True, covers_plan=True, covers_notes=True, takes_part_in_plan=True)
    client.force_login(cast.bob)
    assert client.get(exit_url(cast.enrollment_a)).status_code == 404
    assert client.post(exit_url(cast.enrollment_a), EXIT_POST).status_code == 404
    assert not Exit.objects.exists()


def test_no_follow_up_page_before_the_exit(cast, client):
    client.force_login(cast.alice)
    assert client.get(followup_url(cast.enrollment_a)).status_code == 404


def test_recording_the_follow_up(cast, client):
    record_exit(cast.alice, cast.enrollment_a)
    client.force_login(cast.alice)
    assert client.get(followup_url(cast.enrollment_a)).status_code == 200
    response = client.post(
        followup_url(cast.enrollment_a),
        {"done_date": "2026-01-05", "in_employment": "yes", "improved_situation": "unknown"},
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(enrollment=cast.enrollment_a)
    assert follow_up.done_date == date(2026, 1, 5)
    assert follow_up.improved_situation == "unknown"


def test_the_follow_up_needs_both_answers(cast, client):
    record_exit(cast.alice, cast.enrollment_a)
    client.force_login(cast.alice)
    response = client.post(followup_url(cast.enrollment_a), {"done_date": "2026-01-05"})
    assert response.status_code == 200
    assert {"in_employment", "improved_situation"} <= set(response.context["form"].errors)
    assert FollowUp.objects.get().done_date is None


# The due list


def _exited(cast, *, days_ago, unit=None, partner=None, **participant):
    enrollment = f.EnrollmentFactory(
        partner=partner or cast.partner_a,
        unit=unit or cast.unit_a,
        participant=f.ParticipantFactory(**participant),
        start_date=date(2024, 1, 1),
    )
    today = timezone.localdate()
    record_exit(
        cast.anna if (unit or cast.unit_a) != cast.unit_b else cast.bea,
        enrollment,
        exit_date=today - datetime.timedelta(days=days_ago),
    )
    return enrollment


def test_the_due_list_shows_overdue_first_then_due_soon(cast, client):
    soon = _exited(cast, days_ago=170, last_name="Snart")  # due in about ten days
    overdue = _exited(cast, days_ago=250, last_name="Sen")
    later = _exited(cast, days_ago=30, last_name="Senare")  # due in five months: not listed
    done = _exited(cast, days_ago=300, last_name="Klar")
    FollowUp.objects.filter(enrollment=done).update(
        done_date=timezone.localdate(),
        in_employment="no",
        improved_situation="no",
        recorded_at=timezone.now(),
    )
    other_unit = _exited(cast, days_ago=260, unit=cast.unit_a2, last_name="AME")
    other_partner = _exited(
        cast, days_ago=260, unit=cast.unit_b, partner=cast.partner_b, last_name="Beta"
    )
    client.force_login(cast.alice)
    response = client.get(reverse("outcomes:followups_due"))
    assert response.status_code == 200
    shown = [follow_up.enrollment_id for follow_up in response.context["page_obj"]]
    assert shown == [overdue.pk, soon.pk]
    assert later.pk not in shown and done.pk not in shown
    assert other_unit.pk not in shown and other_partner.pk not in shown

    client.force_login(cast.anna)
    shown = [
        fu.enrollment_id for fu in client.get(reverse("outcomes:followups_due")).context["page_obj"]
    ]
    assert shown == [other_unit.pk, overdue.pk, soon.pk]


@pytest.mark.parametrize("who", ["mona", "axel"])
def test_roles_without_record_access_have_no_due_list(cast, client, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("outcomes:followups_due")).status_code == 404


def test_the_due_list_runs_the_same_queries_for_one_or_many(
    cast, client, django_assert_num_queries, settings
):
    settings.PAGE_SIZE = 50
    _exited(cast, days_ago=200)
    client.force_login(cast.anna)
    url = reverse("outcomes:followups_due")
    client.get(url)  # warm the session and scope
    with django_assert_num_queries(QUERIES):
        client.get(url)
    for _ in range(12):
        _exited(cast, days_ago=200, protected_identity=True)
    with django_assert_num_queries(QUERIES):
        response = client.get(url)
    assert len(response.context["page_obj"]) == 13


QUERIES = 6
