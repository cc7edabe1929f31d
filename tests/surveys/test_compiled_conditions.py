"""The compiled conditions decide exactly as the tree interpreter does, and the engine
built on them gives the verdicts of the engine that walked every tree on every call."""

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.questionnaire.conditions import (
    applicable_questions,
    applicable_questions_interpreted,
    compile_condition,
    compiled,
    condition_holds,
)
from surveys.questionnaire.edition import Edition
from surveys.questionnaire.engine import question_types
from surveys.questionnaire.evaluation import Evaluation, Issue, is_empty
from tests.surveys.test_engine_properties import EDITION, SETTINGS, answers_documents, json_values

QIDS = ["a", "b", "c"]
values = st.one_of(
    st.sampled_from(["yes", "no", "", " ", "x"]), st.lists(st.sampled_from(["x", "y", ""]), max_size=3), json_values
)
leaves = st.one_of(
    st.builds(lambda q, v: {"eq": [q, v]}, st.sampled_from(QIDS), values),
    st.builds(lambda q, v: {"in": [q, v]}, st.sampled_from(QIDS), st.lists(values, max_size=3)),
    st.builds(lambda q, v: {"has": [q, v]}, st.sampled_from(QIDS), values),
    st.builds(lambda q: {"answered": q}, st.sampled_from(QIDS)),
)
trees = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.builds(lambda cs: {"all": cs}, st.lists(children, max_size=3)),
        st.builds(lambda cs: {"any": cs}, st.lists(children, max_size=3)),
        st.builds(lambda c: {"not": c}, children),
    ),
    max_leaves=8,
)
answer_sets = st.dictionaries(st.sampled_from(QIDS), values, max_size=3)


@SETTINGS
@given(st.one_of(st.none(), trees), st.lists(answer_sets, min_size=1, max_size=8))
def test_a_compiled_condition_decides_as_the_tree_interpreter(tree, many_answers):
    holds = compile_condition(tree)
    for answers in many_answers:
        assert holds(answers) is condition_holds(tree, answers)


def test_an_unknown_operator_is_refused_in_both_readings():
    with pytest.raises(ValueError, match="unknown condition operator"):
        condition_holds({"near": ["a", 1]}, {})
    with pytest.raises(ValueError, match="unknown condition operator"):
        compile_condition({"near": ["a", 1]})


def _interpreted_evaluate(edition, answers):
    """The engine as it was before the conditions were compiled (without warnings, which
    read only the verdict)."""
    applicable = applicable_questions_interpreted(edition, answers)
    effective = {qid: answers[qid] for qid in applicable if qid in answers and not is_empty(answers[qid])}
    set_aside = {
        qid: v for qid, v in answers.items() if qid in edition.by_id and qid not in applicable and not is_empty(v)
    }
    errors, missing = {}, []
    for qid in applicable:
        q = edition.by_id[qid]
        if qid not in effective:
            if q.required:
                missing.append(qid)
                errors[qid] = [Issue(qid, "required", "This question needs an answer.")]
            continue
        problems = question_types.get(q.type).validate(q, effective[qid], edition, effective)
        if problems:
            errors[qid] = [Issue(qid, code, message) for code, message in problems]
    unknown = tuple(sorted(qid for qid in answers if qid not in edition.by_id))
    return Evaluation(applicable, effective, set_aside, errors, [], tuple(missing), unknown)


@SETTINGS
@given(answers_documents())
def test_the_engine_gives_the_interpreters_verdicts_on_the_edition(answers):
    from surveys.questionnaire.engine import evaluate

    assert applicable_questions(EDITION, answers) == applicable_questions_interpreted(EDITION, answers)
    got = evaluate(EDITION, answers, with_warnings=False)
    expected = _interpreted_evaluate(EDITION, answers)
    assert got.applicable == expected.applicable
    assert list(got.answers.items()) == list(expected.answers.items())
    assert list(got.set_aside.items()) == list(expected.set_aside.items())
    assert got.errors == expected.errors
    assert got.required_unanswered == expected.required_unanswered
    assert got.unknown == expected.unknown


def test_an_editions_conditions_are_compiled_once_and_never_pickled():
    first = compiled(EDITION)
    assert compiled(EDITION) is first
    assert len(first.steps) == len(EDITION.questions)
    copy = pickle.loads(pickle.dumps(EDITION))
    assert isinstance(copy, Edition) and "_compiled_conditions" not in copy.__dict__
    assert compiled(copy) is not first
    assert compiled(copy).applicable({})[0] == applicable_questions_interpreted(EDITION, {})
