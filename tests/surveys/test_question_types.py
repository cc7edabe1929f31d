"""Question types are plug-ins: the registry, and a type that exists only in this file.

"colour" (an answer such as ``#1f6feb``) is registered by a fixture, with its form
partial in a template folder of the test's own, and unregistered afterwards. Nothing
else in the code knows it, yet the form, the engine, the pages, the spreadsheet round
trip and the published-page reader all handle it: adding a type is one module (here the
``Colour`` class and its partial) plus its tests.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import tablib
from django.http import QueryDict
from django.urls import reverse

from surveys.intake.published_pages import import_page
from surveys.intake.resources import ResponseResource
from surveys.intake.spreadsheets import CellError, decode_answer, encode_answer
from surveys.models import Invitation, NumberingSystem, QuestionnaireEdition, SurveyResponse, SurveyRound
from surveys.questionnaire import types
from surveys.questionnaire.edition import QUESTION_TYPES, DefinitionError, Edition
from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.form_fields import answers_from_form, form_values
from surveys.questionnaire.types.base import Problems, QuestionType
from surveys.questionnaire.types.cells import stripped
from surveys.questionnaire.types.forms import posted
from surveys.responses.display import display_answer
from surveys.responses.services import response_save_draft, response_start
from surveys.review.workflow import response_accept, response_publish, response_submit

BUILT_IN = {"multi", "single", "yesno", "text", "partial_date", "int", "part_lengths", "order", "grid"}

# --- the test-only type -----------------------------------------------------------------

HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")
COLOUR_PARTIAL = (
    '{% extends "surveys/question_types/_field.html" %}'
    '{% block input %}<input type="color" name="{{ q.id }}" id="id_{{ q.id }}" value="{{ item.value }}">{% endblock %}'
)


class Colour(QuestionType):
    """A colour as #rrggbb (lower case). Everything a type does, in one class."""

    template = "surveys/question_types/_colour.html"

    def parse_form(self, q, data, edition) -> Any:
        return posted(data, q.id).strip().lower()

    def validate(self, q, value, edition, answers) -> Problems:
        if not isinstance(value, str) or not HEX_COLOUR.match(value):
            return [("bad_colour", "Give the colour as #rrggbb.")]
        return []

    def display_text(self, q, value, language) -> str:
        return value.upper()

    def read_page(self, q, lines, reader) -> Any:
        line = reader.one(lines)
        if line is None:
            return None
        value = line.text.strip().lower()
        if not HEX_COLOUR.match(value):
            reader.problem(line, f"“{line.text}” is not a colour")
            return None
        return value

    def to_cell(self, q, value) -> str | int:
        return str(value)

    def from_cell(self, q, cell, edition) -> Any:
        value = stripped(cell).lower()
        if not HEX_COLOUR.match(value):
            raise CellError(f"{value!r} is not a colour (#rrggbb).")
        return value


def _text(en: str) -> dict[str, str]:
    return {"en": en}


DEFINITION = {
    "format": 1,
    "slug": "house-colours",
    "version": "1",
    "year": 2012,
    "title": _text("House colours"),
    "examples": [],
    "sections": [
        {
            "id": "colours",
            "title": _text("Colours"),
            "questions": [
                {
                    "id": "c1a",
                    "number": 1,
                    "letter": "a",
                    "type": "yesno",
                    "text": _text("Does the office print its numbers in colour?"),
                    "required": True,
                },
                {
                    "id": "c1b",
                    "number": 1,
                    "letter": "b",
                    "type": "colour",
                    "text": _text("Which colour?"),
                    "required": True,
                    "condition": {"eq": ["c1a", "yes"]},
                },
                {
                    "id": "c2a",
                    "number": 2,
                    "letter": "a",
                    "type": "colour",
                    "text": _text("Colour of the office's letterhead"),
                    "required": False,
                },
            ],
        }
    ],
}

ANSWERS = {"c1a": "yes", "c1b": "#1f6feb", "c2a": "#ffaa00"}


