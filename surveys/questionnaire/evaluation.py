"""What the branching engine says about one set of answers, and the two value tests the
engine, the condition language and the consistency checks share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from standards.translation import localize


class Issue:
    """One problem (or warning) about one answer: the question, a code naming the problem,
    and what a reader is told.

    The message is kept as it was given: a plain string, or a sentence that remembers
    its template and values (``standards.messages.Text``, what the question types and
    the engine give) and is put into the reader's language only when ``message`` is
    read. A verdict that nobody reads the messages of (a report counting valid
    responses) never looks them up in the catalogue; one that is shown gives them in
    the language active where it is shown. Two issues are equal when they say the same
    thing about the same question in the active language."""

    __slots__ = ("question_id", "code", "_message")

    question_id: str
    code: str

    def __init__(self, question_id: str, code: str, message: str):
        self.question_id = question_id
        self.code = code
        self._message = message

    @property
    def message(self) -> str:
        """The message in the active language."""
        message = self._message
        if message.__class__ is str:
            return message
        return str(localize(message))

    def _key(self) -> tuple[str, str, str]:
        return (self.question_id, self.code, self.message)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Issue:
            return NotImplemented
        return self._key() == other._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Issue(question_id={self.question_id!r}, code={self.code!r}, message={self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Issue, (self.question_id, self.code, self._message))


@dataclass
class Evaluation:
    """The engine's verdict on one set of answers."""

    applicable: tuple[str, ...]
    answers: dict[str, Any]
    set_aside: dict[str, Any]
    errors: dict[str, list[Issue]] = field(default_factory=dict)
    warnings: list[Issue] = field(default_factory=list)
    required_unanswered: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def is_applicable(self, question_id: str) -> bool:
        return question_id in self._applicable_set

    @property
    def _applicable_set(self) -> frozenset[str]:
        cached = self.__dict__.get("_app_set")
        if cached is None:
            cached = self.__dict__["_app_set"] = frozenset(self.applicable)
        return cached

    def state(self, question_id: str) -> str:
        """answered · not_answered · not_applicable — the three states every export shows."""
        if not self.is_applicable(question_id):
            return "not_applicable"
        return "answered" if question_id in self.answers else "not_answered"


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    # The common exact types first (the engine asks for every answer); subclasses below.
    cls = value.__class__
    if cls is str:
        return not value.strip()
    if cls is list or cls is dict:
        return not value
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, list | tuple | dict):
        return len(value) == 0
    return False


def chosen(answers: Mapping[str, Any], question_id: str | None) -> list[str]:
    value = answers.get(question_id) if question_id else None
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
