"""Swedish identity numbers: personnummer and samordningsnummer.

Both are YYMMDD-NNNC (or YYYYMMDDNNNC); C is a Luhn check digit over the ten digits
YYMMDDNNN C. A samordningsnummer adds 60 to the day. A '+' separator means the person
is 100 years or older when only two year digits are given. We store twelve digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"

_PATTERN = re.compile(
    r"^(?P<century>\d{2})?(?P<yymmdd>\d{6})(?P<sep>[-+]?)(?P<serial>\d{3})(?P<check>\d)$"
)


@dataclass(frozen=True)
class IdentityNumber:
    number: str  # twelve digits, YYYYMMDDNNNC
    kind: str
    birth_date: date

    def formatted(self) -> str:
        return f"{self.number[:8]}-{self.number[8:]}"


def luhn_check_digit(nine_digits: str) -> int:
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def parse_identity_number(raw: str, *, today: date | None = None) -> IdentityNumber:
    """Validate and normalise; raises ValidationError with a message for the user."""
    today = today or localdate()
    cleaned = re.sub(r"\s", "", raw or "")
    match = _PATTERN.match(cleaned)
    if not match:
        raise ValidationError(
            _("Write the number as YYYYMMDD-NNNN (12 digits) or YYMMDD-NNNN."),
            code="format",
        )
    yymmdd = match["yymmdd"]
    serial_and_check = match["serial"] + match["check"]
    if luhn_check_digit(yymmdd + match["serial"]) != int(match["check"]):
        raise ValidationError(
            _("The check digit is wrong: check the last digit of the number."), code="checksum"
        )
    yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    kind = PERSONNUMMER
    if day > 60:
        kind = SAMORDNINGSNUMMER
        day -= 60
    if match["century"]:
        year = int(match["century"]) * 100 + yy
    else:
        # Two-digit year: the latest year not in the future; '+' adds a hundred years of age.
        year = (today.year // 100) * 100 + yy
        if year > today.year:
            year -= 100
        if match["sep"] == "+":
            year -= 100
    try:
        birth_date = date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("The number does not contain a valid date of birth."), code="date"
        ) from None
    if birth_date > today:
        raise ValidationError(_("The date of birth in the number is in the future."), code="future")
    return IdentityNumber(
        number=f"{year:04d}{yymmdd[2:]}{serial_and_check}", kind=kind, birth_date=birth_date
    )
