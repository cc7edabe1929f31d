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

from collections.abc import Callable, Mapping, Sequence, Set
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
class Example:
    """One row of the office's examples (q14a): whose number, the number as the office
    writes it, and its presentation as a priority application number."""

    office_name: str
    number: str
    priority: str


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


_YES_NO = {"yes": True, "no": False}


def _yes(value: Any) -> bool | None:
    return _YES_NO.get(value) if isinstance(value, str) else None


def _codes(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list):
        return None
    for v in value:
        if not isinstance(v, str):
            return None
    return tuple(value)


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
    # How the office presents the system (question 14): the examples, since when it is
    # used, its explanation of each component and its comments; q1a_other's words.
    ipr_other: str | None = None  # q1a_other
    examples: tuple[Example, ...] | None = None  # q14a
    in_use_since: str | None = None  # q14b, as stored (a year or dd/mm/yyyy)
    components: dict[str, str] | None = None  # q14c: component → the office's explanation
    comments: str | None = None  # q14d
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


def structure_from_answers(answers: Mapping[str, Any], fields: Set[str] | None = None) -> NumberingStructure:
    """The structure the answers describe. Answers are keyed by question ID and hold the
    stored (applicable) values; anything missing or malformed becomes ``None``.

    ``fields`` (names of the structure's fields) reads only those, the others staying
    ``None``: for a reader that needs a few of them, on every evaluation of a response
    (the consistency checks). Each answer is read once through tables, and the structure
    is built without the dataclass's field-by-field constructor (``_built``)."""
    a = answers
    values: dict[str, Any] = {}
    sources: dict[str, tuple[str, ...]] = {}
    get = a.get
    simple, choices, composed = _tables(fields)
    for name, qid, read in simple:
        value = read(get(qid))
        if value is not None:
            values[name] = value
            sources[name] = (qid,)
    for name, qid, mapping in choices:
        raw = get(qid)
        if isinstance(raw, str):
            value = raw if mapping is None else mapping.get(raw)
            if value is not None:
                values[name] = value
                sources[name] = (qid,)
    for name, read in composed:
        found = read(a)
        if found is not None:
            values[name], sources[name] = found
    return _built(values, sources)


_Tables = tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]
_SELECTIONS: dict[frozenset[str], _Tables] = {}


def _tables(fields: Set[str] | None) -> _Tables:
    """The reading tables, or the rows of those that give the named fields (kept per
    selection)."""
    if fields is None:
        return _SIMPLE_FIELDS, _CHOICE_FIELDS, _COMPOSED_FIELDS
    key = frozenset(fields)
    found = _SELECTIONS.get(key)
    if found is None:
        unknown = key - _DEFAULTS.keys()
        if unknown:
            raise ValueError(f"no such fields in a numbering structure: {sorted(unknown)}")
        found = _SELECTIONS[key] = (
            tuple(row for row in _SIMPLE_FIELDS if row[0] in key),
            tuple(row for row in _CHOICE_FIELDS if row[0] in key),
            tuple(row for row in _COMPOSED_FIELDS if row[0] in key),
        )
    return found


def _built(values: dict[str, Any], sources: dict[str, tuple[str, ...]]) -> NumberingStructure:
    """The structure with these fields (the others at their defaults): what
    ``NumberingStructure(**values, sources=sources)`` makes, without setting each
    field through the frozen dataclass's ``__setattr__`` guard."""
    structure = object.__new__(NumberingStructure)
    fields = structure.__dict__
    fields.update(_DEFAULTS)
    fields.update(values)
    fields["sources"] = sources
    return structure


_DEFAULTS = {f.name: f.default for f in NumberingStructure.__dataclass_fields__.values() if f.name != "sources"}


# Yes/no questions read as booleans: (field, question ID).
_YES_NO_FIELDS = (
    ("has_type_code", "q5a"),
    ("has_year", "q6a"),
    ("has_serial", "q7a"),
    ("sequential", "q7c"),
    ("gaps", "q7d"),
    ("leading_zeros_omitted", "q7e"),
    ("annual_restart", "q7f"),
    ("has_internal_code", "q8a"),
    ("has_control", "q9a"),
    ("has_other_information", "q10a"),
    ("separators_in_machine_form", "q11c"),
    ("priority_same_format", "q12a"),
    ("declared_conformant", "q13a"),
)


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _examples(value: Any) -> tuple[Example, ...] | None:
    """q14a: the rows of examples."""
    if not isinstance(value, list):
        return None
    examples = []
    for row in value:
        if row.__class__ is dict or isinstance(row, Mapping):
            example = object.__new__(Example)  # as Example(...) makes it, without the frozen guard
            example.__dict__.update(
                office_name=str(row.get("office_name") or "").strip(),
                number=str(row.get("example") or "").strip(),
                priority=str(row.get("priority_presentation") or "").strip(),
            )
            examples.append(example)
    return tuple(examples)


