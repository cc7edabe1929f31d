"""The working document's page: who may open it, its settings, its files built in the background."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from surveys.models import ExportBuild, ResponseStatus, WorkingDocument
from tests.surveys.report_files import close_response, run_queued_builds

pytestmark = pytest.mark.django_db

SETTINGS = {
    "session": "3",
    "number": "5",
    "date": "2013-03-01",
    "meeting_place": "Geneva",
    "meeting_starts": "2013-04-15",
    "meeting_ends": "2013-04-19",
    "proposal_en": "",
    "proposal_fr": "Publier les résultats dans le Manuel.",
    "proposal_es": "",
}


def _page(survey_round):
    return reverse("reports:working_document", args=[survey_round.slug])


def _file(survey_round, fmt, language):
    return reverse("reports:working_document_file", args=[survey_round.slug, fmt, language])


@pytest.fixture
def answered_round(survey_round, moldova_answers, add_response):
    add_response(survey_round, "MD", moldova_answers)
    return survey_round


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("office_a_respondent", 403), ("office_a_approver", 403), ("secretariat_reviewer", 200)],
)
def test_only_the_secretariat_opens_the_page_and_asks_for_files(client, request, answered_round, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    WorkingDocument.objects.create(round=answered_round, session=3, number=5, date=date(2013, 3, 1))
    response = client.get(_page(answered_round))
    assert response.status_code == expected
    if persona == "anonymous":
        assert "/accounts/login/" in response.url
    posted = client.post(_file(answered_round, "pdf", "en"))
    assert posted.status_code == (302 if persona in ("anonymous", "secretariat_reviewer") else 403)
    assert ExportBuild.objects.exists() == (persona == "secretariat_reviewer")
    saved = client.post(_page(answered_round), {**SETTINGS, "number": "9"})
    assert WorkingDocument.objects.get().number == (9 if persona == "secretariat_reviewer" else 5)
    assert saved.status_code in (302, 403)


def test_settings_are_saved_and_checked(client, secretariat_reviewer, answered_round):
    client.force_login(secretariat_reviewer)
    page = client.get(_page(answered_round))
    assert "CWS working document" in page.content.decode() and b"Prepare" not in page.content
    response = client.post(_page(answered_round), {**SETTINGS, "meeting_ends": "2013-04-01"})
    assert response.status_code == 200
    assert "The session cannot end before it starts." in response.content.decode()
    response = client.post(_page(answered_round), SETTINGS)
    assert response.status_code == 302
    saved = WorkingDocument.objects.get()
    assert (saved.symbol, saved.updated_by, saved.proposal("fr")) == (
        "CWS/3/5",
        secretariat_reviewer,
        ["Publier les résultats dans le Manuel."],
    )
    page = client.get(_page(answered_round)).content.decode()
    assert "CWS working document CWS/3/5" in page and page.count("Not built for the current data") == 6


def test_the_symbol_names_one_document(client, secretariat_reviewer, answered_round, fresh_round):
    client.force_login(secretariat_reviewer)
    WorkingDocument.objects.create(round=answered_round, session=3, number=5, date=date(2013, 3, 1))
    response = client.post(_page(fresh_round), SETTINGS)
    assert response.status_code == 200
    assert "CWS/3/5 is already the symbol of the working document of another round." in response.content.decode()


def test_a_file_is_built_in_the_background_once_per_state_of_the_data(client, secretariat_reviewer, answered_round):
    client.force_login(secretariat_reviewer)
    client.post(_page(answered_round), SETTINGS)
    response = client.post(_file(answered_round, "docx", "fr"))
    build = ExportBuild.objects.get()
    assert response.url == reverse("reports:export_build", args=[answered_round.slug, build.pk])
    progress = client.get(response.url).content.decode()
    assert "DOCX of the CWS working document" in progress and "Waiting for a free worker" in progress
    assert f'href="{_page(answered_round)}">Back to the working document</a>' in progress
    assert build.state == ExportBuild.State.QUEUED
    assert "Waiting to be built" in client.get(_page(answered_round)).content.decode()

    assert run_queued_builds() == ["done"]
    download = client.get(_file(answered_round, "docx", "fr"), follow=True)
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    close_response(download)
    text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    assert "CWS/3/5" in text and "Troisième session" in text and "Publier les résultats dans le Manuel." in text
    assert download["Content-Disposition"].endswith('filename="CWS-3-5-fr.docx"')

    # Asked again for unchanged data: the same build.
    again = client.post(_file(answered_round, "docx", "fr"))
    assert again.url.endswith(f"/{build.pk}/") and ExportBuild.objects.count() == 1
    # New settings: the stored file is out of date, and a new one is built when asked.
    client.post(_page(answered_round), {**SETTINGS, "proposal_fr": "Autre texte."})
    assert client.get(_page(answered_round)).content.decode().count("Not built for the current data") == 6
    client.post(_file(answered_round, "docx", "fr"))
    assert ExportBuild.objects.count() == 2


def test_files_ask_for_the_settings_first_and_unknown_files_are_404(client, secretariat_reviewer, answered_round):
    client.force_login(secretariat_reviewer)
    response = client.post(_file(answered_round, "pdf", "en"))
    assert response.status_code == 302 and response.url == _page(answered_round)
    assert not ExportBuild.objects.exists()
    WorkingDocument.objects.create(round=answered_round, session=3, number=5, date=date(2013, 3, 1))
    assert client.post(_file(answered_round, "xlsx", "en")).status_code == 404
    assert client.post(_file(answered_round, "pdf", "de")).status_code == 404


def test_page_queries_do_not_grow_with_responses(
    client, secretariat_reviewer, answered_round, moldova_answers, add_response
):
    client.force_login(secretariat_reviewer)
    WorkingDocument.objects.create(round=answered_round, session=3, number=5, date=date(2013, 3, 1))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_page(answered_round)).status_code == 200
        return len(captured)

    few = queries()
    for code in ("FR", "DE", "GB", "JP", "US", "CZ"):
        add_response(answered_round, code, moldova_answers, ResponseStatus.ACCEPTED)
    assert queries() == few


def test_a_new_document_starts_from_what_the_round_records_of_its_presentation(
    client, secretariat_reviewer, answered_round
):
    answered_round.cws_session, answered_round.presented_on = "CWS/3", date(2013, 4, 15)
    answered_round.save()
    client.force_login(secretariat_reviewer)
    form = client.get(_page(answered_round)).context["form"]
    assert form["session"].value() == 3 and form["meeting_starts"].value() == date(2013, 4, 15)
