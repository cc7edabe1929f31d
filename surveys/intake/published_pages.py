"""Import of responses from their published pages.

Two formats are read:

* the plain text of a 2012 published response (``seeds/questionnaire-response-md-002.en.txt``:
  the survey tool's page with its navigation, introduction, section titles in upper
  case, help examples and, under each "Question N", the lettered questions and answers);
* the HTML of this product's own public response page (``surveys/public_response.html``),
  whose markup says what each paragraph is.

Reading happens in three steps, none of which touches the database:

1. the page becomes a list of lines (``Line``), each with the kind the markup gives it
   (HTML, parsed by lxml, which repairs unclosed and stray tags) or none (plain text);
2. the lines are grouped into questions as the page shows them (``Block``: "Question 4"
   + "b)" + the answer lines), skipping page furniture (navigation, introduction,
   section titles and reminders, help examples, "(cont'd)" reminders);
3. each block is matched to a question of the round's edition by its number and letter
   — never by its wording, which differs between 2012 and the edition — and the
   question's type turns its answer lines into a typed value (choice codes, part
   lengths, grids, partial dates: ``read_page`` in surveys/questionnaire/types/).
   Choice labels are matched by their normalised wording, helped by a small table of
   the 2012 wordings that differ from the edition's (``CHOICE_WORDINGS_2012``).

The answers must then pass the branching engine exactly as a saved response would.
Only a page that reads completely is written, by ``published_response_record``, in one
transaction; anything it could not read is reported with its line number.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from itertools import takewhile
from pathlib import Path, PurePath
from typing import Any

import lxml.html
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from lxml import etree
from lxml.html import HtmlElement

from standards.models import Office
from surveys.errors import WorkflowError
from surveys.intake.recording import invitation_lock, response_overwrite_for_office, response_record_for_office
from surveys.models import (
    PLACEHOLDER_NOTE,
    Attachment,
    NumberingSystem,
    ResponseStatus,
    SurveyResponse,
    SurveyRound,
)
from surveys.questionnaire import types as question_types
from surveys.questionnaire.conditions import applicable_questions
from surveys.questionnaire.edition import Edition, Question, tr
from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.types.file import without_attachments
from surveys.questionnaire.types.pages import BULLET_RE, Line, norm
from surveys.questionnaire.types.pages import question_label as _label
from surveys.responses.attachments import ALLOWED_ATTACHMENT_TYPES

# A published page is a few hundred kilobytes at most; anything far larger is not one.
MAX_PAGE_BYTES = 5 * 1024 * 1024
DEFAULT_LABEL = "Imported response {n}"

# --- the 2012 wordings that differ from the edition's ----------------------------------
# Keyed by question ID; the wordings are compared after normalisation (see ``norm``), so
# case, brackets, quotes and punctuation do not matter. Wordings equal to the edition's
# labels need no entry.
CHOICE_WORDINGS_2012: dict[str, dict[str, str]] = {
    # Q4 a) and Q7 b): the 2012 pages print "Fixed"/"Variable"; the edition says "Fixed length".
    "q4a": {"Fixed": "fixed", "Variable": "variable"},
    "q7b": {"Fixed": "fixed", "Variable": "variable"},
    # Q3 a): the 2012 section reminder words the ST.13 order as 'type' 'year' 'serial number'.
    "q3a": {"'type' 'year' 'serial number'": "st13"},
    # Q2 a) parts, also used for part names in Q3 b) and Q4 b)/c): Example 5 of 2012 names
    # them "code for the type of IP right", "year designation", "serial number".
    "q2a": {
        "Code for the type of IP right": "type",
        "Type of IPR": "type",
        "Year": "year",
        "Control number": "control",
        "Check digit": "control",
    },
    "q6b": {"2": "2", "4": "4"},
    "q6c": {"Gregorian": "gregorian"},
}

# Grid column headers as the 2012 pages print them (Q14 a: the header runs over two lines).
COLUMN_WORDINGS_2012: dict[str, dict[str, str]] = {
    "q14a": {
        "Country or Organization (name of Office/Organization)": "office_name",
        "Country or Organization": "office_name",
        "Recommended presentation in abbreviated form as a priority application number": "priority_presentation",
    },
}

# Header of the column that names the row in grids with one row per IPR type (Q5 b).
ROW_KEY_HEADERS = ("Type of IPR", "Type of IP right", "Type of IP rights")

# Instructions printed among the answer lines of a question (not answers).
INSTRUCTIONS_2012: dict[str, tuple[str, ...]] = {
    "q14c": ("In addition to providing information on the type",),
}

# Section titles as the 2012 pages print them: the paragraphs under them are reminders.
SECTION_TITLES_2012 = (
    "TYPES OF INTELLECTUAL PROPERTY RIGHTS (IPRs) COVERED BY THIS COPY OF THE QUESTIONNAIRE",
    "PARTS OF APPLICATION NUMBERS",
    "ORDERING OF PARTS",
    "LENGTH (FIXED / VARIABLE)",
    "CODES FOR TYPE OF IPR",
    "YEAR DESIGNATION",
    "SERIAL NUMBER",
    "CODE FOR INTERNAL USE",
    "CONTROL NUMBER (CHECK DIGIT)",
    "OTHER INFORMATION",
    "SEPARATORS",
    "NUMBERING OF PRIORITY APPLICATIONS",
    "COMPLIANCE WITH WIPO STANDARD ST.13",
    "EXAMPLES OF APPLICATION NUMBERS AND PRIORITY APPLICATION NUMBERS",
)

# What a page prints for a question left unanswered (this product's own pages).
NO_ANSWER = frozenset({"not answered", "not applicable"})

# "… in yyyy" on the pages of 2012; this product's pages say the round on the next line.
HEADING_RE = re.compile(r"^Response\s+(\d+)\s+of\s+(\d+)\s+submitted\s+by\s+(.+?)(?:\s+in\s+(\d{4}))?$")
META_RE = re.compile(r"^Numbering system:\s*(?P<label>.+?)\s*·\s*Office:\s*(?P<code>[A-Z]{2})\b")
QUESTION_RE = re.compile(r"^Question\s+(\d+)$")
CONTINUED_RE = re.compile(r"^Question\s+(\d+)\s*\(cont[’']?d\)(.*)$", re.IGNORECASE)
EXAMPLE_RE = re.compile(r"^Example\s+\d+\s*:?$")
LETTERED_RE = re.compile(r"^([a-z])\)\s*(.*)$", re.DOTALL)
ATTACHMENT_RE = re.compile(
    r"^[^\\/:*?\"<>|\n]+\.(?:" + "|".join(s.lstrip(".") for s in ALLOWED_ATTACHMENT_TYPES) + r")$", re.IGNORECASE
)


class PageImportError(Exception):
    """A page that cannot be imported; the message says why."""


# --- step 1: lines ----------------------------------------------------------------------


def lines_from_text(text: str) -> list[Line]:
    lines = []
    for number, raw in enumerate(text.replace("\u00a0", " ").splitlines(), start=1):
        stripped = raw.strip()
        if stripped:
            lines.append(Line(number, stripped))
    return lines


_BLOCKS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "pre", "caption", "blockquote"})
# Elements whose end closes the paragraph being read.
_PARAGRAPH_ENDS = _BLOCKS | {"div", "section", "article", "ul", "ol", "body"}
_SKIP_TAGS = frozenset(
    {"script", "style", "template", "nav", "header", "footer", "details", "form", "noscript", "button", "select"}
)
# Parts of this product's pages that are not the response: the ST.13 evaluation card,
# review comments, messages, hidden helper text.
_SKIP_CLASSES = frozenset(
    {"compliance", "question-comments", "comment-box", "comments", "warning", "messages", "visually-hidden", "qid"}
)
_CELLS = ("th", "td")


def _html_tree(text: str) -> HtmlElement | None:
    """The page as lxml reads it, broken markup repaired; None for a page with no elements.

    The text is already decoded: it goes to the parser as UTF-8, so that a charset the
    page declares (``<meta charset>``, an XML declaration) cannot decode it a second time.
    """
    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except etree.ParserError:  # empty, or nothing but whitespace and comments
        return None
    # The parser repairs what it can; where it gives up (markup nested hundreds of levels
    # deep), the rest of the page is lost, and a page read in part must not be imported.
    fatal = next((e for e in parser.error_log if e.level == etree.ErrorLevels.FATAL), None)
    if fatal is not None:
        raise PageImportError(f"line {fatal.line}: the HTML cannot be read from here on ({fatal.message})")
    return root


def _is_element(node: HtmlElement) -> bool:
    return isinstance(node.tag, str)  # comments and processing instructions are not


def _is_skipped(element: HtmlElement) -> bool:
    """Page furniture and review parts: neither they nor anything inside them is read."""
    classes = element.get("class", "").split()
    return element.tag in _SKIP_TAGS or "hidden" in element.attrib or not _SKIP_CLASSES.isdisjoint(classes)


def _end_line(node: HtmlElement) -> int:
    """The line on which the node ends, where the text that follows it begins."""
    if not _is_element(node):
        return node.sourceline or 0  # lxml dates a comment by the line it ends on
    children = list(node)
    if children:
        return _end_line(children[-1]) + (children[-1].tail or "").count("\n")
    return (node.sourceline or 0) + (node.text or "").count("\n")


def _question_of(element: HtmlElement) -> str | None:
    """The question ID of the nearest element that names one (div.doc-item), itself included."""
    for candidate in (element, *element.iterancestors()):
        if candidate.get("data-question"):
            return candidate.get("data-question")
    return None


def _paragraph_kind(element: HtmlElement) -> str | None:
    """What this product's markup says a paragraph is; None for other pages' paragraphs."""
    tag, classes = element.tag, set(element.get("class", "").split())
    if tag == "li":
        return "bullet"
    if tag == "h2":
        return "section"
    if tag == "h3" and "q-heading" in classes:
        return "qheading"
    if tag != "p":
        return None
    paragraph_classes = (
        ("q-text", "question"),
        ("reminder", "reminder"),
        ("attachment", "attachment"),
        ("state-label", "state"),
        ("answer", "answer"),
    )
    return next((kind for css_class, kind in paragraph_classes if css_class in classes), None)


def _texts(node: HtmlElement) -> Iterable[str]:
    """The text inside a node, in order, without skipped parts; a line break as a newline."""
    if node.tag == "br":
        yield "\n"
    if not _is_element(node) or _is_skipped(node):
        return
    yield node.text or ""
    for child in node:
        yield from _texts(child)
        yield child.tail or ""


def _cell_text(cell: HtmlElement) -> str:
    return " ".join("".join(_texts(cell)).replace("\u00a0", " ").split())


def _table_rows(table: HtmlElement) -> Iterable[tuple[HtmlElement, bool]]:
    """The table's own rows (not those of tables inside it, nor skipped ones), each with
    whether it is in the table's head."""
    for row in table.iter("tr"):
        ancestors = list(takewhile(lambda a: a is not table, row.iterancestors()))
        if any(a.tag == "table" or _is_skipped(a) for a in ancestors) or _is_skipped(row):
            continue
        yield row, any(a.tag == "thead" for a in ancestors)


