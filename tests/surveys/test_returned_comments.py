"""A returned response: the form's section list counts the review comments of each section,
the overall comment links to every commented question, and the reviewer decides from
beside the last comment as well as from the top of the page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from surveys.review.workflow import response_return
from tests.surveys.web_helpers import edit_url, logged_in


@pytest.fixture
def returned(edition, office_a_respondent, secretariat_reviewer, make_response, moldova_answers):
    response = make_response(office_a_respondent, moldova_answers, submit=True)
    response_return(
        response=response,
        user=secretariat_reviewer,
        comment="Two questions to look at again.",
        question_comments={"q4b": "The example has 6 digits.", "q4c": "Say which part.", "q1b": "Since when?"},
    )
    response.refresh_from_db()
    return response


def _section_of(edition, qid: str) -> str:
    return next(s.id for s in edition.structure.sections if any(q.id == qid for q in s.questions))


def _nav(content: str) -> str:
    start = content.index('class="section-nav"')
    return content[start : content.index("</nav>", start)]


def test_the_section_list_counts_the_comments_of_each_section(edition, returned, office_a_respondent):
    content = logged_in(office_a_respondent).get(edit_url(returned)).content.decode()
    nav = _nav(content)
    counted = {}
    for item in re.findall(r"<li class=\"sec-[a-z_]+\"[^>]*>(.*?)</li>", nav, flags=re.S):
        anchor = re.search(r'href="#section-([^"]+)"', item).group(1)
        found = re.search(r'class="sec-comments">(\d+) comments?<', item)
        counted[anchor] = int(found.group(1)) if found else 0
    expected = {s.id: 0 for s in edition.structure.sections}
    for qid in ("q4b", "q4c", "q1b"):
        expected[_section_of(edition, qid)] += 1
    assert counted == expected
    assert sum(counted.values()) == 3


def test_the_overall_comment_links_to_each_commented_question(returned, office_a_respondent):
    client = logged_in(office_a_respondent)
    form = client.get(edit_url(returned)).content.decode()
    notice = form[form.index('id="review-comments"') : form.index('class="form-layout"')]
    assert "Two questions to look at again." in notice
    assert re.findall(r'href="#q-(q\w+)"', notice) == ["q1b", "q4b", "q4c"]  # in the questionnaire's order
    # Each link leads to a question block of the form.
    for qid in ("q1b", "q4b", "q4c"):
        assert f'id="q-{qid}"' in form
    detail = client.get(reverse("surveys:response_detail", args=[returned.pk])).content.decode()
    notice = detail[detail.index('id="review-comments"') :]
    assert re.findall(r'href="#answer-(q\w+)"', notice)[:3] == ["q1b", "q4b", "q4c"]
    assert 'id="answer-q4b"' in detail


def test_no_list_of_commented_questions_without_comments(office_a_respondent, make_response, moldova_answers):
    response = make_response(office_a_respondent, moldova_answers)
    form = logged_in(office_a_respondent).get(edit_url(response)).content.decode()
    assert "Questions with comments:" not in form and 'class="sec-comments"' not in form


def test_the_reviewer_decides_beside_the_last_comment_too(secretariat_reviewer, office_a_respondent, returned):
    from surveys.review.workflow import response_submit
    from tests.conftest import _approver_of

    response_submit(response=returned, user=_approver_of("MD"))
    returned.refresh_from_db()
    client = logged_in(secretariat_reviewer)
    content = client.get(reverse("surveys:response_review", args=[returned.pk])).content.decode()
    top = content.index('id="review-form"')
    bottom = content.index('id="decide-again"')
    last_comment_box = content.rindex('class="comment-box"')
    assert top < last_comment_box < bottom
    again = content[bottom : content.index("</section>", bottom)]
    assert 'form="review-form" >' not in again
    assert re.findall(r'name="action" value="(\w+)" form="review-form"', again) == ["accept", "return"]
    # A decision from the bottom is the same form: the comments beside the questions go with it.
    page = client.post(
        reverse("surveys:response_review", args=[returned.pk]),
        {"action": "return", "comment": "", "comment.q14a": "Give one more example.", "version": returned.version},
    )
    assert page.status_code == 302
    returned.refresh_from_db()
    assert returned.status == "returned"
    assert returned.comments.filter(question_id="q14a").exists()
