"""Writes to notes. Notes are only ever added: a correction is a new note.

The access log names the fields written, never the text.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from stegvis.access.audit import log_event
from stegvis.access.models import Action, Part
from stegvis.access.policy import acting_organisation_id, can_write
from stegvis.participants.models import Enrollment

from .models import NOTE_FIELDS, Note, NoteCategory
from .selectors import sensitive_thread


def _check_write(actor: Any, enrollment: Enrollment, part: str) -> None:
    if not (can_write(actor, enrollment, Part.NOTES) and can_write(actor, enrollment, part)):
        raise PermissionDenied


def _log(*, actor: Any, enrollment: Enrollment, note: Note, part: str, changes: dict) -> None:
    log_event(
        actor=actor,
        action=Action.CREATE,
        part=part,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=note,
        changes=changes,
    )


@transaction.atomic
def note_create(
    *, actor: Any, enrollment: Enrollment, date: datetime.date, category: str, text: str
) -> Note:
    part = Part.SENSITIVE if category == NoteCategory.SENSITIVE else Part.NOTES
    _check_write(actor, enrollment, part)
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    note = Note.objects.create(
        enrollment=enrollment,
        date=date,
        category=category,
        text=text,
        author=actor,
        organisation_id=acting_organisation_id(actor, enrollment),
    )
    _log(
        actor=actor,
        enrollment=enrollment,
        note=note,
        part=part,
        changes=dict.fromkeys(NOTE_FIELDS),
    )
    return note


@transaction.atomic
def note_correct(
    *,
    actor: Any,
    enrollment: Enrollment,
    note: Note,
    date: datetime.date,
    category: str,
    text: str,
    reason: str,
) -> Note:
    """Add a correction of ``note``; the original stays as it was, marked as corrected.

    A note is corrected once; to correct again, correct the correction.
    """
    original = (
        Note.objects.select_for_update()
        .annotate(is_sensitive=sensitive_thread())
        .filter(pk=note.pk, enrollment=enrollment)
        .first()
    )
    if original is None:
        raise PermissionDenied
    sensitive = original.is_sensitive or category == NoteCategory.SENSITIVE
    part = Part.SENSITIVE if sensitive else Part.NOTES
    _check_write(actor, enrollment, part)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the note is corrected.")})
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    if Note.objects.filter(corrects=original).exists():
        raise ValidationError(
            _("This note has already been corrected. Correct the correction instead."),
            code="already_corrected",
        )
    try:
        with transaction.atomic():
            correction = Note.objects.create(
                enrollment=enrollment,
                date=date,
                category=category,
                text=text,
                author=actor,
                organisation_id=acting_organisation_id(actor, enrollment),
                corrects=original,
                thread_id=original.thread_id or original.pk,
                correction_reason=reason,
            )
    except IntegrityError:
        # A concurrent correction of the same note won.
        raise ValidationError(
            _("This note has already been corrected. Correct the correction instead."),
            code="already_corrected",
        ) from None
    changes: dict[str, Any] = {"corrects": [None, original.pk]}
    changes.update(dict.fromkeys((*NOTE_FIELDS, "correction_reason")))
    _log(actor=actor, enrollment=enrollment, note=correction, part=part, changes=changes)
    return correction
