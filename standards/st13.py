"""Rule-by-rule evaluation of a numbering system against WIPO Standard ST.13.

ST.13 ("Recommendation for the numbering of applications for IPRs", version 1.0,
February 2008) states its recommendation in seven sections, (a) to (g). Given the
structure that an office's questionnaire answers describe (standards.structure), this
module decides for every section whether the system complies, deviates, is not
concerned (an optional part the system does not use) or cannot be judged because an
answer is missing. Each verdict comes with a one-line reason that names the question
IDs it relied on, so that a reviewer can go back to the answers.

The overall verdict is derived from the seven rules and set beside the office's own
declaration (q13a); when the two contradict each other the report flags it for review.

Pure Python: no Django, no surveys app; only the structure module and the standard
library, so that exports, importers and tests can use it anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from standards.structure import (
    PART_CONTROL,
    PART_INTERNAL,
    PART_OTHER,
    PART_SERIAL,
    PART_TYPE,
    PART_YEAR,
    ST13_ORDER,
    ST13_SEPARATORS,
    NumberingStructure,
)

__all__ = [
    "RULES",
    "ComplianceReport",
    "RuleInfo",
    "RuleResult",
    "Verdict",
    "evaluate_compliance",
]


class Verdict(StrEnum):
    COMPLIES = "complies"
    DEVIATES = "deviates"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RuleInfo:
    """One section of ST.13, for column headers and legends."""

    section: str
    title: str
    statement: str


RULES: tuple[RuleInfo, ...] = (
    RuleInfo("a", "Composition", "Type of IPR, year and serial number, in that order: 2 + 4 + 9 = 15 characters."),
    RuleInfo("b", "Type of IPR", "An indispensable two-digit numeric code taken from the ST.13 ranges."),
    RuleInfo("c", "Year", "Four digits of the Gregorian year; 0000 in machine-readable form when no year is coded."),
    RuleInfo("d", "Serial number", "Nine digits of fixed length; leading zeros may be left out only on display."),
    RuleInfo("e", "Code for internal use", "Optional; when used, it takes the first two positions of the serial."),
    RuleInfo("f", "Control number", "Optional; when used, one numeral in the last position of the serial."),
    RuleInfo("g", "Separators", 'Only "/", "-" or a space, for presentation, never in machine-readable form.'),
)
_TITLES = {rule.section: rule.title for rule in RULES}


@dataclass(frozen=True)
class RuleResult:
    section: str
    title: str
    verdict: Verdict
    reason: str
    answers_used: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "title": self.title,
            "verdict": str(self.verdict),
            "reason": self.reason,
            "answers_used": list(self.answers_used),
        }


@dataclass(frozen=True)
class ComplianceReport:
    rules: tuple[RuleResult, ...]
    overall: Verdict
    declared: bool | None  # q13a: does the office say the system conforms?
    disagrees: bool  # the office's declaration contradicts the evaluation
    # q5c: the office's word on its type codes ("yes": they are ST.13's), and whether
    # the codes it gives (q5b) contradict it.
    codes_declared: str | None = None
    codes_disagree: bool = False

    def rule(self, section: str) -> RuleResult:
        for result in self.rules:
            if result.section == section:
                return result
        raise KeyError(section)

    def sections(self, verdict: Verdict) -> tuple[str, ...]:
        """The section letters that came out with the given verdict, in order."""
        return tuple(r.section for r in self.rules if r.verdict == verdict)

    @property
    def summary(self) -> str:
        """One line: the overall verdict, then the office's declaration beside it."""
        if self.overall == Verdict.DEVIATES:
            head = f"Deviates from ST.13 on {_letters(self.sections(Verdict.DEVIATES))}"
        elif self.overall == Verdict.UNKNOWN:
            head = (
                f"No deviation found, but {_letters(self.sections(Verdict.UNKNOWN))} cannot be judged (answers missing)"
            )
        else:
            head = "Complies with ST.13"
            not_applicable = self.sections(Verdict.NOT_APPLICABLE)
            if not_applicable:
                rules, verb = ("rules", "do") if len(not_applicable) > 1 else ("rule", "does")
                head += f" ({rules} {_letters(not_applicable)} {verb} not apply)"
        codes = ""
        if self.codes_disagree:
            said_codes = "are" if self.codes_declared == "yes" else "are not"
            codes = (
                f" The office says its type codes {said_codes} those of ST.13 (q5c), "
                "which the codes it gives (q5b) contradict: review."
            )
        if self.declared is None:
            return f"{head}; the office has not said whether it conforms (q13a).{codes}"
        said = "that it conforms" if self.declared else "that it does not conform"
        if self.overall == Verdict.UNKNOWN:
            verdict = "agreement cannot be judged yet"
        elif self.disagrees:
            verdict = "which disagrees: review"
        else:
            verdict = "which agrees"
        return f"{head}; the office declares {said} (q13a), {verdict}.{codes}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall": str(self.overall),
            "declared": self.declared,
            "disagrees": self.disagrees,
            "codes_declared": self.codes_declared,
            "codes_disagree": self.codes_disagree,
            "summary": self.summary,
            "rules": [result.as_dict() for result in self.rules],
        }


