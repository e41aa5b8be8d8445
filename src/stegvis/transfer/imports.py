"""Validate an uploaded file against the partner's data (the dry run) and commit it.

``plan_import`` reads the database but writes nothing: it returns every problem, by row and
column, and what committing would do (create, update, leave unchanged). ``import_commit``
plans again inside ONE transaction and, only if there are no problems, applies the plan
through the domain services (``participant_enroll``, ``participant_update``, ``exit_record``,
``participation_add``), so the audit rows are exactly those of the same changes made by
hand. Any exception rolls everything back. Unchanged rows are skipped: no audit noise.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access.audit import _plain
from stegvis.access.policy import enrollments_for
from stegvis.access.scope import scope_for
from stegvis.activities.models import Activity, Participation
from stegvis.activities.selectors import activities_for
from stegvis.organisations.models import Partner, Track, Unit
from stegvis.outcomes.models import EXIT_FIELDS, Exit, Occupation, SupportSource
from stegvis.participants.identity import parse_identity_number
from stegvis.participants.models import Enrollment, EnrollmentStatus, IdentityKind, Participant
from stegvis.participants.services import PERSON_FIELDS, name_key

from .columns import (
    ASSESSMENTS,
    ATTENDANCE,
    EXITS,
    IGNORED_SHEETS,
    KINDS,
    LANGUAGE_RESULTS,
    PARTICIPANTS,
    PARTICIPATIONS,
    Kind,
    fold,
)
from .columns import header_map as map_headers
from .parsing import ParseError, Table, read_tables

Progress = Callable[[int, int], None]
CHUNK = 500


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class RowPlan:
    kind: str
    row: int
    action: str  # create, update, unchanged
    key: tuple[str, str]  # how other sheets refer to the person: ("id", number) or ("ext", id)
    data: dict[str, Any] = field(default_factory=dict)
    enrollment: Enrollment | None = None


@dataclass
class Plan:
    problems: list[Problem] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    total_rows: int = 0

    def counts(self) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = {}
        for row in self.rows:
            bucket = result.setdefault(row.kind, {"create": 0, "update": 0, "unchanged": 0})
            bucket[row.action] += 1
        return result


class ImportRefused(ValidationError):
    """The file has problems; nothing was changed."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        super().__init__(_("The file has problems; nothing was imported."))


def may_import(actor: Any, partner: Partner) -> bool:
    """Only coordinators of the partner import and export its participants."""
    return partner.pk in scope_for(actor).coordinator_partner_ids


# -- context: what the partner already has ------------------------------------------------


class _Context:
    """The partner's own enrollments and reference data, loaded in a few queries."""

    def __init__(self, *, actor: Any, partner: Partner) -> None:
        self.actor = actor
        self.partner = partner
        self.programme = partner.programme
        self.today = timezone.localdate()
        self.units = {
            fold(u.name): u for u in Unit.objects.filter(organisation=partner.organisation_id)
        }
        self.tracks = {
            fold(t.name): t for t in Track.objects.filter(programme=partner.programme_id)
        }
        self.activities: dict[str, Activity] = {
            fold(a.name): a for a in activities_for(actor).filter(partner=partner)
        }
        own = (
            enrollments_for(actor)
            .filter(partner=partner)
            .select_related("participant", "unit", "track")
            .order_by("status", "-start_date", "pk")  # active first, then the latest
        )
        self.by_number: dict[str, Enrollment] = {}
        self.by_external: dict[str, Enrollment] = {}
        self.by_name: dict[tuple[str, datetime.date], Enrollment] = {}
        for enrollment in own:
            person = enrollment.participant
            if person.identity_number:
                self.by_number.setdefault(person.identity_number, enrollment)
            else:
                self.by_name.setdefault((person.name_key, person.birth_date), enrollment)
            if enrollment.external_id:
                self.by_external.setdefault(enrollment.external_id, enrollment)
        self.exits = {
            e.enrollment_id: e for e in Exit.objects.filter(enrollment__in=own.values("pk"))
        }

    def elsewhere(self, numbers: list[str]) -> dict[str, Enrollment]:
        """Active enrollments in the programme through other partners, by identity number.

        This is the registry's duplicate rule (``participant_enroll`` refuses these); the
        message names only the programme and partner, as the registry's own form does.
        """
        found: dict[str, Enrollment] = {}
        for start in range(0, len(numbers), CHUNK):
            chunk = numbers[start : start + CHUNK]
            for enrollment in (
                Enrollment.objects.filter(
                    programme_id=self.partner.programme_id,
                    status=EnrollmentStatus.ACTIVE,
                    participant__identity_number__in=chunk,
                )
                .exclude(partner=self.partner)
                .select_related("participant", "programme", "partner__organisation")
            ):
                found[enrollment.participant.identity_number or ""] = enrollment
        return found

    def numbers_taken(self, numbers: list[str]) -> dict[str, int]:
        """identity number → participant id, for numbers already in the registry."""
        found: dict[str, int] = {}
        for start in range(0, len(numbers), CHUNK):
            chunk = numbers[start : start + CHUNK]
            for number, pk in Participant.objects.filter(identity_number__in=chunk).values_list(
                "identity_number", "pk"
            ):
                found[number or ""] = pk
        return found


# -- the dry run --------------------------------------------------------------------------


