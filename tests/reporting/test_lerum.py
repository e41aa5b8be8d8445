"""Lerum's final report figures from the JSON export (seed 002, "Av våra 48 deltagare har")."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from .lerum import build_lerum

# (indicator, count, exact share of 48 to one decimal, as the report prints it)
REPORTED = [
    ("exits.personal", 20, "41.7", 41),  # "20 deltagare eller 41 %" (truncated; rounds to 42)
    ("exit.personal.moved", 16, "33.3", None),
    ("exits.work", 10, "20.8", 20),  # "10 deltagare eller 20%" (truncated; rounds to 21)
    ("exit.study.language", 8, "16.7", 16),  # "8 deltagare eller 16%" (truncated; rounds to 17)
    ("exits.measure", 7, "14.6", 15),  # "7 deltagare eller 15%"
    ("exit.admin.programme_ended", 1, "2.1", None),
    ("exit.study.vocational", 1, "2.1", None),
    ("exit.admin.not_eligible", 1, "2.1", None),
]


@pytest.fixture
def lerum(db):
    return build_lerum()


def export(*args: str) -> dict:
    out = io.StringIO()
    call_command("report", "indicators", *args, stdout=out)
    return json.loads(out.getvalue())


def test_lerum_json_export_matches_the_final_report(lerum):
    data = export("--programme", "helhetslyftet", "--partner", "Lerums kommun", "--format", "json")
    by_code = {row["code"]: row for row in data["indicators"]}
    participants = by_code["participants"]
    assert participants["numerator"] == 48  # "skrivit in och arbetat med 48 deltagare"
    assert by_code["exits"]["numerator"] == 48
    for code, count, share, printed in REPORTED:
        row = by_code[code]
        assert (row["numerator"], row["denominator"], row["value"]) == (count, 48, share), code
        if printed is not None:
            # The report's own percentages: three of them truncated rather than rounded.
            exact = Decimal(count) * 100 / 48
            assert printed in {int(exact), int(exact.to_integral_value())}, code
    # Goal 1: "21 deltagare eller 44%" improved at least one SFI level; 27 not assessed.
    language = by_code["R.2.8"]
    assert (language["numerator"], language["denominator"], language["value"]) == (
        21,
        48,
        "43.8",
    )
    assert language["missing"] == 27
    # Goal 3: "37 deltagare eller 77%" said it helped their integration (6 did not answer).
    helped = by_code["R.2.9"]
    assert (helped["numerator"], helped["denominator"], helped["value"], helped["missing"]) == (
        37,
        48,
        "77.1",
        6,
    )
    # Goal 2: the fixture has no self-ratings, so every leaver is missing (shown, not hidden).
    work = by_code["employability"]
    assert (work["numerator"], work["denominator"], work["missing"]) == (0, 48, 48)
    # Every exit is accounted for by exactly one reason.
    assert (
        sum(
            by_code[f"exit.{r}"]["numerator"]
            for r in [
                "personal.moved",
                "personal.parental_leave",
                "personal.sick_leave",
                "work.employment",
                "work.subsidised",
                "study.language",
                "measure.municipal",
                "measure.sheltered",
                "admin.programme_ended",
                "study.vocational",
                "admin.not_eligible",
            ]
        )
        == 48
    )


def test_csv_and_xlsx_exports_carry_the_same_numbers(lerum, tmp_path):
    import csv

    from openpyxl import load_workbook

    out = io.StringIO()
    call_command(
        "report", "indicators", "--programme", "helhetslyftet", "--format", "csv", stdout=out
    )
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert rows["exits.personal"]["numerator"] == "20"
    assert rows["exits.personal"]["value"] == "41.7"
    target = tmp_path / "lerum.xlsx"
    call_command(
        "report",
        "indicators",
        "--programme",
        "helhetslyftet",
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    first = target.read_bytes()
    sheet = load_workbook(target).active
    values = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["exits.work"][5] == 10
    # The same data gives the same file.
    call_command(
        "report",
        "indicators",
        "--programme",
        "helhetslyftet",
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    assert target.read_bytes() == first


def test_period_filter_and_bad_input(lerum):
    from django.core.management.base import CommandError

    data = export("--programme", "helhetslyftet", "--period", "..2023-06-30")
    by_code = {row["code"]: row for row in data["indicators"]}
    # Started 2023-02-01 weekly: 22 enrollments had started by the end of June 2023.
    assert by_code["participants"]["numerator"] == 22
    with pytest.raises(CommandError, match="No programme"):
        export("--programme", "nope")
    with pytest.raises(CommandError, match="period"):
        export("--programme", "helhetslyftet", "--period", "2024-01-01")


def test_partner_by_id_and_unknown_partner(lerum):
    from django.core.management.base import CommandError

    data = export("--programme", "helhetslyftet", "--partner", str(lerum.partner.pk))
    assert data["partner"] == "Lerums kommun"
    with pytest.raises(CommandError, match="No partner"):
        export("--programme", "helhetslyftet", "--partner", "Ingen kommun")
