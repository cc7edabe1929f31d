"""The whole-report PDF opens with a table of contents whose page numbers are right, and
carries the same headings as the reader's bookmarks (the PDF outline)."""

import html
import re
import shutil
import subprocess

import pytest

from surveys.reports import pdf
from surveys.reports.tables import Scope, build_report

pytestmark = pytest.mark.django_db


def _pdftotext(content: bytes, tmp_path, *options: str) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True).stdout


def _pages(content: bytes, tmp_path) -> list[str]:
    return [" ".join(page.split()) for page in _pdftotext(content, tmp_path).split("\f")]


@pytest.fixture
def report_pdf(survey_round, moldova_answers, add_response):
    add_response(survey_round, "MD", moldova_answers)  # Moldova's published 2012 response
    with build_report(survey_round, scope=Scope.PUBLISHED) as report:
        entries = pdf._contents_entries(report.sections)
        return pdf.document(report, None), entries


def test_the_contents_give_the_page_of_every_section_and_table(report_pdf, tmp_path):
    content, entries = report_pdf
    pages = _pages(content, tmp_path)
    # The contents as laid out: each entry's text, then its page number on the same line.
    lines = [" ".join(line.split()) for line in _pdftotext(content, tmp_path, "-layout", "-l", "1").splitlines()]
    assert "Contents" in lines
    assert len(entries) > 10
    for _entry, level, text in entries:
        flat = " ".join(text.split())
        match = next((re.fullmatch(re.escape(flat) + r" (\d+)", line) for line in lines if line.startswith(flat)), None)
        assert match, (flat, lines)
        page = int(match.group(1))
        assert page > 1
        heading = flat.upper() if level == 0 else flat
        assert heading in pages[page - 1], (flat, page)


def test_the_outline_lists_the_same_headings(report_pdf, tmp_path):
    if not shutil.which("pdftohtml"):
        pytest.skip("pdftohtml (poppler-utils) is not installed")
    content, entries = report_pdf
    path = tmp_path / "outline.pdf"
    path.write_bytes(content)
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-stdout", "-i", "-q", str(path)], capture_output=True, text=True, check=True
    ).stdout
    titles = [html.unescape(t) for t in re.findall(r'<item page="\d+">(.*?)</item>', xml)]
    assert titles == [text.upper() if level == 0 else text for _e, level, text in entries]


def test_a_single_table_has_no_contents(survey_round, moldova_answers, tmp_path):
    with build_report(survey_round, scope=Scope.PUBLISHED, only="q1") as report:
        content = pdf.document(report, "q1")
    assert "Contents" not in _pages(content, tmp_path)[0]
