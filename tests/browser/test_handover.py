"""The hand-over inside an office in Chromium: the respondent marks the response ready for
approval, the approver reads what submitting checks and confirms; the translator's page of
a round's texts. axe-core finds no serious or critical violation on the new pages, on a
desktop and on a phone. Screenshots are kept when WIPOSTAD_SHOTS names a folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from surveys.models import SurveyResponse
from tests.browser.test_accessibility import VIEWPORTS, _assert_no_blocking, axe_context, on_every_screen
from tests.browser.test_accessibility import axe_path as axe_path  # the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("WIPOSTAD_SHOTS", "")


def _shot(page: Page, name: str, screen: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{screen}.png"), full_page=True)


@axe_context
@on_every_screen
def test_the_respondent_hands_over_and_the_approver_submits(
    axe_path,
    screen,
    browser,
    live_server,
    office_a_respondent,
    office_a_approver,
    make_response,
    moldova_answers,
):
    response = make_response(office_a_respondent, moldova_answers)
    respondent = _signed_in(browser, live_server, office_a_respondent, screen)
    respondent.goto(f"{live_server.url}{reverse('surveys:response_edit', args=[response.pk])}")
    expect(respondent.locator("button[name=action][value=submit]")).to_have_count(0)
    respondent.click("button[name=action][value=ready]")
    expect(respondent.locator("#hand-over")).to_contain_text("Ready for approval")
    _assert_no_blocking(respondent, axe_path)
    _shot(respondent, "response-ready", screen)

    approver = _signed_in(browser, live_server, office_a_approver, screen)
    expect(approver.locator("main")).to_contain_text("Ready for approval")
    approver.goto(f"{live_server.url}{reverse('surveys:response_detail', args=[response.pk])}")
    approver.get_by_role("link", name="Check and submit").first.click()
    expect(approver.locator("#check-required h3")).to_have_text("0 required questions unanswered")
    _assert_no_blocking(approver, axe_path)
    _shot(approver, "response-submit", screen)
    approver.get_by_role("button", name="Submit to the International Bureau").click()
    expect(approver.locator(".status").first).to_have_text("Submitted")
    assert SurveyResponse.objects.get(pk=response.pk).status == "submitted"


@axe_context
@on_every_screen
def test_the_translators_pages(axe_path, screen, browser, live_server, survey_round, translator):
    page = _signed_in(browser, live_server, translator, screen)
    expect(page.locator("h1")).to_have_text("Texts to translate")
    _assert_no_blocking(page, axe_path)
    page.get_by_role("link", name="Edit the texts").click()
    page.fill("#id_title_fr", "Questionnaire sur la numérotation des demandes (2012)")
    _assert_no_blocking(page, axe_path)
    _shot(page, "round-texts", screen)
    page.get_by_role("button", name="Save the texts").click()
    expect(page.locator("#id_title_fr")).to_have_value("Questionnaire sur la numérotation des demandes (2012)")


def _signed_in(browser, live_server, user, screen) -> Page:
    """A page of its own (each person in their own browser context), signed in."""
    context = browser.new_context(bypass_csp=True, viewport=VIEWPORTS[screen])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "persona-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/surveys/")
    return page
