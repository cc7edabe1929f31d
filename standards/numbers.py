"""Application numbers as offices write them, read against a numbering structure and
turned into the 15-character form of WIPO Standard ST.13.

The structure comes from a questionnaire response (``standards.structure``) or from a
built-in profile (``standards.profiles``). With it, a number such as "EP 99403122.7" is
split into its parts (year 99, serial 403122, control 7), its check digit is verified
when the algorithm is in the catalogue (``standards.checkdigits``), and it is rewritten
as ``<type><year><serial>``: "101999004031227".

Every number gets one verdict (:class:`Verdict`):

* **valid** — it fits the structure, its check digit (if any) is right;
* **valid, check digit not given** — it fits the structure but was written without its
  check digit (a priority presentation such as "EP 04257544", a database form);
* **valid, check digit not verified** — it fits, but the check digit cannot be checked
  (the office computes it its own way, or the rule gives no single character);
* **error** — it does not fit the structure (wrong length, misplaced separator, wrong
  check digit, unknown type code): probably mistyped, so nothing is presented;
* **no ST.13 form** — it fits, but ST.13 gives no way to write it (a year in a calendar
  without a fixed offset, a serial too long for nine digits, a part the ST.13 form has
  no place for): the office's own presentations are still given, with the reason.

A part that cannot be known (the type code of a trademark where the office declares
none) does not make an error: the ST.13 form is given with that part marked "??"
(``st13_partial``) and the reason stated. Whatever the reading takes for granted is
listed in ``assumptions``; nothing is dropped or guessed silently.

Every sentence is a ``standards.messages.Text``: English, translatable by the caller.
Pure Python on purpose, like ``structure`` and ``checkdigits``: no Django, no surveys.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from standards import checkdigits, splitting
from standards.calendars import calendar_named
from standards.messages import Text, join, ngettext_noop
from standards.messages import gettext_noop as _
from standards.st13 import TYPE_CODE_RANGES
from standards.structure import (
    PART_CONTROL,
    PART_INTERNAL,
    PART_OTHER,
    PART_SERIAL,
    PART_TYPE,
    PART_YEAR,
    SEPARATOR_CHARACTERS,
    NumberingStructure,
    TypeCode,
)

__all__ = [
    "DEFAULT_LIMIT",
    "IPR_NAMES",
    "IPR_TYPES",
    "MAX_LENGTH",
    "OFFICE_USE_IPR_TYPES",
    "ST13_TYPE_CODES",
    "TWO_DIGIT_YEAR_PIVOT",
    "CheckDigit",
    "ParsedNumber",
    "Verdict",
    "looks_like_pct",
    "parse_number",
    "parse_numbers",
    "too_long",
]

# How many non-blank lines parse_numbers accepts at once, so that one request cannot
# keep a worker busy for long.
DEFAULT_LIMIT = 10_000
# The longest number read: real application numbers with their office code, separators
# and check digit stay well under 40 characters.
MAX_LENGTH = 60

# A two-digit year below the pivot is read as 20xx, from the pivot up as 19xx. A fixed
# rule (rather than "closest to today") gives the same ST.13 form whenever it is
# computed; ST.13 (c) itself only asks for four digits.
TWO_DIGIT_YEAR_PIVOT = 50

# ST.13 (b): the codes the Standard itself fixes, for the IPR types of question q1a.
# 21 (utility models from PCT applications) and 91 (PCT international applications in
# the international phase) have no q1a choice; the profiles use them.
ST13_TYPE_CODES: dict[str, str] = {"patents": "10", "pct_national": "11", "utility_models": "20"}

# q1a choices whose ST.13 code is left to each office (12-19, 22-29, 30-89).
OFFICE_USE_IPR_TYPES = ("plant_patents", "industrial_designs", "trademarks", "spc", "layout_designs", "other")

# Every q1a choice code, in the questionnaire's order, and how sentences name them.
IPR_TYPES = (
    "patents",
    "pct_national",
    "plant_patents",
    "utility_models",
    "industrial_designs",
    "trademarks",
    "spc",
    "layout_designs",
    "other",
)
IPR_NAMES: dict[str, Text] = {
    "patents": _("patents for inventions"),
    "pct_national": _("patent applications from PCT applications (national phase)"),
    "plant_patents": _("plant patents"),
    "utility_models": _("utility models"),
    "industrial_designs": _("industrial designs"),
    "trademarks": _("trademarks"),
    "spc": _("supplementary protection certificates"),
    "layout_designs": _("layout-designs (topographies) of integrated circuits"),
    "other": _("other IPRs"),
}

# ST.13 (a): type (2) + year (4) + serial (9).
_TYPE_WIDTH, _YEAR_WIDTH, _SERIAL_WIDTH = 2, 4, 9
# ST.13 (e): a code for internal use takes the first two positions of the serial.
_INTERNAL_WIDTH = 2
# Shown in st13_partial where a part cannot be known.
_UNKNOWN = "?"

# Characters that group digits inside a serial number ("004 488", "870,744"): only those
# of them that the office uses (q11b) are read as grouping.
_GROUPING = frozenset({" ", ",", ".", "'"})

# An ST.3 code in front of the number: two letters, then an optional space.
_PREFIX = re.compile(r"([A-Za-z]{2})( ?)")
_ST3_CODE = re.compile(r"[A-Z]{2}")
_DIGITS = re.compile(r"[0-9]+")
# PCT international applications: PCT/US2002/003226, the form used until 2003
# PCT/US02/03226, and the compact database form WO2002US003226.
_PCT = re.compile(r"PCT\s*/\s*([A-Za-z]{2})\s*(\d{4}|\d{2})\s*/\s*(\d{1,6})", re.IGNORECASE)
_PCT_COMPACT = re.compile(r"WO\s*(\d{4})\s*/?\s*([A-Za-z]{2})\s*(\d{1,6})", re.IGNORECASE)

_PART_NAMES = {
    PART_TYPE: _("type code"),
    PART_YEAR: _("year"),
    PART_SERIAL: _("serial number"),
    PART_INTERNAL: _("code for internal use"),
    PART_CONTROL: _("check digit"),
    PART_OTHER: _("other part"),
}


class Verdict(StrEnum):
    VALID = "valid"
    VALID_CHECK_DIGIT_NOT_GIVEN = "valid_check_digit_not_given"
    VALID_CHECK_DIGIT_NOT_VERIFIED = "valid_check_digit_not_verified"
    ERROR = "error"
    NO_ST13_FORM = "no_st13_form"


VERDICT_LABELS: dict[Verdict, Text] = {
    Verdict.VALID: _("valid"),
    Verdict.VALID_CHECK_DIGIT_NOT_GIVEN: _("valid, check digit not given"),
    Verdict.VALID_CHECK_DIGIT_NOT_VERIFIED: _("valid, check digit not verified"),
    Verdict.ERROR: _("error"),
    Verdict.NO_ST13_FORM: _("no ST.13 form"),
}
VALID_VERDICTS = frozenset({Verdict.VALID, Verdict.VALID_CHECK_DIGIT_NOT_GIVEN, Verdict.VALID_CHECK_DIGIT_NOT_VERIFIED})


class CheckDigit(StrEnum):
    """What became of the number's check digit."""

    NONE = "none"  # the numbering system has none
    VERIFIED = "verified"
    NOT_GIVEN = "not_given"
    NOT_VERIFIED = "not_verified"
    WRONG = "wrong"


