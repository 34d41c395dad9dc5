"""Settings come from the environment; the production profile passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, **env) -> subprocess.CompletedProcess:
    full_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "REDIS_", "DJANGO_", "DEBUG"))
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


PRINT = (
    "import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings.local');"
    "django.setup();from django.conf import settings as s;"
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.DEBUG, s.TIME_ZONE,"
    " s.LANGUAGE_CODE, ','.join(s.ALLOWED_HOSTS))"
)


def test_defaults_need_no_services(tmp_path):
    out = _run(PRINT, VAR_DIR=str(tmp_path)).stdout.split()
    assert out == [
        "django.db.backends.sqlite3",
        "filesystem://localhost//",
        "False",
        "Asia/Shanghai",
        "zh-hans",
        "localhost,127.0.0.1,[::1]",
    ]
    assert (tmp_path / "secret_key").exists()


def test_environment_selects_postgres_and_redis(tmp_path):
    out = _run(
        PRINT,
        VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://u:p@db.example:5432/complaints",
        REDIS_URL="redis://cache.example:6379/0",
        DEBUG="false",
        ALLOWED_HOSTS="complaints.bank.local",
    ).stdout.split()
    assert out == [
        "django.db.backends.postgresql",
        "redis://cache.example:6379/0",
        "False",
        "Asia/Shanghai",
        "zh-hans",
        "complaints.bank.local",
    ]


def test_production_profile_refuses_to_start_without_secret_key(tmp_path):
    result = _run(
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='config.settings.production';"
        "django.setup()",
        VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_check_deploy_is_clean(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY="x" * 20 + "-production-secret-key-for-the-check-0123456789",
        ALLOWED_HOSTS="complaints.bank.local",
        VAR_DIR=str(tmp_path),
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("entry_point", ["config.wsgi", "config.asgi", "config.celery"])
def test_entry_point_with_django_env_production_runs_production_profile(tmp_path, entry_point):
    # gunicorn, an ASGI server and `celery -A config` import these modules without
    # manage.py; DJANGO_ENV alone must select the same profile for them.
    result = _run(
        f"import {entry_point}, django; django.setup(); from django.conf import settings as s;"
        "print(s.SETTINGS_MODULE, s.DEBUG, s.SESSION_COOKIE_SECURE)",
        DJANGO_ENV="production",
        SECRET_KEY="x" * 20 + "-production-secret-key-for-the-check-0123456789",
        VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["config.settings.production", "False", "True"]


@pytest.mark.parametrize("entry_point", ["config.wsgi", "config.asgi", "config.celery"])
def test_entry_point_without_django_env_runs_local_profile(tmp_path, entry_point):
    result = _run(
        f"import {entry_point}, django; django.setup(); from django.conf import settings as s;"
        "print(s.SETTINGS_MODULE)",
        VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["config.settings.local"]


def test_email_file_path_from_environment_receives_file_backend_mail(tmp_path):
    mail_dir = tmp_path / "mail"
    result = _run(
        "import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings.local');"
        "django.setup();from django.core.mail import send_mail;"
        "print(send_mail('smoke-subject', 'body', 'from@bank.local', ['to@bank.local']))",
        VAR_DIR=str(tmp_path),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1"]
    [message] = list(mail_dir.iterdir())
    assert "Subject: smoke-subject" in message.read_text()
