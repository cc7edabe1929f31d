"""Editions that revise an earlier one: the mapping's shape and its validation against the
revised edition, and answers carried across it, kind by kind, on Moldova's published 2012
answers (response md-002)."""

from __future__ import annotations

import copy

import pytest

from surveys.questionnaire import revisions
from surveys.questionnaire.edition import DefinitionError, Edition
from surveys.questionnaire.loading import EDITIONS_DIR, read_definition

EDITION_2026 = EDITIONS_DIR / "application-numbering-2026.xlsx"


@pytest.fixture(scope="module")
def old(edition_structure):
    return edition_structure


@pytest.fixture(scope="module")
def new_2026():
    return Edition(read_definition(EDITION_2026))


def _question(definition, qid):
    return next(q for s in definition["sections"] for q in s["questions"] if q["id"] == qid)


def _section_of(definition, qid):
    return next(s for s in definition["sections"] if any(q["id"] == qid for q in s["questions"]))


def _revision(old, *, questions=(), choices=(), change=None):
    """The 2012 definition as a new edition revising 2012, changed by ``change(definition)``."""
    definition = copy.deepcopy(dict(old.definition))
    definition["slug"] = "application-numbering-test"
    if change is not None:
        change(definition)
    definition["revises"] = {
        "edition": old.slug,
        "questions": [dict(row) for row in questions],
        "choices": [dict(row) for row in choices],
    }
    return Edition(definition)


def _rename(definition, old_id, new_id, **fields):
    q = _question(definition, old_id)
    q["id"] = new_id
    q.update(fields)


# --- the shape, checked with the edition ---------------------------------------------------


@pytest.mark.parametrize(
    ("row", "where"),
    [
        ({"kind": "moved", "old": ["q1a"], "new": ["q1a"]}, "revises.questions[0].kind"),
        ({"kind": "split", "old": ["q12a"], "new": ["q12c"]}, "revises.questions[0].new"),
        ({"kind": "renamed", "old": ["q1b"], "new": ["q99z"]}, "revises.questions[0].new"),
        ({"kind": "same", "old": ["q1b"], "new": ["q1a"]}, "revises.questions[0]"),
        ({"kind": "removed", "old": "q14b", "new": []}, "revises.questions[0].old"),
    ],
)
def test_a_badly_formed_row_is_refused_with_its_place(old, row, where):
    with pytest.raises(DefinitionError) as refused:
        _revision(old, questions=[row])
    assert str(refused.value).startswith(where + ":")


def test_a_choice_row_must_name_a_code_of_the_new_question(old):
    with pytest.raises(DefinitionError, match=r"revises\.choices\[0\]\.new: 'maybe' is not a choice code of q4a"):
        _revision(old, choices=[{"old_question": "q4a", "new_question": "q4a", "old": ["fixed"], "new": "maybe"}])


def test_an_edition_cannot_revise_itself(old):
    definition = copy.deepcopy(dict(old.definition))
    definition["revises"] = {"edition": definition["slug"], "questions": []}
    with pytest.raises(DefinitionError, match=r"^revises\.edition:"):
        Edition(definition)


# --- validation against the revised edition: one problem of each kind -----------------------


def _problems(old, new):
    return [(p.part, p.row, str(p.message)) for p in revisions.validate_against(old, new)]


def test_the_shipped_2026_mapping_is_valid(old, new_2026):
    assert revisions.validate_against(old, new_2026) == []


def test_an_old_question_left_unaccounted_for(old):
    def drop(d):
        _section_of(d, "q14b")["questions"] = [q for q in _section_of(d, "q14b")["questions"] if q["id"] != "q14b"]

    problems = _problems(old, _revision(old, change=drop))
    assert problems == [
        ("questions", None, "q14b of application-numbering-2012 is not accounted for: say what became of it "
         "(same, renamed, split, merged or removed).")
    ]  # fmt: skip


def test_a_new_question_not_marked_added(old):
    def add(d):
        _section_of(d, "q14d")["questions"].append({**_question(d, "q14d"), "id": "q14e"})

    assert _problems(old, _revision(old, change=add)) == [
        ("questions", None, "q14e is new in this edition: add it to the mapping as added.")
    ]


def test_an_old_id_that_does_not_exist_names_its_row(old):
    rows = [{"kind": "removed", "old": ["q14b"], "new": []}, {"kind": "removed", "old": ["q99a"], "new": []}]

    def drop(d):
        _section_of(d, "q14b")["questions"] = [q for q in _section_of(d, "q14b")["questions"] if q["id"] != "q14b"]

    assert _problems(old, _revision(old, questions=rows, change=drop)) == [
        ("questions", 1, "q99a: no such question in application-numbering-2012.")
    ]


