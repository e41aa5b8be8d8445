"""stegvis import FILE --programme P --partner X [--user U] [--dry-run]"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from stegvis.organisations.models import Partner, Role
from stegvis.transfer import imports


class Command(BaseCommand):
    help = (
        "Check a spreadsheet (xlsx, CSV or a zip of CSV files) and import it into a partner: "
        "all or nothing, as a coordinator of the partner (written to the access log)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--programme", required=True, help="programme code")
        parser.add_argument(
            "--partner", required=True, help="partner id or its organisation's name"
        )
        parser.add_argument(
            "--user",
            default=os.environ.get("STEGVIS_IMPORT_USER", ""),
            help="login name of a coordinator of the partner (default: the only one)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        partner = self._partner(options["programme"], options["partner"])
        user = self._user(partner, options["user"])
        data = path.read_bytes()
        started = time.monotonic()
        if options["dry_run"]:
            plan = imports.plan_import(actor=user, partner=partner, data=data, filename=path.name)
        else:
            try:
                plan = imports.import_commit(
                    actor=user, partner=partner, data=data, filename=path.name
                )
            except imports.ImportRefused as refused:
                plan = refused.plan
        for problem in plan.problems:
            where = f"{problem.sheet} row {problem.row}" if problem.row else problem.sheet
            column = f", {problem.column}" if problem.column else ""
            value = f" ({problem.value})" if problem.value else ""
            self.stderr.write(f"{where}{column}{value}: {problem.message}")
        for kind, counts in plan.counts().items():
            self.stdout.write(
                f"{kind}: {counts['create']} new, {counts['update']} changed, "
                f"{counts['unchanged']} unchanged"
            )
        seconds = time.monotonic() - started
        if plan.problems:
            raise CommandError(f"{len(plan.problems)} problems; nothing was imported.")
        verb = "checked (dry run, nothing saved)" if options["dry_run"] else "imported"
        self.stdout.write(self.style.SUCCESS(f"{plan.total_rows} rows {verb} in {seconds:.1f} s"))

    def _partner(self, programme: str, partner: str) -> Partner:
        partners = Partner.objects.filter(programme__code=programme).select_related(
            "programme", "organisation"
        )
        match = Q(organisation__name__iexact=partner)
        if partner.isdigit():
            match |= Q(pk=int(partner))
        found = list(partners.filter(match))
        if len(found) != 1:
            raise CommandError(f"No partner {partner!r} in programme {programme!r}.")
        return found[0]

    def _user(self, partner: Partner, username: str) -> Any:
        coordinators = (
            get_user_model()
            .objects.filter(
                is_active=True,
                memberships__role=Role.COORDINATOR,
                memberships__is_active=True,
                memberships__unit__organisation_id=partner.organisation_id,
            )
            .distinct()
        )
        if username:
            user = coordinators.filter(username=username).first()
            if user is None:
                raise CommandError(f"{username!r} is not a coordinator of {partner.organisation}.")
            return user
        found = list(coordinators[:2])
        if len(found) != 1:
            raise CommandError("Give --user: the coordinator of the partner to import as.")
        return found[0]
