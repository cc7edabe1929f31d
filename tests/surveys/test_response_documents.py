"""One response as a PDF and a DOCX file: the real Moldova 2012 response read back from
both files (its office, the questions in the edition's words and the answers, in order;
"Not applicable" where the branching skipped a question; French for a French reader),
who may download which response, the query count, and published files served from the
cache."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import docx as python_docx
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.models import Attachment, SurveyResponse
from surveys.responses import documents, page_cache
from surveys.responses.services import response_save_draft
from tests.surveys.web_helpers import logged_in, public_url

MOLDOVA_OFFICE = "MD – Republic of Moldova"


def document_url(response: SurveyResponse, fmt: str) -> str:
    return reverse("surveys:response_document", args=[response.pk, fmt])


def squeeze(text: str) -> str:
    return " ".join(text.split())


def pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return squeeze(result.stdout.decode("utf-8"))


def docx_text(content: bytes) -> str:
    """The body's paragraphs and table cells in document order, then the footer."""
    document = python_docx.Document(io.BytesIO(content))
    pieces = []
    for block in document.iter_inner_content():
        if isinstance(block, python_docx.table.Table):
            pieces += [cell.text for row in block.rows for cell in row.cells]
        else:
            pieces.append(block.text)
    pieces += [p.text for p in document.sections[0].footer.paragraphs]
    return squeeze(" ".join(pieces))


def expected_in_order(response: SurveyResponse, language: str) -> list[str]:
    """What the document must say, in order: each question's heading and text, then its
    answer (lines, a table's cells, or its state)."""
    sheet = documents.response_sheet(response, language=language)
    expected = []
    for section in sheet.sections:
        expected.append(squeeze(str(section.title)))
        for item in section.items:
            if item.heading:
                expected.append(item.heading)
            expected.append(squeeze(f"{item.letter_label} {item.text}"))
            if item.display is None:
                expected.append(item.state_label)
            elif item.display.is_table:
                expected += [squeeze(c) for row in item.display.rows for c in row if c.strip()]
            else:
                expected += [squeeze(line) for line in item.display.lines]
    return expected


def assert_in_order(text: str, expected: list[str]) -> None:
    # A text read back from a PDF or DOCX may give a non-breaking space (French typography)
    # as a plain one: both sides are compared with plain spaces.
    text = text.replace("\u00a0", " ")
    expected = [piece.replace("\u00a0", " ") for piece in expected]
    position = 0
    for piece in expected:
        found = text.find(piece, position)
        assert found >= 0, f"{piece!r} missing after position {position}: …{text[position : position + 200]}…"
        position = found + len(piece)


@pytest.fixture
def published(make_response, office_a_respondent, moldova_answers):
    return make_response(office_a_respondent, moldova_answers, publish=True)


@pytest.fixture
def draft(make_response, office_a_respondent, moldova_answers):
    answers = {k: v for k, v in moldova_answers.items() if k in ("q1a", "q1b", "q2a")}
    return make_response(office_a_respondent, answers, label="Patents")


def download(client: Client, response: SurveyResponse, fmt: str, **headers):
    reply = client.get(document_url(response, fmt), **headers)
    assert reply.status_code == 200, reply.content[:300]
    return reply


# --- what the files say ---------------------------------------------------------------------------


def _not_applicable_questions(response: SurveyResponse) -> list[str]:
    sheet = documents.response_sheet(response, language="en")
    return [str(i.text) for s in sheet.sections for i in s.items if i.state == "not_applicable"]


@pytest.mark.django_db
def test_pdf_of_the_moldova_response_holds_the_office_questions_and_answers_in_order(client, published):
    reply = download(client, published, "pdf")
    assert reply["Content-Type"] == "application/pdf"
    assert reply["Content-Disposition"] == 'attachment; filename="MD-1-2012.pdf"'
    text = pdf_text(reply.content)
    assert_in_order(
        text,
        [
            "Response 1 of 1 submitted by Republic of Moldova",
            f"Office {MOLDOVA_OFFICE}",
            "Numbering system Trademarks",
            "Status Published",
            "Against WIPO Standard ST.13",
            "Deviates — Deviates from ST.13",
        ],
    )
    assert_in_order(text, expected_in_order(published, "en"))
    # Among them, the q14a example as a table, and the skipped questions marked.
    assert_in_order(text, ["Example of application number", "State Agency on Intellectual Property", "030812"])
    skipped = _not_applicable_questions(published)
    assert len(skipped) > 10
    assert_in_order(text, [squeeze(p) for q in skipped for p in (q, "Not applicable")])
    # The footer: the public page's address and the page number, on every page.
    address = f"http://testserver{public_url('md-001')}"
    assert text.count(address) == text.count("Page ") >= 2
    # The running header: the office, the system, the status and version.
    running = f"{MOLDOVA_OFFICE} · Trademarks Published · version {published.version}"
    assert text.count(running) == text.count(address)
    assert "Page 1 of" in text


