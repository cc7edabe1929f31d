"""Plain display rows for responses: what a page or an export shows, decided in Python.

Templates only loop over what these functions return; none of them count, branch on
answers or format values themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from surveys.answers import field_name, form_values
from surveys.edition import Edition, Question, Section, tr
from surveys.engine import Evaluation, Issue, chosen, format_partial_date

STATE_LABELS = {"answered": "Answered", "not_answered": "Not answered", "not_applicable": "Not applicable"}


@dataclass
class Display:
    lines: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    bullets: bool = False

    @property
    def is_table(self) -> bool:
        return bool(self.headers)


def _label(edition: Edition, source: str | None, code: str, language: str) -> str:
    return edition.by_id[source].choice_label(code, language) if source else code


def display_answer(edition: Edition, q: Question, value: Any, language: str = "en") -> Display:
    t = q.type
    if t == "multi":
        return Display(lines=[q.choice_label(v, language) for v in value], bullets=True)
    if t in ("single", "yesno"):
        text = q.choice_label(value, language)
    elif t == "partial_date":
        text = format_partial_date(value)
    elif t in ("text", "int"):
        text = str(value)
    elif t == "part_lengths":
        lines = []
        for part, length in value.items():
            label = _label(edition, q.parts_from, part, language)
            if isinstance(length, dict):
                lo, hi = length.get("min"), length.get("max")
                span = f"{lo}" if lo == hi else f"{lo}–{hi}"
                lines.append(f"{label}: {span} characters")
            else:
                lines.append(f"{label}: {length} character{'s' if length != 1 else ''}")
        return Display(lines=lines)
    elif t == "order":
        return Display(lines=[f"{i}. {_label(edition, q.parts_from, p, language)}" for i, p in enumerate(value, 1)])
    elif t == "grid":
        headers = [tr(c.label, language) for c in q.columns]
        if q.rows_from:
            source = edition.by_id[q.rows_from]
            headers = ["Type of IPR", *headers]
            rows = [
                [source.choice_label(r, language), *[row.get(c.id, "") for c in q.columns]] for r, row in value.items()
            ]
        else:
            rows = [[row.get(c.id, "") for c in q.columns] for row in value]
        if q.max_rows == 1 and len(rows) == 1:
            # A one-row grid reads better as label/value pairs (as in Q14 c).
            return Display(headers=["", ""], rows=[[h, v] for h, v in zip(headers, rows[0], strict=True)])
        return Display(headers=headers, rows=rows)
    else:
        text = str(value)
    if q.answer_format:
        text = tr(q.answer_format, language).replace("{value}", text)
    return Display(lines=[text])


@dataclass
class ItemView:
    question: Question
    letter_label: str
    text: str
    heading: str | None
    continuation: str | None
    state: str
    display: Display | None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    attachments: list[Any] = field(default_factory=list)
    comments: list[Any] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class SectionView:
    section: Section
    title: str
    reminder: str
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
                heading = f"Question {q.number} (cont'd)"
                continuation = tr(q.continuation, language)
            elif q.number not in shown_numbers:
                heading = f"Question {q.number}"
            if applicable or include_not_applicable:
                shown_numbers.add(q.number)
            value = evaluation.answers.get(q.id)
            items.append(
                ItemView(
                    question=q,
                    letter_label=f"{q.letter})" if q.letter else "",
                    text=tr(q.text, language),
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
                section=section, title=tr(section.title, language), reminder=tr(section.reminder, language), items=items
            )
        )
    return sections


# --- the questionnaire form -----------------------------------------------------------


@dataclass
class FieldRow:
    """One input row of a composite question (a part, a grid row)."""

    key: str
    label: str
    cells: list[dict[str, str]]
    visible: bool = True


@dataclass
class FormItem:
    question: Question
    text: str
    letter_label: str
    heading: str
    continuation: str
    applicable: bool
    value: Any
    errors: list[Issue]
    warnings: list[Issue]
    choices: list[dict[str, Any]] = field(default_factory=list)
    rows: list[FieldRow] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    examples: list[ExampleView] = field(default_factory=list)
    help: str = ""
    widget: str = ""
    comments: list[Any] = field(default_factory=list)

    @property
    def error_ids(self) -> str:
        return " ".join(f"err-{self.question.id}-{i}" for i, _ in enumerate(self.errors))


@dataclass
class ExampleView:
    number: int
    title: str
    body: list[str]


def _examples(edition: Edition, numbers: tuple[int, ...], language: str) -> list[ExampleView]:
    return [
        ExampleView(n, tr(edition.examples[n].title, language), [tr(b, language) for b in edition.examples[n].body])
        for n in numbers
    ]


@dataclass
class FormSection:
    section: Section
    title: str
    reminder: str
    items: list[FormItem]
    state: str
    required_left: int
    examples: list[ExampleView] = field(default_factory=list)
    # None when the response was not pre-filled from an earlier round.
    confirmed: bool | None = None

    @property
    def state_label(self) -> str:
        return {"complete": "Complete", "incomplete": "Incomplete", "has_errors": "Has errors"}[self.state]

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
                text=tr(q.text, language),
                letter_label=f"{q.letter})" if q.letter else "",
                heading=f"Question {q.number}" if first_of_number else "",
                continuation=(f"Question {q.number} (cont'd) " + tr(q.continuation, language))
                if q.continuation
                else "",
                applicable=applicable,
                value=values.get(q.id, [] if q.type == "multi" else ""),
                errors=errors if applicable else [],
                warnings=warnings_by_q.get(q.id, []),
                # An example already shown at the top of the section is not repeated here.
                examples=_examples(edition, tuple(n for n in q.examples if n not in section.examples), language),
                help=tr(q.help, language),
                widget="input" if q.id.endswith("_other") else "textarea",
                comments=(comments or {}).get(q.id, []),
            )
            if q.type in ("multi", "single", "yesno"):
                selected = values.get(q.id, [])
                selected = selected if isinstance(selected, list) else [selected]
                item.choices = [
                    {
                        "code": code,
                        "label": q.choice_label(code, language),
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
                            {
                                "name": field_name(q.id, code, "min"),
                                "label": "Minimum",
                                "value": values.get(field_name(q.id, code, "min"), ""),
                            },
                            {
                                "name": field_name(q.id, code, "max"),
                                "label": "Maximum",
                                "value": values.get(field_name(q.id, code, "max"), ""),
                            },
                        ]
                    elif q.type == "grid":
                        cells = [
                            {
                                "name": field_name(q.id, code, c.id),
                                "label": tr(c.label, language),
                                "value": values.get(field_name(q.id, code, c.id), ""),
                            }
                            for c in q.columns
                        ]
                    else:
                        label = "Position" if q.type == "order" else "Characters"
                        cells = [
                            {
                                "name": field_name(q.id, code),
                                "label": label,
                                "value": values.get(field_name(q.id, code), ""),
                            }
                        ]
                    item.rows.append(
                        FieldRow(
                            key=code, label=source.choice_label(code, language), cells=cells, visible=code in picked
                        )
                    )
            elif q.type == "grid":
                item.columns = [tr(c.label, language) for c in q.columns]
                existing = answers.get(q.id) if isinstance(answers.get(q.id), list) else []
                count = len(existing) + 1
                if q.max_rows:
                    count = min(count, q.max_rows)
                count = max(count, q.min_rows, 1)
                for i in range(count):
                    cells = [
                        {
                            "name": field_name(q.id, i, c.id),
                            "label": tr(c.label, language),
                            "value": values.get(field_name(q.id, i, c.id), ""),
                        }
                        for c in q.columns
                    ]
                    item.rows.append(FieldRow(key=str(i), label=f"Row {i + 1}", cells=cells))
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
                title=tr(section.title, language),
                reminder=tr(section.reminder, language),
                items=items,
                state=state,
                required_left=left,
                examples=_examples(edition, section.examples, language),
                confirmed=None if confirmed is None else section.id in confirmed,
            )
        )
    return sections
