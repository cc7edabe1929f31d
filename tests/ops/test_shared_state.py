"""Everything one process knows that another must know too lives outside the process:
the cache (throttles) and sessions in the database or Redis, the sign-in lockout in the
database, files in the default storage; bad values stop the process with a message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
_OURS = ("DJANGO_", "DATABASE_", "WIPOSTAD_", "REDIS_")


def _settings(*names: str, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    code = (
        f"import json, wipostad.settings as s; print(json.dumps({{n: getattr(s, n) for n in {names!r}}}, default=str))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _values(*names: str, **env) -> dict:
    result = _settings(*names, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_by_default_cache_and_sessions_are_in_the_database():
    values = _values("CACHES", "SESSION_ENGINE", "AXES_HANDLER")
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert values["CACHES"]["default"]["OPTIONS"] == {"MAX_ENTRIES": 50_000}
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    # The lockout counts failures in the database, whichever process saw them.
    assert values["AXES_HANDLER"] == "axes.handlers.database.AxesDatabaseHandler"


def test_another_cache_backend_gets_no_database_cache_options():
    values = _values(
        "CACHES",
        DJANGO_CACHE_BACKEND="django.core.cache.backends.memcached.PyMemcacheCache",
        DJANGO_CACHE_LOCATION="127.0.0.1:11211",
    )
    assert "OPTIONS" not in values["CACHES"]["default"]


def test_redis_url_puts_the_cache_in_redis_and_sessions_in_redis_and_the_database():
    values = _values("CACHES", "SESSION_ENGINE", REDIS_URL="redis://cache.internal:6379/2")
    assert values["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
    }
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {
                "REDIS_URL": "redis://cache:6379",
                "DJANGO_CACHE_BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            },
            "Set REDIS_URL or DJANGO_CACHE_BACKEND, not both",
        ),
        ({"REDIS_URL": "http://user:s3cret@cache:6379"}, "REDIS_URL must start with redis://, rediss:// or unix://"),
        ({"DATABASE_REPLICA_URL": "postgres://u:p@replica:5432/d"}, "DATABASE_REPLICA_URL needs DATABASE_URL"),
        (
            {"DATABASE_URL": "postgres://u:p@primary:5432/d", "DATABASE_REPLICA_URL": "nosuchdb://x"},
            "DATABASE_REPLICA_URL could not be understood",
        ),
        (
            {"WIPOSTAD_S3_BUCKET": "files", "WIPOSTAD_S3_ADDRESSING_STYLE": "sideways"},
            "WIPOSTAD_S3_ADDRESSING_STYLE must be one of auto, path, virtual",
        ),
    ],
)
def test_bad_values_stop_the_process_with_a_message(env, message):
    result = _settings("CACHES", **env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "s3cret" not in result.stderr  # a password in a URL is not repeated


def test_a_replica_is_a_second_database_mirrored_under_test():
    values = _values(
        "DATABASES",
        "DATABASE_ROUTERS",
        DATABASE_URL="postgres://app:p@primary.internal:5432/wipostad",
        DATABASE_REPLICA_URL="postgres://reader:p@replica.internal:5432/wipostad",
    )
    assert values["DATABASES"]["default"]["HOST"] == "primary.internal"
    assert values["DATABASES"]["replica"]["HOST"] == "replica.internal"
    assert values["DATABASES"]["replica"]["USER"] == "reader"
    assert values["DATABASES"]["replica"]["TEST"] == {"MIRROR": "default"}
    assert values["DATABASE_ROUTERS"] == ["wipostad.db_router.PrimaryReplicaRouter"]
    assert "replica" not in _values("DATABASES")["DATABASES"]


def test_s3_storage_from_the_environment_and_files_on_disk_without_it():
    values = _values(
        "STORAGES",
        WIPOSTAD_S3_BUCKET="wipostad-files",
        WIPOSTAD_S3_ENDPOINT_URL="https://objects.example.org",
        WIPOSTAD_S3_REGION="eu-central-1",
        WIPOSTAD_S3_ACCESS_KEY_ID="key-id",
        WIPOSTAD_S3_SECRET_ACCESS_KEY="secret",
        WIPOSTAD_S3_PREFIX="/production/",
    )
    default = values["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "wipostad-files",
        "https://objects.example.org",
        "eu-central-1",
    )
    assert (options["access_key"], options["secret_key"], options["location"]) == ("key-id", "secret", "production")
    assert (options["default_acl"], options["querystring_auth"], options["addressing_style"]) == (
        "private",
        True,
        "auto",
    )
    # Without keys, the machine's own credentials (instance role, AWS_* variables) are used.
    keyless = _values("STORAGES", WIPOSTAD_S3_BUCKET="wipostad-files")["STORAGES"]["default"]["OPTIONS"]
    assert keyless["access_key"] is None and keyless["secret_key"] is None
    assert _values("STORAGES")["STORAGES"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_the_checker_throttle_counts_in_the_shared_cache():
    from django.core.cache import cache

    from surveys.checker.limits import CheckerThrottle

    assert CheckerThrottle().cache is cache
