"""The attendance register: marking a session, undo, the audit trail, who may mark."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.activities.models import Attendance, AttendanceBatch, Participation
from stegvis.activities.selectors import session_participations
from stegvis.activities.services import Mark, attendance_save, attendance_undo, participation_add
from tests import factories as f
from tests.activities.conftest import START, make_session


def p(cast, enrollment):
    return Participation.objects.get(enrollment=enrollment)


def marks_of(session):
    return {
        a.enrollment_id: (a.status, a.hours) for a in Attendance.objects.filter(session=session)
    }


def register(session):
    return reverse("activities:attendance", args=[session.pk])


class TestWhoIsListed:
    def test_participations_covering_the_day_that_the_viewer_may_mark(self, cast, session_a):
        assert [
            x.enrollment for x in session_participations(actor=cast.alice, session=session_a)
        ] == [cast.enrollment_a]
        assert {
            x.enrollment for x in session_participations(actor=cast.anna, session=session_a)
        } == {cast.enrollment_a, cast.enrollment_a2}

    def test_late_joiners_and_leavers_are_listed_only_inside_their_period(
        self, cast, with_participants
    ):
        hassan = p(cast, cast.enrollment_a2)
        hassan.start_date = datetime.date(2025, 3, 12)
        hassan.save(update_fields=["start_date"])
        layla = p(cast, cast.enrollment_a)
        layla.end_date, layla.end_reason = datetime.date(2025, 3, 11), "employment"
        layla.save(update_fields=["end_date", "end_reason"])
        before = make_session(with_participants, datetime.date(2025, 3, 10))
        after = make_session(with_participants, datetime.date(2025, 3, 12))
        assert [x.pk for x in session_participations(actor=cast.anna, session=before)] == [layla.pk]
        assert [x.pk for x in session_participations(actor=cast.anna, session=after)] == [hassan.pk]


class TestSave:
    def test_it_saves_marks_and_logs_each_enrollment(self, cast, session_a):
        layla, hassan = p(cast, cast.enrollment_a), p(cast, cast.enrollment_a2)
        batch = attendance_save(
            actor=cast.anna,
            session=session_a,
            marks={
                layla.pk: Mark("present", Decimal("2.5")),
                hassan.pk: Mark("absent", Decimal("3")),
            },
        )
        assert marks_of(session_a) == {
            cast.enrollment_a.pk: ("present", Decimal("2.50")),
            # An absence carries no hours.
            cast.enrollment_a2.pk: ("absent", Decimal("0.00")),
        }
        assert batch.previous == {str(layla.pk): None, str(hassan.pk): None}
        events = AccessEvent.objects.filter(object_type="activities.attendance")
        assert {(e.enrollment_id, e.action, e.part) for e in events} == {
            (cast.enrollment_a.pk, Action.CREATE, Part.RECORD),
            (cast.enrollment_a2.pk, Action.CREATE, Part.RECORD),
        }
        layla_event = events.get(enrollment_id=cast.enrollment_a.pk)
        assert layla_event.changes == {
            "session": "2025-03-10",
            "status": [None, "present"],
            "hours": [None, "2.50"],
        }
        assert layla_event.participant_id == cast.enrollment_a.participant_id
        assert layla_event.organisation_id == cast.partner_a.organisation_id

    def test_unchanged_marks_write_nothing(self, cast, session_a):
        layla = p(cast, cast.enrollment_a)
        marks = {layla.pk: Mark("present", Decimal("3"))}
        attendance_save(actor=cast.alice, session=session_a, marks=marks)
        events = AccessEvent.objects.count()
        assert attendance_save(actor=cast.alice, session=session_a, marks=marks) is None
        assert AccessEvent.objects.count() == events
        assert AttendanceBatch.objects.count() == 1

    def test_a_change_is_logged_with_old_and_new(self, cast, session_a):
        layla = p(cast, cast.enrollment_a)
        attendance_save(
            actor=cast.alice, session=session_a, marks={layla.pk: Mark("present", Decimal(3))}
        )
        attendance_save(
            actor=cast.alice, session=session_a, marks={layla.pk: Mark("excused", Decimal(3))}
        )
        event = AccessEvent.objects.filter(
            object_type="activities.attendance", action=Action.UPDATE
        ).get()
        assert event.changes["status"] == ["present", "excused"]
        assert event.changes["hours"] == ["3.00", "0.00"]

    def test_someone_the_actor_may_not_mark_refuses_the_whole_save(self, cast, session_a):
        layla, hassan = p(cast, cast.enrollment_a), p(cast, cast.enrollment_a2)
        with pytest.raises(PermissionDenied):
            attendance_save(
                actor=cast.alice,  # Hassan is in another unit of her organisation
                session=session_a,
                marks={layla.pk: Mark("present", Decimal(3)), hassan.pk: Mark("present", 3)},
            )
        assert not Attendance.objects.exists()

    @pytest.mark.parametrize("who", ["bob", "bea", "mona", "axel", "otto"])
    def test_outsiders_cannot_mark(self, cast, session_a, who):
        with pytest.raises(PermissionDenied):
            attendance_save(
                actor=getattr(cast, who),
                session=session_a,
                marks={p(cast, cast.enrollment_a).pk: Mark("present", Decimal(3))},
            )
        assert not Attendance.objects.exists()

    def test_bad_marks_cancelled_and_future_sessions_are_refused(self, cast, session_a):
        layla = p(cast, cast.enrollment_a)
        for mark in (Mark("late", Decimal(1)), Mark("present", Decimal(25))):
            with pytest.raises(ValidationError):
                attendance_save(actor=cast.alice, session=session_a, marks={layla.pk: mark})
        session_a.cancelled, session_a.cancel_reason = True, "Ill"
        session_a.save()
        with pytest.raises(ValidationError, match="cancelled"):
            attendance_save(
                actor=cast.alice, session=session_a, marks={layla.pk: Mark("present", 3)}
            )
        future = make_session(session_a.activity, datetime.date(2099, 1, 5))
        with pytest.raises(ValidationError):
            attendance_save(actor=cast.alice, session=future, marks={layla.pk: Mark("present", 3)})
        assert not Attendance.objects.exists()


class TestUndo:
    def test_undo_restores_the_previous_marks_and_is_logged(self, cast, session_a):
        layla, hassan = p(cast, cast.enrollment_a), p(cast, cast.enrollment_a2)
        attendance_save(
            actor=cast.anna, session=session_a, marks={layla.pk: Mark("absent", Decimal(0))}
        )
        batch = attendance_save(
            actor=cast.anna,
            session=session_a,
            marks={layla.pk: Mark("present", Decimal(3)), hassan.pk: Mark("excused", 0)},
        )
        attendance_undo(actor=cast.anna, session=session_a, batch_id=batch.pk)
        # Layla is absent again; Hassan had no mark, so his is removed.
        assert marks_of(session_a) == {cast.enrollment_a.pk: ("absent", Decimal("0.00"))}
        batch.refresh_from_db()
        assert batch.undone_by == cast.anna and batch.undone_at is not None
        undo_events = AccessEvent.objects.filter(
            object_type="activities.attendance", action__in=[Action.DELETE]
        )
        assert [e.enrollment_id for e in undo_events] == [cast.enrollment_a2.pk]
        restored = AccessEvent.objects.filter(
            object_type="activities.attendance",
            action=Action.UPDATE,
            enrollment_id=cast.enrollment_a.pk,
        ).order_by("pk")
        assert restored.last().changes["status"] == ["present", "absent"]

    def test_only_the_latest_save_and_only_once(self, cast, session_a):
        layla = p(cast, cast.enrollment_a)
        first = attendance_save(
            actor=cast.alice, session=session_a, marks={layla.pk: Mark("absent", 0)}
        )
        second = attendance_save(
            actor=cast.alice, session=session_a, marks={layla.pk: Mark("present", 3)}
        )
        with pytest.raises(ValidationError):
            attendance_undo(actor=cast.alice, session=session_a, batch_id=first.pk)
        attendance_undo(actor=cast.alice, session=session_a, batch_id=second.pk)
        with pytest.raises(ValidationError):
            attendance_undo(actor=cast.alice, session=session_a, batch_id=second.pk)
        assert marks_of(session_a)[cast.enrollment_a.pk][0] == "absent"

    def test_a_save_including_others_participants_is_not_undone_by_alice(self, cast, session_a):
        batch = attendance_save(
            actor=cast.anna,
            session=session_a,
            marks={p(cast, cast.enrollment_a2).pk: Mark("present", 3)},
        )
        with pytest.raises(ValidationError):
            attendance_undo(actor=cast.alice, session=session_a, batch_id=batch.pk)
        assert len(marks_of(session_a)) == 1


class TestRegisterPage:
    def test_it_lists_the_group_with_default_hours(self, cast, client, session_a):
        client.force_login(cast.anna)
        response = client.get(register(session_a))
        assert response.status_code == 200
        text = response.content.decode()
        assert "Karimi, Layla" in text and "Omar, Hassan" in text
        assert 'value="3.00"' in text
        assert "Mark everyone present and save" in text
        assert "Undo" not in text

    def test_everyone_present_then_undo(self, cast, client, session_a):
        client.force_login(cast.anna)
        response = client.post(register(session_a), {"everyone_present": "1"})
        assert response.status_code == 302
        assert marks_of(session_a) == {
            cast.enrollment_a.pk: ("present", Decimal("3.00")),
            cast.enrollment_a2.pk: ("present", Decimal("3.00")),
        }
        page = client.get(register(session_a))
        assert "Undo the last save" in page.content.decode()
        batch = AttendanceBatch.objects.get()
        response = client.post(reverse("activities:undo", args=[session_a.pk]), {"batch": batch.pk})
        assert response.status_code == 302
        assert marks_of(session_a) == {}
        assert "Undo the last save" not in client.get(register(session_a)).content.decode()

    def test_one_save_with_individual_marks(self, cast, client, session_a):
        layla, hassan = p(cast, cast.enrollment_a), p(cast, cast.enrollment_a2)
        client.force_login(cast.anna)
        response = client.post(
            register(session_a),
            {
                f"status_{layla.pk}": "present",
                f"hours_{layla.pk}": "1.5",
                f"status_{hassan.pk}": "excused",
                f"hours_{hassan.pk}": "3.00",
            },
        )
        assert response.status_code == 302
        assert marks_of(session_a) == {
            cast.enrollment_a.pk: ("present", Decimal("1.50")),
            cast.enrollment_a2.pk: ("excused", Decimal("0.00")),
        }
        text = client.get(register(session_a)).content.decode()
        assert 'value="1.50"' in text

    def test_bad_input_is_explained_and_changes_nothing(self, cast, client, session_a):
        layla = p(cast, cast.enrollment_a)
        client.force_login(cast.alice)
        response = client.post(
            register(session_a), {f"status_{layla.pk}": "late", f"hours_{layla.pk}": "30"}
        )
        assert response.status_code == 200
        assert "error-summary" in response.content.decode()
        assert not Attendance.objects.exists()

    def test_marks_for_participants_not_shown_are_ignored(self, cast, client, session_a):
        hassan = p(cast, cast.enrollment_a2)
        client.force_login(cast.alice)
        client.post(register(session_a), {f"status_{hassan.pk}": "present"})
        assert cast.enrollment_a2.pk not in marks_of(session_a)

    @pytest.mark.parametrize("size", [3, 30])
    def test_the_query_count_does_not_grow_with_the_group(
        self, cast, client, activity_a, size, django_assert_num_queries
    ):
        session = make_session(activity_a, datetime.date(2025, 3, 10))
        client.force_login(cast.alice)

        def add(n):
            for _ in range(n):
                enrollment = f.EnrollmentFactory(partner=cast.partner_a, unit=cast.unit_a)
                participation_add(
                    actor=cast.alice, activity=activity_a, enrollment=enrollment, start_date=START
                )

        add(size)
        client.post(register(session), {"everyone_present": "1"})
        assert Attendance.objects.count() == size
        # Session, participations with their marks, latest save; user, scope, messages.
        with django_assert_num_queries(6):
            response = client.get(register(session))
        assert len(response.context["rows"]) == size
