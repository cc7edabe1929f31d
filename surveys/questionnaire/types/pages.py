"""Published response pages: what the types share to read their answer lines.

The page itself (its lines, headings and questions) is read by
surveys/intake/published_pages.py, which hands each type the answer lines of its
question and a reader to report problems to (see ``AnswerReader``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from surveys.questionnaire.edition import Edition, Question

BULLET_RE = re.compile(r"^[•◦▪‣*]\s*")


@dataclass
class Line:
    """One paragraph of the page. ``kind`` comes from HTML markup; plain text has none."""

    number: int
    text: str
    kind: str | None = None  # section, reminder, qheading, question, answer, bullet, attachment, state, table
    qid: str | None = None  # the question ID the markup names, if any
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


class AnswerReader(Protocol):
    """What a type's ``read_page`` may ask of the page reader."""

    edition: Edition

    def problem(self, line: Line, message: str) -> None:
        """The line cannot be read: the page fails, naming the line."""

    def leftover(self, lines: Iterable[Line], why: str) -> None:
        """Lines that are not part of the answer: reported, the page still imports."""

    def one(self, lines: list[Line]) -> Line | None:
        """The line of a one-line answer (the others are left over)."""

    def choice(self, q: Question, text: str) -> str | None:
        """The code of the choice of ``q`` the text names (its wording, or the 2012 one)."""

    def choice_map(self, q: Question) -> dict[str, str]:
        """Normalised wording → code, for every choice of ``q``."""

    def choices_listed(self, q: Question) -> str:
        """The choices of ``q`` as a message lists them."""

    def columns(self, q: Question) -> dict[str, str]:
        """Normalised column heading → column ID, for the grid ``q``."""

    def row_key_headers(self) -> set[str]:
        """Normalised headings of the column that names the row of a grid by IPR type."""

    def instructions(self, q: Question) -> list[str]:
        """Normalised starts of instructions a page prints among the answer lines of ``q``."""

    def block_line(self) -> Line:
        """The line of the question itself (for problems of the answer as a whole)."""


def norm(text: str) -> str:
    """Wording for comparison: compatibility forms folded, case folded, punctuation dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def question_label(q: Question) -> str:
    return f"Question {q.number} {q.letter}) ({q.id})" if q.letter else f"Question {q.number} ({q.id})"


def _strip_after_words(text: str, words: int) -> str:
    """What follows the first ``words`` words of ``text`` (closing brackets and colons dropped)."""
    matches = list(re.finditer(r"[^\W_]+", unicodedata.normalize("NFKC", text)))
    if len(matches) < words:
        return ""
    rest = unicodedata.normalize("NFKC", text)[matches[words - 1].end() :]
    return re.sub(r"^[\s)\]:]+", "", rest).strip()


def prefix_match(text: str, options: Mapping[str, str]) -> tuple[str, str] | None:
    """(option value, rest of the line) for the longest option the line starts with."""
    key = norm(text)
    for option in sorted(options, key=len, reverse=True):
        if key == option:
            return options[option], ""
        if key.startswith(option + " "):
            return options[option], _strip_after_words(text, len(option.split()))
    return None
