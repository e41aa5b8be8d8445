"""``stegvis demo``: from nothing to a running demo in one command."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stegvis.demo import catalogue
from stegvis.demo.generator import DemoDataExists, existing_demo_logins, generate_demo
from stegvis.demo.output import banner_lines, summary_lines
from stegvis.demo.server import serve
from stegvis.organisations.models import Programme

from ._options import add_server_arguments, positive_int


class Command(BaseCommand):
    help = (
        "Run the demo: create the data directory, migrate the database, generate the synthetic "
        "demo programme if there is no programme yet, print the demo logins and serve."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_server_arguments(parser)
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Prepare the database and print the logins, but do not start the server.",
        )
        # For tests and benchmarks: a smaller or different demo.
        parser.add_argument(
            "--participants", type=positive_int, default=2500, help=argparse.SUPPRESS
        )
        parser.add_argument("--seed", type=int, default=2026, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity: int = options["verbosity"]
        data_dir = Path(settings.DATA_DIR)
        data_dir.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"Data directory / Datakatalog: {data_dir}")

        self.stdout.write("Migrating the database / Uppdaterar databasen …")
        call_command(
            "migrate", interactive=False, verbosity=max(0, verbosity - 1), stdout=self.stdout
        )

        if Programme.objects.exists():
            logins = existing_demo_logins()
            if logins:
                self.stdout.write("The demo data is already there / Demodata finns redan.")
            else:
                self.stdout.write(
                    "The database already has programmes: no demo data added. "
                    "/ Databasen har redan projekt: inga demodata har lagts till."
                )
        else:
            self.stdout.write(
                f"Generating the demo programme / Skapar demoprojektet "
                f"({options['participants']:,} participants) …"
            )
            started = time.monotonic()
            try:
                summary = generate_demo(seed=options["seed"], participants=options["participants"])
            except DemoDataExists as error:
                raise CommandError(str(error)) from error
            for line in summary_lines(summary, seconds=time.monotonic() - started):
                self.stdout.write(line)
            logins = summary.logins

        self.stdout.write("")
        for line in banner_lines(bind=options["bind"], password=catalogue.PASSWORD, logins=logins):
            self.stdout.write(line)
        if options["no_serve"]:
            return
        self.stdout.write("")
        self.stdout.write("Starting the server, Ctrl+C to stop / Startar servern, Ctrl+C stoppar.")
        self.stdout.flush()
        serve(bind=options["bind"], workers=options["workers"])
