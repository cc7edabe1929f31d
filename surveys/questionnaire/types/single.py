"""``single``: one of the question's choices (Q3 a, Q4 a …). Stored as its code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from standards.messages import gettext_noop
from surveys.questionnaire.types.base import Problems, QuickCheck
from surveys.questionnaire.types.cells import codes_of, stripped
from surveys.questionnaire.types.choices import ChoiceType, read_choice
from surveys.questionnaire.types.forms import posted
from surveys.questionnaire.types.registry import register

if TYPE_CHECKING:
    from surveys.questionnaire.edition import Edition, Question
    from surveys.questionnaire.texts import LocalText
    from surveys.questionnaire.types.pages import AnswerReader, Line


@register("single")
class Single(ChoiceType):
    def parse_form(self, q: Question, data: Any, edition: Edition) -> Any:
        return posted(data, q.id).strip()

    def validate(self, q: Question, value: Any, edition: Edition, answers: Any) -> Problems:
        if not isinstance(value, str) or value not in q.choice_codes:
            return [
                ("unknown_choice", gettext_noop("Choose one of the listed options (got %(value)s).", value=repr(value)))
            ]
        return []

    def quick_check(self, q: Question, edition: Edition) -> QuickCheck:
        codes = frozenset(q.choice_codes)

        def check(value: Any, answers: Any) -> bool:
            return value.__class__ is str and value in codes

        # What the test is, for a caller that runs it inline (the engine's loop).
        check.codes = codes  # type: ignore[attr-defined]
        return check

    def display_text(self, q: Question, value: Any, language: str) -> LocalText:
        return q.choice_text(value, language)

    def read_page(self, q: Question, lines: list[Line], reader: AnswerReader) -> Any:
        line = reader.one(lines)
        return None if line is None else read_choice(reader, q, line)

    def to_cell(self, q: Question, value: Any) -> str | int:
        return str(value)

    def from_cell(self, q: Question, cell: Any, edition: Edition) -> Any:
        return codes_of([stripped(cell)], q.choice_codes, "choice")[0]
