"""The report in constant memory: rows kept in row stores, downloads streamed, the page a page of rows at a time."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import tracemalloc
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.models import NumberingSystem, ResponseStatus, SurveyResponse
from surveys.reports import exporters, rowstore, tables
from surveys.reports.rowstore import RowStore, StoreClosed
from surveys.reports.tables import PAGE_ROWS, Cell, Row, Scope
from tests.surveys.report_files import close_response
from tests.surveys.test_exports import Downloaded, from_csv_zip, from_json, from_xlsx
from tests.surveys.test_reports import JP_VARIABLE, KR_CONFORMANT, build_report_round, report_url, rows_of, totals_of


@pytest.fixture
def report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers):
    return build_report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers)


@pytest.fixture
def signed_in(client, django_user_model):
    """The whole report's XLSX and CSV zip stream only for signed-in users (visitors get the
    stored build); a user of no office sees the published figures, as a visitor does."""
    client.force_login(django_user_model.objects.create_user("reader"))
    return client


@pytest.fixture
def spill_early(monkeypatch):
    """Row stores keep only two rows in memory: every table of a small round goes to disk."""
    monkeypatch.setattr(rowstore, "MEMORY_ROWS", 2)
    monkeypatch.setattr(RowStore.__init__, "__kwdefaults__", {"memory_rows": 2})


@pytest.fixture
def temporary_files(monkeypatch):
    """Every temporary file the report and its downloads open, to check they are closed (deleted)."""
    opened = []
    original = tempfile.TemporaryFile

    def recording(*args, **kwargs):
        file = original(*args, **kwargs)
        opened.append(file)
        return file

    monkeypatch.setattr(tempfile, "TemporaryFile", recording)
    return opened


def many_responses(survey_round, n: int, answer_sets: list[dict]) -> None:
    """n published responses spread over the offices (several numbering systems each)."""
    from standards.models import Office

    offices = list(Office.objects.order_by("code"))
    picked = [offices[i % len(offices)] for i in range(n)]
    systems = NumberingSystem.objects.bulk_create(
        NumberingSystem(office=o, label=f"System {i}") for i, o in enumerate(picked)
    )
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            round=survey_round,
            office=o,
            numbering_system=s,
            sequence=i // len(offices) + 1,
            status=ResponseStatus.PUBLISHED,
            answers=answer_sets[i % len(answer_sets)],
        )
        for i, (o, s) in enumerate(zip(picked, systems, strict=True))
    )


def read(response) -> bytes:
    content = response.getvalue()
    close_response(response)
    return content


# --- row stores -------------------------------------------------------------------------------


def _row(i: int) -> Row:
    return Row(f"k{i}", [Cell(f"K {i}"), Cell(i, css="rt-count"), Cell("Deviates", note=f"reason {i}\nline 2")])


def test_row_store_keeps_order_length_and_can_be_read_again_and_at_once():
    store = tables.row_store()
    assert len(store) == 0 and not store and list(store) == []
    rows = [_row(i) for i in range(350)]
    for row in rows:
        store.append(row)
    assert len(store) == 350 and store.spilled
    assert list(store) == rows
    assert list(store) == rows  # again
    # Two readers at once, each at its own place in the file.
    first, second = iter(store), iter(store)
    pairs = list(zip(first, second, strict=True))
    assert all(a == b for a, b in pairs) and len(pairs) == 350
    store.close()
    assert store.closed
    with pytest.raises(StoreClosed):
        list(store)
    with pytest.raises(StoreClosed):
        store.append(rows[0])


def test_row_store_rebuilds_common_cells_as_the_same_objects():
    store = RowStore(tables._encode_row, tables._decode_row, memory_rows=0)
    store.append(Row("k", [Cell("K"), tables.TICK, tables.BLANK, tables.NOT_APPLICABLE]))
    (row,) = list(store)
    assert row.cells[1] is tables.TICK and row.cells[2] is tables.BLANK and row.cells[3] is tables.NOT_APPLICABLE
    store.close()


def test_row_store_stops_a_reader_when_closed():
    store = RowStore(tables._encode_row, tables._decode_row, memory_rows=1)
    for i in range(5):
        store.append(_row(i))
    reader = iter(store)
    assert next(reader) == _row(0)
    store.close()
    with pytest.raises(StoreClosed):
        next(reader)


# --- the same figures, rows from disk -----------------------------------------------------------


@pytest.mark.django_db
def test_report_from_disk_has_the_same_figures_in_every_format(
    client, report_round, secretariat_reviewer, spill_early, temporary_files
):
    client.force_login(secretariat_reviewer)
    report = tables.build_report(report_round, scope=Scope.REVIEWED)
    assert report.table("compliance_reasons").rows.spilled
    old_json = json.dumps(report.as_dict(), ensure_ascii=False, indent=1).encode()
    # The streamed JSON is the very document json.dumps made of the whole report.
    assert b"".join(exporters.json_chunks(report)) == old_json
    assert b"".join(exporters.json_chunks(report, "q6")) == json.dumps(
        {**report.as_dict(), "tables": [report.table("q6").as_dict()]}, ensure_ascii=False, indent=1
    ).encode("utf-8")
    report.close()

    data = json.loads(read(client.get(report_url(format="json"))))
    assert data["generated_at"]
    expected = from_json(data)
    assert expected["compliance"]["totals"]["Deviates"]["overall"] == 3
    layout = {t["id"]: {"columns": t["columns"], "labels": [x["label"] for x in t["totals"]]} for t in data["tables"]}
    assert from_csv_zip(read(client.get(report_url(format="csv"))), layout) == expected
    assert from_xlsx(read(client.get(report_url(format="xlsx"))), layout) == expected
    assert temporary_files and all(file.closed for file in temporary_files)


# --- streamed downloads, temporary files deleted -------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
@pytest.mark.django_db
def test_downloads_stream_and_delete_their_temporary_files(signed_in, report_round, spill_early, temporary_files, fmt):
    response = signed_in.get(report_url(format=fmt))
    assert response.streaming
    # The rows are on disk until the download has been sent …
    assert any(not file.closed for file in temporary_files)
    pieces = list(response.streaming_content)
    assert b"".join(pieces)
    close_response(response)
    # … and gone afterwards.
    assert temporary_files and all(file.closed for file in temporary_files)


@pytest.mark.django_db
def test_a_download_given_up_halfway_deletes_its_temporary_files(client, report_round, spill_early, temporary_files):
    response = client.get(report_url(format="csv", table="compliance_reasons"))
    next(iter(response.streaming_content))
    close_response(response)
    assert temporary_files and all(file.closed for file in temporary_files)


@pytest.mark.django_db
def test_the_report_page_deletes_its_temporary_files(client, report_round, spill_early, temporary_files):
    assert client.get(report_url()).status_code == 200
    assert temporary_files and all(file.closed for file in temporary_files)


@pytest.mark.django_db
def test_whole_report_zip_is_written_as_it_is_sent(signed_in, report_round):
    response = signed_in.get(report_url(format="csv"))
    assert response.streaming and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(read(response))) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names[0] == "01-participation.csv" and names[-1].endswith("-compliance-reasons.csv")
        participation = list(csv.reader(io.StringIO(archive.read(names[0]).decode("utf-8-sig"))))
    assert participation[0] == ["Code", "Office"] and participation[-1] == ["MD", "Republic of Moldova"]


@pytest.mark.django_db
def test_xlsx_freezes_headers_merges_question_headings_and_keeps_numbers(signed_in, report_round):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(read(signed_in.get(report_url(format="xlsx")))))
    q1 = book["Q1"]
    assert q1.freeze_panes == "B5"  # title, scope, two header rows
    merged = [str(r) for r in q1.merged_cells.ranges]
    assert "B3:K3" in merged  # "1 a) Which types …" over its ten choices
    totals = next(row for row in q1.iter_rows(values_only=True) if row[0] == "Total")
    assert all(isinstance(v, int) for v in totals[1:]) and sum(totals[1:]) > 0  # numbers stay numbers
    participation = book["Participation"]
    assert participation.freeze_panes == "B4"
    assert [c.value for c in participation[6]] == ["MD", "Republic of Moldova"]
    compliance = book["ST.13 compliance"]
    header = [c.value for c in compliance[3]]
    assert header[1:3] == ["(a) Composition", "(a) Composition — Reason"]
    assert compliance.column_dimensions["C"].width == exporters.XLSX_REASON_WIDTH


# --- the page: a page of rows per table, totals complete ------------------------------------------


@pytest.mark.django_db
def test_report_page_shows_a_page_of_rows_with_complete_totals(client, survey_round):
    n = PAGE_ROWS + 7
    many_responses(survey_round, n, [KR_CONFORMANT, JP_VARIABLE])
    html = client.get(report_url()).content.decode()
    assert len(rows_of(html, "q5")) == PAGE_ROWS
    assert f"submitted {n} responses in total" in html
    assert totals_of(html, "q13")["Total"][0] == str(n)  # q13a answered by every response
    assert f"Rows 1–{PAGE_ROWS} of {n}" in html
    assert 'href="?table=q5&amp;page=2#q5" rel="next"' in html
    # The reasons: 8 rows per response, a page of them.
    assert len(rows_of(html, "compliance_reasons")) == PAGE_ROWS
    assert f"Show the reasons ({8 * n} rows)" in html

    second = client.get(report_url(table="q5", page="2")).content.decode()
    rows = rows_of(second, "q5")
    assert len(rows) == n - PAGE_ROWS
    assert totals_of(second, "q5") == totals_of(html, "q5")
    assert f"Rows {PAGE_ROWS + 1}–{n} of {n}" in second and "Page 2 of 2" in second
    assert 'href="?table=q5&amp;page=1#q5" rel="prev"' in second and 'rel="next"' not in second
    for page in ("3", "0", "x"):
        assert client.get(report_url(table="q5", page=page)).status_code == 404


@pytest.mark.django_db
def test_report_page_pages_keep_the_secretariat_scope(client, survey_round, secretariat_reviewer):
    client.force_login(secretariat_reviewer)
    many_responses(survey_round, PAGE_ROWS + 1, [KR_CONFORMANT])
    html = client.get(report_url(include="submitted")).content.decode()
    assert 'href="?table=q1&amp;page=2&amp;include=submitted#q1"' in html


@pytest.mark.parametrize("query", ["table=compliance_reasons&page=2", "table=q5&page=1"])
@pytest.mark.django_db
def test_table_pages_take_as_many_queries_whatever_the_number_of_responses(
    client, survey_round, moldova_answers, django_assert_num_queries, query
):
    many_responses(survey_round, 10, [moldova_answers])
    with CaptureQueriesContext(connection) as few:
        assert client.get(report_url() + "?" + query).status_code == 200
    SurveyResponse.objects.all().delete()
    NumberingSystem.objects.all().delete()
    many_responses(survey_round, 120, [moldova_answers])
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(report_url() + "?" + query).status_code == 200


# --- memory does not grow with the rows --------------------------------------------------------


def _peak(client, **params) -> int:
    # No gc.collect() here: it would empty the interpreter's free lists (of tuples, …), which
    # then fill again while rows are written and look like memory that grows.
    tracemalloc.start()
    try:
        response = client.get(report_url(**params))
        for _piece in response.streaming_content:
            pass
        close_response(response)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.django_db
def test_download_memory_does_not_grow_with_the_responses(signed_in, survey_round, monkeypatch, spill_early, fmt):
    # Responses are read a chunk at a time and rows kept in memory up to a bound: here both
    # rounds are several chunks, and beyond the bound, so only what grows with them shows.
    monkeypatch.setattr(tables, "CHUNK_SIZE", 20)
    answer_sets = [KR_CONFORMANT, JP_VARIABLE]
    many_responses(survey_round, 400, answer_sets)
    Downloaded(signed_in.get(report_url(format=fmt)))  # warm up: templates, catalogues, imports
    large = _peak(signed_in, format=fmt)
    SurveyResponse.objects.all().delete()
    NumberingSystem.objects.all().delete()
    many_responses(survey_round, 40, answer_sets)
    small = _peak(signed_in, format=fmt)
    # Ten times the responses (3,600 rows of reasons): the rows go to disk, not to memory.
    # The slack is the interpreter's free lists (tuples of up to 19 items, 2,000 of each
    # size: about 4.5 MB at most), which a full collection empties and the next rows fill;
    # rows held in memory would take some 25 MB more at this size.
    assert large < small + 4.5 * 2**20, (small, large)
