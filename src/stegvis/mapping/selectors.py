"""Reads of mappings. The enrollment always comes from the access layer first.

Another organisation (reading through a consent) sees completed mappings only; drafts are
the owning organisation's work in progress.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet

from stegvis.access.models import Part
from stegvis.access.policy import (
    can_read,
    can_write,
    enrollments_for,
    is_own,
    register,
    shared_enrollments_for,
)
from stegvis.participants.models import Enrollment

from .models import (
    Mapping,
    MappingLanguage,
    MappingStatus,
    Qualification,
    RecognitionApplied,
    SensitiveCircumstances,
    WorkExperience,
)

MAPPING_FIELDS = (
    "carried_out_on",
    "interpreter_used",
    "interpreter_language",
    "years_of_schooling",
    "education_level",
    "literacy_mother_tongue",
    "literacy_latin_script",
    "informal_skills",
    "driving_licence",
    "digital_skills",
    "goals",
)
LANGUAGE_FIELDS = ("language", "level")
WORK_FIELDS = ("occupation", "country", "years")
QUALIFICATION_FIELDS = (
    "title",
    "country",
    "kind",
    "recognition_applied",
    "recognition_applied_on",
)


def _with_rows(mappings: QuerySet[Mapping]) -> QuerySet[Mapping]:
    return mappings.select_related("recorded_by", "completed_by").prefetch_related(
        Prefetch("languages", queryset=MappingLanguage.objects.order_by("pk")),
        Prefetch("work_experience", queryset=WorkExperience.objects.order_by("pk")),
        Prefetch("qualifications", queryset=Qualification.objects.order_by("pk")),
    )


def visible_mappings(*, actor: Any, enrollment: Enrollment) -> QuerySet[Mapping]:
    """The enrollment's mappings the actor may read, newest first (drafts for the owner only)."""
    mappings = Mapping.objects.filter(enrollment=enrollment)
    if not is_own(actor, enrollment):
        mappings = mappings.filter(status=MappingStatus.COMPLETED)
    return mappings.order_by("-carried_out_on", "-pk")


def mapping_history(*, actor: Any, enrollment: Enrollment) -> QuerySet[Mapping]:
    """Every visible mapping, for the history list (without their rows)."""
    return visible_mappings(actor=actor, enrollment=enrollment).select_related(
        "recorded_by", "completed_by"
    )


def current_mapping(*, enrollment: Enrollment) -> Mapping | None:
    """The completed mapping carried out most recently, with its rows."""
    return (
        _with_rows(Mapping.objects.filter(enrollment=enrollment, status=MappingStatus.COMPLETED))
        .order_by("-carried_out_on", "-pk")
        .first()
    )


def mapping_version(*, actor: Any, enrollment: Enrollment, mapping_id: Any) -> Mapping | None:
    """One visible mapping of this enrollment with its rows, or None."""
    try:
        return _with_rows(visible_mappings(actor=actor, enrollment=enrollment)).get(pk=mapping_id)
    except (Mapping.DoesNotExist, ValueError, TypeError):
        return None


def has_draft(*, enrollment: Enrollment) -> bool:
    return Mapping.objects.filter(enrollment=enrollment, status=MappingStatus.DRAFT).exists()


def draft_for(*, enrollment: Enrollment) -> Mapping | None:
    return _with_rows(
        Mapping.objects.filter(enrollment=enrollment, status=MappingStatus.DRAFT)
    ).first()


@dataclass(frozen=True)
class Prefill:
    """What a new mapping starts from: the latest completed one, or the registry."""

    fields: dict[str, Any]
    languages: list[dict[str, Any]]
    work_experience: list[dict[str, Any]]
    qualifications: list[dict[str, Any]]
    based_on: Mapping | None


def _rows(items: Any, names: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{name: getattr(item, name) for name in names} for item in items]


