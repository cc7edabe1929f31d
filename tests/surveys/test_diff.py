from surveys.responses.diff import compare


def test_changes_question_by_question(edition_structure, moldova_answers):
    old = dict(moldova_answers)
    new = {**moldova_answers, "q1b": "1993", "q4a": "variable", "q4c": {"serial": {"min": 5, "max": 6}}}
    new.pop("q4b")
    rows = compare(edition_structure, old, {}, new, {"q4b": {"serial": 6}})
    got = {r.question.id: (r.change, r.old.lines if r.old else None, r.new.lines if r.new else None) for r in rows}
    assert got == {
        "q1b": ("changed", ["from 1992"], ["from 1993"]),
        "q4a": ("changed", ["Fixed length"], ["Variable length"]),
        "q4b": ("now_not_applicable", ["Serial number: 6 characters"], ["Serial number: 6 characters"]),
        "q4c": ("added", None, ["Serial number: 5–6 characters"]),
    }


def test_cleared_and_reapplied(edition_structure, moldova_answers):
    old = {**moldova_answers}
    new = {k: v for k, v in moldova_answers.items() if k != "q14b"}
    rows = compare(
        edition_structure,
        old,
        {"q5b": {"trademarks": {"code": "70"}}},
        {**new, "q5b": {"trademarks": {"code": "70"}}},
        {},
    )
    assert [(r.question.id, r.change) for r in rows] == [("q5b", "now_applicable"), ("q14b", "removed")]


def test_identical_states_have_no_rows(edition_structure, moldova_answers):
    assert compare(edition_structure, moldova_answers, {}, moldova_answers, {}) == []


def test_an_answer_that_no_longer_applies_reads_as_set_aside(edition_structure, moldova_answers):
    from django.utils import translation

    new = {**moldova_answers, "q4a": "variable", "q4c": {"serial": {"min": 5, "max": 6}}}
    new.pop("q4b")
    (row,) = [
        r
        for r in compare(edition_structure, moldova_answers, {}, new, {"q4b": {"serial": 6}})
        if r.question.id == "q4b"
    ]
    assert row.change_label == "No longer applies (answer set aside)"
    with translation.override("fr"):
        assert row.change_label == "Ne s'applique plus (réponse mise de côté)"
    with translation.override("es"):
        assert row.change_label == "Ya no se aplica (respuesta guardada aparte)"
