"""Reload the bundled instrument files: a changed file becomes a new version."""

from typing import Any

from django.core.management.base import BaseCommand

from stegvis.progression.services import bundled_instruments_load


class Command(BaseCommand):
    help = "Load the bundled instruments; changed files become new versions."

    def handle(self, *args: Any, **options: Any) -> None:
        versions = bundled_instruments_load()
        for version in versions:
            self.stdout.write(f"loaded {version}")
        if not versions:
            self.stdout.write("all instruments are up to date")
