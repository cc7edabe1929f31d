"""Turning submitted form fields into answers, and answers into form values again.

Drafts keep what people typed even when it is not valid yet (a year typed as "19x2" is
kept as that string and reported by the engine), so a save never loses a keystroke.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from surveys.questionnaire.edition import Edition, Question
from surveys.questionnaire.evaluation import is_empty
from surveys.questionnaire.types.grid import MAX_GRID_ROWS
from surveys.questionnaire.types.partial_date import format_partial_date, parse_partial_date


def _int_or_raw(raw: str) -> int | str:
    text = raw.strip()
    try:
        return int(text)
    except ValueError:
        return text


def _get(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key, "")
    return value if isinstance(value, str) else ""


def _getlist(data: Any, key: str) -> list[str]:
    if hasattr(data, "getlist"):
        return [v for v in data.getlist(key) if isinstance(v, str)]
    value = data.get(key)
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return [value] if isinstance(value, str) else []


def field_name(*parts: Any) -> str:
    return ".".join(str(p) for p in parts)


def _row(data: Any, qid: str, row_key: Any, columns: list[str]) -> dict[str, str]:
    """The filled cells of one grid row (empty cells are left out)."""
    cells = {c: _get(data, field_name(qid, row_key, c)).strip() for c in columns}
    return {c: v for c, v in cells.items() if v}


def _parse_question(q: Question, edition: Edition, data: Any) -> Any:
    t = q.type
    if t == "multi":
        return [v for v in dict.fromkeys(_getlist(data, q.id)) if v]
    if t in ("single", "yesno", "text"):
        value = _get(data, q.id)
        return value if t == "text" else value.strip()
    if t == "partial_date":
        raw = _get(data, q.id).strip()
        return parse_partial_date(raw) or raw
    if t == "int":
        raw = _get(data, q.id).strip()
        return _int_or_raw(raw) if raw else ""
    parts = edition.by_id[q.parts_from or q.rows_from].choice_codes if (q.parts_from or q.rows_from) else ()
    if t == "part_lengths":
        result: dict[str, Any] = {}
        for part in parts:
            if q.range:
                lo, hi = (
                    _get(data, field_name(q.id, part, "min")).strip(),
                    _get(data, field_name(q.id, part, "max")).strip(),
                )
                if lo or hi:
                    result[part] = {"min": _int_or_raw(lo), "max": _int_or_raw(hi)}
            else:
                raw = _get(data, field_name(q.id, part)).strip()
                if raw:
                    result[part] = _int_or_raw(raw)
        return result
    if t == "order":
        positions = []
        for part in parts:
            raw = _get(data, field_name(q.id, part)).strip()
            if raw:
                pos = _int_or_raw(raw)
                positions.append((pos if isinstance(pos, int) else 10**6, part))
        return [part for _, part in sorted(positions)]
    if t == "grid":
        columns = [c.id for c in q.columns]
        if q.rows_from:
            rows = {}
            for row_id in parts:
                row = _row(data, q.id, row_id, columns)
                if row:
                    rows[row_id] = row
            return rows
        grid = []
        for i in range(min(q.max_rows or MAX_GRID_ROWS, MAX_GRID_ROWS)):
            row = _row(data, q.id, i, columns)
            if row:
                grid.append(row)
        return grid
    raise ValueError(f"unknown question type {t!r}")


def answers_from_form(edition: Edition, data: Any) -> dict[str, Any]:
    """Every question's answer as posted; empty answers are left out."""
    answers = {}
    for q in edition.questions:
        value = _parse_question(q, edition, data)
        if not is_empty(value):
            answers[q.id] = value
    return answers


def form_values(edition: Edition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Flat field name → value for re-displaying answers in the form (hidden ones too)."""
    values: dict[str, Any] = {}
    for q in edition.questions:
        value = answers.get(q.id)
        if value is None:
            continue
        if q.type == "multi":
            values[q.id] = list(value) if isinstance(value, list) else []
        elif q.type == "partial_date":
            values[q.id] = format_partial_date(value)
        elif q.type in ("single", "yesno", "text", "int"):
            values[q.id] = str(value)
        elif q.type == "part_lengths" and isinstance(value, dict):
            for part, length in value.items():
                if q.range and isinstance(length, dict):
                    values[field_name(q.id, part, "min")] = str(length.get("min", ""))
                    values[field_name(q.id, part, "max")] = str(length.get("max", ""))
                else:
                    values[field_name(q.id, part)] = str(length)
        elif q.type == "order" and isinstance(value, list):
            for position, part in enumerate(value, start=1):
                values[field_name(q.id, part)] = str(position)
        elif q.type == "grid" and q.rows_from and isinstance(value, dict):
            for row_id, row in value.items():
                for col, cell in (row or {}).items():
                    values[field_name(q.id, row_id, col)] = cell
        elif q.type == "grid" and isinstance(value, list):
            for i, row in enumerate(value):
                for col, cell in (row or {}).items() if isinstance(row, dict) else ():
                    values[field_name(q.id, i, col)] = cell
    return values