def test_kinds_must_be_coherent(old):
    def retype(d):
        _rename(d, "q14d", "q14e", type="partial_date", attachment=False)

    problems = _problems(
        old, _revision(old, questions=[{"kind": "renamed", "old": ["q14d"], "new": ["q14e"]}], change=retype)
    )
    assert problems == [("questions", 0, "A renamed row links questions of different types (partial_date, text).")]


def test_a_choice_mapping_must_be_total(old):
    def recode(d):
        q = _question(d, "q4a")
        q["choices"] = [
            {"code": "constant", "label": {"en": "Fixed"}},
            {"code": "variable", "label": {"en": "Variable"}},
        ]
        for qid in ("q4b",):
            _question(d, qid)["condition"] = {"eq": ["q4a", "constant"]}

    rows = [{"kind": "same", "old": ["q4a"], "new": ["q4a"]}]
    assert _problems(old, _revision(old, questions=rows, change=recode)) == [
        ("questions", 0, "Choice codes of q4a neither in q4a nor mapped: fixed.")
    ]
    mapped = [{"old_question": "q4a", "new_question": "q4a", "old": ["fixed"], "new": "constant"}]
    assert _problems(old, _revision(old, questions=rows, choices=mapped, change=recode)) == []


def test_a_choice_row_must_link_mapped_questions_and_their_codes(old):
    choices = [
        {"old_question": "q4a", "new_question": "q7b", "old": ["fixed"], "new": "fixed"},
        {"old_question": "q4a", "new_question": "q4a", "old": ["constant"], "new": "fixed"},
    ]
    assert _problems(old, _revision(old, choices=choices)) == [
        ("choices", 0, "q4a and q7b are not linked by a question row."),
        ("choices", 1, "constant: not codes of q4a."),
    ]


# --- carrying answers, kind by kind, on Moldova's published 2012 answers --------------------


def test_same_questions_are_copied_and_2026_adds_removes_and_splits(old, new_2026, moldova_answers):
    answers, carried, not_carried = revisions.carry_over(old, new_2026, moldova_answers)
    # Same: every answer to a question both editions share, as it was.
    for qid in ("q1a", "q1b", "q2a", "q3b", "q4b", "q13a", "q14a", "q14c"):
        assert answers[qid] == moldova_answers[qid] and carried[qid] == "same"
    # Split: "the same format and presentation" — Yes — answers both halves Yes.
    assert answers["q12c"] == answers["q12d"] == "yes"
    assert carried["q12c"] == carried["q12d"] == "split"
    assert "q12a" not in answers
    # Removed: q14b is not carried, and said so; added: q13d is left to answer.
    assert [(qid, str(reason)) for qid, reason in not_carried] == [
        ("q14b", "The question was removed from this edition.")
    ]
    assert "q13d" not in answers and "q14b" not in answers


def test_a_split_yes_no_answered_no_is_not_carried(old, new_2026, moldova_answers):
    answers, carried, not_carried = revisions.carry_over(
        old, new_2026, {**moldova_answers, "q12a": "no", "q12b": "Priority numbers carry the prefix MD."}
    )
    assert "q12c" not in answers and "q12d" not in answers
    assert ("q12a", "“No” does not say which of q12c, q12d it answers.") in [(q, str(r)) for q, r in not_carried]
    # The description of the differences is the same question still.
    assert answers["q12b"] == "Priority numbers carry the prefix MD." and carried["q12b"] == "same"


def test_renamed_choice_codes_are_mapped(old, new_2026, moldova_answers):
    given = {**moldova_answers, "q5a": "yes", "q5b": {"trademarks": {"code": "50"}}, "q5c": "partly"}
    answers, carried, _ = revisions.carry_over(old, new_2026, given)
    assert answers["q5c"] == "some" and carried["q5c"] == "choices"


def test_a_renamed_question_keeps_its_answer(old, moldova_answers):
    new = _revision(
        old,
        questions=[{"kind": "renamed", "old": ["q14b"], "new": ["q14b_since"]}],
        change=lambda d: _rename(d, "q14b", "q14b_since"),
    )
    answers, carried, not_carried = revisions.carry_over(old, new, moldova_answers)
    assert answers["q14b_since"] == "1992" and carried["q14b_since"] == "renamed" and not_carried == []


