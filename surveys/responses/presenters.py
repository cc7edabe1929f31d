"""Pages about a response, assembled in Python: the response as published (sections,
"Question N" headings, answers), the questionnaire form, the response page and its
history.

Templates only loop over what these functions return; none of them count, branch on
answers or format values themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext, ngettext, override
from django.utils.translation import gettext_lazy as _

from surveys.models import QuestionnaireEdition, SurveyResponse
from surveys.questionnaire import types as question_types
from surveys.questionnaire.edition import Edition, LocalText, Question, Section, base_language, tr_text
from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.evaluation import Evaluation, Issue
from surveys.questionnaire.form_fields import form_values
from surveys.questionnaire.types.forms import FieldRow
from surveys.responses import selectors
from surveys.responses.compliance import compliance_for_answers
from surveys.responses.diff import compare
from surveys.responses.display import STATE_LABELS, Display, display_answer

SECTION_STATE_LABELS = {
    "complete": _("Complete"),
    "incomplete": _("Incomplete"),
    "has_errors": _("Has errors"),
    "not_applicable": _("Not applicable"),
    "to_confirm": _("To confirm"),
}


def section_state_label(state: str, required_left: int) -> str:
    """A section's state in the form's list of sections; an incomplete one says how many
    required questions are left (static/surveys/branching.js words it the same way)."""
    if state == "incomplete":
        return ngettext("%(n)s question left", "%(n)s questions left", required_left) % {"n": required_left}
    return str(SECTION_STATE_LABELS[state])


def question_heading(number: int) -> str:
    return gettext("Question %(number)s") % {"number": number}


def continued_heading(number: int) -> str:
    return gettext("Question %(number)s (cont'd)") % {"number": number}


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


# --- the pages of a response ----------------------------------------------------------


@dataclass
class CommentedQuestion:
    """A question with review comments, as the overall comment links to it."""

    question: Question
    text: LocalText
    count: int

    @property
    def label(self) -> str:
        q = self.question
        return f"{q.number} {q.letter})" if q.letter else str(q.number)


def commented_questions(items: list[Any]) -> list[CommentedQuestion]:
    """The questions among ``items`` (the form's or the page's) that hold review comments, in order."""
    return [CommentedQuestion(item.question, item.text, len(item.comments)) for item in items if item.comments]


def page_language() -> str:
    """The language of the page being built ("en", "fr", "es"): edition texts follow it."""
    return base_language(get_language() or settings.LANGUAGE_CODE)


def edition_title(edition_row: QuestionnaireEdition, language: str):
    # The stored title is the English one; the definition carries the translations.
    return tr_text(edition_row.definition.get("title") or {"en": edition_row.title}, language)


def response_page(
    response: SurveyResponse, *, include_not_applicable: bool, with_comments: bool = False, language: str = "en"
) -> dict:
    """The response page (the office's and the secretariat's, or the public one)."""
    edition = response.round.edition.structure
    evaluation = evaluate(edition, response.answers)
    total = selectors.response_count_for_office(response)
    attachments = list(response.attachments.all())
    comments = selectors.comments_by_question(response) if with_comments else {}
    document = response_document(
        edition,
        evaluation,
        include_not_applicable=include_not_applicable,
        attachments=attachments,
        comments=comments,
        language=language,
    )
    return {
        "response": response,
        "edition": edition,
        "evaluation": evaluation,
        "compliance": compliance_for_answers(response.answers, edition),
        "general_comments": comments.get("", []),
        "commented_questions": commented_questions([item for sv in document for item in sv.items]),
        "document": document,
        "edition_title": tr_text(edition.title, language),
        "heading": gettext("Response %(number)s of %(total)s submitted by %(office)s")
        % {"number": response.sequence, "total": total, "office": response.office.local_name},
        "round_line": round_line(response),
    }


def round_line(response: SurveyResponse) -> str:
    """The round a response answers and the day it was submitted (the round's year is not
    the submission's: a 2012 edition's round can be answered in 2026)."""
    if response.submitted_at is None:
        return gettext("Round: %(round)s") % {"round": response.round.local_title}
    return gettext("Round: %(round)s · submitted on %(date)s") % {
        "round": response.round.local_title,
        "date": formats.date_format(timezone.localtime(response.submitted_at), "j F Y"),
    }


def history_page(response: SurveyResponse, a: str | None, b: str | None, *, language: str = "en") -> dict:
    """The response's revisions, and two of them (versions ``a`` and ``b``) compared."""
    revisions = list(response.revisions.select_related("author").order_by("version"))
    by_version = {r.version: r for r in revisions}

    def pick(raw: str | None, default):
        try:
            return by_version[int(raw)]
        except (TypeError, ValueError, KeyError):
            return default

    newest = revisions[-1] if revisions else None
    older = pick(a, revisions[-2] if len(revisions) > 1 else newest)
    newer = pick(b, newest)
    rows = (
        compare(
            response.round.edition.structure,
            older.answers,
            older.set_aside_answers,
            newer.answers,
            newer.set_aside_answers,
            language=language,
        )
        if older and newer
        else []
    )
    return {"response": response, "revisions": revisions, "older": older, "newer": newer, "rows": rows}


