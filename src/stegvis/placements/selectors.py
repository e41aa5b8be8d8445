"""Reads of workplaces, internships and visits.

Workplaces are employer data, shared within a programme: staff and coordinators see the
workplaces of the programmes their organisation is a partner in, programme managers and
analysts those of their programmes. The counts next to a workplace are scoped like everything
else: record roles count the internships of the enrollments they may see; aggregate roles
count all of the programme's, with small counts suppressed (``reporting.suppress``).

Internships and visits are participant data: they start from ``enrollments_for``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from stegvis.access.models import Part
from stegvis.access.policy import enrollments_for, register
from stegvis.access.scope import scope_for
from stegvis.activities.models import FunderCategory, Participation
from stegvis.activities.selectors import participations_of
from stegvis.organisations.models import Partner
from stegvis.participants.models import Enrollment

from .models import ENDED_OUTCOMES, Outcome, Placement, PlacementVisit, Workplace


def partners_for_workplaces(actor: Any) -> QuerySet[Partner]:
    """Partnerships the actor works with participants in (staff units' or coordinated)."""
    scope = scope_for(actor)
    staff_orgs = {scope.unit_orgs[unit] for unit in scope.staff_unit_ids}
    return Partner.objects.filter(
        Q(pk__in=scope.coordinator_partner_ids) | Q(organisation_id__in=staff_orgs)
    )


def workplaces_for(actor: Any) -> QuerySet[Workplace]:
    scope = scope_for(actor)
    if scope.has_record_access:
        programmes = partners_for_workplaces(actor).values("programme_id")
        return Workplace.objects.filter(programme_id__in=programmes)
    if scope.has_aggregate_access:
        return Workplace.objects.filter(programme_id__in=scope.aggregate_programme_ids)
    return Workplace.objects.none()


def counts_whole_programme(actor: Any) -> bool:
    """Aggregate roles count every internship of the programme (shown with suppression)."""
    scope = scope_for(actor)
    return not scope.has_record_access and scope.has_aggregate_access


def workplace_list(*, actor: Any, query: str = "") -> QuerySet[Workplace]:
    """Visible workplaces with ``placement_count`` and ``job_count``, counted in the database."""
    if counts_whole_programme(actor):
        counted = Q()
    else:
        counted = Q(placements__enrollment__in=enrollments_for(actor, part=Part.RECORD))
    workplaces = workplaces_for(actor)
    if query:
        workplaces = workplaces.filter(
            Q(name__icontains=query) | Q(organisation_number__startswith=query)
        )
    return (
        workplaces.select_related("programme")
        .annotate(
            placement_count=Count("placements", filter=counted),
            job_count=Count(
                "placements", filter=counted & Q(placements__outcome=Outcome.EMPLOYMENT)
            ),
        )
        .order_by("name", "pk")
    )


def workplace_get(*, actor: Any, workplace_id: int) -> Workplace | None:
    return workplace_list(actor=actor).filter(pk=workplace_id).first()


def placements_for(actor: Any) -> QuerySet[Placement]:
    return Placement.objects.filter(enrollment__in=enrollments_for(actor, part=Part.RECORD))


def placement_list(
    *,
    actor: Any,
    state: str = "",
    outcome: str = "",
    workplace_id: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Placement]:
    """Internships of the enrollments the actor may see, newest first, filtered."""
    placements = placements_for(actor)
    if state == "ongoing":
        placements = placements.exclude(outcome__in=ENDED_OUTCOMES)
    elif state == "ended":
        placements = placements.filter(outcome__in=ENDED_OUTCOMES)
    elif state == "needs_outcome":
        placements = placements.exclude(outcome__in=ENDED_OUTCOMES).filter(
            end_date__lt=today or timezone.localdate()
        )
    if outcome in Outcome.values:
        placements = placements.filter(outcome=outcome)
    if workplace_id is not None:
        placements = placements.filter(workplace_id=workplace_id)
    return placements.select_related(
        "workplace", "enrollment__participant", "enrollment__unit"
    ).order_by("-start_date", "-pk")


def placements_of(*, actor: Any, enrollment: Enrollment) -> QuerySet[Placement]:
    """One enrollment's internships (empty unless the actor may see the enrollment's record)."""
    return (
        placements_for(actor)
        .filter(enrollment=enrollment)
        .select_related("workplace")
        .annotate(visit_count=Count("visits"))
        .order_by("-start_date", "-pk")
    )


def internship_participations(*, actor: Any, enrollment: Enrollment) -> QuerySet[Participation]:
    """The enrollment's internship activities, to link an internship to (access-layer scoped)."""
    return participations_of(actor=actor, enrollment=enrollment).filter(
        activity__activity_type__funder_category=FunderCategory.INTERNSHIP
    )


def visits_of(placement: Placement) -> QuerySet[PlacementVisit]:
    """The visits of an internship fetched through the access layer."""
    return placement.visits.select_related("visited_by").order_by("-visit_date", "-pk")


def is_ongoing(placement: Placement, today: datetime.date) -> bool:
    return not placement.is_over and (placement.end_date is None or placement.end_date >= today)


def register_with_access_layer() -> None:
    # Internships are the owning organisation's record part; never shared by consent.
    register(
        Placement,
        queryset=lambda actor, part: Placement.objects.filter(
            enrollment__in=enrollments_for(actor, part=Part.RECORD)
        ).select_related(
            "workplace",
            "participation__activity",
            "created_by",
            "enrollment__participant",
            "enrollment__programme",
            "enrollment__partner__organisation",
            "enrollment__unit",
        ),
        enrollment_of=lambda obj: obj.enrollment,
        participant_id_of=lambda obj: obj.enrollment.participant_id,
    )
