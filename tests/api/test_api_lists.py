"""REST API lists: the number of queries does not grow with the rows, for every persona
that lists them, and the filters of the response list."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from standards.models import Office, Standard
from surveys.models import (
    Invitation,
    NumberingSystem,
    QuestionnaireEdition,
    ResponseStatus,
    SurveyResponse,
    SurveyRound,
)
from surveys.review.workflow import comment_add
from tests.api.helpers import ROUND_SLUG, client_for, url
from tests.conftest import _approver_of, _secretariat_user

# --- query counts ---------------------------------------------------------------------


def _count_queries(client: APIClient, path: str, params: dict | None = None) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url(path), params or {})
    assert page.status_code == 200
    return len(queries), page.json()


def _same_queries_for_1_and_10(client, path, params, add_nine, django_assert_num_queries):
    n, first = _count_queries(client, path, params)
    assert first["count"] == 1
    add_nine()
    with django_assert_num_queries(n):
        page = client.get(url(path), params)
    assert page.json()["count"] == 10
    assert len(page.json()["results"]) == 10


def test_office_list_query_count(reference_data, django_assert_num_queries):
    # Search for a name made up here, so that 1 and then 10 offices match.
    Office.objects.create(code="AA", name="Querycount Office 0", kind="state")

    def add_nine():
        for i, code in enumerate(["AB", "AC", "AH", "AJ", "AK", "AN", "AQ", "AS", "AV"], start=1):
            Office.objects.create(code=code, name=f"Querycount Office {i}", kind="state")

    _same_queries_for_1_and_10(APIClient(), "offices/", {"search": "Querycount"}, add_nine, django_assert_num_queries)


def test_standard_list_query_count(reference_data, django_assert_num_queries):
    Standard.objects.all().delete()
    Standard.objects.create(code="ST.1", title="One")
    _same_queries_for_1_and_10(
        APIClient(),
        "standards/",
        {},
        lambda: [Standard.objects.create(code=f"ST.{i}", title=f"Standard {i}") for i in range(2, 11)],
        django_assert_num_queries,
    )


def test_edition_list_query_count(edition, django_assert_num_queries):
    def add_nine():
        for i in range(9):
            QuestionnaireEdition.objects.create(
                slug=f"copy-{i}", version="1", title=f"Copy {i}", year=2000 + i, definition={}, checksum="0" * 64
            )

    _same_queries_for_1_and_10(APIClient(), "editions/", {}, add_nine, django_assert_num_queries)


@pytest.mark.parametrize("persona", ["secretariat_reviewer", "office_a_respondent", None])
def test_round_list_query_count(request, survey_round, persona, make_response, django_assert_num_queries):
    user = request.getfixturevalue(persona) if persona else None
    md_user = request.getfixturevalue("office_a_respondent")
    if persona is None:  # the public sees rounds with published responses
        published = make_response(md_user, {}, label="Published")
        SurveyResponse.objects.filter(pk=published.pk).update(status=ResponseStatus.PUBLISHED)

    def add_nine():
        for i in range(9):
            rnd = SurveyRound.objects.create(
                edition=survey_round.edition,
                slug=f"round-{i}",
                title=f"Round {i}",
                year=2013 + i,
                opens_on=date(2013 + i, 1, 1),
                closes_on=date(2013 + i, 12, 31),
            )
            Invitation.objects.create(round=rnd, office_id="MD")
            Invitation.objects.create(round=rnd, office_id="EP")
            if persona is None:
                system = NumberingSystem.objects.create(office_id="MD", label=f"System {i}")
                SurveyResponse.objects.create(
                    round=rnd, office_id="MD", numbering_system=system, sequence=1, status=ResponseStatus.PUBLISHED
                )

    _same_queries_for_1_and_10(client_for(user), "rounds/", {}, add_nine, django_assert_num_queries)


@pytest.mark.parametrize("persona", ["secretariat_reviewer", "office_a_respondent", None])
def test_numbering_system_list_query_count(request, survey_round, persona, django_assert_num_queries):
    user = request.getfixturevalue(persona) if persona else None
    request.getfixturevalue("office_a_respondent")

    def system(i: int) -> None:
        created = NumberingSystem.objects.create(office_id="MD", label=f"System {i}")
        if persona is None:
            SurveyResponse.objects.create(
                round=survey_round,
                office_id="MD",
                numbering_system=created,
                sequence=i + 1,
                status=ResponseStatus.PUBLISHED,
            )

    system(0)
    _same_queries_for_1_and_10(
        client_for(user), "numbering-systems/", {}, lambda: [system(i) for i in range(1, 10)], django_assert_num_queries
    )


@pytest.mark.parametrize("persona", ["secretariat_reviewer", "office_a_respondent", "office_a_approver", None])
def test_response_list_query_count(request, persona, make_response, moldova_answers, django_assert_num_queries):
    user = request.getfixturevalue(persona) if persona else None
    md_user = request.getfixturevalue("office_a_respondent")
    ib = _secretariat_user()

    def add(i: int) -> None:
        response = make_response(md_user, moldova_answers, label=f"System {i}", publish=True)
        # Every row carries review comments and an attachment record, as real ones do.
        comment_add(response=response, user=ib, body=f"Comment {i}", question_id="q4b")
        response.attachments.create(question_id="q14d", token=f"token{i:02d}", original_name=f"Example {i}.doc")

    add(0)
    _same_queries_for_1_and_10(
        client_for(user), "responses/", {}, lambda: [add(i) for i in range(1, 10)], django_assert_num_queries
    )
    page = client_for(user).get(url("responses/")).json()
    first = page["results"][0]
    assert first["attachments"] == [{"question_id": "q14d", "name": "Example 0.doc", "size": 0}]
    if persona is None:
        assert first["comments"] is None
    else:
        assert [c["body"] for c in first["comments"]] == ["Comment 0"]


# --- list filters ---------------------------------------------------------------------


def test_response_filters(
    make_response, office_a_respondent, office_b_respondent, secretariat_reviewer, moldova_answers
):
    md_draft = make_response(office_a_respondent, {"q1a": ["patents"]}, label="Patents")
    md_submitted = make_response(office_a_respondent, moldova_answers, label="Trademarks", submit=True)
    ep_draft = make_response(office_b_respondent, {}, label="Patents")
    ib = client_for(secretariat_reviewer)

    def ids(**params):
        page = ib.get(url("responses/"), params)
        assert page.status_code == 200, page.json()
        return [r["id"] for r in page.json()["results"]]

    assert ids() == [ep_draft.pk, md_draft.pk, md_submitted.pk]
    assert ids(office="md") == [md_draft.pk, md_submitted.pk]
    assert ids(status="draft") == [ep_draft.pk, md_draft.pk]
    assert ids(status="submitted", office="MD") == [md_submitted.pk]
    assert ids(round=ROUND_SLUG) == [ep_draft.pk, md_draft.pk, md_submitted.pk]
    assert ids(round="no-such-round") == []
    assert ids(numbering_system=md_draft.numbering_system_id) == [md_draft.pk]
    assert ib.get(url("responses/"), {"status": "lost"}).status_code == 400
    assert ib.get(url("responses/"), {"numbering_system": "x"}).json() == {
        "numbering_system": ["'x' is not a valid value."]
    }
    # The approver of the office is the one who submits: pending drafts are easy to find.
    assert [
        r["id"] for r in client_for(_approver_of("MD")).get(url("responses/"), {"status": "draft"}).json()["results"]
    ] == [md_draft.pk]
