"""The engine's shortcuts give the verdicts of the long way round.

The engine validates an answer in full only when its type's quick test (made once per
question of an edition) does not vouch for it, and the consistency warnings read only
the fields of the numbering structure they check, from tables. Here every quick test is
held to its type's full validation, and the engine's verdicts, warnings included, to
those of the engine that validated every answer and read the whole structure.
"""

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from standards import structure
from standards.structure import NumberingStructure, structure_from_answers
from surveys.demo import EPO_PATENTS, MOLDOVA_TRADEMARKS
from surveys.management.commands.bench_engine import _variants
from surveys.questionnaire import consistency
from surveys.questionnaire.consistency import FIELDS_READ, PART_GATES
from surveys.questionnaire.engine import evaluate, question_types
from surveys.questionnaire.evaluation import Issue
from tests.surveys.test_compiled_conditions import _interpreted_evaluate
from tests.surveys.test_engine_properties import EDITION, SETTINGS, answers_documents, json_values, plausible


def _structure_as_before(answers: Mapping[str, Any]) -> NumberingStructure:
    """structure_from_answers as it was before it read through tables: put by put."""
    a = answers
    values: dict[str, Any] = {}
    sources: dict[str, tuple[str, ...]] = {}

    def put(name: str, value: Any, *qids: str) -> None:
        if value is not None:
            values[name] = value
            sources[name] = qids

    def put_choice(name: str, qid: str, mapping: Mapping[str, Any] | None = None) -> None:
        raw = a.get(qid)
        if mapping is not None:
            put(name, mapping.get(raw) if isinstance(raw, str) else None, qid)
        else:
            put(name, raw if isinstance(raw, str) else None, qid)

    put("ipr_types", structure._codes(a.get("q1a")), "q1a")
    parts = structure._codes(a.get("q2a"))
    put("parts", parts, "q2a")
    if a.get("q3a") == "st13":
        # "[type][year][serial]" as ST.13 recommends; optional parts live inside the serial.
        put("order", tuple(p for p in structure.ST13_ORDER if p in parts) if parts is not None else None, "q3a")
    elif a.get("q3a") == "other":
        put("order", structure._codes(a.get("q3b")), "q3a", "q3b")
    put_choice("fixed_length", "q4a", {"fixed": True, "variable": False})
    put("lengths", structure._lengths(a.get("q4b")), "q4b")
    put("length_ranges", structure._length_ranges(a.get("q4c")), "q4c")
    for name, qid in structure._YES_NO_FIELDS:
        put(name, structure._yes(a.get(qid)), qid)
    put("type_codes", structure._type_codes(a.get("q5b")), "q5b")
    put_choice("type_codes_st13", "q5c")
    put_choice("year_digits", "q6b", {"2": 2, "4": 4})
    put_choice("calendar", "q6c")
    put("calendar_other", structure._calendar_named(a), "q6c_other")
    put_choice("serial_fixed", "q7b", {"fixed": True, "variable": False})
    put("internal_codes", structure._internal_codes(a.get("q8b")), "q8b")
    put_choice("internal_position", "q8c")
    put_choice("control_position", "q9b")
    put_choice("check_digit", "q9c")
    put("ipr_other", structure._text(a.get("q1a_other")), "q1a_other")
    put("examples", structure._examples(a.get("q14a")), "q14a")
    put("in_use_since", structure._text(a.get("q14b")), "q14b")
    put("components", structure._components(a.get("q14c")), "q14c")
    put("comments", structure._text(a.get("q14d")), "q14d")
    uses_separators = structure._yes(a.get("q11a"))
    if uses_separators is False:
        put("separators", (), "q11a")
    elif uses_separators:
        put("separators", structure._separators(a.get("q11b"), a.get("q11b_other")), "q11a", "q11b")
    return NumberingStructure(**values, sources=sources)


