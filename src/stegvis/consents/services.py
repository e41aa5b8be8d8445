"""Recording and withdrawing consents. Only the organisation that owns the enrollment does it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access.audit import log_event
from stegvis.access.models import Action, Part
from stegvis.access.policy import acting_organisation_id, is_own
from stegvis.organisations.models import Organisation
from stegvis.participants.models import Enrollment

from .models import SHAREABLE_PARTS, Consent


@transaction.atomic
def consent_record(
    *,
    actor: Any,
    enrollment: Enrollment,
    organisations: Iterable[Organisation],
    parts: Iterable[str],
    takes_part_in_plan: bool,
    purpose: str,
    form: str,
    language: str,
    interpreter_used: bool,
    given_on: datetime.date,
    valid_from: datetime.date,
    valid_to: datetime.date,
    document_reference: str = "",
) -> Consent:
    if not is_own(actor, enrollment):
        raise ValidationError(_("Only the participant's own organisation can record a consent."))
    organisations = list(organisations)
    parts = set(parts)
    errors: dict[str, str] = {}
    if not organisations:
        errors["organisations"] = _("Name at least one organisation.")
    elif any(o.pk == enrollment.unit.organisation_id for o in organisations):
        errors["organisations"] = _(
            "Your own organisation needs no consent: choose the organisations to share with."
        )
    unknown = parts - set(SHAREABLE_PARTS)
    if not parts or unknown:
        errors["parts"] = _("Choose at least one part of the record to share.")
    if takes_part_in_plan and Part.PLAN not in parts:
        errors["takes_part_in_plan"] = _("Taking part in the plan needs the plan to be shared.")
    if valid_to < valid_from:
        errors["valid_to"] = _("The end date must be on or after the start date.")
    if given_on > timezone.localdate():
        errors["given_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        enrollment=enrollment,
        takes_part_in_plan=takes_part_in_plan,
        purpose=purpose,
        form=form,
        language=language,
        interpreter_used=interpreter_used,
        document_reference=document_reference,
        given_on=given_on,
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_by=actor,
        **{field: part in parts for part, field in SHAREABLE_PARTS.items()},
    )
    consent.organisations.set(organisations)
    log_event(
        actor=actor,
        action=Action.CREATE,
        part=Part.RECORD,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=consent,
        changes={
            "organisations": sorted(o.name for o in organisations),
            "parts": sorted(parts),
            "valid": [valid_from.isoformat(), valid_to.isoformat()],
        },
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Any, consent: Consent, note: str = "") -> Consent:
    """Withdraw at once: the named organisations lose access on their next request."""
    consent = (
        Consent.objects.select_for_update().select_related("enrollment__unit").get(pk=consent.pk)
    )
    enrollment = consent.enrollment
    if not is_own(actor, enrollment):
        raise ValidationError(_("Only the participant's own organisation can record a withdrawal."))
    if consent.withdrawn_at is not None:
        raise ValidationError(_("The consent is already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.withdrawal_note = note
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
    log_event(
        actor=actor,
        action=Action.UPDATE,
        part=Part.RECORD,
        organisation_id=acting_organisation_id(actor, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=consent,
        changes={"withdrawn_at": [None, consent.withdrawn_at.isoformat()]},
        summary="consent withdrawn",
    )
    return consent
