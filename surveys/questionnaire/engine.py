"""The branching engine: answers in → applicable questions, errors and warnings out.

It is the authority on what a response means: applicability comes from the condition
language (``conditions``), then only applicable questions are validated (each by its
question type, ``types``), and the consistency checks add soft warnings. Whatever the
browser sends, the server recomputes all of it from the answers here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from standards.messages import gettext_noop
from surveys.questionnaire import types as question_types
from surveys.questionnaire.conditions import Predicate, compiled
from surveys.questionnaire.consistency import consistency_warnings
from surveys.questionnaire.edition import Edition, Question
from surveys.questionnaire.evaluation import Evaluation, Issue, is_empty
from surveys.questionnaire.types.base import QuickCheck


def _problems(edition: Edition, q: Question, value: Any, answers: Mapping[str, Any]) -> list[Issue]:
    """What the question's type finds wrong with an applicable answer."""
    problems = question_types.get(q.type).validate(q, value, edition, answers)
    return [Issue(q.id, code, message) for code, message in problems]


# What an unanswered required question is told (translated where it is shown).
REQUIRED = gettext_noop("This question needs an answer.")


# Problems of size: an answer larger than the question allows. A draft may be incomplete
# or wrong, never larger than a submission could be (checked on every save).
SIZE_PROBLEMS = frozenset({"too_long", "too_many_rows"})


def oversized(edition: Edition, answers: Mapping[str, Any]) -> list[Issue]:
    """The first size problem of each answer over its question's limits, whether the
    question applies or not (an answer set aside is kept too)."""
    issues = []
    for qid, value in answers.items():
        q = edition.by_id.get(qid)
        if q is None or is_empty(value):
            continue
        found = [issue for issue in _problems(edition, q, value, answers) if issue.code in SIZE_PROBLEMS]
        issues.extend(found[:1])
    return issues


class _Check:
    """How the engine reads one question of an edition, prepared once: when it applies
    (its compiled condition, None when always), whether it must be answered, its type's
    quick test for a valid answer and its type's full validation."""

    __slots__ = ("question", "holds", "required", "quick", "validate")

    def __init__(self, q: Question, holds: Predicate | None, edition: Edition):
        kind = question_types.get(q.type)
        self.question = q
        self.holds = holds
        self.required = q.required
        self.quick = kind.quick_check(q, edition)
        self.validate = kind.validate


# One question as the engine's loop reads it: its ID; the question and answer of its
# condition when that is a plain equality ({"eq": [question, answer]}, the common case,
# tested inline), else the compiled condition (None when it always applies); the codes
# that make a valid answer when the quick test is "one of these strings" and none of
# them is blank (tested inline, before anything else: such an answer says something),
# else the quick test; and the check.
_Step = tuple[str, str | None, Any, Predicate | None, frozenset[str] | None, QuickCheck | None, _Check]


def _step(check: _Check) -> _Step:
    condition = check.question.condition
    if isinstance(condition, dict) and list(condition) == ["eq"]:
        source, expected = condition["eq"]
        when = (source, expected, None)
    else:
        when = (None, None, check.holds)
    codes = getattr(check.quick, "codes", None)
    if codes is not None and not all(code.__class__ is str and code.strip() for code in codes):
        codes = None  # a blank code would be an empty answer: the quick test decides
    return (check.question.id, *when, codes, None if codes is not None else check.quick, check)


def _plan(edition: Edition) -> tuple[_Step, ...]:
    """The edition's questions as the engine reads them, in edition order; made on first
    use and kept with the edition."""
    found = edition.__dict__.get("_compiled_engine_plan")
    if found is None:
        holds = dict(compiled(edition).steps)
        found = tuple(_step(_Check(q, holds[q.id], edition)) for q in edition.questions)
        edition.__dict__["_compiled_engine_plan"] = found
    return found


def _left_out(
    edition: Edition, answers: Mapping[str, Any], seen: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The answers to questions that do not apply (set aside when they say something),
    and the IDs the edition does not know."""
    set_aside: dict[str, Any] = {}
    unknown: list[str] = []
    if len(seen) == len(answers):
        # The conditions saw every answer (they see only keys of the answers).
        return set_aside, unknown
    by_id = edition.by_id
    for qid, value in answers.items():
        if qid in seen:
            continue
        if qid not in by_id:
            unknown.append(qid)
        elif not is_empty(value):
            set_aside[qid] = value
    return set_aside, unknown


def _walk(  # noqa: C901 (one loop over every question of every evaluation, kept inline)
    plan: tuple[_Step, ...], answers: Mapping[str, Any]
) -> tuple[list[str], dict[str, Any], dict[str, Any], list[_Check]]:
    """One pass in edition order: the applicable questions, the answers the conditions
    saw (empty ones included), the effective answers (applicable and saying something),
    and the questions left to look at in full — unanswered, or whose answer failed its
    quick test. A quick test sees the effective answers so far; one that needs a later
    answer fails and the full validation, which sees them all, decides."""
    applicable = []
    seen: dict[str, Any] = {}
    effective: dict[str, Any] = {}
    pending = []
    get = answers.get
    nothing = _NOTHING
    for qid, source, expected, holds, codes, quick, check in plan:
        if source is not None:
            if seen.get(source) != expected:
                continue
        elif holds is not None and not holds(seen):
            continue
        applicable.append(qid)
        value = get(qid, nothing)
        if value is nothing:
            if check.required:
                pending.append(check)
            continue
        seen[qid] = value
        cls = value.__class__
        if codes is not None and cls is str and value in codes:
            effective[qid] = value  # one of the codes (none is blank): valid
            continue
        # is_empty, its common cases first (this runs for every other answer).
        if cls is str:
            empty = not value.strip()
        elif cls is list or cls is dict:
            empty = not value
        else:
            empty = is_empty(value)
        if not empty:
            effective[qid] = value
            # Not one of the codes, or not vouched for by the quick test.
            if codes is not None or quick is None or not quick(value, effective):
                pending.append(check)
        elif check.required:
            pending.append(check)
    return applicable, seen, effective, pending


def evaluate(edition: Edition, answers: Mapping[str, Any], *, with_warnings: bool = True) -> Evaluation:
    """Applicability, per-question errors and soft warnings for a set of answers.

    Only applicable questions are validated; answers to the others are set aside
    in ``set_aside`` and never count as answered. The conditions are read in their
    compiled form, and each question's checks prepared, once per edition
    (``conditions.compiled``, ``_plan``): a valid answer passes its type's quick
    test, and only an answer that fails it is validated in full. The messages of the
    errors and warnings are sentences that remember their template: each is put into
    the reader's language when an ``Issue``'s ``message`` is read, never here.
    """
    applicable, seen, effective, pending = _walk(_plan(edition), answers)
    set_aside, unknown = _left_out(edition, answers, seen)
    errors: dict[str, list[Issue]] = {}
    missing = []
    for check in pending:
        q = check.question
        qid = q.id
        if qid not in effective:
            missing.append(qid)
            errors[qid] = [Issue(qid, "required", REQUIRED)]
            continue
        problems = check.validate(q, effective[qid], edition, effective)
        if problems:
            errors[qid] = [Issue(qid, code, message) for code, message in problems]
    evaluation = Evaluation(
        applicable=tuple(applicable),
        answers=effective,
        set_aside=set_aside,
        errors=errors,
        required_unanswered=tuple(missing) if missing else (),
        unknown=tuple(sorted(unknown)) if unknown else (),
    )
    if with_warnings:
        evaluation.warnings = consistency_warnings(edition, evaluation)
    return evaluation


_NOTHING = object()
