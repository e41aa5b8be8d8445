"""API test helpers: a token per cast member and a client that sends it.

The cast's activities (from tests/activities) and an exit of Hassan (A / AME) give every
endpoint something to return.
"""

from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from stegvis.api.tokens import token_create
from stegvis.outcomes.services import exit_record
from tests.activities.conftest import (  # noqa: F401
    START,
    activity_a,
    activity_b,
    sfi,
    with_participants,  # noqa: F401
)


class Api:
    """Calls the API as one user with their personal token, in English."""

    def __init__(self, user, secret: str) -> None:
        self.user = user
        self.secret = secret
        self.client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    def get(self, url: str, **params):
        return self.client.get(url, params)

    def post(self, url: str, data=None):
        return self.client.post(url, data or {}, format="json")


@pytest.fixture
def api(cast):
    """api("alice") → an Api for that cast member (amir_elsewhere: Amir)."""
    made: dict[str, Api] = {}

    def make(who: str) -> Api:
        if who not in made:
            user = getattr(cast, "amir" if who == "amir_elsewhere" else who)
            made[who] = Api(user, token_create(actor=user, name="test").secret)
        return made[who]

    return make


@pytest.fixture
def exited(cast):
    """Hassan (A / AME) left for a job; the exit note is a secret only A may read."""
    return exit_record(
        actor=cast.anna,
        enrollment=cast.enrollment_a2,
        exit_date=datetime.date(2025, 6, 1),
        exit_type="completed",
        reason="work.employment",
        in_employment=True,
        note="SECRET-EXIT-NOTE",
    )


assert START
