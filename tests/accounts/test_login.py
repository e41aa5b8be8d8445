import pytest
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def user(db):
    return UserFactory(username="karin")


def test_login_with_the_right_password(client, user):
    response = client.post(reverse("accounts:login"), {"username": "karin", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_a_wrong_password_is_explained(client, user):
    response = client.post(reverse("accounts:login"), {"username": "karin", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_five_failures_lock_the_account_even_for_the_right_password(client, user):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "karin", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "karin", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "accounts/locked_out.html" in [t.name for t in response.templates]


def test_every_page_needs_a_login(client, db):
    response = client.get(reverse("participants:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_logout_needs_post(client, user):
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
