"""Hostile input to the API is a 400 with a JSON body saying why, never a server error:
JSON nested past any sensible depth, numbers too large for the database."""

from __future__ import annotations

import pytest

from surveys.models import NumberingSystem
from tests.api.helpers import ROUND_SLUG, client_for, url

HUGE = "99999999999999999999"


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_a_400_with_a_json_body(survey_round, office_a_respondent, depth):
    client = client_for(office_a_respondent)
    page = client.generic("POST", url("responses/"), _nested(depth), content_type="application/json")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("application/json")
    assert "nested" in page.json()["detail"]


def test_deeply_nested_answers_are_a_400(survey_round, office_a_respondent):
    system = NumberingSystem.objects.create(office_id="MD", label="Trademarks")
    client = client_for(office_a_respondent)
    started = client.post(url("responses/"), {"round": ROUND_SLUG, "numbering_system": system.pk}, format="json")
    body = '{"version": 1, "answers": {"q14a": ' + _nested(1_000) + "}}"
    page = client.generic("PUT", url(f"responses/{started.json()['id']}/"), body, content_type="application/json")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "9223372036854775808"])
def test_an_integer_filter_too_large_for_the_database_is_a_400(survey_round, value):
    page = client_for().get(url("responses/"), {"numbering_system": value})
    assert page.status_code == 400
    assert page["Content-Type"].startswith("application/json")
    assert "numbering_system" in page.json()


@pytest.mark.parametrize("path", ["responses/", "numbering-systems/", "offices/", "rounds/"])
def test_text_filters_with_long_numbers_are_no_error(survey_round, path):
    page = client_for().get(url(path), {"office": HUGE, "round": HUGE, "edition": HUGE})
    assert page.status_code in (200, 400)
    assert page["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("path", ["responses", "numbering-systems", "rounds", "offices", "editions"])
def test_an_object_number_too_large_is_a_404_not_an_error(survey_round, office_a_respondent, path):
    page = client_for(office_a_respondent).get(url(f"{path}/{HUGE}/"))
    assert page.status_code in (400, 404)
