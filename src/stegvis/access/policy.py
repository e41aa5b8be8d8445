"""The one access layer: every read of participant data starts here.

- ``enrollments_for`` / ``participants_for`` give the querysets an actor may see for a part.
- ``get_for_actor`` fetches one object through those querysets, writes the read to the audit
  log (fail closed: no log row, no data) and raises 404 for both "missing" and "not yours".
- ``can_write`` answers whether the actor may change a part of an enrollment.

Own organisation: staff see their units' enrollments, partner coordinators their
organisation's, every part. Other organisations: only while an active consent of the
participant names their organisation and covers the part (``_shared_filter``); then read-only,
except the plan when the consent says they take part in it. Programme managers and analysts
see aggregates only (``stegvis.reporting``).
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

# Parts only the owning organisation ever sees.
OWN_ONLY_PARTS = frozenset({Part.RECORD, Part.AUDIT})


def _own_filter(scope: Scope) -> Q:
    q = Q(pk__in=[])
    if scope.staff_unit_ids:
        q |= Q(unit_id__in=scope.staff_unit_ids)
    if scope.coordinator_partner_ids:
        q |= Q(partner_id__in=scope.coordinator_partner_ids)
    return q


def _consents_for(scope: Scope, part: str) -> QuerySet[Any] | None:
    """Active consents naming one of the actor's organisations and covering the part."""
    from stegvis.consents.models import SHAREABLE_PARTS, active_consents

    if not scope.record_org_ids or part in OWN_ONLY_PARTS:
        return None
    consents = active_consents().filter(organisations__in=scope.record_org_ids)
    field = SHAREABLE_PARTS.get(Part(part))
    if field is not None:
        consents = consents.filter(**{field: True})
    # Part.OVERVIEW: any active consent lets the organisation recognise the person.
    return consents


def _shared_filter(scope: Scope, part: str) -> Q:
    consents = _consents_for(scope, part)
    if consents is None:
        return Q(pk__in=[])
    return Q(Exists(consents.filter(enrollment_id=OuterRef("pk"))))


def enrollments_for(actor: Any, *, part: str = Part.RECORD) -> QuerySet[Enrollment]:
    scope = scope_for(actor)
    if not scope.has_record_access:
        return Enrollment.objects.none()
    return Enrollment.objects.filter(_own_filter(scope) | _shared_filter(scope, part))


def shared_enrollments_for(actor: Any, *, part: str = Part.OVERVIEW) -> QuerySet[Enrollment]:
    """Enrollments of other organisations shared with the actor's ("shared with us")."""
    scope = scope_for(actor)
    if not scope.has_record_access:
        return Enrollment.objects.none()
    return Enrollment.objects.filter(_shared_filter(scope, part)).exclude(_own_filter(scope))


def participants_for(actor: Any, *, part: str = Part.RECORD) -> QuerySet[Participant]:
    visible = enrollments_for(actor, part=part).filter(participant_id=OuterRef("pk"))
    return Participant.objects.filter(Exists(visible))


def is_own(actor: Any, enrollment: Enrollment) -> bool:
    scope = scope_for(actor)
    return (
        enrollment.unit_id in scope.staff_unit_ids
        or enrollment.partner_id in scope.coordinator_partner_ids
    )


def consent_used(actor: Any, enrollment: Enrollment, part: str) -> int | None:
    """The consent a cross-organisation access relies on (None for own access or none)."""
    if is_own(actor, enrollment):
        return None
    consents = _consents_for(scope_for(actor), part)
    if consents is None:
        return None
    return consents.filter(enrollment_id=enrollment.pk).values_list("pk", flat=True).first()


def can_read(actor: Any, enrollment: Enrollment, part: str) -> bool:
    """Whether the actor may read a part of an enrollment (to offer a link; pages fetch through
    ``get_for_actor``, which decides again and logs)."""
    if is_own(actor, enrollment):
        return True
    return enrollments_for(actor, part=part).filter(pk=enrollment.pk).exists()


def can_write(actor: Any, enrollment: Enrollment, part: str = Part.RECORD) -> bool:
    """Own organisation writes every part; a consented one only a plan it takes part in."""
    if is_own(actor, enrollment):
        return True
    if part != Part.PLAN:
        return False
    consents = _consents_for(scope_for(actor), Part.PLAN)
    return bool(
        consents is not None
        and consents.filter(enrollment_id=enrollment.pk, takes_part_in_plan=True).exists()
    )


def can_edit_enrollment(actor: Any, enrollment: Enrollment) -> bool:
    return is_own(actor, enrollment)


def acting_organisation_id(actor: Any, enrollment: Enrollment | None) -> int | None:
    """The organisation the actor acts for when touching this enrollment."""
    scope = scope_for(actor)
    if enrollment is not None:
        if enrollment.unit_id in scope.unit_orgs:
            return scope.unit_orgs[enrollment.unit_id]
        organisation_id = enrollment.unit.organisation_id
        if organisation_id in scope.organisation_ids:
            return organisation_id
        if len(scope.record_org_ids) > 1:
            # Shared access: the actor's organisation that a consent names.
            from stegvis.consents.models import active_consents

            named = (
                active_consents()
                .filter(enrollment_id=enrollment.pk, organisations__in=scope.record_org_ids)
                .values_list("organisations", flat=True)
            )
            for organisation in named:
                if organisation in scope.record_org_ids:
                    return organisation
    if len(scope.record_org_ids) == 1:
        return next(iter(scope.record_org_ids))
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
    """Let get_for_actor fetch another kind of participant data (used by the other apps).

    ``queryset(actor, part)`` must start from ``enrollments_for(actor, part=part)``.
    """
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

    The read is written to the access log before the object is returned, citing the consent
    it relied on when the object belongs to another organisation; if that write fails the
    exception propagates and nothing is shown.
    """
    scoped = _REGISTRY[model]
    try:
        obj = scoped.queryset(actor, part).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        raise Http404 from None
    if log:
        log_read(actor=actor, obj=obj, part=part, action=action)
    return obj


def log_read(*, actor: Any, obj: models.Model, part: str, action: str = Action.VIEW) -> None:
    scoped = _REGISTRY[type(obj)]
    enrollment = scoped.enrollment_of(obj)
    log_event(
        actor=actor,
        action=action,
        part=part,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=scoped.participant_id_of(obj),
        enrollment_id=enrollment.pk if enrollment else None,
        obj=obj,
        consent_id=consent_used(actor, enrollment, part) if enrollment else None,
    )
