"""REST API drafts: starting a response, saving answers with PUT and PATCH and getting the
engine's verdict back, answers set aside, stale versions, unknown questions and malformed bodies."""

from __future__ import annotations

from surveys.models import NumberingSystem, ResponseRevision, SurveyResponse, SurveyRound
from tests.api.helpers import EDITION_SLUG, ROUND_SLUG, client_for, state, url


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
