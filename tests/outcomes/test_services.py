import datetime
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stegvis.access.models import AccessEvent, Action
from stegvis.outcomes import services
from stegvis.outcomes.models import (
    FOLLOW_UP_MONTHS,
    Exit,
    ExitReason,
    ExitReasonGroup,
    ExitType,
    FollowUp,
    months_after,
)
from stegvis.participants import services as participant_services
from stegvis.participants.models import Enrollment, EnrollmentStatus
from tests.factories import personnummer

EXIT_DATE = date(2025, 6, 30)


def record_exit(cast, enrollment=None, actor=None, **overrides):
    data = {
        "exit_date": EXIT_DATE,
        "exit_type": ExitType.COMPLETED,
        "reason": ExitReason.WORK_EMPLOYMENT,
        "in_employment": True,
        "occupation_before": "job_seeker",
        "occupation_after": "work",
        "support_before": "establishment_allowance",
        "support_after": "salary",
        "note": "Anställd som undersköterska",
    }
    data.update(overrides)
    return services.exit_record(
        actor=actor or cast.alice, enrollment=enrollment or cast.enrollment_a, **data
    )


def test_the_reason_codes_are_grouped_as_the_design_notes_list_them():
    assert len(ExitReason.values) == 19
    assert ExitReason.WORK_SUBSIDISED.group == ExitReasonGroup.WORK
    assert ExitReason.STUDY_LANGUAGE.group == ExitReasonGroup.STUDY
    assert ExitReason.ADMIN_OTHER.group == ExitReasonGroup.ADMIN
    assert {reason.group for reason in ExitReason} == set(ExitReasonGroup)


def test_six_months_after_keeps_the_day_or_takes_the_months_last():
    assert months_after(date(2025, 6, 30), 6) == date(2025, 12, 30)
    assert months_after(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert months_after(date(2023, 8, 31), 6) == date(2024, 2, 29)


def test_recording_an_exit_ends_the_enrollment_and_schedules_the_follow_up(cast):
    record = record_exit(cast)
    enrollment = Enrollment.objects.get(pk=cast.enrollment_a.pk)
    assert enrollment.status == EnrollmentStatus.EXITED
    assert enrollment.end_date == EXIT_DATE
    assert record.recorded_by == cast.alice
    follow_up = FollowUp.objects.get(enrollment=enrollment)
    assert follow_up.due_date == months_after(EXIT_DATE, FOLLOW_UP_MONTHS) == date(2025, 12, 30)
    assert follow_up.done_date is None


def test_it_writes_audit_rows_with_field_names_and_codes_not_text(cast):
    record = record_exit(cast)
    exit_row = AccessEvent.objects.get(object_type="outcomes.exit")
    assert exit_row.action == Action.CREATE
    assert exit_row.enrollment_id == cast.enrollment_a.pk
    assert exit_row.participant_id == cast.enrollment_a.participant_id
    assert exit_row.organisation_id == cast.unit_a.organisation_id
    assert exit_row.object_id == str(record.pk)
    assert exit_row.changes["reason"] == [None, "work.employment"]
    assert exit_row.changes["status"] == ["active", "exited"]
    assert exit_row.changes["end_date"] == [None, "2025-06-30"]
    assert exit_row.changes["note"] is None
    assert "undersköterska" not in str(exit_row.changes) + exit_row.summary
    follow_up_row = AccessEvent.objects.get(object_type="outcomes.followup")
    assert follow_up_row.changes == {"due_date": [None, "2025-12-30"]}


def test_an_erroneous_registration_is_kept_but_gets_no_follow_up(cast):
    record_exit(cast, exit_type=ExitType.ERRONEOUS, reason=ExitReason.ADMIN_OTHER)
    record = Exit.objects.get(enrollment=cast.enrollment_a)
    assert not record.counted
    assert not FollowUp.objects.exists()
    assert not AccessEvent.objects.filter(object_type="outcomes.followup").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"exit_date": date(2025, 1, 31)}, "before the start date"),
        ({"exit_date": timezone.localdate() + datetime.timedelta(days=1)}, "in the future"),
        ({"reason": "work.unknown"}, "valid reason"),
        ({"exit_type": "vanished"}, "valid type"),
        ({"occupation_after": "astronaut"}, "not a valid choice"),
    ],
)
def test_bad_input_changes_nothing(cast, overrides, message):
    with pytest.raises(ValidationError, match=message):
        record_exit(cast, **overrides)
    enrollment = Enrollment.objects.get(pk=cast.enrollment_a.pk)
    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert enrollment.end_date is None
    assert not Exit.objects.exists()
    assert not FollowUp.objects.exists()
    assert not AccessEvent.objects.filter(object_type__startswith="outcomes.").exists()


