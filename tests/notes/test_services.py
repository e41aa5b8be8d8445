import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stegvis.access.models import AccessEvent
from stegvis.notes import selectors, services
from stegvis.notes.models import Note


def write(cast, text="Called about the internship", category="contact", actor=None, **kwargs):
    return services.note_create(
        actor=actor or cast.alice,
        enrollment=kwargs.pop("enrollment", cast.enrollment_a),
        date=kwargs.pop("date", date(2025, 3, 3)),
        category=category,
        text=text,
    )


def correct(cast, note, text="Called about the language course", category=None, actor=None):
    return services.note_correct(
        actor=actor or cast.alice,
        enrollment=cast.enrollment_a,
        note=note,
        date=note.date,
        category=category or note.category,
        text=text,
        reason="Wrong course",
    )


def visible_texts(cast, actor):
    return [n.text for n in selectors.visible_notes(actor=actor, enrollment=cast.enrollment_a)]


def test_a_note_is_written_and_logged_without_its_text(cast):
    note = write(cast)
    assert note.author == cast.alice
    assert note.organisation_id == cast.unit_a.organisation_id
    event = AccessEvent.objects.get()
    assert (event.action, event.part, event.object_id) == ("create", "notes", str(note.pk))
    assert event.changes == {"date": None, "category": None, "text": None}


def test_a_sensitive_note_is_logged_as_the_sensitive_part(cast):
    write(cast, text="Has a back injury", category="sensitive")
    event = AccessEvent.objects.get()
    assert event.part == "sensitive"
    assert "back injury" not in json.dumps(event.changes) + event.summary


def test_a_correction_keeps_the_original(cast):
    original = write(cast)
    correction = correct(cast, original)
    original.refresh_from_db()
    assert original.text == "Called about the internship"
    assert correction.corrects == original
    assert correction.thread == original
    assert correction.correction_reason == "Wrong course"
    assert original.correction == correction
    assert visible_texts(cast, cast.alice) == [
        "Called about the language course",
        "Called about the internship",
    ]
    event = AccessEvent.objects.latest("pk")
    assert event.changes["corrects"] == [None, original.pk]
    assert "language course" not in json.dumps(event.changes)


def test_a_note_is_corrected_once_then_the_correction_is_corrected(cast):
    original = write(cast)
    first = correct(cast, original)
    with pytest.raises(ValidationError):
        correct(cast, original, text="Again")
    second = correct(cast, first, text="Called about SFI")
    assert second.thread == original
    assert Note.objects.count() == 3


def test_a_correction_needs_a_reason(cast):
    original = write(cast)
    with pytest.raises(ValidationError):
        services.note_correct(
            actor=cast.alice,
            enrollment=cast.enrollment_a,
            note=original,
            date=original.date,
            category="contact",
            text="x",
            reason="  ",
        )


def test_a_note_of_another_enrollment_cannot_be_corrected_through_this_one(cast):
    other = write(cast, actor=cast.amir, enrollment=cast.enrollment_a2)
    with pytest.raises(PermissionDenied):
        services.note_correct(
            actor=cast.anna,
            enrollment=cast.enrollment_a,
            note=other,
            date=other.date,
            category="contact",
            text="x",
            reason="y",
        )


@pytest.mark.parametrize("who", ["bob", "bea", "otto", "mona", "axel"])
def test_other_organisations_cannot_write_even_with_consent(cast, share, who):
    share(covers_notes=True, covers_sensitive=True, takes_part_in_plan=True)
    original = write(cast)
    actor = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        write(cast, actor=actor)
    with pytest.raises(PermissionDenied):
        correct(cast, original, actor=actor)
    assert Note.objects.count() == 1


class TestSensitiveNotes:
    def test_are_hidden_without_sensitive_access(self, cast, share):
        write(cast, text="Called about the internship")
        write(cast, text="Has a back injury", category="sensitive")
        consent = share(covers_notes=True)
        assert visible_texts(cast, cast.bob) == ["Called about the internship"]
        consent.covers_sensitive = True
        consent.save()
        assert set(visible_texts(cast, cast.bob)) == {
            "Called about the internship",
            "Has a back injury",
        }

    def test_a_misfiled_note_moved_to_sensitive_hides_the_original_too(self, cast, share):
        original = write(cast, text="Off sick, depression")
        correction = correct(cast, original, text="Off sick", category="sensitive")
        later = correct(cast, correction, text="Off sick (see doctor's note)", category="contact")
        write(cast, text="Internship booked")
        share(covers_notes=True)
        assert visible_texts(cast, cast.bob) == ["Internship booked"]
        assert later.thread == original
        assert {
            n.pk
            for n in selectors.visible_notes(actor=cast.alice, enrollment=cast.enrollment_a)
            if n.is_sensitive
        } == {original.pk, correction.pk, later.pk}

    def test_corrections_of_a_sensitive_thread_are_logged_as_sensitive(self, cast):
        original = write(cast, text="Has a back injury", category="sensitive")
        correct(cast, original, text="Has a knee injury")
        assert AccessEvent.objects.latest("pk").part == "sensitive"


def test_removing_an_enrollment_for_retention_removes_its_notes(cast):
    original = write(cast)
    correct(cast, original)
    cast.enrollment_a.delete()
    assert not Note.objects.exists()
