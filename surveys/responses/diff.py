"""Comparing two states of a response question by question (old → new).

A state is the applicable answers plus the ones set aside (answers to questions that did
not apply). A question can therefore change value, appear, be cleared, or keep its
value while becoming (not) applicable — reviewers see each of these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from surveys.questionnaire.edition import Edition, LocalText, Question, tr_text
from surveys.responses.display import Display, display_answer

CHANGE_LABELS = {
    "added": pgettext_lazy("change to an answer", "Answered"),
    "removed": _("Answer cleared"),
    "changed": _("Changed"),
    "now_not_applicable": _("No longer applies (answer set aside)"),
    "now_applicable": _("Applies again"),
}


@dataclass
class DiffRow:
    question: Question
    text: LocalText
    change: str
    old: Display | None
    new: Display | None
    old_applicable: bool
    new_applicable: bool

    @property
    def change_label(self) -> str:
        return str(CHANGE_LABELS[self.change])


def _display(edition: Edition, q: Question, value: Any, language: str) -> Display | None:
    if value is None:
        return None
    try:
        return display_answer(edition, q, value, language)
    except (AttributeError, TypeError, ValueError, KeyError):
        # A value that is not (yet) valid is shown as it was typed.
        return Display(lines=[str(value)])


def compare(
    edition: Edition,
    old_answers: Mapping[str, Any],
    old_set_aside: Mapping[str, Any],
    new_answers: Mapping[str, Any],
    new_set_aside: Mapping[str, Any],
    *,
    language: str = "en",
) -> list[DiffRow]:
    rows = []
    for q in edition.questions:
        old_value = old_answers.get(q.id, old_set_aside.get(q.id))
        new_value = new_answers.get(q.id, new_set_aside.get(q.id))
        old_applicable, new_applicable = q.id in old_answers, q.id in new_answers
        if old_value == new_value and old_applicable == new_applicable:
            continue
        if old_value is None:
            change = "added"
        elif new_value is None:
            change = "removed"
        elif old_value != new_value:
            change = "changed"
        elif old_applicable and not new_applicable:
            change = "now_not_applicable"
        else:
            change = "now_applicable"
        rows.append(
            DiffRow(
                question=q,
                text=tr_text(q.text, language),
                change=change,
                old=_display(edition, q, old_value, language),
                new=_display(edition, q, new_value, language),
                old_applicable=old_applicable,
                new_applicable=new_applicable,
            )
        )
    return rows
