"""A request budget per user for the API (all of a user's tokens and their session share it).

The rate is read per request from ``settings.API_RATE`` ("1000/min" by default,
``STEGVIS_API_RATE``; "off" disables it), so it can be changed without a restart of the
class machinery and tests can set it. The counters live in Django's default cache: per server
process with the default in-memory cache, shared when a shared cache is configured.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class UserBudget(UserRateThrottle):
    scope = "user"

    def get_rate(self) -> str | None:
        return settings.API_RATE