@pytest.fixture
def colour_type(settings, tmp_path):
    """The colour type, registered, with its partial in a template folder of its own."""
    partial = tmp_path / "templates" / "surveys" / "question_types" / "_colour.html"
    partial.parent.mkdir(parents=True)
    partial.write_text(COLOUR_PARTIAL, encoding="utf-8")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path / "templates", *engine["DIRS"]]}]
    types.register("colour")(Colour)
    yield types.get("colour")
    types.unregister("colour")


@pytest.fixture
def colours(colour_type):
    return Edition(DEFINITION)


# --- the registry -------------------------------------------------------------------------


def test_every_built_in_type_is_registered_with_its_operations():
    assert set(QUESTION_TYPES) == set(types.KNOWN) == BUILT_IN
    for name in BUILT_IN:
        question_type = types.get(name)
        assert question_type.name == name
        assert question_type.template.startswith("surveys/question_types/")
        assert question_type.script_value in ("checked", "picked", "field", "fields")
    assert {name for name in BUILT_IN if types.get(name).has_choices} == {"multi", "single", "yesno"}


def test_unknown_and_doubly_registered_types_are_refused():
    with pytest.raises(types.UnknownQuestionType, match="unknown question type 'file'"):
        types.get("file")
    with pytest.raises(ValueError, match="'grid' is registered already"):
        types.register("grid")(Colour)
    with pytest.raises(types.UnknownQuestionType):
        types.unregister("colour")
    assert types.get("grid").name == "grid"


def test_an_edition_may_use_a_type_from_its_registration_until_it_is_unregistered():
    with pytest.raises(DefinitionError, match="question c1b: unknown type 'colour'"):
        Edition(DEFINITION)
    types.register("colour")(Colour)
    try:
        assert "colour" in QUESTION_TYPES
        assert Edition(DEFINITION).by_id["c1b"].type == "colour"
    finally:
        types.unregister("colour")
    assert "colour" not in QUESTION_TYPES and set(QUESTION_TYPES) == BUILT_IN


# --- the colour type everywhere -------------------------------------------------------------


def test_the_form_reads_and_refills_a_colour(colours):
    posted_data = QueryDict(mutable=True)
    posted_data.update({"c1a": "yes", "c1b": " #1F6FEB ", "c2a": "#ffaa00"})
    answers = answers_from_form(colours, posted_data)
    assert answers == ANSWERS
    assert form_values(colours, answers) == ANSWERS
    # As for every type, a draft keeps what was typed, valid or not.
    assert answers_from_form(colours, QueryDict("c1a=yes&c1b=blue")) == {"c1a": "yes", "c1b": "blue"}


def test_the_engine_validates_a_colour_only_where_it_applies(colours):
    assert evaluate(colours, ANSWERS).errors == {}
    wrong = evaluate(colours, {**ANSWERS, "c1b": "blue"})
    assert [(i.code, i.message) for i in wrong.errors["c1b"]] == [("bad_colour", "Give the colour as #rrggbb.")]
    assert [i.code for i in evaluate(colours, {"c1a": "yes"}).errors["c1b"]] == ["required"]
    hidden = evaluate(colours, {**ANSWERS, "c1a": "no", "c1b": "blue"})
    assert hidden.errors == {} and hidden.set_aside == {"c1b": "blue"} and hidden.state("c1b") == "not_applicable"


def test_a_colour_reads_on_pages(colours):
    display = display_answer(colours, colours.by_id["c1b"], "#1f6feb", "fr")
    assert (display.lines, display.is_table, display.fallback) == (["#1F6FEB"], False, False)


def test_a_colour_is_one_cell_that_reads_back(colours):
    q = colours.by_id["c1b"]
    assert encode_answer(q, "#1f6feb") == "#1f6feb"
    assert decode_answer(colours, q, " #1F6FEB") == "#1f6feb"
    with pytest.raises(CellError, match="'red' is not a colour"):
        decode_answer(colours, q, "red")


# --- through the database: the office's form, spreadsheets, published pages ----------------


