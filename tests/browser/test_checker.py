"""The ST.13 number checker in Chromium: the panels follow the chosen source, and after a
check the results come where the eye is."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBERS = "\n".join(
    [
        "DE 10 2007 004 488.9",  # BPatG 15 W (pat) 33/08
        "US 14/870,744",  # PTAB-cited USPTO presentation with its thousands comma
        "PCT/US02/03226",
        "DE 10 2007 004488.3",  # a wrong check digit
    ]
)


def test_results_take_the_focus_and_show_each_verdict(live_server, page, reference_data):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/st13/")
    # Only the panel of the chosen source shows.
    expect(page.locator(".from-auto")).to_be_visible()
    expect(page.locator(".from-structure")).to_be_hidden()
    page.check("#id_source_1")  # a documented numbering system
    expect(page.locator("#id_profile")).to_be_visible()
    page.check("#id_source_0")  # back to: from the ST.3 code

    page.fill("#id_numbers", NUMBERS)
    page.click("button[name=check]")

    results = page.locator("#results")
    expect(results).to_be_focused()
    expect(results).to_be_in_viewport()
    expect(page.locator(".results-summary")).to_contain_text("3 valid, 1 with errors")
    rows = page.locator(".results-table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("102007000044889")
    expect(rows.nth(1)).to_contain_text("100000140870744")
    expect(rows.nth(2)).to_contain_text("912002US0003226")
    expect(rows.nth(3)).to_contain_text("the de_dpma_mod11 check digit of 102007004488 is 9")


def test_a_form_error_takes_the_focus_instead(live_server, page, reference_data):
    page.goto(f"{live_server.url}/st13/")
    page.check("#id_source_1")
    page.fill("#id_numbers", "10 2014 012 282.4")
    page.click("button[name=check]")  # no profile chosen
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator("#form-errors")).to_contain_text("Choose a numbering system.")
