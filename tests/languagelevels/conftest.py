"""These directories read English page texts; Swedish (the default) is tested elsewhere."""

from __future__ import annotations

import pytest


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
