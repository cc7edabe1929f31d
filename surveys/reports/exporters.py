"""Downloads of the round report: CSV, XLSX, PDF, DOCX and JSON from the same tables.

Each exporter lays out `surveys.reports.tables.Table` objects and nothing else: it never
reads answers or counts, so a figure cannot differ between formats.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from surveys.reports import docx, pdf
from surveys.reports.charts import Chart
from surveys.reports.tables import Cell, Kind, Passage, Report, Scope, Table
from surveys.table_files import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, Style, Styled, XlsxBook, csv_bytes, csv_chunks


@dataclass(frozen=True)
class Export:
    content: bytes | Iterator[bytes]  # pieces when the file is streamed
    content_type: str
    filename: str


class Stream:
    """The pieces of a streamed file, with what to release when it has been sent.

    A streaming response closes it when it is done (or given up): `close()` stops the
    pieces' generator and then runs the closers (e.g. `Report.close`, which deletes the
    rows' temporary files).
    """

    def __init__(self, pieces: Iterable[bytes], *closers: Callable[[], object]) -> None:
        self._pieces = iter(pieces)
        self._closers = list(closers)

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        return next(self._pieces)

    def add_closer(self, closer: Callable[[], object]) -> None:
        self._closers.append(closer)

    def close(self) -> None:
        close = getattr(self._pieces, "close", None)
        try:
            if close is not None:
                close()
        finally:
            for closer in self._closers:
                closer()
            self._closers = []


def filename(report: Report, extension: str, table_id: str | None = None) -> str:
    """e.g. application-numbering-2012-report.xlsx, …-q5-with-submitted.csv."""
    what = table_id.replace("_", "-") if table_id else "report"
    scope = {Scope.PUBLISHED: "", Scope.REVIEWED: "-accepted", Scope.WITH_SUBMITTED: "-with-submitted"}[report.scope]
    return f"{report.survey_round.slug}-{what}{scope}.{extension}"


def _tables(report: Report, table_id: str | None) -> list[Table]:
    return [report.table(table_id)] if table_id else report.tables


# Streamed files are sent in pieces of about this size.
PIECE = 64 * 1024


# --- CSV -------------------------------------------------------------------------------


def flat_header(table: Table, language: str = "en") -> list[str]:
    """The one-line headings of the flat formats: a column whose cells carry notes is followed by them."""
    with translation.override(language):
        reason = gettext("Reason")
    header: list[str] = []
    for column in table.columns:
        header.append(column.flat_label)
        if column.has_notes:
            header.append(f"{column.flat_label} — {reason}")
    return header


def csv_rows(table: Table, language: str = "en") -> Iterator[list[str | int]]:
    """Header, data rows, totals rows; a verdict column is followed by its reasons."""
    yield list(flat_header(table, language))
    noted = [column.has_notes for column in table.columns]
    for row in table.rows:
        out: list[str | int] = []
        for notes, cell in zip(noted, row.cells, strict=True):
            out.append(cell.value)
            if notes:
                out.append(cell.note)
        yield out
    for totals in table.totals:
        out = []
        for i, (notes, value) in enumerate(zip(noted, totals.values, strict=True)):
            out.append(totals.label if i == 0 else ("" if value is None else value))
            if notes:
                out.append("")
        yield out


def table_csv(table: Table, language: str = "en") -> bytes:
    return csv_bytes(csv_rows(table, language))


def export_csv(report: Report, table_id: str | None) -> Export:
    if table_id:
        # One table: streamed as its rows are written.
        chunks = csv_chunks(csv_rows(report.table(table_id), report.language))
        return Export(chunks, CSV_CONTENT_TYPE, filename(report, "csv", table_id))
    members = (
        (f"{i:02d}-{table.id.replace('_', '-')}.csv", csv_chunks(csv_rows(table, report.language)))
        for i, table in enumerate(report.tables, start=1)
    )
    return Export(zip_stream(members), "application/zip", filename(report, "zip"))


class _Pipe(io.RawIOBase):
    """A write-only stream that keeps what is written until it is taken (a ZIP archive
    written to it is sent as it grows; it cannot seek, so the archive uses data descriptors)."""

    def __init__(self) -> None:
        super().__init__()
        self._pieces: list[bytes] = []
        self._size = 0
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # noqa: ANN001 - any bytes-like object
        piece = bytes(data)
        self._pieces.append(piece)
        self._size += len(piece)
        self._position += len(piece)
        return len(piece)

    def tell(self) -> int:
        return self._position

    def take(self, at_least: int = 0) -> Iterator[bytes]:
        """What was written so far, as one piece, once there is at least `at_least` bytes of it."""
        if self._size and self._size >= at_least:
            piece = b"".join(self._pieces)
            self._pieces, self._size = [], 0
            yield piece


def zip_stream(members: Iterable[tuple[str, Iterable[bytes]]]) -> Iterator[bytes]:
    """A ZIP archive of the members (name, pieces of the file), produced as it is written."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, pieces in members:
            with archive.open(name, "w") as member:
                for piece in pieces:
                    member.write(piece)
                    yield from pipe.take(PIECE)
    yield from pipe.take()


