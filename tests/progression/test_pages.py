"""Instrument pages, recordings, the admin's copy-on-write, and query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stegvis.progression import selectors, services
from stegvis.progression.models import InstrumentVersion, ItemAudio
from tests import factories as f


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_staff_upload_a_recording_that_plays_in_the_question(cast, client, self_rating, media):
    client.force_login(cast.alice)
    item = self_rating.items.get(code="swedish")
    url = reverse("progression:instrument_version", args=[self_rating.pk])
    response = client.post(
        url,
        {
            "item": item.pk,
            "language": "ar",
            "file": SimpleUploadedFile("q1.mp3", b"ID3 fake mp3", content_type="audio/mpeg"),
        },
    )
    assert response.status_code == 302
    audio = ItemAudio.objects.get()
    assert audio.uploaded_by == cast.alice
    assert client.get(reverse("progression:audio", args=[audio.pk])).status_code == 200

    # The participant's phone plays it, but only within an open link.
    _link, token = services.link_create(
        actor=cast.alice, enrollment=cast.enrollment_a, version=self_rating, point="start"
    )
    phone = client.__class__()
    public_audio = reverse("selfservice:audio", args=[audio.pk])
    assert phone.get(public_audio).status_code == 404
    phone.get(reverse("selfservice:open", args=[token]))
    phone.post(reverse("selfservice:language"), {"language": "ar"})
    page = phone.get(reverse("selfservice:question", args=[1])).content.decode()
    assert f'<audio controls preload="none" src="{public_audio}"' in page
    assert b"".join(phone.get(public_audio).streaming_content) == b"ID3 fake mp3"
    # No recording in Swedish: no player.
    phone.post(reverse("selfservice:language"), {"language": "sv"})
    assert "<audio" not in phone.get(reverse("selfservice:question", args=[1])).content.decode()


def test_a_text_file_is_refused_as_a_recording(cast, client, self_rating, media):
    client.force_login(cast.alice)
    response = client.post(
        reverse("progression:instrument_version", args=[self_rating.pk]),
        {
            "item": self_rating.items.first().pk,
            "language": "ar",
            "file": SimpleUploadedFile("x.txt", b"hello", content_type="text/plain"),
        },
    )
    assert response.status_code == 200
    assert "Upload an MP3, Ogg, WAV or WebM sound file." in response.content.decode()
    assert not ItemAudio.objects.exists()


def test_programme_managers_cannot_upload_recordings(cast, client, self_rating, media):
    client.force_login(cast.mona)
    response = client.post(
        reverse("progression:instrument_version", args=[self_rating.pk]),
        {"item": self_rating.items.first().pk, "language": "ar"},
    )
    assert response.status_code == 404


def test_the_admin_keeps_an_answered_version_read_only(cast, admin_client, self_rating):
    services.assessment_record_assisted(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        version=self_rating,
        point="start",
        language="sv",
        answers={"swedish": 3},
    )
    url = reverse("admin:progression_instrumentversion_change", args=[self_rating.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="_save"' not in page
    admin_client.post(
        reverse("admin:progression_instrumentversion_changelist"),
        {"action": "copy_as_new_version", "_selected_action": [self_rating.pk]},
    )
    copy = InstrumentVersion.objects.get(
        instrument=self_rating.instrument, number=self_rating.number + 1
    )
    page = admin_client.get(
        reverse("admin:progression_instrumentversion_change", args=[copy.pk])
    ).content.decode()
    assert 'name="_save"' in page


def test_cohort_progression_runs_the_same_queries_for_few_and_many(cast, self_rating, rate):
    def count():
        enrollments, record_access = selectors.cohort_enrollments(cast.anna, cast.programme)
        with CaptureQueriesContext(connection) as queries:
            selectors.cohort_progression(
                enrollments=enrollments,
                instrument=self_rating.instrument,
                grouping="partner",
                record_access=record_access,
            )
        return len(queries)

    def rated():
        enrollment = f.EnrollmentFactory(partner=cast.partner_a, unit=cast.unit_a)
        rate(enrollment, self_rating, "2025-03-01", {"swedish": 3, "society": 3})
        rate(enrollment, self_rating, "2025-09-01", {"swedish": 5, "society": 4})

    rated()
    few = count()
    for _ in range(15):
        rated()
    assert count() == few <= 3


def test_the_assessments_page_runs_the_same_queries_for_few_and_many(
    cast, client, self_rating, rate
):
    client.force_login(cast.alice)
    url = reverse("progression:assessments", args=[cast.enrollment_a.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    rate(cast.enrollment_a, self_rating, "2025-03-01", {"swedish": 3})
    few = count()
    for month in range(4, 12):
        rate(
            cast.enrollment_a,
            self_rating,
            f"2025-{month:02d}-01",
            {"swedish": 4},
            point="follow_up",
        )
    assert count() == few
