"""Reads of exits and follow-ups. Enrollments always come from the access layer first."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from stegvis.access.models import Part
from stegvis.access.policy import enrollments_for, register

from .models import Exit, FollowUp

# The due list shows open follow-ups due within this many days, and every overdue one.
DUE_SOON_DAYS = 30


def follow_ups_due(*, actor: Any, today: datetime.date | None = None) -> QuerySet[FollowUp]:
    """Open follow-ups of the actor's own enrollments, due soon or overdue; overdue first."""
    today = today or timezone.localdate()
    return (
        FollowUp.objects.filter(
            enrollment__in=enrollments_for(actor, part=Part.RECORD),
            done_date__isnull=True,
            due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
        )
        .select_related(
            "enrollment__participant",
            "enrollment__partner__organisation",
            "enrollment__unit",
            "enrollment__exit",
        )
        .order_by("due_date", "pk")
    )


def register_with_access_layer() -> None:
    # Exits and follow-ups are part of the own organisation's record; never shared.
    register(
        Exit,
        queryset=lambda actor, part: Exit.objects.filter(
            enrollment__in=enrollments_for(actor, part=Part.RECORD)
        ),
        enrollment_of=lambda obj: obj.enrollment,
        participant_id_of=lambda obj: obj.enrollment.participant_id,
    )
    register(
        FollowUp,
        queryset=lambda actor, part: FollowUp.objects.filter(
            enrollment__in=enrollments_for(actor, part=Part.RECORD)
        ),
        enrollment_of=lambda obj: obj.enrollment,
        participant_id_of=lambda obj: obj.enrollment.participant_id,
    )


def exit_of(enrollment: Any) -> Exit | None:
    """The enrollment's exit (for an enrollment fetched through the access layer)."""
    return Exit.objects.filter(enrollment=enrollment).select_related("recorded_by").first()


def follow_up_of(enrollment: Any) -> FollowUp | None:
    return FollowUp.objects.filter(enrollment=enrollment).select_related("recorded_by").first()
