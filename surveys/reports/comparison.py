"""What changed between a round and the previous round of the same questionnaire edition.

The CWS working document's annex compares the round with the one before it: which offices
answered for the first time, which did not answer again, and, for each question, how many
numbering systems answered in both rounds and whose answer changed. A numbering system is
the same in both rounds when both responses belong to the same `NumberingSystem` (a
response of a later round is started for a system the office already has).

Only the stored answers are compared: a question the branching made not applicable is not
in the answers, so "answered before, not applicable now" counts as a change, as it is one
for a reader of the Handbook. Both rounds are read in chunks; what is kept of the previous
round is one fingerprint per answer, never the answers themselves.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from surveys.models import SurveyResponse, SurveyRound
from surveys.questionnaire.edition import Question
from surveys.reports.tables import SCOPE_STATUSES, Scope

CHUNK_SIZE = 500
UNORDERED_TYPES = frozenset({"multi"})  # several choices: the order they were ticked in means nothing


@dataclass(frozen=True, slots=True)
class OfficeRef:
    code: str
    name: str


@dataclass(slots=True)
class QuestionChange:
    question: Question
    compared: int = 0  # numbering systems answered in both rounds (in either for this question)
    changed_systems: set[int] = field(default_factory=set)
    changed_offices: set[str] = field(default_factory=set)

    @property
    def changed(self) -> list[str]:
        """The codes of the offices with a changed answer, once each."""
        return sorted(self.changed_offices)

    @property
    def unchanged(self) -> int:
        return self.compared - len(self.changed_systems)


@dataclass(slots=True)
class RoundComparison:
    previous: SurveyRound
    current: SurveyRound
    joined: list[OfficeRef]  # offices with responses now and none in the previous round
    left: list[OfficeRef]  # offices with responses in the previous round and none now
    continuing: int  # offices with responses in both
    systems_compared: int
    new_systems: int  # responses now for systems that had none in the previous round
    dropped_systems: int  # systems answered before and not now
    questions: list[QuestionChange]

    @property
    def changed_questions(self) -> list[QuestionChange]:
        return [q for q in self.questions if q.changed_systems]


def previous_round(survey_round: SurveyRound) -> SurveyRound | None:
    """The latest round of the same edition that opened before this one."""
    return (
        SurveyRound.objects.filter(edition_id=survey_round.edition_id, opens_on__lt=survey_round.opens_on)
        .order_by("-opens_on", "-pk")
        .first()
    )


def _responses(survey_round: SurveyRound, scope: Scope):
    return (
        SurveyResponse.objects.filter(round=survey_round, status__in=SCOPE_STATUSES[scope])
        .order_by("pk")
        .values_list("numbering_system_id", "office__code", "office__name", "answers")
        .iterator(chunk_size=CHUNK_SIZE)
    )


def _canonical(question: Question, value: Any) -> str:
    if question.type in UNORDERED_TYPES and isinstance(value, list):
        value = sorted(value, key=str)
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _fingerprints(questions: tuple[Question, ...], answers: dict[str, Any]) -> tuple[str | None, ...]:
    return tuple(_canonical(q, answers[q.id]) if q.id in answers else None for q in questions)


def compare_rounds(previous: SurveyRound, current: SurveyRound, *, scope: Scope) -> RoundComparison:
    """Compare the responses in `scope` of two rounds of one edition (two queries in all)."""
    if previous.edition_id != current.edition_id:
        raise ValueError("Only rounds of the same questionnaire edition can be compared.")
    questions = current.edition.structure.questions
    before: dict[int, tuple[str | None, ...]] = {}
    before_offices: dict[str, str] = {}
    for system_id, code, name, answers in _responses(previous, scope):
        before[system_id] = _fingerprints(questions, answers or {})
        before_offices[code] = name

    changes = [QuestionChange(question=q) for q in questions]
    now_offices: dict[str, str] = {}
    seen: set[int] = set()
    new_systems = 0
    for system_id, code, name, answers in _responses(current, scope):
        now_offices[code] = name
        seen.add(system_id)
        earlier = before.get(system_id)
        if earlier is None:
            new_systems += 1
            continue
        for i, fingerprint in enumerate(_fingerprints(questions, answers or {})):
            if fingerprint is None and earlier[i] is None:
                continue  # not answered in either round: nothing to compare
            changes[i].compared += 1
            if fingerprint != earlier[i]:
                changes[i].changed_systems.add(system_id)
                changes[i].changed_offices.add(code)

    return RoundComparison(
        previous=previous,
        current=current,
        joined=[OfficeRef(c, now_offices[c]) for c in sorted(now_offices.keys() - before_offices.keys())],
        left=[OfficeRef(c, before_offices[c]) for c in sorted(before_offices.keys() - now_offices.keys())],
        continuing=len(now_offices.keys() & before_offices.keys()),
        systems_compared=len(before.keys() & seen),
        new_systems=new_systems,
        dropped_systems=len(before.keys() - seen),
        questions=changes,
    )