def _components(value: Any) -> dict[str, str] | None:
    """q14c: one row of the office's explanations, column → text."""
    row = next((r for r in value if isinstance(r, Mapping)), None) if isinstance(value, list) else None
    return {k: str(v).strip() for k, v in row.items() if v not in (None, "")} if row is not None else None


def _calendar_named(a: Mapping[str, Any]) -> str | None:
    """q6c_other: the other calendar in the office's words."""
    named = a.get("q6c_other") if a.get("q6c") == "other" else None
    return named.strip() or None if isinstance(named, str) else None


def _lengths(value: Any) -> dict[str, int] | None:
    """q4b: part → number of characters, when every one is a whole number."""
    if not isinstance(value, dict):
        return None
    lengths = {}
    for k, v in value.items():
        if not isinstance(v, int) or isinstance(v, bool):  # not a whole number (_int)
            return None
        lengths[k] = v
    return lengths


def _length_ranges(value: Any) -> dict[str, tuple[int, int]] | None:
    """q4c: part → (minimum, maximum), when every one has both."""
    if not isinstance(value, dict):
        return None
    ranges = {}
    for k, v in value.items():
        lo, hi = (_int(v.get("min")), _int(v.get("max"))) if isinstance(v, dict) else (None, None)
        if lo is None or hi is None:
            return None
        ranges[k] = (lo, hi)
    return ranges


def _type_codes(value: Any) -> dict[str, str] | None:
    """q5b: IPR type → the code written for it."""
    if not isinstance(value, dict):
        return None
    return {k: str(v.get("code", "")).strip() for k, v in value.items() if isinstance(v, dict)}


def _internal_codes(value: Any) -> tuple[tuple[str, str], ...] | None:
    """q8b: (code, meaning) rows."""
    if not isinstance(value, list):
        return None
    return tuple(
        (str(r.get("code", "")).strip(), str(r.get("meaning", "")).strip()) for r in value if isinstance(r, dict)
    )


def _separators(chosen: Any, other: Any) -> tuple[str, ...] | None:
    """q11b (and q11b_other): the separator characters, in order, without repeats."""
    codes = _codes(chosen)
    if codes is None:
        return None
    chars = [SEPARATOR_CHARACTERS[c] for c in codes if c in SEPARATOR_CHARACTERS]
    if "other" in codes and isinstance(other, str):
        chars.extend(ch for ch in other if not ch.isalnum() and not ch.isspace())
    return tuple(dict.fromkeys(chars))


# Fields read from one answer each: (field, question ID, how the answer reads), in
# the order of the questionnaire.
_SIMPLE_FIELDS: tuple[tuple[str, str, Callable[[Any], Any]], ...] = (
    ("ipr_types", "q1a", _codes),
    ("parts", "q2a", _codes),
    ("lengths", "q4b", _lengths),
    ("length_ranges", "q4c", _length_ranges),
    *((name, qid, _yes) for name, qid in _YES_NO_FIELDS),
    ("type_codes", "q5b", _type_codes),
    ("internal_codes", "q8b", _internal_codes),
    ("ipr_other", "q1a_other", _text),
    ("examples", "q14a", _examples),
    ("in_use_since", "q14b", _text),
    ("components", "q14c", _components),
    ("comments", "q14d", _text),
)

# Fields read from one choice (a string): (field, question ID, code → value, or None
# for the code itself).
_CHOICE_FIELDS: tuple[tuple[str, str, Mapping[str, Any] | None], ...] = (
    ("fixed_length", "q4a", {"fixed": True, "variable": False}),
    ("type_codes_st13", "q5c", None),
    ("year_digits", "q6b", {"2": 2, "4": 4}),
    ("calendar", "q6c", None),
    ("serial_fixed", "q7b", {"fixed": True, "variable": False}),
    ("internal_position", "q8c", None),
    ("control_position", "q9b", None),
    ("check_digit", "q9c", None),
)


def _order(a: Mapping[str, Any]) -> tuple[Any, tuple[str, ...]] | None:
    """q3a/q3b: the parts from left to right, and the questions that say so."""
    said = a.get("q3a")
    if said == "st13":
        # "[type][year][serial]" as ST.13 recommends; optional parts live inside the serial.
        parts = _codes(a.get("q2a"))
        return None if parts is None else (tuple(p for p in ST13_ORDER if p in parts), ("q3a",))
    if said == "other":
        codes = _codes(a.get("q3b"))
        return None if codes is None else (codes, ("q3a", "q3b"))
    return None


def _calendar_other(a: Mapping[str, Any]) -> tuple[Any, tuple[str, ...]] | None:
    named = _calendar_named(a)
    return None if named is None else (named, ("q6c_other",))