@dataclass(frozen=True)
class ParsedNumber:
    """One application number read against a structure."""

    input: str
    office_code: str | None = None  # the ST.3 code found in front of the number, or given
    parts: tuple[tuple[str, str], ...] = ()  # (part code, characters found), left to right
    st13: str | None = None  # machine-readable ST.13 form, 15 characters, when every part is known
    st13_display: str | None = None  # "EP 10-1999-4031227"
    st13_partial: str | None = None  # the 15 characters with "?" for a part that cannot be known
    office_display: str | None = None  # "EP 99403122.7"
    priority: str | None = None  # "EP 99403122"
    errors: tuple[Text, ...] = ()
    assumptions: tuple[Text, ...] = ()
    verdict: Verdict = Verdict.ERROR
    check_digit: CheckDigit = CheckDigit.NONE
    check_note: Text | None = None  # how the check digit was verified, or why it was not
    profile: str | None = None  # the built-in profile that read the number, if any

    @property
    def ok(self) -> bool:
        """The number is valid (whatever became of its check digit)."""
        return self.verdict in VALID_VERDICTS

    @property
    def verdict_label(self) -> Text:
        return VERDICT_LABELS[self.verdict]

    @property
    def reason(self) -> Text | None:
        """Why the verdict is not a plain "valid": the first error, or the check-digit note."""
        if self.errors:
            return self.errors[0]
        if self.verdict != Verdict.VALID:
            return self.check_note
        return None

    def part(self, code: str) -> str | None:
        """The characters found for a part (q2a code), or None."""
        return dict(self.parts).get(code)

    def as_dict(self, localize: Any = str) -> dict[str, Any]:
        """Plain data; ``localize`` turns each sentence into the reader's language."""
        return {
            "input": self.input,
            "office_code": self.office_code,
            "ok": self.ok,
            "verdict": str(self.verdict),
            "verdict_label": localize(self.verdict_label),
            "reason": localize(self.reason) if self.reason is not None else None,
            "check_digit": str(self.check_digit),
            "check_note": localize(self.check_note) if self.check_note is not None else None,
            "parts": dict(self.parts),
            "st13": self.st13,
            "st13_display": self.st13_display,
            "st13_partial": self.st13_partial,
            "office_display": self.office_display,
            "priority": self.priority,
            "profile": self.profile,
            "errors": [localize(e) for e in self.errors],
            "assumptions": [localize(a) for a in self.assumptions],
        }


def parse_number(
    text: str,
    structure: NumberingStructure,
    *,
    office_code: str | None = None,
    ipr_type: str | None = None,
) -> ParsedNumber:
    """Read one application number as the office writes it (with or without its ST.3
    code in front). ``office_code`` is the office the structure belongs to;
    ``ipr_type`` (a q1a code) says which IPR the number is for when the number itself
    does not show it. Malformed arguments raise ValueError; a malformed number never
    does, it comes back with errors."""
    return _Reader(structure).read(text, _office_argument(office_code), _ipr_argument(ipr_type))


def parse_numbers(
    lines: Iterable[str],
    structure: NumberingStructure,
    *,
    office_code: str | None = None,
    ipr_type: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[ParsedNumber]:
    """Read one number per line, skipping blank lines. More than ``limit`` non-blank
    lines raise ValueError before any is read."""
    numbers = non_blank(lines, limit)
    given, wanted_type = _office_argument(office_code), _ipr_argument(ipr_type)
    reader = _Reader(structure)
    return [reader.read(line, given, wanted_type) for line in numbers]


def non_blank(lines: Iterable[str], limit: int = DEFAULT_LIMIT) -> list[str]:
    """The non-blank lines; more than ``limit`` of them raise ValueError."""
    if isinstance(lines, str):  # a pasted block rather than a list of lines
        lines = lines.splitlines()
    numbers: list[str] = []
    for line in lines:
        if line.strip():
            if len(numbers) >= limit:
                raise ValueError(
                    f"too many numbers: more than {limit:,} non-blank lines; check at most {limit:,} at once"
                )
            numbers.append(line)
    return numbers


def too_long(text: str) -> Text | None:
    """Why the line is too long to be an application number, or None: checked before any
    other work on it."""
    number = normalize(text)
    return _too_long(number) if len(number) > MAX_LENGTH else None


def _too_long(number: str) -> Text:
    return _(
        "the line has %(length)s characters; an application number has at most %(limit)s",
        length=len(number),
        limit=MAX_LENGTH,
    )


def _office_argument(office_code: str | None) -> str | None:
    if office_code is None:
        return None
    code = office_code.strip().upper() if isinstance(office_code, str) else ""
    if not _ST3_CODE.fullmatch(code):
        raise ValueError(f"office_code must be a two-letter ST.3 code, got {office_code!r}")
    return code


def _ipr_argument(ipr_type: str | None) -> str | None:
    if ipr_type is not None and ipr_type not in IPR_TYPES:
        raise ValueError(f"unknown IPR type {ipr_type!r}; known (q1a codes): {', '.join(IPR_TYPES)}")
    return ipr_type


def normalize(text: str) -> str:
    """Trim, turn every kind of blank (no-break, thin …) into a space, collapse runs."""
    text = str(text)
    if not text.isascii():
        text = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in text)
    return " ".join(text.split())


def looks_like_pct(text: str) -> bool:
    """Whether the text is written as a PCT international application number."""
    head = text.lstrip()[:3].upper()
    if head not in ("PCT",) and not head.startswith("WO"):
        return False
    number = normalize(text)
    return bool(_PCT.fullmatch(number) or _PCT_COMPACT.fullmatch(number))


def _digits(value: str) -> bool:
    return bool(_DIGITS.fullmatch(value))


def _quote(characters: str) -> str:
    return f"“{characters}”"


def _char_name(ch: str) -> Text | str:
    return _("space") if ch == " " else _quote(ch)


def _span(lo: int, hi: int | None) -> Text | str:
    if hi is None:
        return _("at least %(n)s", n=lo)
    return str(lo) if lo == hi else f"{lo}–{hi}"


def _within(n: int, lo: int, hi: int | None) -> bool:
    return lo <= n and (hi is None or n <= hi)


def _pivot_year(year: str) -> str:
    return ("20" if int(year) < TWO_DIGIT_YEAR_PIVOT else "19") + year


# -- how a number may be laid out -----------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """One way of reading the number: the declared one, or a variant of it."""

    order: tuple[str, ...]
    ranges: tuple[tuple[int, int | None], ...]
    without_check: bool = False  # written without its check digit
    database: bool = False  # year in four digits, serial padded with zeros (patent databases)

    @property
    def fixed(self) -> bool:
        return all(lo == hi for lo, hi in self.ranges)


@dataclass(frozen=True)
class _Split:
    parts: tuple[tuple[str, str], ...]
    starts: tuple[int, ...]  # where each part begins in the text after the ST.3 code
    grouping: tuple[str, ...]  # characters read as digit grouping inside the serial


