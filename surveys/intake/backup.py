"""Everything the product holds, in one archive, and back.

`export_all` writes a zip archive holding the data document (``wipostad-backup.json``:
every office, standard, edition, round, invitation, user and membership, numbering
system, response, revision, event, comment and attachment record, API token, entry of
the admin's history and outgoing e-mail) and every attachment file (``files/<name>``,
read through Django's storage). The archive is created readable by its owner only (it
holds password hashes, tokens and e-mail addresses) and appears under its name only
once complete. `import_all` restores such an archive into an empty database, primary
keys included, and puts the files back through the storage, so that exporting again
gives the very same document. Permissions, and the admin history's content types, are
written by their natural key (codename, app, model): their numbers differ from one
database to the next. A freshly migrated database already holds the secretariat's group
(its model permissions come with a migration): it gives way to the file's groups, and
gets its permissions again. Plain JSON files written by earlier versions (1–4) are read
too, without attachment files (those versions did not hold them): the model and field
names they use are brought up to today's first (``RENAMED_MODELS``, ``RENAMED_FIELDS``).
What is left out on purpose is in ``LEFT_OUT``, and the commands say so.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet

from surveys.permissions import SECRETARIAT_GROUP, secretariat_group_grant

FORMAT = "wipostad-export"
# Version 2: the response model is surveys.surveyresponse (surveys.response before).
# Version 3: answers set aside are set_aside_answers (stashed_answers before).
# Version 4: groups' and users' permissions, and users' groups, by natural key.
# Version 5: in a zip archive with the attachment files; API tokens, the admin's history
# and outgoing e-mail.
VERSION = 5
READABLE_VERSIONS = (1, 2, 3, 4, 5)
# Rows pointing at permissions, groups (and content types) by natural key rather than by number.
NATURAL_KEYS = ("auth.group", "auth.user", "admin.logentry")
# The archive's members: the data document, and each attachment file under its storage name.
ARCHIVE_DOCUMENT = "wipostad-backup.json"
FILES_FOLDER = "files/"
# A fixed time stamp on every member, so that the same data gives the same archive.
ARCHIVE_DATE = (1980, 1, 1, 0, 0, 0)
# What a backup leaves out on purpose, and why.
LEFT_OUT = (
    "sessions: everyone signs in again after a restore",
    "sign-in failures: throttling counts that expire within minutes",
    "background task records: the queue's own bookkeeping (every e-mail is kept as outgoing e-mail)",
)

# Dependency order: every model comes after the models it points to.
MODELS = (
    "auth.group",
    "auth.user",
    "authtoken.token",
    "admin.logentry",
    "standards.office",
    "standards.officename",
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
    "surveys.outgoingmail",
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


# --- the archive: the document and the attachment files ---------------------------------


@dataclass
class FileReport:
    """Attachment files put in (or back from) an archive, and those that could not be."""

    count: int = 0
    missing: list[str] = field(default_factory=list)


def _attachment_names() -> Iterator[tuple[Any, str]]:
    attachment = apps.get_model("surveys.attachment")
    storage = attachment._meta.get_field("file").storage
    for name in attachment.objects.exclude(file="").order_by("pk").values_list("file", flat=True):
        yield storage, name


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ARCHIVE_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def _write_archive(archive: zipfile.ZipFile) -> FileReport:
    report = FileReport()
    with archive.open(_member(ARCHIVE_DOCUMENT), "w") as out:
        out.write(export_document().encode("utf-8"))
    for storage, name in _attachment_names():
        try:
            with storage.open(name, "rb") as source, archive.open(_member(FILES_FOLDER + name), "w") as out:
                shutil.copyfileobj(source, out)
        except FileNotFoundError:
            report.missing.append(name)
        else:
            report.count += 1
    return report


def export_archive(path: Path) -> FileReport:
    """Write the archive to ``path``: created readable by its owner only (0600) beside it,
    and renamed onto it once complete (an existing file is replaced)."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(descriptor, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
            report = _write_archive(archive)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return report


def import_backup(path: Path) -> tuple[dict[str, int], FileReport]:
    """Restore an archive written by `export_archive` (or a plain JSON file of versions
    1–4, which holds no files) into an empty database: rows and files, or nothing."""
    if not zipfile.is_zipfile(path):
        return import_document(path.read_text(encoding="utf-8")), FileReport()
    try:
        with zipfile.ZipFile(path) as archive:
            text = _archive_text(archive)
            with transaction.atomic():
                counts = import_document(text)
                report = _restore_files(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise BackupError(f"the archive is damaged: {exc}") from None
    return counts, report


def _archive_text(archive: zipfile.ZipFile) -> str:
    try:
        return archive.read(ARCHIVE_DOCUMENT).decode("utf-8")
    except KeyError:
        raise BackupError(f"not a wipostad backup: the archive holds no {ARCHIVE_DOCUMENT}") from None
    except UnicodeDecodeError as exc:
        raise BackupError(f"{ARCHIVE_DOCUMENT} is not UTF-8 text: {exc}") from None


def _restore_files(archive: zipfile.ZipFile) -> FileReport:
    report = FileReport()
    held = set(archive.namelist())
    for storage, name in _attachment_names():
        if FILES_FOLDER + name not in held:
            report.missing.append(name)
            continue
        if storage.exists(name):  # left over from before: no row of the empty database points to it
            storage.delete(name)
        with archive.open(FILES_FOLDER + name) as source:
            saved = storage.save(name, File(source, name=name))
        if saved != name:
            raise BackupError(f"the attachment file {name} could not be stored under its name (stored as {saved})")
        report.count += 1
    return report