class _Sheet:
    """Cell access for one table of one kind, collecting problems with the file's headers."""

    def __init__(self, plan: Plan, table: Table, kind: Kind) -> None:
        self.plan = plan
        self.table = table
        self.kind = kind
        self.index, unknown, repeated = map_headers(kind, table.headers)
        # Name missing columns in the language of the file's other headers.
        folded = {fold(header) for header in table.headers}
        english = sum(fold(c.en) in folded for c in kind.columns)
        self.english = english > sum(fold(c.sv) in folded for c in kind.columns)
        plan.ignored_columns.extend(f"{table.name}: {h}" for h in unknown)
        for header in repeated:
            self.problem(1, header, header, _("This column appears twice."))
        for column in kind.columns:
            if column.required and column.key not in self.index:
                self.problem(1, self.header(column.key), "", _("This required column is missing."))
        if column_missing := not self.index:
            self.problem(1, "", "", _("No known column headers in the first row."))
        self.usable = not column_missing

    def header(self, key: str) -> str:
        if key in self.index:
            return self.table.headers[self.index[key]]
        column = self.kind.column(key)
        return column.en if self.english else column.sv

    def problem(self, row: int, header: str, value: str, message: str) -> None:
        self.plan.problems.append(Problem(self.table.name, row, header, value[:100], message))

    def raw(self, cells: list[str], key: str) -> str:
        index = self.index.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    def values(self, row: int, cells: list[str]) -> tuple[dict[str, Any], bool]:
        """Parsed values of the columns present (blank or wrong → None), and whether all
        cells were right. Checks go on with the rest, so every problem is listed."""
        values: dict[str, Any] = {}
        ok = True
        for column in self.kind.columns:
            if column.key not in self.index:
                continue
            text = self.raw(cells, column.key)
            if not text:
                if column.required:
                    self.problem(row, self.header(column.key), "", _("This column is required."))
                    ok = False
                values[column.key] = None
                continue
            try:
                values[column.key] = column.parse(text)
            except ParseError as error:
                self.problem(row, self.header(column.key), text, str(error))
                values[column.key] = None
                ok = False
        return values, ok


def _key_of(number: str | None, external_id: str | None) -> tuple[str, str] | None:
    if number:
        return ("id", number)
    if external_id:
        return ("ext", external_id)
    return None