@dataclass
class _Result:
    """ParsedNumber under construction."""

    input: str
    office_code: str | None = None
    parts: tuple[tuple[str, str], ...] = ()
    st13: str | None = None
    st13_display: str | None = None
    st13_partial: str | None = None
    office_display: str | None = None
    priority: str | None = None
    errors: list[Text] = field(default_factory=list)
    problems: list[Text] = field(default_factory=list)  # fits, but no ST.13 form
    assumptions: list[Text] = field(default_factory=list)
    check_digit: CheckDigit = CheckDigit.NONE
    check_note: Text | None = None

    def fail(self, error: Text) -> ParsedNumber:
        self.errors.append(error)
        return self.build()

    def build(self) -> ParsedNumber:
        if self.errors:
            verdict = Verdict.ERROR
        elif self.problems:
            verdict = Verdict.NO_ST13_FORM
        elif self.check_digit == CheckDigit.NOT_GIVEN:
            verdict = Verdict.VALID_CHECK_DIGIT_NOT_GIVEN
        elif self.check_digit == CheckDigit.NOT_VERIFIED:
            verdict = Verdict.VALID_CHECK_DIGIT_NOT_VERIFIED
        else:
            verdict = Verdict.VALID
        return ParsedNumber(
            input=self.input,
            office_code=self.office_code,
            parts=self.parts,
            st13=self.st13,
            st13_display=self.st13_display,
            st13_partial=self.st13_partial,
            office_display=self.office_display,
            priority=self.priority,
            errors=tuple(self.errors + self.problems),
            assumptions=tuple(dict.fromkeys(self.assumptions)),
            verdict=verdict,
            check_digit=self.check_digit,
            check_note=self.check_note,
        )


