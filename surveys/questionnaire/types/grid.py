"""``grid``: a table of text cells with named columns.

Two kinds: one row per choice made in an earlier question (``rows_from``; Q5 b, a code
per IPR type: ``{"patents": {"code": "10"}}``), or a list of rows the office adds
(Q8 b, Q14 a: ``[{"code": "1", "meaning": "PCT"}]``, between ``min_rows`` and
``max_rows``; a one-row grid such as Q14 c reads as label/value pairs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext

from standards.messages import gettext_noop, ngettext_noop
from surveys.questionnaire.evaluation import is_empty
from surveys.questionnaire.texts import tr_text
from surveys.questionnaire.types.base import Display, Problems, QuestionType, QuickCheck, any_fallback
from surveys.questionnaire.types.cells import (
    SEPARATOR,
    CellError,
    codes_of,
    json_cell,
    pairs,
    stripped,
    to_json,
)
from surveys.questionnaire.types.forms import FieldRow, field_name, form_cell, posted
from surveys.questionnaire.types.pages import BULLET_RE, Line, norm, prefix_match, question_label
from surveys.questionnaire.types.parts import parts_agree, parts_problems, source_codes, source_id, source_rows
from surveys.questionnaire.types.registry import register

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from surveys.questionnaire.edition import Edition, Question
    from surveys.questionnaire.types.pages import AnswerReader

MAX_CELL_LENGTH = 500
MAX_GRID_ROWS = 100


def row_limit(q: Question) -> int:
    """How many rows a list-of-rows grid may have."""
    return min(q.max_rows or MAX_GRID_ROWS, MAX_GRID_ROWS)


# --- the form -------------------------------------------------------------------------


def _posted_row(data: Any, q: Question, row_key: Any) -> dict[str, str]:
    """The filled cells of one row (empty cells are left out)."""
    cells = {c.id: posted(data, field_name(q.id, row_key, c.id)).strip() for c in q.columns}
    return {c: v for c, v in cells.items() if v}


def _row_fields(q: Question, row_key: Any, row: Any) -> dict[str, Any]:
    return {field_name(q.id, row_key, col): cell for col, cell in (row or {}).items()}


def _list_form_rows(item: Any, q: Question, answers: Any, values: Any, language: str) -> None:
    item.columns = [tr_text(c.label, language) for c in q.columns]
    existing = answers.get(q.id) if isinstance(answers.get(q.id), list) else []
    count = len(existing) + 1
    if q.max_rows:
        count = min(count, q.max_rows)
    count = max(count, q.min_rows, 1)
    for i in range(count):
        cells = [form_cell(field_name(q.id, i, c.id), tr_text(c.label, language), values) for c in q.columns]
        item.rows.append(FieldRow(key=str(i), label=gettext("Row %(number)s") % {"number": i + 1}, cells=cells))


# --- the engine -----------------------------------------------------------------------


def _rows_problems(q: Question, value: Any, edition: Edition, answers: Any) -> tuple[list[Any], Problems] | None:
    """The rows to check and the problems of the grid as a whole; None when it is no grid at all."""
    if q.rows_from:
        if not isinstance(value, dict):
            return None
        return list(value.values()), parts_problems(q, list(value), "rows", edition, answers)
    if not isinstance(value, list):
        return None
    problems = []
    if len(value) < q.min_rows:
        problems.append(
            (
                "too_few_rows",
                ngettext_noop("Fill in at least %(n)s row.", "Fill in at least %(n)s rows.", q.min_rows, n=q.min_rows),
            )
        )
    limit = row_limit(q)
    if len(value) > limit:
        problems.append(("too_many_rows", ngettext_noop("At most %(n)s row.", "At most %(n)s rows.", limit, n=limit)))
    return value, problems


def _rows_ok(rows: Any, columns: frozenset[str], every_column: bool) -> bool:
    """The grid's quick test of its rows: text cells of known columns, within the length
    limit, and every column filled in when ``every_column``."""
    for row in rows:
        if row.__class__ is not dict or not row.keys() <= columns:
            return False
        for v in row.values():
            if v.__class__ is not str or len(v) > MAX_CELL_LENGTH:
                return False
        if every_column:
            for c in columns:
                v = row.get(c)
                if v is None or not v.strip():  # the cells are strings (above)
                    return False
    return True


def _row_problems(q: Question, i: int, row: Any) -> Problems:
    if not isinstance(row, dict) or not all(isinstance(v, str) for v in row.values()):
        return [("bad_row", gettext_noop("Row %(row)s is not a set of text cells.", row=i))]
    columns = {c.id for c in q.columns}
    problems = []
    unknown = set(row) - columns
    if unknown:
        problems.append(
            (
                "unknown_column",
                gettext_noop("Row %(row)s: unknown column(s) %(columns)s.", row=i, columns=", ".join(sorted(unknown))),
            )
        )
    if q.rows_from and any(is_empty(row.get(c)) for c in columns):
        problems.append(("empty_cell", gettext_noop("Row %(row)s: fill in every column.", row=i)))
    if any(len(v) > MAX_CELL_LENGTH for v in row.values()):
        problems.append(
            (
                "too_long",
                gettext_noop("Row %(row)s: at most %(limit)s characters per cell.", row=i, limit=MAX_CELL_LENGTH),
            )
        )
    return problems


# --- pages ----------------------------------------------------------------------------


class _PageGrid:
    """Reads the answer lines of one grid question: a table, or paragraphs."""

    def __init__(self, q: Question, reader: AnswerReader) -> None:
        self.q, self.reader = q, reader
        self.columns = reader.columns(q)

    def read(self, lines: list[Line]) -> Any:
        tables = [line for line in lines if line.kind == "table"]
        others = [line for line in lines if line.kind != "table"]
        if tables:
            self.reader.leftover(tables[1:], f"a second table under {question_label(self.q)}")
            self.reader.leftover(others, f"text beside the table of {question_label(self.q)}")
            return self.table(tables[0])
        if self.q.rows_from:
            return self.keyed_lines(others)
        return self.paragraphs(others)

    # -- tables

    def table(self, table: Line) -> Any:
        if not any(h.strip() for h in table.headers):
            return self.pairs_table(table)
        header_ids = self.header_ids(table)
        if header_ids is None:
            return None
        rows = []
        for cells in table.rows:
            row = {column: cell.strip() for column, cell in zip(header_ids, cells, strict=False) if cell.strip()}
            if len(cells) > len(header_ids):
                self.reader.problem(table, f"a row has {len(cells)} cells for {len(header_ids)} columns")
            if row:
                rows.append(row)
        return self.shape(rows)

    def pairs_table(self, table: Line) -> Any:
        """A one-row grid printed as label/value pairs (Q14 c)."""
        row: dict[str, str] = {}
        for cells in table.rows:
            if not cells:
                continue
            column = self.columns.get(norm(cells[0]))
            if column is None:
                self.reader.problem(table, f"“{cells[0]}” is not a column of the table")
                continue
            value = " ".join(cells[1:]).strip()
            if value:
                row[column] = value
        return self.shape([row] if row else [])

    def header_ids(self, table: Line) -> list[str] | None:
        """The column ID under each header ("" for the column naming the row's IPR type)."""
        ids = []
        for header in table.headers:
            key = norm(header)
            if self.q.rows_from and key in self.reader.row_key_headers():
                ids.append("")
            elif key in self.columns:
                ids.append(self.columns[key])
            else:
                self.reader.problem(table, f"“{header}” is not a column of the table")
                return None
        return ids

    def shape(self, rows: list[dict[str, str]]) -> Any:
        """List-of-rows grids as stored; grids with a row per IPR type keyed by its code."""
        if not self.q.rows_from:
            rows = [{k: v for k, v in row.items() if k} for row in rows]
            return [row for row in rows if row] or None
        source = self.reader.edition.by_id[self.q.rows_from]
        keyed: dict[str, dict[str, str]] = {}
        for row in rows:
            name = row.get("", "")
            code = self.reader.choice(source, name)
            if code is None:
                self.reader.problem(
                    self.at_question(name), f"“{name}” is not one of the types of {source.id} for a row"
                )
                continue
            keyed[code] = {k: v for k, v in row.items() if k}
        return keyed or None

    def at_question(self, text: str) -> Line:
        return Line(self.reader.block_line().number, text)

    # -- paragraphs

    def column_at(self, lines: list[Line], i: int) -> tuple[str, str, int] | None:
        """(column, rest of the line, lines used) when a column heading starts at line i;
        a heading may run over two lines."""
        if i + 1 < len(lines) and lines[i + 1].kind is None:
            joined = norm(f"{lines[i].text} {lines[i + 1].text}")
            if joined in self.columns:
                return self.columns[joined], "", 2
        found = prefix_match(lines[i].text, self.columns)
        return (*found, 1) if found else None

    def paragraphs(self, lines: list[Line]) -> Any:
        """A grid printed as paragraphs: a header followed by its value(s), or "header value"."""
        instructions = self.reader.instructions(self.q)
        values: dict[str, list[str]] = {}
        current: str | None = None
        i = 0
        while i < len(lines):
            line = lines[i]
            heading = self.column_at(lines, i)
            if heading is not None:
                column, rest, used = heading
                values.setdefault(column, [])
                if rest:
                    values[column].append(rest)
                current = None if rest else column
                i += used
                continue
            if any(norm(line.text).startswith(instruction) for instruction in instructions):
                pass
            elif current is not None:
                values[current].append(line.text)
            else:
                self.reader.leftover([line], f"not a column or a value of the table of {question_label(self.q)}")
            i += 1
        return self.columns_to_rows(values)

    def columns_to_rows(self, values: dict[str, list[str]]) -> Any:
        counts = {len(v) for v in values.values() if v}
        if len(counts) > 1:
            block = self.reader.block_line()
            self.reader.problem(
                block,
                "the columns of the table have different numbers of entries "
                f"({', '.join(f'{k}: {len(v)}' for k, v in values.items())}): the rows cannot be told apart",
            )
            return None
        n = max(counts, default=0)
        rows = [{column: v[i] for column, v in values.items() if i < len(v)} for i in range(n)]
        return self.shape(rows)

    def keyed_lines(self, lines: list[Line]) -> Any:
        # "Patents for inventions 10": the row's IPR type, then the cell of the one column.
        source = self.reader.edition.by_id[self.q.rows_from]
        names = dict(self.reader.choice_map(source))
        headers = self.reader.row_key_headers() | set(self.columns)
        if len(self.q.columns) != 1:
            self.reader.leftover(lines, f"{question_label(self.q)} can only be read from a table")
            return None
        column = self.q.columns[0].id
        keyed: dict[str, dict[str, str]] = {}
        for line in lines:
            if norm(line.text) in headers:
                continue
            found = prefix_match(BULLET_RE.sub("", line.text), names)
            if found is None or not found[1]:
                self.reader.problem(line, f"“{line.text}” does not read as a type of IPR followed by its {column}")
                continue
            keyed[found[0]] = {column: found[1]}
        return keyed or None


# --- spreadsheets ---------------------------------------------------------------------


def _plain_cell(text: Any) -> bool:
    """Whether a grid-by-type cell survives the "type=value; …" form unchanged."""
    return isinstance(text, str) and text == text.strip() and text != "" and ";" not in text and "\n" not in text


def _pairs_text(q: Question, value: Any) -> str | None:
    """A one-column grid by type as "type=value; …", when that form keeps it exact."""
    if not (q.rows_from and len(q.columns) == 1 and isinstance(value, dict)):
        return None
    column = q.columns[0].id
    cells = [(key, row.get(column) if isinstance(row, dict) else None) for key, row in value.items()]
    if all(isinstance(row, dict) and set(row) <= {column} for row in value.values()) and all(
        _plain_cell(cell) for _key, cell in cells
    ):
        return SEPARATOR.join(f"{key}={cell}" for key, cell in cells)
    return None


def _cell_row(row: Any, columns: Sequence[str], where: str) -> dict[str, str]:
    if not isinstance(row, dict) or not all(isinstance(v, str) for v in row.values()):
        raise CellError(f"{where} must be an object of text cells.")
    unknown = sorted(set(row) - set(columns))
    if unknown:
        raise CellError(
            f"{where}: unknown column(s) {', '.join(map(repr, unknown))}; the columns are: {', '.join(columns)}."
        )
    return row


def _keyed_rows_from_cell(q: Question, text: str, parts: Sequence[str]) -> Mapping[str, Any]:
    columns = [c.id for c in q.columns]
    example = f"{parts[0]}={columns[0]} value" if len(columns) == 1 else f'{{"{parts[0]}": {{...}}}}'
    if text.startswith("{") or len(columns) != 1:
        return json_cell(text, dict, example)
    return {key: {columns[0]: value} for key, value in pairs(text, "type=value (e.g. patents=10)")}


@register("grid")
class Grid(QuestionType):
    template = "surveys/question_types/_grid.html"
    script_value = "fields"

    def check_definition(self, checker: Any, where: str, definition: Any) -> None:
        columns = definition.get("columns") or []
        ids = [c.get("id") for c in columns]
        if not ids or len(set(ids)) != len(ids):
            checker.fail(where, "a grid needs columns with unique ids")
        for c in columns:
            checker.text(f"{where}.columns[{c['id']}]", c.get("label"))
        if definition.get("rows_from") is not None:
            checker.source(where, definition.get("rows_from"), "rows_from")

    def parse_form(self, q: Question, data: Any, edition: Edition) -> Any:
        if q.rows_from:
            rows = {row_id: _posted_row(data, q, row_id) for row_id in source_codes(q, edition)}
            return {row_id: row for row_id, row in rows.items() if row}
        rows = [_posted_row(data, q, i) for i in range(row_limit(q))]
        return [row for row in rows if row]

    def to_form(self, q: Question, value: Any) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if q.rows_from and isinstance(value, dict):
            for row_id, row in value.items():
                values.update(_row_fields(q, row_id, row))
        elif isinstance(value, list):
            for i, row in enumerate(value):
                values.update(_row_fields(q, i, row if isinstance(row, dict) else None))
        return values

    def form_item(self, item: Any, q: Question, edition: Edition, answers: Any, values: Any, language: str) -> None:
        if not q.rows_from:
            _list_form_rows(item, q, answers, values, language)
            return

        def cells(code: str) -> list[dict[str, Any]]:
            return [form_cell(field_name(q.id, code, c.id), tr_text(c.label, language), values) for c in q.columns]

        item.rows = source_rows(q, edition, answers, language, cells)

    def validate(self, q: Question, value: Any, edition: Edition, answers: Any) -> Problems:
        found = _rows_problems(q, value, edition, answers)
        if found is None:
            return [
                (
                    "type",
                    gettext_noop("Fill in one row per type.") if q.rows_from else gettext_noop("Fill in the table."),
                )
            ]
        rows, problems = found
        for i, row in enumerate(rows, start=1):
            problems += _row_problems(q, i, row)
        return problems

    def quick_check(self, q: Question, edition: Edition) -> QuickCheck:
        columns = frozenset(c.id for c in q.columns)
        source = source_id(q)
        # A row of a grid whose rows follow the source question needs every column.
        every_column = bool(q.rows_from)
        fewest, most = q.min_rows, row_limit(q)

        def check(value: Any, answers: Any) -> bool:
            if every_column:
                if value.__class__ is not dict or not parts_agree(source, value, answers):
                    return False
                return _rows_ok(value.values(), columns, every_column)
            if value.__class__ is not list or not fewest <= len(value) <= most:
                return False
            return _rows_ok(value, columns, every_column)

        return check

    def display(self, q: Question, value: Any, edition: Edition, language: str, *, framed: bool = True) -> Display:
        columns = [tr_text(c.label, language) for c in q.columns]
        headers = [str(c) for c in columns]
        fallback = any_fallback(*columns)
        if q.rows_from:
            source = edition.by_id[q.rows_from]
            headers = [gettext("Type of IPR"), *headers]
            row_labels = [source.choice_text(r, language) for r in value]
            fallback = fallback or any_fallback(*row_labels)
            rows = [
                [str(label), *[row.get(c.id, "") for c in q.columns]]
                for label, row in zip(row_labels, value.values(), strict=True)
            ]
        else:
            rows = [[row.get(c.id, "") for c in q.columns] for row in value]
        if q.max_rows == 1 and len(rows) == 1:
            # A one-row grid reads better as label/value pairs (as in Q14 c).
            return Display(
                headers=["", ""], rows=[[h, v] for h, v in zip(headers, rows[0], strict=True)], fallback=fallback
            )
        return Display(headers=headers, rows=rows, fallback=fallback)

    def read_page(self, q: Question, lines: list[Line], reader: AnswerReader) -> Any:
        return _PageGrid(q, reader).read(lines)

    def to_cell(self, q: Question, value: Any) -> str | int:
        text = _pairs_text(q, value)
        return to_json(value) if text is None else text

    def from_cell(self, q: Question, cell: Any, edition: Edition) -> Any:
        text = stripped(cell)
        columns = [c.id for c in q.columns]
        if q.rows_from:
            parts = source_codes(q, edition)
            rows = _keyed_rows_from_cell(q, text, parts)
            keys = codes_of(list(rows), parts, f"type (from {q.rows_from})")
            return {key: _cell_row(row, columns, f"row {key!r}") for key, row in zip(keys, rows.values(), strict=True)}
        example = "[" + to_json(dict.fromkeys(columns, "…")) + "]"
        rows = json_cell(text, list, example)
        return [_cell_row(row, columns, f"table row {i}") for i, row in enumerate(rows, start=1)]
