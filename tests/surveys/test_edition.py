"""The 2012 edition definition matches QUESTIONNAIRE.md, and bad definitions are refused."""

import copy
import json

import pytest

from surveys.questionnaire.edition import DefinitionError, Edition
from tests.conftest import EDITION_FILE

# (id, type, required, condition) — transcribed from QUESTIONNAIRE.md, in order.
SPEC = [
    ("q1a", "multi", True, None),
    ("q1a_other", "text", True, {"has": ["q1a", "other"]}),
    ("q1b", "partial_date", True, None),
    ("q2a", "multi", True, None),
    ("q2a_other", "text", True, {"has": ["q2a", "other"]}),
    ("q3a", "single", True, None),
    ("q3b", "order", True, {"eq": ["q3a", "other"]}),
    ("q4a", "single", True, None),
    ("q4b", "part_lengths", True, {"eq": ["q4a", "fixed"]}),
    ("q4c", "part_lengths", True, {"eq": ["q4a", "variable"]}),
    ("q5a", "yesno", True, None),
    ("q5b", "grid", True, {"eq": ["q5a", "yes"]}),
    ("q5c", "single", True, {"eq": ["q5a", "yes"]}),
    ("q6a", "yesno", True, None),
    ("q6b", "single", True, {"eq": ["q6a", "yes"]}),
    ("q6c", "single", True, {"eq": ["q6a", "yes"]}),
    ("q6c_other", "text", True, {"eq": ["q6c", "other"]}),
    ("q7a", "yesno", True, None),
    ("q7b", "single", True, {"eq": ["q7a", "yes"]}),
    ("q7c", "yesno", True, {"eq": ["q7a", "yes"]}),
    ("q7d", "yesno", True, {"eq": ["q7a", "yes"]}),
    ("q7e", "yesno", True, {"eq": ["q7a", "yes"]}),
    ("q7f", "yesno", True, {"eq": ["q7a", "yes"]}),
    ("q8a", "yesno", True, None),
    ("q8b", "grid", True, {"eq": ["q8a", "yes"]}),
    ("q8c", "single", True, {"eq": ["q8a", "yes"]}),
    ("q8c_other", "text", True, {"eq": ["q8c", "other"]}),
    ("q9a", "yesno", True, None),
    ("q9b", "single", True, {"eq": ["q9a", "yes"]}),
    ("q9c", "single", True, {"eq": ["q9a", "yes"]}),
    ("q9c_other", "text", True, {"eq": ["q9c", "other"]}),
    ("q10a", "yesno", True, None),
    ("q10b", "text", True, {"eq": ["q10a", "yes"]}),
    ("q11a", "yesno", True, None),
    ("q11b", "multi", True, {"eq": ["q11a", "yes"]}),
    ("q11b_other", "text", True, {"has": ["q11b", "other"]}),
    ("q11c", "yesno", True, {"eq": ["q11a", "yes"]}),
    ("q12a", "yesno", True, None),
    ("q12b", "text", True, {"eq": ["q12a", "no"]}),
    ("q13a", "yesno", True, None),
    ("q13b", "yesno", True, {"eq": ["q13a", "no"]}),
    ("q13c", "partial_date", False, {"eq": ["q13b", "yes"]}),
    ("q14a", "grid", True, None),
    ("q14b", "partial_date", False, None),
    ("q14c", "grid", False, None),
    ("q14d", "text", False, None),
]

CHOICES = {
    "q1a": [
        "patents",
        "pct_national",
        "plant_patents",
        "utility_models",
        "industrial_designs",
        "trademarks",
        "spc",
        "layout_designs",
        "other",
    ],
    "q2a": ["type", "year", "serial", "internal", "control", "other"],
    "q3a": ["st13", "other"],
    "q4a": ["fixed", "variable"],
    "q5c": ["yes", "partly", "no"],
    "q6b": ["2", "4"],
    "q6c": ["gregorian", "other"],
    "q7b": ["fixed", "variable"],
    "q8c": ["serial_first_two", "other"],
    "q9b": ["serial_last", "separate", "other"],
    "q11b": ["slash", "hyphen", "space", "dot", "comma", "other"],
}


def test_every_question_of_the_specification_in_order(edition_structure):
    got = [(q.id, q.type, q.required, q.condition) for q in edition_structure.questions]
    assert got == SPEC


@pytest.mark.parametrize(("qid", "codes"), CHOICES.items())
def test_choice_codes_are_the_stable_codes(edition_structure, qid, codes):
    assert list(edition_structure.by_id[qid].choice_codes) == codes


def test_check_digit_choices_come_from_the_standards_catalogue(edition_structure):
    from standards import checkdigits

    q9c = edition_structure.by_id["q9c"]
    assert q9c.catalogue == "check_digits"
    assert {"ep_mod10_w12", "cn_mod11", "other"} <= set(q9c.choice_codes)
    assert all(code in checkdigits.CATALOGUE for code in q9c.choice_codes if code != "other")


def test_sections_examples_and_texts(edition_structure):
    assert [s.id for s in edition_structure.sections] == [
        "ipr_types", "parts", "ordering", "length", "type_codes", "year", "serial",
        "internal_code", "control_number", "other_information", "separators", "priority",
        "compliance", "examples",
    ]  # fmt: skip
    assert len(edition_structure.introduction) == 10
    assert sorted(edition_structure.examples) == list(range(1, 21))
    assert "15" in edition_structure.sections[3].reminder["en"]  # the fixed length of ST.13
    referenced = {n for s in edition_structure.sections for n in s.examples}
    referenced |= {n for q in edition_structure.questions for n in q.examples}
    referenced |= {n for i in edition_structure.instructions for n in i.examples}
    assert referenced == set(range(1, 21))


