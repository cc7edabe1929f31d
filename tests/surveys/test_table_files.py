"""The one writer of CSV and XLSX files: byte-order mark, CRLF, streaming, write-only
workbooks, and every cell of every file through ``table_files.cell``."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from surveys import table_files
from surveys.table_files import Style, Styled, XlsxBook, csv_bytes, csv_chunks, csv_download
from tests.surveys.test_checker import EPO_FORM
from tests.surveys.test_reports import build_report_round, report_url


def test_csv_is_utf8_with_a_byte_order_mark_and_crlf_lines():
    content = csv_bytes(
        [["code", "name"], ["CI", "Côte d'Ivoire"], ["BQ", "Bonaire, Sint Eustatius and Saba"], [1, None]]
    )
    assert content == (
        '\ufeffcode,name\r\nCI,Côte d\'Ivoire\r\nBQ,"Bonaire, Sint Eustatius and Saba"\r\n1,\r\n'.encode()
    )


def test_csv_is_written_in_pieces_as_the_rows_come():
    produced = []

    def rows():
        for i in range(20_000):
            produced.append(i)
            yield [i, "x" * 20]

    chunks = csv_chunks(rows())
    first = next(chunks)
    # The first piece is sent long before the last row is produced.
    assert first.startswith("\ufeff0,".encode()) and len(produced) < 20_000
    rest = b"".join(chunks)
    assert (first + rest).decode("utf-8-sig").count("\r\n") == 20_000


def test_csv_download_streams_its_rows_in_the_language_of_the_request():
    def rows():
        yield [translation.get_language()]

    with translation.override("fr"):
        response = csv_download(rows(), "x.csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    # The rows are produced when the response is sent, after the view has returned.
    with translation.override("es"):
        assert response.getvalue() == "\ufefffr\r\n".encode()


def test_xlsx_is_write_only_with_styles_notes_widths_and_a_frozen_header():
    book = XlsxBook()
    sheet = book.sheet("Sheet one", widths=[11, 24], freeze_first_row=True)
    sheet.append([Styled("Title", Style(bold=True, size=13)), "plain"])
    sheet.append([Styled("a\nb", Style(wrap=True, vertical="top"), note="why"), Styled(3, Style(fill="EEF2F6"))])
    assert book._workbook.write_only
    written = openpyxl.load_workbook(io.BytesIO(book.to_bytes())).active
    assert written.title == "Sheet one" and written.freeze_panes == "A2"
    assert (written.column_dimensions["A"].width, written.column_dimensions["B"].width) == (11, 24)
    title, plain = written[1]
    assert (title.value, title.font.b, title.font.sz, plain.value, plain.font.b) == ("Title", True, 13, "plain", False)
    wrapped, filled = written[2]
    assert (wrapped.value, wrapped.alignment.wrap_text, wrapped.alignment.vertical) == ("a\nb", True, "top")
    assert wrapped.comment.text == "why" and wrapped.comment.author == "wipostad"
    assert (filled.value, filled.fill.fgColor.rgb) == (3, "00EEF2F6")


# --- every producer writes through the one writer ----------------------------------------


def _marked(value):
    return f"«{value}»" if isinstance(value, str) and value else value


@pytest.fixture
def marking_writer(monkeypatch):
    """Every text cell written comes out between « »."""
    monkeypatch.setattr(table_files, "cell", _marked)


def _csv_cells(content: bytes) -> list[str]:
    """The text cells (numbers are written as they are)."""
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    return [value for row in rows for value in row if value and not value.isdigit()]


def _xlsx_cells(content: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [
        c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)
    ]


def _all_marked(cells: list[str]) -> bool:
    return bool(cells) and all(c.startswith("«") and c.endswith("»") for c in cells)


def test_every_csv_and_xlsx_file_passes_each_cell_through_the_writer(
    marking_writer, survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers, request
):
    build_report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers)
    checker = Client().post("/st13/", {**EPO_FORM, "numbers": "EP 99403122.7\nEP 99403122.5", "download": "1"})
    assert _all_marked(_csv_cells(checker.getvalue()))

    reviewer = Client()
    reviewer.force_login(request.getfixturevalue("secretariat_reviewer"))
    status = reviewer.get(reverse("surveys:round_dashboard", args=[survey_round.slug]), {"format": "csv"})
    assert _all_marked(_csv_cells(status.getvalue()))

    one_table = reviewer.get(report_url(format="csv", table="q2"))
    assert _all_marked(_csv_cells(one_table.getvalue()))
    with zipfile.ZipFile(io.BytesIO(reviewer.get(report_url(format="csv")).getvalue())) as archive:
        assert all(_all_marked(_csv_cells(archive.read(name))) for name in archive.namelist())
    assert _all_marked(_xlsx_cells(reviewer.get(report_url(format="xlsx")).getvalue()))

    admin = request.getfixturevalue("admin_client")
    for fmt, cells in (("0", _csv_cells), ("1", _xlsx_cells)):
        exported = admin.post(reverse("admin:surveys_surveyresponse_export"), {"format": fmt, "resource": "0"})
        assert _all_marked(cells(exported.content)), fmt
