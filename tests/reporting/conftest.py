import pytest
from django.utils import translation

from .fixtures import world  # noqa: F401  (the hand-computed programme)


@pytest.fixture(autouse=True)
def _english():
    """Titles and messages are matched in the source language."""
    with translation.override("en"):
        yield
