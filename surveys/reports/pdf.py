"""The round report as PDF, laid out directly with ReportLab's page layout engine.

The same `Table`s as every other format, in the print layout of the Handbook: landscape
A4, the Handbook's name and the part in the running header, the round and "page N of M"
in the footer, a title block, one section after another, each table with its title,
notes, chart, header rows (group headings spanning their columns), rows, totals and
legend.

Why not an HTML renderer: a general CSS engine works out style, line boxes and borders
for every cell of every row, which made the whole-round PDF 50-70 times slower than the
HTML page. Here the layout is decided once per column: widths come from
`Table.print_widths`, each cell's text is broken into lines with the font's metrics, and
the height of a row is its number of lines. A long table is cut page by page
(`_flowing_table`): each page gets the header rows again and the rows that fit, painted
as plain text runs and rules; the totals never stand alone at the top of a page. Each
row is read once and measured once, so the time grows in proportion to the number of
cells.

Fonts: DejaVu Sans, which is also what the charts name. It covers Latin, Greek,
Cyrillic, Armenian and Georgian and the ✓ and — of the tables; Hebrew and Arabic letters
are there but are set left to right without joining, and there are no Chinese, Japanese
or Korean glyphs. `REPORT_FONT_DIRS` lists where operating systems put it; when it is
missing, ReportLab's own Bitstream Vera (inside the package, Latin only) is used and a
warning is logged.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from surveys.reports import charts
from surveys.reports.tables import HeaderCell, Kind, Report, Section, Table

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/pdf"


def sections_for(report: Report, table_id: str | None) -> list[Section]:
    """The report's sections, or the one holding table `table_id` with that table alone."""
    if not table_id:
        return report.sections
    table = report.table(table_id)
    return [Section(s.id, s.part, s.title, [table], s.language) for s in report.sections if table.section == s.id]


# --- fonts -------------------------------------------------------------------------------

REPORT_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",  # Debian, Ubuntu (fonts-dejavu-core)
    "/usr/share/fonts/dejavu",  # Fedora, Alpine
    "/usr/share/fonts/TTF",  # Arch
    "/usr/share/fonts/dejavu-sans-fonts",  # Fedora (newer)
    "/usr/local/share/fonts/dejavu",  # FreeBSD
    "/Library/Fonts",  # macOS, when installed by hand
)
DEJAVU = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")
VERA = ("Vera.ttf", "VeraBd.ttf", "VeraIt.ttf")

REGULAR, BOLD, ITALIC = "ReportSans", "ReportSans-Bold", "ReportSans-Italic"


@cache
def font_files() -> tuple[Path, Path, Path]:
    """Regular, bold and italic font files: DejaVu Sans when installed, else ReportLab's Vera."""
    for folder in REPORT_FONT_DIRS:
        paths = tuple(Path(folder) / name for name in DEJAVU)
        if all(p.is_file() for p in paths):
            return paths  # type: ignore[return-value]
    import reportlab

    logger.warning(
        "DejaVu Sans was not found in %s: the PDF report falls back to Bitstream Vera, which has no "
        "glyphs beyond Latin (install the DejaVu fonts, e.g. the fonts-dejavu-core package).",
        ", ".join(REPORT_FONT_DIRS),
    )
    folder = Path(reportlab.__file__).parent / "fonts"
    return tuple(folder / name for name in VERA)  # type: ignore[return-value]


@cache
def register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold, italic = font_files()
    for name, path in ((REGULAR, regular), (BOLD, bold), (ITALIC, italic)):
        pdfmetrics.registerFont(TTFont(name, str(path)))
    # <b> and <i> inside paragraphs
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD)


# --- page geometry and colours (as in the print style sheet) ------------------------------

MM = 72 / 25.4
PAGE = (297 * MM, 210 * MM)  # landscape A4
MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM = 17 * MM, 12 * MM, 15 * MM
FRAME_WIDTH = PAGE[0] - 2 * MARGIN_SIDE
FRAME_HEIGHT = PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM

INK, BLUE, MUTED = "#1b2631", "#0b4f8a", "#56606b"
RULE, HEAD_FILL, TOTALS_FILL = "#9aa5b1", "#e6edf4", "#f0f3f6"
GREEN, RED, GREY = "#1e6b34", "#b3261e", "#6b7580"

CELL_SIZE = 7.0  # pt
CELL_LEADING = 8.6
PAD_X, PAD_Y = 1 * MM, 0.6 * MM
MIN_ROWS_WITH_HEADER = 2  # a table never starts with fewer rows than this at the foot of a page

