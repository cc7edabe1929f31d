"""Horizontal bar charts as inline SVG, drawn on the server.

The report is published as a document (HTML page, PDF), so the chart must not depend
on a script or an outside service: the SVG is plain markup with its own fonts and
colours, and WeasyPrint draws the very same markup in the PDF.

Geometry is decided here; every piece of text is escaped before it enters the markup.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

WIDTH = 640
LABEL_WIDTH = 250  # room for two lines of ~40 characters at 11 px
BAR_LEFT = LABEL_WIDTH + 10
BAR_MAX = WIDTH - BAR_LEFT - 44  # leave room for the count after the longest bar
LINE_HEIGHT = 13
ROW_GAP = 8
BAR_HEIGHT = 14
TOP = 8
WRAP_AT = 40
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"


@dataclass(frozen=True)
class Bar:
    label: str
    count: int


@dataclass(frozen=True)
class Chart:
    """Counts per choice of one question; `total` is the number of responses counted."""

    id: str
    title: str
    bars: tuple[Bar, ...]
    total: int
    total_text: str = ""  # "12 responses" in the report's language (the caller translates)

    @property
    def svg(self) -> SafeString:
        return bar_chart_svg(self)


def _label_lines(label: str) -> list[str]:
    lines = textwrap.wrap(label, WRAP_AT) or [""]
    if len(lines) > 2:
        # Two lines keep the rows even; the full label stays in the <title> tooltip.
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), WRAP_AT, placeholder=" …")]
    return lines


def bar_chart_svg(chart: Chart) -> SafeString:
    """The chart as an <svg> element; its height follows the number of bars."""
    scale_max = max([bar.count for bar in chart.bars] + [1])
    title_id = f"chart-{escape(chart.id)}-title"
    parts: list[str] = []
    y = TOP
    for bar in chart.bars:
        lines = _label_lines(bar.label)
        row_height = max(BAR_HEIGHT, LINE_HEIGHT * len(lines))
        bar_y = y + (row_height - BAR_HEIGHT) / 2
        width = round(BAR_MAX * bar.count / scale_max, 1)
        text_y = y + (row_height - LINE_HEIGHT * len(lines)) / 2 + LINE_HEIGHT - 3
        tspans = "".join(
            f'<tspan x="{LABEL_WIDTH}" y="{text_y + i * LINE_HEIGHT:.1f}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        parts.append(
            f"<g><title>{escape(bar.label)}: {bar.count}</title>"
            f'<text text-anchor="end" font-size="11" fill="#1b2631">{tspans}</text>'
            f'<rect x="{BAR_LEFT}" y="{bar_y:.1f}" width="{width}" height="{BAR_HEIGHT}" fill="#0b4f8a"/>'
            f'<text x="{BAR_LEFT + width + 5:.1f}" y="{bar_y + BAR_HEIGHT - 3:.1f}" font-size="11" '
            f'font-weight="bold" fill="#1b2631">{bar.count}</text></g>'
        )
        y += row_height + ROW_GAP
    height = y + 4
    total = chart.total_text or ngettext("%(n)s response", "%(n)s responses", chart.total) % {"n": chart.total}
    axis = f'<line x1="{BAR_LEFT}" y1="{TOP - 4}" x2="{BAR_LEFT}" y2="{height - 6}" stroke="#56606b" stroke-width="1"/>'
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" aria-labelledby="{title_id}" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="{FONT}">'
        f'<title id="{title_id}">{escape(chart.title)} ({escape(total)})</title>'
        f"{''.join(parts)}{axis}</svg>"
    )
    # Every interpolated text above went through escape(); numbers are ours.
    return mark_safe(svg)  # noqa: S308
