"""``part_lengths``: a number of characters for each part chosen in an earlier question
(Q4 b: ``{"serial": 6}``), or a minimum and a maximum with ``range`` (Q4 c:
``{"serial": {"min": 4, "max": 6}}``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext, ngettext

from standards.messages import gettext_noop
from surveys.questionnaire.types.base import Display, Problems, QuickCheck, any_fallback, is_whole_number
from surveys.questionnaire.types.cells import SEPARATOR, codes_of, pairs, stripped, to_json, whole_number
from surveys.questionnaire.types.forms import field_name, form_cell, int_or_raw, posted
from surveys.questionnaire.types.pages import BULLET_RE
from surveys.questionnaire.types.parts import (
    PartsType,
    part_label,
    part_of,
    parts_agree,
    parts_problems,
    source_codes,
    source_id,
)
from surveys.questionnaire.types.registry import register

if TYPE_CHECKING:
    from collections.abc import Mapping

    from surveys.questionnaire.edition import Edition, Question
    from surveys.questionnaire.types.pages import AnswerReader, Line

LENGTH_RE = re.compile(
    r"^(?P<label>.+?)\s*:?\s*(?P<lo>\d+)(?:\s*[–—-]\s*(?P<hi>\d+))?\s*(?:characters?|digits?|chars?)?\.?$",
    re.IGNORECASE,
)


def _is_range(length: Any) -> bool:
    return (
        isinstance(length, dict)
        and is_whole_number(length.get("min"))
        and is_whole_number(length.get("max"))
        and 1 <= length["min"] <= length["max"]
    )


def _length_problem(q: Question, part: str, length: Any) -> tuple[str, str] | None:
    if q.range:
        if _is_range(length):
            return None
        return (
            "bad_range",
            gettext_noop("%(part)s: minimum and maximum must be whole numbers, 1 ≤ minimum ≤ maximum.", part=part),
        )
    if is_whole_number(length) and length >= 1:
        return None
    return (
        "bad_length",
        gettext_noop("%(part)s: the number of characters must be a whole number of at least 1.", part=part),
    )


def _lengths_ok(value: dict[Any, Any]) -> bool:
    """The quick test of numbers of characters: whole numbers of at least 1."""
    for length in value.values():  # noqa: SIM110 (a loop, not a generator per call: this runs per evaluation)
        if length.__class__ is not int or length < 1:
            return False
    return True


def _ranges_ok(value: dict[Any, Any]) -> bool:
    """The quick test of ranges: a minimum and a maximum, whole numbers, 1 ≤ minimum ≤ maximum."""
    for length in value.values():
        if length.__class__ is not dict:
            return False
        lo, hi = length.get("min"), length.get("max")
        if lo.__class__ is not int or hi.__class__ is not int or not 1 <= lo <= hi:
            return False
    return True


def _length_line(label: str, length: Any) -> str:
    if isinstance(length, dict):
        lo, hi = length.get("min"), length.get("max")
        span = f"{lo}" if lo == hi else f"{lo}–{hi}"
        return gettext("%(part)s: %(span)s characters") % {"part": label, "span": span}
    return ngettext("%(part)s: %(n)s character", "%(part)s: %(n)s characters", length) % {"part": label, "n": length}


def _length_text(length: Any) -> str:
    if isinstance(length, dict):
        low, high = length.get("min"), length.get("max")
        return f"{low}" if low == high else f"{low}-{high}"
    return str(length)


@register("part_lengths")
class PartLengths(PartsType):
    def parse_form(self, q: Question, data: Any, edition: Edition) -> Any:
        result: dict[str, Any] = {}
        for part in source_codes(q, edition):
            if q.range:
                lo = posted(data, field_name(q.id, part, "min")).strip()
                hi = posted(data, field_name(q.id, part, "max")).strip()
                if lo or hi:
                    result[part] = {"min": int_or_raw(lo), "max": int_or_raw(hi)}
            else:
                raw = posted(data, field_name(q.id, part)).strip()
                if raw:
                    result[part] = int_or_raw(raw)
        return result

    def to_form(self, q: Question, value: Any) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for part, length in value.items() if isinstance(value, dict) else ():
            if q.range and isinstance(length, dict):
                values[field_name(q.id, part, "min")] = str(length.get("min", ""))
                values[field_name(q.id, part, "max")] = str(length.get("max", ""))
            else:
                values[field_name(q.id, part)] = str(length)
        return values

    def form_cells(self, q: Question, code: str, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        if q.range:
            return [
                form_cell(field_name(q.id, code, "min"), gettext("Minimum"), values),
                form_cell(field_name(q.id, code, "max"), gettext("Maximum"), values),
            ]
        return [form_cell(field_name(q.id, code), gettext("Characters"), values)]

    def validate(self, q: Question, value: Any, edition: Edition, answers: Any) -> Problems:
        if not isinstance(value, dict):
            return [("type", gettext_noop("Give a number of characters for each part."))]
        problems = parts_problems(q, list(value), "parts", edition, answers)
        for part, length in value.items():
            problem = _length_problem(q, part, length)
            if problem:
                problems.append(problem)
        return problems

    def quick_check(self, q: Question, edition: Edition) -> QuickCheck:
        source = source_id(q)
        ranged = q.range

        lengths_ok = _ranges_ok if ranged else _lengths_ok

        def check(value: Any, answers: Any) -> bool:
            return value.__class__ is dict and parts_agree(source, value, answers) and lengths_ok(value)

        return check

    def display(self, q: Question, value: Any, edition: Edition, language: str, *, framed: bool = True) -> Display:
        labelled = [(part_label(q, part, edition, language), length) for part, length in value.items()]
        lines = [_length_line(label, length) for label, length in labelled]
        return Display(lines=lines, fallback=any_fallback(*(label for label, _length in labelled)))

    def read_page(self, q: Question, lines: list[Line], reader: AnswerReader) -> Any:
        value: dict[str, Any] = {}
        for line in lines:
            m = LENGTH_RE.match(BULLET_RE.sub("", line.text))
            if not m:
                reader.problem(line, f"“{line.text}” does not read as a part and its number of characters")
                continue
            part = part_of(reader, q, line, m["label"])
            if part is None:
                continue
            lo, hi = int(m["lo"]), int(m["hi"] or m["lo"])
            if q.range:
                value[part] = {"min": lo, "max": hi}
            elif lo != hi:
                reader.problem(line, f"a range ({lo}–{hi}) where a fixed number of characters is expected")
            else:
                value[part] = lo
        return value or None

    def to_cell(self, q: Question, value: Any) -> str | int:
        if not isinstance(value, dict):
            return to_json(value)
        return SEPARATOR.join(f"{part}={_length_text(length)}" for part, length in value.items())

    def from_cell(self, q: Question, cell: Any, edition: Edition) -> Any:
        example = "part=min-max (e.g. serial=4-6)" if q.range else "part=characters (e.g. serial=6)"
        found = pairs(stripped(cell), example)
        codes = codes_of([key for key, _raw in found], source_codes(q, edition), f"part (from {q.parts_from})")
        return {code: self._length(q, code, raw) for code, (_key, raw) in zip(codes, found, strict=True)}

    @staticmethod
    def _length(q: Question, code: str, raw: str) -> Any:
        if not q.range:
            return whole_number(raw, code)
        low, sep, high = raw.partition("-")
        low_n = whole_number(low, code)
        return {"min": low_n, "max": whole_number(high, code) if sep else low_n}