class _Reader:
    """What the structure says about reading, worked out once for many numbers."""

    def __init__(self, structure: NumberingStructure) -> None:
        self.structure = s = structure
        self.setup_assumptions: list[Text] = []

        order = s.order
        if order is None and s.parts is not None and len(s.parts) == 1:
            order = s.parts  # a single part has only one possible order
        self.order: tuple[str, ...] = tuple(order or ())

        # Part lengths: fixed (q4b), a range (q4c) or unknown (then only the separators
        # can show where a part ends).
        ranges: list[tuple[int, int | None]] = []
        unknown_lengths = False
        for part in self.order:
            if s.lengths and part in s.lengths:
                ranges.append((s.lengths[part], s.lengths[part]))
            elif s.length_ranges and part in s.length_ranges:
                ranges.append(s.length_ranges[part])
            else:
                ranges.append((1, None))
                unknown_lengths = True
        self.ranges = tuple(ranges)
        if unknown_lengths:
            self.setup_assumptions.append(
                _("the lengths of the parts are not known (q4b/q4c): the number is split at its separators")
            )

        if s.separators is None:
            # Unknown separators: accept the usual ones rather than reject every number.
            self.separators = tuple(SEPARATOR_CHARACTERS.values())
            self.setup_assumptions.append(
                _(
                    "separators not declared (q11a/q11b): %(separators)s accepted between the parts",
                    separators=join(_char_name(c) for c in self.separators),
                )
            )
        else:
            self.separators = s.separators
        self.grouping = _GROUPING & set(self.separators)

        # The office's type codes: a profile's table, or q5b read as one.
        self.type_table: dict[str, TypeCode] = {t.code: t for t in _type_table(s)}
        first = self.order[0] if self.order else None
        self.letters_first = first in (PART_INTERNAL, PART_OTHER) or (
            first == PART_TYPE and any(not _digits(c) for c in self.type_table)
        )
        self.algorithm = checkdigits.CATALOGUE.get(s.check_digit) if s.check_digit else None
        self.layouts = self._layouts()

    def _layouts(self) -> list[_Layout]:
        """The declared layout first, then the ways real sources shorten it."""
        declared = _Layout(self.order, self.ranges)
        layouts = [declared]
        if not self.order:
            return layouts
        check_last = self.order[-1] == PART_CONTROL
        if check_last:
            # A check digit may be left out: priority claims, patent databases.
            layouts.append(_Layout(self.order[:-1], self.ranges[:-1], without_check=True))
        gregorian = self.structure.calendar != "other"
        if gregorian and PART_YEAR in self.order and self.ranges[self.order.index(PART_YEAR)] == (2, 2):
            # Patent databases write the year with four digits and pad the serial with
            # zeros (EP 02762866 as EP20020762866).
            ranges = []
            for part, (lo, hi) in zip(self.order, self.ranges, strict=True):
                if part == PART_YEAR:
                    ranges.append((4, 4))
                elif part == PART_SERIAL and hi is not None:
                    ranges.append((lo, hi + 3))
                else:
                    ranges.append((lo, hi))
            # Databases leave the check digit out.
            if check_last:
                layouts.append(_Layout(self.order[:-1], tuple(ranges[:-1]), without_check=True, database=True))
            else:
                layouts.append(_Layout(self.order, tuple(ranges), database=True))
        return layouts

    # -- reading ---------------------------------------------------------------------

    def read(self, text: str, given: str | None, ipr_type: str | None) -> ParsedNumber:
        result = _Result(input=text, office_code=given, assumptions=list(self.setup_assumptions))
        number = normalize(text)
        refusal = self._refusal(number)
        if refusal is not None:
            return result.fail(refusal)
        found, rest = self._prefix(number, given)
        if found is not None and given is not None and found != given:
            return result.fail(
                _(
                    "the number starts with the office code %(found)s, but the office is %(given)s",
                    found=found,
                    given=given,
                )
            )
        result.office_code = office = given or found
        if not rest:
            return result.fail(_("no number after the office code %(code)s", code=found))
        tokens = self._tokens(rest)
        if isinstance(tokens, Text):
            return result.fail(tokens)
        split, layout = self._split_any(rest, tokens)
        if split is None:
            return result.fail(layout)
        values = self._office_values(split, layout)
        result.parts = tuple((p, values[p]) for p, _v in split.parts)
        self._say_how_it_was_read(split, layout, result)

        self._check_characters(values, ipr_type, result)
        check = None if result.errors else self._check_digit(split.parts, values, layout, result)
        if result.errors:
            return result.build()
        self._present(office, rest, split, layout, values, result)
        self._convert(values, check, ipr_type, f"{office} " if office else "", result)
        return result.build()

    @staticmethod
    def _refusal(number: str) -> Text | None:
        """Why the text cannot be an application number of a national system at all."""
        if not number:
            return _("no number given")
        if len(number) > MAX_LENGTH:
            return _too_long(number)
        if number[:1] in "PpWw" and looks_like_pct(number):
            return _(
                "%(number)s is an international application under the PCT, not a number of this "
                "numbering system: check it against the PCT profile (WO)",
                number=number,
            )
        return None

    @staticmethod
    def _say_how_it_was_read(split: _Split, layout: _Layout, result: _Result) -> None:
        if layout.database:
            result.assumptions.append(
                _(
                    "read as the patent-database form of the number: the year written with four digits "
                    "(%(year)s), the serial number padded with zeros",
                    year=dict(split.parts)[PART_YEAR],
                )
            )
        if split.grouping:
            result.assumptions.append(
                _(
                    "%(characters)s read as digit grouping inside the serial number, not as part of it",
                    characters=join(_char_name(c) for c in split.grouping),
                )
            )

    def _present(
        self, office: str | None, rest: str, split: _Split, layout: _Layout, values: dict[str, str], result: _Result
    ) -> None:
        """The number fits the structure: present it as the office does. ST.13 (a): the
        ST.3 code precedes the number, separated by one space."""
        if office is None:
            result.assumptions.append(
                _("no ST.3 office code was given or found: the presentations show the number without it")
            )
        prefix = f"{office} " if office else ""
        if layout.database:
            # Rebuilt in the office's own digits; the database form is not the office's.
            shown = "".join(values[p] for p in layout.order)
            result.office_display = result.priority = prefix + shown
        else:
            result.office_display = prefix + rest
            result.priority = prefix + self._priority_form(rest, split)
        if self.structure.priority_same_format is False:
            result.assumptions.append(
                _(
                    "the office presents priority numbers differently (q12a = no): "
                    "the priority form shown follows the application number"
                )
            )

    def _prefix(self, number: str, given: str | None) -> tuple[str | None, str]:
        """The ST.3 code in front of the number (if any) and the rest."""
        match = _PREFIX.match(number)
        if not match:
            return None, number
        letters, space = match.groups()
        # Lower-case letters are taken for a code only when a space sets them apart;
        # otherwise they belong to the number.
        if not (letters.isupper() or space):
            return None, number
        code, rest = letters.upper(), number[match.end() :]
        if code == given:
            return code, rest
        if self.letters_first:
            # The first part may itself be letters (a type code "GM", an internal code):
            # "GM 123/2019" is office GM only if the number cannot be read without it.
            # Glued to the rest ("AB-10-2020-…"), letters that fit the lengths belong to it.
            tokens = self._tokens(number)
            if not isinstance(tokens, Text) and (
                self._split_any(number, tokens, strict=True)[0] is not None
                or (not space and self._split_any(number, tokens)[0] is not None)
            ):
                return None, number
        return code, rest

    # -- splitting -------------------------------------------------------------------

    def _tokens(self, rest: str) -> tuple[str, tuple[int, ...], tuple[tuple[int, str], ...]] | Text:
        """The letters and digits of the number, where each sits in ``rest``, and the
        separators between them (characters before it, the separator)."""
        compact: list[str] = []
        where: list[int] = []
        cuts: list[tuple[int, str]] = []
        after_separator = True
        for i, ch in enumerate(rest):
            if ch in self.separators:
                if after_separator:
                    return self._misplaced(ch)
                cuts.append((len(compact), ch))
                after_separator = True
            elif ch.isascii() and ch.isalnum():
                compact.append(ch)
                where.append(i)
                after_separator = False
            else:
                return _(
                    "unexpected character %(character)s: %(separators)s",
                    character=_char_name(ch),
                    separators=self._separators_described(),
                )
        if after_separator:
            return self._misplaced(cuts[-1][1])
        return "".join(compact), tuple(where), tuple(cuts)

    @staticmethod
    def _misplaced(ch: str) -> Text:
        return _(
            "misplaced separator %(separator)s: separators go only between the parts of the number",
            separator=_char_name(ch),
        )

    def _split_any(self, rest: str, tokens: tuple, *, strict: bool = False) -> tuple[_Split | None, _Layout | Text]:
        """The first layout the number can be read in; otherwise why the declared one
        fails. ``strict``: only a reading whose characters fit each part counts."""
        if not self.order:
            return None, _("cannot split: the order of the parts is not known (q3a/q3b not answered)")
        chars, where, cuts = tokens
        declared_failure: Text | None = None
        for layout in self.layouts:
            split = self._split(chars, where, cuts, layout, strict=strict)
            if isinstance(split, _Split) and self._office_values(split, layout) is not None:
                return split, layout
            if declared_failure is None:
                declared_failure = split if isinstance(split, Text) else self._why_not(chars, cuts)
        return None, declared_failure

    def _split(
        self,
        chars: str,
        where: tuple[int, ...],
        cuts: tuple[tuple[int, str], ...],
        layout: _Layout,
        *,
        strict: bool = False,
    ) -> _Split | Text:
        # The kinds of characters decide first (a year is digits, a type code one of the
        # office's); failing that, the lengths alone, so that the character checks can
        # then say what is wrong.
        ends, count = self._readings(chars, cuts, layout, check_characters=True)
        if not count and not strict:
            ends, count = self._readings(chars, cuts, layout, check_characters=False)
        if ends is None:
            return self._why_not(chars, cuts)
        if count > 1:
            return _(
                "cannot split %(number)s into %(parts)s: more than one reading is possible "
                "(separators between the parts would tell)",
                number=_quote(self._rebuilt(chars, cuts)),
                parts=self._described(self.order, self.ranges),
            )
        starts = (0, *ends[:-1])
        parts = tuple((part, chars[a:b]) for part, a, b in zip(layout.order, starts, ends, strict=True))
        serial_at = layout.order.index(PART_SERIAL) if PART_SERIAL in layout.order else None
        grouping: list[str] = []
        if serial_at is not None:
            a, b = starts[serial_at], ends[serial_at]
            grouping = [ch for k, ch in cuts if a < k < b]
        return _Split(parts=parts, starts=tuple(where[a] for a in starts), grouping=tuple(dict.fromkeys(grouping)))

    @staticmethod
    def _rebuilt(chars: str, cuts: tuple[tuple[int, str], ...]) -> str:
        out, last = [], 0
        for k, ch in cuts:
            out.append(chars[last:k] + ch)
            last = k
        return "".join(out) + chars[last:]

    def _readings(
        self, chars: str, cuts: tuple[tuple[int, str], ...], layout: _Layout, *, check_characters: bool
    ) -> tuple[tuple[int, ...] | None, int]:
        """The first way of cutting ``chars`` into the parts of the layout (the end of
        each part) and how many there are, up to two: each part within its length range;
        a separator either between two parts or, inside the serial number, grouping its
        digits by threes from the right. In time linear in the length (standards.splitting)."""
        kinds = [self._kind(part) if check_characters else splitting.ANY for part in layout.order]
        grouped = [part == PART_SERIAL for part in layout.order]
        return splitting.readings(chars, dict(cuts), kinds, layout.ranges, grouped, frozenset(self.grouping))

    def _kind(self, part: str) -> splitting.Kind:
        """The characters a part may hold: digits for a year or a serial number, one of the
        office's type codes, a single check character."""
        if part in (PART_YEAR, PART_SERIAL):
            return splitting.Kind(digits=True)
        if part == PART_TYPE and self.type_table:
            return splitting.Kind(codes=frozenset(self.type_table))
        if part == PART_CONTROL:
            return splitting.Kind(single=True)
        return splitting.ANY

    def _why_not(self, chars: str, cuts: tuple[tuple[int, str], ...]) -> Text:
        """Why the characters cannot be cut into the declared parts, saying what was expected."""
        order, ranges, n = self.order, self.ranges, len(chars)
        lo, hi = self._total(ranges)
        if _within(n, lo, hi):
            # The length is right, so a separator must sit inside a part.
            ends = set(self._fixed_ends()) if all(a == b for a, b in ranges) else set()
            inside = [(k, sep) for k, sep in cuts if not ends or k not in ends]
            k, separator = (inside or list(cuts))[0]
            return _(
                "the separator %(separator)s after %(where)s does not fall between two parts (%(parts)s)",
                separator=_char_name(separator),
                where=self._count(order, k),
                parts=self._described(order, ranges),
            )
        if cuts and order[-1] == PART_CONTROL and self.structure.control_position == "separate":
            # "99403122.7": what follows the last separator is the check digit, so the
            # length of each side can be told apart.
            last, separator = cuts[-1]
            control_lo, control_hi = ranges[-1]
            after = n - last
            if not _within(after, control_lo, control_hi):
                return _(
                    "expected %(expected)s for the check digit after %(separator)s, found %(found)s",
                    expected=self._span_count(control_lo, control_hi, character=True),
                    separator=_char_name(separator),
                    found=after,
                )
            before_lo, before_hi = self._total(ranges[:-1])
            if not _within(last, before_lo, before_hi):
                return _(
                    "expected %(expected)s before the check digit, found %(found)s",
                    expected=self._span_count(before_lo, before_hi, character=not self._numeric(order[:-1])),
                    found=last,
                )
        return _(
            "expected %(expected)s (%(parts)s), found %(found)s",
            expected=self._span_count(lo, hi, character=not self._numeric(order)),
            parts=self._described(order, ranges),
            found=n,
        )

    def _fixed_ends(self) -> list[int]:
        ends, total = [], 0
        for lo, _hi in self.ranges:
            total += lo
            ends.append(total)
        return ends

    @staticmethod
    def _total(ranges: Iterable[tuple[int, int | None]]) -> tuple[int, int | None]:
        lo, hi = 0, 0
        for a, b in ranges:
            lo += a
            hi = None if hi is None or b is None else hi + b
        return lo, hi

    def _numeric(self, parts: Iterable[str]) -> bool:
        return all(
            p in (PART_YEAR, PART_SERIAL, PART_CONTROL) or (p == PART_TYPE and all(_digits(c) for c in self.type_table))
            for p in parts
        )

    def _count(self, parts: Iterable[str], n: int) -> Text:
        if self._numeric(parts):
            return ngettext_noop("%(count)s digit", "%(count)s digits", n)
        return ngettext_noop("%(count)s character", "%(count)s characters", n)

    @staticmethod
    def _span_count(lo: int, hi: int | None, *, character: bool) -> Text:
        if hi is None:
            if character:
                return ngettext_noop("at least %(count)s character", "at least %(count)s characters", lo)
            return ngettext_noop("at least %(count)s digit", "at least %(count)s digits", lo)
        if lo == hi:
            if character:
                return ngettext_noop("%(count)s character", "%(count)s characters", lo)
            return ngettext_noop("%(count)s digit", "%(count)s digits", lo)
        if character:
            return _("%(lo)s–%(hi)s characters", lo=lo, hi=hi)
        return _("%(lo)s–%(hi)s digits", lo=lo, hi=hi)

    @staticmethod
    def _described(order: Iterable[str], ranges: Iterable[tuple[int, int | None]]) -> Text:
        pieces = []
        for part, (lo, hi) in zip(order, ranges, strict=True):
            if hi is None:
                pieces.append(_("%(part)s of unknown length", part=_PART_NAMES[part]))
            else:
                pieces.append(_("%(part)s %(length)s", part=_PART_NAMES[part], length=_span(lo, hi)))
        return Text(
            " + ".join(["%(p" + str(i) + ")s" for i in range(len(pieces))]),
            {f"p{i}": piece for i, piece in enumerate(pieces)},
        )

    def _separators_described(self) -> Text:
        if not self.separators:
            return _("the office uses no separators (q11a)")
        return _(
            "the office's separators are %(separators)s",
            separators=join(_char_name(c) for c in self.separators),
        )

    def _office_values(self, split: _Split, layout: _Layout) -> dict[str, str] | None:
        """The parts as the office writes them. For a database form: the year's last two
        digits and the serial without the zeros padded in front; None when the form is
        not a database form of this system after all."""
        values = dict(split.parts)
        if not layout.database:
            return values
        year, serial = values.get(PART_YEAR, ""), values.get(PART_SERIAL, "")
        if not _digits(year) or _pivot_year(year[2:]) != year:
            return None
        _lo, hi = self.ranges[self.order.index(PART_SERIAL)]
        if hi is not None and len(serial) > hi:
            padding = serial[: len(serial) - hi]
            if padding.strip("0"):
                return None
            serial = serial[len(padding) :]
        return {**values, PART_YEAR: year[2:], PART_SERIAL: serial}

    # -- checking --------------------------------------------------------------------

    def _check_characters(self, values: dict[str, str], ipr_type: str | None, result: _Result) -> None:
        for part in (PART_YEAR, PART_SERIAL):
            value = values.get(part)
            if value is not None and not _digits(value):
                result.errors.append(
                    _("the %(part)s must be digits, found %(found)s", part=_PART_NAMES[part], found=_quote(value))
                )
        code = values.get(PART_TYPE)
        if code is None:
            return
        if self.type_table and code not in self.type_table:
            result.errors.append(
                _(
                    "type code %(code)s is not one of the office's codes (%(codes)s)",
                    code=code,
                    codes=join(self.type_table),
                )
            )
            return
        entry = self.type_table.get(code)
        if ipr_type is not None and entry is not None and entry.ipr is not None and entry.ipr != ipr_type:
            result.errors.append(
                _(
                    "type code %(code)s stands for %(meaning)s, not %(wanted)s",
                    code=code,
                    meaning=IPR_NAMES[entry.ipr],
                    wanted=IPR_NAMES[ipr_type],
                )
            )

    def _check_digit(
        self, parts: tuple[tuple[str, str], ...], values: dict[str, str], layout: _Layout, result: _Result
    ) -> str | None:
        """Verify the check digit; return the one to put in the ST.13 form ("?" when it
        is not given and cannot be computed; None when the system has none)."""
        s = self.structure
        codes = [p for p, _v in parts]
        if layout.without_check:
            result.check_digit = CheckDigit.NOT_GIVEN
            computed = self._compute(codes, values, len(codes))
            if computed is not None:
                note = _(
                    "the number is given without its check digit; it is %(check)s (%(method)s)",
                    check=computed,
                    method=self.algorithm.name if self.algorithm else "",
                )
            else:
                note = _("the number is given without its check digit, which cannot be computed here")
            result.check_note = note
            result.assumptions.append(note)
            return computed if computed is not None else _UNKNOWN
        if PART_CONTROL not in codes:
            if s.has_control:
                result.check_digit = CheckDigit.NOT_VERIFIED
                result.check_note = _(
                    "check digit not verified (q9a declares a control number, but the order of the parts, "
                    "q3a/q3b, does not place it)"
                )
                result.assumptions.append(result.check_note)
            return None
        index = codes.index(PART_CONTROL)
        check = values[PART_CONTROL].upper()
        why_not = self._not_verifiable(codes, values, index)
        if why_not is not None:
            result.check_digit = CheckDigit.NOT_VERIFIED
            result.check_note = why_not
            result.assumptions.append(why_not)
            return check
        digits, covered = self._covered(codes, values, index)
        expected = self.algorithm.compute(digits)
        if expected is None:
            result.check_digit = CheckDigit.NOT_VERIFIED
            result.check_note = _(
                "check digit not verified: for %(digits)s the %(method)s rule gives 10, which is not one "
                "digit, and the office's published rule does not say how it is written",
                digits=digits,
                method=self.algorithm.name,
            )
            result.assumptions.append(result.check_note)
            return check
        if check != expected:
            result.check_digit = CheckDigit.WRONG
            result.errors.append(
                _(
                    "check digit %(check)s does not match: the %(method)s check digit of %(digits)s is %(expected)s",
                    check=values[PART_CONTROL],
                    method=self.algorithm.code,
                    digits=digits,
                    expected=expected,
                )
            )
            return None
        result.check_digit = CheckDigit.VERIFIED
        result.check_note = _(
            "check digit %(check)s verified over the %(parts)s (%(digits)s): %(method)s",
            check=check,
            method=self.algorithm.name,
            parts=join((_PART_NAMES[p] for p in covered), final=True),
            digits=digits,
        )
        left_out = [p for p in codes[:index] if p not in covered]
        if left_out:
            result.assumptions.append(
                _(
                    "the check digit is computed over the %(parts)s only, as its method is defined "
                    "(%(method)s); the %(others)s stay out of it",
                    parts=join((_PART_NAMES[p] for p in covered), final=True),
                    method=self.algorithm.name,
                    others=join((_PART_NAMES[p] for p in left_out), final=True),
                )
            )
        return check

    def _covered(self, codes: list[str], values: dict[str, str], index: int) -> tuple[str, tuple[str, ...]]:
        """The digits the algorithm is computed over, and the parts they come from."""
        covered = tuple(p for p in codes[:index] if p in self.algorithm.parts)
        return "".join(values[p] for p in covered), covered

    def _not_verifiable(self, codes: list[str], values: dict[str, str], index: int) -> Text | None:
        s = self.structure
        if s.check_digit is None:
            return _("check digit not verified (the method is not known: q9c not answered)")
        if s.check_digit == "other":
            return _("check digit not verified (the office computes it its own way: q9c = other)")
        if self.algorithm is None:
            return _("check digit not verified (%(method)s is not in the check-digit catalogue)", method=s.check_digit)
        digits, covered = self._covered(codes, values, index)
        if not covered or not _digits(digits):
            return _(
                "check digit not verified (%(method)s works on the digits of the %(parts)s, found %(found)s)",
                method=self.algorithm.code,
                parts=join(_PART_NAMES[p] for p in self.algorithm.parts),
                found=_quote(digits),
            )
        lengths = self.algorithm.lengths
        if lengths and len(digits) not in lengths:
            return _(
                "check digit not verified (%(method)s works on %(wanted)s digits, found %(found)s)",
                method=self.algorithm.code,
                wanted=" / ".join(str(n) for n in lengths),
                found=len(digits),
            )
        return None

    def _compute(self, codes: list[str], values: dict[str, str], index: int) -> str | None:
        """The check digit of a number given without it, where the method is known."""
        if self._not_verifiable(codes, values, index) is not None:
            return None
        digits, _covered = self._covered(codes, values, index)
        return self.algorithm.compute(digits)

    def _priority_form(self, rest: str, split: _Split) -> str:
        # A control number set apart (q9b = separate, "99403122.7") is left out when the
        # number is cited as a priority; one inside the serial stays.
        codes = [p for p, _v in split.parts]
        if self.structure.control_position != "separate" or PART_CONTROL not in codes:
            return rest
        start = split.starts[codes.index(PART_CONTROL)]
        return rest[:start].rstrip("".join(self.separators) + " ")

    # -- ST.13 form ------------------------------------------------------------------

    def _convert(
        self, values: dict[str, str], check: str | None, ipr_type: str | None, prefix: str, result: _Result
    ) -> None:
        type_code = self._st13_type(values.get(PART_TYPE), ipr_type, result)
        year = self._st13_year(values.get(PART_YEAR), result)
        serial = self._st13_serial(values, check, result)
        if result.errors or result.problems or type_code is None or year is None or serial is None:
            return
        form = type_code + year + serial
        if _UNKNOWN in form:
            result.st13_partial = form
            return
        result.st13 = form
        # ST.13 (d): leading zeros may be dropped for people; an internal code keeps its
        # two positions, so that "01" is not lost. (g): "-" separates the parts.
        kept = PART_INTERNAL in values or PART_OTHER in values
        shown = serial if kept else serial.lstrip("0") or "0"
        result.st13_display = f"{prefix}{type_code}-{year}-{shown}"

    def _st13_type(self, code: str | None, ipr_type: str | None, result: _Result) -> str | None:
        s = self.structure
        covered = s.ipr_types
        if ipr_type is not None and covered is not None and ipr_type not in covered:
            result.errors.append(
                _(
                    "the system does not number %(wanted)s (it numbers %(covered)s, q1a)",
                    wanted=IPR_NAMES[ipr_type],
                    covered=join(IPR_NAMES.get(c, c) for c in covered),
                )
            )
            return None
        if code is not None:
            return self._type_from_code(code, result)
        if ipr_type is not None:
            candidates, how = [ipr_type], "given"
        elif covered:
            candidates, how = list(covered), "covered"
        else:
            result.problems.append(
                _(
                    "the number does not show the type of IPR and the types the system covers are not "
                    "known (q1a): choose one"
                )
            )
            return None
        if len(candidates) > 1:
            result.problems.append(
                _(
                    "the number does not show the type of IPR and the system covers several (%(covered)s): choose one",
                    covered=join(IPR_NAMES.get(c, c) for c in candidates),
                )
            )
            return None
        ipr = candidates[0]
        fixed = ST13_TYPE_CODES.get(ipr)
        if fixed is not None:
            if how == "given":
                result.assumptions.append(
                    _("type %(code)s taken from the IPR type given: %(ipr)s", code=fixed, ipr=IPR_NAMES[ipr])
                )
            else:
                result.assumptions.append(
                    _("type %(code)s taken from the IPR type covered (q1a): %(ipr)s", code=fixed, ipr=IPR_NAMES[ipr])
                )
            return fixed
        declared = (s.type_codes or {}).get(ipr, "")
        if _office_use_code(ipr, declared):
            result.assumptions.append(
                _(
                    "type %(code)s: the office's own code for %(ipr)s (q5b), in the range ST.13 (b) leaves to offices",
                    code=declared,
                    ipr=IPR_NAMES.get(ipr, ipr),
                )
            )
            return declared
        return self._unknown_type(ipr, result)

    def _type_from_code(self, code: str, result: _Result) -> str | None:
        s = self.structure
        entry = self.type_table.get(code)
        if entry is not None:
            if entry.st13 is not None:
                if entry.st13 == code:
                    result.assumptions.append(
                        _(
                            "type code %(code)s used as it is: it is the ST.13 code for %(meaning)s",
                            code=code,
                            meaning=entry.meaning,
                        )
                    )
                else:
                    result.assumptions.append(
                        _(
                            "type %(st13)s taken from type code %(code)s, which the office uses for %(meaning)s",
                            st13=entry.st13,
                            code=code,
                            meaning=entry.meaning,
                        )
                    )
                    if s.type_codes_st13 == "yes" and _two_digits(code):
                        result.assumptions.append(
                            _(
                                "the office says its type codes are those of ST.13 (q5c), but ST.13 (b) codes "
                                "%(meaning)s %(st13)s, not %(code)s",
                                meaning=entry.meaning,
                                st13=entry.st13,
                                code=code,
                            )
                        )
                return entry.st13
            if entry.ipr is not None:
                return self._unknown_type(entry.ipr, result, code=code)
            result.problems.append(
                _(
                    "type code %(code)s stands for %(meaning)s, for which ST.13 has no type code",
                    code=code,
                    meaning=entry.meaning,
                )
            )
            return None
        if s.type_codes_st13 == "yes" and _two_digits(code):
            # No table of the office's codes, but the office says they are ST.13's: use
            # the code, unless ST.13 gives it to something the system does not number.
            category = _st13_category(code)
            covered = s.ipr_types or ()
            if category is None:
                result.errors.append(
                    _(
                        "type code %(code)s is in 90–99, which ST.13 (b) reserves for the International Bureau",
                        code=code,
                    )
                )
                return None
            if covered and not any(code_fits(ipr, code) for ipr in covered):
                result.errors.append(
                    _(
                        "type code %(code)s is the ST.13 code for %(category)s, but the system numbers "
                        "%(covered)s (q1a)",
                        code=code,
                        category=category,
                        covered=join(IPR_NAMES.get(c, c) for c in covered),
                    )
                )
                return None
            result.assumptions.append(
                _("type code %(code)s used as it is: the office's codes are ST.13 codes (q5c)", code=code)
            )
            return code
        result.problems.append(
            _("type code %(code)s cannot be converted: the office's codes are not known (q5b)", code=code)
        )
        return None

    def _unknown_type(self, ipr: str, result: _Result, *, code: str | None = None) -> str:
        lo, hi = TYPE_CODE_RANGES.get(ipr, (30, 89))
        span = f"{lo}–{hi}"
        if code is None:
            note = _(
                "type unknown (??): ST.13 (b) leaves the code for %(ipr)s to each office (two digits in "
                "%(range)s), and the office declares none (q5b)",
                ipr=IPR_NAMES.get(ipr, ipr),
                range=span,
            )
        else:
            note = _(
                "type unknown (??): %(code)s is the office's code for %(ipr)s, but ST.13 (b) wants two digits in "
                "%(range)s for them",
                code=code,
                ipr=IPR_NAMES.get(ipr, ipr),
                range=span,
            )
        result.assumptions.append(note)
        return _UNKNOWN * _TYPE_WIDTH

    def _st13_year(self, year: str | None, result: _Result) -> str | None:
        s = self.structure
        if year is None:
            # ST.13 (c): an office that codes no year writes 0000.
            result.assumptions.append(_("year 0000: the number codes no year (ST.13 (c))"))
            return "0" * _YEAR_WIDTH
        if s.calendar == "other":
            return self._other_calendar(year, result)
        if s.calendar is None:
            result.assumptions.append(_("year taken as Gregorian (q6c not answered)"))
        if len(year) == _YEAR_WIDTH:
            return year
        if len(year) == 2:
            full = _pivot_year(year)
            result.assumptions.append(
                _(
                    "year %(year)s read as %(full)s (two-digit years %(pivot)s–99 are taken as 19xx, "
                    "00–%(before)s as 20xx)",
                    year=year,
                    full=full,
                    pivot=f"{TWO_DIGIT_YEAR_PIVOT:02d}",
                    before=f"{TWO_DIGIT_YEAR_PIVOT - 1:02d}",
                )
            )
            return full
        result.problems.append(
            _(
                "a year of %(digits)s (%(year)s) cannot be written as the 4 digits of ST.13 (c)",
                digits=ngettext_noop("%(count)s digit", "%(count)s digits", len(year)),
                year=year,
            )
        )
        return None

    def _other_calendar(self, year: str, result: _Result) -> str | None:
        s = self.structure
        calendar = calendar_named(s.calendar_other)
        if calendar is None and not s.calendar_other:
            result.problems.append(
                _(
                    "the year %(year)s is in another calendar (q6c), which is not named (q6c_other): "
                    "ST.13 (c) needs a Gregorian year, so it cannot be converted",
                    year=year,
                )
            )
            return None
        if calendar is None:
            result.problems.append(
                _(
                    "the year %(year)s is in the calendar named %(named)s (q6c_other), which has no "
                    "conversion here: ST.13 (c) needs a Gregorian year, so it cannot be converted",
                    year=year,
                    named=_quote(s.calendar_other),
                )
            )
            return None
        if calendar.offset is None:
            result.problems.append(
                _(
                    "the year %(year)s is a year of the %(calendar)s, whose years do not fall on Gregorian "
                    "years: without the filing date it cannot be written as the Gregorian year of ST.13 (c)",
                    year=year,
                    calendar=calendar.name,
                )
            )
            return None
        gregorian = int(year) + calendar.offset
        if not 1000 <= gregorian <= 9999:
            result.problems.append(
                _(
                    "the year %(year)s of the %(calendar)s gives %(gregorian)s, which is not a four-digit year",
                    year=year,
                    calendar=calendar.name,
                    gregorian=gregorian,
                )
            )
            return None
        result.assumptions.append(
            _(
                "year %(year)s of the %(calendar)s read as %(gregorian)s (%(offset)s years) (q6c); "
                "ST.13 (c) asks for the Gregorian year",
                year=year,
                calendar=calendar.name,
                gregorian=gregorian,
                offset=f"{calendar.offset:+d}",
            )
        )
        return str(gregorian)

    def _st13_serial(self, values: dict[str, str], check: str | None, result: _Result) -> str | None:
        serial = values.get(PART_SERIAL)
        if serial is None:
            result.problems.append(_("the number has no serial number, which ST.13 (a) and (d) make indispensable"))
            return None
        # ST.13 (f): the control number takes the last of the nine positions.
        control = check or ""
        if control and control != _UNKNOWN and not _digits(control):
            result.assumptions.append(
                _(
                    "check character %(check)s kept in the last position of the serial number, "
                    "although ST.13 (f) expects a numeral",
                    check=control,
                )
            )
        body = serial + control
        internal = values.get(PART_INTERNAL)
        other = values.get(PART_OTHER)
        if other is not None:
            # A part ST.13 has no place for may be what tells two applications apart (the
            # USPTO's series code): it is never dropped.
            if internal is None and len(other) <= _INTERNAL_WIDTH:
                internal = other
                result.assumptions.append(
                    _(
                        "the other part %(other)s can tell apart applications with the same serial number, so "
                        "it is kept as a code for internal use in the first two positions of the serial "
                        "number (ST.13 (e))",
                        other=other,
                    )
                )
            else:
                result.problems.append(
                    _(
                        "the other part %(other)s has no place in the ST.13 form, and leaving it out could "
                        "give two applications the same number",
                        other=other,
                    )
                )
                return None
        what = _("serial number and check digit") if control else _("serial number")
        if internal is None:
            if len(body) > _SERIAL_WIDTH:
                result.problems.append(
                    _(
                        "%(digits)s of %(what)s do not fit in the nine digits of ST.13 (d)",
                        what=what,
                        digits=ngettext_noop("%(count)s digit", "%(count)s digits", len(body)),
                    )
                )
                return None
            return body.zfill(_SERIAL_WIDTH)
        # ST.13 (e): a code for internal use goes in the first two positions of the
        # serial, wherever the office writes it.
        if len(internal) > _INTERNAL_WIDTH:
            result.problems.append(
                _(
                    "the code for internal use %(code)s has %(length)s, but ST.13 (e) gives it only the first "
                    "two positions of the serial number",
                    code=internal,
                    length=ngettext_noop("%(count)s character", "%(count)s characters", len(internal)),
                )
            )
            return None
        room = _SERIAL_WIDTH - _INTERNAL_WIDTH
        if len(body) > room:
            result.problems.append(
                _(
                    "%(digits)s of %(what)s do not fit in the %(room)s positions left after the code for "
                    "internal use (ST.13 (d), (e))",
                    what=what,
                    digits=ngettext_noop("%(count)s digit", "%(count)s digits", len(body)),
                    room=room,
                )
            )
            return None
        if PART_INTERNAL in values:
            result.assumptions.append(
                _(
                    "code for internal use %(code)s put in the first two positions of the serial number (ST.13 (e))",
                    code=internal,
                )
            )
        return internal.rjust(_INTERNAL_WIDTH, "0") + body.zfill(room)


