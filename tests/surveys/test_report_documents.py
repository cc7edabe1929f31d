"""The report as PDF and DOCX: the same tables as every other format, laid out for print."""

from __future__ import annotations

import csv
import io
import logging
import shutil
import subprocess
import zipfile

import pytest
from lxml import etree

from standards.models import Office
from surveys.models import NumberingSystem, SurveyResponse
from surveys.reports import exporters
from surveys.reports import pdf as pdf_export
from surveys.reports.tables import Scope, build_report
from tests.surveys.report_files import fetch
from tests.surveys.test_reports import build_report_round, bulk_round, report_url

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers):
    return build_report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers)


def pdf_pages(content: bytes, *, layout: bool = True) -> list[str]:
    """The PDF's text page by page (form feeds), read back with poppler's pdftotext."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    args = ["pdftotext", "-layout", "-", "-"] if layout else ["pdftotext", "-", "-"]
    text = subprocess.run(args, input=content, capture_output=True, check=True).stdout.decode("utf-8")
    return text.split("\f")[:-1]


def squeeze(text: str) -> str:
    return " ".join(text.split())


# --- PDF -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pdf_holds_every_title_heading_and_totals_row(report_round):
    report = build_report(report_round, scope=Scope.PUBLISHED)
    export = exporters.export_pdf(report, None)
    assert export.content_type == "application/pdf"
    assert export.filename == "application-numbering-2012-report.pdf"
    pages = pdf_pages(export.content)
    lines = {squeeze(line) for page in pages for line in page.splitlines()}
    words = set(squeeze(" ".join(pages)).split())
    flat = squeeze(" ".join(pdf_pages(export.content, layout=False)))
    assert report.title in flat and report.summary in flat
    assert all(
        squeeze(page).startswith("WIPO Handbook on Industrial Property Information and Documentation") for page in pages
    )
    assert f"Page 1 of {len(pages)}" in flat and f"Page {len(pages)} of {len(pages)}" in flat
    for section in report.sections:
        assert section.running_head.upper() in flat
    for table in report.tables:
        assert table.title in flat, table.title
        groups, labels = exporters.header_lines(table)
        for heading in [*groups, *labels]:
            # headings wrap inside their cells: every word is there
            assert set(heading.split()) <= words, heading
        for totals in table.totals:
            # the label may wrap in the first column; the counts are on its first line
            values = " ".join(str(v) for v in totals.values[1:] if v is not None)
            first = totals.label.split()[0]
            assert any(line.startswith(first) and line.endswith(values) for line in lines), (table.id, values)
        for row in table.rows:
            assert str(row.values[0]) in flat
    assert "MD 2/2" in flat and "EP 1/1" in flat and "FR 1/1" not in flat  # published responses only


@pytest.mark.django_db
def test_pdf_prints_office_names_in_their_own_scripts(report_round):
    Office.objects.filter(code="KR").update(name="Корейское ведомство интеллектуальной собственности")
    Office.objects.filter(code="EP").update(name="Ευρωπαϊκό Γραφείο Διπλωμάτων Ευρεσιτεχνίας")
    report = build_report(report_round, scope=Scope.PUBLISHED, only="participation")
    flat = squeeze(" ".join(pdf_pages(exporters.export_pdf(report, "participation").content, layout=False)))
    if pdf_export.font_files()[0].name != "DejaVuSans.ttf":
        pytest.skip("DejaVu Sans is not installed: the PDF falls back to a Latin-only font")
    assert "Корейское ведомство интеллектуальной собственности" in flat
    assert "Ευρωπαϊκό Γραφείο Διπλωμάτων Ευρεσιτεχνίας" in flat
    assert "Participating offices" in flat


@pytest.mark.django_db
def test_a_long_table_repeats_its_header_rows_on_every_page_and_ends_with_its_totals(survey_round, moldova_answers):
    bulk_round(survey_round, 150, moldova_answers)
    report = build_report(survey_round, scope=Scope.PUBLISHED, only="q5")
    table = report.table("q5")
    assert len(table.rows) == 150
    content = exporters.export_pdf(report, "q5").content
    pages = pdf_pages(content)
    assert len(pages) >= 3
    group = exporters.header_lines(table)[0][1].split()[0]  # "5a)", the group heading's number
    keys = [str(row.values[0]) for row in table.rows]
    known = set(keys)
    seen = []
    for number, page in enumerate(pages, start=1):
        lines = [squeeze(line) for line in page.splitlines() if line.strip()]
        assert lines[-1].endswith(f"Page {number} of {len(pages)}")
        row_at = [i for i, line in enumerate(lines) if " ".join(line.split(" ")[:2]) in known]
        rows = [" ".join(lines[i].split(" ")[:2]) for i in row_at]
        # the header rows (group heading, "Response"), above the first row of every page
        above = " ".join(lines[: row_at[0]])
        assert group in above and "Response" in above, number
        seen += rows
        totals = [line for line in lines if line.startswith("Total ")]
        if number < len(pages):
            assert not totals, number
        else:
            values = [str(v) for v in table.totals[0].values[1:] if v is not None]
            assert totals == [" ".join(["Total", *values])]
            assert rows  # never the totals alone: at least one row goes with them
    assert seen == keys  # every row once, in order


def test_cell_text_is_broken_into_lines_that_fit():
    pdf_export.register_fonts()
    font, size = pdf_export.REGULAR, 7
    assert pdf_export.wrap_lines("MD 2/2", font, size, 100) == ["MD 2/2"]
    text = "The priority number leaves out the check digit and the separators between the parts."
    lines = pdf_export.wrap_lines(text, font, size, 90)
    assert len(lines) > 2 and " ".join(lines) == text
    assert all(pdf_export._width(line, font, size) <= 90 for line in lines)
    url = "https://example.org/" + "a" * 80
    pieces = pdf_export.wrap_lines(url, font, size, 60)
    assert "".join(pieces) == url and all(pdf_export._width(p, font, size) <= 60 for p in pieces)
    assert pdf_export.wrap_lines("one\ntwo", font, size, 200) == ["one", "two"]


def test_without_dejavu_the_pdf_falls_back_to_reportlabs_font_and_says_so(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(pdf_export, "REPORT_FONT_DIRS", (str(tmp_path),))
    pdf_export.font_files.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="surveys.reports.pdf"):
            files = pdf_export.font_files()
        assert [f.name for f in files] == ["Vera.ttf", "VeraBd.ttf", "VeraIt.ttf"]
        assert all(f.is_file() for f in files)
        assert "DejaVu Sans was not found" in caplog.text
    finally:
        pdf_export.font_files.cache_clear()


@pytest.mark.django_db
def test_pdf_of_one_table(report_round):
    report = build_report(report_round, scope=Scope.PUBLISHED, only="q13")
    export = exporters.export_pdf(report, "q13")
    assert export.filename == "application-numbering-2012-q13.pdf"
    flat = squeeze(" ".join(pdf_pages(export.content, layout=False)))
    assert report.table("q13").title in flat
    assert "Participating offices" not in flat and "PART 7.2.5 — SURVEY RESULTS" in flat


# --- DOCX ----------------------------------------------------------------------------------------


def docx_tables(content: bytes) -> list[list[list[str]]]:
    from docx import Document

    document = Document(io.BytesIO(content))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


@pytest.mark.django_db
def test_docx_has_the_rows_and_totals_of_the_csv(client, report_round):
    report = build_report(report_round, scope=Scope.PUBLISHED)
    grids = docx_tables(exporters.export_docx(report, None).content)
    archive = zipfile.ZipFile(io.BytesIO(fetch(client, report_url(format="csv")).getvalue()))
    assert len(grids) == len(report.tables) == len(archive.namelist())
    for grid, table, name in zip(grids, report.tables, archive.namelist(), strict=True):
        rows = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))[1:]
        # CSV follows a column with notes by the notes: keep the columns the DOCX has
        keep = []
        for column in table.columns:
            keep.append(True)
            if column.has_notes:
                keep.append(False)
        expected = [[value for value, kept in zip(row, keep, strict=True) if kept] for row in rows]
        body = grid[len(table.header_rows) :]
        assert body == expected, table.id
        assert len(body) == len(table.rows) + len(table.totals)


@pytest.mark.django_db
def test_docx_package_layout_headers_and_escaping(report_round, moldova_answers):
    md = SurveyResponse.objects.get(office_id="MD", sequence=2)
    md.answers = {**md.answers, "q12a": "no", "q12b": 'A <b>bold</b> & "quoted"\x0b answer\non two lines'}
    md.save(update_fields=["answers"])
    report = build_report(report_round, scope=Scope.PUBLISHED)
    export = exporters.export_docx(report, None)
    assert export.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        parts = {name: etree.fromstring(archive.read(name)) for name in archive.namelist() if name.endswith(".xml")}
        assert "word/document.xml" in parts and "[Content_Types].xml" in parts
    body = parts["word/document.xml"]
    size = body.find(f".//{W}sectPr/{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h"), size.get(f"{W}orient")) == ("16838", "11906", "landscape")
    margins = body.find(f".//{W}sectPr/{W}pgMar")
    assert {margins.get(f"{W}{side}") for side in ("top", "right", "bottom", "left")} == {"850"}
    tables = body.findall(f".//{W}tbl")
    q1 = tables[[t.id for t in report.tables].index("q1")]
    header = q1.findall(f"{W}tr")[:2]
    assert all(row.find(f"{W}trPr/{W}tblHeader") is not None for row in header)
    assert q1.findall(f"{W}tr")[2].find(f"{W}trPr/{W}tblHeader") is None
    spans = [int(s.get(f"{W}val")) for s in header[0].iter(f"{W}gridSpan")]
    assert spans == [h.colspan for h in report.table("q1").header_rows[0] if h.colspan > 1]
    assert header[0].find(f".//{W}vMerge").get(f"{W}val") == "restart"
    last = q1.findall(f"{W}tr")[-1]
    assert {p.get(f"{W}val") for p in last.iter(f"{W}pStyle")} == {"TableTotal"}
    styles = parts["word/styles.xml"]
    total_style = styles.find(f"{W}style[@{W}styleId='TableTotal']")
    assert total_style.find(f"{W}rPr/{W}b") is not None
    assert total_style.find(f"{W}rPr/{W}sz").get(f"{W}val") == "15"  # 7.5 pt
    assert styles.find(f".//{W}docDefaults//{W}sz").get(f"{W}val") == "18"  # 9 pt
    footer = parts["word/footer1.xml"]
    assert [f.get(f"{W}instr").strip() for f in footer.iter(f"{W}fldSimple")] == ["PAGE", "NUMPAGES"]

    from docx import Document

    document = Document(io.BytesIO(export.content))
    assert document.sections[0].header.paragraphs[0].text == report.handbook
    assert document.sections[0].footer.paragraphs[0].text == report.title
    assert document.paragraphs[1].text == report.title and document.paragraphs[1].style.name == "Title"
    q12 = document.tables[[t.id for t in report.tables].index("q12")]
    cells = [c.text for row in q12.rows for c in row.cells]
    assert 'A <b>bold</b> & "quoted" answer\non two lines' in cells


@pytest.mark.django_db
def test_docx_of_one_table_and_of_a_round_without_responses(report_round, survey_round):
    report = build_report(report_round, scope=Scope.PUBLISHED, only="participation")
    export = exporters.export_docx(report, "participation")
    assert export.filename == "application-numbering-2012-participation.docx"
    grids = docx_tables(export.content)
    assert len(grids) == 1 and grids[0][-1] == ["MD", "Republic of Moldova"]  # no totals row
    SurveyResponse.objects.all().delete()
    NumberingSystem.objects.all().delete()
    empty = build_report(survey_round, scope=Scope.PUBLISHED)
    from docx import Document

    document = Document(io.BytesIO(exporters.export_docx(empty, None).content))
    assert len(document.tables) == 0
    assert "No response counts in this report yet." in [p.text for p in document.paragraphs]
    # The empty round prints too, with every table's title.
    flat = squeeze(" ".join(pdf_pages(exporters.export_pdf(empty, None).content, layout=False)))
    assert all(t.title in flat for t in empty.tables)


@pytest.mark.django_db
def test_an_answer_longer_than_a_page_ends_in_an_ellipsis_in_the_pdf_only(report_round):
    md = SurveyResponse.objects.get(office_id="MD", sequence=2)
    words = " ".join(f"word{i}" for i in range(1500))
    md.answers = {**md.answers, "q12a": "no", "q12b": words}
    md.save(update_fields=["answers"])
    report = build_report(report_round, scope=Scope.PUBLISHED, only="q12")
    flat = squeeze(" ".join(pdf_pages(exporters.export_pdf(report, "q12").content, layout=False)))
    assert "word0 word1" in flat and "…" in flat and "word1499" not in flat
    grids = docx_tables(exporters.export_docx(report, "q12").content)
    assert any(words in row for row in grids[0])  # the full text in the document
