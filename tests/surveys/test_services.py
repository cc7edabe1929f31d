"""Response services: drafts keep everything, hidden answers are set aside, conflicts refused."""

import pytest

from surveys.errors import NotAllowed, ResponseConflict, ResponseInvalid, WorkflowError
from surveys.models import NumberingSystem, ResponseRevision, SurveyResponse
from surveys.responses.services import numbering_system_create, response_save_draft, response_start
from surveys.review.workflow import response_submit

pytestmark = pytest.mark.django_db


def test_draft_save_keeps_invalid_input_and_records_a_revision(make_response, office_a_respondent):
    response = make_response(office_a_respondent, {"q1a": ["trademarks"], "q1b": "19x2"})
    assert response.answers == {"q1a": ["trademarks"], "q1b": "19x2"}
    assert response.version == 2
    revisions = list(response.revisions.values_list("version", "note", "changed"))
    assert revisions == [(1, "created", []), (2, "draft saved", ["q1a", "q1b"])]


def test_answers_that_stop_applying_are_set_aside_and_come_back(make_response, office_a_respondent):
    response = make_response(office_a_respondent, {"q4a": "fixed", "q2a": ["serial"], "q4b": {"serial": 6}})
    response_save_draft(
        response=response, answers={"q4a": "variable", "q2a": ["serial"]}, user=office_a_respondent, expected_version=2
    )
    response.refresh_from_db()
    assert "q4b" not in response.answers
    assert response.set_aside_answers == {"q4b": {"serial": 6}}
    # The form did not send q4b again; switching the gate back brings the answer back into view.
    response_save_draft(
        response=response,
        answers={"q4a": "fixed", "q2a": ["serial"], **response.set_aside_answers},
        user=office_a_respondent,
        expected_version=3,
    )
    response.refresh_from_db()
    assert response.answers["q4b"] == {"serial": 6} and response.set_aside_answers == {}


def test_stale_version_is_refused_and_nothing_is_written(make_response, office_a_respondent, office_a_approver):
    response = make_response(office_a_respondent, {"q1b": "1992"})
    response_save_draft(response=response, answers={"q1b": "1993"}, user=office_a_approver, expected_version=2)
    with pytest.raises(ResponseConflict, match="Nothing was overwritten"):
        response_save_draft(response=response, answers={"q1b": "1994"}, user=office_a_respondent, expected_version=2)
    response.refresh_from_db()
    assert response.answers == {"q1b": "1993"} and response.version == 3
    assert ResponseRevision.objects.filter(response=response).count() == 3


def test_submit_requires_a_valid_response(make_response, office_a_respondent, office_a_approver, moldova_answers):
    response = make_response(office_a_respondent, {"q1a": ["trademarks"]})
    with pytest.raises(ResponseInvalid) as exc:
        response_submit(response=response, user=office_a_approver)
    assert "q1b" in exc.value.evaluation.errors
    response.refresh_from_db()
    assert response.status == "draft" and response.submitted_at is None
    response_save_draft(
        response=response, answers=moldova_answers, user=office_a_respondent, expected_version=response.version
    )
    with pytest.raises(NotAllowed, match="approver"):
        response_submit(response=response, user=office_a_respondent)
    response_submit(response=response, user=office_a_approver)
    response.refresh_from_db()
    assert response.status == "submitted" and response.submitted_at is not None
    with pytest.raises(WorkflowError, match="can no longer be changed"):
        response_save_draft(response=response, answers={}, user=office_a_respondent, expected_version=response.version)


def test_other_offices_cannot_change_a_response(make_response, office_a_respondent, office_b_respondent):
    response = make_response(office_a_respondent, {"q1b": "1992"})
    with pytest.raises(NotAllowed):
        response_save_draft(response=response, answers={}, user=office_b_respondent, expected_version=2)
    with pytest.raises(NotAllowed):
        response_submit(response=response, user=office_b_respondent)
    response.refresh_from_db()
    assert response.answers == {"q1b": "1992"}


def test_responses_are_numbered_per_office_and_round(make_response, office_a_respondent, office_b_respondent):
    first = make_response(office_a_respondent, label="Patents")
    second = make_response(office_a_respondent, label="Trademarks")
    other = make_response(office_b_respondent, label="Patents")
    assert (first.public_key, second.public_key, other.public_key) == ("md-001", "md-002", "ep-001")


def test_starting_twice_returns_the_same_response(survey_round, office_a_respondent):
    system = NumberingSystem.objects.create(office_id="MD", label="Trademarks")
    one = response_start(survey_round=survey_round, numbering_system=system, user=office_a_respondent)
    two = response_start(survey_round=survey_round, numbering_system=system, user=office_a_respondent)
    assert one.pk == two.pk and SurveyResponse.objects.count() == 1


def test_closed_round_cannot_be_started(survey_round, office_a_respondent):
    survey_round.status = "closed"
    survey_round.save()
    system = NumberingSystem.objects.create(office_id="MD", label="Trademarks")
    with pytest.raises(WorkflowError, match="closed"):
        response_start(survey_round=survey_round, numbering_system=system, user=office_a_respondent)


def test_numbering_system_labels_are_unique_per_office(reference_data, office_a_respondent):
    numbering_system_create(office=office_a_respondent.membership.office, label="Trademarks", user=office_a_respondent)
    with pytest.raises(WorkflowError, match="already has a numbering system"):
        numbering_system_create(
            office=office_a_respondent.membership.office, label=" Trademarks ", user=office_a_respondent
        )
    with pytest.raises(WorkflowError, match="already has a numbering system"):
        numbering_system_create(
            office=office_a_respondent.membership.office, label="TRADEMARKS", user=office_a_respondent
        )
    assert NumberingSystem.objects.filter(office_id="MD").count() == 1
