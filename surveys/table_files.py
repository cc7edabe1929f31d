"""Tables written as files for spreadsheet programs: every CSV and XLSX file of the site.

The ST.13 checker's results, a round's status, the report tables and the admin's exports
are all written here, and every cell of every one of them passes through ``cell()``: the
one place that decides how a value is put in a file (text that a spreadsheet program
would take for a formula is written as text).

- CSV: UTF-8 with a byte-order mark (spreadsheet programs then read it as UTF-8), CRLF
  line ends, written row by row: a download is streamed as its rows are produced, in
  constant memory.
- XLSX: openpyxl's write-only workbook, rows streamed to the file as they are appended
  (strings inline, no shared-strings table): memory stays constant and time linear in
  the rows; a report is saved to a temporary file and sent from it in pieces.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from copy import copy
from dataclasses import dataclass
from functools import cache
from typing import IO, Any

from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.functional import Promise

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BYTE_ORDER_MARK = "\ufeff"
# Rows are sent in pieces of about this many characters, not one network write per row.
CSV_CHUNK = 64 * 1024
XLSX_PIECE = 256 * 1024  # an XLSX file is read back from disk in pieces of this size


# Text starting with one of these is taken for a formula by spreadsheet programs (or, for
# a tab or a carriage return, lets one follow): "=HYPERLINK(…)", "+44 20 …", "@SUM(…)".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Put before such text, a spreadsheet program shows it as text, as typed (the apostrophe
# itself is how these programs mark a cell as text).
TEXT_MARK = "'"


def cell(value: Any) -> Any:
    """A value as it is written to a cell of a CSV or XLSX file.

    Text that a spreadsheet program would read as a formula is written behind an
    apostrophe, so that what an office typed can never run in the reader's spreadsheet.
    Numbers the product holds as numbers (-5, a Decimal) stay numbers. Text that merely
    looks like a number ("-5", "+44") is text someone typed: it is written as text too,
    never turned into a number (a "+44" prefix or a "-0012" part would lose its sign or
    its zeros); the rule looks at the type, not at what the text might mean.

    Not django-import-export's rule (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT), which drops
    a leading "=" and nothing else: the text would be changed, and "+", "-", "@" pass.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return TEXT_MARK + value
    return value


# --- CSV -------------------------------------------------------------------------------


def csv_chunks(rows: Iterable[Iterable[Any]]) -> Iterator[bytes]:
    """The CSV file of the rows, in pieces of UTF-8, as the rows come."""
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell(value) for value in row])
        if buffer.tell() >= CSV_CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    return b"".join(csv_chunks(rows))