# ST.13 (b): the two-digit categories for each IPR type of q1a, as (lowest, highest).
# 10 patents for inventions, 11 PCT applications in the national phase, 12-19 other
# patent applications at the office's choice; 20 utility models and 21 those from PCT
# applications, 22-29 office use; 30-89 office use for designs, marks, SPCs,
# layout-designs and anything else. 90-99 belong to the International Bureau and are
# never right for a national numbering system, so no range below reaches them.
TYPE_CODE_RANGES: dict[str, tuple[int, int]] = {
    "patents": (10, 10),
    "pct_national": (11, 11),
    "plant_patents": (12, 19),
    "utility_models": (20, 29),
    "industrial_designs": (30, 89),
    "trademarks": (30, 89),
    "spc": (30, 89),
    "layout_designs": (30, 89),
    "other": (30, 89),
}
_OFFICE_USE = (30, 89)
_IPR_NAMES = {
    "patents": "patents",
    "pct_national": "PCT national-phase applications",
    "plant_patents": "plant patents",
    "utility_models": "utility models",
    "industrial_designs": "industrial designs",
    "trademarks": "trademarks",
    "spc": "SPCs",
    "layout_designs": "layout-designs",
    "other": "other IPRs",
}
_PART_NAMES = {
    PART_TYPE: "type",
    PART_YEAR: "year",
    PART_SERIAL: "serial",
    PART_INTERNAL: "internal code",
    PART_CONTROL: "control number",
    PART_OTHER: "other",
}
_MISSING_NAMES = {PART_TYPE: "the type of IPR", PART_YEAR: "the year", PART_SERIAL: "the serial number"}
# Question IDs as they appear in reasons: "q4b", "q11c", "q6c_other" …
_QUESTION_ID = re.compile(r"\bq\d+[a-z](?:_other)?\b")


# --------------------------------------------------------------------------- helpers


def _letters(sections: Iterable[str]) -> str:
    return ", ".join(f"({s})" for s in sections)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _q(ids: Iterable[str]) -> str:
    return "(" + ", ".join(dict.fromkeys(ids)) + ")"


class _Rule:
    """Builds the results of one section. A reason cites question IDs in parentheses;
    answers_used is exactly those of them that were answered, in the order cited (an
    "unknown" reason may name a question nobody answered: it is not an answer used)."""

    def __init__(self, s: NumberingStructure, section: str) -> None:
        self.s = s
        self.section = section
        self.answered = {qid for qids in s.sources.values() for qid in qids}

    def __call__(self, verdict: Verdict, reason: str) -> RuleResult:
        cited = (qid for qid in _QUESTION_ID.findall(reason) if qid in self.answered)
        return RuleResult(
            self.section, _TITLES[self.section], verdict, f"({self.section}) {reason}", tuple(dict.fromkeys(cited))
        )

    def ids(self, *fields: str) -> str:
        """The questions behind the structure's fields, in parentheses: "(q4b, q9b)"."""
        return _q(self.s.cite(*fields))


