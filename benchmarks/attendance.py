"""Time the attendance register and the attendance figures at scale, on any database.

Run from the repository root:  python benchmarks/attendance.py [--activities N]
Uses a fresh SQLite file unless DATABASE_URL is set (then a fresh test database on that server
is created and dropped). One partner runs N groups of 12 participants with 100 weekly sessions
each; every past session is marked (N × 1,200 attendance rows, 1.2 million at the default),
written by one INSERT … SELECT. Times the register (GET and a save of the whole group), the
activity page with per-participant figures, and the coordinator's summary per partner and
activity type. Fails above the limits or if a page's query count varies.
BENCH_VERBOSE=1 prints the slowest queries of each check. Not collected by
pytest.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time

GROUP = 12
SESSIONS = 100


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=1000)
    parser.add_argument("--limit", type=float, default=300.0, help="ms per page, median")
    parser.add_argument(
        "--summary-limit", type=float, default=5000.0, help="ms for the partner summary, median"
    )
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
    from decimal import Decimal

    from django.test import Client
    from django.utils import timezone

    from stegvis.accounts.models import User
    from stegvis.activities.models import (
        Activity,
        ActivityType,
        Attendance,
        Participation,
        Session,
    )
    from stegvis.organisations.models import (
        Membership,
        Organisation,
        Partner,
        Programme,
        Role,
        Unit,
    )
    from stegvis.participants.models import Enrollment, Participant

    today = timezone.localdate()
    first_day = today - datetime.timedelta(weeks=SESSIONS - 1)
    region = Organisation.objects.create(name="Region", kind="region")
    programme = Programme.objects.create(
        name="Bench",
        code="bench",
        fund="amif",
        start_date=first_day - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=365),
        owner=region,
    )
    org = Organisation.objects.create(name="Stora kommunen", kind="municipality")
    partner = Partner.objects.create(programme=programme, organisation=org)
    unit = Unit.objects.create(organisation=org, name="Vuxenutbildningen")
    coordinator = User.objects.create_user("coordinator", password="x" * 20)
    Membership.objects.create(user=coordinator, unit=unit, role=Role.COORDINATOR)
    types = [
        ActivityType.objects.create(programme=programme, name=f"Typ {i}", funder_category="other")
        for i in range(8)
    ]

    started = time.perf_counter()
    people = Participant.objects.bulk_create(
        (
            Participant(
                identity_kind="none",
                first_name=f"Förnamn{i}",
                last_name=f"Efternamn{i}",
                name_key=f"fornamn{i} efternamn{i}",
                birth_date=datetime.date(1970 + i % 40, 1 + i % 12, 1 + i % 28),
                citizenships=["SY"],
            )
            for i in range(args.activities * GROUP)
        ),
        batch_size=5000,
    )
    enrollments = Enrollment.objects.bulk_create(
        (
            Enrollment(
                participant=person,
                programme=programme,
                partner=partner,
                unit=unit,
                start_date=first_day,
                eligibility="eligible",
                pseudonym=f"D-B{person.pk:08d}",
            )
            for person in people
        ),
        batch_size=5000,
    )
    activities = Activity.objects.bulk_create(
        (
            Activity(
                activity_type=types[i % len(types)],
                name=f"Grupp {i}",
                partner=partner,
                unit=unit,
                language="easy_swedish",
                start_date=first_day,
                created_by=coordinator,
            )
            for i in range(args.activities)
        ),
        batch_size=5000,
    )
    Session.objects.bulk_create(
        (
            Session(
                activity=activity,
                date=first_day + datetime.timedelta(weeks=week),
                hours=Decimal(3),
                cancelled=week % 25 == 7,
            )
            for activity in activities
            for week in range(SESSIONS)
        ),
        batch_size=5000,
    )
    Participation.objects.bulk_create(
        (
            Participation(
                activity=activities[i // GROUP],
                enrollment=enrollment,
                # A quarter join four weeks late.
                start_date=first_day + datetime.timedelta(weeks=4 * (i % 4 == 0)),
                created_by=coordinator,
            )
            for i, enrollment in enumerate(enrollments)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        # Every past session marked: 80 % present, 12 % absent, 8 % excused.
        cursor.execute(
            """
            INSERT INTO activities_attendance
                (session_id, participation_id, enrollment_id, status, hours)
            SELECT s.id, p.id, p.enrollment_id,
                   CASE WHEN (s.id + p.id) %% 25 < 20 THEN 'present'
                        WHEN (s.id + p.id) %% 25 < 23 THEN 'absent' ELSE 'excused' END,
                   CASE WHEN (s.id + p.id) %% 25 < 20 THEN 3 ELSE 0 END
            FROM activities_session s
            JOIN activities_participation p ON p.activity_id = s.activity_id
            WHERE s.date >= p.start_date AND s.date < %s AND NOT s.cancelled
            """,
            [today],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    rows = Attendance.objects.count()
    print(f"{rows:,} attendance rows written in {time.perf_counter() - started:.1f} s")

    activity = activities[len(activities) // 2]
    session = Session.objects.get(activity=activity, date=first_day + datetime.timedelta(weeks=60))
    participations = list(
        Participation.objects.filter(activity=activity).values_list("pk", flat=True)
    )
    save_data = {f"status_{pk}": "present" for pk in participations}
    save_data |= {f"hours_{pk}": "2.5" for pk in participations}

    client = Client()
    client.force_login(coordinator)
    failures = 0
    checks = [
        ("register", "get", f"/activities/sessions/{session.pk}/attendance/", None, args.limit),
        ("register, save", "post", f"/activities/sessions/{session.pk}/attendance/", save_data,
         args.limit),
        ("activity page", "get", f"/activities/{activity.pk}/", None, args.limit),
        ("summary", "get", "/activities/attendance/", None, args.summary_limit),
    ]  # fmt: skip
    for label, method, url, data, limit in checks:
        times, counts = [], []
        for n in range(5):
            if data is not None:
                # Alternate so that every save changes the whole group's marks.
                data = {k: ("present" if n % 2 else "absent") if k.startswith("status") else v
                        for k, v in data.items()}  # fmt: skip
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = getattr(client, method)(url, data) if data else client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code in (200, 302), (label, response.status_code)
            counts.append(len(queries))
        median = statistics.median(times)
        # A save writes one audit row per participant, so only pages must keep a fixed count.
        ok = median <= limit and (method == "post" or len(set(counts)) == 1)
        failures += not ok
        print(f"{label:16} {median:8.1f} ms  {counts[0]} queries  {'ok' if ok else 'SLOW'}")
        if os.environ.get("BENCH_VERBOSE"):
            print("   counts:", counts)
            for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]:
                print(f"   {q['time']} s  {q['sql'][:1500]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