def mapping_prefill(*, enrollment: Enrollment, today: datetime.date) -> Prefill:
    latest = current_mapping(enrollment=enrollment)
    if latest is not None:
        fields = {name: getattr(latest, name) for name in MAPPING_FIELDS}
        fields["carried_out_on"] = today
        return Prefill(
            fields=fields,
            languages=_rows(latest.languages.all(), LANGUAGE_FIELDS),
            work_experience=_rows(latest.work_experience.all(), WORK_FIELDS),
            qualifications=_rows(latest.qualifications.all(), QUALIFICATION_FIELDS),
            based_on=latest,
        )
    # The first mapping starts from what the registry already knows about the person.
    person = enrollment.participant
    languages: list[dict[str, Any]] = []
    if person.mother_tongue:
        languages.append({"language": person.mother_tongue, "level": "native"})
    for code in person.other_languages or []:
        if code != person.mother_tongue:
            languages.append({"language": code, "level": ""})
    return Prefill(
        fields={
            "carried_out_on": today,
            "interpreter_used": person.interpreter_needed,
            "interpreter_language": person.interpreter_language,
            "years_of_schooling": person.years_of_schooling,
            "education_level": person.education_level,
        },
        languages=languages,
        work_experience=[],
        qualifications=[],
        based_on=None,
    )


def may_see_sensitive(*, actor: Any, enrollment: Enrollment) -> bool:
    return can_read(actor, enrollment, Part.SENSITIVE)


def sensitive_history(*, enrollment: Enrollment, limit: int = 20) -> list[SensitiveCircumstances]:
    """Newest first; the first is current. Only for views that fetched with Part.SENSITIVE."""
    return list(
        SensitiveCircumstances.objects.filter(enrollment=enrollment)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class MappingSummary:
    """For the participant page: small, and shown only to those who may read the mapping."""

    count: int
    current_carried_out_on: datetime.date | None
    has_draft: bool
    can_edit: bool
    can_see_sensitive: bool

    @property
    def has_current(self) -> bool:
        return self.current_carried_out_on is not None


def mapping_summary(*, actor: Any, enrollment: Enrollment) -> MappingSummary | None:
    """The state of the enrollment's mapping, or None when the actor may not read it (1 query)."""
    sensitive = enrollments_for(actor, part=Part.SENSITIVE).filter(pk=OuterRef("pk"))
    completed = Q(mappings__status=MappingStatus.COMPLETED)
    row = (
        enrollments_for(actor, part=Part.MAPPING)
        .filter(pk=enrollment.pk)
        .annotate(
            current_on=Max("mappings__carried_out_on", filter=completed),
            completed_count=Count("mappings", filter=completed),
            draft_count=Count("mappings", filter=Q(mappings__status=MappingStatus.DRAFT)),
            sensitive_visible=Exists(sensitive),
        )
        .values("current_on", "completed_count", "draft_count", "sensitive_visible")
        .first()
    )
    if row is None:
        return None
    own = is_own(actor, enrollment)
    return MappingSummary(
        count=row["completed_count"] + (row["draft_count"] if own else 0),
        current_carried_out_on=row["current_on"],
        has_draft=own and row["draft_count"] > 0,
        can_edit=can_write(actor, enrollment, Part.MAPPING),
        can_see_sensitive=bool(row["sensitive_visible"]),
    )


def applied_for_recognition() -> Exists:
    """For Enrollment querysets: a completed mapping records that recognition was applied for.

    AMIF R.2.10, e.g. ``Enrollment.objects.filter(applied_for_recognition())``.
    """
    return Exists(
        Qualification.objects.filter(
            mapping__enrollment_id=OuterRef("pk"),
            mapping__status=MappingStatus.COMPLETED,
            recognition_applied=RecognitionApplied.YES,
        )
    )


def _scoped_mappings(actor: Any, part: str) -> QuerySet[Mapping]:
    # Always the mapping part, whatever the caller logs the read as. Drafts of other
    # organisations' enrollments stay hidden even under a consent.
    shared = shared_enrollments_for(actor, part=Part.MAPPING)
    return (
        Mapping.objects.filter(enrollment__in=enrollments_for(actor, part=Part.MAPPING))
        .exclude(Q(status=MappingStatus.DRAFT) & Q(enrollment__in=shared))
        .select_related("enrollment__unit")
    )


def register_with_access_layer() -> None:
    """Let get_for_actor / log_read handle mappings (called from the app config)."""
    register(
        Mapping,
        queryset=_scoped_mappings,
        enrollment_of=lambda obj: obj.enrollment,
        participant_id_of=lambda obj: obj.enrollment.participant_id,
    )