def _presence(s: NumberingStructure, flag_name: str, part: str) -> tuple[bool | None, tuple[str, ...]]:
    """Whether the number has `part`: the dedicated yes/no question first (q5a, q6a …),
    else whether q2a lists it. Returns the answer and the field it came from."""
    flag = getattr(s, flag_name)
    if flag is not None:
        return bool(flag), (flag_name,)
    if s.parts is not None:
        return part in s.parts, ("parts",)
    return None, ()


def _serial_length(s: NumberingStructure) -> tuple[int | None, tuple[str, ...]]:
    """Characters of the serial number (q4b). A code for internal use or a control number
    declared as parts of their own count towards it when they sit inside the serial, as
    ST.13 (e) and (f) place them. Returns the length and the fields it came from."""
    length = s.length_of(PART_SERIAL)
    if length is None:
        return None, ()
    fields = ["lengths"]
    internal = s.length_of(PART_INTERNAL)
    if internal is not None and s.internal_position == "serial_first_two":
        length += internal
        fields.append("internal_position")
    control = s.length_of(PART_CONTROL)
    if control is not None and s.control_position == "serial_last":
        length += control
        fields.append("control_position")
    return length, tuple(fields)


def _serial_range(s: NumberingStructure) -> tuple[tuple[int, int] | None, tuple[str, ...]]:
    """The same as _serial_length for a variable-length number (q4c minimum and maximum)."""
    ranges = s.length_ranges or {}
    if PART_SERIAL not in ranges:
        return None, ()
    lo, hi = ranges[PART_SERIAL]
    fields = ["length_ranges"]
    for part, position, inside in (
        (PART_INTERNAL, s.internal_position, "serial_first_two"),
        (PART_CONTROL, s.control_position, "serial_last"),
    ):
        if part in ranges and position == inside:
            lo, hi = lo + ranges[part][0], hi + ranges[part][1]
            fields.append("internal_position" if part == PART_INTERNAL else "control_position")
    return (lo, hi), tuple(fields)


def _two_digits(code: str) -> bool:
    return len(code) == 2 and all(ch in "0123456789" for ch in code)


def _range_text(bounds: tuple[int, int]) -> str:
    lo, hi = bounds
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _separator_name(ch: str) -> str:
    return "space" if ch == " " else f'"{ch}"'


# ----------------------------------------------------------------------------- rules


def _composition(s: NumberingStructure) -> RuleResult:
    # ST.13 (a): <type><year><serial>, 2 + 4 + 9 = 15 characters. The optional code for
    # internal use and control number live inside the nine-character serial, so they do
    # not break the composition when their lengths fit into it.
    result = _Rule(s, "a")
    if s.parts is None:
        return result(Verdict.UNKNOWN, "The parts of the number are not answered (q2a).")
    missing = [_MISSING_NAMES[p] for p in ST13_ORDER if p not in s.parts]
    if missing:
        return result(
            Verdict.DEVIATES,
            f"The parts lack {_and(missing)} {result.ids('parts')}; "
            "ST.13 composes the number of type, year and serial, 2+4+9 = 15 characters.",
        )
    if PART_OTHER in s.parts:
        # Nothing but type, year and serial (with the optional codes inside the serial).
        return result(
            Verdict.DEVIATES,
            f"The number has a part of another kind {result.ids('parts')}; "
            "ST.13 has only type, year and serial, optional codes sitting inside the serial.",
        )
    if s.order is None:
        return result(Verdict.UNKNOWN, "The order of the parts is not answered (q3a).")
    if tuple(p for p in s.order if p in ST13_ORDER) != ST13_ORDER:
        shown = ", ".join(_PART_NAMES.get(p, p) for p in s.order)
        return result(
            Verdict.DEVIATES,
            f"The parts run {shown} {result.ids('order')}; ST.13 puts them in the order type, year, serial.",
        )
    in_order = f"Type, year and serial come in ST.13 order {result.ids('parts', 'order')}"
    if s.fixed_length is False:
        return result(
            Verdict.DEVIATES,
            f"{in_order}, but the number has variable length {result.ids('fixed_length')}; "
            "ST.13 fixes it at 2+4+9 = 15 characters.",
        )
    serial, serial_fields = _serial_length(s)
    type_len, year_len = s.length_of(PART_TYPE), s.length_of(PART_YEAR)
    if serial is None or type_len is None or year_len is None:
        # Parts and order are what (a) requires; the lengths are checked when given.
        return result(Verdict.COMPLIES, f"{in_order}; their lengths are not given (q4b).")
    sizes = f"{type_len}+{year_len}+{serial} = {type_len + year_len + serial} characters"
    sizes += f" {result.ids('lengths', *serial_fields)}"
    if (type_len, year_len, serial) == (2, 4, 9):
        return result(Verdict.COMPLIES, f"{in_order}, with {sizes}, as recommended.")
    return result(Verdict.DEVIATES, f"{in_order}, but with {sizes}; ST.13 recommends 2+4+9 = 15.")


