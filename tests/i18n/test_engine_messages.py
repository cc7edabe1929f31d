"""The engine's errors and warnings are put into the reader's language where they are read.

The engine keeps each message as a sentence that remembers its template and values
(``standards.messages.Text``); ``Issue.message`` translates it when it is read. So a
verdict nobody reads the messages of never touches the catalogue, and one that is shown
is shown in the language active there: the form, the API and the review pages give the
same words as when the engine translated each message itself.
"""

from __future__ import annotations

import pickle
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from surveys.demo import EPO_PATENTS
from surveys.management.commands.bench_engine import _variants
from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.evaluation import Issue
from tests.api.test_api_st13 import EPO_ANSWERS, parse
from tests.i18n.helpers import _in
from tests.surveys.test_engine_properties import EDITION

REQUIRED = {
    "en": "This question needs an answer.",
    "fr": "Cette question appelle une réponse.",
    "es": "Esta pregunta requiere una respuesta.",
}
BAD_DATE = {
    "en": "Enter a year (yyyy) or a full date (dd/mm/yyyy).",
    "fr": "Indiquez une année (aaaa) ou une date complète (jj/mm/aaaa).",
}
# EPO's answers denying, in q6a, the year that q2a lists as a part: valid, with a warning.
YEAR_DENIED = {**EPO_PATENTS, "q6a": "no"}


def _messages(evaluation) -> dict[str, list[str]]:
    return {qid: [issue.message for issue in issues] for qid, issues in evaluation.errors.items()}


def test_an_evaluation_made_in_english_is_read_in_french_and_spanish():
    evaluation = evaluate(EDITION, {**EPO_PATENTS, "q1b": "19x2", "q14a": None})

    assert _messages(evaluation)["q1b"] == [BAD_DATE["en"]]
    assert _messages(evaluation)["q14a"] == [REQUIRED["en"]]
    with translation.override("fr"):
        assert _messages(evaluation) == {"q1b": [BAD_DATE["fr"]], "q14a": [REQUIRED["fr"]]}
    with translation.override("es"):
        assert _messages(evaluation)["q14a"] == [REQUIRED["es"]]
    assert _messages(evaluation)["q14a"] == [REQUIRED["en"]]


def test_an_evaluation_made_in_french_says_what_the_french_catalogue_says():
    with translation.override("fr"):
        evaluation = evaluate(EDITION, {**EPO_PATENTS, "q1b": "19x2"})
        assert _messages(evaluation) == {"q1b": [BAD_DATE["fr"]]}
        assert evaluation.errors["q1b"][0] == Issue("q1b", "bad_date", BAD_DATE["fr"])


def test_a_warning_and_the_words_put_into_it_share_the_readers_language():
    (warning,) = evaluate(EDITION, YEAR_DENIED).warnings
    assert warning.message == "q2a lists the year designation as a part, but q6a answers “No”."
    with translation.override("fr"):
        assert warning.message == "q2a indique la désignation de l'année comme élément, mais q6a répond “Non”."


def test_the_labels_of_missing_parts_are_those_of_the_readers_language():
    # q4b gives no length for the serial number that q2a lists.
    evaluation = evaluate(EDITION, {**EPO_PATENTS, "q4b": {"year": 2, "control": 1}})
    (issue,) = evaluation.errors["q4b"]
    assert issue.code == "missing_part" and issue.message == "Give a value for: Serial number."
    with translation.override("fr"):
        assert issue.message == "Indiquez une valeur pour\u00a0: Numéro de série."


def test_issues_compare_by_what_they_say_and_keep_their_template_when_pickled():
    evaluation = evaluate(EDITION, {**EPO_PATENTS, "q1b": "19x2"})
    (issue,) = evaluation.errors["q1b"]
    assert issue == Issue("q1b", "bad_date", BAD_DATE["en"])
    assert hash(issue) == hash(Issue("q1b", "bad_date", BAD_DATE["en"]))
    assert issue != Issue("q1b", "bad_date", BAD_DATE["fr"]) and issue != Issue("q1a", "bad_date", BAD_DATE["en"])
    assert repr(issue) == f"Issue(question_id='q1b', code='bad_date', message={BAD_DATE['en']!r})"

    copied = pickle.loads(pickle.dumps(evaluation))
    assert copied.errors == evaluation.errors
    with translation.override("fr"):
        assert copied.errors["q1b"][0].message == BAD_DATE["fr"]
        missing = pickle.loads(pickle.dumps(evaluate(EDITION, {**EPO_PATENTS, "q4b": {"year": 2, "control": 1}})))
        assert missing.errors["q4b"][0].message == "Indiquez une valeur pour\u00a0: Numéro de série."


def test_evaluating_never_looks_a_message_up_reading_one_does():
    documents = [*_variants(30), YEAR_DENIED]
    refused = AssertionError("the catalogue was asked while evaluating")
    trans = translation._trans
    with (
        translation.override("fr"),
        mock.patch.object(trans, "gettext", side_effect=refused),
        mock.patch.object(trans, "ngettext", side_effect=refused),
    ):
        evaluations = [evaluate(EDITION, answers) for answers in documents]
    assert sum(len(e.errors) + len(e.warnings) for e in evaluations) > len(documents) / 2
    with translation.override("fr"):
        shown = {i.message for e in evaluations for issues in e.errors.values() for i in issues}
    assert {BAD_DATE["fr"], REQUIRED["fr"]} <= shown


@pytest.mark.django_db
def test_the_api_gives_the_engines_problems_in_the_requests_language(reference_data):
    answers = {**EPO_ANSWERS, "q4a": "sometimes"}
    french = parse(APIClient(), HTTP_ACCEPT_LANGUAGE="fr", numbers=["1"], office="EP", answers=answers)
    assert french.status_code == 400
    assert french.json() == {"answers": {"q4a": ["Choisissez l'une des options proposées (reçu\u00a0: 'sometimes')."]}}
    english = parse(APIClient(), numbers=["1"], office="EP", answers=answers).json()
    assert english == {"answers": {"q4a": ["Choose one of the listed options (got 'sometimes')."]}}


@pytest.mark.django_db
def test_the_review_page_gives_the_warnings_in_the_readers_language(
    office_a_respondent, make_response, secretariat_reviewer
):
    from django.utils.html import escape

    response = make_response(office_a_respondent, YEAR_DENIED, submit=True)
    client = _in(Client(), "fr")
    client.force_login(secretariat_reviewer)
    page = client.get(reverse("surveys:response_review", args=[response.pk])).content.decode()
    assert escape("q2a indique la désignation de l'année comme élément, mais q6a répond “Non”.") in page
    assert "as a part, but" not in page
