"""``{% participant_dropin enrollment %}``: drop-in visits on the participant page."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Max

from stegvis.access.policy import is_own

from .. import selectors

register = template.Library()


@register.inclusion_tag("dropin/_participant_card.html", takes_context=True)
def participant_dropin(context: template.Context, enrollment: Any) -> dict[str, Any]:
    """For the owning organisation's page (the enrollment was fetched with Part.RECORD)."""
    request = context.get("request")
    user = request.user if request is not None else None
    totals = selectors.visits_of(actor=user, enrollment=enrollment).aggregate(
        count=Count("pk"), last=Max("visit_date")
    )
    return {
        "enrollment": enrollment,
        "count": totals["count"],
        "last": totals["last"],
        "can_write": user is not None and is_own(user, enrollment),
    }