def _code_in_range(ipr: str, code: str) -> bool:
    lo, hi = TYPE_CODE_RANGES.get(ipr, _OFFICE_USE)
    return _two_digits(code) and lo <= int(code) <= hi


def _declared_codes_disagree(s: NumberingStructure) -> bool:
    """Whether the office's word on its type codes (q5c) contradicts the codes it gives
    (q5b), checked against the ST.13 (b) table: "yes" with a code outside its range, or
    "no" with every code inside it."""
    if s.has_type_code is False or s.type_codes_st13 not in ("yes", "no"):
        return False
    given = {ipr: code for ipr, code in (s.type_codes or {}).items() if code}
    if not given:
        return False
    fitting = [
        _two_digits(code)
        and TYPE_CODE_RANGES.get(ipr, _OFFICE_USE)[0] <= int(code) <= TYPE_CODE_RANGES.get(ipr, _OFFICE_USE)[1]
        for ipr, code in given.items()
    ]
    if s.type_codes_st13 == "yes":
        return not all(fitting)
    complete = all(ipr in given for ipr in s.ipr_types or ())
    return complete and all(fitting)


def _declared_codes(
    result: _Rule, codes: dict[str, str], given: dict[str, str], length_fields: tuple[str, ...]
) -> RuleResult | None:
    """The verdict the codes given (q5b) decide on their own: a deviation for any code
    outside its ST.13 range, compliance when every type has a code in range."""
    offending: list[str] = []
    for ipr, code in given.items():
        bounds = TYPE_CODE_RANGES.get(ipr, _OFFICE_USE)
        if not _two_digits(code):
            offending.append(f'"{code}" for {_IPR_NAMES.get(ipr, ipr)}, where ST.13 has two digits')
        elif not _code_in_range(ipr, code):
            note = " (90-99 belong to the International Bureau)" if int(code) >= 90 else ""
            offending.append(f'"{code}" for {_IPR_NAMES.get(ipr, ipr)}, where ST.13 has {_range_text(bounds)}{note}')
    if offending:
        plural = "s" if len(offending) > 1 else ""
        return result(
            Verdict.DEVIATES, f"Type code{plural} not as in ST.13 {result.ids('type_codes')}: {'; '.join(offending)}."
        )
    if given and len(given) == len(codes):
        listed = ", ".join(f'"{code}" for {_IPR_NAMES.get(ipr, ipr)}' for ipr, code in given.items())
        plural = "s" if len(given) > 1 else ""
        return result(
            Verdict.COMPLIES,
            f"Type code{plural} {listed} {result.ids(*length_fields, 'type_codes')}: "
            "two digits within the ST.13 ranges.",
        )
    return None


