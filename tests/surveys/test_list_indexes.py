"""The lists read a page in order from an index and count from indexes: the indexes of the
migration exist, each list's page query walks its index instead of sorting every row
(read in SQLite's query plans), and the cheaper counts count exactly what the lists show."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from standards.models import Office
from surveys.models import Invitation, NumberingSystem, ResponseStatus, SurveyResponse, SurveyRound
from surveys.responses.selectors import public_responses, public_responses_to_count
from surveys.review.filters import RoundDashboardFilter
from surveys.review.selectors import ROW_KEY, round_counts, round_rows
from tests.surveys.test_paginated_lists import MANY, add_responses
from tests.surveys.web_helpers import EDITION_SLUG, logged_in

LIST_INDEXES = {
    ("surveys_surveyresponse", "response_status_listing"): ["status", "office_id", "sequence"],
    ("surveys_surveyresponse", "response_office_listing"): ["office_id", "sequence"],
    ("surveys_surveyresponse", "response_status_round"): ["status", "round_id"],
    ("surveys_surveyresponse", "response_round_office_status"): ["round_id", "office_id", "status"],
    ("surveys_numberingsystem", "system_office_listing"): ["office_id", "created_at", "id"],
}


@pytest.mark.django_db
def test_the_list_indexes_are_in_the_database():
    with connection.cursor() as cursor:
        found = {
            (table, name): info["columns"]
            for table in {table for table, _ in LIST_INDEXES}
            for name, info in connection.introspection.get_constraints(cursor, table).items()
            if info["index"]
        }
    for key, columns in LIST_INDEXES.items():
        assert found.get(key) == columns, key


# --- the plans (SQLite, the database of the tests) ------------------------------------------
# Each list is longer than a page, so that the page query is limited to a page as in use.

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's EXPLAIN QUERY PLAN")
SORTS_EVERY_ROW = "USE TEMP B-TREE FOR ORDER BY"  # not "... FOR RIGHT PART OF ORDER BY": ties only


def plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(row[-1] for row in cursor.fetchall())


def page_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def the_page_query(queries: list[str], table: str) -> str:
    """The query that reads the page's rows: the one from ``table`` limited to a page."""
    (sql,) = [
        q
        for q in queries
        if q.startswith(f'SELECT "{table}".') and re.search(r" ORDER BY .* LIMIT \d+( OFFSET \d+)?$", q)
    ]
    return sql


@sqlite_only
def test_the_public_list_reads_its_page_from_the_index_and_counts_from_one(client, survey_round):
    add_responses(survey_round, MANY)
    queries = page_queries(client, reverse("surveys:public_response_list", args=[EDITION_SLUG]))

    page = plan(the_page_query(queries, "surveys_surveyresponse"))
    (count,) = [q for q in queries if q.startswith('SELECT COUNT(*) AS "__count" FROM "surveys_surveyresponse"')]

    assert "response_status_listing" in page and SORTS_EVERY_ROW not in page
    # Counted in the index, a round of the edition at a time: no join per response.
    assert "COVERING INDEX response_status_round (status=? AND round_id=?)" in plan(count)


@sqlite_only
def test_the_round_dashboard_reads_its_page_in_office_order_and_counts_from_the_index(
    secretariat_reviewer, survey_round
):
    add_responses(survey_round, MANY, status=ResponseStatus.SUBMITTED)
    queries = page_queries(
        logged_in(secretariat_reviewer), reverse("surveys:round_dashboard", args=[survey_round.slug])
    )

    page = plan(the_page_query(queries, "standards_office"))
    (per_state,) = [q for q in queries if 'FILTER (WHERE response."status" = ' in q]

    assert SORTS_EVERY_ROW not in page
    assert "COVERING INDEX response_round_office_status" in plan(per_state)
    assert "count(DISTINCT)" not in plan(per_state)
    # The number of rows comes from the counts per state: no count of the joined rows.
    assert not [q for q in queries if q.startswith("SELECT COUNT(*)") and "surveys_invitation" in q]


@sqlite_only
def test_the_secretariat_list_reads_its_page_from_the_office_index(secretariat_reviewer, survey_round):
    add_responses(survey_round, MANY, status=ResponseStatus.DRAFT)
    client = logged_in(secretariat_reviewer)

    every = plan(the_page_query(page_queries(client, reverse("surveys:dashboard")), "surveys_surveyresponse"))
    by_status = plan(
        the_page_query(page_queries(client, reverse("surveys:dashboard") + "?status=draft"), "surveys_surveyresponse")
    )

    assert "response_office_listing" in every and SORTS_EVERY_ROW not in every
    assert "response_status_listing" in by_status and SORTS_EVERY_ROW not in by_status


@sqlite_only
def test_the_office_dashboard_reads_its_systems_from_the_index(office_a_respondent, survey_round):
    NumberingSystem.objects.bulk_create([NumberingSystem(office_id="MD", label=f"S{i}") for i in range(MANY)])
    queries = page_queries(logged_in(office_a_respondent), reverse("surveys:dashboard"))

    systems = plan(the_page_query(queries, "surveys_numberingsystem"))

    assert "system_office_listing" in systems and SORTS_EVERY_ROW not in systems


