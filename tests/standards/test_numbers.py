"""Application numbers read against a structure and turned into the ST.13 form.

The EPO, CNIPA and Moldova structures are built from questionnaire answers exactly as
a response would store them. Real published numbers are used where there is one (see
tests/standards/test_checkdigits.py for their sources); numbers marked "constructed"
were made with the check-digit algorithm and were not read anywhere.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from standards import checkdigits
from standards.numbers import (
    DEFAULT_LIMIT,
    MAX_LENGTH,
    TWO_DIGIT_YEAR_PIVOT,
    CheckDigit,
    ParsedNumber,
    Verdict,
    parse_number,
    parse_numbers,
)
from standards.structure import structure_from_answers

EPO = structure_from_answers(
    {"q1a": ["patents"], "q2a": ["year", "serial", "control"], "q3a": "other", "q3b": ["year", "serial", "control"],
     "q4a": "fixed", "q4b": {"year": 2, "serial": 6, "control": 1}, "q5a": "no", "q6a": "yes", "q6b": "2",
     "q6c": "gregorian", "q7a": "yes", "q9a": "yes", "q9b": "separate", "q9c": "ep_mod10_w12", "q11a": "yes",
     "q11b": ["dot"], "q11c": "no"}
)  # fmt: skip

CN = structure_from_answers(
    {"q1a": ["patents", "utility_models", "industrial_designs"], "q2a": ["year", "type", "serial", "control"],
     "q3a": "other", "q3b": ["year", "type", "serial", "control"], "q4a": "fixed",
     "q4b": {"year": 4, "type": 1, "serial": 7, "control": 1}, "q5a": "yes",
     "q5b": {"patents": {"code": "1"}, "utility_models": {"code": "2"}, "industrial_designs": {"code": "3"}},
     "q5c": "no", "q6a": "yes", "q6b": "4", "q6c": "gregorian", "q7a": "yes", "q9a": "yes", "q9b": "separate",
     "q9c": "cn_mod11", "q11a": "yes", "q11b": ["dot"], "q11c": "no"}
)  # fmt: skip

MOLDOVA = structure_from_answers(
    {"q1a": ["trademarks"], "q1b": "1992", "q2a": ["serial"], "q3a": "other", "q3b": ["serial"], "q4a": "fixed",
     "q4b": {"serial": 6}, "q5a": "no", "q6a": "no", "q7a": "yes", "q7b": "fixed", "q7c": "yes", "q7d": "no",
     "q7e": "no", "q7f": "no", "q8a": "no", "q9a": "no", "q10a": "no", "q11a": "no", "q12a": "yes", "q13a": "no",
     "q13b": "no"}
)  # fmt: skip

# Constructed structures for the cases the three real ones do not reach.
VARIABLE = structure_from_answers(
    {"q1a": ["patents"], "q2a": ["year", "serial"], "q3a": "other", "q3b": ["year", "serial"], "q4a": "variable",
     "q4c": {"year": {"min": 4, "max": 4}, "serial": {"min": 1, "max": 6}}, "q6a": "yes", "q6b": "4",
     "q6c": "gregorian", "q9a": "no", "q11a": "yes", "q11b": ["slash"]}
)  # fmt: skip
AMBIGUOUS = structure_from_answers(
    {"q1a": ["utility_models"], "q2a": ["year", "serial"], "q3a": "other", "q3b": ["year", "serial"],
     "q4a": "variable", "q4c": {"year": {"min": 2, "max": 4}, "serial": {"min": 1, "max": 6}}, "q6a": "yes",
     "q6c": "gregorian", "q9a": "no", "q11a": "yes", "q11b": ["slash"]}
)  # fmt: skip
INTERNAL = structure_from_answers(
    {"q1a": ["patents", "utility_models"], "q2a": ["type", "year", "internal", "serial"], "q3a": "other",
     "q3b": ["internal", "type", "year", "serial"], "q4a": "fixed",
     "q4b": {"internal": 2, "type": 2, "year": 4, "serial": 5}, "q5a": "yes",
     "q5b": {"patents": {"code": "10"}, "utility_models": {"code": "20"}}, "q5c": "yes", "q6a": "yes", "q6b": "4",
     "q6c": "gregorian", "q8a": "yes", "q8c": "other", "q9a": "no", "q11a": "yes", "q11b": ["hyphen"]}
)  # fmt: skip
PATENTS_AND_PCT = structure_from_answers(
    {"q1a": ["patents", "pct_national"], "q2a": ["year", "serial"], "q3a": "other", "q3b": ["year", "serial"],
     "q4a": "fixed", "q4b": {"year": 4, "serial": 6}, "q5a": "no", "q6a": "yes", "q6b": "4", "q6c": "gregorian",
     "q9a": "no", "q11a": "yes", "q11b": ["slash", "space"]}
)  # fmt: skip

PATENTS_COVERED = "type 10 taken from the IPR type covered (q1a): patents for inventions"
PIVOT_99 = "year 99 read as 1999 (two-digit years 50–99 are taken as 19xx, 00–49 as 20xx)"


def _ep(digits: str) -> str:
    """A constructed EP number: `digits` plus its check digit after a dot."""
    return f"{digits}.{checkdigits.get('ep_mod10_w12').compute(digits)}"


def _cn(digits: str) -> str:
    return f"{digits}.{checkdigits.get('cn_mod11').compute(digits)}"


# -- the acceptance examples ---------------------------------------------------------


def test_epo_number_with_prefix() -> None:
    n = parse_number("EP 99403122.7", EPO)
    assert n.ok, n.errors
    assert n.office_code == "EP"
    assert n.parts == (("year", "99"), ("serial", "403122"), ("control", "7"))
    assert n.st13 == "101999004031227"
    assert n.st13_display == "EP 10-1999-4031227"
    assert n.office_display == "EP 99403122.7"
    assert n.priority == "EP 99403122"
    assert n.assumptions == (PATENTS_COVERED, PIVOT_99)
    assert n.verdict == Verdict.VALID and n.check_digit == CheckDigit.VERIFIED
    assert n.check_note == (
        "check digit 7 verified over the year and serial number (99403122): EPO: modulo 10, weights 1-2"
    )


def test_epo_wrong_check_digit_names_the_expected_one() -> None:
    n = parse_number("EP 99403122.5", EPO)
    assert not n.ok
    assert n.errors == ("check digit 5 does not match: the ep_mod10_w12 check digit of 99403122 is 7",)
    # A mistyped number is not presented or converted.
    assert (n.st13, n.office_display, n.priority) == (None, None, None)


def test_epo_number_without_prefix_takes_the_given_office() -> None:
    n = parse_number("99403122.7", EPO, office_code="EP")
    assert n.ok, n.errors
    assert n.office_code == "EP"
    assert n.st13 == "101999004031227"
    assert n.office_display == "EP 99403122.7"


def test_epo_prefix_of_another_office_is_an_error_naming_both() -> None:
    n = parse_number("CN 99403122.7", EPO, office_code="EP")
    assert n.errors == ("the number starts with the office code CN, but the office is EP",)
    assert n.st13 is None


def test_epo_number_one_digit_short() -> None:
    n = parse_number("EP 9940312.7", EPO)
    assert n.errors == ("expected 8 digits before the check digit, found 7",)
    assert n.parts == ()


def test_cn_patent_number() -> None:
    n = parse_number("CN 201710601862.3", CN)
    assert n.ok, n.errors
    assert n.parts == (("year", "2017"), ("type", "1"), ("serial", "0601862"), ("control", "3"))
    # Type 1 is the office's code for patents, ST.13 type 10; serial 0601862 and the
    # check digit 3 fill the nine positions as 006018623.
    assert n.st13 == "102017006018623"
    assert n.st13_display == "CN 10-2017-6018623"
    assert n.office_display == "CN 201710601862.3"
    assert n.priority == "CN 201710601862"
    assert n.assumptions == ("type 10 taken from type code 1, which the office uses for patents for inventions",)


def test_cn_design_number_has_its_type_marked_unknown() -> None:
    number = "CN " + _cn("201730601862")  # constructed: type 3 (industrial designs)
    n = parse_number(number, CN)
    assert n.part("type") == "3"
    # An answer, not an error: ST.13 leaves designs to the office, whose code is not two
    # digits, so everything but the type is converted.
    assert n.ok and n.verdict == Verdict.VALID and n.errors == ()
    assert n.st13 is None and n.st13_display is None
    assert n.st13_partial == "??2017006018624"
    assert (
        "type unknown (??): 3 is the office's code for industrial designs, but ST.13 (b) wants two digits in "
        "30–89 for them"
    ) in n.assumptions
    assert n.office_display == number
    assert n.priority == "CN 201730601862"


def test_cn_check_character_x() -> None:
    # Published as ZL201811564288.X (the patent number; the application number is the
    # same with CN in front instead of ZL).
    n = parse_number("CN 201811564288.X", CN)
    assert n.ok, n.errors
    assert n.part("type") == "1" and n.part("control") == "X"
    assert n.st13 == "10201801564288X"
    assert n.priority == "CN 201811564288"
    assert (
        "check character X kept in the last position of the serial number, although ST.13 (f) expects a numeral"
        in n.assumptions
    )
    assert parse_number("CN 201811564288.x", CN).st13 == "10201801564288X"


def test_moldova_trademark_number() -> None:
    n = parse_number("030812", MOLDOVA, office_code="MD")
    assert n.parts == (("serial", "030812"),)
    assert n.office_code == "MD"
    # md-002's own example is valid: the type of a trademark is left to the office (which
    # declares none), the rest is converted.
    assert n.ok and n.verdict == Verdict.VALID and n.errors == ()
    assert n.st13 is None and n.st13_partial == "??0000000030812"
    assert (
        "type unknown (??): ST.13 (b) leaves the code for trademarks to each office (two digits in 30–89), and "
        "the office declares none (q5b)"
    ) in n.assumptions
    assert n.office_display == "MD 030812"
    assert n.priority == "MD 030812"
    assert "year 0000: the number codes no year (ST.13 (c))" in n.assumptions


# -- table: numbers that are read and converted -------------------------------------

GOOD = [
    # (structure, input, keyword arguments, st13, st13_display, office_display, priority)
    (EPO, "EP 06009468.7", {}, "102006000094687", "EP 10-2006-94687", "EP 06009468.7", "EP 06009468"),
    (EPO, "EP 09305284.3", {}, "102009003052843", "EP 10-2009-3052843", "EP 09305284.3", "EP 09305284"),
    (EPO, "EP 01306315.1", {}, "102001003063151", "EP 10-2001-3063151", "EP 01306315.1", "EP 01306315"),
    (EPO, "EP99403122.7", {}, "101999004031227", "EP 10-1999-4031227", "EP 99403122.7", "EP 99403122"),
    (EPO, "  EP   99403122.7 ", {}, "101999004031227", "EP 10-1999-4031227", "EP 99403122.7", "EP 99403122"),
    (EPO, "994031227", {"office_code": "EP"}, "101999004031227", "EP 10-1999-4031227", "EP 994031227",
     "EP 99403122"),
    (EPO, "EP 99403122.7", {"office_code": "ep"}, "101999004031227", "EP 10-1999-4031227", "EP 99403122.7",
     "EP 99403122"),
    (EPO, "ep 99403122.7", {}, "101999004031227", "EP 10-1999-4031227", "EP 99403122.7", "EP 99403122"),
    (CN, "CN 201510703489.3", {}, "102015007034893", "CN 10-2015-7034893", "CN 201510703489.3",
     "CN 201510703489"),
    (CN, "CN 202110049384.6", {}, "102021000493846", "CN 10-2021-493846", "CN 202110049384.6",
     "CN 202110049384"),
    # Constructed utility-model number (type 2 -> ST.13 20).
    (CN, "CN 201720601862.9", {}, "202017006018629", "CN 20-2017-6018629", "CN 201720601862.9",
     "CN 201720601862"),
    (VARIABLE, "2015/123", {"office_code": "XX"}, "102015000000123", "XX 10-2015-123", "XX 2015/123",
     "XX 2015/123"),
    (VARIABLE, "XX 2015123", {}, "102015000000123", "XX 10-2015-123", "XX 2015123", "XX 2015123"),
    (AMBIGUOUS, "2015/12345", {}, "202015000012345", "20-2015-12345", "2015/12345", "2015/12345"),
    (INTERNAL, "AB-10-2020-12345", {}, "102020AB0012345", "10-2020-AB0012345", "AB-10-2020-12345",
     "AB-10-2020-12345"),
    (INTERNAL, "XX AB-20-2020-00001", {}, "202020AB0000001", "XX 20-2020-AB0000001", "XX AB-20-2020-00001",
     "XX AB-20-2020-00001"),
    (PATENTS_AND_PCT, "2012 123456", {"ipr_type": "pct_national"}, "112012000123456", "11-2012-123456",
     "2012 123456", "2012 123456"),
    (PATENTS_AND_PCT, "2012/000001", {"ipr_type": "patents"}, "102012000000001", "10-2012-1", "2012/000001",
     "2012/000001"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("structure", "text", "kwargs", "st13", "st13_display", "office_display", "priority"),
    GOOD,
    ids=[row[1].strip() for row in GOOD],
)
def test_good_numbers(structure, text, kwargs, st13, st13_display, office_display, priority) -> None:
    n = parse_number(text, structure, **kwargs)
    assert n.ok, n.errors
    assert (n.st13, n.st13_display, n.office_display, n.priority) == (st13, st13_display, office_display, priority)
    assert len(n.st13) == 15
    assert n.input == text


def test_constructed_numbers_carry_their_check_digit() -> None:
    assert _cn("201720601862") == "201720601862.9"
    assert _cn("201730601862") == "201730601862.4"


# -- table: the main kinds of error, word for word ----------------------------------

BAD = [
    (EPO, "", {}, "no number given"),
    (EPO, "   ", {}, "no number given"),
    (EPO, "EP", {}, "no number after the office code EP"),
    (EPO, "EP 9940312.7", {}, "expected 8 digits before the check digit, found 7"),
    (EPO, "EP 994031222.7", {}, "expected 8 digits before the check digit, found 9"),
    (EPO, "EP 99403122.77", {}, "expected 1 character for the check digit after “.”, found 2"),
    (EPO, "EP 9940312", {}, "expected 9 digits (year 2 + serial number 6 + check digit 1), found 7"),
    (EPO, "EP 994.031227", {},
     "the separator “.” after 3 digits does not fall between two parts (year 2 + serial number 6 + check digit 1)"),
    (EPO, "EP 99403122..7", {}, "misplaced separator “.”: separators go only between the parts of the number"),
    (EPO, "EP 99403122.", {}, "misplaced separator “.”: separators go only between the parts of the number"),
    (EPO, "EP 99 403122.7", {}, "unexpected character space: the office's separators are “.”"),
    (EPO, "EP 99403122/7", {}, "unexpected character “/”: the office's separators are “.”"),
    (EPO, "EP 9940312A.7", {}, "the serial number must be digits, found “40312A”"),
    (EPO, "EP 99403122.5", {}, "check digit 5 does not match: the ep_mod10_w12 check digit of 99403122 is 7"),
    (EPO, "CN 99403122.7", {"office_code": "EP"}, "the number starts with the office code CN, but the office is EP"),
    (EPO, "EP 99403122.7", {"ipr_type": "utility_models"},
     "the system does not number utility models (it numbers patents for inventions, q1a)"),
    (CN, "CN 201710601862.4", {}, "check digit 4 does not match: the cn_mod11 check digit of 201710601862 is 3"),
    (CN, "CN 201771060186.3", {}, "type code 7 is not one of the office's codes (1, 2, 3)"),
    (CN, "CN 201710601862.3", {"ipr_type": "utility_models"},
     "type code 1 stands for patents for inventions, not utility models"),
    (MOLDOVA, "03081", {"office_code": "MD"}, "expected 6 digits (serial number 6), found 5"),
    (MOLDOVA, "030.812", {"office_code": "MD"}, "unexpected character “.”: the office uses no separators (q11a)"),
    (VARIABLE, "2015/1234567", {}, "expected 5–10 digits (year 4 + serial number 1–6), found 11"),
    (VARIABLE, "20/15123", {},
     "the separator “/” after 2 digits does not fall between two parts (year 4 + serial number 1–6)"),
    (AMBIGUOUS, "201512345", {},
     "cannot split “201512345” into year 2–4 + serial number 1–6: more than one reading is possible "
     "(separators between the parts would tell)"),
    (INTERNAL, "AB-30-2020-12345", {}, "type code 30 is not one of the office's codes (10, 20)"),
]  # fmt: skip


@pytest.mark.parametrize(("structure", "text", "kwargs", "error"), BAD, ids=[f"{r[1]!r}" for r in BAD])
def test_bad_numbers(structure, text, kwargs, error) -> None:
    n = parse_number(text, structure, **kwargs)
    assert not n.ok
    assert n.errors == (error,)
    assert n.st13 is None and n.st13_display is None


# -- ST.13 details -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yy", "yyyy"),
    [("00", "2000"), ("01", "2001"), ("49", "2049"), ("50", "1950"), ("78", "1978"), ("99", "1999")],
)
def test_two_digit_year_pivot(yy: str, yyyy: str) -> None:
    assert TWO_DIGIT_YEAR_PIVOT == 50
    n = parse_number("EP " + _ep(yy + "403122"), EPO)  # constructed
    assert n.ok, n.errors
    assert n.st13[2:6] == yyyy
    assert f"year {yy} read as {yyyy} (two-digit years 50–99 are taken as 19xx, 00–49 as 20xx)" in n.assumptions


def test_year_in_an_unnamed_calendar_is_not_converted() -> None:
    other = structure_from_answers(
        {"q1a": ["patents"], "q2a": ["year", "serial"], "q3a": "other", "q3b": ["year", "serial"], "q4a": "fixed",
         "q4b": {"year": 4, "serial": 5}, "q6a": "yes", "q6b": "4", "q6c": "other", "q11a": "no"}
    )  # fmt: skip
    n = parse_number("139912345", other, office_code="IR")
    assert n.verdict == Verdict.NO_ST13_FORM
    assert n.errors == (
        "the year 1399 is in another calendar (q6c), which is not named (q6c_other): ST.13 (c) needs a "
        "Gregorian year, so it cannot be converted",
    )
    assert n.office_display == "IR 139912345"


def test_three_digit_year_cannot_be_written_in_four() -> None:
    odd = structure_from_answers(
        {"q1a": ["patents"], "q3a": "other", "q3b": ["year", "serial"], "q4a": "fixed",
         "q4b": {"year": 3, "serial": 5}, "q6c": "gregorian", "q11a": "no"}
    )  # fmt: skip
    assert parse_number("01912345", odd).verdict == Verdict.NO_ST13_FORM
    assert parse_number("01912345", odd).errors == (
        "a year of 3 digits (019) cannot be written as the 4 digits of ST.13 (c)",
    )


def test_serial_longer_than_nine_digits() -> None:
    long = structure_from_answers(
        {"q1a": ["patents"], "q3a": "other", "q3b": ["serial", "control"], "q4a": "fixed",
         "q4b": {"serial": 9, "control": 1}, "q9a": "yes", "q9b": "serial_last", "q9c": "other", "q11a": "no"}
    )  # fmt: skip
    n = parse_number("1234567890", long)
    assert n.errors == ("10 digits of serial number and check digit do not fit in the nine digits of ST.13 (d)",)
    assert n.verdict == Verdict.NO_ST13_FORM
    assert "check digit not verified (the office computes it its own way: q9c = other)" in n.assumptions
    # q9b = serial_last: the control number is part of the number cited as a priority.
    assert n.priority == "1234567890"


def test_internal_code_keeps_the_first_two_positions() -> None:
    n = parse_number("AB-10-2020-12345", INTERNAL)
    assert n.office_code is None
    assert n.parts == (("internal", "AB"), ("type", "10"), ("year", "2020"), ("serial", "12345"))
    assert n.st13 == "102020AB0012345"
    assert n.assumptions == (
        "no ST.3 office code was given or found: the presentations show the number without it",
        "type code 10 used as it is: it is the ST.13 code for patents for inventions",
        "code for internal use AB put in the first two positions of the serial number (ST.13 (e))",
    )
    # When the office is given, letters other than its code are the internal code.
    assert parse_number("AB-10-2020-12345", INTERNAL, office_code="XX").st13 == "102020AB0012345"


def test_type_taken_from_the_ipr_type_given() -> None:
    n = parse_number("2012/123456", PATENTS_AND_PCT, ipr_type="pct_national")
    assert n.st13 == "112012000123456"
    assert (
        "type 11 taken from the IPR type given: patent applications from PCT applications (national phase)"
        in n.assumptions
    )


def test_office_use_ipr_type_given_is_never_guessed() -> None:
    n = parse_number("201811564288.X", CN, office_code="CN", ipr_type="industrial_designs")
    # Type 1 is the patent code: the number contradicts the IPR type chosen.
    assert n.errors == ("type code 1 stands for patents for inventions, not industrial designs",)
    n = parse_number("030812", MOLDOVA, ipr_type="trademarks")
    assert n.st13 is None and n.st13_partial == "??0000000030812"


def test_unknown_check_digit_method_is_an_assumption() -> None:
    answers = {"q1a": ["patents"], "q3a": "other", "q3b": ["year", "serial", "control"], "q4a": "fixed",
               "q4b": {"year": 2, "serial": 6, "control": 1}, "q9a": "yes", "q9b": "separate", "q11a": "yes",
               "q11b": ["dot"], "q6c": "gregorian"}  # fmt: skip
    n = parse_number("EP 99403122.5", structure_from_answers(answers))
    assert n.ok, n.errors
    assert "check digit not verified (the method is not known: q9c not answered)" in n.assumptions
    n = parse_number("EP 99403122.5", structure_from_answers({**answers, "q9c": "luhn"}))
    assert "check digit not verified (luhn is not in the check-digit catalogue)" in n.assumptions


def test_unknown_lengths_and_separators_split_at_the_separators() -> None:
    loose = structure_from_answers({"q1a": ["patents"], "q3a": "other", "q3b": ["year", "serial"], "q6c": "gregorian"})
    n = parse_number("2019-4567", loose)
    assert n.ok, n.errors
    assert n.st13 == "102019000004567"
    assert n.assumptions[:2] == (
        "the lengths of the parts are not known (q4b/q4c): the number is split at its separators",
        "separators not declared (q11a/q11b): “/”, “-”, space, “.”, “,” accepted between the parts",
    )
    assert parse_number("20194567", loose).errors == (
        "cannot split “20194567” into year of unknown length + serial number of unknown length: "
        "more than one reading is possible (separators between the parts would tell)",
    )


def test_unknown_order_cannot_split() -> None:
    n = parse_number("12345", structure_from_answers({"q1a": ["patents"]}))
    assert n.errors == ("cannot split: the order of the parts is not known (q3a/q3b not answered)",)


def test_priority_presented_differently_is_noted() -> None:
    s = structure_from_answers({**_epo_answers(), "q12a": "no"})
    n = parse_number("EP 99403122.7", s)
    assert n.ok
    assert (
        "the office presents priority numbers differently (q12a = no): "
        "the priority form shown follows the application number"
    ) in n.assumptions


def _epo_answers() -> dict:
    return {"q1a": ["patents"], "q3a": "other", "q3b": ["year", "serial", "control"], "q4a": "fixed",
            "q4b": {"year": 2, "serial": 6, "control": 1}, "q6c": "gregorian", "q9a": "yes", "q9b": "separate",
            "q9c": "ep_mod10_w12", "q11a": "yes", "q11b": ["dot"]}  # fmt: skip


def test_malformed_arguments_raise() -> None:
    with pytest.raises(ValueError, match="two-letter ST.3 code"):
        parse_number("99403122.7", EPO, office_code="EPO")
    with pytest.raises(ValueError, match="unknown IPR type 'patent'"):
        parse_number("99403122.7", EPO, ipr_type="patent")


def test_result_is_frozen_and_serialisable() -> None:
    n = parse_number("EP 99403122.7", EPO)
    assert isinstance(n, ParsedNumber)
    with pytest.raises(AttributeError):
        n.st13 = "x"  # type: ignore[misc]
    assert n.as_dict() == {
        "input": "EP 99403122.7",
        "office_code": "EP",
        "ok": True,
        "verdict": "valid",
        "verdict_label": "valid",
        "reason": None,
        "check_digit": "verified",
        "check_note": "check digit 7 verified over the year and serial number (99403122): EPO: modulo 10, weights 1-2",
        "parts": {"year": "99", "serial": "403122", "control": "7"},
        "st13": "101999004031227",
        "st13_display": "EP 10-1999-4031227",
        "st13_partial": None,
        "office_display": "EP 99403122.7",
        "priority": "EP 99403122",
        "profile": None,
        "errors": [],
        "assumptions": [PATENTS_COVERED, PIVOT_99],
    }


# -- many numbers ------------------------------------------------------------------


def test_parse_numbers_skips_blank_lines() -> None:
    lines = ["EP 99403122.7\n", "", "   \n", "\t", "EP 99403122.5", "99403122.7"]
    results = parse_numbers(lines, EPO, office_code="EP")
    assert [r.input for r in results] == ["EP 99403122.7\n", "EP 99403122.5", "99403122.7"]
    assert [r.ok for r in results] == [True, False, True]
    # A pasted block is split into lines rather than read character by character.
    assert [r.st13 for r in parse_numbers("EP 99403122.7\n\nEP 06009468.7\n", EPO)] == [
        "101999004031227",
        "102006000094687",
    ]


def test_parse_numbers_limit() -> None:
    assert DEFAULT_LIMIT == 10_000
    with pytest.raises(ValueError, match=r"too many numbers: more than 10,000 non-blank lines"):
        parse_numbers(["EP 99403122.7"] * 10_001, EPO)
    # Blank lines do not count towards the limit.
    assert len(parse_numbers(["EP 99403122.7", ""] * 10_000, EPO)) == 10_000
    with pytest.raises(ValueError, match="more than 3 non-blank lines"):
        parse_numbers(["1", "2", "3", "4"], MOLDOVA, limit=3)


def test_ten_thousand_numbers_parse_quickly() -> None:
    algorithm = checkdigits.get("ep_mod10_w12")
    lines = []
    for i in range(10_000):
        digits = f"{i % 100:02d}{i:06d}"
        lines.append(f"EP {digits}.{algorithm.compute(digits)}")
    # Processor time of this process: other programs running at the same time on the
    # machine do not count against it, as wall-clock time would.
    started = time.process_time()
    results = parse_numbers(lines, EPO)
    elapsed = time.process_time() - started
    assert len(results) == 10_000 and all(r.ok for r in results)
    assert elapsed < 3.0, f"10,000 numbers took {elapsed:.2f} s"


def test_module_needs_no_django() -> None:
    code = "import sys, standards.numbers; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# -- issue cases: what real offices write -----------------------------------------------

US_SERIES = structure_from_answers(
    {"q1a": ["patents"], "q2a": ["other", "serial"], "q2a_other": "series code", "q3a": "other",
     "q3b": ["other", "serial"], "q4a": "fixed", "q4b": {"other": 2, "serial": 6}, "q5a": "no", "q6a": "no",
     "q7a": "yes", "q9a": "no", "q11a": "yes", "q11b": ["slash", "comma"], "q11c": "no"}
)  # fmt: skip


def test_a_part_that_tells_applications_apart_is_never_dropped() -> None:
    # USPTO application numbers 11/005859 and 13/005859 (MPEP § 503: series code and serial)
    # are different applications: they must not get the same ST.13 form.
    first = parse_number("US 11/005859", US_SERIES)
    second = parse_number("US 13/005859", US_SERIES)
    assert first.st13 == "100000110005859" and second.st13 == "100000130005859"
    assert (
        "the other part 11 can tell apart applications with the same serial number, so it is kept as a code for "
        "internal use in the first two positions of the serial number (ST.13 (e))"
    ) in first.assumptions
    # Where it cannot be kept, there is no ST.13 form rather than a shorter one.
    long_other = structure_from_answers(
        {**_epo_answers(), "q3b": ["other", "year", "serial", "control"], "q4b": {"other": 3, "year": 2,
         "serial": 6, "control": 1}, "q9c": "other"}
    )  # fmt: skip
    n = parse_number("ABC99403122.7", long_other)
    assert n.verdict == Verdict.NO_ST13_FORM and n.st13 is None
    assert n.errors == (
        "the other part ABC has no place in the ST.13 form, and leaving it out could give two applications the "
        "same number",
    )


@pytest.mark.parametrize(
    ("text", "structure", "grouping"),
    [
        ("US 14/870,744", US_SERIES, "“,”"),  # USPTO's own presentation (thousands comma)
        ("US 14/870744", US_SERIES, None),
    ],
)
def test_grouping_characters_inside_a_part_are_read_and_said(text, structure, grouping) -> None:
    n = parse_number(text, structure)
    assert n.ok and n.st13 == "100000140870744"
    said = [a for a in n.assumptions if "digit grouping" in a]
    expected = f"{grouping} read as digit grouping inside the serial number, not as part of it"
    assert said == ([expected] if grouping else [])


@pytest.mark.parametrize(
    "text",
    ["US 14/87,0744", "US 14/8707,44", "US 1,4/870744"],  # not groups of three from the right, or not in the serial
)
def test_grouping_must_be_by_threes_inside_the_serial(text) -> None:
    assert parse_number(text, US_SERIES).verdict == Verdict.ERROR


def test_a_number_given_without_its_check_digit_is_read_and_the_digit_computed() -> None:
    # "EP 04257544" is how the number of J 9/07 (EP 04257544.9) is cited as a priority.
    n = parse_number("EP 04257544", EPO)
    assert n.verdict == Verdict.VALID_CHECK_DIGIT_NOT_GIVEN and n.ok
    assert n.check_digit == CheckDigit.NOT_GIVEN
    assert n.st13 == "102004002575449"
    assert n.check_note == "the number is given without its check digit; it is 9 (EPO: modulo 10, weights 1-2)"
    assert n.reason == n.check_note
    # Without a method to compute it, the form is given with its last position unknown.
    other = structure_from_answers({**_epo_answers(), "q9c": "other"})
    n = parse_number("EP 04257544", other)
    assert n.verdict == Verdict.VALID_CHECK_DIGIT_NOT_GIVEN
    assert n.st13 is None and n.st13_partial == "10200400257544?"


def test_patent_database_form() -> None:
    # EP20020762866: the EPODOC form of EP 02762866 (four-digit year, serial padded with a zero).
    n = parse_number("EP20020762866", EPO)
    assert n.verdict == Verdict.VALID_CHECK_DIGIT_NOT_GIVEN
    assert n.parts == (("year", "02"), ("serial", "762866"))
    assert n.st13 == "102002007628668"
    assert n.office_display == "EP 02762866"
    # Only zeros may pad the serial, and the year must be one the system writes.
    assert parse_number("EP20021762866", EPO).verdict == Verdict.ERROR
    assert parse_number("EP21202443", EPO).verdict == Verdict.VALID_CHECK_DIGIT_NOT_GIVEN  # 21202443 itself


def test_check_digit_over_the_parts_its_method_is_defined_on() -> None:
    # A letter prefix before year + type + serial: cn_mod11 covers year, type and serial only.
    prefixed = structure_from_answers(
        {"q1a": ["patents"], "q2a": ["other", "year", "type", "serial", "control"], "q3a": "other",
         "q3b": ["other", "year", "type", "serial", "control"], "q4a": "fixed",
         "q4b": {"other": 2, "year": 4, "type": 1, "serial": 7, "control": 1}, "q5a": "yes",
         "q5b": {"patents": {"code": "1"}}, "q9a": "yes", "q9b": "separate", "q9c": "cn_mod11", "q11a": "yes",
         "q11b": ["dot"]}
    )  # fmt: skip
    n = parse_number("BS201710601862.3", prefixed, office_code="CN")
    assert n.check_digit == CheckDigit.VERIFIED
    assert n.check_note.startswith("check digit 3 verified over the year, type code and serial number (201710601862)")
    assert any("the other part stay out of it" in a for a in n.assumptions)
    assert parse_number("BS201710601862.4", prefixed, office_code="CN").errors == (
        "check digit 4 does not match: the cn_mod11 check digit of 201710601862 is 3",
    )


def test_other_method_is_not_verified_never_valid() -> None:
    other = structure_from_answers({**_epo_answers(), "q9c": "other"})
    n = parse_number("EP 99403122.5", other)  # a wrong digit by the EPO's rule
    assert n.verdict == Verdict.VALID_CHECK_DIGIT_NOT_VERIFIED
    assert n.check_digit == CheckDigit.NOT_VERIFIED
    assert n.reason == "check digit not verified (the office computes it its own way: q9c = other)"


@pytest.mark.parametrize(
    ("calendar", "year", "expected", "said"),
    [
        ("Republic of China (Minguo) calendar", "90", "2001", "year 90 of the Republic of China (Minguo) calendar "
         "read as 2001 (+1911 years) (q6c); ST.13 (c) asks for the Gregorian year"),
        ("ROC", "110", "2021", None),
        ("Heisei era", "11", "1999", None),
        ("Japanese Showa era", "63", "1988", None),
        ("Thai Buddhist calendar", "2543", "2000", None),
    ],
)  # fmt: skip
def test_years_in_other_calendars_are_converted_with_their_offset(calendar, year, expected, said) -> None:
    s = structure_from_answers(
        {"q1a": ["patents"], "q2a": ["year", "serial"], "q3a": "other", "q3b": ["year", "serial"], "q4a": "variable",
         "q4c": {"year": {"min": 2, "max": 4}, "serial": {"min": 5, "max": 5}}, "q6a": "yes", "q6c": "other",
         "q6c_other": calendar, "q11a": "yes", "q11b": ["hyphen"]}
    )  # fmt: skip
    n = parse_number(f"{year}-12345", s)
    assert n.ok, n.errors
    assert n.st13 == f"10{expected}000012345"
    if said:
        assert said in n.assumptions


def test_a_calendar_without_a_fixed_offset_gives_no_st13_form() -> None:
    s = structure_from_answers(
        {"q1a": ["patents"], "q3a": "other", "q3b": ["year", "serial"], "q4a": "fixed",
         "q4b": {"year": 4, "serial": 5}, "q6c": "other", "q6c_other": "Solar Hijri", "q11a": "no"}
    )  # fmt: skip
    n = parse_number("139912345", s, office_code="IR")
    assert n.verdict == Verdict.NO_ST13_FORM
    assert "without the filing date" in n.errors[0]


def test_pct_numbers_are_pointed_to_the_pct_profile() -> None:
    n = parse_number("PCT/US2002/003226", EPO)
    assert n.verdict == Verdict.ERROR
    assert "international application under the PCT" in n.errors[0]


def test_q5c_yes_does_not_make_a_contradicting_code_valid() -> None:
    # The office says its codes are ST.13 codes but numbers patents with 20 (ST.13's code
    # for utility models): the ST.13 form must say patent (10), and the contradiction is said.
    s = structure_from_answers(
        {"q1a": ["patents"], "q3a": "other", "q3b": ["type", "year", "serial"], "q4a": "fixed",
         "q4b": {"type": 2, "year": 4, "serial": 9}, "q5a": "yes", "q5b": {"patents": {"code": "20"}},
         "q5c": "yes", "q6c": "gregorian", "q11a": "no"}
    )  # fmt: skip
    n = parse_number("202012000012345", s)
    assert n.st13 == "102012000012345"
    assert (
        "the office says its type codes are those of ST.13 (q5c), but ST.13 (b) codes patents for inventions 10, not 20"
    ) in n.assumptions
    # Without the office's table, a two-digit code is checked against what the system numbers.
    bare = structure_from_answers(
        {"q1a": ["patents"], "q3a": "other", "q3b": ["type", "year", "serial"], "q4a": "fixed",
         "q4b": {"type": 2, "year": 4, "serial": 9}, "q5a": "yes", "q5c": "yes", "q6c": "gregorian", "q11a": "no"}
    )  # fmt: skip
    assert parse_number("202012000012345", bare).errors == (
        "type code 20 is the ST.13 code for utility models, but the system numbers patents for inventions (q1a)",
    )
    assert parse_number("952012000012345", bare).errors == (
        "type code 95 is in 90–99, which ST.13 (b) reserves for the International Bureau",
    )


def test_a_line_longer_than_any_number_is_refused_with_its_length() -> None:
    n = parse_number("9" * 300, EPO)
    assert n.verdict == Verdict.ERROR
    assert n.errors == (f"the line has 300 characters; an application number has at most {MAX_LENGTH}",)


def test_every_verdict_is_one_of_five() -> None:
    assert {v.value for v in Verdict} == {
        "valid",
        "valid_check_digit_not_given",
        "valid_check_digit_not_verified",
        "error",
        "no_st13_form",
    }
