"""Editions as authoring spreadsheets (surveys/questionnaire/spreadsheet.py): the 2012
edition goes out and comes back identical; every error of a spreadsheet names its cell;
conditions in words are read into the engine's trees and written back."""

from __future__ import annotations

import io
import zipfile

import pytest

from surveys.questionnaire import condition_syntax, spreadsheet
from surveys.questionnaire.edition import Edition
from surveys.questionnaire.loading import EDITIONS_DIR, checksum
from tests.surveys.edition_sheets import book, definition_2012, small_sheets

# --- the round trip ------------------------------------------------------------------------


def test_the_2012_edition_comes_back_from_its_spreadsheet_identical():
    definition = definition_2012()
    data = spreadsheet.workbook(definition)
    back, problems = spreadsheet.read(io.BytesIO(data))
    assert problems == []
    assert checksum(back) == checksum(definition)
    assert back == definition  # the translations too


def test_the_spreadsheet_is_laid_out_as_xlsform_authors_expect():
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(spreadsheet.workbook(definition_2012())), read_only=True)
    assert workbook.sheetnames == ["survey", "choices", "settings", "introduction", "instructions", "examples"]
    survey = [list(r) for r in workbook["survey"].iter_rows(values_only=True)]
    header = survey[0]
    assert header[:5] == ["type", "name", "label::English (en)", "label::Français (fr)", "label::Español (es)"]
    rows = {
        r[1]: dict(zip(header, r, strict=False)) for r in survey[1:] if r[0] not in ("begin section", "end section")
    }
    assert rows["q1a"]["type"] == "select_multiple q1a"
    assert rows["q3a"]["type"] == "select_one q3a"
    assert rows["q5b"]["type"] == "grid q5b_columns"
    assert rows["q4b"]["type"] == "part_lengths"
    assert rows["q1a_other"]["relevant"] == "selected(${q1a}, 'other')"
    assert rows["q3b"]["relevant"] == "${q3a} = 'other'"
    assert rows["q14c"]["constraint"] == "min_rows=0; max_rows=1"
    assert rows["q4c"]["constraint"] == "range=yes"
    settings = [list(r) for r in workbook["settings"].iter_rows(values_only=True)]
    assert settings[1][0] == "application-numbering-2012"


def test_text_that_a_spreadsheet_would_take_for_a_formula_comes_back_as_written():
    definition = definition_2012()
    definition["introduction"][0] = {"en": "=SUM(A1)", "fr": "-5 jours", "es": "+44 20"}
    back, problems = spreadsheet.read(io.BytesIO(spreadsheet.workbook(definition)))
    assert not problems
    assert back["introduction"][0] == {"en": "=SUM(A1)", "fr": "-5 jours", "es": "+44 20"}


def test_a_revision_mapping_goes_out_and_comes_back():
    definition = Edition(_small_definition()).definition
    definition = {**definition, "revises": _mapping()}
    back, problems = spreadsheet.read(io.BytesIO(spreadsheet.workbook(definition)))
    assert [p for p in problems if p.error] == []
    assert back["revises"] == definition["revises"]


def _small_definition() -> dict:
    definition, problems = spreadsheet.read(book(small_sheets()))
    assert [str(p) for p in problems] == []
    return definition


def _mapping() -> dict:
    return {
        "edition": "application-numbering-2012",
        "questions": [
            {"kind": "renamed", "old": ["q1a"], "new": ["q1"], "note": {"en": "Fewer kinds", "fr": "Moins de types"}},
            {"kind": "split", "old": ["q5a"], "new": ["q2", "q3"]},
            {"kind": "removed", "old": ["q12a", "q12b"], "new": []},
            {"kind": "added", "old": [], "new": ["q1_other"]},
        ],
        "choices": [
            {"old_question": "q1a", "new_question": "q1", "old": ["patents", "pct_national"], "new": "patents"},
            {"old_question": "q1a", "new_question": "q1", "old": ["spc"], "new": None},
        ],
    }


def test_a_small_spreadsheet_is_read_into_the_engines_definition():
    definition = _small_definition()
    edition = Edition(definition)
    q1, q1_other, q2, q3 = edition.questions
    assert (q1.type, q1.choice_codes, q1.required) == ("multi", ("patents", "marks", "other"), True)
    assert q1_other.condition == {"has": ["q1", "other"]}
    assert q3.condition == {"all": [{"eq": ["q2", "yes"]}, {"not": {"in": ["q1", ["other"]]}}]}
    assert q3.type == "int" and q3.required is False
    assert edition.title == {
        "en": "A test questionnaire",
        "fr": "Un questionnaire d'essai",
        "es": "Un cuestionario de prueba",
    }


