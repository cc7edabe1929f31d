"""Spreadsheet cells: what the types share to write an answer as one cell and read it back.

The cell formats of each type are listed in surveys/intake/spreadsheets.py.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

SEPARATOR = "; "
# Starts of text that spreadsheet programs evaluate as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CellError(ValueError):
    """A cell that cannot be read as an answer to its question; the message says why."""


def guard_text(text: str) -> str:
    """Text as written to a cell: never something a spreadsheet would run as a formula."""
    return f"'{text}" if text.startswith((*FORMULA_STARTS, "'")) else text


def unguard_text(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def cell_text(cell: Any) -> str:
    """What a person typed, as text: spreadsheet numbers become their digits."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        raise CellError("a TRUE/FALSE cell; write the code instead.")
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else str(cell)
    if isinstance(cell, datetime | date):
        raise CellError("a date cell where text or a code is expected.")
    raise CellError(f"a cell of an unexpected kind ({type(cell).__name__}).")


def stripped(cell: Any) -> str:
    return cell_text(cell).strip()


def joined(value: Any) -> str:
    """A list as "a; b; c" (anything else as JSON, so that nothing is lost)."""
    return SEPARATOR.join(map(str, value)) if isinstance(value, list) else to_json(value)


def split_items(text: str) -> list[str]:
    return [item.strip() for item in text.split(";") if item.strip()]


def codes_of(items: list[str], allowed: Sequence[str], what: str) -> list[str]:
    """The codes the items name (letter case ignored), each once."""
    by_lower = {code.lower(): code for code in allowed}
    unknown = [item for item in items if item.lower() not in by_lower]
    if unknown:
        raise CellError(f"unknown {what} {', '.join(map(repr, unknown))}; the codes are: {', '.join(allowed)}.")
    codes = [by_lower[item.lower()] for item in items]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise CellError(f"{', '.join(map(repr, repeated))} listed twice.")
    return codes


def whole_number(text: str, what: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise CellError(f"{what}: {text.strip()!r} is not a whole number.") from None


def pairs(text: str, example: str) -> list[tuple[str, str]]:
    """``key=value; key=value`` as (key, value) pairs."""
    found = []
    for item in split_items(text):
        key, sep, rest = item.partition("=")
        if not sep or not key.strip():
            raise CellError(f"{item!r} is not of the form {example}.")
        found.append((key.strip(), rest.strip()))
    return found


def json_cell(text: str, expected: type, example: str) -> Any:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CellError(f"not valid JSON ({exc.msg} at character {exc.pos + 1}); write it like {example}.") from None
    if not isinstance(value, expected):
        raise CellError(f"a JSON {'list' if expected is list else 'object'} is expected, like {example}.")
    return value
