"""The spreadsheet columns of every kind, defined once.

These specs drive the templates (headers, example row, explanation sheet, drop-down lists),
the parsing and validation of uploaded cells, the export and docs/import.md. Headers are
Swedish in templates and exports; the English header and the internal key are accepted too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from stegvis.activities.models import AttendanceStatus, EndReason
from stegvis.languagelevels.models import CefrLevel, Grade, ResultKind, SfiCourse, Skill, Source
from stegvis.outcomes.models import ExitReason, ExitType, Occupation, SupportSource
from stegvis.participants.languages import LANGUAGE_CHOICES
from stegvis.participants.models import EducationLevel, Gender, LabourMarketStatus, ReferralSource
from stegvis.progression.models import INSTRUMENT_LANGUAGES, AssessmentMode, MeasurementPoint

from .parsing import ParseError, parse_date, parse_decimal, parse_int

# Spreadsheet programs run cells starting with these as formulas; CSV exports quote them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Separators inside one cell holding several values (citizenships, languages).
LIST_SEPARATORS = (",", ";", "/", "|")

Choices = list[tuple[str, Any]]


def fold(text: str) -> str:
    """Lower case without accents or surrounding space, for matching names and codes."""
    text = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


@cache
def _lookup(choices_id: str) -> dict[str, str]:
    """code, English name and Swedish name (folded) → code."""
    table: dict[str, str] = {}
    for language in ("en", "sv"):
        with translation.override(language):
            # Country names are translated when iterated, other labels when rendered.
            for code, label in _CHOICE_SETS[choices_id]():
                table.setdefault(fold(code), code)
                table.setdefault(fold(str(label)), code)
    return table


def _country_choices() -> Choices:
    return [(code, name) for code, name in countries]


_CHOICE_SETS: dict[str, Callable[[], Choices]] = {
    "gender": lambda: list(Gender.choices),
    "education": lambda: list(EducationLevel.choices),
    "labour": lambda: list(LabourMarketStatus.choices),
    "referral": lambda: list(ReferralSource.choices),
    "language": lambda: list(LANGUAGE_CHOICES),
    "country": _country_choices,
    "exit_type": lambda: list(ExitType.choices),
    "exit_reason": lambda: list(ExitReason.choices),
    "occupation": lambda: list(Occupation.choices),
    "support": lambda: list(SupportSource.choices),
    "end_reason": lambda: list(EndReason.choices),
    "attendance": lambda: list(AttendanceStatus.choices),
    "result_kind": lambda: list(ResultKind.choices),
    "sfi_course": lambda: list(SfiCourse.choices),
    "grade": lambda: list(Grade.choices),
    "skill": lambda: list(Skill.choices),
    "cefr": lambda: list(CefrLevel.choices),
    "result_source": lambda: list(Source.choices),
    "measurement_point": lambda: list(MeasurementPoint.choices),
    "assessment_mode": lambda: list(AssessmentMode.choices),
    "instrument_language": lambda: list(INSTRUMENT_LANGUAGES),
}

_TRUE = {"ja", "j", "yes", "y", "x", "1", "true", "sant"}
_FALSE = {"nej", "n", "no", "0", "false", "falskt", ""}


def parse_bool(text: str) -> bool:
    folded = fold(text)
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ParseError(gettext("Write ja or nej (yes or no)."))


def parse_choice(text: str, choices_id: str) -> str:
    code = _lookup(choices_id).get(fold(text))
    three = text.strip().upper()
    if code is None and choices_id == "country" and len(three) == 3 and three.isascii():
        # Three-letter codes (SYR) are common in registers. (ASCII only: the library
        # crashes on digits such as "¹", which hypothesis found.)
        code = countries.alpha2(three) if three.isalpha() else None
        code = code or None
    if code is None:
        raise ParseError(_unknown_message(choices_id))
    return code


def _unknown_message(choices_id: str) -> str:
    if choices_id == "country":
        return gettext("Unknown country: write a code such as SY or SYR, or the country's name.")
    if choices_id == "language":
        return gettext("Unknown language: write a code such as ar, or the language's name.")
    if choices_id == "exit_reason":
        return gettext("Unknown exit reason: see the explanation sheet for the codes.")
    codes = ", ".join(code for code, _label in _CHOICE_SETS[choices_id]())
    return gettext("Unknown value: write one of %(codes)s, or its name.") % {"codes": codes}


def split_list(text: str) -> list[str]:
    parts = [text]
    for separator in LIST_SEPARATORS:
        parts = [piece for part in parts for piece in part.split(separator)]
    return [part.strip() for part in parts if part.strip()]


@dataclass(frozen=True)
class Column:
    key: str
    sv: str
    en: str
    help: Promise | str
    example: str
    required: bool = False
    # text, date, int, bool, choice, choices (several), identity, or a name looked up in the
    # partner's own data: unit, track, activity.
    type: str = "text"
    choices: str = ""
    max_length: int = 200
    min_value: int | None = None
    max_value: int | None = None

    @property
    def headers(self) -> tuple[str, str, str]:
        return (self.sv, self.en, self.key)

    def allowed(self) -> Choices:
        return _CHOICE_SETS[self.choices]() if self.choices else []

    def parse(self, text: str) -> Any:
        """Context-free parsing of one cell; lookups in the partner's data happen later."""
        if self.type == "date":
            return parse_date(text)
        if self.type == "int":
            value = parse_int(text)
            if (self.min_value is not None and value < self.min_value) or (
                self.max_value is not None and value > self.max_value
            ):
                raise ParseError(
                    gettext("Give a number from %(min)s to %(max)s.")
                    % {"min": self.min_value, "max": self.max_value}
                )
            return value
        if self.type == "decimal":
            return parse_decimal(text)
        if self.type == "bool":
            return parse_bool(text)
        if self.type == "choice":
            return parse_choice(text, self.choices)
        if self.type == "choices":
            codes = []
            for item in split_list(text):
                code = parse_choice(item, self.choices)
                if code not in codes:
                    codes.append(code)
            return codes
        if text.startswith("'") and text[1:].startswith(FORMULA_START):
            text = text[1:]
        if len(text) > self.max_length:
            raise ParseError(
                gettext("At most %(max)s characters, please.") % {"max": self.max_length}
            )
        return text