# --- one error of each kind, each naming its cell ------------------------------------------------


def _spreadsheet_with_every_error():
    sheets = small_sheets()
    survey = sheets["survey"]
    end = survey.pop()
    # Row 4 (q1_other) looks at q3, which comes later; row 6 (q3) at a question that does not exist.
    survey[3][6] = "${q3} = '4'"
    survey[5][6] = "${q9z} = 'yes'"
    survey += [
        ["colour", "q7", "Favourite colour?", "Couleur ?", "¿Color?", "no", "", 3, "a"],  # row 7
        ["text", "q2", "Again q2", "Encore", "Otra vez", "no", "", 3, "b"],  # row 8
        ["select_one nolist", "q8", "From a missing list", "Liste absente", "Lista ausente", "no", "", 3, "c"],  # 9
        ["text", "q9", "Bad condition", "Mauvaise condition", "Mala condición", "no", "${q2} = 'yes' and", 3, "d"],
        ["text", "q10", "Untranslated", "", "Sin traducir", "no", "${q2} = 'maybe'", 3, "e"],  # row 11
        end,
    ]
    sheets["settings"][1][7] = "application-numbering-2012"
    sheets["mapping"] = [
        ["kind", "old", "new", "old_choice", "new_choice"],
        ["moved", "q1a", "q1"],
        ["renamed", "q1a", "q99"],
        ["choice", "q3a", "q1", "st13", "nothing"],
    ]
    return book(sheets)


def test_every_error_of_a_spreadsheet_names_its_sheet_row_and_column():
    _definition, problems = spreadsheet.read(_spreadsheet_with_every_error())
    errors = {str(p) for p in problems if p.error}
    expected = {
        "survey!G4 (relevant): the condition names q3, which comes later: "
        "a condition may only look at earlier questions",
        "survey!G6 (relevant): the condition names q9z, which is not a question of this edition",
        "survey!B8 (name): duplicate ID: q2 is already the question of row 5",
        "survey!A9 (type): the choice list “nolist” does not exist in the choices sheet",
        "survey!G10 (relevant): the condition cannot be read at character 18: "
        "expected a question such as ${q5a}, selected(…), answered(…), not or (, found the end of the condition",
        "survey!G11 (relevant): q2 has no choice “maybe” (its codes: yes, no)",
        "mapping!A2 (kind): unknown kind “moved”; the kinds are: same, renamed, split, merged, removed, added, choice",
        "mapping!C3 (new): q99 is not a question of this edition",
        "mapping!E4 (new_choice): q1 has no choice “nothing” (its codes: patents, marks, other)",
    }
    assert expected <= errors, sorted(errors - expected)
    unknown_type = next(p for p in problems if p.cell == "survey!A7")
    assert unknown_type.message.startswith("unknown type “colour”; the types are: select_one <list>")
    assert "partial_date" in unknown_type.message
    assert len(errors) == len(expected) + 1
    # A missing translation is a warning, not an error.
    missing = [p for p in problems if not p.error]
    assert [str(p) for p in missing] == [
        "survey!D11 (label::Français (fr)): no French text: readers in French will see the English one"
    ]


def test_a_spreadsheet_with_an_error_gives_no_definition_to_load():
    with pytest.raises(spreadsheet.SpreadsheetError) as caught:
        spreadsheet.definition_from(_spreadsheet_with_every_error())
    assert "survey!A9 (type)" in str(caught.value)


def test_a_file_that_is_no_workbook_is_refused_with_a_reason():
    _definition, problems = spreadsheet.read(io.BytesIO(b"not a workbook"))
    assert len(problems) == 1 and problems[0].error
    assert "not an XLSX workbook" in problems[0].message


def test_missing_sheets_and_settings_are_named():
    sheets = small_sheets()
    del sheets["survey"]
    sheets["settings"][1][0] = "Not A Slug"
    sheets["settings"][1][5] = "soon"
    _definition, problems = spreadsheet.read(book(sheets))
    found = {str(p) for p in problems}
    assert "survey: the workbook has no sheet named “survey”" in found
    assert "settings!A2 (form_id): use lower-case letters, digits and hyphens only (at most 80)" in found
    assert "settings!F2 (year): “soon” is not a whole number" in found


def test_a_sheet_longer_than_the_cap_is_refused():
    sheets = small_sheets()
    sheets["choices"] += [["long", f"c{i}", f"Choice {i}", "", ""] for i in range(30)]
    _definition, problems = spreadsheet.read(book(sheets), max_rows=20)
    assert [str(p) for p in problems] == ["choices: this sheet has more than 20 rows besides the header"]


