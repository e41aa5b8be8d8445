"""Writes for drop-in visits.

An anonymous count is not participant data: no access-log row (the visit keeps who registered
it). A visit linked to a participant is their record: the owning organisation only, with the
audit row in the same transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access.audit import log_event
from stegvis.access.models import Action, Part
from stegvis.access.policy import acting_organisation_id, can_write
from stegvis.organisations.models import Unit
from stegvis.participants.models import Enrollment

from .models import MAX_VISITORS, DropInVisit, Topic
from .selectors import units_for_dropin


def _check(errors: dict[str, str], *, actor: Any, unit: Unit, visit_date: Any, topic: str) -> None:
    if not units_for_dropin(actor).filter(pk=unit.pk).exists():
        errors["unit"] = _("You cannot register drop-in visits for this unit.")
    if topic not in Topic.values:
        errors["topic"] = _("Choose a topic.")
    if visit_date > timezone.localdate():
        errors["visit_date"] = _("The date cannot be in the future.")


@transaction.atomic
def dropin_record(
    *, actor: Any, unit: Unit, visit_date: datetime.date, topic: str, visitors: int = 1
) -> DropInVisit:
    """Register ``visitors`` anonymous people who came to the unit's drop-in about a topic."""
    errors: dict[str, str] = {}
    _check(errors, actor=actor, unit=unit, visit_date=visit_date, topic=topic)
    if not 1 <= visitors <= MAX_VISITORS:
        errors["visitors"] = _("The number of visitors must be between 1 and %(max)s.") % {
            "max": MAX_VISITORS
        }
    if errors:
        raise ValidationError(errors)
    return DropInVisit.objects.create(
        unit=unit, visit_date=visit_date, topic=topic, visitors=visitors, registered_by=actor
    )


@transaction.atomic
def dropin_record_for(
    *, actor: Any, enrollment: Enrollment, unit: Unit, visit_date: datetime.date, topic: str
) -> DropInVisit:
    """Register one participant's drop-in visit (counts as one visitor)."""
    if not can_write(actor, enrollment, Part.RECORD):
        raise ValidationError(_("You cannot register visits for this participant."))
    errors: dict[str, str] = {}
    _check(errors, actor=actor, unit=unit, visit_date=visit_date, topic=topic)
    if "unit" not in errors and unit.organisation_id != enrollment.unit.organisation_id:
        errors["unit"] = _("Choose a unit of the organisation the participant is enrolled with.")
    if errors:
        raise ValidationError(errors)
    visit = DropInVisit.objects.create(
        unit=unit,
        visit_date=visit_date,
        topic=topic,
        visitors=1,
        enrollment=enrollment,
        registered_by=actor,
    )
    log_event(
        actor=actor,
        action=Action.CREATE,
        part=Part.RECORD,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=visit,
        changes={
            "visit_date": [None, visit_date.isoformat()],
            "topic": [None, topic],
            "unit": [None, unit.pk],
        },
    )
    return visit
