"""Reads of plans and check-ins.

Functions taking ``enrollment`` expect one fetched through ``access.policy.get_for_actor`` (which
checked the part and logged the read); everything else starts from ``enrollments_for``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from stegvis.access.audit import log_event
from stegvis.access.models import Action, Part
from stegvis.access.policy import acting_organisation_id, consent_used, enrollments_for, is_own
from stegvis.access.scope import RECORD_ROLES, scope_for
from stegvis.consents.models import SHAREABLE_PARTS, active_consents
from stegvis.organisations.models import Organisation
from stegvis.participants.models import Enrollment

from .models import AgreedAction, CheckIn, Goal, GoalStatus, Plan, PlanStatus

RECENTLY_DONE_DAYS = 30


def visible_parts(actor: Any, enrollment: Enrollment) -> frozenset[str]:
    """Which of the plan and check-ins the actor may open for this enrollment (for the tabs).

    No query for the own organisation; one for a consented one.
    """
    if is_own(actor, enrollment):
        return frozenset({Part.RECORD, Part.PLAN, Part.CHECKINS})
    covered = active_consents().filter(
        enrollment_id=enrollment.pk, organisations__in=scope_for(actor).record_org_ids
    )
    parts = set()
    for covers_plan, covers_checkins in covered.values_list("covers_plan", "covers_checkins"):
        if covers_plan:
            parts.add(Part.PLAN)
        if covers_checkins:
            parts.add(Part.CHECKINS)
    return frozenset(parts)


# Plans ------------------------------------------------------------------------------------------


def plan_versions(*, enrollment: Enrollment) -> QuerySet[Plan]:
    """All versions, newest first, with goal counts (for the version list)."""
    return (
        enrollment.plans.select_related("agreed_by")
        .annotate(goal_count=Count("goals"))
        .order_by("-version")
    )


def _with_rows(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    return plans.select_related("agreed_by", "created_by").prefetch_related(
        "goals",
        "activities__organisation",
        "activities__responsible_user",
    )


def current_plan(*, enrollment: Enrollment) -> Plan | None:
    """The newest version (the draft, when one is being edited), with goals and activities."""
    return _with_rows(enrollment.plans.order_by("-version")).first()


def latest_agreed_plan(*, enrollment: Enrollment) -> Plan | None:
    return _with_rows(
        enrollment.plans.filter(status=PlanStatus.AGREED).order_by("-version")
    ).first()


def draft_plan(*, enrollment: Enrollment) -> Plan | None:
    return _with_rows(enrollment.plans.filter(status=PlanStatus.DRAFT)).first()


def plan_version(*, enrollment: Enrollment, plan_id: int) -> Plan:
    """One version of this enrollment's plan, or 404 (the id is scoped to the enrollment)."""
    plan = _with_rows(enrollment.plans.filter(pk=plan_id)).first()
    if plan is None:
        raise Http404
    return plan


