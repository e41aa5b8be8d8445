"""Organisation numbers. The check digits below were computed by hand (Luhn, weights 2-1-2-…
over the first nine digits; digit sums of products; check = (10 - sum mod 10) mod 10)."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from stegvis.placements.orgnumber import parse_organisation_number, with_check_digit


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        # 5,5,6,0,1,2,5,7,9 -> 1+5+3+0+2+2+1+7+9 = 30 -> check 0
        ("556012-5790", "556012-5790"),
        ("5560125790", "556012-5790"),
        (" 556012 5790 ", "556012-5790"),
        ("16556012-5790", "556012-5790"),
        ("165560125790", "556012-5790"),
        # 2,0,2,1,0,0,5,4,4 -> 4+0+4+1+0+0+1+4+8 = 22 -> check 8 (a state agency)
        ("202100-5448", "202100-5448"),
        # 8,0,2,4,7,9,1,2,3 -> 7+0+4+4+5+9+2+2+6 = 39 -> check 1 (a non-profit association)
        ("802479-1231", "802479-1231"),
    ],
)
def test_legal_entities_are_accepted_and_normalised(raw, number):
    parsed = parse_organisation_number(raw)
    assert parsed.number == number
    assert parsed.sole_trader is False


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        # 8,1,1,2,1,8,9,8,7 -> 7+1+2+2+2+8+9+8+5 = 44 -> check 6
        ("811218-9876", "811218-9876"),
        ("19811218-9876", "811218-9876"),
        # A samordningsnummer (day + 60): 8,1,1,2,7,8,9,8,7 -> 47 -> check 3
        ("811278-9873", "811278-9873"),
    ],
)
def test_a_sole_traders_personal_number_is_accepted_and_marked(raw, number):
    parsed = parse_organisation_number(raw)
    assert parsed.number == number
    assert parsed.sole_trader is True


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("556012-5791", "checksum"),
        ("802479-1234", "checksum"),
        ("55601-2579", "format"),
        ("556012-57900", "format"),
        ("abc", "format"),
        ("", "format"),
        # Twelve digits: 16 only for legal entities, 19/20 only for sole traders.
        ("195560125790", "format"),
        ("16811218-9876", "format"),
        # Third digit below 2 but no valid date: 8,1,1,3,1,8,9,8,7 -> 45 -> check 5 passes Luhn.
        ("811318-9875", "invalid"),
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(raw, code):
    with pytest.raises(ValidationError) as error:
        parse_organisation_number(raw)
    assert error.value.code == code
    assert error.value.messages[0]


def test_with_check_digit_completes_nine_digits():
    assert with_check_digit("556012579") == "556012-5790"
    assert with_check_digit("202100544") == "202100-5448"


@given(first=st.from_regex(r"\A\d\d[2-9]\d{6}\Z"), wrong=st.integers(1, 9))
def test_every_generated_number_parses_and_any_other_check_digit_fails(first, wrong):
    number = with_check_digit(first)
    assert parse_organisation_number(number.replace("-", "")).number == number
    broken = number[:-1] + str((int(number[-1]) + wrong) % 10)
    with pytest.raises(ValidationError):
        parse_organisation_number(broken)
