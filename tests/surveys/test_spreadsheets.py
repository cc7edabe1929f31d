"""Spreadsheet imports and exports of responses: cell encoding, the branching engine, all or nothing."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime

import openpyxl
import pytest
import tablib
from django.db import transaction
from import_export.formats.base_formats import XLSX

from standards.models import Office
from surveys.errors import (
    NotAllowed,
    OfficeNotInvited,
    ResponseExists,
    ResponseNotEditable,
    RoundClosed,
    SequenceUnavailable,
    WorkflowError,
)
from surveys.intake.recording import invitation_lock, response_overwrite_for_office, response_record_for_office
from surveys.intake.resources import NumberingSystemResource, ResponseResource
from surveys.intake.spreadsheets import (
    CellError,
    ImportInvalid,
    RowProblem,
    SheetReader,
    decode_answer,
    encode_answer,
    import_row,
)
from surveys.models import Invitation, NumberingSystem, ResponseRevision, ResponseStatus, SurveyResponse, SurveyRound
from surveys.questionnaire.edition import Question

pytestmark = pytest.mark.django_db

HEADERS = ["round", "office", "numbering_system", "sequence", "q1a", "q1b", "q2a", "q4a", "q4b", "q4c", "q5a"]
ROUND = "application-numbering-2012"


def row(**cells):
    base = {"round": ROUND, "office": "MD", "numbering_system": "Trademarks", "sequence": ""}
    base.update(cells)
    return [base.get(h, "") for h in HEADERS]


def snapshot():
    return (
        SurveyResponse.objects.count(),
        NumberingSystem.objects.count(),
        ResponseRevision.objects.count(),
        list(SurveyResponse.objects.values_list("pk", "version", "answers", "set_aside_answers")),
    )


@pytest.fixture
def importer(secretariat_reviewer):
    return secretariat_reviewer


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    written: bool = False


def responses_import(*, headers, rows, user):
    """A whole sheet through the import writer, all or nothing, as the admin import runs it:
    any problem in any row, and nothing is written."""
    report = ImportReport()
    with transaction.atomic():
        reader = SheetReader(headers)
        report.problems.extend(reader.header_problems)
        for number, values in enumerate(rows, start=2):
            try:
                outcome = import_row(reader, dict(zip(headers, values, strict=False)), number=number, user=user)
            except ImportInvalid as exc:
                report.problems.extend(exc.problems)
                continue
            if outcome is not None:
                getattr(report, outcome.action).append(outcome.response)
        if report.problems:
            transaction.set_rollback(True)
        else:
            report.written = True
    return report


# --- cells ----------------------------------------------------------------------------


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


# --- the import service ---------------------------------------------------------------


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


# --- the shared services: responses recorded for an office ------------------------------


def test_a_command_records_a_published_response_in_a_closed_round_inviting_the_office(survey_round):
    closed = survey_round
    closed.status = SurveyRound.Status.CLOSED
    closed.save(update_fields=["status"])
    office = Office.objects.get(pk="FR")  # not invited to the round
    answers = {"q2a": ["serial"], "q4a": "fixed", "q4b": {"serial": 6}, "q4c": {"serial": {"min": 4, "max": 6}}}

    response = response_record_for_office(
        survey_round=closed,
        office=office,
        numbering_system_label=" Patents ",
        answers=answers,
        user=None,
        note="imported from fr-001.txt",
        status=ResponseStatus.PUBLISHED,
        invite=True,
        require_open_round=False,
    )

    response.refresh_from_db()
    assert (response.office_id, response.sequence, response.status, response.version) == ("FR", 1, "published", 1)
    assert response.published_at is not None and response.created_by is None and response.updated_by is None
    assert response.numbering_system.label == "Patents"
    assert response.answers == {"q2a": ["serial"], "q4a": "fixed", "q4b": {"serial": 6}}
    # q4c applies only to variable lengths: set aside, as in a saved draft.
    assert response.set_aside_answers == {"q4c": {"serial": {"min": 4, "max": 6}}}
    assert Invitation.objects.filter(round=closed, office_id="FR").count() == 1
    revision = response.revisions.get()
    assert (revision.version, revision.status, revision.author, revision.note, revision.changed) == (
        1,
        "published",
        None,
        "imported from fr-001.txt",
        ["q2a", "q4a", "q4b", "q4c"],
    )
    # The next response takes the next number; the invitation is not made twice.
    second = response_record_for_office(
        survey_round=closed,
        office=office,
        numbering_system_label="Trademarks",
        answers={},
        user=None,
        note="placeholder",
        invite=True,
        require_open_round=False,
    )
    assert (second.sequence, second.status, second.published_at, second.answers) == (2, "draft", None, {})
    assert Invitation.objects.filter(round=closed, office_id="FR").count() == 1
    with transaction.atomic():
        assert invitation_lock(survey_round=closed, office=office, user=None, invite=True)[1] is False


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [
        ({"office": "FR"}, OfficeNotInvited, "FR (France) is not invited to the round “Questionnaire on application"),
        ({"sequence": 1}, SequenceUnavailable, "md-001 (“Patents”) already has number 1 in this round."),
        ({"sequence": 0}, SequenceUnavailable, "Response numbers start at 1."),
        (
            {"numbering_system_label": "PATENTS"},
            ResponseExists,
            "MD's numbering system “Patents” already has a response",
        ),
        ({"numbering_system_label": "  "}, WorkflowError, "Give the numbering system a name."),
        ({"answers": {"q99": "x"}}, WorkflowError, "Unknown question ID(s): q99."),
    ],
)
def test_recording_for_an_office_refuses_and_writes_nothing(
    make_response, office_a_respondent, importer, overrides, error, message
):
    existing = make_response(office_a_respondent, {"q1b": "1992"}, label="Patents")
    arguments = {
        "survey_round": existing.round,
        "office": existing.office,
        "numbering_system_label": "Trademarks",
        "answers": {"q1b": "1992"},
        "user": importer,
        "note": "recorded",
        **overrides,
    }
    if "office" in overrides:
        arguments["office"] = Office.objects.get(pk=overrides["office"])
    before = snapshot()

    with pytest.raises(error) as excinfo:
        response_record_for_office(**arguments)

    assert str(excinfo.value).startswith(message)
    assert snapshot() == before
    assert not Invitation.objects.filter(office_id="FR").exists()


def test_recording_for_an_office_needs_the_secretariat_an_open_round_and_a_recordable_status(
    survey_round, office_a_approver, importer
):
    office = office_a_approver.membership.office
    arguments = {
        "survey_round": survey_round,
        "office": office,
        "numbering_system_label": "Trademarks",
        "answers": {},
        "note": "recorded",
    }
    with pytest.raises(NotAllowed, match="Only the International Bureau"):
        response_record_for_office(**arguments, user=office_a_approver)
    with pytest.raises(ValueError, match="is draft or published, not “submitted”."):
        response_record_for_office(**arguments, user=importer, status=ResponseStatus.SUBMITTED)
    survey_round.status = SurveyRound.Status.CLOSED
    survey_round.save(update_fields=["status"])
    with pytest.raises(RoundClosed, match="is closed"):
        response_record_for_office(**arguments, user=importer)
    assert SurveyResponse.objects.count() == 0 and NumberingSystem.objects.count() == 0


def test_overwriting_for_an_office_moves_publishes_and_then_refuses(make_response, office_a_respondent, importer):
    response = make_response(office_a_respondent, {"q2a": ["serial"], "q4a": "fixed", "q4b": {"serial": 6}})
    answers = {"q2a": ["serial"], "q4a": "variable", "q4c": {"serial": {"min": 4, "max": 6}}}
    arguments = {"answers": answers, "user": importer, "note": "corrected by the IB"}

    overwritten, written = response_overwrite_for_office(
        response=response, **arguments, status=ResponseStatus.PUBLISHED, numbering_system_label="Patents"
    )

    assert written and overwritten.pk == response.pk
    response.refresh_from_db()
    assert (response.status, response.version, response.updated_by) == ("published", 3, importer)
    assert response.published_at is not None
    assert response.numbering_system.label == "Patents"
    assert NumberingSystem.objects.filter(office_id="MD", label="Trademarks").exists()
    assert response.answers == answers
    # The fixed length no longer applies and was not given again: set aside, not lost.
    assert response.set_aside_answers == {"q4b": {"serial": 6}}
    latest = response.revisions.order_by("-version").first()
    assert (latest.version, latest.status, latest.author, latest.note, latest.changed) == (
        3,
        "published",
        importer,
        "corrected by the IB",
        ["q4a", "q4c"],
    )
    # The same again changes nothing and records nothing, even though it is published now.
    again, written = response_overwrite_for_office(response=response, **arguments, numbering_system_label="patents")
    assert not written and again.version == 3 and response.revisions.count() == 3
    with pytest.raises(ResponseNotEditable, match=r"^md-001 is published; an import only overwrites draft or"):
        response_overwrite_for_office(response=response, **{**arguments, "answers": {"q1b": "1993"}})
    with pytest.raises(SequenceUnavailable, match=r"^This response is md-001 \(number 1\), not number 2\.$"):
        response_overwrite_for_office(response=response, **arguments, sequence=2)
    response.refresh_from_db()
    assert (response.version, response.answers) == (3, answers)


# --- the import-export resource -------------------------------------------------------


def xlsx_dataset(headers, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    stream = io.BytesIO()
    book.save(stream)
    return XLSX().create_dataset(stream.getvalue())


def test_xlsx_import_with_one_bad_row_writes_nothing_and_reports_row_and_column(survey_round, importer):
    """Acceptance (issue 3): the file's first row is good, its second has an unknown choice."""
    dataset = xlsx_dataset(HEADERS, [row(q1a="trademarks", q1b=1992), row(numbering_system="Patents", q1a="rockets")])
    before = snapshot()
    result = ResponseResource().import_data(dataset, dry_run=False, user=importer)
    assert snapshot() == before
    assert result.has_validation_errors() and not result.has_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 3
    assert invalid.field_specific_errors == {
        "q1a": [
            "unknown choice 'rockets'; the codes are: patents, pct_national, plant_patents, utility_models, "
            "industrial_designs, trademarks, spc, layout_designs, other."
        ]
    }


