"""Writing audit rows. Services call these inside their transaction."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models
from django_countries.fields import Country, MultipleCountriesDescriptor

from .models import AccessEvent, Action, Part


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, Country):
        return value.code
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset | MultipleCountriesDescriptor):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of the given fields, ready to compare and to store as JSON."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any], *, hide_values: bool = False) -> dict:
    """{field: [old, new]} for changed fields; only field names when values are sensitive."""
    changed = {}
    for name, new in after.items():
        old = before.get(name)
        if old != new:
            changed[name] = None if hide_values else [old, new]
    return changed


def log_event(
    *,
    actor: Any,
    action: str,
    part: str = Part.RECORD,
    organisation_id: int | None = None,
    participant_id: int | None = None,
    enrollment_id: int | None = None,
    obj: models.Model | None = None,
    changes: dict | None = None,
    consent_id: int | None = None,
    summary: str = "",
) -> AccessEvent:
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AccessEvent.objects.create(
        actor=actor if is_user else None,
        actor_name=(actor.get_username() if is_user else str(actor or "system"))[:200],
        organisation_id=organisation_id,
        action=action,
        part=part,
        participant_id=participant_id,
        enrollment_id=enrollment_id,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        changes=changes or {},
        consent_id=consent_id,
        summary=summary[:200],
    )


__all__ = ["Action", "Part", "diff", "log_event", "snapshot"]
