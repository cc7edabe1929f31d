"""The condition language: when a question applies.

A condition is data (a small JSON tree: ``all``/``any``/``not``, ``eq``, ``in``, ``has``,
``answered``), never code. The browser runs a copy of this evaluation
(static/surveys/branching.js) only to show and hide follow-ups while typing; the server
decides applicability here.

A question applies when its condition holds *on the answers of applicable questions*:
an answer left behind in a hidden gate never opens the questions behind it.

Two readings of the same trees: ``condition_holds`` walks a tree on every call (the
definition of the language), and ``compile_condition`` turns a tree once into a Python
function that gives the same answers without re-reading the tree. The engine uses the
compiled form, made once per edition (``compiled``); the tests hold the two to the same
decisions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from surveys.questionnaire.edition import Edition
from surveys.questionnaire.evaluation import is_empty

Predicate = Callable[[Mapping[str, Any]], bool]


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


def _always(answers: Mapping[str, Any]) -> bool:
    return True


def _all_of(parts: tuple[Predicate, ...]) -> Predicate:
    def holds(answers: Mapping[str, Any]) -> bool:
        for part in parts:  # noqa: SIM110 (a loop, not a generator per call: this runs per question)
            if not part(answers):
                return False
        return True

    return holds


def _any_of(parts: tuple[Predicate, ...]) -> Predicate:
    def holds(answers: Mapping[str, Any]) -> bool:
        for part in parts:  # noqa: SIM110 (as above)
            if part(answers):
                return True
        return False

    return holds


def _none_of(part: Predicate) -> Predicate:
    return lambda answers: not part(answers)


def _answered(qid: str) -> Predicate:
    return lambda answers: not is_empty(answers.get(qid))


def _comparison(op: str, arg: Any) -> Predicate:
    qid, expected = arg
    if op == "eq":
        return lambda answers: answers.get(qid) == expected
    if op == "in":
        return lambda answers: answers.get(qid) in expected
    if op == "has":

        def has(answers: Mapping[str, Any]) -> bool:
            value = answers.get(qid)
            return isinstance(value, list) and expected in value

        return has
    raise ValueError(f"unknown condition operator {op!r}")


def compile_condition(condition: Any) -> Predicate:
    """The condition tree as a function of the answers, read once.

    Raises ValueError for an operator the language does not have (the edition checker
    refuses such a definition before it gets here)."""
    if condition is None:
        return _always
    ((op, arg),) = condition.items()
    if op == "all":
        return _all_of(tuple(compile_condition(c) for c in arg))
    if op == "any":
        return _any_of(tuple(compile_condition(c) for c in arg))
    if op == "not":
        return _none_of(compile_condition(arg))
    if op == "answered":
        return _answered(arg)
    return _comparison(op, arg)


class CompiledConditions:
    """An edition's conditions, each compiled once: (question ID, predicate or None
    for a question that always applies), in edition order."""

    def __init__(self, edition: Edition):
        self.steps: tuple[tuple[str, Predicate | None], ...] = tuple(
            (q.id, None if q.condition is None else compile_condition(q.condition)) for q in edition.questions
        )

    def applicable(self, answers: Mapping[str, Any]) -> tuple[tuple[str, ...], dict[str, Any]]:
        """The applicable questions in edition order, and the answers they have (as
        given, empty ones included: the conditions read them so)."""
        seen: dict[str, Any] = {}
        result = []
        for qid, holds in self.steps:
            if holds is None or holds(seen):
                result.append(qid)
                if qid in answers:
                    seen[qid] = answers[qid]
        return tuple(result), seen


def compiled(edition: Edition) -> CompiledConditions:
    """The edition's compiled conditions, made on first use and kept with the edition."""
    found = edition.__dict__.get("_compiled_conditions")
    if found is None:
        found = edition.__dict__["_compiled_conditions"] = CompiledConditions(edition)
    return found


def applicable_questions(edition: Edition, answers: Mapping[str, Any]) -> tuple[str, ...]:
    """IDs of the questions that apply, in edition order."""
    return compiled(edition).applicable(answers)[0]


def applicable_questions_interpreted(edition: Edition, answers: Mapping[str, Any]) -> tuple[str, ...]:
    """The same as ``applicable_questions``, walking every tree on every call (the
    reference the compiled form is tested against)."""
    effective: dict[str, Any] = {}
    result = []
    for q in edition.questions:
        if condition_holds(q.condition, effective):
            result.append(q.id)
            if q.id in answers:
                effective[q.id] = answers[q.id]
    return tuple(result)