def test_export_of_moldova_imports_into_a_fresh_round_with_identical_answers(
    make_response, office_a_respondent, moldova_answers, importer, edition
):
    moldova = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    # As the admin exports to XLSX: numbers stay numbers.
    dataset = ResponseResource().export(SurveyResponse.objects.filter(pk=moldova.pk), force_native_type=True)
    exported = XLSX().export_data(dataset)
    sheet = XLSX().create_dataset(exported)
    assert sheet.headers[:5] == ["round", "office", "numbering_system", "sequence", "status"]
    assert sheet.headers[5:] == [q.id for q in edition.structure.questions]
    cells = dict(zip(sheet.headers, sheet[0], strict=True))
    assert {k: cells[k] for k in ("round", "office", "numbering_system", "sequence", "status")} == {
        "round": ROUND,
        "office": "MD",
        "numbering_system": "Trademarks",
        "sequence": 1,
        "status": "draft",
    }
    assert (cells["q1a"], cells["q4b"], cells["q3b"], cells["q1b"], cells["q4c"]) == (
        "trademarks",
        "serial=6",
        "serial",
        "1992",
        None,
    )
    assert cells["q14c"] == '[{"serial_position": "1-6"}]'

    fresh = SurveyRound.objects.create(
        edition=edition,
        slug="application-numbering-2013",
        title="Application numbering (2013)",
        year=2013,
        opens_on=date(2013, 3, 1),
        closes_on=date(2013, 12, 31),
    )
    Invitation.objects.create(round=fresh, office_id="MD")
    rows = [list(values) for values in sheet]
    rows[0][0] = fresh.slug
    again = tablib.Dataset(*rows, headers=sheet.headers)
    result = ResponseResource().import_data(XLSX().create_dataset(XLSX().export_data(again)), user=importer)
    assert not result.has_errors() and not result.has_validation_errors()
    imported = SurveyResponse.objects.get(round=fresh)
    assert imported.answers == moldova.answers == moldova_answers
    assert imported.set_aside_answers == moldova.set_aside_answers == {}
    assert imported.numbering_system == moldova.numbering_system and imported.sequence == 1