def _table_line(table: HtmlElement) -> Line:
    """A table as one line: its header row (from <thead>, or a first row of <th> cells) and
    its rows, each cell as plain text."""
    headers: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = []
    for row, in_head in _table_rows(table):
        cells = [cell for cell in row if cell.tag in _CELLS and not _is_skipped(cell)]
        texts = tuple(_cell_text(cell) for cell in cells)
        all_th = all(cell.tag == "th" for cell in cells)
        if in_head or (all_th and not rows and not headers):
            headers = texts
        else:
            rows.append(texts)
    return Line(table.sourceline or 0, "", "table", None, headers=headers, rows=tuple(rows))


@dataclass
class _Paragraph:
    line: int
    kind: str | None
    qid: str | None
    parts: list[str] = field(default_factory=list)

    def text(self) -> str:
        # Spaces collapse within each line; the page's line breaks (<br>) are kept.
        lines = "".join(self.parts).replace("\u00a0", " ").split("\n")
        return "\n".join(" ".join(line.split()) for line in lines).strip()


class _PageLines:
    """Turns a page's element tree into lines (step 1), one per paragraph and table.

    A paragraph is what a block element (<p>, <li>, <h2>, …) holds, or text standing
    outside any: it ends where the next one starts or where an enclosing block ends.
    """

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.paragraph: _Paragraph | None = None

    def read(self, element: HtmlElement) -> None:
        self._element(element)
        self._flush()

    def _flush(self) -> None:
        paragraph, self.paragraph = self.paragraph, None
        text = paragraph.text() if paragraph else ""
        if text:
            self.lines.append(Line(paragraph.line, text, paragraph.kind, paragraph.qid))

    def _start(self, line: int, kind: str | None, owner: HtmlElement) -> None:
        self._flush()
        self.paragraph = _Paragraph(line, kind, _question_of(owner))

    def _text(self, text: str | None, line: int, owner: HtmlElement) -> None:
        if not text:
            return
        if self.paragraph is None:
            if not text.strip():
                return
            self._start(line, None, owner)
        self.paragraph.parts.append(text)

    def _element(self, element: HtmlElement) -> None:
        if element.tag == "br":
            if self.paragraph is not None:
                self.paragraph.parts.append("\n")
            return
        if not _is_element(element):
            return
        if _is_skipped(element):
            if element.tag in _PARAGRAPH_ENDS:
                self._flush()
            return
        if element.tag == "table":
            self._flush()
            self.lines.append(_table_line(element))
            return
        if element.tag in _BLOCKS:
            self._start(element.sourceline or 0, _paragraph_kind(element), element)
        self._text(element.text, element.sourceline or 0, element)
        for child in element:
            self._element(child)
            self._text(child.tail, _end_line(child), element)
        if element.tag in _PARAGRAPH_ENDS:
            self._flush()


