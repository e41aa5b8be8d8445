"""Building the demo plan from a seeded random generator: pure and deterministic.

Nothing here touches the database or uses an unseeded source of randomness (pseudonyms
included), so the same seed and date always give the same plan.
"""

from __future__ import annotations

import calendar
import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from django.utils import timezone

from stegvis.organisations.models import Organisation, Role
from stegvis.participants.eligibility import EligibilityReason, compute_eligibility
from stegvis.participants.identity import luhn_check_digit
from stegvis.participants.models import EnrollmentStatus, Gender, IdentityKind
from stegvis.participants.services import PSEUDONYM_ALPHABET

from . import catalogue as cat
from .plan import (
    CheckPlan,
    DemoPlan,
    EnrollmentPlan,
    MembershipPlan,
    OrganisationPlan,
    ParticipantPlan,
    PartnerPlan,
    ProgrammePlan,
    UserPlan,
)

T = TypeVar("T")


def _add_months(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _pick(rng: random.Random, pairs: Sequence[tuple[T, float]]) -> T:
    return rng.choices([value for value, _ in pairs], [weight for _, weight in pairs])[0]


def _pick_in_range(rng: random.Random, ranges: Sequence[tuple[int, int, float]]) -> int:
    low, high = _pick(rng, [((low, high), weight) for low, high, weight in ranges])
    return rng.randint(low, high)


def _education_level(rng: random.Random, years: int) -> str:
    """An ISCED level that fits the years of schooling (typical, not exact, school systems)."""
    if years == 0:
        return "0"
    if years <= 6:
        return "1"
    if years <= 9:
        return "2"
    if years <= 11:
        return rng.choice(("2", "3"))
    if years == 12:
        return "3"
    if years == 13:
        return rng.choice(("3", "4"))
    if years == 14:
        return rng.choice(("4", "5"))
    if years == 15:
        return rng.choice(("5", "6"))
    if years <= 17:
        return rng.choice(("6", "6", "7"))
    return rng.choice(("7", "7", "7", "8"))


@dataclass
class _Intake:
    """One enrollment before its person exists."""

    spec: cat.PartnerSpec
    unit: str
    track: str
    start: datetime.date
    end: datetime.date | None
    created_by: str
    created_at: datetime.datetime


@dataclass
class _Person:
    plan: ParticipantPlan
    intakes: list[_Intake]
    kind: str
    origin: str


class _Planner:
    def __init__(self, rng: random.Random, today: datetime.date) -> None:
        self.rng = rng
        self.today = today
        self.yesterday = today - datetime.timedelta(days=1)
        self.tz = timezone.get_default_timezone()
        self.start = _add_months(today.replace(day=1), -33)
        end_month = _add_months(today.replace(day=1), 6)
        self.end = end_month.replace(day=calendar.monthrange(end_month.year, end_month.month)[1])
        # Intake begins a few weeks into the programme; enrollments start before today so that
        # their creation time is never in the future.
        self.intake_start = self.start + datetime.timedelta(days=45)
        self.used_numbers: set[str] = set()
        self.used_pseudonyms: set[str] = set()
        self.used_staff_names: set[tuple[str, str]] = set()
        self.unit_staff: dict[tuple[str, str], list[str]] = {}
        self.partner_weights = [spec.committed * rng.uniform(0.8, 1.25) for spec in cat.PARTNERS]
        # Each partner's own mix of origins, so local lists differ as they do in reality.
        self.origin_weights = {
            spec.slug: [origin.weight * rng.uniform(0.6, 1.6) for origin in cat.ORIGINS.values()]
            for spec in cat.PARTNERS
        }

    # organisations and users

    def organisations(self) -> tuple[OrganisationPlan, ...]:
        owner = OrganisationPlan(
            cat.OWNER_SLUG,
            cat.OWNER_NAME,
            Organisation.Kind.REGION,
            "Göteborg",
            (cat.OWNER_UNIT,),
        )
        partners = [
            OrganisationPlan(spec.slug, spec.name, spec.kind, spec.municipality, spec.units)
            for spec in cat.PARTNERS
        ]
        external = [
            OrganisationPlan(slug, name, kind, municipality, (unit,))
            for slug, name, kind, municipality, unit in cat.EXTERNAL_ORGANISATIONS
        ]
        return (owner, *partners, *external)

    def _staff_name(self) -> tuple[str, str]:
        # Mostly Swedish names, some staff (language supporters, teachers) with other roots.
        group = cat.NAME_GROUPS[
            "swedish" if self.rng.random() < 0.8 else self.rng.choice(("arabic", "dari", "somali"))
        ]
        while True:
            first = self.rng.choice(group.women if self.rng.random() < 0.7 else group.men)
            name = (first, self.rng.choice(group.surnames))
            if name not in self.used_staff_names:
                self.used_staff_names.add(name)
                return name

    def _user(
        self, username: str, title: str, memberships: Sequence[MembershipPlan], **flags: bool
    ) -> UserPlan:
        first, last = self._staff_name()
        for membership in memberships:
            if membership.role == Role.STAFF:
                key = (membership.organisation, membership.unit)
                self.unit_staff.setdefault(key, []).append(username)
        return UserPlan(username, first, last, title, tuple(memberships), **flags)

    def users(self) -> tuple[UserPlan, ...]:
        owner = cat.OWNER_SLUG, cat.OWNER_UNIT
        users = [
            self._user(
                "admin",
                "Systemförvaltare",
                [MembershipPlan(*owner, Role.ADMINISTRATOR.value)],
                is_staff=True,
                is_superuser=True,
            ),
            self._user(
                "programledare",
                "Projektledare",
                [MembershipPlan(*owner, Role.PROGRAMME_MANAGER.value)],
            ),
            self._user("analytiker", "Analytiker", [MembershipPlan(*owner, Role.ANALYST.value)]),
        ]
        for spec in cat.PARTNERS:
            users.append(
                self._user(
                    f"samordnare.{spec.slug}",
                    "Lokal projektledare",
                    [MembershipPlan(spec.slug, spec.units[0], Role.COORDINATOR.value)],
                )
            )
            # One staff member per unit, a second in the first unit of the large partners.
            staff_units = list(spec.units)
            if spec.committed >= 200:
                staff_units.append(spec.units[0])
            for number, unit in enumerate(staff_units, start=1):
                titles = cat.STAFF_TITLES.get(unit, cat.DEFAULT_STAFF_TITLES)
                users.append(
                    self._user(
                        f"personal.{spec.slug}.{number}",
                        self.rng.choice(titles),
                        [MembershipPlan(spec.slug, unit, Role.STAFF.value)],
                    )
                )
        for slug, _name, _kind, _municipality, unit in cat.EXTERNAL_ORGANISATIONS:
            users.append(
                self._user(
                    f"personal.{slug}",
                    "Handläggare",
                    [MembershipPlan(slug, unit, Role.STAFF.value)],
                )
            )
        return tuple(users)

    # enrollments

    def _created_at(self, day: datetime.date) -> datetime.datetime:
        moment = datetime.time(self.rng.randint(8, 16), self.rng.randint(0, 59))
        return datetime.datetime.combine(day, moment, tzinfo=self.tz)

    def start_date(
        self, earliest: datetime.date | None = None, latest: datetime.date | None = None
    ) -> datetime.date:
        earliest = max(earliest or self.intake_start, self.intake_start)
        latest = min(latest or self.yesterday, self.yesterday)
        span = max((latest - earliest).days, 0)
        # Slow ramp-up and a thinner intake at the very end, like a real programme.
        return earliest + datetime.timedelta(days=int(self.rng.betavariate(1.4, 1.2) * span))

    def end_date(self, start: datetime.date) -> datetime.date | None:
        # About a fifth leave early (moved, parental leave, a quick job); most stay 6–18 months.
        # Tuned so that a little over half of all enrollments have exited near the end.
        if self.rng.random() < 0.2:
            days = self.rng.randint(20, 120)
        else:
            days = 100 + int(self.rng.gammavariate(2.0, 210))
        end = start + datetime.timedelta(days=days)
        return end if end <= self.yesterday else None

    def intake(
        self,
        spec: cat.PartnerSpec,
        start: datetime.date,
        end: datetime.date | None,
    ) -> _Intake:
        unit = self.rng.choice(spec.units)
        return _Intake(
            spec=spec,
            unit=unit,
            track=self.rng.choice(spec.tracks),
            start=start,
            end=end,
            created_by=self.rng.choice(self.unit_staff[(spec.slug, unit)]),
            created_at=self._created_at(start),
        )

    def assign_partners(self, count: int) -> list[cat.PartnerSpec]:
        """Partners for ``count`` first enrollments, in proportion to the weights.

        Exact quotas (largest remainder) rather than independent draws, so each partner ends
        at 80–125 % of its commitment, as partners do in real final reports.
        """
        total = sum(self.partner_weights)
        shares = [weight * count / total for weight in self.partner_weights]
        quotas = [int(share) for share in shares]
        by_remainder = sorted(
            range(len(shares)), key=lambda i: quotas[i] - shares[i]
        )  # largest remainder first; ties keep catalogue order
        for i in by_remainder[: count - sum(quotas)]:
            quotas[i] += 1
        assigned = [
            spec for spec, quota in zip(cat.PARTNERS, quotas, strict=True) for _ in range(quota)
        ]
        self.rng.shuffle(assigned)
        return assigned

    def partner(self, *, other_than: cat.PartnerSpec | None = None) -> cat.PartnerSpec:
        while True:
            spec = self.rng.choices(cat.PARTNERS, self.partner_weights)[0]
            if spec is not other_than:
                return spec

    def intakes(self, spec: cat.PartnerSpec, kind: str) -> list[_Intake]:
        if kind == "second":
            # An earlier, exited enrollment; then again at the same partner or after a move.
            first_start = self.start_date(latest=self.yesterday - datetime.timedelta(days=150))
            first_end = min(
                first_start + datetime.timedelta(days=self.rng.randint(30, 300)),
                self.yesterday - datetime.timedelta(days=90),
            )
            first_end = max(first_end, first_start)
            second_start = self.start_date(
                earliest=first_end + datetime.timedelta(days=14),
                latest=first_end + datetime.timedelta(days=200),
            )
            second_spec = spec if self.rng.random() < 0.4 else self.partner(other_than=spec)
            return [
                self.intake(spec, first_start, first_end),
                self.intake(second_spec, second_start, self.end_date(second_start)),
            ]
        if kind == "unknown":
            # Citizenship not yet recorded: typically someone enrolled in the last weeks.
            start = self.start_date(earliest=self.yesterday - datetime.timedelta(days=60))
            return [self.intake(spec, start, None)]
        start = self.start_date()
        if kind == "ineligible":
            # Found not to be a third-country national: exited soon after enrolling.
            end = start + datetime.timedelta(days=self.rng.randint(5, 45))
            return [self.intake(spec, start, end if end <= self.yesterday else None)]
        return [self.intake(spec, start, self.end_date(start))]

    # people

    def _identity_number(self, birth: datetime.date, gender: str, kind: str) -> str:
        day = birth.day + (60 if kind == IdentityKind.SAMORDNINGSNUMMER else 0)
        yymmdd = f"{birth.year % 100:02d}{birth.month:02d}{day:02d}"
        # The third serial digit is odd for men and even for women.
        digits: tuple[int, ...]
        if gender == Gender.MAN:
            digits = (1, 3, 5, 7, 9)
        elif gender == Gender.WOMAN:
            digits = (0, 2, 4, 6, 8)
        else:
            digits = tuple(range(10))
        while True:
            serial = f"{self.rng.randint(0, 99):02d}{self.rng.choice(digits)}"
            check = luhn_check_digit(yymmdd + serial)
            number = f"{birth.year:04d}{birth.month:02d}{day:02d}{serial}{check}"
            if number not in self.used_numbers:
                self.used_numbers.add(number)
                return number

    def pseudonym(self) -> str:
        while True:
            code = "D-" + "".join(self.rng.choice(PSEUDONYM_ALPHABET) for _ in range(8))
            if code not in self.used_pseudonyms:
                self.used_pseudonyms.add(code)
                return code

    def _birth_date(self, start: datetime.date, max_age: int) -> datetime.date:
        bands = [(low, min(high, max_age), w) for low, high, w in cat.AGE_BANDS if low <= max_age]
        age = _pick_in_range(self.rng, bands)
        latest = _years_before(start, age)
        earliest = _years_before(start, age + 1) + datetime.timedelta(days=1)
        return earliest + datetime.timedelta(days=self.rng.randint(0, (latest - earliest).days))

    def person(self, intakes: list[_Intake], kind: str, template: _Person | None = None) -> _Person:
        rng = self.rng
        first, last = intakes[0], intakes[-1]
        spec = first.spec
        if template is not None:
            origin_key = template.origin
        else:
            origin_key = rng.choices(list(cat.ORIGINS), self.origin_weights[spec.slug])[0]
        origin = cat.ORIGINS[origin_key]

        if template is not None:
            same = template.plan
            gender, birth = same.gender, same.birth_date
            first_name, last_name = same.first_name, same.last_name
            mother_tongue, country_of_birth = same.mother_tongue, same.country_of_birth
        else:
            share = min(0.95, spec.women_share + origin.women_bias)
            if rng.random() < 0.004:
                gender = rng.choice((Gender.NOT_STATED, Gender.NOT_STATED, Gender.OTHER))
            else:
                gender = Gender.WOMAN if rng.random() < share else Gender.MAN
            # People with two enrollments must stay within 19–64 at the later one too.
            birth = self._birth_date(first.start, 61 if kind == "second" else 64)
            mother_tongue, group_key = _pick(
                rng, [((code, group), w) for code, group, w in origin.languages]
            )
            group = cat.NAME_GROUPS[group_key]
            is_woman = gender == Gender.WOMAN or (gender != Gender.MAN and rng.random() < 0.5)
            first_name = rng.choice(group.women if is_woman else group.men)
            if group_key == "thai" and is_woman and rng.random() < 0.4:
                # Often married in Sweden and carrying a Swedish surname.
                last_name = rng.choice(cat.NAME_GROUPS["swedish"].surnames)
            else:
                last_name = rng.choice(group.surnames)
            country_of_birth = _pick(rng, origin.birth_countries)

        stateless = origin.citizenship is None
        citizenships: tuple[str, ...] = () if stateless else (str(origin.citizenship),)
        arrival_choice = _pick_in_range(rng, origin.arrival)
        if kind == "ineligible":
            stateless = False
            if rng.random() < 0.7:
                # Naturalised: Swedish citizenship takes years, so they came early.
                citizenships = ("SE", *citizenships) if rng.random() < 0.5 else ("SE",)
                arrival_choice = rng.randint(2010, 2015)
            else:
                citizenships = (rng.choice(cat.EU_CITIZENSHIPS),)
        elif kind == "unknown":
            citizenships, stateless = (), False
        # Arrived as an adult (or at least a teenager), and before enrolling.
        year_of_arrival: int | None = min(
            max(arrival_choice, birth.year + 16, 2010), first.start.year
        )
        if kind == "unknown" and rng.random() < 0.5:
            year_of_arrival = None
        years_in_sweden = first.start.year - (year_of_arrival or first.start.year)

        years: int | None = None
        education = "unknown"
        if rng.random() >= 0.03:
            years = _pick_in_range(rng, cat.SCHOOLING_PROFILES[origin.schooling])
            education = _education_level(rng, years)
        if years is None:
            need = 0.4
        else:
            need = 0.75 if years <= 5 else 0.45 if years <= 9 else 0.25 if years <= 12 else 0.1
        need = max(0.05, need - 0.03 * years_in_sweden)
        interpreter = rng.random() < need
        others = [
            code
            for code, chance in origin.other_languages
            if code != mother_tongue and rng.random() < chance
        ]
        if rng.random() < min(0.7, 0.08 * years_in_sweden):
            others.append("sv")

        status_weights = list(cat.LABOUR_MARKET_WEIGHTS)
        if first.track == cat.HEALTH_PARENTING:
            status_weights.append(("inactive", 30))  # many are at home with small children

        if kind in {"copy", "unknown"}:
            identity_kind = rng.choice((IdentityKind.SAMORDNINGSNUMMER, IdentityKind.NONE))
        elif kind == "ineligible":
            identity_kind = IdentityKind.PERSONNUMMER
        else:
            identity_kind = _pick(
                rng,
                [
                    (IdentityKind.PERSONNUMMER, 85),
                    (IdentityKind.SAMORDNINGSNUMMER, 8),
                    (IdentityKind.NONE, 7),
                ],
            )
        identity_number = None
        if identity_kind != IdentityKind.NONE:
            identity_number = self._identity_number(birth, gender, identity_kind)

        # Where they live now: the last partner's municipality, sometimes a neighbour's.
        municipality = last.spec.municipality
        if last.spec.neighbours and rng.random() < 0.15:
            municipality = rng.choice(last.spec.neighbours)

        plan = ParticipantPlan(
            identity_kind=str(identity_kind),
            identity_number=identity_number,
            protected_identity=False,
            first_name=first_name,
            last_name=last_name,
            gender=str(gender),
            birth_date=birth,
            citizenships=citizenships,
            stateless=stateless,
            country_of_birth=country_of_birth,
            year_of_arrival=year_of_arrival,
            municipality=municipality,
            mother_tongue=mother_tongue,
            other_languages=tuple(others),
            interpreter_needed=interpreter,
            interpreter_language=mother_tongue if interpreter else "",
            years_of_schooling=years,
            education_level=education,
            labour_market_status=_pick(rng, status_weights),
            referral_source=_pick(rng, cat.REFERRAL_WEIGHTS[spec.kind]),
            created_at=first.created_at,
        )
        return _Person(plan, intakes, kind, origin_key)

    def _check(self, intake: _Intake, person: ParticipantPlan, reason: str) -> CheckPlan | None:
        rng = self.rng
        if reason == EligibilityReason.NO_CITIZENSHIP or rng.random() >= 0.91:
            return None
        note = ""
        if reason == EligibilityReason.SWEDISH_CITIZEN:
            method = rng.choice(("population_register", "passport"))
        elif reason == EligibilityReason.EU_EEA_CH_CITIZEN:
            method = "passport"
        else:
            method = _pick(rng, cat.CHECK_METHODS)
        if method == "residence_permit_card":
            if person.citizenships == ("UA",):
                note = "Uppehållstillstånd enligt massflyktsdirektivet"
            elif rng.random() < 0.4:
                until = _add_months(intake.start, rng.randint(6, 36))
                note = f"Tidsbegränsat uppehållstillstånd t.o.m. {until:%Y-%m}"
            elif rng.random() < 0.5:
                note = "Permanent uppehållstillstånd"
        elif method == "lma_card":
            note = "Asylsökande"
        return CheckPlan(method, intake.start, intake.created_by, note)

    def enrollments(self, index: int, person: _Person) -> list[EnrollmentPlan]:
        result = compute_eligibility(person.plan.citizenships, stateless=person.plan.stateless)
        plans = []
        for number, intake in enumerate(person.intakes):
            plans.append(
                EnrollmentPlan(
                    participant=index,
                    partner=intake.spec.slug,
                    unit=intake.unit,
                    track=intake.track,
                    start_date=intake.start,
                    end_date=intake.end,
                    status=(
                        EnrollmentStatus.EXITED if intake.end else EnrollmentStatus.ACTIVE
                    ).value,
                    eligibility=str(result.status),
                    eligibility_reason=str(result.reason),
                    pseudonym=self.pseudonym(),
                    created_by=intake.created_by,
                    created_at=intake.created_at,
                    new_person=number == 0,
                    check=self._check(intake, person.plan, str(result.reason)),
                )
            )
        return plans


def plan_demo(
    *, seed: int = 2026, today: datetime.date | None = None, participants: int = 2500
) -> DemoPlan:
    """Everything the demo will contain, as plain data; pure and deterministic."""
    if participants < 10:
        raise ValueError("The demo needs at least 10 participants.")
    today = today or timezone.localdate()
    rng = random.Random(seed)
    planner = _Planner(rng, today)
    organisations = planner.organisations()
    users = planner.users()

    # Fixed numbers of the rare kinds, so small demos still show each of them.
    duplicates = max(2, participants // 400) if participants >= 20 else 0
    sizes = {
        "second": max(1, round(participants * 0.03)),
        "ineligible": max(1, round(participants * 0.02)),
        "unknown": max(1, round(participants * 0.01)),
    }
    order = rng.sample(range(participants), participants)
    kinds = ["regular"] * participants
    position = duplicates  # the first `duplicates` of `order` are generated as copies below
    for kind, size in sizes.items():
        for index in order[position : position + size]:
            kinds[index] = kind
        position += size
    copies = order[:duplicates]
    is_copy = [False] * participants
    for index in copies:
        is_copy[index] = True

    partners = iter(planner.assign_partners(participants - duplicates))
    people: list[_Person] = []
    for index in range(participants):
        if not is_copy[index]:
            intakes = planner.intakes(next(partners), kinds[index])
            people.append(planner.person(intakes, kinds[index]))

    # Possible duplicates: the same name and birth date registered again through another
    # partner, without the personnummer (as happens when a person is first known by LMA card).
    candidates = [
        person
        for person in people
        if person.kind == "regular"
        and person.plan.identity_kind == IdentityKind.PERSONNUMMER
        and 22 <= _age(person.plan.birth_date, person.intakes[0].start) <= 61
    ]
    for original in rng.sample(candidates, min(duplicates, len(candidates))):
        spec = planner.partner(other_than=original.intakes[0].spec)
        start = planner.start_date()
        intakes = [planner.intake(spec, start, planner.end_date(start))]
        people.append(planner.person(intakes, "copy", template=original))
    copies_made = len(people) - (participants - duplicates)

    # Protected identities among ordinary people with a personnummer.
    protectable = [
        person
        for person in people
        if person.kind == "regular" and person.plan.identity_kind == IdentityKind.PERSONNUMMER
    ]
    for person in rng.sample(protectable, max(1, round(participants * 0.005))):
        person.plan = replace(person.plan, protected_identity=True)

    # Rows in the order they were created, as a real database would have them.
    people.sort(key=lambda person: person.plan.created_at)
    enrollments: list[EnrollmentPlan] = []
    for index, person in enumerate(people):
        enrollments.extend(planner.enrollments(index, person))
    enrollments.sort(key=lambda enrollment: enrollment.created_at)

    return DemoPlan(
        seed=seed,
        today=today,
        programme=ProgrammePlan(
            name=cat.PROGRAMME_NAME,
            code=cat.PROGRAMME_CODE,
            fund=str(cat.PROGRAMME_FUND),
            funder_reference=f"{planner.start.year}/DEMO-{rng.randint(1000, 9999)}",
            start_date=planner.start,
            end_date=planner.end,
            owner=cat.OWNER_SLUG,
            description=cat.PROGRAMME_DESCRIPTION,
        ),
        tracks=cat.TRACKS,
        organisations=organisations,
        partners=tuple(
            PartnerPlan(spec.slug, spec.tracks, spec.committed) for spec in cat.PARTNERS
        ),
        users=users,
        participants=tuple(person.plan for person in people),
        enrollments=tuple(enrollments),
        duplicate_pairs=copies_made,
    )


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
