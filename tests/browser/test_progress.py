"""The questionnaire in Chromium: "N required questions left" and each section's state
follow the office's answers at once, counted in the page from the condition trees as the
engine counts them, with no request to the server."""

import pytest
from playwright.sync_api import expect

from surveys.questionnaire.engine import evaluate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_count_and_the_section_states_follow_the_answers_without_a_request(
    live_server, signed_in_page, office_a_respondent, make_response, moldova_answers
):
    answers = {k: v for k, v in moldova_answers.items() if k != "q1b"}
    response = make_response(office_a_respondent, answers)
    engine_count = len(evaluate(response.round.edition.structure, response.answers).required_unanswered)
    assert engine_count == 1
    page = signed_in_page(office_a_respondent)
    page.goto(f"{live_server.url}/surveys/responses/{response.pk}/edit/")

    count = page.locator("#required-left")
    separators = page.locator('[data-section="section-separators"]')
    ipr_types = page.locator('[data-section="section-ipr_types"]')
    # As the script counts on load: what the engine counts, and what the server wrote.
    expect(count).to_have_text(str(engine_count))
    expect(page.locator("#progress")).to_have_text("1 required question left")
    expect(ipr_types.locator(".sec-state")).to_have_text("1 question left")
    expect(separators).to_have_attribute("data-state", "complete")

    requests = []
    page.on("request", lambda request: requests.append(request.url))

    # The gate opens two required follow-ups: both counted, the section is no longer complete.
    page.check("#id_q11a-yes")
    expect(count).to_have_text("3")
    expect(separators).to_have_attribute("data-state", "incomplete")
    expect(separators.locator(".sec-state")).to_have_text("2 questions left")
    expect(separators).to_have_class("sec-incomplete")

    # Ticking "other" answers q11b and opens q11b_other: still two left in the section.
    page.check("#id_q11b-other")
    expect(page.locator("#q-q11b_other")).to_be_visible()
    expect(separators.locator(".sec-state")).to_have_text("2 questions left")
    page.fill("#id_q11b_other", "~")  # counted as it is typed
    expect(count).to_have_text("2")
    expect(separators.locator(".sec-state")).to_have_text("1 question left")
    page.check("#id_q11c-no")
    expect(separators).to_have_attribute("data-state", "complete")
    expect(separators.locator(".sec-state")).to_have_text("Complete")

    page.fill("#id_q1b", "1992")
    expect(count).to_have_text("0")
    expect(page.locator("#progress")).to_have_text("0 required questions left")
    expect(ipr_types.locator(".sec-state")).to_have_text("Complete")

    # Closing the gate again takes its follow-ups out of the count.
    page.check("#id_q11a-no")
    expect(count).to_have_text("0")
    assert requests == []

    # Saved, the server counts what the page counted.
    page.click("button[name=action][value=save]")
    expect(page.locator(".message-success")).to_have_text("Draft saved.")
    expect(count).to_have_text("0")
    response.refresh_from_db()
    assert evaluate(response.round.edition.structure, response.answers).required_unanswered == ()


def test_a_prefilled_section_is_to_confirm_until_its_box_is_ticked(
    live_server, signed_in_page, office_a_respondent, make_response, moldova_answers, edition, survey_round
):
    from datetime import date

    from surveys.models import Invitation, SurveyRound
    from surveys.responses.services import response_start

    first = make_response(office_a_respondent, moldova_answers, publish=True)
    next_round = SurveyRound.objects.create(
        edition=edition, slug="r-2013", title="2013", year=2013, opens_on=date(2013, 1, 1), closes_on=date(2099, 1, 1)
    )
    Invitation.objects.create(round=next_round, office_id="MD")
    second = response_start(survey_round=next_round, numbering_system=first.numbering_system, user=office_a_respondent)
    page = signed_in_page(office_a_respondent)
    page.goto(f"{live_server.url}/surveys/responses/{second.pk}/edit/")

    separators = page.locator('[data-section="section-separators"]')
    expect(page.locator("#required-left")).to_have_text("0")
    expect(separators).to_have_attribute("data-state", "to_confirm")
    expect(separators.locator(".sec-state")).to_have_text("To confirm")
    page.check("#confirm-separators")
    expect(separators).to_have_attribute("data-state", "complete")
    expect(separators.locator(".sec-state")).to_have_text("Complete")
    expect(separators).to_have_class("sec-complete")
    # A section left with a question to answer says so first, confirmed or not.
    page.check("#id_q11a-yes")
    expect(separators.locator(".sec-state")).to_have_text("2 questions left")
    page.uncheck("#confirm-separators")
    expect(separators.locator(".sec-state")).to_have_text("2 questions left")
    page.check("#id_q11a-no")
    expect(separators.locator(".sec-state")).to_have_text("To confirm")
