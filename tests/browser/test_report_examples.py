"""The Handbook 7.2.6 table on the report page, in Chromium: the remarks read as lines.

A screenshot of the table is kept when WIPOSTAD_SHOTS names a folder.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.surveys.test_reports import build_report_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("WIPOSTAD_SHOTS")


def test_the_726_remarks_read_line_by_line(
    page, live_server, survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers
):
    build_report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers)
    page.set_viewport_size({"width": 1280, "height": 900})
    url = reverse("reports:round_report", args=[survey_round.slug])
    page.goto(f"{live_server.url}{url}?table=examples")
    table = page.locator("table.report-examples")
    headings = table.locator("thead th").all_inner_texts()
    assert headings == [
        "Country or Organization",
        "Example of application number",
        "Recommended presentation in abbreviated form as a priority application number",
        "Remarks",
    ]
    row = table.locator("tbody tr", has_text="MD REPUBLIC OF MOLDOVA")
    remarks = row.locator("td.rt-remarks")
    lines = remarks.inner_text().splitlines()
    assert lines[0] == "Used since: 1992" and lines[-1] == "Further remarks: N/A" and len(lines) == 9
    # Each part on a line of its own: the cell is at least nine lines tall, and wide enough
    # that the longest part does not wrap.
    box = remarks.bounding_box()
    line_height = float(remarks.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert box["height"] >= 9 * line_height
    assert box["height"] < 11 * line_height + 20
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        table.screenshot(path=str(Path(SHOTS) / "report-examples-726.png"))
