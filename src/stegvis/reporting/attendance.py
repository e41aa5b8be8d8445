"""Attendance on the dashboards: rates and hours per partner, activity type and funder category.

A selector: the enrollments come from the dashboards' scoping (``indicators.enrollments_in_scope``,
the same as every other number on the page), the counting rule from ``activities.figures``
(cancelled and future sessions do not count, only sessions inside the participation; rate =
present / (present + absent); unmarked counted sessions are "not registered").

Counted like the indicators: eligible enrollments only, erroneous registrations removed.
Viewers without record access see a group of 1–4 participants as "<5" with none of its
figures: a rate or a number of hours of so few people describes individuals. Marks and hours
add up to the total row, so hiding one small row is not enough (total minus the others gives
it back): ``rows_to_hide`` also hides the figures of the next smallest rows of the table until the
hidden rows hold at least 5 participants between them.

Queries: a fixed number whatever the number of participants, sessions or marks (two for the
figures per partner × type, rolled up; one per grouping for people and sessions held, which do
not add up; two for names).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.timezone import localdate

from stegvis.activities import figures as rule
from stegvis.activities.figures import Figures, Reach
from stegvis.activities.models import ActivityType, FunderCategory, Participation
from stegvis.organisations.models import Partner, Programme, Track
from stegvis.outcomes.models import ExitType

from .indicators import ELIGIBLE, Period, enrollments_in_scope
from .selectors import SUPPRESSION_LIMIT, Count_, suppress

PARTNER = "enrollment__partner"
TYPE = "activity__activity_type"
CATEGORY = "activity__activity_type__funder_category"


@dataclass(frozen=True)
class AttendanceRow:
    label: str
    participants: Count_
    sessions: int | None  # None: hidden
    figures: Figures | None  # None: hidden (a small group, or to protect one)

    @property
    def suppressed(self) -> bool:
        return self.participants.suppressed

    @property
    def hidden(self) -> bool:
        return self.figures is None


@dataclass(frozen=True)
class AttendanceOverview:
    by_partner: list[AttendanceRow]
    by_type: list[AttendanceRow]
    by_category: list[AttendanceRow]
    total: AttendanceRow
    record_access: bool
    since: datetime.date | None  # first day counted (None: from the start)
    until: datetime.date  # last day counted: today, or the period's end if earlier


def _row(
    label: str, reach: Reach | None, figures: Figures | None, *, record_access: bool, hide: bool
) -> AttendanceRow:
    reach = reach or Reach()
    participants = suppress(reach.participants, record_access=record_access)
    if hide or participants.suppressed:
        return AttendanceRow(label, participants, None, None)
    return AttendanceRow(label, participants, reach.sessions, figures or Figures())


def rows_to_hide(people: list[int], *, record_access: bool) -> set[int]:
    """Which rows of one table (their participant counts, in order) show no figures.

    Rows of 1–4 participants; and, since the rows add up to a shown total, while the hidden
    rows hold fewer than 5 participants between them the smallest shown row is hidden too
    (complementary suppression: otherwise total minus the others gives a small row back).
    Nothing for viewers with record access."""
    if record_access:
        return set()
    hidden = {i for i, n in enumerate(people) if 0 < n <= SUPPRESSION_LIMIT}
    while hidden and sum(people[i] for i in hidden) <= SUPPRESSION_LIMIT:
        shown = [i for i, n in enumerate(people) if i not in hidden and n > 0]
        if not shown:
            break
        hidden.add(min(shown, key=lambda i: (people[i], i)))
    return hidden


def attendance_overview(
    *,
    actor: Any,
    programme: Programme,
    partner: Partner | None = None,
    track: Track | None = None,
    period: Period | None = None,
    today: datetime.date | None = None,
) -> AttendanceOverview:
    """Attendance of the programme's participants the actor may count (all of the programme
    for aggregate viewers, suppressed below 5; their own for record roles, not suppressed),
    optionally of one partner or track and within a period. Raises ``NotAllowed``."""
    enrollments, record_access = enrollments_in_scope(
        actor=actor, programme=programme, partner=partner, track=track
    )
    enrollments = enrollments.filter(ELIGIBLE).exclude(exit__exit_type=ExitType.ERRONEOUS)
    until = today or localdate()
    since = None
    if period is not None:
        until = min(until, period.end)
        since = period.start if period.start != datetime.date.min else None
    participations = rule.overlapping(
        Participation.objects.filter(
            enrollment__in=enrollments.values("pk"), activity__partner__programme=programme
        ),
        today=until,
        since=since,
    )

    groups = rule.figures_by(participations, key=(PARTNER, TYPE), today=until, since=since)
    by_partner, by_type = rule.rollup(groups, 0), rule.rollup(groups, 1)

    def reach(key: str | None) -> dict[Any, Reach]:
        return rule.reach_by(participations, key=key, today=until, since=since)

    reach_partner, reach_type, reach_category = reach(PARTNER), reach(TYPE), reach(CATEGORY)

    partners = Partner.objects.filter(programme=programme).select_related("organisation")
    if partner is not None:
        partners = partners.filter(pk=partner.pk)
    elif record_access:
        # Record roles see the partners whose participants they count, no others.
        partners = partners.filter(pk__in=list(reach_partner))
    types = {t.pk: t for t in ActivityType.objects.filter(pk__in=list(reach_type))}
    by_category: dict[str, Figures] = {}
    for type_id, figures in by_type.items():
        category = types[type_id].funder_category
        by_category[category] = by_category.get(category, Figures()) + figures

    partner_names = {p.pk: p.organisation.name for p in partners.order_by("organisation__name")}
    type_names = {k: types[k].name for k in sorted(reach_type, key=lambda k: types[k].name)}
    categories = dict(FunderCategory.choices)
    category_names = {k: str(categories.get(k, k)) for k in reach_category}
    category_names = dict(sorted(category_names.items(), key=lambda item: item[1]))

    def table(
        names: dict[Any, str], reached: dict[Any, Reach], found: dict[Any, Figures]
    ) -> list[AttendanceRow]:
        people = [reached.get(k, Reach()).participants for k in names]
        hide = rows_to_hide(people, record_access=record_access)
        return [
            _row(name, reached.get(k), found.get(k), record_access=record_access, hide=i in hide)
            for i, (k, name) in enumerate(names.items())
        ]

    return AttendanceOverview(
        by_partner=table(partner_names, reach_partner, by_partner),
        by_type=table(type_names, reach_type, by_type),
        by_category=table(category_names, reach_category, by_category),
        total=_row(
            "",
            reach(None).get(None),
            rule.overall(groups),
            record_access=record_access,
            hide=False,
        ),
        record_access=record_access,
        since=since,
        until=until,
    )
