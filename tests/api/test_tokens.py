"""Personal tokens: created by the user, secret shown once, hash stored, revoke and expiry."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from stegvis.api.models import ApiToken
from stegvis.api.tokens import token_create, token_revoke

ENROLLMENTS = "/api/v1/enrollments/"


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def bearer(secret: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_the_page_shows_the_secret_once_and_stores_only_its_hash(cast, client):
    client.force_login(cast.alice)
    response = client.post(reverse("api:tokens"), {"name": "Report script", "lifetime": "30"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("stg_") and len(secret) > 40
    assert secret in response.content.decode()
    token = ApiToken.objects.get(user=cast.alice)
    assert token.name == "Report script"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.prefix, token.token_hash, token.name}
    assert secret.startswith(token.prefix)
    days = (token.expires_at - timezone.now()).days
    assert 29 <= days <= 30
    # Shown once: the list afterwards has the prefix, never the secret.
    again = client.get(reverse("api:tokens"))
    assert secret not in again.content.decode()
    assert token.prefix in again.content.decode()
    # And the secret works.
    assert bearer(secret).get(ENROLLMENTS).status_code == 200


def test_a_token_needs_a_name(cast, client):
    client.force_login(cast.alice)
    response = client.post(reverse("api:tokens"), {"name": " ", "lifetime": "90"})
    assert response.status_code == 200
    assert response.context["secret"] is None
    assert not ApiToken.objects.exists()
    assert "This field is required." in response.content.decode()


def test_revoked_tokens_are_refused(cast, client):
    new = token_create(actor=cast.alice, name="x")
    assert bearer(new.secret).get(ENROLLMENTS).status_code == 200
    client.force_login(cast.alice)
    response = client.post(reverse("api:token_revoke", args=[new.token.pk]))
    assert response.status_code == 302
    new.token.refresh_from_db()
    assert new.token.revoked_at is not None
    refused = bearer(new.secret).get(ENROLLMENTS)
    assert refused.status_code == 401
    assert refused.json() == {
        "detail": "Invalid, expired or revoked token.",
        "code": "authentication_failed",
        "errors": {},
    }


def test_expired_tokens_are_refused(cast):
    new = token_create(actor=cast.alice, name="x", lifetime_days=30)
    ApiToken.objects.filter(pk=new.token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert bearer(new.secret).get(ENROLLMENTS).status_code == 401


def test_tokens_of_deactivated_users_are_refused(cast):
    new = token_create(actor=cast.alice, name="x")
    cast.alice.is_active = False
    cast.alice.save()
    assert bearer(new.secret).get(ENROLLMENTS).status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer stg_nope", "Bearer a b", "Bearer " + "stg_" + "x" * 300]
)
def test_bad_headers_are_401(cast, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(ENROLLMENTS)
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "code", "errors"}


def test_no_credentials_is_401_with_a_bearer_challenge(db):
    response = APIClient(HTTP_ACCEPT_LANGUAGE="en").get(ENROLLMENTS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["detail"] == "Authentication credentials were not provided."
    assert response.json()["code"] == "not_authenticated"


def test_errors_follow_the_request_language_swedish_by_default(db):
    response = APIClient().get(ENROLLMENTS)
    assert response.status_code == 401
    assert response.json()["detail"] != "Authentication credentials were not provided."


def test_last_use_is_recorded(cast):
    new = token_create(actor=cast.alice, name="x")
    assert new.token.last_used_at is None
    bearer(new.secret).get(ENROLLMENTS)
    new.token.refresh_from_db()
    assert new.token.last_used_at is not None


def test_nobody_revokes_someone_elses_token(cast, client):
    new = token_create(actor=cast.alice, name="x")
    client.force_login(cast.bob)
    assert client.post(reverse("api:token_revoke", args=[new.token.pk])).status_code == 404
    assert client.get(reverse("api:token_revoke", args=[new.token.pk])).status_code == 405
    with pytest.raises(Exception, match="your own"):
        token_revoke(actor=cast.bob, token=new.token)
    new.token.refresh_from_db()
    assert new.token.revoked_at is None
    # Nor sees it.
    assert new.token.prefix not in client.get(reverse("api:tokens")).content.decode()


def test_the_token_page_requires_login(db, client):
    response = client.get(reverse("api:tokens"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
