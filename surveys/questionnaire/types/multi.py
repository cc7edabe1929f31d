"""``multi``: several of the question's choices (Q1 a, the types of IPR). Stored as the
list of the ticked codes, in the order of the choices as posted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from standards.messages import gettext_noop
from surveys.questionnaire.types.base import Display, Problems, QuickCheck, any_fallback
from surveys.questionnaire.types.cells import codes_of, joined, split_items, stripped
from surveys.questionnaire.types.choices import ChoiceType, read_choice
from surveys.questionnaire.types.forms import posted_list
from surveys.questionnaire.types.registry import register

if TYPE_CHECKING:
    from surveys.questionnaire.edition import Edition, Question
    from surveys.questionnaire.types.pages import AnswerReader, Line


@register("multi")
class Multi(ChoiceType):
    """A check box per choice; what the office has not ticked is not in the answer."""

    template = "surveys/question_types/_multi.html"
    script_value = "checked"

    def parse_form(self, q: Question, data: Any, edition: Edition) -> Any:
        return [v for v in dict.fromkeys(posted_list(data, q.id)) if v]

    def to_form(self, q: Question, value: Any) -> dict[str, Any]:
        return {q.id: list(value) if isinstance(value, list) else []}

    def form_item(self, item: Any, q: Question, edition: Edition, answers: Any, values: Any, language: str) -> None:
        super().form_item(item, q, edition, answers, values, language)
        # The ticked codes are a list, even when none is ticked.
        item.value = values.get(q.id, [])

    def validate(self, q: Question, value: Any, edition: Edition, answers: Any) -> Problems:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return [("type", gettext_noop("Tick one or more of the choices."))]
        unknown = [v for v in value if v not in q.choice_codes]
        if unknown:
            return [("unknown_choice", gettext_noop("Unknown choice %(codes)s.", codes=", ".join(map(repr, unknown))))]
        if len(set(value)) != len(value):
            return [("duplicate_choice", gettext_noop("A choice is ticked twice."))]
        return []

    def quick_check(self, q: Question, edition: Edition) -> QuickCheck:
        codes = frozenset(q.choice_codes)

        def check(value: Any, answers: Any) -> bool:
            # A set of distinct codes is a valid answer. The codes are strings, and an
            # answer is JSON data, where only a string equals a string.
            if value.__class__ is not list:
                return False
            try:
                ticked = set(value)
            except TypeError:  # an unhashable item: not a code
                return False
            return len(ticked) == len(value) and ticked <= codes

        return check

    def display(self, q: Question, value: Any, edition: Edition, language: str, *, framed: bool = True) -> Display:
        labels = [q.choice_text(v, language) for v in value]
        return Display(lines=[str(label) for label in labels], bullets=True, fallback=any_fallback(*labels))

    def read_page(self, q: Question, lines: list[Line], reader: AnswerReader) -> Any:
        codes: list[str] = []
        for line in lines:
            code = read_choice(reader, q, line)
            if code is not None and code not in codes:
                codes.append(code)
        return codes or None

    def to_cell(self, q: Question, value: Any) -> str | int:
        return joined(value)

    def from_cell(self, q: Question, cell: Any, edition: Edition) -> Any:
        return codes_of(split_items(stripped(cell)), q.choice_codes, "choice")
