"""The branching engine: answers in → applicable questions, errors and warnings out.

It is the authority on what a response means: applicability comes from the condition
language (``conditions``), then only applicable questions are validated, and the
consistency checks add soft warnings. Whatever the browser sends, the server
recomputes all of it from the answers here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from surveys.questionnaire.conditions import applicable_questions
from surveys.questionnaire.consistency import consistency_warnings
from surveys.questionnaire.edition import Edition, Question
from surveys.questionnaire.evaluation import Evaluation, Issue, chosen, is_empty

MAX_TEXT_LENGTH = 4000
MAX_CELL_LENGTH = 500
MAX_GRID_ROWS = 100
YEAR_MIN, YEAR_MAX = 1800, 2100

_YEAR = re.compile(r"^\d{4}$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


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
                problems.append(
                    (
                        "too_few_rows",
                        ngettext("Fill in at least %(n)s row.", "Fill in at least %(n)s rows.", q.min_rows)
                        % {"n": q.min_rows},
                    )
                )
            limit = min(q.max_rows or MAX_GRID_ROWS, MAX_GRID_ROWS)
            if len(rows) > limit:
                problems.append(
                    ("too_many_rows", ngettext("At most %(n)s row.", "At most %(n)s rows.", limit) % {"n": limit})
                )
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
    in ``set_aside`` and never count as answered.
    """
    applicable = applicable_questions(edition, answers)
    applicable_set = set(applicable)
    effective = {qid: answers[qid] for qid in applicable if qid in answers and not is_empty(answers[qid])}
    set_aside = {
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
        set_aside=set_aside,
        errors=errors,
        required_unanswered=tuple(missing),
        unknown=unknown,
    )
    if with_warnings:
        evaluation.warnings = consistency_warnings(edition, evaluation)
    return evaluation
