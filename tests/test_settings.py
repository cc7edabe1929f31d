"""Settings come from the environment and bad values stop the process with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


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
    result = _import_settings(DJANGO_SECRET_KEY="k", DATABASE_URL="postgres://u:p@127.0.0.1:5432/d")
    assert result.stdout.split() == ["False", "django.db.backends.postgresql"]


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