def _type_code_length(s: NumberingStructure, result: _Rule) -> tuple[tuple[str, ...], RuleResult | None]:
    """The length of the type part (q4b for a fixed-length number, q4c for a variable
    one): the fields it came from, and a deviation when it is not two characters."""
    if (length := s.length_of(PART_TYPE)) is not None:
        if length != 2:
            return ("lengths",), result(
                Verdict.DEVIATES,
                f"The type code has {length} characters {result.ids('lengths')}; ST.13 recommends two digits.",
            )
        return ("lengths",), None
    if s.length_ranges and PART_TYPE in s.length_ranges:
        lo, hi = s.length_ranges[PART_TYPE]
        if (lo, hi) != (2, 2):
            size = f"{lo} to {hi}" if lo != hi else str(lo)
            return ("length_ranges",), result(
                Verdict.DEVIATES,
                f"The type code has {size} characters {result.ids('length_ranges')}; ST.13 recommends two digits.",
            )
        return ("length_ranges",), None
    return (), None


def _type_of_ipr(s: NumberingStructure) -> RuleResult:
    # ST.13 (b): the type code is indispensable; two numerals (letters could be taken for
    # an ST.3 office code), from the category table for the kind of IPR.
    result = _Rule(s, "b")
    present, fields = _presence(s, "has_type_code", PART_TYPE)
    if present is None:
        return result(Verdict.UNKNOWN, "Whether the number has a type code is not answered (q5a).")
    if not present:
        return result(
            Verdict.DEVIATES,
            f"The number has no code for the type of IPR {result.ids(*fields)}; "
            "ST.13 makes a two-digit type code indispensable.",
        )
    length_fields, too_long = _type_code_length(s, result)
    if too_long is not None:
        return too_long
    # The codes themselves (q5b), one for each IPR type of q1a; a blank one is not given.
    codes = dict(s.type_codes or {})
    for ipr in s.ipr_types or ():
        codes.setdefault(ipr, "")
    given = {ipr: code for ipr, code in codes.items() if code}
    judged = _declared_codes(result, codes, given, length_fields)
    if judged is not None:
        return judged
    # The codes are the evidence: when they are all given, they decide even against q5c
    # (an office may answer "no" while its codes happen to sit in the ST.13 ranges).
    # Without a complete list of codes, the office's own statement (q5c) decides.
    if s.type_codes_st13 == "yes":
        return result(
            Verdict.COMPLIES,
            f"The office says its type codes are those of ST.13 {result.ids(*length_fields, 'type_codes_st13')}.",
        )
    if s.type_codes_st13 in ("no", "partly"):
        how = "not" if s.type_codes_st13 == "no" else "only partly"
        return result(
            Verdict.DEVIATES,
            f"The office says its type codes are {how} those of ST.13 {result.ids('type_codes_st13')}.",
        )
    blank = [_IPR_NAMES.get(ipr, ipr) for ipr, code in codes.items() if not code]
    if given and blank:
        plural, verb = ("s", "are") if len(blank) > 1 else ("", "is")
        return result(Verdict.UNKNOWN, f"The type code{plural} for {_and(blank)} {verb} not given (q5b, q5c).")
    return result(Verdict.UNKNOWN, "The type codes are not given (q5b, q5c).")


def _year(s: NumberingStructure) -> RuleResult:
    # ST.13 (c): four digits of the Gregorian year. Not coding the year at all is a
    # deviation as well: the machine-readable form then has to carry "0000".
    result = _Rule(s, "c")
    present, fields = _presence(s, "has_year", PART_YEAR)
    if present is None:
        return result(Verdict.UNKNOWN, "Whether the number codes the year is not answered (q6a).")
    if not present:
        return result(
            Verdict.DEVIATES,
            f"The number codes no year {result.ids(*fields)}; ST.13 wants four Gregorian digits, "
            'with "0000" in the machine-readable form when no year is coded.',
        )
    # The number of digits: q6b, and the year's length in q4b; each is checked when given.
    digits = {name: n for name, n in (("year_digits", s.year_digits), ("lengths", s.length_of(PART_YEAR))) if n}
    wrong = {name: n for name, n in digits.items() if n != 4}
    issues: list[str] = []
    missing: list[str] = []
    if wrong:
        issues.append(f"has {next(iter(wrong.values()))} digits {result.ids(*wrong)}")
    elif not digits:
        missing.append("number of digits (q6b)")
    if s.calendar is None:
        missing.append("calendar (q6c)")
    elif s.calendar != "gregorian":
        issues.append(f"follows another calendar {result.ids('calendar')}")
    if issues:
        return result(
            Verdict.DEVIATES, f"The year {' and '.join(issues)}; ST.13 wants four digits of the Gregorian year."
        )
    if missing:
        verb = "are" if len(missing) > 1 else "is"
        return result(Verdict.UNKNOWN, f"The year's {' and '.join(missing)} {verb} not answered.")
    return result(
        Verdict.COMPLIES, f"The year has four Gregorian digits {result.ids(*digits, 'calendar')}, as recommended."
    )


