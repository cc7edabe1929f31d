"""Application numbers read against a structure and turned into the ST.13 form: the
acceptance examples, a table of numbers read and converted, and a table of the main kinds
of error, word for word.

The EPO, CNIPA and Moldova structures (tests/standards/number_structures.py) are built from
questionnaire answers exactly as a response would store them. Real published numbers are
used where there is one (see tests/standards/test_checkdigits.py for their sources);
numbers marked "constructed" were made with the check-digit algorithm and were not read
anywhere.
"""

from __future__ import annotations

import pytest

from standards.numbers import CheckDigit, Verdict, parse_number
from tests.standards.number_structures import (
    AMBIGUOUS,
    CN,
    EPO,
    INTERNAL,
    MOLDOVA,
    PATENTS_AND_PCT,
    PATENTS_COVERED,
    PIVOT_99,
    VARIABLE,
    _cn,
)

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
