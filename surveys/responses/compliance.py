"""ST.13 views of a response: its structure, the rule-by-rule verdicts, its q14a examples
checked as application numbers. The rules themselves live in the standards app."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from standards.numbers import ParsedNumber, parse_number
from standards.st13 import ComplianceReport, evaluate_compliance
from standards.structure import NumberingStructure, structure_from_answers
from surveys.questionnaire.revisions import in_revised_terms


def response_structure(answers: Mapping[str, Any], edition: Any = None) -> NumberingStructure:
    """The numbering structure the answers describe. The structure knows the question IDs of
    the edition the others revise: answers to a revising edition (``edition``) are read
    through its mapping (surveys/questionnaire/revisions.py)."""
    return structure_from_answers(in_revised_terms(edition, answers) if edition is not None else answers)


def compliance_for_answers(answers: Mapping[str, Any], edition: Any = None) -> ComplianceReport:
    return evaluate_compliance(response_structure(answers, edition))


@dataclass(frozen=True)
class ExampleCheck:
    row: int
    column: str
    parsed: ParsedNumber


def example_checks(answers: Mapping[str, Any], office_code: str, edition: Any = None) -> list[ExampleCheck]:
    """Every q14a example (and its priority presentation) parsed against the declared structure."""
    structure: NumberingStructure = response_structure(answers, edition)
    return [
        ExampleCheck(i, "example", parse_number(example.number, structure, office_code=office_code))
        for i, example in enumerate(structure.examples or (), start=1)
        if example.number
    ]
