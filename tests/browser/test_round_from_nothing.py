"""A round run from nothing in Chromium, with no admin page: the secretariat opens it and
invites two offices' contacts; each contact accepts the invitation from the e-mail, sets a
password and lands on the office's dashboard; Moldova's respondent answers and hands the
response over to the approver, who checks and submits it; the office that did not submit
is reminded; the secretariat returns Moldova's response, the office fixes it, and the
secretariat accepts it."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from surveys.models import ReminderSent, ResponseStatus, SurveyResponse
from tests.browser.answering import answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("WIPOSTAD_SHOTS")
LINK = re.compile(r"https?://\S+/accounts/invitations/[\w-]+/")
PASSWORD = "A long pass phrase 2026"


def _shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _mail_to(address: str, contains: str = ""):
    found = [m for m in mail.outbox if address in m.to and contains in m.body]
    assert found, f"no e-mail to {address} containing {contains!r}: {[(m.to, m.subject) for m in mail.outbox]}"
    return found[-1]


def _person(browser, live_server, admin_requests):
    """A browser of its own for each person (their own session), watched for admin pages."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.on("request", lambda request: admin_requests.append(request.url) if "/admin/" in request.url else None)
    return page


def _accept(page, address: str) -> None:
    """Follow the invitation link of the e-mail sent to ``address`` and set a password."""
    link = LINK.search(_mail_to(address, "/accounts/invitations/").body).group(0)
    page.goto(link)
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/surveys/"), (page.url, page.locator("main").inner_text()[:1500])


def _invite(page, office: str, emails: str, role: str, language: str) -> None:
    page.select_option("#id_office", office)
    page.fill("#id_emails", emails)
    page.select_option("#id_role", role)
    page.select_option("#id_language", language)
    page.get_by_role("button", name="Send the invitations").click()
    page.wait_for_load_state()


