"""Settings come from the environment and bad values stop the process with a clear message."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = secrets.token_urlsafe(50)


def _import_settings(**env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", "import wipostad.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be one of"),
        ({"DJANGO_DEBUG": "0"}, "DJANGO_SECRET_KEY is not set"),
        ({"DJANGO_DEBUG": "1", "DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL could not be understood"),
        (
            {"DJANGO_DEBUG": "1", "WIPOSTAD_MAX_ATTACHMENT_BYTES": "lots"},
            "WIPOSTAD_MAX_ATTACHMENT_BYTES must be a whole number",
        ),
    ],
)
def test_bad_values_fail_loudly(env, message):
    result = _import_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_defaults_to_sqlite_and_reads_postgres_urls():
    assert _import_settings(DJANGO_DEBUG="1").stdout.split() == ["True", "django.db.backends.sqlite3"]
    result = _import_settings(DJANGO_SECRET_KEY=GOOD_KEY, DATABASE_URL="postgres://u:p@127.0.0.1:5432/d")
    assert result.stdout.split() == ["False", "django.db.backends.postgresql"]


def _example_key() -> str:
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.startswith("DJANGO_SECRET_KEY="):
            return line.partition("=")[2].strip()
    raise AssertionError(".env.example has no DJANGO_SECRET_KEY")


@pytest.mark.parametrize(
    "key",
    [
        _example_key(),
        "k",
        "too-short-but-random-7Qx9pL2",
        "django-insecure-" + "a1b2c3d4e5f6g7h8i9j0" * 3,
        "x" * 60,
        "change-me-to-a-long-random-string-of-at-least-fifty-characters",
        "your-secret-key-goes-here-0123456789abcdefghijklmnopqrstuvwxyz",
    ],
)
def test_production_refuses_a_placeholder_or_short_secret_key(key):
    result = _import_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert len(key) < 5 or key not in result.stderr  # the message never repeats the key


def test_production_accepts_a_generated_secret_key_and_development_any():
    assert _import_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=GOOD_KEY).returncode == 0
    assert _import_settings(DJANGO_DEBUG="1", DJANGO_SECRET_KEY=_example_key()).returncode == 0
