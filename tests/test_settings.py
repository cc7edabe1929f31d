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


def _mail_settings(**env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "EMAIL_URL"))}
    code = (
        "import json, wipostad.settings as s; print(json.dumps([s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, "
        "s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_TIMEOUT]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result


def test_mail_settings_from_email_url():
    import json

    result = _mail_settings(EMAIL_URL="smtp+tls://mailer:p%40ss@mail.example.org:587")
    assert json.loads(result.stdout) == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.org",
        587,
        "mailer",
        "p@ss",
        True,
        False,
        30,
    ]
    result = _mail_settings(EMAIL_URL="smtp+ssl://m:pw@smtp.example.org:465", DJANGO_EMAIL_TIMEOUT="20")
    assert json.loads(result.stdout)[1:] == ["smtp.example.org", 465, "m", "pw", False, True, 20]


def test_mail_settings_one_by_one():
    import json

    result = _mail_settings(
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DJANGO_EMAIL_HOST="relay.example.org",
        DJANGO_EMAIL_PORT="2525",
        DJANGO_EMAIL_HOST_USER="u",
        DJANGO_EMAIL_HOST_PASSWORD="secret",
        DJANGO_EMAIL_USE_TLS="1",
        DJANGO_EMAIL_TIMEOUT="15",
    )
    assert json.loads(result.stdout)[1:] == ["relay.example.org", 2525, "u", "secret", True, False, 15]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EMAIL_URL": "pigeon://loft"}, "EMAIL_URL could not be understood"),
        ({"DJANGO_EMAIL_USE_TLS": "1", "DJANGO_EMAIL_USE_SSL": "1"}, "not both"),
    ],
)
def test_bad_mail_settings_fail_loudly(env, message):
    result = _mail_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


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


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"WIPOSTAD_TRUSTED_PROXIES": "-1"}, "WIPOSTAD_TRUSTED_PROXIES must be 0 or more"),
        ({"WIPOSTAD_CHECKER_RATE": "lots"}, "WIPOSTAD_CHECKER_RATE must be a number of requests per"),
        ({"WIPOSTAD_CHECKER_MAX_NUMBERS": "0"}, "WIPOSTAD_CHECKER_MAX_NUMBERS must be 1 or more"),
    ],
)
def test_bad_limits_fail_loudly(env, message):
    result = _import_settings(DJANGO_DEBUG="1", **env)
    assert result.returncode != 0
    assert message in result.stderr


def _cache_backend(**env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import wipostad.settings as s; c = s.CACHES['default']; print(c['BACKEND'], c['LOCATION'])",
        ],
        cwd=ROOT,
        env={**base, "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout.split()


def test_the_cache_is_shared_by_every_process_a_database_table_unless_another_is_named():
    assert _cache_backend() == ["django.core.cache.backends.db.DatabaseCache", "wipostad_cache"]
    assert _cache_backend(
        DJANGO_CACHE_BACKEND="django.core.cache.backends.redis.RedisCache", DJANGO_CACHE_LOCATION="redis://cache:6379"
    ) == ["django.core.cache.backends.redis.RedisCache", "redis://cache:6379"]


def test_the_cache_table_exists_in_the_test_database(db):
    from django.core.cache import cache

    cache.set("probe", 1)
    assert cache.get("probe") == 1
