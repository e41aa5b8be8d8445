"""The demo's casework: mappings, plans, check-ins, notes and consents, with their audit rows.

Runs after ``generator.write_demo``, in the same transaction. ``load_context`` takes a plain
snapshot of the demo just written (enrollments in primary-key order, staff, organisations);
``plan_casework`` builds every row from it as plain data, pure and deterministic for a seed and
a date; ``write_casework`` bulk-inserts the result, bypassing the services on purpose (as
``write_demo`` does) and writing the access-log rows the services would have written.

Rows refer to each other by natural keys (usernames, organisation names, list indexes), never
database ids, so the plan can be fingerprinted and compared between runs.

Everything happens between an enrollment's start and the day before ``today``; consents are
active, withdrawn or expired; agreed actions are done, overdue or upcoming, so that every user
who works with participants has something real in "My actions", and the organisations outside
the programme have a real "Shared with us" list. All texts are invented and name no one.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.consents.models import SHAREABLE_PARTS, Consent
from stegvis.mapping.models import (
    DigitalSkills,
    DrivingLicence,
    LanguageLevel,
    Literacy,
    Mapping,
    MappingLanguage,
    MappingStatus,
    Qualification,
    QualificationKind,
    RecognitionApplied,
    SensitiveCircumstances,
    WorkExperience,
)
from stegvis.notes.models import NOTE_FIELDS, Note, NoteCategory
from stegvis.organisations.models import Membership, Organisation, Partner, Programme, Role
from stegvis.participants.models import Enrollment, EnrollmentStatus, Gender
from stegvis.plans.models import (
    AgreedAction,
    CheckIn,
    Goal,
    GoalStatus,
    Plan,
    PlannedActivity,
    PlanStatus,
)

from . import catalogue as cat

T = TypeVar("T")
BATCH_SIZE = 500

# Shares of enrollments (see issue 3, item 8).
MAPPED = 0.85
REMAPPED = 0.10  # of the mapped: a second, later mapping
DRAFT_ONLY = 0.03
WITH_WORK = 0.60
WITH_QUALIFICATION = 0.25
RECOGNITION_APPLIED = 0.40
WITH_SENSITIVE = 0.15
WITH_PLAN = 0.75
SECOND_PLAN = 0.20
WITH_CHECKINS = 0.50
WITH_NOTES = 0.70
CORRECTED = 0.04  # of the notes
WITH_CONSENT = 0.30  # of the active enrollments
WITHDRAWN = 0.12
EXPIRED = 0.13

# Where the organisations outside the programme work: Regionhälsan Väst serves Västra
# Götaland (not Halland); the association meets people in Fyrbodal.
HALLAND = frozenset({"halmstad", "varberg", "falkenberg", "framtidsbron"})
FYRBODAL = frozenset({"uddevalla", "trollhattan", "vanersborg", "lelangen", "kroppefjall"})
PES, HEALTH, NGO = "arbetsformedlingen", "regionhalsan", "nyagrannar"

# Texts ------------------------------------------------------------------------------------------

FIELDS_OF_WORK = (
    "vård och omsorg",
    "lager och logistik",
    "restaurang och storkök",
    "handel",
    "lokalvård",
    "förskola",
    "bygg",
    "transport",
)
COURSES = ("A", "B", "C", "D")
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag")
TOPICS = ("bostaden", "SFI-schemat", "praktiken", "barnomsorgen", "körkortet", "ekonomin")
PLACES = ("biblioteket", "ett äldreboende", "ett lager", "en förskola", "ett storkök", "en butik")

# (occupation, weight for women, weight for men)
OCCUPATIONS: tuple[tuple[str, float, float], ...] = (
    ("Sömmerska", 8, 1),
    ("Kock", 3, 5),
    ("Lastbilschaufför", 0.2, 6),
    ("Undersköterska", 6, 1),
    ("Lärare", 4, 3),
    ("Jordbrukare", 3, 5),
    ("Frisör", 4, 3),
    ("Byggnadsarbetare", 0.2, 7),
    ("Barnskötare", 5, 0.3),
    ("Städare", 4, 2),
    ("Butiksbiträde", 3, 3),
    ("Bilmekaniker", 0.2, 4),
    ("Elektriker", 0.2, 3),
    ("Snickare", 0.2, 4),
    ("Bagare", 2, 2),
    ("Taxichaufför", 0.1, 3),
    ("Sjuksköterska", 2, 0.5),
    ("Lagerarbetare", 1, 3),
    ("Kontorist", 2, 1),
    ("Servitör", 2, 3),
)
SWEDISH_JOBS = ("Lokalvårdare", "Tidningsbud", "Lagerarbetare", "Personlig assistent", "Diskare")
# Countries people often worked in on the way (invented tendencies, not statistics).
TRANSIT_COUNTRIES: dict[str, tuple[str, ...]] = {
    "SY": ("TR", "LB", "JO"),
    "AF": ("IR", "TR", "PK"),
    "SO": ("KE", "ET", "UG"),
    "ER": ("SD", "ET"),
    "ET": ("SD", "KE"),
    "IQ": ("TR", "JO"),
}
INFORMAL_SKILLS = (
    "Lagar mat till många, har hjälpt till vid fester och bröllop.",
    "Har tagit hand om äldre släktingar i många år.",
    "Syr och lagar kläder, har egen symaskin.",
    "Har odlat grönsaker och skött djur på familjens gård.",
    "Reparerar mobiltelefoner och datorer åt vänner.",
    "Tolkar ibland åt grannar och bekanta.",
    "Har hjälpt till i familjens butik med kassa och inköp.",
    "Klipper hår åt familj och vänner.",
    "Snickrar och renoverar, har byggt om ett kök.",
    "Har kört bil och minibuss i många år.",
    "Bakar bröd och kakor och har sålt på marknader.",
    "Har lett en samtalsgrupp för föräldrar.",
    "Har tagit hand om småbarn i släkten.",
    "Van vid fysiskt arbete, har hjälpt till på byggen.",
    "Kan måla och tapetsera.",
    "Hjälper barnen med läxor och har bra kontakt med skolan.",
)
GOALS_GENERAL = (
    "Vill lära mig svenska så att jag klarar mig själv hos läkaren och i affären.",
    "Vill kunna prata med barnens lärare utan tolk.",
    "Vill ha ett arbete och kunna försörja min familj.",
    "Vill ta körkort.",
    "Vill läsa vidare på komvux.",
    "Vill starta eget företag på sikt.",
    "Vill klara SFI kurs D.",
    "Vill göra praktik för att komma in på arbetsmarknaden.",
    "Vill förstå bättre hur samhället fungerar.",
    "Vill bli säkrare på dator och e-tjänster.",
)
GOALS_BY_TRACK: dict[str, tuple[str, ...]] = {
    cat.NEXT_STEP: (
        "Vill lära mig läsa och skriva bättre.",
        "Vill veta vilka vägar det finns till arbete.",
    ),
    cat.COMBINED: (
        "Vill utbilda mig till undersköterska.",
        "Vill arbeta inom lokalvård.",
        "Vill gå en yrkesutbildning och läsa svenska samtidigt.",
    ),
    cat.JOB_TRACK_MUNICIPALITY: (
        "Vill ha en praktikplats inom lager eller logistik.",
        "Vill arbeta inom restaurang.",
        "Vill hitta ett jobb nära hemmet.",
    ),
    cat.JOB_TRACK_FOLK_HIGH_SCHOOL: (
        "Vill få behörighet till en yrkesutbildning.",
        "Vill prova på olika yrken genom praktik.",
    ),
    cat.HEALTH_PARENTING: (
        "Vill må bättre och orka mer i vardagen.",
        "Vill veta mer om hur förskola och skola fungerar i Sverige.",
        "Vill träffa andra föräldrar.",
    ),
}
# (title, kind, minimum ISCED level as a number)
QUALIFICATIONS: tuple[tuple[str, str, int], ...] = (
    ("Avgångsbetyg från grundskolan", QualificationKind.SCHOOL, 2),
    ("Gymnasieexamen", QualificationKind.SCHOOL, 3),
    ("Yrkesbevis som elektriker", QualificationKind.VOCATIONAL, 3),
    ("Yrkesutbildning till frisör", QualificationKind.VOCATIONAL, 2),
    ("Certifikat i svetsning", QualificationKind.VOCATIONAL, 2),
    ("Yrkesutbildning inom vård", QualificationKind.VOCATIONAL, 3),
    ("Lärarexamen", QualificationKind.HIGHER_EDUCATION, 6),
    ("Kandidatexamen i ekonomi", QualificationKind.HIGHER_EDUCATION, 6),
    ("Ingenjörsexamen i byggteknik", QualificationKind.HIGHER_EDUCATION, 6),
    ("Juristexamen", QualificationKind.HIGHER_EDUCATION, 7),
    ("Sjuksköterskeexamen", QualificationKind.REGULATED_PROFESSION, 6),
    ("Läkarexamen", QualificationKind.REGULATED_PROFESSION, 7),
    ("Tandläkarexamen", QualificationKind.REGULATED_PROFESSION, 7),
    ("Körkort för lastbil (C)", QualificationKind.OTHER, 0),
)
SENSITIVE_HEALTH = (
    "Behöver anpassning på grund av ryggbesvär.",
    "Nedsatt hörsel, behöver sitta nära den som talar.",
    "Har ont i knäna och bör undvika tunga lyft.",
    "Sömnsvårigheter som ibland påverkar koncentrationen.",
    "Tröttnar lätt och behöver kortare dagar under en period.",
    "Diabetes, behöver kunna äta på fasta tider.",
    "Migrän några gånger i månaden.",
    "Nedsatt syn, behöver material med större text.",
)
SENSITIVE_FAMILY = (
    "Ensamstående förälder, behöver tider som passar förskolan.",
    "Tar hand om en sjuk förälder hemma.",
    "Väntar på besked om familjeåterförening.",
    "Har ett barn med särskilda behov och många vårdbesök.",
    "Föräldraledig två dagar i veckan.",
)
SENSITIVE_OTHER = (
    "Oro kring boendet, bor tillfälligt hos släktingar.",
    "Har skulder och kontakt med budget- och skuldrådgivningen.",
    "Har svåra upplevelser från flykten och får stöd av vården.",
    "Har kontakt med socialtjänsten om försörjningsstöd.",
)
PLAN_GOALS_BY_TRACK: dict[str, tuple[str, ...]] = {
    cat.NEXT_STEP: (
        "Klara SFI kurs {course}.",
        "Delta i samhällsorienteringen på modersmål.",
        "Lära sig använda BankID och e-tjänster.",
        "Göra ett studiebesök inom {field}.",
    ),
    cat.COMBINED: (
        "Klara yrkesutbildningen inom {field}.",
        "Klara SFI kurs {course} parallellt med yrkesutbildningen.",
        "Göra arbetsplatsförlagt lärande inom {field}.",
    ),
    cat.JOB_TRACK_MUNICIPALITY: (
        "Göra praktik minst tre dagar i veckan inom {field}.",
        "Få en anställning med stöd, till exempel introduktionsjobb.",
        "Öva på yrkessvenska inom {field}.",
    ),
    cat.JOB_TRACK_FOLK_HIGH_SCHOOL: (
        "Klara allmän kurs med godkända betyg i svenska som andraspråk.",
        "Göra praktik inom {field}.",
        "Söka en yrkesutbildning till hösten.",
    ),
    cat.HEALTH_PARENTING: (
        "Komma igång med regelbunden fysisk aktivitet.",
        "Hitta en förskoleplats till det yngsta barnet.",
        "Veta var man vänder sig i vården och hur man bokar tolk.",
    ),
}
PLAN_GOALS_GENERAL = (
    "Ta fram ett CV och ett personligt brev på svenska.",
    "Söka minst fem jobb i månaden.",
    "Ansöka om bedömning av utländsk utbildning.",
    "Ta B-körkort.",
    "Skriva in sig hos Arbetsförmedlingen och följa handlingsplanen.",
)
OWN_ACTIVITIES = (
    "SFI tre förmiddagar i veckan",
    "Studie- och yrkesvägledning",
    "Jobbcoachning varannan vecka",
    "Praktik inom {field}",
    "Studiebesök på arbetsplatser inom {field}",
    "Yrkessvenska inom {field}",
    "Samhällsorientering på modersmål",
    "Digital grundkurs: e-post, BankID och 1177",
    "CV-verkstad i grupp",
)
PARTNER_ACTIVITIES: dict[str, tuple[str, ...]] = {
    Organisation.Kind.MUNICIPALITY: (
        "Praktik i kommunal verksamhet inom {field}",
        "Vägledning om vuxenutbildningen",
    ),
    Organisation.Kind.FOLK_HIGH_SCHOOL: (
        "Allmän kurs på folkhögskolan",
        "Prova-på-dagar på folkhögskolan",
    ),
    Organisation.Kind.STUDY_ASSOCIATION: (
        "Studiecirkel i vardagssvenska",
        "Föräldragrupp på kvällstid",
    ),
}
EXTERNAL_ACTIVITIES: dict[str, tuple[str, ...]] = {
    PES: (
        "Rustande insats via Arbetsförmedlingen",
        "Matchning mot lediga jobb inom {field}",
        "Utredning av stöd vid anställning",
        "Arbetsmarknadsutbildning inom {field}",
    ),
    HEALTH: (
        "Hälsosamtal med hälsokommunikatör på modersmål",
        "Föräldragrupp om barns hälsa",
        "Samtalsgrupp om stress och sömn",
    ),
    NGO: (
        "Språkcafé på Mötesplatsen varje torsdag",
        "Språkvän en gång i veckan",
        "Läxhjälp för barnen och stöd till föräldrarna",
    ),
}
EXTERNAL_WITHOUT_CONSENT: dict[str, tuple[str, str]] = {
    # (activity, who): named in words only, the organisation has no consent to see the plan.
    PES: ("Fortsatt kontakt med Arbetsförmedlingen enligt deras plan", "Arbetsförmedlingen"),
    HEALTH: ("Besök på vårdcentralen vid behov", "Vårdcentralen"),
    NGO: ("Språkcafé hos en ideell förening", "Ideell förening"),
}
PARTICIPANT_ACTIVITIES = (
    "Öva svenska hemma med appar och poddar",
    "Söka jobb varje vecka och ta med annonserna till coachningen",
    "Plugga körkortsteori",
    "Ta med betyg och intyg från hemlandet",
)
THE_PARTICIPANT = "Deltagaren"
SUMMARY_OPENINGS = (
    "Vi gick igenom planen tillsammans.",
    "Deltagaren berättade hur det har gått sedan förra mötet.",
    "Avstämning inför praktiken.",
    "Uppföljning av studierna och närvaron.",
    "Vi pratade om vägen till arbete efter projektet.",
    "Första gemensamma mötet med alla som arbetar med deltagaren.",
)
SUMMARY_MIDDLES = (
    "Närvaron på SFI har varit god.",
    "Närvaron har varit ojämn på grund av sjukdom i familjen.",
    "Praktiken fungerar bra och handledaren är nöjd.",
    "Deltagaren vill byta inriktning mot {field}.",
    "Deltagaren har klarat ett delprov på SFI.",
    "Det har varit svårt att få ihop tiderna med barnomsorgen.",
    "Deltagaren har sökt flera jobb men ännu inte fått svar.",
    "Deltagaren är motiverad och vill komma vidare snabbt.",
    "Deltagaren behöver mer stöd i läsning och skrivning.",
)
SUMMARY_CLOSINGS = (
    "Nästa avstämning om ungefär en månad.",
    "Vi ses igen efter praktikperioden.",
    "Planen uppdateras efter mötet.",
    "",
)
EXTERNAL_ATTENDEES = (
    "Handledare på praktikplatsen",
    "Kontaktperson på socialtjänsten",
    "SFI-lärare",
    "Deltagarens kontaktperson på boendet",
)
OWN_ACTIONS = (
    "Boka trepartssamtal med praktikplatsen",
    "Skicka anmälan till SFI kurs {course}",
    "Följa upp närvaron med läraren",
    "Hjälpa deltagaren med CV och personligt brev",
    "Kontakta en möjlig praktikplats inom {field}",
    "Boka tolk till nästa möte",
    "Ordna studiebesök inom {field}",
    "Uppdatera planen efter mötet",
    "Undersöka möjligheten till validering",
)
PARTNER_ACTIONS = (
    "Erbjuda plats i studiecirkel",
    "Informera om allmän kurs till hösten",
    "Boka ett informationsmöte om utbildningen",
)
EXTERNAL_ACTIONS: dict[str, tuple[str, ...]] = {
    PES: (
        "Ta fram förslag på arbetsmarknadsutbildning",
        "Boka möte om stöd vid anställning",
        "Gå igenom aktivitetsrapporteringen med deltagaren",
        "Undersöka introduktionsjobb inom {field}",
    ),
    HEALTH: (
        "Erbjuda hälsosamtal på modersmål",
        "Bjuda in till föräldragruppen",
        "Berätta hur man bokar tolk i vården",
    ),
    NGO: (
        "Ordna kontakt med en språkvän",
        "Bjuda in till språkcaféet",
        "Hjälpa familjen att hitta fritidsaktiviteter för barnen",
    ),
}
PARTICIPANT_ACTIONS = (
    "Deltagaren söker tre jobb och tar med annonserna",
    "Deltagaren tar med betyg från hemlandet",
    "Deltagaren bokar tid på vårdcentralen",
    "Deltagaren anmäler sig till körkortsteorin",
)
NOTE_TEXTS: dict[str, tuple[str, ...]] = {
    NoteCategory.CONTACT: (
        "Ringde deltagaren och bokade nytt möte.",
        "Deltagaren kom förbi utan bokad tid, vi pratade om {topic}.",
        "Skickade sms med påminnelse om mötet på {weekday}.",
        "Deltagaren hörde av sig om sjukdom i familjen och kommer tillbaka nästa vecka.",
        "Fick inte tag på deltagaren, lämnade meddelande.",
    ),
    NoteCategory.COACHING: (
        "Samtal om vilka yrken som passar deltagarens erfarenheter. Intresse för {field}.",
        "Gick igenom CV:t tillsammans och lade till erfarenheter från tidigare arbeten.",
        "Övade inför en anställningsintervju inom {field}.",
        "Pratade om att söka en utbildning inom {field} till hösten.",
    ),
    NoteCategory.INTERNSHIP: (
        "Praktiken inom {field} har börjat, tre dagar i veckan.",
        "Trepartssamtal med praktikplatsen: handledaren är nöjd med arbetet.",
        "Praktiken förlängs med fyra veckor.",
        "Praktiken avbröts i förtid, arbetstiderna gick inte ihop med barnomsorgen.",
    ),
    NoteCategory.LANGUAGE: (
        "Deltagaren har börjat på SFI kurs {course}.",
        "Klarade det nationella provet i kurs {course}.",
        "Behöver mer stöd i läsning, erbjuds studiestöd två eftermiddagar.",
        "Deltar aktivt i språkcaféet och pratar mer svenska.",
    ),
    NoteCategory.ADMINISTRATION: (
        "Närvarorapport skickad.",
        "Intyg om deltagande utskrivet till deltagaren.",
        "Uppdaterade kontaktuppgifterna.",
        "Ansökan om busskort för resorna till praktiken är skickad.",
    ),
    NoteCategory.OTHER: (
        "Deltagaren var med på studiebesöket på {place}.",
        "Gemensam aktivitet med gruppen: besök på {place}.",
    ),
    NoteCategory.SENSITIVE: (
        "Deltagaren berättade om sömnsvårigheter; vi kom överens om kortare dagar en period.",
        "Sjukskriven två veckor enligt läkarintyg.",
        "Familjen väntar på besked om familjeåterförening och deltagaren är orolig.",
        "Deltagaren har fått kontakt med psykolog via vårdcentralen.",
        "Har ont i ryggen och behöver anpassade uppgifter på praktiken.",
    ),
}
NOTE_CATEGORY_WEIGHTS: tuple[tuple[str, float], ...] = (
    (NoteCategory.CONTACT, 30),
    (NoteCategory.COACHING, 20),
    (NoteCategory.INTERNSHIP, 12),
    (NoteCategory.LANGUAGE, 15),
    (NoteCategory.ADMINISTRATION, 14),
    (NoteCategory.OTHER, 5),
    (NoteCategory.SENSITIVE, 4),
)
EXIT_NOTES = (
    "Avslutas i projektet: har fått anställning inom {field}.",
    "Avslutas i projektet: börjar studera på komvux.",
    "Avslutas i projektet: har flyttat till en annan kommun.",
    "Avslutas i projektet efter överenskommelse, föräldraledig.",
    "Avslutas i projektet: har fått en plats på en yrkesutbildning inom {field}.",
)
CLARIFICATIONS = (
    "Gäller bara förmiddagar.",
    "Deltagaren har själv bekräftat uppgiften.",
    "Rätt kurs är {course}.",
    "Tiden är flyttad till {weekday}.",
)
CONSENT_PURPOSES: dict[str, str] = {
    PES: "samordna insatserna mot arbete med Arbetsförmedlingen",
    HEALTH: "samordna stödet kring hälsa med Regionhälsan Väst",
    NGO: "få stöd i vardagen och språkträning genom föreningen",
}
WITHDRAWAL_NOTES = (
    "Deltagaren vill inte längre att uppgifterna delas.",
    "Återkallat muntligt vid besök, med tolk.",
    "Deltagaren vill sköta kontakten själv.",
    "",
)

LATIN_SCRIPT = frozenset({"so", "tr", "om", "ku", "en", "sw", "fr", "es", "pt", "sv"})
LEVELS = (LanguageLevel.NONE, LanguageLevel.BASIC, LanguageLevel.GOOD, LanguageLevel.FLUENT)
DIGITAL = (
    DigitalSkills.NONE,
    DigitalSkills.BASIC,
    DigitalSkills.INDEPENDENT,
    DigitalSkills.ADVANCED,
)


def _fill(rng: random.Random, text: str) -> str:
    """Fill the slots a phrase may have with varied, generic words."""
    return text.format(
        field=rng.choice(FIELDS_OF_WORK),
        course=rng.choice(COURSES),
        weekday=rng.choice(WEEKDAYS),
        topic=rng.choice(TOPICS),
        place=rng.choice(PLACES),
    )


def _pick(rng: random.Random, pairs: Sequence[tuple[T, float]]) -> T:
    return rng.choices([value for value, _ in pairs], [weight for _, weight in pairs])[0]


def _day(rng: random.Random, low: datetime.date, high: datetime.date) -> datetime.date:
    """A day from low to high (both included); low when the range is empty."""
    if high <= low:
        return low
    return low + datetime.timedelta(days=rng.randint(0, (high - low).days))


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# The snapshot of the demo ------------------------------------------------------------------------


@dataclass(frozen=True)
class EnrollmentFacts:
    pseudonym: str
    organisation: str  # the partner organisation's name
    slug: str  # its catalogue slug, "" if not from the catalogue
    kind: str
    unit: str
    track: str
    start: datetime.date
    end: datetime.date | None
    active: bool
    municipality: str  # where the participant lives
    woman: bool
    age: int
    mother_tongue: str
    other_languages: tuple[str, ...]
    interpreter_language: str  # "" when no interpreter is needed
    years_of_schooling: int | None
    education_level: str
    country_of_birth: str
    year_of_arrival: int | None


@dataclass(frozen=True)
class RecordUser:
    """A user who works with participants: staff of a unit, or a partner's coordinator."""

    username: str
    organisation: str
    unit: str | None  # None: coordinator of the whole organisation


