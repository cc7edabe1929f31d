"""Selectors for the round report: plain table definitions, decided once, rendered everywhere.

A report is a list of `Table`s (columns, rows of cells, totals rows, notes, an optional
chart). The HTML page, the print template for the PDF and the CSV, XLSX, DOCX and JSON
exporters only lay these tables out; none of them counts or reads answers, so every
format shows the same figures.

Query budget: one query for the responses in scope (with their office), one for the
"m" of "n/m" (responses per office in the round), one for the names the offices bore on
the round's opening date (standards.office_names), one for the q14d attachments. It does
not grow with the number of responses or offices; the caller has already fetched the
round with its edition.

Office names: every table names an office as it was named on the day its round opened
(`names_date`; e.g. EM is "OHIM" in a 2012 report, "EUIPO" in a 2024 one); a builder
reads it from `_Entry.office_name`.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from itertools import islice
from typing import Any, Protocol, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from standards.office_names import office_names_on
from standards.st13 import RULES, ComplianceReport, Verdict, evaluate_compliance
from standards.structure import NumberingStructure, structure_from_answers
from surveys.models import Attachment, ResponseStatus, SurveyResponse, SurveyRound
from surveys.permissions import may
from surveys.questionnaire import types as question_types
from surveys.questionnaire.edition import Edition, Question, tr
from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.evaluation import Evaluation
from surveys.questionnaire.revisions import in_revised_terms
from surveys.reports.charts import Bar, Chart
from surveys.reports.rowstore import RowStore
from surveys.responses import selectors
from surveys.responses.display import display_answer, verdict_label

# The report's own wording (headings, legends, sheet names) comes from the message
# catalogues, in the language the report is built in (build_report); question and choice
# labels come from the edition. ST.13 rule titles and reasons come from standards.st13 in
# English, as on the other pages: the compliance legends say so.
HANDBOOK = _("WIPO Handbook on Industrial Property Information and Documentation")


def _office_count(n: int) -> str:
    return ngettext("%(n)s office", "%(n)s offices", n) % {"n": n}


def _response_count(n: int) -> str:
    return ngettext("%(n)s response", "%(n)s responses", n) % {"n": n}


def participation_sentence(offices: int, responses: int, language: str) -> str:
    """e.g. "2 offices submitted 3 responses." (the verb agrees with the offices in French and Spanish)."""
    with translation.override(language):
        return ngettext("%(offices)s submitted %(responses)s.", "%(offices)s submitted %(responses)s.", offices) % {
            "offices": _office_count(offices),
            "responses": _response_count(responses),
        }


# --- who sees what ---------------------------------------------------------------------


class Scope(StrEnum):
    PUBLISHED = "published"
    REVIEWED = "reviewed"
    WITH_SUBMITTED = "with_submitted"


SCOPE_LABELS = {
    Scope.PUBLISHED: _("published responses"),
    Scope.REVIEWED: _("accepted and published responses"),
    Scope.WITH_SUBMITTED: _("submitted, accepted and published responses"),
}


SCOPE_STATUSES: dict[Scope, tuple[str, ...]] = {
    Scope.PUBLISHED: (ResponseStatus.PUBLISHED,),
    # By default the secretariat's figures are what it has reviewed; "submitted" is opt-in.
    Scope.REVIEWED: (ResponseStatus.ACCEPTED, ResponseStatus.PUBLISHED),
    Scope.WITH_SUBMITTED: (ResponseStatus.SUBMITTED, ResponseStatus.ACCEPTED, ResponseStatus.PUBLISHED),
}


def report_scope(user: User | AnonymousUser, *, include_submitted: bool = False) -> Scope:
    """Published responses for everyone; the secretariat adds what it has accepted (and, if asked, submitted)."""
    if not may(user, "surveys.view_unpublished_figures"):
        return Scope.PUBLISHED
    return Scope.WITH_SUBMITTED if include_submitted else Scope.REVIEWED


def report_responses(survey_round: SurveyRound, scope: Scope):
    attachments = Attachment.objects.filter(question_id="q14d").only("id", "response_id", "original_name")
    return (
        SurveyResponse.objects.for_round(survey_round)
        .filter(status__in=SCOPE_STATUSES[scope])
        .select_related("office")
        .only(
            "id",
            "round_id",
            "office_id",
            "sequence",
            "status",
            "answers",
            "office__code",
            "office__name",
            "office__name_fr",
            "office__name_es",
        )
        .prefetch_related(Prefetch("attachments", queryset=attachments, to_attr="report_attachments"))
        .order_by("office_id", "sequence")
    )


# --- table definitions -----------------------------------------------------------------


class Kind(StrEnum):
    KEY = "key"  # identifies the row (e.g. "MD 2/2"); holds the totals label
    MARK = "mark"  # ✓ or blank for one choice
    VALUE = "value"  # an answer's text
    COUNT = "count"  # a number
    VERDICT = "verdict"  # an ST.13 verdict with its reason as the cell note


@dataclass(frozen=True, slots=True)
class Cell:
    value: str | int = ""
    note: str = ""  # e.g. the reason for a verdict: a tooltip on the page, a comment in XLSX
    css: str = ""  # classes of the cell, all prefixed "rt-" (report table) to keep clear of the site's
    chip: str = ""  # classes of a chip around the value (the site's verdict chips)


BLANK = Cell()
TICK = Cell("✓", css="rt-mark")
NOT_APPLICABLE = Cell("—", css="rt-na")


# A question's number at the start of a column group's heading: "1 a)" or "12.".
QUESTION_NUMBER = re.compile(r"^(\d+ [a-z]+\)|\d+\.)\s")


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    kind: Kind = Kind.VALUE
    group: str = ""  # heading shared by adjacent columns (a question's text)
    group_id: str = ""
    notes: bool = False  # its cells carry notes (reasons) that flat formats put in a column of their own
    sheet_width: int = 0  # characters across in a spreadsheet; 0: as its kind has it (long texts ask for more)

    @property
    def flat_label(self) -> str:
        """One-line heading for formats with a single header row (CSV)."""
        if self.group and self.label:
            number = QUESTION_NUMBER.match(self.group)
            if number:  # "1 a) Which types …" → "1 a) Patents for inventions"
                return f"{number[1]} {self.label}"
            return f"{self.group}: {self.label}"
        return self.label or self.group

    @property
    def has_notes(self) -> bool:
        return self.notes


# The print layout (PDF) gives tables fixed column widths, which keeps WeasyPrint linear
# in the number of rows (its automatic layout measures every cell again on each page a
# long table continues on). Widths are estimated in characters of the print font:
PRINT_LINE = 160  # characters (digits of DejaVu Sans at 7 pt) across a landscape A4 page
PRINT_PADDING = 2  # a cell's padding and rule, in characters
PRINT_MIN = {Kind.KEY: 6, Kind.MARK: 4, Kind.VALUE: 6, Kind.COUNT: 4, Kind.VERDICT: 8}
PRINT_WORD_CAP = 30  # longer "words" (e.g. URLs) may wrap anywhere
PRINT_LINE_CAP = 120  # long texts wrap; beyond this a column gains nothing from being wider


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


@dataclass
class Row:
    key: str
    cells: list[Cell]
    # Structured content of some cells, for JSON: column id → its parts (e.g. the 7.2.6 remarks).
    details: dict[str, Any] | None = None

    @property
    def values(self) -> list[str | int]:
        return [c.value for c in self.cells]


@dataclass
class TotalsRow:
    label: str
    values: list[int | None]  # per column; None where nothing is counted (and in the key column)


@dataclass(frozen=True)
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    css: str = ""


class Rows(Protocol):
    """What `Table.rows` is: rows in order, readable several times, with len() (a list or a RowStore)."""

    def __iter__(self) -> Iterator[Row]: ...

    def __len__(self) -> int: ...


@dataclass
class Table:
    """One table of the report, for every layout (page, print, CSV, XLSX, DOCX, JSON).

    `rows` is read in order, as often as needed, and has len(); in a built report it is a
    RowStore (most rows on disk), so a layout should go through it once per use rather
    than copy it into a list. Everything else is small and complete: `totals` and `chart`
    count every response whatever page of rows is shown.
    """

    id: str
    section: str
    title: str
    columns: list[Column]
    rows: Rows | list[Row] = field(default_factory=list)
    totals: list[TotalsRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    legend: str = ""
    chart: Chart | None = None
    sheet_name: str = ""
    collapsible: bool = False  # long detail tables the page folds away (the PDF prints them in full)

    @cached_property
    def header_rows(self) -> list[list[HeaderCell]]:
        """One header row, or two when columns are grouped under a question."""
        if not any(c.group for c in self.columns):
            return [[HeaderCell(c.label, css=f"rt-{c.kind}") for c in self.columns]]
        top: list[HeaderCell] = []
        bottom: list[HeaderCell] = []
        i = 0
        while i < len(self.columns):
            col = self.columns[i]
            span = 1
            while col.group_id and i + span < len(self.columns) and self.columns[i + span].group_id == col.group_id:
                span += 1
            if span == 1 and (not col.group or not col.label):
                top.append(HeaderCell(col.label or col.group, rowspan=2, css=f"rt-{col.kind}"))
            else:
                top.append(HeaderCell(col.group, colspan=span, css="rt-group"))
                bottom.extend(HeaderCell(c.label, css=f"rt-{c.kind}") for c in self.columns[i : i + span])
            i += span
        return [top, bottom]

    @property
    def print_widths(self) -> list[str]:
        """Column widths in per cent, for the print template's <col> elements.

        Every column gets at least its longest word (header or cell), so that numbers such
        as "10-2012-000012345" and labels never break inside; the rest of the line is
        shared in proportion to how much more each column's longest line would use.
        """
        floors, wants = [], []
        for i, column in enumerate(self.columns):
            header = column.label or column.group
            word = round(_longest_word(header) * 1.15)  # headers are bold
            line = 0
            for row in self.rows:
                text = str(row.cells[i].value)
                word = max(word, min(_longest_word(text), PRINT_WORD_CAP))
                line = max(line, min(_longest_line(text), PRINT_LINE_CAP))
            floor = max(PRINT_MIN[column.kind], word) + PRINT_PADDING
            floors.append(floor)
            wants.append(max(floor, line + PRINT_PADDING))
        extra = sum(w - f for w, f in zip(wants, floors, strict=True))
        if sum(wants) <= PRINT_LINE or not extra:
            # Everything fits (the widths grow in proportion), or nothing can give way.
            widths = wants
        else:
            spare = max(PRINT_LINE - sum(floors), 0)
            widths = [f + (w - f) * spare / extra for w, f in zip(wants, floors, strict=True)]
        total = sum(widths)
        return [f"{100 * w / total:.2f}" for w in widths]

    @property
    def footer_rows(self) -> list[tuple[str, list[tuple[int | None, str]]]]:
        """Totals rows for the templates: label, then (value, css class of its column) per column."""
        return [
            (t.label, [(v, f"rt-{c.kind}") for c, v in zip(self.columns[1:], t.values[1:], strict=True)])
            for t in self.totals
        ]

    @property
    def totals_by_column(self) -> dict[str, dict[str, int]]:
        """Totals row label → column id → count (what the acceptance tests compare across formats)."""
        return {
            t.label: {c.id: v for c, v in zip(self.columns, t.values, strict=True) if v is not None}
            for t in self.totals
        }

    def row_dict(self, row: Row) -> dict[str, Any]:
        """A row as JSON data: its key, its values and, if any, the notes per column id."""
        item: dict[str, Any] = {"key": row.key, "values": row.values}
        notes = {c.id: cell.note for c, cell in zip(self.columns, row.cells, strict=True) if cell.note}
        if notes:
            item["notes"] = notes
        if row.details:
            item["details"] = row.details
        return item

    def as_dict(self, *, rows: bool = True) -> dict[str, Any]:
        """The table as JSON data (`rows=False`: everything but the rows, which stay where they are)."""
        return {
            "id": self.id,
            "section": self.section,
            "title": self.title,
            "columns": [
                {
                    "id": c.id,
                    "label": c.label,
                    "group": c.group,
                    "group_id": c.group_id,
                    "kind": str(c.kind),
                    "notes": c.notes,
                }
                for c in self.columns
            ],
            "rows": [self.row_dict(row) for row in self.rows] if rows else [],
            "totals": [{"label": label, "values": values} for label, values in self.totals_by_column.items()],
            "notes": self.notes,
            "legend": self.legend,
            "chart": (
                {
                    "title": self.chart.title,
                    "total": self.chart.total,
                    "bars": [{"label": b.label, "count": b.count} for b in self.chart.bars],
                }
                if self.chart
                else None
            ),
        }


# The report page shows a table this many rows at a time (its totals and chart are always complete).
PAGE_ROWS = 50


class NoSuchPage(ValueError):
    """A page number before the first page or after the last one."""


@dataclass(frozen=True)
class TablePage:
    """One page of a table's rows, for the report page."""

    table: Table
    number: int
    size: int
    rows: list[Row]

    @property
    def count(self) -> int:
        """All the table's rows (not only this page's)."""
        return len(self.table.rows)

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.size))

    @property
    def first(self) -> int:
        """The number of the page's first row (from 1), 0 if the table is empty."""
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def table_page(table: Table, number: int = 1, size: int = PAGE_ROWS) -> TablePage:
    """Page `number` (from 1) of the table's rows; only these rows are read into memory."""
    count = len(table.rows)
    if number < 1 or (number - 1) * size >= max(count, 1):
        raise NoSuchPage(number)
    start = (number - 1) * size
    return TablePage(table, number, size, list(islice(table.rows, start, start + size)))


