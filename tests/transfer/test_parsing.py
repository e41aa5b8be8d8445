"""The pure parsers: bytes → tables of strings, and cells → values."""

from __future__ import annotations

import contextlib
import datetime
import io
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from stegvis.transfer.columns import PARTICIPANTS, kind_for_table, parse_bool, parse_choice
from stegvis.transfer.parsing import (
    ParseError,
    decode,
    parse_date,
    parse_decimal,
    read_csv,
    read_tables,
    sniff_delimiter,
)


def test_swedish_excel_csv_in_windows_1252_with_semicolons():
    data = "Förnamn;Efternamn;Kommun\r\nÅsa;Öberg;Lerum\r\n".encode("cp1252")
    table = read_csv(data, "deltagare")
    assert table.headers == ["Förnamn", "Efternamn", "Kommun"]
    assert table.rows == [(2, ["Åsa", "Öberg", "Lerum"])]


def test_utf8_with_bom_and_commas_and_quoted_delimiters():
    data = '\ufeffFörnamn,Anteckning\n"Åsa","a; b, c"\n'.encode()
    table = read_csv(data)
    assert table.headers == ["Förnamn", "Anteckning"]
    assert table.rows == [(2, ["Åsa", "a; b, c"])]


def test_utf16_tab_separated_as_excel_unicode_text():
    data = "Förnamn\tEfternamn\r\nÅsa\tÖberg\r\n".encode("utf-16")
    assert read_csv(data).rows == [(2, ["Åsa", "Öberg"])]


def test_empty_rows_are_skipped_but_row_numbers_are_those_excel_shows():
    table = read_csv(b"A;B\r\n;\r\nx;y\r\n\r\nz;w\r\n")
    assert [number for number, _cells in table.rows] == [3, 5]


def test_the_delimiter_is_the_one_the_header_uses_most():
    assert sniff_delimiter("a;b;c\n1,5;2;3") == ";"
    assert sniff_delimiter('"a;b",c,d\n') == ","
    assert sniff_delimiter("single\n") == ","


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", datetime.date(2024, 3, 5)),
        ("2024/3/5", datetime.date(2024, 3, 5)),
        ("20240305", datetime.date(2024, 3, 5)),
        ("5.3.2024", datetime.date(2024, 3, 5)),
        (" 2024-03-05 00:00:00 ", datetime.date(2024, 3, 5)),
    ],
)
def test_swedish_and_iso_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2024-02-30", "5/3/2024", "mars 2024", "24-03-05", ""])
def test_other_dates_are_refused_with_a_message(text):
    with pytest.raises(ParseError):
        parse_date(text)


def test_decimal_commas_and_spaces():
    assert parse_decimal("2,5") == Decimal("2.5")
    assert parse_decimal("1 234,75") == Decimal("1234.75")
    assert parse_decimal("-3") == Decimal("-3")
    with pytest.raises(ParseError):
        parse_decimal("1,2,3")


def test_yes_no_and_choices_in_swedish_english_or_code():
    assert parse_bool("Ja") is True and parse_bool("x") is True and parse_bool("") is False
    assert parse_choice("Kvinna", "gender") == parse_choice("woman", "gender") == "woman"
    assert parse_choice("Syrien", "country") == parse_choice("syria", "country") == "SY"
    assert parse_choice("SYR", "country") == "SY"
    assert parse_choice("Sverige", "country") == "SE"
    with pytest.raises(ParseError, match="Unknown country"):
        parse_choice("Narnia", "country")


def _xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Deltagare"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_cells_become_text_with_dates_as_iso_and_numbers_without_decimals():
    data = _xlsx(
        [
            ["Personnummer", "Startdatum", "Antal skolår"],
            [199001010017, datetime.date(2024, 3, 5), 9.0],
        ]
    )
    [table] = read_tables(data, "x.xlsx")
    assert table.name == "Deltagare"
    assert table.rows == [(2, ["199001010017", "2024-03-05", "9"])]


@pytest.mark.parametrize(
    "data", [b"", b"   ", b"PK\x03\x04garbage", b"PK\x03\x04" + b"\x00" * 100, b"\x00\x01\x02"]
)
def test_broken_files_raise_a_parse_error_only(data):
    with pytest.raises(ParseError):
        read_tables(data, "x")


def test_kind_is_found_by_sheet_name_or_by_headers():
    assert kind_for_table("Deltagare", []) is PARTICIPANTS
    assert kind_for_table("whatever", ["First name", "Last name", "Gender", "Start date"]) is (
        PARTICIPANTS
    )
    assert kind_for_table("whatever", ["Something"]) is None


# -- property-based ------------------------------------------------------------------------

CELL = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_tables_or_a_parse_error(data):
    try:
        tables = read_tables(data, "x.csv")
    except ParseError:
        return
    for table in tables:
        assert all(isinstance(cell, str) for _n, row in table.rows for cell in row)


@settings(max_examples=200)
@given(CELL)
def test_arbitrary_cell_text_gives_a_value_or_a_parse_error(text):
    for column in PARTICIPANTS.columns:
        if column.type in ("unit", "track", "activity"):
            continue
        with contextlib.suppress(ParseError):
            column.parse(text)
    for parser in (parse_date, parse_decimal):
        with contextlib.suppress(ParseError):
            parser(text)


def _significant(rows):
    """What survives a round trip: stripped cells, no empty rows, no trailing empty cells."""
    result = []
    for row in rows:
        cells = [cell.replace("\u00a0", " ").replace("\ufeff", "").strip() for cell in row]
        if any(cells):
            result.append(cells)
    return result


ROWS = st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=8)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(
    ROWS, st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]), st.sampled_from([";", ","])
)
def test_csv_round_trip_in_every_encoding(rows, encoding, delimiter):
    import csv

    rows = [["Förnamn", "Efternamn", "Kommun"], *rows]
    if encoding == "cp1252":
        rows = [[cell.encode("cp1252", "ignore").decode("cp1252") for cell in row] for row in rows]
    # Lone carriage returns are newlines to every CSV reader; Excel writes none inside cells.
    rows = [[cell.replace("\r", "") for cell in row] for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    table = read_csv(buffer.getvalue().encode(encoding))
    expected = _significant(rows)
    assert table.headers == expected[0]
    assert [cells + [""] * (3 - len(cells)) for _n, cells in table.rows] == expected[1:]


XLSX_CELL = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=20,
).filter(lambda text: not text.startswith("="))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(XLSX_CELL, min_size=3, max_size=3), min_size=1, max_size=6))
def test_xlsx_round_trip(rows):
    rows = [["Förnamn", "Efternamn", "Kommun"], *rows]
    [table] = read_tables(_xlsx(rows), "x.xlsx")
    expected = _significant(rows)
    assert table.headers == expected[0]
    assert [cells + [""] * (3 - len(cells)) for _n, cells in table.rows] == expected[1:]


def test_decode_prefers_the_byte_order_mark():
    assert decode("\ufeffÅ".encode()) == "Å"
    assert decode("Å".encode("cp1252")) == "Å"
