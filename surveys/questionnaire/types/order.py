"""``order``: the parts chosen in an earlier question, in the order they stand in the
number (Q3 b: ``["year", "serial"]``). The form asks for a position per part.

When the office gives two parts the same position, the draft keeps the positions as
typed (``{"year": 1, "serial": 1}``) and ``validate`` names the position and the parts:
sorting them into a list would hide the clash."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext

from standards.messages import gettext_noop
from surveys.questionnaire.types.base import Display, Problems, QuickCheck, any_fallback
from surveys.questionnaire.types.cells import codes_of, joined, split_items, stripped
from surveys.questionnaire.types.forms import field_name, form_cell, int_or_raw, posted
from surveys.questionnaire.types.pages import BULLET_RE
from surveys.questionnaire.types.parts import (
    ChoiceLabels,
    PartsType,
    part_label,
    part_of,
    parts_match,
    parts_problems,
    source_codes,
    source_id,
)
from surveys.questionnaire.types.registry import register

if TYPE_CHECKING:
    from collections.abc import Mapping

    from surveys.questionnaire.edition import Edition, Question
    from surveys.questionnaire.types.pages import AnswerReader, Line

POSITION_RE = re.compile(r"^\d+\s*[.)]\s*")
# A position that is not a number sorts after every real one.
LAST = 10**6


def shared_positions(positions: Mapping[str, Any]) -> dict[Any, tuple[str, ...]]:
    """Each position given to more than one part → those parts (in the form's order)."""
    by_position: dict[Any, list[str]] = {}
    for part, position in positions.items():
        if isinstance(position, (int, str)):  # as typed in the form (anything else: not a position)
            by_position.setdefault(position, []).append(part)
    return {position: tuple(parts) for position, parts in by_position.items() if len(parts) > 1}


def in_order(value: Any) -> list[str]:
    """The parts of an answer from left to right, also of positions kept as typed."""
    if isinstance(value, dict):
        ranked = [(p if isinstance(p, int) else LAST, part) for part, p in value.items()]
        return [part for _position, part in sorted(ranked)]
    return list(value) if isinstance(value, list) else []


@register("order")
class Order(PartsType):
    def parse_form(self, q: Question, data: Any, edition: Edition) -> Any:
        typed: dict[str, int | str] = {}
        for part in source_codes(q, edition):
            raw = posted(data, field_name(q.id, part)).strip()
            if raw:
                typed[part] = int_or_raw(raw)
        if shared_positions(typed):
            return typed  # kept as typed: validate names the clash
        return in_order(typed)

    def to_form(self, q: Question, value: Any) -> dict[str, Any]:
        if isinstance(value, dict):
            return {field_name(q.id, part): str(position) for part, position in value.items()}
        if not isinstance(value, list):
            return {}
        return {field_name(q.id, part): str(position) for position, part in enumerate(value, start=1)}

    def form_cells(self, q: Question, code: str, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [form_cell(field_name(q.id, code), gettext("Position"), values)]

    def validate(self, q: Question, value: Any, edition: Edition, answers: Any) -> Problems:
        if isinstance(value, dict) and all(isinstance(part, str) for part in value):
            return [
                (
                    "bad_order",
                    gettext_noop(
                        "Position %(position)s is given to more than one part (%(parts)s): "
                        "give each part its own position.",
                        position=position,
                        parts=ChoiceLabels(edition.by_id[q.parts_from], parts),
                    ),
                )
                for position, parts in shared_positions(value).items()
            ] or [("type", gettext_noop("Give the position of each part."))]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return [("type", gettext_noop("Give the position of each part."))]
        if len(set(value)) != len(value):
            return [("bad_order", gettext_noop("Each part must have its own position."))]
        return parts_problems(q, value, "parts", edition, answers)

    def quick_check(self, q: Question, edition: Edition) -> QuickCheck:
        source = source_id(q)

        def check(value: Any, answers: Any) -> bool:
            # Each chosen part once (strings, parts_match makes sure), and nothing else.
            if value.__class__ is not list:
                return False
            try:
                named = set(value)
            except TypeError:  # an unhashable item
                return False
            return len(named) == len(value) and parts_match(source, named, answers)

        return check

    def display(self, q: Question, value: Any, edition: Edition, language: str, *, framed: bool = True) -> Display:
        labels = [part_label(q, p, edition, language) for p in in_order(value)]
        return Display(lines=[f"{i}. {label}" for i, label in enumerate(labels, 1)], fallback=any_fallback(*labels))

    def read_page(self, q: Question, lines: list[Line], reader: AnswerReader) -> Any:
        parts: list[str] = []
        for line in lines:
            text = POSITION_RE.sub("", BULLET_RE.sub("", line.text))
            items = re.findall(r"\[([^\]]+)\]", text) if "[" in text else [text]
            for item in items:
                part = part_of(reader, q, line, item)
                if part is not None:
                    parts.append(part)
        return parts or None

    def to_cell(self, q: Question, value: Any) -> str | int:
        return joined(in_order(value) if isinstance(value, dict) else value)

    def from_cell(self, q: Question, cell: Any, edition: Edition) -> Any:
        return codes_of(split_items(stripped(cell)), source_codes(q, edition), f"part (from {q.parts_from})")
