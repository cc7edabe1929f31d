"""Questions whose parts or rows are the choices made in an earlier ``multi`` question
(``part_lengths`` and ``order`` take the parts of q2a, the type-code grid the IPR types of
q1a): what their types share."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language

from standards.messages import gettext_noop
from surveys.questionnaire.evaluation import chosen
from surveys.questionnaire.texts import LocalText
from surveys.questionnaire.types.base import Problems, QuestionType
from surveys.questionnaire.types.forms import FieldRow

if TYPE_CHECKING:
    from surveys.questionnaire.edition import Edition, Question
    from surveys.questionnaire.types.pages import AnswerReader, Line


def source_id(q: Question) -> str | None:
    return q.parts_from or q.rows_from


def source_codes(q: Question, edition: Edition) -> tuple[str, ...]:
    """Every code the parts or rows may take (all choices of the source question)."""
    source = source_id(q)
    return edition.by_id[source].choice_codes if source else ()


def parts_agree(source: str | None, keys: Any, answers: Mapping[str, Any]) -> bool:
    """True only when ``parts_problems`` finds nothing: the keys are exactly the codes
    chosen in the source question, and there are some (a quick test for the engine)."""
    try:
        wanted = set(keys)
    except TypeError:  # an unhashable key: the long way decides
        return False
    return parts_match(source, wanted, answers)


def parts_match(source: str | None, wanted: set[Any], answers: Mapping[str, Any]) -> bool:
    """``parts_agree`` for keys already gathered in a set. The source's answer must be a
    list of strings: anything else is left to the long way (which reads it more kindly)."""
    if source is None:
        return False
    value = answers.get(source)
    if value.__class__ is not list or not value:
        return False
    try:
        parts = set(value)
    except TypeError:  # an unhashable item
        return False
    if parts != wanted:
        return False
    for part in parts:  # noqa: SIM110 (as in the loops of the engine: no generator per call)
        if part.__class__ is not str:
            return False
    return True


class ChoiceLabels:
    """Some choices of a question, named by their labels in the active language each time
    they are written out: a value of a message that is translated where it is shown."""

    __slots__ = ("question", "codes")

    def __init__(self, question: Question, codes: tuple[str, ...]):
        self.question = question
        self.codes = codes

    def __str__(self) -> str:
        # The labels in the language of the message (English when nothing is active).
        language = get_language() or "en"
        return ", ".join(self.question.choice_label(code, language) for code in self.codes)

    def __reduce__(self) -> tuple[Any, ...]:
        return (ChoiceLabels, (self.question, self.codes))


def parts_problems(q: Question, keys: list[str], what: str, edition: Edition, answers: Mapping[str, Any]) -> Problems:
    """The answer's parts (or rows) against the choices made in the source question."""
    source = source_id(q)
    parts = chosen(answers, source)
    if not parts:
        message = (
            gettext_noop("Answer %(source)s first: the rows follow the choices made there.", source=source)
            if what == "rows"
            else gettext_noop("Answer %(source)s first: the parts follow the choices made there.", source=source)
        )
        return [("depends_on", message)]
    missing = [p for p in parts if p not in keys]
    extra = [k for k in keys if k not in parts]
    problems = []
    if missing:
        labels = ChoiceLabels(edition.by_id[source], tuple(missing))
        problems.append(("missing_part", gettext_noop("Give a value for: %(labels)s.", labels=labels)))
    if extra:
        problems.append(
            (
                "unknown_part",
                gettext_noop("%(parts)s not chosen in %(source)s.", parts=", ".join(map(repr, extra)), source=source),
            )
        )
    return problems


def source_rows(
    q: Question,
    edition: Edition,
    answers: Mapping[str, Any],
    language: str,
    cells: Callable[[str], list[dict[str, Any]]],
) -> list[FieldRow]:
    """One form row per choice of the source question, shown when that choice is made."""
    source = edition.by_id[source_id(q)]
    picked = set(chosen(answers, source.id))
    return [
        FieldRow(key=code, label=source.choice_text(code, language), cells=cells(code), visible=code in picked)
        for code in source.choice_codes
    ]


def part_of(reader: AnswerReader, q: Question, line: Line, text: str) -> str | None:
    """The code of the part the text names, on a published page."""
    source = reader.edition.by_id[q.parts_from]
    code = reader.choice(source, text)
    if code is None:
        reader.problem(line, f"“{text}” is not one of the parts of {source.id} ({reader.choices_listed(source)})")
    return code


def part_label(q: Question, code: str, edition: Edition, language: str) -> LocalText:
    """A part as a page shows it: the label of its choice in the source question."""
    return edition.by_id[q.parts_from].choice_text(code, language) if q.parts_from else LocalText(code)


class PartsType(QuestionType):
    """A question answered part by part, for the parts chosen in its ``parts_from``
    question; the form has a row of inputs per part (``form_cells``)."""

    template = "surveys/question_types/_parts.html"
    script_value = "fields"

    def check_definition(self, checker: Any, where: str, definition: Any) -> None:
        checker.source(where, definition.get("parts_from"), "parts_from")

    def form_item(self, item: Any, q: Question, edition: Edition, answers: Any, values: Any, language: str) -> None:
        item.rows = source_rows(q, edition, answers, language, lambda code: self.form_cells(q, code, values))

    def form_cells(self, q: Question, code: str, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        raise NotImplementedError
