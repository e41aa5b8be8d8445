"""``stegvis serve``: run the web application with gunicorn."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stegvis.demo.output import url_for
from stegvis.demo.server import serve

from ._options import add_server_arguments


class Command(BaseCommand):
    help = (
        "Serve Stegvis with gunicorn (static files through WhiteNoise, no collectstatic "
        "needed). Run `stegvis migrate` first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_server_arguments(parser)

    def handle(self, *args: Any, bind: str, workers: int, **options: Any) -> None:
        self.stdout.write(f"Stegvis: {url_for(bind)} (workers: {workers}; Ctrl+C to stop)")
        serve(bind=bind, workers=workers)
