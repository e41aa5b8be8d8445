"""axe-core on every page of the participant's record, as a tablet shows them.

The journeys test the flows; this walks every page once with content on it, so a page added
to the record is checked too (the list of URL names must cover every enrollment page).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from stegvis.activities import services as activity_services
from stegvis.activities.models import ActivityType, Session
from stegvis.consents import services as consent_services
from stegvis.languagelevels import services as language_services
from stegvis.mapping import services as mapping_services
from stegvis.notes import services as note_services
from stegvis.outcomes import services as exit_services
from stegvis.placements import services as placement_services
from stegvis.progression import services as progression_services
from stegvis.progression.models import Instrument
from tests.access.test_outsiders import ENROLLMENT_URLS
from tests.plans.helpers import days, make_checkin, make_plan

from .conftest import _close, _new_page, assert_accessible, login

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}
TODAY = timezone.localdate()
# Pages reached by POST only, or that need an object id not made here.
# The staff-assisted question pages need a started round: tests/browser/test_self_assessment.py.
NOT_PAGES = {
    "plans:action_done",
    "progression:link_revoke",
    "progression:assisted_question",
    "progression:assisted_review",
}


@pytest.fixture
def tablet_page(browser, live_server, request):
    page = _new_page(browser, live_server, TABLET)
    yield page
    _close(page, request)


@pytest.fixture
def record(cast):
    enrollment = cast.enrollment_a
    mapping = mapping_services.mapping_save(
        actor=cast.alice,
        enrollment=enrollment,
        draft=None,
        content=mapping_services.MappingContent(
            fields={
                "carried_out_on": TODAY - datetime.timedelta(days=20),
                "years_of_schooling": 6,
                "education_level": "1",
                "literacy_mother_tongue": "good",
                "literacy_latin_script": "basic",
                "driving_licence": "foreign",
                "digital_skills": "basic",
                "goals": "Arbeta i ett storkök",
            },
            languages=[{"language": "ar", "level": "native"}],
            work_experience=[{"occupation": "Kock", "country": "SY", "years": Decimal(4)}],
        ),
        complete=True,
    )
    mapping_services.sensitive_circumstances_record(
        actor=cast.alice,
        enrollment=enrollment,
        health="Ryggbesvär",
        family_situation="Tre barn",
        other="",
    )
    plan = make_plan(enrollment, by=cast.alice)
    checkin = make_checkin(
        enrollment,
        by=cast.alice,
        actions=[("Boka praktikbesök", cast.alice, cast.partner_a.organisation, days(-2))],
    )
    note = note_services.note_create(
        actor=cast.alice, enrollment=enrollment, date=TODAY, category="contact", text="Ringde."
    )
    consent = consent_services.consent_record(
        actor=cast.alice,
        enrollment=enrollment,
        organisations=[cast.partner_b.organisation],
        parts=["plan"],
        takes_part_in_plan=False,
        purpose="Praktik",
        form="written",
        language="ti",
        interpreter_used=True,
        given_on=TODAY,
        valid_from=TODAY,
        valid_to=TODAY + datetime.timedelta(days=90),
    )
    # A second participant who has left: the follow-up page needs an exit.
    exit_services.exit_record(
        actor=cast.anna,
        enrollment=cast.enrollment_a2,
        exit_date=TODAY - datetime.timedelta(days=10),
        exit_type="completed",
        reason="work.subsidised",
        in_employment=True,
    )
    activity_type = ActivityType.objects.create(
        programme=cast.programme, name="Yrkessvenska", funder_category="language_course"
    )
    activity = activity_services.activity_create(
        actor=cast.anna,
        activity_type=activity_type,
        unit=cast.unit_a,
        name="Yrkessvenska i storkök",
        language="easy_swedish",
        start_date=TODAY - datetime.timedelta(days=30),
        capacity=12,
    )
    participation = activity_services.participation_add(
        actor=cast.anna,
        activity=activity,
        enrollment=enrollment,
        start_date=TODAY - datetime.timedelta(days=20),
    )
    activity_services.sessions_generate(
        actor=cast.anna,
        activity=activity,
        weekdays=range(7),
        first_date=TODAY - datetime.timedelta(days=2),
        last_date=TODAY + datetime.timedelta(days=2),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
    )
    session = Session.objects.get(activity=activity, date=TODAY)
    activity_services.attendance_save(
        actor=cast.anna,
        session=session,
        marks={participation.pk: activity_services.Mark("present", Decimal(3))},
    )
    progression_services.bundled_instruments_load()  # live-server tests flush migration data
    rating = Instrument.objects.get(code="self-rating").current_version()
    assessment = progression_services.assessment_record_assisted(
        actor=cast.alice,
        enrollment=enrollment,
        version=rating,
        point="start",
        language="sv",
        answers={"swedish": 3, "society": 5, "future-work": 6},
    )
    workplace = placement_services.workplace_create(
        actor=cast.anna,
        partner=cast.partner_a,
        name="Restaurang Linden",
        organisation_number="556012-5790",
        sector="private",
        city="Lerum",
    )
    placement = placement_services.placement_create(
        actor=cast.alice,
        enrollment=enrollment,
        workplace=workplace,
        supervisor_name="Karin Lind",
        start_date=TODAY - datetime.timedelta(days=14),
        hours_per_week=Decimal(20),
        tasks="Kallskänk och disk",
    )
    placement_services.placement_visit_record(
        actor=cast.alice, placement=placement, visit_date=TODAY, notes="Trivs bra."
    )
    language_services.language_result_record(
        actor=cast.alice,
        enrollment=enrollment,
        kind="sfi_course",
        result_date=TODAY - datetime.timedelta(days=90),
        source="school_result",
        study_path=2,
        course="B",
    )
    language_result = language_services.language_result_record(
        actor=cast.alice,
        enrollment=enrollment,
        kind="sfi_course",
        result_date=TODAY - datetime.timedelta(days=5),
        source="school_result",
        study_path=2,
        course="B",
        grade="C",
    )
    return {
        "assessment_id": assessment.pk,
        "instrument_version_id": rating.pk,
        "workplace_id": workplace.pk,
        "placement_id": placement.pk,
        "language_result_id": language_result.pk,
        "activity_id": activity.pk,
        "session_id": session.pk,
        "participation_id": participation.pk,
        "mapping_id": mapping.pk,
        "plan_id": plan.pk,
        "checkin_id": checkin.pk,
        "note_id": note.pk,
        "consent_id": consent.pk,
    }


def _args(name: str, pk: int, ids: dict) -> list[int]:
    extra = {
        "mapping:version": ["mapping_id"],
        "plans:version": ["plan_id"],
        "plans:checkin_detail": ["checkin_id"],
        "notes:correct": ["note_id"],
        "consents:withdraw": ["consent_id"],
        "consents:print": ["consent_id"],
        "progression:assessment": ["assessment_id"],
        "placements:detail": ["placement_id"],
        "placements:edit": ["placement_id"],
        "placements:visit_add": ["placement_id"],
        "placements:outcome": ["placement_id"],
        "languagelevels:correct": ["language_result_id"],
        "languagelevels:delete": ["language_result_id"],
    }
    return [pk] + [ids[key] for key in extra.get(name, [])]


def test_every_page_of_the_record_passes_axe_on_a_tablet(cast, live_server, tablet_page, record):
    login(tablet_page, live_server, cast.anna)
    pages = [name for name in ENROLLMENT_URLS if name not in NOT_PAGES]
    assert len(pages) > 20
    for name in pages:
        # Pages about what happens after leaving are shown for the participant who left.
        enrollment = cast.enrollment_a2 if name == "outcomes:followup" else cast.enrollment_a
        url = reverse(name, args=_args(name, enrollment.pk, record))
        response = tablet_page.goto(url)
        assert response.status == 200, (name, response.status)
        assert_accessible(tablet_page, name.replace(":", "-"))
    for name in (
        "participants:list",
        "participants:shared",
        "plans:my_actions",
        "outcomes:followups_due",
        "activities:list",
        "activities:create",
        "access:log",
        "progression:due",
        "progression:cohort",
        "progression:instruments",
        "transfer:index",
        "placements:list",
        "placements:workplaces",
        "placements:workplace_create",
        "dropin:register",
        "dropin:summary",
        "api:tokens",
    ):
        tablet_page.goto(reverse(name))
        assert_accessible(tablet_page, name.replace(":", "-"))
    # The token page again, showing a new token's secret and the list of tokens.
    tablet_page.fill("#id_name", "Rapportskript")
    tablet_page.press("#id_name", "Enter")
    tablet_page.wait_for_selector("#new-token")
    assert_accessible(tablet_page, "api-tokens-created")
    tablet_page.goto(
        reverse("progression:instrument_version", args=[record["instrument_version_id"]])
    )
    assert_accessible(tablet_page, "progression-instrument_version")
    tablet_page.goto(reverse("activities:figures"))
    assert_accessible(tablet_page, "activities-figures")
    for name, key in (
        ("activities:detail", "activity_id"),
        ("activities:add_participant", "activity_id"),
        ("activities:sessions", "activity_id"),
        ("activities:generate_sessions", "activity_id"),
        ("activities:session_edit", "session_id"),
        ("activities:attendance", "session_id"),
        ("activities:end_participation", "participation_id"),
    ):
        response = tablet_page.goto(reverse(name, args=[record[key]]))
        assert response.status == 200, name
        assert_accessible(tablet_page, name.replace(":", "-"))
    # Reports (more in tests/browser/test_dashboard.py).
    programme = cast.programme.pk
    for name, url in (
        ("reporting:index", reverse("reporting:index")),
        ("reporting:programme", reverse("reporting:programme", args=[programme])),
        ("reporting:partner", reverse("reporting:partner", args=[programme, cast.partner_a.pk])),
        ("reporting:track", reverse("reporting:track", args=[programme, cast.track.pk])),
        ("reporting:numbers", reverse("reporting:numbers", args=[programme]) + "?code=exits"),
    ):
        response = tablet_page.goto(url)
        assert response.status == 200, name
        assert_accessible(tablet_page, name.replace(":", "-"))
    response = tablet_page.goto(
        reverse("placements:workplace_detail", args=[record["workplace_id"]])
    )
    assert response.status == 200
    assert_accessible(tablet_page, "placements-workplace_detail")


def test_the_activity_catalogue_passes_axe(cast, live_server, tablet_page):
    ActivityType.objects.create(
        programme=cast.programme, name="Yrkessvenska", funder_category="language_course"
    )
    login(tablet_page, live_server, cast.mona)
    for name in ("activities:catalogue", "activities:catalogue_create"):
        tablet_page.goto(reverse(name))
        assert_accessible(tablet_page, name.replace(":", "-"))
    entry = ActivityType.objects.get()
    tablet_page.goto(reverse("activities:catalogue_edit", args=[entry.pk]))
    assert_accessible(tablet_page, "activities-catalogue_edit")