def _response_parts(root: HtmlElement) -> list[HtmlElement]:
    """Where the response is: the page's <main> if it has one (outside skipped parts), else all of it."""
    mains = list(root.iter("main"))
    if not mains:
        return [root]
    return [main for main in mains if not any(a.tag == "main" or _is_skipped(a) for a in main.iterancestors())]


def lines_from_html(text: str) -> list[Line]:
    """The page's paragraphs and tables as lines, with the kind and question ID the markup
    gives them. Raises PageImportError for a page the HTML parser cannot read to the end."""
    root = _html_tree(text)
    if root is None:
        return []
    reader = _PageLines()
    for part in _response_parts(root):
        reader.read(part)
    return reader.lines


def looks_like_html(text: str, name: str = "") -> bool:
    if PurePath(name).suffix.lower() in (".html", ".htm", ".xhtml"):
        return True
    return bool(re.search(r"<(?:!doctype\s+html|html|body|main|article)\b", text[:4096], re.IGNORECASE))


# --- step 2: questions as the page shows them ------------------------------------------


@dataclass
class Block:
    number: int
    letter: str | None
    text: str
    line: int
    qid: str | None
    answer: list[Line] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"Question {self.number} {self.letter})" if self.letter else f"Question {self.number}"


@dataclass(frozen=True)
class Unmapped:
    line: int
    text: str
    reason: str

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 100 else self.text[:97] + "…"
        return f"line {self.line}: {text!r} — {self.reason}"


