"""Plans and check-ins made by hand for the tests (dates relative to today)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from stegvis.plans.models import (
    AgreedAction,
    CheckIn,
    Goal,
    Plan,
    PlannedActivity,
    PlanStatus,
)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def make_plan(enrollment, *, version=1, agreed=True, goals=("Learn Swedish to SFI C",), by=None):
    plan = Plan.objects.create(
        enrollment=enrollment,
        version=version,
        status=PlanStatus.AGREED if agreed else PlanStatus.DRAFT,
        agreed_on=days(-3) if agreed else None,
        conversation_language="prs",
        interpreter_used=True,
        interpreter_language="prs",
        agreed_by=by,
        created_by=by,
    )
    for position, text in enumerate(goals):
        Goal.objects.create(plan=plan, text=text, target_date=days(60), position=position)
    PlannedActivity.objects.create(
        plan=plan,
        what="Internship at a school kitchen",
        organisation=enrollment.unit.organisation,
        responsible_name="Amal",
        starts_on=days(10),
        ends_on=days(40),
    )
    return plan


def make_checkin(enrollment, *, by, held_on=None, actions=()):
    """actions: (what, owner_user, owner_organisation, due_on[, done_at])."""
    checkin = CheckIn.objects.create(
        enrollment=enrollment, held_on=held_on or days(-1), summary="We met.", created_by=by
    )
    for position, (what, owner, organisation, due_on, *done) in enumerate(actions):
        AgreedAction.objects.create(
            checkin=checkin,
            what=what,
            owner_user=owner,
            owner_organisation=organisation,
            due_on=due_on,
            done_at=done[0] if done else None,
            position=position,
        )
    return checkin
