import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stegvis.access.models import AccessEvent, Action
from stegvis.activities.models import Activity, Participation
from stegvis.activities.services import Mark, attendance_save, participation_add
from tests import factories as f
from tests.activities.conftest import START, make_activity, make_session

LIST = reverse("activities:list")
CREATE = reverse("activities:create")


def detail(activity):
    return reverse("activities:detail", args=[activity.pk])


def add(activity):
    return reverse("activities:add_participant", args=[activity.pk])


class TestList:
    def test_staff_see_their_activities(self, cast, client, activity_a, activity_b):
        client.force_login(cast.alice)
        response = client.get(LIST)
        assert response.status_code == 200
        assert list(response.context["page_obj"]) == [activity_a]
        text = response.content.decode()
        assert detail(activity_a) in text
        assert "Beta health group" not in text
        assert CREATE in text

    @pytest.mark.parametrize("who", ["mona", "axel"])
    def test_roles_without_record_access_get_404(self, cast, client, who):
        client.force_login(getattr(cast, who))
        assert client.get(LIST).status_code == 404
        assert client.get(CREATE).status_code == 404

    def test_the_query_count_does_not_grow_with_the_activities(self, cast, client, sfi, settings):
        settings.PAGE_SIZE = 50
        client.force_login(cast.anna)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(LIST).status_code == 200
            return len(queries)

        make_activity(cast.anna, cast.unit_a, sfi, capacity=10)
        one = count()
        for n in range(30):
            make_activity(cast.anna, cast.unit_a2, sfi, name=f"Group {n}")
        assert count() == one
        assert one == 8  # with today's sessions


class TestDetail:
    def test_participants_shown_are_only_those_the_viewer_may_see(
        self, cast, client, with_participants
    ):
        client.force_login(cast.alice)
        response = client.get(detail(with_participants))
        assert response.status_code == 200
        text = response.content.decode()
        assert "Karimi, Layla" in text
        assert "Omar" not in text
        assert reverse("participants:detail", args=[cast.enrollment_a2.pk]) not in text
        assert "SFI with vocational Swedish" in text

        client.force_login(cast.anna)
        text = client.get(detail(with_participants)).content.decode()
        assert "Karimi, Layla" in text and "Omar, Hassan" in text

    @pytest.mark.parametrize("size", [3, 30])
    def test_the_query_count_does_not_grow_with_participants_and_sessions(
        self, cast, client, activity_a, size, settings, django_assert_num_queries
    ):
        settings.PAGE_SIZE = 50
        client.force_login(cast.alice)
        participations = []
        for _ in range(size):
            enrollment = f.EnrollmentFactory(partner=cast.partner_a, unit=cast.unit_a)
            participations.append(
                participation_add(
                    actor=cast.alice, activity=activity_a, enrollment=enrollment, start_date=START
                )
            )
        for n in range(size):
            session = make_session(activity_a, START + datetime.timedelta(days=n))
            attendance_save(
                actor=cast.alice,
                session=session,
                marks={participation.pk: Mark("present", 3) for participation in participations},
            )
        # Session, user, scope; activity, paginator count, participations, their figures (2),
        # staff, activity totals (2), sessions around today (2), messages.
        with django_assert_num_queries(13):
            response = client.get(detail(activity_a))
        assert len(response.context["rows"]) == size
        assert response.context["total"].present == size * size


class TestCreate:
    def test_the_form_offers_only_the_actors_own(self, cast, client, sfi):
        f.UnitFactory(organisation=cast.partner_b.organisation, name="Other B unit")
        client.force_login(cast.alice)
        form = client.get(CREATE).context["form"]
        assert list(form.fields["unit"].queryset) == [cast.unit_a]
        assert list(form.fields["activity_type"].queryset) == [sfi]
        staff = set(form.fields["staff"].queryset)
        assert {cast.alice, cast.anna, cast.amir} <= staff
        assert not {cast.bob, cast.bea, cast.mona, cast.otto} & staff

    def test_create_an_activity(self, cast, client, sfi):
        client.force_login(cast.alice)
        response = client.post(
            CREATE,
            {
                "name": "Arabic orientation on working life",
                "activity_type": sfi.pk,
                "track": cast.track.pk,
                "unit": cast.unit_a.pk,
                "language": "arabic",
                "place": "Room 3",
                "start_date": "2025-04-01",
                "end_date": "2025-06-30",
                "capacity": "12",
                "staff": [cast.alice.pk],
            },
        )
        activity = Activity.objects.get()
        assert response.status_code == 302
        assert response["Location"] == detail(activity)
        assert activity.partner == cast.partner_a
        assert activity.capacity == 12
        assert "Arabic-speaking group" in client.get(detail(activity)).content.decode()

    def test_errors_are_explained(self, cast, client, sfi):
        client.force_login(cast.alice)
        response = client.post(
            CREATE,
            {
                "name": "",
                "activity_type": sfi.pk,
                "unit": cast.unit_b.pk,
                "language": "easy_swedish",
                "start_date": "2025-04-01",
                "end_date": "2025-03-01",
            },
        )
        assert response.status_code == 200
        assert {"name", "unit"} <= set(response.context["form"].errors)
        assert "error-summary" in response.content.decode()
        assert not Activity.objects.exists()

    def test_an_end_before_the_start_is_refused(self, cast, client, sfi):
        client.force_login(cast.alice)
        response = client.post(
            CREATE,
            {
                "name": "SFI",
                "activity_type": sfi.pk,
                "unit": cast.unit_a.pk,
                "language": "easy_swedish",
                "start_date": "2025-04-01",
                "end_date": "2025-03-01",
            },
        )
        assert response.status_code == 200
        assert "end_date" in response.context["form"].errors
        assert not Activity.objects.exists()