@dataclass
class Page:
    source: str
    format: str
    sequence: int | None = None
    total: int | None = None
    office_name: str | None = None
    year: int | None = None
    heading_line: int | None = None
    label: str | None = None
    office_code: str | None = None
    blocks: list[Block] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _section_titles(edition: Edition) -> frozenset[str]:
    return frozenset(norm(t) for t in (*SECTION_TITLES_2012, *(tr(s.title) for s in edition.sections)))


def _is_section_title(text: str, titles: frozenset[str]) -> bool:
    # The 2012 pages print section titles in capitals ("IPRs" aside); requiring that keeps
    # an answer such as "serial number" (Q3 b) from being taken for the SERIAL NUMBER title.
    letters = re.sub(r"IPRs", "IPR", text)
    return letters == letters.upper() and norm(text) in titles


def read_page(text: str, edition: Edition, *, source: str) -> Page:
    """The page's heading and its questions with their answer lines (no database)."""
    html = looks_like_html(text, source)
    lines = lines_from_html(text) if html else lines_from_text(text)
    walker = _PageWalker(Page(source=source, format="html" if html else "text"), edition)
    for line in lines:
        walker.take(line)
    return walker.page


class _PageWalker:
    """Groups the lines of a page into questions, line by line (step 2).

    ``state`` says where the walk is: before the first question (preamble), under a
    section title or a help example (section, example), after a "Question N" heading
    (number), or in the answer of a question (answer).
    """

    def __init__(self, page: Page, edition: Edition) -> None:
        self.page = page
        self.titles = _section_titles(edition)
        self.texts_by_number: dict[int, set[str]] = {}
        for q in edition.questions:
            self.texts_by_number.setdefault(q.number, set()).add(norm(tr(q.text)))
        self.state = "preamble"
        self.number: int | None = None
        self.current: Block | None = None

    def take(self, line: Line) -> None:
        steps = (self._table, self._heading, self._meta, self._question_number, self._furniture, self._question)
        if not any(step(line) for step in steps):
            self._answer(line)

    def _start(self, letter: str | None, text: str, line: Line) -> Block:
        block = Block(self.number, letter, text, line.number, line.qid)
        self.page.blocks.append(block)
        self.current, self.state = block, "answer"
        return block

    def _table(self, line: Line) -> bool:
        if line.kind != "table":
            return False
        if self.state == "answer" and self.current is not None:
            self.current.answer.append(line)
        elif self.state != "preamble":
            self.page.unmapped.append(Unmapped(line.number, "(table)", "a table outside any question"))
        return True

    def _heading(self, line: Line) -> bool:
        """ "Response n of m submitted by … in yyyy"."""
        m = HEADING_RE.match(line.text) if line.kind in (None, "section") else None
        if not m:
            return False
        page = self.page
        if page.sequence is None:
            page.sequence, page.total = int(m[1]), int(m[2])
            page.office_name, page.heading_line = m[3].strip(), line.number
            page.year = int(m[4]) if m[4] else None
        elif (page.sequence, page.total, page.office_name) != (int(m[1]), int(m[2]), m[3].strip()):
            page.problems.append(f"line {line.number}: a second, different heading “{line.text}”")
        return True

    def _meta(self, line: Line) -> bool:
        """ "Numbering system: … · Office: XX" (this product's pages)."""
        m = META_RE.match(line.text) if line.kind is None else None
        if not (m and self.state == "preamble"):
            return False
        self.page.label, self.page.office_code = m["label"].strip(), m["code"]
        return True

    def _question_number(self, line: Line) -> bool:
        """ "Question N" or "Question N (cont'd) …"."""
        if line.kind not in (None, "qheading"):
            return False
        m = CONTINUED_RE.match(line.text) or QUESTION_RE.match(line.text)
        if m:
            self.number, self.state, self.current = int(m[1]), "number", None
            return True
        if line.kind == "qheading":
            self.page.unmapped.append(Unmapped(line.number, line.text, "a question heading without a question number"))
            return True
        return False

    def _furniture(self, line: Line) -> bool:
        """Section titles and reminders, help examples: not part of any answer."""
        kind = line.kind
        if kind == "section" or (kind is None and _is_section_title(line.text, self.titles)):
            self.state, self.current = ("preamble" if self.number is None else "section"), None
            return True
        if kind == "reminder" or (kind is None and EXAMPLE_RE.match(line.text)):
            if kind is None:
                self.state, self.current = ("preamble" if self.number is None else "example"), None
            return True
        return False

    def _question(self, line: Line) -> bool:
        """A question ("b) …"), or a line of the preamble (skipped)."""
        if self.state == "preamble" or self.number is None:
            return True
        m = LETTERED_RE.match(line.text)
        if line.kind == "question":
            if m:
                self._start(m[1], m[2].strip(), line)
            else:
                self._start(None, line.text, line)
            return True
        if line.kind is None and self.state in ("number", "answer", "example") and m:
            self._start(m[1], m[2].strip(), line)
            return True
        return False

    def _answer(self, line: Line) -> None:
        if self.state in ("section", "example"):
            return
        if self.state == "number":
            if line.kind is None:
                self._start(None, line.text, line)
            else:
                self.page.unmapped.append(
                    Unmapped(line.number, line.text, f"an answer before any question of Question {self.number}")
                )
            return
        current = self.current
        if line.kind is None and current is not None and current.answer and self._unlettered(line.text):
            self._start(None, line.text, line)
        elif current is not None:
            current.answer.append(line)

    def _unlettered(self, text: str) -> bool:
        return _unlettered_question(text, self.number, self.texts_by_number)


