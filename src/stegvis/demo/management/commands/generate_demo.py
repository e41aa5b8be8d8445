"""``stegvis generate_demo``: fill an empty, migrated database with the demo programme."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stegvis.demo.generator import DemoDataExists, generate_demo
from stegvis.demo.output import login_lines, summary_lines

from ._options import positive_int


class Command(BaseCommand):
    help = (
        "Generate the synthetic demo programme (invented people and organisations) into an "
        "empty, migrated database. Refuses if the database already holds data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument(
            "--participants",
            type=positive_int,
            default=2500,
            help="Number of people to enrol (default: 2500).",
        )

    def handle(self, *args: Any, seed: int, participants: int, **options: Any) -> None:
        started = time.monotonic()
        try:
            summary = generate_demo(seed=seed, participants=participants)
        except (DemoDataExists, ValueError) as error:
            raise CommandError(str(error)) from error
        for line in summary_lines(summary, seconds=time.monotonic() - started):
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(f"Password for all / Lösenord för alla: {summary.password}")
        for line in login_lines(summary.logins):
            self.stdout.write(line)
