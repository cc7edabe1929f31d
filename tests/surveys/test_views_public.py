"""Public web pages: the home page, a published response's page and the list of them (a
draft never, a response only once published), and the demo loader's Moldova response."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from surveys.models import ResponseStatus, SurveyResponse
from surveys.responses.services import response_save_draft
from surveys.review.workflow import response_accept, response_publish, response_submit
from tests.surveys.web_helpers import EDITION_SLUG, public_url, text_of

MD_HEADING = "Response 2 of 2 submitted by Republic of Moldova"
# Follow-ups that Moldova's answers (q4a fixed, q5a/q6a/q8a/q9a/q11a no, q13b no) leave hidden.
HIDDEN_FOR_MOLDOVA = ("q4c", "q5b", "q6b", "q8b", "q9b", "q11b", "q13c")


@pytest.fixture
def moldova_pair(office_a_respondent, make_response, moldova_answers):
    """Office A's two responses: md-001 an empty draft (Patents), md-002 Moldova's published answers."""
    draft = make_response(office_a_respondent, label="Patents")
    submitted = make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    return draft, submitted


# --- home -----------------------------------------------------------------------------


def test_home_renders_for_anonymous(client, edition):
    page = client.get("/")
    assert page.status_code == 200
    content = page.content.decode()
    assert escape(edition.title) in content
    assert reverse("surveys:edition_detail", args=[edition.slug]) in content


# --- public pages ---------------------------------------------------------------------


def test_public_page_of_submitted_response(client, edition, moldova_pair):
    draft, submitted = moldova_pair
    assert (draft.sequence, draft.status) == (1, ResponseStatus.DRAFT)
    assert (submitted.sequence, submitted.status) == (2, ResponseStatus.PUBLISHED)

    page = client.get(public_url("md-002"))

    assert page.status_code == 200
    content = page.content.decode()
    assert MD_HEADING in content
    assert "030812" in content
    assert "Trademarks" in content
    assert "from 1992" in content
    assert "Question 4 (cont&#x27;d)" in content
    # The fixed-length follow-up is shown (so the absence checks below are not vacuous)…
    assert escape(text_of(edition, "q4b")) in content
    # …and the follow-ups Moldova's answers hide are not.
    for qid in HIDDEN_FOR_MOLDOVA:
        text = text_of(edition, qid)
        assert text not in content, qid
        assert escape(text) not in content, qid


def test_public_page_of_draft_and_unknown_key_is_404(client, moldova_pair):
    assert client.get(public_url("md-001")).status_code == 404
    assert client.get(public_url("md-099")).status_code == 404
    # A published key in an edition that does not exist is not found either.
    assert client.get(reverse("surveys:public_response_detail", args=["no-such-edition", "md-002"])).status_code == 404


def test_public_list_shows_submitted_responses_only(client, moldova_pair):
    page = client.get(reverse("surveys:public_response_list", args=[EDITION_SLUG]))
    assert page.status_code == 200
    content = page.content.decode()
    assert public_url("md-002") in content
    assert "md-002" in content
    assert "md-001" not in content
    assert "Patents" not in content


def test_public_page_appears_only_once_published(
    client, office_a_respondent, office_a_approver, secretariat_reviewer, moldova_pair, moldova_answers
):
    draft, _ = moldova_pair
    assert client.get(public_url("md-001")).status_code == 404
    response_save_draft(
        response=draft, answers=moldova_answers, user=office_a_respondent, expected_version=draft.version
    )
    response_submit(response=draft, user=office_a_approver)
    assert client.get(public_url("md-001")).status_code == 404  # submitted, not yet reviewed
    response_accept(response=draft, user=secretariat_reviewer)
    assert client.get(public_url("md-001")).status_code == 404  # accepted, not yet published
    response_publish(response=draft, user=secretariat_reviewer)
    page = client.get(public_url("md-001"))
    assert page.status_code == 200
    assert "Response 1 of 2 submitted by Republic of Moldova" in page.content.decode()


# --- demo loader ----------------------------------------------------------------------


def test_demo_load_publishes_moldova(client, edition):
    from surveys.demo import demo_load

    demo_load()
    page = client.get(public_url("md-002"))
    assert page.status_code == 200
    content = page.content.decode()
    assert MD_HEADING in content
    assert "030812" in content
    assert "Trademarks" in content
    assert "Example 2.doc" in content
    # The demo's draft (md-001) stays private.
    assert client.get(public_url("md-001")).status_code == 404
    # Running it again changes nothing.
    before = SurveyResponse.objects.count()
    demo_load()
    assert SurveyResponse.objects.count() == before
