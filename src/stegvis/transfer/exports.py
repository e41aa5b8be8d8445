"""Templates and exports, in one format: what is exported can be imported again.

Workbooks have one sheet per kind with the Swedish headers of ``columns.py``; templates add an
example row, drop-down lists for coded columns and an explanation sheet. The CSV forms are
UTF-8 with a byte order mark and semicolons, which Swedish Excel opens as it is.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.access.policy import enrollments_for
from stegvis.activities.models import Attendance, Participation
from stegvis.languagelevels.models import LanguageResult
from stegvis.organisations.models import Partner
from stegvis.outcomes.models import Exit
from stegvis.participants.models import Enrollment
from stegvis.progression.models import Answer

from .columns import FORMULA_START, KINDS, Column, Kind

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXPLANATION_SHEET = "Förklaringar"
LISTS_SHEET = "Listor"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")  # as Swedish Excel reads and writes numbers
    return str(value)


def safe_csv_text(text: str) -> str:
    """Spreadsheet programs run cells starting with = + - @ as formulas: quote them.

    The import strips the quote again (``unquote``)."""
    return "'" + text if text.startswith(FORMULA_START) else text


# -- rows of each kind --------------------------------------------------------------------


def _identity(enrollment: Enrollment) -> list[Any]:
    person = enrollment.participant
    return [person.identity_number_display, enrollment.external_id]


def _participant_row(enrollment: Enrollment) -> list[Any]:
    person = enrollment.participant
    return [
        *_identity(enrollment),
        person.first_name,
        person.last_name,
        person.birth_date,
        person.gender,
        person.protected_identity,
        ", ".join(sorted(c.code for c in person.citizenships)),
        person.stateless,
        person.country_of_birth.code or "",
        person.year_of_arrival,
        person.municipality,
        person.mother_tongue,
        ", ".join(person.other_languages or []),
        person.interpreter_needed,
        person.interpreter_language,
        person.years_of_schooling,
        person.education_level,
        person.labour_market_status,
        person.referral_source,
        enrollment.unit.name,
        enrollment.track.name if enrollment.track else "",
        enrollment.start_date,
    ]


def _exit_row(exit: Exit) -> list[Any]:
    return [
        *_identity(exit.enrollment),
        exit.exit_date,
        exit.exit_type,
        exit.reason,
        exit.job_seeking,
        exit.in_education,
        exit.gained_qualification,
        exit.in_employment,
        exit.occupation_before,
        exit.occupation_after,
        exit.support_before,
        exit.support_after,
        exit.note,
    ]


def _participation_row(participation: Participation) -> list[Any]:
    return [
        *_identity(participation.enrollment),
        participation.activity.name,
        participation.start_date,
        participation.end_date,
        participation.end_reason,
    ]


def _attendance_row(attendance: Any) -> list[Any]:
    return [
        *_identity(attendance.enrollment),
        attendance.session.activity.name,
        attendance.session.date,
        attendance.status,
        attendance.hours,
    ]


def _language_result_row(result: Any) -> list[Any]:
    return [
        *_identity(result.enrollment),
        result.kind,
        result.result_date,
        result.study_path,
        result.course,
        result.grade,
        result.skill,
        result.cefr_level,
        result.source,
        result.note,
    ]


def _answer_row(answer: Any) -> list[Any]:
    assessment = answer.assessment
    return [
        *_identity(assessment.enrollment),
        assessment.version.instrument.code,
        assessment.version.number,
        assessment.date,
        assessment.point,
        assessment.mode,
        assessment.interpreter_used,
        assessment.language,
        answer.item.code,
        answer.text if answer.item.kind == "text" else answer.value,
    ]


def exported_enrollments(*, actor: Any, partner: Partner) -> list[Enrollment]:
    """One enrollment per person: the active one, else the latest (a person enrolled again
    after an exit would otherwise appear twice and fail as a duplicate on import)."""
    chosen: dict[int, Enrollment] = {}
    for enrollment in (
        _scoped(actor, partner)
        .select_related("participant", "unit", "track")
        .order_by("status", "-start_date", "-pk")
    ):
        chosen.setdefault(enrollment.participant_id, enrollment)
    return sorted(
        chosen.values(),
        key=lambda e: (e.participant.last_name, e.participant.first_name, e.pk),
    )


def _scoped(actor: Any, partner: Partner) -> QuerySet[Enrollment]:
    return enrollments_for(actor).filter(partner=partner)


def export_rows(*, actor: Any, partner: Partner) -> tuple[dict[str, list[list[Any]]], list]:
    """Rows per kind, and the enrollments they came from (for the access log)."""
    enrollments = exported_enrollments(actor=actor, partner=partner)
    by_pk = {e.pk: e for e in enrollments}
    # Subqueries, not lists of ids: SQLite limits the number of query parameters.
    scoped = _scoped(actor, partner).values("pk")
    exits = [
        exit
        for exit in Exit.objects.filter(enrollment__in=scoped).order_by("exit_date", "pk")
        if exit.enrollment_id in by_pk
    ]
    participations = [
        participation
        for participation in Participation.objects.filter(enrollment__in=scoped)
        .select_related("activity")
        .order_by("start_date", "pk")
        if participation.enrollment_id in by_pk
    ]
    attendance = [
        mark
        for mark in Attendance.objects.filter(enrollment__in=scoped)
        .select_related("session__activity")
        .order_by("session__date", "session__activity__name", "pk")
        if mark.enrollment_id in by_pk
    ]
    results = [
        result
        for result in LanguageResult.objects.filter(enrollment__in=scoped).order_by(
            "result_date", "pk"
        )
        if result.enrollment_id in by_pk
    ]
    # One row per answer; skipped questions too, so an all-skipped assessment survives.
    answers = [
        answer
        for answer in Answer.objects.filter(assessment__enrollment__in=scoped)
        .select_related("assessment__version__instrument", "item")
        .order_by("assessment__date", "assessment__pk", "item__position")
        if answer.assessment.enrollment_id in by_pk
    ]
    rows: list[Any] = [*exits, *participations, *attendance, *results]
    for row in rows:
        row.enrollment = by_pk[row.enrollment_id]
    for answer in answers:
        answer.assessment.enrollment = by_pk[answer.assessment.enrollment_id]
    return {
        "participants": [_participant_row(e) for e in enrollments],
        "exits": [_exit_row(e) for e in exits],
        "participations": [_participation_row(p) for p in participations],
        "attendance": [_attendance_row(a) for a in attendance],
        "language_results": [_language_result_row(r) for r in results],
        "assessments": [_answer_row(a) for a in answers],
    }, enrollments


def log_export(
    *, actor: Any, partner: Partner, enrollments: Iterable[Enrollment], fmt: str
) -> None:
    """One access-log row per exported enrollment, written together."""
    events = [
        AccessEvent(
            actor=actor,
            actor_name=actor.get_username()[:200],
            organisation_id=partner.organisation_id,
            action=Action.EXPORT,
            part=Part.RECORD,
            participant_id=enrollment.participant_id,
            enrollment_id=enrollment.pk,
            object_type="participants.enrollment",
            object_id=str(enrollment.pk),
            summary=f"export {fmt}",
        )
        for enrollment in enrollments
    ]
    AccessEvent.objects.bulk_create(events, batch_size=1000)


# -- workbooks and CSV --------------------------------------------------------------------


def _xlsx_cell(sheet: Any, value: Any) -> WriteOnlyCell:
    if isinstance(value, bool):
        value = "ja" if value else "nej"
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _header_cells(sheet: Any, kind: Kind) -> list[WriteOnlyCell]:
    cells = []
    for column in kind.columns:
        cell = WriteOnlyCell(sheet, value=column.sv)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def export_workbook(rows: dict[str, list[list[Any]]]) -> bytes:
    workbook = Workbook(write_only=True)
    for key, kind in KINDS.items():
        sheet = workbook.create_sheet(kind.sv)
        sheet.append(_header_cells(sheet, kind))
        for row in rows.get(key, []):
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(kind: Kind, rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.sv for column in kind.columns])
    for row in rows:
        writer.writerow([safe_csv_text(_cell_text(value)) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def export_csv_zip(rows: dict[str, list[list[Any]]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, kind in KINDS.items():
            archive.writestr(f"{kind.sv.lower()}.csv", csv_bytes(kind, rows.get(key, [])))
    return buffer.getvalue()


@transaction.atomic
def partner_export(*, actor: Any, partner: Partner, fmt: str) -> bytes:
    """Everything of the partner the actor may see, logged per enrollment."""
    rows, enrollments = export_rows(actor=actor, partner=partner)
    log_export(actor=actor, partner=partner, enrollments=enrollments, fmt=fmt)
    return export_workbook(rows) if fmt == "xlsx" else export_csv_zip(rows)


# -- templates ----------------------------------------------------------------------------


def _allowed_text(column: Column) -> str:
    if column.type in ("choice", "choices"):
        if column.choices == "country":
            return _("ISO country codes (SE, SY, SYR) or country names in Swedish or English.")
        return "; ".join(f"{code} = {label}" for code, label in column.allowed())
    if column.type == "int":
        return _("A whole number from %(min)s to %(max)s.") % {
            "min": column.min_value,
            "max": column.max_value,
        }
    return {
        "identity": _("A valid personnummer or samordningsnummer: check digit and date."),
        "date": _("Date: 2024-03-05, 20240305 or 5.3.2024."),
        "decimal": _("A number with a decimal comma or point: 2,5."),
        "bool": _("ja / nej (yes / no)."),
        "unit": _("A unit name of your organisation."),
        "track": _("A track name of the programme."),
        "activity": _("An activity name of your partner."),
    }.get(column.type, _("Text, at most %(max)s characters.") % {"max": column.max_length})


def explanation_rows(kinds: Iterable[Kind]) -> Iterator[list[str]]:
    for kind in kinds:
        for column in kind.columns:
            yield [
                kind.sv,
                column.sv,
                column.en,
                _("yes") if column.required else _("no"),
                _allowed_text(column),
                str(column.help),
                column.example,
            ]


def template_workbook(kinds: list[Kind]) -> bytes:
    workbook = Workbook()
    lists = workbook.active
    assert lists is not None
    list_columns: dict[str, str] = {}
    for kind in kinds:
        sheet = workbook.create_sheet(kind.sv)
        sheet.append([column.sv for column in kind.columns])
        sheet.append([column.example for column in kind.columns])
        for index, column in enumerate(kind.columns, start=1):
            letter = get_column_letter(index)
            sheet[f"{letter}1"].font = Font(bold=True)
            sheet.column_dimensions[letter].width = max(14, len(column.sv) + 2)
            if column.type == "choice" and column.choices not in ("country",):
                if column.choices not in list_columns:
                    list_letter = get_column_letter(len(list_columns) + 1)
                    codes = [code for code, _label in column.allowed()]
                    for row, code in enumerate(codes, start=1):
                        lists[f"{list_letter}{row}"] = code
                    list_columns[column.choices] = (
                        f"{LISTS_SHEET}!${list_letter}$1:${list_letter}${len(codes)}"
                    )
                validation = DataValidation(
                    type="list", formula1=list_columns[column.choices], allow_blank=True
                )
                validation.showErrorMessage = False  # names are accepted too, not only codes
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}10000")
        sheet.freeze_panes = "A2"
    explanation = workbook.create_sheet(EXPLANATION_SHEET)
    explanation.append(
        [_("Sheet"), _("Column"), _("English header"), _("Required"), _("Allowed values"),
         _("Explanation"), _("Example")]
    )  # fmt: skip
    for cell in explanation[1]:
        cell.font = Font(bold=True)
    for line in explanation_rows(kinds):
        explanation.append(line)
    for letter, width in zip("ABCDEFG", (16, 22, 22, 10, 60, 70, 20), strict=True):
        explanation.column_dimensions[letter].width = width
    lists.title = LISTS_SHEET
    lists.sheet_state = "hidden"
    workbook.move_sheet(lists, offset=len(workbook.sheetnames))
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv(kind: Kind) -> bytes:
    return csv_bytes(kind, [[column.example for column in kind.columns]])
