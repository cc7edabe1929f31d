"""Spreadsheet cells: each answer type has one readable cell that reads back, whole numbers
stay numbers, what spreadsheet programs make of typed values is understood, and a
malformed cell says what is wrong."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from surveys.intake.spreadsheets import CellError, decode_answer, encode_answer
from surveys.questionnaire.edition import Question

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("qid", "value", "cell"),
    [
        ("q1a", ["patents", "trademarks"], "patents; trademarks"),
        ("q3a", "other", "other"),
        ("q5a", "yes", "yes"),
        ("q6b", "2", "2"),
        ("q1b", "1992", "1992"),
        ("q1b", "1992-03-15", "15/03/1992"),
        ("q4b", {"serial": 6, "year": 4}, "serial=6; year=4"),
        ("q4c", {"serial": {"min": 4, "max": 6}}, "serial=4-6"),
        ("q4c", {"serial": {"min": 6, "max": 6}}, "serial=6"),
        ("q3b", ["year", "serial"], "year; serial"),
        ("q5b", {"patents": {"code": "10"}, "trademarks": {"code": "70"}}, "patents=10; trademarks=70"),
        ("q5b", {"patents": {"code": "1; 2"}}, '{"patents": {"code": "1; 2"}}'),
        ("q8b", [{"code": "1", "meaning": "PCT"}], '[{"code": "1", "meaning": "PCT"}]'),
        (
            "q14a",
            [{"office_name": "State Agency on Intellectual Property", "example": "030812"}],
            '[{"office_name": "State Agency on Intellectual Property", "example": "030812"}]',
        ),
        ("q10b", "Numbers restart each year.", "Numbers restart each year."),
        ("q10b", '=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("q10b", "- a list", "'- a list"),
        ("q10b", "'quoted'", "''quoted'"),
    ],
)
def test_each_answer_type_has_one_readable_cell_that_reads_back(edition_structure, qid, value, cell):
    q = edition_structure.by_id[qid]
    assert encode_answer(q, value) == cell
    assert decode_answer(edition_structure, q, cell) == value


def test_whole_numbers_stay_numbers(edition_structure):
    q = Question(
        id="qn", section_id="s", number=1, letter=None, type="int", text={"en": "n"}, required=False, condition=None
    )
    assert encode_answer(q, 7) == 7
    assert decode_answer(edition_structure, q, " 7 ") == 7
    assert decode_answer(edition_structure, q, 7.0) == 7
    with pytest.raises(CellError, match="'7.5' is not a whole number"):
        decode_answer(edition_structure, q, "7.5")


@pytest.mark.parametrize(
    ("qid", "cell", "value"),
    [
        ("q1b", 1992, "1992"),  # a year typed into a spreadsheet becomes a number
        ("q1b", datetime(1992, 3, 15), "1992-03-15"),  # and a typed date a date cell
        ("q1b", date(1992, 3, 15), "1992-03-15"),
        ("q6b", 2, "2"),
        ("q5a", True, "yes"),
        ("q5a", "No", "no"),
        ("q1a", "Patents;TRADEMARKS;", ["patents", "trademarks"]),
        ("q4b", "SERIAL = 6", {"serial": 6}),
    ],
)
def test_what_spreadsheet_programs_make_of_typed_values_is_understood(edition_structure, qid, cell, value):
    assert decode_answer(edition_structure, edition_structure.by_id[qid], cell) == value


@pytest.mark.parametrize(
    ("qid", "cell", "message"),
    [
        ("q1a", "patents; nope", "unknown choice 'nope'; the codes are: patents, pct_national,"),
        ("q1a", "patents; Patents", "'patents' listed twice."),
        ("q3a", "Trademarks", "unknown choice 'Trademarks'; the codes are: st13, other."),
        ("q3a", True, "a TRUE/FALSE cell; write the code instead."),
        ("q1b", "19x2", "'19x2' is not a year (yyyy) or a date (dd/mm/yyyy)."),
        ("q1b", "31/02/1992", "'31/02/1992' is not a year (yyyy) or a date (dd/mm/yyyy)."),
        ("q4b", "serial", "'serial' is not of the form part=characters (e.g. serial=6)."),
        ("q4b", "serial=six", "serial: 'six' is not a whole number."),
        ("q4b", "colour=3", "unknown part (from q2a) 'colour'; the codes are: type, year, serial, internal,"),
        ("q4c", "serial=4-x", "serial: 'x' is not a whole number."),
        ("q3b", "year; when", "unknown part (from q2a) 'when'"),
        ("q5b", "patents=10; rockets=3", "unknown type (from q1a) 'rockets'"),
        ("q14a", "not json", "not valid JSON (Expecting value at character 1)"),
        ("q14a", '{"office_name": "x"}', "a JSON list is expected, like ["),
        ("q14a", '[{"bogus": "x"}]', "table row 1: unknown column(s) 'bogus'; the columns are: office_name,"),
        ("q14a", '[{"example": 30812}]', "table row 1 must be an object of text cells."),
        ("q10b", datetime(2012, 1, 1), "a date cell where text or a code is expected."),
    ],
)
def test_malformed_cells_say_what_is_wrong(edition_structure, qid, cell, message):
    with pytest.raises(CellError) as exc:
        decode_answer(edition_structure, edition_structure.by_id[qid], cell)
    assert str(exc.value).startswith(message)
