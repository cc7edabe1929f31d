"""GET /api/rounds/<slug>/report/: the Handbook tables as JSON, scoped like the web report."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

URL = "/api/rounds/application-numbering-2012/report/"


def _participation(data):
    return next(t for t in data["tables"] if t["id"] == "participation")


def test_report_json_is_the_web_report_json(client, office_a_respondent, make_response, moldova_answers):
    make_response(office_a_respondent, moldova_answers, publish=True)
    api = APIClient().get(URL)
    assert api.status_code == 200
    web = client.get("/surveys/rounds/application-numbering-2012/report/", {"format": "json"})
    api_data, web_data = api.json(), json.loads(web.getvalue())  # the web file is streamed
    api_data.pop("generated_at"), web_data.pop("generated_at")
    assert api_data == web_data
    assert _participation(api_data)["rows"]


def test_scope_published_for_everyone_submitted_for_the_secretariat(
    office_a_respondent, secretariat_reviewer, make_response, moldova_answers
):
    make_response(office_a_respondent, moldova_answers, publish=True)
    make_response(office_a_respondent, moldova_answers, label="Designs", submit=True)
    public = APIClient().get(URL, {"include": "submitted"}).json()
    secretariat = APIClient()
    secretariat.force_authenticate(secretariat_reviewer)
    with_submitted = secretariat.get(URL, {"include": "submitted"}).json()
    assert len(_participation(public)["rows"]) == 1
    assert (public["offices"], public["responses"]) == (1, 1)
    assert (with_submitted["offices"], with_submitted["responses"]) == (1, 2)


def test_one_table_and_unknown_table(office_a_respondent, make_response, moldova_answers):
    make_response(office_a_respondent, moldova_answers, publish=True)
    one = APIClient().get(URL, {"table": "participation"}).json()
    assert [t["id"] for t in one["tables"]] == ["participation"]
    assert APIClient().get(URL, {"table": "nope"}).status_code == 404


def test_query_count_does_not_grow(office_a_respondent, make_response, moldova_answers):
    make_response(office_a_respondent, moldova_answers, publish=True)
    with CaptureQueriesContext(connection) as one:
        APIClient().get(URL)
    for i in range(4):
        make_response(office_a_respondent, moldova_answers, label=f"System {i}", publish=True)
    with CaptureQueriesContext(connection) as five:
        APIClient().get(URL)
    assert len(one) == len(five)


def test_unknown_api_addresses_answer_in_json(client):
    response = client.get("/api/editions/not.a.slug/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}
