"""A draft is held to the same size limits as a submission: a text answer of megabytes
or a grid of thousands of rows is refused on save, with a message naming the question,
the typed answers kept on the form; and the request body itself is capped."""

from __future__ import annotations

import pytest
from django.conf import settings

from surveys.errors import AnswersTooLarge
from surveys.models import ResponseRevision
from surveys.questionnaire.types.grid import MAX_GRID_ROWS
from surveys.questionnaire.types.text import MAX_TEXT_LENGTH
from surveys.responses.services import response_save_draft
from tests.api.helpers import client_for, url
from tests.surveys.web_helpers import edit_url, form_data, logged_in

ROW = {"office_name": "X", "example": "1", "priority_presentation": "1"}


@pytest.fixture
def draft(make_response, office_a_respondent):
    return make_response(office_a_respondent, label="Trademarks")


def test_a_text_answer_too_long_is_refused_on_save(draft, office_a_respondent):
    with pytest.raises(AnswersTooLarge, match=r"Question 14 d\)"):
        response_save_draft(
            response=draft, answers={"q14d": "x" * (MAX_TEXT_LENGTH + 1)}, user=office_a_respondent, expected_version=1
        )
    assert ResponseRevision.objects.filter(response=draft).count() == 1


def test_too_many_grid_rows_are_refused_on_save(draft, office_a_respondent):
    with pytest.raises(AnswersTooLarge, match=r"Question 14 a\)"):
        response_save_draft(
            response=draft, answers={"q14a": [ROW] * 3_000}, user=office_a_respondent, expected_version=1
        )


def test_an_answer_set_aside_is_held_to_the_limits_too(draft, office_a_respondent):
    # q1a_other applies only when q1a says "other": sent without it, it would be set aside.
    with pytest.raises(AnswersTooLarge):
        response_save_draft(
            response=draft,
            answers={"q1a_other": "x" * (MAX_TEXT_LENGTH + 1)},
            user=office_a_respondent,
            expected_version=1,
        )


def test_answers_within_the_limits_are_saved_even_if_incomplete(draft, office_a_respondent):
    response_save_draft(
        response=draft, answers={"q14a": [ROW] * MAX_GRID_ROWS}, user=office_a_respondent, expected_version=1
    )
    draft.refresh_from_db()
    assert len(draft.answers["q14a"]) == MAX_GRID_ROWS


def test_the_form_refuses_a_too_long_answer_and_keeps_it(edition, draft, office_a_respondent):
    typed = {"q1b": "1992", "q14d": "y" * (MAX_TEXT_LENGTH + 1)}
    page = logged_in(office_a_respondent).post(edit_url(draft), form_data(edition, typed, version=draft.version))
    assert page.status_code == 400
    content = page.content.decode()
    assert "Question 14 d)" in content and "Nothing was saved" in content
    assert 'value="1992"' in content
    assert ResponseRevision.objects.filter(response=draft).count() == 1


def test_the_api_refuses_a_too_long_answer(draft, office_a_respondent):
    page = client_for(office_a_respondent).put(
        url(f"responses/{draft.pk}/"), {"answers": {"q14d": "x" * (MAX_TEXT_LENGTH + 1)}, "version": 1}, format="json"
    )
    assert page.status_code == 400
    assert "Question 14 d)" in page.json()["detail"]


def test_request_bodies_are_capped():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 4 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 10_000


def test_the_form_refuses_a_body_over_the_cap(edition, draft, office_a_respondent):
    body = form_data(edition, {"q1b": "1992"}, version=draft.version)
    body["q14d"] = "z" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    page = logged_in(office_a_respondent).post(edit_url(draft), body)
    assert page.status_code == 400
    assert ResponseRevision.objects.filter(response=draft).count() == 1


def test_the_api_refuses_a_body_over_the_cap(draft, office_a_respondent):
    body = '{"version": 1, "answers": {"q1b": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}}'
    page = client_for(office_a_respondent).generic(
        "PUT", url(f"responses/{draft.pk}/"), body, content_type="application/json"
    )
    assert page.status_code == 413
    assert "too large" in page.json()["detail"]


def test_the_whole_questionnaire_form_fits_under_the_caps(edition, draft, office_a_respondent):
    page = logged_in(office_a_respondent).get(edit_url(draft)).content.decode()
    assert page.count(" name=") < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS / 2
