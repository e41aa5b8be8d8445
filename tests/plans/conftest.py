"""The `share` fixture: consents of Layla (enrollment_a) naming partner B's organisation."""

from __future__ import annotations

import pytest

from stegvis.consents.models import Consent
from tests.plans.helpers import days


@pytest.fixture
def share(cast):
    """share(plan=..., checkins=..., takes_part=...) -> a consent of Layla (enrollment_a) naming
    Beta folkhögskola (Bob's and Bea's organisation)."""

    def make(*, plan=True, checkins=False, takes_part=False, **overrides):
        values = {
            "enrollment": cast.enrollment_a,
            "purpose": "x",
            "form": "written",
            "language": "ar",
            "given_on": days(-10),
            "valid_from": days(-10),
            "valid_to": days(365),
            "recorded_by": cast.alice,
            "covers_plan": plan,
            "covers_checkins": checkins,
            "takes_part_in_plan": takes_part,
        }
        values.update(overrides)
        consent = Consent.objects.create(**values)
        consent.organisations.add(cast.partner_b.organisation)
        return consent

    return make
