"""The office's editing flow on the web: from a new numbering system to a submitted response;
the form's POST body; answers to hidden questions set aside; optimistic locking (409 and
the input kept); CSRF on the edit form."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from surveys.models import NumberingSystem, ResponseRevision, ResponseStatus, SurveyResponse
from surveys.questionnaire.engine import evaluate
from surveys.review.workflow import response_accept, response_publish, response_submit
from tests.surveys.web_helpers import edit_url, form_data, logged_in, public_url, submit_through_form, text_of

ROUND_SLUG = "application-numbering-2012"


def detail_url(response: SurveyResponse) -> str:
    return reverse("surveys:response_detail", args=[response.pk])


def make_approver():
    from tests.conftest import _approver_of

    return _approver_of("MD")


def make_secretariat():
    from tests.conftest import _secretariat_user

    return _secretariat_user()


# --- the editing flow -----------------------------------------------------------------


def test_office_editing_flow(edition, survey_round, office_a_respondent, office_a_approver, moldova_answers):
    client = logged_in(office_a_respondent)

    # Add a numbering system; it shows on the dashboard.
    page = client.post(reverse("surveys:numbering_system_new"), {"label": "Trademarks"})
    assert page.status_code == 302
    assert page["Location"] == reverse("surveys:dashboard")
    system = NumberingSystem.objects.get(office_id="MD", label="Trademarks")
    assert system.created_by == office_a_respondent
    dashboard = client.get(reverse("surveys:dashboard"))
    assert dashboard.status_code == 200
    assert "Trademarks" in dashboard.content.decode()
    assert reverse("surveys:response_start", args=[ROUND_SLUG, system.pk]) in dashboard.content.decode()

    # The same label again: an error on the form, no second row.
    page = client.post(reverse("surveys:numbering_system_new"), {"label": "Trademarks"})
    assert page.status_code == 200
    assert "already has a numbering system called" in page.content.decode()
    assert NumberingSystem.objects.filter(office_id="MD", label="Trademarks").count() == 1

    # Start the response → the edit page.
    page = client.post(reverse("surveys:response_start", args=[ROUND_SLUG, system.pk]))
    response = SurveyResponse.objects.get(numbering_system=system, round=survey_round)
    assert page.status_code == 302
    assert page["Location"] == edit_url(response)
    assert (response.status, response.version, response.sequence) == (ResponseStatus.DRAFT, 1, 1)

    page = client.get(edit_url(response))
    assert page.status_code == 200
    content = page.content.decode()
    for qid in ("q1a", "q1b", "q4b", "q14a"):
        assert escape(text_of(edition, qid)) in content
    assert 'name="version" value="1"' in content

    # Save a draft with an invalid partial date: kept as typed, version bumped, revision kept.
    partial = {"q1a": ["trademarks"], "q1b": "19x2", "q2a": ["serial"]}
    page = client.post(edit_url(response), form_data(edition, partial, version=1, action="save"))
    assert page.status_code == 302
    assert page["Location"].startswith(edit_url(response))
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT
    assert response.answers["q1b"] == "19x2"
    assert response.answers["q1a"] == ["trademarks"]
    assert response.answers["q2a"] == ["serial"]
    assert response.version == 2
    revision = ResponseRevision.objects.get(response=response, version=2)
    assert revision.author == office_a_respondent
    assert revision.answers["q1b"] == "19x2"
    assert set(revision.changed) == {"q1a", "q1b", "q2a"}
    # The bad value is shown again in the form, not lost.
    assert 'value="19x2"' in client.get(edit_url(response)).content.decode()

    # A respondent saves but cannot submit: submitting is the approver's step.
    page = client.post(edit_url(response), form_data(edition, partial, version=2, action="submit"))
    assert page.status_code == 403
    assert "An approver of your office submits the response" in page.content.decode()
    response.refresh_from_db()
    # The answers were posted as they were: no new version, no empty "draft saved" revision.
    assert (response.status, response.version) == (ResponseStatus.DRAFT, 2)
    client = logged_in(office_a_approver)
    assert "Submit response" in client.get(edit_url(response)).content.decode()

    # Submit while incomplete (nothing changed, so nothing is recorded): the confirmation
    # page lists what is missing, confirming is refused (400), and the form shows the
    # problems beside the questions; still a draft.
    page = client.post(edit_url(response), form_data(edition, partial, version=2, action="submit"))
    assert page["Location"] == reverse("surveys:response_submit", args=[response.pk])
    page = client.post(page["Location"], {"version": "2"})
    assert page.status_code == 400
    assert "Not submitted: fix the problems listed below first." in page.content.decode()
    assert 'id="check-required"' in page.content.decode()
    page = client.get(edit_url(response) + "?check=1")
    assert "problem" in page.content.decode()
    assert 'id="error-summary"' in page.content.decode()
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT
    assert response.submitted_at is None
    assert response.version == 2

    # Submit a full valid set: submitted, read-only.
    page = submit_through_form(client, edition, response, moldova_answers, version=2)
    assert page.status_code == 302
    assert page["Location"] == detail_url(response)
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.submitted_at is not None
    assert response.answers == moldova_answers
    assert response.version == 4  # one save, one submit
    assert ResponseRevision.objects.filter(response=response, note="submitted").exists()

    page = client.get(edit_url(response))
    assert page.status_code == 302
    assert page["Location"] == detail_url(response)
    page = client.get(detail_url(response))
    assert page.status_code == 200
    assert "Submitted" in page.content.decode()


def test_form_data_round_trips_moldova_answers(edition, moldova_answers):
    """The form_data helper posts exactly what the form would: the parser gives Moldova's answers back."""
    from django.http import QueryDict

    from surveys.questionnaire.form_fields import answers_from_form

    qd = QueryDict(mutable=True)
    for key, value in form_data(edition, moldova_answers, version=1).items():
        if isinstance(value, list):
            qd.setlist(key, value)
        else:
            qd[key] = value
    assert answers_from_form(edition.structure, qd) == moldova_answers


