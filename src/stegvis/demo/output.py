"""What the demo commands print: the summary, the banner and the table of demo logins."""

from __future__ import annotations

from collections.abc import Sequence

from .generator import DemoLogin, DemoSummary

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]"}
ANY_HOSTS = {"", "0.0.0.0", "::", "[::]"}  # noqa: S104 - recognising, not binding


def url_for(bind: str) -> str:
    """The address to open in a browser for a gunicorn bind such as 0.0.0.0:8000."""
    if bind.startswith(("unix:", "fd://")):
        return bind
    host, separator, port = bind.rpartition(":")
    if not separator:  # a bare host: gunicorn's default port
        host, port = bind, "8000"
    if host in ANY_HOSTS:
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def summary_lines(summary: DemoSummary, *, seconds: float | None = None) -> list[str]:
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    lines = [
        f"Generated the demo programme{took} / Demoprojektet är skapat:",
        f"  {summary.programme} ({summary.code}), {summary.start_date} – {summary.end_date}",
        f"  {summary.organisations} organisations, {summary.partners} partners, "
        f"{summary.units} units, {summary.users} users",
        f"  {summary.participants:,} participants, {summary.enrollments:,} enrollments "
        f"({summary.active_enrollments:,} active, {summary.exited_enrollments:,} exited)",
        f"  {summary.eligibility_checks:,} eligibility checks, "
        f"{summary.access_events:,} access log entries, "
        f"{summary.possible_duplicate_pairs} possible duplicate pairs",
    ]
    work = summary.casework
    if work is not None:
        lines += [
            f"  {work.mappings:,} mappings, {work.plans:,} plan versions, "
            f"{work.checkins:,} check-ins with {work.actions:,} agreed actions, "
            f"{work.notes:,} notes",
            f"  {work.consents:,} consents ({work.consents_active:,} active, "
            f"{work.consents_withdrawn:,} withdrawn, {work.consents_expired:,} expired), "
            f"{work.access_events:,} more access log entries",
        ]
    return lines


def login_lines(logins: Sequence[DemoLogin]) -> list[str]:
    header = ("Username / Användarnamn", "Role / Roll", "Organisation – unit / enhet")
    rows = [header] + [
        (login.username, login.role_label, f"{login.organisation} – {login.unit}")
        for login in logins
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(2)]
    lines = [f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}" for row in rows]
    lines.insert(1, "-" * max(len(line) for line in lines))
    return lines


def banner_lines(*, bind: str, password: str, logins: Sequence[DemoLogin]) -> list[str]:
    url = url_for(bind)
    rule = "=" * 78
    lines = [
        rule,
        "Stegvis demo – påhittade uppgifter, inga riktiga personer.",
        "Stegvis demo – synthetic data, no real people.",
        "",
        f"Öppna / Open:                          {url}",
        f"Lösenord för alla / Password for all:  {password}",
        f"Teknisk admin / Django admin:          {url}/admin/  (user: admin)",
        rule,
    ]
    if logins:
        lines += ["", *login_lines(logins)]
    host = bind.rpartition(":")[0]
    if host not in LOOPBACK_HOSTS and not bind.startswith(("unix:", "fd://")):
        lines += [
            "",
            "Note: the demo listens beyond this machine and every user shares one published "
            "password. To reach it by another name or address, set STEGVIS_ALLOWED_HOSTS.",
        ]
    return lines