# --- XLSX ------------------------------------------------------------------------------

XLSX_WIDTHS = {Kind.KEY: 11, Kind.MARK: 9, Kind.VALUE: 24, Kind.COUNT: 11, Kind.VERDICT: 14}
XLSX_REASON_WIDTH = 40


TITLE = Style(bold=True, size=13)
HEADER = Style(bold=True, fill="EEF2F6", wrap=True, vertical="top")
TOTALS = Style(bold=True, fill="EEF2F6")
WRAP = Style(wrap=True, vertical="top")
CENTER = Style(horizontal="center", vertical="top")


def export_xlsx(report: Report, table_id: str | None) -> Export:
    """A sheet per table, written row by row (openpyxl's write-only workbook) to a temporary
    file, which is then streamed and deleted."""
    book = XlsxBook()
    # A section's editorial text (7.2.5: the editorial note, the introduction) goes on the
    # sheet of its first table, below the table; not on the sheet of a table downloaded alone.
    passages = {} if table_id else {s.tables[0].id: s.passages for s in report.sections if s.passages}
    for table in _tables(report, table_id):
        sheet = _xlsx_sheet(book, report, table)
        _xlsx_passages(sheet, passages.get(table.id, ()))
    return Export(book.saved(), XLSX_CONTENT_TYPE, filename(report, "xlsx", table_id))


def _xlsx_sheet(book: XlsxBook, report: Report, table: Table) -> Any:
    """One table on a sheet of its own: title, scope, header rows, rows, totals, then notes.

    The header rows stay in view (frozen) with the key column; a question's heading spans
    its columns (merged cells). A verdict column is followed by a column of its reasons,
    as in the CSV file (comments would be kept in memory until the file is saved).
    """
    groups, labels = header_lines(table)
    reason = _reason_word(report.language)
    own = [column.sheet_width or XLSX_WIDTHS[column.kind] for column in table.columns]
    widths = _spread(table, own, lambda _: XLSX_REASON_WIDTH)
    header_row = 4 if groups else 3  # after the title and the scope (and the groups)
    sheet = book.sheet(table.sheet_name[:31], widths=widths, freeze=f"B{header_row + 1}")
    sheet.append([Styled(table.title, TITLE)])
    sheet.append([f"{report.title} — {report.scope_label}"])
    if groups:
        sheet.append([Styled(text, HEADER) for text in _spread(table, groups, lambda _: "")])
        for first, last in _group_spans(table):
            sheet.merge(3, first, 3, last)
    reasons = _spread(table, labels, lambda i: f"{table.columns[i].flat_label} — {reason}")
    sheet.append([Styled(text, HEADER) for text in reasons])
    noted = [column.has_notes for column in table.columns]
    marks = [column.kind == Kind.MARK for column in table.columns]
    for row in table.rows:
        out: list[Any] = []
        for notes, mark, cell in zip(noted, marks, row.cells, strict=True):
            out.append(_xlsx_cell(mark, cell))
            if notes:
                out.append(Styled(cell.note, WRAP) if cell.note else "")
        sheet.append(out)
    for totals in table.totals:
        values = _spread(table, [totals.label, *totals.values[1:]], lambda _: None)
        sheet.append([Styled(value, TOTALS) for value in values])
    texts = [*table.notes, table.legend] if table.legend else table.notes
    if texts:
        sheet.append([])
        for text in texts:
            sheet.append([text])
    if table.chart and table.chart.bars:
        _xlsx_chart(sheet, table.chart, report.language)
    return sheet


