"""GET /healthz: 200 when the database and the shared cache answer, 503 naming the part
that does not; cheap (one query for the database, one read of the cache, no session)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_healthy(client, db):
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in answer["Cache-Control"]
    assert "sessionid" not in answer.cookies
    # SELECT 1, and the database cache's read of its table.
    assert len(queries) == 2


@pytest.mark.parametrize("failing", ["database", "cache"])
def test_a_part_that_does_not_answer_is_named(client, db, monkeypatch, failing):
    from wipostad import health

    def unreachable():
        raise OSError("connection refused")

    monkeypatch.setattr(health, f"_{failing}", unreachable)
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["status"] == "unavailable"
    assert answer.json()[failing] == "unavailable"
    healthy = {"database", "cache"} - {failing}
    assert all(answer.json()[name] == "ok" for name in healthy)


def test_only_reads(client, db):
    assert client.post("/healthz").status_code == 405


def test_answers_over_plain_http_where_every_page_is_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    redirected = client.get("/st13/")
    assert redirected.status_code == 301
    assert redirected["Location"].startswith("https://")