# Cell classes of the table definitions → text colour (and bold) in print.
LOOKS = {  # colour and font
    "verdict verdict-complies": (GREEN, REGULAR),
    "verdict verdict-deviates": (RED, BOLD),
    "verdict verdict-not_applicable": (MUTED, REGULAR),
    "verdict verdict-unknown": (MUTED, REGULAR),
    "rt-na": (GREY, REGULAR),
    "rt-flag": (RED, BOLD),
}
CENTERED = {Kind.MARK}
RIGHT = {Kind.COUNT}


def _styles() -> dict:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=REGULAR, fontSize=8, leading=10.4, textColor=HexColor(INK))
    return {
        "handbook": ParagraphStyle("handbook", base, fontSize=9, leading=11, textColor=HexColor(MUTED)),
        "h1": ParagraphStyle("h1", base, fontName=BOLD, fontSize=15, leading=18, textColor=HexColor(BLUE)),
        "meta": ParagraphStyle("meta", base, textColor=HexColor(MUTED), spaceBefore=3),
        "summary": ParagraphStyle("summary", base, fontName=BOLD, fontSize=10, leading=13, spaceBefore=5),
        "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=12, leading=15, textColor=HexColor(BLUE)),
        "h3": ParagraphStyle("h3", base, fontName=BOLD, fontSize=10, leading=12.5, spaceAfter=4),
        "note": ParagraphStyle("note", base, fontName=BOLD, spaceAfter=5),
        "passage": ParagraphStyle("passage", base, fontSize=9, leading=12, spaceAfter=4),
        "contents-section": ParagraphStyle("contents-section", base, fontName=BOLD, fontSize=9, spaceBefore=5),
        "contents-table": ParagraphStyle("contents-table", base, fontSize=8.5, leftIndent=14),
        "contents-page": ParagraphStyle("contents-page", base, fontSize=8.5, alignment=2),
        "legend": ParagraphStyle("legend", base, fontName=ITALIC, fontSize=7, leading=9, textColor=HexColor(MUTED)),
        "caption": ParagraphStyle("caption", base, fontSize=7, leading=9, textColor=HexColor(MUTED), spaceAfter=8),
        "empty": ParagraphStyle("empty", base, fontName=ITALIC, textColor=HexColor(MUTED)),
    }


def _para(text: str, style):
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text).replace("\n", "<br/>"), style)


# --- text in cells -----------------------------------------------------------------------------


@cache
def _advances(font: str) -> tuple[dict[int, int], int, float]:
    """Glyph advances (1/1000 em) per character of a registered font, its default, its widest."""
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(font).face
    widths = dict(face.charWidths)
    return widths, int(face.defaultWidth), max(widths.values(), default=1000) / 1000


def _width(text: str, font: str, size: float) -> float:
    widths, default, _ = _advances(font)
    get = widths.get
    return sum(get(ord(c), default) for c in text) * size / 1000