def _xlsx_chart(sheet: Any, chart: Chart, language: str) -> None:
    """The table's chart as an Excel chart, drawn from its counts written below the table
    (so it stays live if the reader corrects a figure)."""
    sheet.append([])
    with translation.override(language):
        sheet.append([Styled(chart.title, HEADER), Styled(gettext("Responses"), HEADER)])
    first = sheet.rows
    for bar in chart.bars:
        sheet.append([bar.label, bar.count])
    sheet.bar_chart(chart.title, first, sheet.rows, f"D{first}")


def _xlsx_passages(sheet: Any, passages: tuple[Passage, ...]) -> None:
    """A section's editorial text below the table: each passage's heading, then its paragraphs."""
    for passage in passages:
        sheet.append([])
        sheet.append([Styled(passage.heading, TITLE)])
        for paragraph in passage.paragraphs:
            sheet.append([paragraph])


def _spread(table: Table, values: list[Any], beside: Callable[[int], Any]) -> list[Any]:
    """One value per table column → one per sheet column: `beside(i)` fills the reasons
    column that follows column i when its cells carry notes."""
    out: list[Any] = []
    for i, (column, value) in enumerate(zip(table.columns, values, strict=True)):
        out.append(value)
        if column.has_notes:
            out.append(beside(i))
    return out


def _group_spans(table: Table) -> list[tuple[int, int]]:
    """The first and last sheet column (from 1) of each group heading over several columns."""
    last_of: list[int] = []  # the last sheet column each table column takes (itself or its reasons)
    for column in table.columns:
        last_of.append((last_of[-1] if last_of else 0) + (2 if column.has_notes else 1))
    spans, i = [], 0
    for head in table.header_rows[0]:
        if head.colspan > 1:
            first = (last_of[i - 1] if i else 0) + 1
            spans.append((first, last_of[i + head.colspan - 1]))
        i += head.colspan
    return spans


def _reason_word(language: str) -> str:
    with translation.override(language):
        return gettext("Reason")


def _xlsx_cell(mark: bool, cell: Cell) -> Styled | str | int:
    """A cell's value, styled when it is a mark or runs over lines."""
    if mark:
        return Styled(cell.value, CENTER) if cell.value else ""
    if isinstance(cell.value, str) and "\n" in cell.value:
        return Styled(cell.value, WRAP)
    return cell.value


def header_lines(table: Table) -> tuple[list[str], list[str]]:
    """The two header rows as flat lists (group row empty when the table has no groups)."""
    headers = table.header_rows
    if len(headers) == 1:
        return [], [h.text for h in headers[0]]
    groups: list[str] = []
    labels: list[str] = []
    bottom = iter(headers[1])
    for head in headers[0]:
        if head.rowspan == 2:
            groups.append("")
            labels.append(head.text)
        else:
            groups.extend([head.text] + [""] * (head.colspan - 1))
            labels.extend(next(bottom).text for _ in range(head.colspan))
    return groups, labels


# --- JSON ------------------------------------------------------------------------------

_ROWS_MARK = "\x00rows\x00"  # where a table's rows go in the document's skeleton
JSON_ROW_INDENT = " " * 4  # the rows of a table sit four levels deep (indent=1)