@dataclass(frozen=True)
class Passage:
    """A titled run of paragraphs before a section's tables (the 7.2.5 editorial note, its introduction)."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    id: str
    part: str  # the Handbook part, for headings and the PDF's running header
    title: str
    tables: list[Table]
    language: str = "en"
    passages: tuple[Passage, ...] = ()  # text before the tables, in every layout

    @property
    def running_head(self) -> str:
        if not self.part:
            return self.title
        with translation.override(self.language):
            return pgettext("Handbook part", "Part %(part)s — %(title)s") % {"part": self.part, "title": self.title}


SECTION_PARTS = {"results": "7.2.5", "examples": "7.2.6", "compliance": ""}
SECTION_TITLES = {
    "results": _("Survey results"),
    "examples": _("Examples of application numbers and priority application numbers"),
    "compliance": _("Compliance with WIPO Standard ST.13"),
}


@dataclass
class Report:
    survey_round: SurveyRound
    scope: Scope
    tables: list[Table]
    response_count: int
    office_count: int
    language: str = "en"
    generated_at: Any = field(default_factory=timezone.now)
    # The title part of Handbook 7.2.5, before the results: the editorial note and the
    # introduction, worded in the report's language (results_passages).
    results_passages: tuple[Passage, ...] = ()

    def __post_init__(self) -> None:
        # The row stores' temporary files go when the report is closed, or else when it is
        # collected (a streamed download that was never read to the end).
        stores = [t.rows for t in self.tables if isinstance(t.rows, RowStore)]
        self._finalizer = weakref.finalize(self, _close_stores, stores)

    def close(self) -> None:
        """Deletes the temporary files of the rows; the report's rows cannot be read afterwards."""
        self._finalizer()

    @property
    def closed(self) -> bool:
        return not self._finalizer.alive

    def __enter__(self) -> Report:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def title(self) -> str:
        # The round's title in the report's language (the English one where none is given).
        return self.survey_round.title_in(self.language)

    @property
    def scope_label(self) -> str:
        with translation.override(self.language):
            return str(SCOPE_LABELS[self.scope])

    @property
    def summary(self) -> str:
        return participation_sentence(self.office_count, self.response_count, self.language)

    @property
    def handbook(self) -> str:
        """The Handbook's name, for running headers (PDF, DOCX)."""
        with translation.override(self.language):
            return str(HANDBOOK)

    @property
    def page_counter(self) -> str:
        """The page numbers of the PDF's running footer, with {page} and {pages} for the counters."""
        with translation.override(self.language):
            return gettext("Page %(page)s of %(pages)s") % {"page": "{page}", "pages": "{pages}"}

    @property
    def sections(self) -> list[Section]:
        result = []
        with translation.override(self.language):
            for section_id, part in SECTION_PARTS.items():
                tables = [t for t in self.tables if t.section == section_id]
                if tables:
                    title = str(SECTION_TITLES[section_id])
                    passages = self.results_passages if section_id == "results" else ()
                    result.append(Section(section_id, part, title, tables, self.language, passages))
        return result

    def table(self, table_id: str) -> Table:
        for table in self.tables:
            if table.id == table_id:
                return table
        raise KeyError(table_id)

    def as_dict(self, tables: list[Table] | None = None, *, rows: bool = True) -> dict[str, Any]:
        """The report as JSON data, with all its tables or the ones given (`rows=False`: without their rows)."""
        rnd = self.survey_round
        return {
            "round": {"slug": rnd.slug, "title": rnd.title, "year": rnd.year, "edition": rnd.edition.slug},
            "language": self.language,
            "scope": str(self.scope),
            "scope_label": self.scope_label,
            "summary": self.summary,
            "offices": self.office_count,
            "responses": self.response_count,
            "generated_at": self.generated_at.isoformat(),
            "passages": [{"heading": p.heading, "paragraphs": list(p.paragraphs)} for p in self.results_passages],
            "tables": [t.as_dict(rows=rows) for t in (self.tables if tables is None else tables)],
        }


