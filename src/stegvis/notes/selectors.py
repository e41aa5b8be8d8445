"""Reads of notes. The enrollment always comes from the access layer first.

Sensitive threads (see models) are shown only to those with Part.SENSITIVE access to the
enrollment: the owning organisation, or one whose consent covers the sensitive part.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from stegvis.access.models import Part
from stegvis.access.policy import can_read, enrollments_for, register
from stegvis.participants.models import Enrollment

from .models import Note, NoteCategory


def sensitive_thread() -> Exists:
    """For Note querysets: the note's thread has a note in the sensitive category."""
    root = Coalesce(OuterRef("thread_id"), OuterRef("pk"))
    return Exists(
        Note.objects.filter(category=NoteCategory.SENSITIVE).filter(Q(pk=root) | Q(thread_id=root))
    )


def is_sensitive(note: Note) -> bool:
    """Whether a note from ``visible_notes`` belongs to a sensitive thread (unknown: yes)."""
    return bool(getattr(note, "is_sensitive", True))


def may_see_sensitive(*, actor: Any, enrollment: Enrollment) -> bool:
    return can_read(actor, enrollment, Part.SENSITIVE)


def visible_notes(*, actor: Any, enrollment: Enrollment) -> QuerySet[Note]:
    """The enrollment's notes the actor may read, newest first, each with ``is_sensitive``.

    For an enrollment fetched with Part.NOTES; sensitive threads only with sensitive access.
    """
    notes = Note.objects.filter(enrollment=enrollment).annotate(is_sensitive=sensitive_thread())
    if not may_see_sensitive(actor=actor, enrollment=enrollment):
        notes = notes.filter(is_sensitive=False)
    return notes.select_related(
        "author", "organisation", "corrects", "correction__author", "correction__organisation"
    ).order_by("-date", "-created_at", "-pk")


def _scoped_notes(actor: Any, part: str) -> QuerySet[Note]:
    notes = Note.objects.filter(enrollment__in=enrollments_for(actor, part=Part.NOTES)).annotate(
        is_sensitive=sensitive_thread()
    )
    if part == Part.SENSITIVE:
        return notes.filter(enrollment__in=enrollments_for(actor, part=Part.SENSITIVE))
    return notes.filter(is_sensitive=False)


def register_with_access_layer() -> None:
    """Let get_for_actor / log_read handle notes (called from the app config)."""
    register(
        Note,
        queryset=_scoped_notes,
        enrollment_of=lambda obj: obj.enrollment,
        participant_id_of=lambda obj: obj.enrollment.participant_id,
    )
