"""Indicator exports (JSON, CSV, xlsx): the same rows for the command line and the UI.

Files are deterministic: the same data gives the same bytes (xlsx metadata carries a fixed
date, not the time of export).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from typing import Any

from django.utils.translation import gettext as _

from .indicators import IndicatorSet

FORMATS = ("json", "csv", "xlsx")
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Written into the files' metadata instead of "now", so equal data gives equal files.
FIXED_TIME = datetime.datetime(2000, 1, 1, 0, 0, 0)  # noqa: DTZ001 (xlsx dates are naive)

COLUMNS = (
    "code",
    "title",
    "reference",
    "unit",
    "counts",
    "numerator",
    "denominator",
    "value",
    "missing",
    "missing_means",
    "excluded_ineligible",
    "excluded_unknown_eligibility",
    "suppressed",
    "data_available",
    "population",
    "counting_rule",
    "definition",
)


def _rows(results: IndicatorSet) -> list[list[Any]]:
    rows = []
    for result in results:
        data = result.to_dict()
        rows.append(["" if data[c] is None else data[c] for c in COLUMNS])
    return rows


def indicators_json(results: IndicatorSet) -> bytes:
    return json.dumps(results.to_dict(), ensure_ascii=False, indent=2).encode("utf-8")


def indicators_csv(results: IndicatorSet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_rows(results))
    return out.getvalue().encode("utf-8")


def deterministic_xlsx(workbook: Any) -> bytes:
    """Save with fixed metadata and fixed zip entry times."""
    import zipfile

    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    workbook.properties.creator = "Stegvis"
    raw = io.BytesIO()
    workbook.save(raw)
    # openpyxl stamps zip entries with the current time; rewrite them with a fixed one.
    raw.seek(0)
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as src,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                # openpyxl writes the save time as "modified" whatever the properties say.
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2000-01-01T00:00:00Z\g<2>",
                    data,
                )
            dst.writestr(info, data)
    return fixed.getvalue()


def indicators_xlsx(results: IndicatorSet) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Indicators")[:31]
    sheet.append([_("Programme"), results.programme.name])
    sheet.append([_("Partner"), results.partner.organisation.name if results.partner else _("All")])
    sheet.append([_("Period"), str(results.period) if results.period else _("Whole programme")])
    sheet.append([_("Erroneous registrations (not counted)"), results.erroneous])
    sheet.append([])
    sheet.append(list(COLUMNS))
    for row in _rows(results):
        sheet.append(row)
    return deterministic_xlsx(workbook)


def export_indicators(results: IndicatorSet, fmt: str) -> bytes:
    if fmt == "json":
        return indicators_json(results)
    if fmt == "csv":
        return indicators_csv(results)
    if fmt == "xlsx":
        return indicators_xlsx(results)
    raise ValueError(fmt)
