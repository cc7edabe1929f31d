"""The hand-over inside an office: a respondent marks a response ready for approval, the
approvers are told; the approver sees what submitting checks before trying, confirms, or
hands the response back to the respondents with a note."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.accounts.services import language_set
from surveys.errors import NotAllowed, ResponseInvalid, WorkflowError
from surveys.models import ResponseEvent, ResponseStatus, SurveyResponse
from surveys.responses.services import response_save_draft
from surveys.review.workflow import (
    response_hand_back,
    response_mark_ready,
    response_submit,
    submission_check,
)
from tests.surveys.web_helpers import edit_url, form_data, logged_in


def submit_url(response: SurveyResponse) -> str:
    return reverse("surveys:response_submit", args=[response.pk])


def hand_back_url(response: SurveyResponse) -> str:
    return reverse("surveys:response_hand_back", args=[response.pk])


def detail_url(response: SurveyResponse) -> str:
    return reverse("surveys:response_detail", args=[response.pk])


# --- the services -------------------------------------------------------------------------


def test_marking_ready_is_recorded_and_tells_the_approvers_only(
    office_a_respondent, office_a_approver, office_b_respondent, make_response, django_capture_on_commit_callbacks
):
    response = make_response(office_a_respondent, {"q1b": "1992"})
    version = response.version
    language_set(user=office_a_approver, language="fr")  # each person is written to in their language
    with django_capture_on_commit_callbacks(execute=True):
        response_mark_ready(response=response, user=office_a_respondent, note="All but Question 14.")
    response.refresh_from_db()
    assert response.is_ready_for_approval
    assert response.ready_for_approval_by == office_a_respondent
    # Neither the status nor the version changes: the reports and an open form are untouched.
    assert (response.status, response.version) == (ResponseStatus.DRAFT, version)
    event = response.events.get()
    assert (event.action, event.from_status, event.to_status, event.actor, event.comment) == (
        "ready",
        "draft",
        "draft",
        office_a_respondent,
        "All but Question 14.",
    )
    assert [m.to for m in mail.outbox] == [[office_a_approver.email]]
    body = mail.outbox[0].body
    assert "md-001" in body and "All but Question 14." in body
    assert "est prête pour approbation" in body and "is ready for approval" not in body  # in French only
    assert mail.outbox[0].subject == "[wipostad] md-001\u00a0: prête pour approbation"


def test_marking_ready_twice_or_after_submission_is_refused(office_a_respondent, make_response, moldova_answers):
    response = make_response(office_a_respondent, {"q1b": "1992"})
    response_mark_ready(response=response, user=office_a_respondent)
    with pytest.raises(WorkflowError, match="already marked ready"):
        response_mark_ready(response=response, user=office_a_respondent)
    submitted = make_response(office_a_respondent, moldova_answers, label="Patents", submit=True)
    with pytest.raises(WorkflowError, match="only a draft or a returned response"):
        response_mark_ready(response=submitted, user=office_a_respondent)
    assert not submitted.events.filter(action="ready").exists()


def test_another_office_or_the_secretariat_cannot_mark_ready(
    office_a_respondent, office_b_respondent, secretariat_reviewer, make_response
):
    response = make_response(office_a_respondent, {"q1b": "1992"})
    for user in (office_b_respondent, secretariat_reviewer):
        with pytest.raises(NotAllowed):
            response_mark_ready(response=response, user=user)
    assert not ResponseEvent.objects.exists()


def test_handing_back_needs_an_approver_and_a_note_and_tells_the_respondents(
    office_a_respondent, office_a_approver, make_response, django_capture_on_commit_callbacks
):
    response = make_response(office_a_respondent, {"q1b": "1992"})
    response_mark_ready(response=response, user=office_a_respondent)
    with pytest.raises(NotAllowed):
        response_hand_back(response=response, user=office_a_respondent, note="Myself?")
    with pytest.raises(WorkflowError, match="the note is required"):
        response_hand_back(response=response, user=office_a_approver, note="   ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response_hand_back(response=response, user=office_a_approver, note="Question 4 b) is missing.")
    response.refresh_from_db()
    assert not response.is_ready_for_approval and response.ready_for_approval_by is None
    assert list(response.events.values_list("action", "comment")) == [
        ("ready", ""),
        ("hand_back", "Question 4 b) is missing."),
    ]
    assert [m.to for m in mail.outbox] == [[office_a_respondent.email]]
    assert "handed the response" in mail.outbox[0].body and "Question 4 b) is missing." in mail.outbox[0].body


def test_submitting_ends_the_hand_over(office_a_respondent, office_a_approver, make_response, moldova_answers):
    response = make_response(office_a_respondent, moldova_answers)
    response_mark_ready(response=response, user=office_a_respondent)
    response_submit(response=response, user=office_a_approver)
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.ready_for_approval_at is None and not response.is_ready_for_approval


def test_the_submission_check_is_what_the_submit_refuses_on(office_a_respondent, office_a_approver, make_response):
    response = make_response(office_a_respondent, {"q1b": "19x2"})
    check = submission_check(response)
    assert not check.passes
    with pytest.raises(ResponseInvalid) as refused:
        response_submit(response=response, user=office_a_approver)
    assert refused.value.evaluation.errors == check.evaluation.errors
    assert refused.value.unconfirmed == check.unconfirmed


# --- the pages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("office_a_respondent", 403),
        ("office_a_approver", 200),
        ("office_b_respondent", 404),
        ("secretariat_reviewer", 403),
    ],
)
def test_who_opens_the_confirmation_page(request, persona, expected, office_a_respondent, make_response):
    response = make_response(office_a_respondent, {"q1b": "1992"})
    client = logged_in(request.getfixturevalue(persona))
    assert client.get(submit_url(response)).status_code == expected
    page = client.post(submit_url(response), {"version": str(response.version)})
    assert page.status_code == (400 if expected == 200 else expected)  # the approver: refused as incomplete
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT


def test_the_confirmation_page_lists_the_problems_the_submit_refuses_on(
    edition, office_a_respondent, office_a_approver, make_response
):
    response = make_response(office_a_respondent, {"q1b": "19x2"})
    check = submission_check(response)
    client = logged_in(office_a_approver)
    content = client.get(submit_url(response)).content.decode()
    required = [qid for qid, issues in check.evaluation.errors.items() if any(i.code == "required" for i in issues)]
    wrong = [qid for qid, issues in check.evaluation.errors.items() if any(i.code != "required" for i in issues)]
    assert required and wrong == ["q1b"]
    listed = content[content.index('id="check-required"') : content.index('id="check-errors"')]
    assert sorted(listed.count(f"?check=1#q-{qid}") for qid in required) == [1] * len(required)
    assert listed.count("?check=1#q-") == len(required)
    errors = content[content.index('id="check-errors"') : content.index('id="check-sections"')]
    assert errors.count("?check=1#q-") == 1 and "#q-q1b" in errors
    assert "Enter a year (yyyy) or a full date (dd/mm/yyyy)." in errors
    # No confirmation offered while the submit would refuse; trying anyway is refused on the same grounds.
    assert "Submit to the International Bureau</button>" not in content
    page = client.post(submit_url(response), {"version": str(response.version)})
    assert page.status_code == 400
    assert "Not submitted: fix the problems listed below first." in page.content.decode()
    # The form opened from the list shows the same problems beside the questions.
    form = client.get(edit_url(response) + "?check=1").content.decode()
    assert 'id="error-summary"' in form and "#q-q1b" in form


def test_a_complete_response_is_submitted_after_confirmation(
    edition, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers)
    client = logged_in(office_a_approver)
    content = client.get(submit_url(response)).content.decode()
    assert "0 required questions unanswered" in content and "0 answers with an error" in content
    assert "It becomes read-only for your office" in content
    assert 'type="submit">Submit to the International Bureau</button>' in content
    page = client.post(submit_url(response), {"version": str(response.version)})
    assert page.status_code == 302 and page["Location"] == detail_url(response)
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    # Submitted: the page no longer offers anything; it sends to the read-only page.
    assert client.get(submit_url(response))["Location"] == detail_url(response)


def test_a_stale_confirmation_is_refused(
    edition, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers)
    client = logged_in(office_a_approver)
    stale = response.version
    response_save_draft(response=response, answers=moldova_answers, user=office_a_respondent, expected_version=stale)
    page = client.post(submit_url(response), {"version": str(stale)})
    assert page.status_code == 409
    assert SurveyResponse.objects.get(pk=response.pk).status == ResponseStatus.DRAFT


def test_the_forms_submit_button_leads_to_the_confirmation_page(
    edition, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    response = make_response(office_a_respondent, {"q1b": "1992"})
    approver = logged_in(office_a_approver)
    assert 'name="action" value="submit"' in approver.get(edit_url(response)).content.decode()
    page = approver.post(
        edit_url(response), form_data(edition, moldova_answers, version=response.version, action="submit")
    )
    assert page["Location"] == submit_url(response)
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT and response.answers == moldova_answers  # saved, not submitted


def test_the_respondent_marks_ready_from_the_form(
    edition, office_a_respondent, office_a_approver, make_response, django_capture_on_commit_callbacks
):
    response = make_response(office_a_respondent, {"q1b": "1992"})
    client = logged_in(office_a_respondent)
    form = client.get(edit_url(response)).content.decode()
    assert 'name="action" value="ready"' in form and 'value="submit"' not in form
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            edit_url(response), form_data(edition, {"q1b": "1993"}, version=response.version, action="ready")
        )
    assert page["Location"] == detail_url(response)
    response.refresh_from_db()
    assert response.answers["q1b"] == "1993" and response.is_ready_for_approval
    assert [m.to for m in mail.outbox] == [[office_a_approver.email]]
    # Shown on the response, on the form and on the office's dashboard.
    detail = client.get(detail_url(response)).content.decode()
    assert 'id="hand-over"' in detail and "Ready for approval" in detail and "Marked ready for approval" in detail
    form = client.get(edit_url(response)).content.decode()
    assert 'id="hand-over"' in form and 'value="ready"' not in form
    dashboard = logged_in(office_a_approver).get(reverse("surveys:dashboard")).content.decode()
    assert 'status-ready">Ready for approval' in dashboard
    # The approver is led to the confirmation page from the response.
    assert submit_url(response) in logged_in(office_a_approver).get(detail_url(response)).content.decode()


def test_the_approver_hands_back_from_the_confirmation_page(
    office_a_respondent, office_a_approver, office_b_respondent, make_response, django_capture_on_commit_callbacks
):
    response = make_response(office_a_respondent, {"q1b": "1992"})
    response_mark_ready(response=response, user=office_a_respondent)
    approver = logged_in(office_a_approver)
    assert hand_back_url(response) in approver.get(submit_url(response)).content.decode()
    # Nobody else may; a missing note is refused with a message.
    assert logged_in(office_a_respondent).post(hand_back_url(response), {"note": "x"}).status_code == 403
    assert logged_in(office_b_respondent).post(hand_back_url(response), {"note": "x"}).status_code == 404
    page = approver.post(hand_back_url(response), {"note": ""}, follow=True)
    assert "the note is required" in page.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = approver.post(hand_back_url(response), {"note": "Question 4 b) please."})
    assert page["Location"] == detail_url(response)
    assert [m.to for m in mail.outbox] == [[office_a_respondent.email]]
    form = logged_in(office_a_respondent).get(edit_url(response)).content.decode()
    assert "Handed back by your approver" in form and "Question 4 b) please." in form


def test_the_confirmation_page_reads_a_fixed_number_of_queries(
    edition, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    """However many problems it lists, the page reads the same rows."""

    def queries(response) -> int:
        client = logged_in(office_a_approver)
        client.get(submit_url(response))  # the session, once
        with CaptureQueriesContext(connection) as captured:
            assert client.get(submit_url(response)).status_code == 200
        return len(captured.captured_queries)

    complete = make_response(office_a_respondent, moldova_answers)
    nearly_empty = make_response(office_a_respondent, {"q1b": "19x2"}, label="Patents")
    assert submission_check(complete).passes and not submission_check(nearly_empty).passes
    assert queries(complete) == queries(nearly_empty)


def test_a_refused_hand_back_keeps_the_note_as_typed(office_a_respondent, office_a_approver, make_response):
    from surveys.models import SurveyRound

    response = make_response(office_a_respondent, {"q1b": "1992"})
    response_mark_ready(response=response, user=office_a_respondent)
    SurveyRound.objects.filter(pk=response.round_id).update(status=SurveyRound.Status.CLOSED)
    page = logged_in(office_a_approver).post(hand_back_url(response), {"note": "Question 4 b) <please>."})
    assert page.status_code == 400
    html = page.content.decode()
    assert "is closed" in html
    assert ">Question 4 b) &lt;please&gt;.</textarea>" in html
