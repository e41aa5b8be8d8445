"""Reads for the API. Every queryset starts from the access layer."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from stegvis.access.models import Part
from stegvis.access.policy import enrollments_for
from stegvis.access.scope import scope_for
from stegvis.activities.models import Activity, Attendance, Participation, Session
from stegvis.activities.selectors import activities_for
from stegvis.consents.models import SHAREABLE_PARTS, Consent, active_consents
from stegvis.consents.selectors import shared_with_us
from stegvis.languagelevels.models import LanguageResult
from stegvis.outcomes.models import Exit
from stegvis.participants.models import Enrollment
from stegvis.placements.models import Placement, Workplace
from stegvis.placements.selectors import placement_list, workplace_list
from stegvis.progression.models import Answer, Assessment


def own_enrollments(*, actor: Any, filters: dict[str, Any]) -> QuerySet[Enrollment]:
    """The actor's own organisation's enrollments (the full record), oldest id first."""
    qs = enrollments_for(actor, part=Part.RECORD)
    for name in ("programme", "partner", "unit"):
        if filters.get(name):
            qs = qs.filter(**{f"{name}_id": filters[name]})
    for name in ("status", "eligibility"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("updated_since"):
        since = filters["updated_since"]
        qs = qs.filter(Q(updated_at__gte=since) | Q(participant__updated_at__gte=since))
    return qs.select_related(
        "participant", "programme", "partner__organisation", "unit", "track"
    ).order_by("pk")


def shared_enrollments(*, actor: Any, filters: dict[str, Any]) -> QuerySet[Enrollment]:
    """Other organisations' enrollments shared with the actor's by an active consent."""
    qs = shared_with_us(actor=actor)
    for name in ("programme", "partner"):
        if filters.get(name):
            qs = qs.filter(**{f"{name}_id": filters[name]})
    return qs.order_by("pk")


def own_exits(*, actor: Any, filters: dict[str, Any]) -> QuerySet[Exit]:
    """Exits of the actor's own enrollments; exits are never shared by consent."""
    qs = Exit.objects.filter(enrollment__in=enrollments_for(actor, part=Part.RECORD))
    if filters.get("programme"):
        qs = qs.filter(enrollment__programme_id=filters["programme"])
    if filters.get("partner"):
        qs = qs.filter(enrollment__partner_id=filters["partner"])
    if filters.get("recorded_since"):
        qs = qs.filter(recorded_at__gte=filters["recorded_since"])
    return qs.select_related("enrollment__partner", "enrollment__follow_up").order_by("pk")


def activities(*, actor: Any, filters: dict[str, Any]) -> QuerySet[Activity]:
    qs = activities_for(actor)
    if filters.get("programme"):
        qs = qs.filter(partner__programme_id=filters["programme"])
    for name in ("partner", "unit"):
        if filters.get(name):
            qs = qs.filter(**{f"{name}_id": filters[name]})
    return (
        qs.select_related("activity_type", "partner__organisation", "unit")
        .annotate(taken=Count("participations", filter=Q(participations__end_date__isnull=True)))
        .order_by("pk")
    )


def participations(*, actor: Any, filters: dict[str, Any]) -> QuerySet[Participation]:
    """Participations of enrollments the actor sees the record of, in activities they see."""
    qs = Participation.objects.filter(
        enrollment__in=enrollments_for(actor, part=Part.RECORD),
    )
    if filters.get("activity"):
        qs = qs.filter(activity_id=filters["activity"])
    if filters.get("enrollment"):
        qs = qs.filter(enrollment_id=filters["enrollment"])
    if filters.get("current") is not None:
        qs = qs.filter(end_date__isnull=filters["current"])
    return qs.select_related("enrollment__partner").order_by("pk")


