"""Handbook Part 7.2.6, "Numbering of applications and priority applications – current
practices": the examples table of the round report, and its remarks part by part.

The layout follows the published Part 7.2.6 (WIPO Handbook on Industrial Property
Information and Documentation, September 2017; www.wipo.int/export/sites/www/standards/en/pdf/07-02-06.pdf):
four columns — "Country or Organization" (ST.3 code and the name in capitals), "Example of
application number", "Recommended presentation in abbreviated form as a priority
application number", "Remarks" — and no totals. Its Remarks are set out as in the companion
Part 7.2.7 on former practices (document CWS/5/12, Annex), a heading per part: "Used
from … for: …", "Description:", "Code for the type of IP rights:", "Year designation:",
"Serial number:", "Code for internal use:", "Control number/Check digit:", "Further
remarks:", with "N/A" for a part the numbering system does not have; for current
practices the first line reads "Used since: …".
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from standards.structure import structure_from_answers
from surveys.models import Attachment, NumberingSystem, SurveyResponse
from surveys.questionnaire.engine import evaluate
from surveys.reports import exporters, tables
from surveys.reports.examples import REMARK_PARTS, compose_remarks, office_cell
from surveys.reports.tables import Scope, build_report
from tests.surveys.test_reports import JP_VARIABLE, KR_CONFORMANT, build_report_round, bulk_round

HEADINGS = [
    "Country or Organization",
    "Example of application number",
    "Recommended presentation in abbreviated form as a priority application number",
    "Remarks",
]
LABELS = [
    "Used since:",
    "for:",
    "Description:",
    "Code for the type of IP rights:",
    "Year designation:",
    "Serial number:",
    "Code for internal use:",
    "Control number/Check digit:",
    "Further remarks:",
]
# Moldova's published response md-002 (2012): a six-digit serial number and nothing else.
MOLDOVA_REMARKS = [
    "Used since: 1992",
    "for: Trademarks",
    "Description: Fixed length of 6 characters: Serial number (6).",
    "Code for the type of IP rights: N/A",
    "Year designation: N/A",
    "Serial number: fixed length of 6 characters in positions 1-6",
    "Code for internal use: N/A",
    "Control number/Check digit: N/A",
    "Further remarks: N/A",
]


def remarks_for(edition_structure, answers, language="en", attachments=()):
    applicable = evaluate(edition_structure, answers).answers
    with translation.override(language):
        return compose_remarks(structure_from_answers(applicable), applicable, edition_structure, language, attachments)


# --- the remarks, part by part ------------------------------------------------------------------


def test_moldova_remarks_in_the_handbook_order_with_na_for_absent_parts(edition_structure, moldova_answers):
    remarks = remarks_for(edition_structure, moldova_answers)
    assert remarks.text().splitlines() == MOLDOVA_REMARKS
    parts = remarks.parts()
    assert list(parts) == list(REMARK_PARTS)
    assert parts["for"] == ["Trademarks"]
    assert parts["type_code"] == parts["year"] == parts["internal_code"] == parts["control_number"] == "N/A"


def test_an_attached_file_and_comments_are_further_remarks(edition_structure, moldova_answers):
    answers = {**moldova_answers, "q14d": "Numbers are given by the State Agency."}
    remarks = remarks_for(edition_structure, answers, attachments=["Example 2.doc"])
    assert remarks.further == "Numbers are given by the State Agency.\nAttached file: Example 2.doc"
    assert remarks.text().endswith(
        "Further remarks: Numbers are given by the State Agency.\nAttached file: Example 2.doc"
    )


def test_parts_described_from_the_structured_answers_when_the_office_gave_no_words(edition_structure):
    from surveys.demo import EPO_PATENTS

    remarks = remarks_for(edition_structure, EPO_PATENTS)
    assert remarks.used_since == "1978"
    assert remarks.ipr_types == ("Patents for inventions", "Patent applications from PCT applications (national phase)")
    assert remarks.type_code == "N/A" and remarks.internal_code == "N/A"
    assert remarks.year == "2 digits, Gregorian calendar, in positions 1-2"
    assert remarks.serial == "fixed length of 6 characters in positions 3-8, restarts every year"
    control = edition_structure.by_id["q9c"].choice_label("ep_mod10_w12")
    position = edition_structure.by_id["q9b"].choice_label("separate")
    assert remarks.control_number == f"{control}; {position}; fixed length of 1 character in position 9"
    assert remarks.description == (
        "Fixed length of 9 characters: Year designation (2), Serial number (6), Control number (check digit) (1)."
    )


def test_the_offices_own_words_are_kept_and_a_bare_range_reads_as_positions(edition_structure):
    remarks = remarks_for(edition_structure, KR_CONFORMANT)
    assert remarks.used_since == "January 1, 2012"  # q14b, a full date written out as the Handbook does
    assert remarks.type_code == "10 patents, 20 utility models"  # q14c, as the office wrote it
    assert remarks.year == "4 digits"
    assert remarks.serial == "fixed length of 9 characters in positions 7-15"  # q14c "7-15"
    assert remarks.further == "Numbers before 2012 were converted."


def test_variable_length_internal_code_and_priority_differences(edition_structure):
    remarks = remarks_for(edition_structure, JP_VARIABLE)
    assert remarks.ipr_types == ("Industrial designs", "Other: Plant varieties")
    assert remarks.serial == "variable length of 1 to 6 characters, restarts every year"
    assert remarks.internal_code.startswith("D – Designs; ")
    assert remarks.further == "Priority application numbers: The priority number leaves out the check digit."
    assert remarks.description.startswith("Parts from left to right: Code for internal use (1), Year designation (4)")


def test_a_type_code_described_from_q5b(edition_structure):
    answers = {**KR_CONFORMANT, "q14c": [{"year": "4 digits"}]}
    remarks = remarks_for(edition_structure, answers)
    assert (
        remarks.type_code
        == "10 – Patents for inventions, 20 – Utility models; fixed length of 2 characters in positions 1-2"
    )
    assert remarks.year == "4 digits"


def test_remarks_in_french_and_spanish(edition_structure, moldova_answers):
    french = remarks_for(edition_structure, moldova_answers, "fr").text().splitlines()
    assert french[0] == "Utilisé depuis\u00a0: 1992"
    assert french[3] == "Code du type de titre de propriété intellectuelle\u00a0: S.O."
    assert french[5] == "Numéro de série\u00a0: longueur fixe de 6 caractères en positions 1-6"
    spanish = remarks_for(edition_structure, moldova_answers, "es").text().splitlines()
    assert spanish[7] == "Número de control/dígito de control: N/A"
    assert remarks_for(edition_structure, KR_CONFORMANT, "fr").used_since == "1 janvier 2012"
    assert remarks_for(edition_structure, KR_CONFORMANT, "es").used_since == "1 de enero de 2012"
    assert spanish[8] == "Otras observaciones: N/A"


def test_office_cell_is_the_st3_code_and_the_name_in_capitals():
    assert office_cell("AT", "Austria") == "AT AUSTRIA"
    assert office_cell("MD", "Republic of Moldova") == "MD REPUBLIC OF MOLDOVA"


# --- the table in every format -----------------------------------------------------------------


@pytest.fixture
def report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers):
    return build_report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers)


def _bytes(content) -> bytes:
    return content if isinstance(content, bytes) else b"".join(content)


def _exported(survey_round, fmt: str, **kwargs) -> bytes:
    with build_report(survey_round, scope=Scope.PUBLISHED, only="examples", **kwargs) as report:
        return _bytes(exporters.export(report, fmt, "examples").content)


def _assert_remarks(text: str, first_lines: list[str] | None = None) -> None:
    """Every heading of the remarks once, in the Handbook's order, each at the start of a line."""
    lines = text.splitlines()
    starts = [next(i for i, line in enumerate(lines) if line.startswith(label)) for label in LABELS]
    assert starts == sorted(starts), text
    if first_lines is not None:
        assert lines[: len(first_lines)] == first_lines


