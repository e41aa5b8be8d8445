"""Attendance rates and hours, counted in the database.

The counting rule (also in docs/architecture.md):

- A session *counts* for a participant when it is not cancelled, is on or before today, and
  falls inside their participation (start ≤ date ≤ end; no end: still taking part). A late
  joiner is not expected at sessions before their start, an early leaver not after their end.
- Marks on cancelled sessions or outside the participation are ignored (they can remain after
  a session is cancelled or a participation's dates change), never counted.
- **Rate** = present / (present + absent). An excused absence is left out of the denominator:
  the participant had a valid reason and is not penalised.
- A counted session without a mark is **not registered**: shown as its own number and left
  out of the rate, never silently counted as present or absent.
- **Hours** are the hours of present marks only (absent and excused marks carry no hours).

A period narrows the rule, never changes it: ``since`` drops sessions before the period's first
day and ``today`` is the earlier of today and the period's last day (``overlapping`` keeps the
participations that touch the period at all).

Everything is computed with COUNT/SUM … FILTER, grouped in the database; Python only turns the
few grouped rows into ``Figures``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from .models import Attendance, AttendanceStatus, Participation, Session

ZERO_HOURS = Decimal("0.00")


@dataclass(frozen=True)
class Figures:
    expected: int = 0
    present: int = 0
    absent: int = 0
    excused: int = 0
    hours: Decimal = ZERO_HOURS

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.expected + other.expected,
            self.present + other.present,
            self.absent + other.absent,
            self.excused + other.excused,
            self.hours + other.hours,
        )

    @property
    def marked(self) -> int:
        return self.present + self.absent + self.excused

    @property
    def not_registered(self) -> int:
        return max(self.expected - self.marked, 0)

    @property
    def rate(self) -> float | None:
        """Share present of present + absent, 0–100; None when there is nothing to divide."""
        base = self.present + self.absent
        return None if base == 0 else round(100 * self.present / base, 1)


def counted_marks(
    today: datetime.date, prefix: str = "", *, since: datetime.date | None = None
) -> Q:
    """Marks that count: session not cancelled, not in the future, inside the participation
    (and on or after ``since``, the first day of a period)."""
    p = prefix
    q = Q(
        **{
            f"{p}session__cancelled": False,
            f"{p}session__date__lte": today,
            f"{p}session__date__gte": F(f"{p}participation__start_date"),
        }
    ) & (
        Q(**{f"{p}participation__end_date__isnull": True})
        | Q(**{f"{p}session__date__lte": F(f"{p}participation__end_date")})
    )
    if since is not None:
        q &= Q(**{f"{p}session__date__gte": since})
    return q


def counted_sessions(today: datetime.date, *, since: datetime.date | None = None) -> Q:
    """From a participation to the sessions that count for it (``activity__sessions``)."""
    s = "activity__sessions__"
    q = Q(**{f"{s}cancelled": False, f"{s}date__lte": today, f"{s}date__gte": F("start_date")}) & (
        Q(end_date__isnull=True) | Q(**{f"{s}date__lte": F("end_date")})
    )
    if since is not None:
        q &= Q(**{f"{s}date__gte": since})
    return q


def overlapping(
    participations: QuerySet[Participation],
    *,
    today: datetime.date,
    since: datetime.date | None = None,
) -> QuerySet[Participation]:
    """Participations under way at some time between ``since`` and ``today``: started by
    ``today`` and not ended before ``since``. (Others have no counted sessions anyway; this
    decides who counts as a participant of the period.)"""
    qs = participations.filter(start_date__lte=today)
    if since is not None:
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
    return qs


def _mark_counts(
    prefix: str, today: datetime.date, since: datetime.date | None = None
) -> dict[str, Any]:
    """COUNT/SUM … FILTER expressions over attendance rows reached through ``prefix``."""
    counted = counted_marks(today, prefix, since=since)
    status = f"{prefix}status"
    target = f"{prefix}pk" if prefix else "pk"
    return {
        "present": Count(target, filter=counted & Q(**{status: AttendanceStatus.PRESENT})),
        "absent": Count(target, filter=counted & Q(**{status: AttendanceStatus.ABSENT})),
        "excused": Count(target, filter=counted & Q(**{status: AttendanceStatus.EXCUSED})),
        "hours_present": Coalesce(
            Sum(f"{prefix}hours", filter=counted & Q(**{status: AttendanceStatus.PRESENT})),
            Value(ZERO_HOURS),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        ),
    }


def with_figures(
    participations: QuerySet[Participation], *, today: datetime.date
) -> QuerySet[Participation]:
    """Each participation with ``expected``, ``present``, ``absent``, ``excused``,
    ``hours_present`` annotated (one query; counted sessions in a correlated subquery so the
    attendance join is not multiplied)."""
    expected = (
        Session.objects.filter(
            activity_id=OuterRef("activity_id"),
            cancelled=False,
            date__lte=today,
            date__gte=OuterRef("start_date"),
        )
        .filter(date__lte=Coalesce(OuterRef("end_date"), Value(today)))
        .order_by()
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return participations.annotate(
        expected=Coalesce(Subquery(expected, output_field=IntegerField()), Value(0)),
        **_mark_counts("attendances__", today),
    )


def figures_of(obj: Any) -> Figures:
    """Figures from a row annotated by ``with_figures`` (or a grouped dict)."""
    get = obj.get if isinstance(obj, dict) else lambda name: getattr(obj, name, 0)
    return Figures(
        expected=get("expected") or 0,
        present=get("present") or 0,
        absent=get("absent") or 0,
        excused=get("excused") or 0,
        hours=Decimal(get("hours_present") or ZERO_HOURS).quantize(ZERO_HOURS),
    )


def figures_by(
    participations: QuerySet[Participation],
    *,
    key: str | tuple[str, ...],
    today: datetime.date,
    since: datetime.date | None = None,
) -> dict[Any, Figures]:
    """Figures grouped by one or more participation fields (``activity``,
    ``activity__activity_type``, ``activity__partner``, ``enrollment``, ``pk``): two grouped
    queries, merged per group. With several fields the dict is keyed by tuples."""
    keys = (key,) if isinstance(key, str) else key
    in_period = counted_sessions(today, since=since)
    names = [f"g{i}" for i in range(len(keys))]
    groups = {name: F(field) for name, field in zip(names, keys, strict=True)}
    expected = {
        tuple(row[name] for name in names): row["n"]
        for row in participations.order_by()
        .values(**groups)
        .annotate(n=Count("activity__sessions", filter=in_period))
    }
    marks = {}
    for row in (
        Attendance.objects.filter(participation__in=participations.values("pk"))
        .order_by()
        .values(
            **{name: F(f"participation__{field}") for name, field in zip(names, keys, strict=True)}
        )
        .annotate(**_mark_counts("", today, since))
    ):
        marks[tuple(row.pop(name) for name in names)] = row
    result = {
        group: figures_of({"expected": expected.get(group, 0), **marks.get(group, {})})
        for group in expected.keys() | marks.keys()
    }
    if isinstance(key, str):
        return {group[0]: figures for group, figures in result.items()}
    return result


def rollup(groups: dict[tuple[Any, ...], Figures], position: int) -> dict[Any, Figures]:
    """Sum grouped figures over one part of their key: every count and hour is additive, so
    partner or type totals follow from the (partner, type) groups without another scan."""
    result: dict[Any, Figures] = {}
    for group, figures in groups.items():
        result[group[position]] = result.get(group[position], Figures()) + figures
    return result


def overall(groups: dict[Any, Figures]) -> Figures:
    return sum(groups.values(), Figures())


def totals(
    participations: QuerySet[Participation],
    *,
    today: datetime.date,
    since: datetime.date | None = None,
) -> Figures:
    in_period = counted_sessions(today, since=since)
    expected = participations.order_by().aggregate(n=Count("activity__sessions", filter=in_period))[
        "n"
    ]
    marks = (
        Attendance.objects.filter(participation__in=participations.values("pk"))
        .order_by()
        .aggregate(**_mark_counts("", today, since))
    )
    return figures_of({"expected": expected, **marks})


@dataclass(frozen=True)
class Reach:
    """Who and what a group of figures is about. Not additive (one person can be in several
    groups), so each grouping is counted on its own rather than rolled up."""

    participants: int = 0  # distinct people with a participation in the group
    sessions: int = 0  # distinct sessions held that counted for someone in the group


def reach_by(
    participations: QuerySet[Participation],
    *,
    key: str | None,
    today: datetime.date,
    since: datetime.date | None = None,
) -> dict[Any, Reach]:
    """People and sessions held per group of one participation field, in one grouped query;
    ``key=None`` gives the whole set under the key ``None``."""
    counts = {
        "participants": Count("enrollment__participant", distinct=True),
        "sessions": Count(
            "activity__sessions", filter=counted_sessions(today, since=since), distinct=True
        ),
    }
    qs = participations.order_by()
    if key is None:
        row = qs.aggregate(**counts)
        return {None: Reach(row["participants"], row["sessions"])}
    return {
        row["g"]: Reach(row["participants"], row["sessions"])
        for row in qs.values(g=F(key)).annotate(**counts)
    }