# --- the questionnaire form -----------------------------------------------------------


@dataclass
class FormItem:
    """One question of the form. Its type fills in what its template needs (``form_item``:
    choices, rows, columns, widget) and names that template."""

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
    template: str = ""
    # How the branching script reads the answer (types.base: script_value).
    script_value: str = ""
    # Carried over from an earlier edition through its mapping: the mark shown (responses.carried).
    carried: Any = None

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
        return section_state_label(self.state, self.required_left)

    @property
    def comment_count(self) -> int:
        """Review comments on the section's questions (a returned response: what to look at)."""
        return sum(len(item.comments) for item in self.items)

    @property
    def anchor(self) -> str:
        return f"section-{self.section.id}"


def section_state(applicable: bool, required_left: int, has_errors: bool, confirmed: bool | None = None) -> str:
    """not_applicable (no question of the section applies) · has_errors · incomplete
    (required questions left) · complete, in that order; the script on the form decides
    the same way as the office answers (static/surveys/branching.js). In a pre-filled
    response (``confirmed`` not None), a section with nothing left to answer that the
    office has not confirmed is to_confirm: submitting still waits for it."""
    if has_errors and applicable:
        return "has_errors"
    if applicable and required_left:
        return "incomplete"
    if confirmed is False:
        return "to_confirm"
    return "complete" if applicable else "not_applicable"


# The form's count of what is left, worded as the template words it on load.
REQUIRED_LEFT = (
    '<strong id="required-left">%(counter)s</strong> required question left',
    '<strong id="required-left">%(counter)s</strong> required questions left',
)


def _counted(singular: str, plural: str, key: str) -> dict[str, str]:
    """A counted sentence for the script, "{n}" standing for the count: its form for 0, for
    1 and for more (the plural rules of the site's languages differ only there)."""
    return {str(n): ngettext(singular, plural, n) % {key: "{n}"} for n in (0, 1, 2)}


def progress_data(edition: Edition) -> dict[str, Any]:
    """What the form's script needs to count what is left as the office answers, as the
    engine counts it (an applicable required question without an answer): the required
    questions, each section's questions by the section's anchor, and the words."""
    total = {
        n: text.replace('<strong id="required-left">', "").replace("</strong>", "")
        for n, text in _counted(*REQUIRED_LEFT, "counter").items()
    }
    return {
        "required": [q.id for q in edition.questions if q.required],
        "sections": [[f"section-{s.id}", [q.id for q in s.questions]] for s in edition.sections],
        "words": {
            "total": total,
            "left": _counted("%(n)s question left", "%(n)s questions left", "n"),
            "states": {state: str(label) for state, label in SECTION_STATE_LABELS.items()},
        },
    }


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


