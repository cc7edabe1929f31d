"""Application numbers as offices write them, read against a numbering structure and
turned into the 15-character form of WIPO Standard ST.13.

The structure comes from a questionnaire response (``standards.structure``). With it,
a number such as "EP 99403122.7" is split into its parts (year 99, serial 403122,
control 7), its check digit is verified when the algorithm is in the catalogue
(``standards.checkdigits``), and it is rewritten as ``<type><year><serial>``:
"101999004031227".

Two kinds of problems are kept apart:

* the number does not fit the declared structure (wrong length, misplaced separator,
  bad check digit, unknown type code): an error, and no presentation is offered,
  because the input is probably mistyped;
* the number fits, but ST.13 gives no way to convert it (a trademark number has no
  ST.13 type code, a year in another calendar): an error that explains why, while the
  office's own presentation and the priority presentation are still given.

Whatever the conversion takes for granted (a two-digit year read as 19xx, a type taken
from the only IPR type the system covers, ...) is listed in ``assumptions``.

Pure Python on purpose, like ``structure`` and ``checkdigits``: no Django, no surveys.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from standards import checkdigits
from standards.structure import (
    PART_CONTROL,
    PART_INTERNAL,
    PART_OTHER,
    PART_SERIAL,
    PART_TYPE,
    PART_YEAR,
    SEPARATOR_CHARACTERS,
    NumberingStructure,
)

__all__ = [
    "DEFAULT_LIMIT",
    "IPR_TYPES",
    "OFFICE_USE_IPR_TYPES",
    "ST13_TYPE_CODES",
    "TWO_DIGIT_YEAR_PIVOT",
    "ParsedNumber",
    "parse_number",
    "parse_numbers",
]

# How many non-blank lines parse_numbers accepts at once, so that one request cannot
# keep a worker busy for long.
DEFAULT_LIMIT = 10_000

# A two-digit year below the pivot is read as 20xx, from the pivot up as 19xx. A fixed
# rule (rather than "closest to today") gives the same ST.13 form whenever it is
# computed; ST.13 (c) itself only asks for four digits.
TWO_DIGIT_YEAR_PIVOT = 50

# ST.13 (b): the only type codes the Standard fixes for the IPR types of question q1a.
# 21 (utility models from PCT applications) has no q1a choice, so it is never produced.
ST13_TYPE_CODES: dict[str, str] = {"patents": "10", "pct_national": "11", "utility_models": "20"}

# q1a choices whose ST.13 code is left to each office (12-19, 22-29, 30-89): guessing
# one would produce a number the office never issued.
OFFICE_USE_IPR_TYPES = ("plant_patents", "industrial_designs", "trademarks", "spc", "layout_designs", "other")

# Every q1a choice code, in the questionnaire's order.
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

# ST.13 (a): type (2) + year (4) + serial (9).
_TYPE_WIDTH, _YEAR_WIDTH, _SERIAL_WIDTH = 2, 4, 9
# ST.13 (e): a code for internal use takes the first two positions of the serial.
_INTERNAL_WIDTH = 2

_OFFICE_USE_REASON = (
    "ST.13 (b) fixes only 10 (patents), 11 (PCT national phase), 20 and 21 (utility models) "
    "and leaves 12–19, 22–29 and 30–89 to office use, so the type cannot be derived"
)

# An ST.3 code in front of the number: two letters, then an optional space.
_PREFIX = re.compile(r"([A-Za-z]{2})( ?)")
_ST3_CODE = re.compile(r"[A-Z]{2}")
_DIGITS = re.compile(r"[0-9]+")

_PART_LABELS = {
    PART_TYPE: "type code",
    PART_YEAR: "year",
    PART_SERIAL: "serial number",
    PART_INTERNAL: "code for internal use",
    PART_CONTROL: "control number",
    PART_OTHER: "other part",
}


@dataclass(frozen=True)
class ParsedNumber:
    """One application number read against a structure."""

    input: str
    office_code: str | None = None  # the ST.3 code found in front of the number, or given
    parts: tuple[tuple[str, str], ...] = ()  # (part code, characters found), left to right
    st13: str | None = None  # machine-readable ST.13 form, 15 characters
    st13_display: str | None = None  # "EP 10-1999-4031227"
    office_display: str | None = None  # "EP 99403122.7"
    priority: str | None = None  # "EP 99403122"
    errors: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    def part(self, code: str) -> str | None:
        """The characters found for a part (q2a code), or None."""
        return dict(self.parts).get(code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "office_code": self.office_code,
            "ok": self.ok,
            "parts": dict(self.parts),
            "st13": self.st13,
            "st13_display": self.st13_display,
            "office_display": self.office_display,
            "priority": self.priority,
            "errors": list(self.errors),
            "assumptions": list(self.assumptions),
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
    if isinstance(lines, str):  # a pasted block rather than a list of lines
        lines = lines.splitlines()
    given, wanted_type = _office_argument(office_code), _ipr_argument(ipr_type)
    numbers: list[str] = []
    for line in lines:
        if line.strip():
            if len(numbers) >= limit:
                raise ValueError(
                    f"too many numbers: more than {limit:,} non-blank lines; check at most {limit:,} at once"
                )
            numbers.append(line)
    reader = _Reader(structure)
    return [reader.read(line, given, wanted_type) for line in numbers]


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


def _digits(value: str) -> bool:
    return bool(_DIGITS.fullmatch(value))


def _quote(characters: str) -> str:
    return f'"{characters}"'


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _span(lo: int, hi: int | None) -> str:
    if hi is None:
        return f"at least {lo}"
    return str(lo) if lo == hi else f"{lo}–{hi}"


def _within(n: int, lo: int, hi: int | None) -> bool:
    return lo <= n and (hi is None or n <= hi)


def _listing(items: Iterable[str]) -> str:
    return ", ".join(items)


@dataclass(frozen=True)
class _Split:
    parts: tuple[tuple[str, str], ...]
    starts: tuple[int, ...]  # where each part begins in the text after the ST.3 code


class _Reader:
    """What the structure says about splitting, worked out once for many numbers."""

    def __init__(self, structure: NumberingStructure) -> None:
        self.structure = s = structure
        self.setup_assumptions: list[str] = []

        order = s.order
        if order is None and s.parts is not None and len(s.parts) == 1:
            order = s.parts  # a single part has only one possible order
        self.order: tuple[str, ...] | None = order

        # Part lengths: fixed (q4b), a range (q4c) or unknown (then only the separators
        # can show where a part ends).
        ranges: list[tuple[int, int | None]] = []
        unknown_lengths = False
        for part in order or ():
            if s.lengths and part in s.lengths:
                ranges.append((s.lengths[part], s.lengths[part]))
            elif s.length_ranges and part in s.length_ranges:
                ranges.append(s.length_ranges[part])
            else:
                ranges.append((1, None))
                unknown_lengths = True
        self.ranges = tuple(ranges)
        self.fixed = all(lo == hi for lo, hi in ranges)
        if unknown_lengths:
            self.setup_assumptions.append(
                "the lengths of the parts are not known (q4b/q4c): the number is split at its separators"
            )

        if s.separators is None:
            # Unknown separators: accept the usual ones rather than reject every number.
            self.separators = tuple(SEPARATOR_CHARACTERS.values())
            shown = " ".join("space" if c == " " else c for c in self.separators)
            self.setup_assumptions.append(f"separators not declared (q11a/q11b): {shown} accepted between the parts")
        else:
            self.separators = s.separators

        # q5b codes as the office writes them, without blank rows.
        self.type_codes = {ipr: code for ipr, code in (s.type_codes or {}).items() if code}
        self.type_code_values = tuple(dict.fromkeys(self.type_codes.values()))
        first = order[0] if order else None
        self.letters_first = first in (PART_INTERNAL, PART_OTHER) or (
            first == PART_TYPE and any(not _digits(c) for c in self.type_code_values)
        )

    # -- reading ---------------------------------------------------------------------

    def read(self, text: str, given: str | None, ipr_type: str | None) -> ParsedNumber:
        number = " ".join(str(text).split())  # trim and collapse runs of blanks
        result = _Result(input=text, office_code=given, assumptions=list(self.setup_assumptions))
        if not number:
            return result.fail("no number given")

        found, rest = self._prefix(number, given)
        if found is not None and given is not None and found != given:
            return result.fail(f"the number starts with the office code {found}, but the office is {given}")
        result.office_code = office = given or found
        if not rest:
            return result.fail(f"no number after the office code {found}")

        split = self._split(rest)
        if isinstance(split, str):
            return result.fail(split)
        result.parts = split.parts
        values = dict(split.parts)

        self._check_characters(values, ipr_type, result)
        if result.errors:
            return result.build()
        self._check_digit(split.parts, result)
        if result.errors:
            return result.build()

        # The number fits the structure: present it as the office does. ST.13 (a): the
        # ST.3 code precedes the number, separated by one space.
        if office is None:
            result.assumptions.append(
                "no ST.3 office code was given or found: the presentations show the number without it"
            )
        prefix = f"{office} " if office else ""
        result.office_display = prefix + rest
        result.priority = prefix + self._priority_form(rest, split)
        if self.structure.priority_same_format is False:
            result.assumptions.append(
                "the office presents priority numbers differently (q12a = no): "
                "the priority form shown follows the application number"
            )

        self._convert(values, ipr_type, prefix, result)
        return result.build()

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
        if not space and self.letters_first:
            # The first part may itself be letters (an internal code, ST.13 (e)): "AB12"
            # is office AB only if that is the office, or if the number needs it.
            if given is not None:
                return (code, rest) if code == given else (None, number)
            if not isinstance(self._split(number), str):
                return None, number
        return code, rest

    # -- splitting -------------------------------------------------------------------

    def _split(self, rest: str) -> _Split | str:
        order = self.order
        if not order:
            return "cannot split: the order of the parts is not known (q3a/q3b not answered)"

        compact: list[str] = []
        where: list[int] = []  # position in `rest` of each kept character
        cuts: list[tuple[int, str]] = []  # (characters before it, separator)
        after_separator = True
        for i, ch in enumerate(rest):
            if ch in self.separators:
                if after_separator:
                    return f"misplaced separator {_quote(ch)}: separators go only between the parts of the number"
                cuts.append((len(compact), ch))
                after_separator = True
            elif ch.isascii() and ch.isalnum():
                compact.append(ch)
                where.append(i)
                after_separator = False
            else:
                return f"unexpected character {_quote(ch)}: {self._separators_described()}"
        if after_separator:
            return f"misplaced separator {_quote(cuts[-1][1])}: separators go only between the parts of the number"

        chars = "".join(compact)
        boundaries = [n for n, _ in cuts]
        if self.fixed:
            readings = self._fixed_reading(len(chars), boundaries)
        else:
            readings = self._readings(chars, boundaries, check_characters=False)
            if len(readings) > 1:
                # Several ways to cut by length alone: the kinds of characters may decide.
                readings = self._readings(chars, boundaries, check_characters=True) or readings
        if not readings:
            return self._why_not(chars, cuts)
        if len(readings) > 1:
            return (
                f"cannot split {_quote(rest)} into {self._described(order)}: "
                "more than one reading is possible (separators between the parts would tell)"
            )
        ends = readings[0]
        starts = (0, *ends[:-1])
        parts = tuple((part, chars[a:b]) for part, a, b in zip(order, starts, ends, strict=True))
        return _Split(parts=parts, starts=tuple(where[a] for a in starts))

    def _fixed_reading(self, n: int, boundaries: list[int]) -> list[tuple[int, ...]]:
        ends: list[int] = []
        total = 0
        for lo, _ in self.ranges:
            total += lo
            ends.append(total)
        if total != n or not set(boundaries) <= set(ends):
            return []
        return [tuple(ends)]

    def _readings(self, chars: str, boundaries: list[int], *, check_characters: bool) -> list[tuple[int, ...]]:
        """Up to two ways of cutting `chars` into the parts: each part within its length
        range and never across a separator."""
        order, ranges, n = self.order or (), self.ranges, len(chars)
        memo: dict[tuple[int, int], list[tuple[int, ...]]] = {}

        def ways(k: int, pos: int) -> list[tuple[int, ...]]:
            if k == len(order):
                return [()] if pos == n else []
            if (k, pos) in memo:
                return memo[(k, pos)]
            lo, hi = ranges[k]
            longest = n - pos if hi is None else min(hi, n - pos)
            i = bisect.bisect_right(boundaries, pos)
            next_cut = boundaries[i] if i < len(boundaries) else None
            found: list[tuple[int, ...]] = []
            for length in range(lo, longest + 1):
                end = pos + length
                if next_cut is not None and end > next_cut:
                    break
                if check_characters and not self._plausible(order[k], chars[pos:end]):
                    continue
                for tail in ways(k + 1, end):
                    found.append((end, *tail))
                    if len(found) >= 2:
                        break
                if len(found) >= 2:
                    break
            memo[(k, pos)] = found
            return found

        return ways(0, 0)

    def _plausible(self, part: str, value: str) -> bool:
        if part in (PART_YEAR, PART_SERIAL):
            return _digits(value)
        if part == PART_TYPE and self.type_code_values:
            return value in self.type_code_values
        if part == PART_CONTROL:
            return len(value) == 1
        return True

    def _why_not(self, chars: str, cuts: list[tuple[int, str]]) -> str:
        """Why the characters cannot be cut into the parts, saying what was expected."""
        order, ranges, n = self.order or (), self.ranges, len(chars)
        lo, hi = self._total(ranges)
        if _within(n, lo, hi):
            # The length is right, so a separator must sit inside a part.
            ends = self._fixed_reading(n, []) if self.fixed else []
            inside = [(k, sep) for k, sep in cuts if not ends or k not in ends[0]]
            k, separator = (inside or cuts)[0]
            return (
                f"the separator {_quote(separator)} after {k} {self._noun(order, k == 1)} "
                f"does not fall between two parts ({self._described(order)})"
            )
        if cuts and order[-1] == PART_CONTROL and self.structure.control_position == "separate":
            # "99403122.7": what follows the last separator is the check digit, so the
            # length of each side can be told apart.
            last, separator = cuts[-1]
            control_lo, control_hi = ranges[-1]
            after = n - last
            if not _within(after, control_lo, control_hi):
                noun = "character" if control_lo == control_hi == 1 else "characters"
                return (
                    f"expected {_span(control_lo, control_hi)} {noun} for the check digit "
                    f"after {_quote(separator)}, found {after}"
                )
            before_lo, before_hi = self._total(ranges[:-1])
            if not _within(last, before_lo, before_hi):
                noun = self._noun(order[:-1], before_lo == before_hi == 1)
                return f"expected {_span(before_lo, before_hi)} {noun} before the check digit, found {last}"
        return f"expected {_span(lo, hi)} {self._noun(order, False)} ({self._described(order)}), found {n}"

    @staticmethod
    def _total(ranges: Iterable[tuple[int, int | None]]) -> tuple[int, int | None]:
        lo, hi = 0, 0
        for a, b in ranges:
            lo += a
            hi = None if hi is None or b is None else hi + b
        return lo, hi

    def _noun(self, parts: Iterable[str], singular: bool) -> str:
        # "digits" when every part is numeric, so that the message reads naturally.
        numeric = all(
            p in (PART_YEAR, PART_SERIAL, PART_CONTROL)
            or (p == PART_TYPE and all(_digits(c) for c in self.type_code_values))
            for p in parts
        )
        noun = "digit" if numeric else "character"
        return noun if singular else noun + "s"

    def _described(self, parts: Iterable[str]) -> str:
        pieces = []
        for part in parts:
            lo, hi = self.ranges[(self.order or ()).index(part)]
            pieces.append(f"{part} of unknown length" if hi is None else f"{part} {_span(lo, hi)}")
        return " + ".join(pieces)

    def _separators_described(self) -> str:
        if not self.separators:
            return "the office uses no separators (q11a)"
        shown = " ".join("space" if c == " " else _quote(c) for c in self.separators)
        return f"the office's separators are {shown}"

    # -- checking --------------------------------------------------------------------

    def _check_characters(self, values: dict[str, str], ipr_type: str | None, result: _Result) -> None:
        for part in (PART_YEAR, PART_SERIAL):
            value = values.get(part)
            if value is not None and not _digits(value):
                result.errors.append(f"the {_PART_LABELS[part]} must be digits, found {_quote(value)}")
        code = values.get(PART_TYPE)
        if code is None:
            return
        if self.type_code_values and code not in self.type_code_values:
            result.errors.append(
                f"type code {code} is not one of the office's codes ({_listing(self.type_code_values)})"
            )
            return
        meaning = [ipr for ipr, c in self.type_codes.items() if c == code]
        if ipr_type is not None and meaning and ipr_type not in meaning:
            result.errors.append(f"type code {code} stands for {_listing(meaning)}, not {ipr_type}")

    def _check_digit(self, parts: tuple[tuple[str, str], ...], result: _Result) -> None:
        s = self.structure
        codes = [p for p, _ in parts]
        if PART_CONTROL not in codes:
            if s.has_control:
                result.assumptions.append(
                    "check digit not verified (q9a declares a control number, but the order of the parts, "
                    "q3a/q3b, does not place it)"
                )
            return
        index = codes.index(PART_CONTROL)
        check = parts[index][1]
        # The check is computed over everything that precedes it, in order: year and
        # serial for the EPO, year, type and serial for CNIPA.
        digits = "".join(v for _, v in parts[:index])
        algorithm = checkdigits.CATALOGUE.get(s.check_digit) if s.check_digit else None
        if s.check_digit is None:
            result.assumptions.append("check digit not verified (the method is not known: q9c not answered)")
        elif s.check_digit == "other":
            result.assumptions.append("check digit not verified (the office computes it its own way: q9c = other)")
        elif algorithm is None:
            result.assumptions.append(f"check digit not verified ({s.check_digit} is not in the check-digit catalogue)")
        elif not _digits(digits):
            result.assumptions.append(
                f"check digit not verified ({algorithm.code} works on digits, found {_quote(digits)} before it)"
            )
        elif algorithm.lengths and len(digits) not in algorithm.lengths:
            wanted = " or ".join(str(n) for n in algorithm.lengths)
            result.assumptions.append(
                f"check digit not verified ({algorithm.code} works on {wanted} digits, found {len(digits)} before it)"
            )
        else:
            expected = algorithm.compute(digits)
            if check.upper() != expected:
                result.errors.append(
                    f"check digit {check} does not match: the {algorithm.code} check digit of {digits} is {expected}"
                )

    def _priority_form(self, rest: str, split: _Split) -> str:
        # A control number set apart (q9b = separate, "99403122.7") is left out when the
        # number is cited as a priority; one inside the serial stays.
        codes = [p for p, _ in split.parts]
        if self.structure.control_position != "separate" or PART_CONTROL not in codes:
            return rest
        start = split.starts[codes.index(PART_CONTROL)]
        return rest[:start].rstrip("".join(self.separators) + " ")

    # -- ST.13 form ------------------------------------------------------------------

    def _convert(self, values: dict[str, str], ipr_type: str | None, prefix: str, result: _Result) -> None:
        type_code = self._st13_type(values.get(PART_TYPE), ipr_type, result)
        year = self._st13_year(values.get(PART_YEAR), result)
        serial = self._st13_serial(values, result)
        if PART_OTHER in values:
            result.assumptions.append(
                f"the other part {values[PART_OTHER]} is left out: the ST.13 form has no place for it"
            )
        if type_code is None or year is None or serial is None:
            return
        result.st13 = type_code + year + serial
        # ST.13 (d): leading zeros may be dropped for people; an internal code keeps its
        # two positions, so that "01" is not lost. (g): "-" separates the parts.
        shown = serial if PART_INTERNAL in values else serial.lstrip("0") or "0"
        result.st13_display = f"{prefix}{type_code}-{year}-{shown}"

    def _st13_type(self, code: str | None, ipr_type: str | None, result: _Result) -> str | None:
        s = self.structure
        covered = s.ipr_types
        if ipr_type is not None and covered is not None and ipr_type not in covered:
            result.errors.append(f"the system does not number {ipr_type} (q1a: {_listing(covered)})")
            return None
        if code is not None:
            if s.type_codes_st13 == "yes" and len(code) == _TYPE_WIDTH and _digits(code):
                result.assumptions.append(f"type code {code} used as it is: the office's codes are ST.13 codes (q5c)")
                return code
            meaning = [ipr for ipr, c in self.type_codes.items() if c == code]
            if not meaning:
                result.errors.append(f"type code {code} cannot be converted: the office's codes are not known (q5b)")
                return None
            candidates = [ipr_type] if ipr_type else meaning
            source = f"type {{st13}} taken from type code {code}, which the office uses for {{ipr}} (q5b)"
            several = f"type code {code} stands for several types of IPR ({_listing(candidates)}): choose one"
        elif ipr_type is not None:
            candidates, source, several = [ipr_type], "type {st13} taken from the IPR type given: {ipr}", ""
        elif covered:
            candidates = list(covered)
            source = "type {st13} taken from the IPR type covered (q1a): {ipr}"
            several = (
                f"the number does not show the type of IPR and the system covers several ({_listing(covered)}): "
                "choose one"
            )
        else:
            result.errors.append(
                "the number does not show the type of IPR and the types the system covers are not known (q1a): "
                "choose one"
            )
            return None

        office_use = [c for c in candidates if c not in ST13_TYPE_CODES]
        if len(office_use) == len(candidates):
            result.errors.append(f"no ST.13 type for {_listing(office_use)}: {_OFFICE_USE_REASON}")
            return None
        if len(candidates) > 1:
            result.errors.append(several)
            return None
        chosen = ST13_TYPE_CODES[candidates[0]]
        result.assumptions.append(source.format(st13=chosen, ipr=candidates[0]))
        return chosen

    def _st13_year(self, year: str | None, result: _Result) -> str | None:
        s = self.structure
        if year is None:
            # ST.13 (c): an office that codes no year writes 0000.
            result.assumptions.append("year 0000: the number codes no year (ST.13 (c))")
            return "0" * _YEAR_WIDTH
        if s.calendar == "other":
            result.errors.append(
                f"the year {year} is not in the Gregorian calendar (q6c): "
                "ST.13 (c) needs a Gregorian year, so it cannot be converted"
            )
            return None
        if s.calendar is None:
            result.assumptions.append("year taken as Gregorian (q6c not answered)")
        if len(year) == _YEAR_WIDTH:
            return year
        if len(year) == 2:
            century = "20" if int(year) < TWO_DIGIT_YEAR_PIVOT else "19"
            pivot = f"{TWO_DIGIT_YEAR_PIVOT:02d}"
            before = f"{TWO_DIGIT_YEAR_PIVOT - 1:02d}"
            result.assumptions.append(
                f"year {year} read as {century}{year} "
                f"(two-digit years {pivot}–99 are taken as 19xx, 00–{before} as 20xx)"
            )
            return century + year
        result.errors.append(
            f"a year of {_count(len(year), 'digit')} ({year}) cannot be written as the 4 digits of ST.13 (c)"
        )
        return None

    def _st13_serial(self, values: dict[str, str], result: _Result) -> str | None:
        serial = values.get(PART_SERIAL)
        if serial is None:
            result.errors.append("the number has no serial number, which ST.13 (a) and (d) make indispensable")
            return None
        # ST.13 (f): the control number takes the last of the nine positions.
        control = values.get(PART_CONTROL, "").upper()
        if control and not _digits(control):
            result.assumptions.append(
                f"check character {control} kept in the last position of the serial number, "
                "although ST.13 (f) expects a numeral"
            )
        body = serial + control
        what = "the serial number and control number" if control else "the serial number"
        internal = values.get(PART_INTERNAL)
        if internal is None:
            if len(body) > _SERIAL_WIDTH:
                result.errors.append(
                    f"{what} ({_count(len(body), 'digit')}) do not fit in the nine digits of ST.13 (d)"
                )
                return None
            return body.zfill(_SERIAL_WIDTH)
        # ST.13 (e): a code for internal use goes in the first two positions of the
        # serial, wherever the office writes it.
        if len(internal) > _INTERNAL_WIDTH:
            result.errors.append(
                f"the code for internal use {internal} has {len(internal)} characters, "
                "but ST.13 (e) gives it only the first two positions of the serial number"
            )
            return None
        room = _SERIAL_WIDTH - _INTERNAL_WIDTH
        if len(body) > room:
            result.errors.append(
                f"{what} ({_count(len(body), 'digit')}) do not fit in the {room} positions "
                "left after the code for internal use (ST.13 (d), (e))"
            )
            return None
        result.assumptions.append(
            f"code for internal use {internal} put in the first two positions of the serial number (ST.13 (e))"
        )
        return internal.rjust(_INTERNAL_WIDTH, "0") + body.zfill(room)


@dataclass
class _Result:
    """ParsedNumber under construction."""

    input: str
    office_code: str | None = None
    parts: tuple[tuple[str, str], ...] = ()
    st13: str | None = None
    st13_display: str | None = None
    office_display: str | None = None
    priority: str | None = None
    errors: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)

    def fail(self, error: str) -> ParsedNumber:
        self.errors.append(error)
        return self.build()

    def build(self) -> ParsedNumber:
        return ParsedNumber(
            input=self.input,
            office_code=self.office_code,
            parts=self.parts,
            st13=self.st13,
            st13_display=self.st13_display,
            office_display=self.office_display,
            priority=self.priority,
            errors=tuple(self.errors),
            assumptions=tuple(dict.fromkeys(self.assumptions)),
        )