def _plan_participants(plan: Plan, sheet: _Sheet, ctx: _Context, seen: dict) -> None:
    parsed: list[tuple[int, dict[str, Any], list[str], bool]] = []
    for row, cells in sheet.table.rows:
        values, ok = sheet.values(row, cells)
        raw_number = sheet.raw(cells, "identity_number")
        if raw_number:
            try:
                identity = parse_identity_number(raw_number, today=ctx.today)
            except ValidationError as error:
                sheet.problem(row, sheet.header("identity_number"), raw_number, error.messages[0])
                ok = False
            else:
                values["identity_number"] = identity.number
                values["identity_kind"] = identity.kind
                birth = values.get("birth_date")
                if birth and birth != identity.birth_date:
                    sheet.problem(
                        row,
                        sheet.header("birth_date"),
                        sheet.raw(cells, "birth_date"),
                        _("The date of birth does not match the identity number."),
                    )
                    ok = False
                values["birth_date"] = identity.birth_date
        parsed.append((row, values, cells, ok))

    numbers = [v["identity_number"] for _r, v, _c, _ok in parsed if v.get("identity_number")]
    elsewhere = ctx.elsewhere(numbers)
    taken = ctx.numbers_taken(numbers)
    single_unit = next(iter(ctx.units.values())) if len(ctx.units) == 1 else None

    for row, values, cells, ok in parsed:
        number, external = values.get("identity_number"), values.get("external_id")
        names = (values.get("first_name") or "", values.get("last_name") or "")
        unit_name = sheet.raw(cells, "unit")
        unit = ctx.units.get(fold(unit_name)) if unit_name else single_unit
        if unit_name and unit is None:
            sheet.problem(
                row,
                sheet.header("unit"),
                unit_name,
                _("Unknown unit: write the name of one of your organisation's units."),
            )
            ok = False
        track_name = sheet.raw(cells, "track")
        track = ctx.tracks.get(fold(track_name)) if track_name else None
        if track_name and track is None:
            sheet.problem(
                row, sheet.header("track"), track_name, _("Unknown track in this programme.")
            )
            ok = False
        start = values.get("start_date")
        if start and not ctx.programme.start_date <= start <= ctx.programme.end_date:
            sheet.problem(
                row,
                sheet.header("start_date"),
                start.isoformat(),
                _("The start date must fall within the programme period %(start)s – %(end)s.")
                % {"start": ctx.programme.start_date, "end": ctx.programme.end_date},
            )
            ok = False
        birth = values.get("birth_date")
        if birth and (birth > ctx.today or birth.year < 1900):
            sheet.problem(
                row, sheet.header("birth_date"), birth.isoformat(), _("The date is out of range.")
            )
            ok = False
        year = values.get("year_of_arrival")
        if year and year > ctx.today.year:
            sheet.problem(
                row, sheet.header("year_of_arrival"), str(year), _("The year is in the future.")
            )
            ok = False

        # Duplicates within the file.
        keys = []
        if number:
            keys.append(("id", number))
        if external:
            keys.append(("ext", external))
        if not number and not external and birth:
            keys.append(("name", f"{name_key(*names)}|{birth}"))
        for key in keys:
            if key in seen:
                header = "identity_number" if key[0] == "id" else "external_id"
                sheet.problem(
                    row,
                    sheet.header(header) if key[0] != "name" else sheet.header("last_name"),
                    key[1].split("|")[0] if key[0] != "id" else sheet.raw(cells, "identity_number"),
                    _("The same person as on row %(row)s.") % {"row": seen[key]},
                )
                ok = False
        for key in keys:
            seen.setdefault(key, row)

        # Match the partner's own enrollment.
        match = None
        if number:
            match = ctx.by_number.get(number)
        if match is None and external:
            match = ctx.by_external.get(external)
            if match and number and match.participant.identity_number not in (None, number):
                sheet.problem(
                    row,
                    sheet.header("external_id"),
                    external,
                    _("This id belongs to a participant with another identity number."),
                )
                ok = False
        if match is None and not number and not external and birth:
            match = ctx.by_name.get((name_key(*names), birth))
        if match is None and not number and not birth and not sheet.raw(cells, "birth_date"):
            sheet.problem(
                row,
                sheet.header("birth_date"),
                "",
                _("Give the date of birth when there is no identity number."),
            )
            ok = False
        if number and match is None and number in elsewhere:
            existing = elsewhere[number]
            sheet.problem(
                row,
                sheet.header("identity_number"),
                sheet.raw(cells, "identity_number"),
                _("This person is already enrolled in %(programme)s through %(partner)s.")
                % {"programme": existing.programme, "partner": existing.partner},
            )
            ok = False
        if (
            number
            and match is not None
            and match.participant.identity_number != number
            and number in taken
        ):
            sheet.problem(
                row,
                sheet.header("identity_number"),
                number,
                _("Another person in the registry has this identity number."),
            )
            ok = False
        if unit is None and match is None and not unit_name:
            # Needed to enrol; an update without the column keeps the unit.
            sheet.problem(row, sheet.header("unit"), "", _("This column is required."))
            ok = False
        if not ok:
            continue

        person = _person_data(sheet, values, match)
        # Columns left out of the file leave the enrollment's unit and track as they are.
        enrollment_data: dict[str, Any] = {"start_date": start}
        if match is None or (unit_name and unit is not None):
            enrollment_data["unit"] = unit
        if match is None or "track" in sheet.index:
            enrollment_data["track"] = track
        if "external_id" in sheet.index:
            enrollment_data["external_id"] = external or ""
        key = _key_of(number, external) or ("name", f"{row}")
        if match is None:
            # A person the registry does not know yet can be written in bulk (see _bulk_enroll).
            new_person = not number or number not in taken
            plan.rows.append(
                RowPlan(
                    "participants",
                    row,
                    "create",
                    key,
                    {"person": person, "new_person": new_person, **enrollment_data},
                )
            )
            continue
        person_changes = {
            name: value
            for name, value in person.items()
            if _comparable(value) != _comparable(getattr(match.participant, name))
        }
        enrollment_changes = {
            name: value
            for name, value in enrollment_data.items()
            if _comparable(value) != _comparable(getattr(match, name))
        }
        action = "update" if person_changes or enrollment_changes else "unchanged"
        plan.rows.append(
            RowPlan(
                "participants",
                row,
                action,
                key,
                {"person": person_changes, "enrollment": enrollment_changes},
                enrollment=match,
            )
        )


# Identity columns are matched on, not updated.
_PERSON_COLUMNS = tuple(f for f in PERSON_FIELDS if f not in {"identity_kind", "identity_number"})
_BLANK = {
    "protected_identity": False,
    "citizenships": [],
    "stateless": False,
    "country_of_birth": "",
    "municipality": "",
    "mother_tongue": "",
    "other_languages": [],
    "interpreter_needed": False,
    "interpreter_language": "",
    "education_level": "unknown",
    "labour_market_status": "unknown",
    "referral_source": "",
}


def _person_data(sheet: _Sheet, values: dict[str, Any], match: Enrollment | None) -> dict:
    """Registry fields from the columns present; a blank cell means the field's empty value.

    A blank identity number never removes a number already recorded.
    """
    person: dict[str, Any] = {}
    for name in _PERSON_COLUMNS:
        if name not in sheet.index and name != "birth_date":
            continue
        value = values.get(name)
        person[name] = _BLANK.get(name) if value is None else value
    if person.get("birth_date") is None:
        person.pop("birth_date", None)
    if values.get("identity_number"):
        person["identity_number"] = values["identity_number"]
        person["identity_kind"] = values["identity_kind"]
    elif match is None:
        person["identity_number"] = None
        person["identity_kind"] = IdentityKind.NONE
    if "citizenships" in person:
        person["citizenships"] = sorted(person["citizenships"])
    return person


def _comparable(value: Any) -> Any:
    plain = _plain(value)
    if plain is None:
        return ""
    return plain