def test_a_workbook_that_would_unpack_to_too_much_is_refused_before_it_is_read():
    # A zip bomb in the shape of a workbook: a few hundred kilobytes that unpack to 40 MB of
    # shared strings, which a spreadsheet reader would hold in memory whole.
    packed = io.BytesIO()
    source = zipfile.ZipFile(book(small_sheets()))
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            archive.writestr(member.filename, source.read(member.filename))
        archive.writestr("xl/padding.xml", b"<a>" + b" " * (40 * 1024 * 1024) + b"</a>")
    assert packed.tell() < 1024 * 1024
    packed.seek(0)
    _definition, problems = spreadsheet.read(packed)
    assert [str(p) for p in problems] == [
        f"file: this workbook unpacks to 40.0 MB in {len(source.infolist()) + 1} parts; "
        "at most 32 MB in 500 parts are read. "
        "Save it again without images, embedded files or unused sheets."
    ]


def test_the_2026_workbook_is_well_within_the_unpacked_limits():
    with zipfile.ZipFile(EDITIONS_DIR / "application-numbering-2026.xlsx") as archive:
        members = archive.infolist()
    assert sum(m.file_size for m in members) * 50 < spreadsheet.MAX_UNPACKED_BYTES
    assert len(members) * 10 < spreadsheet.MAX_MEMBERS


# --- conditions in words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("${q5a} = 'yes'", {"eq": ["q5a", "yes"]}),
        ("${q3a} != 'x'", {"not": {"eq": ["q3a", "x"]}}),
        ("selected(${q2a}, 'year')", {"has": ["q2a", "year"]}),
        ("${q6b} in ('2','4')", {"in": ["q6b", ["2", "4"]]}),
        ("${q6b} = 4", {"eq": ["q6b", "4"]}),
        ("answered(${q2a})", {"answered": "q2a"}),
        ("${q2a} != ''", {"answered": "q2a"}),
        ("${q2a} = ''", {"not": {"answered": "q2a"}}),
        ("${a} = \"it's\" or ${b} = 'it''s'", {"any": [{"eq": ["a", "it's"]}, {"eq": ["b", "it's"]}]}),
        (
            "${a} = 'x' and ${b} = 'y' or not(${c} = 'z')",
            {"any": [{"all": [{"eq": ["a", "x"]}, {"eq": ["b", "y"]}]}, {"not": {"eq": ["c", "z"]}}]},
        ),
        (
            "(${a} = 'x' and ${b} = 'y') and ${c} = 'z'",
            {"all": [{"all": [{"eq": ["a", "x"]}, {"eq": ["b", "y"]}]}, {"eq": ["c", "z"]}]},
        ),
        ("", None),
    ],
)
def test_conditions_in_words_become_the_engines_trees_and_back(text, tree):
    assert condition_syntax.parse(text) == tree
    assert condition_syntax.parse(condition_syntax.write(tree)) == tree


def test_every_condition_of_the_2012_edition_is_written_and_read_back():
    for section in definition_2012()["sections"]:
        for question in section["questions"]:
            tree = question.get("condition")
            assert condition_syntax.parse(condition_syntax.write(tree)) == tree


@pytest.mark.parametrize(
    ("text", "position", "reason"),
    [
        ("${q5a} = ", 10, "expected a code in quotes, e.g. 'yes', found the end of the condition"),
        ("${q5a} = 'yes", 10, "the quote ' is not closed"),
        ("$q5a = 'yes'", 1, "a question is written ${id}, e.g. ${q5a}"),
        ("(${q5a} = 'yes'", 16, "expected a closing parenthesis, found the end of the condition"),
        ("${q5a} 'yes'", 8, "expected =, != or in after the question, found 'yes'"),
        ("${q5a} = 'yes' ${q6a} = 'no'", 16, "expected and, or or the end, found ${q6a}"),
    ],
)
def test_a_condition_that_cannot_be_read_says_where_and_why(text, position, reason):
    with pytest.raises(condition_syntax.ConditionSyntaxError) as caught:
        condition_syntax.parse(text)
    assert (caught.value.position, caught.value.reason) == (position, reason)


def test_the_problems_are_told_in_the_readers_language():
    from django.utils import translation

    sheets = small_sheets()
    sheets["survey"][3][6] = "${q9z} = 'yes'"
    sheets["survey"][4][6] = "${q1} = "
    with translation.override("fr"):
        _definition, problems = spreadsheet.read(book(sheets))
    assert {str(p) for p in problems} == {
        "survey!G4 (relevant): la condition nomme q9z, qui n'est pas une question de cette édition",
        "survey!G5 (relevant): la condition est illisible au caractère 8\u00a0: "
        "un code entre apostrophes attendu, par exemple 'yes', trouvé la fin de la condition",
    }
