"""On a phone held upright (390 px): the office dashboard, the round dashboard and the
public page's ST.13 table scroll inside their own box, with a visible cue, never the whole
page; the form's save bar stays one line; the Question 14 table can be filled in.

Screenshots at 1280 and 390 px are kept when WIPOSTAD_SHOTS names a folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
EDITION = "application-numbering-2012"
SHOTS = os.environ.get("WIPOSTAD_SHOTS")


def _shoot(page: Page, name: str, *, focus: str | None = None) -> None:
    """Screenshots at 1280 and 390 px: the whole page, or the screen around ``focus``."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for label, size in (("1280", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        if focus:
            page.locator(focus).scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{label}.png"), full_page=focus is None)
    page.set_viewport_size(PHONE)


def _page_width(page: Page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def _assert_scrolls_in_its_box(page: Page, table_selector: str) -> None:
    """The table is wider than the phone, and its own box scrolls (not the page), with the
    caption that says so shown above it."""
    box = page.locator(f".table-wrap:has({table_selector})").first
    expect(box).to_be_visible()
    sizes = box.evaluate(
        """(el) => ({scroll: el.scrollWidth, client: el.clientWidth,
                     overflow: getComputedStyle(el).overflowX,
                     right: el.getBoundingClientRect().right})"""
    )
    assert sizes["overflow"] == "auto"
    assert sizes["scroll"] > sizes["client"], sizes  # wider than the phone: it scrolls
    assert sizes["right"] <= PHONE["width"], sizes  # the box itself stays on the screen
    box.evaluate("(el) => { el.scrollLeft = 60; }")
    assert box.evaluate("(el) => el.scrollLeft") > 0
    assert page.evaluate("() => window.scrollX") == 0
    hint = page.locator(f".scroll-hint:has(+ .table-wrap {table_selector})").first
    expect(hint).to_be_visible()
    expect(hint).to_have_text("Scroll sideways to see the whole table.")


def test_the_office_dashboard_fits_a_phone(
    live_server, page, signed_in_page, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    make_response(office_a_respondent, moldova_answers, label="Industrial designs and utility models", submit=True)
    make_response(office_a_respondent, {"q1a": ["patents"]}, label="Patents")
    page.set_viewport_size(PHONE)
    page = signed_in_page(office_a_approver)
    expect(page.locator("main")).to_contain_text("Industrial designs and utility models")
    assert _page_width(page) <= PHONE["width"]
    _assert_scrolls_in_its_box(page, "table.data")
    _shoot(page, "office-dashboard")


def test_the_round_dashboard_fits_a_phone(
    live_server, page, signed_in_page, survey_round, office_a_respondent, secretariat_reviewer, make_response,
    moldova_answers,
):  # fmt: skip
    make_response(office_a_respondent, moldova_answers, publish=True)
    page.set_viewport_size(PHONE)
    page = signed_in_page(secretariat_reviewer)
    page.goto(f"{live_server.url}{reverse('surveys:round_dashboard', args=[survey_round.slug])}")
    expect(page.locator("h1")).to_be_visible()
    assert _page_width(page) <= PHONE["width"]
    _assert_scrolls_in_its_box(page, "table.data")
    _shoot(page, "round-dashboard")


def test_the_public_pages_st13_table_fits_a_phone(
    live_server, page, office_a_respondent, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers, publish=True)
    page.set_viewport_size(PHONE)
    url = reverse("surveys:public_response_detail", args=[EDITION, (response.office_id, response.sequence)])
    page.goto(f"{live_server.url}{url}")
    expect(page.locator("h1")).to_be_visible()
    assert _page_width(page) <= PHONE["width"]
    _assert_scrolls_in_its_box(page, "table.compliance-table")
    _shoot(page, "public-response-st13", focus="table.compliance-table")


def test_the_form_keeps_its_save_bar_to_one_line_and_question_14_usable(
    live_server, page, signed_in_page, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers)
    page.set_viewport_size(PHONE)
    page = signed_in_page(office_a_approver)
    page.goto(f"{live_server.url}/surveys/responses/{response.pk}/edit/")
    assert _page_width(page) <= PHONE["width"]

    bar = page.locator(".form-actions")
    expect(bar.locator("button[value=save]")).to_be_visible()
    expect(bar.locator("button[value=submit]")).to_be_visible()
    pieces = bar.evaluate(
        """(el) => [...el.children].filter((c) => c.offsetParent !== null)
                     .map((c) => [c.getBoundingClientRect().top, c.getBoundingClientRect().bottom])"""
    )
    # Every visible piece on the one line: each starts above where every other ends.
    assert len(pieces) >= 2 and max(t for t, _b in pieces) < min(b for _t, b in pieces), pieces
    button = bar.locator("button[value=save]").bounding_box()
    assert bar.bounding_box()["height"] < 2 * button["height"]

    # Question 14: the examples grid scrolls in its box; each field is wide enough to type in.
    grid = page.locator("table[data-grid=q14a]")
    grid.scroll_into_view_if_needed()
    _assert_scrolls_in_its_box(page, "table[data-grid=q14a]")
    field = page.locator("#id_q14a\\.0\\.example")
    field.scroll_into_view_if_needed()
    assert field.bounding_box()["width"] >= 150
    field.fill("030813")
    expect(field).to_have_value("030813")
    assert page.evaluate("() => window.scrollX") == 0
    _shoot(page, "form-question-14", focus="table[data-grid=q14a]")
