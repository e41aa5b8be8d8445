import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.participants.models import Participant
from stegvis.plans.models import Plan, PlanStatus
from tests.plans.helpers import days, make_plan


def url(name, cast, *args):
    return reverse(f"plans:{name}", args=[cast.enrollment_a.pk, *args])


def formset(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def edit_payload(goals=(), activities=(), draft=None, initial_goals=0, initial_activities=0):
    data = {"draft_id": str(draft.pk) if draft else ""}
    data.update(formset("goals", list(goals), initial_goals))
    data.update(formset("activities", list(activities), initial_activities))
    return data


def goal(text, **extra):
    return {"text": text, "target_date": "", "status": "not_started", **extra}


def text_of(response):
    """The page's text without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# Reading --------------------------------------------------------------------------------------


def test_staff_see_the_current_plan_and_its_versions(cast, client):
    make_plan(cast.enrollment_a, version=1, goals=["Learn to drive"], by=cast.alice)
    make_plan(cast.enrollment_a, version=2, agreed=False, goals=["Learn to drive a bus"])
    client.force_login(cast.alice)
    response = client.get(url("detail", cast))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Learn to drive a bus" in content
    assert [version.version for version in response.context["versions"]] == [2, 1]
    assert response.context["agreed"].version == 1
    assert url("edit", cast) in content
    event = AccessEvent.objects.filter(actor=cast.alice).latest("id")
    assert (event.action, event.part, event.enrollment_id) == (
        Action.VIEW,
        Part.PLAN,
        cast.enrollment_a.pk,
    )


def test_a_page_without_a_plan_offers_to_write_one(cast, client):
    client.force_login(cast.alice)
    response = client.get(url("detail", cast))
    assert response.status_code == 200
    assert response.context["plan"] is None
    assert url("edit", cast) in response.content.decode()


@pytest.mark.parametrize("who", ["otto", "bob", "bea", "mona", "axel", "amir"])
def test_others_get_404(cast, client, who):
    plan = make_plan(cast.enrollment_a)
    client.force_login(getattr(cast, who))
    for name, args in [
        ("detail", ()),
        ("edit", ()),
        ("agree", ()),
        ("version", (plan.pk,)),
        ("print", ()),
    ]:
        response = client.get(url(name, cast, *args))
        assert response.status_code == 404, name
        assert b"Karimi" not in response.content


def test_a_version_of_another_enrollment_is_not_found_through_this_one(cast, client):
    other = make_plan(cast.enrollment_a2, goals=["Someone else's goal"])
    client.force_login(cast.anna)  # coordinator: sees both enrollments
    response = client.get(url("version", cast, other.pk))
    assert response.status_code == 404
    own = client.get(reverse("plans:version", args=[cast.enrollment_a2.pk, other.pk]))
    assert own.status_code == 200


def test_a_consented_organisation_reads_the_plan_without_edit_buttons(cast, client, share):
    consent = share(plan=True, takes_part=False)
    make_plan(cast.enrollment_a, goals=["Learn to drive"])
    client.force_login(cast.bob)
    response = client.get(url("detail", cast))
    assert response.status_code == 200
    assert "Learn to drive" in response.content.decode()
    assert url("edit", cast) not in response.content.decode()
    # No link to the participant record, which is the own organisation's only.
    assert reverse("participants:detail", args=[cast.enrollment_a.pk]) not in (
        response.content.decode()
    )
    event = AccessEvent.objects.filter(actor=cast.bob).latest("id")
    assert (event.consent_id, event.organisation_id) == (
        consent.pk,
        cast.partner_b.organisation.pk,
    )
    assert client.get(url("edit", cast)).status_code == 404
    assert client.post(url("edit", cast), edit_payload([goal("Mine")])).status_code == 404
    assert client.post(url("agree", cast), {"agreed_on": "2025-01-01"}).status_code == 404


def test_an_organisation_taking_part_edits_the_plan(cast, client, share):
    share(plan=True, takes_part=True)
    client.force_login(cast.bob)
    response = client.post(url("edit", cast), edit_payload([goal("Folk high school course")]))
    assert response.status_code == 302
    assert Plan.objects.get().goals.get().text == "Folk high school course"


@pytest.mark.parametrize(
    "ended",
    [{"withdrawn_at": timezone.now()}, {"valid_to": days(-1), "valid_from": days(-30)}],
    ids=["withdrawn", "expired"],
)
def test_access_ends_at_once_when_the_consent_ends(cast, client, share, ended):
    consent = share(plan=True, takes_part=True)
    make_plan(cast.enrollment_a)
    client.force_login(cast.bob)
    assert client.get(url("detail", cast)).status_code == 200
    for name, value in ended.items():
        setattr(consent, name, value)
    consent.save()
    for name in ("detail", "edit", "print"):
        response = client.get(url(name, cast))
        assert response.status_code == 404
        assert b"Karimi" not in response.content


def test_the_plan_page_runs_the_same_queries_for_1_or_20_versions(cast, client):
    client.force_login(cast.alice)
    counts = []
    for count in (1, 20):
        Plan.objects.all().delete()
        for version in range(1, count + 1):
            make_plan(cast.enrollment_a, version=version, goals=["A", "B"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("detail", cast))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# Writing --------------------------------------------------------------------------------------


def test_write_agree_and_start_the_next_version(cast, client):
    client.force_login(cast.alice)
    assert client.get(url("edit", cast)).status_code == 200
    response = client.post(
        url("edit", cast),
        edit_payload(
            [goal("Get a job in elderly care", target_date="2026-06-30"), goal("")],
            [
                {
                    "what": "Internship",
                    "organisation": str(cast.partner_a.organisation.pk),
                    "responsible_user": str(cast.alice.pk),
                    "responsible_name": "",
                    "starts_on": "2025-09-01",
                    "ends_on": "2025-10-31",
                }
            ],
        ),
    )
    assert response.status_code == 302
    first = Plan.objects.get()
    assert (first.version, first.status) == (1, PlanStatus.DRAFT)
    assert first.activities.get().responsible_user == cast.alice

    page = client.get(url("agree", cast))
    assert page.status_code == 200
    response = client.post(
        url("agree", cast),
        {
            "agreed_on": days(0).isoformat(),
            "conversation_language": "prs",
            "interpreter_used": "on",
            "interpreter_language": "prs",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.conversation_language) == (PlanStatus.AGREED, "prs")

    # Editing the agreed plan: the form is prefilled from version 1, nothing is written yet.
    page = client.get(url("edit", cast))
    assert page.status_code == 200
    assert "Get a job in elderly care" in page.content.decode()
    assert page.context["next_version"] == 2
    assert Plan.objects.count() == 1

    response = client.post(
        url("edit", cast),
        edit_payload(
            [goal("Get a job in elderly care", status="in_progress"), goal("Driving licence")]
        ),
    )
    assert response.status_code == 302
    second = Plan.objects.get(version=2)
    assert second.status == PlanStatus.DRAFT
    assert [g.text for g in second.goals.all()] == ["Get a job in elderly care", "Driving licence"]
    # Version 1 stays readable as agreed.
    page = client.get(url("version", cast, first.pk))
    assert page.status_code == 200
    assert "Driving licence" not in page.content.decode()
    assert "Get a job in elderly care" in page.content.decode()


def test_editing_a_draft_changes_and_removes_rows(cast, client):
    draft = make_plan(cast.enrollment_a, agreed=False, goals=["Keep", "Remove"])
    keep, remove = draft.goals.all()
    activity = draft.activities.get()
    client.force_login(cast.alice)
    response = client.post(
        url("edit", cast),
        edit_payload(
            [
                {**goal("Keep, reworded"), "id": str(keep.pk), "plan": str(draft.pk)},
                {**goal("Remove"), "id": str(remove.pk), "plan": str(draft.pk), "DELETE": "on"},
            ],
            [
                {
                    "id": str(activity.pk),
                    "plan": str(draft.pk),
                    "what": activity.what,
                    "organisation": str(activity.organisation_id),
                    "responsible_user": "",
                    "responsible_name": "Amal",
                    "starts_on": activity.starts_on.isoformat(),
                    "ends_on": activity.ends_on.isoformat(),
                }
            ],
            draft=draft,
            initial_goals=2,
            initial_activities=1,
        ),
    )
    assert response.status_code == 302
    assert [g.text for g in draft.goals.all()] == ["Keep, reworded"]
    assert Plan.objects.count() == 1


def test_invalid_rows_are_explained(cast, client):
    client.force_login(cast.alice)
    response = client.post(
        url("edit", cast),
        edit_payload(
            [goal("A goal")],
            [
                {
                    "what": "Internship",
                    "organisation": str(cast.partner_b.organisation.pk),
                    "responsible_user": str(cast.alice.pk),
                    "responsible_name": "Somebody",
                    "starts_on": "2025-10-01",
                    "ends_on": "2025-09-01",
                }
            ],
        ),
    )
    assert response.status_code == 200
    errors = response.context["activities"].errors[0]
    assert {"ends_on", "responsible_name", "responsible_user"} <= set(errors)
    assert not Plan.objects.exists()


def test_a_stale_form_does_not_overwrite_a_draft_started_meanwhile(cast, client):
    make_plan(cast.enrollment_a, agreed=False, goals=["Started by Anna"])
    client.force_login(cast.alice)
    response = client.post(url("edit", cast), edit_payload([goal("Alice's version")]))
    assert response.status_code == 302
    assert response["Location"] == url("edit", cast)
    assert [g.text for g in Plan.objects.get().goals.all()] == ["Started by Anna"]


def test_agree_without_a_draft_goes_back_to_the_plan(cast, client):
    make_plan(cast.enrollment_a)
    client.force_login(cast.alice)
    response = client.get(url("agree", cast))
    assert response.status_code == 302
    assert response["Location"] == url("detail", cast)


def test_agree_refuses_a_future_date(cast, client):
    make_plan(cast.enrollment_a, agreed=False)
    client.force_login(cast.alice)
    response = client.post(url("agree", cast), {"agreed_on": days(3).isoformat()})
    assert response.status_code == 200
    assert "agreed_on" in response.context["form"].errors
    assert Plan.objects.get().status == PlanStatus.DRAFT


# Printing -------------------------------------------------------------------------------------


def test_the_printed_plan_is_in_swedish_even_when_the_ui_is_in_english(cast, client):
    Participant.objects.filter(pk=cast.enrollment_a.participant_id).update(mother_tongue="ar")
    plan = make_plan(cast.enrollment_a, goals=["Learn to drive"], by=cast.alice)
    client.force_login(cast.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert b'<html lang="en"' in client.get(url("detail", cast)).content

    response = client.get(url("print", cast))
    assert response.status_code == 200
    content = response.content.decode()
    text = text_of(response)
    assert '<html lang="sv"' in content
    assert "Layla Karimi" in text
    assert "Learn to drive" in text
    # The language named in Swedish and in itself, marked up for its script.
    assert "Dari – دری" in text
    assert "Arabiska – العربية" in text
    assert '<span lang="prs" dir="rtl">دری</span>' in content
    with override("sv"):
        for source in ("Your plan", "Who does what", "Signatures", "Your goals"):
            assert gettext(source) in text
    assert plan.agreed_on.strftime("%Y") in text
    # The page itself was not switched: the next page is English again.
    assert b'<html lang="en"' in client.get(url("detail", cast)).content


def test_printing_is_logged_as_a_print_of_the_version(cast, client):
    make_plan(cast.enrollment_a, version=1)
    second = make_plan(cast.enrollment_a, version=2)
    client.force_login(cast.alice)
    response = client.get(url("print", cast) + "?version=1")
    assert response.context["plan"].version == 1
    latest = client.get(url("print", cast))
    assert latest.context["plan"] == second
    events = AccessEvent.objects.filter(action=Action.PRINT).order_by("id")
    assert [(e.part, e.summary) for e in events] == [
        (Part.PLAN, "version 1"),
        (Part.PLAN, "version 2"),
    ]
    assert events[1].object_id == str(second.pk)
    assert not AccessEvent.objects.filter(action=Action.VIEW, part=Part.PLAN).exists()


def test_print_prefers_the_agreed_version_to_a_draft(cast, client):
    agreed = make_plan(cast.enrollment_a, version=1)
    make_plan(cast.enrollment_a, version=2, agreed=False)
    client.force_login(cast.alice)
    assert client.get(url("print", cast)).context["plan"] == agreed
    draft_print = client.get(url("print", cast) + "?version=2")
    assert draft_print.context["plan"].is_draft
    assert client.get(url("print", cast) + "?version=9").status_code == 404
    assert client.get(url("print", cast) + "?version=x").status_code == 404


def test_print_without_a_plan_is_not_found(cast, client):
    client.force_login(cast.alice)
    assert client.get(url("print", cast)).status_code == 404
