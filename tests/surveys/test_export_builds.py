"""Heavy report files built in the background: asked for once, built once, kept while the
data stays the same, served from storage a block at a time, never built for a visitor."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone

from surveys.models import ExportBuild
from surveys.reports import builds, exporters, tables
from surveys.review.workflow import response_publish, response_reopen

ROUND = "application-numbering-2012"
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def file_url(fmt: str, **params) -> str:
    url = reverse("reports:report_file", args=[ROUND, fmt])
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{url}?{query}" if query else url


def build_url(build: ExportBuild, view: str = "export_build") -> str:
    return reverse(f"reports:{view}", args=[ROUND, build.pk])


@pytest.fixture
def queue(settings):
    """Tasks wait in a list until the test runs them (the worker's part)."""
    settings.TASKS = DUMMY
    backend = builds.build_export_task.get_backend()
    backend.clear()
    return backend


def queued_builds(queue) -> list:
    """The report's build tasks waiting (e-mail about the workflow's steps waits in the same
    queue, and so does the round's open data, which tests/surveys/test_open_data.py follows)."""
    report_files = set(ExportBuild.objects.exclude(format="opendata").values_list("pk", flat=True))
    return [r for r in queue.results if r.task.func is builds.build_export_task.func and r.args[0] in report_files]


def run_queued(queue) -> list[str]:
    """Work the queue as `manage.py db_worker` would: every build task enqueued so far, once."""
    pending, done = queued_builds(queue), []
    queue.clear()
    for result in pending:
        done.append(result.task.call(*result.args, **result.kwargs))
    return done


@pytest.fixture
def published(make_response, office_a_respondent, moldova_answers):
    return make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)


@pytest.fixture
def ib_client(client, secretariat_reviewer):
    client.force_login(secretariat_reviewer)
    return client


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- the acceptance path ------------------------------------------------------------------


def test_a_pdf_is_asked_for_shown_in_progress_built_by_the_worker_and_downloaded(
    ib_client, published, queue, django_capture_on_commit_callbacks
):
    page = ib_client.get(file_url("pdf"))
    assert page.status_code == 200 and b"Prepare PDF of the whole report" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        asked = ib_client.post(file_url("pdf"))
    build = ExportBuild.objects.get()
    assert asked.status_code == 302 and asked["Location"] == build_url(build)
    assert (build.state, build.scope, build.format, build.table_id, build.language) == (
        "queued",
        "reviewed",
        "pdf",
        "",
        "en",
    )
    assert [r.args for r in queued_builds(queue)] == [[build.pk]]

    progress = ib_client.get(build_url(build))
    assert progress.status_code == 200 and b"Waiting to be built" in progress.content
    assert b'http-equiv="refresh"' in progress.content  # without the script, the page reloads itself
    assert ib_client.get(build_url(build, "export_build_status")).json()["state"] == "queued"
    # Not built yet: the download address leads back to the progress page.
    assert ib_client.get(file_url("pdf"))["Location"] == build_url(build)

    assert run_queued(queue) == ["done"]

    status = ib_client.get(build_url(build, "export_build_status")).json()
    assert status["state"] == "done" and status["done"] == status["total"] == len(builds.STEPS)
    assert status["file_url"] == build_url(build, "export_build_file")
    page = ib_client.get(build_url(build))
    assert b"Download PDF of the whole report" in page.content and b'http-equiv="refresh"' not in page.content
    download = ib_client.get(status["file_url"])
    pdf = _content(download)
    assert pdf.startswith(b"%PDF") and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="application-numbering-2012-report-accepted.pdf"'
    build.refresh_from_db()
    assert build.size == len(pdf) and build.file.name.startswith("exports/")

    # Asked again for unchanged data: the stored file, no new build, nothing queued.
    again = ib_client.get(file_url("pdf"))
    assert isinstance(again, FileResponse) and _content(again) == pdf
    with django_capture_on_commit_callbacks(execute=True):
        ib_client.post(file_url("pdf"))
    assert ExportBuild.objects.count() == 1 and queued_builds(queue) == []


