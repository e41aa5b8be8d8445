"""``{% assessments_summary enrollment %}``: the assessments card on the participant page."""

from __future__ import annotations

from typing import Any

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("progression/_participant_section.html")
def assessments_summary(enrollment: Any) -> dict[str, Any]:
    """For the owning organisation's page (the caller fetched the enrollment through the
    access layer with Part.RECORD, which covers assessments)."""
    return {"enrollment": enrollment, "latest": list(selectors.assessments_of(enrollment)[:5])}
