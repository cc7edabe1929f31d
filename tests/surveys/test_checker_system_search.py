"""The checker's search for a published numbering system (/st13/systems/?q=…): published
responses only, at most 20, the checker's limits, a fixed number of queries; and the form
without scripts, which reads the typed text on the server."""

from __future__ import annotations

from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from standards.models import Office
from surveys.demo import EPO_PATENTS
from surveys.models import ResponseStatus
from surveys.responses.selectors import SYSTEM_SUGGESTIONS
from tests.surveys.test_paginated_lists import add_responses

SEARCH = reverse("toolkit:system_search")
CHECKER = reverse("toolkit:checker")


def search(client: Client, q: str, **extra) -> dict:
    answer = client.get(SEARCH, {"q": q}, **extra)
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "application/json"
    return answer.json()


def test_url_name():
    assert SEARCH == "/st13/systems/"


def test_finds_published_systems_by_code_office_name_and_system_name(
    client, office_a_respondent, office_b_respondent, make_response, moldova_answers
):
    moldova = make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    epo = make_response(office_b_respondent, EPO_PATENTS, label="European patent applications", publish=True)

    by_code = search(client, "md")
    by_office = search(client, "moldova")
    by_system = search(client, "EUROPEAN PATENT")

    assert by_code == {
        "results": [
            {
                "id": moldova.pk,
                "label": "MD – Trademarks (md-001, 2012)",
                "office": "MD",
                "office_name": Office.objects.get(code="MD").name,
                "system": "Trademarks",
                "key": "md-001",
                "year": 2012,
            }
        ],
        "more": False,
    }
    assert [r["id"] for r in by_office["results"]] == [moldova.pk]
    assert [r["id"] for r in by_system["results"]] == [epo.pk]


def test_unpublished_systems_never_appear(client, office_a_respondent, make_response, moldova_answers):
    make_response(office_a_respondent, moldova_answers, label="Draft trademarks")
    make_response(office_a_respondent, moldova_answers, label="Submitted trademarks", submit=True)
    published = make_response(office_a_respondent, moldova_answers, label="Published trademarks", publish=True)

    assert [r["id"] for r in search(client, "trademarks")["results"]] == [published.pk]
    assert [r["id"] for r in search(client, "MD")["results"]] == [published.pk]
    assert search(client, "draft")["results"] == []


