"""What the branching engine says about one set of answers, and the two value tests the
engine, the condition language and the consistency checks share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Issue:
    question_id: str
    code: str
    message: str


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
