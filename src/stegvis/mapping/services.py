"""Writes to mappings. Each is atomic, checks the actor may write, and writes its audit row.

The access log records which fields changed, never their content: a mapping holds free text
about a person, and the sensitive part must never reach the log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access.audit import diff, log_event, snapshot
from stegvis.access.models import Action, Part
from stegvis.access.policy import acting_organisation_id, can_write
from stegvis.participants.models import Enrollment

from .models import (
    SENSITIVE_FIELDS,
    Mapping,
    MappingLanguage,
    MappingStatus,
    Qualification,
    QualificationKind,
    RecognitionApplied,
    SensitiveCircumstances,
    WorkExperience,
)
from .selectors import LANGUAGE_FIELDS, MAPPING_FIELDS, QUALIFICATION_FIELDS, WORK_FIELDS

# What a mapping must say before it can be completed (a draft may leave anything open).
REQUIRED_TO_COMPLETE = (
    "years_of_schooling",
    "literacy_mother_tongue",
    "literacy_latin_script",
    "driving_licence",
    "digital_skills",
    "goals",
)


@dataclass(frozen=True)
class MappingContent:
    """A mapping's fields and child rows, as plain values (from the form or the demo)."""

    fields: dict[str, Any]
    languages: list[dict[str, Any]] = field(default_factory=list)
    work_experience: list[dict[str, Any]] = field(default_factory=list)
    qualifications: list[dict[str, Any]] = field(default_factory=list)


def _lock(enrollment: Enrollment) -> None:
    # Serialises writes to one enrollment's mappings (no-op on SQLite, which locks the file).
    Enrollment.objects.select_for_update().filter(pk=enrollment.pk).values_list("pk").first()


def _clean_rows(rows: list[dict[str, Any]], names: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{name: row.get(name) for name in names} for row in rows]


def _row_snapshot(mapping: Mapping) -> dict[str, Any]:
    """The child rows as comparable values, keyed by the name the log shows."""
    if mapping.pk is None:
        return {"languages": [], "work_experience": [], "qualifications": []}
    return {
        "languages": [snapshot(row, LANGUAGE_FIELDS) for row in mapping.languages.all()],
        "work_experience": [snapshot(row, WORK_FIELDS) for row in mapping.work_experience.all()],
        "qualifications": [
            snapshot(row, QUALIFICATION_FIELDS) for row in mapping.qualifications.all()
        ],
    }


def _completion_errors(mapping: Mapping, content: MappingContent) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in REQUIRED_TO_COMPLETE:
        if getattr(mapping, name) in (None, ""):
            errors[name] = [_("Fill this in to complete the mapping.")]
    if not content.languages:
        errors[NON_FIELD_ERRORS] = [_("Add at least one language to complete the mapping.")]
    return errors


