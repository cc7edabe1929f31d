"""Spreadsheet rows → responses, through the branching engine.

The International Bureau imports responses on behalf of offices (a transcribed paper
reply, the results of an earlier survey). One row is one response; the same layout is
what the admin exports, so an exported file can be corrected and imported again.

Columns
-------
=================  ====================================================  =========================
round              the survey round's slug                               application-numbering-2012
office             the office's ST.3 code                                MD
numbering_system   the numbering system's label (letter case ignored)    Trademarks
sequence           n in “Response n of m”; empty: the next free number   2
status             written on export, ignored on import (the workflow    published
                   state changes only through the review workflow)
q1a … q14d         one column per question ID, in edition order          (see below)
=================  ====================================================  =========================

Row numbers are those the spreadsheet shows: the header is row 1, the first response is
row 2. Entirely empty rows are skipped.

Cells
-----
Export writes exactly this and import reads it back. An empty cell is an unanswered
question. Choice codes are the edition's codes, never labels (rewording a label must not
change data); letter case is ignored on import ("Yes" reads as ``yes``).

================  ==============================================  ==================================
multi             the choice codes, joined by "; "                patents; trademarks
single, yesno     the choice code                                 fixed · yes
text              the text as written                             Numbers restart each year.
partial_date      a year, or day/month/year                       1992 · 15/03/1992
int               the number                                      7
part_lengths      part=characters, joined by "; "                 serial=6; year=4
                  (minimum–maximum questions: part=min-max)       serial=4-6
order             the part codes in order, joined by "; "         year; serial
grid by IPR type  type=value, joined by "; " (one-column grids)   patents=10; trademarks=70
other grids       a JSON list of objects, one per table row       [{"code": "1", "meaning": "PCT"}]
================  ==============================================  ==================================

Two escapes keep every answer exact:

- Text that a spreadsheet program would run as a formula (starting with ``=``, ``+``,
  ``-``, ``@``, or a tab) is written after an apostrophe, as is text that itself starts
  with an apostrophe; import removes that one leading apostrophe.
- A grid-by-type value that contains ";" or surrounding spaces is written as a JSON
  object (``{"patents": {"code": "1; 2"}}``); import reads both forms.

From spreadsheet programs, import also takes what they make of typed values: a number
where a code or a year was typed (``2``, ``1992``), a date cell for a date, TRUE/FALSE
for a yes/no question.

What import checks
------------------
Every cell is decoded first (unknown choice codes, malformed cells, wrong types, unknown
columns, unknown office or round); then the answers go through the branching engine:
only applicable questions are validated, and answers to questions that do not apply are
set aside (``set_aside_answers``), never stored as applicable. Questions left unanswered
are allowed: an imported response is a draft the office can complete. Each problem names
the row, the column (the question ID) and the reason; a file with any problem writes
nothing (the admin import runs in one transaction).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from standards.models import Office
from standards.validators import validate_st3_code
from surveys.errors import (
    NotAllowed,
    OfficeNotInvited,
    ResponseExists,
    ResponseNotEditable,
    RoundClosed,
    SequenceUnavailable,
    WorkflowError,
)
from surveys.intake.recording import response_overwrite_for_office, response_record_for_office
from surveys.models import (
    NumberingSystem,
    QuestionnaireEdition,
    SurveyResponse,
    SurveyRound,
)
from surveys.permissions import may
from surveys.questionnaire import types as question_types
from surveys.questionnaire.edition import Edition, Question
from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.evaluation import Evaluation
from surveys.questionnaire.types.cells import CellError, cell_text, unguard_text, whole_number

ROUND, OFFICE, SYSTEM, SEQUENCE, STATUS = "round", "office", "numbering_system", "sequence", "status"
FIXED_COLUMNS = (ROUND, OFFICE, SYSTEM, SEQUENCE, STATUS)
IMPORT_NOTE = "imported"
MAX_LABEL_LENGTH = NumberingSystem._meta.get_field("label").max_length


# --- problems -------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """One reason a row cannot be imported: where (row, column) and why."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}, column {self.column}" if self.row is not None else f"Column {self.column}"
        return f"{where}: {self.message}"