def _find_person(
    sheet: _Sheet, ctx: _Context, row: int, cells: list[str], values: dict, people: dict
) -> tuple[tuple[str, str] | None, tuple[Enrollment | None, RowPlan | None] | None]:
    """The enrollment (existing) or participant row (in this file) a row refers to."""
    number_text = sheet.raw(cells, "identity_number")
    number = None
    if number_text:
        try:
            number = parse_identity_number(number_text, today=ctx.today).number
        except ValidationError as error:
            sheet.problem(row, sheet.header("identity_number"), number_text, error.messages[0])
            return None, None
    external = values.get("external_id")
    if not number and not external:
        sheet.problem(
            row,
            sheet.header("identity_number"),
            "",
            _("Give the identity number or your own id of the participant."),
        )
        return None, None
    key = _key_of(number, external)
    enrollment = (ctx.by_number.get(number) if number else None) or (
        ctx.by_external.get(external) if external else None
    )
    in_file = people.get(("id", number)) if number else None
    in_file = in_file or (people.get(("ext", external)) if external else None)
    if in_file is not None and in_file.enrollment is not None:
        enrollment = in_file.enrollment
    if enrollment is None and in_file is None:
        sheet.problem(
            row,
            sheet.header("identity_number" if number else "external_id"),
            number_text or external or "",
            _("No participant of yours has this identity number or id, in the file or in Stegvis."),
        )
        return None, None
    # Later rows refer to the person as the participant row does.
    return (in_file.key if in_file is not None else key), (enrollment, in_file)


def _start_of(found: tuple[Enrollment | None, RowPlan | None]) -> datetime.date | None:
    enrollment, in_file = found
    if in_file is not None and in_file.data.get("start_date"):
        return in_file.data["start_date"]
    if in_file is not None and in_file.data.get("enrollment", {}).get("start_date"):
        return in_file.data["enrollment"]["start_date"]
    return enrollment.start_date if enrollment else None


def _plan_exits(plan: Plan, sheet: _Sheet, ctx: _Context, people: dict, seen: dict) -> None:
    for row, cells in sheet.table.rows:
        values, ok = sheet.values(row, cells)
        key, found = _find_person(sheet, ctx, row, cells, values, people)
        if found is None or key is None or not ok:
            continue
        if key in seen:
            sheet.problem(
                row,
                sheet.header("identity_number" if key[0] == "id" else "external_id"),
                key[1],
                _("The same person as on row %(row)s.") % {"row": seen[key]},
            )
            continue
        seen[key] = row
        exit_date = values["exit_date"]
        start = _start_of(found)
        if start and exit_date < start:
            sheet.problem(
                row,
                sheet.header("exit_date"),
                exit_date.isoformat(),
                _("The exit date cannot be before the start date %(start)s.")
                % {"start": start.isoformat()},
            )
            continue
        if exit_date > ctx.today:
            sheet.problem(
                row,
                sheet.header("exit_date"),
                exit_date.isoformat(),
                _("The exit date cannot be in the future."),
            )
            continue
        data = {
            "exit_date": exit_date,
            "exit_type": values["exit_type"],
            "reason": values["reason"],
            "job_seeking": bool(values.get("job_seeking")),
            "in_education": bool(values.get("in_education")),
            "gained_qualification": bool(values.get("gained_qualification")),
            "in_employment": bool(values.get("in_employment")),
            "occupation_before": values.get("occupation_before") or Occupation.UNKNOWN,
            "occupation_after": values.get("occupation_after") or Occupation.UNKNOWN,
            "support_before": values.get("support_before") or SupportSource.UNKNOWN,
            "support_after": values.get("support_after") or SupportSource.UNKNOWN,
            "note": values.get("note") or "",
        }
        enrollment, _in_file = found
        existing = ctx.exits.get(enrollment.pk) if enrollment is not None else None
        if existing is not None:
            same = all(
                _comparable(getattr(existing, name)) == _comparable(data[name])
                for name in EXIT_FIELDS
            )
            if not same:
                sheet.problem(
                    row,
                    sheet.header("exit_date"),
                    exit_date.isoformat(),
                    _(
                        "An exit with other details is already recorded; correct it in the "
                        "participant's record."
                    ),
                )
                continue
            plan.rows.append(RowPlan("exits", row, "unchanged", key, data, enrollment))
            continue
        plan.rows.append(RowPlan("exits", row, "create", key, data, enrollment))