@dataclass(frozen=True)
class Kind:
    key: str
    sv: str  # sheet and file name in Swedish
    en: str
    title: Promise | str
    columns: tuple[Column, ...]
    help: Promise | str = ""
    names: tuple[str, ...] = field(default=())

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def sheet_names(self) -> set[str]:
        return {fold(self.sv), fold(self.en), fold(self.key)}


IDENTITY = Column(
    "identity_number",
    "Personnummer",
    "Identity number",
    _(
        "Personnummer or samordningsnummer: YYYYMMDD-NNNN, YYYYMMDDNNNN or YYMMDD-NNNN. "
        "Identifies the person; empty when the person has no Swedish number."
    ),
    "19900101-0017",
    type="identity",
    max_length=20,
)
EXTERNAL_ID = Column(
    "external_id",
    "Eget id",
    "External id",
    _(
        "Your organisation's own id for the participant. Identifies the row when there is "
        "no identity number; importing again with the same id updates instead of adding."
    ),
    "A-1001",
    max_length=64,
)

# The activity column of participation and attendance rows.
ACTIVITY = Column(
    "activity",
    "Aktivitet",
    "Activity",
    _("The activity's name as shown in Stegvis."),
    "Svenska för yrket",
    True,
    "activity",
)

# The free-text note column several kinds share.
NOTE = Column(
    "note",
    "Anteckning",
    "Note",
    _("Free text; never write sensitive details here."),
    "",
    max_length=2000,
)

