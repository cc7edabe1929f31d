"""Plain display rows for responses: what a page or an export shows, decided in Python.

Templates only loop over what these functions return; none of them count, branch on
answers or format values themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, ngettext, override, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from surveys.questionnaire.edition import Edition, LocalText, Question, Section, base_language, tr_text
from surveys.questionnaire.engine import format_partial_date
from surveys.questionnaire.evaluation import Evaluation, Issue, chosen
from surveys.questionnaire.form_fields import field_name, form_values

# Labels read in pages, in the language of the page (lazy: looked up when shown). The
# model's own choice labels stay English (they are data for the admin and the API).
STATE_LABELS = {"answered": _("Answered"), "not_answered": _("Not answered"), "not_applicable": _("Not applicable")}
SECTION_STATE_LABELS = {"complete": _("Complete"), "incomplete": _("Incomplete"), "has_errors": _("Has errors")}
STATUS_LABELS = {
    "draft": _("Draft"),
    "submitted": _("Submitted"),
    "returned": _("Returned"),
    "accepted": _("Accepted"),
    "published": _("Published"),
}
# What happened to a response, as its workflow timeline says it.
EVENT_LABELS = {
    "submit": _("Submitted"),
    "return": _("Returned to the office"),
    "accept": _("Accepted"),
    "publish": _("Published"),
    "reopen": _("Reopened"),
}
ROUND_STATUS_LABELS = {"open": pgettext_lazy("survey round", "Open"), "closed": pgettext_lazy("survey round", "Closed")}


def status_label(status: str) -> str:
    """A response status as pages show it ("Submitted"), in the active language."""
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status


def event_label(action: str) -> str:
    label = EVENT_LABELS.get(action)
    return str(label) if label is not None else action


def status_words(status: str) -> str:
    """A status inside a sentence ("This response is submitted …"): the label pages show,
    in the reader's language, in lower case."""
    return status_label(status).lower()


def action_words(action: str) -> str:
    """A workflow step inside a sentence ("… cannot be returned to the office")."""
    return event_label(action).lower()


def round_status_label(status: str) -> str:
    label = ROUND_STATUS_LABELS.get(status)
    return str(label) if label is not None else status


def question_heading(number: int) -> str:
    return gettext("Question %(number)s") % {"number": number}


def continued_heading(number: int) -> str:
    return gettext("Question %(number)s (cont'd)") % {"number": number}


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


@dataclass
class ItemView:
    question: Question
    letter_label: str
    text: LocalText
    heading: str | None
    continuation: LocalText | None
    state: str
    display: Display | None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    attachments: list[Any] = field(default_factory=list)
    comments: list[Any] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass
class SectionView:
    section: Section
    title: LocalText
    reminder: LocalText
    items: list[ItemView]


def response_document(
    edition: Edition,
    evaluation: Evaluation,
    *,
    include_not_applicable: bool = False,
    attachments: list[Any] = (),
    comments: Mapping[str, list[Any]] | None = None,
    language: str = "en",
) -> list[SectionView]:
    """The response as published: sections, "Question N" headings, "(cont'd)" lines, answers."""
    with override(base_language(language)):
        return _response_document(
            edition,
            evaluation,
            include_not_applicable=include_not_applicable,
            attachments=attachments,
            comments=comments,
            language=language,
        )


