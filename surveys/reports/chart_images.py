"""A report chart as a PNG picture, for documents that cannot show the page's SVG (DOCX).

The same horizontal bars as the page's chart (`reports/charts.py`): the choice on the
left (two lines at most), a bar in proportion to its count, the count after it. Drawn
at twice the size it is shown at, with the report's font, so it stays sharp in print.
"""

from __future__ import annotations

import io
import textwrap
from functools import cache

from surveys.reports.charts import Chart

SCALE = 2
WIDTH = 640 * SCALE  # shown 16 cm wide
LABEL_WIDTH = 250 * SCALE
BAR_LEFT = LABEL_WIDTH + 10 * SCALE
BAR_MAX = WIDTH - BAR_LEFT - 44 * SCALE
LINE_HEIGHT = 13 * SCALE
BAR_HEIGHT = 14 * SCALE
ROW_GAP = 8 * SCALE
TOP = 8 * SCALE
FONT_SIZE = 11 * SCALE
WRAP_AT = 40
INK, BAR, AXIS = (27, 38, 49), (11, 79, 138), (86, 96, 107)


@cache
def _fonts():
    from PIL import ImageFont

    from surveys.reports.pdf import font_files

    regular, bold, _italic = font_files()
    try:
        return ImageFont.truetype(str(regular), FONT_SIZE), ImageFont.truetype(str(bold), FONT_SIZE)
    except OSError:  # no TrueType support in this Pillow: its own bitmap font
        default = ImageFont.load_default()
        return default, default


def _label_lines(label: str) -> list[str]:
    lines = textwrap.wrap(label, WRAP_AT) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), WRAP_AT, placeholder=" …")]
    return lines


def bar_chart_png(chart: Chart) -> tuple[bytes, int, int]:
    """The chart as PNG bytes, with its width and height in pixels."""
    from PIL import Image, ImageDraw

    regular, bold = _fonts()
    rows = []
    y = TOP
    for bar in chart.bars:
        lines = _label_lines(bar.label)
        height = max(BAR_HEIGHT, LINE_HEIGHT * len(lines))
        rows.append((y, height, lines, bar.count))
        y += height + ROW_GAP
    total_height = y + 4 * SCALE
    image = Image.new("RGB", (WIDTH, total_height), "white")
    draw = ImageDraw.Draw(image)
    scale_max = max([bar.count for bar in chart.bars] + [1])
    for top, height, lines, count in rows:
        text_top = top + (height - LINE_HEIGHT * len(lines)) / 2
        for i, line in enumerate(lines):
            draw.text((LABEL_WIDTH, text_top + i * LINE_HEIGHT), line, font=regular, fill=INK, anchor="ra")
        bar_top = top + (height - BAR_HEIGHT) / 2
        length = round(BAR_MAX * count / scale_max)
        if length:
            draw.rectangle((BAR_LEFT, bar_top, BAR_LEFT + length - 1, bar_top + BAR_HEIGHT - 1), fill=BAR)
        draw.text(
            (BAR_LEFT + length + 5 * SCALE, bar_top + BAR_HEIGHT / 2), str(count), font=bold, fill=INK, anchor="lm"
        )
    draw.line((BAR_LEFT, TOP - 4 * SCALE, BAR_LEFT, total_height - 6 * SCALE), fill=AXIS, width=SCALE)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue(), WIDTH, total_height
