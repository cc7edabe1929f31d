"""The report's DOCX shows each chart as a picture (with its counts as text after it)."""

import io
import zipfile

import pytest
from docx import Document
from PIL import Image

from surveys.reports import docx
from surveys.reports.tables import Scope, build_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_docx(survey_round, moldova_answers, add_response):
    add_response(survey_round, "MD", moldova_answers)
    add_response(survey_round, "EP", {**moldova_answers, "q1a": ["patents", "pct_national"]})
    with build_report(survey_round, scope=Scope.PUBLISHED) as report:
        charts = [t.chart for t in report.tables if t.chart and t.chart.bars]
        return docx.document(report, None), charts


def test_every_chart_is_a_picture_in_the_document(report_docx):
    content, charts = report_docx
    assert len(charts) > 5
    package = zipfile.ZipFile(io.BytesIO(content))
    pictures = sorted(n for n in package.namelist() if n.startswith("word/media/"))
    assert pictures == sorted(f"word/media/chart{n}.png" for n in range(1, len(charts) + 1))
    for name in pictures:
        image = Image.open(io.BytesIO(package.read(name)))
        assert image.format == "PNG" and image.width == 1280 and image.height > 40
    document = Document(io.BytesIO(content))  # Word's reader finds them, inline, described by their titles
    assert len(document.inline_shapes) == len(charts)
    xml = package.read("word/document.xml").decode()
    for n, chart in enumerate(charts, start=1):
        assert f'r:embed="rIdChart{n}"' in xml
        assert f'name="Chart {n}" descr="{chart.title}"' in xml.replace("&quot;", '"')
    # The counts stay readable as text after each picture.
    text = "\n".join(p.text for p in document.paragraphs)
    q1 = next(c for c in charts if c.id.startswith("q1"))
    assert f"{q1.title} — " in text and "Trademarks: 1" in text


def test_the_picture_draws_longer_bars_for_larger_counts():
    from surveys.reports.chart_images import BAR, bar_chart_png
    from surveys.reports.charts import Bar, Chart

    png, width, height = bar_chart_png(Chart("q", "Types", (Bar("Patents", 4), Bar("Trademarks", 1)), 5))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert (image.width, image.height) == (width, height)

    def bar_length(row: int) -> int:
        return sum(1 for x in range(width) if image.getpixel((x, row)) == BAR)

    rows = [y for y in range(height) if image.getpixel((width // 2, y)) == BAR]
    first, last = rows[0], rows[-1]
    assert bar_length(first) > 3 * bar_length(last) > 0
