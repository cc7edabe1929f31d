"""A round on the 2026 edition, which revises 2012: Moldova's published 2012 answers pre-fill
its 2026 response through the mapping (marked, confirmed before submitting), the 2026
responses get an ST.13 evaluation and a report, and the two rounds are compared question by
question through the mapping."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.errors import ResponseInvalid
from surveys.models import Invitation, NumberingSystem, ResponseStatus, SurveyResponse, SurveyRound
from surveys.questionnaire.loading import (
    EDITIONS_DIR,
    checksum,
    current_numbering_edition,
    edition_load,
    read_definition,
)
from surveys.reports.comparison import compare_rounds, previous_round
from surveys.reports.tables import Scope, build_report
from surveys.responses.compliance import compliance_for_answers
from surveys.responses.services import response_save_draft, response_start
from surveys.review.workflow import response_submit
from tests.surveys.web_helpers import edit_url, form_data

pytestmark = pytest.mark.django_db

EDITION_2026 = EDITIONS_DIR / "application-numbering-2026.xlsx"


@pytest.fixture
def edition_2026(edition):
    return edition_load(EDITION_2026)[0]


@pytest.fixture
def round_2026(edition_2026):
    rnd = SurveyRound.objects.create(
        edition=edition_2026,
        slug="application-numbering-2026",
        title="Questionnaire on application numbering (2026 revision)",
        year=2026,
        opens_on=date(2026, 3, 1),
        closes_on=date(2026, 12, 31),
    )
    Invitation.objects.create(round=rnd, office_id="MD")
    return rnd


@pytest.fixture
def moldova_2012(survey_round, moldova_answers, add_response):
    """Moldova's published 2012 response for its trademarks (md-002)."""
    return add_response(survey_round, "MD", moldova_answers)


@pytest.fixture
def moldova_2026(moldova_2012, round_2026, office_a_approver):
    return response_start(
        survey_round=round_2026, numbering_system=moldova_2012.numbering_system, user=office_a_approver
    )


# --- the edition ----------------------------------------------------------------------------


def test_the_2026_edition_loads_with_a_stable_checksum(edition_2026):
    assert edition_2026.checksum == checksum(read_definition(EDITION_2026))
    again, outcome = edition_load(EDITION_2026)
    assert (again.pk, again.checksum, outcome) == (edition_2026.pk, edition_2026.checksum, "unchanged")
    assert edition_2026.structure.definition["revises"]["edition"] == "application-numbering-2012"


def test_answers_given_to_the_checker_are_still_read_against_2012(edition_2026):
    # The numbering structure knows the 2012 IDs; the revising edition is read through its mapping.
    assert current_numbering_edition().slug == "application-numbering-2012"


# --- pre-filling across editions --------------------------------------------------------------


def test_a_2026_response_starts_from_the_2012_answers_through_the_mapping(moldova_2026, moldova_2012, moldova_answers):
    response = moldova_2026
    assert response.prefilled_from == moldova_2012
    assert response.answers["q12c"] == response.answers["q12d"] == "yes"
    assert response.answers["q1a"] == ["trademarks"] and "q12a" not in response.answers
    assert response.carried_answers["q12c"] == response.carried_answers["q12d"] == "split"
    assert response.carried_answers["q1a"] == "same"
    assert set(response.carried_answers) == set(response.answers)
    assert response.not_carried_answers == [
        {"question": "q14b", "reason": {"template": "The question was removed from this edition.", "params": {}}}
    ]


def test_the_form_marks_carried_answers_and_lists_what_was_not_carried(client, moldova_2026, office_a_approver):
    client.force_login(office_a_approver)
    page = client.get(edit_url(moldova_2026))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="carried-summary"' in html
    assert html.count('class="carried-mark"') == len(moldova_2026.carried_answers)
    assert 'data-carried="split">↻ Carried over from 2012: part of question q12a — confirm it below.' in html
    assert 'data-carried="same">↻ Carried over from 2012 — confirm it below.' in html
    assert (
        'id="not-carried"' in html
        and '<li data-question="q14b"><strong>q14b</strong>: The question was removed' in html
    )
    # The mapping's note says why, in the page's language.
    assert "it asked again what Question 1 b) asks" in html
    assert 'id="confirm-priority"' in html


