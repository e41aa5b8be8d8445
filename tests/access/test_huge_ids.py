"""Ids beyond the database's integer range are "not found", never a server error.

Django's ``<int:...>`` converter accepts any number of digits; SQLite and PostgreSQL refuse
integers above 2**63 - 1. Every URL with an integer argument is walked with such an id.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

HUGE = str(2**64)


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if "<int:" in route:
                yield route


def _urls() -> list[str]:
    urls = []
    for route in _routes(get_resolver().url_patterns):
        url = "/" + re.sub(r"<int:\w+>", HUGE, route)
        # Other converters get a plausible value.
        url = re.sub(r"<(str|slug):\w+>", "xlsx", url)
        urls.append(url)
    return urls


def test_the_walk_finds_urls():
    assert len(_urls()) > 50


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["alice", "anna", "mona"])
def test_huge_ids_are_not_found(client, cast, username):
    client.force_login(getattr(cast, username))
    for url in _urls():
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code < 500, (url, method.__name__, response.status_code)