def _split_ipr_types(d):
    """q1a keeps the patent-like types; q1a_marks takes trademarks and industrial designs."""
    q1a = _question(d, "q1a")
    marks = [c for c in q1a["choices"] if c["code"] in ("trademarks", "industrial_designs")]
    q1a["choices"] = [c for c in q1a["choices"] if c not in marks]
    section = _section_of(d, "q1a")
    section["questions"].insert(1, {**copy.deepcopy(q1a), "id": "q1a_marks", "letter": None, "choices": marks})


def test_a_multi_split_shares_the_codes_out_by_choice_list(old, moldova_answers):
    new = _revision(
        old, questions=[{"kind": "split", "old": ["q1a"], "new": ["q1a", "q1a_marks"]}], change=_split_ipr_types
    )
    assert revisions.validate_against(old, new) == []
    answers, carried, _ = revisions.carry_over(old, new, {**moldova_answers, "q1a": ["patents", "trademarks"]})
    assert answers["q1a"] == ["patents"] and answers["q1a_marks"] == ["trademarks"]
    assert carried["q1a"] == carried["q1a_marks"] == "split"
    # Moldova's published answer names trademarks only: all of it goes to the second half.
    answers, carried, _ = revisions.carry_over(old, new, moldova_answers)
    assert "q1a" not in answers and answers["q1a_marks"] == ["trademarks"]


def test_a_text_split_goes_to_the_first_new_question(old, moldova_answers):
    def split_text(d):
        q14d = _question(d, "q14d")
        _section_of(d, "q14d")["questions"].append({**copy.deepcopy(q14d), "id": "q14e", "letter": "e"})

    new = _revision(old, questions=[{"kind": "split", "old": ["q14d"], "new": ["q14d", "q14e"]}], change=split_text)
    answers, carried, _ = revisions.carry_over(old, new, {**moldova_answers, "q14d": "Numbers since 1992."})
    assert answers["q14d"] == "Numbers since 1992." and carried["q14d"] == "split" and "q14e" not in answers


def test_merged_yes_no_questions_read_as_one(old, moldova_answers):
    def merge(d):
        section = _section_of(d, "q7d")
        section["questions"] = [q for q in section["questions"] if q["id"] != "q7e"]

    new = _revision(old, questions=[{"kind": "merged", "old": ["q7d", "q7e"], "new": ["q7d"]}], change=merge)
    assert revisions.validate_against(old, new) == []
    # Moldova: no gaps (q7d No), leading zeros kept (q7e No).
    answers, carried, _ = revisions.carry_over(old, new, moldova_answers)
    assert answers["q7d"] == "no" and carried["q7d"] == "merged"
    answers, _, _ = revisions.carry_over(old, new, {**moldova_answers, "q7d": "yes", "q7e": "yes"})
    assert answers["q7d"] == "yes"


def test_a_dropped_choice_code_is_not_carried(old, moldova_answers):
    new = _revision(old, choices=[{"old_question": "q4a", "new_question": "q4a", "old": ["fixed"], "new": None}])
    answers, _, not_carried = revisions.carry_over(old, new, moldova_answers)
    assert "q4a" not in answers
    assert ("q4a", "“fixed” is not a choice of q4a.") in [(q, str(r)) for q, r in not_carried]


def test_an_answer_the_new_type_refuses_is_not_carried(old, moldova_answers):
    def retype(d):
        _rename(d, "q1b", "q1b_year", type="int", min=1800)
        for key in ("answer_format", "help"):
            _question(d, "q1b_year").pop(key, None)

    new = _revision(old, questions=[{"kind": "renamed", "old": ["q1b"], "new": ["q1b_year"]}], change=retype)
    answers, carried, not_carried = revisions.carry_over(old, new, moldova_answers)
    assert "q1b_year" not in answers and "q1b_year" not in carried
    (reason,) = [str(r) for q, r in not_carried if q == "q1b"]
    assert reason.startswith("It does not fit q1b_year: ")


# --- back to the revised edition's terms (what the numbering structure reads) --------------


def test_answers_to_2026_read_as_2012_answers(old, new_2026, moldova_answers):
    given = {**moldova_answers, "q5a": "yes", "q5b": {"trademarks": {"code": "50"}}, "q5c": "partly"}
    answers, _, _ = revisions.carry_over(old, new_2026, given)
    back = revisions.in_revised_terms(new_2026, answers)
    assert {k: v for k, v in given.items() if k != "q14b"} == dict(back)
    # One half of the split question "No": the 2012 question (both at once) is "No".
    assert revisions.in_revised_terms(new_2026, {**answers, "q12d": "no"})["q12a"] == "no"
    # The 2012 edition revises nothing: its answers are read as they are.
    assert revisions.in_revised_terms(old, given) is given