def _unlettered_question(text: str, number: int | None, texts: Mapping[int, set[str]]) -> bool:
    # Follow-ups without a letter ("Please indicate the order of parts:" under Q3 in 2012)
    # are told from answers by their wording: the edition's own text, or a sentence of a
    # few words ending like a question.
    if norm(text) in texts.get(number or 0, ()):
        return True
    return len(text.split()) >= 3 and text.rstrip().endswith((":", "?")) and not BULLET_RE.match(text)


# --- step 3: answers ---------------------------------------------------------------------


@dataclass
class MappedPage:
    page: Page
    answers: dict[str, Any] = field(default_factory=dict)
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (question ID, file name)
    lines_of: dict[str, int] = field(default_factory=dict)  # question ID → line of its question
    unmapped: list[Unmapped] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)  # question IDs with an answer that could not be read

    @property
    def ok(self) -> bool:
        return not self.problems


class _Reader:
    """The edition's choices and grid columns by their wording, 2012 wordings included."""

    def __init__(self, edition: Edition) -> None:
        self.edition = edition
        self.choices: dict[str, dict[str, str]] = {}

    def choice_map(self, q: Question) -> dict[str, str]:
        cached = self.choices.get(q.id)
        if cached is None:
            cached = {norm(q.choice_label(code)): code for code in q.choice_codes}
            for wording, code in CHOICE_WORDINGS_2012.get(q.id, {}).items():
                cached.setdefault(norm(wording), code)
            self.choices[q.id] = cached
        return cached

    def choice(self, q: Question, text: str) -> str | None:
        return self.choice_map(q).get(norm(BULLET_RE.sub("", text)))

    def columns(self, q: Question) -> dict[str, str]:
        mapping = {norm(tr(c.label)): c.id for c in q.columns}
        for wording, column in COLUMN_WORDINGS_2012.get(q.id, {}).items():
            mapping.setdefault(norm(wording), column)
        return mapping


def _meaningful(lines: Iterable[Line]) -> list[Line]:
    """The answer lines, without what a page prints for "no answer"."""
    kept = []
    for line in lines:
        is_answer = line.kind != "state" and line.text.strip() and norm(line.text) not in NO_ANSWER
        if line.kind == "table" or is_answer:
            kept.append(line)
    return kept


class _QuestionReader:
    """Hands the answer lines of one question to its type, which reads them into the value
    the edition stores, and collects what it could not read."""

    def __init__(self, reader: _Reader, q: Question, block: Block, result: MappedPage) -> None:
        self.reader, self.q, self.block, self.result = reader, q, block, result
        self.edition = reader.edition

    def problem(self, line: Line, message: str) -> None:
        self.result.unreadable.add(self.q.id)
        self.result.problems.append(f"line {line.number}: {_label(self.q)}: {message}")
        self.result.unmapped.append(Unmapped(line.number, line.text or "(table)", message))

    def leftover(self, lines: Iterable[Line], why: str) -> None:
        for line in lines:
            self.result.unmapped.append(Unmapped(line.number, line.text or "(table)", why))

    def read(self) -> Any:
        lines = without_attachments(self.q, _meaningful(self.block.answer), self)
        return question_types.get(self.q.type).read_page(self.q, lines, self)

    # What a type's ``read_page`` may ask (types.pages.AnswerReader).

    def one(self, lines: list[Line]) -> Line | None:
        if not lines:
            return None
        self.leftover(lines[1:], f"after the answer to {_label(self.q)}, which takes one line")
        return lines[0]

    def choice(self, q: Question, text: str) -> str | None:
        return self.reader.choice(q, text)

    def choice_map(self, q: Question) -> dict[str, str]:
        return self.reader.choice_map(q)

    def choices_listed(self, q: Question) -> str:
        return ", ".join(q.choice_label(c) for c in q.choice_codes)

    def columns(self, q: Question) -> dict[str, str]:
        return self.reader.columns(q)

    def row_key_headers(self) -> set[str]:
        return {norm(h) for h in ROW_KEY_HEADERS}

    def instructions(self, q: Question) -> list[str]:
        return [norm(i) for i in INSTRUCTIONS_2012.get(q.id, ())]

    def block_line(self) -> Line:
        return Line(self.block.line, self.block.text)

    def take_attachment(self, line: Line) -> bool:
        if line.kind == "attachment" or (line.kind is None and ATTACHMENT_RE.match(line.text)):
            self.result.attachments.append((self.q.id, line.text.strip()))
            return True
        return False