def test_an_enrollment_exits_only_once(cast):
    record_exit(cast)
    with pytest.raises(ValidationError, match="already recorded"):
        record_exit(cast, exit_date=date(2025, 7, 1))
    assert Enrollment.objects.get(pk=cast.enrollment_a.pk).end_date == EXIT_DATE
    assert Exit.objects.count() == 1


@pytest.mark.parametrize("who", ["bob", "bea", "otto", "mona", "axel"])
def test_only_the_owning_organisation_records_an_exit(cast, who):
    with pytest.raises(ValidationError, match="cannot record"):
        record_exit(cast, actor=getattr(cast, who))
    assert not Exit.objects.exists()


def test_the_coordinator_and_other_units_staff_of_the_organisation_may_record(cast):
    record_exit(cast, actor=cast.anna)
    record_exit(cast, enrollment=cast.enrollment_b, actor=cast.bea)
    assert Exit.objects.count() == 2


def test_the_person_can_enrol_again_after_the_exit(cast):
    person = {
        "identity_kind": "personnummer",
        "identity_number": personnummer(date(1990, 5, 17), 321),
        "first_name": "Rahim",
        "last_name": "Sultani",
        "gender": "man",
        "birth_date": date(1990, 5, 17),
        "citizenships": ["AF"],
        "stateless": False,
    }

    def enrol(start):
        return participant_services.participant_enroll(
            actor=cast.alice,
            person=person,
            partner=cast.partner_a,
            unit=cast.unit_a,
            start_date=start,
        )

    first = enrol(date(2025, 3, 1)).enrollment
    with pytest.raises(participant_services.DuplicateEnrollment):
        enrol(date(2025, 4, 1))
    record_exit(cast, enrollment=first, reason=ExitReason.PERSONAL_MOVED, in_employment=False)
    again = enrol(date(2025, 9, 1))
    assert again.reused_person
    assert again.enrollment.participant_id == first.participant_id
    assert again.enrollment.status == EnrollmentStatus.ACTIVE
    assert Enrollment.objects.filter(participant_id=first.participant_id).count() == 2


def record_follow_up(cast, actor=None, **overrides):
    follow_up = FollowUp.objects.get(enrollment=cast.enrollment_a)
    data = {
        "done_date": date(2026, 1, 10),
        "in_employment": "yes",
        "improved_situation": "yes",
        "note": "Fortfarande anställd",
    }
    data.update(overrides)
    return services.followup_record(actor=actor or cast.alice, follow_up=follow_up, **data)


def test_recording_the_follow_up(cast):
    record_exit(cast)
    changes = record_follow_up(cast)
    follow_up = FollowUp.objects.get(enrollment=cast.enrollment_a)
    assert follow_up.done_date == date(2026, 1, 10)
    assert follow_up.in_employment == "yes"
    assert follow_up.recorded_by == cast.alice
    assert follow_up.recorded_at is not None
    assert set(changes) == {"done_date", "in_employment", "improved_situation", "note"}
    row = AccessEvent.objects.get(object_type="outcomes.followup", action=Action.UPDATE)
    assert row.changes["in_employment"] == ["", "yes"]
    assert row.changes["note"] is None


def test_a_follow_up_is_not_before_the_exit_nor_in_the_future(cast):
    record_exit(cast)
    with pytest.raises(ValidationError, match="before the exit date"):
        record_follow_up(cast, done_date=date(2025, 6, 1))
    with pytest.raises(ValidationError, match="future"):
        record_follow_up(cast, done_date=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="Answer every question"):
        record_follow_up(cast, in_employment="")
    assert FollowUp.objects.get(enrollment=cast.enrollment_a).done_date is None


def test_only_the_owning_organisation_records_a_follow_up(cast):
    record_exit(cast)
    with pytest.raises(ValidationError, match="cannot record"):
        record_follow_up(cast, actor=cast.bob)
    assert FollowUp.objects.get(enrollment=cast.enrollment_a).done_date is None
