import pytest
from django.utils.translation import override

from stegvis.participants.languages import LANGUAGE_CHOICES
from stegvis.plans.languages import ENDONYMS, language_label


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("prs", "Dari – دری"),
        ("ar", "Arabiska – العربية"),
        ("so", "Somaliska – Soomaali"),
        ("ti", "Tigrinja – ትግርኛ"),
        ("sv", "Svenska"),
    ],
)
def test_languages_are_named_in_swedish_and_in_themselves(code, expected):
    with override("sv"):
        assert str(language_label(code)) == expected


def test_every_language_but_other_has_an_endonym():
    codes = {code for code, _name in LANGUAGE_CHOICES} - {"other"}
    assert codes == set(ENDONYMS)


def test_right_to_left_scripts_are_marked():
    assert language_label("ar").rtl and language_label("prs").rtl
    assert not language_label("ti").rtl
    assert language_label("") is None