def _close_stores(stores: list[RowStore]) -> None:
    for store in stores:
        store.close()


# --- building ------------------------------------------------------------------------------


def result_numbers(edition: Edition) -> list[int]:
    """The question numbers reported in the 7.2.5 manner: all but the examples (14)."""
    return sorted({q.number for q in edition.questions if q.number != EXAMPLES_NUMBER})


EXAMPLES_NUMBER = 14


def table_ids(edition: Edition) -> list[str]:
    return [
        "participation",
        *(f"q{n}" for n in result_numbers(edition)),
        "examples",
        "compliance",
        "compliance_reasons",
    ]


@dataclass
class _Entry:
    """One response in the report with what the tables derive from it, each computed once."""

    response: SurveyResponse
    label: str
    edition: Edition
    office_name: str = ""  # the office's name on the round's opening date (names_date)

    @cached_property
    def evaluation(self) -> Evaluation:
        return evaluate(self.edition, self.response.answers, with_warnings=False)

    @cached_property
    def answers(self) -> dict[str, Any]:
        # Applicable, non-empty answers: a hidden answer never shows and never counts.
        return self.evaluation.answers

    @cached_property
    def structure(self) -> NumberingStructure:
        # What the answers say about the numbering system, read once (standards.structure).
        # Answers to a revising edition are read through its mapping (questionnaire.revisions).
        return structure_from_answers(in_revised_terms(self.edition, self.answers))

    @cached_property
    def compliance(self) -> ComplianceReport:
        return evaluate_compliance(self.structure)


