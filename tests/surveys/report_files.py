"""Fetching a report download the way production serves it.

PDF and DOCX (and, for a visitor, the whole report's XLSX and CSV zip) are never built
while a request waits: the report page's address redirects to the stored file. `fetch`
follows that path: a signed-in user asks for the build (POST), a visitor's files are
queued as publishing queues them; the queued builds are run as the worker runs them, then
the file is downloaded from storage.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import resolve

from surveys.models import ExportBuild, SurveyRound
from surveys.reports import builds, tables

FILE_PATH = "/report/file/"


def run_queued_builds() -> list[str]:
    """What `manage.py db_worker` does with the queued builds, in the test's transaction."""
    pending = ExportBuild.objects.filter(state=ExportBuild.State.QUEUED).values_list("pk", flat=True)
    return [builds.run_build(pk) for pk in list(pending)]


def fetch(client, url: str, **extra):
    """GET a report address; when it sends the browser to a stored file, build it and GET that."""
    response = client.get(url, **extra)
    if response.status_code != 302 or FILE_PATH not in response.url:
        return response
    file_url = response.url
    refused = client.post(file_url, **extra)
    if refused.status_code == 403:
        _prepare_for_visitor(file_url, language=refused["Content-Language"])
    run_queued_builds()
    response = client.get(file_url, **extra)
    assert response.status_code == 200, (file_url, response.status_code)
    return response


def _prepare_for_visitor(file_url: str, *, language: str) -> None:
    """A visitor may not ask for builds: the whole report's public files are queued on
    publication, one table's when someone signed in asks for it (done here in their stead)."""
    parts = urlsplit(file_url)
    match = resolve(parts.path)
    survey_round = SurveyRound.objects.select_related("edition").get(slug=match.kwargs["round_slug"])
    table_id = parse_qs(parts.query).get("table", [""])[0]
    if not table_id:
        builds.queue_published(survey_round)
        return
    scope = tables.Scope.PUBLISHED
    key = builds.BuildKey(survey_round, scope, match.kwargs["fmt"], table_id, language)
    builds.request_build(key, builds.data_fingerprint(survey_round, scope))


def close_response(response) -> None:
    """Close a download as the server does once it is sent (its temporary files go), without
    the end-of-request signal closing the test's database connection, as the test client
    itself avoids (PostgreSQL closes a connection left inside a transaction)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
