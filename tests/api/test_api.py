"""REST API: tokens, reference data, the question tree, drafts, the workflow, compliance,
the ST.13 checker and the query counts of every list."""

from __future__ import annotations

import time
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from standards.models import Office, Standard
from surveys.models import (
    Invitation,
    NumberingSystem,
    QuestionnaireEdition,
    ResponseEvent,
    ResponseRevision,
    ResponseStatus,
    ReviewComment,
    SurveyResponse,
    SurveyRound,
)
from surveys.review.workflow import comment_add
from tests.conftest import _approver_of, _secretariat_user

ROUND_SLUG = "application-numbering-2012"
EDITION_SLUG = "application-numbering-2012"
PASSWORD = "persona-password"

# The EPO structure of ST13.md: two-digit year, six-digit serial, ep_mod10_w12 check digit after a dot.
EPO_ANSWERS = {
    "q1a": ["patents"], "q2a": ["year", "serial", "control"], "q3a": "other", "q3b": ["year", "serial", "control"],
    "q4a": "fixed", "q4b": {"year": 2, "serial": 6, "control": 1}, "q5a": "no", "q6a": "yes", "q6b": "2",
    "q6c": "gregorian", "q7a": "yes", "q9a": "yes", "q9b": "separate", "q9c": "ep_mod10_w12", "q11a": "yes",
    "q11b": ["dot"], "q11c": "no",
}  # fmt: skip
# China: year (4), type (1), serial (7), cn_mod11 check digit after a dot.
CN_ANSWERS = {
    "q1a": ["patents", "utility_models", "industrial_designs"], "q2a": ["year", "type", "serial", "control"],
    "q3a": "other", "q3b": ["year", "type", "serial", "control"], "q4a": "fixed",
    "q4b": {"year": 4, "type": 1, "serial": 7, "control": 1}, "q5a": "yes",
    "q5b": {"patents": {"code": "1"}, "utility_models": {"code": "2"}, "industrial_designs": {"code": "3"}},
    "q5c": "no", "q6a": "yes", "q6b": "4", "q6c": "gregorian", "q7a": "yes", "q9a": "yes", "q9b": "separate",
    "q9c": "cn_mod11", "q11a": "yes", "q11b": ["dot"], "q11c": "no",
}  # fmt: skip
EPO_OK = {
    "input": "EP 99403122.7",
    "office_code": "EP",
    "ok": True,
    "verdict": "valid",
    "verdict_label": "valid",
    "reason": None,
    "check_digit": "verified",
    "check_note": "check digit 7 verified over the year and serial number (99403122): EPO: modulo 10, weights 1-2",
    "parts": {"year": "99", "serial": "403122", "control": "7"},
    "st13": "101999004031227",
    "st13_display": "EP 10-1999-4031227",
    "st13_partial": None,
    "office_display": "EP 99403122.7",
    "priority": "EP 99403122",
    "profile": None,
    "errors": [],
    "assumptions": [
        "type 10 taken from the IPR type covered (q1a): patents for inventions",
        "year 99 read as 1999 (two-digit years 50–99 are taken as 19xx, 00–49 as 20xx)",
    ],
}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The token endpoint's throttle counts in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def state(response: SurveyResponse) -> dict:
    """Everything a refused request must leave as it was."""
    response = SurveyResponse.objects.get(pk=response.pk)
    return {
        "status": response.status,
        "version": response.version,
        "answers": response.answers,
        "set_aside": response.set_aside_answers,
        "revisions": ResponseRevision.objects.filter(response=response).count(),
        "events": ResponseEvent.objects.filter(response=response).count(),
        "comments": ReviewComment.objects.filter(response=response).count(),
    }


def url(path: str) -> str:
    return f"/api/{path}"


# --- authentication -------------------------------------------------------------------


def test_token_for_username_and_password_and_used_in_the_header(
    make_response, office_a_respondent, office_b_respondent
):
    draft = make_response(office_a_respondent, {"q1a": ["patents"]}, label="Patents")
    page = APIClient().post(url("auth/token/"), {"username": "a.respondent", "password": PASSWORD}, format="json")
    assert page.status_code == 200
    token = Token.objects.get(user=office_a_respondent)
    assert page.json() == {"token": token.key}
    # The same token comes back on a second request.
    again = APIClient().post(url("auth/token/"), {"username": "a.respondent", "password": PASSWORD}, format="json")
    assert again.json() == {"token": token.key}

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    listing = client.get(url("responses/"))
    assert listing.status_code == 200
    assert [r["public_key"] for r in listing.json()["results"]] == ["md-001"]
    saved = client.patch(
        url(f"responses/{draft.pk}/"), {"answers": {"q1b": "1978"}, "version": draft.version}, format="json"
    )
    assert saved.status_code == 200
    assert SurveyResponse.objects.get(pk=draft.pk).answers == {"q1a": ["patents"], "q1b": "1978"}


