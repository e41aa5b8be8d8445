"""Time the full demo generation (2,500 participants) into a fresh SQLite database.

Run from the repository root:  python benchmarks/demo_generation.py [--participants N]
The target is well under 60 seconds on a two-core machine. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=2500)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--limit", type=float, default=60.0, help="fail above this many seconds")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="stegvis-bench-") as data_dir:
        # A fresh data directory, hence a fresh SQLite file, before Django reads its settings.
        os.environ["STEGVIS_DATA_DIR"] = data_dir
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stegvis.settings")
        import django

        django.setup()
        from django.core.management import call_command

        from stegvis.demo.generator import generate_demo

        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        migrated = time.perf_counter()
        summary = generate_demo(seed=args.seed, participants=args.participants)
        generated = time.perf_counter()

    print(f"migrate:  {migrated - started:6.2f} s")
    print(
        f"generate: {generated - migrated:6.2f} s  ({summary.participants:,} participants, "
        f"{summary.enrollments:,} enrollments, {summary.access_events:,} log rows)"
    )
    print(f"total:    {generated - started:6.2f} s  (limit {args.limit:.0f} s)")
    return 0 if generated - migrated < args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