PARTICIPANTS = Kind(
    key="participants",
    sv="Deltagare",
    en="Participants",
    title=_("Participants and enrollments"),
    help=_(
        "One row per participant enrolled through your partner. Rows are matched to "
        "participants you already have by identity number, then by your own id, then by "
        "name and date of birth; matched rows are updated, the others are enrolled."
    ),
    columns=(
        IDENTITY,
        EXTERNAL_ID,
        Column(
            "first_name", "Förnamn", "First name", _("First name."), "Amina", True, max_length=100
        ),
        Column(
            "last_name", "Efternamn", "Last name", _("Last name."), "Hassan", True, max_length=100
        ),
        Column(
            "birth_date",
            "Födelsedatum",
            "Date of birth",
            _("Required without an identity number; must match the number when both are given."),
            "1990-01-01",
            type="date",
        ),
        Column("gender", "Kön", "Gender", _("Code or name."), "woman", True, "choice", "gender"),
        Column(
            "protected_identity",
            "Skyddad identitet",
            "Protected identity",
            _("ja if the person has protected personal data; empty means nej."),
            "nej",
            type="bool",
        ),
        Column(
            "citizenships",
            "Medborgarskap",
            "Citizenships",
            _(
                "Country codes (SY, SYR) or names in Swedish or English; several separated "
                "by commas. Decides eligibility."
            ),
            "SY",
            type="choices",
            choices="country",
        ),
        Column(
            "stateless",
            "Statslös",
            "Stateless",
            _("ja if the person is stateless; empty means nej."),
            "nej",
            type="bool",
        ),
        Column(
            "country_of_birth",
            "Födelseland",
            "Country of birth",
            _("Country code or name."),
            "SY",
            type="choice",
            choices="country",
        ),
        Column(
            "year_of_arrival",
            "Ankomstår",
            "Year of arrival",
            _("Year of arrival in Sweden, 1940 or later."),
            "2019",
            type="int",
            min_value=1940,
            max_value=2100,
        ),
        Column(
            "municipality",
            "Kommun",
            "Municipality",
            _("Municipality of residence."),
            "Lerum",
            max_length=100,
        ),
        Column(
            "mother_tongue",
            "Modersmål",
            "Mother tongue",
            _("Language code or name."),
            "ar",
            type="choice",
            choices="language",
        ),
        Column(
            "other_languages",
            "Andra språk",
            "Other languages",
            _("Language codes or names separated by commas."),
            "en, sv",
            type="choices",
            choices="language",
        ),
        Column(
            "interpreter_needed",
            "Behöver tolk",
            "Needs an interpreter",
            _("ja or nej; empty means nej."),
            "nej",
            type="bool",
        ),
        Column(
            "interpreter_language",
            "Tolkspråk",
            "Interpreter language",
            _("Language code or name."),
            "",
            type="choice",
            choices="language",
        ),
        Column(
            "years_of_schooling",
            "Antal skolår",
            "Years of schooling",
            _("A whole number from 0 to 30."),
            "9",
            type="int",
            min_value=0,
            max_value=30,
        ),
        Column(
            "education_level",
            "Utbildningsnivå",
            "Education level",
            _("Highest education as an ISCED level: code or name."),
            "2",
            type="choice",
            choices="education",
        ),
        Column(
            "labour_market_status",
            "Arbetsmarknadsstatus",
            "Labour-market status",
            _("Labour-market status at entry: code or name."),
            "unemployed",
            type="choice",
            choices="labour",
        ),
        Column(
            "referral_source",
            "Remitterad av",
            "Referred by",
            _("Who referred the participant: code or name."),
            "pes",
            type="choice",
            choices="referral",
        ),
        Column(
            "unit",
            "Enhet",
            "Unit",
            _("The name of one of your organisation's units. May be empty if it has only one."),
            "Vuxenutbildningen",
            type="unit",
        ),
        Column(
            "track",
            "Spår",
            "Track",
            _("The name of one of the programme's tracks, or empty."),
            "",
            type="track",
        ),
        Column(
            "start_date",
            "Startdatum",
            "Start date",
            _("The enrollment date, within the programme's period."),
            "2024-03-05",
            True,
            "date",
        ),
    ),
)

EXITS = Kind(
    key="exits",
    sv="Avslut",
    en="Exits",
    title=_("Exits"),
    help=_(
        "One row per participant who has left. The participant is found by identity number "
        "or your own id, among your participants or the participant rows of the same file."
    ),
    columns=(
        IDENTITY,
        EXTERNAL_ID,
        Column(
            "exit_date",
            "Avslutsdatum",
            "Exit date",
            _("Not before the start date, not in the future."),
            "2024-09-30",
            True,
            "date",
        ),
        Column(
            "exit_type",
            "Typ av avslut",
            "Type of exit",
            _("Code or name."),
            "completed",
            True,
            "choice",
            "exit_type",
        ),
        Column(
            "reason",
            "Avslutsorsak",
            "Reason",
            _("Exit reason code (work.employment) or name."),
            "work.employment",
            True,
            "choice",
            "exit_reason",
        ),
        Column(
            "job_seeking",
            "Arbetssökande",
            "Job seeking",
            _("ja or nej: engaged in job searching on leaving."),
            "nej",
            type="bool",
        ),
        Column(
            "in_education",
            "I utbildning",
            "In education",
            _("ja or nej: in education or training on leaving."),
            "nej",
            type="bool",
        ),
        Column(
            "gained_qualification",
            "Fått kvalifikation",
            "Gained qualification",
            _("ja or nej: gained a qualification."),
            "nej",
            type="bool",
        ),
        Column(
            "in_employment",
            "I arbete",
            "In employment",
            _("ja or nej: in employment, including self-employment, on leaving."),
            "ja",
            type="bool",
        ),
        Column(
            "occupation_before",
            "Sysselsättning före",
            "Occupation before",
            _("Code or name; empty means unknown."),
            "job_seeker",
            type="choice",
            choices="occupation",
        ),
        Column(
            "occupation_after",
            "Sysselsättning efter",
            "Occupation after",
            _("Code or name; empty means unknown."),
            "work",
            type="choice",
            choices="occupation",
        ),
        Column(
            "support_before",
            "Försörjning före",
            "Support before",
            _("Code or name; empty means unknown."),
            "establishment_allowance",
            type="choice",
            choices="support",
        ),
        Column(
            "support_after",
            "Försörjning efter",
            "Support after",
            _("Code or name; empty means unknown."),
            "salary",
            type="choice",
            choices="support",
        ),
        NOTE,
    ),
)

