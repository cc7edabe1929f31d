"""The CWS working document: cover part, annex and comparison, as DOCX and PDF in three languages."""

import io
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document

from surveys.models import ResponseStatus, WorkingDocument
from surveys.reports import working_document
from surveys.reports.working_document_files import docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(survey_round, fresh_round, moldova_answers, add_response):
    """2012: Moldova (its published 2012 answers) and the EPO; 2013: Moldova with a longer serial, Czechia."""
    md = add_response(survey_round, "MD", moldova_answers).numbering_system
    ep = add_response(survey_round, "EP", moldova_answers, ResponseStatus.ACCEPTED).numbering_system
    add_response(fresh_round, "MD", {**moldova_answers, "q4b": {"serial": 7}}, system=md)
    add_response(fresh_round, "CZ", moldova_answers)
    add_response(fresh_round, "EP", moldova_answers, ResponseStatus.DRAFT, system=ep)  # not reviewed: left out
    return survey_round, fresh_round


def _settings(survey_round, **extra):
    return WorkingDocument.objects.create(
        round=survey_round,
        session=3,
        number=5,
        date=date(2013, 3, 1),
        meeting_starts=date(2013, 4, 15),
        meeting_ends=date(2013, 4, 19),
        **extra,
    )


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def _pdf_text(data: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_cover_counts_from_the_data_and_numbers_its_paragraphs(rounds):
    first, second = rounds
    content = working_document.build(_settings(second), "en")
    try:
        kinds = [(b.kind, b.number) for b in content.blocks]
        texts = [b.text for b in content.blocks]
        assert texts[:3] == ["CWS/3/5", "ORIGINAL: ENGLISH", "DATE: 1 MARCH 2013"]
        assert "Third Session" in texts and "Geneva, 15 April 2013 to 19 April 2013" in texts
        assert "Document prepared by the Secretariat" in texts
        # Two offices, two responses (the EPO's 2013 draft is not reviewed); one invited office (Moldova).
        assert any("presents 2 responses from 2 offices" in t for t in texts), texts
        assert any("asked 1 office to answer" in t for t in texts), texts
        comparison = next(t for t in texts if t.startswith("Compared with the previous round"))
        assert "1 office answered for the first time, 1 office did not answer again and 1 answered in both" in (
            comparison
        )
        assert "the answers to 1 question changed" in comparison
        numbers = [n for kind, n in kinds if n]
        assert numbers == list(range(1, len(numbers) + 1))
        decision = next(b for b in content.blocks if b.kind == "decision")
        proposal = next(b for b in content.blocks if b.kind == "paragraph" and "proposes" in b.text)
        assert f"proposal in paragraph {proposal.number} above" in decision.text
        assert texts[-1] == "[Annex follows]"
        assert [s.id for s in content.annex][-1] == "comparison"
        changed = content.annex[-1].tables[1]
        assert [(r.key, r.values[3], r.values[4]) for r in changed.rows if r.values[3]] == [("4b", 1, "MD")]
    finally:
        content.close()


def test_the_secretariats_own_proposal_replaces_the_standard_one(rounds):
    first, second = rounds
    settings = _settings(second, proposal_en="Publish the results.\n\nKeep the survey open to new offices.")
    content = working_document.build(settings, "en")
    try:
        paragraphs = [b for b in content.blocks if b.kind == "paragraph"]
        assert [b.text for b in paragraphs[-2:]] == ["Publish the results.", "Keep the survey open to new offices."]
        assert not any("proposes" in b.text for b in paragraphs)
        decision = next(b for b in content.blocks if b.kind == "decision")
        assert f"paragraph {paragraphs[-2].number} above" in decision.text
    finally:
        content.close()


def test_a_first_round_has_nothing_to_compare(rounds):
    first, _second = rounds
    content = working_document.build(_settings(first), "en")
    try:
        assert content.comparison is None
        assert any("nothing to compare" in b.text for b in content.blocks)
        assert "comparison" not in [s.id for s in content.annex]
    finally:
        content.close()


@pytest.mark.parametrize(
    ("language", "session", "annex", "original"),
    [
        ("en", "Third Session", "Annex", "ORIGINAL: ENGLISH"),
        ("fr", "Troisième session", "Annexe", "ORIGINAL\u00a0: ANGLAIS"),
        ("es", "Tercera sesión", "Anexo", "ORIGINAL: INGLÉS"),
    ],
)
def test_docx_and_pdf_in_three_languages(rounds, tmp_path, language, session, annex, original):
    first, second = rounds
    content = working_document.build(_settings(second), language)
    try:
        text = _docx_text(docx_bytes(content))
        printed = _pdf_text(pdf_bytes(content), tmp_path)
    finally:
        content.close()
    for document in (text, printed):
        # PDF text extraction may give the non-breaking spaces of French typography as plain ones.
        document, original = document.replace("\u00a0", " "), original.replace("\u00a0", " ")
        assert "CWS/3/5" in document and original in document
        assert session.lower() in document.lower()
        assert annex.upper() in document.upper()
        # The annex: the round's report and the comparison tables.
        assert "MD" in document and "CZ" in document
    assert "AUSTRIA" not in text
    # The comparison's table, with Moldova's changed serial length (question 4b).
    assert "\n4b\n" in text


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_2012_round_builds_in_each_language_without_a_comparison(rounds, tmp_path, language):
    first, _second = rounds
    content = working_document.build(_settings(first), language)
    try:
        text = _docx_text(docx_bytes(content))
        printed = _pdf_text(pdf_bytes(content), tmp_path)
    finally:
        content.close()
    nothing = {
        "en": "nothing to compare with",
        "fr": "il n’y a donc rien à comparer",
        "es": "no hay nada con qué comparar",
    }[language]
    for document in (text, printed):
        assert "CWS/3/5" in document and "MD" in document and "EP" in document
    assert nothing in text and nothing in " ".join(printed.split())
