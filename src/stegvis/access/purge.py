"""The one sanctioned way to delete access log rows.

The database refuses UPDATE on the log always, and DELETE/TRUNCATE unless the connection
says a purge is allowed (PostgreSQL: the session setting ``stegvis.purge_allowed``; SQLite:
the SQL function ``stegvis_purge_allowed()``, registered on Django's connections only, so
other clients fail closed). Retention purges and test-database flushes go through here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections
from django.db.backends.signals import connection_created

_state = {"allowed": False}


def _apply(connection: Any) -> None:
    if connection.vendor == "postgresql" and connection.connection is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('stegvis.purge_allowed', %s, false)",
                ["on" if _state["allowed"] else "off"],
            )


def on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "stegvis_purge_allowed", 0, lambda: 1 if _state["allowed"] else 0
        )
    elif connection.vendor == "postgresql" and _state["allowed"]:
        _apply(connection)


def set_purge_allowed(allowed: bool) -> None:
    _state["allowed"] = allowed
    for connection in connections.all(initialized_only=True):
        _apply(connection)


@contextmanager
def purge_allowed() -> Iterator[None]:
    previous = _state["allowed"]
    set_purge_allowed(True)
    try:
        yield
    finally:
        set_purge_allowed(previous)


def connect_signals() -> None:
    connection_created.connect(on_connection_created, dispatch_uid="stegvis-access-purge")
