"""Pages in French and Spanish: a response entered in one language and read in another,
the form, the review pages, error and sign-in pages, the same number of queries in every
language; and an edition text missing its translation, shown in English and marked."""

from __future__ import annotations

import copy

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.conftest import EDITION_FILE
from tests.i18n.helpers import EDITION, _in
from tests.surveys.web_helpers import form_data

# --- pages in French and Spanish --------------------------------------------------------


def _choice(question: dict, code: str) -> dict:
    return next(c for c in question["choices"] if c["code"] == code)


def _edition_texts() -> dict:
    import json

    definition = json.loads(EDITION_FILE.read_text(encoding="utf-8"))
    questions = {q["id"]: q for s in definition["sections"] for q in s["questions"]}
    return {"questions": questions, "sections": {s["id"]: s for s in definition["sections"]}}


@pytest.mark.django_db
def test_a_response_entered_in_french_reads_in_spanish(edition, office_a_respondent, make_response, moldova_answers):
    from django.utils.html import escape

    from surveys.models import SurveyResponse

    texts = _edition_texts()["questions"]
    response = make_response(office_a_respondent, label="Marques")
    client = _in(Client(), "fr")
    client.force_login(office_a_respondent)
    edit = reverse("surveys:response_edit", args=[response.pk])
    form = client.get(edit).content.decode()
    trademarks = _choice(texts["q1a"], "trademarks")["label"]
    assert escape(texts["q1a"]["text"]["fr"]) in form and escape(trademarks["fr"]) in form

    saved = client.post(edit, form_data(edition, moldova_answers, version=response.version))

    assert saved.status_code == 302
    assert "Brouillon enregistré." in client.get(edit).content.decode()
    response.refresh_from_db()
    # Codes, not words: the same answers whatever the language they were entered in.
    assert response.answers["q1a"] == ["trademarks"] and response.answers["q4a"] == "fixed"
    assert response.answers["q7a"] == "yes"
    from surveys.review import workflow
    from tests.conftest import _approver_of, _secretariat_user

    workflow.response_submit(response=response, user=_approver_of("MD"))
    reviewer = _secretariat_user()
    workflow.response_accept(response=response, user=reviewer)
    workflow.response_publish(response=response, user=reviewer)
    response = SurveyResponse.objects.get(pk=response.pk)

    url = reverse("surveys:public_response_detail", args=[EDITION, response.public_key])
    spanish = _in(Client(), "es").get(url).content.decode()
    assert '<html lang="es">' in spanish
    assert escape(texts["q1a"]["text"]["es"]) in spanish
    assert f"<li>{escape(trademarks['es'])}</li>" in spanish
    assert f'<p class="answer">{escape(_choice(texts["q4a"], "fixed")["label"]["es"])}</p>' in spanish
    assert '<p class="answer">Sí</p>' in spanish  # a yes/no answer, from the catalogue
    assert "Pregunta 4 (continuación)" in spanish and "Pregunta 1</h3>" in spanish
    assert "Respuesta 1 de 1 presentada por República de Moldova" in spanish
    assert "Serial number: 6 characters" not in spanish
    assert escape(texts["q1a"]["text"]["fr"]) not in spanish and "Oui" not in spanish
    assert "lang-fallback" not in spanish

    english = Client().get(url).content.decode()
    assert "Response 1 of 1 submitted by Republic of Moldova" in english
    assert escape(texts["q1a"]["text"]["en"]) in english and "<li>Trademarks</li>" in english
    assert "Question 4 (cont&#x27;d)" in english and '<p class="answer">Yes</p>' in english


