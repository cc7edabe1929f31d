"""The task force's reader and the translator, on the pages; a round's title in French and
Spanish (the translator's page, where it is shown, where the English one stays)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from surveys.accounts.services import language_set
from surveys.errors import NotAllowed
from surveys.models import ReviewComment, SurveyResponse
from surveys.reports import tables
from surveys.review.notifications import reminder
from surveys.review.rounds import round_texts_update
from surveys.review.workflow import response_return
from tests.surveys.web_helpers import edit_url, logged_in

TITLE_FR = "Questionnaire sur la numérotation des demandes (2012)"
TITLE_ES = "Cuestionario sobre la numeración de las solicitudes (2012)"


def detail_url(response: SurveyResponse) -> str:
    return reverse("surveys:response_detail", args=[response.pk])


@pytest.fixture
def responses(office_a_respondent, office_b_respondent, secretariat_reviewer, make_response, moldova_answers):
    """A draft never submitted, a returned response (submitted once) and a published one."""
    draft = make_response(office_a_respondent, {"q1b": "1992"}, label="Patents")
    returned = make_response(office_b_respondent, moldova_answers, label="European patents", submit=True)
    response_return(response=returned, user=secretariat_reviewer, comment="Check q4b.")
    published = make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    return draft, returned, published


# --- the task force's reader ------------------------------------------------------------------


def test_the_task_force_reads_every_response_once_submitted(task_force_reader, responses):
    draft, returned, published = responses
    client = logged_in(task_force_reader)
    dashboard = client.get(reverse("surveys:dashboard")).content.decode()
    assert "As a reader for the task force" in dashboard
    assert detail_url(returned) in dashboard and detail_url(published) in dashboard
    assert detail_url(draft) not in dashboard
    for response in (returned, published):
        page = client.get(detail_url(response))
        assert page.status_code == 200
        content = page.content.decode()
        # Reads, comments; no edit, no review, no submission.
        assert reverse("surveys:response_comment", args=[response.pk]) in content
        for view in ("surveys:response_edit", "surveys:response_review", "surveys:response_submit"):
            assert reverse(view, args=[response.pk]) not in content
        assert client.get(reverse("surveys:response_history", args=[response.pk])).status_code == 200
    assert client.get(detail_url(draft)).status_code == 404
    # Nothing the office or the secretariat does.
    for view in ("surveys:response_edit", "surveys:response_review", "surveys:response_submit"):
        assert client.get(reverse(view, args=[returned.pk])).status_code in (403, 404)
    before = list(SurveyResponse.objects.order_by("pk").values_list("status", "version"))
    review = client.post(
        reverse("surveys:response_review", args=[returned.pk]), {"action": "accept", "version": returned.version}
    )
    assert review.status_code == 403
    assert list(SurveyResponse.objects.order_by("pk").values_list("status", "version")) == before


def test_the_task_force_comments_on_a_submitted_response_only(task_force_reader, responses):
    draft, returned, _published = responses
    client = logged_in(task_force_reader)
    page = client.post(reverse("surveys:response_comment", args=[returned.pk]), {"body": "Seen by the task force."})
    assert page["Location"] == detail_url(returned)
    assert ReviewComment.objects.filter(response=returned, author=task_force_reader).count() == 1
    assert client.post(reverse("surveys:response_comment", args=[draft.pk]), {"body": "x"}).status_code == 404
    assert not ReviewComment.objects.filter(response=draft).exists()


def test_the_task_force_reads_the_figures_not_yet_published(task_force_reader, survey_round, responses):
    client = logged_in(task_force_reader)
    page = client.get(reverse("reports:round_report", args=[survey_round.slug]))
    assert page.status_code in (200, 202)
    assert tables.report_scope(task_force_reader, include_submitted=True) == tables.Scope.WITH_SUBMITTED
    assert tables.report_scope(AnonymousUser(), include_submitted=True) == tables.Scope.PUBLISHED


def test_the_task_force_list_reads_a_fixed_number_of_queries(
    task_force_reader, office_a_respondent, make_response, moldova_answers
):
    client = logged_in(task_force_reader)
    url = reverse("surveys:dashboard")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    make_response(office_a_respondent, moldova_answers, label="System 1", submit=True)
    one = queries()
    for i in range(2, 6):
        make_response(office_a_respondent, moldova_answers, label=f"System {i}", submit=True)
    assert queries() == one


# --- the translator -----------------------------------------------------------------------------


def test_the_translator_edits_the_rounds_texts_and_sees_no_answer(translator, survey_round, responses):
    _draft, returned, published = responses
    client = logged_in(translator)
    dashboard = client.get(reverse("surveys:dashboard")).content.decode()
    texts_url = reverse("surveys:round_texts", args=[survey_round.slug])
    assert "Texts to translate" in dashboard and texts_url in dashboard
    assert detail_url(published) not in dashboard
    for response in (returned, published):
        assert client.get(detail_url(response)).status_code == 404
        assert client.get(edit_url(response)).status_code in (403, 404)
    page = client.get(texts_url)
    assert page.status_code == 200
    assert 'name="title_fr"' in page.content.decode() and 'name="title_es"' in page.content.decode()
    page = client.post(texts_url, {"title_fr": f"  {TITLE_FR} ", "title_es": TITLE_ES})
    assert page["Location"] == texts_url
    survey_round.refresh_from_db()
    assert (survey_round.title_fr, survey_round.title_es) == (TITLE_FR, TITLE_ES)


def test_only_translators_and_the_secretariat_edit_round_texts(
    survey_round, office_a_approver, task_force_reader, secretariat_reviewer
):
    url = reverse("surveys:round_texts", args=[survey_round.slug])
    for user in (office_a_approver, task_force_reader):
        assert logged_in(user).post(url, {"title_fr": "x", "title_es": "y"}).status_code == 403
        with pytest.raises(NotAllowed):
            round_texts_update(survey_round=survey_round, title_fr="x", title_es="y", user=user)
    survey_round.refresh_from_db()
    assert (survey_round.title_fr, survey_round.title_es) == ("", "")
    assert logged_in(secretariat_reviewer).post(url, {"title_fr": TITLE_FR, "title_es": ""}).status_code == 302
    # The secretariat reaches it from the round's dashboard.
    dashboard = logged_in(secretariat_reviewer).get(reverse("surveys:round_dashboard", args=[survey_round.slug]))
    assert url in dashboard.content.decode()


# --- the round's title in three languages ---------------------------------------------------------


def test_the_title_follows_the_language_and_falls_back_to_english(survey_round):
    survey_round.title_fr = TITLE_FR
    assert survey_round.title_in("fr") == TITLE_FR
    assert survey_round.title_in("es") == survey_round.title  # none given: the English one
    assert survey_round.title_in("en") == survey_round.title
    with translation.override("fr"):
        assert survey_round.local_title == TITLE_FR
    assert str(survey_round) == survey_round.title


def test_pages_emails_and_reports_show_the_translated_title(
    survey_round, office_a_respondent, make_response, moldova_answers
):
    survey_round.title_fr, survey_round.title_es = TITLE_FR, TITLE_ES
    survey_round.save()
    response = make_response(office_a_respondent, {"q1b": "1992"})
    client = logged_in(office_a_respondent)
    client.cookies["django_language"] = "fr"
    assert TITLE_FR in client.get(reverse("surveys:dashboard")).content.decode()
    assert TITLE_FR in client.get(edit_url(response)).content.decode()
    client.cookies["django_language"] = "es"
    assert TITLE_ES in client.get(detail_url(response)).content.decode()
    # Each person's e-mail names the round in their language.
    language_set(user=office_a_respondent, language="fr")
    (sent,) = reminder(survey_round.invitations.get(office_id="MD"))
    assert TITLE_FR in sent.body and TITLE_FR in sent.subject and survey_round.title not in sent.body
    # A report in French is headed with the French title; the English one keeps the English.
    with tables.build_report(survey_round, scope=tables.Scope.PUBLISHED, language="fr") as report:
        assert report.title == TITLE_FR
    with tables.build_report(survey_round, scope=tables.Scope.PUBLISHED, language="en") as report:
        assert report.title == survey_round.title


def test_the_translators_list_reads_a_fixed_number_of_queries(translator, survey_round):
    from datetime import date

    from surveys.models import SurveyRound

    client = logged_in(translator)
    url = reverse("surveys:dashboard")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    one = queries()
    for year in range(2013, 2017):
        SurveyRound.objects.create(
            edition=survey_round.edition,
            slug=f"round-{year}",
            title=f"Round {year}",
            year=year,
            opens_on=date(year, 1, 1),
            closes_on=date(year, 12, 31),
        )
    assert queries() == one
    content = client.get(url).content.decode()
    assert all(reverse("surveys:round_texts", args=[f"round-{year}"]) in content for year in range(2013, 2017))
