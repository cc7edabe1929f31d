"""A response pre-filled across editions: the earlier answers carried through the mapping of
the round's edition (surveys/questionnaire/revisions.py), and how the form shows them.

When a round's edition revises the edition of the office's last accepted response, that
response's answers are carried over question by question; the response records which
answers were carried and how ({question ID: how}), and which old answers were not and
why. The form marks each carried answer for confirmation and lists what was not carried;
the office confirms section by section, as for any pre-filled response, before submitting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from standards.messages import Text
from standards.translation import localize
from surveys.models import SurveyResponse, SurveyRound
from surveys.questionnaire.edition import Edition, tr
from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.revisions import carry_over, moves, note_of, revised_slug


@dataclass
class Prefill:
    answers: dict[str, Any] = field(default_factory=dict)
    set_aside: dict[str, Any] = field(default_factory=dict)
    carried: dict[str, str] = field(default_factory=dict)
    not_carried: list[dict[str, Any]] = field(default_factory=list)


def _stored(value: Any) -> Any:
    """A reason as JSON that remembers its template (its values too, when sentences)."""
    if isinstance(value, Text):
        return {"template": value.template, "params": {k: _stored(v) for k, v in value.params.items()}}
    return str(value)


def _reason(stored: Any) -> Any:
    """A stored reason as a sentence again (put into the reader's language by ``localize``)."""
    if isinstance(stored, Mapping) and "template" in stored:
        return Text(stored["template"], {k: _reason(v) for k, v in (stored.get("params") or {}).items()})
    return str(stored)


def prefill(previous: SurveyResponse, survey_round: SurveyRound) -> Prefill:
    """The answers a new response of ``survey_round`` starts from, given the office's last
    accepted response: through the mapping when the round's edition revises the edition of
    ``previous``, else the answers to the questions both editions share."""
    edition = survey_round.edition.structure
    old_row = previous.round.edition
    if old_row.pk != survey_round.edition_id and revised_slug(edition.definition) == old_row.slug:
        answers, carried, not_carried = carry_over(old_row.structure, edition, previous.answers)
        evaluation = evaluate(edition, answers, with_warnings=False)
        return Prefill(
            answers=evaluation.answers,
            set_aside=evaluation.set_aside,
            carried={qid: how for qid, how in carried.items() if qid in evaluation.answers},
            not_carried=[{"question": qid, "reason": _stored(reason)} for qid, reason in not_carried],
        )
    kept = {k: v for k, v in {**previous.set_aside_answers, **previous.answers}.items() if k in edition.by_id}
    evaluation = evaluate(edition, kept, with_warnings=False)
    return Prefill(answers=evaluation.answers, set_aside=evaluation.set_aside)


def previous_answers(previous: SurveyResponse, survey_round: SurveyRound) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answers and answers set aside of the response a new one was pre-filled from, in
    the terms of the new round's edition (carried through the mapping across a revision):
    what "changed since the last round" compares with."""
    if previous.round.edition_id == survey_round.edition_id:
        return previous.answers, previous.set_aside_answers
    start = prefill(previous, survey_round)
    return start.answers, start.set_aside


@dataclass(frozen=True)
class CarriedMark:
    how: str
    label: str


@dataclass(frozen=True)
class NotCarried:
    question: str
    reason: str
    note: str


def _label(how: str, year: Any, old: str) -> str:
    words = {
        "same": _("Carried over from %(year)s — confirm it below."),
        "renamed": _("Carried over from %(year)s (question %(old)s, renamed) — confirm it below."),
        "choices": _("Carried over from %(year)s, its choices renamed — confirm it below."),
        "split": _("Carried over from %(year)s: part of question %(old)s — confirm it below."),
        "merged": _("Carried over from %(year)s: questions %(old)s joined — confirm it below."),
    }
    return words.get(how, words["same"]) % {"year": year, "old": old}


def carried_context(response: SurveyResponse, edition: Edition, language: str) -> dict[str, Any]:
    """What the form shows of a response carried across editions: a mark per carried
    question ({question ID: CarriedMark}), the old answers not carried, and the year they
    come from (one query, only for such a response)."""
    if not response.carried_answers and not response.not_carried_answers:
        return {}
    source = SurveyResponse.objects.filter(pk=response.prefilled_from_id).values_list("round__year", flat=True).first()
    year = source or revised_slug(edition.definition) or ""
    old_of = {qid: ", ".join(m.old) for m in moves(edition.definition, edition.by_id) for qid in m.new}
    marks = {
        qid: CarriedMark(how, _label(how, year, old_of.get(qid, qid)))
        for qid, how in (response.carried_answers or {}).items()
    }
    rows = []
    for row in response.not_carried_answers or ():
        note = note_of(edition.definition, row["question"])
        rows.append(
            NotCarried(row["question"], str(localize(_reason(row["reason"]))), tr(note, language) if note else "")
        )
    return {"carried": marks, "not_carried": rows, "carried_year": year}


def mark_items(sections: list[Any], marks: Mapping[str, CarriedMark]) -> None:
    """Give each form item of a carried answer its mark (``item.carried``)."""
    if not marks:
        return
    for section in sections:
        for item in section.items:
            item.carried = marks.get(item.question.id)
