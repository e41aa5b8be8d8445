"""The AMIF participant register: full for the owning partner, pseudonymised above it."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from stegvis.access.models import AccessEvent, Action


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def url(cast, partner=None) -> str:
    base = reverse("reporting:register", args=[cast.programme.pk])
    return base + (f"?partner={partner.pk}" if partner else "")


def test_owner_coordinator_gets_the_full_register_and_it_is_logged(world, client):
    c = world.cast
    client.force_login(c.anna)
    rows = sheet_rows(client.get(url(c, c.partner_a), HTTP_ACCEPT_LANGUAGE="en"))
    header = rows[4]
    assert header[0] == "Unique id" and "Not an EU/EEA citizen" in header
    data = rows[5:]
    ids = {row[0] for row in data}
    assert c.enrollment_a.participant.identity_number in ids
    assert world.wrong.participant.identity_number not in ids  # erroneous: left out
    erik = next(r for r in data if r[0] == world.erik.participant.identity_number)
    assert erik[6] == "No"  # Swedish: not a third-country national
    # Partner A's enrollments: Layla, Hassan, Erik, Noor twice, Sam, Olle (Fel left out).
    assert len(data) == 7
    assert AccessEvent.objects.filter(actor=c.anna, action=Action.EXPORT).count() == 7
    assert not any(c.enrollment_b.participant.identity_number == r[0] for r in data)


def test_programme_level_gets_pseudonyms_only(world, client):
    c = world.cast
    client.force_login(c.mona)
    rows = sheet_rows(client.get(url(c), HTTP_ACCEPT_LANGUAGE="en"))
    data = rows[5:]
    assert len(data) == 8  # both partners, erroneous left out
    text = repr(rows)
    assert c.enrollment_a.pseudonym in text
    assert c.enrollment_a.participant.identity_number not in text
    assert "Karimi" not in text
    assert all(isinstance(r[3], int) for r in data)  # year of birth only


@pytest.mark.parametrize("who", ["bob", "bea", "otto", "alice"])
def test_others_cannot_export_partner_a(world, client, who):
    c = world.cast
    client.force_login(getattr(c, who))
    assert client.get(url(c, c.partner_a)).status_code == 404


def test_command_line_exports_as_the_given_user(world, tmp_path):
    c = world.cast
    target = tmp_path / "register.xlsx"
    call_command(
        "report",
        "register",
        "--programme",
        c.programme.code,
        "--partner",
        str(c.partner_a.pk),
        "--user",
        c.anna.username,
        "--output",
        str(target),
        stdout=io.StringIO(),
    )
    data = list(load_workbook(target).active.iter_rows(values_only=True))[5:]
    assert c.enrollment_a.participant.identity_number in {row[0] for row in data}
    assert AccessEvent.objects.filter(actor=c.anna, action=Action.EXPORT).count() == len(data)


def test_command_line_gives_the_programme_level_pseudonyms(world, tmp_path):
    c = world.cast
    target = tmp_path / "register.xlsx"
    call_command(
        "report", "register", "--programme", c.programme.code, "--user", c.mona.username,
        "-o", str(target), stdout=io.StringIO(),
    )  # fmt: skip
    text = repr(list(load_workbook(target).active.iter_rows(values_only=True)))
    assert c.enrollment_a.pseudonym in text
    assert c.enrollment_a.participant.identity_number not in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--user", "bea"], "may not export"),  # partner B's coordinator, partner A's register
        (["--user", "nobody"], "No active user"),
        ([], "Give --user"),
    ],
)
def test_command_line_refuses_without_a_right_to_the_register(world, tmp_path, extra, message):
    c = world.cast
    target = tmp_path / "register.xlsx"
    args = ["--programme", c.programme.code, "--partner", str(c.partner_a.pk), "-o", str(target)]
    with pytest.raises(CommandError, match=message):
        call_command("report", "register", *args, *extra)
    assert not target.exists()
    assert not AccessEvent.objects.filter(action=Action.EXPORT).exists()
