from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from stegvis.consents.models import Consent


@pytest.fixture
def share(cast):
    """share(covers_mapping=True, ...): a consent of Layla's (enrollment_a) naming partner B."""

    def make(enrollment=None, *, organisation=None, **covers) -> Consent:
        today = timezone.localdate()
        consent = Consent.objects.create(
            enrollment=enrollment or cast.enrollment_a,
            purpose="Samverkan kring praktik",
            form="written",
            language="ar",
            given_on=today - datetime.timedelta(days=10),
            valid_from=today - datetime.timedelta(days=10),
            valid_to=today + datetime.timedelta(days=365),
            recorded_by=cast.alice,
            **covers,
        )
        consent.organisations.add(organisation or cast.partner_b.organisation)
        return consent

    return make


@pytest.fixture
def client(client, settings):
    """These tests read English page texts; Swedish (the default) is tested elsewhere."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
