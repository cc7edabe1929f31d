"""``int``: a whole number, with an optional smallest value (``min``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from standards.messages import gettext_noop
from surveys.questionnaire.types.base import Problems, QuestionType, QuickCheck, is_whole_number
from surveys.questionnaire.types.cells import stripped, whole_number
from surveys.questionnaire.types.forms import int_or_raw, posted
from surveys.questionnaire.types.registry import register

if TYPE_CHECKING:
    from surveys.questionnaire.edition import Edition, Question
    from surveys.questionnaire.types.pages import AnswerReader, Line


@register("int")
class WholeNumber(QuestionType):
    template = "surveys/question_types/_int.html"

    def parse_form(self, q: Question, data: Any, edition: Edition) -> Any:
        raw = posted(data, q.id).strip()
        return int_or_raw(raw) if raw else ""

    def validate(self, q: Question, value: Any, edition: Edition, answers: Any) -> Problems:
        if not is_whole_number(value):
            return [("not_a_number", gettext_noop("Enter a whole number."))]
        if q.min is not None and value < q.min:
            return [("too_small", gettext_noop("Enter %(min)s or more.", min=q.min))]
        return []

    def quick_check(self, q: Question, edition: Edition) -> QuickCheck:
        smallest = q.min

        def check(value: Any, answers: Any) -> bool:
            return value.__class__ is int and (smallest is None or value >= smallest)

        return check

    def read_page(self, q: Question, lines: list[Line], reader: AnswerReader) -> Any:
        line = reader.one(lines)
        if line is None:
            return None
        if not re.fullmatch(r"\d+", line.text.strip()):
            reader.problem(line, f"“{line.text}” is not a whole number")
            return None
        return int(line.text.strip())

    def to_cell(self, q: Question, value: Any) -> str | int:
        return value if is_whole_number(value) else str(value)

    def from_cell(self, q: Question, cell: Any, edition: Edition) -> Any:
        return whole_number(stripped(cell), "the answer")