def _separators_used(a: Mapping[str, Any]) -> tuple[Any, tuple[str, ...]] | None:
    """q11a, then q11b: the separator characters; () when the office uses none."""
    uses_separators = _yes(a.get("q11a"))
    if uses_separators is False:
        return (), ("q11a",)
    if uses_separators:
        separators = _separators(a.get("q11b"), a.get("q11b_other"))
        return None if separators is None else (separators, ("q11a", "q11b"))
    return None


# Fields read from several answers: (field, how).
_COMPOSED_FIELDS = (
    ("order", _order),
    ("calendar_other", _calendar_other),
    ("separators", _separators_used),
)


def question_of(name: str) -> str:
    """The question ID a field read from one answer comes from (what ``cite`` gives for
    it), for a reader that looks the answer up itself."""
    for row in (*_SIMPLE_FIELDS, *_CHOICE_FIELDS):
        if row[0] == name:
            return row[1]
    raise ValueError(f"not a field read from one answer: {name}")


def separators_from_answers(answers: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The structure's ``separators`` alone (q11a, then q11b): what
    ``structure_from_answers(answers).separators`` is."""
    found = _separators_used(answers)
    return None if found is None else found[0]


def answers_describing(
    *,
    parts: Sequence[str],
    lengths: Mapping[str, int | tuple[int, int]],
    separators: Sequence[str] = (),
    ipr_types: Sequence[str] = (),
    calendar: str | None = None,
    check_digit: str | None = None,
    check_position: str | None = None,
    type_codes: Mapping[str, str] | None = None,
    type_codes_st13: bool = False,
    other_part: str = "",
    priority_same_format: bool | None = None,
) -> dict[str, Any]:
    """The answers to q1a-q12a a response would store for a structure described part by
    part (from left to right, with their lengths: a number, or (minimum, maximum)):
    the one place that knows which question says what, for the number checker's
    described structures and the built-in profiles. ``separators`` are q11b codes;
    ``calendar`` names another calendar than the Gregorian (q6c_other)."""
    ranges = {p: (v, v) if isinstance(v, int) else (v[0], v[1]) for p, v in lengths.items()}
    fixed = all(lo == hi for lo, hi in ranges.values())
    yes = {True: "yes", False: "no"}
    answers: dict[str, Any] = {
        "q2a": list(parts),
        # An explicit order: "st13" would fold the optional parts into the serial.
        "q3a": "other",
        "q3b": list(parts),
        "q4a": "fixed" if fixed else "variable",
        "q5a": yes[PART_TYPE in parts],
        "q6a": yes[PART_YEAR in parts],
        "q7a": yes[PART_SERIAL in parts],
        "q8a": yes[PART_INTERNAL in parts],
        "q9a": yes[PART_CONTROL in parts],
        "q10a": yes[PART_OTHER in parts],
        "q11a": yes[bool(separators)],
    }
    if fixed:
        answers["q4b"] = {p: lo for p, (lo, _hi) in ranges.items()}
    else:
        answers["q4c"] = {p: {"min": lo, "max": hi} for p, (lo, hi) in ranges.items()}
    optional = {
        "q1a": list(ipr_types) or None,
        "q2a_other": other_part or None,
        "q10b": other_part or None,
        "q5b": {ipr: {"code": code} for ipr, code in type_codes.items()} if type_codes else None,
        "q5c": "yes" if type_codes_st13 else None,
        "q11b": list(separators) or None,
        "q11c": "no" if separators else None,
        "q12a": yes[priority_same_format] if priority_same_format is not None else None,
    }
    answers.update({qid: value for qid, value in optional.items() if value is not None})
    answers.update(_part_follow_ups(parts, ranges, calendar, check_digit, check_position))
    return answers


def _part_follow_ups(
    parts: Sequence[str],
    ranges: Mapping[str, tuple[int, int]],
    calendar: str | None,
    check_digit: str | None,
    check_position: str | None,
) -> dict[str, Any]:
    """The follow-up answers of the year (q6b, q6c), serial (q7b), code for internal use
    (q8c) and check digit (q9b, q9c) described."""
    answers: dict[str, Any] = {}
    if PART_YEAR in parts:
        answers["q6b"] = "4" if ranges[PART_YEAR][0] == 4 else "2"
        answers["q6c"] = "gregorian" if calendar is None else "other"
        if calendar is not None:
            answers["q6c_other"] = calendar
    if PART_SERIAL in parts:
        lo, hi = ranges[PART_SERIAL]
        answers["q7b"] = "fixed" if lo == hi else "variable"
    if PART_INTERNAL in parts:
        answers["q8c"] = "serial_first_two"
    if PART_CONTROL in parts:
        answers["q9b"] = check_position or ""
        if check_digit:
            answers["q9c"] = check_digit
    return answers
