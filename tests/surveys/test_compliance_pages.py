"""The ST.13 verdicts appear on the response, review and public pages."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_moldova_public_page_shows_the_evaluation(office_a_respondent, make_response, moldova_answers):
    make_response(office_a_respondent, label="Patents")
    make_response(office_a_respondent, moldova_answers, publish=True)
    content = Client().get("/surveys/application-numbering-2012/responses/md-002/").content.decode()
    assert "Against WIPO Standard ST.13" in content
    for section in "abcd":
        assert f"<td>({section})</td>" in content
    assert content.count(">Deviates<") == 5  # the overall verdict and rules (a)–(d)
    assert content.count(">Not applicable<") == 2  # (e) and (f)
    assert content.count(">Complies<") == 1  # (g)
    assert "(d) The serial number has 6 characters (q4b); ST.13 recommends 9." in content
    assert "which agrees" in content and "Flagged for review" not in content


def test_disagreement_is_flagged_for_the_reviewer(
    office_a_respondent, secretariat_reviewer, make_response, moldova_answers
):
    response = make_response(office_a_respondent, {**moldova_answers, "q13a": "yes"}, submit=True)
    client = Client()
    client.force_login(secretariat_reviewer)
    for name in ("surveys:response_review", "surveys:response_detail"):
        content = client.get(reverse(name, args=[response.pk])).content.decode()
        assert "Flagged for review: the office’s declaration (q13a) and the evaluation disagree." in content