@pytest.fixture
def colour_round(colour_type, reference_data):
    return _round("house-colours-2012")


def _round(slug: str) -> SurveyRound:
    edition, _ = QuestionnaireEdition.objects.get_or_create(
        slug=DEFINITION["slug"],
        defaults={"version": "1", "title": "House colours", "year": 2012, "definition": DEFINITION, "checksum": "-"},
    )
    survey_round = SurveyRound.objects.create(
        edition=edition, slug=slug, title=slug, year=2012, opens_on=date(2012, 3, 1), closes_on=date(2012, 12, 31)
    )
    Invitation.objects.create(round=survey_round, office_id="MD")
    return survey_round


def _response(survey_round: SurveyRound, user, answers=None) -> SurveyResponse:
    system = NumberingSystem.objects.create(office_id="MD", label="Trademarks", created_by=user)
    response = response_start(survey_round=survey_round, numbering_system=system, user=user)
    if answers:
        response_save_draft(response=response, answers=answers, user=user, expected_version=response.version)
    return response


def test_the_office_answers_a_colour_question_in_its_form(client, office_a_respondent, colour_round):
    response = _response(colour_round, office_a_respondent)
    client.force_login(office_a_respondent)
    url = reverse("surveys:response_edit", args=[response.pk])

    page = client.get(url).content.decode()
    assert '<input type="color" name="c1b" id="id_c1b" value="">' in page
    # The branching script reads a colour as the built-in one-field types: from its field.
    assert 'data-question="c1b" data-value="field" hidden' in page

    saved = client.post(url, {"version": str(response.version), "action": "save", "c1a": "yes", "c1b": "#1F6FEB"})
    assert saved.status_code == 302
    response.refresh_from_db()
    assert response.answers == {"c1a": "yes", "c1b": "#1f6feb"}

    client.post(url, {"version": str(response.version), "action": "save", "c1a": "yes", "c1b": "blue"})
    response.refresh_from_db()
    assert response.answers["c1b"] == "blue"
    assert "Give the colour as #rrggbb." in client.get(url).content.decode()


def test_spreadsheet_export_then_import_gives_the_same_answers(office_a_respondent, secretariat_reviewer, colour_round):
    original = _response(colour_round, office_a_respondent, ANSWERS)
    resource = ResponseResource(edition=colour_round.edition)
    exported = resource.export(SurveyResponse.objects.filter(pk=original.pk))
    assert exported.headers == ["round", "office", "numbering_system", "sequence", "status", "c1a", "c1b", "c2a"]
    assert list(exported[0][5:]) == ["yes", "#1f6feb", "#ffaa00"]

    fresh = _round("house-colours-2012-again")
    rows = [list(values) for values in exported]
    rows[0][0] = fresh.slug
    result = ResponseResource(edition=colour_round.edition).import_data(
        tablib.Dataset(*rows, headers=exported.headers), user=secretariat_reviewer
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assert SurveyResponse.objects.get(round=fresh).answers == original.answers == ANSWERS


def test_published_page_reimports_to_the_same_answers(
    client, office_a_respondent, office_a_approver, secretariat_reviewer, colour_round
):
    original = _response(colour_round, office_a_respondent, ANSWERS)
    response_submit(response=original, user=office_a_approver)
    response_accept(response=original, user=secretariat_reviewer)
    response_publish(response=original, user=secretariat_reviewer)
    page = client.get(reverse("surveys:public_response_detail", args=[DEFINITION["slug"], "md-001"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "#1F6FEB" in html and "#FFAA00" in html

    fresh = _round("house-colours-2012-again")
    result = import_page(html, survey_round=fresh, source="md-001.html", user=secretariat_reviewer)
    assert result.ok, result.problems
    assert SurveyResponse.objects.get(round=fresh).answers == ANSWERS

    garbled = html.replace("#FFAA00", "bright orange")
    rejected = import_page(garbled, survey_round=_round("third"), source="md-001.html", user=secretariat_reviewer)
    assert any("“bright orange” is not a colour" in p for p in rejected.problems)