def map_page(page: Page, edition: Edition) -> MappedPage:
    """The page's answers keyed by question ID, checked by the engine (no database)."""
    result = MappedPage(page=page, unmapped=list(page.unmapped), problems=list(page.problems))
    result.problems += _page_problems(page)
    matcher = _BlockMatcher(edition, result)
    for block in page.blocks:
        matcher.read(block)
    if result.problems and not result.answers:
        return result
    _check(result, edition)
    return result


def _page_problems(page: Page) -> list[str]:
    """What makes a page no response page at all (no heading, no questions)."""
    problems = []
    if page.sequence is None:
        problems.append("no heading “Response n of m submitted by … in yyyy” found: is this a response page?")
    elif not 1 <= page.sequence <= page.total:
        numbers = f"“Response {page.sequence} of {page.total}”"
        problems.append(f"line {page.heading_line}: {numbers} is not a possible number")
    if not page.blocks:
        problems.append("no questions found (no “Question 1” heading): is this a response page?")
    return problems


class _BlockMatcher:
    """Matches the questions of a page to those of the edition and has them read."""

    def __init__(self, edition: Edition, result: MappedPage) -> None:
        self.edition, self.result = edition, result
        self.reader = _Reader(edition)
        self.by_letter = {(q.number, q.letter): q for q in edition.questions if q.letter}
        self.position = {q.id: i for i, q in enumerate(edition.questions)}
        self.last_of_number: dict[int, int] = {}

    def read(self, block: Block) -> None:
        q = self.question_of(block)
        if q is None or not self.takes(block, q):
            return
        result = self.result
        result.lines_of[q.id] = block.line
        self.last_of_number[block.number] = self.position[q.id]
        value = _QuestionReader(self.reader, q, block, result).read()
        if value is not None:
            result.answers[q.id] = value

    def question_of(self, block: Block) -> Question | None:
        q = self.by_letter.get((block.number, block.letter)) if block.letter else self.follow_up(block)
        if q is None:
            result = self.result
            result.problems.append(
                f"line {block.line}: {block.label} is not a question of the edition {self.edition.slug}"
            )
            result.unmapped.append(Unmapped(block.line, block.text, f"{block.label} is not in the edition"))
            result.unmapped.extend(
                Unmapped(a.number, a.text or "(table)", "answer to an unknown question") for a in block.answer
            )
        return q

    def follow_up(self, block: Block) -> Question | None:
        # A follow-up without a letter is the next question of that number that the
        # answers so far make applicable.
        answers = self.result.answers
        applicable = set(applicable_questions(self.edition, answers))
        after = self.last_of_number.get(block.number, -1)
        return next(
            (
                c
                for i, c in enumerate(self.edition.questions)
                if c.number == block.number and i > after and c.id in applicable and c.id not in answers
            ),
            None,
        )

    def takes(self, block: Block, q: Question) -> bool:
        """Whether the block may answer q: the page's markup agrees, and q is not answered yet."""
        result = self.result
        if block.qid and block.qid != q.id:
            result.problems.append(
                f"line {block.line}: the page marks {block.label} as {block.qid}, but it is {q.id} in the edition"
            )
            return False
        if q.id in result.answers or q.id in result.lines_of:
            result.problems.append(
                f"line {block.line}: {_label(q)} appears twice (first on line {result.lines_of[q.id]})"
            )
            return False
        return True


def _check(result: MappedPage, edition: Edition) -> None:
    """The engine's verdict: the imported answers must be those of a valid response."""
    evaluation = evaluate(edition, result.answers)
    for qid in evaluation.set_aside:
        q = edition.by_id[qid]
        result.problems.append(
            f"line {result.lines_of.get(qid, '?')}: {_label(q)} is answered, but the other answers make it not "
            "applicable (the page and the questionnaire's branching disagree)"
        )
    for qid, _ in result.attachments:
        if not evaluation.is_applicable(qid):
            result.problems.append(f"{_label(edition.by_id[qid])} has an attachment but does not apply")
    missing = [qid for qid, issues in evaluation.errors.items() if _error_problems(result, edition, qid, issues)]
    if missing:
        result.problems.append(_missing_problem(result, edition, missing))
    result.warnings = [f"{w.question_id}: {w.message}" for w in evaluation.warnings]
    if not result.problems:
        result.answers = dict(evaluation.answers)


