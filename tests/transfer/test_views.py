"""The import and export pages, for a coordinator."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from stegvis.participants.models import Enrollment
from stegvis.transfer.models import ImportJob
from tests.transfer.conftest import HEADER, csv_file, person_row

pytestmark = pytest.mark.django_db


def _upload(client, cast, data, name="deltagare.csv"):
    return client.post(
        reverse("transfer:upload"),
        {"partner": cast.partner_a.pk, "file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def test_the_page_offers_templates_upload_and_export(cast, client):
    client.force_login(cast.anna)
    response = client.get(reverse("transfer:index"))
    assert response.status_code == 200
    for url in (
        reverse("transfer:template", args=["all", "xlsx"]),
        reverse("transfer:template", args=["participants", "csv"]),
        reverse("transfer:export", args=[cast.partner_a.pk, "xlsx"]),
        reverse("transfer:export", args=[cast.partner_a.pk, "zip"]),
    ):
        assert url.encode() in response.content
    assert b"Import and export" in client.get(reverse("core:home")).content


def test_the_menu_link_is_for_coordinators_only(cast, client):
    client.force_login(cast.alice)
    assert reverse("transfer:index").encode() not in client.get(reverse("core:home")).content


def test_upload_with_errors_lists_them_then_the_fixed_file_imports(cast, client):
    client.force_login(cast.anna)
    bad = person_row(2)
    bad[HEADER.index("Medborgarskap")] = "Atlantis"
    response = _upload(client, cast, csv_file([person_row(1), bad]))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED
    assert response.context["problems"] == [
        {
            "sheet": "deltagare",
            "row": 3,
            "column": "Medborgarskap",
            "value": "Atlantis",
            "message": "Unknown country: write a code such as SY or SYR, or the country's name.",
        }
    ]
    assert b"Atlantis" in response.content
    assert bytes(job.data) == b""  # a file with problems is not kept
    assert reverse("transfer:commit", args=[job.pk]).encode() not in response.content
    # Committing a job with problems does nothing.
    client.post(reverse("transfer:commit", args=[job.pk]))
    assert not Enrollment.objects.filter(external_id__startswith="X-").exists()

    response = _upload(client, cast, csv_file([person_row(1), person_row(2)]))
    fixed = ImportJob.objects.latest("pk")
    assert fixed.can_commit and fixed.counts == {
        "participants": {"create": 2, "update": 0, "unchanged": 0}
    }
    response = client.post(reverse("transfer:commit", args=[fixed.pk]), follow=True)
    fixed.refresh_from_db()
    assert fixed.status == ImportJob.Status.DONE
    assert bytes(fixed.data) == b""  # the file is not kept once imported
    assert b"Imported" in response.content
    assert Enrollment.objects.filter(external_id__startswith="X-").count() == 2
    listing = client.get(reverse("participants:list"))
    assert b"Efternamn1" in listing.content and b"Efternamn2" in listing.content


def test_a_large_file_runs_in_the_background_and_the_page_polls(
    cast, client, settings, django_capture_on_commit_callbacks
):
    settings.STEGVIS_IMPORT_INLINE_MAX_BYTES = 10
    client.force_login(cast.anna)
    from unittest import mock

    with (
        mock.patch("stegvis.transfer.services.threading.Thread") as thread,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = _upload(client, cast, csv_file([person_row(1)]))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKING
    assert thread.call_args.kwargs["args"] == (job.pk, "check")
    assert b'http-equiv="refresh"' in response.content
    # What the thread does, run here.
    from stegvis.transfer.services import run_step

    run_step(job.pk, "check")
    response = client.get(reverse("transfer:job", args=[job.pk]))
    assert b'http-equiv="refresh"' not in response.content
    assert response.context["job"].can_commit


def test_a_failure_during_commit_is_shown_and_nothing_is_saved(cast, client, monkeypatch):
    client.force_login(cast.anna)
    _upload(client, cast, csv_file([person_row(1), person_row(2)]))
    job = ImportJob.objects.get()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Enrollment.objects, "bulk_create", broken)
    response = client.post(reverse("transfer:commit", args=[job.pk]), follow=True)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert b"nothing was changed" in response.content
    assert not Enrollment.objects.filter(external_id__startswith="X-").exists()


def test_templates_download(cast, client):
    client.force_login(cast.anna)
    response = client.get(reverse("transfer:template", args=["exits", "xlsx"]))
    assert response["Content-Disposition"] == 'attachment; filename="stegvis-mall-avslut.xlsx"'
    assert load_workbook(io.BytesIO(response.content)).sheetnames[0] == "Avslut"
    assert client.get(reverse("transfer:template", args=["nope", "xlsx"])).status_code == 404
    assert client.get(reverse("transfer:template", args=["all", "csv"])).status_code == 404


def test_export_downloads_and_is_not_cached(cast, client):
    client.force_login(cast.anna)
    response = client.get(reverse("transfer:export", args=[cast.partner_a.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(response.content))["Deltagare"]
    assert {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"Karimi", "Omar"}


def test_a_job_whose_process_died_says_so_and_stops_refreshing(cast, client):
    import datetime

    from django.utils import timezone

    client.force_login(cast.anna)
    _upload(client, cast, csv_file([person_row(1)]))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.IMPORTING,
        started_at=timezone.now() - datetime.timedelta(hours=1),
    )
    response = client.get(reverse("transfer:job", args=[job.pk]))
    assert b"nothing was changed" in response.content
    assert b'http-equiv="refresh"' not in response.content


def test_the_commit_reports_progress_for_the_progress_bar(cast, client):
    from stegvis.transfer import services

    client.force_login(cast.anna)
    _upload(client, cast, csv_file([person_row(n) for n in range(1, 4)]))
    job = ImportJob.objects.get()
    assert services.job_progress(job) is None
    client.post(reverse("transfer:commit", args=[job.pk]))
    assert services.job_progress(job) == (3, 3)


def test_the_explanation_sheet_is_in_the_users_language(cast, client):
    client.force_login(cast.anna)
    english = client.get(reverse("transfer:template", args=["participants", "xlsx"]))
    sheet = load_workbook(io.BytesIO(english.content))["Förklaringar"]
    assert sheet["D1"].value == "Required"
    gender = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Kön")
    assert (
        gender[4] == "woman = Woman; man = Man; other = Other / non-binary; not_stated = Not stated"
    )
    client.cookies["django_language"] = "sv"
    swedish = client.get(reverse("transfer:template", args=["participants", "xlsx"]))
    sheet = load_workbook(io.BytesIO(swedish.content))["Förklaringar"]
    gender = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Kön")
    assert gender[4].startswith("woman = Kvinna; man = Man")
