"""Time the participant list and search at a large partner, on any database.

Run from the repository root:  python benchmarks/participant_list.py [--enrollments N]
Uses a fresh SQLite file unless DATABASE_URL is set (then a fresh test database on that server
is created and dropped). Fails above --limit milliseconds per page or if the query count grows
with the data. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enrollments", type=int, default=100_000)
    parser.add_argument("--limit", type=float, default=500.0, help="ms per page, median")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="stegvis-bench-") as data_dir:
        os.environ["STEGVIS_DATA_DIR"] = data_dir
        os.makedirs(os.path.join(data_dir, "static"))  # WhiteNoise warns without it
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stegvis.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.db import connection
        from django.test.utils import (
            CaptureQueriesContext,
            setup_databases,
            setup_test_environment,
            teardown_databases,
        )

        setup_test_environment()
        settings.ALLOWED_HOSTS = ["testserver"]
        old = setup_databases(verbosity=0, interactive=False)
        try:
            return run(args, connection, CaptureQueriesContext)
        finally:
            from stegvis.access.purge import set_purge_allowed

            set_purge_allowed(True)
            teardown_databases(old, verbosity=0)


def run(args, connection, CaptureQueriesContext) -> int:  # type: ignore[no-untyped-def]
    from django.test import Client

    from stegvis.accounts.models import User
    from stegvis.organisations.models import (
        Membership,
        Organisation,
        Partner,
        Programme,
        Role,
        Unit,
    )
    from stegvis.participants.models import Enrollment, Participant

    region = Organisation.objects.create(name="Region", kind="region")
    programme = Programme.objects.create(
        name="Bench",
        code="bench",
        fund="amif",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        owner=region,
    )
    org = Organisation.objects.create(name="Stora kommunen", kind="municipality")
    partner = Partner.objects.create(programme=programme, organisation=org)
    units = [Unit.objects.create(organisation=org, name=f"Enhet {i}") for i in range(10)]
    coordinator = User.objects.create_user("coordinator", password="x" * 20)
    Membership.objects.create(user=coordinator, unit=units[0], role=Role.COORDINATOR)

    started = time.perf_counter()
    batch = 5000
    for offset in range(0, args.enrollments, batch):
        people = Participant.objects.bulk_create(
            Participant(
                identity_kind="none",
                first_name=f"Förnamn{i}",
                last_name=f"Efternamn{i % 5000}",
                name_key=f"fornamn{i} efternamn{i % 5000}",
                gender="woman" if i % 3 else "man",
                birth_date=datetime.date(1970 + i % 40, 1 + i % 12, 1 + i % 28),
                citizenships=["SY"],
            )
            for i in range(offset, min(offset + batch, args.enrollments))
        )
        Enrollment.objects.bulk_create(
            Enrollment(
                participant=person,
                programme=programme,
                partner=partner,
                unit=units[person.pk % 10],
                start_date=datetime.date(2025, 1, 1),
                eligibility="eligible",
                pseudonym=f"D-B{person.pk:08d}",
            )
            for person in people
        )
    print(f"{args.enrollments:,} enrollments written in {time.perf_counter() - started:.1f} s")

    client = Client()
    client.force_login(coordinator)
    failures = 0
    for label, query in [
        ("list, page 1", {}),
        ("list, page 500", {"page": 500}),
        ("search by name", {"q": "efternamn4711"}),
        ("filter by unit", {"unit": units[3].pk}),
    ]:
        times, counts = [], []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = client.get("/participants/", query)
                times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
            counts.append(len(queries))
        median = statistics.median(times)
        ok = median <= args.limit and len(set(counts)) == 1
        failures += not ok
        print(f"{label:16} {median:8.1f} ms  {counts[0]} queries  {'ok' if ok else 'SLOW'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
