"""Authoring spreadsheets written cell by cell for the tests of editions as spreadsheets."""

from __future__ import annotations

import io
import json
from pathlib import Path

from openpyxl import Workbook

EDITION_FILE = Path(__file__).resolve().parents[2] / "surveys" / "editions" / "application-numbering-2012.json"
LABELS = ["label::English (en)", "label::Français (fr)", "label::Español (es)"]
SURVEY_HEADER = ["type", "name", *LABELS, "required", "relevant", "number", "letter"]
CHOICES_HEADER = ["list_name", "name", *LABELS]
SETTINGS_HEADER = [
    "form_id",
    "form_title::English (en)",
    "form_title::Français (fr)",
    "form_title::Español (es)",
    "version",
    "year",
    "default_language",
    "revises",
]


def definition_2012() -> dict:
    return json.loads(EDITION_FILE.read_text(encoding="utf-8"))


def book(sheets: dict[str, list[list]]) -> io.BytesIO:
    """An XLSX file of the sheets (name → rows, the header first)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "edition.xlsx"
    return buffer


def small_sheets(slug: str = "test-edition-2027", *, revises: str = "") -> dict[str, list[list]]:
    """A small valid edition: a section of four questions, one with a choice list."""
    return {
        "settings": [
            SETTINGS_HEADER,
            [
                slug,
                "A test questionnaire",
                "Un questionnaire d'essai",
                "Un cuestionario de prueba",
                "2027.1",
                2027,
                "English (en)",
                revises,
            ],
        ],
        "survey": [
            SURVEY_HEADER,
            ["begin section", "kinds", "Kinds of rights", "Types de droits", "Tipos de derechos"],
            ["select_multiple kinds", "q1", "Which kinds?", "Quels types ?", "¿Qué tipos?", "yes", "", 1, "a"],
            [
                "text",
                "q1_other",
                "Which other kind?",
                "Quel autre type ?",
                "¿Qué otro tipo?",
                "yes",
                "selected(${q1}, 'other')",
                1,
                "",
            ],
            ["yesno", "q2", "Is the year shown?", "L'année figure-t-elle ?", "¿Figura el año?", "yes", "", 2, "a"],
            [
                "int",
                "q3",
                "How many digits?",
                "Combien de chiffres ?",
                "¿Cuántos dígitos?",
                "no",
                "${q2} = 'yes' and not(${q1} in ('other'))",
                2,
                "b",
            ],
            ["end section", "kinds"],
        ],
        "choices": [
            CHOICES_HEADER,
            ["kinds", "patents", "Patents", "Brevets", "Patentes"],
            ["kinds", "marks", "Trademarks", "Marques", "Marcas"],
            ["kinds", "other", "Other", "Autre", "Otro"],
        ],
    }
