from django.urls import reverse


def test_swedish_is_the_default(cast, client):
    client.force_login(cast.alice)
    response = client.get(reverse("core:home"))
    assert b'<html lang="sv" dir="ltr">' in response.content


def test_the_language_switch_works_before_login(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get(reverse("accounts:login"))
    assert b'<html lang="en" dir="ltr">' in page.content
    assert b"Log in to Stegvis" in page.content


def test_swedish_login_page_is_translated(client, db):
    page = client.get(reverse("accounts:login"))
    assert "Logga in" in page.content.decode()
