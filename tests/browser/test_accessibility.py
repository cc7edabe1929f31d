"""Accessibility in Chromium: axe-core on the pages offices and readers use most, and the
questionnaire driven by the keyboard alone.

axe-core comes from the npm registry (package.json / package-lock.json; `npm ci` puts it in
node_modules/, which git ignores) and Playwright injects it into each page.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA: what the issue asks for, without axe's best-practice
# rules (they are advice, not conformance failures).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
EDITION = "application-numbering-2012"

# The site's Content-Security-Policy allows scripts from 'self' only, and Playwright injects
# axe as an inline <script>. The axe tests therefore open their pages in a context with
# bypass_csp=True; the keyboard tests below keep the policy on, so they also prove the
# page's own script (branching.js) works under it.
axe_context = pytest.mark.browser_context_args(bypass_csp=True)

# "On any screen": a desktop window and a phone held upright (tables scroll sideways there).
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
on_every_screen = pytest.mark.parametrize("screen", list(VIEWPORTS))


@pytest.fixture
def axe_path() -> Path:
    if AXE_SCRIPT.exists():
        return AXE_SCRIPT
    reason = f"axe-core is not installed ({AXE_SCRIPT} missing): run `npm ci` (or `make test`) first"
    if os.environ.get("WIPOSTAD_REQUIRE_BROWSER", "") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def _axe_violations(page: Page, axe_path: Path) -> list[dict]:
    page.wait_for_load_state("load")
    page.add_script_tag(path=str(axe_path))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            // A run that checked nothing would pass anything: fail it instead.
            if (!r.passes.length) { throw new Error("axe checked no rule on " + location.href); }
            return r.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
            }));
        }""",
        AXE_TAGS,
    )
    return result


def _report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} [{v['impact']}] {v['help']} — {len(v['nodes'])} element(s)")
        for node in v["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def _assert_no_blocking(page: Page, axe_path: Path) -> list[dict]:
    violations = _axe_violations(page, axe_path)
    # Printed whole (minor and moderate too) so the failure says what to fix and where.
    print(f"\naxe on {page.url}:\n{_report(violations) or '    no violations'}")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"serious or critical axe violations on {page.url}:\n{_report(blocking)}"
    return violations


# --- axe-core on four pages -------------------------------------------------------------


@axe_context
def test_the_axe_check_reports_what_it_finds(axe_path, live_server, page):
    # The harness itself: a field without a label added to a clean page is reported, with
    # its impact and selector, so a passing page below means axe looked and found nothing.
    page.goto(f"{live_server.url}/")
    page.evaluate("""() => {
        const input = document.createElement("input");
        input.type = "text";
        input.id = "unlabelled-probe";
        document.querySelector("main").append(input);
    }""")
    violations = _axe_violations(page, axe_path)
    probe = [(v["id"], v["impact"]) for v in violations if any(n["target"] == "#unlabelled-probe" for n in v["nodes"])]
    assert probe == [("label", "critical")]


@axe_context
@on_every_screen
def test_office_dashboard_has_no_serious_violations(
    axe_path,
    screen,
    page,
    live_server,
    signed_in_page,
    office_a_respondent,
    office_a_approver,
    make_response,
    moldova_answers,
):
    page.set_viewport_size(VIEWPORTS[screen])
    make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    make_response(office_a_respondent, moldova_answers, label="Industrial designs", submit=True)
    make_response(office_a_respondent, {"q1a": ["patents"]}, label="Patents")
    page = signed_in_page(office_a_approver)
    expect(page.locator("main")).to_contain_text("Industrial designs")
    expect(page.locator("main")).to_contain_text("Patents")
    _assert_no_blocking(page, axe_path)


@axe_context
@on_every_screen
def test_questionnaire_with_errors_has_no_serious_violations(
    axe_path, screen, page, live_server, signed_in_page, office_a_approver, make_response
):
    page.set_viewport_size(VIEWPORTS[screen])
    response = make_response(office_a_approver, {"q1a": ["patents"], "q5a": "yes"})
    page = signed_in_page(office_a_approver)
    page.goto(f"{live_server.url}/surveys/responses/{response.pk}/edit/")
    page.click("button[name=action][value=submit]")
    # The page of what submitting checks, then the form with the problems beside the questions.
    expect(page.locator("#check-required")).to_be_visible()
    _assert_no_blocking(page, axe_path)
    page.click("#show-problems")
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(page.locator(".field-error").first).to_be_visible()
    response.refresh_from_db()
    assert response.status == "draft"
    _assert_no_blocking(page, axe_path)


@axe_context
@on_every_screen
def test_public_response_page_has_no_serious_violations(
    axe_path, screen, live_server, page, office_a_respondent, make_response, moldova_answers
):
    page.set_viewport_size(VIEWPORTS[screen])
    response = make_response(office_a_respondent, moldova_answers, publish=True)
    assert response.status == "published"
    url = reverse("surveys:public_response_detail", args=[EDITION, (response.office_id, response.sequence)])
    page.goto(f"{live_server.url}{url}")
    expect(page.locator("h1")).to_contain_text(response.office.name)
    _assert_no_blocking(page, axe_path)


@axe_context
@on_every_screen
def test_number_checker_with_results_has_no_serious_violations(axe_path, screen, live_server, page, reference_data):
    page.set_viewport_size(VIEWPORTS[screen])
    page.goto(f"{live_server.url}/st13/")
    page.fill("#id_numbers", "DE 10 2007 004 488.9\nUS 29/149,571\nDE 10 2007 004488.3\n99403122.7")
    page.click("button[name=check]")
    expect(page.locator("#results")).to_be_focused()
    _assert_no_blocking(page, axe_path)


@axe_context
@on_every_screen
def test_round_report_has_no_serious_violations(
    axe_path,
    screen,
    page,
    live_server,
    signed_in_page,
    survey_round,
    office_a_respondent,
    office_b_respondent,
    secretariat_reviewer,
    make_response,
    moldova_answers,
):
    page.set_viewport_size(VIEWPORTS[screen])
    make_response(office_a_respondent, moldova_answers, publish=True)
    make_response(office_b_respondent, {**moldova_answers, "q1a": ["patents"]}, label="Patents", submit=True)
    # The secretariat's view: every control (the "include submitted" switch too).
    page = signed_in_page(secretariat_reviewer)
    page.goto(f"{live_server.url}{reverse('reports:round_report', args=[survey_round.slug])}?include=submitted")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("table").first).to_be_visible()
    _assert_no_blocking(page, axe_path)