# --- answers to hidden questions ------------------------------------------------------


def test_crafted_answers_to_hidden_questions_are_not_stored_as_answers(
    edition, office_a_respondent, make_response, moldova_answers
):
    response = make_response(office_a_respondent, label="Trademarks")
    client = logged_in(office_a_respondent)
    data = form_data(edition, moldova_answers, version=response.version)
    data["q5b.trademarks.code"] = "70"  # q5a = no
    data["q4c.serial.min"] = "1"  # q4a = fixed
    page = client.post(edit_url(response), data)
    assert page.status_code == 302

    response.refresh_from_db()
    assert response.answers["q5a"] == "no"
    assert response.answers["q4a"] == "fixed"
    assert "q5b" not in response.answers
    assert "q4c" not in response.answers
    # Set aside, never lost…
    assert response.set_aside_answers.get("q5b") == {"trademarks": {"code": "70"}}
    assert "q4c" in response.set_aside_answers
    # …and never reported as answered.
    evaluation = evaluate(edition.structure, response.answers)
    assert evaluation.state("q5b") == "not_applicable"
    assert evaluation.state("q4c") == "not_applicable"
    assert evaluation.is_valid

    # Once published, the public page does not show the hidden answer.
    reviewer = make_secretariat()
    response_submit(response=response, user=make_approver())
    response_accept(response=response, user=reviewer)
    response_publish(response=response, user=reviewer)
    public = Client().get(public_url(response.public_key)).content.decode()
    assert escape(text_of(edition, "q5b")) not in public


# --- optimistic locking ---------------------------------------------------------------


def test_concurrent_saves_second_gets_409_and_keeps_its_input(
    edition, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    response = make_response(office_a_respondent, label="Trademarks")
    loaded_version = response.version
    first = {
        **moldova_answers,
        "q14a": [{"office_name": "First", "example": "FIRST-SAVE-111", "priority_presentation": "1"}],
    }
    second = {
        **moldova_answers,
        "q14a": [{"office_name": "Second", "example": "SECOND-SAVE-222", "priority_presentation": "2"}],
    }

    page = logged_in(office_a_respondent).post(edit_url(response), form_data(edition, first, version=loaded_version))
    assert page.status_code == 302

    page = logged_in(office_a_approver).post(edit_url(response), form_data(edition, second, version=loaded_version))
    assert page.status_code == 409
    content = page.content.decode()
    assert "Nothing was overwritten" in content
    assert 'value="SECOND-SAVE-222"' in content  # the second person's input is still on the page
    assert "a.respondent" in content  # who made the other change

    response.refresh_from_db()
    assert response.answers["q14a"][0]["example"] == "FIRST-SAVE-111"
    assert response.version == loaded_version + 1
    assert response.updated_by == office_a_respondent
    assert ResponseRevision.objects.filter(response=response).count() == 2  # created + first save


def test_save_without_a_version_is_a_conflict(edition, office_a_respondent, make_response, moldova_answers):
    response = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    data = form_data(edition, {**moldova_answers, "q1b": "1993"}, version=0)
    del data["version"]
    page = logged_in(office_a_respondent).post(edit_url(response), data)
    assert page.status_code == 409
    response.refresh_from_db()
    assert response.answers["q1b"] == "1992"


# --- CSRF -----------------------------------------------------------------------------


def test_csrf_is_enforced_on_the_edit_form(edition, office_a_respondent, make_response, moldova_answers):
    response = make_response(office_a_respondent, label="Trademarks")
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_a_respondent)
    page = client.post(edit_url(response), form_data(edition, moldova_answers, version=response.version))
    assert page.status_code == 403
    response.refresh_from_db()
    assert response.version == 1
    assert response.answers == {}
    assert ResponseRevision.objects.filter(response=response).count() == 1

    # With the token from the form, the same post goes through.
    form = client.get(edit_url(response))
    token = form.cookies["csrftoken"].value
    data = form_data(edition, moldova_answers, version=response.version)
    data["csrfmiddlewaretoken"] = token
    page = client.post(edit_url(response), data)
    assert page.status_code == 302
    response.refresh_from_db()
    assert response.version == 2


def test_reposting_the_conflict_page_does_not_overwrite_the_other_save(
    edition, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    import re

    response = make_response(office_a_respondent, label="Trademarks")
    loaded_version = response.version
    first = {**moldova_answers, "q1b": "1991"}
    second = {**moldova_answers, "q1b": "1993"}
    assert (
        logged_in(office_a_respondent)
        .post(edit_url(response), form_data(edition, first, version=loaded_version))
        .status_code
        == 302
    )

    approver = logged_in(office_a_approver)
    page = approver.post(edit_url(response), form_data(edition, second, version=loaded_version))
    assert page.status_code == 409
    # The approver presses "Save draft" again on the conflict page, as it is.
    version_on_page = re.search(r'name="version" value="(\d+)"', page.content.decode())[1]
    approver.post(edit_url(response), form_data(edition, second, version=int(version_on_page)))

    response.refresh_from_db()
    assert response.answers["q1b"] == "1991"
