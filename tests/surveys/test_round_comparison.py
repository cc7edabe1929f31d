"""The comparison of a round with the previous round of the same edition (working document annex)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.models import NumberingSystem, QuestionnaireEdition, ResponseStatus, SurveyResponse
from surveys.reports.comparison import compare_rounds, previous_round
from surveys.reports.tables import Scope

pytestmark = pytest.mark.django_db


def _system(code, label="Trademarks"):
    return NumberingSystem.objects.create(office_id=code, label=label)


@pytest.fixture
def respond(add_response):
    def respond(survey_round, system, answers, status=ResponseStatus.PUBLISHED, sequence=1):
        return add_response(survey_round, system.office_id, answers, status, system=system, sequence=sequence)

    return respond


@pytest.fixture
def two_rounds(survey_round, fresh_round, moldova_answers, respond):
    """2012 and 2013: Moldova's system changes two answers, the EPO's none, Austria stops, Czechia joins."""
    md, ep, at = _system("MD"), _system("EP", "Patents"), _system("AT")
    respond(survey_round, md, {**moldova_answers, "q1a": ["trademarks", "industrial_designs"]})
    respond(survey_round, ep, moldova_answers)
    respond(survey_round, at, moldova_answers)

    changed = {
        **moldova_answers,
        # The same two types ticked in another order: not a change.
        "q1a": ["industrial_designs", "trademarks"],
        # Moldova's published 2012 answer was a serial of 6 digits; 7 now.
        "q4b": {"serial": 7},
    }
    del changed["q13b"]  # answered before, not now
    respond(fresh_round, md, changed)
    respond(fresh_round, _system("MD", "Designs"), moldova_answers, sequence=2)  # a new system
    respond(fresh_round, ep, moldova_answers)
    respond(fresh_round, _system("CZ"), moldova_answers)
    # Outside the published scope: never compared.
    respond(fresh_round, at, {**moldova_answers, "q5a": "yes"}, status=ResponseStatus.DRAFT)
    return survey_round, fresh_round


def test_previous_round_is_the_latest_earlier_round_of_the_same_edition(two_rounds):
    first, second = two_rounds
    assert previous_round(second) == first
    assert previous_round(first) is None


def test_offices_that_joined_and_left_and_systems_compared(two_rounds):
    first, second = two_rounds
    comparison = compare_rounds(first, second, scope=Scope.PUBLISHED)
    assert [o.code for o in comparison.joined] == ["CZ"]
    assert [o.code for o in comparison.left] == ["AT"]  # its draft of 2013 is not published
    assert comparison.continuing == 2  # MD and EP
    assert comparison.systems_compared == 2
    assert comparison.new_systems == 2  # Moldova's designs and Czechia's trademarks
    assert comparison.dropped_systems == 1  # Austria's


def test_changed_answers_per_question(two_rounds):
    first, second = two_rounds
    comparison = compare_rounds(first, second, scope=Scope.PUBLISHED)
    by_id = {change.question.id: change for change in comparison.questions}
    assert [c.question.id for c in comparison.changed_questions] == ["q4b", "q13b"]
    assert by_id["q4b"].changed == ["MD"] and by_id["q4b"].compared == 2 and by_id["q4b"].unchanged == 1
    assert by_id["q13b"].changed == ["MD"]
    assert by_id["q1a"].changed == [] and by_id["q1a"].compared == 2
    # Neither round answered q5b: nothing to compare.
    assert by_id["q5b"].compared == 0
    # Every question of the edition is listed, in the questionnaire's order.
    assert [c.question.id for c in comparison.questions] == [q.id for q in second.edition.structure.questions]


def test_the_reviewed_scope_includes_accepted_responses(two_rounds):
    first, second = two_rounds
    at_system = NumberingSystem.objects.get(office_id="AT")
    SurveyResponse.objects.filter(round=second, numbering_system=at_system).update(status=ResponseStatus.ACCEPTED)
    comparison = compare_rounds(first, second, scope=Scope.REVIEWED)
    assert comparison.left == []
    changes = {c.question.id: c.changed for c in comparison.changed_questions}
    assert changes["q5a"] == ["AT"]


def test_rounds_of_unrelated_editions_are_refused(two_rounds):
    first, second = two_rounds
    # Another edition that does not revise the first round's: nothing links their questions.
    other = QuestionnaireEdition.objects.create(
        slug="application-numbering-other",
        version="1",
        title="Another questionnaire",
        year=2013,
        definition={**first.edition.definition, "slug": "application-numbering-other"},
        checksum="other",
    )
    second.edition = other
    with pytest.raises(ValueError, match="same questionnaire edition, or of an edition and the one it revises"):
        compare_rounds(first, second, scope=Scope.PUBLISHED)


def test_queries_do_not_grow_with_responses(two_rounds, moldova_answers, respond):
    first, second = two_rounds
    second.edition.structure  # noqa: B018 - compiled once, outside the count

    def queries():
        with CaptureQueriesContext(connection) as captured:
            compare_rounds(first, second, scope=Scope.PUBLISHED)
        return len(captured)

    few = queries()
    for code in ("FR", "DE", "GB", "JP", "US"):
        system = _system(code)
        respond(first, system, moldova_answers)
        respond(second, system, {**moldova_answers, "q4b": {"serial": 8}})
    assert queries() == few == 2
    assert compare_rounds(first, second, scope=Scope.PUBLISHED).systems_compared == 7
