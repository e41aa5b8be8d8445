"""Writes to plans and check-ins. Each is atomic, checks the actor may write, and audits.

Who may write:
- the plan: the own organisation, and an organisation whose active consent covers the plan and
  says it takes part in it (``access.policy.can_write`` decides);
- check-ins: the own organisation only;
- marking an agreed action done: the own organisation, and, as a narrow exception, the action's
  owner in another organisation while a consent lets them read the check-ins (``may_mark_done``).

Plan content is not registry data: the audit rows name what changed, never the text itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access.audit import log_event
from stegvis.access.models import Action, Part
from stegvis.access.policy import (
    acting_organisation_id,
    can_write,
    consent_used,
    enrollments_for,
    is_own,
)
from stegvis.access.scope import scope_for
from stegvis.organisations.models import Organisation
from stegvis.participants.models import Enrollment

from .models import AgreedAction, CheckIn, Goal, Plan, PlannedActivity, PlanStatus

GOAL_FIELDS = ("text", "target_date", "status")
ACTIVITY_FIELDS = (
    "what",
    "organisation",
    "responsible_user",
    "responsible_name",
    "starts_on",
    "ends_on",
)


class PlanConflict(ValidationError):
    """Someone else started or agreed a version while this one was being edited."""


@dataclass(frozen=True)
class GoalInput:
    text: str
    target_date: datetime.date | None = None
    status: str = "not_started"
    # The goal being changed (None for a new one); it must belong to the draft.
    pk: int | None = None
    delete: bool = False


@dataclass(frozen=True)
class ActivityInput:
    what: str
    organisation: Organisation | None = None
    responsible_user: Any = None
    responsible_name: str = ""
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    pk: int | None = None
    delete: bool = False


@dataclass(frozen=True)
class ActionInput:
    what: str
    owner_organisation: Organisation
    due_on: datetime.date
    owner_user: Any = None


@dataclass(frozen=True)
class CheckInInput:
    held_on: datetime.date
    participant_present: bool = True
    staff: Sequence[Any] = ()
    external_attendees: str = ""
    organisations: Sequence[Organisation] = ()
    interpreter_used: bool = False
    interpreter_language: str = ""
    summary: str = ""


def _require_plan_write(actor: Any, enrollment: Enrollment) -> None:
    if not can_write(actor, enrollment, Part.PLAN):
        raise PermissionDenied(_("You cannot change this plan."))


def _lock(enrollment: Enrollment) -> None:
    """Serialise plan writes of one enrollment (a no-op on SQLite, which locks the database)."""
    list(Enrollment.objects.select_for_update().filter(pk=enrollment.pk).values_list("pk"))


def _log(
    *,
    actor: Any,
    enrollment: Enrollment,
    part: str,
    action: str,
    obj: Any,
    changes: dict[str, Any] | None = None,
    summary: str = "",
) -> None:
    log_event(
        actor=actor,
        action=action,
        part=part,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=obj,
        changes=changes,
        consent_id=consent_used(actor, enrollment, part),
        summary=summary,
    )


@dataclass
class _Tally:
    added: int = 0
    changed: int = 0
    removed: int = 0

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def __str__(self) -> str:
        return f"+{self.added} ~{self.changed} -{self.removed}"


def _same(obj: Any, name: str, new: Any) -> bool:
    field = obj._meta.get_field(name)
    if field.is_relation:
        # Compare ids, without fetching the related row.
        return bool(getattr(obj, field.attname) == (new.pk if new is not None else None))
    return bool(getattr(obj, name) == new)


def _apply_rows(
    *,
    existing: dict[int, Any],
    rows: Sequence[GoalInput] | Sequence[ActivityInput],
    fields: tuple[str, ...],
    create: Any,
) -> _Tally:
    tally = _Tally()
    position = 0
    for row in rows:
        if row.pk is not None:
            obj = existing.get(row.pk)
            if obj is None:
                # Not a row of this draft: refuse rather than touch another plan's data.
                raise PlanConflict(_("The plan was changed meanwhile. Open it again."))
            if row.delete:
                obj.delete()
                tally.removed += 1
                continue
            changed = [name for name in fields if not _same(obj, name, getattr(row, name))]
            if obj.position != position:
                changed.append("position")
            if changed:
                for name in fields:
                    setattr(obj, name, getattr(row, name))
                obj.position = position
                obj.save(update_fields=changed)
                tally.changed += 1
        elif row.delete:
            continue
        else:
            create(position=position, **{name: getattr(row, name) for name in fields})
            tally.added += 1
        position += 1
    return tally


@transaction.atomic
def plan_draft_save(
    *,
    actor: Any,
    enrollment: Enrollment,
    expected_draft_id: int | None,
    goals: Sequence[GoalInput],
    activities: Sequence[ActivityInput],
) -> Plan:
    """Save the draft's goals and activities; start the draft (version N+1) if there is none.

    ``expected_draft_id`` is the draft the form was shown for (None: the form was prefilled
    from the latest agreed version). If another user has started or agreed a version since,
    nothing is saved and PlanConflict is raised.
    """
    _require_plan_write(actor, enrollment)
    _lock(enrollment)
    draft = enrollment.plans.filter(status=PlanStatus.DRAFT).first()
    if (draft.pk if draft else None) != expected_draft_id:
        raise PlanConflict(_("Someone else changed the plan meanwhile. Open it again."))
    created = draft is None
    if draft is None:
        rows: list[GoalInput | ActivityInput] = [*goals, *activities]
        if all(row.delete for row in rows):
            raise ValidationError(_("Write at least one goal."))
        latest = enrollment.plans.aggregate(latest=Max("version"))["latest"] or 0
        based_on = enrollment.plans.filter(version=latest).first()
        draft = Plan.objects.create(
            enrollment=enrollment,
            version=latest + 1,
            based_on=based_on,
            created_by=actor,
            conversation_language=based_on.conversation_language if based_on else "",
        )
    goal_tally = _apply_rows(
        existing={goal.pk: goal for goal in draft.goals.all()},
        rows=goals,
        fields=GOAL_FIELDS,
        create=lambda **values: Goal.objects.create(plan=draft, **values),
    )
    activity_tally = _apply_rows(
        existing={activity.pk: activity for activity in draft.activities.all()},
        rows=activities,
        fields=ACTIVITY_FIELDS,
        create=lambda **values: PlannedActivity.objects.create(plan=draft, **values),
    )
    if created or goal_tally or activity_tally:
        if not created:
            draft.save(update_fields=["updated_at"])
        changes: dict[str, Any] = {}
        if goal_tally:
            changes["goals"] = None
        if activity_tally:
            changes["activities"] = None
        _log(
            actor=actor,
            enrollment=enrollment,
            part=Part.PLAN,
            action=Action.CREATE if created else Action.UPDATE,
            obj=draft,
            changes=changes,
            summary=f"version {draft.version}: goals {goal_tally}, activities {activity_tally}",
        )
    return draft


@transaction.atomic
def plan_agree(
    *,
    actor: Any,
    enrollment: Enrollment,
    draft_id: int,
    agreed_on: datetime.date,
    interpreter_used: bool,
    interpreter_language: str = "",
    conversation_language: str = "",
) -> Plan:
    """Freeze the draft as the agreed version: from now on it is only read and printed."""
    _require_plan_write(actor, enrollment)
    _lock(enrollment)
    draft = enrollment.plans.filter(status=PlanStatus.DRAFT).first()
    if draft is None or draft.pk != draft_id:
        raise PlanConflict(_("Someone else changed the plan meanwhile. Open it again."))
    if not draft.goals.exists():
        raise ValidationError(_("Write at least one goal before the plan is agreed."))
    if agreed_on > timezone.localdate():
        raise ValidationError({"agreed_on": _("The date cannot be in the future.")})
    if interpreter_used and not interpreter_language:
        raise ValidationError({"interpreter_language": _("Choose the interpreter's language.")})
    draft.status = PlanStatus.AGREED
    draft.agreed_on = agreed_on
    draft.interpreter_used = interpreter_used
    draft.interpreter_language = interpreter_language if interpreter_used else ""
    draft.conversation_language = conversation_language
    draft.agreed_by = actor
    draft.agreed_at = timezone.now()
    draft.save(
        update_fields=[
            "status",
            "agreed_on",
            "interpreter_used",
            "interpreter_language",
            "conversation_language",
            "agreed_by",
            "agreed_at",
            "updated_at",
        ]
    )
    _log(
        actor=actor,
        enrollment=enrollment,
        part=Part.PLAN,
        action=Action.UPDATE,
        obj=draft,
        changes={
            "status": [PlanStatus.DRAFT.value, PlanStatus.AGREED.value],
            "agreed_on": [None, agreed_on.isoformat()],
            "interpreter_used": [None, interpreter_used],
            "conversation_language": [None, conversation_language],
        },
        summary=f"version {draft.version} agreed",
    )
    return draft


@transaction.atomic
def checkin_create(
    *,
    actor: Any,
    enrollment: Enrollment,
    checkin: CheckInInput,
    actions: Sequence[ActionInput] = (),
) -> CheckIn:
    """Record a check-in and its agreed actions. Only the own organisation records them."""
    if not can_write(actor, enrollment, Part.CHECKINS):
        raise PermissionDenied(_("You cannot record check-ins for this participant."))
    if checkin.interpreter_used and not checkin.interpreter_language:
        raise ValidationError({"interpreter_language": _("Choose the interpreter's language.")})
    record = CheckIn.objects.create(
        enrollment=enrollment,
        held_on=checkin.held_on,
        participant_present=checkin.participant_present,
        external_attendees=checkin.external_attendees,
        interpreter_used=checkin.interpreter_used,
        interpreter_language=checkin.interpreter_language if checkin.interpreter_used else "",
        summary=checkin.summary,
        created_by=actor,
    )
    record.staff.set(checkin.staff)
    organisations = {organisation.pk for organisation in checkin.organisations}
    # The organisations owning actions took part, whether or not the form said so.
    organisations |= {action.owner_organisation.pk for action in actions}
    record.organisations.set(organisations)
    AgreedAction.objects.bulk_create(
        AgreedAction(
            checkin=record,
            what=action.what,
            owner_user=action.owner_user,
            owner_organisation=action.owner_organisation,
            due_on=action.due_on,
            position=position,
        )
        for position, action in enumerate(actions)
    )
    _log(
        actor=actor,
        enrollment=enrollment,
        part=Part.CHECKINS,
        action=Action.CREATE,
        obj=record,
        changes={"held_on": checkin.held_on.isoformat(), "actions": len(actions)},
        summary=f"{len(actions)} actions",
    )
    return record


def may_mark_done(actor: Any, enrollment: Enrollment, action: AgreedAction) -> bool:
    """Whether the actor may mark the action done, given they can read the enrollment's check-ins.

    The own organisation may mark any action. Anyone else only their own: assigned to them, or
    assigned to their organisation without a named person. Callers that did not fetch the
    enrollment with Part.CHECKINS must check that too (the service does).
    """
    if is_own(actor, enrollment):
        return True
    if action.owner_user_id is not None:
        return bool(action.owner_user_id == getattr(actor, "pk", None))
    return action.owner_organisation_id in scope_for(actor).record_org_ids


@transaction.atomic
def action_mark_done(*, actor: Any, enrollment: Enrollment, action: AgreedAction) -> bool:
    """Mark an agreed action done. Returns False when it already was."""
    if action.checkin.enrollment_id != enrollment.pk:
        raise PermissionDenied(_("You cannot change this action."))
    readable = enrollments_for(actor, part=Part.CHECKINS).filter(pk=enrollment.pk).exists()
    if not readable or not may_mark_done(actor, enrollment, action):
        raise PermissionDenied(_("You cannot change this action."))
    locked = AgreedAction.objects.select_for_update().get(pk=action.pk)
    if locked.done_at is not None:
        return False
    locked.done_at = timezone.now()
    locked.done_by = actor
    locked.save(update_fields=["done_at", "done_by"])
    action.done_at, action.done_by = locked.done_at, locked.done_by
    _log(
        actor=actor,
        enrollment=enrollment,
        part=Part.CHECKINS,
        action=Action.UPDATE,
        obj=locked,
        changes={"done_at": [None, locked.done_at.isoformat()]},
        summary="action done",
    )
    return True
