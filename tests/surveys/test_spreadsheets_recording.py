"""The services the spreadsheet import shares with the commands: a response recorded, or
overwritten, for an office; what they write, and what they refuse without writing anything."""

from __future__ import annotations

import pytest
from django.db import transaction

from standards.models import Office
from surveys.errors import (
    NotAllowed,
    OfficeNotInvited,
    ResponseExists,
    ResponseNotEditable,
    RoundClosed,
    SequenceUnavailable,
    WorkflowError,
)
from surveys.intake.recording import invitation_lock, response_overwrite_for_office, response_record_for_office
from surveys.models import Invitation, NumberingSystem, ResponseStatus, SurveyResponse, SurveyRound
from tests.surveys.spreadsheet_helpers import snapshot

pytestmark = pytest.mark.django_db


def test_a_command_records_a_published_response_in_a_closed_round_inviting_the_office(survey_round):
    closed = survey_round
    closed.status = SurveyRound.Status.CLOSED
    closed.save(update_fields=["status"])
    office = Office.objects.get(pk="FR")  # not invited to the round
    answers = {"q2a": ["serial"], "q4a": "fixed", "q4b": {"serial": 6}, "q4c": {"serial": {"min": 4, "max": 6}}}

    response = response_record_for_office(
        survey_round=closed,
        office=office,
        numbering_system_label=" Patents ",
        answers=answers,
        user=None,
        note="imported from fr-001.txt",
        status=ResponseStatus.PUBLISHED,
        invite=True,
        require_open_round=False,
    )

    response.refresh_from_db()
    assert (response.office_id, response.sequence, response.status, response.version) == ("FR", 1, "published", 1)
    assert response.published_at is not None and response.created_by is None and response.updated_by is None
    assert response.numbering_system.label == "Patents"
    assert response.answers == {"q2a": ["serial"], "q4a": "fixed", "q4b": {"serial": 6}}
    # q4c applies only to variable lengths: set aside, as in a saved draft.
    assert response.set_aside_answers == {"q4c": {"serial": {"min": 4, "max": 6}}}
    assert Invitation.objects.filter(round=closed, office_id="FR").count() == 1
    revision = response.revisions.get()
    assert (revision.version, revision.status, revision.author, revision.note, revision.changed) == (
        1,
        "published",
        None,
        "imported from fr-001.txt",
        ["q2a", "q4a", "q4b", "q4c"],
    )
    # The next response takes the next number; the invitation is not made twice.
    second = response_record_for_office(
        survey_round=closed,
        office=office,
        numbering_system_label="Trademarks",
        answers={},
        user=None,
        note="placeholder",
        invite=True,
        require_open_round=False,
    )
    assert (second.sequence, second.status, second.published_at, second.answers) == (2, "draft", None, {})
    assert Invitation.objects.filter(round=closed, office_id="FR").count() == 1
    with transaction.atomic():
        assert invitation_lock(survey_round=closed, office=office, user=None, invite=True)[1] is False


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [
        ({"office": "FR"}, OfficeNotInvited, "FR (France) is not invited to the round “Questionnaire on application"),
        ({"sequence": 1}, SequenceUnavailable, "md-001 (“Patents”) already has number 1 in this round."),
        ({"sequence": 0}, SequenceUnavailable, "Response numbers start at 1."),
        (
            {"numbering_system_label": "PATENTS"},
            ResponseExists,
            "MD's numbering system “Patents” already has a response",
        ),
        ({"numbering_system_label": "  "}, WorkflowError, "Give the numbering system a name."),
        ({"answers": {"q99": "x"}}, WorkflowError, "Unknown question ID(s): q99."),
    ],
)
def test_recording_for_an_office_refuses_and_writes_nothing(
    make_response, office_a_respondent, importer, overrides, error, message
):
    existing = make_response(office_a_respondent, {"q1b": "1992"}, label="Patents")
    arguments = {
        "survey_round": existing.round,
        "office": existing.office,
        "numbering_system_label": "Trademarks",
        "answers": {"q1b": "1992"},
        "user": importer,
        "note": "recorded",
        **overrides,
    }
    if "office" in overrides:
        arguments["office"] = Office.objects.get(pk=overrides["office"])
    before = snapshot()

    with pytest.raises(error) as excinfo:
        response_record_for_office(**arguments)

    assert str(excinfo.value).startswith(message)
    assert snapshot() == before
    assert not Invitation.objects.filter(office_id="FR").exists()


def test_recording_for_an_office_needs_the_secretariat_an_open_round_and_a_recordable_status(
    survey_round, office_a_approver, importer
):
    office = office_a_approver.membership.office
    arguments = {
        "survey_round": survey_round,
        "office": office,
        "numbering_system_label": "Trademarks",
        "answers": {},
        "note": "recorded",
    }
    with pytest.raises(NotAllowed, match="Only the International Bureau"):
        response_record_for_office(**arguments, user=office_a_approver)
    with pytest.raises(ValueError, match="is draft or published, not “submitted”."):
        response_record_for_office(**arguments, user=importer, status=ResponseStatus.SUBMITTED)
    survey_round.status = SurveyRound.Status.CLOSED
    survey_round.save(update_fields=["status"])
    with pytest.raises(RoundClosed, match="is closed"):
        response_record_for_office(**arguments, user=importer)
    assert SurveyResponse.objects.count() == 0 and NumberingSystem.objects.count() == 0


def test_overwriting_for_an_office_moves_publishes_and_then_refuses(make_response, office_a_respondent, importer):
    response = make_response(office_a_respondent, {"q2a": ["serial"], "q4a": "fixed", "q4b": {"serial": 6}})
    answers = {"q2a": ["serial"], "q4a": "variable", "q4c": {"serial": {"min": 4, "max": 6}}}
    arguments = {"answers": answers, "user": importer, "note": "corrected by the IB"}

    overwritten, written = response_overwrite_for_office(
        response=response, **arguments, status=ResponseStatus.PUBLISHED, numbering_system_label="Patents"
    )

    assert written and overwritten.pk == response.pk
    response.refresh_from_db()
    assert (response.status, response.version, response.updated_by) == ("published", 3, importer)
    assert response.published_at is not None
    assert response.numbering_system.label == "Patents"
    assert NumberingSystem.objects.filter(office_id="MD", label="Trademarks").exists()
    assert response.answers == answers
    # The fixed length no longer applies and was not given again: set aside, not lost.
    assert response.set_aside_answers == {"q4b": {"serial": 6}}
    latest = response.revisions.order_by("-version").first()
    assert (latest.version, latest.status, latest.author, latest.note, latest.changed) == (
        3,
        "published",
        importer,
        "corrected by the IB",
        ["q4a", "q4c"],
    )
    # The same again changes nothing and records nothing, even though it is published now.
    again, written = response_overwrite_for_office(response=response, **arguments, numbering_system_label="patents")
    assert not written and again.version == 3 and response.revisions.count() == 3
    with pytest.raises(ResponseNotEditable, match=r"^md-001 is published; an import only overwrites draft or"):
        response_overwrite_for_office(response=response, **{**arguments, "answers": {"q1b": "1993"}})
    with pytest.raises(SequenceUnavailable, match=r"^This response is md-001 \(number 1\), not number 2\.$"):
        response_overwrite_for_office(response=response, **arguments, sequence=2)
    response.refresh_from_db()
    assert (response.version, response.answers) == (3, answers)