def test_a_round_runs_from_nothing_without_the_admin(
    browser, live_server, signed_in_page, secretariat_reviewer, edition
):
    admin_requests: list[str] = []
    today = timezone.localdate()
    closes = today + timedelta(days=30)

    # The secretariat opens the round for Moldova and the EPO.
    ib = signed_in_page(secretariat_reviewer)
    ib.on("request", lambda request: admin_requests.append(request.url) if "/admin/" in request.url else None)
    ib.goto(f"{live_server.url}/surveys/rounds/new/")
    ib.fill("#id_title", "Questionnaire on application numbering (pilot)")
    ib.fill("#id_slug", "numbering-pilot")
    ib.fill("#id_year", str(today.year))
    ib.fill("#id_opens_on", today.isoformat())
    ib.fill("#id_closes_on", closes.isoformat())
    ib.fill("#id_offices", "MD, EP")
    ib.get_by_role("button", name="Open the round").click()
    ib.wait_for_url("**/surveys/rounds/numbering-pilot/invitations/")

    # Each office's contacts, each in their own language.
    _invite(ib, "MD", "respondent@agepi.example.org", "respondent", "en")
    _invite(ib, "MD", "approver@agepi.example.org", "approver", "fr")
    _invite(ib, "EP", "respondent@epo.example.org", "respondent", "en")
    expect(ib.locator("main")).to_contain_text("approver@agepi.example.org")
    _shoot(ib, "e2e-invitations")
    # Each contact is written to in their own language, the office named in it.
    assert _mail_to("respondent@agepi.example.org").subject == "[wipostad] Invitation to answer for Republic of Moldova"
    assert (
        _mail_to("approver@agepi.example.org").subject == "[wipostad] Invitation à répondre pour République de Moldova"
    )

    # Both of Moldova's contacts accept; the approver's pages are in French.
    approver = _person(browser, live_server, admin_requests)
    _accept(approver, "approver@agepi.example.org")
    expect(approver.locator("html")).to_have_attribute("lang", "fr")
    respondent = _person(browser, live_server, admin_requests)
    _accept(respondent, "respondent@agepi.example.org")
    _shoot(respondent, "e2e-respondent-dashboard")
    respondent.goto("/surveys/numbering-systems/new/")
    respondent.fill("#id_label", "Trademarks")
    respondent.click("main form button[type=submit]")
    respondent.wait_for_url("**/surveys/")
    respondent.locator('form[action*="/rounds/numbering-pilot/"] button[type=submit]').click()
    respondent.wait_for_url(re.compile(r".*/surveys/responses/\d+/edit/$"))
    from surveys.demo import MOLDOVA_TRADEMARKS

    answer(respondent, edition.structure, MOLDOVA_TRADEMARKS)
    expect(respondent.locator("#required-left")).to_have_text("0")
    respondent.click("button[name=action][value=ready]")
    respondent.wait_for_url(re.compile(r".*/surveys/responses/\d+/$"))
    expect(respondent.locator("#hand-over")).to_be_visible()
    response = SurveyResponse.objects.get(round__slug="numbering-pilot", office_id="MD")
    assert response.ready_for_approval_at is not None
    assert response.answers == MOLDOVA_TRADEMARKS
    # The approver is told, in French.
    ready_mail = _mail_to("approver@agepi.example.org", response.public_key)
    assert "approbation" in ready_mail.subject + ready_mail.body

    # The approver sees what submitting checks (nothing missing), then submits.
    approver.goto(f"/surveys/responses/{response.pk}/submit/")
    expect(approver.locator("#check-required .problems, #check-errors .problems")).to_have_count(0)
    _shoot(approver, "e2e-submit-confirmation")
    approver.click("#submit-form button[type=submit]")
    approver.wait_for_url(f"**/surveys/responses/{response.pk}/")
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED

    # The EPO's contact accepts but never answers: the reminder a week before the deadline
    # goes to the EPO only.
    epo = _person(browser, live_server, admin_requests)
    _accept(epo, "respondent@epo.example.org")
    mail.outbox.clear()
    call_command("send_reminders", date=(closes - timedelta(days=7)).isoformat())
    assert list(ReminderSent.objects.values_list("office_id", "kind", "days")) == [("EP", "before", 7)]
    assert [m.to for m in mail.outbox] == [["respondent@epo.example.org"]]

    # The secretariat sees who accepted, then returns Moldova's response with a comment.
    ib.goto(f"{live_server.url}/surveys/rounds/numbering-pilot/")
    _shoot(ib, "e2e-round-dashboard")
    ib.goto(f"{live_server.url}/surveys/responses/{response.pk}/review/")
    ib.fill("#id_comment", "Please give the year the numbering system was introduced as printed on the filings.")
    ib.click("#review-form button[name=action][value=return]")
    ib.wait_for_load_state()
    response.refresh_from_db()
    assert response.status == ResponseStatus.RETURNED
    assert _mail_to("respondent@agepi.example.org", "returned")

    # The respondent fixes the answer and hands over again; the approver submits again.
    respondent.goto(f"/surveys/responses/{response.pk}/edit/")
    respondent.fill('[id="id_q1b"]', "1993")
    respondent.click("button[name=action][value=ready]")
    respondent.wait_for_url(f"**/surveys/responses/{response.pk}/")
    approver.goto(f"/surveys/responses/{response.pk}/submit/")
    approver.click("#submit-form button[type=submit]")
    approver.wait_for_url(f"**/surveys/responses/{response.pk}/")
    response.refresh_from_db()
    assert (response.status, response.answers["q1b"]) == (ResponseStatus.SUBMITTED, "1993")

    # The secretariat accepts it.
    ib.goto(f"{live_server.url}/surveys/responses/{response.pk}/review/")
    ib.click("#review-form button[name=action][value=accept]")
    ib.wait_for_load_state()
    response.refresh_from_db()
    assert response.status == ResponseStatus.ACCEPTED
    assert admin_requests == []