def wrap_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """The text broken into lines that fit `width` points: at spaces, and inside a word only when it must."""
    widest = _advances(font)[2] * size
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if len(paragraph) * widest <= width or _width(paragraph, font, size) <= width:
            lines.append(paragraph)  # the usual case: short texts are never measured word by word
            continue
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if _width(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = word
            while _width(line, font, size) > width and len(line) > 1:
                # a word wider than the column (a URL, a long number): break it where it must
                cut = len(line) - 1
                while cut > 1 and _width(line[:cut], font, size) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


# --- tables that flow over pages ---------------------------------------------------------

LEFT_, CENTRE_, RIGHT_ = 0, 1, 2
ASCENT, DESCENT = 0.93, 0.24  # of the font size, for placing baselines in a cell


@dataclass
class _Line:
    """One prepared row of a printed table: its cells' lines of text, its height, its own looks."""

    cells: list[list[str]]
    height: float
    looks: dict[int, tuple[str, str, int]] = field(default_factory=dict)  # column → font, colour, alignment
    totals: bool = False


def _rgb(colour: str) -> str:
    """#rrggbb → the PDF fill colour operator."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return f"{r:.3f} {g:.3f} {b:.3f}"


class _Layout:
    """What every page of one printed table shares: column widths, header rows, alignments.

    Rows are painted straight onto the page (text runs, rules and fills as PDF operators)
    rather than through ReportLab's general table, which resolves styles, spans and
    fonts for every cell again on every page: the cost here is a few string operations
    per cell.
    """

    def __init__(self, table: Table) -> None:
        self.table = table
        kinds = [c.kind for c in table.columns]
        self.widths = [FRAME_WIDTH * float(w) / 100 for w in table.print_widths]
        self.edges = [sum(self.widths[:i]) for i in range(len(self.widths) + 1)]
        self.text_widths = [max(w - 2 * PAD_X, 4.0) for w in self.widths]
        self.align = [CENTRE_ if k in CENTERED else RIGHT_ if k in RIGHT else LEFT_ for k in kinds]
        self.fonts = [BOLD] + [REGULAR] * (len(kinds) - 1)  # the row's key is bold, as a <th>
        self.header = self._header(table.header_rows)
        self.header_height = sum(self.header["heights"])
        # A row never needs more than its share of a page (the header and two rows fit on
        # any page); a longer text ends in "…" here and is whole in CSV, XLSX and JSON.
        share = (FRAME_HEIGHT - self.header_height) / MIN_ROWS_WITH_HEADER - 2 * PAD_Y
        self.max_lines = max(3, int(share / CELL_LEADING) - 1)

    def _header(self, header_rows: list[list[HeaderCell]]) -> dict:
        """Header cells as (row, first column, columns, rows, lines, alignment) and row heights."""
        cells = []
        heights = [0.0] * len(header_rows)
        taken: set[tuple[int, int]] = set()
        for r, header in enumerate(header_rows):
            col = 0
            for head in header:
                while (r, col) in taken:  # under a heading that spans from the row above
                    col += 1
                width = self.edges[col + head.colspan] - self.edges[col] - 2 * PAD_X
                lines = wrap_lines(head.text, BOLD, CELL_SIZE, width)
                align = CENTRE_ if head.css == "rt-group" or head.css == f"rt-{Kind.MARK}" else LEFT_
                cells.append((r, col, head.colspan, head.rowspan, lines, align, head.css == "rt-group"))
                taken.update((rr, cc) for rr in range(r, r + head.rowspan) for cc in range(col, col + head.colspan))
                if head.rowspan == 1:
                    heights[r] = max(heights[r], len(lines) * CELL_LEADING + 2 * PAD_Y)
                col += head.colspan
        heights = [h or CELL_LEADING + 2 * PAD_Y for h in heights]
        for r, _col, _cs, rowspan, lines, _a, _g in cells:
            if rowspan > 1:
                # a heading over both rows: the lower row grows when the two are not tall enough
                heights[-1] += max(0.0, len(lines) * CELL_LEADING + 2 * PAD_Y - sum(heights[r:]))
        return {"cells": cells, "heights": heights}

    def line(self, cells) -> _Line:
        texts, most, looks = [], 1, {}
        for i, cell in enumerate(cells):
            value = cell.value
            text = value if isinstance(value, str) else str(value)
            look = LOOKS.get(cell.chip) or LOOKS.get(cell.css)
            font = look[1] if look else self.fonts[i]
            lines = wrap_lines(text, font, CELL_SIZE, self.text_widths[i]) if text else []
            if len(lines) > self.max_lines:
                lines = [*lines[: self.max_lines - 1], lines[self.max_lines - 1][:-2] + " …"]
            most = max(most, len(lines))
            texts.append(lines)
            if look:
                looks[i] = (font, look[0], CENTRE_ if cell.css == "rt-na" else self.align[i])
        return _Line(texts, most * CELL_LEADING + 2 * PAD_Y, looks)

    def totals_line(self, label: str, values: list[int | None]) -> _Line:
        texts = [label] + ["" if v is None else str(v) for v in values[1:]]
        cells = [wrap_lines(t, BOLD, CELL_SIZE, w) for t, w in zip(texts, self.text_widths, strict=True)]
        looks = {
            i: (BOLD, INK, LEFT_ if i == 0 else RIGHT_ if self.align[i] == RIGHT_ else CENTRE_)
            for i in range(len(cells))
        }
        height = max(len(c) for c in cells) * CELL_LEADING + 2 * PAD_Y
        return _Line(cells, height, looks, totals=True)

    def part(self, lines: list[_Line]):
        """The header rows and these rows, as one flowable of known size."""
        return _part_class()(self, lines)

    # painting ------------------------------------------------------------------------------

    def paint(self, canvas, lines: list[_Line]) -> None:
        """Fills, rules and text of the header and `lines`, top left at (0, height)."""
        height = self.header_height + sum(line.height for line in lines)
        body_top = height - self.header_height
        tops, y = [], body_top
        for line in lines:
            tops.append(y)
            y -= line.height
        row_tops = [height - sum(self.header["heights"][:r]) for r in range(len(self.header["heights"]) + 1)]
        ops = ["q", *self._fills(lines, tops, height), *self._rules(tops, height, row_tops), f"BT {_rgb(INK)} rg"]
        text = _TextRuns(canvas)
        ops += self._header_text(text, row_tops)
        ink = INK
        for top, line in zip(tops, lines, strict=True):
            baseline = top - PAD_Y - ASCENT * CELL_SIZE
            for i, cell_lines in enumerate(line.cells):
                font, colour, align = line.looks.get(i) or (self.fonts[i], INK, self.align[i])
                if cell_lines and colour != ink:
                    ops.append(f"{_rgb(colour)} rg")
                    ink = colour
                x0, x1 = self.edges[i], self.edges[i + 1]
                ops += [text.run(s, font, x0, x1, baseline - n * CELL_LEADING, align) for n, s in enumerate(cell_lines)]
        ops.append("ET Q")
        canvas._code.append("\n".join(ops))

    def _fills(self, lines: list[_Line], tops: list[float], height: float) -> list[str]:
        """The header's and the totals rows' backgrounds."""
        width, header = self.edges[-1], self.header_height
        ops = [f"{_rgb(HEAD_FILL)} rg 0 {height - header:.2f} {width:.2f} {header:.2f} re f"]
        for top, line in zip(tops, lines, strict=True):
            if line.totals:
                ops.append(f"{_rgb(TOTALS_FILL)} rg 0 {top - line.height:.2f} {width:.2f} {line.height:.2f} re f")
        return ops

    def _rules(self, tops: list[float], height: float, row_tops: list[float]) -> list[str]:
        """Every cell's border, once: columns and rows of the body, the header cells' own edges."""
        width, body_top = self.edges[-1], height - self.header_height
        ops = [f"0.4 w {_rgb(RULE)} RG", f"0 {height:.2f} m {width:.2f} {height:.2f} l 0 0 m {width:.2f} 0 l"]
        ops += [f"{x:.2f} 0 m {x:.2f} {body_top:.2f} l" for x in self.edges]
        ops += [f"0 {top:.2f} m {width:.2f} {top:.2f} l" for top in tops]
        for r, col, colspan, rowspan, *_ in self.header["cells"]:
            x0, x1 = self.edges[col], self.edges[col + colspan]
            y0, y1 = row_tops[r], row_tops[r + rowspan]
            ops.append(f"{x0:.2f} {y0:.2f} m {x0:.2f} {y1:.2f} l {x1:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l")
            ops.append(f"{x0:.2f} {y1:.2f} m {x1:.2f} {y1:.2f} l")
        ops.append("S")
        return ops

    def _header_text(self, text: _TextRuns, row_tops: list[float]) -> list[str]:
        """Headings at the bottom of their cells (as the print style sheet has it), groups centred."""
        ops = []
        for r, col, colspan, rowspan, cell_lines, align, group in self.header["cells"]:
            x0, x1 = self.edges[col], self.edges[col + colspan]
            y0, y1 = row_tops[r], row_tops[r + rowspan]
            block = len(cell_lines) * CELL_LEADING
            if group:
                first = y0 - (y0 - y1 - block) / 2 - CELL_LEADING + DESCENT * CELL_SIZE + 1
            else:
                first = y1 + PAD_Y + block - CELL_LEADING + DESCENT * CELL_SIZE
            ops += [text.run(s, BOLD, x0, x1, first - n * CELL_LEADING, align) for n, s in enumerate(cell_lines)]
        return ops


class _TextRuns:
    """Text placed with the text matrix; each distinct text is encoded for the font's subsets once."""

    def __init__(self, canvas) -> None:
        self.canvas = canvas
        cache = getattr(canvas, "_report_runs", None)
        if cache is None:
            cache = canvas._report_runs = {}
        self.cache = cache

    def encoded(self, text: str, font: str) -> tuple[str, float]:
        key = (text, font)
        hit = self.cache.get(key)
        if hit is None:
            from reportlab.pdfbase import pdfmetrics

            face = pdfmetrics.getFont(font)
            doc = self.canvas._doc
            ops = " ".join(
                f"{face.getSubsetInternalName(subset, doc)} {CELL_SIZE} Tf ({self.canvas._escape(chunk)}) Tj"
                for subset, chunk in face.splitString(text, doc)
            )
            hit = self.cache[key] = (ops, _width(text, font, CELL_SIZE))
        return hit

    def run(self, text: str, font: str, x0: float, x1: float, y: float, align: int) -> str:
        ops, width = self.encoded(text, font)
        if align == LEFT_:
            x = x0 + PAD_X
        elif align == RIGHT_:
            x = x1 - PAD_X - width
        else:
            x = (x0 + x1 - width) / 2
        return f"1 0 0 1 {x:.2f} {y:.2f} Tm {ops}"


@cache
def _part_class():
    from reportlab.platypus import Flowable

    class TablePart(Flowable):
        """The rows of a table that go on one page, under the table's header rows."""

        def __init__(self, layout: _Layout, lines: list[_Line]) -> None:
            super().__init__()
            self.layout, self.lines = layout, lines
            self.width = layout.edges[-1]
            self.height = layout.header_height + sum(line.height for line in lines)

        def wrap(self, available_width: float, available_height: float):
            return self.width, self.height

        def draw(self) -> None:
            self.layout.paint(self.canv, self.lines)

    return TablePart


def _table_lines(layout: _Layout) -> Iterator[_Line]:
    """The rows once, in order, then the totals (read after the rows)."""
    for row in layout.table.rows:
        yield layout.line(row.cells)
    for totals in layout.table.totals:
        yield layout.totals_line(totals.label, totals.values)


def _rows_that_fit(buffer: list[_Line], room: float, *, done: bool, first: bool) -> int:
    """How many of the rows read so far go on this page (0: the table starts on the next)."""
    fit, used = 0, 0.0
    for line in buffer:
        if used + line.height > room:
            break
        used += line.height
        fit += 1
    if done and fit < len(buffer) and all(line.totals for line in buffer[fit:]):
        fit -= 1  # the totals never stand alone at the top of a page
    rows = sum(1 for line in buffer[:fit] if not line.totals)
    if first and rows < min(MIN_ROWS_WITH_HEADER, sum(1 for line in buffer if not line.totals)):
        return 0  # a table's heading never ends a page with fewer rows than this
    return max(fit, 0)


def _flowing_table(layout: _Layout):
    from reportlab.platypus import Flowable

    class FlowingTable(Flowable):
        """A long table cut page by page: each page gets a plain table of the rows that fit.

        Rows are prepared as they are needed (the frame asks for one page at a time), so
        a table is read once and never measured again on the pages it continues on.
        """

        def __init__(self, source: Iterator[_Line], buffer: list[_Line] | None = None, first: bool = True):
            super().__init__()
            self.source, self.buffer, self.first = source, buffer or [], first
            self.done = False
            self.header_height = layout.header_height

        def _fill(self, height: float) -> float:
            """Read rows until they overflow `height` or run out; their total height."""
            total = sum(line.height for line in self.buffer)
            while total <= height and not self.done:
                line = next(self.source, None)
                if line is None:
                    self.done = True
                else:
                    self.buffer.append(line)
                    total += line.height
            return total

        def wrap(self, available_width: float, available_height: float):
            rows = self._fill(available_height - self.header_height)
            self.width, self.height = FRAME_WIDTH, self.header_height + rows
            return self.width, self.height

        def split(self, available_width: float, available_height: float):
            room = available_height - self.header_height
            self._fill(room)
            fit = _rows_that_fit(self.buffer, room, done=self.done, first=self.first)
            if not fit:
                return []  # start on the next page
            head = layout.part(self.buffer[:fit])
            rest = FlowingTable(self.source, self.buffer[fit:], first=False)
            rest.done = self.done
            return [head, rest]

        def draw(self) -> None:
            layout.paint(self.canv, self.buffer)

    return FlowingTable(_table_lines(layout))


# --- charts ---------------------------------------------------------------------------------------


def _chart(chart: charts.Chart):
    """The bar chart of the HTML page (same geometry as the SVG), drawn at 150 mm wide."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Flowable

    scale = 150 * MM / charts.WIDTH
    rows = []
    y = charts.TOP
    for bar in chart.bars:
        lines = charts._label_lines(bar.label)
        row_height = max(charts.BAR_HEIGHT, charts.LINE_HEIGHT * len(lines))
        rows.append((y, row_height, lines, bar.count))
        y += row_height + charts.ROW_GAP
    height = y + 4
    top = max([b.count for b in chart.bars] + [1])

    class BarChart(Flowable):
        def wrap(self, available_width: float, available_height: float):
            return charts.WIDTH * scale, height * scale

        def draw(self) -> None:
            c = self.canv
            c.saveState()
            c.scale(scale, scale)
            c.translate(0, height)  # y runs down from the top, as in the SVG
            ink, blue = HexColor(INK), HexColor(BLUE)
            for row_y, row_height, lines, count in rows:
                bar_y = row_y + (row_height - charts.BAR_HEIGHT) / 2
                text_y = row_y + (row_height - charts.LINE_HEIGHT * len(lines)) / 2 + charts.LINE_HEIGHT - 3
                c.setFillColor(ink)
                c.setFont(REGULAR, 11)
                for i, line in enumerate(lines):
                    c.drawRightString(charts.LABEL_WIDTH, -(text_y + i * charts.LINE_HEIGHT), line)
                width = charts.BAR_MAX * count / top
                c.setFillColor(blue)
                c.rect(charts.BAR_LEFT, -(bar_y + charts.BAR_HEIGHT), width, charts.BAR_HEIGHT, stroke=0, fill=1)
                c.setFillColor(ink)
                c.setFont(BOLD, 11)
                c.drawString(charts.BAR_LEFT + width + 5, -(bar_y + charts.BAR_HEIGHT - 3), str(count))
            c.setStrokeColor(HexColor(MUTED))
            c.setLineWidth(1)
            c.line(charts.BAR_LEFT, -(charts.TOP - 4), charts.BAR_LEFT, -(height - 6))
            c.restoreState()

    return BarChart()


# --- the document ---------------------------------------------------------------------------------


@cache
def _heading_class():
    from reportlab.platypus import Paragraph

    class Heading(Paragraph):
        """A heading that notes the page it lands on (for the contents) and marks it in the
        PDF's outline (the reader's bookmarks)."""

        def __init__(self, text: str, style, entry: str, level: int, pages: dict[str, int]) -> None:
            super().__init__(escape(text).replace("\n", "<br/>"), style)
            self.entry, self.level, self.pages, self.plain = entry, level, pages, text

        def draw(self) -> None:
            self.pages.setdefault(self.entry, self.canv.getPageNumber())
            self.canv.bookmarkPage(self.entry)
            self.canv.addOutlineEntry(self.plain, self.entry, level=self.level, closed=self.level > 0)
            super().draw()

    return Heading


def _contents_entries(sections: list[Section]) -> list[tuple[str, int, str]]:
    """(entry, level, text) for every section and table: what the contents lists."""
    entries = []
    for section in sections:
        entries.append((f"section-{section.id}", 0, section.running_head))
        entries.extend((f"table-{table.id}", 1, table.title) for table in section.tables)
    return entries


@dataclass
class _ContentsPages:
    """What the table of contents and the headings share while the document is laid out:
    the page each heading lands on, and where each entry's page number is to be written."""

    found: dict[str, int] = field(default_factory=dict)
    slots: list[tuple[int, str, float, float, str, float]] = field(default_factory=list)

    def write_numbers(self, canvas, page: int) -> None:
        """On a page being saved: the page numbers of the entries it lists (known by now)."""
        for on_page, entry, x, y, font, size in self.slots:
            if on_page == page and entry in self.found:
                canvas.setFont(font, size)
                canvas.setFillColor(_colour(INK))
                canvas.drawRightString(x, y, str(self.found[entry]))