PARTICIPATIONS = Kind(
    key="participations",
    sv="Aktivitetsdeltagande",
    en="Activity participation",
    title=_("Activity participation"),
    help=_(
        "One row per participant in an activity. The activity must already exist in Stegvis "
        "with this name and be provided by your partner."
    ),
    columns=(
        IDENTITY,
        EXTERNAL_ID,
        ACTIVITY,
        Column(
            "start_date",
            "Startdatum",
            "Start date",
            _("Within the activity's dates."),
            "2024-03-11",
            True,
            "date",
        ),
        Column(
            "end_date",
            "Slutdatum",
            "End date",
            _("When the participation ended; empty while it goes on. Needs a reason."),
            "",
            type="date",
        ),
        Column(
            "end_reason",
            "Orsak till avslut",
            "Reason for ending",
            _("Code or name; required with an end date."),
            "",
            type="choice",
            choices="end_reason",
        ),
    ),
)

ATTENDANCE = Kind(
    key="attendance",
    sv="Närvaro",
    en="Attendance",
    title=_("Attendance"),
    help=_(
        "One row per participant and session. The session (the activity on that date) must "
        "exist in Stegvis and the participant take part in the activity on that date."
    ),
    columns=(
        IDENTITY,
        EXTERNAL_ID,
        ACTIVITY,
        Column(
            "date",
            "Datum",
            "Date",
            _("The session's date; not in the future."),
            "2024-03-12",
            True,
            "date",
        ),
        Column(
            "status",
            "Närvaro",
            "Attendance",
            _("present, absent or excused (or the Swedish or English name)."),
            "present",
            True,
            "choice",
            "attendance",
        ),
        Column(
            "hours",
            "Timmar",
            "Hours",
            _("Hours present, 0 to 24, decimal comma allowed; empty means the session's hours."),
            "2,5",
            type="decimal",
        ),
    ),
)

LANGUAGE_RESULTS = Kind(
    key="language_results",
    sv="Språkresultat",
    en="Language results",
    title=_("Language results"),
    help=_(
        "One row per result: an SFI course (study path, course, grade), SAS grund (grade) or "
        "a CEFR level in one skill. The same result twice is recorded once."
    ),
    columns=(
        IDENTITY,
        EXTERNAL_ID,
        Column(
            "kind",
            "Typ av resultat",
            "Kind of result",
            _("sfi_course, sas or cefr (or the name)."),
            "sfi_course",
            True,
            "choice",
            "result_kind",
        ),
        Column(
            "result_date",
            "Datum",
            "Date",
            _("The date of the result; not in the future."),
            "2024-06-10",
            True,
            "date",
        ),
        Column(
            "study_path",
            "Studieväg",
            "Study path",
            _("SFI only: 1, 2 or 3."),
            "2",
            type="int",
            min_value=1,
            max_value=3,
        ),
        Column(
            "course",
            "Kurs",
            "SFI course",
            _("SFI only: A, B, C or D (study path 2 has B–D, study path 3 C–D)."),
            "B",
            type="choice",
            choices="sfi_course",
        ),
        Column(
            "grade",
            "Betyg",
            "Grade",
            _("SFI and SAS: A–F or G/IG; empty while the course is studied."),
            "C",
            type="choice",
            choices="grade",
        ),
        Column(
            "skill",
            "Färdighet",
            "Skill",
            _("CEFR only: the skill assessed."),
            "",
            type="choice",
            choices="skill",
        ),
        Column(
            "cefr_level",
            "CEFR-nivå",
            "CEFR level",
            _("CEFR only: preA1, A1, A2, B1, B2, C1 or C2."),
            "",
            type="choice",
            choices="cefr",
        ),
        Column(
            "source",
            "Källa",
            "Source",
            _("Where the result comes from: code or name."),
            "school_result",
            True,
            "choice",
            "result_source",
        ),
        NOTE,
    ),
)