def test_at_most_twenty_with_the_typed_code_first_and_a_fixed_number_of_queries(client, survey_round):
    add_responses(survey_round, 3)
    with CaptureQueriesContext(connection) as few:
        search(client, "patents of")
    add_responses(survey_round, 60, skip=3)
    add_responses(survey_round, 5, status=ResponseStatus.ACCEPTED, skip=63)
    with CaptureQueriesContext(connection) as many:
        found = search(client, "patents of")
    last = Office.objects.exclude(code__in=["MD", "EP"]).order_by("code")[62]

    assert len(found["results"]) == SYSTEM_SUGGESTIONS and found["more"] is True
    assert len(few) == len(many)
    # One query for the systems; the rest is the count of searches per client (cache table).
    assert (
        len([q for q in many.captured_queries if "wipostad_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]) == 1
    )
    assert search(client, last.code)["results"][0]["office"] == last.code


def test_an_empty_search_reads_nothing(client, survey_round):
    add_responses(survey_round, 3)
    with CaptureQueriesContext(connection) as context:
        found = search(client, "   ")
    assert found == {"results": [], "more": False}
    assert not [q for q in context.captured_queries if "wipostad_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]


def test_too_long_a_search_is_refused(client, reference_data):
    answer = client.get(SEARCH, {"q": "x" * 101})
    assert answer.status_code == 400
    assert answer.json() == {"detail": "Type at most 100 characters."}
    assert search(client, "x" * 100)["results"] == []


def test_a_nul_character_finds_nothing(client, survey_round):
    add_responses(survey_round, 3)
    assert search(client, "pat\x00")["results"] == []


def test_only_get(client, reference_data):
    assert client.post(SEARCH, {"q": "md"}).status_code == 405


@override_settings(WIPOSTAD_CHECKER_RATE="3/minute")
def test_the_checkers_rate_applies_to_anonymous_searches_apart_from_checks(client, reference_data):
    caches["default"].clear()
    for _ in range(3):
        search(client, "md", REMOTE_ADDR="203.0.113.9")
    refused = client.get(SEARCH, {"q": "md"}, REMOTE_ADDR="203.0.113.9")
    other_client = client.get(SEARCH, {"q": "md"}, REMOTE_ADDR="203.0.113.10")
    # The searches did not use up the checks.
    check = client.post(CHECKER, {"source": "auto", "numbers": "EP 99403122.7"}, REMOTE_ADDR="203.0.113.9")

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "Too many checks from your address: at most 3 every 60 seconds" in refused.json()["detail"]
    assert other_client.status_code == 200
    assert check.status_code == 200


@override_settings(WIPOSTAD_CHECKER_RATE="1/minute")
def test_signed_in_users_are_not_limited(office_a_respondent, reference_data):
    caches["default"].clear()
    client = Client()
    client.force_login(office_a_respondent)
    for _ in range(3):
        search(client, "md")


# --- the form without scripts ----------------------------------------------------------------


def check(client: Client, **data):
    return client.post(CHECKER, {"source": "response", "numbers": "EP 99403122.7", "ipr_type": "patents", **data})


def test_typed_text_naming_one_published_system_is_read_on_the_server(
    client, office_b_respondent, office_a_respondent, make_response, moldova_answers
):
    make_response(office_b_respondent, EPO_PATENTS, label="European patent applications", publish=True)
    make_response(office_a_respondent, moldova_answers, label="European draft")  # not public

    page = check(client, system="european patent")

    assert page.status_code == 200
    content = page.content.decode()
    assert "<strong>1 valid, 0 with errors</strong>" in content
    assert '<td class="mono">EP 99403122.7</td>' in content


def test_typed_text_naming_several_systems_lists_them_to_choose(client, survey_round):
    add_responses(survey_round, 3)

    page = check(client, system="patents of")

    assert page.status_code == 400
    content = page.content.decode()
    assert "3 published numbering systems match “patents of”: choose one below." in content
    assert content.count('<input type="radio" name="response"') == 3
    # The radio buttons replace the hidden field (one value for "response").
    assert '<input type="hidden" name="response"' not in content


def test_typed_text_naming_too_many_or_none(client, survey_round):
    add_responses(survey_round, SYSTEM_SUGGESTIONS + 1)

    too_many = check(client, system="patents").content.decode()
    none = check(client, system="no such system").content.decode()
    empty = check(client, system="").content.decode()

    assert "More than 20 published numbering systems match “patents”: type more of" in too_many
    assert 'type="radio" name="response"' not in too_many
    assert "No published numbering system matches “no such system”." in none
    assert "Choose a numbering system." in empty


def test_a_chosen_id_wins_over_the_text_and_must_be_published(
    client, office_b_respondent, office_a_respondent, make_response, moldova_answers
):
    epo = make_response(office_b_respondent, EPO_PATENTS, label="European patent applications", publish=True)
    draft = make_response(office_b_respondent, EPO_PATENTS, label="EPO draft")

    chosen = check(client, system="anything at all", response=str(epo.pk))
    unpublished = check(client, system="EP – EPO draft", response=str(draft.pk))
    nonsense = check(client, response="abc")

    assert "<strong>1 valid, 0 with errors</strong>" in chosen.content.decode()
    assert unpublished.status_code == nonsense.status_code == 400
    assert f"No published numbering system has the ID {draft.pk}" in unpublished.content.decode()
    assert "No published numbering system has the ID abc" in nonsense.content.decode()