class TestAddParticipant:
    def test_the_choice_is_the_visible_enrollments_of_the_provider(self, cast, client, activity_a):
        client.force_login(cast.alice)
        form = client.get(add(activity_a)).context["form"]
        assert list(form.fields["enrollment"].queryset) == [cast.enrollment_a]
        client.force_login(cast.anna)
        form = client.get(add(activity_a)).context["form"]
        assert set(form.fields["enrollment"].queryset) == {cast.enrollment_a, cast.enrollment_a2}

    def test_add_a_participant(self, cast, client, activity_a):
        client.force_login(cast.alice)
        response = client.post(
            add(activity_a), {"enrollment": cast.enrollment_a.pk, "start_date": "2025-03-10"}
        )
        assert response.status_code == 302
        assert response["Location"] == detail(activity_a)
        participation = Participation.objects.get()
        assert participation.start_date == datetime.date(2025, 3, 10)
        assert AccessEvent.objects.filter(
            action=Action.CREATE, enrollment_id=cast.enrollment_a.pk
        ).exists()
        # Already in: no longer offered.
        page = client.get(add(activity_a))
        assert not page.context["form"].fields["enrollment"].queryset.exists()
        assert "Karimi" not in page.content.decode()

    def test_an_enrollment_outside_the_choice_is_refused(self, cast, client, activity_a):
        client.force_login(cast.alice)
        for enrollment in (cast.enrollment_a2, cast.enrollment_b):
            response = client.post(
                add(activity_a), {"enrollment": enrollment.pk, "start_date": "2025-03-10"}
            )
            assert response.status_code == 200
            assert "enrollment" in response.context["form"].errors
        assert not Participation.objects.exists()

    def test_service_errors_are_shown(self, cast, client, activity_a):
        client.force_login(cast.alice)
        response = client.post(
            add(activity_a), {"enrollment": cast.enrollment_a.pk, "start_date": "2025-01-10"}
        )
        assert response.status_code == 200
        assert "start_date" in response.context["form"].errors
        assert not Participation.objects.exists()


class TestEndParticipation:
    def test_end_with_a_reason_and_log_it(self, cast, client, with_participants):
        participation = Participation.objects.get(enrollment=cast.enrollment_a)
        url = reverse("activities:end_participation", args=[participation.pk])
        client.force_login(cast.alice)
        assert url in client.get(detail(with_participants)).content.decode()
        response = client.post(url, {"end_date": "2025-02-01", "end_reason": ""})
        assert response.status_code == 200
        assert {"end_reason"} <= set(response.context["form"].errors)
        response = client.post(url, {"end_date": "2025-02-01", "end_reason": "employment"})
        assert response.status_code == 200  # before the start
        participation.refresh_from_db()
        assert participation.end_date is None
        response = client.post(url, {"end_date": "2025-05-02", "end_reason": "employment"})
        assert response.status_code == 302
        participation.refresh_from_db()
        assert participation.end_date == datetime.date(2025, 5, 2)
        assert participation.end_reason == "employment"
        event = AccessEvent.objects.get(
            object_type="activities.participation", action=Action.UPDATE
        )
        assert event.changes == {
            "end_date": [None, "2025-05-02"],
            "end_reason": ["", "employment"],
        }
        # Ended: the page is gone.
        assert client.get(url).status_code == 404

    def test_only_those_who_write_the_enrollment(self, cast, client, with_participants):
        hassan = Participation.objects.get(enrollment=cast.enrollment_a2)
        client.force_login(cast.alice)
        url = reverse("activities:end_participation", args=[hassan.pk])
        assert client.post(url, {"end_date": "2025-05-02", "end_reason": "other"}).status_code == (
            404
        )
        hassan.refresh_from_db()
        assert hassan.end_date is None
