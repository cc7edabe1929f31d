"""A heavy report file in Chromium: the secretariat asks for the PDF, follows its progress
page while the worker builds it, and downloads it from the link that appears."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from surveys.models import ExportBuild
from surveys.reports import builds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots of the progress page when WIPOSTAD_SHOTS names a folder.
SHOTS = os.environ.get("WIPOSTAD_SHOTS")


def _shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def test_the_secretariat_asks_for_the_pdf_follows_its_progress_and_downloads_it(
    settings, live_server, signed_in_page, secretariat_reviewer, make_response, office_a_respondent, moldova_answers
):
    # Tasks wait for the worker (this test) instead of running in the web server's thread.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    page = signed_in_page(secretariat_reviewer)
    page.goto(f"{live_server.url}/surveys/rounds/application-numbering-2012/report/file/pdf/")
    _shoot(page, "export-build-prepare")
    page.get_by_role("button", name="Prepare PDF of the whole report").click()

    build = ExportBuild.objects.get()
    page.wait_for_url(f"**/report/builds/{build.pk}/")
    expect(page.get_by_role("heading", name="Waiting to be built")).to_be_visible()
    link = page.get_by_role("link", name="Download PDF of the whole report")
    expect(link).to_be_hidden()
    expect(page.locator("progress")).to_be_visible()
    _shoot(page, "export-build-waiting")

    assert builds.run_build(build.pk) == "done"  # the worker's part

    # The page asks where the build stands and shows the link without being reloaded.
    expect(page.get_by_role("heading", name="Ready")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("The file is ready.")).to_be_visible()
    expect(page.locator("progress")).to_be_hidden()
    _shoot(page, "export-build-ready")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "application-numbering-2012-report-accepted.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
