"""Role × organisation × consent state × part, through every page: no leaks.

Partner A's enrollment carries one recognisable secret per part. Viewers from partner B
(staff and coordinator), from an organisation the consent does not name, and the aggregate
roles try every page of every part under every consent state. A page answers 200 and shows
its secret only when the viewer's organisation is named by an active consent covering that
part; every other combination is a 404 that shows none of the secrets.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from stegvis.access.models import Part
from stegvis.consents.models import SHAREABLE_PARTS, Consent
from stegvis.mapping import services as mapping_services
from stegvis.notes import services as note_services
from tests.plans.helpers import make_checkin, make_plan

TODAY = timezone.localdate()

SECRETS = {
    Part.MAPPING: "SECRET-MAPPING-GOAL",
    Part.SENSITIVE: "SECRET-HEALTH",
    Part.PLAN: "SECRET-PLAN-GOAL",
    Part.CHECKINS: "SECRET-CHECKIN",
    Part.NOTES: "SECRET-NOTE",
}
# Pages that show each part (``{checkin}`` and ``{mapping}`` are filled in per test).
READ_PAGES = {
    Part.OVERVIEW: ["participants:detail"],
    Part.MAPPING: ["mapping:detail", "mapping:version"],
    Part.SENSITIVE: ["mapping:sensitive"],
    Part.PLAN: ["plans:detail", "plans:print"],
    Part.CHECKINS: ["plans:checkins", "plans:checkin_detail"],
    Part.NOTES: ["notes:list"],
}
# Pages only the own organisation ever opens, whatever the consent says.
OWN_ONLY_PAGES = [
    "participants:edit",
    "participants:eligibility_check",
    "participants:log",
    "consents:list",
    "consents:create",
    "access:seen_by",
    "mapping:edit",
    "notes:create",
    "plans:checkin_create",
]
STATES = ["none", "active", "withdrawn", "expired", "not_covered"]
VIEWERS = ["bob", "bea", "otto", "amir_elsewhere", "mona", "axel"]
# Organisations a consent names in these tests: partner B's.
NAMED = {"bob", "bea"}


@pytest.fixture
def record(cast):
    """Partner A's enrollment with content in every part."""
    enrollment = cast.enrollment_a
    mapping = mapping_services.mapping_save(
        actor=cast.alice,
        enrollment=enrollment,
        draft=None,
        content=mapping_services.MappingContent(
            fields={
                "carried_out_on": datetime.date(2025, 3, 1),
                "years_of_schooling": 6,
                "education_level": "1",
                "literacy_mother_tongue": "good",
                "literacy_latin_script": "basic",
                "driving_licence": "none",
                "digital_skills": "basic",
                "goals": SECRETS[Part.MAPPING],
            },
            languages=[{"language": "ar", "level": "native"}],
            work_experience=[{"occupation": "Tailor", "country": "SY", "years": Decimal(3)}],
        ),
        complete=True,
    )
    mapping_services.sensitive_circumstances_record(
        actor=cast.alice,
        enrollment=enrollment,
        health=SECRETS[Part.SENSITIVE],
        family_situation="",
        other="",
    )
    make_plan(enrollment, goals=(SECRETS[Part.PLAN],), by=cast.alice)
    checkin = make_checkin(enrollment, by=cast.alice)
    checkin.summary = SECRETS[Part.CHECKINS]
    checkin.save()
    note_services.note_create(
        actor=cast.alice,
        enrollment=enrollment,
        date=TODAY,
        category="contact",
        text=SECRETS[Part.NOTES],
    )
    return {"mapping_id": mapping.pk, "checkin_id": checkin.pk}


def give_consent(cast, state: str, part: str) -> None:
    if state == "none":
        return
    covered = part
    if state == "not_covered":
        # Covers every other shareable part, never this one.
        parts = [p for p in SHAREABLE_PARTS if p != part and p != Part.SENSITIVE]
    else:
        parts = [covered] if covered in SHAREABLE_PARTS else [Part.PLAN]
    valid_to = TODAY + datetime.timedelta(days=90)
    if state == "expired":
        valid_to = TODAY - datetime.timedelta(days=1)
    consent = Consent.objects.create(
        enrollment=cast.enrollment_a,
        purpose="test",
        form="written",
        language="ar",
        given_on=TODAY - datetime.timedelta(days=200),
        valid_from=TODAY - datetime.timedelta(days=200),
        valid_to=valid_to,
        recorded_by=cast.alice,
        withdrawn_at=timezone.now() if state == "withdrawn" else None,
        **{SHAREABLE_PARTS[p]: True for p in parts},
    )
    consent.organisations.add(cast.partner_b.organisation)


def url(name: str, cast, ids: dict) -> str:
    pk = cast.enrollment_a.pk
    if name == "mapping:version":
        return reverse(name, args=[pk, ids["mapping_id"]])
    if name == "plans:checkin_detail":
        return reverse(name, args=[pk, ids["checkin_id"]])
    return reverse(name, args=[pk])


def viewer(cast, who: str):
    if who == "amir_elsewhere":
        # Staff of partner A's other unit: same organisation, not the enrollment's unit.
        return cast.amir
    return getattr(cast, who)


def expected_visible(who: str, state: str, part: str) -> bool:
    if who not in NAMED or state in ("none", "withdrawn", "expired"):
        return False
    if part == Part.OVERVIEW:
        return True  # any active consent lets the named organisation recognise the person
    return state == "active"


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("part", list(READ_PAGES))
@pytest.mark.parametrize("who", VIEWERS)
def test_pages_show_a_part_only_under_an_active_consent_covering_it(
    cast, client, record, who, state, part
):
    give_consent(cast, state, part)
    client.force_login(viewer(cast, who))
    visible = expected_visible(who, state, part)
    pages = []
    for name in READ_PAGES[part]:
        response = client.get(url(name, cast, record))
        content = response.content.decode()
        assert response.status_code == (200 if visible else 404), (name, who, state)
        for secret_part, secret in SECRETS.items():
            shows = visible and secret_part == part
            if not shows:
                assert secret not in content, (name, who, state, secret_part)
        pages.append(content)
    if visible and part in SECRETS:
        # The part's content is really there (on its detail page at least).
        assert any(SECRETS[part] in content for content in pages), (who, state)


@pytest.mark.parametrize("state", ["active", "not_covered"])
@pytest.mark.parametrize("who", ["bob", "bea"])
def test_a_consent_never_opens_the_own_organisations_pages(cast, client, record, who, state):
    # The widest consent: every part, taking part in the plan.
    consent = Consent.objects.create(
        enrollment=cast.enrollment_a,
        purpose="test",
        form="written",
        language="ar",
        given_on=TODAY,
        valid_from=TODAY,
        valid_to=TODAY + datetime.timedelta(days=30),
        recorded_by=cast.alice,
        takes_part_in_plan=True,
        **{field: True for field in SHAREABLE_PARTS.values()},
    )
    consent.organisations.add(cast.partner_b.organisation)
    client.force_login(getattr(cast, who))
    for name in OWN_ONLY_PAGES:
        for method in ("get", "post"):
            response = getattr(client, method)(url(name, cast, record))
            assert response.status_code == 404, (name, method)


def test_consented_readers_cannot_write_notes_or_mappings(cast, client, record):
    give_consent(cast, "active", Part.NOTES)
    client.force_login(cast.bob)
    response = client.post(
        reverse("notes:create", args=[cast.enrollment_a.pk]),
        {"date": TODAY.isoformat(), "category": "contact", "text": "from B"},
    )
    assert response.status_code == 404
    from stegvis.notes.models import Note

    assert not Note.objects.filter(text="from B").exists()