def _colour(hex_colour: str):
    from reportlab.lib.colors import HexColor

    return HexColor(hex_colour)


CONTENTS_LEADING, CONTENTS_INDENT, CONTENTS_NUMBER = 11.5, 14, 20 * MM


def _contents_font(level: int) -> tuple[str, float]:
    return (BOLD, 9) if level == 0 else (REGULAR, 8.5)


def _contents_lines(entries: list[tuple[str, int, str]], width: float) -> list[tuple[str, int, list[str], float]]:
    """Each entry's text broken into lines beside the page numbers' column, and its height."""
    out = []
    for entry, level, text in entries:
        font, size = _contents_font(level)
        lines = wrap_lines(text, font, size, width - CONTENTS_NUMBER - CONTENTS_INDENT * level)
        out.append((entry, level, lines, (5 if level == 0 else 0) + CONTENTS_LEADING * len(lines)))
    return out


def _lines_that_fit(lines: list[tuple[str, int, list[str], float]], height: float) -> int:
    used = 0.0
    for i, line in enumerate(lines):
        if used + line[3] > height:
            return i
        used += line[3]
    return len(lines)


@cache
def _contents_class():
    from reportlab.platypus import Flowable

    class Contents(Flowable):
        """The table of contents, laid out once: each section (bold) and its tables, the
        page numbers written when the document is saved (the canvas holds its pages until
        then), so the story is laid out a single time."""

        def __init__(self, lines: list[tuple[str, int, str]], pages: _ContentsPages) -> None:
            super().__init__()
            self.entries, self.pages = lines, pages

        def wrap(self, available_width: float, available_height: float):
            self.width = available_width
            self.lines = _contents_lines(self.entries, available_width)
            self.height = sum(line[3] for line in self.lines)
            return self.width, self.height

        def split(self, available_width: float, available_height: float):
            fit = _lines_that_fit(_contents_lines(self.entries, available_width), available_height)
            if fit == len(self.entries):
                return [self]
            return [Contents(self.entries[:fit], self.pages), Contents(self.entries[fit:], self.pages)] if fit else []

        def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802 - ReportLab's name
            self.origin = (x, y)
            super().drawOn(canvas, x, y, _sW)

        def draw(self) -> None:
            x0, y0 = self.origin
            top = self.height
            page = self.canv.getPageNumber()
            self.canv.setFillColor(_colour(INK))
            for entry, level, lines, height in self.lines:
                font, size = _contents_font(level)
                y = top - (height - CONTENTS_LEADING * len(lines))
                self.canv.setFont(font, size)
                for line in lines:
                    y -= CONTENTS_LEADING
                    self.canv.drawString(CONTENTS_INDENT * level, y + 2.5, line)
                self.pages.slots.append((page, entry, x0 + self.width, y0 + y + 2.5, font, size))
                top -= height

    return Contents


