"""Everything the product holds, in one JSON file, and back.

`export_all` writes every office, standard, edition, round, invitation, user and
membership, numbering system, response, revision, event, comment and attachment record
(attachment files stay in the upload folder and are copied with it). `import_all`
restores such a file into an empty database, primary keys included, so that exporting
again gives the very same bytes. Permissions are written by their natural key (codename,
app, model): their numbers differ from one database to the next. A freshly migrated
database already holds the secretariat's group (its model permissions come with a
migration): it gives way to the file's groups, and gets its permissions again. Files
written by earlier versions are read too: the model and field names they use are brought
up to today's first (``RENAMED_MODELS``, ``RENAMED_FIELDS``).
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet

from surveys.permissions import SECRETARIAT_GROUP, secretariat_group_grant

FORMAT = "wipostad-export"
# Version 2: the response model is surveys.surveyresponse (surveys.response before).
# Version 3: answers set aside are set_aside_answers (stashed_answers before).
# Version 4: groups' and users' permissions, and users' groups, by natural key.
VERSION = 4
READABLE_VERSIONS = (1, 2, 3, 4)
# Rows pointing at permissions (and groups) by natural key rather than by number.
NATURAL_KEYS = ("auth.group", "auth.user")

# Dependency order: every model comes after the models it points to.
MODELS = (
    "auth.group",
    "auth.user",
    "standards.office",
    "standards.standard",
    "surveys.questionnaireedition",
    "surveys.surveyround",
    "surveys.invitation",
    "surveys.membership",
    "surveys.numberingsystem",
    "surveys.surveyresponse",
    "surveys.responserevision",
    "surveys.responseevent",
    "surveys.reviewcomment",
    "surveys.attachment",
)


# Model labels and field names of earlier files → today's.
RENAMED_MODELS = {"surveys.response": "surveys.surveyresponse"}
RENAMED_FIELDS = {
    "surveys.surveyresponse": {"stashed_answers": "set_aside_answers"},
    "surveys.responserevision": {"stashed_answers": "set_aside_answers"},
}


class BackupError(Exception):
    pass


def _upgraded_object(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    model = RENAMED_MODELS.get(item.get("model"), item.get("model"))
    fields = item.get("fields")
    renames = RENAMED_FIELDS.get(model, {})
    if isinstance(fields, dict) and renames:
        fields = {renames.get(name, name): value for name, value in fields.items()}
    return {**item, "model": model, "fields": fields} if "fields" in item else {**item, "model": model}


def _upgraded(document: dict[str, Any]) -> dict[str, Any]:
    """The document with today's model and field names (an earlier file may use older
    ones); what is malformed is left for the restore to refuse."""
    objects, counts = document.get("objects", []), document.get("counts")
    if isinstance(objects, list):
        objects = [_upgraded_object(item) for item in objects]
    if isinstance(counts, dict):
        counts = {RENAMED_MODELS.get(label, label): n for label, n in counts.items()}
    return {**document, "objects": objects, "counts": counts}


def _models():
    return [apps.get_model(label) for label in MODELS]


def _migrated_group(group_model: Any) -> QuerySet:
    """The secretariat's group as migrating leaves it: nobody in it yet."""
    return group_model.objects.filter(name=SECRETARIAT_GROUP, user__isnull=True)


def _rows_not_from_migrations(model: Any) -> QuerySet:
    rows = model._default_manager.all()
    if model._meta.label_lower == "auth.group":
        rows = rows.exclude(pk__in=_migrated_group(model).values("pk"))
    return rows


def export_document() -> str:
    objects: list[dict[str, Any]] = []
    counts = {}
    for model in _models():
        natural = model._meta.label_lower in NATURAL_KEYS
        rows = serializers.serialize("python", model._default_manager.order_by("pk"), use_natural_foreign_keys=natural)
        counts[model._meta.label_lower] = len(rows)
        objects.extend(rows)
    document = {"format": FORMAT, "version": VERSION, "counts": counts, "objects": objects}
    # Sorted keys make the file canonical: JSON fields read back from any database in
    # whatever key order still export identically.
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False, default=str) + "\n"


def import_document(text: str) -> dict[str, int]:
    document = _upgraded(_readable_document(text))
    models = _models()
    occupied = [m._meta.label for m in models if _rows_not_from_migrations(m).exists()]
    if occupied:
        raise BackupError(
            "the database is not empty (" + ", ".join(occupied) + "); restore into a freshly migrated database"
        )
    with transaction.atomic():
        _migrated_group(apps.get_model("auth.group")).delete()
        with connection.constraint_checks_disabled():
            counts = _restore_rows(document.get("objects", []))
        try:
            connection.check_constraints(table_names=[m._meta.db_table for m in models])
        except IntegrityError as exc:
            raise BackupError(f"the export is incomplete or damaged: {exc}") from None
        # Primary-key sequences must continue after the restored rows (PostgreSQL).
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        secretariat_group_grant()
    expected = document.get("counts") or {}
    if expected and expected != {k: counts.get(k, 0) for k in expected}:
        raise BackupError(f"restored counts {counts} differ from the export's {expected}")
    return counts


def _readable_document(text: str) -> dict[str, Any]:
    """The export's JSON document, refused with the reason when it is not one this
    version can read."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BackupError(f"not a wipostad export: invalid JSON ({exc})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("not a wipostad export (the “format” field is missing or different)")
    if document.get("version") not in READABLE_VERSIONS:
        raise BackupError(
            f"export version {document.get('version')!r} is not supported "
            f"(expected one of {', '.join(map(str, READABLE_VERSIONS))})"
        )
    return document


def _restore_rows(objects: list[dict[str, Any]]) -> dict[str, int]:
    """Save every row (references to rows further on are filled in afterwards); the
    number of rows per model."""
    counts: dict[str, int] = {}
    deferred = []
    try:
        for item in serializers.deserialize("python", objects, handle_forward_references=True):
            item.save()
            if item.deferred_fields:
                deferred.append(item)
            label = item.object._meta.label_lower
            counts[label] = counts.get(label, 0) + 1
        for item in deferred:
            item.save_deferred_fields()
    except Exception as exc:  # the serializer raises several types for bad rows
        raise BackupError(f"the export could not be restored: {exc}") from None
    return counts
