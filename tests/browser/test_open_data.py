"""The open data of a round in Chromium: the secretariat prepares the first version, the
worker builds it, and a visitor finds it on the landing page and downloads the ZIP."""

import io
import os
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from surveys.models import ExportBuild
from surveys.reports import builds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("WIPOSTAD_SHOTS")
ROUND = "application-numbering-2012"


def _shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_the_open_data_is_prepared_built_listed_and_downloaded(
    settings,
    browser,
    live_server,
    signed_in_page,
    secretariat_reviewer,
    make_response,
    office_a_respondent,
    moldova_answers,
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    page = signed_in_page(secretariat_reviewer)
    page.goto(f"{live_server.url}/surveys/rounds/{ROUND}/report/")
    page.get_by_role("link", name="Open data: every published answer as CSV and JSON").click()
    expect(page.get_by_role("heading", name="Open data of the round")).to_be_visible()
    expect(page.get_by_text("The file of this version has not been built yet.")).to_be_visible()
    _shoot(page, "open-data-first")
    page.get_by_role("button", name="Prepare the dataset of the responses published now").click()
    expect(page.get_by_text("The file of this version is being prepared.")).to_be_visible()

    build = ExportBuild.objects.get(format="opendata")
    assert builds.run_build(build.pk) == "done"  # the worker's part

    visitor = browser.new_page()
    visitor.goto(f"{live_server.url}/surveys/rounds/{ROUND}/open-data/")
    expect(visitor.locator(".open-data-changes li")).to_have_text("md-001 in the first version")
    _shoot(visitor, "open-data-version-1")
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Download version 1 (ZIP,").click()
    assert download.value.suggested_filename == f"{ROUND}-open-data-v1.zip"
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "datapackage.json" in archive.namelist()
