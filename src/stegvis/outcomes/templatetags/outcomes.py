"""Tags for exits: ``{% exit_summary enrollment %}`` (the participant page includes
``outcomes/_exit_summary.html``, which calls it) and ``{% exit_facts exit %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from stegvis.access.policy import is_own

from .. import selectors
from ..models import Exit

register = template.Library()


@register.inclusion_tag("outcomes/_exit_card.html", takes_context=True)
def exit_summary(context: template.Context, enrollment: Any) -> dict[str, Any]:
    """The exit and follow-up card. For the owning organisation's page only (the caller has
    fetched the enrollment through the access layer with Part.RECORD)."""
    request = context.get("request")
    return {
        "enrollment": enrollment,
        "exit": selectors.exit_of(enrollment),
        "follow_up": selectors.follow_up_of(enrollment),
        "can_record": request is not None and is_own(request.user, enrollment),
    }


@register.inclusion_tag("outcomes/_exit_facts.html")
def exit_facts(exit: Exit) -> dict[str, Any]:
    return {
        "exit": exit,
        "exit_flags": [
            label
            for flag, label in (
                (exit.job_seeking, _("engaged in job searching")),
                (exit.in_education, _("in education or training")),
                (exit.gained_qualification, _("gained a qualification")),
                (exit.in_employment, _("in employment")),
            )
            if flag
        ],
    }