def _error_problems(result: MappedPage, edition: Edition, qid: str, issues: list[Any]) -> bool:
    """Report the engine's errors on a question; True when it is required and not on the page."""
    q = edition.by_id[qid]
    missing = False
    for issue in issues:
        if issue.code != "required":
            result.problems.append(f"line {result.lines_of.get(qid, '?')}: {_label(q)}: {issue.message}")
        elif qid not in result.lines_of:
            missing = True
        elif qid not in result.unreadable:
            # Shown on the page, but with nothing we could read (reported above if unreadable).
            result.problems.append(f"line {result.lines_of[qid]}: {_label(q)}: the page gives no answer")
    return missing


def _missing_problem(result: MappedPage, edition: Edition, missing: list[str]) -> str:
    listed = ", ".join(_label(edition.by_id[qid]) for qid in missing)
    last = max((edition.by_id[qid].number for qid in result.lines_of), default=0)
    hint = ""
    if all(edition.by_id[qid].number >= last for qid in missing):
        hint = f" — the page stops after Question {last}: is it complete (truncated?)"
    return f"no answer found for required question(s) {listed}{hint}"


# --- writing -----------------------------------------------------------------------------


def _is_placeholder(response: SurveyResponse) -> bool:
    return (
        response.status == ResponseStatus.DRAFT
        and not response.answers
        and not response.set_aside_answers
        and response.version == 1
        and response.revisions.filter(version=1, note__startswith=PLACEHOLDER_NOTE).exists()
    )


@transaction.atomic
def published_response_record(
    *,
    survey_round: SurveyRound,
    office: Office,
    sequence: int,
    total: int,
    label: str | None,
    answers: Mapping[str, Any],
    attachments: Iterable[tuple[str, str]] = (),
    source: str,
    user: User | None = None,
) -> tuple[SurveyResponse, list[str]]:
    """Record a published response read from a page: its numbering system, the response
    (status published, answers as given — the caller has them checked by the engine), a
    revision noting the source, and its attachments, known by name only.

    "Response n of m": the response takes sequence n. The office's other responses of the
    round that the page counts (1 … m) and that do not exist yet are created as empty
    drafts ("placeholders"), so that the public heading reads "n of m" as published;
    importing one of them later fills its placeholder. Returns the response and a list
    of what was created or changed besides it. The responses are written by the services
    the spreadsheet import uses.
    """
    if not 1 <= sequence <= total:
        raise PageImportError(f"“Response {sequence} of {total}” is not a possible number")
    notes: list[str] = []
    try:
        # Held until the end: the placeholders below take their numbers under the same lock.
        _, invited = invitation_lock(survey_round=survey_round, office=office, user=user, invite=True)
        if invited:
            notes.append(f"invited {office.code} to the round “{survey_round}”")
        existing = {
            r.sequence: r
            for r in SurveyResponse.objects.filter(round=survey_round, office=office).select_related("numbering_system")
        }
        note = f"imported from {source}"
        # The page is the round's history: the round may be closed, the office not yet invited.
        record = partial(
            response_record_for_office,
            survey_round=survey_round,
            office=office,
            user=user,
            invite=True,
            require_open_round=False,
        )
        response = existing.get(sequence)
        if response is None:
            response = _record_published(
                record, office=office, sequence=sequence, label=label, answers=answers, note=note, notes=notes
            )
        elif _is_placeholder(response):
            response = _fill_placeholder(
                response, office=office, label=label, answers=answers, note=note, user=user, notes=notes
            )
        else:
            raise PageImportError(
                f"{office.code} already has response {sequence} in the round “{survey_round}” "
                f"(“{response.numbering_system.label}”, {response.get_status_display().lower()}); "
                "nothing was overwritten"
            )
        _attach_by_name(response, attachments, user)
        _record_placeholders(record, sequence=sequence, total=total, existing=existing, source=source, notes=notes)
    except WorkflowError as exc:
        raise PageImportError(str(exc)) from None
    count = SurveyResponse.objects.filter(round=survey_round, office=office).count()
    if count != total:
        notes.append(f"the round now holds {count} responses of {office.code}; the page counts {total}")
    return response, notes


def _record_published(
    record: Callable[..., SurveyResponse],
    *,
    office: Office,
    sequence: int,
    label: str | None,
    answers: Mapping[str, Any],
    note: str,
    notes: list[str],
) -> SurveyResponse:
    """A new published response, under the page's numbering system (created if need be)."""
    wanted_label = label or DEFAULT_LABEL.format(n=sequence)
    if not NumberingSystem.objects.filter(office=office, label__iexact=wanted_label).exists():
        notes.append(f"created numbering system “{wanted_label}”")
    return record(
        numbering_system_label=wanted_label,
        answers=answers,
        note=note,
        status=ResponseStatus.PUBLISHED,
        sequence=sequence,
    )