def test_structure_of_composite_questions(edition_structure):
    by_id = edition_structure.by_id
    assert by_id["q3b"].parts_from == by_id["q4b"].parts_from == by_id["q4c"].parts_from == "q2a"
    assert by_id["q4c"].range and not by_id["q4b"].range
    assert by_id["q5b"].rows_from == "q1a" and [c.id for c in by_id["q5b"].columns] == ["code"]
    assert [c.id for c in by_id["q8b"].columns] == ["code", "meaning"] and by_id["q8b"].min_rows == 1
    assert [c.id for c in by_id["q14a"].columns] == ["office_name", "example", "priority_presentation"]
    assert [c.id for c in by_id["q14c"].columns] == [
        "description", "ipr_types", "year", "serial_position", "internal_code", "control_number",
    ]  # fmt: skip
    assert by_id["q14c"].max_rows == 1
    assert by_id["q14d"].attachment


def _definition():
    return json.loads(EDITION_FILE.read_text(encoding="utf-8"))


def _question(d, qid):
    return next(q for s in d["sections"] for q in s["questions"] if q["id"] == qid)


def _break_forward_reference(d):
    _question(d, "q1a")["condition"] = {"eq": ["q4a", "fixed"]}


def _break_unknown_operator(d):
    _question(d, "q4b")["condition"] = {"equals": ["q4a", "fixed"]}


def _break_unknown_code(d):
    _question(d, "q4b")["condition"] = {"eq": ["q4a", "fixd"]}


def _break_duplicate_id(d):
    _question(d, "q1b")["id"] = "q1a"


def _break_has_on_single(d):
    _question(d, "q4b")["condition"] = {"has": ["q4a", "fixed"]}


def _break_missing_english(d):
    _question(d, "q2a")["text"] = {"fr": "Parties"}


def _break_example_gap(d):
    d["examples"].pop(4)


def _break_catalogue(d):
    _question(d, "q9c")["choices"].append({"code": "luhn_made_up", "label": {"en": "x"}})


def _break_parts_source(d):
    _question(d, "q4b")["parts_from"] = "q3a"


def _break_type(d):
    _question(d, "q1b")["type"] = "date"


@pytest.mark.parametrize(
    ("breaker", "message"),
    [
        (_break_forward_reference, "question q1a: condition refers to 'q4a', which is not an earlier question"),
        (_break_unknown_operator, "question q4b: unknown condition operator 'equals'"),
        (_break_unknown_code, "question q4b: condition compares q4a with 'fixd', which is not one of its codes"),
        (_break_duplicate_id, "question q1a: this id is used twice"),
        (_break_has_on_single, "question q4b: has applies to multi questions; q4a is single"),
        (_break_missing_english, 'question q2a.text: a text object with a non-empty "en" entry is required'),
        (_break_example_gap, "examples: examples must be numbered 1, 2, 3 … without gaps"),
        (_break_catalogue, "question q9c: choices ['luhn_made_up'] are not in the check_digits catalogue"),
        (_break_parts_source, "question q4b: parts_from must name an earlier multi question (got 'q3a')"),
        (_break_type, "question q1b: unknown type 'date'"),
    ],
)
def test_bad_definitions_are_refused_with_place_and_reason(breaker, message):
    d = copy.deepcopy(_definition())
    breaker(d)
    with pytest.raises(DefinitionError) as exc:
        Edition(d)
    assert str(exc.value) == message


@pytest.mark.django_db
def test_loading_is_idempotent_and_immutable_once_answered(edition, make_response, office_a_respondent, tmp_path):
    from surveys.questionnaire.loading import edition_load

    again, outcome = edition_load(EDITION_FILE)
    assert (again.pk, outcome) == (edition.pk, "unchanged")
    make_response(office_a_respondent, {"q1a": ["trademarks"]})
    changed = _definition()
    changed["version"] = "2012.2"
    _question(changed, "q1a")["text"]["en"] = "Reworded"
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(changed), encoding="utf-8")
    with pytest.raises(DefinitionError, match="already has responses"):
        edition_load(path)
    edition.refresh_from_db()
    assert edition.version == "2012.1"


@pytest.mark.django_db
def test_load_edition_command_reports_a_broken_file(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid UTF-8 JSON"):
        call_command("load_edition", str(path))


@pytest.mark.django_db
def test_translations_can_be_added_after_offices_answered(edition, make_response, office_a_respondent, tmp_path):
    from surveys.questionnaire.loading import edition_load

    make_response(office_a_respondent, {"q1a": ["trademarks"]})
    translated = _definition()
    _question(translated, "q1a")["text"]["fr"] = "Quels types de droits ce système numérote-t-il ?"
    path = tmp_path / "translated.json"
    path.write_text(json.dumps(translated), encoding="utf-8")
    loaded, outcome = edition_load(path)
    assert outcome == "translations updated" and loaded.pk == edition.pk
    loaded.refresh_from_db()
    assert loaded.structure.by_id["q1a"].text["fr"].startswith("Quels types")
