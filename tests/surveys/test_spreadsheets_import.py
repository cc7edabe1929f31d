"""Spreadsheet imports of responses: through the branching engine, all or nothing, each
problem named by row, column and reason; drafts overwritten with hidden answers kept;
submitted responses, taken numbers and closed rounds refused; only the secretariat imports."""

from __future__ import annotations

import pytest

from surveys.errors import NotAllowed
from surveys.intake.spreadsheets import RowProblem
from surveys.models import NumberingSystem, SurveyResponse, SurveyRound
from tests.surveys.spreadsheet_helpers import HEADERS, ROUND, responses_import, row, snapshot

pytestmark = pytest.mark.django_db


def test_a_sheet_creates_responses_through_the_engine(survey_round, importer):
    report = responses_import(
        headers=HEADERS,
        rows=[row(q1a="trademarks", q1b="1992", q2a="serial", q4a="fixed", q4b="serial=6", q4c="serial=4-6", q5a="no")],
        user=importer,
    )
    assert report.problems == [] and report.written
    response = SurveyResponse.objects.get()
    assert (response.round, response.office_id, response.sequence, response.status) == (survey_round, "MD", 1, "draft")
    assert response.numbering_system.label == "Trademarks" and response.numbering_system.created_by == importer
    assert response.answers == {
        "q1a": ["trademarks"],
        "q1b": "1992",
        "q2a": ["serial"],
        "q4a": "fixed",
        "q4b": {"serial": 6},
        "q5a": "no",
    }
    # q4c applies only to variable lengths: set aside, never stored as applicable.
    assert response.set_aside_answers == {"q4c": {"serial": {"min": 4, "max": 6}}}
    revision = response.revisions.get()
    assert (revision.version, revision.note, revision.author) == (1, "imported", importer)
    assert revision.changed == ["q1a", "q1b", "q2a", "q4a", "q4b", "q4c", "q5a"]
    assert report.created == [response]


def test_one_bad_row_writes_nothing_and_names_row_column_and_reason(survey_round, importer):
    before = snapshot()
    report = responses_import(
        headers=HEADERS,
        rows=[
            row(q1a="trademarks", q5a="no"),
            row(numbering_system="Patents", q1a="patents", q5a="maybe"),
        ],
        user=importer,
    )
    assert not report.written
    assert report.problems == [RowProblem(3, "q5a", "unknown choice 'maybe'; the codes are: yes, no.")]
    assert str(report.problems[0]) == "Row 3, column q5a: unknown choice 'maybe'; the codes are: yes, no."
    assert snapshot() == before


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"round": "no-such-round"}, [("round", "no survey round has the slug 'no-such-round'.")]),
        ({"round": ""}, [("round", "empty; give the survey round's slug (e.g. application-numbering-2012).")]),
        ({"office": "XX"}, [("office", "no office has the ST.3 code 'XX'.")]),
        ({"office": "md"}, [("office", "'md' is not an ST.3 code: two capital letters expected (e.g. MD, EP).")]),
        (
            {"office": "FR"},
            [("office", "FR (France) is not invited to the round “Questionnaire on application numbering (2012)”.")],
        ),
        (
            {"numbering_system": " "},
            [("numbering_system", "empty; give the numbering system's label (e.g. Trademarks).")],
        ),
        ({"sequence": "two"}, [("sequence", "the sequence: 'two' is not a whole number.")]),
        ({"sequence": 0}, [("sequence", "the sequence starts at 1.")]),
        (
            {"q1b": "19x2", "q5a": "maybe"},
            [
                ("q1b", "'19x2' is not a year (yyyy) or a date (dd/mm/yyyy)."),
                ("q5a", "unknown choice 'maybe'; the codes are: yes, no."),
            ],
        ),
        # Valid cells, but the engine refuses the answers: q4b must give a length for every part of q2a.
        ({"q2a": "year; serial", "q4a": "fixed", "q4b": "serial=6"}, [("q4b", "Give a value for: Year designation.")]),
    ],
)
def test_row_problems(survey_round, importer, cells, expected):
    report = responses_import(headers=HEADERS, rows=[row(**cells)], user=importer)
    assert [(p.row, p.column, p.message) for p in report.problems] == [(2, c, m) for c, m in expected]
    assert SurveyResponse.objects.count() == 0 and NumberingSystem.objects.count() == 0


