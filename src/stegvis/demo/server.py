"""Running the WSGI application with gunicorn, for ``stegvis serve`` and ``stegvis demo``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from gunicorn.app.base import BaseApplication

DEFAULT_BIND = "127.0.0.1:8000"
DEFAULT_WORKERS = 2


def default_bind() -> str:
    return os.environ.get("STEGVIS_BIND") or DEFAULT_BIND


def default_workers() -> int:
    return int(os.environ.get("STEGVIS_WORKERS") or DEFAULT_WORKERS)


class StegvisServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn configured from our options only (not from sys.argv or GUNICORN_CMD_ARGS)."""

    def __init__(self, *, bind: str, workers: int) -> None:
        self.options: dict[str, Any] = {
            "bind": bind,
            "workers": workers,
            "accesslog": "-",
            "errorlog": "-",
            "proc_name": "stegvis",
            # Gunicorn >= 25 opens a control socket in $HOME by default; one per user would
            # clash between several Stegvis instances and is not needed here.
            "control_socket_disable": True,
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from stegvis.wsgi import application

        return application


def serve(*, bind: str, workers: int) -> None:
    """Run until interrupted."""
    # WhiteNoise serves from the finders without collectstatic, but warns on every worker
    # start when STATIC_ROOT does not exist.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    # Workers are forked from this process: they must not inherit its database connection.
    connections.close_all()
    StegvisServer(bind=bind, workers=workers).run()
