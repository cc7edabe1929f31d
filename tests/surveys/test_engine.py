"""The branching engine: every condition of the edition, validation per type, warnings."""

import pytest

from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.types.partial_date import format_partial_date, parse_partial_date

# gated question → (answers that open it, answers that keep it closed)
CONDITIONS = {
    "q1a_other": ({"q1a": ["patents", "other"]}, {"q1a": ["patents"]}),
    "q2a_other": ({"q2a": ["serial", "other"]}, {"q2a": ["serial"]}),
    "q3b": ({"q3a": "other"}, {"q3a": "st13"}),
    "q4b": ({"q4a": "fixed"}, {"q4a": "variable"}),
    "q4c": ({"q4a": "variable"}, {"q4a": "fixed"}),
    "q5b": ({"q5a": "yes"}, {"q5a": "no"}),
    "q5c": ({"q5a": "yes"}, {"q5a": "no"}),
    "q6b": ({"q6a": "yes"}, {"q6a": "no"}),
    "q6c": ({"q6a": "yes"}, {"q6a": "no"}),
    "q6c_other": ({"q6a": "yes", "q6c": "other"}, {"q6a": "yes", "q6c": "gregorian"}),
    "q7b": ({"q7a": "yes"}, {"q7a": "no"}),
    "q7c": ({"q7a": "yes"}, {"q7a": "no"}),
    "q7d": ({"q7a": "yes"}, {"q7a": "no"}),
    "q7e": ({"q7a": "yes"}, {"q7a": "no"}),
    "q7f": ({"q7a": "yes"}, {"q7a": "no"}),
    "q8b": ({"q8a": "yes"}, {"q8a": "no"}),
    "q8c": ({"q8a": "yes"}, {"q8a": "no"}),
    "q8c_other": ({"q8a": "yes", "q8c": "other"}, {"q8a": "yes", "q8c": "serial_first_two"}),
    "q9b": ({"q9a": "yes"}, {"q9a": "no"}),
    "q9c": ({"q9a": "yes"}, {"q9a": "no"}),
    "q9c_other": ({"q9a": "yes", "q9c": "other"}, {"q9a": "yes", "q9c": "cn_mod11"}),
    "q10b": ({"q10a": "yes"}, {"q10a": "no"}),
    "q11b": ({"q11a": "yes"}, {"q11a": "no"}),
    "q11b_other": ({"q11a": "yes", "q11b": ["other"]}, {"q11a": "yes", "q11b": ["slash"]}),
    "q11c": ({"q11a": "yes"}, {"q11a": "no"}),
    "q12b": ({"q12a": "no"}, {"q12a": "yes"}),
    "q13b": ({"q13a": "no"}, {"q13a": "yes"}),
    "q13c": ({"q13a": "no", "q13b": "yes"}, {"q13a": "no", "q13b": "no"}),
}

# A follow-up of a follow-up stays hidden when the first gate closes, whatever was answered behind it.
CASCADES = {
    "q6c_other": {"q6a": "no", "q6c": "other"},
    "q8c_other": {"q8a": "no", "q8c": "other"},
    "q9c_other": {"q9a": "no", "q9c": "other"},
    "q11b_other": {"q11a": "no", "q11b": ["other"]},
    "q13c": {"q13a": "yes", "q13b": "yes"},
}


def test_every_gated_question_has_a_case(edition_structure):
    gated = {q.id for q in edition_structure.questions if q.condition is not None}
    assert gated == set(CONDITIONS)


@pytest.mark.parametrize("qid", sorted(CONDITIONS))
def test_condition_opens_and_closes(edition_structure, qid):
    opening, closing = CONDITIONS[qid]
    assert evaluate(edition_structure, opening).is_applicable(qid)
    assert not evaluate(edition_structure, closing).is_applicable(qid)
    assert not evaluate(edition_structure, {}).is_applicable(qid)


@pytest.mark.parametrize("qid", sorted(CASCADES))
def test_hidden_gate_hides_its_follow_ups(edition_structure, qid):
    evaluation = evaluate(edition_structure, CASCADES[qid])
    assert not evaluation.is_applicable(qid)


def test_moldova_is_valid_with_the_published_applicability(edition_structure, moldova_answers):
    evaluation = evaluate(edition_structure, moldova_answers)
    assert evaluation.errors == {}
    assert evaluation.answers == moldova_answers
    assert evaluation.set_aside == {}
    hidden = {q.id for q in edition_structure.questions} - set(evaluation.applicable)
    assert hidden == {
        "q1a_other", "q2a_other", "q4c", "q5b", "q5c", "q6b", "q6c", "q6c_other", "q8b", "q8c",
        "q8c_other", "q9b", "q9c", "q9c_other", "q10b", "q11b", "q11b_other", "q11c", "q12b", "q13c",
    }  # fmt: skip
    assert evaluation.state("q14d") == "not_answered"
    assert evaluation.state("q5b") == "not_applicable"
    assert evaluation.state("q1a") == "answered"


def test_answers_to_hidden_questions_are_set_aside_not_validated(edition_structure, moldova_answers):
    answers = {**moldova_answers, "q5b": {"trademarks": {"code": "not-two-digits"}}, "q4c": "garbage"}
    evaluation = evaluate(edition_structure, answers)
    assert evaluation.is_valid
    assert "q5b" not in evaluation.answers and "q4c" not in evaluation.answers
    assert evaluation.set_aside == {"q5b": {"trademarks": {"code": "not-two-digits"}}, "q4c": "garbage"}
    assert evaluation.state("q5b") == "not_applicable"