@pytest.mark.django_db
def test_the_table_has_four_handbook_columns_an_editorial_note_and_no_totals(report_round):
    with build_report(report_round, scope=Scope.PUBLISHED, only="examples") as report:
        table = report.table("examples")
        assert [c.label for c in table.columns] == HEADINGS
        assert table.totals == []
        assert table.title == "Numbering of applications and priority applications – current practices"
        assert "Part 7.2.7" in table.notes[0] and "former practices" in table.notes[0]
        rows = {row.key: row for row in table.rows}
        md = rows["md-002"]
        assert md.values[:3] == ["MD REPUBLIC OF MOLDOVA", "030812", "030812"]
        assert md.values[3].splitlines() == MOLDOVA_REMARKS
        assert rows["ep-001"].values[0] == "EP EUROPEAN PATENT OFFICE (EPO)"


@pytest.mark.django_db
def test_an_offices_rows_form_a_group_named_once(report_round, make_response, office_a_respondent, moldova_answers):
    second = {
        **moldova_answers,
        "q1a": ["industrial_designs"],
        "q14a": [
            {"office_name": "AGEPI", "example": "f 2012 0001", "priority_presentation": "f 2012 0001"},
            {"office_name": "AGEPI", "example": "f 2012 0002", "priority_presentation": "f 2012 0002"},
        ],
    }
    make_response(office_a_respondent, second, label="Designs", publish=True)
    with build_report(report_round, scope=Scope.PUBLISHED, only="examples") as report:
        rows = [row.values for row in report.table("examples").rows]
    offices = [values[0] for values in rows]
    assert offices == ["EP EUROPEAN PATENT OFFICE (EPO)", "KR REPUBLIC OF KOREA", "MD REPUBLIC OF MOLDOVA", ""]
    # Several examples of one response: one a line, each beside its priority presentation.
    assert rows[3][1:3] == ["f 2012 0001\nf 2012 0002", "f 2012 0001\nf 2012 0002"]
    assert rows[3][3].splitlines()[1] == "for: Industrial designs"


