"""The branching engine: answers in → applicable questions, errors and warnings out.

It is the authority on what a response means: applicability comes from the condition
language (``conditions``), then only applicable questions are validated (each by its
question type, ``types``), and the consistency checks add soft warnings. Whatever the
browser sends, the server recomputes all of it from the answers here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from surveys.questionnaire import types as question_types
from surveys.questionnaire.conditions import compiled
from surveys.questionnaire.consistency import consistency_warnings
from surveys.questionnaire.edition import Edition, Question
from surveys.questionnaire.evaluation import Evaluation, Issue, is_empty


def _problems(edition: Edition, q: Question, value: Any, answers: Mapping[str, Any]) -> list[Issue]:
    """What the question's type finds wrong with an applicable answer."""
    problems = question_types.get(q.type).validate(q, value, edition, answers)
    return [Issue(q.id, code, message) for code, message in problems]


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


def evaluate(edition: Edition, answers: Mapping[str, Any], *, with_warnings: bool = True) -> Evaluation:
    """Applicability, per-question errors and soft warnings for a set of answers.

    Only applicable questions are validated; answers to the others are set aside
    in ``set_aside`` and never count as answered. The conditions are read in their
    compiled form, made once per edition (``conditions.compiled``).
    """
    applicable, seen = compiled(edition).applicable(answers)
    by_id = edition.by_id
    # The applicable answers that say something (the conditions saw empty ones too).
    effective = {qid: value for qid, value in seen.items() if not is_empty(value)}
    set_aside = {}
    unknown = []
    for qid, value in answers.items():
        if qid not in by_id:
            unknown.append(qid)
        elif qid not in seen and not is_empty(value):
            set_aside[qid] = value
    errors: dict[str, list[Issue]] = {}
    missing = []
    for qid in applicable:
        q = by_id[qid]
        if qid not in effective:
            if q.required:
                missing.append(qid)
                errors[qid] = [Issue(qid, "required", _("This question needs an answer."))]
            continue
        problems = question_types.get(q.type).validate(q, effective[qid], edition, effective)
        if problems:
            errors[qid] = [Issue(qid, code, message) for code, message in problems]
    evaluation = Evaluation(
        applicable=applicable,
        answers=effective,
        set_aside=set_aside,
        errors=errors,
        required_unanswered=tuple(missing),
        unknown=tuple(sorted(unknown)),
    )
    if with_warnings:
        evaluation.warnings = consistency_warnings(edition, evaluation)
    return evaluation
