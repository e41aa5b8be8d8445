from datetime import date

import pytest
from django.core.exceptions import ValidationError

from stegvis.access.models import AccessEvent, Action
from stegvis.participants import services
from stegvis.participants.models import Enrollment, EnrollmentStatus, Participant
from tests.factories import personnummer


def person(**overrides):
    data = {
        "identity_kind": "personnummer",
        "identity_number": personnummer(date(1990, 5, 17), 321),
        "first_name": "Rahim",
        "last_name": "Sultani",
        "gender": "man",
        "birth_date": date(1990, 5, 17),
        "citizenships": ["AF"],
        "stateless": False,
    }
    data.update(overrides)
    return data


def enroll(cast, actor=None, **overrides):
    return services.participant_enroll(
        actor=actor or cast.alice,
        person=person(**overrides),
        partner=cast.partner_a,
        unit=cast.unit_a,
        start_date=date(2025, 3, 1),
    )


def test_enrolling_creates_person_enrollment_and_audit_row(cast):
    result = enroll(cast)
    enrollment = result.enrollment
    assert not result.reused_person
    assert enrollment.eligibility == "eligible"
    assert enrollment.eligibility_reason == "third_country"
    assert enrollment.pseudonym.startswith("D-")
    assert enrollment.participant.name_key == "rahim sultani"
    event = AccessEvent.objects.get(enrollment_id=enrollment.pk, action=Action.CREATE)
    assert event.actor == cast.alice
    assert event.organisation_id == cast.unit_a.organisation_id


def test_an_ineligible_person_is_flagged(cast):
    enrollment = enroll(cast, citizenships=["SE"]).enrollment
    assert enrollment.eligibility == "ineligible"
    assert enrollment.eligibility_reason == "swedish_citizen"


def test_the_same_identity_number_twice_in_a_programme_is_refused(cast):
    first = enroll(cast).enrollment
    with pytest.raises(services.DuplicateEnrollment) as error:
        enroll(cast, first_name="Other")
    assert error.value.existing == first
    assert Enrollment.objects.filter(participant=first.participant).count() == 1
    # Nothing else changed either: the refused attempt is all-or-nothing.
    assert Participant.objects.get(pk=first.participant_id).first_name == "Rahim"


def test_the_same_person_can_enrol_again_after_an_exit(cast):
    first = enroll(cast).enrollment
    Enrollment.objects.filter(pk=first.pk).update(status=EnrollmentStatus.EXITED)
    second = enroll(cast, municipality="Alingsås")
    assert second.reused_person
    assert second.enrollment.participant_id == first.participant_id
    update = AccessEvent.objects.get(enrollment_id=second.enrollment.pk, action=Action.UPDATE)
    assert update.changes["municipality"] == ["", "Alingsås"]


def test_a_person_active_at_another_partner_of_the_programme_is_refused(cast):
    existing = cast.enrollment_b.participant
    with pytest.raises(services.DuplicateEnrollment) as error:
        services.participant_enroll(
            actor=cast.alice,
            person=person(
                identity_number=existing.identity_number,
                first_name=existing.first_name,
                last_name=existing.last_name,
                birth_date=existing.birth_date,
            ),
            partner=cast.partner_a,
            unit=cast.unit_a,
            start_date=date(2025, 3, 1),
        )
    assert error.value.existing == cast.enrollment_b
    assert "Beta folkhögskola" in error.value.messages[0]


def test_staff_cannot_enrol_into_another_organisations_unit(cast):
    with pytest.raises(ValidationError):
        services.participant_enroll(
            actor=cast.alice,
            person=person(),
            partner=cast.partner_b,
            unit=cast.unit_b,
            start_date=date(2025, 3, 1),
        )
    assert not Participant.objects.filter(last_name="Sultani").exists()


def test_start_date_must_be_within_the_programme(cast):
    with pytest.raises(ValidationError):
        services.participant_enroll(
            actor=cast.alice,
            person=person(),
            partner=cast.partner_a,
            unit=cast.unit_a,
            start_date=date(2020, 1, 1),
        )


def test_update_logs_old_and_new_values_and_refreshes_eligibility(cast):
    enrollment = cast.enrollment_a
    data = {name: getattr(enrollment.participant, name) for name in services.PERSON_FIELDS}
    data.update(citizenships=["SE"], municipality="Lerum")
    changes = services.participant_update(
        actor=cast.alice, enrollment=enrollment, person=data, enrollment_data={}
    )
    assert changes["municipality"] == ["", "Lerum"]
    assert changes["citizenships"] == [["SY"], ["SE"]]
    enrollment.refresh_from_db()
    assert enrollment.eligibility == "ineligible"
    event = AccessEvent.objects.get(enrollment_id=enrollment.pk, action=Action.UPDATE)
    assert event.changes == changes


def test_an_update_without_changes_writes_nothing(cast):
    enrollment = cast.enrollment_a
    data = {name: getattr(enrollment.participant, name) for name in services.PERSON_FIELDS}
    assert (
        services.participant_update(
            actor=cast.alice, enrollment=enrollment, person=data, enrollment_data={}
        )
        == {}
    )
    assert not AccessEvent.objects.filter(action=Action.UPDATE).exists()


def test_staff_of_another_partner_cannot_update(cast):
    enrollment = cast.enrollment_a
    data = {name: getattr(enrollment.participant, name) for name in services.PERSON_FIELDS}
    with pytest.raises(ValidationError):
        services.participant_update(
            actor=cast.bob, enrollment=enrollment, person=data, enrollment_data={}
        )


def test_eligibility_check_is_recorded_with_who_and_how(cast):
    check = services.eligibility_check_record(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        method="residence_permit_card",
        checked_on=date(2025, 2, 1),
    )
    assert check.checked_by == cast.alice
    assert AccessEvent.objects.filter(object_type="participants.eligibilitycheck").count() == 1