@pytest.mark.django_db
def test_docx_of_the_moldova_response_holds_the_office_questions_and_answers_in_order(client, published):
    reply = download(client, published, "docx")
    assert reply["Content-Type"] == documents.CONTENT_TYPES["docx"]
    assert reply["Content-Disposition"] == 'attachment; filename="MD-1-2012.docx"'
    text = docx_text(reply.content)
    assert_in_order(
        text,
        [
            "Response 1 of 1 submitted by Republic of Moldova",
            f"Office {MOLDOVA_OFFICE}",
            "Round Questionnaire on application numbering (2012)",
            "Status Published",
            "Against WIPO Standard ST.13",
        ],
    )
    assert_in_order(text, expected_in_order(published, "en"))
    assert_in_order(
        text,
        ["Country or Organization", "Example of application number", "State Agency on Intellectual Property", "030812"],
    )
    skipped = _not_applicable_questions(published)
    assert_in_order(text, [squeeze(p) for q in skipped for p in (q, "Not applicable")])
    # The footer: the public page's address, then "Page N of M" with Word's fields for the numbers.
    assert text.endswith(f"http://testserver{public_url('md-001')} Page of")
    header = python_docx.Document(io.BytesIO(reply.content)).sections[0].header.paragraphs[0].text
    assert header == f"{MOLDOVA_OFFICE} · Trademarks · Published · version {published.version}"
    footer = zipfile.ZipFile(io.BytesIO(reply.content)).read("word/footer1.xml").decode()
    assert '<w:fldSimple w:instr=" PAGE ">' in footer and '<w:fldSimple w:instr=" NUMPAGES ">' in footer


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", documents.FORMATS)
def test_a_french_reader_gets_the_document_in_french(client, published, fmt):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    reply = download(client, published, fmt)
    text = pdf_text(reply.content) if fmt == "pdf" else docx_text(reply.content)
    assert_in_order(
        text,
        [
            "Réponse 1 sur 1 soumise par République de Moldova",
            "Système de numérotation Trademarks",
            "Statut Publiée",
            "Soumise le",
            "Quels types de DPI sont numérotés au moyen de ce système\u00a0?",
            "Marques",
            "Sans objet",
        ],
    )
    assert_in_order(text, expected_in_order(published, "fr"))
    assert "Not applicable" not in text and "Which types of IPRs" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", documents.FORMATS)
def test_a_draft_says_which_questions_are_not_answered_yet_and_has_no_public_address(draft, office_a_respondent, fmt):
    reply = download(logged_in(office_a_respondent), draft, fmt)
    text = pdf_text(reply.content) if fmt == "pdf" else docx_text(reply.content)
    assert_in_order(text, ["Status Draft", "Submitted on —", "Published on —"])
    assert "Not answered" in text
    assert_in_order(text, expected_in_order(draft, "en"))
    assert "http://" not in text
    assert reply["Cache-Control"] == "private, no-store"


# --- who may download ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", documents.FORMATS)
def test_who_may_download_which_response(
    client, draft, published, office_a_respondent, office_b_respondent, secretariat_reviewer, fmt
):
    def status(user, response) -> int:
        who = logged_in(user) if user else Client()
        return who.get(document_url(response, fmt)).status_code

    # Anyone reads what is published; the office and the secretariat read the office's drafts.
    assert [status(u, published) for u in (None, office_b_respondent, office_a_respondent, secretariat_reviewer)] == [
        200
    ] * 4
    assert [status(u, draft) for u in (None, office_b_respondent, office_a_respondent, secretariat_reviewer)] == [
        404,
        404,
        200,
        200,
    ]


@pytest.mark.django_db
def test_an_unknown_format_or_response_is_not_found(client, published):
    assert client.get(reverse("surveys:response_document", args=[published.pk, "odt"])).status_code == 404
    assert client.get(reverse("surveys:response_document", args=[published.pk + 999, "pdf"])).status_code == 404
    assert client.post(document_url(published, "pdf")).status_code == 405


@pytest.mark.django_db
def test_the_response_pages_link_to_the_files(client, published, office_a_respondent):
    public_page = client.get(public_url("md-001")).content.decode()
    detail = logged_in(office_a_respondent).get(reverse("surveys:response_detail", args=[published.pk]))
    for fmt in documents.FORMATS:
        assert document_url(published, fmt) in public_page
        assert document_url(published, fmt) in detail.content.decode()


