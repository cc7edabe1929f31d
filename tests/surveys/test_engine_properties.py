"""Property-based tests of the branching engine: whatever the answers document, the engine
answers with per-question errors, never an exception, and consistently."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.questionnaire.edition import Edition
from surveys.questionnaire.engine import evaluate
from tests.conftest import EDITION_FILE

EDITION = Edition(json.loads(EDITION_FILE.read_text(encoding="utf-8")))

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.floats(allow_nan=True), st.text(max_size=12)
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def plausible(question):
    """Values of the right shape for the question, often valid, sometimes not."""
    codes = list(question.choice_codes) or ["x"]
    parts = ["type", "year", "serial", "internal", "control", "other", "bogus"]
    if question.type == "multi":
        return st.lists(st.sampled_from([*codes, "bogus"]), max_size=4)
    if question.type in ("single", "yesno"):
        return st.sampled_from([*codes, "bogus", ""])
    if question.type == "partial_date":
        return st.sampled_from(["1992", "1992-03-15", "15/03/1992", "19x2", "2100", ""])
    if question.type == "part_lengths":
        value = (
            st.fixed_dictionaries({"min": st.integers(-1, 12), "max": st.integers(-1, 12)})
            if question.range
            else st.integers(-1, 12)
        )
        return st.dictionaries(st.sampled_from(parts), value, max_size=4)
    if question.type == "order":
        return st.lists(st.sampled_from(parts), max_size=5)
    if question.type == "grid":
        cell = st.text(max_size=6)
        columns = [c.id for c in question.columns] + ["bogus"]
        row = st.dictionaries(st.sampled_from(columns), cell, max_size=len(columns))
        if question.rows_from:
            return st.dictionaries(
                st.sampled_from([*EDITION.by_id[question.rows_from].choice_codes, "bogus"]), row, max_size=3
            )
        return st.lists(row, max_size=3)
    return st.text(max_size=20)


def answers_documents():
    ids = [q.id for q in EDITION.questions]
    plausible_doc = st.fixed_dictionaries({}, optional={q.id: plausible(q) for q in EDITION.questions})
    wild_doc = st.dictionaries(st.sampled_from([*ids, "q99", ""]), json_values, max_size=10)
    return st.one_of(plausible_doc, wild_doc)


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(answers_documents())
def test_any_document_gives_errors_per_question_never_an_exception(answers):
    evaluation = evaluate(EDITION, answers)
    assert set(evaluation.errors) <= set(evaluation.applicable)
    for qid, issues in evaluation.errors.items():
        assert issues and all(i.question_id == qid and i.code and i.message for i in issues)
    assert set(evaluation.answers) <= set(evaluation.applicable)
    assert not set(evaluation.set_aside) & set(evaluation.applicable)
    assert evaluation.is_valid == (not evaluation.errors)


@SETTINGS
@given(answers_documents())
def test_applicability_is_deterministic(answers):
    first, second = evaluate(EDITION, answers), evaluate(EDITION, dict(answers))
    assert first.applicable == second.applicable
    assert first.errors == second.errors


@SETTINGS
@given(answers_documents())
def test_removing_a_non_applicable_answer_never_changes_validity(answers):
    evaluation = evaluate(EDITION, answers)
    for qid in list(evaluation.set_aside):
        reduced = {k: v for k, v in answers.items() if k != qid}
        again = evaluate(EDITION, reduced)
        assert again.is_valid == evaluation.is_valid
        assert again.applicable == evaluation.applicable
        assert again.errors == evaluation.errors