def test_a_carried_answer_loses_its_mark_once_the_office_changes_it(client, moldova_2026, office_a_approver):
    response = moldova_2026
    carried_before = dict(response.carried_answers)
    answers = {**response.answers, "q12d": "no"}
    response_save_draft(response=response, answers=answers, user=office_a_approver, expected_version=response.version)
    response.refresh_from_db()
    # Only the changed answer is the office's now; the others are still marked as carried.
    assert response.carried_answers == {qid: how for qid, how in carried_before.items() if qid != "q12d"}
    assert response.carried_answers["q12c"] == "split"
    client.force_login(office_a_approver)
    html = client.get(edit_url(response)).content.decode()
    assert html.count('class="carried-mark"') == len(carried_before) - 1
    # Setting it back to the 2012 answer does not mark it again: the office gave it.
    answers["q12d"] = "yes"
    response_save_draft(response=response, answers=answers, user=office_a_approver, expected_version=response.version)
    response.refresh_from_db()
    assert "q12d" not in response.carried_answers


def test_the_section_list_says_which_sections_are_still_to_confirm(client, moldova_2026, office_a_approver):
    # Everything is answered (0 left), yet submitting waits for each section to be
    # confirmed: the list says so instead of "Complete".
    client.force_login(office_a_approver)
    html = client.get(edit_url(moldova_2026)).content.decode()
    assert '<strong id="required-left">0</strong>' in html
    states = dict(re.findall(r'data-section="section-(\w+)" data-state="(\w+)"', html))
    assert set(states.values()) == {"to_confirm"}, states
    assert '<span class="sec-state">To confirm</span>' in html
    answers = dict(moldova_2026.answers)
    response_save_draft(
        response=moldova_2026,
        answers=answers,
        user=office_a_approver,
        expected_version=moldova_2026.version,
        confirmed_sections=["priority"],
    )
    html = client.get(edit_url(moldova_2026)).content.decode()
    states = dict(re.findall(r'data-section="section-(\w+)" data-state="(\w+)"', html))
    assert states["priority"] == "complete" and states["ipr_types"] == "to_confirm"


