"""Defects found while running a round as offices do: one position for two parts in
Question 3 b), the review page after a return, empty revisions on submit, the public
page's attachments and its heading."""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import translation

from surveys.models import ResponseRevision, ResponseStatus
from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.form_fields import answers_from_form, form_values
from surveys.responses.attachments import attachment_add
from surveys.responses.services import response_save_draft
from surveys.review.workflow import response_accept, response_publish, response_return, response_submit
from tests.surveys.web_helpers import EDITION_SLUG, edit_url, form_data, logged_in, public_url, submit_through_form


def _posted(values: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data.setlist(key, value) if isinstance(value, list) else data.__setitem__(key, value)
    return data


def review_url(response) -> str:
    return reverse("surveys:response_review", args=[response.pk])


# --- Question 3 b): one position, two parts ---------------------------------------------


def test_one_position_for_two_parts_is_refused_naming_the_position_and_the_parts(edition_structure, moldova_answers):
    posted = {"q2a": ["year", "serial"], "q3a": "other", "q3b.year": "1", "q3b.serial": "1"}
    answers = answers_from_form(edition_structure, _posted(posted))
    # Kept as typed: the form shows both positions again.
    assert answers["q3b"] == {"year": 1, "serial": 1}
    values = form_values(edition_structure, answers)
    assert (values["q3b.year"], values["q3b.serial"]) == ("1", "1")

    evaluation = evaluate(edition_structure, {**moldova_answers, "q2a": ["year", "serial"], "q3b": answers["q3b"]})
    issues = evaluation.errors["q3b"]
    assert [i.code for i in issues] == ["bad_order"]
    assert str(issues[0].message) == (
        "Position 1 is given to more than one part (Year designation, Serial number): give each part its own position."
    )
    with translation.override("fr"):
        assert str(issues[0].message).startswith("La position 1 est attribuée à plusieurs éléments (Désignation de l")


def test_distinct_positions_still_give_the_parts_in_order(edition_structure):
    posted = {"q2a": ["year", "serial"], "q3b.year": "2", "q3b.serial": "1"}
    assert answers_from_form(edition_structure, _posted(posted))["q3b"] == ["serial", "year"]


def test_the_form_refuses_to_submit_one_position_for_two_parts(
    edition, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    answers = {**moldova_answers, "q2a": ["year", "serial"], "q4b": {"year": 4, "serial": 6}}
    response = make_response(office_a_respondent, answers)
    data = form_data(edition, {**answers, "q3b": ["year", "serial"]}, version=response.version, action="submit")
    data["q3b.year"] = data["q3b.serial"] = "2"
    client = logged_in(office_a_approver)
    page = client.post(edit_url(response), data)
    # The answers are saved as typed and the confirmation page names the fault …
    confirm_url = reverse("surveys:response_submit", args=[response.pk])
    assert page["Location"] == confirm_url
    message = "Position 2 is given to more than one part (Year designation, Serial number)"
    assert message in client.get(confirm_url).content.decode()
    # … and confirming is refused with it.
    response.refresh_from_db()
    page = client.post(confirm_url, {"version": str(response.version)})
    assert page.status_code == 400
    assert message in page.content.decode()
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT


# --- the review page after a return -------------------------------------------------------


def test_changes_since_the_return_are_shown_only_once_there_are_some(
    edition, office_a_respondent, office_a_approver, secretariat_reviewer, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers, submit=True)
    response_return(response=response, user=secretariat_reviewer, comment="Please check Question 1.")
    returned_at = response.version
    reviewer = logged_in(secretariat_reviewer)
    page = reviewer.get(review_url(response)).content.decode()
    # Nothing done since the return: no "version 4 → 4".
    assert "Changed since it was returned" not in page
    assert f"version {returned_at} → {returned_at}" not in page

    response_save_draft(
        response=response, answers={**moldova_answers, "q1b": "1993"}, user=office_a_respondent,
        expected_version=response.version,
    )  # fmt: skip
    response_submit(response=response, user=office_a_approver)
    page = reviewer.get(review_url(response)).content.decode()
    assert f"Changed since it was returned (version {returned_at} → {response.version})" in page
    assert returned_at < response.version


def test_the_return_hint_is_shown_only_where_returning_is_possible(
    edition, office_a_respondent, secretariat_reviewer, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers, submit=True)
    reviewer = logged_in(secretariat_reviewer)
    hint = "required to return"
    assert hint in reviewer.get(review_url(response)).content.decode()
    response_accept(response=response, user=secretariat_reviewer)
    page = reviewer.get(review_url(response)).content.decode()
    assert hint not in page and "Comment to the office" in page  # publish and reopen remain
    response_publish(response=response, user=secretariat_reviewer)
    assert hint not in reviewer.get(review_url(response)).content.decode()


# --- a submit records the submit, not an empty draft ----------------------------------------


def test_a_submit_of_unchanged_answers_records_no_empty_draft_revision(
    edition, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers)
    before = response.version
    page = submit_through_form(logged_in(office_a_approver), edition, response, moldova_answers, version=before)
    assert page.status_code == 302
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    new = list(ResponseRevision.objects.filter(response=response, version__gt=before).values_list("note", "changed"))
    assert new == [("submitted", [])]
    assert response.version == before + 1
    assert not ResponseRevision.objects.filter(response=response, note="draft saved", changed=[]).exists()


def test_a_submit_with_changed_answers_keeps_the_draft_and_the_submit(
    edition, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers)
    before = response.version
    changed = {**moldova_answers, "q1b": "1993"}
    submit_through_form(logged_in(office_a_approver), edition, response, changed, version=before)
    notes = list(ResponseRevision.objects.filter(response=response, version__gt=before).values_list("note", "changed"))
    assert notes == [("draft saved", ["q1b"]), ("submitted", [])]


def test_a_plain_save_still_records_a_revision(edition, office_a_respondent, make_response, moldova_answers):
    response = make_response(office_a_respondent, moldova_answers)
    before = response.version
    logged_in(office_a_respondent).post(edit_url(response), form_data(edition, moldova_answers, version=before))
    response.refresh_from_db()
    assert response.version == before + 1


# --- the public page ----------------------------------------------------------------------


def test_a_published_response_links_its_attachment_for_everyone(
    edition, office_a_respondent, office_b_respondent, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers)
    body = b"%PDF-1.4 published example"
    attachment = attachment_add(
        response=response,
        question_id="q14d",
        upload=SimpleUploadedFile("Examples.pdf", body, "application/pdf"),
        user=office_a_respondent,
    )
    url = reverse("surveys:public_attachment_download", args=[EDITION_SLUG, response.public_key, attachment.token])
    # Not yet published: the public address gives nothing.
    assert Client().get(url).status_code == 404

    from tests.conftest import _approver_of, _secretariat_user

    response_submit(response=response, user=_approver_of("MD"))
    assert Client().get(url).status_code == 404
    reviewer = _secretariat_user()
    response_accept(response=response, user=reviewer)
    response_publish(response=response, user=reviewer)

    page = Client().get(public_url(response.public_key)).content.decode()
    assert f'<a href="{url}">Examples.pdf</a>' in page
    for client in (Client(), logged_in(office_b_respondent)):
        download = client.get(url)
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == body
    # Another response's token, or a made-up one: not found.
    assert Client().get(url.replace(attachment.token, "x" * 32)).status_code == 404


def test_the_form_says_attached_files_are_published(edition, office_a_respondent, make_response, moldova_answers):
    response = make_response(office_a_respondent, moldova_answers)
    page = logged_in(office_a_respondent).get(edit_url(response)).content.decode()
    assert "A file attached here is published with the response, like the answers." in page


def test_the_public_page_says_the_round_and_the_submission_date(
    edition, survey_round, office_a_respondent, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers, publish=True)
    response.submitted_at = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)
    response.save(update_fields=["submitted_at"])
    assert survey_round.year == 2012
    page = Client().get(public_url(response.public_key)).content.decode()
    assert "submitted by Republic of Moldova in 2012" not in page
    assert "Response 1 of 1 submitted by Republic of Moldova</h1>" in page
    assert f"Round: {survey_round.title} · submitted on 14 March 2026" in page
    french = Client(headers={"accept-language": "fr"}).get(public_url(response.public_key)).content.decode()
    assert "soumise le 14 mars 2026" in french


def test_positions_that_are_not_positions_are_refused_without_failing(edition_structure, moldova_answers):
    answers = {**moldova_answers, "q2a": ["year", "serial"], "q3b": {"year": [1], "serial": {"x": 1}}}
    assert [i.code for i in evaluate(edition_structure, answers).errors["q3b"]] == ["type"]
