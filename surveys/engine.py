"""The branching engine: answers in → applicable questions, errors and warnings out.

It is the authority on what a response means. The browser runs a copy of the condition
evaluation (static/surveys/branching.js) only to show and hide follow-ups while typing;
whatever the browser sends, the server recomputes applicability from the answers here.

A question applies when its condition holds *on the answers of applicable questions*:
an answer left behind in a hidden gate never opens the questions behind it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from surveys.edition import Edition, Question

MAX_TEXT_LENGTH = 4000
MAX_CELL_LENGTH = 500
MAX_GRID_ROWS = 100
YEAR_MIN, YEAR_MAX = 1800, 2100

_YEAR = re.compile(r"^\d{4}$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


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
    stashed: dict[str, Any]
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

    def error_list(self) -> list[Issue]:
        return [issue for issues in self.errors.values() for issue in issues]


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, list | tuple | dict):
        return len(value) == 0
    return False


# --- conditions -----------------------------------------------------------------------


def condition_holds(condition: Any, answers: Mapping[str, Any]) -> bool:
    """Evaluate a condition tree against the answers of applicable questions."""
    if condition is None:
        return True
    ((op, arg),) = condition.items()
    if op == "all":
        return all(condition_holds(c, answers) for c in arg)
    if op == "any":
        return any(condition_holds(c, answers) for c in arg)
    if op == "not":
        return not condition_holds(arg, answers)
    if op == "answered":
        return not is_empty(answers.get(arg))
    qid, expected = arg
    value = answers.get(qid)
    if op == "eq":
        return value == expected
    if op == "in":
        return value in expected
    if op == "has":
        return isinstance(value, list) and expected in value
    raise ValueError(f"unknown condition operator {op!r}")


def applicable_questions(edition: Edition, answers: Mapping[str, Any]) -> tuple[str, ...]:
    """IDs of the questions that apply, in edition order."""
    effective: dict[str, Any] = {}
    result = []
    for q in edition.questions:
        if condition_holds(q.condition, effective):
            result.append(q.id)
            if q.id in answers:
                effective[q.id] = answers[q.id]
    return tuple(result)


# --- values ---------------------------------------------------------------------------


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


def chosen(answers: Mapping[str, Any], question_id: str | None) -> list[str]:
    value = answers.get(question_id) if question_id else None
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Validator:
    def __init__(self, edition: Edition, answers: Mapping[str, Any]):
        self.edition = edition
        self.answers = answers

    def validate(self, q: Question, value: Any) -> list[Issue]:
        method = getattr(self, f"v_{q.type}")
        return [Issue(q.id, code, message) for code, message in method(q, value)]

    def v_multi(self, q: Question, value: Any):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return [("type", _("Tick one or more of the choices."))]
        unknown = [v for v in value if v not in q.choice_codes]
        if unknown:
            return [("unknown_choice", _("Unknown choice %(codes)s.") % {"codes": ", ".join(map(repr, unknown))})]
        if len(set(value)) != len(value):
            return [("duplicate_choice", _("A choice is ticked twice."))]
        return []

    def v_single(self, q: Question, value: Any):
        if not isinstance(value, str) or value not in q.choice_codes:
            return [("unknown_choice", _("Choose one of the listed options (got %(value)s).") % {"value": repr(value)})]
        return []

    v_yesno = v_single

    def v_text(self, q: Question, value: Any):
        if not isinstance(value, str):
            return [("type", _("Enter text."))]
        if len(value) > MAX_TEXT_LENGTH:
            return [
                (
                    "too_long",
                    _("At most %(limit)s characters (this answer has %(length)s).")
                    % {"limit": MAX_TEXT_LENGTH, "length": len(value)},
                )
            ]
        return []

    def v_partial_date(self, q: Question, value: Any):
        if not isinstance(value, str) or parse_partial_date(value) != value:
            return [("bad_date", _("Enter a year (yyyy) or a full date (dd/mm/yyyy)."))]
        return []

    def v_int(self, q: Question, value: Any):
        if not _is_int(value):
            return [("not_a_number", _("Enter a whole number."))]
        if q.min is not None and value < q.min:
            return [("too_small", _("Enter %(min)s or more.") % {"min": q.min})]
        return []

    def _parts(self, q: Question) -> list[str]:
        return chosen(self.answers, q.parts_from or q.rows_from)

    def _parts_problems(self, q: Question, keys: list[str], what: str):
        parts = self._parts(q)
        source = q.parts_from or q.rows_from
        if not parts:
            message = (
                _("Answer %(source)s first: the rows follow the choices made there.")
                if what == "rows"
                else _("Answer %(source)s first: the parts follow the choices made there.")
            )
            return [("depends_on", message % {"source": source})]
        missing = [p for p in parts if p not in keys]
        extra = [k for k in keys if k not in parts]
        problems = []
        if missing:
            # The labels in the language of the message (English when nothing is active).
            language = get_language() or "en"
            labels = ", ".join(self.edition.by_id[source].choice_label(p, language) for p in missing)
            problems.append(("missing_part", _("Give a value for: %(labels)s.") % {"labels": labels}))
        if extra:
            problems.append(
                (
                    "unknown_part",
                    _("%(parts)s not chosen in %(source)s.") % {"parts": ", ".join(map(repr, extra)), "source": source},
                )
            )
        return problems

    def v_part_lengths(self, q: Question, value: Any):
        if not isinstance(value, dict):
            return [("type", _("Give a number of characters for each part."))]
        problems = self._parts_problems(q, list(value), "parts")
        for part, length in value.items():
            if q.range:
                ok = (
                    isinstance(length, dict)
                    and _is_int(length.get("min"))
                    and _is_int(length.get("max"))
                    and 1 <= length["min"] <= length["max"]
                )
                if not ok:
                    problems.append(
                        (
                            "bad_range",
                            _("%(part)s: minimum and maximum must be whole numbers, 1 ≤ minimum ≤ maximum.")
                            % {"part": part},
                        )
                    )
            elif not _is_int(length) or length < 1:
                problems.append(
                    (
                        "bad_length",
                        _("%(part)s: the number of characters must be a whole number of at least 1.") % {"part": part},
                    )
                )
        return problems

    def v_order(self, q: Question, value: Any):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return [("type", _("Give the position of each part."))]
        if len(set(value)) != len(value):
            return [("bad_order", _("Each part must have its own position."))]
        return self._parts_problems(q, value, "parts")

    def v_grid(self, q: Question, value: Any):
        columns = {c.id for c in q.columns}
        if q.rows_from:
            if not isinstance(value, dict):
                return [("type", _("Fill in one row per type."))]
            problems = self._parts_problems(q, list(value), "rows")
            rows = list(value.values())
        else:
            if not isinstance(value, list):
                return [("type", _("Fill in the table."))]
            rows = value
            problems = []
            if len(rows) < q.min_rows:
                problems.append(("too_few_rows", _("Fill in at least %(n)s row(s).") % {"n": q.min_rows}))
            limit = min(q.max_rows or MAX_GRID_ROWS, MAX_GRID_ROWS)
            if len(rows) > limit:
                problems.append(("too_many_rows", _("At most %(n)s row(s).") % {"n": limit}))
        for i, row in enumerate(rows, start=1):
            if not isinstance(row, dict) or not all(isinstance(v, str) for v in row.values()):
                problems.append(("bad_row", _("Row %(row)s is not a set of text cells.") % {"row": i}))
                continue
            unknown = set(row) - columns
            if unknown:
                problems.append(
                    (
                        "unknown_column",
                        _("Row %(row)s: unknown column(s) %(columns)s.")
                        % {"row": i, "columns": ", ".join(sorted(unknown))},
                    )
                )
            if q.rows_from and any(is_empty(row.get(c)) for c in columns):
                problems.append(("empty_cell", _("Row %(row)s: fill in every column.") % {"row": i}))
            if any(len(v) > MAX_CELL_LENGTH for v in row.values()):
                problems.append(
                    (
                        "too_long",
                        _("Row %(row)s: at most %(limit)s characters per cell.") % {"row": i, "limit": MAX_CELL_LENGTH},
                    )
                )
        return problems


def evaluate(edition: Edition, answers: Mapping[str, Any], *, with_warnings: bool = True) -> Evaluation:
    """Applicability, per-question errors and soft warnings for a set of answers.

    Only applicable questions are validated; answers to the others are set aside
    in ``stashed`` and never count as answered.
    """
    applicable = applicable_questions(edition, answers)
    applicable_set = set(applicable)
    effective = {qid: answers[qid] for qid in applicable if qid in answers and not is_empty(answers[qid])}
    stashed = {
        qid: value
        for qid, value in answers.items()
        if qid in edition.by_id and qid not in applicable_set and not is_empty(value)
    }
    unknown = tuple(sorted(qid for qid in answers if qid not in edition.by_id))
    validator = _Validator(edition, effective)
    errors: dict[str, list[Issue]] = {}
    missing = []
    for qid in applicable:
        q = edition.by_id[qid]
        if qid not in effective:
            if q.required:
                missing.append(qid)
                errors[qid] = [Issue(qid, "required", _("This question needs an answer."))]
            continue
        problems = validator.validate(q, effective[qid])
        if problems:
            errors[qid] = problems
    evaluation = Evaluation(
        applicable=applicable,
        answers=effective,
        stashed=stashed,
        errors=errors,
        required_unanswered=tuple(missing),
        unknown=unknown,
    )
    if with_warnings:
        from surveys.consistency import consistency_warnings

        evaluation.warnings = consistency_warnings(edition, evaluation)
    return evaluation
