"""Editions authored as spreadsheets: import a draft, re-import translations, publish.

- ``edition_import(file=, user=)``: reads an authoring spreadsheet
  (surveys/questionnaire/spreadsheet.py) under the caps of every upload
  (standards/sheet_uploads.py). A new slug becomes a draft; a draft of the same slug is
  replaced; a published edition keeps its questions and English texts, and only its
  French and Spanish texts (or those of other languages) can be re-imported — when the
  checksum (structure + English) is unchanged. Nothing is written while the file has an
  error; every error names its cell.
- ``edition_publish(edition=, user=)``: the draft becomes published and immutable: it may
  then open rounds (drafts may not).
- Who may do what is asked of surveys/permissions.py: ``surveys.upload_edition`` (new
  drafts, changed drafts), ``surveys.translate_texts`` (translations of any edition),
  ``surveys.publish_edition``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from import_export.formats.base_formats import XLSX

from standards.sheet_uploads import SheetRefused, check_sheet, max_rows
from surveys.errors import NotAllowed, WorkflowError
from surveys.models import EditionState, QuestionnaireEdition
from surveys.permissions import may
from surveys.questionnaire import spreadsheet
from surveys.questionnaire.edition import DefinitionError, Edition, tr
from surveys.questionnaire.loading import _english_only, checksum
from surveys.questionnaire.spreadsheet import Problem, Reading
from surveys.table_files import XLSX_CONTENT_TYPE

try:  # the validation of a mapping against the edition it revises (surveys/questionnaire/revisions.py)
    from surveys.questionnaire import revisions as _revisions
except ImportError:  # pragma: no cover - without the revisions module, the sheet's shapes only
    _revisions = None


class EditionInvalid(WorkflowError):
    """The spreadsheet or the draft has errors; ``problems`` lists them, each with its cell."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.error]
        super().__init__(
            ngettext(
                "The edition has %(count)s error: %(first)s", "The edition has %(count)s errors: %(first)s", len(errors)
            )
            % {"count": len(errors), "first": errors[0] if errors else ""}
        )


@dataclass
class ImportResult:
    """What an upload did: ``outcome`` is created, replaced, translations updated or unchanged."""

    edition: QuestionnaireEdition
    outcome: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.error]


OUTCOMES = {
    "created": gettext_lazy("created as a draft"),
    "replaced": gettext_lazy("draft replaced"),
    "translations updated": gettext_lazy("translations updated"),
    "unchanged": gettext_lazy("unchanged"),
}


def outcome_label(outcome: str) -> str:
    return str(OUTCOMES.get(outcome, outcome))


def may_upload(user: Any) -> bool:
    """Whether the user may upload a spreadsheet at all (a draft, or translations)."""
    return may(user, "surveys.upload_spreadsheet")


def edition_import(*, file: IO[bytes], user: Any) -> ImportResult:
    """Import an authoring spreadsheet (see the module's description); EditionInvalid with
    every problem when it has an error, NotAllowed when the user may not make this change."""
    if not may_upload(user):
        raise NotAllowed(_("Only the secretariat and translators upload questionnaire editions."))
    try:
        check_sheet(file, XLSX)
    except SheetRefused as exc:
        raise EditionInvalid([Problem(_("file"), None, "", "", str(exc))]) from None
    found = spreadsheet.reading(file, max_rows=max_rows())
    if found.errors:
        raise EditionInvalid(found.problems)
    definition = found.definition
    problems = found.problems + mapping_problems(definition, found)
    if any(p.error for p in problems):
        raise EditionInvalid(problems)
    return _store(definition, found, problems, user)


