from django.urls import reverse


def test_staff_home_shows_their_caseload(cast, client):
    client.force_login(cast.alice)
    response = client.get(reverse("core:home"))
    caseload = response.context["caseload"]
    assert (caseload.active, caseload.exited) == (1, 0)
    assert b"Karimi" in response.content
    assert b"Tesfay" not in response.content


def test_programme_manager_home_shows_aggregates_without_names(cast, client):
    client.force_login(cast.mona)
    response = client.get(reverse("core:home"))
    overviews = {o.programme: o for o in response.context["overviews"]}
    # Both programmes owned by the region, nothing else.
    assert set(overviews) == {cast.programme, cast.other_programme}
    overview = overviews[cast.programme]
    assert overview.enrolled == 3
    rows = {row.partner.pk: row for row in overview.partners}
    # Two enrollments at A and one at B are "<5" for a viewer without record access.
    assert str(rows[cast.partner_a.pk].enrolled) == "<5"
    assert rows[cast.partner_a.pk].enrolled.value == 0
    content = response.content.decode()
    assert "Karimi" not in content and "Tesfay" not in content
    assert "&lt;5" in content


def test_ineligible_enrollments_are_counted_apart(cast, client):
    from tests.factories import EnrollmentFactory, ParticipantFactory

    EnrollmentFactory(
        partner=cast.partner_a,
        unit=cast.unit_a,
        participant=ParticipantFactory(citizenships=["SE"]),
    )
    client.force_login(cast.axel)
    overviews = client.get(reverse("core:home")).context["overviews"]
    (overview,) = [o for o in overviews if o.programme == cast.programme]
    assert (overview.enrolled, overview.ineligible) == (3, 1)


def test_users_without_a_role_are_told_what_to_do(db, client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert response.context.get("caseload") is None
    assert response.context.get("overviews") is None


def test_the_outsider_sees_no_programme_of_others(cast, client):
    client.force_login(cast.otto)
    response = client.get(reverse("core:home"))
    assert response.context["caseload"].active == 0
    assert b"Broar" not in response.content


def test_health_check_needs_no_login(client, db):
    assert client.get(reverse("core:healthz")).content == b"ok"


def test_a_person_enrolled_twice_counts_once(cast, client):
    from tests.factories import EnrollmentFactory

    EnrollmentFactory(
        participant=cast.enrollment_a.participant,
        partner=cast.partner_a,
        unit=cast.unit_a,
        status="exited",
    )
    client.force_login(cast.mona)
    overviews = client.get(reverse("core:home")).context["overviews"]
    (overview,) = [o for o in overviews if o.programme == cast.programme]
    assert overview.enrolled == 3


def test_staff_home_links_todays_sessions_to_their_attendance_screens(cast, client):
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from stegvis.activities.models import ActivityType, FunderCategory, Session
    from stegvis.activities.services import activity_create

    sfi = ActivityType.objects.create(
        programme=cast.programme, name="SFI", funder_category=FunderCategory.LANGUAGE_COURSE
    )
    today = timezone.localdate()
    mine = activity_create(
        actor=cast.alice,
        activity_type=sfi,
        unit=cast.unit_a,
        name="SFI group B",
        language="easy_swedish",
        start_date=today - datetime.timedelta(days=30),
    )
    theirs = activity_create(
        actor=cast.bob,
        activity_type=sfi,
        unit=cast.unit_b,
        name="Beta SFI",
        language="easy_swedish",
        start_date=today - datetime.timedelta(days=30),
    )
    session = Session.objects.create(activity=mine, date=today, hours=Decimal(3))
    Session.objects.create(activity=mine, date=today - datetime.timedelta(days=1), hours=1)
    other = Session.objects.create(activity=theirs, date=today, hours=Decimal(3))

    client.force_login(cast.alice)
    response = client.get(reverse("core:home"))
    assert response.context["today_sessions"] == [session]
    content = response.content.decode()
    assert reverse("activities:attendance", args=[session.pk]) in content
    assert reverse("activities:attendance", args=[other.pk]) not in content
