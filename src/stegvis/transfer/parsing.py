"""Bytes in, tables of strings out. Pure: no database, no Django models.

A file is an xlsx workbook (one table per sheet), a zip of CSV files (one table per file, as
the CSV export writes it) or one CSV file. CSV files may be UTF-8 (with or without a byte
order mark), UTF-16 with a byte order mark, or Windows-1252 (what Swedish Excel writes for
"CSV (semikolonavgränsad)"); the delimiter is a semicolon, comma or tab, whichever the header
line uses most. Every cell becomes a stripped string; xlsx dates become ``YYYY-MM-DD``.

Anything malformed raises ``ParseError`` (never another exception), with a message for the
user.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
DELIMITERS = (";", ",", "\t")


class ParseError(ValueError):
    """The file or a cell cannot be read; the message is for the user."""


@dataclass
class Table:
    """One sheet or CSV file: its name, header cells and data rows with Excel row numbers."""

    name: str
    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


# -- cells -------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """An xlsx cell value as text: dates as ISO dates, whole floats without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return clean_text(str(value))


def clean_text(text: str) -> str:
    # Excel pastes non-breaking spaces; a stray one must not make a code unknown.
    return text.replace("\u00a0", " ").replace("\ufeff", "").strip()


_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_EXCEL_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?$")


def parse_date(text: str) -> datetime.date:
    """Swedish and ISO forms: 2024-03-05, 2024/03/05, 20240305, 5.3.2024 (day first)."""
    text = clean_text(text)
    text = _EXCEL_TIME.sub(r"\1", text)
    if match := _ISO.match(text) or _COMPACT.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DOTTED.match(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise ParseError(_("Write the date as YYYY-MM-DD, for example 2024-03-05."))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ParseError(_("There is no such date.")) from None


def parse_decimal(text: str) -> Decimal:
    """A number with a decimal comma or point; spaces as thousands separators are allowed."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", clean_text(text)).replace("−", "-")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise ParseError(_("Write a number, for example 2,5."))
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern above rules it out
        raise ParseError(_("Write a number, for example 2,5.")) from None


def parse_int(text: str) -> int:
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise ParseError(_("Write a whole number."))
    return int(value)


# -- files -------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """BOM → that encoding; valid UTF-8 → UTF-8; otherwise Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ParseError(
            _("The file's character encoding is not recognised: save it as UTF-8 CSV or xlsx.")
        ) from None


def sniff_delimiter(text: str) -> str:
    """The delimiter the header line uses most, counting outside quotes."""
    header = _first_record(text)
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _first_record(text: str) -> str:
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            return text[:index]
    return text


def read_csv(data: bytes, name: str = "") -> Table:
    text = decode(data)
    if "\x00" in text:
        raise ParseError(_("This does not look like a CSV file."))
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        records = list(reader)
    except csv.Error:
        raise ParseError(_("The CSV file is malformed (check the quotation marks).")) from None
    return _table(name, [[clean_text(cell) for cell in record] for record in records])


def _table(name: str, records: list[list[str]]) -> Table:
    """The first non-empty record is the header; empty rows are skipped, numbers kept."""
    if len(records) > MAX_ROWS:
        raise ParseError(
            _("The file has more than %(max)s rows: split it into smaller files.")
            % {"max": MAX_ROWS}
        )
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, record in enumerate(records, start=1):
        if not any(record):
            continue
        if headers is None:
            headers = record
            continue
        rows.append((number, record))
    return Table(name=name, headers=_trim(headers or []), rows=rows)


def _trim(headers: list[str]) -> list[str]:
    while headers and not headers[-1]:
        headers.pop()
    return headers


def read_xlsx(data: bytes) -> list[Table]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds; any of them means "not a readable workbook"
        raise ParseError(_("The file is not a readable Excel workbook (xlsx).")) from None
    tables = []
    try:
        for sheet in workbook.worksheets:
            records = []
            for values in sheet.iter_rows(values_only=True):
                records.append([cell_text(value) for value in values])
                if len(records) > MAX_ROWS:
                    break
            tables.append(_table(sheet.title, records))
    except ParseError:
        raise
    except Exception:
        raise ParseError(_("The file is not a readable Excel workbook (xlsx).")) from None
    finally:
        workbook.close()
    return tables


def read_zip_of_csv(archive: zipfile.ZipFile) -> list[Table]:
    tables = []
    for info in archive.infolist():
        if info.is_dir() or not info.filename.lower().endswith(".csv"):
            continue
        if info.file_size > MAX_BYTES:
            raise ParseError(_("The file is too large."))
        stem = info.filename.rsplit("/", 1)[-1][:-4]
        tables.append(read_csv(archive.read(info), stem))
    if not tables:
        raise ParseError(_("The zip file contains no CSV files."))
    return tables


def read_tables(data: bytes, filename: str = "") -> list[Table]:
    """Every table in an uploaded file, whatever its kind."""
    if len(data) > MAX_BYTES:
        raise ParseError(_("The file is too large."))
    if not data.strip():
        raise ParseError(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise ParseError(_("The file is not a readable Excel workbook (xlsx).")) from None
        if "[Content_Types].xml" in names:
            return read_xlsx(data)
        try:
            return read_zip_of_csv(archive)
        except ParseError:
            raise
        except Exception:  # corrupt, encrypted or oddly compressed members
            raise ParseError(_("The zip file cannot be read.")) from None
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return [read_csv(data, stem)]