@transaction.atomic
def _store(definition: dict[str, Any], found: Reading, problems: list[Problem], user: Any) -> ImportResult:
    warnings = [p.as_dict() for p in problems if not p.error]
    digest = checksum(definition)
    existing = QuestionnaireEdition.objects.select_for_update().filter(slug=definition["slug"]).first()
    if existing is not None and existing.checksum == digest:
        if existing.definition == definition:
            return ImportResult(existing, "unchanged", problems)
        existing.definition, existing.warnings, existing.updated_at = definition, warnings, timezone.now()
        existing.save(update_fields=["definition", "warnings", "updated_at"])
        return ImportResult(existing, "translations updated", problems)
    if existing is not None and not existing.is_draft:
        raise EditionInvalid([found.problem("settings", 2, "form_id", _published_message(existing, definition))])
    if not may(user, "surveys.upload_edition"):
        raise NotAllowed(
            _(
                "A translator's upload may change the French and Spanish texts only; this spreadsheet changes "
                "the questions or the English texts (%(changed)s). Ask the secretariat."
            )
            % {"changed": _changed_parts(existing.definition, definition) if existing else _("a new edition")}
        )
    fields = {
        "version": definition["version"],
        "title": tr(definition["title"])[:200],
        "year": definition["year"],
        "definition": definition,
        "checksum": digest,
        "warnings": warnings,
        "updated_at": timezone.now(),
    }
    if existing is None:
        edition = QuestionnaireEdition.objects.create(slug=definition["slug"], state=EditionState.DRAFT, **fields)
        return ImportResult(edition, "created", problems)
    for key, value in fields.items():
        setattr(existing, key, value)
    existing.save()
    return ImportResult(existing, "replaced", problems)


def _published_message(existing: QuestionnaireEdition, definition: dict[str, Any]) -> str:
    return _(
        "%(slug)s is published: only its translations can be re-imported, and this spreadsheet changes its "
        "questions or English texts (%(changed)s). Publish the changed questionnaire under a new ID (form_id)."
    ) % {"slug": existing.slug, "changed": _changed_parts(existing.definition, definition)}


def _changed_parts(old: dict[str, Any], new: dict[str, Any]) -> str:
    """Where two definitions differ in structure or English: the questions, or the parts of
    the front matter (a few, for the message)."""
    old_en, new_en = _english_only(old), _english_only(new)
    changed = [
        key
        for key in ("title", "version", "year", "introduction", "instructions", "examples", "revises")
        if old_en.get(key) != new_en.get(key)
    ]
    old_q = {q["id"]: q for s in old_en.get("sections", []) for q in s.get("questions", [])}
    new_q = {q["id"]: q for s in new_en.get("sections", []) for q in s.get("questions", [])}
    changed += [qid for qid in [*new_q, *(k for k in old_q if k not in new_q)] if old_q.get(qid) != new_q.get(qid)]
    if not changed:
        changed = [_("the sections")]
    shown = ", ".join(changed[:6])
    return shown + (" …" if len(changed) > 6 else "")


# --- the mapping to the edition revised ----------------------------------------------------


def mapping_problems(definition: dict[str, Any], found: Reading | None = None) -> list[Problem]:
    """What is wrong with the edition's ``revises`` against the edition it names, which
    must be a published edition of this site: the revisions module's
    ``validate_against(old, new)`` when there is one, else a check that the old IDs and
    codes exist."""
    revises = definition.get("revises")
    if not revises:
        return []
    found = found or Reading(definition, [])
    old = QuestionnaireEdition.objects.filter(slug=revises.get("edition", "")).first()
    if old is None or old.is_draft or old.slug == definition.get("slug"):
        return [
            found.problem(
                "settings",
                2,
                "revises",
                _("this edition revises %(slug)s, which is not a published edition of this site")
                % {"slug": revises.get("edition") or "—"},
            )
        ]
    if _revisions is not None and hasattr(_revisions, "validate_against"):
        return [
            _mapping_problem(found, revises, p) for p in _revisions.validate_against(old.structure, Edition(definition))
        ]
    return _old_side_problems(found, revises, old.structure)


def _mapping_problem(found: Reading, revises: dict[str, Any], problem: Any) -> Problem:
    """A problem of the revisions module (its row index in the mapping, its message) at its
    row of the mapping sheet: question rows first, then choice rows."""

    def get(name: str, default: Any = None) -> Any:
        return problem.get(name, default) if isinstance(problem, dict) else getattr(problem, name, default)

    index = get("row", get("index"))
    part = get("part", get("list", "questions"))
    message = str(get("message", problem))
    if index is None:
        return found.problem("mapping", None, "", message)
    offset = len(revises.get("questions") or ()) if part == "choices" else 0
    return found.problem("mapping", int(index) + offset + 2, get("column", "") or "kind", message)