@pytest.mark.django_db
def test_docx_has_the_handbook_columns_structured_remarks_and_no_totals_row(report_round):
    from docx import Document

    md = SurveyResponse.objects.get(office_id="MD", sequence=2)
    Attachment.objects.create(response=md, question_id="q14d", token="md-002-doc", original_name="Example 2.doc")
    document = Document(io.BytesIO(_exported(report_round, "docx")))
    assert len(document.tables) == 1
    grid = document.tables[0]
    assert [cell.text for cell in grid.rows[0].cells] == HEADINGS
    body = [[cell.text for cell in row.cells] for row in grid.rows[1:]]
    assert [row[0] for row in body] == [
        "EP EUROPEAN PATENT OFFICE (EPO)",
        "KR REPUBLIC OF KOREA",
        "MD REPUBLIC OF MOLDOVA",
    ]
    md_row = body[2]
    assert md_row[1:3] == ["030812", "030812"]
    # The remarks run over lines inside one cell (line breaks in the cell's paragraph).
    assert md_row[3].splitlines() == [*MOLDOVA_REMARKS[:-1], "Further remarks: Attached file: Example 2.doc"]
    for row in body:
        _assert_remarks(row[3])
    assert not any(row[0] == "Total" for row in body)


@pytest.mark.django_db
def test_xlsx_has_the_handbook_columns_wrapped_remarks_and_no_totals_row(report_round):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(_exported(report_round, "xlsx")))
    assert book.sheetnames == ["Examples"]
    sheet = book.active
    rows = list(sheet.iter_rows())
    header = next(i for i, row in enumerate(rows) if row[0].value == HEADINGS[0])
    assert [cell.value for cell in rows[header]] == HEADINGS
    body = []
    for row in rows[header + 1 :]:
        if not any(cell.value for cell in row):
            break  # the notes follow an empty row
        body.append(row)
    assert [row[0].value for row in body] == [
        "EP EUROPEAN PATENT OFFICE (EPO)",
        "KR REPUBLIC OF KOREA",
        "MD REPUBLIC OF MOLDOVA",
    ]
    md = body[2]
    assert md[3].value.splitlines() == MOLDOVA_REMARKS
    assert md[3].alignment.wrap_text
    assert sheet.column_dimensions["D"].width >= 80  # the remarks in a wide column
    for row in body:
        _assert_remarks(row[3].value)
    after = [row[0].value for row in rows[header + 1 + len(body) :] if row[0].value]
    assert not any(value == "Total" for value in after)
    assert any("Part 7.2.7" in str(value) for value in after)  # the editorial note


