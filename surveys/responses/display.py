"""How things read on a page: an answer (``display_answer``), the state of a question,
the status of a response, a workflow step, a round's status — in the reader's language.

Also used by the admin, the reports and the services' messages ("This response is
submitted …"), so it depends on nothing but the questionnaire, ST.13's verdicts and the
models' choices, whose labels are the one definition of each status, workflow step and
round status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext, ngettext, override, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from standards.st13 import Verdict
from surveys.models import ResponseEvent, ResponseStatus, SurveyRound
from surveys.questionnaire.edition import Edition, LocalText, Question, base_language, tr_text
from surveys.questionnaire.engine import format_partial_date

# The states of a question, read in pages in the language of the page (lazy: looked up
# when shown).
STATE_LABELS = {"answered": _("Answered"), "not_answered": _("Not answered"), "not_applicable": _("Not applicable")}


# ST.13 compliance verdicts (standards.st13.Verdict), as pages and reports show them.
VERDICT_LABELS = {
    Verdict.COMPLIES: _("Complies"),
    Verdict.DEVIATES: _("Deviates"),
    Verdict.NOT_APPLICABLE: _("Not applicable"),
    Verdict.UNKNOWN: _("Unknown (answer missing)"),
}


# The report tables' verdict cells and totals rows are narrow: there "unknown" stands alone.
VERDICT_SHORT_LABELS = {**VERDICT_LABELS, Verdict.UNKNOWN: pgettext_lazy("ST.13 verdict", "Unknown")}


def verdict_label(verdict: str, *, short: bool = False) -> str:
    """An ST.13 compliance verdict ("complies") in the active language."""
    label = (VERDICT_SHORT_LABELS if short else VERDICT_LABELS).get(verdict)
    return str(label) if label is not None else str(verdict)


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    """The label of a stored value in the active language; an unknown value as it is."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def status_label(status: str) -> str:
    """A response status as pages show it ("Submitted"), in the active language."""
    return _choice_label(ResponseStatus, status)


def event_label(action: str) -> str:
    """What happened to a response, as its workflow timeline says it ("Returned to the office")."""
    return _choice_label(ResponseEvent.Action, action)


def status_words(status: str) -> str:
    """A status inside a sentence ("This response is submitted …"): the label pages show,
    in the reader's language, in lower case."""
    return status_label(status).lower()


def action_words(action: str) -> str:
    """A workflow step inside a sentence ("… cannot be returned to the office")."""
    return event_label(action).lower()


def step_note(action: str) -> str:
    """The note a workflow step leaves on the revision it takes ("returned to the office"):
    stored in English, the source's words, whatever the reader's language."""
    with override(None):
        return action_words(action)


def revision_note_label(note: str) -> str:
    """A stored revision note in the reader's language: the workflow's steps as the
    timeline words them; other notes as they were written."""
    for action in ResponseEvent.Action:
        if note == step_note(action):
            return action_words(action)
    return note


def round_status_label(status: str) -> str:
    return _choice_label(SurveyRound.Status, status)


@dataclass
class Display:
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


def _label(edition: Edition, source: str | None, code: str, language: str) -> LocalText:
    return edition.by_id[source].choice_text(code, language) if source else LocalText(code)


def _any_fallback(*texts: str) -> bool:
    return any(getattr(t, "fallback", False) for t in texts)


def display_answer(edition: Edition, q: Question, value: Any, language: str = "en") -> Display:
    """How an answer reads, in ``language`` (the edition's texts and this module's words)."""
    with override(base_language(language)):
        return _display_answer(edition, q, value, language)


def _display_answer(edition: Edition, q: Question, value: Any, language: str) -> Display:
    t = q.type
    if t == "multi":
        labels = [q.choice_text(v, language) for v in value]
        return Display(lines=[str(label) for label in labels], bullets=True, fallback=_any_fallback(*labels))
    fallback = False
    if t in ("single", "yesno"):
        label = q.choice_text(value, language)
        text, fallback = str(label), label.fallback
    elif t == "partial_date":
        text = format_partial_date(value)
    elif t in ("text", "int"):
        text = str(value)
    elif t == "part_lengths":
        lines = []
        labels = []
        for part, length in value.items():
            label = _label(edition, q.parts_from, part, language)
            labels.append(label)
            if isinstance(length, dict):
                lo, hi = length.get("min"), length.get("max")
                span = f"{lo}" if lo == hi else f"{lo}–{hi}"
                lines.append(gettext("%(part)s: %(span)s characters") % {"part": label, "span": span})
            else:
                lines.append(
                    ngettext("%(part)s: %(n)s character", "%(part)s: %(n)s characters", length)
                    % {"part": label, "n": length}
                )
        return Display(lines=lines, fallback=_any_fallback(*labels))
    elif t == "order":
        labels = [_label(edition, q.parts_from, p, language) for p in value]
        return Display(lines=[f"{i}. {label}" for i, label in enumerate(labels, 1)], fallback=_any_fallback(*labels))
    elif t == "grid":
        columns = [tr_text(c.label, language) for c in q.columns]
        headers = [str(c) for c in columns]
        fallback = _any_fallback(*columns)
        if q.rows_from:
            source = edition.by_id[q.rows_from]
            headers = [gettext("Type of IPR"), *headers]
            row_labels = [source.choice_text(r, language) for r in value]
            fallback = fallback or _any_fallback(*row_labels)
            rows = [
                [str(label), *[row.get(c.id, "") for c in q.columns]]
                for label, row in zip(row_labels, value.values(), strict=True)
            ]
        else:
            rows = [[row.get(c.id, "") for c in q.columns] for row in value]
        if q.max_rows == 1 and len(rows) == 1:
            # A one-row grid reads better as label/value pairs (as in Q14 c).
            return Display(
                headers=["", ""], rows=[[h, v] for h, v in zip(headers, rows[0], strict=True)], fallback=fallback
            )
        return Display(headers=headers, rows=rows, fallback=fallback)
    else:
        text = str(value)
    if q.answer_format:
        answer_format = tr_text(q.answer_format, language)
        text = answer_format.replace("{value}", text)
        fallback = fallback or answer_format.fallback
    return Display(lines=[text], fallback=fallback)