def _response_document(
    edition: Edition,
    evaluation: Evaluation,
    *,
    include_not_applicable: bool,
    attachments: list[Any],
    comments: Mapping[str, list[Any]] | None,
    language: str,
) -> list[SectionView]:
    sections = []
    attachments_by_q: dict[str, list[Any]] = {}
    for a in attachments:
        attachments_by_q.setdefault(a.question_id, []).append(a)
    warnings_by_q: dict[str, list[Issue]] = {}
    for w in evaluation.warnings:
        warnings_by_q.setdefault(w.question_id, []).append(w)
    for section in edition.sections:
        items = []
        shown_numbers: set[int] = set()
        for q in section.questions:
            state = evaluation.state(q.id)
            if state == "not_applicable" and not include_not_applicable:
                continue
            applicable = state != "not_applicable"
            heading = None
            continuation = None
            if applicable and q.continuation and q.number in shown_numbers:
                heading = continued_heading(q.number)
                continuation = tr_text(q.continuation, language)
            elif q.number not in shown_numbers:
                heading = question_heading(q.number)
            if applicable or include_not_applicable:
                shown_numbers.add(q.number)
            value = evaluation.answers.get(q.id)
            items.append(
                ItemView(
                    question=q,
                    letter_label=f"{q.letter})" if q.letter else "",
                    text=tr_text(q.text, language),
                    heading=heading,
                    continuation=continuation,
                    state=state,
                    display=display_answer(edition, q, value, language) if state == "answered" else None,
                    errors=evaluation.errors.get(q.id, []),
                    warnings=warnings_by_q.get(q.id, []),
                    attachments=attachments_by_q.get(q.id, []) if state != "not_applicable" else [],
                    comments=(comments or {}).get(q.id, []),
                )
            )
        sections.append(
            SectionView(
                section=section,
                title=tr_text(section.title, language),
                reminder=tr_text(section.reminder, language),
                items=items,
            )
        )
    return sections


# --- the questionnaire form -----------------------------------------------------------


@dataclass
class FieldRow:
    """One input row of a composite question (a part, a grid row)."""

    key: str
    label: str
    cells: list[dict[str, Any]]
    visible: bool = True


@dataclass
class FormItem:
    question: Question
    text: LocalText
    letter_label: str
    heading: str
    # "Question 4 (cont'd)" and the reminder of the earlier answer that follows it.
    continuation_heading: str
    continuation: LocalText
    applicable: bool
    value: Any
    errors: list[Issue]
    warnings: list[Issue]
    choices: list[dict[str, Any]] = field(default_factory=list)
    rows: list[FieldRow] = field(default_factory=list)
    columns: list[LocalText] = field(default_factory=list)
    examples: list[ExampleView] = field(default_factory=list)
    help: LocalText = field(default_factory=LocalText)
    widget: str = ""
    comments: list[Any] = field(default_factory=list)

    @property
    def error_ids(self) -> str:
        return " ".join(f"err-{self.question.id}-{i}" for i, _ in enumerate(self.errors))


@dataclass
class ExampleView:
    number: int
    title: LocalText
    body: list[LocalText]


def _examples(edition: Edition, numbers: tuple[int, ...], language: str) -> list[ExampleView]:
    return [
        ExampleView(
            n, tr_text(edition.examples[n].title, language), [tr_text(b, language) for b in edition.examples[n].body]
        )
        for n in numbers
    ]


@dataclass
class FormSection:
    section: Section
    title: LocalText
    reminder: LocalText
    items: list[FormItem]
    state: str
    required_left: int
    examples: list[ExampleView] = field(default_factory=list)
    # None when the response was not pre-filled from an earlier round.
    confirmed: bool | None = None

    @property
    def state_label(self) -> str:
        return str(SECTION_STATE_LABELS[self.state])

    @property
    def anchor(self) -> str:
        return f"section-{self.section.id}"


def questionnaire_form(
    edition: Edition,
    answers: Mapping[str, Any],
    evaluation: Evaluation,
    *,
    show_errors: bool,
    comments: Mapping[str, list[Any]] | None = None,
    confirmed: list[str] | None = None,
    language: str = "en",
) -> list[FormSection]:
    """Everything the form template needs: every question (hidden ones flagged), values, errors."""
    with override(base_language(language)):
        return _questionnaire_form(
            edition,
            answers,
            evaluation,
            show_errors=show_errors,
            comments=comments,
            confirmed=confirmed,
            language=language,
        )


def _cell(name: str, label: str, values: Mapping[str, Any]) -> dict[str, Any]:
    return {"name": name, "label": label, "value": values.get(name, "")}


