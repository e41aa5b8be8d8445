import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.progression import bundled, services
from stegvis.progression.models import (
    Answer,
    Assessment,
    Instrument,
    ItemText,
    SelfServiceLink,
)

ALL_LANGUAGES = {"sv", "sv-easy", "en", "ar", "prs", "fa", "so", "ti", "uk"}


def test_every_database_has_the_bundled_instruments(db):
    codes = set(Instrument.objects.values_list("code", flat=True))
    assert {"self-rating", "employability", "caseworker-rating", "exit-questionnaire"} <= codes
    version = Instrument.objects.get(code="self-rating").current_version()
    items = list(version.items.all())
    assert [item.dimension for item in items] == ["language", "participation", "work_belief"]
    assert {(item.scale_min, item.scale_max) for item in items} == {(1, 10)}
    for item in items:
        assert {text.language for text in item.texts.all()} == ALL_LANGUAGES


def test_only_texts_not_written_by_a_native_speaker_need_review(db):
    texts = ItemText.objects.filter(item__version__instrument__code="exit-questionnaire")
    assert set(texts.filter(needs_review=False).values_list("language", flat=True)) == {
        "sv",
        "sv-easy",
        "en",
    }
    assert set(texts.filter(needs_review=True).values_list("language", flat=True)) == {
        "ar",
        "prs",
        "fa",
        "so",
        "ti",
        "uk",
    }


def test_loading_an_unchanged_file_makes_no_new_version(db):
    assert services.bundled_instruments_load() == []


def test_a_changed_file_becomes_a_new_version_and_the_old_one_keeps_its_texts(db):
    data = bundled.read(bundled.INSTRUMENT_DIR / "self-rating.json")
    old = Instrument.objects.get(code="self-rating").current_version()
    data["items"][0]["texts"]["sv"]["text"] = "Hur bra svenska talar du?"
    new = services.instrument_load(data=data)
    assert new is not None and new.number == old.number + 1
    assert (
        new.items.get(code="swedish").texts.get(language="sv").text == "Hur bra svenska talar du?"
    )
    assert old.items.get(code="swedish").texts.get(language="sv").text == "Hur bra kan du svenska?"
    assert Instrument.objects.get(code="self-rating").current_version() == new


def test_copy_on_write_leaves_the_answered_version_alone(cast, self_rating):
    services.assessment_record_assisted(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        version=self_rating,
        point="start",
        language="sv",
        answers={"swedish": 3, "society": 4, "future-work": 5},
    )
    self_rating.refresh_from_db()
    assert self_rating.frozen_at is not None
    assert not services.version_is_editable(self_rating)
    copy = services.version_copy(version=self_rating, note="clearer wording")
    assert services.version_is_editable(copy)
    assert copy.published_at is None
    assert list(copy.items.values_list("code", flat=True)) == ["swedish", "society", "future-work"]
    text = ItemText.objects.get(item__version=copy, item__code="swedish", language="ar")
    text.text = "changed"
    text.save()
    assert self_rating.items.get(code="swedish").texts.get(language="ar").text != "changed"


def test_an_assisted_assessment_records_who_assisted_and_is_logged(cast, self_rating):
    assessment = services.assessment_record_assisted(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        version=self_rating,
        point="start",
        language="sv",
        answers={"swedish": 3, "society": None, "future-work": 8},
        interpreter_used=True,
    )
    assert assessment.assisted_by == cast.alice
    assert assessment.interpreter_used
    assert assessment.mode == "assisted"
    values = dict(Answer.objects.filter(assessment=assessment).values_list("item__code", "value"))
    assert values == {"swedish": 3, "society": None, "future-work": 8}
    event = AccessEvent.objects.get(object_type="progression.assessment")
    assert (event.actor, event.action, event.part) == (cast.alice, Action.CREATE, Part.ASSESSMENTS)
    assert event.enrollment_id == cast.enrollment_a.pk
    assert event.changes["answered"] == [None, 2]
    assert "3" not in json.dumps(event.changes["instrument"])


def test_an_answer_outside_the_scale_changes_nothing(cast, self_rating):
    with pytest.raises(ValidationError):
        services.assessment_record_assisted(
            actor=cast.alice,
            enrollment=cast.enrollment_a,
            version=self_rating,
            point="start",
            language="sv",
            answers={"swedish": 11},
        )
    assert not Assessment.objects.exists()
    assert not AccessEvent.objects.filter(object_type="progression.assessment").exists()


def test_another_organisation_cannot_record_an_assessment(cast, self_rating):
    with pytest.raises(ValidationError):
        services.assessment_record_assisted(
            actor=cast.bob,
            enrollment=cast.enrollment_a,
            version=self_rating,
            point="start",
            language="sv",
            answers={},
        )


def test_a_link_stores_only_a_hash_and_works_once(cast, self_rating):
    link, token = services.link_create(
        actor=cast.alice, enrollment=cast.enrollment_a, version=self_rating, point="start"
    )
    assert token not in link.token_hash and len(token) >= 32
    assert services.link_for_token(token) == link
    assert link.expires_at - timezone.now() > datetime.timedelta(days=6, hours=23)
    assessment = services.link_submit(
        link_id=link.pk, language="ar", answers={"swedish": 2, "society": 5, "future-work": 7}
    )
    assert assessment.mode == "self" and assessment.language == "ar"
    assert assessment.assisted_by is None
    link.refresh_from_db()
    assert link.used_at is not None and link.assessment == assessment
    with pytest.raises(ValidationError):
        services.link_submit(link_id=link.pk, language="ar", answers={})
    assert Assessment.objects.count() == 1
    event = AccessEvent.objects.get(object_type="progression.assessment")
    assert event.actor is None and event.actor_name == f"self-service link {link.pk}"
    assert event.organisation_id == cast.enrollment_a.unit.organisation_id


def test_an_expired_link_accepts_nothing(cast, self_rating):
    link, _token = services.link_create(
        actor=cast.alice, enrollment=cast.enrollment_a, version=self_rating, point="start"
    )
    SelfServiceLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError):
        services.link_submit(link_id=link.pk, language="sv", answers={"swedish": 2})
    assert not Assessment.objects.exists()


def test_a_caseworker_form_cannot_be_sent_to_the_participant(cast):
    version = Instrument.objects.get(code="caseworker-rating").current_version()
    with pytest.raises(ValidationError):
        services.link_create(
            actor=cast.alice, enrollment=cast.enrollment_a, version=version, point="start"
        )


def test_recordings_must_be_small_sound_files(cast, self_rating, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = self_rating.items.first()
    text_file = SimpleUploadedFile("x.txt", b"hello", content_type="text/plain")
    with pytest.raises(ValidationError):
        services.audio_upload(actor=cast.alice, item=item, language="ar", upload=text_file)
    big = SimpleUploadedFile("x.mp3", b"0" * (5 * 1024 * 1024 + 1), content_type="audio/mpeg")
    with pytest.raises(ValidationError):
        services.audio_upload(actor=cast.alice, item=item, language="ar", upload=big)
    ok = SimpleUploadedFile("Fatima reads.mp3", b"ID3fake", content_type="audio/mpeg")
    audio = services.audio_upload(actor=cast.alice, item=item, language="ar", upload=ok)
    assert audio.file.name.endswith(f"{item.pk}-ar.mp3")
    assert "Fatima" not in audio.file.name