def _serial_number(s: NumberingStructure) -> RuleResult:
    # ST.13 (d): nine digits of fixed length. Leaving out leading zeros on screen or
    # paper, gaps in the sequence and not restarting at 1 each year are all allowed, so
    # q7c-q7f never make a deviation.
    result = _Rule(s, "d")
    present, fields = _presence(s, "has_serial", PART_SERIAL)
    if present is None:
        return result(Verdict.UNKNOWN, "Whether the number has a serial number is not answered (q7a).")
    if not present:
        return result(
            Verdict.DEVIATES,
            f"The number has no serial number {result.ids(*fields)}; ST.13 recommends a fixed nine digits.",
        )
    if s.serial_fixed is False:
        return result(
            Verdict.DEVIATES,
            f"The serial number has variable length {result.ids('serial_fixed')}; ST.13 recommends a fixed 9.",
        )
    length, length_fields = _serial_length(s)
    if s.fixed_length is False:
        bounds, length_fields = _serial_range(s)
        if bounds is None:
            return result(Verdict.UNKNOWN, "The length of the serial number is not given (q4c).")
        lo, length = bounds
        if lo != length:
            return result(
                Verdict.DEVIATES,
                f"The serial number has {lo} to {length} characters {result.ids(*length_fields)}; "
                "ST.13 recommends a fixed 9.",
            )
    if length is None:
        return result(Verdict.UNKNOWN, "The length of the serial number is not given (q4b).")
    if length == 9:
        return result(
            Verdict.COMPLIES,
            f"The serial number has a fixed 9 characters {result.ids(*length_fields)}, as recommended.",
        )
    return result(
        Verdict.DEVIATES, f"The serial number has {length} characters {result.ids(*length_fields)}; ST.13 recommends 9."
    )


def _internal_code(s: NumberingStructure) -> RuleResult:
    # ST.13 (e): optional; when used, the code takes the first two positions of the
    # serial number (those two may be letters).
    result = _Rule(s, "e")
    present, fields = _presence(s, "has_internal_code", PART_INTERNAL)
    if present is None:
        return result(Verdict.UNKNOWN, "Whether there is a code for internal use is not answered (q8a).")
    if not present:
        return result(
            Verdict.NOT_APPLICABLE, f"There is no code for internal use {result.ids(*fields)}; nothing to check."
        )
    if s.internal_position is None:
        return result(Verdict.UNKNOWN, "The position of the code for internal use is not answered (q8c).")
    if s.internal_position != "serial_first_two":
        return result(
            Verdict.DEVIATES,
            f"The code for internal use sits elsewhere {result.ids('internal_position')}; "
            "ST.13 puts it in the first two positions of the serial number.",
        )
    if (length := s.length_of(PART_INTERNAL)) is not None and length > 2:
        return result(
            Verdict.DEVIATES,
            f"The code for internal use has {length} characters {result.ids('lengths')}; "
            "ST.13 gives it the first two positions of the serial number.",
        )
    return result(
        Verdict.COMPLIES,
        "The code for internal use takes the first two positions of the serial number "
        f"{result.ids('internal_position')}, as ST.13 provides.",
    )


