"""The import-export resources: an XLSX import with one bad row writes nothing, an export of
Moldova imports into a fresh round with identical answers, the export's query count,
numbering systems by office and label, and reviewed responses that come back unchanged."""

from __future__ import annotations

import io

import openpyxl
import pytest
import tablib
from import_export.formats.base_formats import XLSX

from surveys.intake.resources import NumberingSystemResource, ResponseResource
from surveys.models import NumberingSystem, SurveyResponse
from tests.surveys.spreadsheet_helpers import HEADERS, ROUND, responses_import, row, snapshot

pytestmark = pytest.mark.django_db


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
    make_response, office_a_respondent, moldova_answers, importer, edition, fresh_round
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

    fresh = fresh_round
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
