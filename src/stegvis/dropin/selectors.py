"""Reads of drop-in visits: counts per unit, topic and month, in the database.

Staff see their own units, coordinators every unit of their organisation. Counts of anonymous
and linked visits are aggregates (no names); a linked visit is listed with its participant only
through ``enrollments_for``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from stegvis.access.models import Part
from stegvis.access.policy import enrollments_for, register
from stegvis.access.scope import scope_for
from stegvis.organisations.models import Unit
from stegvis.participants.models import Enrollment

from .models import DropInVisit, Topic


def units_for_dropin(actor: Any) -> QuerySet[Unit]:
    """Units the actor registers drop-in visits for: own units as staff, all as coordinator."""
    scope = scope_for(actor)
    return (
        Unit.objects.filter(
            Q(pk__in=scope.staff_unit_ids) | Q(organisation_id__in=scope.coordinator_org_ids)
        )
        .select_related("organisation")
        .order_by("organisation__name", "name", "pk")
    )


@dataclass(frozen=True)
class TopicRow:
    topic: str
    label: str
    anonymous: int
    linked: int

    @property
    def total(self) -> int:
        return self.anonymous + self.linked


@dataclass(frozen=True)
class Summary:
    rows: list[TopicRow]
    anonymous: int
    linked: int
    registrations: int

    @property
    def total(self) -> int:
        return self.anonymous + self.linked


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following


def visit_summary(*, unit: Unit, start: datetime.date, end: datetime.date) -> Summary:
    """Visitors per topic at one unit from ``start`` up to (not including) ``end``: one query."""
    counts = {
        row["topic"]: row
        for row in DropInVisit.objects.filter(unit=unit, visit_date__gte=start, visit_date__lt=end)
        .values("topic")
        .annotate(
            anonymous=Sum("visitors", filter=Q(enrollment__isnull=True), default=0),
            linked=Count("pk", filter=Q(enrollment__isnull=False)),
            registrations=Count("pk"),
        )
        .order_by()
    }
    rows = [
        TopicRow(
            topic=topic.value,
            label=str(topic.label),
            anonymous=counts.get(topic.value, {}).get("anonymous", 0),
            linked=counts.get(topic.value, {}).get("linked", 0),
        )
        for topic in Topic
    ]
    return Summary(
        rows=rows,
        anonymous=sum(row.anonymous for row in rows),
        linked=sum(row.linked for row in rows),
        registrations=sum(row["registrations"] for row in counts.values()),
    )


def visits_of(*, actor: Any, enrollment: Enrollment) -> QuerySet[DropInVisit]:
    """An enrollment's drop-in visits (empty unless the actor may see its record)."""
    return DropInVisit.objects.filter(
        enrollment=enrollment, enrollment__in=enrollments_for(actor, part=Part.RECORD)
    ).select_related("unit")


def register_with_access_layer() -> None:
    # Visits linked to a participant are the owning organisation's record part.
    register(
        DropInVisit,
        queryset=lambda actor, part: DropInVisit.objects.filter(
            enrollment__in=enrollments_for(actor, part=Part.RECORD)
        ).select_related("enrollment"),
        enrollment_of=lambda obj: obj.enrollment,
        participant_id_of=lambda obj: obj.enrollment.participant_id,
    )
