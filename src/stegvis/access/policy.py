"""The one access layer: every read of participant data starts here.

- ``enrollments_for`` / ``participants_for`` give the querysets an actor may see for a part.
- ``get_for_actor`` fetches one object through those querysets, writes the read to the audit
  log (fail closed: no log row, no data) and raises 404 for both "missing" and "not yours".

Own-organisation access: staff see their units' enrollments, partner coordinators their
organisation's. Programme managers and analysts see aggregates only (see ``aggregates``).
Consent-based sharing with other organisations plugs in at ``_shared_filter``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from stegvis.participants.models import Enrollment, Participant

from .audit import log_event
from .models import Action, Part
from .scope import Scope, scope_for

M = TypeVar("M", bound=models.Model)


def _own_filter(scope: Scope, part: str) -> Q:
    q = Q(pk__in=[])
    if scope.staff_unit_ids:
        q |= Q(unit_id__in=scope.staff_unit_ids)
    if scope.coordinator_partner_ids:
        q |= Q(partner_id__in=scope.coordinator_partner_ids)
    return q


def _shared_filter(scope: Scope, part: str) -> Q:
    """Enrollments another organisation shares with the actor's by the participant's consent.

    Nothing yet: consent records arrive with the collaboration features. Keeping the hook
    here means views and selectors need no change when they do.
    """
    return Q(pk__in=[])


def enrollments_for(actor: Any, *, part: str = Part.RECORD) -> QuerySet[Enrollment]:
    scope = scope_for(actor)
    if not scope.has_record_access:
        return Enrollment.objects.none()
    return Enrollment.objects.filter(_own_filter(scope, part) | _shared_filter(scope, part))


def participants_for(actor: Any, *, part: str = Part.RECORD) -> QuerySet[Participant]:
    visible = enrollments_for(actor, part=part).filter(participant_id=OuterRef("pk"))
    return Participant.objects.filter(Exists(visible))


def can_edit_enrollment(actor: Any, enrollment: Enrollment) -> bool:
    scope = scope_for(actor)
    return (
        enrollment.unit_id in scope.staff_unit_ids
        or enrollment.partner_id in scope.coordinator_partner_ids
    )


def acting_organisation_id(actor: Any, enrollment: Enrollment | None) -> int | None:
    """The organisation the actor acts for when touching this enrollment."""
    scope = scope_for(actor)
    if enrollment is not None:
        if enrollment.unit_id in scope.unit_orgs:
            return scope.unit_orgs[enrollment.unit_id]
        organisation_id = enrollment.unit.organisation_id
        if organisation_id in scope.organisation_ids:
            return organisation_id
    if len(scope.organisation_ids) == 1:
        return next(iter(scope.organisation_ids))
    return None


@dataclass(frozen=True)
class _Scoped:
    queryset: Callable[[Any, str], QuerySet[Any]]
    # The enrollment (or participant) an object belongs to, for the audit row.
    enrollment_of: Callable[[Any], Enrollment | None]
    participant_id_of: Callable[[Any], int | None]


_REGISTRY: dict[type[models.Model], _Scoped] = {}


def register(
    model: type[models.Model],
    *,
    queryset: Callable[[Any, str], QuerySet[Any]],
    enrollment_of: Callable[[Any], Enrollment | None],
    participant_id_of: Callable[[Any], int | None],
) -> None:
    """Let get_for_actor fetch a new kind of participant data (used by later apps)."""
    _REGISTRY[model] = _Scoped(queryset, enrollment_of, participant_id_of)


register(
    Enrollment,
    queryset=lambda actor, part: enrollments_for(actor, part=part).select_related(
        "participant", "programme", "partner__organisation", "unit__organisation", "track"
    ),
    enrollment_of=lambda obj: obj,
    participant_id_of=lambda obj: obj.participant_id,
)
register(
    Participant,
    queryset=lambda actor, part: participants_for(actor, part=part),
    enrollment_of=lambda obj: None,
    participant_id_of=lambda obj: obj.pk,
)


def scoped_queryset(model: type[M], *, actor: Any, part: str = Part.RECORD) -> QuerySet[M]:
    return _REGISTRY[model].queryset(actor, part)


def get_for_actor(
    model: type[M],
    *,
    actor: Any,
    pk: Any,
    part: str = Part.RECORD,
    action: str = Action.VIEW,
    log: bool = True,
) -> M:
    """Fetch one object the actor may see, or raise Http404 (same for missing and not yours).

    The read is written to the access log before the object is returned; if that write
    fails the exception propagates and nothing is shown.
    """
    scoped = _REGISTRY[model]
    try:
        obj = scoped.queryset(actor, part).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        raise Http404 from None
    if log:
        enrollment = scoped.enrollment_of(obj)
        log_event(
            actor=actor,
            action=action,
            part=part,
            organisation_id=acting_organisation_id(actor, enrollment),
            participant_id=scoped.participant_id_of(obj),
            enrollment_id=enrollment.pk if enrollment else None,
            obj=obj,
        )
    return obj