# Responses are read from the database this many at a time (with their attachments: one
# more query per chunk), evaluated once each, and their rows added to every table.
CHUNK_SIZE = 500


def _encode_row(row: Row) -> tuple:
    cells = tuple((c.value, c.note, c.css, c.chip) for c in row.cells)
    return (row.key, cells, row.details) if row.details else (row.key, cells)


_COMMON_CELLS = {(c.value, c.note, c.css, c.chip): c for c in (BLANK, TICK, NOT_APPLICABLE)}


def _decode_row(data: tuple) -> Row:
    key, cells, *details = data
    common = _COMMON_CELLS.get
    return Row(key, [common(c) or Cell(*c) for c in cells], details[0] if details else None)


def row_store() -> RowStore:
    """An empty store for the rows of one table (the first rows in memory, the rest on disk)."""
    return RowStore(_encode_row, _decode_row)


class _Builder:
    """Builds one table in a single pass: `add` each response in order, then `table()`."""

    def __init__(self, edition: Edition, language: str) -> None:
        self.edition = edition
        self.language = language
        self.rows = row_store()
        self.count = 0  # responses added

    def add(self, entry: _Entry) -> None:
        self.count += 1
        self.add_rows(entry)

    def add_rows(self, entry: _Entry) -> None:
        raise NotImplementedError

    def table(self) -> Table:
        raise NotImplementedError