def test_the_form_speaks_french(client, moldova_2026, office_a_approver):
    client.force_login(office_a_approver)
    html = client.get(edit_url(moldova_2026), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Repris de 2012\u00a0: partie de la question q12a — à confirmer ci-dessous." in html
    assert "La question a été supprimée de cette édition." in html


def test_submitting_needs_the_carried_answers_confirmed(moldova_2026, office_a_approver, client, round_2026):
    response = moldova_2026
    with pytest.raises(ResponseInvalid) as refused:
        response_submit(response=response, user=office_a_approver)
    assert "priority" in refused.value.unconfirmed and "ipr_types" in refused.value.unconfirmed
    assert not refused.value.evaluation.errors  # only the confirmation is missing

    # Through the form: refused with the sections to confirm, then accepted once confirmed.
    client.force_login(office_a_approver)
    answers = dict(response.answers)
    confirm_url = reverse("surveys:response_submit", args=[response.pk])
    page = client.post(
        edit_url(response), form_data(round_2026.edition, answers, version=response.version, action="submit")
    )
    assert page["Location"] == confirm_url
    response.refresh_from_db()
    page = client.post(confirm_url, {"version": str(response.version)})
    assert page.status_code == 400 and "sections still to confirm after pre-filling" in page.content.decode()
    response.refresh_from_db()
    sections = [s.id for s in round_2026.edition.structure.sections]
    data = {
        **form_data(round_2026.edition, answers, version=response.version, action="submit"),
        "confirm_section": sections,
    }
    page = client.post(edit_url(response), data)
    assert page["Location"] == confirm_url
    response.refresh_from_db()
    page = client.post(confirm_url, {"version": str(response.version)})
    assert page.status_code == 302
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED


def test_a_round_on_the_same_edition_still_prefills_by_question_id(moldova_2012, fresh_round, office_a_approver):
    response = response_start(
        survey_round=fresh_round, numbering_system=moldova_2012.numbering_system, user=office_a_approver
    )
    assert response.answers == moldova_2012.answers
    assert response.carried_answers == {} and response.not_carried_answers == []


# --- the ST.13 evaluation and the report of a 2026 response ------------------------------------


def test_a_2026_response_gets_the_same_compliance_evaluation(moldova_2026, moldova_answers, edition_2026):
    evaluation_2012 = compliance_for_answers(moldova_answers)
    evaluation_2026 = compliance_for_answers(moldova_2026.answers, edition_2026.structure)
    assert evaluation_2026.overall == evaluation_2012.overall
    assert [(r.section, r.verdict) for r in evaluation_2026.rules] == [
        (r.section, r.verdict) for r in evaluation_2012.rules
    ]


def test_the_structure_of_a_2026_response_is_read_through_the_mapping(edition, edition_2026, moldova_answers):
    from surveys.questionnaire.revisions import carry_over
    from surveys.responses.compliance import response_structure

    given = {**moldova_answers, "q5a": "yes", "q5b": {"trademarks": {"code": "50"}}, "q5c": "partly"}
    answers, _, _ = carry_over(edition.structure, edition_2026.structure, given)
    assert answers["q5c"] == "some"
    structure = response_structure(answers, edition_2026.structure)
    assert structure == response_structure({k: v for k, v in given.items() if k != "q14b"})
    assert (structure.type_codes_st13, structure.priority_same_format) == ("partly", True)
    assert structure.sources["priority_same_format"] == ("q12a",)
    # Read without the mapping, the renamed codes and the split question would be lost.
    plain = response_structure(answers)
    assert (plain.type_codes_st13, plain.priority_same_format) == ("some", None)
    assert (
        compliance_for_answers(answers).as_dict() != compliance_for_answers(answers, edition_2026.structure).as_dict()
    )


def test_a_2026_round_report_builds_with_its_compliance_table(moldova_2026, round_2026):
    SurveyResponse.objects.filter(pk=moldova_2026.pk).update(status=ResponseStatus.PUBLISHED)
    with build_report(round_2026, scope=Scope.PUBLISHED) as report:
        tables = {t.id: t for t in report.tables}
        assert report.response_count == 1
        assert "q13" in tables and "compliance" in tables
        (row,) = list(tables["compliance"].rows)
        assert row.cells[0].value.startswith("MD")


# --- comparing the 2012 and 2026 rounds -----------------------------------------------------------


@pytest.fixture
def two_editions(moldova_2026, survey_round, round_2026, add_response, moldova_answers):
    """Moldova answered both; in 2026 its priority numbers are presented differently (q12d No)."""
    changed = {**moldova_2026.answers, "q12d": "no", "q12b": "The priority number is written with a hyphen."}
    SurveyResponse.objects.filter(pk=moldova_2026.pk).update(status=ResponseStatus.PUBLISHED, answers=changed)
    ep = NumberingSystem.objects.create(office_id="EP", label="Patents")
    add_response(survey_round, "EP", moldova_answers, system=ep)
    return survey_round, round_2026


def test_the_previous_round_of_a_2026_round_is_the_2012_round(two_editions):
    first, second = two_editions
    assert previous_round(second) == first


def test_rounds_on_2012_and_2026_are_compared_through_the_mapping(two_editions):
    first, second = two_editions
    comparison = compare_rounds(first, second, scope=Scope.PUBLISHED)
    assert comparison.across_editions
    by_id = {c.question.id: c for c in comparison.questions}
    assert (by_id["q12c"].previous, by_id["q12c"].how) == (("q12a",), "split")
    assert by_id["q12c"].compared == 1 and by_id["q12c"].changed == []
    assert by_id["q12d"].changed == ["MD"] and by_id["q12b"].changed == ["MD"]
    assert (by_id["q13d"].how, by_id["q13d"].compared) == ("added", 0)
    assert by_id["q1a"].compared == 1 and by_id["q1a"].changed == []
    assert [q.id for q in comparison.removed] == ["q14b"]
    assert [o.code for o in comparison.left] == ["EP"]


def test_the_comparison_page_shows_both_editions(client, two_editions, secretariat_reviewer):
    first, second = two_editions
    page = client.get(reverse("reports:round_comparison", args=[second.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "different editions of the questionnaire" in html and first.title in html
    assert '<tr data-how="split" data-previous="q12a">' in html
    assert '<tr data-how="added">' in html
    assert '<tr data-how="removed" data-previous="q14b">' in html


def test_comparison_queries_do_not_grow_with_responses(client, two_editions, moldova_answers, add_response):
    first, second = two_editions
    url = reverse("reports:round_comparison", args=[second.slug])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.get(url)  # the editions compiled once, outside the count
    few = queries()
    for code in ("FR", "DE", "GB", "JP"):
        system = NumberingSystem.objects.create(office_id=code, label="Trademarks")
        add_response(first, code, moldova_answers, system=system)
        add_response(second, code, {**moldova_answers, "q12c": "yes", "q12d": "yes"}, system=system)
    assert queries() == few
    assert compare_rounds(first, second, scope=Scope.PUBLISHED).systems_compared == 5


def test_the_working_document_lists_the_linked_questions(two_editions):
    from surveys.reports.working_document import _answer_changes_table

    first, second = two_editions
    table = _answer_changes_table(compare_rounds(first, second, scope=Scope.PUBLISHED), "en")
    assert [c.id for c in table.columns][:3] == ["question", "text", "previous"]
    cells = {row.key: [c.value for c in row.cells] for row in table.rows}
    assert cells["12a"][2] == "q12a (split)"
    assert cells["q14b"][2] == "q14b (removed from this edition)"


# --- the demonstration ------------------------------------------------------------------------------


def test_the_demo_opens_a_2026_round_where_moldova_starts_from_2012(reference_data):
    from surveys.demo import demo_load

    demo_load()
    rnd = SurveyRound.objects.get(slug="application-numbering-2026")
    assert rnd.status == SurveyRound.Status.OPEN
    assert set(rnd.invitations.values_list("office_id", flat=True)) == {"MD", "EP"}
    system = NumberingSystem.objects.get(office_id="MD", label="Trademarks")
    from django.contrib.auth.models import User

    response = response_start(survey_round=rnd, numbering_system=system, user=User.objects.get(username="md.approver"))
    assert response.prefilled_from.round.slug == "application-numbering-2012"
    assert response.carried_answers["q12c"] == "split"
    response_save_draft(response=response, answers=response.answers, user=response.created_by, expected_version=1)


def test_the_review_shows_what_changed_since_2012_through_the_mapping(moldova_2026, office_a_approver, round_2026):
    from surveys.review.presenters import review_page

    answers = {**moldova_2026.answers, "q12d": "no", "q12b": "The priority number is written with a hyphen."}
    response_save_draft(
        response=moldova_2026,
        answers=answers,
        user=office_a_approver,
        expected_version=moldova_2026.version,
        confirmed_sections=[s.id for s in round_2026.edition.structure.sections],
    )
    response_submit(response=moldova_2026, user=office_a_approver)
    reviewer = _secretariat()
    changed = {row.question.id: row.change for row in review_page(moldova_2026, reviewer)["since_last_round"]}
    # Only what Moldova changed: the split question's answers carried from 2012 are the same.
    assert changed == {"q12d": "changed", "q12b": "added"}


def _secretariat():
    from django.contrib.auth.models import Group, User

    from surveys.models import SECRETARIAT_GROUP

    user = User.objects.create_user("ib.check", password="persona-password")
    user.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])
    return user
