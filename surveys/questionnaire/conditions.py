"""The condition language: when a question applies.

A condition is data (a small JSON tree: ``all``/``any``/``not``, ``eq``, ``in``, ``has``,
``answered``), never code. The browser runs a copy of this evaluation
(static/surveys/branching.js) only to show and hide follow-ups while typing; the server
decides applicability here.

A question applies when its condition holds *on the answers of applicable questions*:
an answer left behind in a hidden gate never opens the questions behind it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from surveys.questionnaire.edition import Edition
from surveys.questionnaire.evaluation import is_empty


def condition_holds(condition: Any, answers: Mapping[str, Any]) -> bool:
    """Evaluate a condition tree against the answers of applicable questions."""
    if condition is None:
        return True
    ((op, arg),) = condition.items()
    if op == "all":
        return all(condition_holds(c, answers) for c in arg)
    if op == "any":
        return any(condition_holds(c, answers) for c in arg)
    if op == "not":
        return not condition_holds(arg, answers)
    if op == "answered":
        return not is_empty(answers.get(arg))
    qid, expected = arg
    value = answers.get(qid)
    if op == "eq":
        return value == expected
    if op == "in":
        return value in expected
    if op == "has":
        return isinstance(value, list) and expected in value
    raise ValueError(f"unknown condition operator {op!r}")


def applicable_questions(edition: Edition, answers: Mapping[str, Any]) -> tuple[str, ...]:
    """IDs of the questions that apply, in edition order."""
    effective: dict[str, Any] = {}
    result = []
    for q in edition.questions:
        if condition_holds(q.condition, effective):
            result.append(q.id)
            if q.id in answers:
                effective[q.id] = answers[q.id]
    return tuple(result)
