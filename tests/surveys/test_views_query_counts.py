"""Query counts of the web pages that list responses: the public list, the office's
dashboard and the secretariat's do not make more queries for more responses."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.models import NumberingSystem
from tests.surveys.web_helpers import EDITION_SLUG, logged_in, public_url


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url)
    assert page.status_code == 200
    return len(ctx.captured_queries)


def _submitted_responses(make_response, user, answers, labels):
    return [make_response(user, answers, label=label, publish=True) for label in labels]


def test_public_list_query_count_does_not_grow(client, office_a_respondent, make_response, moldova_answers):
    url = reverse("surveys:public_response_list", args=[EDITION_SLUG])
    _submitted_responses(make_response, office_a_respondent, moldova_answers, ["System 1"])
    one = count_queries(client, url)
    _submitted_responses(make_response, office_a_respondent, moldova_answers, [f"System {i}" for i in range(2, 6)])
    five = count_queries(client, url)
    assert one == five
    content = client.get(url).content.decode()
    assert all(public_url(f"md-00{i}") in content for i in range(1, 6))


def test_public_list_exact_query_count(
    client, django_assert_num_queries, office_a_respondent, make_response, moldova_answers
):
    _submitted_responses(make_response, office_a_respondent, moldova_answers, [f"System {i}" for i in range(1, 4)])
    url = reverse("surveys:public_response_list", args=[EDITION_SLUG])
    # the edition, the count of responses, a page of them with their related rows, their rounds
    with django_assert_num_queries(4):
        page = client.get(url)
    assert page.status_code == 200


def test_office_dashboard_query_count_does_not_grow(office_a_respondent, make_response, django_assert_num_queries):
    client = logged_in(office_a_respondent)
    url = reverse("surveys:dashboard")
    make_response(office_a_respondent, label="System 1")
    one = count_queries(client, url)
    for i in range(2, 6):
        make_response(office_a_respondent, label=f"System {i}", submit=False)
    NumberingSystem.objects.create(office_id="MD", label="Not started yet", created_by=office_a_respondent)
    five = count_queries(client, url)
    assert one == five
    content = client.get(url).content.decode()
    assert all(f"md-00{i}" in content for i in range(1, 6))
    assert "Not started yet" in content
    # session, user, membership, count of systems, a page of them, open rounds, their
    # responses, secretariat group
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


def test_secretariat_dashboard_query_count_does_not_grow(
    secretariat_reviewer, office_a_respondent, office_b_respondent, make_response, django_assert_num_queries
):
    client = logged_in(secretariat_reviewer)
    url = reverse("surveys:dashboard")
    make_response(office_a_respondent, label="System 1")
    one = count_queries(client, url)
    for i in range(2, 4):
        make_response(office_a_respondent, label=f"System {i}")
    for i in range(4, 6):
        make_response(office_b_respondent, label=f"System {i}")
    five = count_queries(client, url)
    assert one == five
    content = client.get(url).content.decode()
    assert "md-003" in content and "ep-002" in content
    # session, user, membership, secretariat group, count of responses, a page of them with
    # their related rows
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
