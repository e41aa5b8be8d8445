"""Writes for language results. Each is atomic and writes its audit row (part: assessments).

Corrections are audited updates of the row (the log keeps old → new codes), not new rows: a
result is a fact about one date, and a second row would count as a second result. A result
recorded by mistake is deleted; its delete row in the access log keeps what it said (codes
only; the note's text is never logged).

Only the owning organisation writes (``can_write`` with part assessments); a consented
organisation reads.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access.audit import diff, log_event, snapshot
from stegvis.access.models import Action, Part
from stegvis.access.policy import acting_organisation_id, can_write
from stegvis.participants.models import Enrollment

from .models import (
    COURSES_OF_PATH,
    RESULT_FIELDS,
    CefrLevel,
    Grade,
    LanguageResult,
    ResultKind,
    Skill,
    Source,
    StudyPath,
)

# Free-text fields: logged by name only.
_TEXT_FIELDS = frozenset({"note"})


def _logged(changes: dict[str, Any]) -> dict[str, Any]:
    return {name: None if name in _TEXT_FIELDS else value for name, value in changes.items()}


def clean_result(
    *,
    kind: str,
    result_date: date,
    source: str,
    study_path: int | None = None,
    course: str = "",
    grade: str = "",
    skill: str = "",
    cefr_level: str = "",
    note: str = "",
) -> dict[str, Any]:
    """The result's fields for its kind (fields of other kinds are cleared), or a
    ValidationError naming each wrong field with a message a teacher understands."""
    errors: dict[str, str] = {}
    if kind not in ResultKind.values:
        raise ValidationError({"kind": _("Choose what kind of result this is.")})
    if source not in Source.values:
        errors["source"] = _("Choose where the result comes from.")
    if result_date > timezone.localdate():
        errors["result_date"] = _("The date cannot be in the future.")
    values: dict[str, Any] = {
        "kind": kind,
        "result_date": result_date,
        "source": source,
        "note": note,
        "study_path": None,
        "course": "",
        "grade": "",
        "skill": "",
        "cefr_level": "",
    }
    if kind == ResultKind.SFI:
        path = int(study_path) if study_path not in (None, "") else None
        if path not in StudyPath.values:
            errors["study_path"] = _("Choose the study path (1, 2 or 3).")
        if course not in COURSES_OF_PATH[1]:
            errors["course"] = _("Choose the SFI course (A, B, C or D).")
        elif path in COURSES_OF_PATH and course not in COURSES_OF_PATH[path]:
            errors["course"] = _(
                "Course %(course)s is not part of study path %(path)s: study path 1 has "
                "courses A–D, study path 2 courses B–D and study path 3 courses C–D."
            ) % {"course": course, "path": path}
        values.update(study_path=path, course=course)
    if kind in (ResultKind.SFI, ResultKind.SAS):
        if grade and grade not in Grade.values:
            errors["grade"] = _("Choose a grade A–F or G/IG, or leave it empty if not graded yet.")
        values["grade"] = grade
    if kind == ResultKind.CEFR:
        if skill not in Skill.values:
            errors["skill"] = _("Choose the skill that was assessed.")
        if cefr_level not in CefrLevel.values:
            errors["cefr_level"] = _("Choose the CEFR level.")
        values.update(skill=skill, cefr_level=cefr_level)
    if errors:
        raise ValidationError(errors)
    return values


def _check_writer(actor: Any, enrollment: Enrollment) -> None:
    if not can_write(actor, enrollment, Part.ASSESSMENTS):
        raise ValidationError(_("You cannot record language results for this participant."))


@transaction.atomic
def language_result_record(*, actor: Any, enrollment: Enrollment, **fields: Any) -> LanguageResult:
    """Record a result (fields as ``clean_result``). The same result twice is refused."""
    _check_writer(actor, enrollment)
    values = clean_result(**fields)
    same = {name: value for name, value in values.items() if name != "note"}
    if LanguageResult.objects.filter(enrollment_id=enrollment.pk, **same).exists():
        raise ValidationError(_("This result is already recorded for the participant."))
    result = LanguageResult(enrollment=enrollment, recorded_by=actor, **values)
    result.save()
    log_event(
        actor=actor,
        action=Action.CREATE,
        part=Part.ASSESSMENTS,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=result,
        changes=_logged(
            diff({}, snapshot(result, [f for f in RESULT_FIELDS if getattr(result, f)]))
        ),
    )
    return result


@transaction.atomic
def language_result_correct(*, actor: Any, result: LanguageResult, **fields: Any) -> dict[str, Any]:
    """Correct a result in place; returns what changed (nothing changed: no log row)."""
    enrollment = result.enrollment
    _check_writer(actor, enrollment)
    values = clean_result(**fields)
    result = LanguageResult.objects.select_for_update().get(pk=result.pk)
    before = snapshot(result, RESULT_FIELDS)
    for name, value in values.items():
        setattr(result, name, value)
    changes = diff(before, snapshot(result, RESULT_FIELDS))
    if not changes:
        return {}
    result.updated_at = timezone.now()
    result.save(update_fields=[*RESULT_FIELDS, "updated_at"])
    log_event(
        actor=actor,
        action=Action.UPDATE,
        part=Part.ASSESSMENTS,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=result,
        changes=_logged(changes),
    )
    return changes


@transaction.atomic
def language_result_delete(*, actor: Any, result: LanguageResult) -> None:
    """Delete a result recorded by mistake; the log row keeps its codes."""
    enrollment = result.enrollment
    _check_writer(actor, enrollment)
    old = snapshot(result, [f for f in RESULT_FIELDS if getattr(result, f)])
    log_event(
        actor=actor,
        action=Action.DELETE,
        part=Part.ASSESSMENTS,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=result,
        changes=_logged({name: [value, None] for name, value in old.items()}),
    )
    result.delete()