def sessions(*, actor: Any, activity_id: int, filters: dict[str, Any]) -> QuerySet[Session]:
    """Sessions of an activity the actor sees (None: 404), oldest first."""
    qs = Session.objects.filter(activity__in=activities_for(actor), activity_id=activity_id)
    if filters.get("date_from"):
        qs = qs.filter(date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(date__lte=filters["date_to"])
    return qs.order_by("date", "pk")


def attendance(*, actor: Any, filters: dict[str, Any]) -> QuerySet[Attendance]:
    """Attendance marks of the enrollments whose record the actor sees."""
    qs = Attendance.objects.filter(enrollment__in=enrollments_for(actor, part=Part.RECORD))
    if filters.get("activity"):
        qs = qs.filter(session__activity_id=filters["activity"])
    for name in ("session", "enrollment"):
        if filters.get(name):
            qs = qs.filter(**{f"{name}_id": filters[name]})
    if filters.get("date_from"):
        qs = qs.filter(session__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(session__date__lte=filters["date_to"])
    return qs.select_related("session", "enrollment__partner").order_by("pk")


def _shared_annotations(actor: Any, qs: QuerySet[Any]) -> QuerySet[Any]:
    """``shared_consent_id``/``shared_organisation_id``: an active consent naming the actor's
    organisation that covers assessments of the row's enrollment (None for own rows)."""
    scope = scope_for(actor)
    consents = active_consents().filter(
        organisations__in=scope.record_org_ids,
        enrollment_id=OuterRef("enrollment_id"),
        **{SHAREABLE_PARTS[Part.ASSESSMENTS]: True},
    )
    named = Consent.organisations.through.objects.filter(
        consent_id=OuterRef("shared_consent_id"), organisation_id__in=scope.record_org_ids
    )
    return qs.annotate(shared_consent_id=Subquery(consents.values("pk")[:1])).annotate(
        shared_organisation_id=Subquery(named.values("organisation_id")[:1])
    )


def assessments(*, actor: Any, filters: dict[str, Any]) -> QuerySet[Assessment]:
    """Assessments (self-ratings and other instruments' rounds) with their answers: the own
    organisation's, and other organisations' while a consent naming the actor's organisation
    covers assessments. Rows carry ``shared_consent_id``/``shared_organisation_id``."""
    qs = Assessment.objects.filter(enrollment__in=enrollments_for(actor, part=Part.ASSESSMENTS))
    if filters.get("enrollment"):
        qs = qs.filter(enrollment_id=filters["enrollment"])
    if filters.get("instrument"):
        qs = qs.filter(version__instrument__code=filters["instrument"])
    if filters.get("since"):
        qs = qs.filter(date__gte=filters["since"])
    answers = Answer.objects.select_related("item").order_by("item__position")
    return (
        _shared_annotations(actor, qs)
        .select_related("enrollment__partner", "enrollment__unit", "version__instrument")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("pk")
    )


def language_results(*, actor: Any, filters: dict[str, Any]) -> QuerySet[LanguageResult]:
    """Language results (assessments): the own organisation's, and other organisations' while
    a consent naming the actor's organisation covers assessments. Each row carries
    ``shared_consent_id``/``shared_organisation_id``: the consent a shared row is read under."""
    qs = LanguageResult.objects.filter(enrollment__in=enrollments_for(actor, part=Part.ASSESSMENTS))
    if filters.get("enrollment"):
        qs = qs.filter(enrollment_id=filters["enrollment"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("updated_since"):
        qs = qs.filter(updated_at__gte=filters["updated_since"])
    return _shared_annotations(actor, qs).select_related("enrollment__partner").order_by("pk")


def internships(*, actor: Any, filters: dict[str, Any]) -> QuerySet[Placement]:
    """Internships of the enrollments whose record the actor sees (the owning organisation's
    record part: never shared by consent), through ``placements.selectors.placement_list``."""
    qs = placement_list(
        actor=actor,
        state=filters.get("state", ""),
        outcome=filters.get("outcome", ""),
        workplace_id=filters.get("workplace"),
    )
    if filters.get("enrollment"):
        qs = qs.filter(enrollment_id=filters["enrollment"])
    if filters.get("start_from"):
        qs = qs.filter(start_date__gte=filters["start_from"])
    if filters.get("start_to"):
        qs = qs.filter(start_date__lte=filters["start_to"])
    # Only what the answer and its log rows need (not the person's registry data).
    return (
        qs.select_related(None)
        .select_related("workplace", "enrollment__partner")
        .annotate(visit_count=Count("visits"))
        .order_by("pk")
    )


def workplaces(*, actor: Any, filters: dict[str, Any]) -> QuerySet[Workplace]:
    """Visible workplaces with ``placement_count`` and ``job_count`` (scoped counts, see
    ``placements.selectors.workplace_list``), oldest id first."""
    qs = workplace_list(actor=actor, query=(filters.get("q") or "").strip())
    if filters.get("programme"):
        qs = qs.filter(programme_id=filters["programme"])
    return qs.order_by("pk")
