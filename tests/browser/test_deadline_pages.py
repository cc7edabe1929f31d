"""The deadline's pages in Chromium: axe-core finds no serious or critical violation on the
round dashboard's deadline and reminders, the confirmation to close a round, the reminder
schedule, and an office's response in a closed round; the secretariat closes the round
from its dashboard."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from surveys.review.reminders import due_reminders
from tests.browser.test_accessibility import VIEWPORTS, _assert_no_blocking, axe_context, axe_path, on_every_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["axe_path"]  # the fixture, used by name


@axe_context
@on_every_screen
def test_closing_a_round_and_its_pages_have_no_serious_violations(
    axe_path,
    screen,
    page,
    live_server,
    signed_in_page,
    survey_round,
    office_a_respondent,
    secretariat_reviewer,
    make_response,
    moldova_answers,
):
    page.set_viewport_size(VIEWPORTS[screen])
    response = make_response(office_a_respondent, moldova_answers)
    due_reminders(date(2012, 12, 17))
    page = signed_in_page(secretariat_reviewer)
    page.goto(f"{live_server.url}{reverse('surveys:round_reminder_schedule', args=[survey_round.slug])}")
    expect(page.locator("#id_reminder_days_before")).to_have_value("14,7,1")
    _assert_no_blocking(page, axe_path)

    page.goto(f"{live_server.url}{reverse('surveys:round_dashboard', args=[survey_round.slug])}")
    expect(page.locator("#reminders-sent caption")).to_contain_text("2 reminders sent")
    _assert_no_blocking(page, axe_path)
    page.click("#deadline a:has-text('Close the round')")
    expect(page.locator("h1")).to_have_text("Close the round?")
    _assert_no_blocking(page, axe_path)
    page.click("button:has-text('Close the round')")
    expect(page.locator(".message-success")).to_contain_text("is closed")
    expect(page.locator("#deadline")).to_contain_text("Reopen the round")

    page.context.clear_cookies()
    page = signed_in_page(office_a_respondent)
    page.goto(f"{live_server.url}{reverse('surveys:response_edit', args=[response.pk])}")
    expect(page.locator(".message")).to_contain_text("can no longer be changed")
    expect(page.locator("[data-deadline=closed]")).to_be_visible()
    expect(page.locator("form#questionnaire")).to_have_count(0)
    _assert_no_blocking(page, axe_path)