def plan_for_print(*, enrollment: Enrollment, version: int | None) -> Plan:
    """The version asked for, else the latest agreed one, else the draft; or 404."""
    plans = enrollment.plans.all()
    if version is not None:
        plans = plans.filter(version=version)
    else:
        # Agreed before draft, then newest first.
        plans = plans.annotate(
            agreed_first=Case(
                When(status=PlanStatus.AGREED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("agreed_first", "-version")
    plan = _with_rows(plans).first()
    if plan is None:
        raise Http404
    return plan


def log_plan_print(*, actor: Any, enrollment: Enrollment, plan: Plan) -> None:
    """Log the printing of a plan version (before it is rendered), as get_for_actor logs reads."""
    log_event(
        actor=actor,
        action=Action.PRINT,
        part=Part.PLAN,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=plan,
        consent_id=consent_used(actor, enrollment, Part.PLAN),
        summary=f"version {plan.version}",
    )


@dataclass(frozen=True)
class PlanSummary:
    """For the participant page: where the plan stands, without its content."""

    version: int
    status: str
    status_label: str
    has_draft: bool
    agreed_version: int | None
    agreed_on: datetime.date | None
    goals: int
    goals_reached: int
    next_target_date: datetime.date | None


def plan_summary(actor: Any, enrollment: Enrollment) -> PlanSummary | None:
    """The plan's state for the participant page, or None (no plan, or the actor may not see it).

    Two queries. It shows no plan content (no goal texts), so it writes no access-log row of
    its own: the page it appears on has logged its read of the enrollment.
    """
    visible = enrollments_for(actor, part=Part.PLAN).filter(pk=enrollment.pk)
    today = timezone.localdate()
    plans = list(
        Plan.objects.filter(enrollment__in=visible)
        .annotate(
            goal_count=Count("goals", distinct=True),
            reached_count=Count("goals", filter=Q(goals__status=GoalStatus.REACHED), distinct=True),
        )
        .order_by("-version")
        .values("pk", "version", "status", "agreed_on", "goal_count", "reached_count")
    )
    if not plans:
        return None
    latest = plans[0]
    agreed = next((plan for plan in plans if plan["status"] == PlanStatus.AGREED), None)
    shown = agreed or latest
    next_target = (
        Goal.objects.filter(
            plan_id=shown["pk"],
            target_date__gte=today,
            status__in=[GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS],
        )
        .order_by("target_date")
        .values_list("target_date", flat=True)
        .first()
    )
    return PlanSummary(
        version=latest["version"],
        status=latest["status"],
        status_label=str(PlanStatus(latest["status"]).label),
        has_draft=latest["status"] == PlanStatus.DRAFT,
        agreed_version=agreed["version"] if agreed else None,
        agreed_on=agreed["agreed_on"] if agreed else None,
        goals=shown["goal_count"],
        goals_reached=shown["reached_count"],
        next_target_date=next_target,
    )


# Choices for the forms ---------------------------------------------------------------------------


def _consented_organisation_ids(enrollment: Enrollment, part: str) -> QuerySet[Any]:
    consents = active_consents().filter(enrollment=enrollment)
    covers = SHAREABLE_PARTS.get(Part(part))
    if covers is not None:
        consents = consents.filter(**{covers: True})
    return consents.values("organisations")


def organisation_choices(*, enrollment: Enrollment) -> QuerySet[Organisation]:
    """The programme's partner organisations and those the participant's consents name."""
    return (
        Organisation.objects.filter(
            Q(partnerships__programme_id=enrollment.programme_id)
            | Q(pk__in=active_consents().filter(enrollment=enrollment).values("organisations"))
        )
        .distinct()
        .order_by("name")
    )


def staff_choices(*, enrollment: Enrollment, part: str) -> QuerySet[Any]:
    """People who work with this participant's data for the part: staff and coordinators of the
    owning organisation and of organisations a consent covering the part names."""
    organisations = Q(memberships__unit__organisation_id=enrollment.unit.organisation_id) | Q(
        memberships__unit__organisation_id__in=_consented_organisation_ids(enrollment, part)
    )
    return (
        get_user_model()
        .objects.filter(
            organisations,
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=RECORD_ROLES,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# Check-ins ---------------------------------------------------------------------------------------


def checkin_list(*, enrollment: Enrollment) -> QuerySet[CheckIn]:
    return (
        enrollment.checkins.annotate(
            action_count=Count("actions", distinct=True),
            open_action_count=Count(
                "actions", filter=Q(actions__done_at__isnull=True), distinct=True
            ),
        )
        .prefetch_related("organisations")
        .order_by("-held_on", "-pk")
    )


def checkin_detail(*, enrollment: Enrollment, checkin_id: int) -> CheckIn:
    """One check-in of this enrollment with its people and actions, or 404."""
    checkin = (
        enrollment.checkins.filter(pk=checkin_id)
        .select_related("created_by")
        .prefetch_related(
            "staff",
            "organisations",
            "actions__owner_user",
            "actions__owner_organisation",
            "actions__done_by",
        )
        .first()
    )
    if checkin is None:
        raise Http404
    return checkin


def checkin_action(*, enrollment: Enrollment, checkin_id: int, action_id: int) -> AgreedAction:
    action = (
        AgreedAction.objects.filter(
            pk=action_id, checkin_id=checkin_id, checkin__enrollment_id=enrollment.pk
        )
        .select_related("checkin")
        .first()
    )
    if action is None:
        raise Http404
    return action


# My actions --------------------------------------------------------------------------------------

OVERDUE, UPCOMING, DONE = 0, 1, 2


def my_actions(*, actor: Any) -> QuerySet[AgreedAction]:
    """The actor's actions: overdue (oldest first), upcoming (soonest first), then those done
    in the last 30 days (latest first).

    Only actions on enrollments whose check-ins the actor may see now: when a consent ends, the
    actions assigned to its people disappear from their list with the participant's name.
    Each row carries ``bucket`` (OVERDUE, UPCOMING or DONE).
    """
    if not scope_for(actor).has_record_access:
        return AgreedAction.objects.none()
    today = timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=RECENTLY_DONE_DAYS)
    return (
        AgreedAction.objects.filter(
            Q(done_at__isnull=True) | Q(done_at__gte=since),
            owner_user=actor,
            checkin__enrollment__in=enrollments_for(actor, part=Part.CHECKINS),
        )
        .annotate(
            bucket=Case(
                When(done_at__isnull=False, then=Value(DONE)),
                When(due_on__lt=today, then=Value(OVERDUE)),
                default=Value(UPCOMING),
                output_field=IntegerField(),
            ),
            open_due=Case(
                When(done_at__isnull=True, then="due_on"),
                default=Value(None),
                output_field=DateField(),
            ),
        )
        .select_related(
            "checkin__enrollment__participant",
            "checkin__enrollment__partner__organisation",
            "owner_organisation",
        )
        .order_by("bucket", "open_due", F("done_at").desc(nulls_last=True), "pk")
    )


@dataclass(frozen=True)
class ActionCounts:
    overdue: int
    due_this_week: int


def open_action_counts(actor: Any) -> ActionCounts:
    """The actor's open actions that are overdue, and due from today to Sunday (one query)."""
    if not scope_for(actor).has_record_access:
        return ActionCounts(overdue=0, due_this_week=0)
    today = timezone.localdate()
    sunday = today + datetime.timedelta(days=6 - today.weekday())
    counts = AgreedAction.objects.filter(
        owner_user=actor,
        done_at__isnull=True,
        checkin__enrollment__in=enrollments_for(actor, part=Part.CHECKINS),
    ).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        due_this_week=Count("pk", filter=Q(due_on__gte=today, due_on__lte=sunday)),
    )
    return ActionCounts(overdue=counts["overdue"], due_this_week=counts["due_this_week"])


@dataclass(frozen=True)
class CheckInSummary:
    count: int
    latest: datetime.date | None
    open_actions: int


def checkin_summary(actor: Any, enrollment: Enrollment) -> CheckInSummary | None:
    """Check-ins at a glance for the participant page, or None when the actor may not see them."""
    visible = enrollments_for(actor, part=Part.CHECKINS).filter(pk=enrollment.pk)
    if not visible.exists():
        return None
    counts = CheckIn.objects.filter(enrollment_id=enrollment.pk).aggregate(
        count=Count("pk", distinct=True),
        open_actions=Count("actions", filter=Q(actions__done_at__isnull=True)),
    )
    latest = (
        CheckIn.objects.filter(enrollment_id=enrollment.pk)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    return CheckInSummary(count=counts["count"], latest=latest, open_actions=counts["open_actions"])