_B = TypeVar("_B", bound=_Builder)


def names_date(survey_round: SurveyRound):
    """The day whose office names a round's report uses: the day the round opened (the
    offices answered under those names; a renaming during the round does not apply)."""
    return survey_round.opens_on


def _editorial_note(survey_round: SurveyRound) -> str:
    session, presented = survey_round.cws_session, survey_round.presented_on
    if session and presented:
        # Month and year, as the Handbook words it ("at its third session in April 2013").
        return gettext(
            "Survey results presented to the Committee on WIPO Standards (CWS) at its session %(session)s in %(month)s."
        ) % {"session": session, "month": formats.date_format(presented, "F Y")}
    if session:
        return gettext(
            "Survey results presented to the Committee on WIPO Standards (CWS) at its session %(session)s."
        ) % {"session": session}
    return gettext("These results have not yet been presented to the Committee on WIPO Standards (CWS).")


def _questions_sentence(edition: Edition) -> str:
    numbers = result_numbers(edition)
    if not numbers:
        return ""
    sentence = gettext("The results of Questions %(first)s to %(last)s follow, question by question.") % {
        "first": numbers[0],
        "last": numbers[-1],
    }
    if len(numbers) == 1:
        sentence = gettext("The results of Question %(number)s follow.") % {"number": numbers[0]}
    if any(q.number == EXAMPLES_NUMBER for q in edition.questions):
        sentence += " " + gettext(
            "The examples of application numbers given in reply to Question %(number)s are compiled in Part 7.2.6."
        ) % {"number": EXAMPLES_NUMBER}
    return sentence