@pytest.mark.django_db
def test_the_form_in_french_labels_states_and_errors(
    edition, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    texts = _edition_texts()
    response = make_response(office_a_respondent, {"q1b": "19x2"})
    client = _in(Client(), "fr")
    client.force_login(office_a_approver)
    edit = reverse("surveys:response_edit", args=[response.pk])
    # "Submit response" saves and leads to the confirmation page, whose problems link to
    # the form showing them (?check=1).
    saved = client.post(edit, form_data(edition, {"q1b": "19x2"}, version=response.version, action="submit"))
    assert saved["Location"] == reverse("surveys:response_submit", args=[response.pk])
    html = client.get(edit + "?check=1")
    content = html.content.decode()
    assert html.status_code == 200
    assert "Indiquez une année (aaaa) ou une date complète (jj/mm/aaaa)." in content  # engine message
    assert "Cette question appelle une réponse." in content
    assert "La réponse a été enregistrée comme brouillon, mais pas soumise" in content
    assert ">Erreurs</span>" in content and ">Brouillon</span>" in content
    first_section = next(iter(texts["sections"].values()))
    assert first_section["title"]["fr"].replace("'", "&#x27;") in content
    assert 'placeholder="aaaa ou jj/mm/aaaa"' in content
    assert 'aria-label="obligatoire"' in content
    assert "Question 4 (suite) En réponse à la question précédente" in content


@pytest.mark.django_db
def test_status_labels_and_workflow_messages_are_translated(
    edition, office_a_respondent, make_response, secretariat_reviewer, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers, submit=True)
    client = _in(Client(), "es")
    client.force_login(secretariat_reviewer)
    review = client.get(reverse("surveys:response_review", args=[response.pk])).content.decode()
    assert '<span class="status status-submitted">Presentada</span>' in review
    assert "<strong>Presentada</strong> por" in review  # the workflow timeline
    returned = client.post(
        reverse("surveys:response_review", args=[response.pk]),
        {"action": "return", "comment": "", "version": response.version},
        follow=True,
    )
    assert "Indique lo que la oficina debe modificar" in returned.content.decode()
    dashboard = client.get(reverse("surveys:round_dashboard", args=[response.round.slug])).content.decode()
    assert "No iniciada" in dashboard and ">Rondas de la encuesta</a>" in dashboard


@pytest.mark.django_db
def test_error_pages_in_french(client, edition):
    _in(client, "fr")
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert "<h1>Page introuvable</h1>" in page.content.decode()
    with translation.override("en"):
        html = render_to_string("500.html")
    assert "<h1>Something went wrong on our side</h1>" in html
    with translation.override("fr"):
        html = render_to_string("500.html")
    assert '<html lang="fr">' in html and "<h1>Un problème est survenu de notre côté</h1>" in html


@pytest.mark.django_db
def test_sign_in_page_in_spanish(client, edition):
    page = _in(client, "es").get(reverse("login")).content.decode()
    assert "<h1>Iniciar sesión</h1>" in page and '<label for="id_username">Nombre de usuario</label>' in page
    refused = client.post(reverse("login"), {"username": "nobody", "password": "wrong"}).content.decode()
    assert "Su nombre de usuario y su contraseña no coinciden." in refused


@pytest.mark.django_db
def test_the_language_does_not_change_the_number_of_queries(
    edition, office_a_respondent, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers, publish=True)
    url = reverse("surveys:public_response_detail", args=[EDITION, response.public_key])
    counts = {}
    for language in ("en", "fr", "es"):
        client = _in(Client(), language)
        client.get(url)  # warm the catalogues
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[language] = len(queries)
    assert counts["fr"] == counts["en"] == counts["es"]


# --- a translation missing from the edition file ----------------------------------------


@pytest.fixture
def edition_missing_french(edition):
    """The 2012 edition with the French of q1a (text and one choice) and of a section title removed."""
    definition = copy.deepcopy(edition.definition)
    first = definition["sections"][0]
    del first["title"]["fr"]
    q1a = first["questions"][0]
    assert q1a["id"] == "q1a"
    del q1a["text"]["fr"]
    trademarks = next(c for c in q1a["choices"] if c["code"] == "trademarks")
    del trademarks["label"]["fr"]
    type(edition).objects.filter(pk=edition.pk).update(definition=definition)
    edition.refresh_from_db()
    edition.__dict__.pop("structure", None)
    return edition, first, q1a, trademarks


def test_tr_marked_falls_back_to_english_and_says_so():
    from surveys.questionnaire.edition import LocalText, tr_marked, tr_text

    text = {"en": "Trademarks", "fr": "Marques"}
    assert tr_marked(text, "fr") == ("Marques", False)
    assert tr_marked(text, "fr-CH") == ("Marques", False)
    assert tr_marked(text, "es") == ("Trademarks", True)
    assert tr_marked(text, "en") == ("Trademarks", False)
    assert tr_marked({"en": "Trademarks", "es": ""}, "es") == ("Trademarks", True)
    assert tr_marked(None, "es") == ("", False)
    shown = tr_text(text, "es")
    assert isinstance(shown, LocalText) and shown == "Trademarks" and shown.fallback


@pytest.mark.django_db
def test_a_missing_translation_is_shown_in_english_with_a_mark(
    edition_missing_french, office_a_respondent, make_response, moldova_answers
):
    from django.utils.html import escape

    edition, section, q1a, trademarks = edition_missing_french
    response = make_response(office_a_respondent, moldova_answers, publish=True)
    url = reverse("surveys:public_response_detail", args=[EDITION, response.public_key])

    french = _in(Client(), "fr").get(url).content.decode()

    mark = '<span class="lang-fallback">(en anglais)</span>'
    assert f'<span lang="en">{escape(q1a["text"]["en"])}</span> {mark}' in french
    assert f'<h2><span lang="en">{escape(section["title"]["en"])}</span> {mark}</h2>' in french
    assert "<li>Trademarks</li>" in french  # the answer, in English …
    assert f'<p class="lang-fallback-note">{mark}</p>' in french  # … and marked
    q1b = next(q for q in section["questions"] if q["id"] == "q1b")
    assert escape(q1b["text"]["fr"]) in french  # translated texts are not marked
    assert french.count(mark) == 3

    spanish = _in(Client(), "es").get(url).content.decode()
    assert "lang-fallback" not in spanish and escape(q1a["text"]["es"]) in spanish
    english = Client().get(url).content.decode()
    assert "lang-fallback" not in english

    client = _in(Client(), "fr")
    client.force_login(office_a_respondent)
    draft = make_response(office_a_respondent, label="Brevets")
    form = client.get(reverse("surveys:response_edit", args=[draft.pk])).content.decode()
    assert f'<span lang="en">{escape(q1a["text"]["en"])}</span> {mark}' in form
    assert f'> <span lang="en">{escape(trademarks["label"]["en"])}</span> {mark}</label>' in form
    page = client.get(reverse("surveys:edition_detail", args=[EDITION])).content.decode()
    assert f'<span lang="en">{escape(q1a["text"]["en"])}</span> {mark}' in page
