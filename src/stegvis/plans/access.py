"""Plans and check-ins in the access layer, so ``get_for_actor(Plan | CheckIn, ...)`` works.

The pages fetch the enrollment and then its plans and check-ins through it; the registration is
for other callers (the API, reports) that start from a plan or check-in id.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stegvis.access import policy
from stegvis.access.models import Part


def _plans(actor: Any, part: str) -> QuerySet[Any]:
    from .models import Plan

    if part != Part.PLAN:
        return Plan.objects.none()
    return Plan.objects.filter(
        enrollment__in=policy.enrollments_for(actor, part=part)
    ).select_related("enrollment")


def _checkins(actor: Any, part: str) -> QuerySet[Any]:
    from .models import CheckIn

    if part != Part.CHECKINS:
        return CheckIn.objects.none()
    return CheckIn.objects.filter(
        enrollment__in=policy.enrollments_for(actor, part=part)
    ).select_related("enrollment")


def register_models() -> None:
    from .models import CheckIn, Plan

    # A plan is fetched with part=Part.PLAN, a check-in with Part.CHECKINS; any other part
    # finds nothing (fail closed).
    policy.register(
        Plan,
        queryset=_plans,
        enrollment_of=lambda obj: obj.enrollment,
        participant_id_of=lambda obj: obj.enrollment.participant_id,
    )
    policy.register(
        CheckIn,
        queryset=_checkins,
        enrollment_of=lambda obj: obj.enrollment,
        participant_id_of=lambda obj: obj.enrollment.participant_id,
    )