@transaction.atomic
def mapping_save(
    *,
    actor: Any,
    enrollment: Enrollment,
    draft: Mapping | None,
    content: MappingContent,
    complete: bool = False,
) -> Mapping:
    """Save the draft (or start a new mapping from the latest one), optionally completing it.

    ``draft`` is the draft the user was editing, None when they started a new mapping; if
    someone else started or completed one meanwhile, a ValidationError says so rather than
    overwriting their work. A completed mapping is never changed: a new one is started instead.
    """
    if not can_write(actor, enrollment, Part.MAPPING):
        raise PermissionDenied
    _lock(enrollment)
    current_draft = (
        Mapping.objects.filter(enrollment=enrollment, status=MappingStatus.DRAFT)
        .prefetch_related("languages", "work_experience", "qualifications")
        .first()
    )
    if draft is None:
        if current_draft is not None:
            raise ValidationError(
                _("Someone else started a new mapping meanwhile. Open it again to continue it."),
                code="conflict",
            )
        mapping = Mapping(
            enrollment=enrollment,
            recorded_by=actor,
            based_on=Mapping.objects.filter(enrollment=enrollment, status=MappingStatus.COMPLETED)
            .order_by("-carried_out_on", "-pk")
            .first(),
        )
        before: dict[str, Any] = {}
    else:
        if current_draft is None or current_draft.pk != draft.pk:
            raise ValidationError(
                _("This mapping was completed meanwhile. Start a new mapping to change it."),
                code="conflict",
            )
        mapping = current_draft
        before = snapshot(mapping, MAPPING_FIELDS)
    before_rows = _row_snapshot(mapping)

    for name in MAPPING_FIELDS:
        if name in content.fields:
            setattr(mapping, name, content.fields[name])
    if not mapping.interpreter_used:
        mapping.interpreter_language = ""
    languages = _clean_rows(content.languages, LANGUAGE_FIELDS)
    work = _clean_rows(content.work_experience, WORK_FIELDS)
    qualifications = _clean_rows(content.qualifications, QUALIFICATION_FIELDS)
    for row in qualifications:
        if row["recognition_applied"] != RecognitionApplied.YES:
            row["recognition_applied_on"] = None
        row["recognition_applied"] = row["recognition_applied"] or RecognitionApplied.UNKNOWN
        row["kind"] = row["kind"] or QualificationKind.OTHER
    for row in work:
        if row["years"] is not None:
            row["years"] = Decimal(row["years"]).quantize(Decimal("0.1"))
    if complete:
        errors = _completion_errors(mapping, content)
        if errors:
            raise ValidationError(errors)

    after = snapshot(mapping, MAPPING_FIELDS)
    if mapping.pk is None:
        # A new mapping: name the fields that say something.
        changes = {name: None for name, value in after.items() if value not in (None, "", False)}
    else:
        changes = diff(before, after, hide_values=True)
    new_rows = {
        "languages": [snapshot(MappingLanguage(**row), LANGUAGE_FIELDS) for row in languages],
        "work_experience": [snapshot(WorkExperience(**row), WORK_FIELDS) for row in work],
        "qualifications": [
            snapshot(Qualification(**row), QUALIFICATION_FIELDS) for row in qualifications
        ],
    }
    changes.update(diff(before_rows, new_rows, hide_values=True))
    created = mapping.pk is None
    if not created and not changes and not complete:
        return mapping

    if complete:
        # Status is not content: the log keeps its values.
        changes["status"] = [mapping.status, MappingStatus.COMPLETED]
        mapping.status = MappingStatus.COMPLETED
        mapping.completed_at = timezone.now()
        mapping.completed_by = actor
    mapping.save()
    if not created:
        mapping.languages.all().delete()
        mapping.work_experience.all().delete()
        mapping.qualifications.all().delete()
    MappingLanguage.objects.bulk_create(MappingLanguage(mapping=mapping, **r) for r in languages)
    WorkExperience.objects.bulk_create(WorkExperience(mapping=mapping, **r) for r in work)
    Qualification.objects.bulk_create(Qualification(mapping=mapping, **r) for r in qualifications)
    log_event(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        part=Part.MAPPING,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=mapping,
        changes=changes,
    )
    return mapping


@transaction.atomic
def sensitive_circumstances_record(
    *, actor: Any, enrollment: Enrollment, health: str, family_situation: str, other: str
) -> SensitiveCircumstances | None:
    """Record the sensitive part anew when it changed (the earlier version is kept).

    Returns the new version, or None when nothing changed. The log row names the changed
    fields only.
    """
    if not can_write(actor, enrollment, Part.SENSITIVE):
        raise PermissionDenied
    _lock(enrollment)
    current = (
        SensitiveCircumstances.objects.filter(enrollment=enrollment)
        .order_by("-recorded_at", "-pk")
        .first()
    )
    before = (
        snapshot(current, SENSITIVE_FIELDS)
        if current is not None
        else dict.fromkeys(SENSITIVE_FIELDS, "")
    )
    after = {"health": health, "family_situation": family_situation, "other": other}
    changes = diff(before, after, hide_values=True)
    if not changes:
        return None
    record = SensitiveCircumstances.objects.create(
        enrollment=enrollment, recorded_by=actor, **after
    )
    log_event(
        actor=actor,
        action=Action.CREATE if current is None else Action.UPDATE,
        part=Part.SENSITIVE,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=record,
        changes=changes,
    )
    return record
