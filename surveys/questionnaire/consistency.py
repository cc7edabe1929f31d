"""Soft consistency checks: warnings a reviewer sees, never a reason to refuse a response.

Real offices answer inconsistently (Moldova answered q5a and q6a "No" without ticking
those parts in q2a, which agrees; others tick a part and then deny using it). These
checks point such answers out for review; they never block a save or a submit.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from surveys.questionnaire.edition import Edition
from surveys.questionnaire.evaluation import Evaluation, Issue, chosen

# A part ticked in q2a ⇔ the gate of the section that describes that part answered "yes".
PART_GATES = (
    ("type", "q5a", gettext_lazy("the code for the type of IPR")),
    ("year", "q6a", gettext_lazy("the year designation")),
    ("serial", "q7a", gettext_lazy("the serial number")),
    ("internal", "q8a", gettext_lazy("a code for internal use")),
    ("control", "q9a", gettext_lazy("a control number")),
)

SEPARATOR_CHARACTERS = {"slash": "/", "hyphen": "-", "space": " ", "dot": ".", "comma": ","}


def _applies(edition: Edition) -> bool:
    return edition.slug.startswith("application-numbering")


def strip_presentation(example: str, separators: set[str], office_code: str | None = None) -> str:
    """An example number without its ST.3 prefix and separators, as ST.13 (g) asks for machines."""
    text = example.strip()
    if office_code and text.upper().startswith(office_code.upper()) and len(text) > 2 and not text[2].isalpha():
        text = text[2:]
    elif re.match(r"^[A-Z]{2} ", text):
        # ST.13 presents a number as "ST.3 code, space, number"; the code is not part of it.
        text = text[3:]
    for ch in separators | {" "}:
        text = text.replace(ch, "")
    return text


def consistency_warnings(edition: Edition, evaluation: Evaluation, office_code: str | None = None) -> list[Issue]:
    if not _applies(edition):
        return []
    a = evaluation.answers
    warnings: list[Issue] = []
    parts = chosen(a, "q2a")
    if "q2a" in a:
        for part, gate, words in PART_GATES:
            if gate not in a:
                continue
            ticked, said_yes = part in parts, a[gate] == "yes"
            if ticked and not said_yes:
                warnings.append(
                    Issue(
                        gate,
                        "part_not_confirmed",
                        _("q2a lists %(part)s as a part, but %(gate)s answers “No”.") % {"part": words, "gate": gate},
                    )
                )
            elif said_yes and not ticked:
                warnings.append(
                    Issue(
                        gate,
                        "part_not_listed",
                        _("%(gate)s answers “Yes”, but q2a does not list %(part)s as a part.")
                        % {"part": words, "gate": gate},
                    )
                )

    if a.get("q5c") == "yes" and isinstance(a.get("q5b"), dict):
        bad = [
            row_id
            for row_id, row in a["q5b"].items()
            if not re.fullmatch(r"\d{2}", str((row or {}).get("code", "")).strip())
        ]
        if bad:
            warnings.append(
                Issue(
                    "q5b",
                    "type_code_not_two_digits",
                    _("q5c says the codes are those of ST.13, but the code for %(types)s is not two digits.")
                    % {"types": ", ".join(bad)},
                )
            )

    lengths = a.get("q4b")
    examples = a.get("q14a")
    if isinstance(lengths, dict) and isinstance(examples, list) and all(isinstance(v, int) for v in lengths.values()):
        expected = sum(lengths.values())
        separators = {SEPARATOR_CHARACTERS[c] for c in chosen(a, "q11b") if c in SEPARATOR_CHARACTERS}
        if isinstance(a.get("q11b_other"), str):
            separators |= set(a["q11b_other"].strip())
        for i, row in enumerate(examples, start=1):
            example = (row or {}).get("example") if isinstance(row, dict) else None
            if not isinstance(example, str) or not example.strip():
                continue
            bare = strip_presentation(example, separators, office_code)
            if len(bare) != expected:
                warnings.append(
                    Issue(
                        "q14a",
                        "example_length",
                        ngettext(
                            "Example %(row)s “%(example)s” has %(length)s character without separators; "
                            "q4b adds up to %(expected)s.",
                            "Example %(row)s “%(example)s” has %(length)s characters without separators; "
                            "q4b adds up to %(expected)s.",
                            len(bare),
                        )
                        % {"row": i, "example": example.strip(), "length": len(bare), "expected": expected},
                    )
                )
    return warnings
