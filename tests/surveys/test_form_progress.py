"""The form's progress as the server writes it on load: "N required questions left" and
each section's state are the engine's figures (the script on the page recounts them as
the office answers: tests/browser/test_progress.py)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from surveys.models import Invitation, NumberingSystem, QuestionnaireEdition, SurveyRound
from surveys.questionnaire.engine import evaluate
from surveys.responses.presenters import progress_data, section_state_label
from surveys.responses.services import response_save_draft, response_start
from tests.surveys.web_helpers import logged_in

pytestmark = pytest.mark.django_db

SECTION = re.compile(r'<li class="sec-(\w+)" data-section="section-(\w+)" data-state="(\w+)" data-left="(\d+)"')


def shown(html: str) -> tuple[int, dict[str, tuple[str, int]]]:
    total = int(re.search(r'<strong id="required-left">(\d+)</strong>', html).group(1))
    sections = {}
    for css, section, state, left in SECTION.findall(html):
        assert css == state
        sections[section] = (state, int(left))
    return total, sections


def engine_figures(edition, answers) -> tuple[int, dict[str, tuple[str, int]]]:
    evaluation = evaluate(edition, answers)
    sections = {}
    for section in edition.sections:
        ids = [q.id for q in section.questions]
        left = sum(1 for qid in ids if qid in evaluation.required_unanswered)
        bad = any(e.code != "required" for qid in ids for e in evaluation.errors.get(qid, []))
        if not any(evaluation.is_applicable(qid) for qid in ids):
            state = "not_applicable"
        else:
            state = "has_errors" if bad else ("incomplete" if left else "complete")
        sections[section.id] = (state, left)
    return len(evaluation.required_unanswered), sections


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"q1b": None, "q13b": None},
        {"q11a": "yes"},
        {"q1b": "not a date", "q11a": "yes", "q11b": ["other"]},
        "nothing",
    ],
)
def test_the_page_shows_the_engines_count_and_section_states(
    change, office_a_respondent, make_response, moldova_answers
):
    answers = {} if change == "nothing" else {k: v for k, v in {**moldova_answers, **change}.items() if v is not None}
    response = make_response(office_a_respondent, answers)
    html = logged_in(office_a_respondent).get(reverse("surveys:response_edit", args=[response.pk])).content.decode()
    edition = response.round.edition.structure
    assert shown(html) == engine_figures(edition, response.answers)
    total, sections = shown(html)
    assert len(sections) == len(edition.sections)
    if change == {"q1b": None, "q13b": None}:
        assert total == 2 and sections["ipr_types"] == ("incomplete", 1)
        assert "1 question left" in html
    if change == {"q11a": "yes"}:
        assert sections["separators"] == ("incomplete", 2) and "2 questions left" in html


GATED = {
    "format": 1,
    "slug": "gated",
    "version": "1",
    "year": 2012,
    "title": {"en": "Gated"},
    "examples": [],
    "sections": [
        {
            "id": "gate",
            "title": {"en": "Gate"},
            "questions": [
                {"id": "g", "number": 1, "letter": "a", "type": "yesno", "text": {"en": "Any?"}, "required": True}
            ],
        },
        {
            "id": "behind",
            "title": {"en": "Behind the gate"},
            "questions": [
                {
                    "id": "b",
                    "number": 2,
                    "letter": "a",
                    "type": "text",
                    "text": {"en": "Which?"},
                    "required": True,
                    "condition": {"eq": ["g", "yes"]},
                }
            ],
        },
    ],
}


def gated_response(user):
    edition = QuestionnaireEdition.objects.create(
        slug="gated", version="1", title="Gated", year=2012, definition=GATED, checksum="-"
    )
    survey_round = SurveyRound.objects.create(
        edition=edition, slug="gated", title="Gated", year=2012, opens_on=date(2012, 1, 1), closes_on=date(2099, 1, 1)
    )
    Invitation.objects.create(round=survey_round, office_id="MD")
    system = NumberingSystem.objects.create(office_id="MD", label="Trademarks", created_by=user)
    return response_start(survey_round=survey_round, numbering_system=system, user=user)


def test_a_section_whose_questions_do_not_apply_is_not_applicable(reference_data, office_a_respondent):
    response = gated_response(office_a_respondent)
    client = logged_in(office_a_respondent)
    edit = reverse("surveys:response_edit", args=[response.pk])
    html = client.get(edit).content.decode()
    assert shown(html) == (1, {"gate": ("incomplete", 1), "behind": ("not_applicable", 0)})
    assert "Not applicable" in html
    response_save_draft(response=response, answers={"g": "yes"}, user=office_a_respondent, expected_version=1)
    html = client.get(edit).content.decode()
    assert shown(html) == (1, {"gate": ("complete", 0), "behind": ("incomplete", 1)})
    assert shown(html) == engine_figures(response.round.edition.structure, response.answers)


def test_the_script_gets_the_questions_and_the_words_it_counts_with(reference_data, office_a_respondent):
    response = gated_response(office_a_respondent)
    html = logged_in(office_a_respondent).get(reverse("surveys:response_edit", args=[response.pk])).content.decode()
    data = json.loads(re.search(r'<script id="wp-progress" type="application/json">(.*?)</script>', html).group(1))
    assert data["required"] == ["g", "b"]
    assert data["sections"] == [["section-gate", ["g"]], ["section-behind", ["b"]]]
    assert data["words"]["total"] == {
        "0": "{n} required questions left",
        "1": "{n} required question left",
        "2": "{n} required questions left",
    }
    assert data["words"]["left"]["1"] == "{n} question left"
    assert data["words"]["states"]["not_applicable"] == "Not applicable"


def test_the_words_follow_each_languages_plural_rules(edition):
    with translation.override("fr"):
        french = progress_data(edition.structure)["words"]
        assert section_state_label("incomplete", 3) == "3 questions restantes"
    # French counts 0 in the singular, English and Spanish in the plural.
    assert french["total"]["0"] == french["total"]["1"] != french["total"]["2"]
    with translation.override("es"):
        spanish = progress_data(edition.structure)["words"]
    assert spanish["total"]["0"] == spanish["total"]["2"] != spanish["total"]["1"]