def _control_number(s: NumberingStructure) -> RuleResult:
    # ST.13 (f): optional; when used, one numeral in the last position of the nine-digit
    # serial, so that it travels inside the number rather than beside it.
    result = _Rule(s, "f")
    present, fields = _presence(s, "has_control", PART_CONTROL)
    if present is None:
        return result(Verdict.UNKNOWN, "Whether there is a control number is not answered (q9a).")
    if not present:
        return result(Verdict.NOT_APPLICABLE, f"There is no control number {result.ids(*fields)}; nothing to check.")
    if s.control_position is None:
        return result(Verdict.UNKNOWN, "The position of the control number is not answered (q9b).")
    if s.control_position != "serial_last":
        where = "is set apart after the number" if s.control_position == "separate" else "sits elsewhere"
        return result(
            Verdict.DEVIATES,
            f"The control number {where} {result.ids('control_position')}; "
            "ST.13 puts one numeral in the last position of the serial number.",
        )
    length = s.length_of(PART_CONTROL)
    if length is not None and length != 1:
        return result(
            Verdict.DEVIATES,
            f"The control number has {length} characters {result.ids('lengths')}; ST.13 wants a single numeral.",
        )
    if length == 1:
        return result(
            Verdict.COMPLIES,
            "The control number is one character in the last position of the serial number "
            f"{result.ids('lengths', 'control_position')}, as ST.13 provides.",
        )
    return result(
        Verdict.COMPLIES,
        f"The control number takes the last position of the serial number {result.ids('control_position')}, "
        "as ST.13 provides.",
    )


def _separators(s: NumberingStructure) -> RuleResult:
    # ST.13 (g): "/", "-" or a space may separate type, year and serial when the number
    # is shown to people; they never belong to the machine-readable form.
    result = _Rule(s, "g")
    if s.separators is None:
        return result(Verdict.UNKNOWN, "Whether separators are used, and which, is not answered (q11a, q11b).")
    if not s.separators:
        if "q11b" in s.cite("separators"):  # "other" ticked, but its description names no character
            return result(Verdict.UNKNOWN, f"The separators used cannot be identified {result.ids('separators')}.")
        return result(
            Verdict.COMPLIES,
            f"No separators are used {result.ids('separators')}, so none can enter the machine-readable form.",
        )
    issues: list[str] = []
    if foreign := [_separator_name(ch) for ch in s.separators if ch not in ST13_SEPARATORS]:
        issues.append(f"include {_and(foreign)} {result.ids('separators')}")
    if s.separators_in_machine_form:
        issues.append(f"are kept in the machine-readable form {result.ids('separators_in_machine_form')}")
    if issues:
        return result(
            Verdict.DEVIATES,
            f'Separators {", and ".join(issues)}; ST.13 allows only "/", "-" and space, for presentation.',
        )
    shown = _and([_separator_name(ch) for ch in s.separators])
    if s.separators_in_machine_form is None:
        return result(
            Verdict.UNKNOWN,
            f"Separators {shown} {result.ids('separators')}; "
            "whether they are kept in the machine-readable form is not answered (q11c).",
        )
    return result(
        Verdict.COMPLIES,
        f"Separators {shown} {result.ids('separators', 'separators_in_machine_form')} "
        "serve for presentation only, as ST.13 allows.",
    )


# ---------------------------------------------------------------------------- report


def evaluate_compliance(structure: NumberingStructure) -> ComplianceReport:
    """Evaluate the seven sections of ST.13, (a) to (g), for one numbering system."""
    rules = (
        _composition(structure),
        _type_of_ipr(structure),
        _year(structure),
        _serial_number(structure),
        _internal_code(structure),
        _control_number(structure),
        _separators(structure),
    )
    verdicts = {r.verdict for r in rules}
    if Verdict.DEVIATES in verdicts:
        overall = Verdict.DEVIATES
    elif Verdict.UNKNOWN in verdicts:
        overall = Verdict.UNKNOWN
    else:
        overall = Verdict.COMPLIES
    declared = structure.declared_conformant
    # Only a definite contradiction is flagged: an unknown evaluation cannot disagree.
    disagrees = (declared is True and overall == Verdict.DEVIATES) or (
        declared is False and overall == Verdict.COMPLIES
    )
    return ComplianceReport(
        rules=rules,
        overall=overall,
        declared=declared,
        disagrees=disagrees,
        codes_declared=structure.type_codes_st13,
        codes_disagree=_declared_codes_disagree(structure),
    )