def _gates_and_parts_as_before(s: NumberingStructure) -> list[Issue]:
    if s.parts is None:
        return []
    warnings = []
    for part, field, words in PART_GATES:
        said_yes = getattr(s, field)
        if said_yes is None:
            continue
        gate = s.cite(field)[0]
        ticked = part in s.parts
        if ticked and not said_yes:
            message = "q2a lists %(part)s as a part, but %(gate)s answers “No”."
            warnings.append(Issue(gate, "part_not_confirmed", message % {"part": words, "gate": gate}))
        elif said_yes and not ticked:
            message = "%(gate)s answers “Yes”, but q2a does not list %(part)s as a part."
            warnings.append(Issue(gate, "part_not_listed", message % {"part": words, "gate": gate}))
    return warnings


def _warnings_as_before(answers: Mapping[str, Any]) -> list[Issue]:
    s = _structure_as_before(answers)
    return [*_gates_and_parts_as_before(s), *consistency._type_codes(s), *consistency._example_lengths(s, None)]


def _assert_same_verdict(answers: Mapping[str, Any]) -> None:
    got = evaluate(EDITION, answers)
    expected = _interpreted_evaluate(EDITION, answers)
    assert got.applicable == expected.applicable
    assert list(got.answers.items()) == list(expected.answers.items())
    assert list(got.set_aside.items()) == list(expected.set_aside.items())
    assert list(got.errors.items()) == list(expected.errors.items())
    assert got.required_unanswered == expected.required_unanswered
    assert got.unknown == expected.unknown
    assert got.warnings == _warnings_as_before(got.answers)


def _assert_same_structure(answers: Mapping[str, Any]) -> None:
    expected = _structure_as_before(answers)
    got = structure_from_answers(answers)
    assert got == expected and got.sources == expected.sources and vars(got) == vars(expected)
    selected = structure_from_answers(answers, FIELDS_READ)
    for name in NumberingStructure.__dataclass_fields__:
        if name in FIELDS_READ:
            assert getattr(selected, name) == getattr(expected, name), name
            assert selected.cite(name) == expected.cite(name), name
        elif name != "sources":
            assert getattr(selected, name) is None, name


def test_the_benchmarks_documents_get_the_verdicts_of_the_long_way_round():
    # Valid, incomplete and mistaken documents, as the engine benchmark times them.
    documents = _variants(210)
    assert any(evaluate(EDITION, d).is_valid for d in documents)
    assert any(evaluate(EDITION, d).warnings for d in [*documents, {**EPO_PATENTS, "q5a": "yes"}])
    for answers in documents:
        _assert_same_verdict(answers)
        _assert_same_structure(answers)


def test_a_valid_response_is_vouched_for_by_every_quick_test():
    """The shortcut is taken: no answer of a valid response is validated in full."""
    for answers in (EPO_PATENTS, MOLDOVA_TRADEMARKS):
        evaluation = evaluate(EDITION, answers)
        assert evaluation.is_valid
        for qid, value in evaluation.answers.items():
            q = EDITION.by_id[qid]
            quick = question_types.get(q.type).quick_check(q, EDITION)
            assert quick is not None and quick(value, evaluation.answers), qid


@SETTINGS
@given(answers_documents())
def test_generated_documents_get_the_verdicts_of_the_long_way_round(answers):
    _assert_same_verdict(answers)
    _assert_same_structure(answers)


@SETTINGS
@given(data=st.data())
def test_a_quick_test_vouches_only_for_what_validation_accepts(data):
    q = data.draw(st.sampled_from(EDITION.questions))
    value = data.draw(st.one_of(plausible(q), json_values))
    answers = data.draw(answers_documents())
    quick = question_types.get(q.type).quick_check(q, EDITION)
    if quick is not None and quick(value, answers):
        assert question_types.get(q.type).validate(q, value, EDITION, answers) == []


def test_asking_for_a_field_the_structure_does_not_have_is_refused():
    with pytest.raises(ValueError, match="no such fields"):
        structure_from_answers({}, {"parts", "colour"})
