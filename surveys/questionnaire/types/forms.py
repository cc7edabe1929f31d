"""Reading posted form fields, and the pieces of the form the types share.

Fields are named after the question (``q1a``) or, for composite answers, after the
question and the part, row or column (``q4b.serial``, ``q14a.0.example``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


def field_name(*parts: Any) -> str:
    return ".".join(str(p) for p in parts)


def posted(data: Mapping[str, Any], key: str) -> str:
    """The posted text of one field ("" when absent or not text)."""
    value = data.get(key, "")
    return value if isinstance(value, str) else ""


def posted_list(data: Any, key: str) -> list[str]:
    """Every posted text of a field that may repeat (ticked boxes)."""
    if hasattr(data, "getlist"):
        return [v for v in data.getlist(key) if isinstance(v, str)]
    value = data.get(key)
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return [value] if isinstance(value, str) else []


def int_or_raw(raw: str) -> int | str:
    """A whole number when the text is one; the text otherwise (a draft keeps what was typed)."""
    text = raw.strip()
    try:
        return int(text)
    except ValueError:
        return text


@dataclass
class FieldRow:
    """One input row of a composite question (a part, a grid row)."""

    key: str
    label: str
    cells: list[dict[str, Any]]
    visible: bool = True


def form_cell(name: str, label: str, values: Mapping[str, Any]) -> dict[str, Any]:
    return {"name": name, "label": label, "value": values.get(name, "")}
