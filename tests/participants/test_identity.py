from datetime import date

import pytest
from django.core.exceptions import ValidationError

from stegvis.participants.identity import (
    PERSONNUMMER,
    SAMORDNINGSNUMMER,
    luhn_check_digit,
    parse_identity_number,
)

TODAY = date(2026, 11, 23)


def test_luhn_check_digit_of_the_tax_agency_example():
    # Skatteverket's worked example: 811218-987 gets check digit 6.
    assert luhn_check_digit("811218987") == 6


@pytest.mark.parametrize(
    "raw",
    ["19811218-9876", "198112189876", "811218-9876", "8112189876", " 19811218 9876 "],
)
def test_it_accepts_the_usual_ways_of_writing_a_personnummer(raw):
    parsed = parse_identity_number(raw, today=TODAY)
    assert parsed.number == "198112189876"
    assert parsed.kind == PERSONNUMMER
    assert parsed.birth_date == date(1981, 12, 18)
    assert parsed.formatted() == "19811218-9876"


def test_it_recognises_a_samordningsnummer_by_day_plus_sixty():
    nine = "701063" + "234"  # born 1970-10-03
    number = f"19{nine}{luhn_check_digit(nine)}"
    parsed = parse_identity_number(number, today=TODAY)
    assert parsed.kind == SAMORDNINGSNUMMER
    assert parsed.birth_date == date(1970, 10, 3)


def test_a_plus_sign_means_a_hundred_years_older():
    nine = "101010" + "123"
    raw = f"101010+123{luhn_check_digit(nine)}"
    assert parse_identity_number(raw, today=TODAY).birth_date == date(1910, 10, 10)


def test_two_digit_years_are_never_in_the_future():
    nine = "300101" + "123"
    parsed = parse_identity_number(f"300101-123{luhn_check_digit(nine)}", today=TODAY)
    assert parsed.birth_date == date(1930, 1, 1)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("19811218-9875", "checksum"),
        ("1981121", "format"),
        ("abcdefgh-ijkl", "format"),
        ("19811318-9871", None),  # month 13: wrong date (check digit may also be off)
        ("20991218-9876", None),
    ],
)
def test_it_refuses_invalid_numbers(raw, code):
    with pytest.raises(ValidationError) as error:
        parse_identity_number(raw, today=TODAY)
    if code:
        assert error.value.code == code


def test_an_invalid_date_with_a_valid_check_digit_is_refused_for_the_date():
    nine = "811232" + "123"  # 32 December
    with pytest.raises(ValidationError) as error:
        parse_identity_number(f"811232-123{luhn_check_digit(nine)}", today=TODAY)
    assert error.value.code == "date"


def test_a_future_birth_date_is_refused():
    nine = "261224" + "123"
    with pytest.raises(ValidationError) as error:
        parse_identity_number(f"20261224-123{luhn_check_digit(nine)}", today=TODAY)
    assert error.value.code == "future"
