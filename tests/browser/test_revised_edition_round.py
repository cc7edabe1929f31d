"""A revised edition from its spreadsheet to a compared round, in Chromium: the secretariat
uploads the 2026 spreadsheet (it revises 2012 through its mapping sheet), previews and
publishes it and opens a round on it; Moldova's approver finds the response pre-filled from
the office's published 2012 answers (the real ones, surveys.demo.MOLDOVA_TRADEMARKS), the
carried answers marked and what could not be carried listed, confirms and submits; the
comparison of the two rounds shows both, question by question through the mapping."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from surveys.models import QuestionnaireEdition, ResponseStatus, SurveyResponse
from surveys.questionnaire.loading import EDITIONS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("WIPOSTAD_SHOTS")
SPREADSHEET = EDITIONS_DIR / "application-numbering-2026.xlsx"
SLUG = "application-numbering-2026"


def _shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_the_2026_spreadsheet_opens_a_round_prefilled_from_2012_and_compared_with_it(
    live_server, signed_in_page, browser, secretariat_reviewer, office_a_respondent, make_response, moldova_answers
):
    # Moldova's 2012 response, published (the 2012 round of the fixtures).
    published = make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    assert published.status == ResponseStatus.PUBLISHED
    assert not QuestionnaireEdition.objects.filter(slug=SLUG).exists()

    # The secretariat uploads the spreadsheet: a draft, every mapping row checked.
    ib = signed_in_page(secretariat_reviewer)
    ib.goto(f"{live_server.url}/surveys/editions/upload/")
    ib.set_input_files("#id_file", str(SPREADSHEET))
    ib.get_by_role("button", name="Upload", exact=True).click()
    ib.wait_for_url(f"**/surveys/editions/{SLUG}/")
    expect(ib.locator(".status").first).to_have_text("Draft")
    _shoot(ib, "e2e-edition-draft")

    # The preview is the form as an office sees it: the split question's two halves.
    ib.get_by_role("link", name="Preview", exact=True).click()
    expect(ib.locator("#q-q12c")).to_be_visible()
    expect(ib.locator("#q-q12d")).to_be_visible()
    expect(ib.locator("#q-q14b")).to_have_count(0)
    _shoot(ib, "e2e-edition-preview")

    # Published, then a round on it.
    ib.goto(f"{live_server.url}/surveys/editions/{SLUG}/")
    ib.get_by_role("link", name="Publish", exact=True).click()
    ib.click("button:has-text('Publish the edition')")
    ib.wait_for_url(f"**/surveys/editions/{SLUG}/")
    expect(ib.locator(".status").first).to_have_text("Published")
    today = timezone.localdate()
    ib.goto(f"{live_server.url}/surveys/rounds/new/")
    ib.select_option("#id_edition", label=QuestionnaireEdition.objects.get(slug=SLUG).__str__())
    ib.fill("#id_title", "Questionnaire on application numbering (2026)")
    ib.fill("#id_slug", "numbering-2026")
    ib.fill("#id_year", "2026")
    ib.fill("#id_opens_on", today.isoformat())
    ib.fill("#id_closes_on", (today + timedelta(days=60)).isoformat())
    ib.fill("#id_offices", "MD")
    ib.get_by_role("button", name="Open the round").click()
    ib.wait_for_url("**/surveys/rounds/numbering-2026/**")

    # Moldova's approver starts the 2026 response: pre-filled through the mapping.
    context = browser.new_context(base_url=live_server.url)
    md = context.new_page()
    from django.contrib.auth.models import User

    approver = User.objects.create_user("md.coordinator", "md.coordinator@example.org", "persona-password")
    from surveys.models import Membership

    Membership.objects.create(user=approver, office_id="MD", role="approver")
    md.goto("/accounts/login/")
    md.fill("#id_username", "md.coordinator")
    md.fill("#id_password", "persona-password")
    md.click("main form button[type=submit]")
    md.wait_for_url("**/surveys/")
    md.locator('form[action*="/rounds/numbering-2026/"] button[type=submit]').click()
    md.wait_for_url(re.compile(r".*/surveys/responses/\d+/edit/$"))
    response = SurveyResponse.objects.get(round__slug="numbering-2026", office_id="MD")
    assert response.prefilled_from_id == published.pk
    expect(md.locator("#carried-summary")).to_be_visible()
    # Q12 a) "yes" was split into its two halves, both carried and marked as such.
    expect(md.locator('#q-q12c p.carried-mark[data-carried="split"]')).to_be_visible()
    expect(md.locator('#q-q12d p.carried-mark[data-carried="split"]')).to_be_visible()
    expect(md.locator("#id_q12c-yes")).to_be_checked()
    # Q14 b) is gone from 2026: listed as not carried over, with why.
    expect(md.locator('#not-carried li[data-question="q14b"]')).to_contain_text("removed")
    _shoot(md, "e2e-prefilled-2026")

    # Confirm every section, then check and submit.
    for box in md.locator("input[name=confirm_section]").all():
        box.check()
    md.click("button[name=action][value=submit]")
    md.wait_for_url(f"**/surveys/responses/{response.pk}/submit/")
    expect(md.locator("#check-required .problems, #check-errors .problems, #check-sections .problems")).to_have_count(0)
    md.click("#submit-form button[type=submit]")
    md.wait_for_url(f"**/surveys/responses/{response.pk}/")
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.answers["q12c"] == response.answers["q12d"] == "yes"
    assert "q14b" not in response.answers

    # The secretariat accepts it; the comparison shows both rounds through the mapping.
    ib.goto(f"{live_server.url}/surveys/responses/{response.pk}/review/")
    ib.click("#review-form button[name=action][value=accept]")
    ib.wait_for_load_state()
    ib.goto(f"{live_server.url}/surveys/rounds/numbering-2026/comparison/")
    table = ib.locator("#comparison-table")
    expect(ib.locator("main")).to_contain_text(published.round.title)
    expect(ib.locator("main")).to_contain_text("Questionnaire on application numbering (2026)")
    expect(table.locator('tr[data-how="split"][data-previous="q12a"]').first).to_be_visible()
    expect(table.locator('tr[data-how="removed"][data-previous="q14b"]')).to_have_count(1)
    expect(table.locator('tr[data-how="added"]').first).to_be_visible()
    _shoot(ib, "e2e-comparison-2012-2026")
