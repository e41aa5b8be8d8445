"""The fixed cast every test can use.

Programme "Broar" owned by the Region. Partner A (Alfa kommun: units Vuxenutbildningen and
AME) and partner B (Beta folkhögskola). Alice is staff at A's Vuxenutbildningen, Anna
coordinates A; Bob is staff at B, Bea coordinates B. Mona manages the programme, Axel is an
analyst. Otto is staff at Gamma, which is in another programme: he must see nothing.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from stegvis.consents.models import Consent
from stegvis.organisations.models import Organisation, Role
from tests import factories as f

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _source_language():
    """Every test starts in English, the source language, whatever an earlier test activated.

    Django keeps the active language per thread, and a request through the test client leaves
    its language active; without this, results would depend on which tests ran before on the
    same worker. Tests of Swedish output override the language themselves.
    """
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """No counters (the API's request budget) carry over from an earlier test's users."""
    cache.clear()


@dataclass
class Cast:
    programme: object
    other_programme: object
    track: object
    region: object
    partner_a: object
    partner_b: object
    unit_a: object
    unit_a2: object
    unit_b: object
    alice: object  # staff, A / Vuxenutbildningen
    anna: object  # coordinator, A
    amir: object  # staff, A / AME
    bob: object  # staff, B
    bea: object  # coordinator, B
    mona: object  # programme manager
    axel: object  # analyst
    otto: object  # outsider: staff in another programme
    enrollment_a: object  # in A / Vuxenutbildningen
    enrollment_a2: object  # in A / AME
    enrollment_b: object  # in B


@pytest.fixture
def cast(db) -> Cast:
    region = f.OrganisationFactory(name="Regionen", kind=Organisation.Kind.REGION)
    region_unit = f.UnitFactory(organisation=region, name="Programkontoret")
    programme = f.ProgrammeFactory(name="Broar", code="broar", owner=region)
    track = f.TrackFactory(programme=programme, name="Jobbspår")
    org_a = f.OrganisationFactory(name="Alfa kommun")
    org_b = f.OrganisationFactory(name="Beta folkhögskola", kind=Organisation.Kind.FOLK_HIGH_SCHOOL)
    partner_a = f.PartnerFactory(programme=programme, organisation=org_a)
    partner_b = f.PartnerFactory(programme=programme, organisation=org_b)
    unit_a = f.UnitFactory(organisation=org_a, name="Vuxenutbildningen")
    unit_a2 = f.UnitFactory(organisation=org_a, name="Arbetsmarknadsenheten")
    unit_b = f.UnitFactory(organisation=org_b, name="Etableringskursen")

    other_programme = f.ProgrammeFactory(name="Annat", code="annat", owner=region)
    org_c = f.OrganisationFactory(name="Gamma kommun")
    f.PartnerFactory(programme=other_programme, organisation=org_c)
    unit_c = f.UnitFactory(organisation=org_c, name="Vuxenutbildningen")

    def member(username: str, unit: object, role: str, first: str) -> object:
        user = f.UserFactory(username=username, first_name=first, last_name="Testsson")
        f.MembershipFactory(user=user, unit=unit, role=role)
        return user

    alice = member("alice", unit_a, Role.STAFF, "Alice")
    anna = member("anna", unit_a, Role.COORDINATOR, "Anna")
    amir = member("amir", unit_a2, Role.STAFF, "Amir")
    bob = member("bob", unit_b, Role.STAFF, "Bob")
    bea = member("bea", unit_b, Role.COORDINATOR, "Bea")
    mona = member("mona", region_unit, Role.PROGRAMME_MANAGER, "Mona")
    axel = member("axel", region_unit, Role.ANALYST, "Axel")
    otto = member("otto", unit_c, Role.STAFF, "Otto")

    enrollment_a = f.EnrollmentFactory(
        partner=partner_a,
        unit=unit_a,
        track=track,
        participant=f.ParticipantFactory(first_name="Layla", last_name="Karimi", gender="woman"),
    )
    enrollment_a2 = f.EnrollmentFactory(
        partner=partner_a,
        unit=unit_a2,
        participant=f.ParticipantFactory(first_name="Hassan", last_name="Omar"),
    )
    enrollment_b = f.EnrollmentFactory(
        partner=partner_b,
        unit=unit_b,
        participant=f.ParticipantFactory(first_name="Senait", last_name="Tesfay", gender="woman"),
    )
    return Cast(
        programme=programme,
        other_programme=other_programme,
        track=track,
        region=region,
        partner_a=partner_a,
        partner_b=partner_b,
        unit_a=unit_a,
        unit_a2=unit_a2,
        unit_b=unit_b,
        alice=alice,
        anna=anna,
        amir=amir,
        bob=bob,
        bea=bea,
        mona=mona,
        axel=axel,
        otto=otto,
        enrollment_a=enrollment_a,
        enrollment_a2=enrollment_a2,
        enrollment_b=enrollment_b,
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _allow_test_database_flush():
    """Transactional tests flush the database afterwards; the access log refuses that otherwise.

    Tests of the append-only guarantee switch this off for themselves (see tests/access).
    """
    from stegvis.access.purge import set_purge_allowed

    set_purge_allowed(True)
    yield
    set_purge_allowed(False)


@pytest.fixture
def share(cast):
    """share(covers_mapping=True, ...): an active consent of enrollment_a naming partner B."""

    def make(enrollment=None, *, organisation=None, **covers) -> Consent:
        today = timezone.localdate()
        consent = Consent.objects.create(
            enrollment=enrollment or cast.enrollment_a,
            purpose="Samverkan kring praktik",
            form="written",
            language="ar",
            given_on=today - datetime.timedelta(days=10),
            valid_from=today - datetime.timedelta(days=10),
            valid_to=today + datetime.timedelta(days=365),
            recorded_by=cast.alice,
            **covers,
        )
        consent.organisations.add(organisation or cast.partner_b.organisation)
        return consent

    return make