def _plan_participations(plan: Plan, sheet: _Sheet, ctx: _Context, people: dict) -> None:
    existing = {
        (p.activity_id, p.enrollment_id, p.start_date): p
        for p in Participation.objects.filter(activity__partner=ctx.partner)
    }
    seen: dict[tuple, int] = {}
    for row, cells in sheet.table.rows:
        values, ok = sheet.values(row, cells)
        key, found = _find_person(sheet, ctx, row, cells, values, people)
        if found is None or key is None or not ok:
            continue
        name = values["activity"]
        activity = ctx.activities.get(fold(name))
        if activity is None:
            sheet.problem(
                row,
                sheet.header("activity"),
                name,
                _("Unknown activity: it must exist in Stegvis and be provided by your partner."),
            )
            continue
        start, end = values["start_date"], values.get("end_date")
        reason = values.get("end_reason") or ""
        if bool(end) != bool(reason):
            column = "end_reason" if end else "end_date"
            sheet.problem(
                row,
                sheet.header(column),
                sheet.raw(cells, column),
                _("Give both the end date and the reason for ending, or neither."),
            )
            continue
        if end and end < start:
            sheet.problem(
                row,
                sheet.header("end_date"),
                end.isoformat(),
                _("The end cannot be before the start of the participation."),
            )
            continue
        dedupe = (key, activity.pk, start)
        if dedupe in seen:
            sheet.problem(
                row,
                sheet.header("activity"),
                name,
                _("The same participation as on row %(row)s.") % {"row": seen[dedupe]},
            )
            continue
        seen[dedupe] = row
        enrollment, _in_file = found
        data = {"activity": activity, "start_date": start, "end_date": end, "end_reason": reason}
        current = existing.get((activity.pk, enrollment.pk, start)) if enrollment else None
        if current is not None:
            data["participation"] = current
            if (current.end_date, current.end_reason) == (end, reason):
                action = "unchanged"
            elif current.end_date is None and end:
                action = "update"
            else:
                sheet.problem(
                    row,
                    sheet.header("end_date"),
                    sheet.raw(cells, "end_date"),
                    _(
                        "The participation has already ended with other details; correct it "
                        "in Stegvis."
                    ),
                )
                continue
            plan.rows.append(RowPlan("participations", row, action, key, data, enrollment))
            continue
        if start < activity.start_date or (activity.end_date and start > activity.end_date):
            sheet.problem(
                row,
                sheet.header("start_date"),
                start.isoformat(),
                _("The start must be within the activity's dates."),
            )
            continue
        enrollment_start = _start_of(found)
        if enrollment_start and start < enrollment_start:
            sheet.problem(
                row,
                sheet.header("start_date"),
                start.isoformat(),
                _("The start cannot be before the participant's enrollment."),
            )
            continue
        if enrollment is not None and enrollment.status != EnrollmentStatus.ACTIVE:
            sheet.problem(
                row,
                sheet.header("identity_number" if key[0] == "id" else "external_id"),
                key[1],
                _("The participant's enrollment has ended."),
            )
            continue
        plan.rows.append(RowPlan("participations", row, "create", key, data, enrollment))


def _plan_attendance(plan: Plan, sheet: _Sheet, ctx: _Context, people: dict) -> None:
    from stegvis.activities.models import Attendance, Session

    activity_ids = [a.pk for a in ctx.activities.values()]
    sessions = {
        (s.activity_id, s.date): s for s in Session.objects.filter(activity_id__in=activity_ids)
    }
    participations: dict[tuple[int, int], list[Participation]] = {}
    for participation in Participation.objects.filter(activity_id__in=activity_ids):
        participations.setdefault(
            (participation.activity_id, participation.enrollment_id), []
        ).append(participation)
    planned: dict[tuple, list[RowPlan]] = {}
    for planned_row in plan.rows:
        if planned_row.kind == PARTICIPATIONS.key:
            planned.setdefault((planned_row.key, planned_row.data["activity"].pk), []).append(
                planned_row
            )
    marks = {
        (session_id, participation_id): (status, hours)
        for session_id, participation_id, status, hours in Attendance.objects.filter(
            session__activity_id__in=activity_ids
        ).values_list("session_id", "participation_id", "status", "hours")
    }
    seen: dict[tuple, int] = {}
    for row, cells in sheet.table.rows:
        values, ok = sheet.values(row, cells)
        key, found = _find_person(sheet, ctx, row, cells, values, people)
        if found is None or key is None or not ok:
            continue
        name, day = values["activity"], values["date"]
        activity = ctx.activities.get(fold(name))
        if activity is None:
            sheet.problem(
                row,
                sheet.header("activity"),
                name,
                _("Unknown activity: it must exist in Stegvis and be provided by your partner."),
            )
            continue
        session = sessions.get((activity.pk, day))
        problem = None
        if session is None:
            problem = _("The activity has no session on this date; add it in Stegvis first.")
        elif session.cancelled:
            problem = _("The session is cancelled: attendance is not registered.")
        elif day > ctx.today:
            problem = _("Attendance can be registered on the day or afterwards.")
        if problem is not None or session is None:
            sheet.problem(row, sheet.header("date"), day.isoformat(), str(problem))
            continue
        enrollment, _in_file = found
        covering = [
            p
            for p in (participations.get((activity.pk, enrollment.pk), []) if enrollment else [])
            if p.start_date <= day and (p.end_date is None or p.end_date >= day)
        ]
        in_file = [
            p
            for p in planned.get((key, activity.pk), [])
            if p.data["start_date"] <= day
            and (p.data["end_date"] is None or p.data["end_date"] >= day)
        ]
        if not covering and not in_file:
            sheet.problem(
                row,
                sheet.header("activity"),
                name,
                _("The participant does not take part in this activity on this date."),
            )
            continue
        status = values["status"]
        hours = values.get("hours")
        if hours is None:
            hours = session.hours if status == "present" else Decimal(0)
        if not Decimal(0) <= hours <= 24:
            sheet.problem(
                row, sheet.header("hours"), str(hours), _("Hours must be between 0 and 24.")
            )
            continue
        hours = (hours if status == "present" else Decimal(0)).quantize(Decimal("0.01"))
        if (key, session.pk) in seen:
            sheet.problem(
                row,
                sheet.header("date"),
                day.isoformat(),
                _("The same participant and session as on row %(row)s.")
                % {"row": seen[(key, session.pk)]},
            )
            continue
        seen[(key, session.pk)] = row
        current: Participation | None = covering[0] if covering else None
        data = {
            "session": session,
            "participation": current,
            "participation_row": None if covering else in_file[0],
            "status": status,
            "hours": hours,
        }
        mark = marks.get((session.pk, current.pk)) if current is not None else None
        action = "create" if mark is None else "unchanged" if mark == (status, hours) else "update"
        plan.rows.append(RowPlan("attendance", row, action, key, data, enrollment))


