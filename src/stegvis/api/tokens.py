"""Creating, revoking and checking personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken

TOKEN_PREFIX = "stg_"  # noqa: S105 (a marker, not a secret)
# Lifetimes a user may choose, in days; None: until revoked.
LIFETIMES = (30, 90, 365, None)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    # The only time the secret exists outside the user's hands.
    secret: str


@transaction.atomic
def token_create(*, actor: Any, name: str, lifetime_days: int | None = 90) -> NewToken:
    """Create a token for the actor themselves; returns the secret once."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if lifetime_days not in LIFETIMES:
        raise ValidationError({"lifetime_days": _("Choose one of the offered lifetimes.")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = timezone.now() + timedelta(days=lifetime_days) if lifetime_days else None
    token = ApiToken.objects.create(
        user=actor,
        name=name[:100],
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(raw),
        expires_at=expires,
    )
    return NewToken(token=token, secret=raw)


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens (idempotent)."""
    if token.user_id != actor.pk:
        raise ValidationError(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def tokens_of(*, actor: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor)


def token_for_secret(raw: str) -> ApiToken | None:
    """The usable token with this secret, or None (unknown, revoked, expired, inactive user)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    if token is None or not token.is_usable() or not token.user.is_active:
        return None
    return token


def mark_used(token: ApiToken) -> None:
    """Record use at most once a minute, so busy scripts do not write on every call."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