# -- type codes ------------------------------------------------------------------------


def _two_digits(code: str) -> bool:
    return len(code) == 2 and _digits(code)


def code_fits(ipr: str, code: str) -> bool:
    """Whether a two-digit code lies in the ST.13 (b) range for the IPR type."""
    if not _two_digits(code):
        return False
    lo, hi = TYPE_CODE_RANGES.get(ipr, (30, 89))
    if ipr == "patents":
        lo, hi = 10, 19  # 10, or 12-19 at the office's choice
    elif ipr == "utility_models":
        lo, hi = 20, 29
    return lo <= int(code) <= hi


def _office_use_code(ipr: str, code: str) -> bool:
    return ipr not in ST13_TYPE_CODES and code_fits(ipr, code)


def _st13_category(code: str) -> Text | None:
    """What ST.13 (b) gives a two-digit code to; None for 90-99 (the International Bureau)."""
    n = int(code)
    if n == 10:
        return IPR_NAMES["patents"]
    if n == 11:
        return IPR_NAMES["pct_national"]
    if 12 <= n <= 19:
        return _("patent applications (office use)")
    if n in (20, 21):
        return IPR_NAMES["utility_models"]
    if 22 <= n <= 29:
        return _("utility model applications (office use)")
    if 30 <= n <= 89:
        return _("other IPRs (office use)")
    return None


