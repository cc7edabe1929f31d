"""Web views: public pages, the office editing flow, attachments, locking, CSRF, query counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from surveys.models import Attachment, NumberingSystem, ResponseRevision, ResponseStatus, SurveyResponse
from surveys.questionnaire.engine import evaluate
from surveys.responses.attachments import attachment_add
from surveys.responses.services import response_save_draft
from surveys.review.workflow import response_accept, response_publish, response_submit

ROUND_SLUG = "application-numbering-2012"
EDITION_SLUG = "application-numbering-2012"
MD_HEADING = "Response 2 of 2 submitted by Republic of Moldova in 2012"
# Follow-ups that Moldova's answers (q4a fixed, q5a/q6a/q8a/q9a/q11a no, q13b no) leave hidden.
HIDDEN_FOR_MOLDOVA = ("q4c", "q5b", "q6b", "q8b", "q9b", "q11b", "q13c")


# --- helpers --------------------------------------------------------------------------


def public_url(key: str) -> str:
    return reverse("surveys:public_response_detail", args=[EDITION_SLUG, key])


def edit_url(response: SurveyResponse) -> str:
    return reverse("surveys:response_edit", args=[response.pk])


def detail_url(response: SurveyResponse) -> str:
    return reverse("surveys:response_detail", args=[response.pk])


def form_data(edition_row, answers: dict, *, version: int, action: str = "save") -> dict:
    """The POST body the questionnaire form sends for these answers (see surveys/questionnaire/form_fields.py)."""
    by_id = edition_row.structure.by_id
    data: dict = {"version": str(version), "action": action}
    for qid, value in answers.items():
        q = by_id[qid]
        if q.type == "multi":
            data[qid] = list(value)
        elif q.type == "order":
            for position, part in enumerate(value, start=1):
                data[f"{qid}.{part}"] = str(position)
        elif q.type == "part_lengths":
            for part, length in value.items():
                if isinstance(length, dict):
                    data[f"{qid}.{part}.min"] = str(length["min"])
                    data[f"{qid}.{part}.max"] = str(length["max"])
                else:
                    data[f"{qid}.{part}"] = str(length)
        elif q.type == "grid" and q.rows_from:
            for row_id, row in value.items():
                for col, cell in row.items():
                    data[f"{qid}.{row_id}.{col}"] = cell
        elif q.type == "grid":
            for i, row in enumerate(value):
                for col, cell in row.items():
                    data[f"{qid}.{i}.{col}"] = cell
        else:
            data[qid] = str(value)
    return data


def make_approver():
    from tests.conftest import _approver_of

    return _approver_of("MD")


def make_secretariat():
    from tests.conftest import _secretariat_user

    return _secretariat_user()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url)
    assert page.status_code == 200
    return len(ctx.captured_queries)


def text_of(edition_row, qid: str) -> str:
    return edition_row.structure.by_id[qid].text["en"]


@pytest.fixture
def moldova_pair(office_a_respondent, make_response, moldova_answers):
    """Office A's two responses: md-001 an empty draft (Patents), md-002 Moldova's published answers."""
    draft = make_response(office_a_respondent, label="Patents")
    submitted = make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    return draft, submitted


# --- 1. home --------------------------------------------------------------------------


def test_home_renders_for_anonymous(client, edition):
    page = client.get("/")
    assert page.status_code == 200
    content = page.content.decode()
    assert escape(edition.title) in content
    assert reverse("surveys:edition_detail", args=[edition.slug]) in content


# --- 2. public pages ------------------------------------------------------------------


def test_public_page_of_submitted_response(client, edition, moldova_pair):
    draft, submitted = moldova_pair
    assert (draft.sequence, draft.status) == (1, ResponseStatus.DRAFT)
    assert (submitted.sequence, submitted.status) == (2, ResponseStatus.PUBLISHED)

    page = client.get(public_url("md-002"))

    assert page.status_code == 200
    content = page.content.decode()
    assert MD_HEADING in content
    assert "030812" in content
    assert "Trademarks" in content
    assert "from 1992" in content
    assert "Question 4 (cont&#x27;d)" in content
    # The fixed-length follow-up is shown (so the absence checks below are not vacuous)…
    assert escape(text_of(edition, "q4b")) in content
    # …and the follow-ups Moldova's answers hide are not.
    for qid in HIDDEN_FOR_MOLDOVA:
        text = text_of(edition, qid)
        assert text not in content, qid
        assert escape(text) not in content, qid


def test_public_page_of_draft_and_unknown_key_is_404(client, moldova_pair):
    assert client.get(public_url("md-001")).status_code == 404
    assert client.get(public_url("md-099")).status_code == 404
    # A published key in an edition that does not exist is not found either.
    assert client.get(reverse("surveys:public_response_detail", args=["no-such-edition", "md-002"])).status_code == 404


def test_public_list_shows_submitted_responses_only(client, moldova_pair):
    page = client.get(reverse("surveys:public_response_list", args=[EDITION_SLUG]))
    assert page.status_code == 200
    content = page.content.decode()
    assert public_url("md-002") in content
    assert "md-002" in content
    assert "md-001" not in content
    assert "Patents" not in content


def test_public_page_appears_only_once_published(
    client, office_a_respondent, office_a_approver, secretariat_reviewer, moldova_pair, moldova_answers
):
    draft, _ = moldova_pair
    assert client.get(public_url("md-001")).status_code == 404
    response_save_draft(
        response=draft, answers=moldova_answers, user=office_a_respondent, expected_version=draft.version
    )
    response_submit(response=draft, user=office_a_approver)
    assert client.get(public_url("md-001")).status_code == 404  # submitted, not yet reviewed
    response_accept(response=draft, user=secretariat_reviewer)
    assert client.get(public_url("md-001")).status_code == 404  # accepted, not yet published
    response_publish(response=draft, user=secretariat_reviewer)
    page = client.get(public_url("md-001"))
    assert page.status_code == 200
    assert "Response 1 of 2 submitted by Republic of Moldova in 2012" in page.content.decode()


# --- 3. demo loader -------------------------------------------------------------------


def test_demo_load_publishes_moldova(client, edition):
    from surveys.demo import demo_load

    demo_load()
    page = client.get(public_url("md-002"))
    assert page.status_code == 200
    content = page.content.decode()
    assert MD_HEADING in content
    assert "030812" in content
    assert "Trademarks" in content
    assert "Example 2.doc" in content
    # The demo's draft (md-001) stays private.
    assert client.get(public_url("md-001")).status_code == 404
    # Running it again changes nothing.
    before = SurveyResponse.objects.count()
    demo_load()
    assert SurveyResponse.objects.count() == before


# --- 4. the editing flow --------------------------------------------------------------


def test_office_editing_flow(edition, survey_round, office_a_respondent, office_a_approver, moldova_answers):
    client = logged_in(office_a_respondent)

    # Add a numbering system; it shows on the dashboard.
    page = client.post(reverse("surveys:numbering_system_new"), {"label": "Trademarks"})
    assert page.status_code == 302
    assert page["Location"] == reverse("surveys:dashboard")
    system = NumberingSystem.objects.get(office_id="MD", label="Trademarks")
    assert system.created_by == office_a_respondent
    dashboard = client.get(reverse("surveys:dashboard"))
    assert dashboard.status_code == 200
    assert "Trademarks" in dashboard.content.decode()
    assert reverse("surveys:response_start", args=[ROUND_SLUG, system.pk]) in dashboard.content.decode()

    # The same label again: an error on the form, no second row.
    page = client.post(reverse("surveys:numbering_system_new"), {"label": "Trademarks"})
    assert page.status_code == 200
    assert "already has a numbering system called" in page.content.decode()
    assert NumberingSystem.objects.filter(office_id="MD", label="Trademarks").count() == 1

    # Start the response → the edit page.
    page = client.post(reverse("surveys:response_start", args=[ROUND_SLUG, system.pk]))
    response = SurveyResponse.objects.get(numbering_system=system, round=survey_round)
    assert page.status_code == 302
    assert page["Location"] == edit_url(response)
    assert (response.status, response.version, response.sequence) == (ResponseStatus.DRAFT, 1, 1)

    page = client.get(edit_url(response))
    assert page.status_code == 200
    content = page.content.decode()
    for qid in ("q1a", "q1b", "q4b", "q14a"):
        assert escape(text_of(edition, qid)) in content
    assert 'name="version" value="1"' in content

    # Save a draft with an invalid partial date: kept as typed, version bumped, revision kept.
    partial = {"q1a": ["trademarks"], "q1b": "19x2", "q2a": ["serial"]}
    page = client.post(edit_url(response), form_data(edition, partial, version=1, action="save"))
    assert page.status_code == 302
    assert page["Location"].startswith(edit_url(response))
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT
    assert response.answers["q1b"] == "19x2"
    assert response.answers["q1a"] == ["trademarks"]
    assert response.answers["q2a"] == ["serial"]
    assert response.version == 2
    revision = ResponseRevision.objects.get(response=response, version=2)
    assert revision.author == office_a_respondent
    assert revision.answers["q1b"] == "19x2"
    assert set(revision.changed) == {"q1a", "q1b", "q2a"}
    # The bad value is shown again in the form, not lost.
    assert 'value="19x2"' in client.get(edit_url(response)).content.decode()

    # A respondent saves but cannot submit: submitting is the approver's step.
    page = client.post(edit_url(response), form_data(edition, partial, version=2, action="submit"))
    assert page.status_code == 403
    assert "An approver of your office submits the response" in page.content.decode()
    response.refresh_from_db()
    assert (response.status, response.version) == (ResponseStatus.DRAFT, 3)
    client = logged_in(office_a_approver)
    assert "Submit response" in client.get(edit_url(response)).content.decode()

    # Submit while incomplete: 400, an error summary, still a draft (the answers are saved).
    page = client.post(edit_url(response), form_data(edition, partial, version=3, action="submit"))
    assert page.status_code == 400
    assert "problem" in page.content.decode()
    assert 'id="error-summary"' in page.content.decode()
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT
    assert response.submitted_at is None
    assert response.version == 4

    # Submit a full valid set: submitted, read-only.
    page = client.post(edit_url(response), form_data(edition, moldova_answers, version=4, action="submit"))
    assert page.status_code == 302
    assert page["Location"] == detail_url(response)
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.submitted_at is not None
    assert response.answers == moldova_answers
    assert response.version == 6  # one save, one submit
    assert ResponseRevision.objects.filter(response=response, note="submitted").exists()

    page = client.get(edit_url(response))
    assert page.status_code == 302
    assert page["Location"] == detail_url(response)
    page = client.get(detail_url(response))
    assert page.status_code == 200
    assert "Submitted" in page.content.decode()


def test_form_data_round_trips_moldova_answers(edition, moldova_answers):
    """The helper above posts exactly what the form would: the parser gives Moldova's answers back."""
    from django.http import QueryDict

    from surveys.questionnaire.form_fields import answers_from_form

    qd = QueryDict(mutable=True)
    for key, value in form_data(edition, moldova_answers, version=1).items():
        if isinstance(value, list):
            qd.setlist(key, value)
        else:
            qd[key] = value
    assert answers_from_form(edition.structure, qd) == moldova_answers


