"""Reports from the server's command line.

- ``stegvis report indicators --programme P [--partner X] [--period FROM..TO] --format F``
  counts the whole programme (or one partner) with nothing suppressed: it is for the
  coordinating organisation's reporting to the funder.
- ``stegvis report register --programme P [--partner X] --user U --output FILE`` writes the
  AMIF participant register as user U would download it: the full version for a coordinator
  of the owning partner, the pseudonymised one for the programme level; other users get
  nothing. Each exported row is written to the access log under U's name.
"""

from __future__ import annotations

import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stegvis.organisations.models import Partner, Programme
from stegvis.reporting.exports import FORMATS, export_indicators
from stegvis.reporting.indicators import NotAllowed, Period, compute_indicators
from stegvis.reporting.register import participant_register_xlsx


def find_programme(code: str) -> Programme:
    try:
        return Programme.objects.get(code=code)
    except Programme.DoesNotExist as error:
        raise CommandError(f"No programme with the code {code!r}.") from error


def find_partner(programme: Programme, text: str | None) -> Partner | None:
    """A partner by id or by its organisation's name."""
    if not text:
        return None
    partners = Partner.objects.filter(programme=programme).select_related("organisation")
    found = (
        partners.filter(pk=int(text))
        if text.isdigit()
        else partners.filter(organisation__name=text)
    ).first()
    if found is None:
        raise CommandError(f"No partner {text!r} in {programme.code}.")
    return found


class Command(BaseCommand):
    help = (
        "Reports: 'indicators' exports every indicator of a programme as JSON, CSV or xlsx; "
        "'register' writes the AMIF participant register (xlsx) as --user sees it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["indicators", "register"])
        parser.add_argument("--programme", required=True, help="Programme code.")
        parser.add_argument("--partner", help="Partner id or organisation name.")
        parser.add_argument("--period", help="FROM..TO as ISO dates; either side may be empty.")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument(
            "--user", help="register: the user to export as (their scope and name in the log)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        programme = find_programme(options["programme"])
        partner = find_partner(programme, options.get("partner"))
        if options["what"] == "register":
            self._register(programme, partner, options)
            return
        period = None
        if options.get("period"):
            try:
                period = Period.parse(options["period"])
            except ValueError as error:
                raise CommandError(f"Bad --period: {error}") from error
        results = compute_indicators(
            actor=None, programme=programme, partner=partner, period=period
        )
        data = export_indicators(results, options["format"])
        if options.get("output"):
            with open(options["output"], "wb") as handle:
                handle.write(data)
        else:
            out = getattr(self.stdout, "_out", sys.stdout)
            if hasattr(out, "buffer"):
                out.buffer.write(data)
                out.flush()
            elif options["format"] == "xlsx":
                raise CommandError("Give --output for xlsx.")
            else:
                out.write(data.decode("utf-8"))

    def _register(self, programme: Programme, partner: Partner | None, options: Any) -> None:
        if not options.get("user"):
            raise CommandError("Give --user: the register is exported in a user's name.")
        if not options.get("output"):
            raise CommandError("Give --output: the register is an xlsx file.")
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['user']!r}.")
        try:
            data = participant_register_xlsx(actor=user, programme=programme, partner=partner)
        except NotAllowed as error:
            where = partner.organisation.name if partner else programme.code
            raise CommandError(
                f"{user.get_username()} may not export the participant register of {where}."
            ) from error
        with open(options["output"], "wb") as handle:
            handle.write(data)
        self.stdout.write(f"Wrote {options['output']}.")