def _contents(sections: list[Section], styles: dict, pages: _ContentsPages) -> list:
    """The table of contents: each section and its tables with their page numbers."""
    return [_para(gettext("Contents"), styles["h2"]), _contents_class()(_contents_entries(sections), pages)]


def _story(report: Report, sections: list[Section], pages: _ContentsPages | None = None) -> list:
    """The report's flowables. With more than one table a table of contents follows the
    title block; `pages` collects where each heading lands, for it."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import CondPageBreak, HRFlowable, PageBreak, Spacer

    styles = _styles()
    pages = _ContentsPages() if pages is None else pages
    found = pages.found
    heading = _heading_class()
    generated = formats.date_format(timezone.localtime(report.generated_at), "j F Y")
    story = [
        _para(gettext("Committee on WIPO Standards (CWS) · survey report"), styles["handbook"]),
        Spacer(0, 3),
        _para(report.title, styles["h1"]),
        _para(
            gettext("Figures from %(scope)s · generated %(date)s") % {"scope": report.scope_label, "date": generated},
            styles["meta"],
        ),
        _para(report.summary, styles["summary"]),
        HRFlowable(width="100%", thickness=1.2, color=HexColor(BLUE), spaceBefore=5, spaceAfter=11),
    ]
    if has_contents(sections):
        story.extend([*_contents(sections, styles, pages), PageBreak()])
    for number, section in enumerate(sections):
        if number:
            story.append(PageBreak())
        story.append(_running_head(section.running_head))
        story.append(heading(section.running_head.upper(), styles["h2"], f"section-{section.id}", 0, found))
        story.append(Spacer(0, 8))
        for passage in section.passages:
            story.append(_para(passage.heading, styles["h3"]))
            story.extend(_para(paragraph, styles["passage"]) for paragraph in passage.paragraphs)
            story.append(Spacer(0, 6))
        for table in section.tables:
            title = heading(table.title, styles["h3"], f"table-{table.id}", 1, found)
            story.extend(_table_block(table, styles, CondPageBreak, title))
    return story


def has_contents(sections: list[Section]) -> bool:
    """A table of contents is worth its page when there is more than one table."""
    return sum(len(section.tables) for section in sections) > 1


def _table_block(table: Table, styles: dict, cond_page_break, title=None) -> list:
    from reportlab.platypus import Spacer

    chart = _chart(table.chart) if table.chart else None
    # Title, notes, chart and the first rows together: start on a new page when they would not fit.
    need = 60 + (chart.wrap(FRAME_WIDTH, FRAME_HEIGHT)[1] + 20 if chart else 0)
    block = [cond_page_break(min(need, FRAME_HEIGHT * 0.8)), title or _para(table.title, styles["h3"])]
    block.extend(_para(note, styles["note"]) for note in table.notes)
    if not table.rows:
        block.append(_para(gettext("No response counts in this report yet."), styles["empty"]))
        return [*block, Spacer(0, 17)]
    if table.chart and chart is not None:
        block.append(chart)
        caption = gettext("%(title)s — responses per choice, out of %(total)s.") % {
            "title": table.chart.title,
            "total": table.chart.total,
        }
        block.append(_para(caption, styles["caption"]))
    block.append(_flowing_table(_Layout(table)))
    if table.legend:
        block.append(Spacer(0, 4))
        block.append(_para(table.legend, styles["legend"]))
    block.append(Spacer(0, 17))
    return block


@cache
def _running_head_class():
    from reportlab.platypus import Flowable

    class RunningHead(Flowable):
        """Zero-size marker: from here on, the running header names this part."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

        def wrap(self, available_width: float, available_height: float):
            return 0, 0

        def draw(self) -> None:
            self.canv._report_part = self.text

    return RunningHead