# --- 5. answers to hidden questions ---------------------------------------------------


def test_crafted_answers_to_hidden_questions_are_not_stored_as_answers(
    edition, office_a_respondent, make_response, moldova_answers
):
    response = make_response(office_a_respondent, label="Trademarks")
    client = logged_in(office_a_respondent)
    data = form_data(edition, moldova_answers, version=response.version)
    data["q5b.trademarks.code"] = "70"  # q5a = no
    data["q4c.serial.min"] = "1"  # q4a = fixed
    page = client.post(edit_url(response), data)
    assert page.status_code == 302

    response.refresh_from_db()
    assert response.answers["q5a"] == "no"
    assert response.answers["q4a"] == "fixed"
    assert "q5b" not in response.answers
    assert "q4c" not in response.answers
    # Set aside, never lost…
    assert response.set_aside_answers.get("q5b") == {"trademarks": {"code": "70"}}
    assert "q4c" in response.set_aside_answers
    # …and never reported as answered.
    evaluation = evaluate(edition.structure, response.answers)
    assert evaluation.state("q5b") == "not_applicable"
    assert evaluation.state("q4c") == "not_applicable"
    assert evaluation.is_valid

    # Once published, the public page does not show the hidden answer.
    reviewer = make_secretariat()
    response_submit(response=response, user=make_approver())
    response_accept(response=response, user=reviewer)
    response_publish(response=response, user=reviewer)
    public = Client().get(public_url(response.public_key)).content.decode()
    assert escape(text_of(edition, "q5b")) not in public