@dataclass(frozen=True)
class CaseworkContext:
    today: datetime.date
    programme_end: datetime.date
    enrollments: tuple[EnrollmentFacts, ...]  # in primary-key order
    users: tuple[RecordUser, ...]  # in primary-key order
    # Organisation name -> (slug, kind, municipality) for the organisations in the catalogue.
    organisations: dict[str, tuple[str, str, str]]
    partners: tuple[str, ...]  # partner organisation names, by name


# The plan ---------------------------------------------------------------------------------------


@dataclass
class MappingRow:
    enrollment: int
    status: str
    carried_out_on: datetime.date
    interpreter_language: str  # "" when no interpreter was used
    years_of_schooling: int | None
    education_level: str
    literacy_mother_tongue: str
    literacy_latin_script: str
    informal_skills: str
    driving_licence: str
    digital_skills: str
    goals: str
    recorded_by: str
    created_at: datetime.datetime
    completed_at: datetime.datetime | None
    based_on: int | None = None  # index into CaseworkPlan.mappings
    languages: tuple[tuple[str, str], ...] = ()
    work: tuple[tuple[str, str, Decimal], ...] = ()
    # (title, country, kind, recognition applied, applied on)
    qualifications: tuple[tuple[str, str, str, str, datetime.date | None], ...] = ()


