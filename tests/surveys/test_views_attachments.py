"""Attachments on the edit form: upload and download, refused types and sizes (nothing
written, the typed answers kept), names with paths cut to their last part, removal."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys.models import Attachment
from surveys.responses.attachments import attachment_add
from tests.surveys.web_helpers import edit_url, form_data, logged_in


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


def test_a_missing_attachment_file_is_a_clear_404(office_a_respondent, make_response, moldova_answers):
    response = make_response(office_a_respondent, moldova_answers)
    upload = SimpleUploadedFile("Example.pdf", b"%PDF-1.4 x", "application/pdf")
    attachment = attachment_add(response=response, question_id="q14d", upload=upload, user=office_a_respondent)
    attachment.file.storage.delete(attachment.file.name)
    page = logged_in(office_a_respondent).get(
        reverse("surveys:attachment_download", args=[response.pk, attachment.token])
    )
    assert page.status_code == 404
    assert "The file “Example.pdf” is missing from the server" in page.content.decode()
