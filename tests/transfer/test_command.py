"""stegvis import FILE --programme P --partner X [--dry-run]"""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from stegvis.participants.models import Enrollment
from tests.transfer.conftest import HEADER, csv_file, person_row

pytestmark = pytest.mark.django_db


def _run(path, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", str(path), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_dry_run_then_import_as_the_partners_only_coordinator(cast, tmp_path):
    path = tmp_path / "deltagare.csv"
    path.write_bytes(csv_file([person_row(1), person_row(2)]))
    out, _err = _run(path, programme="broar", partner="Alfa kommun", dry_run=True)
    assert "participants: 2 new, 0 changed, 0 unchanged" in out
    assert "dry run" in out
    assert not Enrollment.objects.filter(external_id__startswith="X-").exists()
    out, _err = _run(path, programme="broar", partner=str(cast.partner_a.pk))
    assert "2 rows imported" in out
    assert Enrollment.objects.filter(external_id__startswith="X-").first().created_by == cast.anna


def test_problems_are_printed_by_row_and_column_and_nothing_is_imported(cast, tmp_path):
    bad = person_row(2)
    bad[HEADER.index("Startdatum")] = "i går"
    path = tmp_path / "deltagare.csv"
    path.write_bytes(csv_file([person_row(1), bad]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problems"):
        call_command("import", str(path), programme="broar", partner="Alfa kommun", stderr=err)
    assert "deltagare row 3, Startdatum (i går): Write the date as YYYY-MM-DD" in err.getvalue()
    assert not Enrollment.objects.filter(external_id__startswith="X-").exists()


def test_the_user_must_coordinate_the_partner(cast, tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(csv_file([person_row(1)]))
    with pytest.raises(CommandError, match="not a coordinator"):
        _run(path, programme="broar", partner="Alfa kommun", user="bea")
    with pytest.raises(CommandError, match="No partner"):
        _run(path, programme="broar", partner="Gamma kommun")
