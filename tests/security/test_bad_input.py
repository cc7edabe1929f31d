"""Bad input everywhere: each answered with a clear message, nothing partly written, no 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from surveys.models import Attachment, NumberingSystem, SurveyResponse

pytestmark = pytest.mark.django_db

CSV_FORMAT, XLSX_FORMAT = "0", "1"


@pytest.fixture
def admin_client(secretariat_reviewer):
    secretariat_reviewer.is_staff = True
    secretariat_reviewer.save()
    client = Client(raise_request_exception=False)
    client.force_login(secretariat_reviewer)
    return client


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        ("garbage.xlsx", b"PK\x03\x04 this is not a workbook", XLSX_FORMAT),
        (
            "latin1.csv",
            "office,numbering_system,round,q1a\nMD,Marques,application-numbering-2012,trademarks\xe9\n".encode(
                "latin-1"
            ),
            CSV_FORMAT,
        ),
        ("empty.csv", b"", CSV_FORMAT),
    ],
)
def test_malformed_spreadsheets_are_refused_and_write_nothing(admin_client, survey_round, name, content, fmt):
    before = (SurveyResponse.objects.count(), NumberingSystem.objects.count())
    page = admin_client.post(
        reverse("admin:surveys_surveyresponse_import"),
        {"resource": "0", "format": fmt, "import_file": SimpleUploadedFile(name, content)},
    )
    assert page.status_code in (200, 400)
    body = page.content.decode()
    assert "Traceback" not in body
    assert "confirm_form" not in (page.context or {}) or page.context.get("confirm_form") is None
    assert (SurveyResponse.objects.count(), NumberingSystem.objects.count()) == before


def test_spreadsheet_with_wrong_types_and_unknown_question_names_row_and_column(admin_client, survey_round):
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["office", "numbering_system", "round", "q1a", "q4b", "q99"])
    sheet.append(["MD", "Trademarks", survey_round.slug, "trademarks", "serial=six", "x"])
    stream = io.BytesIO()
    book.save(stream)
    page = admin_client.post(
        reverse("admin:surveys_surveyresponse_import"),
        {"resource": "0", "format": XLSX_FORMAT, "import_file": SimpleUploadedFile("bad.xlsx", stream.getvalue())},
    )
    messages = " ".join(str(m) for m in page.context["messages"])
    assert "q99" in messages and "q4b" in messages and "Row 2" in messages
    assert not SurveyResponse.objects.exists()


def test_invalid_utf8_in_a_form_post_is_refused_cleanly(edition, office_a_respondent, make_response):
    response = make_response(office_a_respondent, {"q1b": "1992"})
    client = Client(raise_request_exception=False)
    client.force_login(office_a_respondent)
    body = b"version=2&action=save&q10a=yes&q10b=" + b"\xff\xfe\xfd" + b"&q1b=1993"
    page = client.generic(
        "POST", reverse("surveys:response_edit", args=[response.pk]), body, "application/x-www-form-urlencoded"
    )
    assert page.status_code < 500
    response.refresh_from_db()
    # Whatever the browser sent, what is stored is valid text (undecodable bytes replaced), never garbage.
    for value in response.answers.values():
        if isinstance(value, str):
            value.encode("utf-8")


def test_over_long_answer_is_an_error_beside_its_question_and_nothing_is_lost(
    edition, office_a_approver, make_response, moldova_answers
):
    from tests.surveys.web_helpers import form_data

    response = make_response(office_a_approver, moldova_answers)
    client = Client()
    client.force_login(office_a_approver)
    answers = {**moldova_answers, "q10a": "yes", "q10b": "x" * 5000}
    page = client.post(
        reverse("surveys:response_edit", args=[response.pk]),
        form_data(edition, answers, version=response.version, action="submit"),
    )
    assert page.status_code == 400
    content = page.content.decode()
    assert "Question 10 b): At most 4000 characters (this answer has 5000)" in content
    assert "x" * 5000 in content  # kept on the form, to be shortened
    response.refresh_from_db()
    # Refused on save as on submission: the stored draft is as it was.
    assert response.status == "draft" and "q10b" not in response.answers


def test_over_long_numbering_system_name_is_refused(office_a_respondent):
    client = Client()
    client.force_login(office_a_respondent)
    page = client.post(reverse("surveys:numbering_system_new"), {"label": "x" * 201})
    assert page.status_code == 200
    assert "at most 200 characters" in page.content.decode()
    assert not NumberingSystem.objects.exists()


def test_request_body_over_the_limit_is_refused_without_a_trace(settings, edition, office_a_respondent, make_response):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = make_response(office_a_respondent, {"q1b": "1992"})
    client = Client(raise_request_exception=False)
    client.force_login(office_a_respondent)
    page = client.post(reverse("surveys:response_edit", args=[response.pk]), {"version": "2", "q10b": "y" * 5000})
    assert page.status_code == 400
    assert "Traceback" not in page.content.decode()
    response.refresh_from_db()
    assert response.version == 2


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\..\\boot.ini.pdf", "/abs/path.pdf", "nul\x00byte.pdf"])
def test_path_tricks_in_attachment_names_never_reach_the_disk(
    settings, tmp_path, edition, office_a_respondent, make_response, name
):
    from surveys.responses import attachments

    settings.MEDIA_ROOT = tmp_path / "media"
    response = make_response(office_a_respondent, {"q1b": "1992"})
    attachment = attachments.attachment_add(
        response=response, question_id="q14d", upload=SimpleUploadedFile(name, b"%PDF-1.4"), user=office_a_respondent
    )
    stored = (settings.MEDIA_ROOT / attachment.file.name).resolve()
    assert stored.is_relative_to((tmp_path / "media").resolve())
    assert (
        "/" not in attachment.original_name
        and "\\" not in attachment.original_name
        and "\x00" not in attachment.original_name
    )
    assert Attachment.objects.count() == 1


def test_api_answers_with_unknown_question_ids_or_bad_json_are_refused(edition, office_a_respondent, make_response):
    from rest_framework.test import APIClient

    response = make_response(office_a_respondent, {"q1b": "1992"})
    client = APIClient()
    client.force_authenticate(office_a_respondent)
    url = reverse("api:response-detail", args=[response.pk])
    page = client.patch(url, {"answers": {"q99": "x"}, "version": response.version}, format="json")
    assert page.status_code == 400 and "q99" in page.content.decode()
    page = client.generic("PATCH", url, b'{"answers": {"q1b": ', content_type="application/json")
    assert page.status_code == 400
    response.refresh_from_db()
    assert response.answers == {"q1b": "1992"} and response.version == 2


@pytest.mark.parametrize(
    ("url", "status", "body"),
    [
        ("/api/responses/?round=a%00b", 200, {"count": 0, "next": None, "previous": None, "results": []}),
        ("/api/rounds/?edition=a%00b", 200, {"count": 0, "next": None, "previous": None, "results": []}),
        ("/api/numbering-systems/?office=a%00b", 200, {"count": 0, "next": None, "previous": None, "results": []}),
        ("/api/editions/a%00b/", 404, {"detail": "No QuestionnaireEdition matches the given query."}),
        ("/api/rounds/a%00b/", 404, {"detail": "No SurveyRound matches the given query."}),
        ("/api/rounds/a%00b/report/", 404, {"detail": "No SurveyRound matches the given query."}),
    ],
)
def test_a_nul_character_in_an_api_filter_or_address_finds_nothing_on_every_database(
    edition, office_a_respondent, url, status, body
):
    # PostgreSQL refuses NUL in a query: such a value never reaches the database.
    client = Client(raise_request_exception=False)
    client.force_login(office_a_respondent)
    response = client.get(url)
    assert (response.status_code, response.json()) == (status, body)
