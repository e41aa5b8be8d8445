"""Writes: instruments and their versions, recordings, assessments and one-time links.

Assessments are written in one go when the participant presses "Done" (the answers so far
live in the session), so a half-answered questionnaire leaves nothing behind and a one-time
link is used up in the same transaction that stores its answers.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access.audit import log_event
from stegvis.access.models import Action, Part
from stegvis.access.policy import acting_organisation_id, is_own
from stegvis.participants.models import Enrollment, EnrollmentStatus

from . import bundled
from .models import (
    INSTRUMENT_LANGUAGES,
    Answer,
    Assessment,
    AssessmentMode,
    Instrument,
    InstrumentVersion,
    Item,
    ItemAudio,
    ItemKind,
    ItemText,
    MeasurementPoint,
    SelfServiceLink,
)

MODELS = {
    "Instrument": Instrument,
    "InstrumentVersion": InstrumentVersion,
    "Item": Item,
    "ItemText": ItemText,
}
AUDIO_TYPES = frozenset({"audio/mpeg", "audio/ogg", "audio/wav", "audio/webm"})
AUDIO_MAX_BYTES = 5 * 1024 * 1024
LANGUAGE_CODES = frozenset(code for code, _name in INSTRUMENT_LANGUAGES)
# How long a one-time link stays open unless staff choose otherwise.
LINK_VALID_DAYS: int = getattr(settings, "STEGVIS_SELFSERVICE_DAYS", 7)


# --- Instruments -----------------------------------------------------------------------------


@transaction.atomic
def instrument_load(*, data: dict[str, Any], note: str = "") -> InstrumentVersion | None:
    """Load an instrument file: a new version when it differs from the newest one."""
    version: InstrumentVersion | None = bundled.load(data, models=MODELS, note=note)
    return version


def bundled_instruments_load() -> list[InstrumentVersion]:
    return [
        version
        for path in bundled.bundled_files()
        if (version := instrument_load(data=bundled.read(path), note=path.name)) is not None
    ]


@transaction.atomic
def version_copy(*, version: InstrumentVersion, note: str = "") -> InstrumentVersion:
    """Copy-on-write: a new, unpublished version to edit; the old one keeps its answers' meaning."""
    latest = version.instrument.versions.order_by("-number").first()
    assert latest is not None
    copy = InstrumentVersion.objects.create(
        instrument=version.instrument, number=latest.number + 1, note=note
    )
    for item in version.items.prefetch_related("texts"):
        texts = list(item.texts.all())
        item.pk = None
        item.version = copy
        item.save()
        for text in texts:
            text.pk = None
            text.item = item
        ItemText.objects.bulk_create(texts)
    return copy


def version_is_editable(version: InstrumentVersion) -> bool:
    return version.frozen_at is None and not version.assessments.exists()


@transaction.atomic
def version_publish(*, version: InstrumentVersion) -> None:
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])


@transaction.atomic
def audio_upload(*, actor: Any, item: Item, language: str, upload: UploadedFile) -> ItemAudio:
    """Store a recorded reading of a question (replacing an earlier one in that language)."""
    content_type = (upload.content_type or "").split(";")[0].strip()
    if content_type not in AUDIO_TYPES:
        raise ValidationError({"file": _("Upload an MP3, Ogg, WAV or WebM sound file.")})
    if upload.size is None or upload.size > AUDIO_MAX_BYTES:
        raise ValidationError({"file": _("The recording can be at most 5 MB.")})
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose a language.")})
    ItemAudio.objects.filter(item=item, language=language).delete()
    audio = ItemAudio(item=item, language=language, content_type=content_type, uploaded_by=actor)
    audio.file.save("recording", upload, save=False)
    audio.save()
    return audio


# --- Assessments -----------------------------------------------------------------------------


def _check_answers(version: InstrumentVersion, answers: dict[str, Any]) -> list[Answer]:
    """Answer rows for {item code: value or None (skipped) or text}; raises on bad values."""
    rows = []
    for item in version.items.all():
        given = answers.get(item.code)
        if item.kind == ItemKind.TEXT:
            text = (given or "").strip() if isinstance(given, str) else ""
            rows.append(Answer(item=item, text=text[:2000]))
            continue
        if given is not None and given not in item.points():
            raise ValidationError(_("An answer is outside the question's scale."))
        rows.append(Answer(item=item, value=given))
    return rows


def _freeze(version: InstrumentVersion) -> None:
    if version.frozen_at is None:
        InstrumentVersion.objects.filter(pk=version.pk, frozen_at__isnull=True).update(
            frozen_at=timezone.now()
        )


def _create_assessment(
    *,
    actor: Any,
    enrollment: Enrollment,
    version: InstrumentVersion,
    point: str,
    language: str,
    mode: str,
    answers: dict[str, Any],
    interpreter_used: bool,
    date: datetime.date,
) -> Assessment:
    if point not in MeasurementPoint.values:
        raise ValidationError(_("Choose a measurement point."))
    if language not in LANGUAGE_CODES:
        raise ValidationError(_("Choose a language."))
    if version.published_at is None:
        raise ValidationError(_("This version of the instrument is not published."))
    rows = _check_answers(version, answers)
    assessment = Assessment.objects.create(
        enrollment=enrollment,
        version=version,
        point=point,
        date=date,
        language=language,
        mode=mode,
        assisted_by=actor if mode == AssessmentMode.ASSISTED else None,
        interpreter_used=interpreter_used,
    )
    for row in rows:
        row.assessment = assessment
    Answer.objects.bulk_create(rows)
    _freeze(version)
    log_event(
        actor=actor,
        action=Action.CREATE,
        part=Part.ASSESSMENTS,
        organisation_id=(
            acting_organisation_id(actor, enrollment)
            if mode == AssessmentMode.ASSISTED
            else enrollment.unit.organisation_id
        ),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=assessment,
        # Codes only: the answers themselves stay out of the log.
        changes={
            "instrument": [None, version.instrument.code],
            "version": [None, version.number],
            "point": [None, point],
            "mode": [None, mode],
            "interpreter_used": [None, interpreter_used],
            "answered": [None, sum(1 for row in rows if row.value is not None or row.text)],
        },
    )
    return assessment


