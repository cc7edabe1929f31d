"""Who may do what through the API: the web permission matrix, repeated for every endpoint.

Office A (Republic of Moldova, MD) has four responses, one in each state a workflow step
starts from — md-001 draft (complete, so that it can be submitted), md-002 submitted,
md-003 accepted, md-004 published — and a numbering system with no response yet. Each
persona calls with its own API token. Every cell of MATRIX is one test: the status
code, and the database unchanged unless the request succeeded and is one that changes
things (then exactly the expected change, and nothing else).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from surveys.models import (
    NumberingSystem,
    ResponseEvent,
    ResponseRevision,
    ResponseStatus,
    ReviewComment,
    SurveyResponse,
)
from surveys.review.workflow import response_accept

ROUND_SLUG = "application-numbering-2012"
EDITION_SLUG = "application-numbering-2012"
PERSONAS = ("anonymous", "office_a_respondent", "office_a_approver", "office_b_respondent", "secretariat_reviewer")

# fmt: off
MATRIX = {
    # case                                    anonymous  A respond.  A approver  B respond.  secretariat
    "list responses":                         (200,      200,        200,        200,        200),
    "detail of draft":                        (404,      200,        200,        404,        200),
    "detail of submitted":                    (404,      200,        200,        404,        200),
    "detail of published":                    (200,      200,        200,        200,        200),
    "start response":                         (401,      201,        201,        400,        403),
    "save draft (PUT)":                       (401,      200,        200,        404,        403),
    "save draft (PATCH)":                     (401,      200,        200,        404,        403),
    "save submitted (PUT)":                   (401,      400,        400,        404,        403),
    "save published (PATCH)":                 (401,      400,        400,        403,        403),
    "submit draft":                           (401,      403,        200,        404,        403),
    "submit published":                       (401,      403,        400,        403,        403),
    "return submitted":                       (401,      403,        403,        404,        200),
    "accept submitted":                       (401,      403,        403,        404,        200),
    "publish accepted":                       (401,      403,        403,        404,        200),
    "reopen accepted":                        (401,      403,        403,        404,        200),
    "reopen published":                       (401,      403,        403,        403,        200),
    "compliance of draft":                    (404,      200,        200,        404,        200),
    "compliance of published":                (200,      200,        200,        200,        200),
    "check numbers against draft":            (400,      200,        200,        400,        200),
    "check numbers against published":        (200,      200,        200,        200,        200),
    "list numbering systems":                 (200,      200,        200,        200,        200),
    "detail of system without response":      (404,      200,        200,        404,        200),
    "detail of published system":             (200,      200,        200,        200,        200),
    "add numbering system":                   (401,      201,        201,        201,        403),
    "add numbering system to office A":       (401,      201,        201,        403,        403),
    "list rounds":                            (200,      200,        200,        200,        200),
    "detail of round":                        (200,      200,        200,        200,        200),
    "edition question tree":                  (200,      200,        200,        200,        200),
    "list offices":                           (200,      200,        200,        200,        200),
    "list standards":                         (200,      200,        200,        200,        200),
}
# fmt: on
# Notes. Anonymous changes are 401 (no credentials). A response nobody may read is 404 for
# whoever may not read it (its existence is not confirmed); a published one is readable by
# all, so changing it is 403 for those who may not (and 400 for its office: it is read-only).
# Office B starting office A's system is 400: the system is not one of those it may name.
# The secretariat has no office, so it neither starts responses nor adds systems (403).
# The approver "submit published" is 400: the approver may submit, the state may not.

# The response each workflow step lands in.
TARGET_STATUS = {
    "submit draft": ResponseStatus.SUBMITTED,
    "return submitted": ResponseStatus.RETURNED,
    "accept submitted": ResponseStatus.ACCEPTED,
    "publish accepted": ResponseStatus.PUBLISHED,
    "reopen accepted": ResponseStatus.RETURNED,
    "reopen published": ResponseStatus.RETURNED,
}


@dataclass(frozen=True)
class Case:
    method: str
    path: Callable[[SimpleNamespace], str]
    body: Callable[[SimpleNamespace], dict] = field(default=lambda d: {})
    target: str | None = None  # the response a change is about (an attribute of the data)
    changes: bool = False


def _answers(d: SimpleNamespace) -> dict:
    return {**d.moldova, "q1b": "1993"}


CASES = {
    "list responses": Case("GET", lambda d: "/api/responses/"),
    "detail of draft": Case("GET", lambda d: f"/api/responses/{d.draft.pk}/"),
    "detail of submitted": Case("GET", lambda d: f"/api/responses/{d.submitted.pk}/"),
    "detail of published": Case("GET", lambda d: f"/api/responses/{d.published.pk}/"),
    "start response": Case(
        "POST",
        lambda d: "/api/responses/",
        lambda d: {"round": ROUND_SLUG, "numbering_system": d.fresh_system.pk},
        changes=True,
    ),
    "save draft (PUT)": Case(
        "PUT",
        lambda d: f"/api/responses/{d.draft.pk}/",
        lambda d: {"answers": _answers(d), "version": d.draft.version},
        "draft",
        True,
    ),
    "save draft (PATCH)": Case(
        "PATCH",
        lambda d: f"/api/responses/{d.draft.pk}/",
        lambda d: {"answers": {"q1b": "1993"}, "version": d.draft.version},
        "draft",
        True,
    ),
    "save submitted (PUT)": Case(
        "PUT",
        lambda d: f"/api/responses/{d.submitted.pk}/",
        lambda d: {"answers": _answers(d), "version": d.submitted.version},
        "submitted",
        True,
    ),
    "save published (PATCH)": Case(
        "PATCH",
        lambda d: f"/api/responses/{d.published.pk}/",
        lambda d: {"answers": {"q1b": "1993"}, "version": d.published.version},
        "published",
        True,
    ),
    "submit draft": Case(
        "POST", lambda d: f"/api/responses/{d.draft.pk}/submit/", lambda d: {"version": d.draft.version}, "draft", True
    ),
    "submit published": Case(
        "POST", lambda d: f"/api/responses/{d.published.pk}/submit/", target="published", changes=True
    ),
    "return submitted": Case(
        "POST",
        lambda d: f"/api/responses/{d.submitted.pk}/return/",
        lambda d: {
            "comment": "Please check.",
            "question_comments": {"q4b": "Six digits?"},
            "version": d.submitted.version,
        },
        "submitted",
        True,
    ),
    "accept submitted": Case(
        "POST",
        lambda d: f"/api/responses/{d.submitted.pk}/accept/",
        lambda d: {"comment": "Thanks."},
        "submitted",
        True,
    ),
    "publish accepted": Case(
        "POST", lambda d: f"/api/responses/{d.accepted.pk}/publish/", target="accepted", changes=True
    ),
    "reopen accepted": Case(
        "POST", lambda d: f"/api/responses/{d.accepted.pk}/reopen/", lambda d: {"comment": "Fix q4b."}, "accepted", True
    ),
    "reopen published": Case(
        "POST",
        lambda d: f"/api/responses/{d.published.pk}/reopen/",
        lambda d: {"comment": "Fix q4b."},
        "published",
        True,
    ),
    "compliance of draft": Case("GET", lambda d: f"/api/responses/{d.draft.pk}/compliance/"),
    "compliance of published": Case("GET", lambda d: f"/api/responses/{d.published.pk}/compliance/"),
    "check numbers against draft": Case(
        "POST", lambda d: "/api/st13/parse/", lambda d: {"numbers": ["030812"], "response": d.draft.pk}
    ),
    "check numbers against published": Case(
        "POST", lambda d: "/api/st13/parse/", lambda d: {"numbers": ["030812"], "response": d.published.pk}
    ),
    "list numbering systems": Case("GET", lambda d: "/api/numbering-systems/"),
    "detail of system without response": Case("GET", lambda d: f"/api/numbering-systems/{d.fresh_system.pk}/"),
    "detail of published system": Case("GET", lambda d: f"/api/numbering-systems/{d.published.numbering_system_id}/"),
    "add numbering system": Case(
        "POST", lambda d: "/api/numbering-systems/", lambda d: {"label": "Geographical indications"}, changes=True
    ),
    "add numbering system to office A": Case(
        "POST",
        lambda d: "/api/numbering-systems/",
        lambda d: {"label": "Geographical indications", "office": "MD"},
        changes=True,
    ),
    "list rounds": Case("GET", lambda d: "/api/rounds/"),
    "detail of round": Case("GET", lambda d: f"/api/rounds/{ROUND_SLUG}/"),
    "edition question tree": Case("GET", lambda d: f"/api/editions/{EDITION_SLUG}/"),
    "list offices": Case("GET", lambda d: "/api/offices/"),
    "list standards": Case("GET", lambda d: "/api/standards/"),
}

assert set(CASES) == set(MATRIX)
assert all(len(row) == len(PERSONAS) for row in MATRIX.values())


def _cells():
    for case_name, row in MATRIX.items():
        for persona, expected in zip(PERSONAS, row, strict=True):
            yield pytest.param(case_name, persona, expected, id=f"{persona}|{case_name}|{expected}")


# --- data -----------------------------------------------------------------------------


@pytest.fixture
def office_a_data(
    office_a_respondent,
    office_a_approver,
    office_b_respondent,
    secretariat_reviewer,
    make_response,
    moldova_answers,
):
    # The personas exist before the responses: the workflow steps below are theirs.
    user = office_a_respondent
    draft = make_response(user, moldova_answers, label="Patents")
    submitted = make_response(user, moldova_answers, label="Trademarks", submit=True)
    accepted = make_response(user, moldova_answers, label="Industrial designs", submit=True)
    response_accept(response=accepted, user=secretariat_reviewer)
    published = make_response(user, moldova_answers, label="Utility models", publish=True)
    fresh_system = NumberingSystem.objects.create(office_id="MD", label="Layout-designs", created_by=user)
    rows = {r.pk: r for r in SurveyResponse.objects.all()}
    draft, submitted, accepted, published = (rows[r.pk] for r in (draft, submitted, accepted, published))
    assert [(r.public_key, r.status) for r in (draft, submitted, accepted, published)] == [
        ("md-001", "draft"),
        ("md-002", "submitted"),
        ("md-003", "accepted"),
        ("md-004", "published"),
    ]
    return SimpleNamespace(
        draft=draft,
        submitted=submitted,
        accepted=accepted,
        published=published,
        fresh_system=fresh_system,
        moldova=moldova_answers,
    )


def snapshot() -> dict:
    """Everything a request to the API could change."""
    return {
        "responses": {
            row["pk"]: row
            for row in SurveyResponse.objects.values(
                "pk", "numbering_system_id", "sequence", "status", "version", "answers", "set_aside_answers"
            )
        },
        "revisions": list(ResponseRevision.objects.order_by("pk").values_list("pk", "response_id", "version")),
        "events": list(ResponseEvent.objects.order_by("pk").values_list("pk", "response_id", "action")),
        "comments": list(ReviewComment.objects.order_by("pk").values_list("pk", "response_id", "question_id", "body")),
        "systems": list(NumberingSystem.objects.order_by("pk").values_list("pk", "office_id", "label")),
        "tokens": sorted(Token.objects.values_list("key", flat=True)),
    }


def _client_for(request, persona: str) -> APIClient:
    client = APIClient()
    if persona != "anonymous":
        token = Token.objects.create(user=request.getfixturevalue(persona))
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _send(client: APIClient, case: Case, data: SimpleNamespace):
    method = getattr(client, case.method.lower())
    if case.method == "GET":
        return method(case.path(data))
    return method(case.path(data), case.body(data), format="json")


# --- the matrix -----------------------------------------------------------------------


@pytest.mark.parametrize(("case_name", "persona", "expected"), list(_cells()))
def test_api_permission_matrix(
    request, office_a_data, case_name, persona, expected, django_capture_on_commit_callbacks
):
    case = CASES[case_name]
    data = office_a_data
    client = _client_for(request, persona)
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        page = _send(client, case, data)

    assert page.status_code == expected, page.content
    body = page.json()
    after = snapshot()
    if expected >= 400:
        assert set(body) <= {"detail", "response", "numbering_system", "errors", "unconfirmed_sections"}, body
        assert after == before
        return
    if not case.changes:
        assert after == before
        return

    # A change that was allowed: exactly the expected one.
    changed = {pk for pk in before["responses"] if after["responses"].get(pk) != before["responses"][pk]}
    if case_name == "start response":
        started = SurveyResponse.objects.get(numbering_system=data.fresh_system)
        assert (started.public_key, started.status, started.version) == ("md-005", ResponseStatus.DRAFT, 1)
        assert body["id"] == started.pk
        assert changed == set()
    elif case_name.startswith("add numbering system"):
        office = "MD" if persona != "office_b_respondent" else "EP"
        assert after["systems"][:-1] == before["systems"]
        assert after["systems"][-1][1:] == (office, "Geographical indications")
        assert body["office"] == office
        assert after["responses"] == before["responses"]
    else:
        target = getattr(data, case.target)
        assert changed == {target.pk}
        row = SurveyResponse.objects.get(pk=target.pk)
        assert row.version == target.version + 1
        assert body["version"] == row.version
        if case_name == "save draft (PUT)":
            assert row.answers == _answers(data)
        elif case_name == "save draft (PATCH)":
            assert row.answers == {**target.answers, "q1b": "1993"}
        else:
            assert row.status == TARGET_STATUS[case_name]
            assert body["status"] == row.status
            assert ResponseEvent.objects.filter(response=row).latest("pk").actor == request.getfixturevalue(persona)
        if case_name == "return submitted":
            assert list(ReviewComment.objects.filter(response=row).values_list("question_id", "body")) == [
                ("", "Please check."),
                ("q4b", "Six digits?"),
            ]


# --- around the matrix ----------------------------------------------------------------


def test_matrix_mirrors_the_web_rules():
    # Office B never reaches an office-A response that is not published.
    private = ["detail of draft", "detail of submitted", "save draft (PUT)", "submit draft", "compliance of draft"]
    assert all(MATRIX[name][3] == 404 for name in private)
    # Only the approver submits, only the secretariat reviews: no other persona gets a 2xx.
    assert [code < 300 for code in MATRIX["submit draft"]] == [False, False, True, False, False]
    for step in ("return submitted", "accept submitted", "publish accepted", "reopen accepted", "reopen published"):
        assert [code < 300 for code in MATRIX[step]] == [False, False, False, False, True]
    # Anonymous visitors never change anything.
    changing = [name for name, case in CASES.items() if case.changes]
    assert all(MATRIX[name][0] == 401 for name in changing)


EXPECTED_KEYS = {
    "anonymous": ["md-004"],
    "office_a_respondent": ["md-001", "md-002", "md-003", "md-004"],
    "office_a_approver": ["md-001", "md-002", "md-003", "md-004"],
    "office_b_respondent": ["md-004"],
    "secretariat_reviewer": ["md-001", "md-002", "md-003", "md-004"],
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_lists_exactly_what_it_may_see(request, office_a_data, persona, make_response):
    client = _client_for(request, persona)
    responses = client.get("/api/responses/").json()
    assert [r["public_key"] for r in responses["results"]] == EXPECTED_KEYS[persona]
    systems = [s["label"] for s in client.get("/api/numbering-systems/").json()["results"]]
    if persona in ("anonymous", "office_b_respondent"):
        assert systems == ["Utility models"]  # the system of the published response
    else:
        assert systems == ["Patents", "Trademarks", "Industrial designs", "Utility models", "Layout-designs"]
    rounds = client.get("/api/rounds/").json()["results"]
    assert [r["slug"] for r in rounds] == [ROUND_SLUG]


@pytest.mark.parametrize("persona", PERSONAS)
def test_allowed_actions_and_private_fields_by_persona(request, office_a_data, persona):
    client = _client_for(request, persona)
    published = client.get(f"/api/responses/{office_a_data.published.pk}/").json()
    submitted = client.get(f"/api/responses/{office_a_data.submitted.pk}/")
    private = persona in ("office_a_respondent", "office_a_approver", "secretariat_reviewer")
    assert published["allowed_actions"] == (["reopen"] if persona == "secretariat_reviewer" else [])
    assert (published["comments"] is not None) == private
    assert (published["stashed_answers"] is not None) == (persona in ("office_a_respondent", "office_a_approver"))
    if private:
        expected = {"secretariat_reviewer": ["return", "accept"]}.get(persona, [])
        assert submitted.json()["allowed_actions"] == expected
    else:
        assert submitted.status_code == 404


def test_office_b_cannot_change_office_a_with_a_valid_version(request, office_a_data):
    """A well-formed request (right version, valid answers) from another office changes nothing."""
    client = _client_for(request, "office_b_respondent")
    draft = office_a_data.draft
    before = snapshot()
    for method, path, body in (
        ("put", f"/api/responses/{draft.pk}/", {"answers": office_a_data.moldova, "version": draft.version}),
        ("patch", f"/api/responses/{draft.pk}/", {"answers": {"q1b": "1999"}, "version": draft.version}),
        ("post", f"/api/responses/{draft.pk}/submit/", {"version": draft.version}),
    ):
        assert getattr(client, method)(path, body, format="json").status_code == 404
    assert snapshot() == before


def test_session_and_token_give_the_same_scope(request, office_a_data, office_b_respondent):
    by_token = _client_for(request, "office_b_respondent").get("/api/responses/").json()
    by_session = APIClient()
    by_session.force_login(office_b_respondent)
    assert by_session.get("/api/responses/").json() == by_token