class ImportInvalid(WorkflowError):
    """A row (or the whole sheet) cannot be imported; ``problems`` says where and why."""

    def __init__(self, problems: Sequence[RowProblem]):
        self.problems = list(problems)
        super().__init__(" · ".join(str(p) for p in self.problems))

    def at_row(self, row: int) -> ImportInvalid:
        return ImportInvalid([replace(p, row=row) if p.row is None else p for p in self.problems])

    def as_validation_error(self) -> ValidationError:
        """Column → messages, as import-export shows them beside the row."""
        by_column: dict[str, list[str]] = {}
        for p in self.problems:
            by_column.setdefault(p.column, []).append(p.message)
        return ValidationError(by_column)


# --- cells ----------------------------------------------------------------------------


def encode_answer(q: Question, value: Any) -> str | int:
    """A stored answer as one cell, as its question's type writes it (see the module
    docstring); "" for no answer.

    Drafts may hold answers that are not valid yet (a year typed as "19x2"): those are
    written as they are, so an export never fails and an import reports them.
    """
    if value is None:
        return ""
    return question_types.get(q.type).to_cell(q, value)


def decode_answer(edition: Edition, q: Question, cell: Any) -> Any:
    """One cell → the answer as the engine stores it; CellError says what is wrong."""
    return question_types.get(q.type).from_cell(q, cell, edition)


def is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


# --- reading a sheet ------------------------------------------------------------------


@dataclass
class ParsedRow:
    number: int
    survey_round: SurveyRound
    office: Office
    label: str
    sequence: int | None
    answers: dict[str, Any]


class SheetReader:
    """Reads the rows of one sheet; round, office and edition look-ups are made once per value."""

    def __init__(self, headers: Sequence[Any]):
        self.headers = list(headers)
        self.names = {h: (str(h).strip() if h is not None else "") for h in self.headers}
        editions = list(QuestionnaireEdition.objects.order_by("-year", "slug"))
        self.structures: dict[int, Edition] = {e.pk: e.structure for e in editions}
        self.edition_slugs = {e.pk: e.slug for e in editions}
        self.known_ids: dict[str, Question] = {}
        for structure in self.structures.values():
            for q in structure.questions:
                self.known_ids.setdefault(q.id, q)
        self._rounds: dict[str, SurveyRound | None] = {}
        self._offices: dict[str, Office | None] = {}
        self._seen: dict[tuple[int, str, str], int] = {}
        counts: dict[str, int] = {}
        for header in self.headers:
            name = str(header).strip() if header is not None else ""
            if name:
                counts[name] = counts.get(name, 0) + 1
        self.header_problems = [
            RowProblem(1, name, "this column appears more than once; keep one.") for name, n in counts.items() if n > 1
        ]

    def _round(self, slug: str) -> SurveyRound | None:
        if slug not in self._rounds:
            self._rounds[slug] = SurveyRound.objects.filter(slug=slug).first()
        return self._rounds[slug]

    def _office(self, code: str) -> Office | None:
        if code not in self._offices:
            self._offices[code] = Office.objects.filter(code=code).first()
        return self._offices[code]

    def _structure(self, survey_round: SurveyRound) -> Edition:
        if survey_round.edition_id not in self.structures:
            self.structures[survey_round.edition_id] = survey_round.edition.structure
        return self.structures[survey_round.edition_id]

    def _cell(self, row: Mapping[Any, Any], column: str) -> Any:
        for header, name in self.names.items():
            if name == column:
                return row.get(header)
        return None

    def read(self, row: Mapping[Any, Any], number: int) -> ParsedRow | None:
        """The row's target and answers, or None for an empty row; ImportInvalid lists every problem."""
        if all(is_blank(v) for v in row.values()):
            return None
        cells = _RowCells(self, row, number)
        survey_round = cells.survey_round()
        office = cells.office()
        label = cells.label()
        sequence = cells.sequence()
        answers = cells.answers(survey_round)
        if survey_round and office and label:
            cells.check_once(survey_round, office, label)
        if cells.problems:
            raise ImportInvalid(cells.problems)
        return ParsedRow(number, survey_round, office, label, sequence, answers)


