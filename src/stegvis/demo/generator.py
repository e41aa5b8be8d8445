"""Writing the synthetic demo programme into an empty database.

``planning.plan_demo`` builds the demo as plain data; ``write_demo`` bulk-inserts it in one
transaction, bypassing the services on purpose: thousands of per-row service calls, each with
its scope lookups and audit row, would take minutes. It writes the audit rows the services
would have written for the enrollments, so the access log is not empty.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.organisations.models import (
    Membership,
    Organisation,
    Partner,
    Programme,
    Role,
    Track,
    Unit,
)
from stegvis.participants.models import EligibilityCheck, Enrollment, EnrollmentStatus, Participant
from stegvis.participants.services import name_key

from . import catalogue as cat
from .activities import write_activities
from .assessments import write_assessments
from .casework import CaseworkSummary, write_casework
from .exits import write_exits
from .languagelevels import write_language_results
from .placements import write_placements
from .plan import DemoPlan, plan_fingerprint
from .planning import plan_demo
from .targets import write_targets

BATCH_SIZE = 500


class DemoDataExists(Exception):
    """The database already holds data; the demo is only generated into an empty one."""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    role: str
    organisation: str
    unit: str

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


@dataclass(frozen=True)
class DemoSummary:
    programme: str
    code: str
    start_date: datetime.date
    end_date: datetime.date
    organisations: int
    partners: int
    units: int
    users: int
    participants: int
    enrollments: int
    active_enrollments: int
    exited_enrollments: int
    eligibility_checks: int
    access_events: int
    possible_duplicate_pairs: int
    logins: tuple[DemoLogin, ...]
    password: str = cat.PASSWORD
    casework: CaseworkSummary | None = None


def plan_logins(plan: DemoPlan) -> tuple[DemoLogin, ...]:
    names = {org.key: org.name for org in plan.organisations}
    return tuple(
        DemoLogin(
            username=user.username,
            full_name=f"{user.first_name} {user.last_name}",
            role=membership.role,
            organisation=names[membership.organisation],
            unit=membership.unit,
        )
        for user in plan.users
        for membership in user.memberships
    )


def refuse_if_not_empty(*, usernames: Sequence[str] = ()) -> None:
    """Raise DemoDataExists unless the database has no programmes, organisations or people."""
    user_model = get_user_model()
    found = [
        (label, model.objects.count())
        for label, model in (
            ("programmes", Programme),
            ("organisations", Organisation),
            ("participants", Participant),
        )
    ]
    found = [(label, count) for label, count in found if count]
    taken = list(
        user_model.objects.filter(username__in=list(usernames)).values_list("username", flat=True)
    )
    if found or taken:
        parts = [f"{count} {label}" for label, count in found]
        if taken:
            parts.append("users named " + ", ".join(sorted(taken)[:5]))
        raise DemoDataExists(
            "The database already contains data ("
            + "; ".join(parts)
            + "). The demo is only generated into an empty database: point STEGVIS_DATA_DIR "
            "or DATABASE_URL at a new one."
        )


def _bulk(model: Any, rows: list[Any]) -> list[Any]:
    created = model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    # Later rows refer to these by primary key (SQLite >= 3.35 and PostgreSQL return them).
    assert all(row.pk is not None for row in created)
    return created


@transaction.atomic
def write_demo(plan: DemoPlan, *, password_hash: str) -> DemoSummary:
    """Insert a plan into an empty database, all in one transaction."""
    refuse_if_not_empty(usernames=[user.username for user in plan.users])

    organisations = _bulk(
        Organisation,
        [
            Organisation(name=o.name, kind=o.kind, municipality=o.municipality)
            for o in plan.organisations
        ],
    )
    org_by_key = {o.key: row for o, row in zip(plan.organisations, organisations, strict=True)}
    unit_keys = [(o.key, unit) for o in plan.organisations for unit in o.units]
    units = _bulk(Unit, [Unit(organisation=org_by_key[key], name=name) for key, name in unit_keys])
    unit_by_key = dict(zip(unit_keys, units, strict=True))

    p = plan.programme
    programme = Programme.objects.create(
        name=p.name,
        code=p.code,
        fund=p.fund,
        funder_reference=p.funder_reference,
        start_date=p.start_date,
        end_date=p.end_date,
        owner=org_by_key[p.owner],
        description=p.description,
    )
    tracks = _bulk(
        Track,
        [Track(programme=programme, name=name, description=text) for name, text in plan.tracks],
    )
    track_by_name = {track.name: track for track in tracks}
    partners = _bulk(
        Partner,
        [
            Partner(
                programme=programme,
                organisation=org_by_key[partner.organisation],
                committed_participants=partner.committed,
            )
            for partner in plan.partners
        ],
    )
    partner_by_key = {
        partner.organisation: row for partner, row in zip(plan.partners, partners, strict=True)
    }
    _bulk(
        Partner.tracks.through,
        [
            Partner.tracks.through(partner_id=partner_by_key[partner.organisation].pk, track_id=t)
            for partner in plan.partners
            for t in (track_by_name[name].pk for name in partner.tracks)
        ],
    )

    user_model = get_user_model()
    joined = datetime.datetime.combine(
        p.start_date, datetime.time(9), tzinfo=timezone.get_default_timezone()
    )
    users = _bulk(
        user_model,
        [
            user_model(
                username=u.username,
                password=password_hash,
                first_name=u.first_name,
                last_name=u.last_name,
                email=u.email,
                title=u.title,
                is_staff=u.is_staff,
                is_superuser=u.is_superuser,
                date_joined=joined,
            )
            for u in plan.users
        ],
    )
    user_by_name = {user.username: user for user in users}
    _bulk(
        Membership,
        [
            Membership(
                user=user_by_name[u.username],
                unit=unit_by_key[(m.organisation, m.unit)],
                role=m.role,
            )
            for u in plan.users
            for m in u.memberships
        ],
    )

    participants = _bulk(
        Participant,
        [
            Participant(
                identity_kind=person.identity_kind,
                identity_number=person.identity_number,
                protected_identity=person.protected_identity,
                first_name=person.first_name,
                last_name=person.last_name,
                name_key=name_key(person.first_name, person.last_name),
                gender=person.gender,
                birth_date=person.birth_date,
                citizenships=",".join(person.citizenships),  # how the field stores a list
                stateless=person.stateless,
                country_of_birth=person.country_of_birth,
                year_of_arrival=person.year_of_arrival,
                municipality=person.municipality,
                mother_tongue=person.mother_tongue,
                other_languages=list(person.other_languages),
                interpreter_needed=person.interpreter_needed,
                interpreter_language=person.interpreter_language,
                years_of_schooling=person.years_of_schooling,
                education_level=person.education_level,
                labour_market_status=person.labour_market_status,
                referral_source=person.referral_source,
                created_at=person.created_at,
            )
            for person in plan.participants
        ],
    )
    enrollments = _bulk(
        Enrollment,
        [
            Enrollment(
                participant=participants[e.participant],
                programme=programme,
                partner=partner_by_key[e.partner],
                unit=unit_by_key[(e.partner, e.unit)],
                track=track_by_name[e.track],
                start_date=e.start_date,
                end_date=e.end_date,
                status=e.status,
                eligibility=e.eligibility,
                eligibility_reason=e.eligibility_reason,
                pseudonym=e.pseudonym,
                created_by=user_by_name[e.created_by],
                created_at=e.created_at,
            )
            for e in plan.enrollments
        ],
    )
    checks = _bulk(
        EligibilityCheck,
        [
            EligibilityCheck(
                enrollment=row,
                method=e.check.method,
                checked_on=e.check.checked_on,
                checked_by=user_by_name[e.check.checked_by],
                document_note=e.check.document_note,
                recorded_at=e.created_at + datetime.timedelta(minutes=5),
            )
            for e, row in zip(plan.enrollments, enrollments, strict=True)
            if e.check is not None
        ],
    )
    # The rows participant_enroll would have written (the log is append-only: inserts only).
    events = _bulk(
        AccessEvent,
        [
            AccessEvent(
                at=e.created_at,
                actor=user_by_name[e.created_by],
                actor_name=e.created_by,
                organisation_id=row.unit.organisation_id,
                action=Action.CREATE,
                part=Part.RECORD,
                participant_id=row.participant_id,
                enrollment_id=row.pk,
                object_type=Enrollment._meta.label_lower,
                object_id=str(row.pk),
                changes={"participant": "created"} if e.new_person else {},
            )
            for e, row in zip(plan.enrollments, enrollments, strict=True)
        ],
    )

    exited = sum(1 for e in plan.enrollments if e.status == EnrollmentStatus.EXITED)
    return DemoSummary(
        programme=programme.name,
        code=programme.code,
        start_date=programme.start_date,
        end_date=programme.end_date,
        organisations=len(organisations),
        partners=len(partners),
        units=len(units),
        users=len(users),
        participants=len(participants),
        enrollments=len(enrollments),
        active_enrollments=len(enrollments) - exited,
        exited_enrollments=exited,
        eligibility_checks=len(checks),
        access_events=len(events),
        possible_duplicate_pairs=plan.duplicate_pairs,
        logins=plan_logins(plan),
    )


def generate_demo(
    *, seed: int = 2026, today: datetime.date | None = None, participants: int = 2500
) -> DemoSummary:
    """Plan and write the demo programme and its casework (mappings, plans, check-ins, notes,
    consents) in one transaction; raises DemoDataExists unless the database is empty."""
    refuse_if_not_empty()  # before spending time on the plan and the password hash
    plan = plan_demo(seed=seed, today=today, participants=participants)
    with transaction.atomic():
        summary = write_demo(plan, password_hash=make_password(cat.PASSWORD))
        casework = write_casework(seed=seed, today=plan.today)
        # Each later module writes its own rows and reports the audit rows it wrote, which
        # are counted with the casework's.
        later: list[Any] = [
            write_exits(seed=seed, today=plan.today),
            write_assessments(seed=seed, today=plan.today),
            write_placements(seed=seed, today=plan.today),
            write_activities(seed=seed, today=plan.today),
            write_language_results(seed=seed, today=plan.today),
        ]
        write_targets()
    casework = replace(
        casework,
        access_events=casework.access_events + sum(part.access_events for part in later),
    )
    return replace(summary, casework=casework)


def existing_demo_logins() -> tuple[DemoLogin, ...]:
    """The logins of a demo generated earlier; nothing unless the database holds the demo."""
    if not Programme.objects.filter(code=cat.PROGRAMME_CODE).exists():
        return ()
    memberships = (
        Membership.objects.filter(is_active=True, user__is_active=True)
        .select_related("user", "unit__organisation")
        .order_by("user_id", "id")
    )
    return tuple(
        DemoLogin(
            username=m.user.username,
            full_name=m.user.get_full_name(),
            role=m.role,
            organisation=m.unit.organisation.name,
            unit=m.unit.name,
        )
        for m in memberships
    )


__all__ = [
    "DemoDataExists",
    "DemoLogin",
    "DemoPlan",
    "DemoSummary",
    "existing_demo_logins",
    "generate_demo",
    "plan_demo",
    "plan_fingerprint",
    "refuse_if_not_empty",
    "write_demo",
]
