"""The questionnaire in Chromium: follow-ups appear and disappear live, and what the
browser hid is never stored as an answer."""

from datetime import date

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_follow_ups_follow_the_gate_and_hidden_answers_are_not_stored(
    live_server, signed_in_page, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers)
    assert response.answers["q11a"] == "no"
    # The approver finishes and submits what the respondent prepared.
    page = signed_in_page(office_a_approver)
    page.goto(f"{live_server.url}/surveys/responses/{response.pk}/edit/")

    follow_up = page.locator("#q-q11b")
    expect(follow_up).to_be_hidden()
    expect(page.locator("#q-q11c")).to_be_hidden()

    # Answer the gate "yes": the follow-ups appear at once, with no round trip.
    page.check("#id_q11a-yes")
    expect(follow_up).to_be_visible()
    expect(page.locator("#q-q11c")).to_be_visible()
    expect(page.locator("#branch-status")).to_have_text("2 follow-up questions shown below.")

    # Answer one follow-up; a follow-up of the follow-up appears with it.
    page.check("#id_q11b-other")
    expect(page.locator("#q-q11b_other")).to_be_visible()
    page.fill("#id_q11b_other", "~")

    # Switch the gate back: everything behind it disappears.
    page.check("#id_q11a-no")
    expect(follow_up).to_be_hidden()
    expect(page.locator("#q-q11b_other")).to_be_hidden()

    # "Submit response" saves and leads to the confirmation page, which submits.
    page.click("button[name=action][value=submit]")
    page.wait_for_url(f"{live_server.url}/surveys/responses/{response.pk}/submit/")
    page.click("#submit-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/surveys/responses/{response.pk}/")
    expect(page.locator(".status")).to_have_text("Submitted")

    response.refresh_from_db()
    assert response.status == "submitted"
    assert response.answers["q11a"] == "no"
    assert "q11b" not in response.answers
    assert "q11b_other" not in response.answers
    # Set aside, never reported as answered.
    assert response.set_aside_answers["q11b"] == ["other"]


def test_part_rows_follow_the_parts_ticked_in_q2a(live_server, signed_in_page, office_a_respondent, make_response):
    response = make_response(office_a_respondent, {"q2a": ["serial"], "q4a": "fixed"})
    page = signed_in_page(office_a_respondent)
    page.goto(f"{live_server.url}/surveys/responses/{response.pk}/edit/")
    year_row = page.locator('[data-row-of="q4b"][data-row="year"]')
    expect(year_row).to_be_hidden()
    page.check("#id_q2a-year")
    expect(year_row).to_be_visible()
    page.fill('[name="q4b.year"]', "4")
    page.fill('[name="q4b.serial"]', "9")
    page.click("button[name=action][value=save]")
    expect(page.locator(".message-success")).to_have_text("Draft saved.")
    response.refresh_from_db()
    assert response.answers["q4b"] == {"year": 4, "serial": 9}


# An edition whose follow-up asks whether a table was filled in: the script reads a table's
# cells as the server does (its type says how: data-value="fields").
TABLE_EDITION = {
    "format": 1,
    "slug": "tables-answered",
    "version": "1",
    "year": 2012,
    "title": {"en": "Tables"},
    "examples": [],
    "sections": [
        {
            "id": "s",
            "title": {"en": "Tables"},
            "questions": [
                {
                    "id": "t1",
                    "number": 1,
                    "letter": "a",
                    "type": "grid",
                    "text": {"en": "Codes used"},
                    "required": False,
                    "columns": [{"id": "code", "label": {"en": "Code"}}],
                },
                {
                    "id": "t1b",
                    "number": 1,
                    "letter": "b",
                    "type": "text",
                    "text": {"en": "Where are the codes explained?"},
                    "required": False,
                    "condition": {"answered": "t1"},
                },
            ],
        }
    ],
}


def test_a_follow_up_of_a_table_appears_once_a_cell_is_filled(live_server, signed_in_page, office_a_respondent):
    from surveys.models import Invitation, NumberingSystem, QuestionnaireEdition, SurveyRound
    from surveys.responses.services import response_start

    edition = QuestionnaireEdition.objects.create(
        slug="tables-answered", version="1", title="Tables", year=2012, definition=TABLE_EDITION, checksum="-"
    )
    survey_round = SurveyRound.objects.create(
        edition=edition, slug="tables", title="Tables", year=2012, opens_on=date(2012, 1, 1), closes_on=date(2099, 1, 1)
    )
    Invitation.objects.create(round=survey_round, office_id="MD")
    system = NumberingSystem.objects.create(office_id="MD", label="Trademarks", created_by=office_a_respondent)
    response = response_start(survey_round=survey_round, numbering_system=system, user=office_a_respondent)
    page = signed_in_page(office_a_respondent)
    page.goto(f"{live_server.url}/surveys/responses/{response.pk}/edit/")

    follow_up = page.locator("#q-t1b")
    expect(follow_up).to_be_hidden()
    page.fill('[name="t1.0.code"]', "01")
    page.locator('[name="t1.0.code"]').dispatch_event("change")
    expect(follow_up).to_be_visible()
    page.fill('[name="t1.0.code"]', " ")
    page.locator('[name="t1.0.code"]').dispatch_event("change")
    expect(follow_up).to_be_hidden()