class _RowCells:
    """The cells of one row read in turn, each problem noted with its column."""

    def __init__(self, reader: SheetReader, row: Mapping[Any, Any], number: int) -> None:
        self.reader, self.row, self.number = reader, row, number
        self.problems: list[RowProblem] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append(RowProblem(self.number, column, message))

    def text_of(self, column: str) -> str:
        try:
            return cell_text(self.reader._cell(self.row, column)).strip()
        except CellError as exc:
            self.problem(column, str(exc))
            return ""

    def survey_round(self) -> SurveyRound | None:
        slug = self.text_of(ROUND)
        if not slug:
            self.problem(ROUND, "empty; give the survey round's slug (e.g. application-numbering-2012).")
            return None
        survey_round = self.reader._round(slug)
        if survey_round is None:
            self.problem(ROUND, f"no survey round has the slug {slug!r}.")
        return survey_round

    def office(self) -> Office | None:
        code = self.text_of(OFFICE)
        if not code:
            self.problem(OFFICE, "empty; give the office's ST.3 code (e.g. MD).")
            return None
        try:
            validate_st3_code(code)
        except ValidationError as exc:
            self.problem(OFFICE, " ".join(exc.messages))
            return None
        office = self.reader._office(code)
        if office is None:
            self.problem(OFFICE, f"no office has the ST.3 code {code!r}.")
        return office

    def label(self) -> str:
        try:
            label = unguard_text(cell_text(self.reader._cell(self.row, SYSTEM))).strip()
        except CellError as exc:
            self.problem(SYSTEM, str(exc))
            return ""
        if not label:
            self.problem(SYSTEM, "empty; give the numbering system's label (e.g. Trademarks).")
        elif len(label) > MAX_LABEL_LENGTH:
            self.problem(SYSTEM, f"at most {MAX_LABEL_LENGTH} characters (this label has {len(label)}).")
        return label

    def sequence(self) -> int | None:
        raw = self.text_of(SEQUENCE)
        if not raw:
            return None
        try:
            sequence = whole_number(raw, "the sequence")
        except CellError as exc:
            self.problem(SEQUENCE, str(exc))
            return None
        if sequence < 1:
            self.problem(SEQUENCE, "the sequence starts at 1.")
        return sequence

    def answers(self, survey_round: SurveyRound | None) -> dict[str, Any]:
        structure = self.reader._structure(survey_round) if survey_round else None
        answers: dict[str, Any] = {}
        for header, column in self.reader.names.items():
            value = self.row.get(header)
            if column in FIXED_COLUMNS or is_blank(value):
                continue
            edition = self.edition_of(column, structure, survey_round)
            if edition is None:
                continue
            try:
                answers[column] = decode_answer(edition, edition.by_id[column], value)
            except CellError as exc:
                self.problem(column, str(exc))
        return answers

    def edition_of(self, column: str, structure: Edition | None, survey_round: SurveyRound | None) -> Edition | None:
        """The edition whose question the column is: the round's, or any (the round is unknown)."""
        if column not in self.reader.known_ids:
            shown = column or "(no header)"
            self.problem(shown, "unknown column: neither a question ID nor one of " + ", ".join(FIXED_COLUMNS) + ".")
            return None
        if structure is not None and column not in structure.by_id:
            slug = self.reader.edition_slugs.get(survey_round.edition_id)
            self.problem(column, f"not a question of the edition {slug!r}.")
            return None
        return structure or next(s for s in self.reader.structures.values() if column in s.by_id)

    def check_once(self, survey_round: SurveyRound, office: Office, label: str) -> None:
        """A response may be imported once per sheet."""
        key = (survey_round.pk, office.pk, label.lower())
        seen = self.reader._seen
        if key in seen:
            self.problem(SYSTEM, f"row {seen[key]} already imports this response ({office.pk}, “{label}”).")
        else:
            seen[key] = self.number


# --- writing --------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    response: SurveyResponse
    action: str  # created · updated · unchanged
    evaluation: Evaluation
    # The response as it was before the import (None when it was created): for previews.
    original: SurveyResponse | None = None


