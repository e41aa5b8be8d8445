"""Aggregates for roles without record access: counted in the database, small counts suppressed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from stegvis.access.scope import scope_for
from stegvis.organisations.models import Partner, Programme
from stegvis.participants.eligibility import Eligibility
from stegvis.participants.models import Enrollment, EnrollmentStatus, Gender

# Counts from 1 to this limit are not shown to viewers without record access.
SUPPRESSION_LIMIT = 4


@dataclass(frozen=True)
class Count_:
    value: int
    suppressed: bool

    def __str__(self) -> str:
        return "<5" if self.suppressed else str(self.value)


def suppress(value: int, *, record_access: bool) -> Count_:
    hidden = not record_access and 0 < value <= SUPPRESSION_LIMIT
    return Count_(value=0 if hidden else value, suppressed=hidden)


def aggregate_programmes_for(actor: Any) -> QuerySet[Programme]:
    scope = scope_for(actor)
    return Programme.objects.filter(pk__in=scope.aggregate_programme_ids).select_related("owner")


@dataclass(frozen=True)
class PartnerRow:
    partner: Partner
    enrolled: Count_
    active: Count_
    women: Count_
    men: Count_
    committed: int | None


@dataclass(frozen=True)
class ProgrammeOverview:
    programme: Programme
    enrolled: int
    active: int
    ineligible: int
    unknown_eligibility: int
    partners: list[PartnerRow]


def programme_overview(*, actor: Any, programme: Programme) -> ProgrammeOverview:
    """Enrollment counts per partner, eligible enrollments only; ineligible shown apart."""
    scope = scope_for(actor)
    if programme.pk not in scope.aggregate_programme_ids:
        raise PermissionError("not an aggregate viewer of this programme")
    eligible = Q(enrollments__eligibility=Eligibility.ELIGIBLE)
    partners = (
        Partner.objects.filter(programme=programme)
        .select_related("organisation")
        .annotate(
            # People, not enrollments: someone enrolled twice is one participant.
            n_enrolled=Count("enrollments__participant", filter=eligible, distinct=True),
            n_active=Count(
                "enrollments", filter=eligible & Q(enrollments__status=EnrollmentStatus.ACTIVE)
            ),
            n_women=Count(
                "enrollments", filter=eligible & Q(enrollments__participant__gender=Gender.WOMAN)
            ),
            n_men=Count(
                "enrollments", filter=eligible & Q(enrollments__participant__gender=Gender.MAN)
            ),
        )
        .order_by("organisation__name")
    )
    totals = Enrollment.objects.filter(programme=programme).aggregate(
        enrolled=Count("participant", filter=Q(eligibility=Eligibility.ELIGIBLE), distinct=True),
        active=Count(
            "pk", filter=Q(eligibility=Eligibility.ELIGIBLE, status=EnrollmentStatus.ACTIVE)
        ),
        ineligible=Count("pk", filter=Q(eligibility=Eligibility.INELIGIBLE)),
        unknown=Count("pk", filter=Q(eligibility=Eligibility.UNKNOWN)),
    )
    record_access = False  # aggregate views never show small counts, whoever looks
    rows = [
        PartnerRow(
            partner=partner,
            enrolled=suppress(partner.n_enrolled, record_access=record_access),
            active=suppress(partner.n_active, record_access=record_access),
            women=suppress(partner.n_women, record_access=record_access),
            men=suppress(partner.n_men, record_access=record_access),
            committed=partner.committed_participants,
        )
        for partner in partners
    ]
    return ProgrammeOverview(
        programme=programme,
        enrolled=totals["enrolled"],
        active=totals["active"],
        ineligible=totals["ineligible"],
        unknown_eligibility=totals["unknown"],
        partners=rows,
    )