# --- the questionnaire without a mouse --------------------------------------------------


def _focused(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            return {tag: e.tagName, id: e.id, name: e.getAttribute("name"), value: e.value ?? null,
                    checked: e.checked ?? null, inQuestion: e.closest("[data-question]")?.dataset.question ?? null};
        }"""
    )


def _tab_until(page: Page, matches: Callable[[dict], bool], limit: int = 250, key: str = "Tab") -> dict:
    """Press Tab until the focused element matches; fail with the path taken if it never does."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        now = _focused(page)
        seen.append(now["id"] or now["tag"])
        if matches(now):
            return now
    raise AssertionError(f"never reached the element with {key} in {limit} presses; focus went: {seen}")


def test_the_questionnaire_works_with_the_keyboard_alone(
    live_server, signed_in_page, office_a_respondent, make_response
):
    # Parts ticked in 2(a), so the order question behind the 3(a) gate has rows to fill.
    response = make_response(office_a_respondent, {"q1a": ["trademarks"], "q2a": ["year", "serial"]})
    page = signed_in_page(office_a_respondent)
    page.goto(f"{live_server.url}/surveys/responses/{response.pk}/edit/")
    follow_up = page.locator("#q-q3b")
    expect(follow_up).to_be_hidden()

    # From the top of the page (the body has focus): the skip link first, then on to the
    # first gate, 3(a).
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip-link")).to_be_focused()
    first_radio = _tab_until(page, lambda f: f["tag"] == "INPUT" and f["name"] == "q3a")
    assert first_radio["id"] == "id_q3a-st13"
    assert first_radio["checked"] is False

    # Space picks the focused choice: ST.13 order, no follow-up.
    page.keyboard.press("Space")
    expect(page.locator("#id_q3a-st13")).to_be_checked()
    expect(follow_up).to_be_hidden()

    # An arrow key moves to "Other" and picks it: the order question appears and is announced.
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_q3a-other")).to_be_checked()
    expect(page.locator("#id_q3a-other")).to_be_focused()
    expect(follow_up).to_be_visible()
    expect(page.locator("#branch-status")).to_have_text("1 follow-up question shown below.")

    # The next Tab goes into the follow-up, not past it.
    page.keyboard.press("Tab")
    into = _focused(page)
    assert into["inQuestion"] == "q3b", into
    assert into["name"] == "q3b.year"
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "q3b.serial"
    page.keyboard.type("1")

    # On to "Save draft" and Enter on it.
    _tab_until(page, lambda f: f["tag"] == "BUTTON" and f["value"] == "save")
    page.keyboard.press("Enter")
    expect(page.locator(".message-success")).to_have_text("Draft saved.")

    response.refresh_from_db()
    assert response.answers["q3a"] == "other"
    # Serial first (1), then year (2): the order question stores the parts left to right.
    assert response.answers["q3b"] == ["serial", "year"]
    assert response.answers["q2a"] == ["year", "serial"]