def csv_download(rows: Iterable[Iterable[Any]], filename: str) -> StreamingHttpResponse:
    """A CSV download streamed as its rows are produced (a generator reading the database
    row by row keeps memory constant)."""
    response = StreamingHttpResponse(
        csv_chunks(_in_language(rows, translation.get_language())), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _in_language(rows: Iterable[Iterable[Any]], language: str | None) -> Iterator[list[Any]]:
    # The rows are produced while the response is sent, after the view has returned: in
    # the language of the request all the same. The language is switched for each row
    # only, never across a yield, so that it cannot leak into whatever the thread runs
    # while the download waits (or after a download that was not read to the end).
    iterator = iter(rows)
    while True:
        with translation.override(language):
            try:
                row = [str(cell) if isinstance(cell, Promise) else cell for cell in next(iterator)]
            except StopIteration:
                return
        yield row


# --- XLSX ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """How a cell looks: bold or a size for its text, a background colour (RGB hex), text
    wrapped, its alignment."""

    bold: bool = False
    size: float | None = None
    fill: str | None = None
    wrap: bool = False
    horizontal: str | None = None
    vertical: str | None = None


@dataclass(frozen=True)
class Styled:
    """A value written with a style, and possibly a note (a comment on the cell)."""

    value: Any
    style: Style | None = None
    note: str = ""


NOTE_AUTHOR = "wipostad"
NOTE_SIZE = (320, 120)  # points: wide enough for a reason of a few lines


@cache
def _openpyxl_style(style: Style) -> dict[str, Any]:
    from openpyxl.styles import Alignment, Font, PatternFill

    attributes: dict[str, Any] = {}
    if style.bold or style.size:
        attributes["font"] = Font(bold=style.bold, size=style.size)
    if style.fill:
        attributes["fill"] = PatternFill("solid", fgColor=style.fill)
    if style.wrap or style.horizontal or style.vertical:
        attributes["alignment"] = Alignment(
            wrap_text=style.wrap or None, horizontal=style.horizontal, vertical=style.vertical
        )
    return attributes


class XlsxSheet:
    """One sheet of an XlsxBook; rows are written as they are appended."""

    def __init__(self, sheet: Any) -> None:
        self._sheet = sheet
        # The style of each Style, worked out on its first cell and copied to the next ones
        # (openpyxl otherwise looks the font, fill and alignment up again for every cell).
        self._styles: dict[Style, Any] = {}
        self.rows = 0  # rows written so far: the next row is number rows + 1

    def append(self, row: Iterable[Any]) -> None:
        """Writes a row: plain values, and Styled ones."""
        self._sheet.append([self._cell(value) for value in row])
        self.rows += 1

    def bar_chart(self, title: str, first_row: int, last_row: int, anchor: str) -> None:
        """A native horizontal bar chart of rows already written: their labels in column A,
        their counts in column B (the first of those rows holds the series' name)."""
        from openpyxl.chart import BarChart, Reference

        chart = BarChart()
        chart.type = "bar"
        chart.style = 10
        chart.title = title
        chart.legend = None
        chart.y_axis.majorGridlines = None
        chart.y_axis.title = None
        chart.x_axis.scaling.orientation = "maxMin"  # the first choice on top, as on the page
        chart.add_data(Reference(self._sheet, min_col=2, min_row=first_row, max_row=last_row), titles_from_data=True)
        chart.set_categories(Reference(self._sheet, min_col=1, min_row=first_row + 1, max_row=last_row))
        chart.width = 18  # centimetres
        chart.height = max(5.0, 1.0 + 0.7 * (last_row - first_row))
        self._sheet.add_chart(chart, anchor)

    def merge(self, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        """Merges a range of cells (numbered from 1); the first cell's value shows across it."""
        from openpyxl.worksheet.cell_range import CellRange

        self._sheet.merged_cells.add(
            CellRange(min_row=first_row, min_col=first_column, max_row=last_row, max_col=last_column)
        )

    def _cell(self, value: Any) -> Any:
        if not isinstance(value, Styled):
            return cell(value)
        from openpyxl.cell import WriteOnlyCell

        written = WriteOnlyCell(self._sheet, value=cell(value.value))
        style = value.style or Style()
        known = self._styles.get(style)
        if known is None:
            for name, attribute in _openpyxl_style(style).items():
                setattr(written, name, attribute)
            self._styles[style] = copy(written._style)
        else:
            written._style = copy(known)
        if value.note:
            from openpyxl.comments import Comment

            width, height = NOTE_SIZE
            written.comment = Comment(value.note, NOTE_AUTHOR, width=width, height=height)
        return written


class XlsxBook:
    """A write-only workbook: sheets one after the other, each written row by row."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self._workbook = Workbook(write_only=True)

    def sheet(
        self,
        title: str,
        *,
        widths: Sequence[float] = (),
        freeze_first_row: bool = False,
        freeze: str | None = None,
    ) -> XlsxSheet:
        """A new sheet; its column widths (in characters) and the rows and columns that stay
        in view (`freeze`: the first cell that scrolls, e.g. "B5"; or the first row only) are
        set before any row is written, as a write-only sheet requires."""
        from openpyxl.utils import get_column_letter

        sheet = self._workbook.create_sheet(title)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        if freeze:
            sheet.freeze_panes = freeze
        elif freeze_first_row:
            sheet.freeze_panes = "A2"
        return XlsxSheet(sheet)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._workbook.save(buffer)
        return buffer.getvalue()

    def saved(self) -> FilePieces:
        """The workbook saved to a temporary file now, to be sent in pieces: memory does not
        grow with the rows, and the file is deleted once sent (or when the download is given up)."""
        file = tempfile.TemporaryFile(prefix="report-xlsx-")  # noqa: SIM115 - FilePieces closes it
        try:
            self._workbook.save(file)
        except BaseException:
            file.close()
            raise
        file.seek(0)
        return FilePieces(file)


class FilePieces:
    """An open file read in pieces (an iterator); closing it closes the file."""

    def __init__(self, file: IO[bytes], piece: int = XLSX_PIECE) -> None:
        self._file = file
        self._piece = piece

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        data = self._file.read(self._piece) if not self._file.closed else b""
        if not data:
            self.close()
            raise StopIteration
        return data

    def close(self) -> None:
        self._file.close()

    @property
    def closed(self) -> bool:
        return self._file.closed


# --- tables given as a header and rows (the admin's exports) ---------------------------


def table_xlsx(
    title: str, header: Sequence[Any], rows: Sequence[Sequence[Any]], *, text: Callable[[Any], str] = str
) -> bytes:
    """One sheet: the header in bold and frozen, each column as wide as its longest value
    (as ``text`` writes it), multi-line values wrapped."""
    widths: list[int] = []
    for row in [header, *rows]:
        for index, value in enumerate(row):
            size = len(text(value))
            if index < len(widths):
                widths[index] = max(widths[index], size)
            else:
                widths.append(size)
    book = XlsxBook()
    sheet = book.sheet(title, widths=widths, freeze_first_row=bool(header))
    bold, wrap = Style(bold=True), Style(wrap=True)
    if header:
        sheet.append([Styled(value, bold) for value in header])
    for row in rows:
        sheet.append([Styled(value, wrap) if "\n" in text(value) else value for value in row])
    return book.to_bytes()
