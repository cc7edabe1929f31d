"""Handbook Part 7.2.6, "Numbering of applications and priority applications – current
practices": the examples of question 14, laid out as the Handbook publishes them.

Four columns: the country or organization (its ST.3 code and its name in capitals, e.g.
"MD REPUBLIC OF MOLDOVA"), the examples of application numbers, their recommended
presentation in abbreviated form as priority application numbers, and the remarks. One
row per response (numbering system), its examples one per line; an office's rows form a
group, the office named on the first of them only. No totals: the table lists practices,
it does not count them.

The remarks are one text in a fixed order — "Used since: … for: …" (the types of IP
rights), then description, code for the type of IP rights, year designation, serial
number, code for internal use, control number/check digit and further remarks — each
part from the answers through the numbering structure (`standards.structure`), "N/A"
where the numbering system has no such part (`compose_remarks`). Where the office
explained a part in its own words (q14c) those words are kept; otherwise the part is
described from the structured answers.

The table builder registers itself with `surveys.reports.tables` (which it imports, so
that module cannot import it); the surveys app loads this module when it starts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import formats
from django.utils.translation import gettext, ngettext, pgettext

from standards.structure import (
    PART_CONTROL,
    PART_INTERNAL,
    PART_SERIAL,
    PART_TYPE,
    PART_YEAR,
    NumberingStructure,
)
from surveys.questionnaire.edition import Edition
from surveys.reports.tables import BLANK, Cell, Column, Kind, Row, Table, register_builder
from surveys.reports.tables import _Builder as Builder
from surveys.reports.tables import _Entry as Entry

# --- the remarks ---------------------------------------------------------------------------

# The parts of the remarks, in the Handbook's order (also the keys of the JSON "details").
REMARK_PARTS = (
    "used_since",
    "for",
    "description",
    "type_code",
    "year",
    "serial",
    "internal_code",
    "control_number",
    "further",
)


def remark_labels() -> dict[str, str]:
    """The heading of each part of the remarks, in the active language (colon included:
    French sets a space before it)."""
    return {
        "used_since": pgettext("7.2.6 remarks", "Used since:"),
        "for": pgettext("7.2.6 remarks", "for:"),
        "description": pgettext("7.2.6 remarks", "Description:"),
        "type_code": pgettext("7.2.6 remarks", "Code for the type of IP rights:"),
        "year": pgettext("7.2.6 remarks", "Year designation:"),
        "serial": pgettext("7.2.6 remarks", "Serial number:"),
        "internal_code": pgettext("7.2.6 remarks", "Code for internal use:"),
        "control_number": pgettext("7.2.6 remarks", "Control number/Check digit:"),
        "further": pgettext("7.2.6 remarks", "Further remarks:"),
    }


def not_applicable() -> str:
    # Translators: in the remarks of Handbook 7.2.6, a part the numbering system does not have.
    return pgettext("7.2.6 remarks", "N/A")


@dataclass(frozen=True)
class Remarks:
    """The remarks on one numbering system, part by part (texts in the report's language)."""

    used_since: str
    ipr_types: tuple[str, ...]
    description: str
    type_code: str
    year: str
    serial: str
    internal_code: str
    control_number: str
    further: str
    # The headings of the parts and "N/A", in the language the remarks were composed in.
    headings: dict[str, str] = field(default_factory=remark_labels, compare=False)
    none: str = field(default_factory=not_applicable, compare=False)

    def parts(self) -> dict[str, Any]:
        """Part → its text (the types of IP rights as a list), in the Handbook's order."""
        return {
            "used_since": self.used_since,
            "for": list(self.ipr_types),
            "description": self.description,
            "type_code": self.type_code,
            "year": self.year,
            "serial": self.serial,
            "internal_code": self.internal_code,
            "control_number": self.control_number,
            "further": self.further,
        }

    def text(self) -> str:
        """The remarks as the Handbook prints them: one part a line, each after its heading."""
        lines = []
        for part, value in self.parts().items():
            if part == "for":
                value = ", ".join(value) or self.none
            lines.append(f"{self.headings[part]} {value}")
        return "\n".join(lines)


_RANGE = re.compile(r"^\d+\s*[-–]\s*\d+$|^\d+$")  # "1-6", "7–15", "3": positions in the number
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def compose_remarks(
    structure: NumberingStructure,
    answers: Mapping[str, Any],
    edition: Edition,
    language: str,
    attachments: Sequence[str] = (),
) -> Remarks:
    """The remarks of Handbook 7.2.6 for one numbering system.

    `structure` is what the (applicable) `answers` describe; the answers themselves give
    the free texts the structure does not keep (q10b other information, q12b how priority
    numbers differ). `attachments` are the names of the files attached to question 14.
    Call it with the report's language active.
    """
    words = _Words(edition, language)
    return Remarks(
        used_since=_since(structure.in_use_since or _text(answers.get("q1b"))),
        ipr_types=words.ipr_types(structure),
        description=_office(structure, "description") or _description(structure, words),
        type_code=_type_code(structure, words),
        year=_year(structure),
        serial=_serial(structure),
        internal_code=_internal(structure, answers, words),
        control_number=_control(structure, answers, words),
        further=_further(structure, answers, attachments) or not_applicable(),
    )


class _Words:
    """The edition's labels for the choices the remarks name, in the report's language."""

    def __init__(self, edition: Edition, language: str) -> None:
        self.edition, self.language = edition, language

    def choice(self, question_id: str, code: str) -> str:
        question = self.edition.by_id.get(question_id)
        return question.choice_label(code, self.language) if question else code

    def ipr_types(self, structure: NumberingStructure) -> tuple[str, ...]:
        types = []
        for code in structure.ipr_types or ():
            label = self.choice("q1a", code)
            types.append(f"{label}: {structure.ipr_other}" if code == "other" and structure.ipr_other else label)
        return tuple(types)


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _since(value: str | None) -> str:
    """q14b (or q1b): a year as it is, a full date in the language's long form."""
    if not value:
        return not_applicable()
    m = _ISO_DATE.match(value)
    if m:
        try:
            # Translators: how the remarks of Handbook 7.2.6 write a full date (Django date format letters).
            return formats.date_format(date(int(m[1]), int(m[2]), int(m[3])), pgettext("7.2.6 remarks", "F j, Y"))
        except ValueError:
            return value
    return value


def _office(structure: NumberingStructure, column: str) -> str:
    """The office's own explanation of a component (q14c), if it gave one."""
    return (structure.components or {}).get(column, "").strip()


def _has(structure: NumberingStructure, part: str, flag: bool | None) -> bool:
    """Whether the numbering system has the part: its own question (q5a …) decides; when
    that is unanswered, the parts ticked in q2a do."""
    if flag is not None:
        return flag
    return part in (structure.parts or ())


def _positions(structure: NumberingStructure, part: str) -> str:
    """Where the part stands ("3-6"), when the order and every length up to it are fixed."""
    order, lengths = structure.order or (), structure.lengths or {}
    if not structure.fixed_length or part not in order:
        return ""
    start = 1
    for each in order:
        length = lengths.get(each)
        if not length:
            return ""
        if each == part:
            return f"{start}-{start + length - 1}" if length > 1 else str(start)
        start += length
    return ""


def _length(structure: NumberingStructure, part: str) -> str:
    length = structure.length_of(part) if structure.fixed_length else None
    if length:
        return ngettext("fixed length of %(n)s character", "fixed length of %(n)s characters", length) % {"n": length}
    low_high = (structure.length_ranges or {}).get(part)
    if low_high and low_high[0] == low_high[1]:
        n = low_high[0]
        return ngettext("length of %(n)s character", "length of %(n)s characters", n) % {"n": n}
    if low_high:
        return gettext("variable length of %(min)s to %(max)s characters") % {"min": low_high[0], "max": low_high[1]}
    return ""


def _at(positions: str) -> str:
    """Where a part stands, in words: in positions 3-6, in position 9."""
    if positions.isdigit():
        return gettext("in position %(position)s") % {"position": positions}
    return gettext("in positions %(positions)s") % {"positions": positions}


def _placed(structure: NumberingStructure, part: str, office_words: str) -> str:
    """Length and position of a part: the office's own words when they are more than a
    range of positions, else the length with the positions (the office's, or computed)."""
    if office_words and not _RANGE.match(office_words):
        return office_words
    positions = office_words or _positions(structure, part)
    pieces = [_length(structure, part)]
    if positions:
        pieces.append(_at(positions))
    return " ".join(p for p in pieces if p)


def _description(structure: NumberingStructure, words: _Words) -> str:
    """The parts from left to right with their lengths, when the office gave no description."""
    order = structure.order or structure.parts or ()
    if not order:
        return not_applicable()
    lengths, ranges = structure.lengths or {}, structure.length_ranges or {}
    named = []
    for part in order:
        label = words.choice("q2a", part)
        if structure.fixed_length and lengths.get(part):
            label = f"{label} ({lengths[part]})"
        elif part in ranges:
            low, high = ranges[part]
            label = f"{label} ({low})" if low == high else f"{label} ({low}-{high})"
        named.append(label)
    parts = ", ".join(named)
    total = sum(lengths.get(p, 0) for p in order) if structure.fixed_length else 0
    if total and all(lengths.get(p) for p in order):
        return ngettext(
            "Fixed length of %(n)s character: %(parts)s.", "Fixed length of %(n)s characters: %(parts)s.", total
        ) % {"n": total, "parts": parts}
    return gettext("Parts from left to right: %(parts)s.") % {"parts": parts}


def _type_code(structure: NumberingStructure, words: _Words) -> str:
    if not _has(structure, PART_TYPE, structure.has_type_code):
        return not_applicable()
    office = _office(structure, "ipr_types")
    if office:
        return office
    codes = [f"{code} – {words.choice('q1a', ipr)}" for ipr, code in (structure.type_codes or {}).items() if code]
    placed = _placed(structure, PART_TYPE, "")
    return "; ".join(p for p in [", ".join(codes), placed] if p) or not_applicable()


def _year(structure: NumberingStructure) -> str:
    if not _has(structure, PART_YEAR, structure.has_year):
        return not_applicable()
    office = _office(structure, "year")
    if office and not _RANGE.match(office):
        return office
    pieces = []
    if structure.year_digits:
        pieces.append(ngettext("%(n)s digit", "%(n)s digits", structure.year_digits) % {"n": structure.year_digits})
    if structure.calendar == "gregorian":
        pieces.append(gettext("Gregorian calendar"))
    elif structure.calendar_other:
        pieces.append(gettext("%(calendar)s calendar") % {"calendar": structure.calendar_other})
    positions = office or _positions(structure, PART_YEAR)
    if positions:
        pieces.append(_at(positions))
    return ", ".join(pieces) or not_applicable()


def _serial(structure: NumberingStructure) -> str:
    if not _has(structure, PART_SERIAL, structure.has_serial):
        return not_applicable()
    pieces = [_placed(structure, PART_SERIAL, _office(structure, "serial_position"))]
    if structure.annual_restart:
        pieces.append(gettext("restarts every year"))
    return ", ".join(p for p in pieces if p) or not_applicable()


def _internal(structure: NumberingStructure, answers: Mapping[str, Any], words: _Words) -> str:
    if not _has(structure, PART_INTERNAL, structure.has_internal_code):
        return not_applicable()
    office = _office(structure, "internal_code")
    if office and not _RANGE.match(office):
        return office
    codes = [f"{code} – {meaning}" if meaning else code for code, meaning in structure.internal_codes or ()]
    pieces = ["; ".join(codes)]
    if structure.internal_position == "other":
        pieces.append(_text(answers.get("q8c_other")) or "")
    elif structure.internal_position:
        pieces.append(words.choice("q8c", structure.internal_position))
    pieces.append(_placed(structure, PART_INTERNAL, office))
    return "; ".join(p for p in pieces if p) or not_applicable()


def _control(structure: NumberingStructure, answers: Mapping[str, Any], words: _Words) -> str:
    if not _has(structure, PART_CONTROL, structure.has_control):
        return not_applicable()
    office = _office(structure, "control_number")
    if office and not _RANGE.match(office):
        return office
    pieces = []
    if structure.check_digit == "other":
        pieces.append(_text(answers.get("q9c_other")) or "")
    elif structure.check_digit:
        pieces.append(words.choice("q9c", structure.check_digit))
    if structure.control_position:
        pieces.append(words.choice("q9b", structure.control_position))
    pieces.append(_placed(structure, PART_CONTROL, office))
    return "; ".join(p for p in pieces if p) or not_applicable()


def _further(structure: NumberingStructure, answers: Mapping[str, Any], attachments: Sequence[str]) -> str:
    """What else the office said: other information (q10b), how priority numbers differ
    (q12b), its comments (q14d) and the files it attached."""
    pieces = []
    other = _text(answers.get("q10b"))
    if other:
        pieces.append(other)
    priority = _text(answers.get("q12b")) if structure.priority_same_format is False else None
    if priority:
        pieces.append(gettext("Priority application numbers: %(text)s") % {"text": priority})
    if structure.comments:
        pieces.append(structure.comments)
    pieces += [gettext("Attached file: %(name)s") % {"name": name} for name in attachments]
    return "\n".join(dict.fromkeys(pieces))


# --- the table --------------------------------------------------------------------------------


def office_cell(code: str, name: str) -> str:
    """The Handbook's "Country or Organization": ST.3 code and name in capitals."""
    return f"{code} {name.upper()}"


@register_builder("examples")
class ExamplesBuilder(Builder):
    """Handbook 7.2.6: a row per response (its examples one per line), grouped by office."""

    def __init__(self, edition: Edition, language: str) -> None:
        super().__init__(edition, language)
        self.previous_office: str | None = None
        self.columns = [
            Column("office", gettext("Country or Organization"), Kind.KEY, sheet_width=30),
            Column("example", gettext("Example of application number")),
            Column(
                "priority",
                gettext("Recommended presentation in abbreviated form as a priority application number"),
            ),
            # The remarks run over lines of up to a hundred characters or so: a wide, wrapped column.
            Column("remarks", gettext("Remarks"), sheet_width=90),
        ]

    def add_rows(self, entry: Entry) -> None:
        response = entry.response
        structure = entry.structure
        examples = [e for e in structure.examples or () if e.number]
        remarks = compose_remarks(
            structure,
            entry.answers,
            self.edition,
            self.language,
            [att.original_name for att in response.report_attachments],
        )
        office = response.office_id
        first = office != self.previous_office
        self.previous_office = office
        numbers = "\n".join(e.number for e in examples)
        priorities = "\n".join(e.priority for e in examples)
        cells = [
            # An office's name once, on the first row of its group.
            Cell(office_cell(office, entry.office_name or response.office.name)) if first else BLANK,
            # An application number is read as one token: never wrap it at its hyphens.
            Cell(numbers, css="rt-number") if numbers else BLANK,
            Cell(priorities, css="rt-number") if priorities else BLANK,
            Cell(remarks.text(), css="rt-remarks"),
        ]
        self.rows.append(Row(response.public_key, cells, details={"remarks": remarks.parts()}))

    def table(self) -> Table:
        return Table(
            id="examples",
            section="examples",
            title=gettext("Numbering of applications and priority applications – current practices"),
            columns=self.columns,
            rows=self.rows,
            notes=[
                gettext(
                    "Editorial note: this table gives, for each numbering system an office reported in this "
                    "round, examples of its application numbers and of their presentation in abbreviated form as "
                    "priority application numbers, with remarks on each part of the number taken from the "
                    "office's answers (“N/A”: the numbering system has no such part). It covers the numbering "
                    "in use at the time of the round; numbering systems used in the past are covered by Part "
                    "7.2.7, “Numbering of applications and priority applications – former practices”."
                )
            ],
            # Translators: a worksheet name: at most 31 characters, none of : \ / ? * [ ]
            sheet_name=pgettext("worksheet", "Examples"),
        )
