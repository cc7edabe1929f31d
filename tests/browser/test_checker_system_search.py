"""The checker's search for a published numbering system in Chromium: typing suggests
systems from the server, the keyboard or the mouse chooses one, and the numbers are read
against it. The site's Content-Security-Policy stays on: the search's script is the page's own."""

import os

import pytest
from playwright.sync_api import expect

from surveys.demo import EPO_PATENTS
from tests.browser.test_accessibility import AXE_SCRIPT, _assert_no_blocking, axe_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def axe_script():
    if not AXE_SCRIPT.exists():
        reason = "axe-core is not installed: run `npm ci` first"
        if os.environ.get("WIPOSTAD_REQUIRE_BROWSER", "") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE_SCRIPT


@pytest.fixture
def published(office_a_respondent, office_b_respondent, make_response, moldova_answers):
    make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    make_response(office_b_respondent, EPO_PATENTS, label="European patent applications", publish=True)
    make_response(office_b_respondent, EPO_PATENTS, label="European drafts")  # never suggested


def test_type_pick_a_suggestion_with_the_keyboard_and_check_a_number(live_server, page, published):
    page.goto(f"{live_server.url}/st13/")
    page.check("#id_source_2")  # a published numbering system
    search = page.locator("#id_system")
    expect(search).to_have_attribute("role", "combobox")
    search.press_sequentially("europ", delay=30)

    options = page.locator("#system-suggestions [role=option]")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("EP – European patent applications (ep-001, 2012)")
    expect(search).to_have_attribute("aria-expanded", "true")
    search.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(search).to_have_attribute("aria-activedescendant", "system-option-0")
    search.press("Enter")  # chooses; does not send the form
    expect(search).to_have_value("EP – European patent applications (ep-001, 2012)")
    expect(page.locator("#system-suggestions")).to_be_hidden()

    page.fill("#id_numbers", "99403122.7\n99403122.5")
    page.select_option("#id_ipr_type", "patents")
    page.click("button[name=check]")

    expect(page.locator(".results-summary")).to_contain_text("1 valid, 1 with errors")
    rows = page.locator(".results-table tbody tr")
    expect(rows.nth(0)).to_contain_text("EP 99403122.7")
    expect(page.locator("#id_system")).to_have_value("EP – European patent applications (ep-001, 2012)")


def test_pick_with_the_mouse_then_changing_the_text_forgets_the_choice(live_server, page, published):
    page.goto(f"{live_server.url}/st13/")
    page.check("#id_source_2")
    page.locator("#id_system").press_sequentially("MD", delay=30)
    page.locator("#system-suggestions [role=option]").first.click()
    expect(page.locator("#id_system")).to_have_value("MD – Trademarks (md-001, 2012)")
    assert page.locator("#id_response").input_value() != ""

    page.locator("#id_system").press_sequentially("x")
    assert page.locator("#id_response").input_value() == ""
    expect(page.locator("#system-status")).to_have_text("No published numbering system matches.")


@axe_context
def test_open_suggestions_have_no_serious_violations(axe_script, live_server, page, published):
    page.goto(f"{live_server.url}/st13/")
    page.check("#id_source_2")
    page.locator("#id_system").press_sequentially("e", delay=30)
    page.locator("#id_system").press_sequentially("u", delay=30)
    expect(page.locator("#system-suggestions [role=option]").first).to_be_visible()
    _assert_no_blocking(page, axe_script)
