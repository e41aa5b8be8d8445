"""Access-log rows for API reads: one row per record returned, written in one statement.

A list answer returns many records at once, so unlike the UI's list (names only, a click
away from the record) each returned record is a read of that record and is logged as one.
Every row names the token (its prefix) the script used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from rest_framework.request import Request

from stegvis.access.audit import log_event
from stegvis.access.models import AccessEvent, Action, Part
from stegvis.access.policy import acting_organisation_id, consent_used
from stegvis.access.scope import scope_for
from stegvis.participants.models import Enrollment

from .models import ApiToken


def via(request: Request) -> str:
    token = request.auth
    if isinstance(token, ApiToken):
        return f"API token {token.prefix}"
    return "API"


def own_organisation_id(actor: Any, enrollment: Enrollment) -> int | None:
    """The actor's organisation owning this enrollment (no query: partner is loaded)."""
    scope = scope_for(actor)
    if enrollment.unit_id in scope.unit_orgs:
        return scope.unit_orgs[enrollment.unit_id]
    if enrollment.partner_id in scope.coordinator_partner_ids:
        return enrollment.partner.organisation_id
    return None


def log_rows(
    request: Request,
    objects: Iterable[models.Model],
    *,
    enrollment_of: Callable[[Any], Enrollment],
    part: str = Part.RECORD,
    consent_of: Callable[[Any], tuple[int | None, int | None]] | None = None,
) -> None:
    """Log a read of each object. ``consent_of(obj)`` gives (organisation, consent) for
    records shared by consent; own records name the owning organisation of the actor."""
    actor = request.user
    name = actor.get_username()[:200]
    summary = via(request)
    events = []
    for obj in objects:
        enrollment = enrollment_of(obj)
        organisation_id, consent_id = (
            consent_of(obj) if consent_of else (own_organisation_id(actor, enrollment), None)
        )
        events.append(
            AccessEvent(
                actor=actor,
                actor_name=name,
                organisation_id=organisation_id,
                action=Action.VIEW,
                part=part,
                participant_id=enrollment.participant_id,
                enrollment_id=enrollment.pk,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                consent_id=consent_id,
                summary=summary,
            )
        )
    if events:
        AccessEvent.objects.bulk_create(events)


def log_detail(
    request: Request, obj: models.Model, *, enrollment: Enrollment, part: str = Part.RECORD
) -> None:
    """One record read, like ``access.policy.log_read`` (acting organisation, the consent
    relied on), plus the token used."""
    actor = request.user
    log_event(
        actor=actor,
        action=Action.VIEW,
        part=part,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=obj,
        consent_id=consent_used(actor, enrollment, part),
        summary=via(request),
    )