def test_response_export_query_count_does_not_grow(
    make_response, office_a_respondent, moldova_answers, django_assert_num_queries
):
    make_response(office_a_respondent, moldova_answers, label="System 0")
    resource = ResponseResource()
    with django_assert_num_queries(1):
        assert len(resource.export(SurveyResponse.objects.for_listing())) == 1
    for i in range(1, 8):
        make_response(office_a_respondent, moldova_answers, label=f"System {i}")
    with django_assert_num_queries(1):
        assert len(resource.export(SurveyResponse.objects.for_listing())) == 8


def test_numbering_systems_import_by_office_and_label(reference_data, importer):
    NumberingSystem.objects.create(office_id="MD", label="Trademarks")
    dataset = tablib.Dataset(["MD", "trademarks"], ["MD", "=Designs"], [" EP ", "Patents"], headers=["office", "label"])
    result = NumberingSystemResource().import_data(dataset, user=importer)
    assert not result.has_errors() and not result.has_validation_errors()
    assert [r.import_type for r in result.rows] == ["update", "new", "new"]
    assert sorted(NumberingSystem.objects.values_list("office_id", "label", "created_by")) == [
        ("EP", "Patents", importer.pk),
        ("MD", "=Designs", importer.pk),
        ("MD", "trademarks", None),
    ]
    exported = NumberingSystemResource().export(NumberingSystem.objects.order_by("office_id", "label"))
    # A label a spreadsheet would run as a formula is written after an apostrophe.
    assert exported.dict == [
        {"office": "EP", "label": "Patents"},
        {"office": "MD", "label": "'=Designs"},
        {"office": "MD", "label": "trademarks"},
    ]