def test_wrong_password_gives_no_token(office_a_respondent):
    page = APIClient().post(url("auth/token/"), {"username": "a.respondent", "password": "guess"}, format="json")
    assert page.status_code == 400
    assert "token" not in page.json()
    assert not Token.objects.exists()


def test_a_wrong_token_is_401_and_changes_nothing(make_response, office_a_respondent):
    draft = make_response(office_a_respondent, {"q1a": ["patents"]}, label="Patents")
    before = state(draft)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    page = client.patch(url(f"responses/{draft.pk}/"), {"answers": {"q1b": "1978"}, "version": 2}, format="json")
    assert page.status_code == 401
    assert page["WWW-Authenticate"] == "Token"
    assert state(draft) == before


def test_a_revoked_token_stops_working(office_a_respondent):
    token = Token.objects.create(user=office_a_respondent)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.delete(url("auth/token/")).status_code == 204
    assert not Token.objects.filter(user=office_a_respondent).exists()
    assert client.get(url("responses/")).status_code == 401


def test_token_requests_are_throttled(reference_data):
    client = APIClient()
    codes = [
        client.post(url("auth/token/"), {"username": "nobody", "password": "guess"}, format="json").status_code
        for _ in range(31)
    ]
    assert codes[:30] == [400] * 30
    assert codes[30] == 429
    assert not Token.objects.exists()