def test_required_only_when_applicable(edition_structure, moldova_answers):
    answers = dict(moldova_answers)
    answers["q4a"] = "variable"  # opens q4c, closes q4b
    evaluation = evaluate(edition_structure, answers)
    assert [i.code for i in evaluation.errors["q4c"]] == ["required"]
    assert "q4b" not in evaluation.errors
    assert evaluation.set_aside == {"q4b": {"serial": 6}}
    optional = evaluate(edition_structure, {**moldova_answers, "q13b": "yes"})
    assert optional.is_applicable("q13c") and "q13c" not in optional.errors


def test_unknown_question_ids_are_reported(edition_structure, moldova_answers):
    evaluation = evaluate(edition_structure, {**moldova_answers, "q99": "x"})
    assert evaluation.unknown == ("q99",)
    assert "q99" not in evaluation.answers and "q99" not in evaluation.set_aside


# (changes to the Moldova answers, question, expected error codes)
VALIDATION = [
    ({"q1a": ["trademarks", "films"]}, "q1a", ["unknown_choice"]),
    ({"q1a": ["trademarks", "trademarks"]}, "q1a", ["duplicate_choice"]),
    ({"q1a": "trademarks"}, "q1a", ["type"]),
    ({"q4a": "elastic"}, "q4a", ["unknown_choice"]),
    ({"q5a": "maybe"}, "q5a", ["unknown_choice"]),
    ({"q1b": "19x2"}, "q1b", ["bad_date"]),
    ({"q1b": "1992-02-30"}, "q1b", ["bad_date"]),
    ({"q1b": "1700"}, "q1b", ["bad_date"]),
    ({"q4b": {"serial": 0}}, "q4b", ["bad_length"]),
    ({"q4b": {"serial": "six"}}, "q4b", ["bad_length"]),
    ({"q4b": {}}, "q4b", ["required"]),
    ({"q4b": {"serial": 6, "year": 4}}, "q4b", ["unknown_part"]),
    ({"q2a": ["serial", "year"], "q3b": ["year", "serial"]}, "q4b", ["missing_part"]),
    ({"q3b": ["serial", "serial"]}, "q3b", ["bad_order"]),
    ({"q3b": ["year"]}, "q3b", ["missing_part", "unknown_part"]),
    ({"q4a": "variable", "q4c": {"serial": {"min": 7, "max": 6}}}, "q4c", ["bad_range"]),
    ({"q5a": "yes", "q5c": "yes", "q5b": {"patents": {"code": "10"}}}, "q5b", ["missing_part", "unknown_part"]),
    ({"q5a": "yes", "q5c": "yes", "q5b": {"trademarks": {"code": ""}}}, "q5b", ["empty_cell"]),
    ({"q8a": "yes", "q8c": "serial_first_two", "q8b": []}, "q8b", ["required"]),
    ({"q14a": [{"example": "030812", "colour": "red"}]}, "q14a", ["unknown_column"]),
    ({"q14c": [{"year": "-"}, {"year": "-"}]}, "q14c", ["too_many_rows"]),
    ({"q10a": "yes", "q10b": "x" * 4001}, "q10b", ["too_long"]),
    ({"q9a": "yes", "q9b": "serial_last", "q9c": "luhn"}, "q9c", ["unknown_choice"]),
]


@pytest.mark.parametrize(("changes", "qid", "codes"), VALIDATION)
def test_validation_errors(edition_structure, moldova_answers, changes, qid, codes):
    evaluation = evaluate(edition_structure, {**moldova_answers, **changes})
    assert [i.code for i in evaluation.errors.get(qid, [])] == codes
    assert set(evaluation.errors) == {qid}


@pytest.mark.parametrize(
    ("raw", "stored", "shown"),
    [("1992", "1992", "1992"), ("15/03/1992", "1992-03-15", "15/03/1992"), ("1/3/1992", "1992-03-01", "01/03/1992"),
     ("1992-03-15", "1992-03-15", "15/03/1992"), ("31/02/1992", None, None), ("92", None, None), ("", None, None)],
)  # fmt: skip
def test_partial_dates(raw, stored, shown):
    assert parse_partial_date(raw) == stored
    if stored:
        assert format_partial_date(stored) == shown


def test_consistency_warnings_never_block(edition_structure, moldova_answers):
    # Moldova's own answers are consistent: no part ticked that is then denied.
    assert evaluate(edition_structure, moldova_answers).warnings == []
    answers = {**moldova_answers, "q2a": ["serial", "year"], "q4b": {"serial": 6, "year": 2}, "q3b": ["year", "serial"]}
    evaluation = evaluate(edition_structure, answers)
    assert evaluation.is_valid
    assert [(w.question_id, w.code) for w in evaluation.warnings] == [
        ("q6a", "part_not_confirmed"),
        ("q14a", "example_length"),
    ]
    assert "8" in evaluation.warnings[1].message and "6 characters" in evaluation.warnings[1].message


def test_consistency_type_codes_and_examples_with_separators(edition_structure):
    from surveys.demo import EPO_PATENTS

    assert evaluate(edition_structure, EPO_PATENTS).warnings == []
    answers = {**EPO_PATENTS, "q2a": ["type", "year", "serial", "control"], "q5a": "yes", "q5c": "yes",
               "q5b": {"patents": {"code": "1"}, "pct_national": {"code": "11"}}}  # fmt: skip
    answers["q3b"] = ["type", "year", "serial", "control"]
    answers["q4b"] = {"type": 1, "year": 2, "serial": 6, "control": 1}
    codes = [(w.question_id, w.code) for w in evaluate(edition_structure, answers).warnings]
    assert ("q5b", "type_code_not_two_digits") in codes
    assert ("q14a", "example_length") in codes
