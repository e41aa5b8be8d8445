"""Swedish organisation numbers (organisationsnummer), for workplaces.

A legal entity's number is ten digits NNNNNN-NNNN: the last is a Luhn check digit over the
first nine, and the third digit is 2 or more (so it can never be read as a birth month).

A sole trader (enskild firma) has no number of its own: the business uses the owner's
personnummer. We accept that too, because many internships are at small firms, and mark it
so the page can say so: the same ten digits, with a valid date (YYMMDD, or the day plus 60 for
a samordningsnummer) where a legal entity has its third digit.

Accepted input: with or without the hyphen, with spaces, and the twelve-digit forms
(``16`` + the number for a legal entity, the century + the number for a sole trader).
Stored normalised as ``NNNNNN-NNNN``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stegvis.participants.identity import luhn_check_digit

_PATTERN = re.compile(r"^(?P<prefix>\d{2})?(?P<first>\d{6})-?(?P<last>\d{4})$")


@dataclass(frozen=True)
class OrganisationNumber:
    number: str  # NNNNNN-NNNN
    sole_trader: bool


def parse_organisation_number(raw: str) -> OrganisationNumber:
    """Validate and normalise; raises ValidationError with a message for the user."""
    cleaned = re.sub(r"\s", "", raw or "")
    match = _PATTERN.match(cleaned)
    if not match:
        raise ValidationError(
            _("Write the organisation number as ten digits, NNNNNN-NNNN."), code="format"
        )
    digits = match["first"] + match["last"]
    if luhn_check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError(
            _("The check digit is wrong: check the last digit of the organisation number."),
            code="checksum",
        )
    sole_trader = int(digits[2]) < 2
    prefix = match["prefix"]
    if sole_trader:
        if prefix is not None and prefix not in ("19", "20"):
            raise ValidationError(
                _("A twelve-digit number starts with 16 (or 19/20 for a sole trader)."),
                code="format",
            )
        _check_birth_date(digits[:6], century=prefix)
    elif prefix is not None and prefix != "16":
        raise ValidationError(
            _("A twelve-digit organisation number starts with 16."), code="format"
        )
    return OrganisationNumber(number=f"{digits[:6]}-{digits[6:]}", sole_trader=sole_trader)


def _check_birth_date(yymmdd: str, *, century: str | None) -> None:
    """A sole trader's number is a personnummer: its first six digits must be a date."""
    month, day = int(yymmdd[2:4]), int(yymmdd[4:6])
    if day > 60:  # samordningsnummer
        day -= 60
    # Any leap year works when the century is unknown: 29 February must pass.
    year = int(century + yymmdd[:2]) if century else 2000
    try:
        datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _(
                "This is neither an organisation number (its third digit is 2 or more) nor a "
                "sole trader's personal identity number (a valid date)."
            ),
            code="invalid",
        ) from None


def with_check_digit(nine_digits: str) -> str:
    """The normalised number for nine digits plus their check digit (demo and tests)."""
    return f"{nine_digits[:6]}-{nine_digits[6:]}{luhn_check_digit(nine_digits)}"