@transaction.atomic
def assessment_record_assisted(
    *,
    actor: Any,
    enrollment: Enrollment,
    version: InstrumentVersion,
    point: str,
    language: str,
    answers: dict[str, Any],
    interpreter_used: bool = False,
) -> Assessment:
    """Answers given on the staff device with staff beside the participant."""
    if not is_own(actor, enrollment):
        raise ValidationError(_("You cannot record assessments for this participant."))
    return _create_assessment(
        actor=actor,
        enrollment=enrollment,
        version=version,
        point=point,
        language=language,
        mode=AssessmentMode.ASSISTED,
        answers=answers,
        interpreter_used=interpreter_used,
        date=timezone.localdate(),
    )


@transaction.atomic
def assessment_import(
    *,
    actor: Any,
    enrollment: Enrollment,
    version: InstrumentVersion,
    point: str,
    language: str,
    mode: str,
    answers: dict[str, Any],
    interpreter_used: bool,
    date: datetime.date,
) -> Assessment:
    """An assessment made earlier and recorded from a file (the spreadsheet import): it keeps
    its own date and mode."""
    if not is_own(actor, enrollment):
        raise ValidationError(_("You cannot record assessments for this participant."))
    if mode not in AssessmentMode.values:
        raise ValidationError(_("Choose self-service or staff-assisted."))
    return _create_assessment(
        actor=actor,
        enrollment=enrollment,
        version=version,
        point=point,
        language=language,
        mode=mode,
        answers=answers,
        interpreter_used=interpreter_used,
        date=date,
    )


# --- One-time links --------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def link_create(
    *,
    actor: Any,
    enrollment: Enrollment,
    version: InstrumentVersion,
    point: str,
    valid_days: int | None = None,
) -> tuple[SelfServiceLink, str]:
    """A one-time link; returns it and the token (shown once, only its hash is stored)."""
    if not is_own(actor, enrollment):
        raise ValidationError(_("You cannot send assessments to this participant."))
    if enrollment.status != EnrollmentStatus.ACTIVE and point != MeasurementPoint.EXIT:
        raise ValidationError(_("The participant is no longer active in the programme."))
    if not version.instrument.self_report:
        raise ValidationError(_("This instrument is answered by staff, not the participant."))
    if point not in MeasurementPoint.values:
        raise ValidationError(_("Choose a measurement point."))
    days = valid_days if valid_days is not None else LINK_VALID_DAYS
    if not 1 <= days <= 60:
        raise ValidationError(_("A link can be valid for 1 to 60 days."))
    token = secrets.token_urlsafe(24)
    link = SelfServiceLink.objects.create(
        enrollment=enrollment,
        version=version,
        point=point,
        token_hash=token_hash(token),
        created_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    log_event(
        actor=actor,
        action=Action.CREATE,
        part=Part.ASSESSMENTS,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=link,
        changes={"expires_at": [None, link.expires_at.isoformat()], "point": [None, point]},
    )
    return link, token


def link_for_token(token: str) -> SelfServiceLink | None:
    """The link a token belongs to, open or not (None for an unknown token)."""
    if not token or len(token) > 100:
        return None
    return (
        SelfServiceLink.objects.filter(token_hash=token_hash(token))
        .select_related("version__instrument", "enrollment__participant")
        .first()
    )


@transaction.atomic
def link_submit(*, link_id: int, language: str, answers: dict[str, Any]) -> Assessment:
    """Store the participant's answers and use the link up. Refuses a used or expired link."""
    link = (
        SelfServiceLink.objects.select_for_update()
        .select_related("enrollment__unit", "version__instrument")
        .get(pk=link_id)
    )
    if not link.is_open():
        raise ValidationError(_("This link has already been used or has expired."))
    # The participant has no account; the log names the link, and the staff member who made it.
    assessment = _create_assessment(
        actor=f"self-service link {link.pk}",
        enrollment=link.enrollment,
        version=link.version,
        point=link.point,
        language=language,
        mode=AssessmentMode.SELF,
        answers=answers,
        interpreter_used=False,
        date=timezone.localdate(),
    )
    link.used_at = timezone.now()
    link.assessment = assessment
    link.save(update_fields=["used_at", "assessment"])
    return assessment


@transaction.atomic
def link_revoke(*, actor: Any, link: SelfServiceLink) -> None:
    if not is_own(actor, link.enrollment):
        raise ValidationError(_("You cannot change this link."))
    if link.used_at is None:
        link.expires_at = min(link.expires_at, timezone.now())
        link.save(update_fields=["expires_at"])
        log_event(
            actor=actor,
            action=Action.UPDATE,
            part=Part.ASSESSMENTS,
            organisation_id=acting_organisation_id(actor, link.enrollment),
            participant_id=link.enrollment.participant_id,
            enrollment_id=link.enrollment_id,
            obj=link,
            changes={"expires_at": [None, link.expires_at.isoformat()]},
        )
