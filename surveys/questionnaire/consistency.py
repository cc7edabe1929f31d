"""Soft consistency checks: warnings a reviewer sees, never a reason to refuse a response.

Real offices answer inconsistently (Moldova answered q5a and q6a "No" without ticking
those parts in q2a, which agrees; others tick a part and then deny using it). These
checks point such answers out for review; they never block a save or a submit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from standards.messages import gettext_noop, ngettext_noop
from standards.structure import (
    SEPARATOR_CHARACTERS,
    NumberingStructure,
    question_of,
    separators_from_answers,
    structure_from_answers,
)
from surveys.questionnaire.edition import Edition
from surveys.questionnaire.evaluation import Evaluation, Issue
from surveys.questionnaire.revisions import in_revised_terms

# A part ticked in q2a ⇔ the gate of the section that describes that part answered "yes":
# (part, the structure's field for the gate, how the part is named). The warnings are
# sentences that remember their template (standards.messages): an Issue gives them in the
# language active where it is read, the words for the part included.
PART_GATES = (
    ("type", "has_type_code", gettext_noop("the code for the type of IPR")),
    ("year", "has_year", gettext_noop("the year designation")),
    ("serial", "has_serial", gettext_noop("the serial number")),
    ("internal", "has_internal_code", gettext_noop("a code for internal use")),
    ("control", "has_control", gettext_noop("a control number")),
)


# The structure's fields the checks below read (nothing else of it is derived).
FIELDS_READ = frozenset(
    {
        "parts",
        *(field for _part, field, _words in PART_GATES),
        "type_codes",
        "type_codes_st13",
        "lengths",
        "examples",
        "separators",
    }
)
_TWO_DIGITS = re.compile(r"\d{2}")


def _applies(edition: Edition) -> bool:
    return edition.slug.startswith("application-numbering")


def strip_presentation(example: str, separators: set[str], office_code: str | None = None) -> str:
    """An example number without its ST.3 prefix and separators, as ST.13 (g) asks for machines."""
    text = example.strip()
    if office_code and text.upper().startswith(office_code.upper()) and len(text) > 2 and not text[2].isalpha():
        text = text[2:]
    elif len(text) > 2 and text[2] == " " and "A" <= text[0] <= "Z" and "A" <= text[1] <= "Z":
        # ST.13 presents a number as "ST.3 code, space, number" (two capital letters
        # A-Z and a space); the code is not part of it.
        text = text[3:]
    text = text.replace(" ", "")
    for ch in separators:
        text = text.replace(ch, "")
    return text


def consistency_warnings(edition: Edition, evaluation: Evaluation, office_code: str | None = None) -> list[Issue]:
    """What the answers say twice and differently, read through the numbering structure
    they describe (standards.structure), which knows which question says what.

    The checks run on every evaluation of a response, so they are read in one pass over
    the few answers they depend on (``_read_warnings``), each check first looking up
    the answer that gates it; they give what ``structure_warnings`` finds in the derived
    structure. Whether an edition is checked at all is decided once per edition."""
    checked = edition.__dict__.get("_consistency_checked")
    if checked is None:
        checked = edition.__dict__["_consistency_checked"] = _applies(edition)
    if not checked:
        return []
    # The structure knows the revised edition's IDs: a revising edition's answers are read through its mapping.
    return _read_warnings(in_revised_terms(edition, evaluation.answers), office_code)


def structure_warnings(s: NumberingStructure, office_code: str | None = None) -> list[Issue]:
    """The warnings of a derived structure, check by check: the definition the one-pass
    reading follows (the tests hold one to the other)."""
    return [*_gates_and_parts(s), *_type_codes(s), *_example_lengths(s, office_code)]


# The gates as the one pass reads them: (part, the gate's question ID, how the part is
# named).
_GATE_QUESTIONS = tuple((part, question_of(field), words) for part, field, words in PART_GATES)
_TYPE_CODE_FIELDS = frozenset({"type_codes", "type_codes_st13"})
_EXAMPLES_QUESTION = question_of("examples")


def _read_warnings(answers: Mapping[str, Any], office_code: str | None) -> list[Issue]:
    """``structure_warnings(structure_from_answers(answers), office_code)``, read from
    the answers directly."""
    get = answers.get
    warnings: list[Issue] = []
    parts = get("q2a")
    if isinstance(parts, list):
        _read_gates(get, parts, warnings)
    if get("q5c") == "yes":
        # Rare (the office says its type codes are ST.13's): read through the structure.
        warnings.extend(_type_codes(structure_from_answers(answers, _TYPE_CODE_FIELDS)))
    lengths = get("q4b")
    if isinstance(lengths, dict):
        examples = get("q14a")
        if isinstance(examples, list) and examples:
            _read_example_lengths(answers, lengths, examples, office_code, warnings)
    return warnings


def _read_gates(get, parts: list[Any], warnings: list[Issue]) -> None:
    """``_gates_and_parts``: a part ticked in q2a (``parts``) and its gate's answer."""
    found = []
    for part, gate, words in _GATE_QUESTIONS:
        said = get(gate)
        if said == "yes":
            if part not in parts:
                found.append((gate, "part_not_listed", words))
        elif said == "no" and part in parts:
            found.append((gate, "part_not_confirmed", words))
    if not found:
        return
    for p in parts:
        if not isinstance(p, str):
            return  # q2a is not a list of codes: the structure has no parts
    for gate, code, words in found:
        if code == "part_not_confirmed":
            message = gettext_noop("q2a lists %(part)s as a part, but %(gate)s answers “No”.", part=words, gate=gate)
        else:
            message = gettext_noop(
                "%(gate)s answers “Yes”, but q2a does not list %(part)s as a part.", part=words, gate=gate
            )
        warnings.append(Issue(gate, code, message))


