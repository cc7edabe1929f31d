"""Turning submitted form fields into answers, and answers into form values again.

Each question's type reads and writes its own fields (``types``: ``parse_form`` and
``to_form``). Drafts keep what people typed even when it is not valid yet (a year typed
as "19x2" is kept as that string and reported by the engine), so a save never loses a
keystroke.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from surveys.questionnaire import types as question_types
from surveys.questionnaire.edition import Edition
from surveys.questionnaire.evaluation import is_empty


def answers_from_form(edition: Edition, data: Any) -> dict[str, Any]:
    """Every question's answer as posted; empty answers are left out."""
    answers = {}
    for q in edition.questions:
        value = question_types.get(q.type).parse_form(q, data, edition)
        if not is_empty(value):
            answers[q.id] = value
    return answers


def form_values(edition: Edition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Flat field name → value for re-displaying answers in the form (hidden ones too)."""
    values: dict[str, Any] = {}
    for q in edition.questions:
        value = answers.get(q.id)
        if value is not None:
            values.update(question_types.get(q.type).to_form(q, value))
    return values
