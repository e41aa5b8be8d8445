import os
import subprocess
import sys

import pytest
from django.core.management import call_command


def run_stegvis(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "stegvis", *args],
        capture_output=True,
        text=True,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            **(env or {}),
        },
        timeout=120,
        check=False,
    )


def test_the_stegvis_command_runs_django_commands(tmp_path):
    result = run_stegvis("check", env={"STEGVIS_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    production = {
        "STEGVIS_DATA_DIR": str(tmp_path),
        "STEGVIS_SECRET_KEY": "x7" * 30 + "-production-secret",
        "STEGVIS_ALLOWED_HOSTS": "stegvis.example.se",
        "STEGVIS_HTTPS": "true",
    }
    result = run_stegvis("check", "--deploy", "--fail-level", "WARNING", env=production)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_without_https(tmp_path):
    result = run_stegvis(
        "check", "--deploy", "--fail-level", "WARNING", env={"STEGVIS_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode != 0


def test_the_secret_key_is_generated_once_per_data_directory(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    env = {
        **os.environ,
        "STEGVIS_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "stegvis.settings",
    }
    env.pop("STEGVIS_SECRET_KEY", None)
    first = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    second = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    assert first == second and len(first.strip()) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
