"""SQLite under concurrent saves: WAL and a busy timeout, so that writers wait for each
other; and a save that still meets a locked database is answered like a version clash
(409, the typed answers on the page), never with an error page."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import OperationalError
from django.db.backends.sqlite3.base import DatabaseWrapper

from surveys.models import ResponseRevision
from surveys.responses import views as response_views
from tests.api.helpers import client_for, url
from tests.surveys.web_helpers import edit_url, form_data, logged_in
from wipostad import settings as project_settings


def _locked(*args, **kwargs):
    raise OperationalError("database is locked")


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path, django_db_blocker):
    config = project_settings.sqlite_database(str(tmp_path / "db.sqlite3"))
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    wrapper = DatabaseWrapper(
        {
            **config,
            "TIME_ZONE": None,
            "CONN_HEALTH_CHECKS": False,
            "CONN_MAX_AGE": 0,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TEST": {},
        },
        alias="wal-check",
    )
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == project_settings.WIPOSTAD_SQLITE_TIMEOUT * 1000
    finally:
        wrapper.close()
    # A second connection waits for the first writer instead of failing at once.
    first = sqlite3.connect(tmp_path / "db.sqlite3", timeout=0)
    first.execute("BEGIN IMMEDIATE")
    second = sqlite3.connect(tmp_path / "db.sqlite3", timeout=0.2)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        second.execute("BEGIN IMMEDIATE")
    first.rollback()
    second.execute("BEGIN IMMEDIATE")
    second.rollback()


def test_a_locked_database_on_save_is_a_conflict_keeping_the_typed_answers(
    monkeypatch, edition, office_a_respondent, make_response, moldova_answers
):
    response = make_response(office_a_respondent, label="Trademarks")
    monkeypatch.setattr(response_views, "response_save_with_attachments", _locked)
    typed = {
        **moldova_answers,
        "q14a": [{"office_name": "Typed", "example": "TYPED-777", "priority_presentation": "7"}],
    }
    page = logged_in(office_a_respondent).post(edit_url(response), form_data(edition, typed, version=response.version))
    assert page.status_code == 409
    content = page.content.decode()
    assert 'value="TYPED-777"' in content
    assert "Nothing was saved" in content
    assert ResponseRevision.objects.filter(response=response).count() == 1


def test_a_locked_database_on_an_api_save_is_a_409(monkeypatch, edition, office_a_respondent, make_response):
    from surveys.api import views as api_views

    response = make_response(office_a_respondent, label="Trademarks")
    monkeypatch.setattr(api_views, "response_save_draft", _locked)
    page = client_for(office_a_respondent).put(
        url(f"responses/{response.pk}/"), {"answers": {"q1b": "1993"}, "version": 1}, format="json"
    )
    assert page.status_code == 409
    assert "Nothing was saved" in page.json()["detail"]


def test_other_database_errors_are_not_hidden(monkeypatch, edition, office_a_respondent, make_response):
    response = make_response(office_a_respondent, label="Trademarks")

    def broken(*args, **kwargs):
        raise OperationalError("no such table: surveys_surveyresponse")

    monkeypatch.setattr(response_views, "response_save_with_attachments", broken)
    client = logged_in(office_a_respondent)
    client.raise_request_exception = True
    with pytest.raises(OperationalError):
        client.post(edit_url(response), form_data(edition, {}, version=response.version))
