"""Words the code builds in the reader's language: the engine's messages (their codes stay),
the labels of statuses, steps, rounds and roles, revision notes (stored in English), counts
that agree with their number, and e-mails in each recipient's language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation


@pytest.mark.django_db
def test_engine_messages_follow_the_language_and_keep_their_codes(edition):
    from surveys.questionnaire.engine import evaluate

    structure = edition.structure
    with translation.override("es"):
        spanish = evaluate(structure, {"q1b": "19x2", "q4a": "fixed", "q4b": {"serial": 0}})
    english = evaluate(structure, {"q1b": "19x2", "q4a": "fixed", "q4b": {"serial": 0}})

    def issues(evaluation):
        return [issue for found in evaluation.errors.values() for issue in found]

    codes = [(i.question_id, i.code) for i in issues(english)]
    assert [(i.question_id, i.code) for i in issues(spanish)] == codes
    # A message is put into the language of the page that shows it, where it is read.
    with translation.override("es"):
        messages = {i.question_id + ":" + i.code: i.message for i in issues(spanish)}
    assert messages["q1b:bad_date"] == "Indique un año (aaaa) o una fecha completa (dd/mm/aaaa)."
    assert messages["q1a:required"] == "Esta pregunta requiere una respuesta."
    assert {i.question_id + ":" + i.code: i.message for i in issues(english)}["q1a:required"] == (
        "This question needs an answer."
    )


def test_statuses_steps_rounds_and_roles_are_labelled_once_on_the_models():
    from surveys.models import Membership, ResponseEvent, ResponseStatus, SurveyRound
    from surveys.responses import display
    from surveys.review.presenters import dashboard_state_label

    with translation.override("fr"):
        assert display.status_label("submitted") == str(ResponseStatus.SUBMITTED.label) == "Soumise"
        assert display.event_label("return") == str(ResponseEvent.Action.RETURN.label) == "Renvoyée à l'office"
        assert display.round_status_label("closed") == str(SurveyRound.Status.CLOSED.label) == "Clos"
        assert str(Membership.Role.APPROVER.label) == "Approbateur"
        assert dashboard_state_label("not_started") == "Non commencée" and dashboard_state_label("draft") == "Brouillon"
        assert display.status_label("no-such-status") == "no-such-status"
    with translation.override("es"):
        assert display.status_words("accepted") == "aceptada" and display.action_words("reopen") == "reabierta"
        assert str(Membership.Role.RESPONDENT.label) == "Encuestado"
    assert display.status_label("published") == "Published" and str(Membership.Role.RESPONDENT.label) == "Respondent"


@pytest.mark.django_db
def test_revision_notes_are_stored_in_english_whatever_the_language(
    edition, office_a_respondent, make_response, secretariat_reviewer, moldova_answers
):
    from surveys.review import workflow

    response = make_response(office_a_respondent, moldova_answers, submit=True)
    with translation.override("fr"):
        workflow.response_return(response=response, user=secretariat_reviewer, comment="Voir q4b.")
    assert response.revisions.order_by("-version").first().note == "returned to the office"
    from surveys.templatetags.wipostad import revision_note

    with translation.override("fr"):
        assert revision_note("returned to the office") == "renvoyée à l'office"
        assert revision_note("draft saved") == "brouillon enregistré"
        assert revision_note("created, pre-filled from md-001 (2012)") == "created, pre-filled from md-001 (2012)"
    with translation.override("es"):
        assert revision_note("submitted") == "presentada" and revision_note("reopened") == "reabierta"


def test_counts_agree_with_their_number_in_every_language(edition_structure, moldova_answers):
    from standards.numbers import Verdict as NumberVerdict
    from surveys.checker.views import Check
    from surveys.questionnaire.engine import evaluate
    from surveys.reports.charts import Bar, Chart, bar_chart_svg

    def message(changes: dict, qid: str, code: str) -> str:
        evaluation = evaluate(edition_structure, {**moldova_answers, **changes})
        found = [*evaluation.errors.get(qid, []), *evaluation.warnings]
        return next(i.message for i in found if i.question_id == qid and i.code == code)

    one_character = {"q14a": [{"example": "7", "priority_presentation": "MD 7"}]}
    two_rows = {"q14c": [{"year": "-"}, {"year": "-"}]}
    assert "“7” has 1 character without separators" in message(one_character, "q14a", "example_length")
    assert message(two_rows, "q14c", "too_many_rows") == "At most 1 row."
    with translation.override("fr"):
        assert "“7” compte 1 caractère sans les séparateurs" in message(one_character, "q14a", "example_length")
        assert message(two_rows, "q14c", "too_many_rows") == "1 ligne au plus."
    with translation.override("es"):
        assert "“7” tiene 1 carácter sin los separadores" in message(one_character, "q14a", "example_length")
        assert message(two_rows, "q14c", "too_many_rows") == "Como máximo 1 fila."

    one = Check(structure="", rows=[], total=1, counts={NumberVerdict.VALID: 1})
    three = Check(structure="", rows=[], total=3, counts={NumberVerdict.VALID: 2, NumberVerdict.ERROR: 1})
    assert (one.summary, three.summary) == ("1 valid, 0 with errors", "2 valid, 1 with errors")
    with translation.override("fr"):
        assert (one.summary, three.summary) == ("1 valide, 0 avec erreurs", "2 valides, 1 avec erreurs")
    with translation.override("es"):
        assert (one.summary, three.summary) == ("1 válido, 0 con errores", "2 válidos, 1 con errores")

    assert "(1 response)</title>" in bar_chart_svg(Chart("q1", "Types", (Bar("Patents", 1),), 1))


@pytest.mark.django_db
def test_each_person_is_written_to_in_their_own_language(
    edition,
    office_a_respondent,
    office_a_approver,
    make_response,
    secretariat_reviewer,
    moldova_answers,
    django_capture_on_commit_callbacks,
):
    from django.contrib.auth.models import User

    from surveys.accounts.services import language_set
    from surveys.models import Membership
    from surveys.review import workflow

    language_set(user=office_a_respondent, language="fr")
    language_set(user=office_a_approver, language="es")
    never_chose = User.objects.create_user("md.third", email="md.third@example.org")
    Membership.objects.create(user=never_chose, office_id="MD")
    response = make_response(office_a_respondent, moldova_answers, submit=True)
    mail.outbox.clear()
    # In the same step, whatever the language of the page that took it.
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        workflow.response_accept(response=response, user=secretariat_reviewer, comment="Merci.")
    by_address = {tuple(message.to): message for message in mail.outbox}
    assert set(by_address) == {("a.respondent@example.org",), ("a.approver@example.org",), ("md.third@example.org",)}

    french = by_address["a.respondent@example.org",]
    assert french.subject == "[wipostad] md-001\u00a0: acceptée"
    assert french.body.startswith("Votre réponse pour Trademarks (md-001)")
    assert "a été acceptée par le Bureau international" in french.body and "Merci." in french.body

    spanish = by_address["a.approver@example.org",]
    assert spanish.subject == "[wipostad] md-001: aceptada"
    assert spanish.body.startswith("Su respuesta para Trademarks (md-001)")
    assert "fue aceptada por la Oficina Internacional" in spanish.body

    english = by_address["md.third@example.org",]
    assert english.subject == "[wipostad] md-001: accepted"
    assert english.body.startswith("Your response for Trademarks (md-001), Questionnaire on application numbering")
    assert "was accepted by the International Bureau." in english.body
    for message in mail.outbox:
        assert message.body.count("Merci.") == 1
        assert "— Français —" not in message.body and "— Español —" not in message.body
