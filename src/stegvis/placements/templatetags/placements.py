"""``{% participant_placements enrollment %}``: the internships card of the participant page."""

from __future__ import annotations

from typing import Any

from django import template

from stegvis.access.policy import is_own

from .. import selectors

register = template.Library()


@register.inclusion_tag("placements/_participant_card.html", takes_context=True)
def participant_placements(context: template.Context, enrollment: Any) -> dict[str, Any]:
    """For the owning organisation's page (the enrollment was fetched with Part.RECORD)."""
    request = context.get("request")
    user = request.user if request is not None else None
    return {
        "enrollment": enrollment,
        "placements": list(selectors.placements_of(actor=user, enrollment=enrollment)),
        "can_write": user is not None and is_own(user, enrollment),
    }
