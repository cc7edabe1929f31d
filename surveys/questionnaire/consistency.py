"""Soft consistency checks: warnings a reviewer sees, never a reason to refuse a response.

Real offices answer inconsistently (Moldova answered q5a and q6a "No" without ticking
those parts in q2a, which agrees; others tick a part and then deny using it). These
checks point such answers out for review; they never block a save or a submit.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from standards.structure import NumberingStructure, structure_from_answers
from surveys.questionnaire.edition import Edition
from surveys.questionnaire.evaluation import Evaluation, Issue

# A part ticked in q2a ⇔ the gate of the section that describes that part answered "yes":
# (part, the structure's field for the gate, how the part is named).
PART_GATES = (
    ("type", "has_type_code", gettext_lazy("the code for the type of IPR")),
    ("year", "has_year", gettext_lazy("the year designation")),
    ("serial", "has_serial", gettext_lazy("the serial number")),
    ("internal", "has_internal_code", gettext_lazy("a code for internal use")),
    ("control", "has_control", gettext_lazy("a control number")),
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
_ST3_PREFIX = re.compile(r"^[A-Z]{2} ")


def _applies(edition: Edition) -> bool:
    return edition.slug.startswith("application-numbering")


def strip_presentation(example: str, separators: set[str], office_code: str | None = None) -> str:
    """An example number without its ST.3 prefix and separators, as ST.13 (g) asks for machines."""
    text = example.strip()
    if office_code and text.upper().startswith(office_code.upper()) and len(text) > 2 and not text[2].isalpha():
        text = text[2:]
    elif _ST3_PREFIX.match(text):
        # ST.13 presents a number as "ST.3 code, space, number"; the code is not part of it.
        text = text[3:]
    for ch in separators | {" "}:
        text = text.replace(ch, "")
    return text


def consistency_warnings(edition: Edition, evaluation: Evaluation, office_code: str | None = None) -> list[Issue]:
    """What the answers say twice and differently; read through the numbering structure
    they describe (standards.structure), which knows which question says what."""
    if not _applies(edition):
        return []
    structure = structure_from_answers(evaluation.answers, FIELDS_READ)
    return [
        *_gates_and_parts(structure),
        *_type_codes(structure),
        *_example_lengths(structure, office_code),
    ]


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
            message = _("q2a lists %(part)s as a part, but %(gate)s answers “No”.")
            warnings.append(Issue(gate, "part_not_confirmed", message % {"part": words, "gate": gate}))
        else:
            message = _("%(gate)s answers “Yes”, but q2a does not list %(part)s as a part.")
            warnings.append(Issue(gate, "part_not_listed", message % {"part": words, "gate": gate}))
    return warnings


def _type_codes(s: NumberingStructure) -> list[Issue]:
    if s.type_codes_st13 != "yes" or s.type_codes is None:
        return []
    bad = [ipr for ipr, code in s.type_codes.items() if not _TWO_DIGITS.fullmatch(code)]
    if not bad:
        return []
    message = _("q5c says the codes are those of ST.13, but the code for %(types)s is not two digits.")
    return [Issue(s.cite("type_codes")[0], "type_code_not_two_digits", message % {"types": ", ".join(bad)})]


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
            message = ngettext(
                "Example %(row)s “%(example)s” has %(length)s character without separators; "
                "q4b adds up to %(expected)s.",
                "Example %(row)s “%(example)s” has %(length)s characters without separators; "
                "q4b adds up to %(expected)s.",
                len(bare),
            )
            values = {"row": i, "example": example.number, "length": len(bare), "expected": expected}
            warnings.append(Issue(s.cite("examples")[0], "example_length", message % values))
    return warnings
