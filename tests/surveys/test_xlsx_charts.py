"""Each chart of the report is a native Excel chart in the XLSX, drawn from counts on its sheet."""

import io

import pytest
from openpyxl import load_workbook

from surveys.reports import exporters
from surveys.reports.tables import Scope, build_report

pytestmark = pytest.mark.django_db


def _cell_values(sheet, reference: str) -> list:
    """The values of a chart's reference such as "'Q1'!$B$12:$B$20"."""
    area = reference.split("!")[1].replace("$", "")
    return [row[0].value for row in sheet[area]] if ":" in area else [sheet[area].value]


def test_every_chart_is_an_excel_chart_of_the_same_counts(survey_round, moldova_answers, add_response):
    add_response(survey_round, "MD", moldova_answers)  # Moldova's published 2012 answers: trademarks
    add_response(survey_round, "EP", {**moldova_answers, "q1a": ["patents", "pct_national"]})
    with build_report(survey_round, scope=Scope.PUBLISHED) as report:
        charts = {t.sheet_name[:31]: t.chart for t in report.tables if t.chart and t.chart.bars}
        book = load_workbook(io.BytesIO(b"".join(exporters.export_xlsx(report, None).content)))
    assert charts, "the report has charts"
    for sheet_name, chart in charts.items():
        sheet = book[sheet_name]
        assert len(sheet._charts) == 1, sheet_name
        drawn = sheet._charts[0]
        series = drawn.series[0]
        labels = _cell_values(sheet, series.cat.strRef.f if series.cat.strRef else series.cat.numRef.f)
        counts = _cell_values(sheet, series.val.numRef.f)
        assert labels == [bar.label for bar in chart.bars], sheet_name
        assert counts == [bar.count for bar in chart.bars], sheet_name
        assert drawn.type == "bar"
    q1 = next(chart for chart in charts.values() if chart.id.startswith("q1"))
    assert {bar.label: bar.count for bar in q1.bars}["Trademarks"] == 1


def test_a_table_downloaded_alone_keeps_its_chart(survey_round, moldova_answers, add_response):
    add_response(survey_round, "MD", moldova_answers)
    with build_report(survey_round, scope=Scope.PUBLISHED, only="q1") as report:
        table = report.table("q1")
        book = load_workbook(io.BytesIO(b"".join(exporters.export_xlsx(report, "q1").content)))
    assert len(book[table.sheet_name[:31]]._charts) == 1
