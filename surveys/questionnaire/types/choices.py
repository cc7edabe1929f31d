"""Questions answered with codes of their own choices (``multi``, ``single``, ``yesno``):
what their types share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from surveys.questionnaire.types.base import QuestionType

if TYPE_CHECKING:
    from surveys.questionnaire.edition import Edition, Question
    from surveys.questionnaire.types.pages import AnswerReader, Line


def check_choices(checker: Any, where: str, definition: Any) -> None:
    """Choices with unique codes and labels; those of a catalogue must exist in it."""
    choices = definition.get("choices") or []
    codes = [c.get("code") for c in choices]
    if not codes or len(set(codes)) != len(codes) or not all(isinstance(c, str) and c for c in codes):
        checker.fail(where, "choices need unique, non-empty codes")
    for c in choices:
        checker.text(f"{where}.choices[{c['code']}]", c.get("label"))
    catalogue = definition.get("catalogue")
    if catalogue is not None:
        checker.catalogue(where, catalogue, codes)


def choice_items(q: Question, selected: Any, language: str) -> list[dict[str, Any]]:
    """One input per choice, ticked when its code is among the selected ones."""
    selected = selected if isinstance(selected, list) else [selected]
    return [
        {
            "code": code,
            "label": q.choice_text(code, language),
            "checked": code in selected,
            "id": f"id_{q.id}-{code}",
        }
        for code in q.choice_codes
    ]


def read_choice(reader: AnswerReader, q: Question, line: Line) -> str | None:
    """The code the line names, or a problem saying which choices there are."""
    code = reader.choice(q, line.text)
    if code is None:
        reader.problem(line, f"“{line.text}” is not one of the choices ({reader.choices_listed(q)})")
    return code


class ChoiceType(QuestionType):
    """A question answered with codes of its own choices: by default one of them, picked
    with a radio button (``multi`` ticks check boxes)."""

    template = "surveys/question_types/_single.html"
    script_value = "picked"
    has_choices = True

    def check_definition(self, checker: Any, where: str, definition: Any) -> None:
        check_choices(checker, where, definition)

    def form_item(self, item: Any, q: Question, edition: Edition, answers: Any, values: Any, language: str) -> None:
        item.choices = choice_items(q, values.get(q.id, []), language)