def _type_table(s: NumberingStructure) -> tuple[TypeCode, ...]:
    """The office's type codes with their ST.13 codes: a profile's own table, or the
    q5b answers read by the ST.13 (b) rules."""
    if s.type_code_table is not None:
        return s.type_code_table
    table = []
    for ipr, code in (s.type_codes or {}).items():
        if not code:
            continue
        st13 = ST13_TYPE_CODES.get(ipr)
        if st13 is None and _office_use_code(ipr, code):
            st13 = code
        table.append(TypeCode(code=code, ipr=ipr, st13=st13, meaning=IPR_NAMES.get(ipr)))
    return tuple(table)


# -- PCT international applications ----------------------------------------------------

_PCT_FOUR_DIGIT_YEARS_FROM = 2004


def parse_pct(text: str, *, known_offices: frozenset[str] | None = None) -> ParsedNumber:
    """Read a PCT international application number ("PCT/US2002/003226", the form used
    until 2003 "PCT/US02/03226", or the database form "WO2002US003226").

    ST.13 reading: type 91, which ST.13 (b) gives to international applications in the
    international phase; the year; and a serial whose first two positions hold the
    receiving Office's ST.3 code as a code for internal use (ST.13 (e) lets those two
    positions be letters): without it, applications with the same serial filed with
    different receiving Offices would get the same number."""
    number = normalize(text)
    result = _Result(input=text, office_code="WO")
    if len(number) > MAX_LENGTH:
        return result.fail(_too_long(number))
    match = _PCT.fullmatch(number)
    if match:
        office, year, serial = match.groups()
    else:
        match = _PCT_COMPACT.fullmatch(number)
        if not match:
            return result.fail(
                _(
                    "not a PCT international application number: expected PCT/, the receiving Office's "
                    "ST.3 code, the year and the serial number, e.g. PCT/US2002/003226"
                )
            )
        year, office, serial = match.groups()
        result.assumptions.append(_("read as the patent-database form of a PCT application number"))
    office = office.upper()
    if known_offices is not None and office not in known_offices:
        return result.fail(_("%(code)s is not an ST.3 code of a receiving Office", code=office))
    result.parts = (("internal", office), ("year", year), ("serial", serial))
    if len(year) == 2:
        full = _pivot_year(year)
        if int(full) >= _PCT_FOUR_DIGIT_YEARS_FROM:
            result.assumptions.append(
                _(
                    "a two-digit year (%(year)s) is the form used until 2003; read as %(full)s",
                    year=year,
                    full=full,
                )
            )
        else:
            result.assumptions.append(
                _(
                    "written in the form used until 2003 (two-digit year, five-digit serial): read as "
                    "year %(full)s, serial %(serial)s",
                    full=full,
                    serial=serial.zfill(6),
                )
            )
        year = full
    elif len(serial) < 6:
        result.assumptions.append(_("serial %(serial)s padded to the six digits written since 2004", serial=serial))
    serial = serial.zfill(6)
    canonical = f"PCT/{office}{year}/{serial}"
    result.office_display = result.priority = canonical
    result.assumptions.append(
        _(
            "type 91: ST.13 (b) reserves 90–99 for the International Bureau and gives 91 to international "
            "applications under the PCT in the international phase"
        )
    )
    result.assumptions.append(
        _(
            "the receiving Office's code %(office)s kept as a code for internal use in the first two "
            "positions of the serial number (ST.13 (e) allows letters there): applications with the same "
            "serial filed with different receiving Offices stay apart",
            office=office,
        )
    )
    form = "91" + year + office + serial.zfill(_SERIAL_WIDTH - _INTERNAL_WIDTH)
    result.st13 = form
    result.st13_display = f"WO 91-{year}-{office}{serial.zfill(_SERIAL_WIDTH - _INTERNAL_WIDTH)}"
    return result.build()