def _engine_problems(evaluation: Evaluation) -> list[RowProblem]:
    # Unanswered questions are allowed (an imported draft is completed by the office);
    # everything else the engine objects to is a reason to refuse the row.
    problems = [RowProblem(None, qid, "not a question of this edition.") for qid in evaluation.unknown]
    for qid, issues in evaluation.errors.items():
        problems += [RowProblem(None, qid, issue.message) for issue in issues if issue.code != "required"]
    return problems


# Which column a refusal of the shared services is about.
COLUMN_OF_REFUSAL: dict[type[WorkflowError], str] = {
    RoundClosed: ROUND,
    OfficeNotInvited: OFFICE,
    SequenceUnavailable: SEQUENCE,
    ResponseExists: SYSTEM,
    ResponseNotEditable: STATUS,
}


def _row_problem(exc: WorkflowError) -> RowProblem:
    # Problems read "Row 2, column round: the round … is closed.": the service's sentence
    # continues after the column, so an ordinary capitalised first word is lowered
    # (an ST.3 code such as "FR" stays as it is).
    text = str(exc)
    first = text.split(" ", 1)[0]
    if first[1:].islower():
        text = text[:1].lower() + text[1:]
    return RowProblem(None, COLUMN_OF_REFUSAL.get(type(exc), SYSTEM), text)


@transaction.atomic
def response_import(
    *,
    survey_round: SurveyRound,
    office: Office,
    label: str,
    answers: Mapping[str, Any],
    user: User,
    sequence: int | None = None,
) -> ImportOutcome:
    """Create or overwrite an office's response from imported answers, as the secretariat.

    The writing is that of ``response_record_for_office`` and ``response_overwrite_for_office``
    (the branching engine decides what applies; answers to questions that do not apply,
    and earlier answers that no longer apply, are set aside; every write records a
    revision noted "imported"). Only draft or returned responses are overwritten. Raises
    ImportInvalid (column and reason) or NotAllowed; writes nothing then.
    """
    if not may(user, "surveys.import_surveyresponse"):
        raise NotAllowed("Only the International Bureau (secretariat) can import responses.")
    evaluation = evaluate(survey_round.edition.structure, answers, with_warnings=False)
    problems = _engine_problems(evaluation)
    if problems:
        raise ImportInvalid(problems)
    # Locked here (the service locks it again) so that ``original`` is what is overwritten.
    existing = (
        SurveyResponse.objects.select_for_update(of=("self",))
        .filter(round=survey_round, numbering_system__office=office, numbering_system__label__iexact=label.strip())
        .first()
    )
    try:
        if existing is None:
            response = response_record_for_office(
                survey_round=survey_round,
                office=office,
                numbering_system_label=label,
                answers=answers,
                user=user,
                note=IMPORT_NOTE,
                sequence=sequence,
            )
            return ImportOutcome(response=response, action="created", evaluation=evaluation)
        original = copy.deepcopy(existing)
        response, written = response_overwrite_for_office(
            response=existing, answers=answers, user=user, note=IMPORT_NOTE, sequence=sequence
        )
    except NotAllowed:
        raise
    except WorkflowError as exc:
        raise ImportInvalid([_row_problem(exc)]) from None
    return ImportOutcome(
        response=response, action="updated" if written else "unchanged", evaluation=evaluation, original=original
    )


def import_row(reader: SheetReader, row: Mapping[Any, Any], *, number: int, user: User) -> ImportOutcome | None:
    """Read one sheet row and write its response; None for an empty row.

    Raises ImportInvalid with every problem of the row, each naming the row and column.
    """
    parsed = reader.read(row, number)
    if parsed is None:
        return None
    try:
        return response_import(
            survey_round=parsed.survey_round,
            office=parsed.office,
            label=parsed.label,
            answers=parsed.answers,
            user=user,
            sequence=parsed.sequence,
        )
    except ImportInvalid as exc:
        raise exc.at_row(number) from None
    except IntegrityError:
        # Someone created the same response between our look-up and our insert.
        raise ImportInvalid(
            [RowProblem(number, SYSTEM, "this response was created by someone else meanwhile; import again.")]
        ) from None
