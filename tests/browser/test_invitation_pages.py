"""The pages of invitations in Chromium: the secretariat invites from a round's contacts
page, the contact follows the e-mail's link, sets a password and lands on the office's
dashboard; the office's approver manages colleagues. axe-core finds no serious or critical
violation on these pages, on a desktop and on a phone. Screenshots are kept when
WIPOSTAD_SHOTS names a folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.test_accessibility import AXE_SCRIPT, VIEWPORTS, _assert_no_blocking, axe_context, on_every_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("WIPOSTAD_SHOTS", "")
LINK = re.compile(r"https?://\S+/accounts/invitations/[^/\s]+/")


@pytest.fixture
def axe_path() -> Path:
    if not AXE_SCRIPT.exists():
        reason = f"axe-core is not installed ({AXE_SCRIPT} missing): run `npm ci` (or `make test`) first"
        if os.environ.get("WIPOSTAD_REQUIRE_BROWSER", "") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE_SCRIPT


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@axe_context
@on_every_screen
def test_a_contact_is_invited_and_gets_in(
    axe_path, screen, page, live_server, signed_in_page, secretariat_reviewer, survey_round
):
    page.set_viewport_size(VIEWPORTS[screen])
    page = signed_in_page(secretariat_reviewer)
    page.goto(f"{live_server.url}/surveys/rounds/{survey_round.slug}/invitations/")
    _assert_no_blocking(page, axe_path)
    mail.outbox.clear()
    page.select_option("#id_office", "MD")
    page.fill("#id_emails", "ana@agepi.example, broken@")
    page.select_option("#id_role", "approver")
    page.select_option("#id_language", "fr")
    page.click("button:has-text('Send the invitations')")
    expect(page.locator(".messages")).to_contain_text("Invitation sent to ana@agepi.example.")
    expect(page.locator("#id_emails")).to_have_value("broken@")
    expect(page.locator("table.data")).to_contain_text("ana@agepi.example")
    _assert_no_blocking(page, axe_path)
    _shot(page, f"round-invitations-{screen}")
    page.goto(f"{live_server.url}/surveys/rounds/{survey_round.slug}/")
    expect(page.locator(".round-contacts")).to_contain_text("MD")
    _shot(page, f"round-dashboard-contacts-{screen}")

    (message,) = mail.outbox
    link = LINK.search(message.body).group(0)
    page.click("text=Sign out")
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Accepter l’invitation")
    _assert_no_blocking(page, axe_path)
    _shot(page, f"invitation-accept-{screen}")
    page.fill("#id_new_password1", "Correct horse battery 9")
    page.fill("#id_new_password2", "Correct horse battery 9")
    page.click("button[type=submit]:has-text('Enregistrer mon mot de passe')")
    page.wait_for_url(f"{live_server.url}/surveys/")
    expect(page.locator("h1")).to_have_text("République de Moldova")  # the office as named in French
    page.click("text=Personnes de l’office")
    expect(page.locator("main")).to_contain_text("ana@agepi.example")
    _assert_no_blocking(page, axe_path)
    _shot(page, f"office-people-{screen}")
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Ce lien d’invitation ne peut pas être utilisé")
    _assert_no_blocking(page, axe_path)