def test_numbering_system_import_with_a_bad_office_writes_nothing(reference_data, importer):
    dataset = tablib.Dataset(["MD", "Trademarks"], ["XX", "Patents"], ["ep", "Designs"], headers=["office", "label"])
    result = NumberingSystemResource().import_data(dataset, user=importer)
    assert NumberingSystem.objects.count() == 0
    assert [(r.number, r.field_specific_errors) for r in result.invalid_rows] == [
        (3, {"office": ["no office has the ST.3 code 'XX'."]}),
        (4, {"office": ["'ep' is not an ST.3 code: two capital letters expected (e.g. MD, EP)."]}),
    ]


def test_reviewed_responses_come_back_unchanged_or_are_refused(
    make_response, office_a_respondent, moldova_answers, importer
):
    published = make_response(office_a_respondent, moldova_answers, publish=True)
    sheet = ResponseResource().export(SurveyResponse.objects.filter(pk=published.pk))
    headers, [values] = sheet.headers, [list(r) for r in sheet]
    report = responses_import(headers=headers, rows=[values], user=importer)
    assert report.problems == [] and report.unchanged == [published]
    values[headers.index("q1b")] = "1993"
    report = responses_import(headers=headers, rows=[values], user=importer)
    assert [str(p) for p in report.problems] == [
        "Row 2, column status: md-001 is published; an import only overwrites draft or returned responses."
    ]
    published.refresh_from_db()
    assert published.answers == moldova_answers and published.version == 5