def test_unknown_columns_and_repeated_columns_are_refused(survey_round, importer):
    report = responses_import(
        headers=["round", "office", "numbering_system", "q99", "notes", "q1b", "q1b"],
        rows=[[ROUND, "MD", "Trademarks", "x", "", "1992", "1992"]],
        user=importer,
    )
    assert [(p.row, p.column, p.message) for p in report.problems] == [
        (1, "q1b", "this column appears more than once; keep one."),
        (
            2,
            "q99",
            "unknown column: neither a question ID nor one of round, office, numbering_system, sequence, status.",
        ),
    ]
    assert SurveyResponse.objects.count() == 0


def test_empty_rows_are_skipped_and_unanswered_questions_allowed(survey_round, importer):
    report = responses_import(headers=HEADERS, rows=[row(q1b="1992"), [None] * len(HEADERS), [""] * 3], user=importer)
    assert report.problems == [] and len(report.created) == 1
    assert SurveyResponse.objects.get().answers == {"q1b": "1992"}


def test_the_same_response_twice_in_a_sheet_is_refused(survey_round, importer):
    report = responses_import(
        headers=HEADERS, rows=[row(q1b="1992"), row(numbering_system="TRADEMARKS", q1b="1993")], user=importer
    )
    assert [str(p) for p in report.problems] == [
        "Row 3, column numbering_system: row 2 already imports this response (MD, “TRADEMARKS”)."
    ]
    assert SurveyResponse.objects.count() == 0


def test_a_draft_is_overwritten_and_hidden_answers_are_kept(make_response, office_a_respondent, importer):
    response = make_response(office_a_respondent, {"q2a": ["serial"], "q4a": "fixed", "q4b": {"serial": 6}})
    report = responses_import(
        headers=HEADERS, rows=[row(q2a="serial", q4a="variable", q4c="serial=4-6")], user=importer
    )
    assert report.problems == [] and report.updated == [response]
    response.refresh_from_db()
    assert response.answers == {"q2a": ["serial"], "q4a": "variable", "q4c": {"serial": {"min": 4, "max": 6}}}
    # The fixed length no longer applies and the sheet left it empty: set aside, not lost.
    assert response.set_aside_answers == {"q4b": {"serial": 6}}
    assert response.version == 3 and response.updated_by == importer
    latest = response.revisions.order_by("-version").first()
    assert (latest.version, latest.note, latest.changed) == (3, "imported", ["q4a", "q4c"])
    # The same sheet again changes nothing and records nothing.
    again = responses_import(headers=HEADERS, rows=[row(q2a="serial", q4a="variable", q4c="serial=4-6")], user=importer)
    assert again.unchanged == [response] and again.updated == []
    assert response.revisions.count() == 3


def test_submitted_responses_and_taken_numbers_are_refused(make_response, office_a_respondent, importer):
    make_response(office_a_respondent, {"q1b": "1992"}, label="Patents")
    submitted = make_response(office_a_respondent, {"q1b": "1992"}, label="Trademarks")
    submitted.status = "submitted"
    submitted.save(update_fields=["status"])
    report = responses_import(
        headers=HEADERS,
        rows=[row(q1b="1993"), row(numbering_system="Designs", sequence=1, q1b="1993")],
        user=importer,
    )
    assert [str(p) for p in report.problems] == [
        "Row 2, column status: md-002 is submitted; an import only overwrites draft or returned responses.",
        "Row 3, column sequence: md-001 (“Patents”) already has number 1 in this round.",
    ]
    submitted.refresh_from_db()
    assert submitted.answers == {"q1b": "1992"}
    assert not NumberingSystem.objects.filter(label="Designs").exists()


def test_closed_rounds_take_no_new_responses(survey_round, importer):
    survey_round.status = SurveyRound.Status.CLOSED
    survey_round.save(update_fields=["status"])
    report = responses_import(headers=HEADERS, rows=[row(q1b="1992")], user=importer)
    assert [str(p) for p in report.problems] == [
        "Row 2, column round: the round “Questionnaire on application numbering (2012)” is closed."
    ]


def test_only_the_secretariat_imports(survey_round, office_a_approver):
    with pytest.raises(NotAllowed):
        responses_import(headers=HEADERS, rows=[row(q1b="1992")], user=office_a_approver)
    assert SurveyResponse.objects.count() == 0