def _questionnaire_form(
    edition: Edition,
    answers: Mapping[str, Any],
    evaluation: Evaluation,
    *,
    show_errors: bool,
    comments: Mapping[str, list[Any]] | None,
    confirmed: list[str] | None,
    language: str,
) -> list[FormSection]:
    values = form_values(edition, answers)
    warnings_by_q: dict[str, list[Issue]] = {}
    for w in evaluation.warnings:
        warnings_by_q.setdefault(w.question_id, []).append(w)
    sections = []
    for section in edition.sections:
        items = []
        numbers_seen: set[int] = set()
        for q in section.questions:
            applicable = evaluation.is_applicable(q.id)
            first_of_number = q.number not in numbers_seen
            numbers_seen.add(q.number)
            errors = (
                evaluation.errors.get(q.id, [])
                if show_errors
                else [e for e in evaluation.errors.get(q.id, []) if e.code != "required"]
            )
            item = FormItem(
                question=q,
                text=tr_text(q.text, language),
                letter_label=f"{q.letter})" if q.letter else "",
                heading=question_heading(q.number) if first_of_number else "",
                continuation_heading=continued_heading(q.number) if q.continuation else "",
                continuation=tr_text(q.continuation, language),
                applicable=applicable,
                value=values.get(q.id, [] if q.type == "multi" else ""),
                errors=errors if applicable else [],
                warnings=warnings_by_q.get(q.id, []),
                # An example already shown at the top of the section is not repeated here.
                examples=_examples(edition, tuple(n for n in q.examples if n not in section.examples), language),
                help=tr_text(q.help, language),
                widget="input" if q.id.endswith("_other") else "textarea",
                comments=(comments or {}).get(q.id, []),
            )
            if q.type in ("multi", "single", "yesno"):
                selected = values.get(q.id, [])
                selected = selected if isinstance(selected, list) else [selected]
                item.choices = [
                    {
                        "code": code,
                        "label": q.choice_text(code, language),
                        "checked": code in selected,
                        "id": f"id_{q.id}-{code}",
                    }
                    for code in q.choice_codes
                ]
            source_id = q.parts_from or q.rows_from
            if source_id:
                source = edition.by_id[source_id]
                picked = set(chosen(answers, source_id))
                for code in source.choice_codes:
                    if q.type == "part_lengths" and q.range:
                        cells = [
                            _cell(field_name(q.id, code, "min"), gettext("Minimum"), values),
                            _cell(field_name(q.id, code, "max"), gettext("Maximum"), values),
                        ]
                    elif q.type == "grid":
                        cells = [
                            _cell(field_name(q.id, code, c.id), tr_text(c.label, language), values) for c in q.columns
                        ]
                    else:
                        label = gettext("Position") if q.type == "order" else gettext("Characters")
                        cells = [_cell(field_name(q.id, code), label, values)]
                    item.rows.append(
                        FieldRow(
                            key=code, label=source.choice_text(code, language), cells=cells, visible=code in picked
                        )
                    )
            elif q.type == "grid":
                item.columns = [tr_text(c.label, language) for c in q.columns]
                existing = answers.get(q.id) if isinstance(answers.get(q.id), list) else []
                count = len(existing) + 1
                if q.max_rows:
                    count = min(count, q.max_rows)
                count = max(count, q.min_rows, 1)
                for i in range(count):
                    cells = [_cell(field_name(q.id, i, c.id), tr_text(c.label, language), values) for c in q.columns]
                    item.rows.append(
                        FieldRow(key=str(i), label=gettext("Row %(number)s") % {"number": i + 1}, cells=cells)
                    )
            items.append(item)
        applicable_items = [i for i in items if i.applicable]
        left = sum(1 for i in applicable_items if i.question.id in evaluation.required_unanswered)
        has_errors = any(
            evaluation.errors.get(i.question.id) and any(e.code != "required" for e in evaluation.errors[i.question.id])
            for i in applicable_items
        )
        state = "has_errors" if has_errors else ("incomplete" if left else "complete")
        sections.append(
            FormSection(
                section=section,
                title=tr_text(section.title, language),
                reminder=tr_text(section.reminder, language),
                items=items,
                state=state,
                required_left=left,
                examples=_examples(edition, section.examples, language),
                confirmed=None if confirmed is None else section.id in confirmed,
            )
        )
    return sections