@dataclass
class SensitiveRow:
    enrollment: int
    health: str
    family_situation: str
    other: str
    recorded_by: str
    recorded_at: datetime.datetime
    first: bool


@dataclass
class ConsentRow:
    enrollment: int
    organisations: list[str]
    parts: tuple[str, ...]  # sorted, so that the plan's repr is stable
    takes_part_in_plan: bool
    purpose: str
    form: str
    language: str
    interpreter_used: bool
    document_reference: str
    given_on: datetime.date
    valid_to: datetime.date
    recorded_by: str
    recorded_at: datetime.datetime
    withdrawn_at: datetime.datetime | None = None
    withdrawn_by: str | None = None
    withdrawal_note: str = ""

    @property
    def valid_from(self) -> datetime.date:
        return self.given_on

    def in_force(self, day: datetime.date) -> bool:
        if not self.valid_from <= day <= self.valid_to:
            return False
        return self.withdrawn_at is None or day < self.withdrawn_at.date()

    def state(self, today: datetime.date) -> str:
        if self.withdrawn_at is not None:
            return "withdrawn"
        if today > self.valid_to:
            return "expired"
        return "active"


@dataclass
class GoalRow:
    text: str
    target_date: datetime.date | None
    status: str


@dataclass
class ActivityRow:
    what: str
    organisation: str | None
    responsible_user: str | None
    responsible_name: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None


@dataclass
class PlanRow:
    enrollment: int
    version: int
    status: str
    created_by: str
    created_by_organisation: str
    created_at: datetime.datetime
    goals: list[GoalRow]
    activities: list[ActivityRow]
    based_on: int | None = None  # index into CaseworkPlan.plans
    agreed_on: datetime.date | None = None
    interpreter_language: str = ""
    conversation_language: str = ""
    agreed_by: str | None = None
    agreed_at: datetime.datetime | None = None
    consent: int | None = None  # the consent a write from another organisation relied on


@dataclass
class ActionRow:
    what: str
    owner_user: str | None
    owner_organisation: str
    due_on: datetime.date
    done_at: datetime.datetime | None = None
    done_by: str | None = None


@dataclass
class CheckInRow:
    enrollment: int
    held_on: datetime.date
    participant_present: bool
    staff: list[str]
    organisations: list[str]
    external_attendees: str
    interpreter_language: str
    summary: str
    created_by: str
    created_at: datetime.datetime
    actions: list[ActionRow]


@dataclass
class NoteRow:
    enrollment: int
    date: datetime.date
    category: str
    text: str
    author: str
    organisation: str
    created_at: datetime.datetime
    corrects: int | None = None  # index into CaseworkPlan.notes
    thread: int | None = None
    correction_reason: str = ""


@dataclass
class CaseworkPlan:
    mappings: list[MappingRow] = field(default_factory=list)
    sensitive: list[SensitiveRow] = field(default_factory=list)
    consents: list[ConsentRow] = field(default_factory=list)
    plans: list[PlanRow] = field(default_factory=list)
    checkins: list[CheckInRow] = field(default_factory=list)
    notes: list[NoteRow] = field(default_factory=list)


def casework_fingerprint(plan: CaseworkPlan) -> str:
    """A short hash of everything in the plan, to compare two runs."""
    return hashlib.sha256(repr(plan).encode()).hexdigest()[:16]


# Planning ---------------------------------------------------------------------------------------


