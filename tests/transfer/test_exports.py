"""Exports in the template format, templates, and the round trip export → import."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from stegvis.access.models import AccessEvent, Action
from stegvis.organisations.models import Role
from stegvis.outcomes.services import exit_record
from stegvis.participants.models import Enrollment
from stegvis.progression.models import Instrument
from stegvis.progression.services import assessment_import
from stegvis.transfer import exports, imports
from stegvis.transfer.columns import KINDS, PARTICIPANTS
from stegvis.transfer.parsing import read_tables
from tests import factories as f
from tests.transfer.conftest import csv_file, person_row
from tests.transfer.test_imports import _activity

pytestmark = pytest.mark.django_db


def _rich_partner_a(cast):
    """Partner A with varied people: imported rows, an exit, an activity participation."""
    header = ["Personnummer", "Eget id", "Förnamn", "Efternamn", "Kön", "Medborgarskap",
              "Statslös", "Andra språk", "Behöver tolk", "Antal skolår", "Utbildningsnivå",
              "Enhet", "Spår", "Startdatum", "Kommun"]  # fmt: skip
    rows = [
        [*person_row(n)[:6], "nej", "en, sv", "ja" if n % 2 else "", str(n), "3",
         "Arbetsmarknadsenheten" if n % 2 else "Vuxenutbildningen", "Jobbspår" if n == 2 else "",
         "2024-03-05", "=Lerum" if n == 3 else "Lerum"]
        for n in range(1, 5)
    ]  # fmt: skip
    rows.append(["", "", "Utan", "Nummer", "other", "", "ja", "", "", "", "", "Vuxenutbildningen",
                 "", "2024-03-05", ""])  # fmt: skip
    header.append("Födelsedatum")
    for row in rows:
        row.append("1977-07-07" if row[2] == "Utan" else "")
    imports.import_commit(actor=cast.anna, partner=cast.partner_a, data=csv_file(rows, header))
    exit_record(
        actor=cast.anna,
        enrollment=Enrollment.objects.get(external_id="X-1"),
        exit_date=datetime.date(2024, 9, 30),
        exit_type="completed",
        reason="study.vocational",
        in_education=True,
        note="Började på Yrkesvux",
    )
    activity = _activity(cast)
    from stegvis.activities.services import (
        Mark,
        attendance_save,
        participation_add,
        participation_end,
    )
    from stegvis.languagelevels.services import language_result_record

    ongoing = participation_add(
        actor=cast.anna,
        activity=activity,
        enrollment=Enrollment.objects.get(external_id="X-2"),
        start_date=datetime.date(2024, 3, 11),
    )
    ended = participation_add(
        actor=cast.anna,
        activity=activity,
        enrollment=Enrollment.objects.get(external_id="X-3"),
        start_date=datetime.date(2024, 3, 11),
    )
    participation_end(
        actor=cast.anna,
        participation=ended,
        end_date=datetime.date(2024, 3, 13),
        end_reason="employment",
    )
    session = activity.sessions.get(date=datetime.date(2024, 3, 12))
    attendance_save(
        actor=cast.anna,
        session=session,
        marks={ongoing.pk: Mark("present", Decimal("1.75")), ended.pk: Mark("absent", 0)},
    )
    language_result_record(
        actor=cast.anna,
        enrollment=Enrollment.objects.get(external_id="X-2"),
        kind="sfi_course",
        result_date=datetime.date(2024, 6, 10),
        study_path=2,
        course="C",
        grade="E",
        source="school_result",
    )
    language_result_record(
        actor=cast.anna,
        enrollment=Enrollment.objects.get(external_id="X-4"),
        kind="cefr",
        result_date=datetime.date(2024, 6, 11),
        skill="reading",
        cefr_level="preA1",
        source="teacher_assessment",
        note="Läser långsamt",
    )
    # A self-rating with one question skipped: exported as three rows, one per question.
    assessment_import(
        actor=cast.anna,
        enrollment=Enrollment.objects.get(external_id="X-2"),
        version=Instrument.objects.get(code="self-rating").current_version(),
        point="start",
        language="ar",
        mode="self",
        answers={"swedish": 4, "society": 7},
        interpreter_used=True,
        date=datetime.date(2024, 4, 2),
    )


def _empty_partner(cast):
    """A new organisation in a second programme with the same dates, units, track, activity."""
    programme = f.ProgrammeFactory(name="Broar 2", code="broar-2", owner=cast.region)
    f.TrackFactory(programme=programme, name="Jobbspår")
    organisation = f.OrganisationFactory(name="Delta kommun")
    partner = f.PartnerFactory(programme=programme, organisation=organisation)
    unit = f.UnitFactory(organisation=organisation, name="Vuxenutbildningen")
    f.UnitFactory(organisation=organisation, name="Arbetsmarknadsenheten")
    dora = f.UserFactory(username="dora")
    f.MembershipFactory(user=dora, unit=unit, role=Role.COORDINATOR)
    _activity(cast, partner=partner, unit=unit, programme=programme, by=dora)
    return partner, dora


@pytest.mark.parametrize("fmt", ["xlsx", "zip"])
def test_export_then_import_into_an_empty_partner_reproduces_the_data(cast, fmt):
    _rich_partner_a(cast)
    original, _enrollments = exports.export_rows(actor=cast.anna, partner=cast.partner_a)
    assert [len(original[k]) for k in KINDS] == [7, 1, 2, 2, 2, 3]
    assert [row[2:] for row in original["assessments"]] == [
        ["self-rating", 1, datetime.date(2024, 4, 2), "start", "self", True, "ar", code, value]
        for code, value in (("swedish", 4), ("society", 7), ("future-work", None))
    ]
    content = exports.partner_export(actor=cast.anna, partner=cast.partner_a, fmt=fmt)

    partner, dora = _empty_partner(cast)
    plan = imports.import_commit(actor=dora, partner=partner, data=content, filename=f"e.{fmt}")
    assert plan.counts() == {
        "participants": {"create": 7, "update": 0, "unchanged": 0},
        "exits": {"create": 1, "update": 0, "unchanged": 0},
        "participations": {"create": 2, "update": 0, "unchanged": 0},
        "attendance": {"create": 2, "update": 0, "unchanged": 0},
        "language_results": {"create": 2, "update": 0, "unchanged": 0},
        "assessments": {"create": 1, "update": 0, "unchanged": 0},
    }
    copy, _enrollments = exports.export_rows(actor=dora, partner=partner)
    assert copy == original
    # And importing the export again changes nothing.
    again = imports.import_commit(actor=dora, partner=partner, data=content, filename=f"e.{fmt}")
    assert all(counts["create"] == counts["update"] == 0 for counts in again.counts().values())


def test_formulas_are_never_written_as_formulas(cast):
    _rich_partner_a(cast)
    content = exports.partner_export(actor=cast.anna, partner=cast.partner_a, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(content))["Deltagare"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == "=Lerum"]
    assert len(cells) == 1 and cells[0].data_type == "s"
    archive = zipfile.ZipFile(io.BytesIO(exports.partner_export(
        actor=cast.anna, partner=cast.partner_a, fmt="zip")))  # fmt: skip
    assert ";'=Lerum" in archive.read("deltagare.csv").decode("utf-8-sig")


def test_every_export_is_in_the_access_log_per_enrollment(cast):
    before = AccessEvent.objects.filter(action=Action.EXPORT).count()
    exports.partner_export(actor=cast.anna, partner=cast.partner_a, fmt="xlsx")
    events = AccessEvent.objects.filter(action=Action.EXPORT)
    assert events.count() == before + 2
    assert set(events.values_list("enrollment_id", flat=True)) == {
        cast.enrollment_a.pk,
        cast.enrollment_a2.pk,
    }
    assert set(events.values_list("organisation_id", flat=True)) == {cast.partner_a.organisation_id}


def test_export_shows_only_the_partners_own_participants(cast, share):
    share()  # a consent sharing enrollment_a with B does not put it in B's export
    rows, _enrollments = exports.export_rows(actor=cast.bea, partner=cast.partner_b)
    names = {row[3] for row in rows["participants"]}
    assert names == {"Tesfay"}


def test_the_template_workbook_has_a_sheet_per_kind_an_example_and_explanations(cast):
    content = exports.template_workbook(list(KINDS.values()))
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [
        "Deltagare", "Avslut", "Aktivitetsdeltagande", "Närvaro", "Språkresultat",
        "Skattningar", "Förklaringar", "Listor",
    ]  # fmt: skip
    assert workbook["Listor"].sheet_state == "hidden"
    assert [c.value for c in workbook["Deltagare"][1]] == [c.sv for c in PARTICIPANTS.columns]
    explanation = list(workbook["Förklaringar"].values)
    assert len(explanation) == 1 + sum(len(kind.columns) for kind in KINDS.values())
    gender = next(row for row in explanation if row[1] == "Kön")
    assert "woman = Woman" in gender[4]
    assert workbook["Deltagare"].data_validations.dataValidation  # drop-down lists


def test_the_template_as_downloaded_imports_cleanly(cast):
    _activity(cast)
    plan = imports.plan_import(
        actor=cast.anna,
        partner=cast.partner_a,
        data=exports.template_workbook(list(KINDS.values())),
        filename="mall.xlsx",
    )
    assert plan.problems == []
    assert plan.counts() == {
        "participants": {"create": 1, "update": 0, "unchanged": 0},
        "exits": {"create": 1, "update": 0, "unchanged": 0},
        "participations": {"create": 1, "update": 0, "unchanged": 0},
        "attendance": {"create": 1, "update": 0, "unchanged": 0},
        "language_results": {"create": 1, "update": 0, "unchanged": 0},
        "assessments": {"create": 1, "update": 0, "unchanged": 0},
    }


def test_the_csv_template_is_utf8_with_bom_and_semicolons():
    content = exports.template_csv(PARTICIPANTS)
    assert content.startswith(b"\xef\xbb\xbfPersonnummer;Eget id;F\xc3\xb6rnamn")
    [table] = read_tables(content, "mall.csv")
    assert len(table.rows) == 1


def test_the_docs_describe_every_column():
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "import.md").read_text()
    for kind in KINDS.values():
        assert f"sheet `{kind.sv}`" in text
        for column in kind.columns:
            assert f"| {column.sv} | {column.en} |" in text, column.key


def test_a_person_enrolled_again_after_an_exit_is_exported_once(cast):
    exit_record(
        actor=cast.anna,
        enrollment=cast.enrollment_a,
        exit_date=datetime.date(2025, 3, 1),
        exit_type="interrupted",
        reason="personal.moved",
    )
    again = f.EnrollmentFactory(
        participant=cast.enrollment_a.participant,
        partner=cast.partner_a,
        unit=cast.unit_a,
        start_date=datetime.date(2025, 6, 1),
    )
    rows, enrollments = exports.export_rows(actor=cast.anna, partner=cast.partner_a)
    assert again in enrollments and cast.enrollment_a not in enrollments
    assert [row[3] for row in rows["participants"]].count("Karimi") == 1


def test_export_runs_a_bounded_number_of_queries(cast):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            exports.partner_export(actor=cast.anna, partner=cast.partner_a, fmt="xlsx")
        # Reads stay constant; the access-log rows are inserted in batches (SQLite limits the
        # parameters of one statement), so inserts are not counted here.
        return sum(q["sql"].startswith("SELECT") for q in queries)

    count()  # the user's scope is cached from here on
    few = count()
    imports.import_commit(
        actor=cast.anna,
        partner=cast.partner_a,
        data=csv_file([person_row(n) for n in range(1, 201)]),
    )
    assert count() == few
