"""An edition as an authoring spreadsheet, in the layout of XLSForm, and back.

``workbook(definition)`` writes the XLSX file of a definition; ``read(file)`` reads one
into a definition and the problems found, each naming its sheet, row and column
("survey!J14 (relevant): …"). Export → import gives the same definition (same checksum).

The sheets (one header row each; language columns are written ``label::English (en)``):

- ``survey``: a row per question, between ``begin section`` and ``end section`` rows.
  type (``select_one <list>`` = single, ``select_multiple <list>`` = multi, ``grid
  <list>`` whose list gives the grid's columns, or a type of the product: yesno, text,
  partial_date, int, part_lengths, order …), name (the stable question ID), label and
  hint per language, required (yes/no), relevant (a condition in words,
  ``condition_syntax``), constraint (``min=0``, ``min_rows=1; max_rows=1``,
  ``range=yes``), number, letter, parts_from, rows_from, catalogue, attachment
  (yes/no), examples (help example numbers), answer_format and continuation per
  language. A ``begin section`` row holds the section's ID (name), title (label),
  ST.13 reminder (hint) and examples.
- ``choices``: list_name, name (the code), label per language.
- ``settings``: form_id (the edition's slug), form_title per language, version, year,
  default_language (English), revises (the slug of the edition this one revises).
- ``introduction``: the numbered paragraphs (text per language).
- ``instructions``: id, part (heading / paragraph), examples, text per language.
- ``examples``: number, part (title / paragraph), text per language.
- ``mapping`` (editions that revise another): kind, old, new, old_choice, new_choice,
  note per language — see ``mapping_rows``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from surveys.questionnaire import condition_syntax, revisions
from surveys.questionnaire.edition import QUESTION_TYPES, YESNO_CODES, DefinitionError, Edition
from surveys.table_files import FORMULA_STARTS, TEXT_MARK, Style, Styled, XlsxBook

FORMAT = 1
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}
# The languages every edition is written in; a missing French or Spanish text is a warning.
LANGUAGES = ("en", "fr", "es")
TRANSLATED = ("fr", "es")
LANGUAGE_WORDS = {"fr": gettext_lazy("French"), "es": gettext_lazy("Spanish")}
SINGLE, MULTI, GRID = "select_one", "select_multiple", "grid"
TYPE_ALIASES = {
    "select_one": "single",
    "select_multiple": "multi",
    "single": "single",
    "multi": "multi",
    "grid": "grid",
}
BEGIN_SECTION = {"begin section", "begin_section", "begin group", "begin_group"}
END_SECTION = {"end section", "end_section", "end group", "end_group"}
CONSTRAINT_KEYS = {"min": "int", "min_rows": "grid", "max_rows": "grid", "range": "part_lengths"}
QUESTION_KINDS = revisions.KINDS
CHOICE_KIND = "choice"
# Words of the site's own addresses under /surveys/: an edition may not take one as its slug.
RESERVED_SLUGS = frozenset({"editions", "rounds", "responses", "numbering-systems"})
ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
YES = {"yes", "true", "1", "y", "oui", "sí", "si"}
NO = {"no", "false", "0", "n", "non"}

SURVEY_PLAIN = (
    "required",
    "relevant",
    "constraint",
    "number",
    "letter",
    "parts_from",
    "rows_from",
    "catalogue",
    "attachment",
    "examples",
)


# --- problems ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a spreadsheet, where it is and why. Errors keep the file from
    being imported; warnings (a missing translation) do not."""

    sheet: str
    row: int | None
    column: str  # the column's letter ("" for the whole row or sheet)
    heading: str  # the column's heading ("" when none)
    message: str
    error: bool = True

    @property
    def cell(self) -> str:
        if self.row is None:
            return self.sheet
        return f"{self.sheet}!{self.column}{self.row}" if self.column else f"{self.sheet}!{self.row}:{self.row}"

    def __str__(self) -> str:
        where = f"{self.cell} ({self.heading})" if self.heading else self.cell
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "heading": self.heading,
            "cell": self.cell,
            "message": self.message,
            "severity": "error" if self.error else "warning",
        }


class SpreadsheetError(DefinitionError):
    """The spreadsheet cannot be imported; ``problems`` says everything that is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [str(p) for p in problems if p.error]
        super().__init__("\n".join(errors))


# --- writing -----------------------------------------------------------------------------


def language_heading(base: str, language: str) -> str:
    return f"{base}::{LANGUAGE_NAMES.get(language, language)} ({language})"


def _languages(definition: Any) -> list[str]:
    """en, fr, es, then any other language the definition's texts are written in."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            if "en" in node and all(isinstance(k, str) and len(k) == 2 for k in node):
                found.update(node)
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(definition)
    return [*LANGUAGES, *sorted(found - set(LANGUAGES))]


def _texts(text: Mapping[str, str] | None, languages: list[str]) -> list[str]:
    return [(text or {}).get(language, "") for language in languages]


def _yes_no(value: Any) -> str:
    if value is None:
        return ""
    return "yes" if value else "no"


def _numbers(values: Iterable[int] | None) -> str:
    return ", ".join(str(n) for n in values or ())


