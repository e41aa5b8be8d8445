"""Import/export tests read English messages; files are built as Swedish Excel writes them."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import personnummer

HEADER = [
    "Personnummer",
    "Eget id",
    "Förnamn",
    "Efternamn",
    "Kön",
    "Medborgarskap",
    "Enhet",
    "Startdatum",
]


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def person_row(n: int, *, unit: str = "Vuxenutbildningen", start: str = "2024-03-05") -> list[str]:
    """A valid participant row; n picks a distinct synthetic person."""
    birth = datetime.date(1980, 1, 1) + datetime.timedelta(days=n * 3)
    number = personnummer(birth, serial=n % 1000)
    return [
        f"{number[:8]}-{number[8:]}",
        f"X-{n}",
        f"Förnamn{n}",
        f"Efternamn{n}",
        "kvinna" if n % 2 else "man",
        "Syrien" if n % 3 else "SY, IQ",
        unit,
        start,
    ]


def csv_file(
    rows: list[list[str]],
    header: list[str] | None = None,
    *,
    sep: str = ";",
    encoding: str = "utf-8-sig",
) -> bytes:
    lines = [sep.join(header or HEADER)] + [sep.join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)