def _running_head(text: str):
    return _running_head_class()(text)


def _canvas_class(page_counter: str, page_width: float | None = None, contents: _ContentsPages | None = None):
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        """Holds each page back until the end, to write "page N of M" once M is known."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            self._report_part = ""

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                if contents is not None:
                    contents.write_numbers(self, number)
                # A portrait cover page goes without a number; a document of pages
                # `page_width` wide (a response's portrait pages) numbers every page.
                if page_width is not None or self._pagesize[0] == PAGE[0]:
                    text = page_counter.replace("{page}", str(number)).replace("{pages}", str(total))
                    self.setFont(REGULAR, 7.5)
                    self.setFillColor(HexColor(MUTED))
                    self.drawRightString((page_width or PAGE[0]) - MARGIN_SIDE, MARGIN_BOTTOM - 2 * MM - 7.5, text)
                super().showPage()
            super().save()

    return NumberedCanvas


def _page_decorations(report: Report, header: str = ""):
    from reportlab.lib.colors import HexColor

    handbook, title = header or report.handbook, report.title

    def decorate(canvas, document) -> None:
        canvas.saveState()
        canvas.setStrokeColor(HexColor("#888888"))
        canvas.setLineWidth(0.4)
        top = PAGE[1] - MARGIN_TOP + 2 * MM
        canvas.line(MARGIN_SIDE, top, PAGE[0] - MARGIN_SIDE, top)
        canvas.line(MARGIN_SIDE, MARGIN_BOTTOM - 1 * MM, PAGE[0] - MARGIN_SIDE, MARGIN_BOTTOM - 1 * MM)
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(HexColor("#333333"))
        canvas.drawString(MARGIN_SIDE, top + 2 * MM, handbook)
        canvas.drawRightString(PAGE[0] - MARGIN_SIDE, top + 2 * MM, getattr(canvas, "_report_part", ""))
        canvas.setFillColor(HexColor("#555555"))
        canvas.drawString(MARGIN_SIDE, MARGIN_BOTTOM - 3 * MM - 7.5, title)
        canvas.restoreState()

    return decorate


PORTRAIT = (PAGE[1], PAGE[0])
COVER_MARGIN = 20 * MM


def document_template(buffer, pagesize, decorate, *, title: str, author: str, subject: str, lang: str, before=()):
    """A document of `pagesize` pages with the report's margins, one frame, `decorate` drawn
    at the end of each page, and the given metadata; `before`: page templates used first."""
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    document = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN_SIDE,
        rightMargin=MARGIN_SIDE,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=author,
        subject=subject,
        lang=lang,
    )
    width, height = pagesize[0] - 2 * MARGIN_SIDE, pagesize[1] - MARGIN_TOP - MARGIN_BOTTOM
    frame = Frame(MARGIN_SIDE, MARGIN_BOTTOM, width, height, 0, 0, 0, 0, id="body")
    document.addPageTemplates([*before, PageTemplate("page", [frame], onPageEnd=decorate)])
    return document


def render_pdf(report: Report, sections: list[Section], front: list | None = None, header: str = "") -> bytes:
    """The report's sections; `front`: flowables on portrait pages before them (a cover part,
    without running header or page number), `header` instead of the Handbook's name."""
    from reportlab.platypus import Frame, NextPageTemplate, PageBreak, PageTemplate

    register_fonts()
    before = []
    if front:
        width, height = PORTRAIT[0] - 2 * COVER_MARGIN, PORTRAIT[1] - 2 * COVER_MARGIN
        cover = Frame(COVER_MARGIN, COVER_MARGIN, width, height, 0, 0, 0, 0, id="cover")
        before.append(PageTemplate("cover", [cover], pagesize=PORTRAIT))
    buffer = io.BytesIO()
    document = document_template(
        buffer,
        PAGE,
        _page_decorations(report, header),
        title=report.title,
        author=report.handbook,
        subject=report.summary,
        lang=report.language,
        before=before,
    )
    pages = _ContentsPages()
    with translation.override(report.language):
        story = _story(report, sections, pages)
        if front:
            story = [*front, NextPageTemplate("page"), PageBreak(), *story]
        document.build(story, canvasmaker=_canvas_class(report.page_counter, contents=pages))
    return buffer.getvalue()


def document(report: Report, table_id: str | None) -> bytes:
    """The whole report, or the one table `table_id` under its section's heading."""
    return render_pdf(report, sections_for(report, table_id))
