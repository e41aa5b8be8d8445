"""Who counts as a third-country national for the funds.

A third-country national has no citizenship of an EU/EEA country or Switzerland, Swedish
included (the programme rules; AMIF Regulation (EU) 2021/1147 targets third-country
nationals). Stateless people are third-country nationals. With no citizenship recorded,
eligibility is unknown and the enrollment is kept out of indicators until it is known.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
EEA_NON_EU = frozenset({"IS", "LI", "NO"})
SWITZERLAND = frozenset({"CH"})
EU_EEA_CH = EU_COUNTRIES | EEA_NON_EU | SWITZERLAND


class Eligibility(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible (third-country national)")
    INELIGIBLE = "ineligible", _("Not eligible")
    UNKNOWN = "unknown", _("Unknown – citizenship missing")


class EligibilityReason(models.TextChoices):
    THIRD_COUNTRY = (
        "third_country",
        _("Citizen only of countries outside the EU/EEA and Switzerland"),
    )
    STATELESS = "stateless", _("Stateless")
    EU_EEA_CH_CITIZEN = "eu_eea_ch_citizen", _("Citizen of an EU/EEA country or Switzerland")
    SWEDISH_CITIZEN = "swedish_citizen", _("Swedish citizen")
    NO_CITIZENSHIP = "no_citizenship", _("No citizenship recorded")


@dataclass(frozen=True)
class EligibilityResult:
    status: str
    reason: str


def compute_eligibility(citizenships: Iterable[str], *, stateless: bool) -> EligibilityResult:
    codes = {str(code).upper() for code in citizenships if code}
    if "SE" in codes:
        return EligibilityResult(Eligibility.INELIGIBLE, EligibilityReason.SWEDISH_CITIZEN)
    if codes & EU_EEA_CH:
        return EligibilityResult(Eligibility.INELIGIBLE, EligibilityReason.EU_EEA_CH_CITIZEN)
    if codes:
        return EligibilityResult(Eligibility.ELIGIBLE, EligibilityReason.THIRD_COUNTRY)
    if stateless:
        return EligibilityResult(Eligibility.ELIGIBLE, EligibilityReason.STATELESS)
    return EligibilityResult(Eligibility.UNKNOWN, EligibilityReason.NO_CITIZENSHIP)
