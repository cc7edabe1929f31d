"""REST API workflow and compliance: submitting, the whole review (return, accept, publish,
reopen), the refusals on the way, and the ST.13 compliance of a published response."""

from __future__ import annotations

from surveys.models import ResponseEvent
from tests.api.helpers import client_for, state, url

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
