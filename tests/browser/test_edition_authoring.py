"""An edition authored as a spreadsheet, in Chromium: the secretariat uploads it, previews
the form (its branching works, checking the answers saves nothing) and publishes it."""

import pytest
from playwright.sync_api import expect

from surveys.models import QuestionnaireEdition, SurveyResponse
from tests.surveys.edition_sheets import book, small_sheets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_uploads_previews_and_publishes_an_edition(
    live_server, signed_in_page, secretariat_reviewer, tmp_path
):
    path = tmp_path / "test-edition-2027.xlsx"
    path.write_bytes(book(small_sheets()).getvalue())
    page = signed_in_page(secretariat_reviewer)
    page.goto(f"{live_server.url}/surveys/editions/")
    page.get_by_role("link", name="Upload a spreadsheet").click()
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_url(f"{live_server.url}/surveys/editions/test-edition-2027/")
    expect(page.locator(".status")).to_have_text("Draft")

    page.get_by_role("link", name="Preview", exact=True).click()
    follow_up = page.locator("#q-q1_other")
    expect(follow_up).to_be_hidden()
    page.check("#id_q1-other")
    expect(follow_up).to_be_visible()
    page.check("#id_q2-no")
    page.click("button[name=action][value=check]")
    expect(page.get_by_text("This is a preview: nothing was saved.")).to_be_visible()
    expect(page.locator("#error-summary")).to_contain_text("Which other kind?")
    assert SurveyResponse.objects.count() == 0

    page.goto(f"{live_server.url}/surveys/editions/test-edition-2027/")
    page.get_by_role("link", name="Publish", exact=True).click()
    page.click("button:has-text('Publish the edition')")
    page.wait_for_url(f"{live_server.url}/surveys/editions/test-edition-2027/")
    expect(page.locator(".status").first).to_have_text("Published")
    assert QuestionnaireEdition.objects.get(slug="test-edition-2027").state == "published"
