"""factory_boy factories for the fixed cast and ad-hoc data."""

from __future__ import annotations

import datetime
import itertools

import factory

from stegvis.accounts.models import User
from stegvis.organisations.models import (
    Membership,
    Organisation,
    Partner,
    Programme,
    Role,
    Track,
    Unit,
)
from stegvis.participants.eligibility import compute_eligibility
from stegvis.participants.identity import luhn_check_digit
from stegvis.participants.models import Enrollment, Gender, IdentityKind, Participant
from stegvis.participants.services import name_key

_serials = itertools.count(100)


def personnummer(birth: datetime.date, serial: int | None = None) -> str:
    """A valid twelve-digit personnummer for a birth date (synthetic)."""
    serial = next(_serials) % 1000 if serial is None else serial
    nine = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}{serial:03d}{luhn_check_digit(nine)}"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.MUNICIPALITY
    municipality = "Lerum"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    code = factory.Sequence(lambda n: f"programme-{n}")
    fund = Programme.Fund.AMIF
    start_date = datetime.date(2024, 1, 1)
    end_date = datetime.date(2027, 6, 30)
    owner = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.REGION)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Track {n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    committed_participants = 45


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Unit {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.django.Password("correct horse battery staple")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.STAFF


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    first_name = factory.Sequence(lambda n: f"Amir{n}")
    last_name = "Haddad"
    gender = Gender.MAN
    birth_date = datetime.date(1985, 3, 14)
    identity_kind = IdentityKind.PERSONNUMMER
    identity_number = factory.LazyAttribute(lambda o: personnummer(o.birth_date))
    citizenships = ["SY"]
    country_of_birth = "SY"
    name_key = factory.LazyAttribute(lambda o: name_key(o.first_name, o.last_name))


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    participant = factory.SubFactory(ParticipantFactory)
    partner = factory.SubFactory(PartnerFactory)
    programme = factory.LazyAttribute(lambda o: o.partner.programme)
    unit = factory.SubFactory(
        UnitFactory, organisation=factory.SelfAttribute("..partner.organisation")
    )
    start_date = datetime.date(2025, 2, 1)
    pseudonym = factory.Sequence(lambda n: f"D-T{n:07d}")
    eligibility = factory.LazyAttribute(
        lambda o: (
            compute_eligibility(
                o.participant.citizenships, stateless=o.participant.stateless
            ).status
        )
    )
    eligibility_reason = factory.LazyAttribute(
        lambda o: (
            compute_eligibility(
                o.participant.citizenships, stateless=o.participant.stateless
            ).reason
        )
    )
