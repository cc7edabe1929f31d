"""Text typed by an office never becomes a live formula in a file the product writes.

A cell whose text starts with "=", "+", "-", "@", a tab or a carriage return is read by
spreadsheet programs as a formula; every CSV and XLSX file is written through
``surveys.table_files``, which writes such text behind an apostrophe (shown as text).
"""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from surveys.models import NumberingSystem
from surveys.table_files import Styled, XlsxBook, cell, csv_bytes, table_xlsx
from tests.surveys.test_reports import build_report_round, report_url

DANGEROUS = ['=HYPERLINK("http://evil.example","x")', "+44 20", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_a_spreadsheet_would_read_as_a_formula_is_written_behind_an_apostrophe(text):
    assert cell(text) == "'" + text


def test_other_values_are_written_as_they_are():
    for value in ("Republic of Moldova", "a=b", "", "'quoted", "10-2012-000012345", None, 0):
        assert cell(value) == value
    # Numbers held as numbers stay numbers, negative ones included.
    for number in (-5, -1.5, Decimal("-3.25"), 44):
        assert cell(number) == number


def test_a_negative_number_typed_as_text_stays_text():
    # The text "-5" is what someone typed: written as text, as typed, never as a number.
    assert cell("-5") == "'-5"


def test_csv_cells_are_neutralised():
    rows = list(csv.reader(io.StringIO(csv_bytes([DANGEROUS, [-5, 3]]).decode("utf-8-sig"))))
    assert rows[0] == ["'" + text for text in DANGEROUS]
    assert rows[1] == ["-5", "3"]


def _xlsx_cells(content: bytes) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]


def _no_formula(cells) -> bool:
    return all(c.data_type != "f" for c in cells)


def test_xlsx_cells_are_strings_not_formulas():
    book = XlsxBook()
    sheet = book.sheet("s")
    sheet.append(["=1+2", Styled("=3+4"), -5, "-5"])
    written = _xlsx_cells(book.to_bytes())
    assert _no_formula(written)
    assert [c.value for c in written] == ["'=1+2", "'=3+4", -5, "'-5"]
    assert [c.data_type for c in written] == ["s", "s", "n", "s"]
    assert _no_formula(_xlsx_cells(table_xlsx("t", ["=h"], [["=1+1", 2]])))


@pytest.fixture
def hostile_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers):
    build_report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers)
    md = survey_round.responses.get(office_id="MD", status="published")
    md.answers["q14a"][0]["office_name"] = DANGEROUS[0]
    # The 7.2.6 table shows the example as the office typed it, at the start of its cell.
    md.answers["q14a"][0]["example"] = DANGEROUS[0]
    md.save(update_fields=["answers"])
    NumberingSystem.objects.filter(pk=md.numbering_system_id).update(label="=1+2")
    return survey_round


def test_report_files_never_carry_a_formula(hostile_round, secretariat_reviewer):
    client = Client()
    client.force_login(secretariat_reviewer)
    xlsx = _xlsx_cells(client.get(report_url(format="xlsx")).getvalue())
    assert _no_formula(xlsx)
    assert any(c.value == "'" + DANGEROUS[0] for c in xlsx)
    with zipfile.ZipFile(io.BytesIO(client.get(report_url(format="csv")).getvalue())) as archive:
        texts = [archive.read(name).decode("utf-8-sig") for name in archive.namelist()]
    cells = [value for text in texts for row in csv.reader(io.StringIO(text)) for value in row]
    assert "'" + DANGEROUS[0] in cells
    assert not any(value.startswith(("=", "+", "@")) for value in cells)


def test_round_status_csv_neutralises_labels(hostile_round, secretariat_reviewer):
    client = Client()
    client.force_login(secretariat_reviewer)
    status = client.get(reverse("surveys:round_dashboard", args=[hostile_round.slug]), {"format": "csv"})
    cells = [v for row in csv.reader(io.StringIO(status.getvalue().decode("utf-8-sig"))) for v in row]
    assert "'=1+2" in cells and "=1+2" not in cells


def test_admin_exports_neutralise_labels(hostile_round, admin_client):
    url = reverse("admin:surveys_surveyresponse_export")
    exported = admin_client.post(url, {"format": "0", "resource": "0"})
    cells = [v for row in csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))) for v in row]
    assert "'=1+2" in cells and "=1+2" not in cells
    exported = admin_client.post(url, {"format": "1", "resource": "0"})
    xlsx = _xlsx_cells(exported.content)
    assert _no_formula(xlsx) and any(c.value == "'=1+2" for c in xlsx)


def test_checker_csv_neutralises_typed_numbers(db):
    # db: the checker counts anonymous checks in the shared cache, a database table.
    from tests.surveys.test_checker import EPO_FORM

    checker = Client().post("/st13/", {**EPO_FORM, "numbers": "=1+2\nEP 99403122.7", "download": "1"})
    cells = [v for row in csv.reader(io.StringIO(checker.getvalue().decode("utf-8-sig"))) for v in row]
    assert not any(value.startswith("=") for value in cells)