def results_passages(survey_round: SurveyRound, edition: Edition, offices: int, responses: int) -> tuple[Passage, ...]:
    """The title part of Handbook 7.2.5, in the active language: the editorial note (the CWS
    session the results were presented to, set on the round) and the introduction, whose
    counts are those of the report's responses."""
    language = translation.get_language() or "en"
    surveyed = gettext(
        "This survey was conducted in %(year)s, from %(opens)s to %(closes)s, "
        "with the questionnaire “%(questionnaire)s”."
    ) % {
        "year": survey_round.year,
        "opens": formats.date_format(survey_round.opens_on, "j F Y"),
        "closes": formats.date_format(survey_round.closes_on, "j F Y"),
        "questionnaire": tr(edition.title, language),
    }
    took_part = ngettext(
        "%(offices)s took part in the survey and submitted %(responses)s in total, each describing one application "
        "numbering system of its office.",
        "The following %(offices)s took part in the survey and submitted %(responses)s in total, each describing "
        "one application numbering system of its office.",
        offices,
    ) % {"offices": _office_count(offices), "responses": _response_count(responses)}
    named = gettext("Offices are named as they were named on %(date)s, the day the round opened.") % {
        "date": formats.date_format(names_date(survey_round), "j F Y")
    }
    introduction = tuple(p for p in (surveyed, _questions_sentence(edition), took_part, named) if p)
    return (
        Passage(gettext("Editorial note"), (_editorial_note(survey_round),)),
        Passage(gettext("Introduction"), introduction),
    )


def build_report(survey_round: SurveyRound, *, scope: Scope, only: str | None = None, language: str = "en") -> Report:
    """The whole report (or the one table `only` names) for the responses in scope.

    One pass over the responses, read in chunks: each is evaluated once and adds its rows
    to every table; totals and charts are counted on the way. The rows are kept in row
    stores (mostly on disk), so memory does not grow with the number of responses. Close
    the report (or use it as a context manager) when it has been laid out: that deletes
    the stores' temporary files (they are also deleted when the report is collected).
    """
    edition = survey_round.edition.structure
    ids = table_ids(edition)
    if only is not None and only not in ids:
        raise KeyError(only)
    per_office = selectors.response_totals(survey_round)
    # The names the offices bore when the round opened (one query, whatever the number of offices).
    names = office_names_on(names_date(survey_round))
    # The tables' words in the report's language, whatever the request's (an export, a task).
    with translation.override(language):
        builders = [_builder(table_id, edition, language) for table_id in ids if only is None or table_id == only]
        participation = _Participation(edition, language)
        for response in report_responses(survey_round, scope).iterator(chunk_size=CHUNK_SIZE):
            n = max(per_office.get(response.office_id, 0), response.sequence)
            office_name = response.office.name_in(language, recorded=names.get(response.office_id))
            entry = _Entry(response, f"{response.office_id} {response.sequence}/{n}", edition, office_name)
            participation.add(entry)
            for builder in builders:
                if builder is not None:
                    builder.add(entry)
        tables = [(builder or participation).table() for builder in builders]
        offices, responses = len(participation.counts), participation.count
        passages = results_passages(survey_round, edition, offices, responses)
    return Report(
        survey_round=survey_round,
        scope=scope,
        tables=tables,
        response_count=responses,
        office_count=offices,
        language=language,
        results_passages=passages,
    )


# Builders kept in modules of their own register here (they import this module, so it
# cannot import them): surveys.reports.examples (7.2.6), loaded when the app starts.
REGISTERED_BUILDERS: dict[str, Callable[[Edition, str], _Builder]] = {}


def register_builder(table_id: str) -> Callable[[type[_B]], type[_B]]:
    """Class decorator: the builder of table `table_id`."""

    def register(cls: type[_B]) -> type[_B]:
        REGISTERED_BUILDERS[table_id] = cls
        return cls

    return register


def _builder(table_id: str, edition: Edition, language: str) -> _Builder | None:
    """The builder of a table (None for participation, which build_report counts anyway)."""
    if table_id == "participation":
        return None
    if table_id in REGISTERED_BUILDERS:
        return REGISTERED_BUILDERS[table_id](edition, language)
    if table_id == "examples":
        raise LookupError("no builder registered for the examples table: surveys.reports.examples is not loaded")
    if table_id == "compliance":
        return _Compliance(edition, language)
    if table_id == "compliance_reasons":
        return _ComplianceReasons(edition, language)
    return _QuestionTable(edition, language, int(table_id[1:]))


class _Participation(_Builder):
    """Handbook 7.2.5's list of participating offices: code / office name, one row per office
    (a few hundred at most), each named as it was on the round's opening date."""

    def __init__(self, edition: Edition, language: str) -> None:
        super().__init__(edition, language)
        self.counts: dict[str, int] = {}
        self.names: dict[str, str] = {}

    def add_rows(self, entry: _Entry) -> None:
        r = entry.response
        self.counts[r.office_id] = self.counts.get(r.office_id, 0) + 1
        self.names[r.office_id] = entry.office_name or r.office.name

    def table(self) -> Table:
        columns = [
            Column("st3_code", gettext("Code"), Kind.KEY),
            Column("office", gettext("Office")),
        ]
        rows = [Row(code, [Cell(code), Cell(self.names[code])]) for code in self.counts]
        return Table(
            id="participation",
            section="results",
            title=gettext("Participating offices"),
            columns=columns,
            rows=rows,
            legend=gettext("Each office is named as it was named when the round opened."),
            # Translators: a worksheet name: at most 31 characters, none of : \ / ? * [ ]
            sheet_name=pgettext("worksheet", "Participation"),
        )