def _fill_placeholder(
    response: SurveyResponse,
    *,
    office: Office,
    label: str | None,
    answers: Mapping[str, Any],
    note: str,
    user: User | None,
    notes: list[str],
) -> SurveyResponse:
    """The placeholder of an earlier import, given the page's answers and published."""
    notes.append(f"filled the placeholder of response {response.sequence}")
    system = response.numbering_system
    # A placeholder's system has a made-up name: the page's label replaces it, unless
    # the office has a system of that name (from an earlier round), which then takes
    # the response.
    if (
        label
        and system.label.lower() != label.lower()
        and not NumberingSystem.objects.filter(office=office, label__iexact=label).exists()
    ):
        notes.append(f"renamed numbering system “{system.label}” to “{label}”")
        system.label = label
        system.save(update_fields=["label"])
    response, _ = response_overwrite_for_office(
        response=response,
        answers=answers,
        user=user,
        note=note,
        status=ResponseStatus.PUBLISHED,
        numbering_system_label=label,
    )
    if response.numbering_system_id != system.pk and not system.responses.exists():
        system.delete()
    return response


def _attach_by_name(response: SurveyResponse, attachments: Iterable[tuple[str, str]], user: User | None) -> None:
    """The page's attachments, known by name only (the page does not hold the files)."""
    Attachment.objects.bulk_create(
        Attachment(
            response=response,
            question_id=qid,
            token=secrets.token_hex(16),
            original_name=name[:200],
            uploaded_by=user,
        )
        for qid, name in attachments
    )


def _record_placeholders(
    record: Callable[..., SurveyResponse],
    *,
    sequence: int,
    total: int,
    existing: Mapping[int, SurveyResponse],
    source: str,
    notes: list[str],
) -> None:
    """Empty drafts for the responses 1 … total the page counts that the round does not hold."""
    for k in range(1, total + 1):
        if k == sequence or k in existing:
            continue
        placeholder = record(
            numbering_system_label=DEFAULT_LABEL.format(n=k),
            answers={},
            note=f"{PLACEHOLDER_NOTE}: response {k} of {total} named on {source}, not imported",
            sequence=k,
        )
        notes.append(
            f"created an empty draft for response {k} of {total} (“{placeholder.numbering_system.label}”), "
            "not on the page"
        )


# --- a whole page --------------------------------------------------------------------------


@dataclass
class PageImport:
    """What became of one page: its answers, what could not be read, what was written."""

    source: str
    mapped: MappedPage | None = None
    office: Office | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    response_id: int | None = None
    public_key: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unmapped(self) -> list[Unmapped]:
        return sorted(self.mapped.unmapped, key=lambda u: u.line) if self.mapped else []


def read_file(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PageImportError(f"cannot read {path}: {exc.strerror or exc}") from None
    if size > MAX_PAGE_BYTES:
        raise PageImportError(f"{path.name} is {size:,} bytes: larger than any published page")
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PageImportError(f"{path.name} is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise PageImportError(f"cannot read {path}: {exc.strerror or exc}") from None


def find_office(page: Page) -> Office:
    """The office the page names: its ST.3 code (this product's pages) or its name."""
    by_code = None
    if page.office_code:
        by_code = Office.objects.filter(pk=page.office_code).first()
        if by_code is None:
            raise PageImportError(f"the page names office code {page.office_code}, which is not in ST.3")
    name = page.office_name or ""
    by_name = None
    if re.fullmatch(r"[A-Z]{2}", name):
        by_name = Office.objects.filter(pk=name).first()
    if by_name is None and name:
        by_name = Office.objects.filter(name__iexact=name).first()
        if by_name is None:
            wanted = norm(name)
            by_name = next((o for o in Office.objects.all() if norm(o.name) == wanted), None)
    if by_code and by_name and by_code.pk != by_name.pk:
        raise PageImportError(f"the heading names {name} but the page gives the office code {by_code.code}")
    office = by_code or by_name
    if office is None:
        raise PageImportError(f"no office called “{name}” in the ST.3 list (give the ST.3 name or code)")
    return office


def import_page(
    text: str, *, survey_round: SurveyRound, source: str, dry_run: bool = False, user: User | None = None
) -> PageImport:
    """Read one page into the round; nothing is written if anything fails (or on a dry run)."""
    result = PageImport(source=source)
    edition = survey_round.edition.structure
    try:
        page = read_page(text, edition, source=source)
    except PageImportError as exc:
        result.problems.append(str(exc))
        return result
    result.mapped = mapped = map_page(page, edition)
    result.problems.extend(mapped.problems)
    if page.year is not None and page.year != survey_round.year:
        result.problems.append(
            f"line {page.heading_line}: the response was submitted in {page.year}, "
            f"but the round “{survey_round}” is for {survey_round.year}"
        )
    if page.sequence is not None:
        try:
            result.office = find_office(page)
        except PageImportError as exc:
            result.problems.append(str(exc))
    if result.problems:
        return result
    try:
        with transaction.atomic():
            response, notes = published_response_record(
                survey_round=survey_round,
                office=result.office,
                sequence=page.sequence,
                total=page.total,
                label=page.label,
                answers=mapped.answers,
                attachments=mapped.attachments,
                source=source,
                user=user,
            )
            result.notes = notes
            result.response_id = None if dry_run else response.pk
            result.public_key = response.public_key
            if dry_run:
                transaction.set_rollback(True)
    except PageImportError as exc:
        result.problems.append(str(exc))
    except IntegrityError as exc:
        # Another import of the same office and round got there first.
        result.problems.append(f"could not record the response: {exc}")
    return result
