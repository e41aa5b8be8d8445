from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from stegvis.access.models import Part
from stegvis.access.policy import shared_enrollments_for
from stegvis.access.scope import scope_for
from stegvis.organisations.models import Organisation
from stegvis.participants.models import Enrollment

from .models import SHAREABLE_PARTS, Consent, active_consents


def consents_of(enrollment: Enrollment) -> QuerySet[Consent]:
    """All consents of an enrollment the caller already fetched through the access layer."""
    return (
        enrollment.consents.select_related("recorded_by", "withdrawn_by")
        .prefetch_related("organisations")
        .order_by("-recorded_at", "-pk")
    )


def shared_with_us(*, actor: Any) -> QuerySet[Enrollment]:
    """Other organisations' enrollments the actor's organisations may see by consent.

    Each row carries ``consents_for_us``: the active consents naming the actor's organisations.
    """
    scope = scope_for(actor)
    ours = active_consents().filter(organisations__in=scope.record_org_ids).distinct()
    return (
        shared_enrollments_for(actor, part=Part.OVERVIEW)
        .select_related("participant", "programme", "partner__organisation", "unit")
        .prefetch_related(
            Prefetch(
                "consents",
                queryset=ours.prefetch_related("organisations"),
                to_attr="consents_for_us",
            )
        )
        .order_by("participant__last_name", "participant__first_name", "pk")
    )


def shared_parts(*, actor: Any, enrollment: Enrollment) -> dict[str, Any]:
    """Which parts of another organisation's enrollment the actor may see, and write."""
    scope = scope_for(actor)
    consents = list(
        active_consents().filter(enrollment=enrollment, organisations__in=scope.record_org_ids)
    )
    parts = {part for consent in consents for part in consent.parts}
    return {
        "parts": [part for part in SHAREABLE_PARTS if part in parts],
        "takes_part_in_plan": any(c.takes_part_in_plan and c.covers_plan for c in consents),
        "valid_to": max((c.valid_to for c in consents), default=None),
        "consents": consents,
    }


def organisations_to_share_with(*, enrollment: Enrollment) -> QuerySet[Organisation]:
    return Organisation.objects.exclude(pk=enrollment.unit.organisation_id).order_by("name")