def question_number(q: Question) -> str:
    """A question's number as the questionnaire prints it: "1 a)" (Question 1, part a), or "12." (no parts)."""
    return f"{q.number} {q.letter})" if q.letter else f"{q.number}."


def _group_heading(q: Question, language: str) -> str:
    """The heading of a question's columns: its number as in the questionnaire and the
    edition's own text, the words the offices answered."""
    return f"{question_number(q)} {tr(q.text, language)}"


def _value_text(edition: Edition, q: Question, value: Any, language: str) -> str:
    """An answer as one cell: lines joined by newlines, no sentence framing ("from 1992")."""
    display = display_answer(edition, q, value, language, framed=False)
    if display.is_table:
        return "\n".join(": ".join(str(v) for v in row if str(v).strip()) for row in display.rows)
    return "\n".join(display.lines)


class _QuestionTable(_Builder):
    """A 7.2.5 results table: one column per choice (ticks) or answer, per response."""

    def __init__(self, edition: Edition, language: str, number: int) -> None:
        super().__init__(edition, language)
        self.number = number
        self.questions = [q for q in edition.questions if q.number == number]
        self.columns = [Column("response", gettext("Response"), Kind.KEY)]
        # (question, choice code or None) per column after the key column.
        self.sources: list[tuple[Question, str | None]] = []
        group_q: Question | None = None
        for q in self.questions:
            if q.letter or group_q is None:
                group_q = q
            group = _group_heading(group_q, language)
            if question_types.get(q.type).has_choices:
                for code in q.choice_codes:
                    label = q.choice_label(code, language)
                    self.columns.append(Column(f"{q.id}.{code}", label, Kind.MARK, group, group_q.id))
                    self.sources.append((q, code))
            else:
                # A lettered follow-up heads its own column; an unlettered one ("Other: which?")
                # sits under the question it completes.
                text = "" if q is group_q else tr(q.text, language)
                self.columns.append(Column(q.id, text, Kind.VALUE, group, group_q.id))
                self.sources.append((q, None))
        self.counts = [0] * len(self.sources)

    def add_rows(self, entry: _Entry) -> None:
        evaluation = entry.evaluation
        cells = [Cell(entry.label)]
        for i, (q, code) in enumerate(self.sources):
            state = evaluation.state(q.id)
            if state == "not_applicable":
                cells.append(NOT_APPLICABLE)
                continue
            if state == "not_answered":
                cells.append(BLANK)
                continue
            value = evaluation.answers[q.id]
            if code is not None:
                ticked = code in value if isinstance(value, list) else value == code
                cells.append(TICK if ticked else BLANK)
                self.counts[i] += ticked
            else:
                cells.append(Cell(_value_text(self.edition, q, value, self.language)))
                self.counts[i] += 1
        self.rows.append(Row(entry.response.public_key, cells))

    def table(self) -> Table:
        gate = self.questions[0]
        bars = tuple(
            Bar(col.label, self.counts[i])
            for i, col in enumerate(self.columns[1:])
            if self.sources[i][0] is gate and col.kind == Kind.MARK
        )
        section = self.edition.section_of(gate.id)
        title = f"{gettext('Question %(number)s') % {'number': self.number}} — {tr(section.title, self.language)}"
        chart = Chart(
            f"q{self.number}",
            _group_heading(gate, self.language),
            bars,
            self.count,
            total_text=_response_count(self.count),
        )
        return Table(
            id=f"q{self.number}",
            section="results",
            title=title,
            columns=self.columns,
            rows=self.rows,
            totals=[TotalsRow(gettext("Total"), [None, *self.counts])],
            legend=gettext(
                "✓ ticked · — the question did not apply to this numbering system · blank: not answered. "
                "The totals row counts the responses with a tick or an answer in each column."
            ),
            chart=chart if bars else None,
            # Translators: a worksheet name (Q for question): at most 31 characters, none of : \ / ? * [ ]
            sheet_name=pgettext("worksheet", "Q%(number)s") % {"number": self.number},
        )