def _constraint(question: Mapping[str, Any]) -> str:
    parts = []
    for key in CONSTRAINT_KEYS:
        if key in question:
            value = question[key]
            parts.append(f"{key}={_yes_no(value)}" if isinstance(value, bool) else f"{key}={value}")
    return "; ".join(parts)


def _type_cell(question: Mapping[str, Any]) -> str:
    kind = question["type"]
    if kind == "single":
        return f"{SINGLE} {question['id']}"
    if kind == "multi":
        return f"{MULTI} {question['id']}"
    if kind == "grid":
        return f"{GRID} {question['id']}_columns"
    return kind


HEADER = Style(bold=True, fill="DDE7F0")
SECTION_ROW = Style(bold=True, fill="F3F3F3")


class _Writer:
    def __init__(self, definition: Mapping[str, Any]) -> None:
        self.d = definition
        self.languages = _languages(definition)
        self.book = XlsxBook()

    def texts(self, base: str) -> list[str]:
        return [language_heading(base, language) for language in self.languages]

    def sheet(self, title: str, header: list[str], widths: list[float]) -> Any:
        sheet = self.book.sheet(title, widths=widths, freeze_first_row=True)
        sheet.append([Styled(h, HEADER) for h in header])
        return sheet

    def write(self) -> bytes:
        self.survey()
        self.choices()
        self.settings()
        self.introduction()
        self.instructions()
        self.examples()
        if self.d.get("revises"):
            self.mapping()
        return self.book.to_bytes()

    def survey(self) -> None:
        n = len(self.languages)
        header = ["type", "name", *self.texts("label"), *self.texts("hint"), *SURVEY_PLAIN]
        header += [*self.texts("answer_format"), *self.texts("continuation")]
        widths = [22, 16, *[50] * n, *[40] * n, 9, 34, 18, 7, 6, 10, 10, 12, 10, 10, *[16] * (2 * n)]
        sheet = self.sheet("survey", header, widths)
        for section in self.d["sections"]:
            head = ["begin section", section["id"], *_texts(section["title"], self.languages)]
            head += _texts(section.get("reminder"), self.languages)
            head += ["", "", "", "", "", "", "", "", "", _numbers(section.get("examples"))]
            sheet.append([Styled(v, SECTION_ROW) for v in head])
            for question in section.get("questions") or ():
                sheet.append(self.question_row(question))
            sheet.append([Styled("end section", SECTION_ROW), section["id"]])

    def question_row(self, q: Mapping[str, Any]) -> list[Any]:
        row = [_type_cell(q), q["id"], *_texts(q["text"], self.languages), *_texts(q.get("help"), self.languages)]
        row += [
            _yes_no(q.get("required")),
            condition_syntax.write(q.get("condition")),
            _constraint(q),
            q.get("number"),
            q.get("letter") or "",
            q.get("parts_from") or "",
            q.get("rows_from") or "",
            q.get("catalogue") or "",
            _yes_no(q.get("attachment")),
            _numbers(q.get("examples")),
        ]
        return row + _texts(q.get("answer_format"), self.languages) + _texts(q.get("continuation"), self.languages)

    def choices(self) -> None:
        sheet = self.sheet(
            "choices", ["list_name", "name", *self.texts("label")], [20, 20, *[50] * len(self.languages)]
        )
        for q in (q for s in self.d["sections"] for q in s.get("questions") or ()):
            if q["type"] in ("single", "multi"):
                for choice in q.get("choices") or ():
                    sheet.append([q["id"], choice["code"], *_texts(choice["label"], self.languages)])
            elif q["type"] == "grid":
                for column in q.get("columns") or ():
                    sheet.append([f"{q['id']}_columns", column["id"], *_texts(column["label"], self.languages)])

    def settings(self) -> None:
        header = ["form_id", *self.texts("form_title"), "version", "year", "default_language", "revises"]
        sheet = self.sheet("settings", header, [30, *[45] * len(self.languages), 10, 8, 16, 30])
        revises = (self.d.get("revises") or {}).get("edition", "")
        row = [self.d["slug"], *_texts(self.d["title"], self.languages), str(self.d["version"]), self.d["year"]]
        sheet.append([*row, language_heading("", "en").lstrip(":"), revises])

    def introduction(self) -> None:
        sheet = self.sheet("introduction", ["paragraph", *self.texts("text")], [10, *[80] * len(self.languages)])
        for number, paragraph in enumerate(self.d.get("introduction") or (), start=1):
            sheet.append([number, *_texts(paragraph, self.languages)])

    def instructions(self) -> None:
        header = ["id", "part", "examples", *self.texts("text")]
        sheet = self.sheet("instructions", header, [26, 10, 10, *[80] * len(self.languages)])
        for ins in self.d.get("instructions") or ():
            sheet.append([ins["id"], "heading", _numbers(ins.get("examples")), *_texts(ins["heading"], self.languages)])
            for paragraph in ins.get("body") or ():
                sheet.append([ins["id"], "paragraph", "", *_texts(paragraph, self.languages)])

    def examples(self) -> None:
        header = ["number", "part", *self.texts("text")]
        sheet = self.sheet("examples", header, [8, 10, *[80] * len(self.languages)])
        for example in self.d.get("examples") or ():
            sheet.append([example["number"], "title", *_texts(example["title"], self.languages)])
            for paragraph in example.get("body") or ():
                sheet.append([example["number"], "paragraph", *_texts(paragraph, self.languages)])

    def mapping(self) -> None:
        header = ["kind", "old", "new", "old_choice", "new_choice", *self.texts("note")]
        sheet = self.sheet("mapping", header, [10, 24, 24, 20, 14, *[40] * len(self.languages)])
        for row in mapping_rows(self.d["revises"]):
            sheet.append([*row[:5], *_texts(row[5], self.languages)])


