"""The report page read from a stored build: built once per state of the figures (at once
for a small round, by the worker for a large one), then served a page of rows at a time
without reading or evaluating a single response."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.models import ExportBuild, NumberingSystem, SurveyResponse, SurveyRound
from surveys.reports import builds, snapshots, tables
from surveys.reports.tables import PAGE_ROWS, Scope
from tests.surveys.report_files import run_queued_builds
from tests.surveys.test_report_streaming import many_responses
from tests.surveys.test_reports import (
    JP_VARIABLE,
    KR_CONFORMANT,
    ROUND_SLUG,
    build_report_round,
    report_url,
    rows_of,
    totals_of,
)


@pytest.fixture
def report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers):
    """MD, EP and KR published; JP accepted; FR submitted (tests/surveys/test_reports.py)."""
    return build_report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers)


@pytest.fixture
def evaluations(monkeypatch):
    """How many responses the report builder evaluated (one call per response read)."""
    calls = []
    original = tables.evaluate

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(tables, "evaluate", counting)
    return calls


@pytest.fixture
def opened(monkeypatch):
    """The names of the stored files read."""
    names = []
    original = default_storage.open

    def recording(name, mode="rb"):
        names.append(name)
        return original(name, mode)

    monkeypatch.setattr(default_storage, "open", recording)
    return names


def page_builds(**filters):
    return ExportBuild.objects.filter(format=builds.PAGE, **filters)


def _figures(html: str) -> dict:
    # The participating offices are a list (Handbook 7.2.5): rows, no totals.
    figures = {table: (rows_of(html, table), totals_of(html, table)) for table in ("q5", "compliance")}
    return {**figures, "participation": rows_of(html, "participation")}


# --- built once, then read --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_request_for_the_same_figures_evaluates_no_response(client, report_round, evaluations, opened):
    first = client.get(report_url())
    assert first.status_code == 200
    assert len(evaluations) == 3  # the three published responses, once each
    build = page_builds().get()
    assert (build.state, build.scope, build.language, build.table_id) == ("done", "published", "en", "")

    evaluations.clear()
    opened.clear()
    second = client.get(report_url())
    assert second.status_code == 200 and evaluations == []
    assert _figures(second.content.decode()) == _figures(first.content.decode())
    assert "3 offices submitted 3 responses." in second.content.decode()
    # The whole page is its summary: one file, however many rows the tables have.
    assert opened == [build.file.name]
    # One table, another page: read from the same build.
    assert client.get(report_url(table="q9")).status_code == 200
    assert evaluations == [] and page_builds().count() == 1


@pytest.mark.django_db
def test_a_changed_response_makes_a_new_build_and_the_old_one_goes(
    client, report_round, evaluations, django_capture_on_commit_callbacks
):
    client.get(report_url())
    old = page_builds().get()
    md = SurveyResponse.objects.get(office_id="MD", status="published")
    md.answers = {**md.answers, "q1a": ["patents"]}
    md.version += 1  # a new version of the response, as every save makes
    md.save(update_fields=["answers", "version", "updated_at"])
    evaluations.clear()
    with django_capture_on_commit_callbacks(execute=True):
        html = client.get(report_url(table="q1")).content.decode()
    assert len(evaluations) == 3
    md_row = next(r for r in rows_of(html, "q1") if r[0] == "MD 2/2")
    assert md_row[1] == "✓"  # patents, now ticked
    new = page_builds().get()  # the old build was replaced …
    assert new.pk != old.pk and new.fingerprint != old.fingerprint
    assert not default_storage.exists(old.file.name)  # … with its files
    assert not default_storage.exists(snapshots.folder_of(old.file.name))  # its folder, pages and all
    evaluations.clear()
    client.get(report_url(table="q1"))
    assert evaluations == []


@pytest.mark.django_db
def test_each_scope_and_language_has_its_own_build(client, report_round, secretariat_reviewer):
    client.get(report_url())
    client.force_login(secretariat_reviewer)
    html = client.get(report_url()).content.decode()
    assert "4 offices submitted 4 responses." in html
    assert "5 offices submitted 5 responses." in client.get(report_url(include="submitted")).content.decode()
    client.cookies["django_language"] = "fr"
    assert client.get(report_url()).status_code == 200
    assert set(page_builds().values_list("scope", "language")) == {
        ("published", "en"),
        ("reviewed", "en"),
        ("with_submitted", "en"),
        ("reviewed", "fr"),
    }


@pytest.mark.django_db
def test_a_stored_build_gone_from_storage_is_built_again(client, report_round, evaluations):
    client.get(report_url())
    build = page_builds().get()
    default_storage.delete(build.file.name)
    evaluations.clear()
    html = client.get(report_url()).content.decode()
    assert "3 offices submitted 3 responses." in html and len(evaluations) == 3
    assert page_builds().get().state == "done"


# --- a large round: built in the background, the page shows how far it has got ----------------


@pytest.mark.django_db
def test_a_large_round_is_built_in_the_background_while_the_page_shows_its_progress(
    client, settings, report_round, secretariat_reviewer, evaluations
):
    settings.WIPOSTAD_REPORT_INLINE_LIMIT = 2  # the secretariat's figures: 4 responses
    client.force_login(secretariat_reviewer)
    waiting = client.get(report_url(table="q5"))
    html = waiting.content.decode()
    assert waiting.status_code == 200 and evaluations == []
    build = page_builds().get()
    assert (build.state, build.scope) == ("queued", "reviewed")
    assert "Waiting to be built" in html and "Waiting for a free worker" in html
    assert 'data-status-url="' + reverse("reports:export_build_status", args=[ROUND_SLUG, build.pk]) in html
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in html
    assert 'href="' + report_url(table="q5") + '"' in html  # "Check again": the same address
    assert "report-table" not in html and 'data-role="file"' not in html  # never a half-built page
    assert waiting["Cache-Control"] == "no-store"
    # Asked again while it waits: the same build, not another.
    client.get(report_url())
    assert page_builds().count() == 1

    assert run_queued_builds() == ["done"]
    status = client.get(reverse("reports:export_build_status", args=[ROUND_SLUG, build.pk])).json()
    assert status["state"] == "done" and status["file_url"] == reverse("reports:round_report", args=[ROUND_SLUG])
    html = client.get(report_url()).content.decode()
    assert "4 offices submitted 4 responses." in html
    assert [r[0] for r in rows_of(html, "q1")] == ["EP 1/1", "JP 1/1", "KR 1/1", "MD 2/2"]
    assert len(evaluations) == 4  # by the worker, once


@pytest.mark.django_db
def test_a_large_round_s_build_gone_from_storage_is_queued_again(client, settings, report_round, secretariat_reviewer):
    settings.WIPOSTAD_REPORT_INLINE_LIMIT = 2
    client.force_login(secretariat_reviewer)
    client.get(report_url())
    run_queued_builds()
    build = page_builds().get()
    snapshots.delete(snapshots.folder_of(build.file.name))
    waiting = client.get(report_url())
    assert waiting.status_code == 200 and b"Waiting for a free worker" in waiting.content
    assert page_builds().get().state == "queued"
    assert run_queued_builds() == ["done"]
    assert "4 offices submitted 4 responses." in client.get(report_url()).content.decode()


@pytest.mark.django_db
def test_a_visitor_never_causes_the_build_of_a_large_round(client, settings, report_round, evaluations):
    settings.WIPOSTAD_REPORT_INLINE_LIMIT = 2  # the published figures: 3 responses
    page = client.get(report_url())
    assert page.status_code == 503 and page["Retry-After"] == str(120)
    assert b"The report is being prepared" in page.content and b"report-table" not in page.content
    assert not page_builds().exists() and evaluations == []

    # Publishing queues the public builds (here by hand, as the receivers do on commit).
    builds.queue_published(SurveyRound.objects.get(slug=ROUND_SLUG))
    waiting = client.get(report_url())
    assert waiting.status_code == 503 and b"Waiting for a free worker" in waiting.content
    assert b"data-status-url" in waiting.content and page_builds(language="en").get().state == "queued"
    assert [builds.run_build(b.pk) for b in page_builds()] == ["done"] * 3  # the worker's part
    html = client.get(report_url()).content.decode()
    assert "3 offices submitted 3 responses." in html


@pytest.mark.django_db
def test_a_small_round_takes_over_a_build_queued_for_it(client, report_round, evaluations):
    builds.queue_published(SurveyRound.objects.get(slug=ROUND_SLUG))
    assert client.get(report_url()).status_code == 200 and len(evaluations) == 3
    build = page_builds(language="en").get()
    assert build.state == "done"
    assert builds.run_build(build.pk) == "nothing to build"  # the worker finds it done


@pytest.mark.django_db
def test_a_failed_build_says_so_and_the_secretariat_can_try_again(
    client, settings, report_round, secretariat_reviewer, monkeypatch
):
    settings.WIPOSTAD_REPORT_INLINE_LIMIT = 2
    client.force_login(secretariat_reviewer)
    client.get(report_url())

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(snapshots, "write", broken)
    assert run_queued_builds() == ["failed"]
    html = client.get(report_url()).content.decode()
    build = page_builds().get()
    assert "The report could not be prepared." in html and "disk full" not in html
    assert reverse("reports:export_build", args=[ROUND_SLUG, build.pk]) in html
    monkeypatch.undo()
    client.post(reverse("reports:export_build", args=[ROUND_SLUG, build.pk]))
    assert run_queued_builds() == ["done"]
    assert "4 offices submitted 4 responses." in client.get(report_url()).content.decode()


# --- who sees which build ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "fr.respondent"])
@pytest.mark.django_db
def test_the_secretariat_s_build_is_never_shown_to_others(
    client, settings, report_round, secretariat_reviewer, persona
):
    settings.WIPOSTAD_REPORT_INLINE_LIMIT = 3  # the published figures at once, the secretariat's by the worker
    client.force_login(secretariat_reviewer)
    client.get(report_url(include="submitted"))
    run_queued_builds()
    reviewed = page_builds(scope="with_submitted").get()
    assert reviewed.state == "done"
    client.logout()
    if persona != "anonymous":
        client.force_login(User.objects.get(username=persona))
    # Their page: the published figures only (a build of their own, queued by no visitor).
    html = client.get(report_url(include="submitted", table="q1")).content.decode()
    assert "3 offices submitted 3 responses." in html
    assert [r[0] for r in rows_of(html, "q1")] == ["EP 1/1", "KR 1/1", "MD 2/2"]
    assert page_builds(scope="published").get().state == "done"
    for view in ("export_build", "export_build_status", "export_build_file"):
        assert client.get(reverse(f"reports:{view}", args=[ROUND_SLUG, reviewed.pk])).status_code == 404


@pytest.mark.django_db
def test_a_page_build_is_no_download(client, report_round, secretariat_reviewer):
    client.force_login(secretariat_reviewer)
    client.get(report_url())
    build = page_builds().get()
    file_page = client.get(reverse("reports:export_build_file", args=[ROUND_SLUG, build.pk]))
    assert file_page.status_code == 302 and file_page["Location"] == reverse("reports:round_report", args=[ROUND_SLUG])
    progress = client.get(reverse("reports:export_build", args=[ROUND_SLUG, build.pk])).content.decode()
    assert "Show the report" in progress and "Size:" not in progress
    assert client.get(reverse("reports:report_file", args=[ROUND_SLUG, "page"])).status_code == 404


# --- the cost of a page does not grow with the round ------------------------------------------------


@pytest.mark.parametrize("query", ["", "table=compliance_reasons&page=2", "table=q5&page=2"])
@pytest.mark.django_db
def test_a_page_from_the_stored_build_costs_the_same_whatever_the_number_of_responses(
    client, survey_round, django_assert_num_queries, evaluations, opened, query
):
    counts = {}
    for n in (PAGE_ROWS + 5, 3 * PAGE_ROWS):
        SurveyResponse.objects.all().delete()
        NumberingSystem.objects.all().delete()
        many_responses(survey_round, n, [KR_CONFORMANT, JP_VARIABLE])
        client.get(report_url())  # builds it
        evaluations.clear()
        opened.clear()
        with CaptureQueriesContext(connection) as served:
            page = client.get(report_url() + ("?" + query if query else ""))
        assert page.status_code == 200 and evaluations == []
        counts[n] = (len(served.captured_queries), len(opened))
        table_id = query.split("&")[0][len("table=") :] if query else "participation"
        assert rows_of(page.content.decode(), table_id)
    assert counts[PAGE_ROWS + 5] == counts[3 * PAGE_ROWS]
    assert counts[PAGE_ROWS + 5][1] == (2 if query else 1)  # the summary, and the page's file


@pytest.mark.django_db
def test_pages_of_a_stored_table_hold_the_same_rows_as_the_report(client, survey_round, evaluations):
    n = 2 * PAGE_ROWS + 3
    many_responses(survey_round, n, [KR_CONFORMANT, JP_VARIABLE])
    rnd = SurveyRound.objects.select_related("edition").get(pk=survey_round.pk)
    with tables.build_report(rnd, scope=Scope.PUBLISHED, only="q5") as report:
        expected = [[c.value for c in row.cells] for row in report.table("q5").rows]
    shown = []
    for number in (1, 2, 3):
        html = client.get(report_url(table="q5", page=str(number))).content.decode()
        shown += rows_of(html, "q5")
    assert len(shown) == n
    assert [r[0] for r in shown] == [str(row[0]) for row in expected]
    assert client.get(report_url(table="q5", page="4")).status_code == 404


def test_the_stored_form_keeps_every_cell(db, report_round, tmp_path):
    rnd = SurveyRound.objects.select_related("edition").get(slug=ROUND_SLUG)
    with tables.build_report(rnd, scope=Scope.WITH_SUBMITTED, language="es") as report:
        name, size = snapshots.write(report, "report-pages/test/1-a", size=2)
        stored = snapshots.read(name, rnd)
        assert size > 0 and stored.table_ids == tuple(t.id for t in report.tables)
        assert stored.report.summary == report.summary and stored.report.scope_label == report.scope_label
        for original, kept in zip(report.tables, stored.report.tables, strict=True):
            assert kept.as_dict() == original.as_dict()  # rows (read a page at a time), totals, chart, notes
            assert kept.header_rows == original.header_rows and kept.collapsible == original.collapsible
            assert (kept.chart.svg if kept.chart else None) == (original.chart.svg if original.chart else None)
    assert snapshots.delete("report-pages/test/1-a") > len(report.tables)
    assert not default_storage.exists(name)
    with pytest.raises(snapshots.StoredReportMissing):
        snapshots.read(name, rnd)


# --- prepared ahead ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_builds_the_public_report_pages_now(report_round, settings):
    settings.WIPOSTAD_REPORT_INLINE_LIMIT = 0
    out = io.StringIO()
    call_command("prepare_exports", "--pages-now", ROUND_SLUG, stdout=out)
    assert out.getvalue().strip() == f"{ROUND_SLUG}: 3 report page build(s) made"
    assert set(ExportBuild.objects.values_list("format", "language", "state")) == {
        ("page", language, "done") for language in builds.LANGUAGES
    }
    call_command("prepare_exports", "--pages-now", ROUND_SLUG, stdout=out)
    assert out.getvalue().strip().endswith("0 report page build(s) made")


@pytest.mark.django_db
def test_the_page_decision_for_a_visitor_of_a_large_round(report_round, settings):
    settings.WIPOSTAD_REPORT_INLINE_LIMIT = 2
    rnd = SurveyRound.objects.select_related("edition").get(slug=ROUND_SLUG)
    page = builds.report_page(rnd, Scope.PUBLISHED, "en", AnonymousUser())
    assert page.stored is None and page.build is None and not page.may_prepare
    assert page.state.responses == 3


# --- measured as a page --------------------------------------------------------------------------


def test_the_bench_measures_the_page_from_its_build_as_a_page_and_the_build_per_response():
    from surveys.management.commands.bench_scale import TARGETS, Measured, check_growth

    page = next(t for t in TARGETS if t.key == "report-page")
    build = next(t for t in TARGETS if t.key == "report")
    assert (page.kind, page.along, build.kind) == ("page", "report", "report")

    def failing(results):
        return {(c.what, c.detail.split(" ")[0]) for c in check_growth(results) if not c.ok}

    flat = [Measured(page, 1, seconds=0.08, memory=8, queries=5), Measured(page, 10, seconds=0.06, memory=8, queries=5)]
    assert failing(flat) == set()
    growing = [
        Measured(page, 1, seconds=0.08, memory=8, queries=5),
        Measured(page, 10, seconds=0.8, memory=8, queries=5),
    ]
    assert failing(growing) == {("round report page (from its stored build) at 10×", "time")}
    # PDF against the build of the same report (its HTML's cost), not the page served from it.
    pdf = next(t for t in TARGETS if t.key == "pdf")
    assert failing([Measured(build, 1, rows=300, seconds=2.0), Measured(pdf, 1, rows=300, seconds=9.0)]) == set()