# --- the counts count what the lists show ---------------------------------------------------


@pytest.fixture
def mixed_round(survey_round):
    """A round where an invited office has several responses in several states, invited
    offices have none, and offices that were never invited have responses anyway (one
    handed in); and a response of another round of the edition."""
    offices = add_responses(survey_round, 4, status=ResponseStatus.DRAFT)
    first = offices[0]
    for sequence, status in enumerate(("submitted", "published", "published", "returned"), start=2):
        system = NumberingSystem.objects.create(office=first, label=f"System {sequence}")
        SurveyResponse.objects.create(
            round=survey_round, office=first, numbering_system=system, sequence=sequence, status=status
        )
    SurveyResponse.objects.filter(office=offices[1]).update(status=ResponseStatus.ACCEPTED)
    uninvited = list(Office.objects.exclude(code__in=[o.code for o in offices] + ["MD", "EP"]).order_by("code")[:2])
    for office, status in zip(uninvited, ("submitted", "draft"), strict=True):
        system = NumberingSystem.objects.create(office=office, label="Uninvited")
        SurveyResponse.objects.create(
            round=survey_round, office=office, numbering_system=system, sequence=1, status=status
        )
    earlier = SurveyRound.objects.create(
        edition=survey_round.edition,
        slug="earlier",
        title="Earlier",
        year=2008,
        opens_on=date(2008, 1, 1),
        closes_on=date(2008, 12, 31),
    )
    Invitation.objects.create(round=earlier, office=first)
    SurveyResponse.objects.create(
        round=earlier,
        office=first,
        numbering_system=NumberingSystem.objects.get(office=first, label=f"Patents of {first.code}"),
        sequence=1,
        status=ResponseStatus.PUBLISHED,
    )
    return survey_round


def test_round_counts_count_each_state_among_invited_offices_and_each_office_once(mixed_round):
    assert round_counts(mixed_round) == {
        "offices_invited": 6,  # MD, EP and the four
        "not_started": 2,  # MD and EP
        "draft": 3,
        "submitted": 1,
        "returned": 1,
        "accepted": 1,
        "published": 2,
        # The first office and the second (accepted), and the uninvited office that submitted.
        "offices_answered": 3,
    }


@pytest.mark.parametrize(
    "query",
    [{}, {"state": "draft"}, {"state": "not_started"}, {"state": "published"}, {"state": "nonsense"}, {"q": "uninv"}],
)
def test_the_round_dashboard_rows_counted_from_the_counts_are_the_rows_listed(mixed_round, rf, query):
    filtered = RoundDashboardFilter(rf.get("/", query).GET, queryset=round_rows(mixed_round))
    listed = filtered.qs.values_list(*ROW_KEY).count()

    counted = filtered.rows_counted(round_counts(mixed_round))

    assert counted == (None if "q" in query else listed)


def test_the_round_dashboard_pager_says_how_many_rows_there_are(secretariat_reviewer, mixed_round):
    client = logged_in(secretariat_reviewer)
    url = reverse("surveys:round_dashboard", args=[mixed_round.slug])

    assert "1–10 of 10" in client.get(url).content.decode()  # 8 responses of invited offices, 2 not started
    assert "1–2 of 2" in client.get(url, {"state": "published"}).content.decode()
    assert "1–0 of 0" not in client.get(url, {"q": "uninvited"}).content.decode()


@pytest.mark.parametrize("search", ["", "patents", "uninvited", "md", "nothing like it"])
def test_the_public_list_is_counted_as_it_is_listed(mixed_round, search):
    listed = public_responses(EDITION_SLUG, search)

    assert public_responses_to_count(EDITION_SLUG, search).count() == len(list(listed))
    assert public_responses_to_count("another-edition", search).count() == 0


def test_the_lists_leave_the_answers_in_the_database(client, secretariat_reviewer, office_a_respondent, survey_round):
    add_responses(survey_round, 3, status=ResponseStatus.PUBLISHED)
    system = NumberingSystem.objects.create(office_id="MD", label="Patents")
    SurveyResponse.objects.create(round=survey_round, office_id="MD", numbering_system=system, sequence=1)
    secretariat = logged_in(secretariat_reviewer)
    pages = [
        (client, reverse("surveys:public_response_list", args=[EDITION_SLUG])),
        (secretariat, reverse("surveys:dashboard")),
        (secretariat, reverse("surveys:round_dashboard", args=[survey_round.slug])),
        (logged_in(office_a_respondent), reverse("surveys:dashboard")),
    ]
    for who, url in pages:
        responses_read = [q for q in page_queries(who, url) if '"office_id"' in q and '"sequence"' in q]
        assert responses_read, url
        assert not [q for q in responses_read if '"answers"' in q or '"set_aside_answers"' in q], url