# --- 6. optimistic locking ------------------------------------------------------------


def test_concurrent_saves_second_gets_409_and_keeps_its_input(
    edition, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    response = make_response(office_a_respondent, label="Trademarks")
    loaded_version = response.version
    first = {
        **moldova_answers,
        "q14a": [{"office_name": "First", "example": "FIRST-SAVE-111", "priority_presentation": "1"}],
    }
    second = {
        **moldova_answers,
        "q14a": [{"office_name": "Second", "example": "SECOND-SAVE-222", "priority_presentation": "2"}],
    }

    page = logged_in(office_a_respondent).post(edit_url(response), form_data(edition, first, version=loaded_version))
    assert page.status_code == 302

    page = logged_in(office_a_approver).post(edit_url(response), form_data(edition, second, version=loaded_version))
    assert page.status_code == 409
    content = page.content.decode()
    assert "Nothing was overwritten" in content
    assert 'value="SECOND-SAVE-222"' in content  # the second person's input is still on the page
    assert "a.respondent" in content  # who made the other change

    response.refresh_from_db()
    assert response.answers["q14a"][0]["example"] == "FIRST-SAVE-111"
    assert response.version == loaded_version + 1
    assert response.updated_by == office_a_respondent
    assert ResponseRevision.objects.filter(response=response).count() == 2  # created + first save


def test_save_without_a_version_is_a_conflict(edition, office_a_respondent, make_response, moldova_answers):
    response = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    data = form_data(edition, {**moldova_answers, "q1b": "1993"}, version=0)
    del data["version"]
    page = logged_in(office_a_respondent).post(edit_url(response), data)
    assert page.status_code == 409
    response.refresh_from_db()
    assert response.answers["q1b"] == "1992"


# --- 7. attachments -------------------------------------------------------------------


def _upload(client, response, edition, answers, upload):
    data = form_data(edition, answers, version=response.version)
    data["attachment"] = upload
    return client.post(edit_url(response), data)


def test_attachment_upload_and_download(
    edition, office_a_respondent, secretariat_reviewer, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    client = logged_in(office_a_respondent)
    body = b"%PDF-1.4 small test file"
    page = _upload(
        client, response, edition, moldova_answers, SimpleUploadedFile("Example 2.pdf", body, "application/pdf")
    )
    assert page.status_code == 302

    attachment = Attachment.objects.get(response=response)
    assert attachment.original_name == "Example 2.pdf"
    assert attachment.question_id == "q14d"
    assert attachment.size == len(body)
    assert attachment.content_type == "application/pdf"
    assert attachment.uploaded_by == office_a_respondent

    url = reverse("surveys:attachment_download", args=[response.pk, attachment.token])
    assert url in client.get(edit_url(response)).content.decode()
    for downloader in (client, logged_in(secretariat_reviewer)):
        download = downloader.get(url)
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment")
        assert "Example 2.pdf" in download["Content-Disposition"]
        assert download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content) == body


@pytest.mark.parametrize("name", ["setup.exe", "report.pdf.exe", "script.html", "noextension"])
def test_attachment_of_refused_type(name, edition, office_a_respondent, make_response, moldova_answers):
    response = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    page = _upload(
        logged_in(office_a_respondent), response, edition, moldova_answers, SimpleUploadedFile(name, b"MZ\x90\x00")
    )
    assert page.status_code == 400
    assert "is not an accepted file type" in page.content.decode()
    assert not Attachment.objects.filter(response=response).exists()


def test_refused_upload_writes_nothing_and_keeps_the_typed_answers(
    edition, office_a_respondent, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    before = (response.version, response.answers, response.revisions.count())
    changed = {**moldova_answers, "q1b": "1994"}
    page = _upload(logged_in(office_a_respondent), response, edition, changed, SimpleUploadedFile("x.exe", b"MZ"))
    assert page.status_code == 400
    response.refresh_from_db()
    assert (response.version, response.answers, response.revisions.count()) == before
    # What was typed is still on the page, and the form still carries the loaded version.
    assert 'value="1994"' in page.content.decode()
    assert f'name="version" value="{before[0]}"' in page.content.decode()


def test_attachment_too_large(settings, edition, office_a_respondent, make_response, moldova_answers):
    settings.WIPOSTAD_MAX_ATTACHMENT_BYTES = 10
    response = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    client = logged_in(office_a_respondent)

    page = _upload(client, response, edition, moldova_answers, SimpleUploadedFile("big.pdf", b"x" * 11))
    assert page.status_code == 400
    assert "attachments may be at most 10 bytes" in page.content.decode()
    assert not Attachment.objects.filter(response=response).exists()

    response.refresh_from_db()
    page = _upload(client, response, edition, moldova_answers, SimpleUploadedFile("fits.pdf", b"x" * 10))
    assert page.status_code == 302
    assert Attachment.objects.get(response=response).size == 10


def test_attachment_name_with_path_tricks(settings, edition, office_a_respondent, make_response, moldova_answers):
    response = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    page = _upload(
        logged_in(office_a_respondent),
        response,
        edition,
        moldova_answers,
        SimpleUploadedFile("../../etc/passwd.pdf", b"%PDF-1.4"),
    )
    assert page.status_code == 302
    attachment = Attachment.objects.get(response=response)
    assert attachment.original_name == "passwd.pdf"
    on_disk = Path(attachment.file.path).resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    assert on_disk.is_relative_to(media_root)
    assert on_disk.read_bytes() == b"%PDF-1.4"
    assert "passwd" not in on_disk.name


def test_attachment_name_cleaning_in_the_service(office_a_respondent, make_response):
    """Paths from any entry point (not only browsers, which already strip them) are cut to the last component."""
    response = make_response(office_a_respondent, label="Trademarks")
    upload = SimpleUploadedFile("x.pdf", b"%PDF")
    upload.name = "..\\..\\windows\\evil.pdf"
    attachment = attachment_add(response=response, question_id="q14d", upload=upload, user=office_a_respondent)
    assert attachment.original_name == "evil.pdf"


def test_attachment_removed_from_the_edit_form(
    edition, office_a_respondent, make_response, moldova_answers, django_capture_on_commit_callbacks
):
    response = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    attachment = attachment_add(
        response=response, question_id="q14d", upload=SimpleUploadedFile("a.pdf", b"%PDF"), user=office_a_respondent
    )
    stored = Path(attachment.file.path)
    assert stored.exists()
    data = form_data(edition, moldova_answers, version=response.version)
    data["remove_attachment"] = [attachment.token]
    with django_capture_on_commit_callbacks(execute=True):
        page = logged_in(office_a_respondent).post(edit_url(response), data)
    assert page.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not stored.exists()


# --- 8. query counts ------------------------------------------------------------------


def _submitted_responses(make_response, user, answers, labels):
    return [make_response(user, answers, label=label, publish=True) for label in labels]


def test_public_list_query_count_does_not_grow(client, office_a_respondent, make_response, moldova_answers):
    url = reverse("surveys:public_response_list", args=[EDITION_SLUG])
    _submitted_responses(make_response, office_a_respondent, moldova_answers, ["System 1"])
    one = count_queries(client, url)
    _submitted_responses(make_response, office_a_respondent, moldova_answers, [f"System {i}" for i in range(2, 6)])
    five = count_queries(client, url)
    assert one == five
    content = client.get(url).content.decode()
    assert all(public_url(f"md-00{i}") in content for i in range(1, 6))


def test_public_list_exact_query_count(
    client, django_assert_num_queries, office_a_respondent, make_response, moldova_answers
):
    _submitted_responses(make_response, office_a_respondent, moldova_answers, [f"System {i}" for i in range(1, 4)])
    url = reverse("surveys:public_response_list", args=[EDITION_SLUG])
    with django_assert_num_queries(2):  # the edition, the responses with their related rows
        page = client.get(url)
    assert page.status_code == 200


def test_office_dashboard_query_count_does_not_grow(office_a_respondent, make_response, django_assert_num_queries):
    client = logged_in(office_a_respondent)
    url = reverse("surveys:dashboard")
    make_response(office_a_respondent, label="System 1")
    one = count_queries(client, url)
    for i in range(2, 6):
        make_response(office_a_respondent, label=f"System {i}", submit=False)
    NumberingSystem.objects.create(office_id="MD", label="Not started yet", created_by=office_a_respondent)
    five = count_queries(client, url)
    assert one == five
    content = client.get(url).content.decode()
    assert all(f"md-00{i}" in content for i in range(1, 6))
    assert "Not started yet" in content
    # session, user, membership, open rounds, systems, their responses, secretariat group
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


def test_secretariat_dashboard_query_count_does_not_grow(
    secretariat_reviewer, office_a_respondent, office_b_respondent, make_response, django_assert_num_queries
):
    client = logged_in(secretariat_reviewer)
    url = reverse("surveys:dashboard")
    make_response(office_a_respondent, label="System 1")
    one = count_queries(client, url)
    for i in range(2, 4):
        make_response(office_a_respondent, label=f"System {i}")
    for i in range(4, 6):
        make_response(office_b_respondent, label=f"System {i}")
    five = count_queries(client, url)
    assert one == five
    content = client.get(url).content.decode()
    assert "md-003" in content and "ep-002" in content
    # session, user, membership, secretariat group, all responses with their related rows
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


# --- 9. CSRF --------------------------------------------------------------------------


def test_csrf_is_enforced_on_the_edit_form(edition, office_a_respondent, make_response, moldova_answers):
    response = make_response(office_a_respondent, label="Trademarks")
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_a_respondent)
    page = client.post(edit_url(response), form_data(edition, moldova_answers, version=response.version))
    assert page.status_code == 403
    response.refresh_from_db()
    assert response.version == 1
    assert response.answers == {}
    assert ResponseRevision.objects.filter(response=response).count() == 1

    # With the token from the form, the same post goes through.
    form = client.get(edit_url(response))
    token = form.cookies["csrftoken"].value
    data = form_data(edition, moldova_answers, version=response.version)
    data["csrfmiddlewaretoken"] = token
    page = client.post(edit_url(response), data)
    assert page.status_code == 302
    response.refresh_from_db()
    assert response.version == 2


def test_reposting_the_conflict_page_does_not_overwrite_the_other_save(
    edition, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    import re

    response = make_response(office_a_respondent, label="Trademarks")
    loaded_version = response.version
    first = {**moldova_answers, "q1b": "1991"}
    second = {**moldova_answers, "q1b": "1993"}
    assert (
        logged_in(office_a_respondent)
        .post(edit_url(response), form_data(edition, first, version=loaded_version))
        .status_code
        == 302
    )

    approver = logged_in(office_a_approver)
    page = approver.post(edit_url(response), form_data(edition, second, version=loaded_version))
    assert page.status_code == 409
    # The approver presses "Save draft" again on the conflict page, as it is.
    version_on_page = re.search(r'name="version" value="(\d+)"', page.content.decode())[1]
    approver.post(edit_url(response), form_data(edition, second, version=int(version_on_page)))

    response.refresh_from_db()
    assert response.answers["q1b"] == "1991"