def _submit_incomplete_with_the_keyboard(page: Page, live_server, response) -> None:
    page.goto(f"{live_server.url}/surveys/responses/{response.pk}/edit/")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    _tab_until(page, lambda f: f["tag"] == "BUTTON" and f["value"] == "submit")
    page.keyboard.press("Enter")
    # "Submit response" saves and leads to the page of what submitting checks; from there,
    # the form with the problems shown beside the questions.
    page.wait_for_url(f"{live_server.url}/surveys/responses/{response.pk}/submit/")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    _tab_until(page, lambda f: f["tag"] == "A" and f["id"] == "show-problems")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/surveys/responses/{response.pk}/edit/?check=1")
    page.wait_for_load_state("load")


def test_the_error_summary_takes_focus_after_a_failed_submit(
    live_server, signed_in_page, office_a_approver, make_response
):
    response = make_response(office_a_approver, {"q1a": ["patents"], "q3a": "st13"})
    page = signed_in_page(office_a_approver)
    _submit_incomplete_with_the_keyboard(page, live_server, response)

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_have_attribute("role", "alert")
    targets = summary.locator("a").evaluate_all("(as) => as.map((a) => a.getAttribute('href'))")
    # The first unanswered required questions, in questionnaire order; 1(a) and 3(a) are answered.
    assert targets[:3] == ["#q-q1b", "#q-q2a", "#q-q4a"]
    assert "#q-q1a" not in targets
    assert "#q-q3a" not in targets
    # Tab from the summary goes to its first link.
    page.keyboard.press("Tab")
    expect(summary.locator("a").first).to_be_focused()
    response.refresh_from_db()
    assert response.status == "draft"


def test_error_summary_links_move_focus_to_the_question_field(
    live_server, signed_in_page, office_a_approver, make_response
):
    response = make_response(office_a_approver, {"q1a": ["patents"], "q3a": "st13"})
    page = signed_in_page(office_a_approver)
    _submit_incomplete_with_the_keyboard(page, live_server, response)
    summary = page.locator("#error-summary")

    # A text question: Enter on its link puts the caret in its field.
    summary.locator('a[href="#q-q1b"]').focus()
    page.keyboard.press("Enter")
    expect(page.locator("#q-q1b")).to_be_in_viewport()
    expect(page.locator("#id_q1b")).to_be_focused()

    # A choice question (a fieldset): focus goes to its first choice, and the legend is in view.
    summary.locator('a[href="#q-q2a"]').focus()
    page.keyboard.press("Enter")
    expect(page.locator("#q-q2a legend")).to_be_in_viewport()
    focused = _focused(page)
    assert focused["inQuestion"] == "q2a", focused
    assert (focused["tag"], focused["name"]) == ("INPUT", "q2a"), focused


# --- the account pages: signing in, passwords, two-factor authentication ---------------


def _account_page_url(which: str, live_server, user) -> str:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    if which == "reset_confirm":
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        return f"{live_server.url}{reverse('password_reset_confirm', args=[uid, token])}"
    names = {
        "login": "login",
        "reset": "password_reset",
        "reset_sent": "password_reset_done",
        "change": "password_change",
        "two_factor_setup": "two_factor_setup",
    }
    return f"{live_server.url}{reverse(names[which])}"


@axe_context
@on_every_screen
@pytest.mark.parametrize("which", ["login", "reset", "reset_sent", "reset_confirm", "change", "two_factor_setup"])
def test_account_pages_have_no_serious_violations(
    axe_path, screen, which, page, live_server, signed_in_page, secretariat_reviewer
):
    page.set_viewport_size(VIEWPORTS[screen])
    if which in ("change", "two_factor_setup"):
        page = signed_in_page(secretariat_reviewer)
    page.goto(_account_page_url(which, live_server, secretariat_reviewer))
    expect(page.locator("h1")).to_be_visible()
    if which == "reset_confirm":
        expect(page.locator("#id_new_password1")).to_be_visible()
    if which == "two_factor_setup":
        expect(page.locator("svg.qr-code")).to_be_visible()
    _assert_no_blocking(page, axe_path)


@axe_context
@on_every_screen
def test_the_two_factor_code_page_with_an_error_has_no_serious_violations(
    axe_path, screen, page, live_server, secretariat_reviewer
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=secretariat_reviewer, name="phone", confirmed=True)
    page.set_viewport_size(VIEWPORTS[screen])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", secretariat_reviewer.username)
    page.fill("#id_password", "persona-password")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}{reverse('two_factor_verify')}?next=%2Fsurveys%2F")
    page.fill("#id_otp_token", "12")
    page.click("main form button.primary")
    expect(page.locator(".field-error")).to_be_visible()
    _assert_no_blocking(page, axe_path)
