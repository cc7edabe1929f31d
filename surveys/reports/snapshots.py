"""The report page's data kept in storage, so that showing a page reads a page.

Building a round's report reads and evaluates every response in scope; the report page
shows only the first rows of each table (or one page of one table) with totals and
charts that count every response. So the built report is stored once per state of the
data (`reports/builds.py` decides when, and keys it like the report files), and a page
is then served from it:

- ``summary.json``: the report's counts, when it was built, and per table everything
  but its rows (columns, totals, notes, legend, chart), its number of rows and its
  first page of rows. The whole report page reads this file alone.
- ``<table>/<n>.json``: page *n* (from 2) of a table's rows, ``PAGE_ROWS`` rows. Another
  page of one table reads the summary and that file.

Both stay the same size whatever the number of responses, so the time and memory of a
page do not grow with the round. Every file is written through the default storage (a
disk, or object storage) under a folder of the build's own; rows are plain JSON (a key,
then per cell its value, note, classes and chip classes, trailing blanks left out).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from surveys.models import ExportBuild, SurveyRound
from surveys.reports import tables
from surveys.reports.charts import Bar, Chart
from surveys.reports.tables import Cell, Column, Kind, Row, Table, TablePage, TotalsRow

# Raise by one when what is stored changes shape: a stored report of another version is
# not read (it is built again).
FORMAT_VERSION = 2
ROOT = "report-pages"
SUMMARY = "summary.json"
FILENAME = "report-page.json"
CONTENT_TYPE = "application/json"


class StoredReportMissing(RuntimeError):
    """The stored report cannot be read (gone from the storage, or of another version)."""


def folder_for(build: ExportBuild) -> str:
    """A folder of the build's own: its round, its id and a random part (an id can come back
    after a database is restored; the random part keeps an old folder from being read)."""
    return f"{ROOT}/{build.round_id}/{build.pk}-{secrets.token_hex(6)}"


def folder_of(summary_name: str) -> str:
    return summary_name.rpartition("/")[0]


# --- writing (in the worker, or inline for a small round) ----------------------------------


def _cell(cell: Cell) -> list:
    data = [cell.value, cell.note, cell.css, cell.chip]
    while len(data) > 1 and data[-1] == "":
        data.pop()
    return data


def _row(row: Row) -> list:
    data = [row.key, [_cell(c) for c in row.cells]]
    if row.details:
        data.append(row.details)
    return data


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _save(name: str, data: Any) -> int:
    content = _json(data)
    stored = default_storage.save(name, ContentFile(content))
    if stored != name:
        # The names are read back as written; a name already in use means a foreign file.
        default_storage.delete(stored)
        raise RuntimeError(f"the storage already holds {name!r}")
    return len(content)


def _pages(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while page := list(islice(iterator, size)):
        yield page


def _table_meta(table: Table) -> dict[str, Any]:
    chart = table.chart
    return {
        "id": table.id,
        "section": table.section,
        "title": table.title,
        "columns": [[c.id, c.label, str(c.kind), c.group, c.group_id, c.notes, c.sheet_width] for c in table.columns],
        "totals": [[t.label, t.values] for t in table.totals],
        "notes": list(table.notes),
        "legend": table.legend,
        "chart": (
            [chart.id, chart.title, [[b.label, b.count] for b in chart.bars], chart.total, chart.total_text]
            if chart
            else None
        ),
        "sheet_name": table.sheet_name,
        "collapsible": table.collapsible,
    }


def write(report: tables.Report, folder: str, *, size: int = tables.PAGE_ROWS) -> tuple[str, int]:
    """Store the report under `folder`, reading each table's rows once; the summary's name
    and the bytes written. The pages go first and the summary last, so a summary that can
    be read always has its pages."""
    written = 0
    described = []
    for table in report.tables:
        meta = _table_meta(table)
        count, first = 0, []
        for number, page in enumerate(_pages(table.rows, size), start=1):
            count += len(page)
            if number == 1:
                first = [_row(r) for r in page]
            else:
                written += _save(f"{folder}/{table.id}/{number}.json", [_row(r) for r in page])
        described.append({**meta, "count": count, "first": first})
    summary = {
        "version": FORMAT_VERSION,
        "scope": str(report.scope),
        "language": report.language,
        "responses": report.response_count,
        "offices": report.office_count,
        "generated_at": report.generated_at.isoformat(),
        "page_rows": size,
        "passages": [[p.heading, list(p.paragraphs)] for p in report.results_passages],
        "tables": described,
    }
    name = f"{folder}/{SUMMARY}"
    written += _save(name, summary)
    return name, written


# --- reading (the report page) ----------------------------------------------------------------


def _load(name: str) -> Any:
    try:
        with default_storage.open(name, "rb") as handle:
            return json.loads(handle.read())
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise StoredReportMissing(f"{name}: {exc}") from exc


def _decode_row(data: list) -> Row:
    key, cells, *details = data
    return Row(key, [Cell(*c) for c in cells], details[0] if details else None)


class StoredRows:
    """A stored table's rows: len() from the summary, a page read from its own file."""

    def __init__(self, folder: str, table_id: str, count: int, first: list, size: int) -> None:
        self.folder, self.table_id, self.count, self.size = folder, table_id, count, size
        self._first = first

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.size))

    def page(self, number: int) -> list[Row]:
        if number == 1:
            return [_decode_row(r) for r in self._first]
        return [_decode_row(r) for r in _load(f"{self.folder}/{self.table_id}/{number}.json")]

    def __iter__(self) -> Iterator[Row]:
        """Every row, a page at a time (the page itself only ever reads one page)."""
        for number in range(1, self.pages + 1 if self.count else 1):
            yield from self.page(number)


