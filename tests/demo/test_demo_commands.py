"""The demo, generate_demo and serve commands."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stegvis.demo import catalogue, server
from stegvis.demo.management.commands import demo as demo_command
from stegvis.demo.management.commands import serve as serve_command
from stegvis.demo.output import url_for
from stegvis.organisations.models import Organisation, Programme
from stegvis.participants.models import Participant


@pytest.fixture(autouse=True)
def quick_demo(settings, tmp_path, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path / "data"
    monkeypatch.delenv("STEGVIS_BIND", raising=False)
    monkeypatch.delenv("STEGVIS_WORKERS", raising=False)


@pytest.fixture
def served(monkeypatch):
    calls = []
    monkeypatch.setattr(demo_command, "serve", lambda **kwargs: calls.append(kwargs))
    monkeypatch.setattr(serve_command, "serve", lambda **kwargs: calls.append(kwargs))
    return calls


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_prepares_the_data_directory_generates_and_prints_the_logins(settings, served):
    output = run("demo", "--no-serve", "--participants", "40")
    assert settings.DATA_DIR.is_dir()
    assert Programme.objects.get().code == catalogue.PROGRAMME_CODE
    assert Participant.objects.count() == 40
    assert "http://127.0.0.1:8000" in output
    assert catalogue.PASSWORD in output
    for username in ("admin", "programledare", "analytiker", "samordnare.lerum"):
        assert f"\n{username} " in output
    assert served == []


@pytest.mark.django_db
def test_demo_run_again_keeps_the_data_and_prints_the_logins(served):
    run("demo", "--no-serve", "--participants", "40")
    output = run("demo", "--no-serve", "--participants", "40")
    assert "already there" in output
    assert Participant.objects.count() == 40
    assert "samordnare.lerum" in output


@pytest.mark.django_db
def test_demo_leaves_a_database_with_other_programmes_alone(served):
    owner = Organisation.objects.create(name="Region", kind=Organisation.Kind.REGION)
    Programme.objects.create(
        name="Riktigt projekt",
        code="riktigt",
        fund=Programme.Fund.ESF_PLUS,
        start_date="2025-01-01",
        end_date="2027-12-31",
        owner=owner,
    )
    output = run("demo", "--no-serve")
    assert "no demo data added" in output
    assert "samordnare.lerum" not in output
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_demo_serves_afterwards_with_the_given_options(served):
    output = run("demo", "--participants", "20", "--bind", "0.0.0.0:9000", "--workers", "3")
    assert served == [{"bind": "0.0.0.0:9000", "workers": 3}]
    assert "http://127.0.0.1:9000" in output
    assert "STEGVIS_ALLOWED_HOSTS" in output


@pytest.mark.django_db
def test_generate_demo_prints_a_summary_and_refuses_a_second_time():
    output = run("generate_demo", "--participants", "30", "--seed", "3")
    assert "30 participants" in output
    assert "samordnare.lerum" in output
    with pytest.raises(CommandError, match="empty database"):
        run("generate_demo", "--participants", "30")


def test_serve_takes_its_defaults_from_the_environment(monkeypatch, served):
    monkeypatch.setenv("STEGVIS_BIND", "127.0.0.1:8123")
    monkeypatch.setenv("STEGVIS_WORKERS", "4")
    output = run("serve")
    assert served == [{"bind": "127.0.0.1:8123", "workers": 4}]
    assert "http://127.0.0.1:8123" in output


def test_serve_rejects_zero_workers():
    with pytest.raises(CommandError):
        run("serve", "--workers", "0")


def test_the_gunicorn_application_is_configured_from_our_options_only(monkeypatch):
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--workers 9")
    app = server.StegvisServer(bind="127.0.0.1:8124", workers=3)
    assert app.cfg.bind == ["127.0.0.1:8124"]
    assert app.cfg.workers == 3
    assert app.cfg.accesslog == "-"
    assert app.cfg.control_socket_disable is True


@pytest.mark.parametrize(
    ("bind", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("0.0.0.0:8080", "http://127.0.0.1:8080"),
        ("localhost", "http://localhost:8000"),
        ("[::1]:8001", "http://[::1]:8001"),
        ("unix:/run/stegvis.sock", "unix:/run/stegvis.sock"),
    ],
)
def test_the_banner_shows_where_to_browse(bind, url):
    assert url_for(bind) == url
