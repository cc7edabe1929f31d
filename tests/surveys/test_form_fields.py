"""Form fields → answers → form fields: nothing typed is lost, valid or not."""

from django.http import QueryDict

from surveys.demo import EPO_PATENTS
from surveys.questionnaire.form_fields import answers_from_form, form_values


def _querydict(values):
    qd = QueryDict(mutable=True)
    for key, value in values.items():
        if isinstance(value, list):
            qd.setlist(key, value)
        else:
            qd[key] = value
    return qd


def test_round_trip_of_every_question_type(edition_structure, moldova_answers):
    for answers in (moldova_answers, EPO_PATENTS):
        assert answers_from_form(edition_structure, _querydict(form_values(edition_structure, answers))) == answers


def test_composite_answers_from_fields(edition_structure):
    data = _querydict(
        {
            "q1a": ["patents", "trademarks", "patents"],
            "q1b": "15/03/1992",
            "q2a": ["year", "serial"],
            "q3b.serial": "1",
            "q3b.year": "2",
            "q4b.year": "4",
            "q4b.serial": " 9 ",
            "q4c.serial.min": "3",
            "q4c.serial.max": "",
            "q5b.patents.code": "10",
            "q5b.trademarks.code": "",
            "q14a.0.office_name": "Office",
            "q14a.0.example": "123",
            "q14a.1.example": "",
            "q14a.2.example": "456",
        }
    )
    answers = answers_from_form(edition_structure, data)
    assert answers["q1a"] == ["patents", "trademarks"]
    assert answers["q1b"] == "1992-03-15"
    assert answers["q3b"] == ["serial", "year"]
    assert answers["q4b"] == {"year": 4, "serial": 9}
    assert answers["q4c"] == {"serial": {"min": 3, "max": ""}}
    assert answers["q5b"] == {"patents": {"code": "10"}}
    assert answers["q14a"] == [
        {"office_name": "Office", "example": "123"},
        {"example": "456"},
    ]


def test_invalid_input_is_kept_as_typed(edition_structure):
    answers = answers_from_form(
        edition_structure, _querydict({"q1b": "19x2", "q4b.serial": "six", "q3b.serial": "first"})
    )
    assert answers["q1b"] == "19x2"
    assert answers["q4b"] == {"serial": "six"}
    values = form_values(edition_structure, answers)
    assert values["q1b"] == "19x2" and values["q4b.serial"] == "six"


def test_unknown_fields_are_ignored(edition_structure):
    assert answers_from_form(
        edition_structure, _querydict({"q99": "x", "q1a": ["films"], "csrfmiddlewaretoken": "t"})
    ) == {"q1a": ["films"]}
