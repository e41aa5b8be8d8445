import pytest

from stegvis.participants.eligibility import (
    Eligibility,
    EligibilityReason,
    compute_eligibility,
)


@pytest.mark.parametrize(
    ("citizenships", "stateless", "status", "reason"),
    [
        (["SY"], False, Eligibility.ELIGIBLE, EligibilityReason.THIRD_COUNTRY),
        (["AF", "IR"], False, Eligibility.ELIGIBLE, EligibilityReason.THIRD_COUNTRY),
        (["SE"], False, Eligibility.INELIGIBLE, EligibilityReason.SWEDISH_CITIZEN),
        (["SY", "SE"], False, Eligibility.INELIGIBLE, EligibilityReason.SWEDISH_CITIZEN),
        (["ER", "DE"], False, Eligibility.INELIGIBLE, EligibilityReason.EU_EEA_CH_CITIZEN),
        (["NO"], False, Eligibility.INELIGIBLE, EligibilityReason.EU_EEA_CH_CITIZEN),
        (["CH"], False, Eligibility.INELIGIBLE, EligibilityReason.EU_EEA_CH_CITIZEN),
        (["GB"], False, Eligibility.ELIGIBLE, EligibilityReason.THIRD_COUNTRY),
        (["UA"], False, Eligibility.ELIGIBLE, EligibilityReason.THIRD_COUNTRY),
        ([], True, Eligibility.ELIGIBLE, EligibilityReason.STATELESS),
        ([], False, Eligibility.UNKNOWN, EligibilityReason.NO_CITIZENSHIP),
    ],
)
def test_eligibility_follows_citizenship(citizenships, stateless, status, reason):
    result = compute_eligibility(citizenships, stateless=stateless)
    assert (result.status, result.reason) == (status, reason)