def test_asking_twice_before_the_build_runs_queues_it_once(
    ib_client, published, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = ib_client.post(file_url("xlsx"))
        second = ib_client.post(file_url("xlsx"))
    assert first["Location"] == second["Location"]
    assert ExportBuild.objects.count() == 1 and len(queued_builds(queue)) == 1


def test_two_requests_racing_for_the_same_build_get_the_one_row(survey_round, published, monkeypatch):
    """The loser of the race sees the unique constraint and takes the winner's row."""
    survey_round.refresh_from_db()
    key = builds.BuildKey(survey_round, tables.Scope.PUBLISHED, "docx")
    fingerprint = builds.data_fingerprint(survey_round, key.scope)
    # The other request's row, committed between this one's look-up and its insert.
    winner = ExportBuild.objects.create(
        round=survey_round, scope="published", format="docx", table_id="", language="en", fingerprint=fingerprint
    )
    manager_class = type(ExportBuild.objects)

    def lose_the_race(self, defaults=None, **values):
        raise IntegrityError("export_build_once_per_data")

    monkeypatch.setattr(manager_class, "get_or_create", lose_the_race)
    build, queued = builds.request_build(key, fingerprint)
    assert not queued and build == winner and ExportBuild.objects.count() == 1


def test_the_task_builds_each_file_once(ib_client, published, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ib_client.post(file_url("csv"))
    pk = ExportBuild.objects.get().pk
    assert builds.run_build(pk) == "done"
    assert builds.run_build(pk) == "nothing to build"


# --- the fingerprint -----------------------------------------------------------------------


def _fingerprint(survey_round, scope=tables.Scope.PUBLISHED) -> str:
    survey_round.refresh_from_db()
    return builds.data_fingerprint(survey_round, scope)


def test_the_fingerprint_follows_the_published_figures(
    survey_round, published, secretariat_reviewer, make_response, office_b_respondent
):
    from surveys.demo import EPO_PATENTS

    before = _fingerprint(survey_round)
    assert _fingerprint(survey_round) == before  # unchanged data, same fingerprint
    response_reopen(response=published, user=secretariat_reviewer, comment="Check q4.")
    reopened = _fingerprint(survey_round)
    assert reopened != before  # left the published figures

    make_response(office_b_respondent, dict(EPO_PATENTS), label="Patents", submit=True)
    assert _fingerprint(survey_round) == reopened  # a submitted response is not a published figure
    assert _fingerprint(survey_round, tables.Scope.WITH_SUBMITTED) != _fingerprint(survey_round, tables.Scope.REVIEWED)


def test_the_fingerprint_changes_when_a_response_is_republished_or_its_answers_change(
    survey_round, published, secretariat_reviewer, office_a_respondent, office_a_approver
):
    from surveys.responses.services import response_save_draft
    from surveys.review.workflow import response_accept, response_submit

    first = _fingerprint(survey_round)
    response_reopen(response=published, user=secretariat_reviewer, comment="Check q1b.")
    published.refresh_from_db()
    answers = {**published.answers, "q1b": "1993"}
    response_save_draft(
        response=published, answers=answers, user=office_a_respondent, expected_version=published.version
    )
    published.refresh_from_db()
    response_submit(response=published, user=office_a_approver)
    response_accept(response=published, user=secretariat_reviewer)
    response_publish(response=published, user=secretariat_reviewer)
    republished = _fingerprint(survey_round)
    assert republished != first
    assert published.__class__.objects.get(pk=published.pk).answers["q1b"] == "1993"


def test_the_fingerprint_changes_with_the_edition_texts_and_the_exporters(survey_round, published, monkeypatch):
    before = _fingerprint(survey_round)
    edition = survey_round.edition
    definition = edition.definition
    definition["title"] = {**definition["title"], "fr": definition["title"].get("fr", "") + " (corrigé)"}
    edition.definition = definition
    edition.save(update_fields=["definition"])
    corrected = _fingerprint(survey_round)
    assert corrected != before
    monkeypatch.setattr(builds, "EXPORT_CODE_VERSION", builds.EXPORT_CODE_VERSION + 1)
    assert _fingerprint(survey_round) != corrected


def test_the_fingerprint_takes_two_queries_whatever_the_number_of_responses(
    survey_round, published, make_response, office_a_respondent, moldova_answers, django_assert_num_queries
):
    survey_round.refresh_from_db()
    survey_round.edition  # noqa: B018 - loaded with the round on a page
    with django_assert_num_queries(2):
        builds.data_fingerprint(survey_round, tables.Scope.PUBLISHED)
    for label in ("Patents", "Designs", "Utility models"):
        make_response(office_a_respondent, moldova_answers, label=label, publish=True)
    with django_assert_num_queries(2):
        builds.data_fingerprint(survey_round, tables.Scope.PUBLISHED)


def test_another_language_is_another_file(ib_client, published, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ib_client.post(file_url("docx"))
        ib_client.post(file_url("docx"), HTTP_ACCEPT_LANGUAGE="fr", headers={"Accept-Language": "fr"})
        ib_client.cookies["django_language"] = "es"
        ib_client.post(file_url("docx"))
    assert sorted(ExportBuild.objects.values_list("language", flat=True)) == ["en", "es", "fr"]
    assert len(queued_builds(queue)) == 3


def test_a_new_build_replaces_the_old_one_and_its_file(
    ib_client, published, queue, secretariat_reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ib_client.post(file_url("csv"))
    run_queued(queue)
    old = ExportBuild.objects.get()
    assert default_storage.exists(old.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        response_reopen(response=published, user=secretariat_reviewer, comment="Check q4.")
    # The accepted figures changed: the old file is not served for the new data.
    page = ib_client.get(file_url("csv"))
    assert page.status_code == 200 and b"Prepare CSV (zip) of the whole report" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        ib_client.post(file_url("csv"))
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes once the deletion commits
        run_queued(queue)
    new = ExportBuild.objects.get()
    assert new.pk != old.pk and new.state == "done"
    assert not default_storage.exists(old.file.name)
    archive = zipfile.ZipFile(io.BytesIO(_content(ib_client.get(file_url("csv")))))
    assert archive.namelist()[0] == "01-participation.csv"


# --- who may ask, who may download --------------------------------------------------------


def test_a_visitor_never_causes_a_build(client, published, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(file_url("pdf"))
        refused = client.post(file_url("pdf"))
    assert page.status_code == 503 and page["Retry-After"] == str(120)
    assert b"The file is being prepared" in page.content and b"Try again in a few minutes" in page.content
    assert refused.status_code == 403
    assert not ExportBuild.objects.exists() and queued_builds(queue) == []


def test_a_visitor_is_told_when_nothing_is_published(client, survey_round):
    page = client.get(file_url("pdf"))
    assert page.status_code == 404 and b"Nothing is published in this round yet" in page.content


PERSONAS = ("anonymous", "office_a_respondent", "office_b_respondent", "secretariat_reviewer")


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_figures_it_may_see_and_no_others(
    request, client, persona, published, make_response, office_b_respondent, queue, django_capture_on_commit_callbacks
):
    from surveys.demo import EPO_PATENTS

    make_response(office_b_respondent, dict(EPO_PATENTS), label="Patents", submit=True)
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    if user:
        client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(file_url("xlsx", include="submitted"))
    if persona == "anonymous":
        assert asked.status_code == 403 and not ExportBuild.objects.exists()
        return
    build = ExportBuild.objects.get()
    expected = "with_submitted" if persona == "secretariat_reviewer" else "published"
    assert build.scope == expected and asked["Location"] == build_url(build)
    run_queued(queue)
    assert client.get(build_url(build, "export_build_file")).status_code == 200


@pytest.mark.parametrize("persona", PERSONAS[:3])
def test_a_build_of_unpublished_figures_is_hidden_from_all_but_the_secretariat(
    request, client, persona, published, secretariat_reviewer, queue, django_capture_on_commit_callbacks
):
    client.force_login(secretariat_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(file_url("xlsx"))
    run_queued(queue)
    build = ExportBuild.objects.get(scope="reviewed")
    client.logout()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    for view in ("export_build", "export_build_status", "export_build_file"):
        assert client.get(build_url(build, view)).status_code == 404
    # Their own download address gives the published figures, never the reviewed ones.
    response = client.get(file_url("xlsx"))
    assert not isinstance(response, FileResponse)


# --- published figures are prepared before anyone asks -------------------------------------


def test_publishing_queues_the_public_files_and_a_visitor_downloads_them(
    settings, client, make_response, office_a_respondent, moldova_answers, secretariat_reviewer, queue,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.WIPOSTAD_PREPARE_PUBLIC_EXPORTS = True
    with django_capture_on_commit_callbacks(execute=True):
        response = make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    expected = len(builds.STORED_FORMATS) * len(builds.LANGUAGES)
    assert ExportBuild.objects.filter(scope="published", table_id="").count() == expected
    assert len(queued_builds(queue)) == expected

    waiting = client.get(file_url("xlsx"))
    assert waiting.status_code == 503 and b"Waiting for a free worker" in waiting.content
    # Only the XLSX files here (PDF and DOCX are exercised above): the worker's part.
    for result in queued_builds(queue):
        build = ExportBuild.objects.get(pk=result.args[0])
        if build.format == "xlsx":
            assert result.task.call(*result.args) == "done"
    served = client.get(file_url("xlsx"))
    assert isinstance(served, FileResponse) and _content(served)[:2] == b"PK"

    # Reopened: the public figures change, so the public files are queued again.
    queue.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response_reopen(response=response, user=secretariat_reviewer, comment="Check q4.")
    assert len(queued_builds(queue)) == expected
    assert client.get(file_url("xlsx")).status_code == 404  # nothing is published any more


def test_a_visitor_asking_for_one_table_is_sent_to_the_whole_report(client, published):
    page = client.get(file_url("pdf", table="q5"))
    assert page.status_code == 404 and b"This file is prepared on request" in page.content


# --- serving -------------------------------------------------------------------------------


def test_the_stored_file_is_streamed_in_blocks_without_building_anything(
    ib_client, published, queue, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ib_client.post(file_url("csv"))
    run_queued(queue)
    build = ExportBuild.objects.get()

    def must_not_build(*args, **kwargs):
        raise AssertionError("the stored file is served; nothing is built")

    monkeypatch.setattr(exporters, "export", must_not_build)
    monkeypatch.setattr(tables, "build_report", must_not_build)
    response = ib_client.get(file_url("csv"))
    assert isinstance(response, FileResponse) and response.streaming
    assert response.block_size == builds.CHUNK_BYTES
    assert response["Content-Length"] == str(build.size)
    first = next(iter(response.streaming_content))
    assert first[:2] == b"PK" and len(first) <= builds.CHUNK_BYTES
    assert "no-store" in response["Cache-Control"]  # the secretariat's figures stay out of shared caches


def test_a_file_missing_from_storage_is_built_again(ib_client, published, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ib_client.post(file_url("csv"))
    run_queued(queue)
    build = ExportBuild.objects.get()
    default_storage.delete(build.file.name)
    page = ib_client.get(file_url("csv"))
    assert page.status_code == 200 and b"Build it again" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        ib_client.post(build_url(build))
    assert run_queued(queue) == ["done"]
    assert _content(ib_client.get(file_url("csv")))[:2] == b"PK"


def test_the_status_endpoint_costs_the_same_queries_however_large_the_round(
    client, ib_client, published, make_response, office_a_respondent, moldova_answers, queue,
    django_capture_on_commit_callbacks, django_assert_num_queries,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        ib_client.post(file_url("csv"))
    build = ExportBuild.objects.get()
    url = build_url(build, "export_build_status")
    ib_client.get(url)

    def cost() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert ib_client.get(url).status_code == 200
        return len(queries)

    small = cost()
    for label in ("Patents", "Designs", "Utility models"):
        make_response(office_a_respondent, moldova_answers, label=label, publish=True)
    run_queued(queue)
    assert cost() == small
    # session, user, group names (the secretariat's rule), the build
    assert small <= 4


# --- failures ------------------------------------------------------------------------------


def test_a_failed_build_says_so_plainly_and_can_be_built_again(
    ib_client, published, queue, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("layout engine exploded at line 42")

    monkeypatch.setattr(exporters, "export", broken)
    with django_capture_on_commit_callbacks(execute=True):
        ib_client.post(file_url("docx"))
    assert run_queued(queue) == ["failed"]
    build = ExportBuild.objects.get()
    assert build.state == "failed" and "RuntimeError" in build.error  # for the secretariat's records
    page = ib_client.get(build_url(build))
    assert b"The file could not be built" in page.content and b"Build it again" in page.content
    assert b"exploded" not in page.content and b"Traceback" not in page.content
    assert b"exploded" not in ib_client.get(build_url(build, "export_build_status")).content

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        again = ib_client.post(build_url(build))
    assert again["Location"] == build_url(build)
    assert run_queued(queue) == ["done"]
    build.refresh_from_db()
    assert build.state == "done" and build.error == ""


def test_a_build_running_too_long_counts_as_failed(
    settings, ib_client, published, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ib_client.post(file_url("pdf"))
    build = ExportBuild.objects.get()
    queue.clear()
    ExportBuild.objects.filter(pk=build.pk).update(state="running", started_at=timezone.now() - timedelta(minutes=5))
    assert ib_client.get(build_url(build, "export_build_status")).json()["state"] == "running"
    settings.WIPOSTAD_EXPORT_BUILD_TIMEOUT = 60
    status = ib_client.get(build_url(build, "export_build_status")).json()
    assert status["state"] == "failed" and "could not be built" in status["message"]
    with django_capture_on_commit_callbacks(execute=True):
        ib_client.post(file_url("pdf"))  # asking again for the same data retries it
    assert [r.args for r in queued_builds(queue)] == [[build.pk]]
    build.refresh_from_db()
    assert build.state == "queued"


def test_a_build_whose_data_changed_while_it_waited_is_not_built(
    ib_client, published, queue, secretariat_reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ib_client.post(file_url("pdf"))
    response_reopen(response=published, user=secretariat_reviewer, comment="Check q4.")
    assert run_queued(queue) == ["superseded"]
    build = ExportBuild.objects.get()
    assert build.state == "failed" and not build.file
    assert "figures changed" in ib_client.get(build_url(build, "export_build_status")).json()["message"]


def test_serving_a_stored_file_costs_the_same_queries_however_large_the_round(
    ib_client, published, make_response, office_a_respondent, moldova_answers, queue,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def serve_cost() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            ib_client.post(file_url("csv"))
        run_queued(queue)
        with CaptureQueriesContext(connection) as queries:
            response = ib_client.get(file_url("csv"))
        assert isinstance(response, FileResponse)
        return len(queries)

    small = serve_cost()
    for label in ("Patents", "Designs", "Utility models"):
        make_response(office_a_respondent, moldova_answers, label=label, publish=True)
    assert serve_cost() == small
    # session, user, group names, the round with its edition, two for the fingerprint, the build
    assert small <= 7


def test_deleting_a_round_s_builds_deletes_their_files(ib_client, published, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ib_client.post(file_url("xlsx"))
    run_queued(queue)
    build = ExportBuild.objects.get()
    assert default_storage.exists(build.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert builds.discard(ExportBuild.objects.all()) == 1
    assert not default_storage.exists(build.file.name)


def test_the_command_queues_the_public_files_of_rounds_with_published_figures(
    published, queue, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("prepare_exports", stdout=out)
    expected = len(builds.STORED_FORMATS) * len(builds.LANGUAGES)
    assert out.getvalue().strip() == f"{ROUND}: {expected} file(s) queued"
    assert len(queued_builds(queue)) == expected
    assert set(ExportBuild.objects.values_list("scope", flat=True)) == {"published"}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("prepare_exports", stdout=out)  # nothing new: nothing queued again
    assert len(queued_builds(queue)) == expected


def test_a_published_response_corrected_in_place_queues_fresh_public_files(
    settings, published, queue, django_capture_on_commit_callbacks
):
    settings.WIPOSTAD_PREPARE_PUBLIC_EXPORTS = True
    with django_capture_on_commit_callbacks(execute=True):
        published.answers = {**published.answers, "q1b": "1991"}
        published.save(update_fields=["answers", "updated_at"])
    first = {b.fingerprint for b in ExportBuild.objects.exclude(format="opendata")}
    assert len(first) == 1 and len(queued_builds(queue)) == len(builds.STORED_FORMATS) * len(builds.LANGUAGES)
    with django_capture_on_commit_callbacks(execute=True):
        published.answers = {**published.answers, "q1b": "1990"}
        published.save(update_fields=["answers", "updated_at"])
    assert {b.fingerprint for b in ExportBuild.objects.all()} - first  # built again for the new answers


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_and_its_worker_build_the_file(
    settings, client, secretariat_reviewer, make_response, office_a_respondent, moldova_answers
):
    """As in production: the task waits in the database until `manage.py db_worker` takes it."""
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    client.force_login(secretariat_reviewer)
    client.post(file_url("xlsx"))
    build = ExportBuild.objects.get()
    assert build.state == "queued"
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, stdout=io.StringIO())
    build.refresh_from_db()
    assert build.state == "done"
    assert _content(client.get(file_url("xlsx")))[:2] == b"PK"


def test_a_file_asked_for_in_french_is_written_in_french(
    ib_client, published, queue, django_capture_on_commit_callbacks
):
    from openpyxl import load_workbook

    ib_client.cookies["django_language"] = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        ib_client.post(file_url("xlsx"))
    assert run_queued(queue) == ["done"]
    build = ExportBuild.objects.get()
    assert build.language == "fr"
    book = load_workbook(io.BytesIO(_content(ib_client.get(file_url("xlsx")))), read_only=True)
    first_sheet = book.worksheets[0]
    scope_line = next(first_sheet.iter_rows(min_row=2, max_row=2, values_only=True))[0]
    assert scope_line.endswith("réponses acceptées et publiées")
