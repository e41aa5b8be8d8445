"""Lerum's partner in Helhetslyftet, rebuilt from its final report (seed 002): 48 enrollments
against a commitment of 45, and their exits by reason. Names are invented."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.core.management import call_command

from stegvis.languagelevels.models import LanguageResult
from stegvis.organisations.models import Organisation, Role
from stegvis.outcomes.models import ExitType
from stegvis.participants.eligibility import Eligibility
from stegvis.progression.models import Answer, Assessment, Instrument
from stegvis.reporting.models import Target
from tests import factories as f

from .fixtures import leave

D = datetime.date

# The report: 16 moved + 4 parental leave or sick leave = 20 for private reasons; 10 to
# employment; 8 to SFI/SAS; 7 to further work-preparation measures (AME, work trial or
# Samhall); 1 programme ended while in an internship; 1 to vocational training; 1 not a
# third-country national.
EXITS = [
    ("personal.moved", 16),
    ("personal.parental_leave", 2),
    ("personal.sick_leave", 2),
    ("work.employment", 6),
    ("work.subsidised", 4),
    ("study.language", 8),
    ("measure.municipal", 5),
    ("measure.sheltered", 2),
    ("admin.programme_ended", 1),
    ("study.vocational", 1),
    ("admin.not_eligible", 1),
]
FIRST_NAMES = [
    "Amina",
    "Bilal",
    "Dalia",
    "Elias",
    "Fatima",
    "Goran",
    "Hana",
    "Idris",
    "Jamila",
    "Karim",
    "Lina",
    "Mahmoud",
    "Nadia",
    "Omid",
    "Parisa",
    "Qasim",
    "Rania",
    "Samir",
    "Tahmina",
    "Umar",
    "Warda",
    "Yusuf",
    "Zainab",
    "Ahmad",
]


@dataclass
class Lerum:
    programme: object
    partner: object
    unit: object
    coordinator: object
    enrollments: list


def build_lerum() -> Lerum:
    owner = f.OrganisationFactory(name="Folkhögskolorna VGR", kind=Organisation.Kind.REGION)
    programme = f.ProgrammeFactory(
        name="Helhetslyftet",
        code="helhetslyftet",
        start_date=D(2022, 9, 1),
        end_date=D(2025, 5, 31),
        owner=owner,
    )
    lerum = f.OrganisationFactory(name="Lerums kommun")
    partner = f.PartnerFactory(programme=programme, organisation=lerum, committed_participants=45)
    unit = f.UnitFactory(organisation=lerum, name="Vuxenutbildningen Lerum")
    coordinator = f.UserFactory(username="lerum-coordinator", first_name="Karin")
    f.MembershipFactory(user=coordinator, unit=unit, role=Role.COORDINATOR)
    enrollments = []
    n = 0
    for reason, count in EXITS:
        for _ in range(count):
            start = D(2023, 2, 1) + datetime.timedelta(days=7 * n)
            enrollment = f.EnrollmentFactory(
                partner=partner,
                unit=unit,
                start_date=start,
                participant=f.ParticipantFactory(
                    first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
                    last_name=f"Lerum{n:02d}",
                    gender="woman" if n % 3 else "man",
                    birth_date=D(1970 + n % 30, 1 + n % 12, 1 + n % 28),
                ),
                # The one who turned out not to be a third-country national was registered
                # as eligible: the report counts them among its 48 and lists the exit reason.
                eligibility=Eligibility.ELIGIBLE,
            )
            day = (
                programme.end_date
                if reason == "admin.programme_ended"
                else start + datetime.timedelta(days=200 + n * 3)
            )
            leave(
                enrollment,
                min(day, programme.end_date),
                reason,
                exit_type=ExitType.COMPLETED
                if reason.startswith(("work", "study"))
                else (ExitType.INTERRUPTED),
                recorded_by=coordinator,
            )
            enrollments.append(enrollment)
            n += 1
    # Goal 1: "21 deltagare eller 44 %" passed one or more SFI levels. The others have one
    # result only (not assessed).
    for i, enrollment in enumerate(enrollments):
        first = enrollment.start_date + datetime.timedelta(days=10)
        sfi(enrollment, first, "A", coordinator)
        if i % 16 < 7:  # 21 of 48: i % 16 in 0..6, three times over
            sfi(enrollment, first + datetime.timedelta(days=120), "B", coordinator)
    # Goal 3: "37 deltagare eller 77%" said the project helped their integration; here 5 said
    # no and 6 did not answer.
    if not Instrument.objects.filter(code="exit-questionnaire").exists():
        # Transactional (browser) tests flush the instruments the migration loaded.
        call_command("load_instruments", stdout=io.StringIO())
    version = Instrument.objects.get(code="exit-questionnaire").current_version()
    item = version.items.get(code="helped-integration")
    for i, enrollment in enumerate(enrollments[:42]):
        assessment = Assessment.objects.create(
            enrollment=enrollment,
            version=version,
            point="exit",
            date=enrollment.end_date,
            language="sv",
            mode="assisted",
        )
        Answer.objects.create(assessment=assessment, item=item, value=1 if i < 37 else 3)
    # The programme's goals for every partner (Helhetslyftet, "Projektmål").
    for code, value, label in GOALS:
        Target.objects.create(programme=programme, indicator=code, value=value, label=label)
    return Lerum(programme, partner, unit, coordinator, enrollments)


GOALS = [
    ("R.2.8", 80, "Mål 1"),
    ("employability", 60, "Mål 2"),
    ("R.2.9", 60, "Mål 3"),
]


def sfi(enrollment, day, course, user):
    LanguageResult.objects.create(
        enrollment=enrollment,
        kind="sfi_course",
        result_date=day,
        study_path=1,
        course=course,
        grade="G",
        source="school_result",
        recorded_by=user,
    )