def _plan_language_results(plan: Plan, sheet: _Sheet, ctx: _Context, people: dict) -> None:
    from stegvis.languagelevels.models import RESULT_FIELDS, LanguageResult
    from stegvis.languagelevels.services import clean_result

    compared = [name for name in RESULT_FIELDS if name != "note"]
    existing = set(
        LanguageResult.objects.filter(
            enrollment__in=enrollments_for(ctx.actor).filter(partner=ctx.partner)
        ).values_list("enrollment_id", *compared)
    )
    seen: dict[tuple, int] = {}
    for row, cells in sheet.table.rows:
        values, ok = sheet.values(row, cells)
        key, found = _find_person(sheet, ctx, row, cells, values, people)
        if found is None or key is None or not ok:
            continue
        try:
            result = clean_result(
                kind=values["kind"],
                result_date=values["result_date"],
                source=values["source"],
                study_path=values.get("study_path"),
                course=values.get("course") or "",
                grade=values.get("grade") or "",
                skill=values.get("skill") or "",
                cefr_level=values.get("cefr_level") or "",
                note=values.get("note") or "",
            )
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                column = field_name if field_name in sheet.index else "kind"
                for message in messages:
                    sheet.problem(row, sheet.header(column), sheet.raw(cells, column), message)
            continue
        identity = tuple(result[name] for name in compared)
        if (key, identity) in seen:
            sheet.problem(
                row,
                sheet.header("result_date"),
                sheet.raw(cells, "result_date"),
                _("The same result as on row %(row)s.") % {"row": seen[(key, identity)]},
            )
            continue
        seen[(key, identity)] = row
        enrollment, _in_file = found
        same = enrollment is not None and (enrollment.pk, *identity) in existing
        action = "unchanged" if same else "create"
        plan.rows.append(RowPlan("language_results", row, action, key, result, enrollment))


def _assessment_answer(item: Any, text: str) -> tuple[Any, str | None]:
    """The stored answer for a cell (value or text), or a problem message."""
    from stegvis.progression.models import ItemKind

    if item.kind == ItemKind.TEXT:
        return text.strip(), None
    if not text.strip():
        return None, None
    try:
        value = int(text.strip())
    except ValueError:
        value = None
    points = item.points()
    if value not in points:
        return None, _("Give a value from %(min)s to %(max)s for this question.") % {
            "min": points[0],
            "max": points[-1],
        }
    return value, None


def _plan_assessments(plan: Plan, sheet: _Sheet, ctx: _Context, people: dict) -> None:
    from stegvis.progression.models import Answer, InstrumentVersion

    versions = {
        (fold(v.instrument.code), v.number): v
        for v in InstrumentVersion.objects.select_related("instrument").prefetch_related("items")
    }
    known_instruments = {code for code, _number in versions}
    # Recorded assessments of the partner's enrollments: (enrollment, version, date) →
    # (details, {item code: answer}), to leave the same assessment as it is.
    existing: dict[tuple, tuple[tuple, dict[str, Any]]] = {}
    for answer in Answer.objects.filter(
        assessment__enrollment__in=enrollments_for(ctx.actor).filter(partner=ctx.partner)
    ).select_related("assessment", "item"):
        a = answer.assessment
        entry = existing.setdefault(
            (a.enrollment_id, a.version_id, a.date),
            ((a.point, a.mode, a.interpreter_used, a.language), {}),
        )
        entry[1][answer.item.code] = answer.text if answer.item.kind == "text" else answer.value
    groups: dict[tuple, RowPlan] = {}
    seen_items: dict[tuple, int] = {}
    for row, cells in sheet.table.rows:
        values, ok = sheet.values(row, cells)
        key, found = _find_person(sheet, ctx, row, cells, values, people)
        if found is None or key is None or not ok:
            continue
        code = values["instrument"]
        version = versions.get((fold(code), values["version"]))
        if version is None:
            if fold(code) in known_instruments:
                column, value = "version", str(values["version"])
                message = _("Unknown version of this instrument.")
            else:
                column, value = "instrument", code
                message = _("Unknown instrument: write the code of an instrument in Stegvis.")
            sheet.problem(row, sheet.header(column), value, message)
            continue
        if version.published_at is None:
            sheet.problem(
                row,
                sheet.header("version"),
                str(values["version"]),
                _("This version of the instrument is not published."),
            )
            continue
        day = values["date"]
        if day > ctx.today:
            sheet.problem(
                row, sheet.header("date"), day.isoformat(), _("The date is in the future.")
            )
            continue
        items = {fold(item.code): item for item in version.items.all()}
        item = items.get(fold(values["item"]))
        if item is None:
            sheet.problem(
                row,
                sheet.header("item"),
                values["item"],
                _("Unknown question: it is not part of this version of the instrument."),
            )
            continue
        answer, wrong = _assessment_answer(item, sheet.raw(cells, "value"))
        if wrong is not None:
            sheet.problem(row, sheet.header("value"), sheet.raw(cells, "value"), wrong)
            continue
        group = (key, version.pk, day)
        if (group, item.pk) in seen_items:
            sheet.problem(
                row,
                sheet.header("item"),
                values["item"],
                _("The same question of the same assessment as on row %(row)s.")
                % {"row": seen_items[(group, item.pk)]},
            )
            continue
        seen_items[(group, item.pk)] = row
        details = {
            "point": values["point"],
            "mode": values.get("mode") or "assisted",
            "interpreter_used": bool(values.get("interpreter_used")),
            "language": values.get("language") or "sv",
        }
        planned = groups.get(group)
        if planned is None:
            enrollment, _in_file = found
            planned = RowPlan(
                "assessments",
                row,
                "create",
                key,
                {"version": version, "date": day, **details, "answers": {}},
                enrollment,
            )
            groups[group] = planned
            plan.rows.append(planned)
        else:
            differing = next((k for k in details if details[k] != planned.data[k]), None)
            if differing is not None:
                sheet.problem(
                    row,
                    sheet.header(differing),
                    sheet.raw(cells, differing),
                    _("The same assessment has other details on row %(row)s.")
                    % {"row": planned.row},
                )
                continue
        planned.data["answers"][item.code] = answer
    for (_key, version_id, day), planned in groups.items():
        if planned.enrollment is None:
            continue
        recorded = existing.get((planned.enrollment.pk, version_id, day))
        if recorded is None:
            continue
        recorded_details, answers = recorded
        given = {
            item.code: planned.data["answers"].get(item.code, "" if item.kind == "text" else None)
            for item in planned.data["version"].items.all()
        }
        data = planned.data
        same = recorded_details == (
            data["point"],
            data["mode"],
            data["interpreter_used"],
            data["language"],
        )
        if same and answers == given:
            planned.action = "unchanged"
        else:
            sheet.problem(
                planned.row,
                sheet.header("date"),
                day.isoformat(),
                _(
                    "An assessment with this instrument version on this date is already "
                    "recorded with other answers; correct it in Stegvis."
                ),
            )
            plan.rows.remove(planned)


