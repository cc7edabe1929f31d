"""The ST.13 form in detail: two-digit years, years in an unnamed calendar or of three
digits, serial numbers too long for nine digits, the code for internal use, the type from
the IPR type, check-digit methods not known, lengths, separators and order not known, and
priority numbers presented differently."""

from __future__ import annotations

import pytest

from standards.numbers import TWO_DIGIT_YEAR_PIVOT, Verdict, parse_number
from standards.structure import structure_from_answers
from tests.standards.number_structures import CN, EPO, INTERNAL, MOLDOVA, PATENTS_AND_PCT, _ep, _epo_answers


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
