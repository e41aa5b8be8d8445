import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from stegvis.activities.models import Session
from stegvis.activities.services import session_update, sessions_generate
from tests.activities.conftest import START

MON, WED = 0, 2
NINE, NOON = datetime.time(9), datetime.time(12)


def generate(actor, activity, **fields):
    values = {
        "weekdays": [MON, WED],
        "first_date": datetime.date(2025, 3, 3),  # a Monday
        "last_date": datetime.date(2025, 3, 16),  # a Sunday: two weeks
        "start_time": NINE,
        "end_time": NOON,
    }
    values.update(fields)
    return sessions_generate(actor=actor, activity=activity, **values)


class TestGenerate:
    def test_it_creates_one_session_per_chosen_weekday(self, cast, activity_a):
        result = generate(cast.alice, activity_a)
        assert (result.created, result.skipped) == (4, 0)
        assert [s.date.isoformat() for s in Session.objects.order_by("date")] == [
            "2025-03-03",
            "2025-03-05",
            "2025-03-10",
            "2025-03-12",
        ]
        assert {s.hours for s in Session.objects.all()} == {Decimal("3.00")}

    def test_running_it_again_does_not_duplicate(self, cast, activity_a):
        generate(cast.alice, activity_a)
        # Same weeks plus a third, and Friday added: Mon/Wed of the first two weeks exist.
        result = generate(
            cast.anna,
            activity_a,
            weekdays=[MON, WED, 4],
            last_date=datetime.date(2025, 3, 23),
        )
        assert (result.created, result.skipped) == (5, 4)
        assert Session.objects.count() == 9

    def test_hours_without_times(self, cast, activity_a):
        generate(cast.alice, activity_a, start_time=None, end_time=None, hours=Decimal("2.5"))
        assert {s.hours for s in Session.objects.all()} == {Decimal("2.50")}
        assert {s.start_time for s in Session.objects.all()} == {None}

    def test_bad_patterns_are_explained(self, cast, activity_a):
        with pytest.raises(ValidationError) as error:
            generate(
                cast.alice,
                activity_a,
                weekdays=[],
                first_date=START - datetime.timedelta(days=7),
                end_time=datetime.time(8),
            )
        assert {"weekdays", "first_date", "end_time"} <= set(error.value.message_dict)
        with pytest.raises(ValidationError) as error:
            generate(cast.alice, activity_a, last_date=datetime.date(2030, 1, 1))
        assert "last_date" in error.value.message_dict
        assert not Session.objects.exists()

    def test_only_the_provider_generates(self, cast, activity_a):
        for who in ("bob", "bea", "mona", "otto"):
            with pytest.raises(PermissionDenied):
                generate(getattr(cast, who), activity_a)
        assert not Session.objects.exists()


class TestUpdate:
    def test_cancel_needs_a_reason_and_a_day_holds_one_session(self, cast, activity_a):
        generate(cast.alice, activity_a)
        first, second = Session.objects.order_by("date")[:2]
        fields = {
            "date": first.date,
            "start_time": NINE,
            "end_time": NOON,
            "hours": None,
            "cancelled": True,
        }
        with pytest.raises(ValidationError) as error:
            session_update(actor=cast.alice, session=first, **fields)
        assert "cancel_reason" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            session_update(
                actor=cast.alice,
                session=first,
                **(fields | {"date": second.date}),
                cancel_reason="x",
            )
        assert "date" in error.value.message_dict
        session_update(actor=cast.alice, session=first, **fields, cancel_reason="Teacher ill")
        first.refresh_from_db()
        assert first.cancelled and first.cancel_reason == "Teacher ill"

    def test_retime_one_session(self, cast, activity_a):
        generate(cast.alice, activity_a)
        session = Session.objects.order_by("date").first()
        session_update(
            actor=cast.alice,
            session=session,
            date=datetime.date(2025, 3, 4),
            start_time=datetime.time(13),
            end_time=datetime.time(14, 30),
            hours=None,
            cancelled=False,
            note="Moved: study visit",
        )
        session.refresh_from_db()
        assert session.date == datetime.date(2025, 3, 4)
        assert session.hours == Decimal("1.50")
        # The other sessions are untouched.
        assert Session.objects.filter(hours=Decimal("3.00")).count() == 3


class TestPages:
    def test_generate_and_edit_through_the_pages(self, cast, client, activity_a):
        client.force_login(cast.alice)
        url = reverse("activities:generate_sessions", args=[activity_a.pk])
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "weekdays": ["1"],
                "first_date": "2025-03-01",
                "last_date": "2025-03-31",
                "start_time": "13:00",
                "end_time": "15:00",
            },
        )
        assert response.status_code == 302
        assert Session.objects.count() == 4  # the Tuesdays of March 2025
        listing = client.get(reverse("activities:sessions", args=[activity_a.pk]))
        assert "4 sessions" in listing.content.decode()
        session = Session.objects.order_by("date").first()
        edit = reverse("activities:session_edit", args=[session.pk])
        response = client.post(
            edit,
            {
                "date": "2025-03-04",
                "start_time": "13:00",
                "end_time": "15:00",
                "cancelled": "on",
                "cancel_reason": "",
            },
        )
        assert response.status_code == 200
        assert "cancel_reason" in response.context["form"].errors
        session.refresh_from_db()
        assert not session.cancelled
        response = client.post(
            edit,
            {
                "date": "2025-03-04",
                "start_time": "13:00",
                "end_time": "15:00",
                "cancelled": "on",
                "cancel_reason": "Snow storm",
            },
        )
        assert response.status_code == 302
        session.refresh_from_db()
        assert session.cancelled

    def test_a_bad_pattern_shows_errors(self, cast, client, activity_a):
        client.force_login(cast.alice)
        response = client.post(
            reverse("activities:generate_sessions", args=[activity_a.pk]),
            {"first_date": "2025-03-01", "last_date": "2025-02-01", "hours": "2"},
        )
        assert response.status_code == 200
        assert "error-summary" in response.content.decode()
        assert not Session.objects.exists()


def test_the_session_list_counts_only_marks_the_viewer_may_see(cast, client, session_a):
    from stegvis.activities.models import Participation
    from stegvis.activities.services import Mark, attendance_save

    attendance_save(
        actor=cast.anna,
        session=session_a,
        marks={p.pk: Mark("present", 3) for p in Participation.objects.all()},
    )
    url = reverse("activities:sessions", args=[session_a.activity_id])
    client.force_login(cast.anna)
    assert [s.marked for s in client.get(url).context["page_obj"]] == [2]
    client.force_login(cast.alice)  # Hassan is in another unit
    assert [s.marked for s in client.get(url).context["page_obj"]] == [1]