@pytest.mark.django_db
def test_pdf_has_the_handbook_columns_structured_remarks_and_no_totals_row(report_round):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    content = _exported(report_round, "pdf")
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    flat = " ".join(text.split())
    for heading in HEADINGS:
        assert all(word in flat for word in heading.split()), heading
    assert "MD REPUBLIC OF MOLDOVA" in flat and "EP EUROPEAN PATENT OFFICE (EPO)" in flat
    # The remarks, wrapped in their column, read in the Handbook's order for each office.
    for office in ("EP EUROPEAN", "KR REPUBLIC", "MD REPUBLIC"):
        after = flat[flat.index(office) :]
        positions = []
        start = 0
        for label in LABELS:
            start = after.index(label, start)
            positions.append(start)
        assert positions == sorted(positions)
    md = flat[flat.index("MD REPUBLIC OF MOLDOVA") :]
    for line in MOLDOVA_REMARKS:
        assert line in md, line
    assert " Total " not in f" {flat} "


@pytest.mark.django_db
def test_json_carries_the_remarks_as_one_text_and_as_parts(report_round):
    data = json.loads(_exported(report_round, "json"))
    (table,) = data["tables"]
    assert [c["label"] for c in table["columns"]] == HEADINGS
    assert table["totals"] == []
    md = next(row for row in table["rows"] if row["key"] == "md-002")
    assert md["values"][3].splitlines() == MOLDOVA_REMARKS
    parts = md["details"]["remarks"]
    assert list(parts) == list(REMARK_PARTS)
    assert parts["for"] == ["Trademarks"] and parts["serial"] == "fixed length of 6 characters in positions 1-6"


@pytest.mark.django_db
def test_the_html_page_breaks_the_remarks_into_lines(client, report_round):
    from django.urls import reverse

    html = client.get(reverse("reports:round_report", args=[report_round.slug]) + "?table=examples").content.decode()
    assert '<th scope="row">MD REPUBLIC OF MOLDOVA</th>' in html
    assert "Used since: 1992<br>for: Trademarks<br>Description:" in html
    assert "<tfoot>" not in html.split('report-examples"', 1)[1].split("</table>", 1)[0]


@pytest.mark.django_db
def test_remarks_survive_the_row_store_on_disk(report_round, monkeypatch):
    from surveys.reports import rowstore

    monkeypatch.setattr(rowstore, "MEMORY_ROWS", 0)  # every row goes through the file
    with build_report(report_round, scope=Scope.PUBLISHED, only="examples") as report:
        rows = {row.key: row for row in report.table("examples").rows}
    assert rows["md-002"].values[3].splitlines() == MOLDOVA_REMARKS
    assert rows["md-002"].details["remarks"]["for"] == ["Trademarks"]


@pytest.mark.django_db
def test_building_the_examples_table_takes_the_same_queries_for_more_responses(survey_round, moldova_answers):
    def queries() -> int:
        with (
            CaptureQueriesContext(connection) as context,
            build_report(survey_round, scope=Scope.PUBLISHED, only="examples") as report,
        ):
            assert len(report.table("examples").rows) == SurveyResponse.objects.count()
        return len(context.captured_queries)

    bulk_round(survey_round, 3, moldova_answers)
    few = queries()
    SurveyResponse.objects.all().delete()
    NumberingSystem.objects.all().delete()
    bulk_round(survey_round, 30, moldova_answers)
    assert queries() == few
    assert tables.table_ids(survey_round.edition.structure).count("examples") == 1
