"""A number on a report, linked to the list of enrollments behind it."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

FIELDS = {
    "numerator": "numerator",
    "population": "denominator",
    "missing": "missing",
    "ineligible": "excluded_ineligible",
    "unknown": "excluded_unknown",
}


def _fewer_than_five() -> str:
    return format_html(
        '<abbr title="{}">&lt;5</abbr>', _("Fewer than 5: small numbers are not shown")
    )


@register.simple_tag(takes_context=True)
def drill(context: dict[str, Any], result: Any, part: str = "numerator") -> str:
    if result is None:
        return "–"
    if result.suppressed and part in {"numerator", "population", "missing"}:
        return _fewer_than_five()
    value = getattr(result, FIELDS[part])
    if value is None:
        if part == "numerator" and not result.indicator.available:
            return format_html("<span>{}</span>", _("no data yet"))
        return _fewer_than_five()
    if not value:
        return "0"
    if result.indicator.counts == "entity":
        return str(value)  # organisations: no list of enrollments behind it
    programme = context["programme"]
    query = context.get("filter_query", "")
    url = reverse("reporting:numbers", args=[programme.pk])
    label = _("%(count)s: show the enrollments behind %(title)s") % {
        "count": value,
        "title": result.indicator.title,
    }
    return format_html(
        '<a href="{}?code={}&amp;part={}{}" aria-label="{}">{}</a>',
        url,
        result.code,
        part,
        f"&{query}" if query else "",
        label,
        value,
    )


@register.simple_tag
def share(result: Any) -> str:
    if result is None or result.share is None:
        return "–"
    return f"{result.percent} %"
