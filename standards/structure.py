"""A numbering system's structure, derived from answers to the application-numbering
questionnaire (question IDs q1a … q13a), in plain Python.

This is the common ground of the ST.13 compliance evaluation (standards.st13) and of
application-number parsing (standards.numbers). It knows the questionnaire's stable
question IDs and choice codes (they are a public interface), but nothing of the
database or of the surveys app.

Every field is ``None`` when the answers do not say (question unanswered or not
applicable); ``sources`` records which answers each field came from, so that reasons
can cite them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# q2a part codes, in the order ST.13 (a) prescribes for the indispensable ones.
PART_TYPE, PART_YEAR, PART_SERIAL, PART_INTERNAL, PART_CONTROL, PART_OTHER = (
    "type",
    "year",
    "serial",
    "internal",
    "control",
    "other",
)
ST13_ORDER = (PART_TYPE, PART_YEAR, PART_SERIAL)
SEPARATOR_CHARACTERS = {"slash": "/", "hyphen": "-", "space": " ", "dot": ".", "comma": ","}
ST13_SEPARATORS = frozenset({"/", "-", " "})


@dataclass(frozen=True)
class TypeCode:
    """One of an office's codes for the type of IPR, with the ST.13 (b) code it stands
    for. The questionnaire gives one code per IPR type (q5b); a built-in profile may
    know more (DPMA 21 for utility models from PCT applications, CNIPA 8 for PCT
    applications in the national phase)."""

    code: str
    ipr: str | None  # the q1a choice it numbers; None for a kind q1a has no choice for
    st13: str | None  # the ST.13 code to write; None when ST.13 leaves it to office use and there is none
    meaning: Any = None  # how sentences name it (a standards.messages.Text)


def _yes(value: Any) -> bool | None:
    return {"yes": True, "no": False}.get(value) if isinstance(value, str) else None


def _codes(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class NumberingStructure:
    ipr_types: tuple[str, ...] | None = None  # q1a choice codes
    parts: tuple[str, ...] | None = None  # q2a part codes
    order: tuple[str, ...] | None = None  # q3a/q3b: parts from left to right
    fixed_length: bool | None = None  # q4a
    lengths: dict[str, int] | None = None  # q4b: part → number of characters
    length_ranges: dict[str, tuple[int, int]] | None = None  # q4c: part → (min, max)
    has_type_code: bool | None = None  # q5a
    type_codes: dict[str, str] | None = None  # q5b: IPR type (q1a code) → code used
    type_codes_st13: str | None = None  # q5c: "yes" | "partly" | "no"
    has_year: bool | None = None  # q6a
    year_digits: int | None = None  # q6b: 2 or 4
    calendar: str | None = None  # q6c: "gregorian" | "other"
    calendar_other: str | None = None  # q6c_other: the calendar named in words
    has_serial: bool | None = None  # q7a
    serial_fixed: bool | None = None  # q7b
    sequential: bool | None = None  # q7c
    gaps: bool | None = None  # q7d
    leading_zeros_omitted: bool | None = None  # q7e
    annual_restart: bool | None = None  # q7f
    has_internal_code: bool | None = None  # q8a
    internal_codes: tuple[tuple[str, str], ...] | None = None  # q8b: (code, meaning)
    internal_position: str | None = None  # q8c: "serial_first_two" | "other"
    has_control: bool | None = None  # q9a
    control_position: str | None = None  # q9b: "serial_last" | "separate" | "other"
    check_digit: str | None = None  # q9c: catalogue code or "other"
    has_other_information: bool | None = None  # q10a
    separators: tuple[str, ...] | None = None  # q11a/q11b: the characters; () when none are used
    separators_in_machine_form: bool | None = None  # q11c
    priority_same_format: bool | None = None  # q12a
    declared_conformant: bool | None = None  # q13a
    # A built-in profile's table of type codes (never derived from answers).
    type_code_table: tuple[TypeCode, ...] | None = None
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    def length_of(self, part: str) -> int | None:
        return (self.lengths or {}).get(part)

    def cite(self, *names: str) -> tuple[str, ...]:
        """The question IDs behind the named fields, for reasons."""
        seen: dict[str, None] = {}
        for name in names:
            for qid in self.sources.get(name, ()):
                seen[qid] = None
        return tuple(seen)


def structure_from_answers(answers: Mapping[str, Any]) -> NumberingStructure:
    """The structure the answers describe. Answers are keyed by question ID and hold the
    stored (applicable) values; anything missing or malformed becomes ``None``."""
    a = answers
    values: dict[str, Any] = {}
    sources: dict[str, tuple[str, ...]] = {}

    def put(name: str, value: Any, *qids: str) -> None:
        if value is not None:
            values[name] = value
            sources[name] = qids

    put("ipr_types", _codes(a.get("q1a")), "q1a")
    parts = _codes(a.get("q2a"))
    put("parts", parts, "q2a")
    if a.get("q3a") == "st13" and parts is not None:
        # "[type][year][serial]" as ST.13 recommends; optional parts live inside the serial.
        put("order", tuple(p for p in ST13_ORDER if p in parts), "q3a")
    elif a.get("q3a") == "other":
        put("order", _codes(a.get("q3b")), "q3a", "q3b")
    put("fixed_length", {"fixed": True, "variable": False}.get(a.get("q4a")), "q4a")
    if isinstance(a.get("q4b"), dict):
        lengths = {k: _int(v) for k, v in a["q4b"].items()}
        if all(v is not None for v in lengths.values()):
            put("lengths", lengths, "q4b")
    if isinstance(a.get("q4c"), dict):
        ranges = {}
        for k, v in a["q4c"].items():
            lo, hi = (_int(v.get("min")), _int(v.get("max"))) if isinstance(v, dict) else (None, None)
            if lo is None or hi is None:
                ranges = None
                break
            ranges[k] = (lo, hi)
        put("length_ranges", ranges, "q4c")
    put("has_type_code", _yes(a.get("q5a")), "q5a")
    if isinstance(a.get("q5b"), dict):
        codes = {k: str(v.get("code", "")).strip() for k, v in a["q5b"].items() if isinstance(v, dict)}
        put("type_codes", codes, "q5b")
    put("type_codes_st13", a.get("q5c") if isinstance(a.get("q5c"), str) else None, "q5c")
    put("has_year", _yes(a.get("q6a")), "q6a")
    put("year_digits", {"2": 2, "4": 4}.get(a.get("q6b")), "q6b")
    put("calendar", a.get("q6c") if isinstance(a.get("q6c"), str) else None, "q6c")
    if a.get("q6c") == "other" and isinstance(a.get("q6c_other"), str) and a["q6c_other"].strip():
        put("calendar_other", a["q6c_other"].strip(), "q6c_other")
    put("has_serial", _yes(a.get("q7a")), "q7a")
    put("serial_fixed", {"fixed": True, "variable": False}.get(a.get("q7b")), "q7b")
    put("sequential", _yes(a.get("q7c")), "q7c")
    put("gaps", _yes(a.get("q7d")), "q7d")
    put("leading_zeros_omitted", _yes(a.get("q7e")), "q7e")
    put("annual_restart", _yes(a.get("q7f")), "q7f")
    put("has_internal_code", _yes(a.get("q8a")), "q8a")
    if isinstance(a.get("q8b"), list):
        rows = tuple(
            (str(r.get("code", "")).strip(), str(r.get("meaning", "")).strip()) for r in a["q8b"] if isinstance(r, dict)
        )
        put("internal_codes", rows, "q8b")
    put("internal_position", a.get("q8c") if isinstance(a.get("q8c"), str) else None, "q8c")
    put("has_control", _yes(a.get("q9a")), "q9a")
    put("control_position", a.get("q9b") if isinstance(a.get("q9b"), str) else None, "q9b")
    put("check_digit", a.get("q9c") if isinstance(a.get("q9c"), str) else None, "q9c")
    put("has_other_information", _yes(a.get("q10a")), "q10a")
    uses_separators = _yes(a.get("q11a"))
    if uses_separators is False:
        put("separators", (), "q11a")
    elif uses_separators:
        chosen = _codes(a.get("q11b"))
        if chosen is not None:
            chars = [SEPARATOR_CHARACTERS[c] for c in chosen if c in SEPARATOR_CHARACTERS]
            if "other" in chosen and isinstance(a.get("q11b_other"), str):
                chars.extend(ch for ch in a["q11b_other"] if not ch.isalnum() and not ch.isspace())
            put("separators", tuple(dict.fromkeys(chars)), "q11a", "q11b")
    put("separators_in_machine_form", _yes(a.get("q11c")), "q11c")
    put("priority_same_format", _yes(a.get("q12a")), "q12a")
    put("declared_conformant", _yes(a.get("q13a")), "q13a")
    return NumberingStructure(**values, sources=sources)
