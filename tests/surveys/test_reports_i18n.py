"""The round report and its downloads in the reader's language (English, French, Spanish).

The language comes from the language cookie (LocaleMiddleware); the figures never depend
on it. ST.13 rule titles and reasons stay in English, and the legends say so.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from html import escape
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from standards.st13 import RULES
from surveys.questionnaire.edition import tr
from surveys.reports import exporters, tables
from surveys.reports.tables import Scope
from tests.surveys.report_files import fetch
from tests.surveys.test_exports import Downloaded
from tests.surveys.test_reports import build_report_round, report_url, rows_of, totals_of

FR_HANDBOOK = "Manuel de l'OMPI sur l'information et la documentation en matière de propriété industrielle"
ES_HANDBOOK = "Manual de la OMPI de información y documentación en materia de propiedad industrial"


@pytest.fixture
def report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers):
    return build_report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers)


@pytest.fixture(autouse=True)
def english_afterwards():
    # LocaleMiddleware leaves the last request's language active in this thread.
    yield
    translation.deactivate()


def client_in(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def download(client: Client, **params: str):
    response = fetch(client, report_url(**params))
    assert response.status_code == 200, response.status_code
    return Downloaded(response)


def _office_code_only(value):
    """ "MD RÉPUBLIQUE DE MOLDOVA" (an office cell of 7.2.6) → "MD"; anything else as it is."""
    if isinstance(value, str) and re.fullmatch(r"[A-Z]{2} [^a-z]+", value):
        return value[:2]
    return value


def _figures(report: tables.Report) -> list:
    """Every count and mark of the report, language aside (answer texts are compared by the other tests)."""
    figures = []
    for table in report.tables:
        figures.append([t.values for t in table.totals])
        kinds = [c.kind for c in table.columns]
        figures.append(
            [
                # A verdict is compared by its code (the chip's class), its word being translated.
                [
                    # An office is named in the report's language: compared by its ST.3 code.
                    cell.chip if kind == "verdict" else _office_code_only(cell.value)
                    for kind, cell in zip(kinds, row.cells, strict=True)
                    if kind != "value"
                ]
                for row in table.rows
            ]
        )
    return figures


@pytest.mark.django_db
def test_labels_are_complete_in_the_three_languages():
    # The report's own words are gettext messages: each one translated in both catalogues.
    from surveys.reports import examples
    from tests.i18n.extraction import catalogue, python_messages

    marked = python_messages(Path(tables.__file__).read_text(encoding="utf-8"))
    marked |= python_messages(Path(examples.__file__).read_text(encoding="utf-8"))  # the 7.2.6 table
    assert len(marked) > 60
    for language in ("fr", "es"):
        entries = {(e.msgctxt, e.msgid, e.msgid_plural or None): e for e in catalogue(language)}
        for key in marked:
            entry = entries[key]
            forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            assert forms and all(form.strip() for form in forms), (language, key)
    with translation.override("fr"):
        assert str(tables.HANDBOOK) == FR_HANDBOOK
    with translation.override("es"):
        assert str(tables.HANDBOOK) == ES_HANDBOOK
    assert tables.participation_sentence(1, 2, "fr") == "1 office a soumis 2 réponses."
    assert tables.participation_sentence(3, 3, "es") == "3 oficinas presentaron 3 respuestas."


def test_counts_follow_each_language_plural_rule():
    assert tables.participation_sentence(1, 1, "en") == "1 office submitted 1 response."
    assert tables.participation_sentence(0, 0, "en") == "0 offices submitted 0 responses."
    # In French 0 and 1 are singular.
    assert tables.participation_sentence(0, 0, "fr") == "0 office a soumis 0 réponse."
    assert tables.participation_sentence(2, 2, "fr") == "2 offices ont soumis 2 réponses."
    assert tables.participation_sentence(1, 1, "es") == "1 oficina presentó 1 respuesta."
    assert tables.participation_sentence(0, 0, "es") == "0 oficinas presentaron 0 respuestas."
    # Whatever the active language: the report's own.
    with translation.override("es"):
        assert tables.participation_sentence(2, 3, "fr") == "2 offices ont soumis 3 réponses."


@pytest.mark.django_db
def test_report_page_in_french(report_round, edition):
    structure = edition.structure
    q1a = structure.by_id["q1a"]
    html = download(client_in("fr")).content.decode()

    assert '<html lang="fr">' in html
    assert "<title>Rapport · " in html
    assert "3 offices ont soumis 3 réponses." in html
    assert "Chiffres établis à partir des réponses publiées\u00a0; les réponses encore en cours" in html
    assert '<h2 id="section-results"><span class="part">Partie 7.2.5</span> Résultats de l&#x27;enquête</h2>' in html
    assert '<h3 id="participation-title">Offices participants</h3>' in html
    section = escape(tr(structure.section_of("q1a").title, "fr"))
    assert f'<h3 id="q1-title">Question 1 — {section}</h3>' in html
    assert escape(f"1 a) {tr(q1a.text, 'fr')}") in html
    assert f">{escape(q1a.choice_label('trademarks', 'fr'))}</th>" in html
    assert "Conformité à la norme ST.13 de l&#x27;OMPI" in html
    assert "sont donnés en anglais, comme sur les autres pages." in html
    assert '<span class="verdict verdict-complies">Conforme</span>' in html
    assert 'data-preparing="Préparation\u00a0: {what}…"' in html
    assert "Survey results" not in html and "Participating offices" not in html
    # The figures are the English page's.
    english = download(Client()).content.decode()
    for table_id in ("q1", "q5", "compliance"):
        assert [v for _, v in totals_of(html, table_id).items()] == [v for _, v in totals_of(english, table_id).items()]
    assert [row[0] for row in rows_of(html, "q1")] == [row[0] for row in rows_of(english, "q1")]
    # The same offices and counts; each office named as ST.3 names it in French.
    french_rows, english_rows = rows_of(html, "participation"), rows_of(english, "participation")
    assert [[r[0], *r[2:]] for r in french_rows] == [[r[0], *r[2:]] for r in english_rows]
    assert french_rows[0][:2] == ["EP", "Office européen des brevets (OEB)"]
    assert "Les 3 offices suivants ont participé à l’enquête et ont soumis 3 réponses au total" in html


@pytest.mark.django_db
def test_figures_are_the_same_in_every_language(report_round):
    reports = {
        language: tables.build_report(report_round, scope=Scope.WITH_SUBMITTED, language=language)
        for language in ("en", "fr", "es")
    }
    assert reports["en"].response_count == 5
    assert _figures(reports["fr"]) == _figures(reports["en"]) == _figures(reports["es"])
    assert reports["es"].table("q1").totals[0].label == "Total"
    assert [t.label for t in reports["fr"].table("compliance").totals] == [
        "Conforme",
        "Non conforme",
        "Sans objet",
        "Inconnu",
        "À vérifier",
    ]


@pytest.mark.django_db
def test_xlsx_sheets_and_headers_in_french(report_round, edition):
    q1a = edition.structure.by_id["q1a"]
    french = load_workbook(io.BytesIO(download(client_in("fr"), format="xlsx").content))
    english = load_workbook(io.BytesIO(download(Client(), format="xlsx").content))

    numbers = tables.result_numbers(edition.structure)
    assert french.sheetnames == [
        "Participation",
        *(f"Q{n}" for n in numbers),
        "Exemples",
        "Conformité ST.13",
        "Motifs ST.13",
    ]
    sheet = french["Q1"]
    rows = list(sheet.iter_rows(values_only=True))
    section = tr(edition.structure.section_of("q1a").title, "fr")
    assert rows[0][0] == f"Question 1 — {section}"
    assert rows[1][0].endswith(" — réponses publiées")
    assert rows[2][1] == f"1 a) {tr(q1a.text, 'fr')}"  # the group row
    assert rows[3][0] == "Réponse" and rows[3][1] == q1a.choice_label(q1a.choice_codes[0], "fr")
    assert list(french["Participation"].iter_rows(values_only=True))[2] == ("Code", "Office")
    # Same counts as the English workbook, sheet for sheet.
    for fr_sheet, en_sheet in zip(french.worksheets, english.worksheets, strict=True):
        fr_numbers = [c for row in fr_sheet.iter_rows(values_only=True) for c in row if isinstance(c, int)]
        en_numbers = [c for row in en_sheet.iter_rows(values_only=True) for c in row if isinstance(c, int)]
        assert fr_numbers == en_numbers, fr_sheet.title


@pytest.mark.django_db
def test_csv_headers_in_spanish(report_round, edition):
    q1a = edition.structure.by_id["q1a"]
    client = client_in("es")
    q1 = list(csv.reader(io.StringIO(download(client, format="csv", table="q1").getvalue().decode("utf-8-sig"))))
    english = list(csv.reader(io.StringIO(download(Client(), format="csv", table="q1").getvalue().decode("utf-8-sig"))))
    assert q1[0][0] == "Respuesta"
    assert q1[0][1] == f"1 a) {q1a.choice_label(q1a.choice_codes[0], 'es')}"
    assert q1[-1][0] == "Total" and q1[-1][1:] == english[-1][1:]
    compliance = list(
        csv.reader(io.StringIO(download(client, format="csv", table="compliance").getvalue().decode("utf-8-sig")))
    )
    assert compliance[0][0] == "Respuesta"
    header = compliance[0]
    rule = f"({RULES[0].section}) {RULES[0].title}"  # ST.13's own words, in English
    assert header[1:3] == [rule, f"{rule} — Motivo"]
    overall = header.index("Conjunto")
    assert header[overall + 1 : overall + 4] == [
        "Conjunto — Motivo",
        "Declarado conforme (q13a)",
        "Declaración discrepante",
    ]
    assert [row[0] for row in compliance[-5:]] == [
        "Conforme",
        "No conforme",
        "No aplicable",
        "Desconocido",
        "Por verificar",
    ]
    participation = download(client, format="csv", table="participation").getvalue().decode("utf-8-sig")
    assert participation.splitlines()[0] == "Código,Oficina"


@pytest.mark.django_db
def test_json_carries_the_french_labels(report_round, edition):
    data = json.loads(download(client_in("fr"), format="json").content)
    english = json.loads(download(Client(), format="json").content)
    assert data["language"] == "fr" and english["language"] == "en"
    assert data["summary"] == "3 offices ont soumis 3 réponses."
    assert data["scope_label"] == "réponses publiées"
    by_id = {t["id"]: t for t in data["tables"]}
    assert by_id["participation"]["title"] == "Offices participants"
    assert [c["label"] for c in by_id["examples"]["columns"]] == [
        "Pays ou organisation",
        "Exemple de numéro de demande",
        "Présentation recommandée sous forme abrégée en tant que numéro de demande de priorité",
        "Observations",
    ]
    remarks = by_id["examples"]["rows"][0]["values"][3].splitlines()
    assert remarks[0].startswith("Utilisé depuis\u00a0: ") and remarks[-1].startswith("Autres observations\u00a0: ")
    assert by_id["q1"]["columns"][1]["group"] == f"1 a) {tr(edition.structure.by_id['q1a'].text, 'fr')}"
    assert by_id["compliance"]["totals"][0]["label"] == "Conforme"
    assert by_id["q1"]["chart"]["title"] == by_id["q1"]["columns"][1]["group"]
    assert [[t["values"] for t in table["totals"]] for table in data["tables"]] == [
        [t["values"] for t in table["totals"]] for table in english["tables"]
    ]


@pytest.mark.django_db
def test_docx_running_header_in_spanish(report_round):
    from docx import Document

    document = Document(io.BytesIO(download(client_in("es"), format="docx", table="participation").content))
    assert document.sections[0].header.paragraphs[0].text == ES_HANDBOOK
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Parte 7.2.5 — Resultados de la encuesta" in headings and "Oficinas participantes" in headings


@pytest.mark.django_db
def test_pdf_in_french(report_round):
    pdf = download(client_in("fr"), format="pdf", table="q1").content
    assert pdf.startswith(b"%PDF")
    report = tables.build_report(report_round, scope=Scope.PUBLISHED, only="q1", language="fr")
    html = exporters.print_html(report, "q1")
    # The running header is a CSS string: the apostrophes are CSS escapes, not HTML entities.
    assert 'content: "Manuel de l\\27 OMPI sur l\\27 information et la documentation en matière' in html
    assert 'content: "Page " counter(page) " sur " counter(pages);' in html
    assert '<html lang="fr">' in html and "Comité des normes de l'OMPI (CWS) · rapport d'enquête" in html
    assert "<h2>Partie 7.2.5 — Résultats de l&#x27;enquête</h2>" in html
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the print HTML was checked instead")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    text = " ".join(text.decode("utf-8").split())
    assert FR_HANDBOOK in text
    assert "Page 1 sur 1" in text or "Page 1 sur 2" in text
    assert "PARTIE 7.2.5 — RÉSULTATS DE L'ENQUÊTE" in text  # h2 is uppercased by the print CSS
    assert "Question 1 —" in text and "réponses par option, sur 3." in text


def test_css_strings_cannot_break_out_of_the_style_element():
    assert exporters.css_string('a"b\\c</style>') == '"a\\22 b\\5c c\\3c /style\\3e "'
    assert exporters.css_counters("Página {page} de {pages}") == '"Página " counter(page) " de " counter(pages)'


@pytest.mark.django_db
def test_the_language_does_not_change_the_number_of_queries(report_round):
    counts = {}
    for language in ("en", "fr", "es"):
        client = client_in(language)
        download(client)  # warm the catalogues
        with CaptureQueriesContext(connection) as queries:
            download(client)
        counts[language] = len(queries)
    assert counts["en"] == counts["fr"] == counts["es"]
