"""``text``: free text, kept as typed (Q1 a "other", Q10 b, Q14 d …)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from standards.messages import gettext_noop
from surveys.questionnaire.types.base import Problems, QuestionType, QuickCheck
from surveys.questionnaire.types.cells import cell_text, guard_text, to_json, unguard_text
from surveys.questionnaire.types.forms import posted
from surveys.questionnaire.types.pages import question_label
from surveys.questionnaire.types.registry import register

if TYPE_CHECKING:
    from surveys.questionnaire.edition import Edition, Question
    from surveys.questionnaire.types.pages import AnswerReader, Line

MAX_TEXT_LENGTH = 4000


@register("text")
class Text(QuestionType):
    template = "surveys/question_types/_text.html"

    def parse_form(self, q: Question, data: Any, edition: Edition) -> Any:
        return posted(data, q.id)

    def form_item(self, item: Any, q: Question, edition: Edition, answers: Any, values: Any, language: str) -> None:
        # "Other: which?" follow-ups take a word or two; the other texts a paragraph.
        item.widget = "input" if q.id.endswith("_other") else "textarea"

    def validate(self, q: Question, value: Any, edition: Edition, answers: Any) -> Problems:
        if not isinstance(value, str):
            return [("type", gettext_noop("Enter text."))]
        if len(value) > MAX_TEXT_LENGTH:
            return [
                (
                    "too_long",
                    gettext_noop(
                        "At most %(limit)s characters (this answer has %(length)s).",
                        limit=MAX_TEXT_LENGTH,
                        length=len(value),
                    ),
                )
            ]
        return []

    def quick_check(self, q: Question, edition: Edition) -> QuickCheck:
        def check(value: Any, answers: Any) -> bool:
            return value.__class__ is str and len(value) <= MAX_TEXT_LENGTH

        return check

    def read_page(self, q: Question, lines: list[Line], reader: AnswerReader) -> Any:
        kept = []
        for line in lines:
            if line.kind == "table":
                reader.leftover([line], f"a table under {question_label(q)}, which takes text")
            else:
                kept.append(line.text)
        text = "\n".join(kept).strip()
        return text or None

    def to_cell(self, q: Question, value: Any) -> str | int:
        return guard_text(value) if isinstance(value, str) else to_json(value)

    def from_cell(self, q: Question, cell: Any, edition: Edition) -> Any:
        # Text is read as written: spaces are part of it.
        return unguard_text(cell_text(cell))
