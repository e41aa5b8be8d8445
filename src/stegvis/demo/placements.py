"""Internships and drop-in visits for the demo programme.

About 150 invented workplaces (invented names, valid generated organisation numbers, some of
them sole traders), internships for roughly one enrollment in seven, with one to three
follow-up visits each and outcomes where the internship is over: about half ended, a quarter
turned into a job (mostly with wage subsidy or as an introduction job), some extended. Drop-in
days twice a week at the partners' units, with anonymous counts per topic and now and then a
registered participant.

Deterministic: one ``random.Random`` per seed, everything read back from the database in pk
order. Bulk-inserted, with the audit rows the services would have written. Call inside the
demo's transaction, after the enrollments exist.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.utils import timezone

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.dropin.models import DropInVisit, Topic
from stegvis.organisations.models import Membership, Partner, Programme, Role
from stegvis.participants.eligibility import Eligibility
from stegvis.participants.models import Enrollment
from stegvis.placements.models import (
    EmploymentSupport,
    LanguageSupport,
    Outcome,
    Placement,
    PlacementVisit,
    Sector,
    Workplace,
)
from stegvis.placements.orgnumber import with_check_digit

T = TypeVar("T")

BATCH_SIZE = 500
WORKPLACES_PER_PROGRAMME = 150
PLACEMENT_SHARE = 0.14
DROPIN_WEEKS = 26

# Invented names: a word that sounds like a place or a family, and a kind of business.
_NAME_WORDS = (
    "Linden", "Björken", "Ekbacken", "Solrosen", "Granen", "Åsen", "Dalen", "Forsen",
    "Hagen", "Kullen", "Lärkan", "Måsen", "Norrby", "Sjövik", "Tallåsen", "Udden",
    "Vassen", "Älvkanten", "Östergården", "Bergsvik", "Strandängen", "Ljungen", "Mossen",
    "Rosengården", "Sandvik", "Tranan", "Vallmon", "Kastanjen", "Lönnen", "Ängen",
)  # fmt: skip
_BUSINESSES: tuple[tuple[Sector, str, str], ...] = (
    # sector, kind of business (the name), tasks
    (Sector.PRIVATE, "Bageri AB", "Bakning, disk och försäljning i butiken"),
    (Sector.PRIVATE, "Restaurang", "Förberedelser i köket, disk och servering"),
    (Sector.PRIVATE, "Bygg AB", "Rivning, bärhjälp och enklare snickeri"),
    (Sector.PRIVATE, "Städservice AB", "Kontorsstädning och fönsterputs"),
    (Sector.PRIVATE, "Livs", "Varupåfyllning, kassa och kundservice"),
    (Sector.PRIVATE, "Bil & Däck", "Däckbyten och tvätt av bilar"),
    (Sector.PRIVATE, "Lager & Logistik AB", "Plock, pack och truckkörning"),
    (Sector.PRIVATE, "Trädgård", "Plantering, ogräsrensning och skötsel av grönytor"),
    (Sector.PRIVATE, "Hotell", "Städning av rum, frukostservering och tvätt"),
    (Sector.MUNICIPAL, "förskola", "Barngrupp, måltider och utevistelse"),
    (Sector.MUNICIPAL, "äldreboende", "Omvårdnad, måltider och aktiviteter med de boende"),
    (Sector.MUNICIPAL, "hemtjänst", "Hembesök, inköp och städning tillsammans med personal"),
    (Sector.MUNICIPAL, "skolkök", "Matlagning och disk i storkök"),
    (Sector.REGION, "vårdcentral", "Reception, sterilteknik och förråd"),
    (Sector.STATE, "kontor", "Arkiv, post och reception"),
    (Sector.NON_PROFIT, "second hand", "Sortering, prissättning och försäljning"),
    (Sector.NON_PROFIT, "idrottsförening", "Kansli, kiosk och materialvård"),
    (Sector.SOCIAL_ENTERPRISE, "återbruk ek. för.", "Reparation av möbler och cyklar"),
    (Sector.SOCIAL_ENTERPRISE, "café ek. för.", "Bakning, servering och kassa"),
)
_BUSINESS_WEIGHTS = (8, 8, 6, 6, 7, 4, 6, 4, 4, 6, 7, 6, 4, 3, 1, 4, 2, 3, 3)
_STREETS = ("Storgatan", "Järnvägsgatan", "Industrivägen", "Kyrkogatan", "Skolvägen", "Ängsvägen")
_SUPERVISORS = (
    "Anna Berg", "Lars Holm", "Maria Lund", "Johan Ek", "Fatima Ali", "Per Sjöberg",
    "Eva Strand", "Karin Nyberg", "Ahmed Yusuf", "Sofia Dahl", "Mikael Falk", "Lena Vik",
)  # fmt: skip
_VISIT_NOTES = (
    "Trivs bra, handledaren nöjd med arbetsinsatsen.",
    "Behöver stöd med yrkesord; vi tar fram en ordlista.",
    "Punktlig och noggrann. Diskuterade möjlighet till förlängning.",
    "Svårt med tiderna på morgonen, ny tid för lämning av barn bokad.",
    "Handledaren ser möjlighet till anställning med stöd.",
    "Går framåt, mer självständig i arbetsuppgifterna.",
)
_LANGUAGE_SUPPORT = (
    (LanguageSupport.NONE, 35),
    (LanguageSupport.COLLEAGUE, 25),
    (LanguageSupport.LANGUAGE_MENTOR, 15),
    (LanguageSupport.VOCATIONAL_SWEDISH, 15),
    (LanguageSupport.INTERPRETER, 7),
    (LanguageSupport.OTHER, 3),
)
# What happened once the internship was over (weights in per cent).
_OUTCOMES = ((Outcome.ENDED, 60), (Outcome.EMPLOYMENT, 28), (Outcome.CONTINUED, 12))
_SUPPORT = (
    (EmploymentSupport.WAGE_SUBSIDY, 30),
    (EmploymentSupport.INTRODUCTION_JOB, 30),
    (EmploymentSupport.NEW_START_JOB, 12),
    (EmploymentSupport.NONE, 18),
    (EmploymentSupport.EMPLOYMENT_SUPPORT, 7),
    (EmploymentSupport.OTHER, 3),
)
_TOPICS = (
    (Topic.JOB_SEARCH, 22),
    (Topic.AUTHORITIES, 25),
    (Topic.SWEDISH, 15),
    (Topic.DIGITAL, 14),
    (Topic.HOUSING, 8),
    (Topic.SCHOOL, 7),
    (Topic.HEALTH, 5),
    (Topic.OTHER, 4),
)


@dataclass(frozen=True)
class PlacementsSummary:
    workplaces: int
    placements: int
    employments: int
    visits: int
    dropin_registrations: int
    dropin_visitors: int
    access_events: int


def _pick(rng: random.Random, pairs: tuple[tuple[T, float], ...]) -> T:
    return rng.choices([value for value, _w in pairs], [w for _v, w in pairs])[0]


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(8 + rng.randrange(9), rng.randrange(60)))
    )


def _organisation_number(rng: random.Random, sector: str, sole_trader: bool) -> str:
    def digits(count: int) -> str:
        return "".join(str(rng.randrange(10)) for _ in range(count))

    if sole_trader:
        # The owner's (synthetic) personal identity number: a date of birth and a serial.
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 35))
        return with_check_digit(f"{birth:%y%m%d}{digits(3)}")
    prefixes: dict[str, str] = {
        Sector.PRIVATE: "55" + str(rng.randint(2, 9)),
        Sector.MUNICIPAL: "212",
        Sector.REGION: "232",
        Sector.STATE: "202",
        Sector.NON_PROFIT: "80" + str(rng.randint(2, 9)),
        Sector.SOCIAL_ENTERPRISE: "76" + str(rng.randint(2, 9)),
    }
    return with_check_digit(prefixes[sector] + digits(6))


def _workplaces(
    rng: random.Random,
    programme_id: int,
    partners: list[tuple[int, int, str]],
    creators: dict[int, int],
    today: datetime.date,
) -> list[Workplace]:
    """Unique invented workplaces for one programme."""
    rows: list[Workplace] = []
    seen: set[str] = set()
    while len(rows) < WORKPLACES_PER_PROGRAMME:
        sector, kind, _tasks = rng.choices(_BUSINESSES, _BUSINESS_WEIGHTS)[0]
        word = rng.choice(_NAME_WORDS)
        name = f"{word}s {kind}" if sector == Sector.PRIVATE else f"{word} {kind}"
        if name in seen:
            continue
        seen.add(name)
        partner_id, organisation_id, city = rng.choice(partners)
        sole_trader = sector == Sector.PRIVATE and not kind.endswith("AB") and rng.random() < 0.3
        rows.append(
            Workplace(
                programme_id=programme_id,
                name=name,
                organisation_number=_organisation_number(rng, sector, sole_trader),
                sole_trader=sole_trader,
                sector=sector,
                street_address=f"{rng.choice(_STREETS)} {rng.randint(1, 60)}",
                postal_code=f"{rng.randint(40, 54)}{rng.randint(0, 9)} {rng.randint(10, 99)}",
                city=city,
                added_by_partner_id=partner_id,
                created_by_id=creators[organisation_id],
                created_at=_at(today - datetime.timedelta(days=rng.randrange(300, 700)), rng),
            )
        )
    return rows


def _event(
    obj: Placement | PlacementVisit | DropInVisit,
    *,
    enrollment: tuple[int, int, int],
    user: tuple[int, str],
    action: str,
    at: datetime.datetime,
    changes: dict[str, object],
) -> AccessEvent:
    enrollment_id, participant_id, organisation_id = enrollment
    return AccessEvent(
        at=at,
        actor_id=user[0],
        actor_name=user[1],
        organisation_id=organisation_id,
        action=action,
        part=Part.RECORD,
        participant_id=participant_id,
        enrollment_id=enrollment_id,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        changes=changes,
    )


def write_placements(*, seed: int, today: datetime.date) -> PlacementsSummary:
    rng = random.Random(f"stegvis-demo-placements-{seed}")
    usernames = dict(
        Membership.objects.order_by("user_id").values_list("user_id", "user__username")
    )
    # Who works at a unit (staff first, then coordinators), in pk order.
    unit_staff: dict[int, list[int]] = defaultdict(list)
    for unit_id, user_id in (
        Membership.objects.filter(is_active=True, role__in=[Role.STAFF, Role.COORDINATOR])
        .order_by("role", "user_id", "pk")
        .values_list("unit_id", "user_id")
    ):
        if user_id not in unit_staff[unit_id]:
            unit_staff[unit_id].append(user_id)
    org_user: dict[int, int] = {}
    for unit_id, organisation_id in (
        Membership.objects.filter(unit_id__in=list(unit_staff))
        .order_by("unit_id")
        .values_list("unit_id", "unit__organisation_id")
    ):
        org_user.setdefault(organisation_id, unit_staff[unit_id][0])

    workplaces: list[Workplace] = []
    for programme_id in Programme.objects.order_by("pk").values_list("pk", flat=True):
        partners = [
            (pk, org, city or "Borås")
            for pk, org, city in Partner.objects.filter(
                programme_id=programme_id, organisation_id__in=list(org_user)
            )
            .order_by("pk")
            .values_list("pk", "organisation_id", "organisation__municipality")
        ]
        if partners:
            workplaces += _workplaces(rng, programme_id, partners, org_user, today)
    Workplace.objects.bulk_create(workplaces, batch_size=BATCH_SIZE)
    by_programme: dict[int, list[Workplace]] = defaultdict(list)
    for workplace in workplaces:
        by_programme[workplace.programme_id].append(workplace)
    tasks_of = {f"{kind}": tasks for _s, kind, tasks in _BUSINESSES}

    enrollments = (
        Enrollment.objects.exclude(eligibility=Eligibility.INELIGIBLE)
        .filter(start_date__lte=today - datetime.timedelta(days=45))
        .order_by("pk")
        .values_list(
            "pk",
            "participant_id",
            "programme_id",
            "unit_id",
            "unit__organisation_id",
            "start_date",
            "end_date",
        )
    )
    placements: list[Placement] = []
    meta: list[tuple[tuple[int, int, int], tuple[int, str]]] = []
    for pk, participant_id, programme_id, unit_id, org_id, start, end in enrollments:
        staff = unit_staff.get(unit_id)
        if not staff or not by_programme.get(programme_id) or rng.random() > PLACEMENT_SHARE:
            continue
        last_day = min(end or today, today)
        if (last_day - start).days < 40:
            continue
        placement_start = start + datetime.timedelta(
            days=rng.randrange(30, (last_day - start).days)
        )
        weeks = rng.choice((4, 6, 8, 8, 12, 12, 16))
        planned_end = placement_start + datetime.timedelta(weeks=weeks)
        workplace = rng.choice(by_programme[programme_id])
        kind = next(k for k in tasks_of if workplace.name.endswith(k))
        user_id = rng.choice(staff)
        placement = Placement(
            enrollment_id=pk,
            workplace=workplace,
            supervisor_name=rng.choice(_SUPERVISORS),
            supervisor_phone=f"07{rng.randint(0, 9)}-{rng.randint(100, 999)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}",
            start_date=placement_start,
            end_date=planned_end,
            hours_per_week=Decimal(rng.choice((10, 15, 20, 20, 25, 30, 30, 40))),
            tasks=tasks_of[kind],
            language_support=_pick(rng, _LANGUAGE_SUPPORT),
            created_by_id=user_id,
            created_at=_at(placement_start - datetime.timedelta(days=rng.randrange(3, 15)), rng),
        )
        if planned_end < last_day or (end is not None and planned_end >= end):
            # Over: the enrollment ended, or the planned period has passed.
            outcome = _pick(rng, _OUTCOMES)
            outcome_date = min(planned_end, last_day)
            new_end = outcome_date + datetime.timedelta(weeks=rng.choice((4, 8)))
            if outcome == Outcome.CONTINUED and (end is not None or new_end < today):
                outcome = Outcome.ENDED  # an extension that is over by now has ended
            placement.outcome = outcome
            placement.outcome_date = outcome_date
            placement.end_date = new_end if outcome == Outcome.CONTINUED else outcome_date
            if outcome == Outcome.EMPLOYMENT:
                placement.employment_support = _pick(rng, _SUPPORT)
        placements.append(placement)
        meta.append(((pk, participant_id, org_id), (user_id, usernames[user_id])))
    Placement.objects.bulk_create(placements, batch_size=BATCH_SIZE)

    visits: list[PlacementVisit] = []
    visit_meta: list[tuple[tuple[int, int, int], tuple[int, str]]] = []
    events: list[AccessEvent] = []
    for placement, (enrollment, user) in zip(placements, meta, strict=True):
        events.append(
            _event(
                placement,
                enrollment=enrollment,
                user=user,
                action=Action.CREATE,
                at=placement.created_at,
                changes={
                    "workplace": [None, placement.workplace_id],
                    "start_date": [None, placement.start_date.isoformat()],
                    "tasks": None,
                    "supervisor_name": None,
                },
            )
        )
        if placement.outcome != Outcome.ONGOING:
            assert placement.outcome_date is not None
            events.append(
                _event(
                    placement,
                    enrollment=enrollment,
                    user=user,
                    action=Action.UPDATE,
                    at=_at(min(placement.outcome_date + datetime.timedelta(days=2), today), rng),
                    changes={
                        "outcome": [Outcome.ONGOING, placement.outcome],
                        "outcome_date": [None, placement.outcome_date.isoformat()],
                    },
                )
            )
        visited_until = min(placement.end_date or today, today)
        span = (visited_until - placement.start_date).days
        for _ in range(rng.choice((1, 1, 2, 2, 3)) if span > 7 else 0):
            day = placement.start_date + datetime.timedelta(days=rng.randrange(7, span + 1))
            visits.append(
                PlacementVisit(
                    placement=placement,
                    visit_date=day,
                    visited_by_id=user[0],
                    notes=rng.choice(_VISIT_NOTES),
                    created_at=_at(day, rng),
                )
            )
            visit_meta.append((enrollment, user))
    PlacementVisit.objects.bulk_create(visits, batch_size=BATCH_SIZE)
    for visit, (enrollment, user) in zip(visits, visit_meta, strict=True):
        events.append(
            _event(
                visit,
                enrollment=enrollment,
                user=user,
                action=Action.CREATE,
                at=visit.created_at,
                changes={"visit_date": [None, visit.visit_date.isoformat()], "notes": None},
            )
        )

    # Drop-in is run by the programme's partners, not by the organisations outside it.
    partner_units = set(
        Membership.objects.filter(
            unit_id__in=list(unit_staff), unit__organisation__partnerships__isnull=False
        ).values_list("unit_id", flat=True)
    )
    dropins, dropin_events = _dropin(
        rng, today, {u: s for u, s in unit_staff.items() if u in partner_units}, usernames
    )
    AccessEvent.objects.bulk_create(events + dropin_events, batch_size=BATCH_SIZE)
    return PlacementsSummary(
        workplaces=len(workplaces),
        placements=len(placements),
        employments=sum(p.outcome == Outcome.EMPLOYMENT for p in placements),
        visits=len(visits),
        dropin_registrations=len(dropins),
        dropin_visitors=sum(d.visitors for d in dropins),
        access_events=len(events) + len(dropin_events),
    )


def _dropin(
    rng: random.Random,
    today: datetime.date,
    unit_staff: dict[int, list[int]],
    usernames: dict[int, str],
) -> tuple[list[DropInVisit], list[AccessEvent]]:
    """Two drop-in days a week at the units with staff, over the last half year."""
    active = defaultdict(list)
    for pk, participant_id, unit_id, org_id in (
        Enrollment.objects.filter(end_date__isnull=True, unit_id__in=list(unit_staff))
        .order_by("pk")
        .values_list("pk", "participant_id", "unit_id", "unit__organisation_id")
    ):
        active[unit_id].append((pk, participant_id, org_id))
    monday = today - datetime.timedelta(days=today.weekday())
    visits: list[DropInVisit] = []
    linked: list[tuple[tuple[int, int, int], tuple[int, str]]] = []
    for unit_id in sorted(unit_staff):
        staff = unit_staff[unit_id]
        weekdays = sorted(rng.sample(range(5), 2))
        for week in range(DROPIN_WEEKS):
            for weekday in weekdays:
                day = monday - datetime.timedelta(weeks=week) + datetime.timedelta(days=weekday)
                if day > today:
                    continue
                for _ in range(rng.randint(1, 5)):
                    user_id = rng.choice(staff)
                    topic = _pick(rng, _TOPICS)
                    visit = DropInVisit(
                        unit_id=unit_id,
                        visit_date=day,
                        topic=topic,
                        visitors=rng.choice((1, 1, 1, 2, 2, 3, 4)),
                        registered_by_id=user_id,
                        created_at=_at(day, rng),
                    )
                    if active[unit_id] and rng.random() < 0.12:
                        enrollment = rng.choice(active[unit_id])
                        visit.enrollment_id = enrollment[0]
                        visit.visitors = 1
                        linked.append((enrollment, (user_id, usernames[user_id])))
                    visits.append(visit)
    DropInVisit.objects.bulk_create(visits, batch_size=BATCH_SIZE)
    linked_visits = [v for v in visits if v.enrollment_id is not None]
    events = [
        _event(
            visit,
            enrollment=enrollment,
            user=user,
            action=Action.CREATE,
            at=visit.created_at,
            changes={
                "visit_date": [None, visit.visit_date.isoformat()],
                "topic": [None, visit.topic],
                "unit": [None, visit.unit_id],
            },
        )
        for visit, (enrollment, user) in zip(linked_visits, linked, strict=True)
    ]
    return visits, events


__all__ = ["PlacementsSummary", "write_placements"]
