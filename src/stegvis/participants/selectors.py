"""Reads of participant data. Every function starts from the access layer's scoped querysets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from stegvis.access.models import Part
from stegvis.access.policy import enrollments_for, participants_for
from stegvis.access.scope import scope_for
from stegvis.organisations.models import Partner, Programme, Track, Unit

from .models import Enrollment, EnrollmentStatus, Participant
from .services import name_key


@dataclass(frozen=True)
class EnrollmentFilters:
    q: str = ""
    programme: Programme | None = None
    partner: Partner | None = None
    unit: Unit | None = None
    track: Track | None = None
    status: str = ""
    eligibility: str = ""
    gender: str = ""
    possible_duplicates: bool = False


def _duplicate_exists() -> Exists:
    return Exists(
        Participant.objects.filter(
            name_key=OuterRef("participant__name_key"),
            birth_date=OuterRef("participant__birth_date"),
        ).exclude(pk=OuterRef("participant_id"))
    )


def enrollment_list(*, actor: Any, filters: EnrollmentFilters) -> QuerySet[Enrollment]:
    """The participant list: enrollments the actor may see, searched and filtered.

    Search: digits search the identity number (12 or 10 digits, with or without dash),
    anything else the name. Each row carries ``possible_duplicate``.
    """
    qs = enrollments_for(actor, part=Part.RECORD)
    text = filters.q.strip()
    if text:
        compact = re.sub(r"[\s+-]", "", text)
        if compact.isdigit() and len(compact) >= 6:
            # 12 digits match exactly; 10 (YYMMDDNNNC) or fewer match the end or a part.
            if len(compact) == 12:
                qs = qs.filter(participant__identity_number=compact)
            elif len(compact) == 10:
                qs = qs.filter(participant__identity_number__endswith=compact)
            else:
                qs = qs.filter(participant__identity_number__contains=compact)
        else:
            for word in name_key(text, "").split():
                qs = qs.filter(participant__name_key__contains=word)
    if filters.programme:
        qs = qs.filter(programme=filters.programme)
    if filters.partner:
        qs = qs.filter(partner=filters.partner)
    if filters.unit:
        qs = qs.filter(unit=filters.unit)
    if filters.track:
        qs = qs.filter(track=filters.track)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.eligibility:
        qs = qs.filter(eligibility=filters.eligibility)
    if filters.gender:
        qs = qs.filter(participant__gender=filters.gender)
    qs = qs.annotate(possible_duplicate=_duplicate_exists())
    if filters.possible_duplicates:
        qs = qs.filter(possible_duplicate=True)
    return qs.select_related(
        "participant", "programme", "partner__organisation", "unit", "track"
    ).order_by("participant__last_name", "participant__first_name", "pk")


def filter_choices(*, actor: Any) -> dict[str, QuerySet[Any]]:
    """Programmes, partners, units and tracks the actor works in, for the list's filters."""
    scope = scope_for(actor)
    partners = Partner.objects.filter(
        Q(pk__in=scope.coordinator_partner_ids) | Q(organisation__units__in=scope.staff_unit_ids)
    ).distinct()
    units = Unit.objects.filter(
        Q(pk__in=scope.staff_unit_ids) | Q(organisation_id__in=scope.coordinator_org_ids)
    ).select_related("organisation")
    programmes = Programme.objects.filter(partners__in=partners).distinct()
    tracks = Track.objects.filter(programme__in=programmes).select_related("programme")
    return {
        "programmes": programmes,
        "partners": partners.select_related("organisation", "programme"),
        "units": units,
        "tracks": tracks,
    }


def enrollment_options(*, actor: Any) -> QuerySet[Unit]:
    """Units the actor may enrol participants in: own units as staff, all units as coordinator."""
    scope = scope_for(actor)
    return Unit.objects.filter(
        Q(pk__in=scope.staff_unit_ids) | Q(organisation_id__in=scope.coordinator_org_ids)
    ).select_related("organisation")


def partners_for_enrollment(*, actor: Any) -> QuerySet[Partner]:
    scope = scope_for(actor)
    return (
        Partner.objects.filter(
            Q(pk__in=scope.coordinator_partner_ids)
            | Q(organisation__units__in=scope.staff_unit_ids)
        )
        .distinct()
        .select_related("organisation", "programme")
    )


def other_enrollments(*, actor: Any, enrollment: Enrollment) -> QuerySet[Enrollment]:
    """The same person's other enrollments, as far as the actor may see them."""
    return (
        enrollments_for(actor, part=Part.RECORD)
        .filter(participant_id=enrollment.participant_id)
        .exclude(pk=enrollment.pk)
        .select_related("programme", "partner__organisation", "unit")
        .order_by("-start_date")
    )


@dataclass(frozen=True)
class DuplicateHint:
    count: int
    visible: list[Enrollment]


def possible_duplicates(*, actor: Any, participant: Participant) -> DuplicateHint:
    """Other people in the registry with the same name and birth date.

    The count covers the whole registry (so the flag is honest); links only to those the
    actor may see.
    """
    others = Participant.objects.filter(
        name_key=participant.name_key, birth_date=participant.birth_date
    ).exclude(pk=participant.pk)
    count = others.count()
    visible: list[Enrollment] = []
    if count:
        visible = list(
            enrollments_for(actor)
            .filter(participant__in=others)
            .select_related("participant", "partner__organisation")[:10]
        )
    return DuplicateHint(count=count, visible=visible)


def enrollment_with_active_duplicate(
    *, actor: Any, identity_number: str, programme: Programme
) -> Enrollment | None:
    """The visible active enrollment with this identity number in the programme, if any."""
    return (
        enrollments_for(actor)
        .filter(
            participant__identity_number=identity_number,
            programme=programme,
            status=EnrollmentStatus.ACTIVE,
        )
        .first()
    )


@dataclass(frozen=True)
class Caseload:
    active: int
    exited: int
    ineligible: int
    unknown_eligibility: int


def caseload_summary(*, actor: Any) -> Caseload:
    counts = enrollments_for(actor).aggregate(
        active=Count("pk", filter=Q(status=EnrollmentStatus.ACTIVE)),
        exited=Count("pk", filter=Q(status=EnrollmentStatus.EXITED)),
        ineligible=Count("pk", filter=Q(eligibility="ineligible")),
        unknown=Count("pk", filter=Q(eligibility="unknown")),
    )
    return Caseload(
        active=counts["active"],
        exited=counts["exited"],
        ineligible=counts["ineligible"],
        unknown_eligibility=counts["unknown"],
    )


def recent_enrollments(*, actor: Any, limit: int = 8) -> list[Enrollment]:
    return list(
        enrollments_for(actor)
        .select_related("participant", "partner__organisation", "unit")
        .order_by("-created_at", "-pk")[:limit]
    )


__all__ = ["participants_for"]
