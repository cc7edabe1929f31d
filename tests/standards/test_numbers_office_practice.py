"""Application numbers as real offices write them (issue cases): a part that tells
applications apart, digit grouping, a number without its check digit, the patent-database
form, check digits over some of the parts, methods of the office's own, other calendars,
PCT numbers, type codes that contradict ST.13, and lines longer than any number."""

from __future__ import annotations

import pytest

from standards.numbers import MAX_LENGTH, CheckDigit, Verdict, parse_number
from standards.structure import structure_from_answers
from tests.standards.number_structures import EPO, _epo_answers

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