# --- queries --------------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", documents.FORMATS)
def test_query_count_does_not_grow_with_attachments_or_the_office_s_responses(
    make_response, office_a_respondent, moldova_answers, fmt
):
    client = logged_in(office_a_respondent)
    response = make_response(office_a_respondent, moldova_answers, label="System 0")
    url = document_url(response, fmt)
    before = _queries(client, url)
    for i in range(1, 4):
        make_response(office_a_respondent, moldova_answers, label=f"System {i}")
        Attachment.objects.create(response=response, question_id="q14d", token=f"doc-{i}", original_name=f"{i}.doc")
    after = _queries(client, url)
    assert before == after
    text = pdf_text(client.get(url).content) if fmt == "pdf" else docx_text(client.get(url).content)
    assert all(f"Attached file: {i}.doc" in text for i in range(1, 4))


@pytest.mark.django_db
def test_exact_query_count_of_a_draft(office_a_respondent, draft, django_assert_num_queries):
    client = logged_in(office_a_respondent)
    client.get(reverse("surveys:dashboard"))  # the session's first request over
    # the session, the user, the user's groups, the membership, the response with its
    # related rows, the office's count of responses ("Response n of N"), the attachments
    with django_assert_num_queries(7):
        assert client.get(document_url(draft, "pdf")).status_code == 200


# --- published files from the cache -----------------------------------------------------------------


@pytest.fixture
def builds(monkeypatch):
    """The files built, as (response, format, language)."""
    made = []
    real = documents.build

    def counting(response, fmt, *, language, url=""):
        made.append((response.pk, fmt, language))
        return real(response, fmt, language=language, url=url)

    monkeypatch.setattr(documents, "build", counting)
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", documents.FORMATS)
def test_a_second_anonymous_download_comes_from_the_cache(client, published, builds, fmt):
    first = download(client, published, fmt)
    with CaptureQueriesContext(connection) as ctx:
        second = download(Client(), published, fmt)
    assert builds == [(published.pk, fmt, "en")]
    assert second.content == first.content
    # Served without building: the response, and the kept file with its generations.
    assert len(ctx.captured_queries) <= 4
    # Another language is another file.
    download(Client(), published, fmt, HTTP_ACCEPT_LANGUAGE="es")
    assert builds == [(published.pk, fmt, "en"), (published.pk, fmt, "es")]


@pytest.mark.django_db
def test_a_kept_file_is_built_again_when_the_response_or_its_office_changes(
    client, published, builds, secretariat_reviewer, office_a_respondent
):
    from surveys.review.workflow import response_accept, response_publish, response_reopen
    from tests.conftest import _approver_of

    download(client, published, "pdf")
    download(client, published, "pdf")
    assert len(builds) == 1
    page_cache.renew_office("MD")  # e.g. the office's name corrected
    download(client, published, "pdf")
    assert len(builds) == 2
    # Reopened, changed and published again: a new version, a new file.
    response_reopen(response=published, user=secretariat_reviewer)
    published.refresh_from_db()
    response_save_draft(
        response=published,
        answers={**published.answers, "q1b": "1993"},
        user=office_a_respondent,
        expected_version=published.version,
    )
    from surveys.review.workflow import response_submit

    response_submit(response=published, user=_approver_of("MD"))
    response_accept(response=published, user=secretariat_reviewer)
    response_publish(response=published, user=secretariat_reviewer)
    text = pdf_text(download(client, published, "pdf").content)
    assert len(builds) == 3
    assert "from 1993" in text


@pytest.mark.django_db
def test_drafts_are_never_kept(draft, office_a_respondent, builds):
    client = logged_in(office_a_respondent)
    download(client, draft, "pdf")
    download(client, draft, "pdf")
    assert len(builds) == 2


@pytest.mark.django_db
def test_an_anonymous_client_building_too_many_files_is_asked_to_wait(client, published, builds, settings):
    settings.WIPOSTAD_RESPONSE_DOCUMENT_RATE = "1/minute"
    download(client, published, "pdf")
    refused = client.get(document_url(published, "docx"))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "at most 1 every 60 seconds" in refused.content.decode()
    # A kept file costs nothing to send: it is not counted.
    download(client, published, "pdf")
    assert builds == [(published.pk, "pdf", "en")]


@pytest.mark.django_db
def test_signed_in_readers_are_not_counted(published, office_b_respondent, builds, settings):
    settings.WIPOSTAD_RESPONSE_DOCUMENT_RATE = "1/minute"
    client = logged_in(office_b_respondent)
    for fmt in documents.FORMATS:
        download(client, published, fmt)
    assert len(builds) == 2


def test_a_bad_rate_fails_loudly():
    from tests.test_settings import _import_settings

    result = _import_settings(DJANGO_DEBUG="1", WIPOSTAD_RESPONSE_DOCUMENT_RATE="lots")
    assert result.returncode != 0
    assert "WIPOSTAD_RESPONSE_DOCUMENT_RATE must be a number of files per" in result.stderr
