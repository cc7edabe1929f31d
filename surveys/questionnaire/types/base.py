"""What a question type does, and the defaults the one-value types share.

A type is a class registered under its name (``registry.register``); each operation
receives the question (its definition: choices, columns, parts source …) and whatever
else it needs, and never touches the database:

=================  ==========================================================================
check_definition   the type's own keys of a question in the definition file are well formed
parse_form         the posted form fields → the answer as stored (kept as typed when invalid)
to_form            the stored answer → form field name → value, to show it in the form again
form_item          what the form template needs besides the values (choices, table rows)
template           the form partial that draws the question's inputs
script_value       how the branching script reads the answer from the page (see below)
validate           the stored answer → (code, message) problems, for an applicable question
quick_check        a test made once per question: True only when ``validate`` finds nothing
display            how the answer reads on a page (``Display``), in the reader's language
to_cell            the answer as one spreadsheet cell
from_cell          one spreadsheet cell → the answer (``CellError`` says what is wrong)
read_page          the answer lines of a published page → the answer (problems go to the reader)
=================  ==========================================================================

The published page a ``read_page`` reads is the one ``display`` writes.

``validate`` words its messages with ``standards.messages`` (``gettext_noop("…", **values)``,
``ngettext_noop`` for a count): a sentence that remembers its template and values, which
the engine's ``Issue`` puts into the language of the page that shows it. So a verdict
whose messages nobody reads costs no catalogue lookup.

``script_value`` tells static/surveys/branching.js how to read an answer while the
office types: ``"checked"`` (the ticked boxes, a list), ``"picked"`` (the chosen radio
button), ``"field"`` (the field named after the question) or ``"fields"`` (the filled
fields named ``<question>.…``, a list).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from surveys.questionnaire.texts import tr_text

if TYPE_CHECKING:
    from surveys.questionnaire.edition import Edition, Question


@dataclass
class Display:
    """How an answer reads: lines (bulleted or not) or a table."""

    lines: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    bullets: bool = False
    # True when an edition text in the answer (a choice label, a column) is the English
    # one standing in for a missing translation: the page marks the answer.
    fallback: bool = False

    @property
    def is_table(self) -> bool:
        return bool(self.headers)


def any_fallback(*texts: str) -> bool:
    return any(getattr(t, "fallback", False) for t in texts)


def is_whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


Problems = list[tuple[str, str]]
QuickCheck = Callable[[Any, Mapping[str, Any]], bool]


class QuestionType:
    """The defaults are those of a question answered with one value in one field."""

    name = ""
    template = "surveys/question_types/_field.html"
    script_value = "field"
    # Answers are codes of the question's choices (reports give each code a column).
    has_choices = False

    def check_definition(self, checker: Any, where: str, definition: Any) -> None:
        """Raise through ``checker.fail(where, why)`` when the type's own keys are wrong."""

    # --- the form ----------------------------------------------------------------------

    def parse_form(self, q: Question, data: Any, edition: Edition) -> Any:
        raise NotImplementedError

    def to_form(self, q: Question, value: Any) -> dict[str, Any]:
        return {q.id: str(value)}

    def form_item(self, item: Any, q: Question, edition: Edition, answers: Any, values: Any, language: str) -> None:
        """Add to the form item what the type's template needs (nothing by default)."""

    # --- the engine --------------------------------------------------------------------

    def validate(self, q: Question, value: Any, edition: Edition, answers: Any) -> Problems:
        raise NotImplementedError

    def quick_check(self, q: Question, edition: Edition) -> QuickCheck | None:
        """A test of (value, answers) prepared once per question of an edition, for the
        common case of a valid answer: when it says True, ``validate`` would find no
        problem; when it says False, the engine asks ``validate`` for the problems (and
        their messages). None: no quick test, ``validate`` always runs."""
        return None

    # --- pages -------------------------------------------------------------------------

    def display(self, q: Question, value: Any, edition: Edition, language: str, *, framed: bool = True) -> Display:
        """One line; ``framed`` puts it in the question's answer format ("from {value}")."""
        text = self.display_text(q, value, language)
        fallback = getattr(text, "fallback", False)
        text = str(text)
        if framed and q.answer_format:
            answer_format = tr_text(q.answer_format, language)
            text = answer_format.replace("{value}", text)
            fallback = fallback or answer_format.fallback
        return Display(lines=[text], fallback=fallback)

    def display_text(self, q: Question, value: Any, language: str) -> str:
        return str(value)

    def read_page(self, q: Question, lines: list[Any], reader: Any) -> Any:
        raise NotImplementedError

    # --- spreadsheets ------------------------------------------------------------------

    def to_cell(self, q: Question, value: Any) -> str | int:
        raise NotImplementedError

    def from_cell(self, q: Question, cell: Any, edition: Edition) -> Any:
        raise NotImplementedError
