"""``{% language_results_section enrollment %}``: the language levels section of the
participant page (``languagelevels/_summary.html`` is included there and calls it)."""

from __future__ import annotations

from typing import Any

from django import template

from stegvis.access.models import Part
from stegvis.access.policy import can_write

from .. import selectors
from ..forms import LanguageResultForm

register = template.Library()

# The section lists the latest few; the history page has them all.
LATEST = 5


@register.inclusion_tag("languagelevels/_section.html", takes_context=True)
def language_results_section(context: template.Context, enrollment: Any) -> dict[str, Any]:
    """For the owning organisation's participant page (the caller fetched the enrollment
    through the access layer and logged the read)."""
    request = context["request"]
    results = list(selectors.results_of(actor=request.user, enrollment=enrollment))
    writable = can_write(request.user, enrollment, Part.ASSESSMENTS)
    return {
        "enrollment": enrollment,
        "latest": results[::-1][:LATEST],
        "total": len(results),
        "series": selectors.history(results),
        "form": LanguageResultForm(auto_id="lr_%s") if writable else None,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
    }