def plan_tables(*, actor: Any, partner: Partner, tables: list[Table]) -> Plan:
    """The dry run: every problem, and what a commit would do. Reads only."""
    plan = Plan()
    if not may_import(actor, partner):
        raise PermissionDenied
    ctx = _Context(actor=actor, partner=partner)
    sheets: dict[str, list[_Sheet]] = {key: [] for key in KINDS}
    from .columns import kind_for_table

    for table in tables:
        if fold(table.name) in IGNORED_SHEETS or (not table.headers and not table.rows):
            continue
        kind = kind_for_table(table.name, table.headers)
        if kind is None:
            plan.problems.append(
                Problem(
                    table.name,
                    1,
                    "",
                    "",
                    _("This sheet is not one of the import kinds; check its name and headers."),
                )
            )
            continue
        plan.total_rows += len(table.rows)
        sheet = _Sheet(plan, table, kind)
        if sheet.usable:
            sheets[kind.key].append(sheet)
    if not any(sheets.values()) and not plan.problems:
        plan.problems.append(Problem("", 1, "", "", _("The file contains no rows to import.")))
    seen_people: dict = {}
    for sheet in sheets[PARTICIPANTS.key]:
        _plan_participants(plan, sheet, ctx, seen_people)
    people = {row.key: row for row in plan.rows if row.kind == PARTICIPANTS.key}
    seen_exits: dict = {}
    for sheet in sheets[EXITS.key]:
        _plan_exits(plan, sheet, ctx, people, seen_exits)
    for sheet in sheets[PARTICIPATIONS.key]:
        _plan_participations(plan, sheet, ctx, people)
    for sheet in sheets[ATTENDANCE.key]:
        _plan_attendance(plan, sheet, ctx, people)
    for sheet in sheets[LANGUAGE_RESULTS.key]:
        _plan_language_results(plan, sheet, ctx, people)
    for sheet in sheets[ASSESSMENTS.key]:
        _plan_assessments(plan, sheet, ctx, people)
    order = {table.name: index for index, table in enumerate(tables)}
    plan.problems.sort(key=lambda p: (order.get(p.sheet, -1), p.row))
    return plan


def plan_import(*, actor: Any, partner: Partner, data: bytes, filename: str = "") -> Plan:
    try:
        tables = read_tables(data, filename)
    except ParseError as error:
        return Plan(problems=[Problem(filename, 0, "", "", str(error))])
    return plan_tables(actor=actor, partner=partner, tables=tables)


# -- the commit ---------------------------------------------------------------------------


