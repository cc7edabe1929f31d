"""What changed between a round and the previous round of the same questionnaire edition,
or of the edition its edition revises.

The CWS working document's annex compares the round with the one before it: which offices
answered for the first time, which did not answer again, and, for each question, how many
numbering systems answered in both rounds and whose answer changed. A numbering system is
the same in both rounds when both responses belong to the same `NumberingSystem` (a
response of a later round is started for a system the office already has).

Only the stored answers are compared: a question the branching made not applicable is not
in the answers, so "answered before, not applicable now" counts as a change, as it is one
for a reader of the Handbook. Both rounds are read in chunks; what is kept of the previous
round is one fingerprint per answer, never the answers themselves.

Across a revision (a round of the 2026 edition after the 2012 round), the previous round's
answers are first carried to the new edition through its mapping
(surveys/questionnaire/revisions.py), so that each new question is compared with what the
old ones it comes from said: renamed, split and merged questions side by side with their
old IDs, questions added listed as added, questions removed listed apart.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from surveys.models import SurveyResponse, SurveyRound
from surveys.questionnaire.edition import Edition, Question, tr
from surveys.questionnaire.revisions import Carrier, moves, revised_slug
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
    # The previous round's questions this one is compared with, and how the mapping links
    # them (same, renamed, split, merged; added: none).
    previous: tuple[str, ...] = ()
    how: str = "same"

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
    # Across a revision: the previous edition's questions that were removed.
    removed: list[Question] = field(default_factory=list)

    @property
    def across_editions(self) -> bool:
        return self.previous.edition_id != self.current.edition_id

    @property
    def changed_questions(self) -> list[QuestionChange]:
        return [q for q in self.questions if q.changed_systems]


def previous_round(survey_round: SurveyRound) -> SurveyRound | None:
    """The latest round of the same edition that opened before this one; when there is none
    and the edition revises another, the latest earlier round of that edition."""
    earlier = (
        SurveyRound.objects.filter(edition_id=survey_round.edition_id, opens_on__lt=survey_round.opens_on)
        .order_by("-opens_on", "-pk")
        .first()
    )
    revised = revised_slug(survey_round.edition.definition) if earlier is None else None
    if revised is None:
        return earlier
    return (
        SurveyRound.objects.filter(edition__slug=revised, opens_on__lt=survey_round.opens_on)
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


def _links(previous: Edition, current: Edition) -> tuple[dict[str, tuple[tuple[str, ...], str]], list[Question]]:
    """Each current question's old questions and how they are linked; the old questions removed."""
    links: dict[str, tuple[tuple[str, ...], str]] = {}
    removed: list[Question] = []
    for move in moves(current.definition, current.by_id, previous.by_id):
        for qid in move.new:
            links[qid] = (move.old, move.kind)
        if move.kind == "removed":
            removed += [previous.by_id[q] for q in move.old if q in previous.by_id]
    return links, removed


def _previous_fingerprints(
    previous: SurveyRound, scope: Scope, questions: tuple[Question, ...], carry: Carrier | None
) -> tuple[dict[int, tuple[str | None, ...]], dict[str, str]]:
    """The previous round's fingerprints per numbering system (its answers carried to the
    current edition first, across a revision), and its offices' names."""
    before: dict[int, tuple[str | None, ...]] = {}
    offices: dict[str, str] = {}
    for system_id, code, name, answers in _responses(previous, scope):
        answers = answers or {}
        before[system_id] = _fingerprints(questions, carry(answers) if carry is not None else answers)
        offices[code] = name
    return before, offices


def compare_rounds(previous: SurveyRound, current: SurveyRound, *, scope: Scope) -> RoundComparison:
    """Compare the responses in `scope` of two rounds of one edition, or of an edition and
    the one it revises (two queries in all, the editions aside)."""
    edition = current.edition.structure
    carry = None
    links: dict[str, tuple[tuple[str, ...], str]] = {}
    removed: list[Question] = []
    if previous.edition_id != current.edition_id:
        older = previous.edition
        if revised_slug(edition.definition) != older.slug:
            raise ValueError(
                "Only rounds of the same questionnaire edition, or of an edition and the one it revises, "
                "can be compared."
            )
        carry = Carrier(older.structure, edition)
        links, removed = _links(older.structure, edition)
    questions = edition.questions
    before, before_offices = _previous_fingerprints(previous, scope, questions, carry)
    changes = [
        QuestionChange(question=q, previous=links[q.id][0], how=links[q.id][1])
        if q.id in links
        else QuestionChange(question=q, previous=(q.id,))
        for q in questions
    ]
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
        removed=removed,
    )


def _how_words() -> dict[str, str]:
    return {
        "same": gettext("same question"),
        "renamed": gettext("renamed"),
        "split": gettext("split"),
        "merged": gettext("merged"),
        "added": gettext("added in this edition"),
        "removed": gettext("removed from this edition"),
    }


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One line of the question-by-question comparison: the current question (none for a
    removed one), the previous round's questions it is compared with and how they are linked."""

    question: str
    text: str
    previous: str
    how: str
    link: str
    compared: int
    changed: int
    offices: str


def comparison_rows(comparison: RoundComparison, language: str) -> list[ComparisonRow]:
    """Every question of the current edition in order, then the questions removed since the
    previous round's edition (words in the active language, texts in ``language``)."""
    words = _how_words()
    rows = [
        ComparisonRow(
            question=f"{c.question.number}{c.question.letter or ''}",
            text=tr(c.question.text, language),
            previous=", ".join(c.previous),
            how=c.how,
            link=words.get(c.how, c.how),
            compared=c.compared,
            changed=len(c.changed_systems),
            offices=", ".join(c.changed),
        )
        for c in comparison.questions
    ]
    rows += [
        ComparisonRow("", tr(q.text, language), q.id, "removed", words["removed"], 0, 0, "") for q in comparison.removed
    ]
    return rows