def questionnaire_form_page(
    response: SurveyResponse,
    answers: Mapping[str, Any],
    *,
    show_errors: bool,
    confirmed: list[str] | None,
    language: str = "en",
) -> dict:
    """The questionnaire form of a response, filled with ``answers`` (saved or posted)."""
    edition = response.round.edition.structure
    evaluation = evaluate(edition, answers)
    comments = selectors.comments_by_question(response)
    sections = questionnaire_form(
        edition,
        answers,
        evaluation,
        show_errors=show_errors,
        comments=comments,
        confirmed=confirmed,
        language=language,
    )
    errors = [(item, error) for section in sections for item in section.items for error in item.errors if show_errors]
    return {
        "response": response,
        "general_comments": comments.get("", []),
        "commented_questions": commented_questions([item for section in sections for item in section.items]),
        "last_hand_over": selectors.last_hand_over(response),
        "prefilled_from": response.prefilled_from,
        "edition": edition,
        "sections": sections,
        "errors": errors,
        "required_left": len(evaluation.required_unanswered),
        "conditions": edition.conditions(),
        "progress": progress_data(edition),
        "parts_sources": edition.parts_sources(),
        "order": [q.id for q in edition.questions],
        "max_attachment": settings.WIPOSTAD_MAX_ATTACHMENT_BYTES,
        "attachments": list(response.attachments.all()),
        "intro": [tr_text(p, language) for p in edition.introduction],
        "examples": edition.examples,
        "heading": f"{response.office.local_name}: {response.numbering_system.label}",
    }


# --- what submitting checks (the approver's confirmation page) -------------------------


@dataclass
class Problem:
    """One thing submitting checks and finds: on a question, or on a section still to confirm."""

    anchor: str
    label: str
    text: LocalText
    message: str = ""


def submission_page(response: SurveyResponse, check: Any, *, language: str = "en") -> dict:
    """What submitting will check, as found on the saved answers (``check``: the workflow's
    ``submission_check`` of the response, the one the submit refuses on)."""
    edition = response.round.edition.structure
    with override(base_language(language)):

        def on_question(issue: Issue) -> Problem:
            q = edition.by_id[issue.question_id]
            label = f"{q.number} {q.letter})" if q.letter else str(q.number)
            return Problem(f"q-{q.id}", label, tr_text(q.text, language), str(issue.message))

        issues = [issue for qid in edition.by_id for issue in check.evaluation.errors.get(qid, [])]
        unconfirmed = set(check.unconfirmed)
        return {
            "response": response,
            "passes": check.passes,
            "required": [on_question(i) for i in issues if i.code == "required"],
            "errors": [on_question(i) for i in issues if i.code != "required"],
            "warnings": [on_question(w) for w in check.evaluation.warnings],
            "unconfirmed": [
                Problem(f"section-{s.id}", str(index), tr_text(s.title, language))
                for index, s in enumerate(edition.sections, start=1)
                if s.id in unconfirmed
            ],
            "required_left": len(check.evaluation.required_unanswered),
            "last_hand_over": selectors.last_hand_over(response),
        }


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
            question_type = question_types.get(q.type)
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
                value=values.get(q.id, ""),
                errors=errors if applicable else [],
                warnings=warnings_by_q.get(q.id, []),
                # An example already shown at the top of the section is not repeated here.
                examples=_examples(edition, tuple(n for n in q.examples if n not in section.examples), language),
                help=tr_text(q.help, language),
                comments=(comments or {}).get(q.id, []),
                template=question_type.template,
                script_value=question_type.script_value,
            )
            question_type.form_item(item, q, edition, answers, values, language)
            items.append(item)
        applicable_items = [i for i in items if i.applicable]
        left = sum(1 for i in applicable_items if i.question.id in evaluation.required_unanswered)
        has_errors = any(
            evaluation.errors.get(i.question.id) and any(e.code != "required" for e in evaluation.errors[i.question.id])
            for i in applicable_items
        )
        is_confirmed = None if confirmed is None else section.id in confirmed
        state = section_state(bool(applicable_items), left, has_errors, is_confirmed)
        sections.append(
            FormSection(
                section=section,
                title=tr_text(section.title, language),
                reminder=tr_text(section.reminder, language),
                items=items,
                state=state,
                required_left=left,
                examples=_examples(edition, section.examples, language),
                confirmed=is_confirmed,
            )
        )
    return sections
