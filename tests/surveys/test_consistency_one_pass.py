"""The consistency warnings, read in one pass over the answers they depend on, are those
of the checks applied to the numbering structure the answers describe."""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from standards.structure import structure_from_answers
from surveys.demo import EPO_PATENTS, MOLDOVA_TRADEMARKS
from surveys.management.commands.bench_engine import _variants
from surveys.questionnaire.consistency import consistency_warnings, structure_warnings
from surveys.questionnaire.engine import evaluate
from tests.surveys.test_engine_properties import EDITION, SETTINGS, answers_documents, json_values

OFFICE_CODES = (None, "EP", "md", "X")


def _assert_as_through_the_structure(answers: dict[str, Any]) -> list:
    evaluation = evaluate(EDITION, answers, with_warnings=False)
    structure = structure_from_answers(evaluation.answers)
    for office_code in OFFICE_CODES:
        got = consistency_warnings(EDITION, evaluation, office_code)
        assert got == structure_warnings(structure, office_code), office_code
    return consistency_warnings(EDITION, evaluation)


# Answers that the checks find something in, or that come close: each differs from a
# valid response in what one check reads.
EDGE_CASES = (
    {**EPO_PATENTS, "q5a": "yes"},
    {**EPO_PATENTS, "q9a": "no", "q6a": "no"},
    {**EPO_PATENTS, "q2a": ["year", "serial", "control", "type"], "q5a": "yes", "q5c": "yes"},
    {**EPO_PATENTS, "q2a": ["type", "year", "serial"], "q5a": "yes", "q5b": {"patents": {"code": "1"}}, "q5c": "yes"},
    {**EPO_PATENTS, "q2a": ["type", "serial"], "q5a": "yes", "q5b": {"patents": {"code": "١٢"}}, "q5c": "yes"},
    {**EPO_PATENTS, "q4b": {"year": 2, "serial": 7, "control": 1}},
    {**EPO_PATENTS, "q4b": {"year": 2, "serial": True, "control": 1}},
    {**EPO_PATENTS, "q11a": "no"},
    {**EPO_PATENTS, "q11b": ["dot", "space", "other"], "q11b_other": "#. a"},
    {**EPO_PATENTS, "q11b": ["dot", "dot", "slash"]},
    {**EPO_PATENTS, "q11b": ["space"], "q14a": [{"example": "EP 994 031 22.7"}]},
    {**EPO_PATENTS, "q11b": ["other"], "q11b_other": "."},
    {**EPO_PATENTS, "q11b": ["slash"], "q14a": [{"example": "EP 99403122/7"}]},
    {**EPO_PATENTS, "q11b": [7]},
    {
        **EPO_PATENTS,
        "q14a": [
            {"office_name": "EPO", "example": "ep 99403122.7"},
            {"office_name": "EPO", "example": "  "},
            {"office_name": "EPO", "example": "EP99403122.7"},
            {"office_name": "EPO", "example": "EPX 9940312.7"},
            {"office_name": "EPO", "example": "99 403 122.7"},
        ],
    },
    {**MOLDOVA_TRADEMARKS, "q14a": [{"office_name": "AGEPI", "example": "MD 0308123"}]},
    {**MOLDOVA_TRADEMARKS, "q7a": "no"},
    {**MOLDOVA_TRADEMARKS, "q2a": ["serial", 3], "q8a": "yes"},
)


def test_the_benchmarks_documents_and_answers_that_warn_get_the_same_warnings():
    found = [_assert_as_through_the_structure(answers) for answers in [*_variants(210), *EDGE_CASES]]
    codes = {issue.code for warnings in found for issue in warnings}
    # The edge cases reach every check.
    assert codes == {"part_not_confirmed", "part_not_listed", "type_code_not_two_digits", "example_length"}


@SETTINGS
@given(answers_documents())
def test_generated_documents_get_the_same_warnings(answers):
    _assert_as_through_the_structure(answers)


@SETTINGS
@given(
    base=st.sampled_from([EPO_PATENTS, MOLDOVA_TRADEMARKS]),
    changes=st.dictionaries(
        st.sampled_from(["q2a", "q4b", "q5a", "q5b", "q5c", "q6a", "q7a", "q8a", "q9a", "q11a", "q11b", "q11b_other"]),
        json_values,
        max_size=4,
    ),
    examples=st.lists(
        st.fixed_dictionaries({"office_name": st.just("Office"), "example": st.text(max_size=16)}),
        max_size=3,
    ),
)
def test_the_answers_the_checks_read_changed_at_random_get_the_same_warnings(base, changes, examples):
    _assert_as_through_the_structure({**base, **changes, "q14a": examples})