class _Planner:
    def __init__(self, rng: random.Random, context: CaseworkContext) -> None:
        self.rng = rng
        self.ctx = context
        self.today = context.today
        self.yesterday = context.today - _days(1)
        self.sunday = context.today + _days(6 - context.today.weekday())
        self.tz = timezone.get_default_timezone()
        self.plan = CaseworkPlan()
        self.unit_staff: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.coordinators: dict[str, list[str]] = defaultdict(list)
        self.org_staff: dict[str, list[str]] = defaultdict(list)
        for user in context.users:
            if user.unit is None:
                self.coordinators[user.organisation].append(user.username)
            else:
                self.unit_staff[(user.organisation, user.unit)].append(user.username)
                self.org_staff[user.organisation].append(user.username)
        self.slug_names = {slug: name for name, (slug, _k, _m) in context.organisations.items()}
        self.consents_of: dict[int, list[int]] = defaultdict(list)
        self.checkins_of: dict[int, list[int]] = defaultdict(list)
        self.mapping_of: dict[int, MappingRow] = {}

    # helpers

    def moment(self, day: datetime.date, earliest: int = 8, latest: int = 16) -> datetime.datetime:
        at = datetime.time(self.rng.randint(earliest, latest), self.rng.randint(0, 59))
        return datetime.datetime.combine(day, at, tzinfo=self.tz)

    def last_day(self, e: EnrollmentFacts) -> datetime.date:
        """The last day anything can have happened: the exit, or yesterday."""
        return min(e.end or self.yesterday, self.yesterday)

    def staff_of(self, e: EnrollmentFacts) -> list[str]:
        return self.unit_staff.get((e.organisation, e.unit)) or self.coordinators[e.organisation]

    def own_worker(self, e: EnrollmentFacts, coordinator_share: float = 0.08) -> str:
        coordinators = self.coordinators.get(e.organisation)
        if coordinators and self.rng.random() < coordinator_share:
            return self.rng.choice(coordinators)
        return self.rng.choice(self.staff_of(e))

    def worker_of(self, organisation: str) -> str | None:
        """A staff member of another organisation (the external ones have one each)."""
        staff = self.org_staff.get(organisation) or self.coordinators.get(organisation)
        return staff[0] if staff else None

    def slug(self, organisation: str) -> str:
        return self.ctx.organisations.get(organisation, ("", "", ""))[0]

    # mappings

    def languages(
        self, e: EnrollmentFacts, swedish: str, *, draft: bool
    ) -> tuple[tuple[str, str], ...]:
        rows: dict[str, str] = {}
        if e.mother_tongue:
            rows[e.mother_tongue] = LanguageLevel.NATIVE
        if draft:
            return tuple(rows.items())
        for code in e.other_languages:
            if code != "sv" and code not in rows:
                rows[code] = self.rng.choice(
                    (LanguageLevel.BASIC, LanguageLevel.GOOD, LanguageLevel.FLUENT)
                )
        rows.setdefault("sv", swedish)
        return tuple(rows.items())

    def swedish_level(self, e: EnrollmentFacts) -> str:
        if "sv" in e.other_languages:
            return LanguageLevel.GOOD if self.rng.random() < 0.4 else LanguageLevel.BASIC
        if e.year_of_arrival is not None and e.start.year - e.year_of_arrival <= 1:
            return LanguageLevel.NONE if self.rng.random() < 0.4 else LanguageLevel.BASIC
        return LanguageLevel.BASIC if self.rng.random() < 0.9 else LanguageLevel.NONE

    def work(self, e: EnrollmentFacts) -> tuple[tuple[str, str, Decimal], ...]:
        rng = self.rng
        rows: list[tuple[str, str, Decimal]] = []
        in_sweden = e.start.year - (e.year_of_arrival or e.start.year)
        working_years = max(1, e.age - 17)
        for _ in range(1 if rng.random() < 0.7 else 2):
            if in_sweden >= 3 and rng.random() < 0.15:
                occupation, country = rng.choice(SWEDISH_JOBS), "SE"
                years = rng.choice((0.5, 1, 1.5, 2, 3))
            else:
                weights = [women if e.woman else men for _, women, men in OCCUPATIONS]
                occupation = rng.choices([o for o, _w, _m in OCCUPATIONS], weights)[0]
                country = e.country_of_birth
                transit = TRANSIT_COUNTRIES.get(e.country_of_birth)
                if transit and rng.random() < 0.15:
                    country = rng.choice(transit)
                years = rng.choice((0.5, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20))
            years = min(years, working_years)
            if all(row[0] != occupation for row in rows):
                rows.append((occupation, country, Decimal(str(years)).quantize(Decimal("0.1"))))
        return tuple(rows)

    def qualifications(
        self, e: EnrollmentFacts, on: datetime.date
    ) -> tuple[tuple[str, str, str, str, datetime.date | None], ...]:
        rng = self.rng
        level = int(e.education_level) if e.education_level.isdigit() else 2
        fitting = [q for q in QUALIFICATIONS if q[2] <= level]
        # The highest fitting qualification is the likeliest.
        title, kind, _level = rng.choices(fitting, [1 + q[2] for q in fitting])[0]
        country = e.country_of_birth
        applied_on: datetime.date | None = None
        if rng.random() < RECOGNITION_APPLIED:
            applied = RecognitionApplied.YES
            if rng.random() < 0.75:
                arrived = datetime.date(e.year_of_arrival or on.year, 1, 1)
                applied_on = _day(rng, max(arrived, on - _days(700)), on)
        else:
            applied = RecognitionApplied.NO if rng.random() < 0.7 else RecognitionApplied.UNKNOWN
        return ((title, country, kind, applied, applied_on),)

    def literacy(self, e: EnrollmentFacts, years: int) -> tuple[str, str]:
        rng = self.rng
        if years == 0:
            mother = Literacy.NONE if rng.random() < 0.7 else Literacy.BASIC
        elif years <= 5:
            mother = Literacy.BASIC
        else:
            mother = Literacy.GOOD
        if e.mother_tongue in LATIN_SCRIPT:
            latin = mother
        elif years >= 10:
            latin = Literacy.GOOD if rng.random() < 0.6 else Literacy.BASIC
        elif years >= 6:
            latin = Literacy.BASIC
        else:
            latin = Literacy.NONE if rng.random() < 0.6 else Literacy.BASIC
        return mother, latin

    def driving(self, e: EnrollmentFacts) -> str:
        options = (
            (DrivingLicence.NONE, 70 if e.woman else 35),
            (DrivingLicence.LEARNER, 12 if e.woman else 10),
            (DrivingLicence.FOREIGN, 8 if e.woman else 40),
            (DrivingLicence.SWEDISH, 10 if e.woman else 15),
        )
        return _pick(self.rng, options)

    def digital(self, years: int) -> str:
        if years <= 5:
            weights: tuple[float, ...] = (30, 60, 10, 0)
        elif years <= 12:
            weights = (5, 45, 42, 8)
        else:
            weights = (0, 10, 55, 35)
        return _pick(self.rng, list(zip(DIGITAL, weights, strict=True)))

    def mapping_goals(self, e: EnrollmentFacts, work: Sequence[tuple[str, str, Decimal]]) -> str:
        rng = self.rng
        options = list(GOALS_BY_TRACK.get(e.track, ())) + list(GOALS_GENERAL)
        goals = rng.sample(options, 2 if rng.random() < 0.6 else 1)
        if work and work[0][1] != "SE" and rng.random() < 0.5:
            goals.insert(0, f"Vill arbeta som {work[0][0].lower()} igen.")
        return " ".join(goals)

    def mappings(self, index: int, e: EnrollmentFacts) -> None:
        rng = self.rng
        if rng.random() >= MAPPED:
            return
        last = self.last_day(e)
        recent = e.active and (self.today - e.start).days <= 21
        draft = rng.random() < (0.5 if recent else DRAFT_ONLY * 0.7)
        carried = min(e.start + _days(rng.randint(3, 28)), last)
        years = e.years_of_schooling
        if years is None:
            years = rng.randint(4, 12)
        interpreter = e.interpreter_language if rng.random() < 0.9 else ""
        worker = rng.choice(self.staff_of(e))
        created = self.moment(carried)
        if draft:
            row = MappingRow(
                enrollment=index,
                status=MappingStatus.DRAFT,
                carried_out_on=carried,
                interpreter_language=interpreter,
                years_of_schooling=years if rng.random() < 0.7 else None,
                education_level=e.education_level,
                literacy_mother_tongue="",
                literacy_latin_script="",
                informal_skills="",
                driving_licence="",
                digital_skills="",
                goals="",
                recorded_by=worker,
                created_at=created,
                completed_at=None,
                languages=self.languages(e, LanguageLevel.BASIC, draft=True),
            )
            self.plan.mappings.append(row)
            self.mapping_of[index] = row
            return
        work = self.work(e) if rng.random() < WITH_WORK else ()
        mother, latin = self.literacy(e, years)
        first = MappingRow(
            enrollment=index,
            status=MappingStatus.COMPLETED,
            carried_out_on=carried,
            interpreter_language=interpreter,
            years_of_schooling=years,
            education_level=e.education_level,
            literacy_mother_tongue=mother,
            literacy_latin_script=latin,
            informal_skills=rng.choice(INFORMAL_SKILLS) if rng.random() < 0.6 else "",
            driving_licence=self.driving(e),
            digital_skills=self.digital(years),
            goals=self.mapping_goals(e, work),
            recorded_by=worker,
            created_at=created,
            completed_at=min(
                created + datetime.timedelta(hours=rng.randint(1, 72)),
                self.moment(last, 17, 17),
            ),
            languages=self.languages(e, self.swedish_level(e), draft=False),
            work=work,
            qualifications=(
                self.qualifications(e, carried) if rng.random() < WITH_QUALIFICATION else ()
            ),
        )
        self.plan.mappings.append(first)
        self.mapping_of[index] = first
        later_from = carried + _days(90)
        if later_from <= last and rng.random() < REMAPPED / 0.75:  # most are long enough
            self.remap(index, e, first, len(self.plan.mappings) - 1, _day(rng, later_from, last))

    def remap(
        self, index: int, e: EnrollmentFacts, first: MappingRow, first_index: int, on: datetime.date
    ) -> None:
        """A later mapping started from the first: better Swedish, new goals."""
        rng = self.rng
        languages = tuple(
            (
                code,
                LEVELS[min(LEVELS.index(LanguageLevel(level)) + 1, 2)]
                if code == "sv" and rng.random() < 0.6
                else level,
            )
            for code, level in first.languages
        )
        digital = first.digital_skills
        if rng.random() < 0.4:
            digital = DIGITAL[min(DIGITAL.index(DigitalSkills(digital)) + 1, 3)]
        driving = first.driving_licence
        if driving == DrivingLicence.LEARNER and rng.random() < 0.4:
            driving = DrivingLicence.SWEDISH
        draft = e.active and rng.random() < 0.1
        created = self.moment(on)
        second = MappingRow(
            enrollment=index,
            status=MappingStatus.DRAFT if draft else MappingStatus.COMPLETED,
            carried_out_on=on,
            interpreter_language=first.interpreter_language if rng.random() < 0.7 else "",
            years_of_schooling=first.years_of_schooling,
            education_level=first.education_level,
            literacy_mother_tongue=first.literacy_mother_tongue,
            literacy_latin_script=(
                Literacy.GOOD
                if first.literacy_latin_script == Literacy.BASIC and rng.random() < 0.4
                else first.literacy_latin_script
            ),
            informal_skills=first.informal_skills,
            driving_licence=driving,
            digital_skills=digital,
            goals=self.mapping_goals(e, first.work),
            recorded_by=rng.choice(self.staff_of(e)),
            created_at=created,
            completed_at=(
                None
                if draft
                else min(
                    created + datetime.timedelta(hours=rng.randint(1, 48)),
                    self.moment(self.last_day(e), 17, 17),
                )
            ),
            based_on=first_index,
            languages=languages,
            work=first.work,
            qualifications=first.qualifications,
        )
        self.plan.mappings.append(second)

    def sensitive(self, index: int, e: EnrollmentFacts) -> None:
        rng = self.rng
        mapping = self.mapping_of.get(index)
        if mapping is None or rng.random() >= WITH_SENSITIVE / MAPPED:
            return
        health = rng.choice(SENSITIVE_HEALTH) if rng.random() < 0.6 else ""
        family = rng.choice(SENSITIVE_FAMILY) if rng.random() < 0.4 else ""
        other = rng.choice(SENSITIVE_OTHER) if rng.random() < 0.25 or not health + family else ""
        at = mapping.created_at + datetime.timedelta(minutes=rng.randint(10, 50))
        self.plan.sensitive.append(
            SensitiveRow(index, health, family, other, mapping.recorded_by, at, first=True)
        )
        later = mapping.carried_out_on + _days(60)
        if later <= self.last_day(e) and rng.random() < 0.12:
            day = _day(rng, later, self.last_day(e))
            changed = rng.choice([h for h in SENSITIVE_HEALTH if h != health])
            self.plan.sensitive.append(
                SensitiveRow(
                    index,
                    changed,
                    family,
                    other,
                    rng.choice(self.staff_of(e)),
                    self.moment(day),
                    first=False,
                )
            )

    # consents

    def nearby_partners(self, e: EnrollmentFacts) -> list[str]:
        """Other partners where the participant lives or in the partner's own municipality."""
        own = self.ctx.organisations.get(e.organisation, ("", "", ""))[2]
        spec = next((p for p in cat.PARTNERS if p.slug == e.slug), None)
        same = [
            name
            for name in self.ctx.partners
            if name != e.organisation
            and self.ctx.organisations.get(name, ("", "", ""))[2] in {own, e.municipality}
        ]
        if same or spec is None:
            return same
        return [
            name
            for name in self.ctx.partners
            if name != e.organisation
            and self.ctx.organisations.get(name, ("", "", ""))[2] in spec.neighbours
        ]

    def consent_organisations(self, e: EnrollmentFacts) -> list[str]:
        rng = self.rng
        names: list[str] = []
        pes, health, ngo = (self.slug_names.get(s) for s in (PES, HEALTH, NGO))
        job_track = e.track in {cat.JOB_TRACK_MUNICIPALITY, cat.JOB_TRACK_FOLK_HIGH_SCHOOL}
        health_track = e.track == cat.HEALTH_PARENTING
        if pes and rng.random() < (0.75 if job_track else 0.3 if health_track else 0.55):
            names.append(pes)
        if health and e.slug not in HALLAND and rng.random() < (0.7 if health_track else 0.25):
            names.append(health)
        if ngo and rng.random() < (0.45 if e.slug in FYRBODAL else 0.08):
            names.append(ngo)
        nearby = self.nearby_partners(e)
        if nearby and rng.random() < 0.3:
            names.append(rng.choice(nearby))
        if not names:
            fallback = health if health_track and e.slug not in HALLAND else pes
            names.append(
                fallback or rng.choice([p for p in self.ctx.partners if p != e.organisation])
            )
        return names

    def consent_parts(self, organisations: Sequence[str]) -> tuple[str, ...]:
        rng = self.rng
        parts: set[str] = set()
        if rng.random() < 0.9:
            parts.add(Part.PLAN)
        if rng.random() < 0.85:
            parts.add(Part.CHECKINS)
        if rng.random() < 0.3:
            parts.add(Part.MAPPING)
        if rng.random() < 0.2:
            parts.add(Part.NOTES)
        if rng.random() < 0.05:
            parts.add(Part.ASSESSMENTS)
        health = self.slug_names.get(HEALTH)
        if rng.random() < (0.15 if health in organisations else 0.02):
            parts.add(Part.SENSITIVE)
        return tuple(sorted(parts or {Part.PLAN}))

    def purpose(self, e: EnrollmentFacts, organisations: Sequence[str]) -> str:
        aims = []
        for name in organisations:
            slug = self.slug(name)
            if slug in CONSENT_PURPOSES:
                aims.append(CONSENT_PURPOSES[slug])
            else:
                aims.append(f"planera studier och praktik tillsammans med {name}")
        text = "Att " + ", ".join(aims[:-1]) + (" och " if len(aims) > 1 else "") + aims[-1]
        return (text + ".")[:300]

    def consents(self) -> None:
        rng = self.rng
        ctx = self.ctx
        active = [i for i, e in enumerate(ctx.enrollments) if e.active]
        chosen = sorted(rng.sample(active, round(len(active) * WITH_CONSENT)))
        if not chosen:
            return
        # States by quota, so that small demos have each of them too.
        old = [i for i in chosen if (self.today - ctx.enrollments[i].start).days >= 120]
        expired = set(rng.sample(old, min(len(old), max(1, round(len(chosen) * EXPIRED)))))
        settled = [
            i
            for i in chosen
            if i not in expired and (self.today - ctx.enrollments[i].start).days >= 21
        ]
        withdrawn = set(
            rng.sample(settled, min(len(settled), max(1, round(len(chosen) * WITHDRAWN))))
        )
        for index in chosen:
            e = ctx.enrollments[index]
            organisations = self.consent_organisations(e)
            parts = self.consent_parts(organisations)
            if index in expired:
                given = _day(rng, e.start + _days(7), e.start + _days(30))
                valid_to = min(given + _days(rng.randint(90, 365)), self.today - _days(1))
                valid_to = max(valid_to, given)
            elif index in withdrawn:
                given = _day(rng, e.start, min(e.start + _days(30), self.today - _days(14)))
                valid_to = ctx.programme_end
            else:
                # Mostly at the start, when the plan is made; sometimes when a need turns up.
                latest = e.start + _days(30 if rng.random() < 0.75 else 240)
                given = _day(rng, e.start, min(latest, self.yesterday))
                valid_to = ctx.programme_end
            interpreter = bool(e.interpreter_language)
            form = _pick(
                rng,
                [
                    (Consent.Form.WRITTEN, 60),
                    (Consent.Form.VERBAL_INTERPRETER, 30 if interpreter else 0),
                    (Consent.Form.VERBAL, 10),
                ],
            )
            recorded_by = self.own_worker(e)
            row = ConsentRow(
                enrollment=index,
                organisations=organisations,
                parts=parts,
                takes_part_in_plan=Part.PLAN in parts and rng.random() < 0.25,
                purpose=self.purpose(e, organisations),
                form=form,
                language=e.mother_tongue or "sv",
                interpreter_used=form == Consent.Form.VERBAL_INTERPRETER
                or (interpreter and form == Consent.Form.WRITTEN and rng.random() < 0.6),
                document_reference=(
                    f"Dnr {given.year}/{rng.randint(100, 2999):04d}"
                    if form == Consent.Form.WRITTEN
                    else ""
                ),
                given_on=given,
                valid_to=valid_to,
                recorded_by=recorded_by,
                recorded_at=self.moment(given),
            )
            if index in withdrawn:
                day = _day(rng, given + _days(7), self.yesterday)
                row.withdrawn_at = self.moment(day)
                row.withdrawn_by = self.own_worker(e)
                note = rng.choice(WITHDRAWAL_NOTES)
                row.withdrawal_note = note
            self.consents_of[index].append(len(self.plan.consents))
            self.plan.consents.append(row)
        self.ensure_shared()

    def ensure_shared(self) -> None:
        """Each organisation outside the programme, and one partner, has active consents."""
        rng = self.rng
        in_force = [
            c
            for c in self.plan.consents
            if c.state(self.today) == "active" and (self.today - c.given_on).days >= 7
        ]
        if not in_force:
            return
        outside = [self.slug_names[s] for s in (PES, HEALTH, NGO) if s in self.slug_names]
        for name in outside:
            named = [c for c in in_force if name in c.organisations and Part.CHECKINS in c.parts]
            slug = self.slug(name)
            fitting = [
                c
                for c in in_force
                if c not in named
                and not (slug == HEALTH and self.ctx.enrollments[c.enrollment].slug in HALLAND)
            ] or [c for c in in_force if c not in named]
            for consent in rng.sample(fitting, min(len(fitting), max(0, 3 - len(named)))):
                if name not in consent.organisations:
                    consent.organisations.append(name)
                consent.parts = tuple(sorted({*consent.parts, Part.PLAN, Part.CHECKINS}))
        partners = set(self.ctx.partners)
        if not any(set(c.organisations) & partners for c in in_force):
            consent = rng.choice(in_force)
            e = self.ctx.enrollments[consent.enrollment]
            others = self.nearby_partners(e) or [
                p for p in self.ctx.partners if p != e.organisation
            ]
            if others:
                consent.organisations.append(others[0])
                consent.parts = tuple(sorted({*consent.parts, Part.PLAN, Part.CHECKINS}))
        for consent in in_force:
            consent.purpose = self.purpose(
                self.ctx.enrollments[consent.enrollment], consent.organisations
            )

    def consents_in_force(self, index: int, day: datetime.date, part: str) -> list[int]:
        return [
            c
            for c in self.consents_of.get(index, ())
            if self.plan.consents[c].in_force(day) and part in self.plan.consents[c].parts
        ]

    # plans

    def goal_texts(self, e: EnrollmentFacts, count: int) -> list[str]:
        options = list(PLAN_GOALS_BY_TRACK.get(e.track, ())) + list(PLAN_GOALS_GENERAL)
        return [_fill(self.rng, text) for text in self.rng.sample(options, count)]

    def activity(
        self, e: EnrollmentFacts, index: int, day: datetime.date, kind: str
    ) -> ActivityRow:
        rng = self.rng
        what, organisation, user, name = "", e.organisation, None, ""
        if kind == "own":
            what = _fill(rng, rng.choice(OWN_ACTIVITIES))
            user = rng.choice(self.staff_of(e)) if rng.random() < 0.7 else None
        elif kind == "participant":
            what, organisation, name = rng.choice(PARTICIPANT_ACTIVITIES), "", THE_PARTICIPANT
        else:
            consents = self.consents_in_force(index, day, Part.PLAN)
            named = [n for c in consents for n in self.plan.consents[c].organisations]
            if named:
                organisation = rng.choice(named)
                slug = self.slug(organisation)
                if slug in EXTERNAL_ACTIVITIES:
                    what = _fill(rng, rng.choice(EXTERNAL_ACTIVITIES[slug]))
                else:
                    kind_of = self.ctx.organisations.get(organisation, ("", "", ""))[1]
                    options = PARTNER_ACTIVITIES.get(kind_of, OWN_ACTIVITIES)
                    what = _fill(rng, rng.choice(options))
                user = self.worker_of(organisation) if rng.random() < 0.6 else None
            else:
                slug = PES if rng.random() < 0.7 else rng.choice((HEALTH, NGO))
                what, name = EXTERNAL_WITHOUT_CONSENT[slug]
                organisation = ""
        starts: datetime.date | None = None
        ends: datetime.date | None = None
        if rng.random() < 0.9:
            starts = day + _days(rng.randint(0, 30))
            ends = min(starts + _days(rng.randint(30, 240)), self.ctx.programme_end)
            ends = max(ends, starts)
        return ActivityRow(what, organisation or None, user, name, starts, ends)

    def activities(self, e: EnrollmentFacts, index: int, day: datetime.date) -> list[ActivityRow]:
        rng = self.rng
        count = rng.randint(1, 3)
        kinds = ["own"]
        for _ in range(count - 1):
            kinds.append(_pick(rng, [("own", 4), ("external", 4), ("participant", 2)]))
        return [self.activity(e, index, day, kind) for kind in kinds]

    def agreement(self, e: EnrollmentFacts, row: PlanRow, day: datetime.date) -> None:
        rng = self.rng
        row.status = PlanStatus.AGREED
        row.agreed_on = day
        if e.interpreter_language and rng.random() < 0.85:
            row.interpreter_language = e.interpreter_language
            row.conversation_language = e.mother_tongue
        else:
            row.conversation_language = "sv" if rng.random() < 0.7 else e.mother_tongue
        row.agreed_by = rng.choice(self.staff_of(e))
        row.agreed_at = self.moment(day)

    def plans(self, index: int, e: EnrollmentFacts) -> None:
        rng = self.rng
        if rng.random() >= WITH_PLAN:
            return
        last = self.last_day(e)
        mapping = self.mapping_of.get(index)
        after = mapping.carried_out_on if mapping else e.start
        created_on = min(after + _days(rng.randint(3, 21)), last)
        creator = rng.choice(self.staff_of(e))
        first = PlanRow(
            enrollment=index,
            version=1,
            status=PlanStatus.DRAFT,
            created_by=creator,
            created_by_organisation=e.organisation,
            created_at=self.moment(created_on),
            goals=[],
            activities=self.activities(e, index, created_on),
        )
        agreed_on = min(created_on + _days(rng.randint(0, 14)), last)
        recent = (self.today - e.start).days <= 30
        stays_draft = e.active and recent and rng.random() < 0.6
        if not stays_draft:
            self.agreement(e, first, agreed_on)
        as_of = first.agreed_on or self.today
        for text in self.goal_texts(e, rng.randint(2, 4)):
            target = min(as_of + _days(rng.randint(60, 365)), self.ctx.programme_end)
            status = GoalStatus.IN_PROGRESS if rng.random() < 0.4 else GoalStatus.NOT_STARTED
            first.goals.append(GoalRow(text, target if rng.random() < 0.9 else None, status))
        first_index = len(self.plan.plans)
        self.plan.plans.append(first)
        if first.agreed_on is None or rng.random() >= SECOND_PLAN / 0.7:  # some are too short
            return
        later_from = first.agreed_on + _days(60)
        if later_from > last:
            return
        self.second_plan(index, e, first, first_index, _day(rng, later_from, last))

    def second_plan(
        self, index: int, e: EnrollmentFacts, first: PlanRow, first_index: int, on: datetime.date
    ) -> None:
        rng = self.rng
        last = self.last_day(e)
        creator = rng.choice(self.staff_of(e))
        organisation, consent = e.organisation, None
        taking_part = [
            c
            for c in self.consents_in_force(index, on, Part.PLAN)
            if self.plan.consents[c].takes_part_in_plan
        ]
        if taking_part and rng.random() < 0.5:
            consent = taking_part[0]
            organisation = self.plan.consents[consent].organisations[0]
            creator = self.worker_of(organisation) or creator
            if creator not in self.org_staff.get(organisation, ()):
                organisation, consent = e.organisation, None
        second = PlanRow(
            enrollment=index,
            version=2,
            status=PlanStatus.DRAFT,
            created_by=creator,
            created_by_organisation=organisation,
            created_at=self.moment(on),
            goals=[],
            activities=[ActivityRow(**vars(a)) for a in first.activities if rng.random() < 0.8]
            + (self.activities(e, index, on)[:1] if rng.random() < 0.6 else []),
            based_on=first_index,
            conversation_language=first.conversation_language,
            consent=consent,
        )
        draft = e.active and rng.random() < 0.4
        if not draft:
            self.agreement(e, second, min(on + _days(rng.randint(0, 10)), last))
        as_of = second.agreed_on or self.today
        for goal in first.goals:
            if goal.target_date is not None and goal.target_date < as_of:
                status = _pick(
                    rng,
                    [
                        (GoalStatus.REACHED, 55),
                        (GoalStatus.CHANGED, 15),
                        (GoalStatus.DROPPED, 10),
                        (GoalStatus.IN_PROGRESS, 20),
                    ],
                )
            else:
                status = _pick(
                    rng,
                    [
                        (GoalStatus.IN_PROGRESS, 65),
                        (GoalStatus.NOT_STARTED, 20),
                        (GoalStatus.REACHED, 15),
                    ],
                )
            second.goals.append(GoalRow(goal.text, goal.target_date, status))
        if rng.random() < 0.5:
            target = min(as_of + _days(rng.randint(60, 300)), self.ctx.programme_end)
            text = self.goal_texts(e, 1)[0]
            if all(goal.text != text for goal in second.goals):
                second.goals.append(GoalRow(text, target, GoalStatus.NOT_STARTED))
        self.plan.plans.append(second)

    # check-ins

    def checkin_days(self, e: EnrollmentFacts) -> list[datetime.date]:
        rng = self.rng
        last = self.last_day(e)
        low = min(e.start + _days(21), last)
        span = (last - low).days
        count = rng.randint(1, max(1, min(3, 1 + span // 90)))
        if e.active and rng.random() < 0.75:
            # Most active participants had a check-in in the last weeks.
            latest = max(low, self.today - _days(rng.randint(2, 40)))
        else:
            latest = max(low, last - _days(rng.randint(0, 30)))
        days = {latest}
        for _ in range(count - 1):
            days.add(_day(rng, low, latest - _days(21)))
        return sorted(days)

    def action_state(self, e: EnrollmentFacts, row: ActionRow, held: datetime.date) -> None:
        """Done, overdue or upcoming, as time has it."""
        rng = self.rng
        last = self.last_day(e)
        overdue = (self.today - row.due_on).days
        if not e.active:
            done = rng.random() < 0.97
        elif overdue > 0:
            # The longer ago it was due, the likelier it was done (or tidied away).
            done = rng.random() < (0.7 if overdue <= 21 else 0.88 if overdue <= 90 else 0.96)
        else:
            done = rng.random() < 0.2
        # Staff sometimes mark actions done after the participant has left.
        until = min(row.due_on + _days(10), self.yesterday if not e.active else last)
        if not done or held >= until:
            return
        day = _day(rng, held + _days(1), until)
        row.done_at = self.moment(day)
        row.done_by = row.owner_user or self.rng.choice(self.staff_of(e))

    def checkins(self, index: int, e: EnrollmentFacts, chance: float) -> None:
        rng = self.rng
        if rng.random() >= chance:
            return
        for held in self.checkin_days(e):
            self.checkin(index, e, held)

    def checkin(
        self, index: int, e: EnrollmentFacts, held: datetime.date, *, actions: bool = True
    ) -> CheckInRow:
        rng = self.rng
        creator = rng.choice(self.staff_of(e))
        own_people = [creator]
        coordinators = self.coordinators.get(e.organisation, [])
        if coordinators and rng.random() < 0.15:
            own_people.append(coordinators[0])
        staff = list(own_people)
        organisations = [e.organisation]
        guests: list[tuple[str, str]] = []  # (organisation, user)
        for c in self.consents_in_force(index, held, Part.CHECKINS):
            for name in self.plan.consents[c].organisations:
                worker = self.worker_of(name)
                if worker and name not in organisations and rng.random() < 0.85:
                    organisations.append(name)
                    staff.append(worker)
                    guests.append((name, worker))
        interpreter = e.interpreter_language if rng.random() < 0.85 else ""
        summary = " ".join(
            part
            for part in (
                rng.choice(SUMMARY_OPENINGS),
                _fill(rng, rng.choice(SUMMARY_MIDDLES)),
                rng.choice(SUMMARY_CLOSINGS),
            )
            if part
        )
        row = CheckInRow(
            enrollment=index,
            held_on=held,
            participant_present=rng.random() < 0.9,
            staff=staff,
            organisations=organisations,
            external_attendees=rng.choice(EXTERNAL_ATTENDEES) if rng.random() < 0.2 else "",
            interpreter_language=interpreter,
            summary=summary,
            created_by=creator,
            created_at=self.moment(min(held + _days(rng.randint(0, 2)), self.yesterday)),
            actions=[],
        )
        if actions:
            for number in range(rng.randint(1, 3)):
                if guests and (number == 0 and rng.random() < 0.7 or rng.random() < 0.3):
                    name, worker = rng.choice(guests)
                    slug = self.slug(name)
                    what = _fill(rng, rng.choice(EXTERNAL_ACTIONS.get(slug, PARTNER_ACTIONS)))
                    owner: str | None = worker if rng.random() < 0.85 else None
                elif rng.random() < 0.15:
                    name, owner, what = e.organisation, None, rng.choice(PARTICIPANT_ACTIONS)
                else:
                    name = e.organisation
                    owner = rng.choice(own_people)
                    if rng.random() < 0.3:
                        owner = rng.choice(self.staff_of(e))
                    what = _fill(rng, rng.choice(OWN_ACTIONS))
                action = ActionRow(what, owner, name, held + _days(rng.randint(7, 45)))
                self.action_state(e, action, held)
                row.actions.append(action)
        self.checkins_of[index].append(len(self.plan.checkins))
        self.plan.checkins.append(row)
        return row

    def ensure_actions(self) -> None:
        """Every user who works with participants has overdue and upcoming actions.

        Only where they may see the check-ins today: their own unit's (or, for a coordinator,
        organisation's) active enrollments, or enrollments a consent in force shares with them.
        """
        rng = self.rng
        ctx = self.ctx
        by_unit: dict[tuple[str, str], list[int]] = defaultdict(list)
        by_org: dict[str, list[int]] = defaultdict(list)
        for index, e in enumerate(ctx.enrollments):
            if e.active and (self.today - e.start).days >= 10:
                by_unit[(e.organisation, e.unit)].append(index)
                by_org[e.organisation].append(index)
        shared: dict[str, list[tuple[int, datetime.date]]] = defaultdict(list)
        for consent in self.plan.consents:
            if consent.in_force(self.today) and Part.CHECKINS in consent.parts:
                for name in consent.organisations:
                    shared[name].append((consent.enrollment, consent.given_on))
        for user in ctx.users:
            own = (
                by_org[user.organisation]
                if user.unit is None
                else by_unit[(user.organisation, user.unit)]
            )
            candidates = [(i, ctx.enrollments[i].start) for i in own] + [
                (i, given) for i, given in shared.get(user.organisation, ())
            ]
            candidates = [(i, day) for i, day in candidates if day <= self.today - _days(5)]
            if not candidates:
                continue
            mine = [
                (action, checkin)
                for i, _day_ in candidates
                for checkin in (self.plan.checkins[c] for c in self.checkins_of.get(i, ()))
                for action in checkin.actions
                if action.owner_user == user.username and action.done_at is None
            ]
            overdue = any(a.due_on < self.today for a, _ in mine)
            this_week = any(self.today <= a.due_on <= self.sunday for a, _ in mine)
            if overdue and this_week:
                continue
            index, since = rng.choice(candidates)
            e = ctx.enrollments[index]
            since = max(since, e.start)
            held_before = self.today - _days(3)
            checkins = [
                self.plan.checkins[c]
                for c in self.checkins_of.get(index, ())
                if since <= self.plan.checkins[c].held_on <= held_before
            ]
            if checkins:
                checkin = checkins[-1]
            else:
                held = _day(rng, max(since, self.today - _days(40)), held_before)
                checkin = self.checkin(index, e, held, actions=False)
            if user.username not in checkin.staff:
                checkin.staff.append(user.username)
            if user.organisation not in checkin.organisations:
                checkin.organisations.append(user.organisation)
            slug = self.slug(user.organisation)
            texts = (
                EXTERNAL_ACTIONS.get(slug, PARTNER_ACTIONS)
                if user.organisation != e.organisation
                else OWN_ACTIONS
            )
            if not overdue:
                due = _day(
                    rng,
                    max(checkin.held_on + _days(1), self.today - _days(20)),
                    self.today - _days(1),
                )
                checkin.actions.append(
                    ActionRow(_fill(rng, rng.choice(texts)), user.username, user.organisation, due)
                )
            if not this_week:
                due = _day(rng, self.today, self.sunday)
                checkin.actions.append(
                    ActionRow(_fill(rng, rng.choice(texts)), user.username, user.organisation, due)
                )

    # notes

    def notes(self, index: int, e: EnrollmentFacts) -> None:
        rng = self.rng
        if rng.random() >= WITH_NOTES:
            return
        last = self.last_day(e)
        count = rng.randint(1, 6)
        days = sorted(_day(rng, e.start, last) for _ in range(count))
        exit_note = not e.active and rng.random() < 0.6
        for number, day in enumerate(days):
            category: str
            if exit_note and number == len(days) - 1:
                category, text, day = (
                    NoteCategory.ADMINISTRATION,
                    _fill(rng, rng.choice(EXIT_NOTES)),
                    last,
                )
            else:
                category = _pick(rng, NOTE_CATEGORY_WEIGHTS)
                text = _fill(rng, rng.choice(NOTE_TEXTS[category]))
            later = 1 if rng.random() < 0.2 else 0  # sometimes written up the next day
            written = self.moment(min(day + _days(later), self.yesterday))
            author = self.own_worker(e, coordinator_share=0.1)
            self.plan.notes.append(
                NoteRow(index, day, category, text, author, e.organisation, written)
            )
            if rng.random() < CORRECTED:
                self.correct(len(self.plan.notes) - 1, e)

    def correct(self, original_index: int, e: EnrollmentFacts, depth: int = 0) -> None:
        rng = self.rng
        original = self.plan.notes[original_index]
        written = original.created_at + datetime.timedelta(hours=rng.randint(1, 24 * 6))
        written = min(written, self.moment(self.yesterday, 17, 17))
        written = max(written, original.created_at + datetime.timedelta(minutes=5))
        date, category, text = original.date, original.category, original.text
        choice = rng.random()
        if category != NoteCategory.SENSITIVE and choice < 0.25:
            category = NoteCategory.SENSITIVE
            reason = "Innehåller uppgifter om hälsa eller familj, flyttas till känslig kategori."
        elif choice < 0.55:
            date = max(original.date - _days(rng.randint(1, 7)), e.start)
            reason = "Fel datum angivet."
        else:
            text = f"{text} {_fill(rng, rng.choice(CLARIFICATIONS))}"
            reason = rng.choice(
                ("Förtydligande efter samtal med deltagaren.", "Uppgiften var ofullständig.")
            )
        self.plan.notes.append(
            NoteRow(
                enrollment=original.enrollment,
                date=date,
                category=category,
                text=text,
                author=original.author if rng.random() < 0.8 else self.own_worker(e),
                organisation=original.organisation,
                created_at=written,
                corrects=original_index,
                thread=original.thread if original.thread is not None else original_index,
                correction_reason=reason,
            )
        )
        if depth == 0 and rng.random() < 0.1:
            self.correct(len(self.plan.notes) - 1, e, depth + 1)

    # all of it

    def build(self) -> CaseworkPlan:
        enrollments = self.ctx.enrollments
        for index, e in enumerate(enrollments):
            self.mappings(index, e)
            self.sensitive(index, e)
        self.consents()
        consented = set(self.consents_of)
        others = len(enrollments) - len(consented)
        # Nearly every consent came with joint check-ins; the rest fill up to the target share.
        wanted = WITH_CHECKINS * len(enrollments) - 0.9 * len(consented)
        chance = min(1.0, max(0.0, wanted / others)) if others else 0.0
        for index, e in enumerate(enrollments):
            self.plans(index, e)
            self.checkins(index, e, 0.9 if index in consented else chance)
            self.notes(index, e)
        self.ensure_actions()
        return self.plan


def plan_casework(context: CaseworkContext, *, seed: int) -> CaseworkPlan:
    """The casework for a snapshot of the demo, as plain data; pure and deterministic."""
    return _Planner(random.Random(f"stegvis-casework:{seed}"), context).build()


# Reading the demo and writing the plan -----------------------------------------------------------


@dataclass(frozen=True)
class _Ids:
    enrollments: list[tuple[int, int, int]]  # (enrollment, participant, organisation) per index
    users: dict[str, int]
    organisations: dict[str, int]


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def load_context(*, today: datetime.date) -> tuple[CaseworkContext, _Ids]:
    programme = Programme.objects.get(code=cat.PROGRAMME_CODE)
    catalogue: dict[str, str] = {spec.name: spec.slug for spec in cat.PARTNERS}
    catalogue |= {name: slug for slug, name, *_rest in cat.EXTERNAL_ORGANISATIONS}
    organisations = {
        name: (catalogue.get(name, ""), kind, municipality)
        for name, kind, municipality in Organisation.objects.values_list(
            "name", "kind", "municipality"
        )
    }
    org_ids = dict(Organisation.objects.values_list("name", "pk"))
    partner_names = set(
        Partner.objects.filter(programme=programme).values_list("organisation__name", flat=True)
    )
    facts = []
    ids = []
    rows = (
        Enrollment.objects.filter(programme=programme)
        .select_related("participant", "unit__organisation", "track")
        .order_by("pk")
    )
    for row in rows:
        person = row.participant
        name = row.unit.organisation.name
        facts.append(
            EnrollmentFacts(
                pseudonym=row.pseudonym,
                organisation=name,
                slug=organisations[name][0],
                kind=organisations[name][1],
                unit=row.unit.name,
                track=row.track.name if row.track else "",
                start=row.start_date,
                end=row.end_date,
                active=row.status == EnrollmentStatus.ACTIVE,
                municipality=person.municipality,
                woman=person.gender == Gender.WOMAN,
                age=_age(person.birth_date, row.start_date),
                mother_tongue=person.mother_tongue,
                other_languages=tuple(person.other_languages or ()),
                interpreter_language=(
                    person.interpreter_language if person.interpreter_needed else ""
                ),
                years_of_schooling=person.years_of_schooling,
                education_level=person.education_level,
                country_of_birth=str(person.country_of_birth or ""),
                year_of_arrival=person.year_of_arrival,
            )
        )
        ids.append((row.pk, row.participant_id, row.unit.organisation_id))
    memberships = (
        Membership.objects.filter(
            is_active=True, user__is_active=True, role__in=[Role.STAFF, Role.COORDINATOR]
        )
        .values_list("user__username", "unit__organisation__name", "unit__name", "role")
        .order_by("user_id", "pk")
    )
    users = tuple(
        RecordUser(username, organisation, unit if role == Role.STAFF else None)
        for username, organisation, unit, role in memberships
    )
    user_ids = dict(get_user_model().objects.filter(is_active=True).values_list("username", "pk"))
    context = CaseworkContext(
        today=today,
        programme_end=programme.end_date,
        enrollments=tuple(facts),
        users=users,
        organisations=organisations,
        partners=tuple(name for name in org_ids if name in partner_names),
    )
    return context, _Ids(ids, user_ids, org_ids)


@dataclass(frozen=True)
class CaseworkSummary:
    mappings: int
    sensitive_records: int
    plans: int
    goals: int
    activities: int
    checkins: int
    actions: int
    notes: int
    consents: int
    consents_active: int
    consents_withdrawn: int
    consents_expired: int
    access_events: int
    fingerprint: str


def _bulk(model: type[models.Model], rows: list[Any]) -> list[Any]:
    created = model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)
    assert all(row.pk is not None for row in created)
    return created


class _Writer:
    def __init__(self, plan: CaseworkPlan, ids: _Ids) -> None:
        self.plan = plan
        self.ids = ids
        self.events: list[AccessEvent] = []
        self.consent_ids: list[int] = []

    def user(self, username: str) -> int:
        return self.ids.users[username]

    def org(self, name: str) -> int:
        return self.ids.organisations[name]

    def maybe_user(self, username: str | None) -> int | None:
        return self.ids.users[username] if username is not None else None

    def maybe_org(self, name: str | None) -> int | None:
        return self.ids.organisations[name] if name is not None else None

    def event(
        self,
        *,
        at: datetime.datetime,
        actor: str,
        organisation: str | int,
        enrollment: int,
        action: str,
        part: str,
        obj: models.Model,
        changes: dict[str, Any],
        consent: int | None = None,
        summary: str = "",
    ) -> None:
        enrollment_id, participant_id, _own = self.ids.enrollments[enrollment]
        self.events.append(
            AccessEvent(
                at=at,
                actor_id=self.ids.users[actor],
                actor_name=actor,
                organisation_id=(
                    organisation if isinstance(organisation, int) else self.org(organisation)
                ),
                action=action,
                part=part,
                participant_id=participant_id,
                enrollment_id=enrollment_id,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                changes=changes,
                consent_id=self.consent_ids[consent] if consent is not None else None,
                summary=summary,
            )
        )

    def own(self, enrollment: int) -> int:
        return self.ids.enrollments[enrollment][2]

    def enrollment_id(self, enrollment: int) -> int:
        return self.ids.enrollments[enrollment][0]

    def mappings(self) -> None:
        rows = self.plan.mappings
        created: dict[int, Mapping] = {}
        # First the mappings started from nothing, then those based on them.
        for later in (False, True):
            batch = [(i, r) for i, r in enumerate(rows) if (r.based_on is not None) == later]
            objects = _bulk(
                Mapping,
                [
                    Mapping(
                        enrollment_id=self.enrollment_id(r.enrollment),
                        based_on_id=created[r.based_on].pk if r.based_on is not None else None,
                        status=r.status,
                        carried_out_on=r.carried_out_on,
                        interpreter_used=bool(r.interpreter_language),
                        interpreter_language=r.interpreter_language,
                        years_of_schooling=r.years_of_schooling,
                        education_level=r.education_level,
                        literacy_mother_tongue=r.literacy_mother_tongue,
                        literacy_latin_script=r.literacy_latin_script,
                        informal_skills=r.informal_skills,
                        driving_licence=r.driving_licence,
                        digital_skills=r.digital_skills,
                        goals=r.goals,
                        recorded_by_id=self.user(r.recorded_by),
                        created_at=r.created_at,
                        completed_by_id=self.user(r.recorded_by) if r.completed_at else None,
                        completed_at=r.completed_at,
                    )
                    for _i, r in batch
                ],
            )
            created.update({i: obj for (i, _r), obj in zip(batch, objects, strict=True)})
        _bulk(
            MappingLanguage,
            [
                MappingLanguage(mapping_id=created[i].pk, language=code, level=level)
                for i, r in enumerate(rows)
                for code, level in r.languages
            ],
        )
        _bulk(
            WorkExperience,
            [
                WorkExperience(mapping_id=created[i].pk, occupation=o, country=c, years=y)
                for i, r in enumerate(rows)
                for o, c, y in r.work
            ],
        )
        _bulk(
            Qualification,
            [
                Qualification(
                    mapping_id=created[i].pk,
                    title=title,
                    country=country,
                    kind=kind,
                    recognition_applied=applied,
                    recognition_applied_on=applied_on,
                )
                for i, r in enumerate(rows)
                for title, country, kind, applied, applied_on in r.qualifications
            ],
        )
        content = (
            "carried_out_on",
            "interpreter_language",
            "years_of_schooling",
            "education_level",
            "literacy_mother_tongue",
            "literacy_latin_script",
            "informal_skills",
            "driving_licence",
            "digital_skills",
            "goals",
        )
        for i, r in enumerate(rows):
            # Field names only, as mapping_save logs them: never the content.
            changes: dict[str, Any] = {
                name: None for name in content if getattr(r, name) not in (None, "")
            }
            if r.interpreter_language:
                changes["interpreter_used"] = None
            for name, values in (
                ("languages", r.languages),
                ("work_experience", r.work),
                ("qualifications", r.qualifications),
            ):
                if values:
                    changes[name] = None
            if r.status == MappingStatus.COMPLETED:
                changes["status"] = [MappingStatus.DRAFT.value, MappingStatus.COMPLETED.value]
            self.event(
                at=r.completed_at or r.created_at,
                actor=r.recorded_by,
                organisation=self.own(r.enrollment),
                enrollment=r.enrollment,
                action=Action.CREATE,
                part=Part.MAPPING,
                obj=created[i],
                changes=changes,
            )

    def sensitive(self) -> None:
        rows = self.plan.sensitive
        objects = _bulk(
            SensitiveCircumstances,
            [
                SensitiveCircumstances(
                    enrollment_id=self.enrollment_id(r.enrollment),
                    health=r.health,
                    family_situation=r.family_situation,
                    other=r.other,
                    recorded_by_id=self.user(r.recorded_by),
                    recorded_at=r.recorded_at,
                )
                for r in rows
            ],
        )
        for r, obj in zip(rows, objects, strict=True):
            self.event(
                at=r.recorded_at,
                actor=r.recorded_by,
                organisation=self.own(r.enrollment),
                enrollment=r.enrollment,
                action=Action.CREATE if r.first else Action.UPDATE,
                part=Part.SENSITIVE,
                obj=obj,
                changes={
                    name: None
                    for name, value in (
                        ("health", r.health),
                        ("family_situation", r.family_situation),
                        ("other", r.other),
                    )
                    if value or not r.first
                },
            )

    def consents(self) -> None:
        rows = self.plan.consents
        objects = _bulk(
            Consent,
            [
                Consent(
                    enrollment_id=self.enrollment_id(r.enrollment),
                    takes_part_in_plan=r.takes_part_in_plan,
                    purpose=r.purpose,
                    form=r.form,
                    language=r.language,
                    interpreter_used=r.interpreter_used,
                    document_reference=r.document_reference,
                    given_on=r.given_on,
                    valid_from=r.valid_from,
                    valid_to=r.valid_to,
                    recorded_by_id=self.user(r.recorded_by),
                    recorded_at=r.recorded_at,
                    withdrawn_at=r.withdrawn_at,
                    withdrawn_by_id=self.maybe_user(r.withdrawn_by),
                    withdrawal_note=r.withdrawal_note,
                    **{fld: part in r.parts for part, fld in SHAREABLE_PARTS.items()},
                )
                for r in rows
            ],
        )
        self.consent_ids = [obj.pk for obj in objects]
        through = Consent.organisations.through
        _bulk(
            through,
            [
                through(consent_id=obj.pk, organisation_id=self.org(name))
                for r, obj in zip(rows, objects, strict=True)
                for name in r.organisations
            ],
        )
        for r, obj in zip(rows, objects, strict=True):
            self.event(
                at=r.recorded_at,
                actor=r.recorded_by,
                organisation=self.own(r.enrollment),
                enrollment=r.enrollment,
                action=Action.CREATE,
                part=Part.RECORD,
                obj=obj,
                changes={
                    "organisations": sorted(r.organisations),
                    "parts": sorted(r.parts),
                    "valid": [r.valid_from.isoformat(), r.valid_to.isoformat()],
                },
            )
            if r.withdrawn_at is not None and r.withdrawn_by is not None:
                self.event(
                    at=r.withdrawn_at,
                    actor=r.withdrawn_by,
                    organisation=self.own(r.enrollment),
                    enrollment=r.enrollment,
                    action=Action.UPDATE,
                    part=Part.RECORD,
                    obj=obj,
                    changes={"withdrawn_at": [None, r.withdrawn_at.isoformat()]},
                    summary="consent withdrawn",
                )

    def plans(self) -> None:
        rows = self.plan.plans
        created: dict[int, Plan] = {}
        for later in (False, True):
            batch = [(i, r) for i, r in enumerate(rows) if (r.based_on is not None) == later]
            objects = _bulk(
                Plan,
                [
                    Plan(
                        enrollment_id=self.enrollment_id(r.enrollment),
                        version=r.version,
                        status=r.status,
                        based_on_id=created[r.based_on].pk if r.based_on is not None else None,
                        agreed_on=r.agreed_on,
                        interpreter_used=bool(r.interpreter_language),
                        interpreter_language=r.interpreter_language,
                        conversation_language=r.conversation_language,
                        agreed_by_id=self.maybe_user(r.agreed_by),
                        agreed_at=r.agreed_at,
                        created_by_id=self.user(r.created_by),
                        created_at=r.created_at,
                    )
                    for _i, r in batch
                ],
            )
            created.update({i: obj for (i, _r), obj in zip(batch, objects, strict=True)})
        _bulk(
            Goal,
            [
                Goal(
                    plan_id=created[i].pk,
                    text=g.text,
                    target_date=g.target_date,
                    status=g.status,
                    position=position,
                )
                for i, r in enumerate(rows)
                for position, g in enumerate(r.goals)
            ],
        )
        _bulk(
            PlannedActivity,
            [
                PlannedActivity(
                    plan_id=created[i].pk,
                    what=a.what,
                    organisation_id=self.maybe_org(a.organisation),
                    responsible_user_id=self.maybe_user(a.responsible_user),
                    responsible_name=a.responsible_name,
                    starts_on=a.starts_on,
                    ends_on=a.ends_on,
                    position=position,
                )
                for i, r in enumerate(rows)
                for position, a in enumerate(r.activities)
            ],
        )
        for i, r in enumerate(rows):
            obj = created[i]
            self.event(
                at=r.created_at,
                actor=r.created_by,
                organisation=r.created_by_organisation,
                enrollment=r.enrollment,
                action=Action.CREATE,
                part=Part.PLAN,
                obj=obj,
                changes={"goals": None, "activities": None},
                consent=r.consent,
                summary=(
                    f"version {r.version}: goals +{len(r.goals)} ~0 -0, "
                    f"activities +{len(r.activities)} ~0 -0"
                ),
            )
            if r.agreed_at is not None and r.agreed_on is not None and r.agreed_by is not None:
                self.event(
                    at=max(r.agreed_at, r.created_at),
                    actor=r.agreed_by,
                    organisation=self.own(r.enrollment),
                    enrollment=r.enrollment,
                    action=Action.UPDATE,
                    part=Part.PLAN,
                    obj=obj,
                    changes={
                        "status": [PlanStatus.DRAFT.value, PlanStatus.AGREED.value],
                        "agreed_on": [None, r.agreed_on.isoformat()],
                        "interpreter_used": [None, bool(r.interpreter_language)],
                        "conversation_language": [None, r.conversation_language],
                    },
                    summary=f"version {r.version} agreed",
                )

    def checkins(self) -> None:
        rows = self.plan.checkins
        objects = _bulk(
            CheckIn,
            [
                CheckIn(
                    enrollment_id=self.enrollment_id(r.enrollment),
                    held_on=r.held_on,
                    participant_present=r.participant_present,
                    external_attendees=r.external_attendees,
                    interpreter_used=bool(r.interpreter_language),
                    interpreter_language=r.interpreter_language,
                    summary=r.summary,
                    created_by_id=self.user(r.created_by),
                    created_at=r.created_at,
                )
                for r in rows
            ],
        )
        staff, organisations = CheckIn.staff.through, CheckIn.organisations.through
        _bulk(
            staff,
            [
                staff(checkin_id=obj.pk, user_id=self.user(username))
                for r, obj in zip(rows, objects, strict=True)
                for username in r.staff
            ],
        )
        _bulk(
            organisations,
            [
                organisations(checkin_id=obj.pk, organisation_id=self.org(name))
                for r, obj in zip(rows, objects, strict=True)
                for name in r.organisations
            ],
        )
        pairs = [(r, obj, a) for r, obj in zip(rows, objects, strict=True) for a in r.actions]
        actions = _bulk(
            AgreedAction,
            [
                AgreedAction(
                    checkin_id=obj.pk,
                    what=a.what,
                    owner_user_id=self.maybe_user(a.owner_user),
                    owner_organisation_id=self.org(a.owner_organisation),
                    due_on=a.due_on,
                    done_at=a.done_at,
                    done_by_id=self.maybe_user(a.done_by),
                    position=position,
                )
                for r, obj in zip(rows, objects, strict=True)
                for position, a in enumerate(r.actions)
            ],
        )
        for r, obj in zip(rows, objects, strict=True):
            self.event(
                at=r.created_at,
                actor=r.created_by,
                organisation=self.own(r.enrollment),
                enrollment=r.enrollment,
                action=Action.CREATE,
                part=Part.CHECKINS,
                obj=obj,
                changes={"held_on": r.held_on.isoformat(), "actions": len(r.actions)},
                summary=f"{len(r.actions)} actions",
            )
        consents_of: dict[int, list[int]] = defaultdict(list)
        for number, row in enumerate(self.plan.consents):
            consents_of[row.enrollment].append(number)
        for (r, _checkin, a), action in zip(pairs, actions, strict=True):
            if a.done_at is None or a.done_by is None:
                continue
            organisation: str | int = self.own(r.enrollment)
            consent: int | None = None
            if a.done_by == a.owner_user and self.org(a.owner_organisation) != organisation:
                # The owner in another organisation marked it done, relying on the consent.
                organisation = a.owner_organisation
                relied_on = [
                    c
                    for c in consents_of[r.enrollment]
                    if a.owner_organisation in self.plan.consents[c].organisations
                ]
                in_force = [
                    c
                    for c in relied_on
                    if self.plan.consents[c].in_force(a.done_at.date())
                    and Part.CHECKINS in self.plan.consents[c].parts
                ]
                consent = next(iter(in_force or relied_on), None)
            self.event(
                at=a.done_at,
                actor=a.done_by,
                organisation=organisation,
                enrollment=r.enrollment,
                action=Action.UPDATE,
                part=Part.CHECKINS,
                obj=action,
                changes={"done_at": [None, a.done_at.isoformat()]},
                consent=consent,
                summary="action done",
            )

    def notes(self) -> None:
        rows = self.plan.notes
        created: dict[int, Note] = {}
        depth: list[int] = []
        for r in rows:
            depth.append(0 if r.corrects is None else depth[r.corrects] + 1)
        # Originals first, then their corrections, then corrections of corrections.
        for level in range(max(depth, default=-1) + 1):
            batch = [(i, r) for i, r in enumerate(rows) if depth[i] == level]
            objects = _bulk(
                Note,
                [
                    Note(
                        enrollment_id=self.enrollment_id(r.enrollment),
                        date=r.date,
                        category=r.category,
                        text=r.text,
                        author_id=self.user(r.author),
                        organisation_id=self.org(r.organisation),
                        created_at=r.created_at,
                        corrects_id=created[r.corrects].pk if r.corrects is not None else None,
                        thread_id=created[r.thread].pk if r.thread is not None else None,
                        correction_reason=r.correction_reason,
                    )
                    for _i, r in batch
                ],
            )
            created.update({i: obj for (i, _r), obj in zip(batch, objects, strict=True)})
        # As note_create and note_correct decide it when each note is written: a correction of
        # a sensitive note, or one moving a note to the sensitive category, is sensitive.
        sensitive: list[bool] = []
        for r in rows:
            earlier = r.corrects is not None and sensitive[r.corrects]
            sensitive.append(earlier or r.category == NoteCategory.SENSITIVE)
        for i, r in enumerate(rows):
            changes: dict[str, Any] = {}
            if r.corrects is not None:
                changes["corrects"] = [None, created[r.corrects].pk]
            changes.update(dict.fromkeys(NOTE_FIELDS))
            if r.corrects is not None:
                changes["correction_reason"] = None
            self.event(
                at=r.created_at,
                actor=r.author,
                organisation=r.organisation,
                enrollment=r.enrollment,
                action=Action.CREATE,
                part=Part.SENSITIVE if sensitive[i] else Part.NOTES,
                obj=created[i],
                changes=changes,
            )

    def write(self) -> int:
        self.mappings()
        self.sensitive()
        self.consents()
        self.plans()
        self.checkins()
        self.notes()
        self.events.sort(key=lambda event: event.at)
        return len(_bulk(AccessEvent, self.events))


def write_casework(*, seed: int, today: datetime.date) -> CaseworkSummary:
    """Plan and insert the casework for the demo just written; call inside its transaction."""
    context, ids = load_context(today=today)
    plan = plan_casework(context, seed=seed)
    events = _Writer(plan, ids).write()
    states = [consent.state(today) for consent in plan.consents]
    return CaseworkSummary(
        mappings=len(plan.mappings),
        sensitive_records=len(plan.sensitive),
        plans=len(plan.plans),
        goals=sum(len(p.goals) for p in plan.plans),
        activities=sum(len(p.activities) for p in plan.plans),
        checkins=len(plan.checkins),
        actions=sum(len(c.actions) for c in plan.checkins),
        notes=len(plan.notes),
        consents=len(plan.consents),
        consents_active=states.count("active"),
        consents_withdrawn=states.count("withdrawn"),
        consents_expired=states.count("expired"),
        access_events=events,
        fingerprint=casework_fingerprint(plan),
    )


__all__ = [
    "CaseworkContext",
    "CaseworkPlan",
    "CaseworkSummary",
    "casework_fingerprint",
    "load_context",
    "plan_casework",
    "write_casework",
]
