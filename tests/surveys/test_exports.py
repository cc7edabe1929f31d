"""Report downloads: every format carries the same figures as the page (one table definition)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.models import Attachment, ExportBuild, NumberingSystem, SurveyResponse
from surveys.reports import exporters, tables
from tests.surveys.report_files import close_response, fetch
from tests.surveys.test_reports import build_report_round, bulk_round, report_url, rows_of, totals_of

FORMATS = ("csv", "xlsx", "pdf", "docx", "json")


@pytest.fixture
def report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers):
    return build_report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers)


class Downloaded:
    """A download read to the end, as a browser would: `.content` works for streamed files too."""

    def __init__(self, response):
        self.response = response
        self.content = response.getvalue()
        close_response(response)

    def __getattr__(self, name):
        return getattr(self.response, name)

    def __getitem__(self, header):
        return self.response[header]

    def json(self):
        return json.loads(self.content)

    def getvalue(self):
        return self.content


def download(client, **params):
    response = fetch(client, report_url(**params))
    assert response.status_code == 200, response.status_code
    return Downloaded(response)


def _int_or_text(value) -> int | str:
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    text = str(value)
    return int(text) if text.isdigit() else text


# --- readers: each format back into {table id: {"rows": [...], "totals": {label: {column: n}}}} ----------


def from_json(data: dict) -> dict:
    result = {}
    for table in data["tables"]:
        result[table["id"]] = {
            "rows": [[_int_or_text(v) for v in row["values"]] for row in table["rows"]],
            "totals": {t["label"]: t["values"] for t in table["totals"]},
        }
    return result


def _totals(labels: list[str], columns: list[dict], rows: list[list]) -> dict:
    """Totals rows (label first) → {label: {column id: n}}, skipping cells that count nothing."""
    result = {}
    for row in rows:
        result[row[0]] = {c["id"]: int(v) for c, v in zip(columns[1:], row[1:], strict=True) if v not in ("", None)}
    assert list(result) == labels
    return result


def from_html(html: str, layout: dict) -> dict:
    result = {}
    for table_id, spec in layout.items():
        rows = [[_int_or_text(v) for v in r] for r in rows_of(html, table_id)]
        totals = totals_of(html, table_id) if spec["labels"] else {}
        result[table_id] = {
            "rows": rows,
            "totals": _totals(spec["labels"], spec["columns"], [[k, *v] for k, v in totals.items()]),
        }
    return result


def _without_reasons(row: list, columns: list[dict]) -> list:
    """CSV follows each column whose cells carry notes (verdicts) with them: drop those to compare."""
    out, i = [], 0
    for column in columns:
        out.append(row[i])
        i += 2 if column["notes"] else 1
    assert i == len(row)
    return out


def _width(columns: list[dict]) -> int:
    return sum(2 if column["notes"] else 1 for column in columns)


def from_csv_zip(content: bytes, layout: dict) -> dict:
    result = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        assert names == [f"{i:02d}-{tid.replace('_', '-')}.csv" for i, tid in enumerate(layout, start=1)]
        for name, (table_id, spec) in zip(names, layout.items(), strict=True):
            raw = archive.read(name)
            assert raw.startswith("\ufeff".encode())
            rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))[1:]
            rows = [[_int_or_text(v) for v in _without_reasons(r, spec["columns"])] for r in rows]
            n = len(spec["labels"])
            data, totals = (rows[:-n], rows[-n:]) if n else (rows, [])
            result[table_id] = {"rows": data, "totals": _totals(spec["labels"], spec["columns"], totals)}
    return result


def from_xlsx(content: bytes, layout: dict) -> dict:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    assert len(workbook.sheetnames) == len(layout)
    result = {}
    for sheet, (table_id, spec) in zip(workbook.worksheets, layout.items(), strict=True):
        values = [[_int_or_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        header_rows = 2 if any(c["group"] for c in spec["columns"]) else 1
        body = values[2 + header_rows :]
        # The table ends at the first empty row (notes and legend follow it).
        end = next((i for i, r in enumerate(body) if not any(v != "" for v in r)), len(body))
        # A verdict column is followed by its reasons, as in the CSV file: dropped to compare.
        body = [_without_reasons(r[: _width(spec["columns"])], spec["columns"]) for r in body[:end]]
        n = len(spec["labels"])
        data, totals = (body[:-n], body[-n:]) if n else (body, [])
        result[table_id] = {"rows": data, "totals": _totals(spec["labels"], spec["columns"], totals)}
    return result


def from_docx(content: bytes, layout: dict) -> dict:
    from docx import Document

    document = Document(io.BytesIO(content))
    assert len(document.tables) == len(layout)
    result = {}
    for grid, (table_id, spec) in zip(document.tables, layout.items(), strict=True):
        header_rows = 2 if any(c["group"] for c in spec["columns"]) else 1
        rows = [[_int_or_text(c.text) for c in row.cells] for row in grid.rows][header_rows:]
        n = len(spec["labels"])
        data, totals = (rows[:-n], rows[-n:]) if n else (rows, [])
        result[table_id] = {"rows": data, "totals": _totals(spec["labels"], spec["columns"], totals)}
    return result


# --- acceptance: the same figures everywhere ------------------------------------------------


@pytest.mark.django_db
def test_every_format_carries_the_same_rows_and_totals(client, report_round, secretariat_reviewer):
    client.force_login(secretariat_reviewer)
    data = json.loads(download(client, format="json").content)
    layout = {t["id"]: {"columns": t["columns"], "labels": [x["label"] for x in t["totals"]]} for t in data["tables"]}
    expected = from_json(data)
    # Sanity: the expected figures are the report's, and they are not trivial.
    assert len(expected["participation"]["rows"]) == 4 and expected["participation"]["totals"] == {}
    assert expected["q7"]["totals"]["Total"]["q7a.yes"] == 4
    assert expected["q6"]["totals"]["Total"] == {
        "q6a.yes": 3,
        "q6a.no": 1,
        "q6b.2": 1,
        "q6b.4": 2,
        "q6c.gregorian": 3,
        "q6c.other": 0,
        "q6c_other": 0,
    }
    assert expected["compliance"]["totals"]["Deviates"]["overall"] == 3
    assert expected["compliance"]["totals"]["Review"] == {"disagrees": 1}
    assert len(expected["compliance_reasons"]["rows"]) == 4 * 8

    html = download(client).content.decode()
    assert from_html(html, layout) == expected
    assert from_csv_zip(download(client, format="csv").content, layout) == expected
    assert from_xlsx(download(client, format="xlsx").content, layout) == expected
    assert from_docx(download(client, format="docx").content, layout) == expected

    pdf = download(client, format="pdf").content
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


@pytest.mark.django_db
def test_downloads_have_types_and_file_names(client, report_round, secretariat_reviewer):
    expected = {
        "csv": ("application/zip", "application-numbering-2012-report.zip"),
        "xlsx": (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application-numbering-2012-report.xlsx",
        ),
        "pdf": ("application/pdf", "application-numbering-2012-report.pdf"),
        "docx": (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application-numbering-2012-report.docx",
        ),
        "json": ("application/json; charset=utf-8", "application-numbering-2012-report.json"),
    }
    for fmt, (content_type, name) in expected.items():
        response = download(client, format=fmt)
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    one = download(client, format="csv", table="compliance_reasons")
    assert one["Content-Type"] == "text/csv; charset=utf-8"
    assert one["Content-Disposition"] == 'attachment; filename="application-numbering-2012-compliance-reasons.csv"'
    client.force_login(secretariat_reviewer)
    named = download(client, format="xlsx", table="q5", include="submitted")["Content-Disposition"]
    assert named == 'attachment; filename="application-numbering-2012-q5-with-submitted.xlsx"'
    assert "report-accepted.json" in download(client, format="json")["Content-Disposition"]


@pytest.mark.django_db
def test_single_table_downloads(client, report_round):
    rows = list(csv.reader(io.StringIO(download(client, format="csv", table="q2").getvalue().decode("utf-8-sig"))))
    assert rows[0] == [
        "Response",
        "2 a) Code for the type of IPR",
        "2 a) Year designation",
        "2 a) Serial number",
        "2 a) Code for internal use",
        "2 a) Control number (check digit)",
        "2 a) Other part",
        "2 a) Please describe the other part(s): what each one means and how many characters it has.",
    ]
    assert rows[1:] == [
        ["EP 1/1", "", "✓", "✓", "", "✓", "", "—"],
        ["KR 1/1", "✓", "✓", "✓", "", "", "", "—"],
        ["MD 2/2", "", "", "✓", "", "", "", "—"],
        ["Total", "1", "2", "3", "0", "1", "0", "0"],
    ]
    data = json.loads(download(client, format="json", table="examples").content)
    assert [t["id"] for t in data["tables"]] == ["examples"]
    assert data["summary"] == "3 offices submitted 3 responses."
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(download(client, format="xlsx", table="compliance").content))
    assert book.sheetnames == ["ST.13 compliance"]
    from docx import Document

    document = Document(io.BytesIO(download(client, format="docx", table="participation").content))
    assert len(document.tables) == 1
    assert [c.text for c in document.tables[0].rows[-1].cells] == ["MD", "Republic of Moldova"]
    assert download(client, format="pdf", table="q13").content.startswith(b"%PDF")


@pytest.mark.django_db
def test_csv_and_xlsx_carry_the_reason_of_every_verdict(client, report_round):
    data = json.loads(download(client, format="json", table="compliance").content)
    md = next(r for r in data["tables"][0]["rows"] if r["values"][0] == "MD 2/2")
    reason_a = md["notes"]["rule.a"]
    assert reason_a.startswith("(a) ")
    rows = list(
        csv.reader(io.StringIO(download(client, format="csv", table="compliance").getvalue().decode("utf-8-sig")))
    )
    assert rows[0][1:3] == ["(a) Composition", "(a) Composition — Reason"]
    md_row = next(r for r in rows if r[0] == "MD 2/2")
    assert md_row[1:3] == ["Deviates", reason_a]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(download(client, format="xlsx", table="compliance").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][1:3] == ("(a) Composition", "(a) Composition — Reason")
    md_row = next(row for row in rows if row[0] == "MD 2/2")
    assert md_row[1:3] == ("Deviates", reason_a)


@pytest.mark.django_db
def test_examples_mention_the_attached_file(client, report_round):
    md = SurveyResponse.objects.get(office_id="MD", sequence=2)
    Attachment.objects.create(response=md, question_id="q14d", token="md-002-doc", original_name="Example 2.doc")
    data = json.loads(download(client, format="json", table="examples").content)
    row = next(r for r in data["tables"][0]["rows"] if r["key"] == "md-002")
    assert row["values"][-1].splitlines()[-1] == "Further remarks: Attached file: Example 2.doc"
    assert row["details"]["remarks"]["further"] == "Attached file: Example 2.doc"


def test_print_html_has_running_header_and_page_numbers(db, report_round):
    report = tables.build_report(report_round, scope=tables.Scope.PUBLISHED)
    html = exporters.print_html(report, None)
    assert 'content: "WIPO Handbook on Industrial Property Information and Documentation"' in html
    assert 'content: "Page " counter(page) " of " counter(pages)' in html
    assert "<h2>Part 7.2.5 — Survey results</h2>" in html
    assert "<h2>Part 7.2.6 — Examples of application numbers and priority application numbers</h2>" in html
    assert html.count('class="bar-chart"') == 13


# --- query counts of the downloads --------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.django_db
def test_download_query_count_does_not_grow_with_responses(
    client, survey_round, secretariat_reviewer, moldova_answers, django_assert_num_queries, fmt
):
    client.force_login(secretariat_reviewer)
    bulk_round(survey_round, 1, moldova_answers)
    with CaptureQueriesContext(connection) as one:
        download(client, format=fmt)
    SurveyResponse.objects.all().delete()
    NumberingSystem.objects.all().delete()
    # PDF and DOCX are stored builds: without the first one, the second takes the same path
    # (no older file of the same report to discard).
    ExportBuild.objects.all().delete()
    bulk_round(survey_round, 10, moldova_answers)
    with django_assert_num_queries(len(one.captured_queries)):
        whole = download(client, format=fmt)
    with django_assert_num_queries(len(one.captured_queries)):
        download(client, format=fmt, table="compliance")
    if fmt == "json":
        assert json.loads(whole.content)["responses"] == 10


@pytest.mark.django_db
def test_download_token_cookie_tells_the_page_the_file_was_sent(client, report_round):
    response = download(client, format="csv", table="q1", download="17000000001234")
    cookie = response.cookies["report_download"]
    assert cookie.value == "17000000001234"
    assert cookie["path"] == report_url() and cookie["max-age"] == 120 and cookie["samesite"] == "Lax"
    # Anything but a plain token is ignored (it ends up in a header).
    response = download(client, format="csv", table="q1", download="x%3Bpath%3D%2F")
    assert "report_download" not in response.cookies


@pytest.mark.django_db
def test_anonymous_downloads_ignore_include_submitted(client, report_round):
    data = json.loads(download(client, format="json", include="submitted").content)
    assert data["scope"] == "published"
    assert data["responses"] == 3
    assert [r["values"][0] for r in data["tables"][1]["rows"]] == ["EP 1/1", "KR 1/1", "MD 2/2"]


def test_print_widths_keep_numbers_whole_and_survive_tight_tables():
    from surveys.reports.tables import Cell, Column, Kind, Row, Table

    columns = [Column("response", "Response", Kind.KEY), Column("example", "Example"), Column("remark", "Remark")]
    rows = [Row("md-002", [Cell("MD 2/2"), Cell("10-2012-000012345"), Cell("word " * 40)])]
    widths = [float(w) for w in Table("t", "s", "T", columns, rows).print_widths]
    assert round(sum(widths)) == 100
    # The number column gets at least its 17 characters (+2 padding) out of a 160-character line.
    assert widths[1] >= 100 * 19 / 160 - 0.01
    # A table of only unbreakable cells (nothing can give way) does not divide by zero.
    wide = [Column(f"c{i}", "Supplementary", Kind.MARK) for i in range(15)]
    tight = Table("t", "s", "T", wide, [Row("k", [Cell("✓")] * 15)]).print_widths
    assert tight == ["6.67"] * 15
