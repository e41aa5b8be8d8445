"""Reading the access log: coordinators see the log of their partners' participants."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stegvis.participants.models import Enrollment

from .models import AccessEvent, Part
from .scope import scope_for


def _coordinated_participant_ids(actor: Any) -> QuerySet[Enrollment, Any]:
    scope = scope_for(actor)
    return Enrollment.objects.filter(partner_id__in=scope.coordinator_partner_ids).values(
        "participant_id"
    )


def events_for_coordinator(*, actor: Any) -> QuerySet[AccessEvent]:
    """Every logged read or change of a participant enrolled through the actor's partners."""
    scope = scope_for(actor)
    if not scope.coordinator_partner_ids:
        return AccessEvent.objects.none()
    return AccessEvent.objects.filter(
        participant_id__in=_coordinated_participant_ids(actor)
    ).select_related("organisation", "enrollment")


def events_for_participant(*, actor: Any, participant_id: int) -> QuerySet[AccessEvent]:
    return events_for_coordinator(actor=actor).filter(participant_id=participant_id)


def seen_by_events(*, actor: Any, enrollment: Enrollment) -> QuerySet[AccessEvent]:
    """Everything logged about this person's enrollments with the actor's partners.

    Covers every organisation's reads (own staff and consented organisations alike), so the
    participant can see who looked. Bounded to the enrollments the actor coordinates.
    """
    scope = scope_for(actor)
    enrollment_ids = Enrollment.objects.filter(
        participant_id=enrollment.participant_id, partner_id__in=scope.coordinator_partner_ids
    ).values("pk")
    return (
        AccessEvent.objects.filter(enrollment_id__in=enrollment_ids)
        .exclude(part=Part.AUDIT)
        .select_related("actor", "organisation")
        .order_by("-at", "-pk")
    )