@transaction.atomic
def import_commit(
    *,
    actor: Any,
    partner: Partner,
    data: bytes,
    filename: str = "",
    progress: Progress | None = None,
) -> Plan:
    """Validate again and apply everything, or nothing (raises ImportRefused on problems)."""
    from stegvis.activities.services import (
        Mark,
        attendance_save,
        participation_add,
        participation_end,
    )
    from stegvis.languagelevels.services import language_result_record
    from stegvis.outcomes.services import exit_record
    from stegvis.participants.services import participant_enroll, participant_update
    from stegvis.progression.services import assessment_import

    plan = plan_import(actor=actor, partner=partner, data=data, filename=filename)
    if plan.problems:
        raise ImportRefused(plan)
    partner = Partner.objects.select_related("programme", "organisation").get(pk=partner.pk)
    # Exits last: an exited enrollment takes no new activity participation.
    todo = sorted(
        (row for row in plan.rows if row.action != "unchanged"),
        key=lambda row: COMMIT_ORDER.index(row.kind),
    )
    bulk = [row for row in todo if row.kind == PARTICIPANTS.key and row.data.get("new_person")]
    enrollment_of = _bulk_enroll(actor=actor, partner=partner, rows=bulk)
    done = len(bulk)
    if progress is not None and bulk:
        progress(done, len(todo))
    created: dict[int, Participation] = {}  # id of a participation row plan → participation
    marks: dict[Any, dict[int, Any]] = defaultdict(dict)  # session → participation id → mark

    def save_marks() -> None:
        # One save per session, as the attendance screen does (one batch that can be undone).
        for session, session_marks in marks.items():
            attendance_save(actor=actor, session=session, marks=session_marks)
        marks.clear()

    for row in todo:
        if row.kind == PARTICIPANTS.key and row.data.get("new_person"):
            continue  # written in bulk above
        if marks and row.kind != ATTENDANCE.key:
            save_marks()
        done += 1
        if row.kind == PARTICIPANTS.key:
            if row.action == "create":
                fields = dict(row.data)
                fields.pop("new_person")
                result = participant_enroll(
                    actor=actor,
                    person=fields.pop("person"),
                    partner=partner,
                    unit=fields["unit"],
                    track=fields["track"],
                    start_date=fields["start_date"],
                    external_id=fields.get("external_id", ""),
                )
                enrollment_of[row.key] = result.enrollment
            else:
                assert row.enrollment is not None
                participant_update(
                    actor=actor,
                    enrollment=row.enrollment,
                    person=row.data["person"],
                    enrollment_data=row.data["enrollment"],
                )
            continue
        enrollment = row.enrollment or enrollment_of[row.key]
        if row.kind == EXITS.key:
            exit_record(actor=actor, enrollment=enrollment, **row.data)
        elif row.kind == PARTICIPATIONS.key:
            participation = row.data.get("participation")
            if participation is None:
                participation = participation_add(
                    actor=actor,
                    activity=row.data["activity"],
                    enrollment=enrollment,
                    start_date=row.data["start_date"],
                )
                created[id(row)] = participation
            if row.data["end_date"]:
                participation_end(
                    actor=actor,
                    participation=participation,
                    end_date=row.data["end_date"],
                    end_reason=row.data["end_reason"],
                )
        elif row.kind == ATTENDANCE.key:
            participation = row.data["participation"] or created[id(row.data["participation_row"])]
            marks[row.data["session"]][participation.pk] = Mark(
                row.data["status"], row.data["hours"]
            )
        elif row.kind == LANGUAGE_RESULTS.key:
            language_result_record(actor=actor, enrollment=enrollment, **row.data)
        elif row.kind == ASSESSMENTS.key:
            assessment_import(actor=actor, enrollment=enrollment, **row.data)
        if progress is not None and (done % 200 == 0 or done == len(todo)):
            progress(done, len(todo))
    save_marks()
    return plan


COMMIT_ORDER = (
    PARTICIPANTS.key,
    PARTICIPATIONS.key,
    ATTENDANCE.key,
    LANGUAGE_RESULTS.key,
    ASSESSMENTS.key,
    EXITS.key,
)


def _bulk_enroll(
    *, actor: Any, partner: Partner, rows: list[RowPlan]
) -> dict[tuple[str, str], Enrollment]:
    """Enrol people new to the registry in bulk: what ``participant_enroll`` writes for a new
    person (the person, the enrollment with its eligibility and pseudonym, one CREATE row in
    the access log), a thousand rows a statement instead of six statements a row.

    The plan has checked everything the service checks (unit and track of the partner,
    programme period, no active enrollment elsewhere, no duplicate in the file); the
    database constraints back it up, failing the whole transaction.
    """
    from stegvis.access.models import AccessEvent, Action
    from stegvis.participants.eligibility import compute_eligibility
    from stegvis.participants.services import _apply_person, new_pseudonym

    enrollment_of: dict[tuple[str, str], Enrollment] = {}
    now = timezone.now()
    actor_name = actor.get_username()[:200]
    for start in range(0, len(rows), 1000):
        chunk = rows[start : start + 1000]
        people = []
        for row in chunk:
            participant = Participant(created_at=now)
            _apply_person(participant, row.data["person"])
            people.append(participant)
        Participant.objects.bulk_create(people)
        enrollments = []
        for row, participant in zip(chunk, people, strict=True):
            result = compute_eligibility(participant.citizenships, stateless=participant.stateless)
            enrollments.append(
                Enrollment(
                    participant=participant,
                    programme_id=partner.programme_id,
                    partner=partner,
                    unit=row.data["unit"],
                    track=row.data["track"],
                    start_date=row.data["start_date"],
                    eligibility=result.status,
                    eligibility_reason=result.reason,
                    pseudonym=new_pseudonym(),
                    external_id=row.data.get("external_id", ""),
                    created_by=actor,
                    created_at=now,
                )
            )
        Enrollment.objects.bulk_create(enrollments)
        AccessEvent.objects.bulk_create(
            AccessEvent(
                at=now,
                actor=actor,
                actor_name=actor_name,
                organisation_id=enrollment.unit.organisation_id,
                action=Action.CREATE,
                participant_id=enrollment.participant_id,
                enrollment_id=enrollment.pk,
                object_type=enrollment._meta.label_lower,
                object_id=str(enrollment.pk),
                changes={"participant": "created"},
            )
            for enrollment in enrollments
        )
        for row, enrollment in zip(chunk, enrollments, strict=True):
            enrollment_of[row.key] = enrollment
    return enrollment_of