def mapping_rows(revises: Mapping[str, Any]) -> Iterator[list[Any]]:
    """The rows of the mapping sheet of a definition's ``revises``: [kind, old, new,
    old_choice, new_choice, note (a text or None)]."""
    for row in revises.get("questions") or ():
        yield [row["kind"], " ".join(row.get("old") or ()), " ".join(row.get("new") or ()), "", "", row.get("note")]
    for row in revises.get("choices") or ():
        new_code = row.get("new")
        yield [
            CHOICE_KIND,
            row.get("old_question", ""),
            row.get("new_question", ""),
            " ".join(row.get("old") or ()),
            "" if new_code is None else new_code,
            row.get("note"),
        ]


def workbook(definition: Mapping[str, Any]) -> bytes:
    """The authoring spreadsheet (XLSX) of an edition definition."""
    return _Writer(definition).write()


def filename(definition: Mapping[str, Any]) -> str:
    name = f"{definition['slug']}-{definition['version']}"
    return re.sub(r"[^A-Za-z0-9._-]", "-", name) + ".xlsx"


# --- reading: sheets, headers, cells ------------------------------------------------------


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _cell_value(value: Any) -> Any:
    """A cell as read: text without the mark put before formula-like text; whole numbers
    as int; empty as ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        if value.startswith(TEXT_MARK) and value[1:2] and value[1:2] in FORMULA_STARTS:
            return value[1:]
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_LANGUAGE_COLUMN = re.compile(r"^(?P<base>[a-z_]+)::(?:.*\((?P<code>[A-Za-z]{2})\)|(?P<bare>[A-Za-z]{2}))\s*$")


@dataclass
class Row:
    """One row of a sheet, its cells read by heading."""

    sheet: Sheet
    number: int
    values: list[Any]

    def raw(self, heading: str) -> Any:
        index = self.sheet.columns.get(heading)
        if index is None or index >= len(self.values):
            return ""
        return self.values[index]

    def text(self, heading: str) -> str:
        value = self.raw(heading)
        return value.strip() if isinstance(value, str) else str(value)

    def texts(self, base: str) -> dict[str, str]:
        """The language columns of a text, non-empty ones only (a text object)."""
        found = {}
        for language, heading in self.sheet.languages.get(base, {}).items():
            value = self.raw(heading)
            if value != "":
                found[language] = value if isinstance(value, str) else str(value)
        return found

    def is_empty(self) -> bool:
        return all(v == "" for v in self.values)


@dataclass
class Sheet:
    name: str
    columns: dict[str, int]  # heading → index
    languages: dict[str, dict[str, str]]  # text base → language → heading
    rows: list[Row] = field(default_factory=list)

    def letter(self, heading: str) -> str:
        index = self.columns.get(heading)
        return _letter(index) if index is not None else ""


def _sheet(name: str, raw_rows: list[list[Any]]) -> Sheet:
    header = [str(_cell_value(v)).strip() for v in (raw_rows[0] if raw_rows else [])]
    columns: dict[str, int] = {}
    languages: dict[str, dict[str, str]] = {}
    for index, heading in enumerate(header):
        if not heading:
            continue
        match = _LANGUAGE_COLUMN.match(heading)
        if match:
            code = (match.group("code") or match.group("bare")).lower()
            languages.setdefault(match.group("base"), {})[code] = heading
        elif heading in ("label", "hint", "form_title", "text", "note", "answer_format", "continuation"):
            # A text column without a language is in English, as in XLSForm.
            languages.setdefault(heading, {})["en"] = heading
        columns.setdefault(heading, index)
    sheet = Sheet(name, columns, languages)
    sheet.rows = [Row(sheet, number, [_cell_value(v) for v in values]) for number, values in enumerate(raw_rows[1:], 2)]
    sheet.rows = [row for row in sheet.rows if not row.is_empty()]
    return sheet


# An XLSX file is a zip archive of XML: a small upload can unpack to gigabytes (a "zip
# bomb"), and the workbook's shared strings are held in memory whole. The 2026 edition's
# workbook unpacks to about 0.25 MB, so these leave a hundredfold room.
MAX_UNPACKED_BYTES = 32 * 1024 * 1024
MAX_MEMBERS = 500


def _unpacked_size_check(file: IO[bytes]) -> None:
    """Refuse an archive that would unpack to more than the limits, before any of it is
    unpacked. The sizes are those the archive declares: Python's zip reader never gives
    more than the declared size of a member, so they bound what openpyxl can read."""
    import zipfile

    file.seek(0)
    with zipfile.ZipFile(file) as archive:
        members = archive.infolist()
    file.seek(0)
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(
            [
                Problem(
                    _("file"),
                    None,
                    "",
                    "",
                    _(
                        "this workbook unpacks to %(size)s MB in %(count)s parts; at most %(limit)s MB in "
                        "%(parts)s parts are read. Save it again without images, embedded files or unused sheets."
                    )
                    % {
                        "size": number_format(unpacked / (1024 * 1024), 1),
                        "count": number_format(len(members), force_grouping=True),
                        "limit": MAX_UNPACKED_BYTES // (1024 * 1024),
                        "parts": MAX_MEMBERS,
                    },
                )
            ]
        )


def _workbook_sheets(file: IO[bytes], max_rows: int) -> dict[str, Sheet]:
    """The sheets of an XLSX file by lower-case name, each read up to max_rows rows."""
    import openpyxl

    _unpacked_size_check(file)
    book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    try:
        sheets = {}
        for worksheet in book.worksheets:
            rows = []
            for values in worksheet.iter_rows(values_only=True):
                rows.append(list(values))
                if len(rows) > max_rows + 1:
                    raise SpreadsheetError(
                        [
                            Problem(
                                worksheet.title,
                                None,
                                "",
                                "",
                                _("this sheet has more than %(limit)s rows besides the header") % {"limit": max_rows},
                            )
                        ]
                    )
            sheets[worksheet.title.strip().lower()] = _sheet(worksheet.title.strip(), rows)
        return sheets
    finally:
        book.close()


# --- reading: the definition ---------------------------------------------------------------


@dataclass
class _Question:
    """A question as read, with the row it came from (for pointing at its cells)."""

    row: Row
    data: dict[str, Any]
    choice_list: str | None = None


class _Reader:
    """Reads the sheets into a definition, collecting every problem with its cell."""

    def __init__(self, sheets: dict[str, Sheet]) -> None:
        self.sheets = sheets
        self.problems: list[Problem] = []
        self.questions: dict[str, _Question] = {}
        self.lists: dict[str, list[tuple[Row, str, dict[str, str]]]] = {}
        self.example_numbers: set[int] = set()
        self.used_lists: set[str] = set()
        # Questions whose type or list is wrong: what conditions compare them with is not
        # checked (the one error is reported where it is).
        self.faulty: set[str] = set()

    # problems

    def error(self, row: Row | None, heading: str, message: str, *, sheet: Sheet | None = None) -> None:
        self._add(row, heading, message, True, sheet)

    def warning(self, row: Row | None, heading: str, message: str, *, sheet: Sheet | None = None) -> None:
        self._add(row, heading, message, False, sheet)

    def _add(self, row: Row | None, heading: str, message: str, error: bool, sheet: Sheet | None) -> None:
        sheet = row.sheet if row is not None else sheet
        letter = sheet.letter(heading) if sheet is not None and heading else ""
        self.problems.append(
            Problem(
                sheet.name if sheet else "",
                row.number if row is not None else (1 if letter else None),
                letter,
                heading,
                message,
                error,
            )
        )

    # sheets

    def sheet(self, name: str, required: bool = True) -> Sheet | None:
        found = self.sheets.get(name)
        if found is None and required:
            self.problems.append(
                Problem(name, None, "", "", _("the workbook has no sheet named “%(name)s”") % {"name": name})
            )
        return found

    def read(self) -> dict[str, Any]:
        definition: dict[str, Any] = {"format": FORMAT}
        settings = self.sheet("settings")
        if settings is not None:
            definition.update(self.settings(settings))
        introduction = self.sheet("introduction", required=False)
        definition["introduction"] = self.paragraphs(introduction) if introduction else []
        instructions = self.sheet("instructions", required=False)
        examples_sheet = self.sheet("examples", required=False)
        definition["examples"] = self.help_examples(examples_sheet) if examples_sheet else []
        definition["instructions"] = self.instructions(instructions) if instructions else []
        choices = self.sheet("choices", required=False)
        if choices is not None:
            self.choice_lists(choices)
        survey = self.sheet("survey")
        definition["sections"] = self.survey(survey) if survey is not None else []
        self.unused_lists()
        mapping = self.sheet("mapping", required=False)
        revised = definition.pop("_revises_slug", "")
        if revised or (mapping is not None and mapping.rows):
            definition["revises"] = self.mapping(mapping, revised, settings)
        return definition

    # texts

    def text(self, row: Row, base: str, *, required: bool = False, what: str = "") -> dict[str, str] | None:
        """A text object from the language columns of ``base``; None when all are empty."""
        text = row.texts(base)
        english = language_heading(base, "en") if "en" in row.sheet.languages.get(base, {}) else base
        english = row.sheet.languages.get(base, {}).get("en", english)
        if not text:
            if required:
                self.error(row, english, _("%(what)s needs an English text") % {"what": what or base})
            return None
        if not (text.get("en") or "").strip():
            self.error(row, english, _("the English text is missing (English is the edition's first language)"))
            return text
        for language in TRANSLATED:
            if language not in text:
                self.missing_translation(row, base, language)
        return text

    def missing_translation(self, row: Row, base: str, language: str) -> None:
        heading = row.sheet.languages.get(base, {}).get(language)
        name = LANGUAGE_WORDS[language]
        if heading is None:
            if not getattr(row.sheet, f"_told_{base}_{language}", False):
                setattr(row.sheet, f"_told_{base}_{language}", True)
                self.warning(
                    None,
                    "",
                    _("no column %(column)s: readers in %(language)s will see the English texts")
                    % {"column": language_heading(base, language), "language": name},
                    sheet=row.sheet,
                )
            return
        self.warning(
            row,
            heading,
            _("no %(language)s text: readers in %(language)s will see the English one") % {"language": name},
        )

    def numbers(self, row: Row, heading: str) -> list[int]:
        value = row.raw(heading)
        if value == "":
            return []
        if isinstance(value, int):
            return [value]
        found = []
        for part in re.split(r"[,;\s]+", str(value).strip()):
            if part.isdigit():
                found.append(int(part))
            elif part:
                self.error(row, heading, _("“%(value)s” is not a number") % {"value": part})
        return found

    def example_refs(self, row: Row, heading: str) -> list[int]:
        numbers = self.numbers(row, heading)
        for n in numbers:
            if n not in self.example_numbers:
                self.error(row, heading, _("help example %(n)s does not exist in the examples sheet") % {"n": n})
        return numbers

    def whole(self, row: Row, heading: str, *, required: bool = False) -> int | None:
        value = row.raw(heading)
        if value == "":
            if required:
                self.error(row, heading, _("a whole number is required"))
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        if re.fullmatch(r"-?\d+", text):
            return int(text)
        self.error(row, heading, _("“%(value)s” is not a whole number") % {"value": value})
        return None

    def flag(self, row: Row, heading: str) -> bool | None:
        value = row.raw(heading)
        if value == "":
            return None
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in YES or word in NO:
            return word in YES
        self.error(row, heading, _("write yes or no (found “%(value)s”)") % {"value": value})
        return None

    # settings, introduction, instructions, examples

    def settings(self, sheet: Sheet) -> dict[str, Any]:
        if not sheet.rows:
            self.error(None, "", _("the settings sheet needs a row under its header"), sheet=sheet)
            return {}
        row = sheet.rows[0]
        slug = row.text("form_id")
        if not slug:
            self.error(row, "form_id", _("the edition's ID (slug) is required, e.g. application-numbering-2027"))
        elif not SLUG_PATTERN.match(slug) or len(slug) > 80:
            self.error(row, "form_id", _("use lower-case letters, digits and hyphens only (at most 80)"))
        elif slug in RESERVED_SLUGS:
            self.error(
                row, "form_id", _("“%(slug)s” is a word of the site's addresses; choose another") % {"slug": slug}
            )
        version = row.text("version")
        if not version:
            self.error(row, "version", _("a version is required, e.g. 2027.1"))
        language = row.text("default_language")
        if language and not re.search(r"(^|\()en(\)|$)", language.lower()):
            self.error(row, "default_language", _("English (en) is the first language of every edition"))
        return {
            "slug": slug,
            "version": version,
            "year": self.whole(row, "year", required=True),
            "title": self.text(row, "form_title", required=True, what=_("The edition's title")),
            "_revises_slug": row.text("revises"),
        }

    def paragraphs(self, sheet: Sheet) -> list[dict[str, str]]:
        return [t for row in sheet.rows if (t := self.text(row, "text", required=True, what=_("A paragraph")))]

    def instructions(self, sheet: Sheet) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for row in sheet.rows:
            part = row.text("part").lower()
            text = self.text(row, "text", required=True, what=_("An instruction"))
            if part == "heading":
                ident = row.text("id")
                if not ident:
                    self.error(row, "id", _("an instruction needs an ID"))
                found.append({"id": ident, "heading": text, "body": [], "examples": self.example_refs(row, "examples")})
            elif part == "paragraph":
                if not found:
                    self.error(row, "part", _("a paragraph must follow the heading of its instruction"))
                elif text:
                    found[-1]["body"].append(text)
            else:
                self.error(row, "part", _("write heading or paragraph"))
        return found

    def help_examples(self, sheet: Sheet) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for row in sheet.rows:
            part = row.text("part").lower()
            text = self.text(row, "text", required=True, what=_("An example"))
            if part == "title":
                number = self.whole(row, "number", required=True)
                if number is not None and number != len(found) + 1:
                    self.error(
                        row,
                        "number",
                        _("examples are numbered 1, 2, 3 … without gaps: %(n)s expected") % {"n": len(found) + 1},
                    )
                found.append({"number": len(found) + 1, "title": text, "body": []})
            elif part == "paragraph":
                if not found:
                    self.error(row, "part", _("a paragraph must follow the title of its example"))
                elif text:
                    found[-1]["body"].append(text)
            else:
                self.error(row, "part", _("write title or paragraph"))
        self.example_numbers = {e["number"] for e in found}
        return found

    # choices

    def choice_lists(self, sheet: Sheet) -> None:
        for row in sheet.rows:
            name, code = row.text("list_name"), row.text("name")
            if not name:
                self.error(row, "list_name", _("the choice needs the name of its list"))
                continue
            if not code:
                self.error(row, "name", _("the choice needs a code"))
                continue
            entries = self.lists.setdefault(name, [])
            if any(c == code for _r, c, _t in entries):
                self.error(
                    row, "name", _("the code “%(code)s” is twice in the list %(list)s") % {"code": code, "list": name}
                )
                continue
            entries.append((row, code, self.text(row, "label", required=True, what=_("A choice")) or {}))

    def unused_lists(self) -> None:
        for name, entries in self.lists.items():
            if name not in self.used_lists and entries:
                self.warning(entries[0][0], "list_name", _("no question uses the list %(list)s") % {"list": name})

    # survey

    def survey(self, sheet: Sheet) -> list[dict[str, Any]]:
        sections: list[dict[str, Any]] = []
        current: dict[str, Any] | None = None
        for row in sheet.rows:
            kind = " ".join(row.text("type").lower().split())
            if kind in BEGIN_SECTION:
                if current is not None:
                    self.error(
                        row,
                        "type",
                        _("the section %(id)s has no end section row before this one") % {"id": current["id"]},
                    )
                current = self.section(row, sections)
                sections.append(current)
            elif kind in END_SECTION:
                if current is None:
                    self.error(row, "type", _("an end section row without its begin section row"))
                current = None
            elif current is None:
                self.error(row, "type", _("a question outside any section: put a begin section row before it"))
            else:
                question = self.question(row)
                if question is not None:
                    current["questions"].append(question)
        if current is not None:
            self.error(None, "", _("the section %(id)s has no end section row") % {"id": current["id"]}, sheet=sheet)
        if not sections:
            self.error(None, "", _("the survey sheet has no section"), sheet=sheet)
        return sections

    def section(self, row: Row, sections: list[dict[str, Any]]) -> dict[str, Any]:
        ident = row.text("name")
        if not ident or not ID_PATTERN.match(ident):
            self.error(row, "name", _("a section needs an ID of letters, digits and underscores"))
        elif any(s["id"] == ident for s in sections):
            self.error(row, "name", _("the section ID %(id)s is used twice") % {"id": ident})
        return {
            "id": ident,
            "title": self.text(row, "label", required=True, what=_("A section")),
            "reminder": self.text(row, "hint"),
            "examples": self.example_refs(row, "examples"),
            "questions": [],
        }

    def question(self, row: Row) -> dict[str, Any] | None:
        ident = self.question_id(row)
        errors = len(self.problems)
        qtype, list_name = self.question_type(row)
        if any(p.error for p in self.problems[errors:]):
            self.faulty.add(ident)
        q: dict[str, Any] = {
            "id": ident,
            "number": self.whole(row, "number", required=True),
            "letter": row.text("letter") or None,
            "type": qtype,
            "text": self.text(row, "label", required=True, what=_("A question")),
            "required": bool(self.flag(row, "required")),
            "condition": self.condition(row),
        }
        self.optional_keys(row, q)
        self.type_keys(row, q, list_name)
        if ident and ident not in self.questions:
            self.questions[ident] = _Question(row, q, list_name)
        return q

    def question_id(self, row: Row) -> str:
        ident = row.text("name")
        if not ident:
            self.error(row, "name", _("every question needs an ID (name)"))
        elif not ID_PATTERN.match(ident):
            self.error(
                row,
                "name",
                _("“%(id)s”: an ID is letters, digits and underscores, starting with a letter") % {"id": ident},
            )
        elif ident in self.questions:
            self.error(
                row,
                "name",
                _("duplicate ID: %(id)s is already the question of row %(row)s")
                % {"id": ident, "row": self.questions[ident].row.number},
            )
        return ident

    def question_type(self, row: Row) -> tuple[str, str | None]:
        words = row.text("type").split()
        if not words:
            self.error(row, "type", _("the type is missing"))
            return "", None
        name = TYPE_ALIASES.get(words[0], words[0])
        list_name = words[1] if len(words) > 1 else None
        if name not in QUESTION_TYPES:
            known = ", ".join(["select_one <list>", "select_multiple <list>", "grid <list>", *self.plain_types()])
            self.error(
                row, "type", _("unknown type “%(type)s”; the types are: %(known)s") % {"type": words[0], "known": known}
            )
        elif name in ("single", "multi", "grid") and list_name is None:
            self.error(
                row, "type", _("name the list of its choices (or columns): “%(type)s <list>”") % {"type": words[0]}
            )
        elif list_name is not None and name not in ("single", "multi", "grid"):
            self.error(row, "type", _("a %(type)s question takes no list") % {"type": name})
        elif list_name is not None and list_name not in self.lists:
            self.error(
                row, "type", _("the choice list “%(list)s” does not exist in the choices sheet") % {"list": list_name}
            )
            list_name = None
        return name, list_name

    @staticmethod
    def plain_types() -> list[str]:
        return sorted(t for t in QUESTION_TYPES if t not in ("single", "multi", "grid"))

    def optional_keys(self, row: Row, q: dict[str, Any]) -> None:
        for key, base in (("help", "hint"), ("answer_format", "answer_format"), ("continuation", "continuation")):
            text = self.text(row, base)
            if text:
                q[key] = text
        examples = self.example_refs(row, "examples")
        if examples:
            q["examples"] = examples
        for key in ("parts_from", "rows_from", "catalogue"):
            value = row.text(key)
            if value:
                q[key] = value
        attachment = self.flag(row, "attachment")
        if attachment is not None:
            q["attachment"] = attachment
        self.constraint(row, q)

    def type_keys(self, row: Row, q: dict[str, Any], list_name: str | None) -> None:
        entries = self.lists.get(list_name or "", [])
        if list_name:
            self.used_lists.add(list_name)
        if q["type"] in ("single", "multi"):
            q["choices"] = [{"code": code, "label": label} for _row, code, label in entries]
        elif q["type"] == "grid":
            q["columns"] = [{"id": code, "label": label} for _row, code, label in entries]
        for key in ("parts_from", "rows_from"):
            if key in q:
                self.source(row, key, q[key])

    def source(self, row: Row, key: str, ref: str) -> None:
        earlier = self.questions.get(ref)
        if earlier is None or earlier.data["type"] != "multi":
            self.error(row, key, _("%(ref)s is not an earlier select_multiple question") % {"ref": ref})

    def constraint(self, row: Row, q: dict[str, Any]) -> None:
        text = row.text("constraint")
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            key, _sep, value = (s.strip() for s in part.partition("="))
            if key not in CONSTRAINT_KEYS:
                known = ", ".join(CONSTRAINT_KEYS)
                self.error(
                    row,
                    "constraint",
                    _("unknown constraint “%(key)s”; known: %(known)s") % {"key": key, "known": known},
                )
                continue
            if key == "range":
                q[key] = value.lower() in YES or not value
            elif re.fullmatch(r"-?\d+", value):
                q[key] = int(value)
            else:
                self.error(
                    row,
                    "constraint",
                    _("%(key)s takes a whole number (found “%(value)s”)") % {"key": key, "value": value},
                )

    # conditions

    def condition(self, row: Row) -> Any:
        text = row.text("relevant")
        try:
            tree = condition_syntax.parse(text)
        except condition_syntax.ConditionSyntaxError as exc:
            self.error(
                row,
                "relevant",
                _("the condition cannot be read at character %(at)s: %(reason)s")
                % {"at": exc.position, "reason": exc.reason},
            )
            return None
        if tree is None:
            return None
        later = {q for q in self.sheets_question_ids() if q not in self.questions}
        for ref in condition_syntax.references(tree):
            if ref not in self.questions:
                message = (
                    _("the condition names %(id)s, which comes later: a condition may only look at earlier questions")
                    if ref in later
                    else _("the condition names %(id)s, which is not a question of this edition")
                )
                self.error(row, "relevant", message % {"id": ref})
                return tree
        for op, ref, code in condition_syntax.compared_codes(tree):
            self.compared(row, op, ref, code)
        return tree

    def sheets_question_ids(self) -> set[str]:
        cached = getattr(self, "_all_ids", None)
        if cached is None:
            survey = self.sheets.get("survey")
            rows = survey.rows if survey else []
            sections = BEGIN_SECTION | END_SECTION
            cached = {r.text("name") for r in rows if " ".join(r.text("type").lower().split()) not in sections}
            self._all_ids = cached
        return cached

    def compared(self, row: Row, op: str, ref: str, code: str) -> None:
        if ref in self.faulty:
            return
        target = self.questions[ref].data
        if op == "has" and target["type"] != "multi":
            self.error(
                row, "relevant", _("selected() applies to select_multiple questions; %(id)s is not one") % {"id": ref}
            )
            return
        codes = YESNO_CODES if target["type"] == "yesno" else [c["code"] for c in target.get("choices") or ()]
        if code not in codes:
            self.error(
                row,
                "relevant",
                _("%(id)s has no choice “%(code)s” (its codes: %(codes)s)")
                % {"id": ref, "code": code, "codes": ", ".join(codes) or "—"},
            )

    # mapping

    def mapping(self, sheet: Sheet | None, revised: str, settings: Sheet | None) -> dict[str, Any]:
        if not revised:
            self.error(
                settings.rows[0] if settings and settings.rows else None,
                "revises",
                _("the mapping sheet has rows, but the settings do not say which edition this one revises"),
                sheet=settings,
            )
        revises: dict[str, Any] = {"edition": revised, "questions": [], "choices": []}
        for row in sheet.rows if sheet is not None else ():
            kind = row.text("kind").lower()
            note = self.text(row, "note")
            if kind in QUESTION_KINDS:
                entry = {"kind": kind, "old": row.text("old").split(), "new": row.text("new").split()}
                self.mapping_question(row, entry)
                revises["questions"].append({**entry, "note": note} if note else entry)
            elif kind == CHOICE_KIND:
                entry = {
                    "old_question": row.text("old"),
                    "new_question": row.text("new"),
                    "old": row.text("old_choice").split(),
                    "new": row.text("new_choice") or None,
                }
                self.mapping_choice(row, entry)
                revises["choices"].append({**entry, "note": note} if note else entry)
            else:
                kinds = ", ".join([*QUESTION_KINDS, CHOICE_KIND])
                self.error(
                    row, "kind", _("unknown kind “%(kind)s”; the kinds are: %(kinds)s") % {"kind": kind, "kinds": kinds}
                )
        return revises

    def mapping_question(self, row: Row, entry: dict[str, Any]) -> None:
        for side, (low, high) in zip(("old", "new"), revisions.ARITY[entry["kind"]], strict=True):
            count = len(entry[side])
            if count < low or (high is not None and count > high):
                self.error(row, side, self.shape_message(entry["kind"], side, low, high))
        for ident in entry["new"]:
            if ident not in self.questions:
                self.error(row, "new", _("%(id)s is not a question of this edition") % {"id": ident})

    @staticmethod
    def shape_message(kind: str, side: str, low: int, high: int | None) -> str:
        if high == 0:
            return _("a %(kind)s row leaves %(side)s empty") % {"kind": kind, "side": side}
        if high is None:
            words = ngettext(
                "a %(kind)s row names at least %(n)s question in %(side)s",
                "a %(kind)s row names at least %(n)s questions in %(side)s",
                low,
            )
        else:
            words = ngettext(
                "a %(kind)s row names exactly %(n)s question in %(side)s",
                "a %(kind)s row names exactly %(n)s questions in %(side)s",
                low,
            )
        return words % {"kind": kind, "n": low, "side": side}

    def mapping_choice(self, row: Row, entry: dict[str, Any]) -> None:
        if not entry["old_question"]:
            self.error(row, "old", _("name the question of the earlier edition"))
        if not entry["old"]:
            self.error(row, "old_choice", _("name the code(s) of the earlier edition"))
        target = self.questions.get(entry["new_question"])
        if target is None:
            self.error(row, "new", _("%(id)s is not a question of this edition") % {"id": entry["new_question"] or "—"})
            return
        codes = YESNO_CODES if target.data["type"] == "yesno" else [c["code"] for c in target.data.get("choices") or ()]
        if entry["new"] is not None and entry["new"] not in codes:
            self.error(
                row,
                "new_choice",
                _("%(id)s has no choice “%(code)s” (its codes: %(codes)s)")
                % {"id": entry["new_question"], "code": entry["new"], "codes": ", ".join(codes) or "—"},
            )


def _final_check(definition: dict[str, Any], reader: _Reader) -> None:
    """The edition's own validation, last: what it still finds is pointed at the question's row."""
    try:
        Edition(definition)
    except DefinitionError as exc:
        message = str(exc)
        match = re.match(r"question (\S+?)[.:]", message)
        found = reader.questions.get(match.group(1)) if match else None
        if found is not None:
            reader.error(found.row, "name", message)
        else:
            reader.problems.append(Problem("survey", None, "", "", message))


@dataclass
class Reading:
    """A spreadsheet as read: its definition, its problems, and its sheets (to point at a
    cell for what is found wrong later)."""

    definition: dict[str, Any]
    problems: list[Problem]
    sheets: dict[str, Sheet] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.error]

    def problem(self, sheet: str, row: int | None, heading: str, message: str, *, error: bool = True) -> Problem:
        """A problem at the cell of ``heading`` in ``row`` of a sheet of this spreadsheet."""
        found = self.sheets.get(sheet)
        letter = found.letter(heading) if found is not None and heading else ""
        return Problem(found.name if found else sheet, row, letter, heading, message, error)


def reading(file: IO[bytes], *, max_rows: int = 2000) -> Reading:
    """Read an authoring spreadsheet: the definition and every problem found (errors and
    warnings). With an error, the definition is incomplete and must not be loaded."""
    import zipfile

    try:
        sheets = _workbook_sheets(file, max_rows)
    except SpreadsheetError as exc:
        return Reading({}, exc.problems)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        return Reading(
            {}, [Problem(_("file"), None, "", "", _("this is not an XLSX workbook (%(reason)s)") % {"reason": exc})]
        )
    reader = _Reader(sheets)
    definition = reader.read()
    if not any(p.error for p in reader.problems):
        _final_check(definition, reader)
    return Reading(definition, reader.problems, sheets)


def read(file: IO[bytes], *, max_rows: int = 2000) -> tuple[dict[str, Any], list[Problem]]:
    """The definition in an authoring spreadsheet, and every problem found."""
    found = reading(file, max_rows=max_rows)
    return found.definition, found.problems


def definition_from(file: IO[bytes], *, max_rows: int = 2000) -> dict[str, Any]:
    """The definition in the spreadsheet; SpreadsheetError listing every error if it has any."""
    found = reading(file, max_rows=max_rows)
    if found.errors:
        raise SpreadsheetError(found.problems)
    return found.definition
