"""Downloads of the round report: CSV, XLSX, PDF, DOCX and JSON from the same tables.

Each exporter lays out `surveys.reports.tables.Table` objects and nothing else: it never
reads answers or counts, so a figure cannot differ between formats.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from surveys.reports import docx, pdf
from surveys.reports.tables import Cell, Column, Kind, Report, Scope, Table
from surveys.table_files import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, Style, Styled, XlsxBook, csv_bytes, csv_chunks


@dataclass(frozen=True)
class Export:
    content: bytes | Iterator[bytes]  # pieces when the file is streamed
    content_type: str
    filename: str


def filename(report: Report, extension: str, table_id: str | None = None) -> str:
    """e.g. application-numbering-2012-report.xlsx, …-q5-with-submitted.csv."""
    what = table_id.replace("_", "-") if table_id else "report"
    scope = {Scope.PUBLISHED: "", Scope.REVIEWED: "-accepted", Scope.WITH_SUBMITTED: "-with-submitted"}[report.scope]
    return f"{report.survey_round.slug}-{what}{scope}.{extension}"


def _tables(report: Report, table_id: str | None) -> list[Table]:
    return [report.table(table_id)] if table_id else report.tables


# --- CSV -------------------------------------------------------------------------------


def csv_rows(table: Table, language: str = "en") -> Iterator[list[str | int]]:
    """Header, data rows, totals rows; a verdict column is followed by its reasons."""
    with translation.override(language):
        reason = gettext("Reason")
    header: list[str | int] = []
    for column in table.columns:
        header.append(column.flat_label)
        if column.has_notes:
            header.append(f"{column.flat_label} — {reason}")
    yield header
    for row in table.rows:
        out: list[str | int] = []
        for column, cell in zip(table.columns, row.cells, strict=True):
            out.append(cell.value)
            if column.has_notes:
                out.append(cell.note)
        yield out
    for totals in table.totals:
        out = []
        for i, (column, value) in enumerate(zip(table.columns, totals.values, strict=True)):
            out.append(totals.label if i == 0 else ("" if value is None else value))
            if column.has_notes:
                out.append("")
        yield out


def table_csv(table: Table, language: str = "en") -> bytes:
    return csv_bytes(csv_rows(table, language))


def export_csv(report: Report, table_id: str | None) -> Export:
    if table_id:
        # One table: streamed as its rows are written.
        chunks = csv_chunks(csv_rows(report.table(table_id), report.language))
        return Export(chunks, CSV_CONTENT_TYPE, filename(report, "csv", table_id))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, table in enumerate(report.tables, start=1):
            archive.writestr(f"{i:02d}-{table.id.replace('_', '-')}.csv", table_csv(table, report.language))
    return Export(buffer.getvalue(), "application/zip", filename(report, "zip"))


# --- XLSX ------------------------------------------------------------------------------

XLSX_WIDTHS = {Kind.KEY: 11, Kind.MARK: 9, Kind.VALUE: 24, Kind.COUNT: 11, Kind.VERDICT: 14}


TITLE = Style(bold=True, size=13)
HEADER = Style(bold=True, fill="EEF2F6", wrap=True, vertical="top")
TOTALS = Style(bold=True, fill="EEF2F6")
WRAP = Style(wrap=True, vertical="top")
CENTER = Style(horizontal="center", vertical="top")


def export_xlsx(report: Report, table_id: str | None) -> Export:
    book = XlsxBook()
    for table in _tables(report, table_id):
        _xlsx_sheet(book, report, table)
    return Export(book.to_bytes(), XLSX_CONTENT_TYPE, filename(report, "xlsx", table_id))


def _xlsx_sheet(book: XlsxBook, report: Report, table: Table) -> None:
    """One table on a sheet of its own: title, scope, header rows, rows, totals, then notes."""
    sheet = book.sheet(table.sheet_name[:31], widths=[XLSX_WIDTHS[column.kind] for column in table.columns])
    sheet.append([Styled(table.title, TITLE)])
    sheet.append([f"{report.title} — {report.scope_label}"])
    groups, labels = header_lines(table)
    if groups:
        sheet.append([Styled(g, HEADER) for g in groups])
    sheet.append([Styled(text, HEADER) for text in labels])
    for row in table.rows:
        sheet.append([_xlsx_cell(column, cell) for column, cell in zip(table.columns, row.cells, strict=True)])
    for totals in table.totals:
        sheet.append([Styled(totals.label if i == 0 else value, TOTALS) for i, value in enumerate(totals.values)])
    texts = [*table.notes, table.legend] if table.legend else table.notes
    if texts:
        sheet.append([])
        for text in texts:
            sheet.append([text])


def _xlsx_cell(column: Column, cell: Cell) -> Styled | str | int:
    """A cell's value, styled when it has a note (then a comment), is a mark, or runs over lines."""
    if cell.note:
        return Styled(cell.value, WRAP, note=cell.note)
    if column.kind == Kind.MARK:
        return Styled(cell.value, CENTER)
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


def export_json(report: Report, table_id: str | None) -> Export:
    data = report.as_dict()
    if table_id:
        data["tables"] = [report.table(table_id).as_dict()]
    content = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    return Export(content, "application/json; charset=utf-8", filename(report, "json", table_id))


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