def _old_side_problems(found: Reading, revises: dict[str, Any], old: Edition) -> list[Problem]:
    """Without the revisions module: every old ID and code the mapping names exists in the
    edition revised."""
    problems = []
    questions = revises.get("questions") or []
    for index, row in enumerate(questions):
        for ident in row.get("old") or ():
            if ident not in old.by_id:
                problems.append(
                    found.problem(
                        "mapping",
                        index + 2,
                        "old",
                        _("%(id)s is not a question of %(slug)s") % {"id": ident, "slug": revises["edition"]},
                    )
                )
    for index, row in enumerate(revises.get("choices") or []):
        question = old.by_id.get(row.get("old_question", ""))
        place = len(questions) + index + 2
        if question is None:
            problems.append(
                found.problem(
                    "mapping",
                    place,
                    "old",
                    _("%(id)s is not a question of %(slug)s")
                    % {"id": row.get("old_question"), "slug": revises["edition"]},
                )
            )
            continue
        for code in row.get("old") or ():
            if code not in question.choice_codes:
                problems.append(
                    found.problem(
                        "mapping",
                        place,
                        "old_choice",
                        _("%(id)s has no choice “%(code)s”") % {"id": question.id, "code": code},
                    )
                )
    return problems


# --- publishing --------------------------------------------------------------------------


def publication_problems(edition: QuestionnaireEdition) -> list[Problem]:
    """What keeps a draft from being published (checked again when it is published: the
    edition it revises may have changed since the upload)."""
    try:
        Edition(edition.definition)
    except DefinitionError as exc:
        return [Problem("survey", None, "", "", str(exc))]
    return [p for p in mapping_problems(edition.definition) if p.error]


@transaction.atomic
def edition_publish(*, edition: QuestionnaireEdition, user: Any) -> QuestionnaireEdition:
    """Publish a draft: from now on it is immutable (translations aside) and may open rounds."""
    if not may(user, "surveys.publish_edition", edition):
        raise NotAllowed(_("Only the secretariat publishes questionnaire editions."))
    edition = QuestionnaireEdition.objects.select_for_update().get(pk=edition.pk)
    if not edition.is_draft:
        raise WorkflowError(_("%(slug)s is published already.") % {"slug": edition.slug})
    problems = publication_problems(edition)
    if problems:
        raise EditionInvalid(problems)
    edition.state, edition.published_at = EditionState.PUBLISHED, timezone.now()
    edition.save(update_fields=["state", "published_at"])
    return edition


def stored_warnings(edition: QuestionnaireEdition) -> list[Problem]:
    """The warnings of the spreadsheet the edition was last read from."""
    fields = ("sheet", "row", "column", "heading", "message")
    return [Problem(*(w.get(f) for f in fields), error=False) for w in edition.warnings or ()]


# --- the spreadsheet of an edition, as downloaded ----------------------------------------

SPREADSHEET_CACHE_SECONDS = 24 * 60 * 60


def edition_download(edition: QuestionnaireEdition) -> HttpResponse:
    """The edition's spreadsheet as a download (pages and API alike). Writing the workbook
    takes a tenth of a second, and anyone may ask for a published edition's: it is kept in
    the cache under the edition's content (its checksum and its last change, since
    translations change without the checksum), so repeated asks cost a cache read."""
    changed = edition.updated_at.timestamp() if edition.updated_at else 0
    key = f"edition-xlsx:{edition.slug}:{edition.checksum}:{changed}"
    content = cache.get(key)
    if content is None:
        content = spreadsheet.workbook(edition.definition)
        cache.set(key, content, timeout=SPREADSHEET_CACHE_SECONDS)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{spreadsheet.filename(edition.definition)}"'
    return response
