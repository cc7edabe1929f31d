""" "Response n of m" counts what the public may see: starting or deleting a draft never
changes a public page, a report's "MD 2/2" or any published number."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from surveys.models import NumberingSystem, SurveyResponse
from surveys.responses.services import response_start
from tests.surveys.test_reports import build_report_round, report_url
from tests.surveys.test_views_public import MD_HEADING
from tests.surveys.web_helpers import public_url


@pytest.fixture
def moldova_pair(office_a_respondent, make_response, moldova_answers):
    """md-001 an empty draft, md-002 Moldova's published answers ("Response 2 of 2")."""
    make_response(office_a_respondent, label="Patents")
    make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)


def _start_draft(survey_round, user, label):
    system = NumberingSystem.objects.create(office=user.membership.office, label=label, created_by=user)
    return response_start(survey_round=survey_round, numbering_system=system, user=user)


def test_a_new_draft_does_not_change_the_published_heading(client, survey_round, moldova_pair, office_a_respondent):
    assert MD_HEADING in client.get(public_url("md-002")).content.decode()
    draft = _start_draft(survey_round, office_a_respondent, "Industrial designs")
    assert draft.sequence == 3
    assert MD_HEADING in client.get(public_url("md-002")).content.decode()
    draft.delete()
    assert MD_HEADING in client.get(public_url("md-002")).content.decode()


def test_an_only_published_response_stays_one_of_one(
    client, survey_round, make_response, office_a_respondent, moldova_answers
):
    make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    heading = "Response 1 of 1 submitted by Republic of Moldova"
    assert heading in client.get(public_url("md-001")).content.decode()
    _start_draft(survey_round, office_a_respondent, "Patents")
    page = client.get(public_url("md-001")).content.decode()
    assert heading in page and "1 of 2" not in page


def test_report_labels_ignore_drafts(
    survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers
):
    build_report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers)
    before = json.loads(Client().get(report_url(format="json")).getvalue())["tables"]
    _start_draft(survey_round, office_a_respondent, "Industrial designs")
    _start_draft(survey_round, office_b_respondent, "Unitary patents")
    assert json.loads(Client().get(report_url(format="json")).getvalue())["tables"] == before
    assert SurveyResponse.objects.filter(office_id="MD").count() == 3