def test_session_changes_need_the_csrf_token(make_response, office_a_respondent, moldova_answers, office_a_approver):
    draft = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_a_approver)
    before = state(draft)
    refused = client.post(url(f"responses/{draft.pk}/submit/"), {}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert state(draft) == before
    # With the token from the cookie, as a browser sends it.
    client.get("/")  # the sign-out form on every page sets the cookie
    accepted = client.post(
        url(f"responses/{draft.pk}/submit/"),
        {},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert accepted.status_code == 200
    assert SurveyResponse.objects.get(pk=draft.pk).status == ResponseStatus.SUBMITTED


# --- reference data -------------------------------------------------------------------


def test_offices_are_paginated_filtered_and_searched(reference_data):
    client = APIClient()
    first = client.get(url("offices/")).json()
    assert first["count"] == Office.objects.count()
    assert len(first["results"]) == 50
    assert first["next"].endswith("/api/offices/?page=2")
    assert first["results"][0] == {
        "code": first["results"][0]["code"],
        "name": Office.objects.order_by("code").first().name,
        "kind": Office.objects.order_by("code").first().kind,
        "url": f"http://testserver/api/offices/{first['results'][0]['code']}/",
    }
    organizations = client.get(url("offices/"), {"kind": "organization"}).json()
    codes = [o["code"] for o in organizations["results"]]
    assert codes == list(Office.objects.filter(kind="organization").order_by("code").values_list("code", flat=True))
    assert "EP" in codes and "MD" not in codes
    found = client.get(url("offices/"), {"search": "moldova"}).json()
    assert [o["code"] for o in found["results"]] == ["MD"]
    assert [o["code"] for o in client.get(url("offices/"), {"search": "european patent"}).json()["results"]] == ["EP"]
    bad = client.get(url("offices/"), {"kind": "planet"})
    assert bad.status_code == 400
    assert "kind" in bad.json()


def test_office_detail_by_code_in_either_case(reference_data):
    client = APIClient()
    assert client.get(url("offices/ep/")).json()["name"] == Office.objects.get(code="EP").name
    assert client.get(url("offices/EP/")).json()["code"] == "EP"
    assert client.get(url("offices/ZZ/")).status_code == 404


def test_standards_list(reference_data):
    data = APIClient().get(url("standards/")).json()
    assert data["count"] == Standard.objects.count()
    st13 = next(s for s in data["results"] if s["code"] == "ST.13")
    row = Standard.objects.get(code="ST.13")
    assert st13 == {"code": "ST.13", "title": row.title, "version": row.version, "adopted": row.adopted, "url": row.url}


# --- the question tree ----------------------------------------------------------------


def test_edition_list_and_whole_question_tree(edition, edition_structure):
    client = APIClient()
    listing = client.get(url("editions/")).json()
    assert listing["count"] == 1
    assert listing["results"][0] == {
        "slug": EDITION_SLUG,
        "version": edition.version,
        "title": edition.title,
        "year": 2012,
        "checksum": edition.checksum,
        "url": f"http://testserver/api/editions/{EDITION_SLUG}/",
    }
    tree = client.get(url(f"editions/{EDITION_SLUG}/")).json()
    questions = [q for section in tree["sections"] for q in section["questions"]]
    assert [q["id"] for q in questions] == [q.id for q in edition_structure.questions]
    assert [s["id"] for s in tree["sections"]] == [s.id for s in edition_structure.sections]
    by_id = {q["id"]: q for q in questions}

    q1a = by_id["q1a"]
    assert (q1a["type"], q1a["required"], q1a["condition"]) == ("multi", True, None)
    assert q1a["text"] == "Which types of IPRs are numbered using this system?"
    assert [c["code"] for c in q1a["choices"]] == [
        "patents", "pct_national", "plant_patents", "utility_models", "industrial_designs", "trademarks", "spc",
        "layout_designs", "other",
    ]  # fmt: skip
    assert q1a["choices"][0] == {"code": "patents", "label": "Patents for inventions"}
    assert by_id["q1a_other"]["condition"] == {"has": ["q1a", "other"]}
    # yes/no questions list their two codes like any other choice.
    assert by_id["q5a"]["choices"] == [{"code": "yes", "label": "Yes"}, {"code": "no", "label": "No"}]
    assert (by_id["q4b"]["type"], by_id["q4b"]["parts_from"], by_id["q4b"]["range"]) == ("part_lengths", "q2a", False)
    assert by_id["q4b"]["condition"] == edition_structure.by_id["q4b"].condition
    assert by_id["q4c"]["range"] is True
    assert by_id["q5b"]["rows_from"] == "q1a"
    assert [c["id"] for c in by_id["q14a"]["columns"]] == ["office_name", "example", "priority_presentation"]
    assert by_id["q14a"]["min_rows"] == 1
    assert by_id["q9c"]["catalogue"] == "check_digits"
    assert {"ep_mod10_w12", "cn_mod11", "other"} <= {c["code"] for c in by_id["q9c"]["choices"]}
    assert by_id["q13c"]["required"] is False
    assert by_id["q14d"]["attachment"] is True
    for qid, question in by_id.items():
        source = edition_structure.by_id[qid]
        assert (question["required"], question["condition"], question["type"]) == (
            source.required,
            source.condition,
            source.type,
        )
    assert [e["number"] for e in tree["help_examples"]] == list(range(1, len(edition_structure.examples) + 1))
    assert len(tree["introduction"]) == len(edition_structure.introduction)
    assert client.get(url("editions/no-such-edition/")).status_code == 404


# --- rounds and numbering systems -----------------------------------------------------


def test_rounds_by_who_asks(
    survey_round, make_response, office_a_respondent, office_b_respondent, secretariat_reviewer
):
    other = SurveyRound.objects.create(
        edition=survey_round.edition,
        slug="application-numbering-2030",
        title="Application numbering (2030)",
        year=2030,
        opens_on=date(2030, 1, 1),
        closes_on=date(2030, 12, 31),
    )
    Invitation.objects.create(round=other, office_id="JP")

    def slugs(user=None):
        return [r["slug"] for r in client_for(user).get(url("rounds/")).json()["results"]]

    assert slugs() == []  # nothing published yet
    assert slugs(office_a_respondent) == [ROUND_SLUG]  # invited
    assert slugs(secretariat_reviewer) == ["application-numbering-2030", ROUND_SLUG]
    assert client_for().get(url(f"rounds/{ROUND_SLUG}/")).status_code == 404
    assert client_for(office_a_respondent).get(url("rounds/application-numbering-2030/")).status_code == 404

    make_response(office_b_respondent, {}, label="Patents", publish=False)
    assert slugs() == []
    md = make_response(office_a_respondent, {}, label="Patents")
    SurveyResponse.objects.filter(pk=md.pk).update(status=ResponseStatus.PUBLISHED)
    assert slugs() == [ROUND_SLUG]
    detail = client_for().get(url(f"rounds/{ROUND_SLUG}/")).json()
    assert detail == {
        "slug": ROUND_SLUG,
        "url": f"http://testserver/api/rounds/{ROUND_SLUG}/",
        "title": survey_round.title,
        "year": 2012,
        "edition": EDITION_SLUG,
        "opens_on": "2012-03-01",
        "closes_on": "2012-12-31",
        "status": "open",
        "invited_offices": None,
    }
    assert client_for(secretariat_reviewer).get(url(f"rounds/{ROUND_SLUG}/")).json()["invited_offices"] == ["EP", "MD"]
    assert client_for(secretariat_reviewer).get(url("rounds/"), {"status": "closed"}).json()["count"] == 0


def test_office_adds_a_numbering_system(reference_data, office_a_respondent, secretariat_reviewer):
    client = client_for(office_a_respondent)
    page = client.post(url("numbering-systems/"), {"label": "  Utility models "}, format="json")
    assert page.status_code == 201
    system = NumberingSystem.objects.get()
    assert (system.office_id, system.label, system.created_by) == ("MD", "Utility models", office_a_respondent)
    assert page.json() == {
        "id": system.pk,
        "url": f"http://testserver/api/numbering-systems/{system.pk}/",
        "office": "MD",
        "office_name": "Republic of Moldova",
        "label": "Utility models",
        "created_at": page.json()["created_at"],
    }
    duplicate = client.post(url("numbering-systems/"), {"label": "utility MODELS"}, format="json")
    assert duplicate.status_code == 400
    assert duplicate.json() == {"detail": "The office already has a numbering system called “utility MODELS”."}
    other_office = client.post(url("numbering-systems/"), {"label": "Patents", "office": "EP"}, format="json")
    assert other_office.status_code == 403
    unknown = client.post(url("numbering-systems/"), {"label": "Patents", "office": "ZZ"}, format="json")
    assert unknown.status_code == 400
    assert client_for(secretariat_reviewer).post(url("numbering-systems/"), {"label": "X"}).status_code == 403
    assert NumberingSystem.objects.count() == 1


# --- responses: drafts ----------------------------------------------------------------


def test_start_a_draft_then_get_the_same_one(survey_round, office_a_respondent):
    system = NumberingSystem.objects.create(office_id="MD", label="Trademarks")
    client = client_for(office_a_respondent)
    body = {"round": ROUND_SLUG, "numbering_system": system.pk}
    page = client.post(url("responses/"), body, format="json")
    assert page.status_code == 201
    response = SurveyResponse.objects.get()
    data = page.json()
    assert (data["id"], data["public_key"], data["status"], data["version"]) == (response.pk, "md-001", "draft", 1)
    assert (data["round"], data["edition"], data["office"], data["office_name"]) == (
        ROUND_SLUG,
        EDITION_SLUG,
        "MD",
        "Republic of Moldova",
    )
    assert data["numbering_system"] == {"id": system.pk, "label": "Trademarks"}
    assert data["answers"] == {}
    assert data["can_edit"] is True
    assert data["allowed_actions"] == []  # a respondent cannot submit
    assert data["complete"] is False
    assert data["errors"]["q1a"] == [
        {"question_id": "q1a", "code": "required", "message": "This question needs an answer."}
    ]
    again = client.post(url("responses/"), body, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == response.pk
    assert SurveyResponse.objects.count() == 1


def test_start_in_a_closed_round_is_refused(survey_round, office_a_respondent):
    SurveyRound.objects.filter(pk=survey_round.pk).update(status=SurveyRound.Status.CLOSED)
    system = NumberingSystem.objects.create(office_id="MD", label="Trademarks")
    page = client_for(office_a_respondent).post(
        url("responses/"), {"round": ROUND_SLUG, "numbering_system": system.pk}, format="json"
    )
    assert page.status_code == 400
    assert page.json() == {"detail": f"The round “{survey_round.title}” is closed."}
    assert not SurveyResponse.objects.exists()


def test_put_saves_answers_and_returns_the_engines_verdict(make_response, office_a_respondent, moldova_answers):
    draft = make_response(office_a_respondent, label="Trademarks")
    answers = {**moldova_answers, "q14b": "1992"}
    del answers["q13b"]  # required (q13a = no) and left out
    page = client_for(office_a_respondent).put(
        url(f"responses/{draft.pk}/"), {"answers": answers, "version": 1}, format="json"
    )
    assert page.status_code == 200
    data = page.json()
    stored = SurveyResponse.objects.get(pk=draft.pk)
    assert stored.version == 2
    assert stored.answers == answers
    assert data["version"] == 2
    assert data["answers"] == answers
    assert data["errors"] == {
        "q13b": [{"question_id": "q13b", "code": "required", "message": "This question needs an answer."}]
    }
    assert data["complete"] is False
    assert "q4c" not in data["applicable"] and "q4b" in data["applicable"]
    assert "q13b" in data["applicable"]
    assert data["warnings"] == []
    assert data["stashed_answers"] == {}
    assert ResponseRevision.objects.filter(response=draft).count() == 2


def test_patch_changes_only_what_is_sent_and_null_clears(make_response, office_a_respondent, moldova_answers):
    draft = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    client = client_for(office_a_respondent)
    page = client.patch(
        url(f"responses/{draft.pk}/"), {"answers": {"q1b": "1993", "q14b": None}, "version": 2}, format="json"
    )
    assert page.status_code == 200
    expected = {k: v for k, v in moldova_answers.items() if k != "q14b"} | {"q1b": "1993"}
    assert SurveyResponse.objects.get(pk=draft.pk).answers == expected
    assert page.json()["answers"] == expected


def test_answers_that_stop_applying_are_set_aside(make_response, office_a_respondent, moldova_answers):
    draft = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    client = client_for(office_a_respondent)
    page = client.patch(
        url(f"responses/{draft.pk}/"),
        {"answers": {"q4a": "variable", "q4c": {"serial": {"min": 1, "max": 6}}}, "version": 2},
        format="json",
    )
    data = page.json()
    assert "q4b" not in data["answers"] and "q4b" not in data["applicable"]
    assert data["stashed_answers"] == {"q4b": {"serial": 6}}
    # Back to fixed: the earlier lengths come back.
    back = client.patch(url(f"responses/{draft.pk}/"), {"answers": {"q4a": "fixed"}, "version": 3}, format="json")
    assert back.json()["answers"]["q4b"] == {"serial": 6}
    assert back.json()["stashed_answers"] == {"q4c": {"serial": {"min": 1, "max": 6}}}


def test_stale_version_is_409_with_a_clear_message(make_response, office_a_respondent, moldova_answers):
    draft = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    client = client_for(office_a_respondent)
    first = client.patch(url(f"responses/{draft.pk}/"), {"answers": {"q1b": "1993"}, "version": 2}, format="json")
    assert first.status_code == 200
    before = state(draft)
    page = client.patch(url(f"responses/{draft.pk}/"), {"answers": {"q1b": "1994"}, "version": 2}, format="json")
    assert page.status_code == 409
    body = page.json()
    assert (body["current_version"], body["your_version"]) == (3, 2)
    assert body["detail"].startswith("The response was changed by a.respondent at ")
    assert "is now version 3; your request was based on version 2. Nothing was changed" in body["detail"]
    assert state(draft) == before


def test_unknown_question_ids_are_400_and_nothing_is_written(make_response, office_a_respondent):
    draft = make_response(office_a_respondent, {"q1a": ["patents"]}, label="Patents")
    before = state(draft)
    for method in ("put", "patch"):
        page = getattr(client_for(office_a_respondent), method)(
            url(f"responses/{draft.pk}/"), {"answers": {"q1a": ["patents"], "q99z": "x", "q0": 1}, "version": 2}
        , format="json")  # fmt: skip
        assert page.status_code == 400
        assert page.json() == {"answers": ["Unknown question ID(s): q0, q99z."]}
    assert state(draft) == before


def test_malformed_bodies_are_400(make_response, office_a_respondent):
    draft = make_response(office_a_respondent, {"q1a": ["patents"]}, label="Patents")
    before = state(draft)
    client = client_for(office_a_respondent)
    assert client.put(url(f"responses/{draft.pk}/"), {"answers": {"q1a": ["patents"]}}, format="json").json() == {
        "version": ["This field is required."]
    }
    assert (
        client.put(url(f"responses/{draft.pk}/"), {"answers": ["q1a"], "version": 2}, format="json").status_code == 400
    )
    assert state(draft) == before


def test_invalid_answers_are_saved_in_a_draft_and_reported(make_response, office_a_respondent):
    draft = make_response(office_a_respondent, label="Patents")
    page = client_for(office_a_respondent).put(
        url(f"responses/{draft.pk}/"), {"answers": {"q1a": ["patents", "ships"], "q1b": "someday"}, "version": 1},
        format="json",
    )  # fmt: skip
    assert page.status_code == 200
    errors = page.json()["errors"]
    assert errors["q1a"] == [{"question_id": "q1a", "code": "unknown_choice", "message": "Unknown choice 'ships'."}]
    assert errors["q1b"][0]["code"] == "bad_date"
    assert SurveyResponse.objects.get(pk=draft.pk).answers == {"q1a": ["patents", "ships"], "q1b": "someday"}


# --- responses: the workflow ----------------------------------------------------------


def test_submit_of_an_incomplete_response_lists_the_errors(make_response, office_a_respondent, office_a_approver):
    draft = make_response(office_a_respondent, {"q1a": ["patents"]}, label="Patents")
    before = state(draft)
    page = client_for(office_a_approver).post(url(f"responses/{draft.pk}/submit/"), {"version": 2}, format="json")
    assert page.status_code == 400
    body = page.json()
    assert body["detail"].startswith("The response cannot be submitted yet: ")
    assert body["errors"]["q1b"] == [
        {"question_id": "q1b", "code": "required", "message": "This question needs an answer."}
    ]
    assert "q1a" not in body["errors"]
    assert body["unconfirmed_sections"] == []
    assert state(draft) == before


def test_the_whole_review_through_the_api(
    make_response, office_a_respondent, office_a_approver, secretariat_reviewer, moldova_answers,
    django_capture_on_commit_callbacks, mailoutbox,
):  # fmt: skip
    draft = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    office, approver, ib = (client_for(u) for u in (office_a_respondent, office_a_approver, secretariat_reviewer))
    path = f"responses/{draft.pk}/"

    assert approver.get(url(path)).json()["allowed_actions"] == ["submit"]
    assert office.get(url(path)).json()["allowed_actions"] == []
    with django_capture_on_commit_callbacks(execute=True):
        submitted = approver.post(url(path + "submit/"), {"version": 2}, format="json")
    assert submitted.status_code == 200
    assert (submitted.json()["status"], submitted.json()["version"]) == ("submitted", 3)
    assert submitted.json()["can_edit"] is False
    assert ib.get(url(path)).json()["allowed_actions"] == ["return", "accept"]

    returned = ib.post(
        url(path + "return/"),
        {"comment": "Please check the length.", "question_comments": {"q4b": "Six or seven digits?"}, "version": 3},
        format="json",
    )
    assert returned.status_code == 200
    data = returned.json()
    assert (data["status"], data["version"]) == ("returned", 4)
    assert [(c["question_id"], c["body"], c["author"], c["version"]) for c in data["comments"]] == [
        ("", "Please check the length.", "ib.reviewer", 4),
        ("q4b", "Six or seven digits?", "ib.reviewer", 4),
    ]
    assert office.get(url(path)).json()["comments"] == data["comments"]
    assert office.get(url(path)).json()["can_edit"] is True

    assert office.patch(url(path), {"answers": {"q14b": "1993"}, "version": 4}, format="json").status_code == 200
    assert approver.post(url(path + "submit/"), {}, format="json").json()["status"] == "submitted"
    accepted = ib.post(url(path + "accept/"), {"comment": "Thank you."}, format="json").json()
    assert (accepted["status"], accepted["allowed_actions"]) == ("accepted", ["publish", "reopen"])
    published = ib.post(url(path + "publish/"), {}, format="json").json()
    assert published["status"] == "published"
    assert published["published_at"] is not None

    # Now public: the anonymous representation holds no review matter.
    public = client_for().get(url(path)).json()
    assert (public["public_key"], public["status"], public["answers"]) == ("md-001", "published", published["answers"])
    assert (public["comments"], public["stashed_answers"], public["allowed_actions"]) == (None, None, [])
    assert public["confirmed_sections"] is None and public["can_edit"] is False

    reopened = ib.post(url(path + "reopen/"), {"comment": "A correction."}, format="json").json()
    assert reopened["status"] == "returned"
    assert client_for().get(url(path)).status_code == 404
    assert list(ResponseEvent.objects.filter(response=draft).values_list("action", "actor__username")) == [
        ("submit", "a.approver"),
        ("return", "ib.reviewer"),
        ("submit", "a.approver"),
        ("accept", "ib.reviewer"),
        ("publish", "ib.reviewer"),
        ("reopen", "ib.reviewer"),
    ]
    assert len(mailoutbox) >= 1


def test_workflow_refusals(
    make_response, office_a_respondent, office_a_approver, secretariat_reviewer, moldova_answers
):
    submitted = make_response(office_a_respondent, moldova_answers, label="Trademarks", submit=True)
    ib = client_for(secretariat_reviewer)
    path = f"responses/{submitted.pk}/"
    before = state(submitted)

    stale = ib.post(url(path + "accept/"), {"version": submitted.version - 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == submitted.version
    wrong_state = ib.post(url(path + "publish/"), {}, format="json")
    assert wrong_state.status_code == 400
    assert wrong_state.json() == {"detail": "A response that is submitted cannot be published."}
    silent_return = ib.post(url(path + "return/"), {"comment": "  "}, format="json")
    assert silent_return.status_code == 400
    assert silent_return.json() == {
        "detail": "Say what the office should change: add a comment, on the response or on a question."
    }
    unknown_question = ib.post(url(path + "return/"), {"question_comments": {"q99": "?"}}, format="json")
    assert unknown_question.json() == {"detail": "Unknown question ID(s): q99."}
    not_yours = client_for(office_a_approver).post(url(path + "accept/"), {}, format="json")
    assert not_yours.status_code == 403
    assert not_yours.json() == {"detail": "Only the International Bureau (secretariat) can do this."}
    assert state(submitted) == before


# --- compliance -----------------------------------------------------------------------


def test_compliance_of_the_moldova_response(make_response, office_a_respondent, moldova_answers):
    published = make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    data = client_for().get(url(f"responses/{published.pk}/compliance/")).json()
    assert (data["response"], data["public_key"]) == (published.pk, "md-001")
    compliance = data["compliance"]
    verdicts = {rule["section"]: rule["verdict"] for rule in compliance["rules"]}
    assert [verdicts[s] for s in "abcd"] == ["deviates"] * 4
    assert all(verdicts[s] in ("not_applicable", "complies") for s in "efg")
    assert (compliance["overall"], compliance["declared"], compliance["disagrees"]) == ("deviates", False, False)
    assert compliance["summary"].startswith("Deviates from ST.13 on ")
    assert all(rule["reason"] and rule["title"] for rule in compliance["rules"])
    assert len(data["examples"]) == 1
    example = data["examples"][0]
    # The number fits the declared structure; a trademark's type is left to the office,
    # which declares no code: everything else is converted and the type marked unknown.
    assert (example["row"], example["column"], example["input"], example["ok"]) == (1, "example", "030812", True)
    assert example["verdict"] == "valid"
    assert example["parts"] == {"serial": "030812"}
    assert (example["office_display"], example["priority"], example["st13"]) == ("MD 030812", "MD 030812", None)
    assert example["st13_partial"] == "??0000000030812"
    assert example["errors"] == []
    assert example["assumptions"][0] == (
        "type unknown (??): ST.13 (b) leaves the code for trademarks to each office (two digits in 30–89), and "
        "the office declares none (q5b)"
    )
    assert example["assumptions"][1:] == ["year 0000: the number codes no year (ST.13 (c))"]


# --- the ST.13 checker ----------------------------------------------------------------


def parse(client: APIClient, HTTP_ACCEPT_LANGUAGE: str = "en", **body):  # noqa: N803 — Django's header keyword
    return client.post(url("st13/parse/"), body, format="json", HTTP_ACCEPT_LANGUAGE=HTTP_ACCEPT_LANGUAGE)


def test_st13_acceptance_examples(reference_data):
    client = APIClient()  # anonymous: the checker is public
    epo = parse(client, numbers=["EP 99403122.7", "EP 99403122.5"], office="EP", answers=EPO_ANSWERS)
    assert epo.status_code == 200
    data = epo.json()
    assert (data["office"], data["response"], data["count"], data["valid"], data["invalid"]) == ("EP", None, 2, 1, 1)
    assert data["ignored_answers"] == []
    assert data["results"][0] == EPO_OK
    wrong = data["results"][1]
    assert wrong["ok"] is False
    assert wrong["errors"] == ["check digit 5 does not match: the ep_mod10_w12 check digit of 99403122 is 7"]
    assert (wrong["st13"], wrong["office_display"], wrong["priority"]) == (None, None, None)

    cn = parse(client, numbers=["CN 201710601862.3"], office="CN", answers=CN_ANSWERS).json()
    assert cn["valid"] == 1
    assert cn["results"][0]["ok"] is True
    assert cn["results"][0]["parts"] == {"year": "2017", "type": "1", "serial": "0601862", "control": "3"}


def test_st13_with_a_response_structure(make_response, office_a_respondent, office_b_respondent, moldova_answers):
    # Published as is: the structure questions alone do not make a complete response.
    ep = make_response(office_b_respondent, EPO_ANSWERS, label="Patents")
    SurveyResponse.objects.filter(pk=ep.pk).update(status=ResponseStatus.PUBLISHED)
    client = APIClient()
    data = parse(client, numbers=["99403122.7"], response=ep.pk).json()
    assert data["office"] == "EP"
    assert data["results"][0]["st13"] == "101999004031227"
    assert data["results"][0]["office_display"] == "EP 99403122.7"
    mismatch = parse(client, numbers=["99403122.7"], response=ep.pk, office="MD")
    assert mismatch.status_code == 400
    assert mismatch.json() == {"office": ["Response ep-001 is EP's: give that code or none."]}
    draft = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    hidden = parse(client, numbers=["030812"], response=draft.pk)
    assert hidden.status_code == 400
    assert hidden.json() == {"response": ["No response with this ID that you may read."]}
    own = parse(client_for(office_a_respondent), numbers=["030812", "30812"], response=draft.pk).json()
    fits, short = own["results"]
    assert (fits["parts"], fits["office_display"]) == ({"serial": "030812"}, "MD 030812")
    assert fits["ok"] and fits["st13_partial"] == "??0000000030812"
    assert (short["parts"], short["office_display"]) == ({}, None)
    assert short["errors"] == ["expected 6 digits (serial number 6), found 5"]


def test_st13_reads_each_number_with_the_profile_of_its_office(reference_data):
    client = APIClient()
    numbers = [
        "US 11/005859",  # MPEP § 503 series code 11 …
        "US 13/005859",  # … and 13: two applications, two forms
        "DE 10 2007 004 488.9",  # BPatG 15 W (pat) 33/08
        "DE 10 2007 004488.3",  # the same, wrong check digit
        "EP 04257544",  # priority form without the check digit (J 9/07: EP 04257544.9)
        "PCT/US02/03226",
        "MD 030812",  # no built-in profile for Moldova
    ]
    data = parse(client, numbers=numbers).json()
    results = data["results"]
    assert (data["office"], data["profile"], data["count"], data["valid"]) == (None, None, 7, 5)
    assert data["verdicts"] == {
        "valid": 4,
        "valid_check_digit_not_given": 1,
        "valid_check_digit_not_verified": 0,
        "error": 2,
        "no_st13_form": 0,
    }
    assert [r["st13"] for r in results] == [
        "100000110005859",
        "100000130005859",
        "102007000044889",
        None,
        "102004002575449",
        "912002US0003226",
        None,
    ]
    assert [r["profile"] for r in results] == ["us", "us", "de", "de", "ep", "wo", None]
    assert results[3]["errors"] == ["check digit 3 does not match: the de_dpma_mod11 check digit of 102007004488 is 9"]
    assert results[4]["verdict"] == "valid_check_digit_not_given" and results[4]["check_digit"] == "not_given"
    assert results[6]["reason"].startswith("there is no built-in numbering profile for MD")


def test_st13_with_a_profile_and_numbers_without_their_office(reference_data):
    data = parse(APIClient(), numbers=["10 2014 012 282.4"], profile="de").json()
    assert data["results"][0]["st13"] == "102014000122824"
    assert data["results"][0]["office_code"] == "DE"
    assert parse(APIClient(), numbers=["1"], profile="xx").status_code == 400


def test_st13_sentences_follow_the_language_of_the_request(reference_data):
    client = APIClient()
    french = parse(client, numbers=["DE 10 2007 004488.3"], HTTP_ACCEPT_LANGUAGE="fr").json()["results"][0]
    spanish = parse(client, numbers=["DE 10 2007 004488.3"], HTTP_ACCEPT_LANGUAGE="es").json()["results"][0]
    assert french["verdict"] == spanish["verdict"] == "error"  # codes stay as they are
    assert french["verdict_label"] == "erreur" and spanish["verdict_label"] == "error"
    assert "chiffre de contrôle 3" in french["errors"][0]
    assert "dígito de control 3" in spanish["errors"][0]


def test_st13_profiles_are_listed_with_their_sources(reference_data, django_assert_num_queries):
    with django_assert_num_queries(0):  # the profiles are part of the code, not of the database
        data = APIClient().get(url("st13/profiles/")).json()
    keys = {p["key"]: p for p in data}
    assert {"ep", "cn", "de", "us", "kr", "jp", "at", "wo"} <= set(keys)
    assert keys["de"]["sources"][0]["url"].startswith("http://www.dpma.de/")
    assert all(p["sources"] and p["examples"] for p in data)


def test_st13_refuses_bad_requests(reference_data):
    client = APIClient()
    both = parse(client, numbers=["1"], office="EP", answers=EPO_ANSWERS, response=1)
    assert both.json() == {
        "non_field_errors": [
            "Give one of: a response ID, answers describing the structure, or a profile (or none of them, to read "
            "each number with the profile of the office in front of it)."
        ]
    }
    assert parse(client, numbers=["1"], answers=EPO_ANSWERS).json() == {"office": ["Give the ST.3 code of the office."]}
    assert parse(client, numbers=["1"], office="ZZ", answers=EPO_ANSWERS).json() == {
        "office": ["No office has the ST.3 code 'ZZ'."]
    }
    assert parse(client, numbers=["1"], office="EP", answers={"q99": "x"}).json() == {
        "answers": ["Unknown question ID(s): q99."]
    }
    malformed = parse(client, numbers=["1"], office="EP", answers={**EPO_ANSWERS, "q4a": "sometimes"}).json()
    assert malformed == {"answers": {"q4a": ["Choose one of the listed options (got 'sometimes')."]}}
    assert parse(client, numbers=[], office="EP", answers=EPO_ANSWERS).status_code == 400
    assert parse(client, numbers=["EP 1", "  "], office="EP", answers=EPO_ANSWERS).json() == {
        "numbers": {"1": ["This field may not be blank."]}
    }
    too_many = parse(client, numbers=["EP 99403122.7"] * 10_001, office="EP", answers=EPO_ANSWERS)
    assert too_many.status_code == 400
    assert too_many.json() == {"numbers": ["Ensure this field has no more than 10000 elements."]}
    assert parse(client, numbers=["1"], office="EP", answers=EPO_ANSWERS, ipr_type="ships").status_code == 400


def test_st13_answers_that_do_not_apply_are_ignored_and_said_so(reference_data):
    answers = {**EPO_ANSWERS, "q4c": {"year": {"min": 1, "max": 2}}}
    data = parse(APIClient(), numbers=["EP 99403122.7"], office="EP", answers=answers).json()
    assert data["ignored_answers"] == ["q4c"]
    assert data["results"][0] == EPO_OK


def test_st13_ten_thousand_numbers(reference_data):
    numbers = [f"EP {n:08d}.0" for n in range(99_400_000, 99_410_000)]
    started = time.perf_counter()
    page = parse(APIClient(), numbers=numbers, office="EP", answers=EPO_ANSWERS)
    elapsed = time.perf_counter() - started
    assert page.status_code == 200
    data = page.json()
    assert data["count"] == 10_000
    assert data["valid"] + data["invalid"] == 10_000
    assert data["valid"] == sum(1 for r in data["results"] if r["ok"]) == 1000  # one number in ten ends in 0
    assert elapsed < 20, f"10,000 numbers took {elapsed:.1f} s"


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
