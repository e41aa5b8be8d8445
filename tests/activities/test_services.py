import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.activities.models import ActivityType, EndReason, FunderCategory, Participation
from stegvis.activities.selectors import activities_for, participations_of
from stegvis.activities.services import participation_add
from tests import factories as f
from tests.activities.conftest import START, make_activity


class TestActivityCreate:
    def test_staff_create_an_activity_for_their_unit_and_partner(self, cast, sfi):
        activity = make_activity(cast.alice, cast.unit_a, sfi, staff=[cast.alice, cast.anna])
        assert activity.partner == cast.partner_a
        assert activity.unit == cast.unit_a
        assert activity.created_by == cast.alice
        assert set(activity.staff.all()) == {cast.alice, cast.anna}

    def test_a_coordinator_creates_for_any_unit_of_the_organisation(self, cast, sfi):
        activity = make_activity(cast.anna, cast.unit_a2, sfi)
        assert activity.partner == cast.partner_a

    def test_it_refuses_another_organisations_unit(self, cast, sfi):
        with pytest.raises(PermissionDenied):
            make_activity(cast.bob, cast.unit_a, sfi)
        with pytest.raises(PermissionDenied):
            make_activity(cast.alice, cast.unit_a2, sfi)

    def test_it_refuses_a_programme_the_organisation_is_not_partner_in(self, cast):
        other = ActivityType.objects.create(
            programme=cast.other_programme, name="Other", funder_category=FunderCategory.OTHER
        )
        with pytest.raises(ValidationError) as error:
            make_activity(cast.alice, cast.unit_a, other)
        assert "activity_type" in error.value.message_dict

    def test_it_checks_track_dates_and_staff(self, cast, sfi):
        other_track = f.TrackFactory(programme=cast.other_programme)
        with pytest.raises(ValidationError) as error:
            make_activity(
                cast.alice,
                cast.unit_a,
                sfi,
                track=other_track,
                end_date=START - datetime.timedelta(days=1),
                staff=[cast.bob],
            )
        assert set(error.value.message_dict) == {"track", "end_date", "staff"}


class TestActivitiesFor:
    def test_staff_see_their_units_and_coordinators_their_partners(
        self, cast, activity_a, activity_b
    ):
        assert list(activities_for(cast.alice)) == [activity_a]
        assert list(activities_for(cast.anna)) == [activity_a]
        assert list(activities_for(cast.bob)) == [activity_b]
        for who in ("amir", "mona", "axel", "otto"):
            assert not activities_for(getattr(cast, who)).exists(), who


class TestParticipationAdd:
    def test_it_adds_and_logs(self, cast, activity_a):
        participation = participation_add(
            actor=cast.alice, activity=activity_a, enrollment=cast.enrollment_a, start_date=START
        )
        assert participation.created_by == cast.alice
        event = AccessEvent.objects.get(object_type="activities.participation")
        assert event.action == Action.CREATE
        assert event.part == Part.RECORD
        assert event.enrollment_id == cast.enrollment_a.pk
        assert event.participant_id == cast.enrollment_a.participant_id
        assert event.organisation_id == cast.partner_a.organisation_id
        assert event.changes["activity"] == [None, activity_a.pk]

    def test_it_refuses_enrollments_the_actor_may_not_write(self, cast, activity_a, share):
        share(covers_plan=True)
        for who, enrollment in [
            ("alice", cast.enrollment_a2),  # another unit of her organisation
            ("bob", cast.enrollment_a),  # consented, read-only
            ("mona", cast.enrollment_a),
        ]:
            with pytest.raises(PermissionDenied):
                participation_add(
                    actor=getattr(cast, who),
                    activity=activity_a,
                    enrollment=enrollment,
                    start_date=START,
                )
        assert not Participation.objects.exists()
        assert not AccessEvent.objects.filter(action=Action.CREATE).exists()

    def test_it_refuses_activities_the_actor_may_not_see(self, cast, activity_a):
        with pytest.raises(PermissionDenied):
            participation_add(
                actor=cast.bob, activity=activity_a, enrollment=cast.enrollment_b, start_date=START
            )

    def test_the_enrollment_must_be_with_the_provider_partner(self, cast, activity_a):
        partner = f.PartnerFactory(
            programme=cast.other_programme, organisation=cast.partner_a.organisation
        )
        elsewhere = f.EnrollmentFactory(partner=partner, unit=cast.unit_a)
        with pytest.raises(ValidationError):
            participation_add(
                actor=cast.anna, activity=activity_a, enrollment=elsewhere, start_date=START
            )

    def test_the_start_must_fit_the_activity(self, cast, activity_a):
        with pytest.raises(ValidationError) as error:
            participation_add(
                actor=cast.alice,
                activity=activity_a,
                enrollment=cast.enrollment_a,
                start_date=START - datetime.timedelta(days=1),
            )
        assert "start_date" in error.value.message_dict

    def test_one_active_participation_and_the_capacity(self, cast, activity_a):
        activity_a.capacity = 1
        activity_a.save(update_fields=["capacity"])
        first = participation_add(
            actor=cast.anna, activity=activity_a, enrollment=cast.enrollment_a, start_date=START
        )
        with pytest.raises(ValidationError, match="already"):
            participation_add(
                actor=cast.anna, activity=activity_a, enrollment=cast.enrollment_a, start_date=START
            )
        with pytest.raises(ValidationError, match="full"):
            participation_add(
                actor=cast.anna,
                activity=activity_a,
                enrollment=cast.enrollment_a2,
                start_date=START,
            )
        # After an end, the same participant may join again.
        first.end_date = START + datetime.timedelta(days=20)
        first.end_reason = EndReason.ILLNESS_OR_LEAVE
        first.save(update_fields=["end_date", "end_reason"])
        again = participation_add(
            actor=cast.anna,
            activity=activity_a,
            enrollment=cast.enrollment_a,
            start_date=START + datetime.timedelta(days=40),
        )
        assert again.pk != first.pk

    def test_the_database_refuses_two_active_participations(self, cast, activity_a):
        Participation.objects.create(
            activity=activity_a,
            enrollment=cast.enrollment_a,
            start_date=START,
            created_by=cast.alice,
        )
        with pytest.raises(IntegrityError):
            Participation.objects.create(
                activity=activity_a,
                enrollment=cast.enrollment_a,
                start_date=START,
                created_by=cast.alice,
            )

    def test_an_end_needs_a_reason(self, cast, activity_a):
        with pytest.raises(IntegrityError):
            Participation.objects.create(
                activity=activity_a,
                enrollment=cast.enrollment_a,
                start_date=START,
                end_date=START,
                created_by=cast.alice,
            )


class TestParticipationsOf:
    def test_only_for_those_who_see_the_enrollment(self, cast, with_participants):
        assert [
            p.activity for p in participations_of(actor=cast.alice, enrollment=cast.enrollment_a)
        ] == [with_participants]
        # Amir sees his participant's activity although it is run by another unit.
        assert participations_of(actor=cast.amir, enrollment=cast.enrollment_a2).count() == 1
        for who in ("amir", "bob", "bea", "mona", "axel", "otto"):
            assert not participations_of(
                actor=getattr(cast, who), enrollment=cast.enrollment_a
            ).exists(), who
