"""Loading questionnaire editions from their definition files."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from surveys.models import EditionState, QuestionnaireEdition
from surveys.questionnaire.edition import DefinitionError, Edition, tr

EDITIONS_DIR = Path(__file__).resolve().parent.parent / "editions"
# The questionnaire on application numbering: its editions' slugs start with this, and
# the product ships its 2012 edition.
NUMBERING_QUESTIONNAIRE = "application-numbering"
BUNDLED_NUMBERING_EDITION = EDITIONS_DIR / "application-numbering-2012.json"


def current_numbering_edition() -> Edition | None:
    """The latest loaded edition of the questionnaire on application numbering whose
    question IDs the numbering structure reads (standards.structure): the one whose
    questions a structure given as answers is checked against (one query). An edition that
    revises another is read through its mapping instead (questionnaire.revisions), so it
    is not this one."""
    row = (
        QuestionnaireEdition.objects.published()
        .filter(slug__startswith=NUMBERING_QUESTIONNAIRE)
        .exclude(definition__has_key="revises")
        .order_by("-year", "slug")
        .first()
    )
    return row.structure if row is not None else None


@cache
def bundled_numbering_edition() -> Edition:
    """The 2012 edition as the product ships it (no database needed): the wording of its
    choices labels the number checker's form."""
    return Edition(read_definition(BUNDLED_NUMBERING_EDITION))


def read_definition(path: Path) -> dict:
    """The definition in a file: a definition file (JSON) or an authoring spreadsheet (.xlsx,
    surveys/questionnaire/spreadsheet.py), validated."""
    if path.suffix.lower() == ".xlsx":
        return _read_spreadsheet(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DefinitionError(f"{path}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DefinitionError(f"{path.name}: not valid UTF-8 JSON ({exc})") from None
    Edition(data)  # validates, raising DefinitionError with the place and the reason
    return data


def _read_spreadsheet(path: Path) -> dict:
    from surveys.questionnaire import spreadsheet

    try:
        with path.open("rb") as file:
            return spreadsheet.definition_from(file)
    except FileNotFoundError:
        raise DefinitionError(f"{path}: no such file") from None
    except spreadsheet.SpreadsheetError as exc:
        raise DefinitionError(f"{path.name}:\n{exc}") from None


def _english_only(node):
    """The definition without translations: text objects keep only their English entry."""
    if isinstance(node, dict):
        if "en" in node and all(isinstance(k, str) and len(k) == 2 and isinstance(v, str) for k, v in node.items()):
            return {"en": node["en"]}
        return {k: _english_only(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_english_only(v) for v in node]
    return node


def checksum(definition: dict) -> str:
    """What offices were asked: structure and English texts. Translations are not part of
    it, so they can be added or corrected after offices have answered."""
    canonical = json.dumps(_english_only(definition), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def edition_load(path: Path) -> tuple[QuestionnaireEdition, str]:
    """Load a definition file; returns the edition and what happened (created/unchanged/updated).

    A loaded edition is the record of what offices were asked, so its content can only
    change before anyone has answered it.
    """
    return definition_load(read_definition(path))


@transaction.atomic
def definition_load(definition: dict) -> tuple[QuestionnaireEdition, str]:
    """Load a validated definition as a published edition (``edition_load``'s rules)."""
    digest = checksum(definition)
    fields = {
        "version": definition["version"],
        "title": tr(definition["title"]),
        "year": definition["year"],
        "definition": definition,
        "checksum": digest,
        "state": EditionState.PUBLISHED,
    }
    existing = QuestionnaireEdition.objects.select_for_update().filter(slug=definition["slug"]).first()
    if existing is None:
        return QuestionnaireEdition.objects.create(slug=definition["slug"], **fields), "created"
    if existing.checksum == digest:
        if existing.definition == definition and existing.state == EditionState.PUBLISHED:
            return existing, "unchanged"
        existing.definition = definition
        existing.state = EditionState.PUBLISHED
        existing.updated_at = timezone.now()  # what the cached spreadsheet is kept under
        existing.save(update_fields=["definition", "state", "updated_at"])
        return existing, "translations updated"
    if existing.rounds.filter(responses__isnull=False).exists():
        raise DefinitionError(
            f"{definition['slug']}: the edition already has responses, so its content cannot change; "
            "publish the changed questionnaire under a new slug."
        )
    if existing.version == definition["version"]:
        raise DefinitionError(
            f"{definition['slug']}: the content differs from the loaded version {existing.version}; raise the version."
        )
    for key, value in fields.items():
        setattr(existing, key, value)
    existing.save()
    return existing, "updated"