def export_json(report: Report, table_id: str | None) -> Export:
    """The report as JSON, streamed: the same document as json.dumps(report.as_dict(), indent=1)."""
    return Export(json_chunks(report, table_id), "application/json; charset=utf-8", filename(report, "json", table_id))


def json_chunks(report: Report, table_id: str | None = None) -> Iterator[bytes]:
    """The document in pieces: its skeleton (everything but the rows) is written once with a
    mark for each table's rows, and the rows are written in their place one by one."""
    tables = _tables(report, table_id)
    data = report.as_dict(tables, rows=False)
    for item in data["tables"]:
        item["rows"] = _ROWS_MARK
    pieces = json.dumps(data, ensure_ascii=False, indent=1).split(json.dumps(_ROWS_MARK))
    buffer = io.StringIO()
    buffer.write(pieces[0])
    for table, piece in zip(tables, pieces[1:], strict=True):
        for text in _json_rows(table):
            buffer.write(text)
            if buffer.tell() >= PIECE:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        buffer.write(piece)
    yield buffer.getvalue().encode("utf-8")


def _json_rows(table: Table) -> Iterator[str]:
    if not table.rows:
        yield "[]"
        return
    separator = "[\n"
    for row in table.rows:
        text = json.dumps(table.row_dict(row), ensure_ascii=False, indent=1)
        yield separator + JSON_ROW_INDENT + text.replace("\n", "\n" + JSON_ROW_INDENT)
        separator = ",\n"
    yield "\n   ]"


# --- PDF -------------------------------------------------------------------------------


def css_string(text: str) -> SafeString:
    """A text as a CSS string literal, safe inside a <style> element.

    HTML entities mean nothing inside <style>, so the text is escaped for CSS instead:
    every character that could end the string, the rule or the element ("\\", quotes,
    "<", ">", "&", line breaks) becomes a CSS hexadecimal escape.
    """
    out = []
    for char in text:
        if char in "\\\"'<>&{};" or ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return mark_safe(f'"{"".join(out)}"')  # noqa: S308 - escaped above


def css_counters(text: str) -> SafeString:
    """ "Page {page} of {pages}" → a CSS `content` value with the page counters in place."""
    parts = []
    for i, piece in enumerate(re.split(r"\{(page|pages)\}", text)):
        if i % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return mark_safe(" ".join(parts))  # noqa: S308 - literals escaped by css_string, counters are ours


def print_html(report: Report, table_id: str | None) -> str:
    sections = report.sections
    if table_id:
        sections = [s for s in sections if any(t.id == table_id for t in s.tables)]
        sections = [replace(s, tables=[report.table(table_id)]) for s in sections]
    context = {
        "report": report,
        "sections": sections,
        "single_table": bool(table_id),
        # The running header and page numbers are CSS `content` in @page margin boxes.
        "css_handbook": css_string(report.handbook),
        "css_page_counter": css_counters(report.page_counter),
    }
    # The template's own words follow the report's language, wherever this is called from.
    with translation.override(report.language):
        return render_to_string("surveys/reports/report_print.html", context)


# --- PDF and DOCX: surveys.reports.pdf and surveys.reports.docx ---------------------------


def export_pdf(report: Report, table_id: str | None) -> Export:
    return Export(pdf.document(report, table_id), pdf.CONTENT_TYPE, filename(report, "pdf", table_id))


def export_docx(report: Report, table_id: str | None) -> Export:
    return Export(docx.document(report, table_id), docx.CONTENT_TYPE, filename(report, "docx", table_id))


EXPORTERS: dict[str, Callable[[Report, str | None], Export]] = {
    "csv": export_csv,
    "xlsx": export_xlsx,
    "pdf": export_pdf,
    "docx": export_docx,
    "json": export_json,
}
FORMATS = tuple(EXPORTERS)


def export(report: Report, fmt: str, table_id: str | None = None) -> Export:
    return EXPORTERS[fmt](report, table_id)
