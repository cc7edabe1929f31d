"""The language switcher in Chromium: French and Spanish on the questionnaire form and on a
public response page, with the question texts of the edition file.

Screenshots of the form in each language go to /tmp/i18n-shots/ (WIPOSTAD_SHOTS to change).
"""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from surveys.management.commands.compile_translations import compile_stale
from tests.conftest import EDITION_FILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("WIPOSTAD_SHOTS", "/tmp/i18n-shots"))
EDITION = "application-numbering-2012"


@pytest.fixture(autouse=True)
def catalogues_compiled(settings):
    if compile_stale([Path(p) for p in settings.LOCALE_PATHS]):
        settings.LOCALE_PATHS = [*settings.LOCALE_PATHS]  # setting_changed empties Django's catalogue cache


@pytest.fixture(scope="module")
def texts() -> dict:
    definition = json.loads(EDITION_FILE.read_text(encoding="utf-8"))
    return {q["id"]: q for s in definition["sections"] for q in s["questions"]}


def _label(question: dict, code: str, language: str) -> str:
    return next(c["label"][language] for c in question["choices"] if c["code"] == code)


def _watch_policy_violations(page) -> list[str]:
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    return seen


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    page.screenshot(path=str(SHOTS / f"{name}-full.png"), full_page=True)


def test_the_form_and_a_public_page_in_french_and_spanish(
    live_server, signed_in_page, office_a_respondent, make_response, moldova_answers, texts
):
    published = make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    draft = make_response(office_a_respondent, {"q1a": ["patents"], "q1b": "19x2"}, label="Patents")
    page = signed_in_page(office_a_respondent)
    page.set_viewport_size({"width": 1280, "height": 900})
    violations = _watch_policy_violations(page)
    form_url = f"{live_server.url}/surveys/responses/{draft.pk}/edit/"
    page.goto(form_url)

    switcher = page.locator("form.lang-switch")
    expect(switcher).to_have_text("English | Español | Français")
    expect(switcher.locator("button[aria-current]")).to_have_text("English")
    expect(page.locator("#q-q1a legend")).to_contain_text(texts["q1a"]["text"]["en"])
    _shoot(page, "form-en")

    # Français, with the mouse: the same form comes back in French.
    page.get_by_role("button", name="Français").click()
    page.wait_for_url(form_url)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(switcher.locator("button[aria-current]")).to_have_text("Français")
    expect(page.locator("#q-q1a legend")).to_contain_text(texts["q1a"]["text"]["fr"])
    expect(page.locator("#q-q1a")).to_contain_text(_label(texts["q1a"], "trademarks", "fr"))
    expect(page.locator("#q-q1a .q-heading")).to_have_text("Question 1")
    expect(page.locator("#q-q4b .cont")).to_contain_text("Question 4 (suite) " + texts["q4b"]["continuation"]["fr"])
    expect(page.locator("button[value=save]")).to_have_text("Enregistrer le brouillon")
    expect(page.locator("#id_q1b")).to_have_value("19x2")  # answers are kept across the switch
    _shoot(page, "form-fr")

    # Español, with the keyboard alone.
    page.locator("form.lang-switch button[value=es]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(form_url)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#q-q1a legend")).to_contain_text(texts["q1a"]["text"]["es"])
    expect(page.locator("#q-q1a .q-heading")).to_have_text("Pregunta 1")
    expect(page.locator("#q-q4b .cont")).to_contain_text(
        "Pregunta 4 (continuación) " + texts["q4b"]["continuation"]["es"]
    )
    expect(page.locator("button[value=save]")).to_have_text("Guardar el borrador")
    _shoot(page, "form-es")

    # Saving in Spanish stores codes; the message is in Spanish.
    page.check("#id_q4a-fixed")
    page.click("button[name=action][value=save]")
    expect(page.locator(".message-success")).to_have_text("Borrador guardado.")
    draft.refresh_from_db()
    assert draft.answers["q4a"] == "fixed" and draft.answers["q1a"] == ["patents"]

    # The choice is remembered on other pages; the public page reads in Spanish …
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.LANGUAGE_COOKIE_NAME)
    assert cookie["value"] == "es" and cookie["sameSite"] == "Lax" and cookie["httpOnly"]
    public_url = f"{live_server.url}/surveys/{EDITION}/responses/{published.public_key}/"
    page.goto(public_url)
    item = page.locator("#answer-q1a")
    expect(item.locator(".q-text")).to_contain_text(texts["q1a"]["text"]["es"])
    expect(item.locator(".answer-list")).to_have_text(_label(texts["q1a"], "trademarks", "es"))
    expect(page.locator("#answer-q4a .answer")).to_have_text(_label(texts["q4a"], "fixed", "es"))
    expect(page.locator("#answer-q7a .answer")).to_have_text("Sí")
    # The office's other response is a draft: the public count does not reveal it.
    expect(page.locator("h1")).to_have_text("Respuesta 1 de 1 presentada por República de Moldova")
    _shoot(page, "public-es")

    # … and in French after switching there.
    page.get_by_role("button", name="Français").click()
    page.wait_for_url(public_url)
    expect(item.locator(".q-text")).to_contain_text(texts["q1a"]["text"]["fr"])
    expect(item.locator(".answer-list")).to_have_text(_label(texts["q1a"], "trademarks", "fr"))
    expect(page.locator("#answer-q7a .answer")).to_have_text("Oui")
    expect(page.locator(".doc-section h3.q-heading").first).to_have_text("Question 1")
    _shoot(page, "public-fr")

    # Back to English: exactly the English page.
    page.get_by_role("button", name="English").click()
    page.wait_for_url(public_url)
    expect(page.locator("h1")).to_have_text("Response 1 of 1 submitted by Republic of Moldova")
    expect(item.locator(".answer-list")).to_have_text("Trademarks")
    assert violations == []