def _verdict_cell(verdict: Verdict, note: str) -> Cell:
    return Cell(verdict_label(verdict, short=True), note=note, css="rt-verdict", chip=f"verdict verdict-{verdict}")


class _Compliance(_Builder):
    """The ST.13 compliance matrix: a verdict per rule and overall, the declaration, the flag."""

    def __init__(self, edition: Edition, language: str) -> None:
        super().__init__(edition, language)
        self.q13a = edition.by_id["q13a"]
        self.columns = [Column("response", gettext("Response"), Kind.KEY)]
        self.columns += [
            Column(f"rule.{r.section}", f"({r.section}) {r.title}", Kind.VERDICT, notes=True) for r in RULES
        ]
        self.columns += [
            Column("overall", gettext("Overall"), Kind.VERDICT, notes=True),
            Column("declared", gettext("Declared conformant (q13a)")),
            Column("disagrees", gettext("Declaration disagrees")),
        ]
        # “Review”: the response's own declaration contradicts the evaluation.
        self.review = pgettext("ST.13 compliance flag", "Review")
        # Totals: one row per verdict, counted over the rule columns and the overall column.
        self.tallies = {v: [0] * (len(RULES) + 1) for v in Verdict}
        self.flagged = 0
        self.declared = {
            True: Cell(self.q13a.choice_label("yes", language)),
            False: Cell(self.q13a.choice_label("no", language)),
        }

    def add_rows(self, entry: _Entry) -> None:
        report = entry.compliance
        cells = [Cell(entry.label)]
        for i, result in enumerate(report.rules):
            cells.append(_verdict_cell(result.verdict, result.reason))
            self.tallies[result.verdict][i] += 1
        cells.append(_verdict_cell(report.overall, report.summary))
        self.tallies[report.overall][len(RULES)] += 1
        declared = entry.structure.declared_conformant
        cells.append(self.declared[bool(declared)] if declared is not None else BLANK)
        if report.disagrees:
            self.flagged += 1
            cells.append(Cell(self.review, note=report.summary, css="rt-flag"))
        else:
            cells.append(BLANK)
        self.rows.append(Row(entry.response.public_key, cells))

    def table(self) -> Table:
        totals = [TotalsRow(verdict_label(v, short=True), [None, *self.tallies[v], None, None]) for v in Verdict]
        totals.append(TotalsRow(self.review, [None] * (len(self.columns) - 1) + [self.flagged]))
        return Table(
            id="compliance",
            section="compliance",
            title=gettext("ST.13 compliance matrix"),
            columns=self.columns,
            rows=self.rows,
            totals=totals,
            legend=gettext(
                "Each verdict is derived from the answers, rule by rule, with WIPO Standard ST.13 sections (a) to "
                "(g); the reasons are listed in the next table. “Review” marks a response whose own declaration "
                "(q13a) contradicts the evaluation. The rule titles and reasons are given in English, as on the "
                "other pages."
            ),
            # Translators: a worksheet name: at most 31 characters, none of : \ / ? * [ ]
            sheet_name=pgettext("worksheet", "ST.13 compliance"),
        )


class _ComplianceReasons(_Builder):
    """The reason for every verdict: a row per rule and one for the overall verdict, per response."""

    def __init__(self, edition: Edition, language: str) -> None:
        super().__init__(edition, language)
        self.overall = gettext("Overall")

    def add_rows(self, entry: _Entry) -> None:
        report = entry.compliance
        key = entry.response.public_key
        label = Cell(entry.label)
        for result in report.rules:
            self.rows.append(
                Row(
                    f"{key}.{result.section}",
                    [
                        label,
                        Cell(f"({result.section}) {result.title}"),
                        _verdict_cell(result.verdict, ""),
                        Cell(result.reason),
                    ],
                )
            )
        self.rows.append(
            Row(f"{key}.overall", [label, Cell(self.overall), _verdict_cell(report.overall, ""), Cell(report.summary)])
        )

    def table(self) -> Table:
        return Table(
            id="compliance_reasons",
            section="compliance",
            title=gettext("ST.13 compliance: the reason for every verdict"),
            columns=[
                Column("response", gettext("Response"), Kind.KEY),
                Column("rule", gettext("Rule")),
                Column("verdict", gettext("Verdict"), Kind.VERDICT),
                Column("reason", gettext("Reason")),
            ],
            rows=self.rows,
            legend=gettext(
                "The rule titles and reasons come from WIPO Standard ST.13 and are given in English, as on the "
                "other pages."
            ),
            # Translators: a worksheet name: at most 31 characters, none of : \ / ? * [ ]
            sheet_name=pgettext("worksheet", "ST.13 reasons"),
            collapsible=True,
        )