def _table(folder: str, data: dict[str, Any], size: int) -> Table:
    chart = data["chart"]
    return Table(
        id=data["id"],
        section=data["section"],
        title=data["title"],
        columns=[
            Column(i, label, Kind(kind), group, gid, notes, width)
            for i, label, kind, group, gid, notes, width in data["columns"]
        ],
        rows=StoredRows(folder, data["id"], data["count"], data["first"], size),
        totals=[TotalsRow(label, values) for label, values in data["totals"]],
        notes=data["notes"],
        legend=data["legend"],
        chart=(
            Chart(chart[0], chart[1], tuple(Bar(label, n) for label, n in chart[2]), chart[3], chart[4])
            if chart
            else None
        ),
        sheet_name=data["sheet_name"],
        collapsible=data["collapsible"],
    )


@dataclass
class StoredReport:
    """The report as the page shows it, read from storage: its tables' rows stay there."""

    report: tables.Report
    table_ids: tuple[str, ...]

    def page(self, table: Table, number: int) -> TablePage:
        """Page `number` (from 1) of a table: the summary's rows, or one file."""
        rows = table.rows
        if not isinstance(rows, StoredRows):
            return tables.table_page(table, number)
        if number < 1 or (number - 1) * rows.size >= max(len(rows), 1):
            raise tables.NoSuchPage(number)
        return TablePage(table, number, rows.size, rows.page(number))


def read(summary_name: str, survey_round: SurveyRound, *, only: str | None = None) -> StoredReport:
    """The stored report (with all its tables, or the one `only` names: KeyError if there
    is none); StoredReportMissing when it cannot be read."""
    summary = _load(summary_name)
    if not isinstance(summary, dict) or summary.get("version") != FORMAT_VERSION:
        raise StoredReportMissing(f"{summary_name}: not a stored report of version {FORMAT_VERSION}")
    folder, size = folder_of(summary_name), summary["page_rows"]
    ids = tuple(t["id"] for t in summary["tables"])
    if only is not None and only not in ids:
        raise KeyError(only)
    report = tables.Report(
        survey_round=survey_round,
        scope=tables.Scope(summary["scope"]),
        tables=[_table(folder, t, size) for t in summary["tables"] if only is None or t["id"] == only],
        response_count=summary["responses"],
        office_count=summary["offices"],
        language=summary["language"],
        generated_at=datetime.fromisoformat(summary["generated_at"]),
        results_passages=tuple(tables.Passage(heading, tuple(texts)) for heading, texts in summary["passages"]),
    )
    return StoredReport(report, ids)


# --- deleting --------------------------------------------------------------------------------


def delete(folder: str) -> int:
    """Delete every file under the folder of a stored report; how many."""
    if not folder.startswith(f"{ROOT}/"):
        raise ValueError(f"{folder!r} is not the folder of a stored report")
    deleted = 0
    try:
        directories, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return 0
    for directory in directories:
        deleted += delete(f"{folder}/{directory}")
    for name in files:
        default_storage.delete(f"{folder}/{name}")
        deleted += 1
    _remove_empty_folder(folder)
    return deleted


def _remove_empty_folder(folder: str) -> None:
    # Object storage has no folders; on a disk, the emptied folder goes too.
    try:
        path = default_storage.path(folder)
    except NotImplementedError:
        return
    with contextlib.suppress(OSError):
        os.rmdir(path)