def _read_example_lengths(
    answers: Mapping[str, Any],
    lengths: dict[Any, Any],
    examples: list[Any],
    office_code: str | None,
    warnings: list[Issue],
) -> None:
    """``_example_lengths``: each example (q14a) without presentation against the sum of
    the lengths (q4b, when every one is a whole number)."""
    expected = 0
    for v in lengths.values():
        if v.__class__ is not int and (not isinstance(v, int) or isinstance(v, bool)):
            return
        expected += v
    separators = None
    row_number = 0
    for row in examples:
        if row.__class__ is not dict and not isinstance(row, Mapping):
            continue
        row_number += 1
        number = str(row.get("example") or "").strip()
        if not number:
            continue
        if separators is None:
            separators = _separators_besides_space(answers)
        length = _bare_length(number, separators, office_code)
        if length != expected:
            warnings.append(_example_length_issue(row_number, number, length, expected))


def _separators_besides_space(answers: Mapping[str, Any]) -> tuple[str, ...]:
    """The structure's separators (none unless q11a says "yes"), the space left out."""
    if answers.get("q11a") != "yes":
        return ()
    codes = answers.get("q11b")
    if codes.__class__ is list and len(codes) == 1:
        # One separator of the list (the usual answer), read as standards.structure does.
        found = _ONE_SEPARATOR.get(codes[0]) if codes[0].__class__ is str else None
        if found is not None:
            return found
    return tuple(ch for ch in separators_from_answers(answers) or () if ch != " ")


# A single q11b code of the list → the separators besides the space it stands for.
_ONE_SEPARATOR = {code: tuple(ch for ch in (char,) if ch != " ") for code, char in SEPARATOR_CHARACTERS.items()}


def _bare_length(number: str, separators: tuple[str, ...], office_code: str | None) -> int:
    """``len(strip_presentation(number, set(separators), office_code))`` for a number
    already stripped of surrounding white space, counted without building the bare
    number (each separator is one character, counted once)."""
    text = number
    if office_code and text.upper().startswith(office_code.upper()) and len(text) > 2 and not text[2].isalpha():
        text = text[2:]
    elif len(text) > 2 and text[2] == " " and "A" <= text[0] <= "Z" and "A" <= text[1] <= "Z":
        text = text[3:]
    length = len(text) - text.count(" ")
    for ch in separators:
        length -= text.count(ch)
    return length


def _example_length_issue(row: int, number: str, length: int, expected: int) -> Issue:
    message = ngettext_noop(
        "Example %(row)s “%(example)s” has %(length)s character without separators; q4b adds up to %(expected)s.",
        "Example %(row)s “%(example)s” has %(length)s characters without separators; q4b adds up to %(expected)s.",
        length,
        row=row,
        example=number,
        length=length,
        expected=expected,
    )
    return Issue(_EXAMPLES_QUESTION, "example_length", message)


def _gates_and_parts(s: NumberingStructure) -> list[Issue]:
    if s.parts is None:
        return []
    warnings = []
    for part, field, words in PART_GATES:
        said_yes = getattr(s, field)
        if said_yes is None:
            continue
        ticked = part in s.parts
        if ticked == said_yes:
            continue
        gate = s.cite(field)[0]
        if ticked:
            message = gettext_noop("q2a lists %(part)s as a part, but %(gate)s answers “No”.", part=words, gate=gate)
            warnings.append(Issue(gate, "part_not_confirmed", message))
        else:
            message = gettext_noop(
                "%(gate)s answers “Yes”, but q2a does not list %(part)s as a part.", part=words, gate=gate
            )
            warnings.append(Issue(gate, "part_not_listed", message))
    return warnings


def _type_codes(s: NumberingStructure) -> list[Issue]:
    if s.type_codes_st13 != "yes" or s.type_codes is None:
        return []
    bad = [ipr for ipr, code in s.type_codes.items() if not _TWO_DIGITS.fullmatch(code)]
    if not bad:
        return []
    message = gettext_noop(
        "q5c says the codes are those of ST.13, but the code for %(types)s is not two digits.", types=", ".join(bad)
    )
    return [Issue(s.cite("type_codes")[0], "type_code_not_two_digits", message)]


def _example_lengths(s: NumberingStructure, office_code: str | None) -> list[Issue]:
    if s.lengths is None or s.examples is None:
        return []
    expected = sum(s.lengths.values())
    separators = set(s.separators or ())
    warnings = []
    for i, example in enumerate(s.examples, start=1):
        if not example.number:
            continue
        bare = strip_presentation(example.number, separators, office_code)
        if len(bare) != expected:
            warnings.append(_example_length_issue(i, example.number, len(bare), expected))
    return warnings
