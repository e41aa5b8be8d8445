from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stegvis.access.models import AccessEvent
from stegvis.participants.models import Enrollment, Participant
from tests.factories import EnrollmentFactory, ParticipantFactory, personnummer


def create_payload(cast, **overrides):
    data = {
        "person-identity_kind": "personnummer",
        "person-identity_number": personnummer(date(1988, 4, 2), 555)[:8]
        + "-"
        + personnummer(date(1988, 4, 2), 555)[8:],
        "person-first_name": "Yonas",
        "person-last_name": "Gebre",
        "person-gender": "man",
        "person-citizenships": ["ER"],
        "person-education_level": "2",
        "person-labour_market_status": "unemployed",
        "person-mother_tongue": "ti",
        "enrollment-partner": cast.partner_a.pk,
        "enrollment-unit": cast.unit_a.pk,
        "enrollment-start_date": "2025-04-01",
    }
    data.update(overrides)
    return data


def test_staff_enrol_a_participant(cast, client):
    client.force_login(cast.alice)
    response = client.post(reverse("participants:create"), create_payload(cast))
    enrollment = Enrollment.objects.get(participant__last_name="Gebre")
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:detail", args=[enrollment.pk])
    assert enrollment.participant.birth_date == date(1988, 4, 2)
    assert enrollment.eligibility == "eligible"


def test_an_invalid_personnummer_is_explained_in_swedish_and_changes_nothing(cast, client):
    client.force_login(cast.alice)
    before = Participant.objects.count()
    response = client.post(
        reverse("participants:create"),
        create_payload(cast, **{"person-identity_number": "19880402-5550"}),
    )
    assert response.status_code == 200
    assert "Kontrollsiffran är fel" in response.content.decode()
    assert Participant.objects.count() == before


def test_the_same_number_twice_is_refused_with_a_link(cast, client):
    client.force_login(cast.alice)
    existing = cast.enrollment_a.participant
    response = client.post(
        reverse("participants:create"),
        create_payload(cast, **{"person-identity_number": existing.identity_number}),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "redan inskriven" in content
    assert reverse("participants:detail", args=[cast.enrollment_a.pk]) in content


def test_a_refusal_for_another_partner_names_it_but_does_not_link(cast, client):
    client.force_login(cast.alice)
    existing = cast.enrollment_b.participant
    response = client.post(
        reverse("participants:create"),
        create_payload(cast, **{"person-identity_number": existing.identity_number}),
    )
    content = response.content.decode()
    assert "Beta folkhögskola" in content
    assert reverse("participants:detail", args=[cast.enrollment_b.pk]) not in content


def test_same_name_and_birth_date_is_flagged(cast, client):
    client.force_login(cast.alice)
    twin = cast.enrollment_a.participant
    response = client.post(
        reverse("participants:create"),
        create_payload(
            cast,
            **{
                "person-identity_kind": "none",
                "person-identity_number": "",
                "person-first_name": twin.first_name,
                "person-last_name": twin.last_name.upper(),
                "person-birth_date": twin.birth_date.isoformat(),
            },
        ),
        follow=True,
    )
    assert "Möjlig dubblett" in response.content.decode()
    listing = client.get(reverse("participants:list") + "?possible_duplicates=on")
    assert listing.context["page_obj"].paginator.count == 2


def test_edit_saves_and_logs_changes(cast, client):
    client.force_login(cast.alice)
    url = reverse("participants:edit", args=[cast.enrollment_a.pk])
    form = client.get(url).context["person_form"]
    data = {f"person-{name}": value for name, value in form.initial.items() if value is not None}
    data["person-citizenships"] = ["SY"]
    data["person-municipality"] = "Alingsås"
    data.update(
        {
            "enrollment-unit": cast.unit_a.pk,
            "enrollment-start_date": "2025-02-01",
        }
    )
    data = {k: v for k, v in data.items() if v not in (False, [], "")}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["person_form"].errors
    assert Participant.objects.get(pk=cast.enrollment_a.participant_id).municipality == "Alingsås"
    event = AccessEvent.objects.get(action="update")
    assert event.changes["municipality"] == ["", "Alingsås"]


def test_search_by_name_and_identity_number(cast, client):
    client.force_login(cast.anna)
    number = cast.enrollment_a.participant.identity_number
    for query in ("karimi", "LAYLA kar", number, f"{number[2:8]}-{number[8:]}"):
        page = client.get(reverse("participants:list"), {"q": query}).context["page_obj"]
        assert [e.pk for e in page] == [cast.enrollment_a.pk], query


def test_filters_narrow_the_list(cast, client):
    client.force_login(cast.anna)
    page = client.get(reverse("participants:list"), {"unit": cast.unit_a2.pk}).context["page_obj"]
    assert [e.pk for e in page] == [cast.enrollment_a2.pk]
    page = client.get(reverse("participants:list"), {"gender": "woman"}).context["page_obj"]
    assert [e.pk for e in page] == [cast.enrollment_a.pk]


def test_searching_is_logged_without_the_search_text(cast, client):
    client.force_login(cast.alice)
    client.get(reverse("participants:list"), {"q": "Karimi"})
    event = AccessEvent.objects.get(action="search")
    assert "Karimi" not in str(event.changes) + event.summary
    # Who searched, and for which organisation.
    assert (event.actor, event.organisation_id) == (cast.alice, cast.partner_a.organisation_id)


def test_eligibility_check_form(cast, client):
    client.force_login(cast.alice)
    url = reverse("participants:eligibility_check", args=[cast.enrollment_a.pk])
    response = client.post(url, {"method": "passport", "checked_on": "2099-01-01"})
    assert response.status_code == 200
    assert not cast.enrollment_a.eligibility_checks.exists()
    response = client.post(url, {"method": "passport", "checked_on": "2025-02-01"})
    assert response.status_code == 302
    assert cast.enrollment_a.eligibility_checks.get().checked_by == cast.alice


@pytest.fixture
def many_enrollments(cast):
    """2,500 enrollments at partner A, as in the demo."""
    people = Participant.objects.bulk_create(
        ParticipantFactory.build(identity_number=None, identity_kind="none") for _ in range(2500)
    )
    Enrollment.objects.bulk_create(
        EnrollmentFactory.build(
            participant=person,
            partner=cast.partner_a,
            programme=cast.programme,
            unit=cast.unit_a if i % 2 else cast.unit_a2,
        )
        for i, person in enumerate(people)
    )


@pytest.mark.parametrize("who", ["alice", "anna"])
def test_the_list_uses_a_fixed_number_of_queries_whatever_the_page_size(
    cast, client, settings, many_enrollments, who
):
    client.force_login(getattr(cast, who))
    counts = []
    for page_size in (10, 200):
        settings.PAGE_SIZE = page_size
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("participants:list"), {"page": 2})
        assert response.status_code == 200
        assert len(response.context["page_obj"]) == page_size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # session + user, scope (2), count, page, four filter choice lists
    assert counts[0] <= 11


def test_protected_identities_are_masked_in_the_list(cast, client):
    person = cast.enrollment_a.participant
    Participant.objects.filter(pk=person.pk).update(protected_identity=True)
    client.force_login(cast.alice)
    content = client.get(reverse("participants:list")).content.decode()
    assert "Karimi" not in content
    assert person.identity_number[:8] not in content
    assert cast.enrollment_a.pseudonym in content
