"""The demo programme as plain, frozen data: what ``planning`` builds and ``generator`` writes.

References between rows are keys (organisation slugs, unit names, usernames, list indexes),
never database ids, so a plan can be built, compared and fingerprinted without a database.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from . import catalogue as cat


@dataclass(frozen=True)
class ProgrammePlan:
    name: str
    code: str
    fund: str
    funder_reference: str
    start_date: datetime.date
    end_date: datetime.date
    owner: str  # organisation key
    description: str


@dataclass(frozen=True)
class OrganisationPlan:
    key: str
    name: str
    kind: str
    municipality: str
    units: tuple[str, ...]


@dataclass(frozen=True)
class PartnerPlan:
    organisation: str
    tracks: tuple[str, ...]
    committed: int | None


@dataclass(frozen=True)
class MembershipPlan:
    organisation: str
    unit: str
    role: str


@dataclass(frozen=True)
class UserPlan:
    username: str
    first_name: str
    last_name: str
    title: str
    memberships: tuple[MembershipPlan, ...]
    is_staff: bool = False
    is_superuser: bool = False

    @property
    def email(self) -> str:
        return f"{self.username}@{cat.EMAIL_DOMAIN}"


@dataclass(frozen=True)
class ParticipantPlan:
    identity_kind: str
    identity_number: str | None
    protected_identity: bool
    first_name: str
    last_name: str
    gender: str
    birth_date: datetime.date
    citizenships: tuple[str, ...]
    stateless: bool
    country_of_birth: str
    year_of_arrival: int | None
    municipality: str
    mother_tongue: str
    other_languages: tuple[str, ...]
    interpreter_needed: bool
    interpreter_language: str
    years_of_schooling: int | None
    education_level: str
    labour_market_status: str
    referral_source: str
    created_at: datetime.datetime


@dataclass(frozen=True)
class CheckPlan:
    method: str
    checked_on: datetime.date
    checked_by: str  # username
    document_note: str


@dataclass(frozen=True)
class EnrollmentPlan:
    participant: int  # index into DemoPlan.participants
    partner: str  # organisation key
    unit: str
    track: str
    start_date: datetime.date
    end_date: datetime.date | None
    status: str
    eligibility: str
    eligibility_reason: str
    pseudonym: str
    created_by: str  # username
    created_at: datetime.datetime
    new_person: bool  # the person was created with this enrollment
    check: CheckPlan | None


@dataclass(frozen=True)
class DemoPlan:
    seed: int
    today: datetime.date
    programme: ProgrammePlan
    tracks: tuple[tuple[str, str], ...]
    organisations: tuple[OrganisationPlan, ...]
    partners: tuple[PartnerPlan, ...]
    users: tuple[UserPlan, ...]
    participants: tuple[ParticipantPlan, ...]
    enrollments: tuple[EnrollmentPlan, ...]
    duplicate_pairs: int


def plan_fingerprint(plan: DemoPlan) -> str:
    """A short hash of everything in the plan, to compare two runs."""
    return hashlib.sha256(repr(plan).encode()).hexdigest()[:16]
