"""Time the dry run and commit of a 10,000-row participant file into a fresh SQLite database.

Run from the repository root:  PYTHONPATH=src python benchmarks/import_10k.py [--rows N]
The target is well under 60 seconds for check + commit on a two-core machine; also times the
re-import of the same file (every row unchanged). Not collected by pytest.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=60.0, help="fail above this many seconds")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="stegvis-bench-") as data_dir:
        os.environ["STEGVIS_DATA_DIR"] = data_dir
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stegvis.settings")
        import django

        django.setup()
        from django.core.management import call_command

        from stegvis.accounts.models import User
        from stegvis.organisations.models import (
            Membership,
            Organisation,
            Partner,
            Programme,
            Role,
            Unit,
        )
        from stegvis.participants.identity import luhn_check_digit
        from stegvis.transfer import imports

        call_command("migrate", interactive=False, verbosity=0)
        region = Organisation.objects.create(name="Regionen", kind="region")
        programme = Programme.objects.create(
            name="Broar", code="broar", fund="amif", owner=region,
            start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2027, 6, 30),
        )  # fmt: skip
        organisation = Organisation.objects.create(name="Alfa kommun", kind="municipality")
        partner = Partner.objects.create(programme=programme, organisation=organisation)
        unit = Unit.objects.create(organisation=organisation, name="Vuxenutbildningen")
        user = User.objects.create(username="anna")
        Membership.objects.create(user=user, unit=unit, role=Role.COORDINATOR)

        lines = ["Personnummer;Eget id;Förnamn;Efternamn;Kön;Medborgarskap;Enhet;Startdatum"]
        for n in range(args.rows):
            birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=n % 15000)
            serial = (n // 15000) * 100 + n % 100 + 100
            nine = f"{birth:%y%m%d}{serial:03d}"
            number = f"{birth:%Y%m%d}-{serial:03d}{luhn_check_digit(nine)}"
            country = ("Syrien", "SY, IQ", "Afghanistan", "ER")[n % 4]
            lines.append(
                f"{number};B-{n};Förnamn{n};Efternamn{n};{'kvinna' if n % 2 else 'man'};"
                f"{country};Vuxenutbildningen;2024-03-05"
            )
        data = ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")

        started = time.perf_counter()
        plan = imports.plan_import(actor=user, partner=partner, data=data, filename="b.csv")
        checked = time.perf_counter()
        assert not plan.problems, plan.problems[:5]
        imports.import_commit(actor=user, partner=partner, data=data, filename="b.csv")
        committed = time.perf_counter()
        again = imports.import_commit(actor=user, partner=partner, data=data, filename="b.csv")
        reimported = time.perf_counter()
        assert again.counts()["participants"]["unchanged"] == args.rows

    print(f"dry run:   {checked - started:6.2f} s  ({args.rows:,} rows)")
    print(f"commit:    {committed - checked:6.2f} s  (check again + write, one transaction)")
    print(f"re-import: {reimported - committed:6.2f} s  (every row unchanged)")
    total = committed - started
    print(f"check + commit: {total:6.2f} s  (limit {args.limit:.0f} s)")
    return 0 if total < args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
