"""Who may do what: personas × URLs, as one table a reviewer can read.

Office A (Republic of Moldova, MD) has a draft response (md-001, "Patents"), a submitted
response (md-002, "Trademarks", Moldova's answers), each with one uploaded attachment, and a
numbering system with no response yet ("Industrial designs"). Every cell of MATRIX is one test:
the status (and redirect target) the persona gets, and — unless the persona belongs to
office A and the request is one that changes things — proof that the database did not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from surveys.models import Attachment, NumberingSystem, ResponseRevision, ResponseStatus, SurveyResponse
from surveys.responses.attachments import attachment_add
from surveys.review.workflow import response_accept, response_publish, response_submit

ROUND_SLUG = "application-numbering-2012"
EDITION_SLUG = "application-numbering-2012"

# --- expectations ---------------------------------------------------------------------

OK = "200"
LOGIN = "302 → login"  # /accounts/login/?next=<the URL asked for>
TO_DETAIL = "302 → detail"  # the read-only page of the same response
TO_EDIT = "302 → edit"  # the edit page of the same (or the newly started) response
DENIED = "403/404"  # refused, whichever of the two
NOT_FOUND = "404"

PERSONAS = ("anonymous", "office_a_respondent", "office_a_approver", "office_b_respondent", "secretariat_reviewer")
OFFICE_A = {"office_a_respondent", "office_a_approver"}

# fmt: off
MATRIX = {
    # case                                      anonymous   A respond.  A approver  B respond.  secretariat
    "detail of draft (GET)":                  (LOGIN,      OK,         OK,         DENIED,     OK),
    "detail of submitted (GET)":              (LOGIN,      OK,         OK,         DENIED,     OK),
    "edit of draft (GET)":                    (LOGIN,      OK,         OK,         DENIED,     DENIED),
    "edit of submitted (GET)":                (LOGIN,      TO_DETAIL,  TO_DETAIL,  DENIED,     DENIED),
    "edit of draft (POST)":                   (LOGIN,      TO_EDIT,    TO_EDIT,    DENIED,     DENIED),
    "edit of submitted (POST)":               (LOGIN,      TO_DETAIL,  TO_DETAIL,  DENIED,     DENIED),
    "download attachment of draft":           (LOGIN,      OK,         OK,         DENIED,     OK),
    "download attachment of submitted":       (LOGIN,      OK,         OK,         DENIED,     OK),
    "remove attachment of draft (POST)":      (LOGIN,      TO_EDIT,    TO_EDIT,    DENIED,     DENIED),
    "remove attachment of submitted (POST)":  (LOGIN,      TO_EDIT,    TO_EDIT,    DENIED,     DENIED),
    "start response (POST)":                  (LOGIN,      TO_EDIT,    TO_EDIT,    DENIED,     DENIED),
    "dashboard":                              (LOGIN,      OK,         OK,         OK,         OK),
    "new numbering system (GET)":             (LOGIN,      OK,         OK,         OK,         NOT_FOUND),
    "public page of submitted":               (OK,         OK,         OK,         OK,         OK),
    "public page of draft":                   (NOT_FOUND,  NOT_FOUND,  NOT_FOUND,  NOT_FOUND,  NOT_FOUND),
}
# fmt: on
# Notes: office A's "remove attachment of submitted" goes back to the edit page with an error message
# (which in turn redirects to the read-only page) and removes nothing; "start response" for office A
# opens md-003 for the system that has no response yet. Office B's dashboard and "new numbering system"
# form are its own (200), and show nothing of office A (see test_office_b_dashboard_does_not_show_office_a).

# Cells where the application does not do what the table says (see the reasons).
KNOWN_BUGS: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Case:
    method: str
    url: object  # (data) -> str
    target: str  # which response the case is about: "draft", "submitted" or "started"
    changes: bool = False  # a request that, done by office A, changes the database


def _edit_post(version: int) -> dict:
    return {"version": str(version), "action": "save", "q1a": "patents", "q1b": "2001", "q2a": ["year", "serial"]}


CASES = {
    "detail of draft (GET)": Case("GET", lambda d: reverse("surveys:response_detail", args=[d.draft.pk]), "draft"),
    "detail of submitted (GET)": Case(
        "GET", lambda d: reverse("surveys:response_detail", args=[d.submitted.pk]), "submitted"
    ),
    "edit of draft (GET)": Case("GET", lambda d: reverse("surveys:response_edit", args=[d.draft.pk]), "draft"),
    "edit of submitted (GET)": Case(
        "GET", lambda d: reverse("surveys:response_edit", args=[d.submitted.pk]), "submitted"
    ),
    "edit of draft (POST)": Case(
        "POST", lambda d: reverse("surveys:response_edit", args=[d.draft.pk]), "draft", changes=True
    ),
    "edit of submitted (POST)": Case(
        "POST", lambda d: reverse("surveys:response_edit", args=[d.submitted.pk]), "submitted", changes=True
    ),
    "download attachment of draft": Case(
        "GET", lambda d: reverse("surveys:attachment_download", args=[d.draft.pk, d.draft_attachment.token]), "draft"
    ),
    "download attachment of submitted": Case(
        "GET",
        lambda d: reverse("surveys:attachment_download", args=[d.submitted.pk, d.submitted_attachment.token]),
        "submitted",
    ),
    "remove attachment of draft (POST)": Case(
        "POST",
        lambda d: reverse("surveys:attachment_remove", args=[d.draft.pk, d.draft_attachment.token]),
        "draft",
        changes=True,
    ),
    "remove attachment of submitted (POST)": Case(
        "POST",
        lambda d: reverse("surveys:attachment_remove", args=[d.submitted.pk, d.submitted_attachment.token]),
        "submitted",
        changes=True,
    ),
    "start response (POST)": Case(
        "POST",
        lambda d: reverse("surveys:response_start", args=[ROUND_SLUG, d.fresh_system.pk]),
        "started",
        changes=True,
    ),
    "dashboard": Case("GET", lambda d: reverse("surveys:dashboard"), "draft"),
    "new numbering system (GET)": Case("GET", lambda d: reverse("surveys:numbering_system_new"), "draft"),
    "public page of submitted": Case(
        "GET", lambda d: reverse("surveys:public_response_detail", args=[EDITION_SLUG, "md-002"]), "submitted"
    ),
    "public page of draft": Case(
        "GET", lambda d: reverse("surveys:public_response_detail", args=[EDITION_SLUG, "md-001"]), "draft"
    ),
}

assert set(CASES) == set(MATRIX)
assert all(len(row) == len(PERSONAS) for row in MATRIX.values())


def _cells():
    for case_name, row in MATRIX.items():
        for persona, expected in zip(PERSONAS, row, strict=True):
            reason = KNOWN_BUGS.get((case_name, persona))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(case_name, persona, expected, id=f"{persona}|{case_name}|{expected}", marks=marks)


# --- data -----------------------------------------------------------------------------


@pytest.fixture
def office_a_data(office_a_respondent, make_response, moldova_answers):
    user = office_a_respondent
    draft = make_response(user, {"q1a": ["patents"], "q1b": "1978"}, label="Patents")
    draft_attachment = attachment_add(
        response=draft, question_id="q14d", upload=SimpleUploadedFile("draft.pdf", b"%PDF-draft"), user=user
    )
    submitted = make_response(user, moldova_answers, label="Trademarks")
    submitted_attachment = attachment_add(
        response=submitted, question_id="q14d", upload=SimpleUploadedFile("Example 2.pdf", b"%PDF-md"), user=user
    )
    # Handed in and published: read-only for the office, visible to the public.
    from tests.conftest import _approver_of, _secretariat_user

    response_submit(response=submitted, user=_approver_of("MD"))
    response_accept(response=submitted, user=_secretariat_user())
    response_publish(response=submitted, user=_secretariat_user())
    fresh_system = NumberingSystem.objects.create(office_id="MD", label="Industrial designs", created_by=user)
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert (draft.public_key, draft.status) == ("md-001", ResponseStatus.DRAFT)
    assert (submitted.public_key, submitted.status) == ("md-002", ResponseStatus.PUBLISHED)
    return SimpleNamespace(
        draft=draft,
        submitted=submitted,
        draft_attachment=draft_attachment,
        submitted_attachment=submitted_attachment,
        fresh_system=fresh_system,
    )


def snapshot() -> dict:
    """Everything a request to these URLs could change."""
    return {
        "responses": list(
            SurveyResponse.objects.order_by("pk").values(
                "pk",
                "numbering_system_id",
                "sequence",
                "status",
                "version",
                "answers",
                "set_aside_answers",
                "submitted_at",
            )
        ),
        "revisions": list(ResponseRevision.objects.order_by("pk").values_list("pk", "response_id", "version")),
        "attachments": [
            (a.pk, a.response_id, a.token, a.original_name, a.file.name, a.file.storage.exists(a.file.name))
            for a in Attachment.objects.order_by("pk")
        ],
        "systems": list(NumberingSystem.objects.order_by("pk").values_list("pk", "office_id", "label")),
    }


def _client_for(request, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


# --- the matrix -----------------------------------------------------------------------


@pytest.mark.parametrize(("case_name", "persona", "expected"), list(_cells()))
def test_permission_matrix(request, office_a_data, case_name, persona, expected, django_capture_on_commit_callbacks):
    case = CASES[case_name]
    data = office_a_data
    client = _client_for(request, persona)
    url = case.url(data)
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        if case.method == "POST":
            body = _edit_post(getattr(data, case.target).version) if case_name.startswith("edit") else {}
            page = client.post(url, body)
        else:
            page = client.get(url)

    # The status (and where a redirect goes).
    if expected == OK:
        assert page.status_code == 200
    elif expected == NOT_FOUND:
        assert page.status_code == 404
    elif expected == DENIED:
        assert page.status_code in (403, 404)
    elif expected == LOGIN:
        assert page.status_code == 302
        assert page["Location"] == f"{reverse('login')}?next={quote(url)}"
    elif expected in (TO_DETAIL, TO_EDIT):
        assert page.status_code == 302
        response = (
            SurveyResponse.objects.get(numbering_system=data.fresh_system)
            if case.target == "started"
            else getattr(data, case.target)
        )
        view = "surveys:response_detail" if expected == TO_DETAIL else "surveys:response_edit"
        assert page["Location"].split("#")[0] == reverse(view, args=[response.pk])
    else:  # pragma: no cover - a typo in the table
        raise AssertionError(f"unknown expectation {expected!r}")

    if expected == OK and case_name.startswith("download"):
        assert page["Content-Disposition"].startswith("attachment")
        assert b"".join(page.streaming_content).startswith(b"%PDF-")

    # What the database looks like afterwards.
    after = snapshot()
    if not (persona in OFFICE_A and case.changes):
        assert after == before
        return
    if case_name == "edit of draft (POST)":
        draft = SurveyResponse.objects.get(pk=data.draft.pk)
        assert draft.version == data.draft.version + 1
        assert draft.answers["q1b"] == "2001"
        assert draft.answers["q2a"] == ["year", "serial"]
    elif case_name == "remove attachment of draft (POST)":
        assert not Attachment.objects.filter(pk=data.draft_attachment.pk).exists()
        assert not data.draft_attachment.file.storage.exists(data.draft_attachment.file.name)
        assert after["responses"] == before["responses"]
    elif case_name == "start response (POST)":
        started = SurveyResponse.objects.get(numbering_system=data.fresh_system)
        assert (started.public_key, started.status, started.version) == ("md-003", ResponseStatus.DRAFT, 1)
        assert after["responses"][:2] == before["responses"]
    else:
        # A submitted response is read-only, even for its own office.
        assert after == before


# --- around the matrix ----------------------------------------------------------------


def test_matrix_covers_every_persona_and_office_a_url():
    assert set(PERSONAS) == {
        "anonymous",
        "office_a_respondent",
        "office_a_approver",
        "office_b_respondent",
        "secretariat_reviewer",
    }
    private = [name for name in MATRIX if not name.startswith("public")]
    # Anonymous visitors are sent to the login page for every private URL.
    assert all(MATRIX[name][0] == LOGIN for name in private)
    # Office B never reaches an office-A response (its own dashboard and form are not office A's).
    office_a_only = [name for name in private if name not in ("dashboard", "new numbering system (GET)")]
    assert all(MATRIX[name][3] == DENIED for name in office_a_only)


def test_secretariat_cannot_start_a_response_for_an_office(office_a_data, secretariat_reviewer):
    client = Client()
    client.force_login(secretariat_reviewer)
    before = snapshot()
    page = client.post(reverse("surveys:response_start", args=[ROUND_SLUG, office_a_data.fresh_system.pk]))
    assert page.status_code != 200
    assert "/edit/" not in page.get("Location", "")
    assert snapshot() == before
    assert not SurveyResponse.objects.filter(numbering_system=office_a_data.fresh_system).exists()


def test_office_b_dashboard_does_not_show_office_a(office_a_data, office_b_respondent):
    client = Client()
    client.force_login(office_b_respondent)
    content = client.get(reverse("surveys:dashboard")).content.decode()
    assert "European Patent Office" in content
    assert "Republic of Moldova" not in content
    for label in ("Patents", "Trademarks", "Industrial designs"):
        assert label not in content
    assert reverse("surveys:response_detail", args=[office_a_data.draft.pk]) not in content


def test_secretariat_dashboard_lists_every_office(
    office_a_data, office_b_respondent, make_response, secretariat_reviewer
):
    ep = make_response(office_b_respondent, label="European patents")
    client = Client()
    client.force_login(secretariat_reviewer)
    content = client.get(reverse("surveys:dashboard")).content.decode()
    for response in (office_a_data.draft, office_a_data.submitted, ep):
        assert reverse("surveys:response_detail", args=[response.pk]) in content
    # Read-only: no edit links for the secretariat.
    assert "/edit/" not in content
    detail = client.get(reverse("surveys:response_detail", args=[office_a_data.draft.pk])).content.decode()
    assert reverse("surveys:response_edit", args=[office_a_data.draft.pk]) not in detail


def test_office_b_cannot_post_to_office_a_with_its_own_valid_version(
    office_a_data, office_b_respondent, moldova_answers
):
    """A well-formed save (right version, valid answers) from another office changes nothing."""
    client = Client()
    client.force_login(office_b_respondent)
    draft = office_a_data.draft
    before = snapshot()
    for action in ("save", "submit"):
        page = client.post(
            reverse("surveys:response_edit", args=[draft.pk]),
            {"version": str(draft.version), "action": action, "q1a": "patents", "q1b": "1999"},
        )
        assert page.status_code in (403, 404)
    assert snapshot() == before
    after = SurveyResponse.objects.get(pk=draft.pk)
    assert (after.version, after.answers, after.status) == (draft.version, draft.answers, draft.status)


def test_attachment_token_of_another_office_is_useless(office_a_data, office_b_respondent, make_response):
    """A token only works with the response it belongs to, even with a response the user may see."""
    ep = make_response(office_b_respondent, label="European patents")
    client = Client()
    client.force_login(office_b_respondent)
    token = office_a_data.draft_attachment.token
    before = snapshot()
    assert client.get(reverse("surveys:attachment_download", args=[ep.pk, token])).status_code == 404
    assert client.post(reverse("surveys:attachment_remove", args=[ep.pk, token])).status_code == 404
    page = client.post(
        reverse("surveys:response_edit", args=[ep.pk]),
        {"version": str(ep.version), "action": "save", "q1a": "patents", "remove_attachment": token},
    )
    assert page.status_code == 302  # office B's own draft is saved…
    assert Attachment.objects.filter(pk=office_a_data.draft_attachment.pk).exists()  # …office A's file is not touched
    assert snapshot()["attachments"] == before["attachments"]
    assert SurveyResponse.objects.get(pk=ep.pk).answers == {"q1a": ["patents"]}