ASSESSMENTS = Kind(
    key="assessments",
    sv="Skattningar",
    en="Assessments",
    title=_("Assessments"),
    help=_(
        "One row per answer. Rows with the same person, instrument, version and date form one "
        "assessment; questions left out are recorded as skipped. An assessment already "
        "recorded with the same answers is left as it is."
    ),
    columns=(
        IDENTITY,
        EXTERNAL_ID,
        Column(
            "instrument",
            "Instrument",
            "Instrument",
            _("The instrument's code as shown in Stegvis, e.g. self-rating."),
            "self-rating",
            True,
            max_length=50,
        ),
        Column(
            "version",
            "Version",
            "Version",
            _("The instrument's version number the questions were answered in."),
            "1",
            True,
            "int",
            min_value=1,
            max_value=9999,
        ),
        Column(
            "date",
            "Datum",
            "Date",
            _("The date of the assessment; not in the future."),
            "2024-04-02",
            True,
            "date",
        ),
        Column(
            "point",
            "Mätpunkt",
            "Measurement point",
            _("start, follow_up or exit (or the name)."),
            "start",
            True,
            "choice",
            "measurement_point",
        ),
        Column(
            "mode",
            "Sätt",
            "Mode",
            _("self or assisted (or the name); empty means assisted."),
            "assisted",
            type="choice",
            choices="assessment_mode",
        ),
        Column(
            "interpreter_used",
            "Tolk användes",
            "Interpreter used",
            _("ja if an interpreter took part; empty means nej."),
            "nej",
            type="bool",
        ),
        Column(
            "language",
            "Språk",
            "Language",
            _("The language the questions were answered in; empty means Swedish."),
            "sv",
            type="choice",
            choices="instrument_language",
        ),
        Column(
            "item",
            "Fråga",
            "Item",
            _("The question's code in this version of the instrument."),
            "swedish",
            True,
            max_length=50,
        ),
        Column(
            "value",
            "Värde",
            "Value",
            _(
                "A value on the question's scale, the number of the choice, or the text of a "
                "free-text question; empty means skipped."
            ),
            "6",
            max_length=2000,
        ),
    ),
)

KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        PARTICIPANTS,
        EXITS,
        PARTICIPATIONS,
        ATTENDANCE,
        LANGUAGE_RESULTS,
        ASSESSMENTS,
    )
}
# Sheets of our own templates that hold no data.
IGNORED_SHEETS = {fold(name) for name in ("Förklaringar", "Explanations", "Listor", "Lists")}


def kind_for_table(name: str, headers: Iterable[str]) -> Kind | None:
    """By sheet or file name first, else the kind whose required headers the table has."""
    folded = fold(name)
    for kind in KINDS.values():
        if folded in kind.sheet_names() or any(folded.endswith(n) for n in kind.sheet_names()):
            return kind
    # Else the kind with most of its own columns (besides the two identifying ones) present;
    # a missing required column is then reported as such.
    present = {fold(header).rstrip(" *") for header in headers}
    best: tuple[int, Kind] | None = None
    for kind in KINDS.values():
        score = sum(
            any(fold(h) in present for h in c.headers)
            for c in kind.columns
            if c.key not in ("identity_number", "external_id")
        )
        if score and (best is None or score > best[0]):
            best = (score, kind)
    return best[1] if best else None


def header_map(kind: Kind, headers: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """column key → index in the row; unknown headers; headers given twice."""
    lookup = {fold(h): column.key for column in kind.columns for h in column.headers}
    found: dict[str, int] = {}
    unknown, repeated = [], []
    for index, header in enumerate(headers):
        # Templates mark required columns with an asterisk.
        key = lookup.get(fold(header).rstrip(" *"))
        if key is None:
            if header:
                unknown.append(header)
        elif key in found:
            repeated.append(header)
        else:
            found[key] = index
    return found, unknown, repeated


def choice_label(choices_id: str, code: str) -> str:
    return str(dict(_CHOICE_SETS[choices_id]()).get(code, code))


def allowed_codes(column: Column) -> list[str]:
    return [code for code, _label in column.allowed()]
