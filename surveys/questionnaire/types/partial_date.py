"""``partial_date``: a year, or a day, month and year (Q1 b "first introduced", Q13 c).
Stored as ``yyyy`` or ``yyyy-mm-dd``; people write ``yyyy`` or ``dd/mm/yyyy``."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from standards.messages import gettext_noop
from surveys.questionnaire.texts import tr
from surveys.questionnaire.types.base import Problems, QuestionType, QuickCheck
from surveys.questionnaire.types.cells import CellError, stripped
from surveys.questionnaire.types.forms import posted
from surveys.questionnaire.types.registry import register

if TYPE_CHECKING:
    from surveys.questionnaire.edition import Edition, Question
    from surveys.questionnaire.types.pages import AnswerReader, Line

YEAR_MIN, YEAR_MAX = 1800, 2100
# "from 1992" (Q1 b): words a page may put before a date.
DATE_PREFIXES = ("from", "since")

# What a wrong date is told (a sentence translated where it is shown).
BAD_DATE = gettext_noop("Enter a year (yyyy) or a full date (dd/mm/yyyy).")

_FIRST_YEAR, _LAST_YEAR = str(YEAR_MIN), str(YEAR_MAX)
_YEAR = re.compile(r"^\d{4}$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_partial_date(raw: str) -> str | None:
    """'1992', '15/03/1992' or '1992-03-15' → '1992' or '1992-03-15'; None if not a date."""
    text = raw.strip()
    if _YEAR.match(text):
        return text if YEAR_MIN <= int(text) <= YEAR_MAX else None
    m = re.match(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$", text)
    if m:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _ISO_DATE.match(text)
        if not m:
            return None
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    if not YEAR_MIN <= year <= YEAR_MAX:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def format_partial_date(value: str) -> str:
    """Stored form → how people write it: '1992' or '15/03/1992'."""
    m = _ISO_DATE.match(value) if isinstance(value, str) else None
    if m:
        return f"{m[3]}/{m[2]}/{m[1]}"
    return str(value)


def _unframed(raw: str, q: Question) -> str:
    """The date of a page line, without the answer format around it ("from {value}") or a
    word before it."""
    if q.answer_format:
        before, _sep, after = tr(q.answer_format).partition("{value}")
        pattern = re.escape(before.strip()) + r"\s*(.+?)\s*" + re.escape(after.strip()) + "$"
        m = re.match(pattern, raw, re.IGNORECASE)
        raw = m[1] if m else raw
    for prefix in DATE_PREFIXES:
        if raw.lower().startswith(prefix + " "):
            raw = raw[len(prefix) :].strip()
    return raw


@register("partial_date")
class PartialDate(QuestionType):
    template = "surveys/question_types/_partial_date.html"

    def parse_form(self, q: Question, data: Any, edition: Edition) -> Any:
        raw = posted(data, q.id).strip()
        return parse_partial_date(raw) or raw

    def to_form(self, q: Question, value: Any) -> dict[str, Any]:
        return {q.id: format_partial_date(value)}

    def validate(self, q: Question, value: Any, edition: Edition, answers: Any) -> Problems:
        if not isinstance(value, str) or parse_partial_date(value) != value:
            return [("bad_date", BAD_DATE)]
        return []

    def quick_check(self, q: Question, edition: Edition) -> QuickCheck:
        def check(value: Any, answers: Any) -> bool:
            if value.__class__ is not str:
                return False
            if len(value) == 4 and value.isascii() and value.isdigit():  # a year, the usual answer
                return _FIRST_YEAR <= value <= _LAST_YEAR  # four digits compare as their numbers do
            return parse_partial_date(value) == value

        return check

    def display_text(self, q: Question, value: Any, language: str) -> str:
        return format_partial_date(value)

    def read_page(self, q: Question, lines: list[Line], reader: AnswerReader) -> Any:
        line = reader.one(lines)
        if line is None:
            return None
        value = parse_partial_date(_unframed(line.text.strip(), q))
        if value is None:
            reader.problem(line, f"“{line.text}” is not a year (yyyy) or a date (dd/mm/yyyy)")
        return value

    def to_cell(self, q: Question, value: Any) -> str | int:
        return format_partial_date(value) if isinstance(value, str) else str(value)

    def from_cell(self, q: Question, cell: Any, edition: Edition) -> Any:
        # A date typed into a spreadsheet program becomes a date cell.
        if isinstance(cell, datetime | date):
            return (cell.date() if isinstance(cell, datetime) else cell).isoformat()
        text = stripped(cell)
        parsed = parse_partial_date(text)
        if parsed is None:
            raise CellError(f"{text!r} is not a year (yyyy) or a date (dd/mm/yyyy).")
        return parsed
