"""Heavy report downloads built in the background, kept, and served again while the data stays the same.

A PDF, DOCX or XLSX of the report (whole or one table) and the whole report's CSV zip
take from seconds to minutes to lay out, so no request builds them. Asking for one
records an ``ExportBuild`` for the round, scope, format, table, language and the
*fingerprint* of the data, and queues ``build_export_task`` (django-tasks: the database
queue worked by ``manage.py db_worker``). The task writes the file to the default
storage (a disk, or object storage when configured); the next request for the same
data finds the row and streams the stored file. Asking twice for unchanged data builds
once: the row is unique on those six values.

The fingerprint changes when a response enters or leaves the scope, when one in scope
changes (every save raises its version and its time of change), when the "n of m"
numbering of an office changes, when the edition's texts or the round's title change,
and when ``EXPORT_CODE_VERSION`` is raised (by hand, whenever the exporters or the
print layout change what a file looks like). It costs two aggregate queries.

Visitors who are not signed in never cause a build: the published-scope files of a
round are queued when one of its responses is published, reopened or republished
(the receivers at the end), or by ``manage.py prepare_exports``.

The report page's own data is built and kept the same way (format ``page``, the whole
report, written by `reports/snapshots.py`): the page then reads its summary and one page
of rows, whatever the size of the round. `report_page` decides, for a request, where it
comes from: the stored build for the current data; or, for a round of at most
``WIPOSTAD_REPORT_INLINE_LIMIT`` responses in scope (a build of well under a second, what
every request once cost), a build made and stored in that request, by anyone who may see
the figures; or else a build queued in the background (by a signed-in user who may ask
for builds; the published figures' is queued on publication), with a page showing how
far it has got. Never a half-built page.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, Sum
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from surveys.models import (
    PUBLIC_STATUSES,
    ExportBuild,
    QuestionnaireEdition,
    ResponseEvent,
    SurveyResponse,
    SurveyRound,
    WorkingDocument,
)
from surveys.permissions import may
from surveys.reports import exporters, snapshots, tables
from wipostad.db_router import primary_position, replica_configured, replica_reads

log = logging.getLogger(__name__)

# Raise by one whenever a change to the exporters, the print layout or the report's tables
# (reports/tables.py: rows, totals, wording) changes the files or the report page: every
# stored build then counts as out of date and is built again when asked for.
EXPORT_CODE_VERSION = 2

HEAVY_FORMATS = ("pdf", "docx", "xlsx", "csv")  # csv: only the whole report (a zip); one table's CSV is immediate
PAGE = "page"  # the report page's data (every table), read by the page a page of rows at a time
STORED_FORMATS = (PAGE, *HEAVY_FORMATS)  # in the order they are queued: the page first
# The CWS working document of a round is built like a report file, under this table name.
WORKING_DOCUMENT = "working-document"
WORKING_DOCUMENT_FORMATS = ("docx", "pdf")
LANGUAGES = ("en", "fr", "es")
# The steps a build goes through, shown as "step n of 3" on its page.
STEPS = (
    _("Reading the responses and counting"),
    _("Laying out the file"),
    _("Storing the file"),
)
SPOOL_BYTES = 8 * 1024 * 1024  # a file being written stays in memory up to this size, then goes to a temporary file
CHUNK_BYTES = 64 * 1024


# Other files of a round that this machinery builds, keeps and serves (the open dataset,
# surveys/reports/opendata.py): format → the function that makes one from its build row,
# giving the download name, the content type and the content a piece at a time. Each
# registers itself (register_kind), so this module need not know them. The build's
# table_id names which file of that kind it is (e.g. a version); its fingerprint, the
# state of the data, as for the report's files.
FileMaker = Callable[[ExportBuild], tuple[str, str, Iterable[bytes]]]
OTHER_KINDS: dict[str, FileMaker] = {}


def register_kind(fmt: str, make: FileMaker) -> None:
    OTHER_KINDS[fmt] = make


def built_in_background(fmt: str, table_id: str | None) -> bool:
    """PDF and DOCX always, and the whole report's XLSX and CSV zip: built by the task
    queue and served from storage (the report page links there). One table's CSV and XLSX
    and the JSON stream at once."""
    return fmt in ("pdf", "docx") or (table_id is None and fmt in HEAVY_FORMATS)


def served_from_storage(fmt: str, table_id: str | None, *, signed_in: bool) -> bool:
    """An address asking for the file itself (`?format=`): PDF and DOCX always come from
    storage; so do the whole report's XLSX and CSV zip for a visitor who is not signed in,
    who can never make the server build a large file. Signed-in users get those streamed."""
    if fmt in ("pdf", "docx"):
        return True
    return built_in_background(fmt, table_id) and not signed_in


def inline_limit() -> int:
    """The most responses in scope whose report page is built while the request waits."""
    return getattr(settings, "WIPOSTAD_REPORT_INLINE_LIMIT", 200)


def stale_after() -> timedelta:
    """How long a build may run before it counts as failed (a worker stopped half way)."""
    return timedelta(seconds=getattr(settings, "WIPOSTAD_EXPORT_BUILD_TIMEOUT", 30 * 60))


# --- the key of a build -----------------------------------------------------------------


@dataclass(frozen=True)
class BuildKey:
    """What a file is of: everything but the state of the data."""

    survey_round: SurveyRound
    scope: tables.Scope
    format: str
    table_id: str = ""
    language: str = "en"

    def __post_init__(self) -> None:
        if self.format not in STORED_FORMATS and self.format not in OTHER_KINDS:
            raise ValueError(f"{self.format!r} is not built in the background")
        if self.format in ("csv", PAGE) and self.table_id:
            raise ValueError(f"the {self.format} build is of the whole report, not of one table")
        if self.table_id == WORKING_DOCUMENT and self.format not in WORKING_DOCUMENT_FORMATS:
            raise ValueError("the working document is made as DOCX and PDF")
        if self.language not in LANGUAGES:
            raise ValueError(f"no report in language {self.language!r}")

    def rows(self):
        return ExportBuild.objects.filter(
            round=self.survey_round,
            scope=str(self.scope),
            format=self.format,
            table_id=self.table_id,
            language=self.language,
        )


@dataclass(frozen=True)
class DataState:
    fingerprint: str
    responses: int  # in the scope


def data_fingerprint(survey_round: SurveyRound, scope: tables.Scope) -> str:
    return data_state(survey_round, scope).fingerprint


def data_state(survey_round: SurveyRound, scope: tables.Scope) -> DataState:
    """A digest of what the report of this round and scope is made of (two aggregate queries).

    The round comes with its edition (select_related): the edition's texts, translations
    included, are part of it.
    """
    statuses = [str(s) for s in tables.SCOPE_STATUSES[scope]]
    in_scope = Q(status__in=statuses)
    figures = SurveyResponse.objects.filter(round=survey_round).aggregate(
        count=Count("id", filter=in_scope),
        ids=Sum("id", filter=in_scope),
        versions=Sum("version", filter=in_scope),
        changed=Max("updated_at", filter=in_scope),
    )
    # The "m" of "n/m": the responses the public knows by number, per office.
    numbered = (
        SurveyResponse.objects.filter(round=survey_round)
        .publicly_numbered()
        .aggregate(count=Count("id"), sequences=Sum("sequence"), ids=Sum("id"))
    )
    edition = survey_round.edition
    parts = {
        "code": EXPORT_CODE_VERSION,
        "round": [survey_round.slug, survey_round.title, survey_round.year],
        # A translated title changes the report's headings in that language.
        "round_texts": [survey_round.title_fr, survey_round.title_es],
        "edition": [edition.pk, edition.checksum, _definition_digest(edition)],
        "figures": {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in figures.items()},
        "numbered": numbered,
    }
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return DataState(digest, figures["count"])


def working_document_fingerprint(survey_round: SurveyRound) -> str:
    """What the round's working document is made of: the reviewed figures of the round and
    of the previous round it is compared with, and the document's own settings."""
    from surveys.reports.comparison import previous_round
    from surveys.reports.working_document import SCOPE

    earlier = previous_round(survey_round)
    settings_row = WorkingDocument.objects.filter(round=survey_round).values_list("pk", "updated_at").first()
    parts = [
        data_fingerprint(survey_round, SCOPE),
        data_fingerprint(earlier, SCOPE) if earlier is not None else "",
        [settings_row[0], settings_row[1].isoformat()] if settings_row else None,
    ]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def working_document_builds(survey_round: SurveyRound) -> tuple[str, dict[tuple[str, str], ExportBuild]]:
    """The current fingerprint of the round's working document and its builds for it, by
    (language, format)."""
    fingerprint = working_document_fingerprint(survey_round)
    rows = ExportBuild.objects.filter(round=survey_round, table_id=WORKING_DOCUMENT, fingerprint=fingerprint)
    return fingerprint, {(b.language, b.format): b for b in rows}


def request_working_document(survey_round: SurveyRound, fmt: str, language: str, user) -> ExportBuild:
    """Queue the working document in a format and language (once per state of its data)."""
    from surveys.reports.working_document import SCOPE

    key = BuildKey(survey_round, SCOPE, fmt, WORKING_DOCUMENT, language)
    return request_build(key, working_document_fingerprint(survey_round), user)[0]


def current_fingerprint(build: ExportBuild) -> str:
    """The fingerprint the data has now, for the file this build makes."""
    if build.table_id == WORKING_DOCUMENT:
        return working_document_fingerprint(build.round)
    return data_fingerprint(build.round, tables.Scope(build.scope))


def _definition_digest(edition: QuestionnaireEdition) -> str:
    # The checksum leaves out translations, which can still be corrected: digest them too.
    cached = getattr(edition, "_export_digest", None)
    if cached is None:
        canonical = json.dumps(edition.definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        cached = edition._export_digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return cached


# --- finding and asking -------------------------------------------------------------------


def is_stuck(build: ExportBuild) -> bool:
    """A build that has been running for longer than any build takes: its worker stopped."""
    return (
        build.state == ExportBuild.State.RUNNING
        and build.started_at is not None
        and timezone.now() - build.started_at > stale_after()
    )


def has_failed(build: ExportBuild) -> bool:
    return build.state == ExportBuild.State.FAILED or is_stuck(build)


def find(key: BuildKey, fingerprint: str) -> ExportBuild | None:
    """The build of this file for this state of the data, if anyone asked for it (one query)."""
    return key.rows().filter(fingerprint=fingerprint).first()


def request_build(key: BuildKey, fingerprint: str, user=None) -> tuple[ExportBuild, bool]:
    """The build for this state of the data, queued if it is new or had failed; and
    whether this call queued it. Asked twice, or by two people at once, it is built once."""
    build, created = _get_or_create(key, fingerprint, user)
    if created:
        _enqueue_on_commit(build.pk)
        return build, True
    if has_failed(build) and _requeue(build):
        build.refresh_from_db()
        return build, True
    return build, False


def _get_or_create(key: BuildKey, fingerprint: str, user) -> tuple[ExportBuild, bool]:
    values = {
        "round": key.survey_round,
        "scope": str(key.scope),
        "format": key.format,
        "table_id": key.table_id,
        "language": key.language,
        "fingerprint": fingerprint,
    }
    try:
        # Its own savepoint: the loser of a race sees the IntegrityError, not a broken transaction.
        with transaction.atomic():
            return ExportBuild.objects.get_or_create(
                **values, defaults={"requested_by": user if user and user.is_authenticated else None}
            )
    except IntegrityError:
        return ExportBuild.objects.get(**values), False


def retry(build: ExportBuild) -> bool:
    """Build a failed (or stuck) file again; False when it had not failed or someone else retried it."""
    return has_failed(build) and _requeue(build)


def _requeue(build: ExportBuild) -> bool:
    """Queue a failed (or stuck) build again; False when someone else already did."""
    retryable = Q(state=ExportBuild.State.FAILED) | Q(
        state=ExportBuild.State.RUNNING, started_at__lt=timezone.now() - stale_after()
    )
    updated = ExportBuild.objects.filter(retryable, pk=build.pk).update(
        state=ExportBuild.State.QUEUED, error="", done_units=0, started_at=None, finished_at=None
    )
    if updated:
        _enqueue_on_commit(build.pk)
    return bool(updated)


def _enqueue_on_commit(pk: int) -> None:
    # The worker must find the committed row.
    transaction.on_commit(lambda: build_export_task.enqueue(pk), robust=True)


def queue_published(survey_round: SurveyRound) -> int:
    """Queue every whole-report file of the published figures, and the report page's data,
    in every language, that the current data does not have yet; how many were queued."""
    survey_round = SurveyRound.objects.select_related("edition").get(pk=survey_round.pk)
    fingerprint = data_fingerprint(survey_round, tables.Scope.PUBLISHED)
    queued = 0
    for fmt in STORED_FORMATS:
        for language in LANGUAGES:
            key = BuildKey(survey_round, tables.Scope.PUBLISHED, fmt, "", language)
            queued += request_build(key, fingerprint)[1]
    return queued


# --- building (in the worker) -------------------------------------------------------------


@task()
def build_export_task(build_id: int) -> str:
    """Build one queued file; what happened, in a word."""
    return run_build(build_id)


def run_build(build_id: int) -> str:
    if not _claim(ExportBuild.objects.filter(pk=build_id, state=ExportBuild.State.QUEUED)):
        return "nothing to build"  # built already, being built, or gone
    build = ExportBuild.objects.select_related("round__edition").get(pk=build_id)
    if build.format in OTHER_KINDS:
        return _run_other_kind(build, OTHER_KINDS[build.format])
    return _execute(build)


def _claim(builds) -> bool:
    """Mark the build running, if it is still in one of the states `builds` selects."""
    return bool(
        builds.update(state=ExportBuild.State.RUNNING, started_at=timezone.now(), done_units=0, total_units=len(STEPS))
    )


def _execute(build: ExportBuild, *, inline: bool = False) -> str:
    """Build a claimed (running) build and store its file; what happened, in a word.
    `inline`: in a request, which has just taken the fingerprint, and leaves the older
    builds (and their files) to be deleted by a task."""
    try:
        scope = tables.Scope(build.scope)
        if not inline and current_fingerprint(build) != build.fingerprint:
            # Changed while it waited: whoever changed it queued (or will ask for) the newer one.
            _finish_failed(build, "superseded: the data changed before the build started")
            return "superseded"
        _progress(build, 0)
        # The worker has no request: every word of the file in the language it was asked in.
        # The rows are read from the replica when one is configured, once it has replayed
        # the primary up to now (the data the fingerprint describes).
        position = primary_position() if replica_configured() else None
        if build.table_id == WORKING_DOCUMENT:
            _working_document(build, position)
        else:
            with translation.override(build.language), replica_reads(after=position):
                report = tables.build_report(
                    build.round, scope=scope, only=build.table_id or None, language=build.language
                )
            with translation.override(build.language), report:
                _progress(build, 1)
                _lay_out(build, report)
        build.done_units = len(STEPS)
        build.state, build.finished_at = ExportBuild.State.DONE, timezone.now()
        build.save(update_fields=["size", "file", "filename", "content_type", "done_units", "state", "finished_at"])
    except Exception as exc:  # any failure is recorded on the row and shown as "failed", never raised to a page
        log.exception("export build %s failed", build.pk)
        _finish_failed(build, f"{type(exc).__name__}: {exc}")
        return "failed"
    if inline:
        pk = build.pk
        transaction.on_commit(lambda: discard_older_task.enqueue(pk), robust=True)
    else:
        _discard_older(build)
    return "done"


def _working_document(build: ExportBuild, position) -> None:
    """Build the round's working document and store its file."""
    from surveys.reports import working_document, working_document_files

    settings_row = WorkingDocument.objects.select_related("round__edition").get(round=build.round)
    with translation.override(build.language), replica_reads(after=position):
        content = working_document.build(settings_row, build.language)
    try:
        with translation.override(build.language):
            _progress(build, 1)
            export = working_document_files.export(content, build.format)
            build.size, build.file = _store(build, export.filename, export.content)
            build.filename, build.content_type = export.filename, export.content_type
    finally:
        content.close()


def _run_other_kind(build: ExportBuild, make: FileMaker) -> str:
    """Build a file of a registered kind (its maker decides whether the data still fits)."""
    try:
        _progress(build, 0)
        filename, content_type, content = make(build)
        _progress(build, 1)
        build.size, build.file = _store(build, filename, content)
        build.filename, build.content_type = filename, content_type
        build.done_units = len(STEPS)
        build.state, build.finished_at = ExportBuild.State.DONE, timezone.now()
        build.save(update_fields=["size", "file", "filename", "content_type", "done_units", "state", "finished_at"])
    except Exception as exc:  # recorded on the row, as for the report's files
        log.exception("export build %s failed", build.pk)
        _finish_failed(build, f"{type(exc).__name__}: {exc}")
        return "failed"
    _discard_older(build)
    return "done"


def _lay_out(build: ExportBuild, report: tables.Report) -> None:
    """Write the build's file (or, for the page, its folder of files) to the storage."""
    if build.format == PAGE:
        _progress(build, 2)
        build.file, build.size = snapshots.write(report, snapshots.folder_for(build))
        build.filename, build.content_type = snapshots.FILENAME, snapshots.CONTENT_TYPE
        return
    export = exporters.export(report, build.format, build.table_id or None)
    build.size, build.file = _store(build, export.filename, export.content)
    build.filename, build.content_type = export.filename, export.content_type


def _progress(build: ExportBuild, done: int) -> None:
    ExportBuild.objects.filter(pk=build.pk).update(done_units=done)


def _store(build: ExportBuild, filename: str, content: bytes | Iterable[bytes]) -> tuple[int, str]:
    """Write the export to the default storage a piece at a time; its size and stored name.

    A streamed export goes through a temporary file that stays in memory only while it is
    small; the storage then reads it back in chunks (object storage: a multipart upload).
    """
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        if isinstance(content, bytes):
            spool.write(content)
        else:
            for piece in content:
                spool.write(piece)
        size = spool.tell()
        spool.seek(0)
        _progress(build, 2)
        name = build.file.field.generate_filename(build, filename)
        stored = default_storage.save(name, File(spool, name=filename))
    return size, stored


def _finish_failed(build: ExportBuild, error: str) -> None:
    ExportBuild.objects.filter(pk=build.pk).update(
        state=ExportBuild.State.FAILED, error=error[:500], finished_at=timezone.now()
    )


def _discard_older(build: ExportBuild) -> None:
    """Delete the builds of the same file for earlier data, with their files (not one being built)."""
    key = BuildKey(build.round, tables.Scope(build.scope), build.format, build.table_id, build.language)
    older = key.rows().exclude(fingerprint=build.fingerprint).exclude(state=ExportBuild.State.RUNNING)
    discard(older.filter(pk__lt=build.pk))
    if key.rows().filter(pk__gt=build.pk, state=ExportBuild.State.DONE).exists():
        discard(ExportBuild.objects.filter(pk=build.pk))  # a newer one finished first: this one is out of date


@task()
def discard_older_task(build_id: int) -> int:
    """Delete the builds that one made in a request replaced (1, or 0 when it is gone itself)."""
    build = ExportBuild.objects.select_related("round").filter(pk=build_id).first()
    if build is None:
        return 0
    _discard_older(build)
    return 1


def discard(builds) -> int:
    """Delete builds and (through the receiver below) their stored files; how many."""
    return builds.delete()[1].get(ExportBuild._meta.label, 0)


@receiver(post_delete, sender=ExportBuild, dispatch_uid="export_builds_file_deleted")
def _build_deleted(sender, instance: ExportBuild, **kwargs) -> None:
    """A build deleted in any way (replaced, its round deleted, the admin): its file goes too,
    once the deletion is committed; the report page's folder of files, by a task."""
    if not instance.file:
        return
    name = instance.file.name
    if instance.format == PAGE:
        folder = snapshots.folder_of(name)
        transaction.on_commit(lambda: delete_stored_report_task.enqueue(folder), robust=True)
    else:
        transaction.on_commit(lambda: default_storage.delete(name), robust=True)


@task()
def delete_stored_report_task(folder: str) -> int:
    """Delete the files of a replaced report page build (one per page of rows: many for a large round)."""
    return snapshots.delete(folder)


# --- serving --------------------------------------------------------------------------------


def open_file(build: ExportBuild):
    """The stored file of a finished build, open for reading; None when it has gone
    missing from the storage (the build is then marked failed, so it can be built again)."""
    try:
        return default_storage.open(build.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        log.warning("export build %s: stored file %r cannot be read: %s", build.pk, build.file.name, exc)
        _finish_failed(build, f"stored file missing: {exc}")
        build.state = ExportBuild.State.FAILED
        return None


# --- published figures change: queue their files ------------------------------------------


def _published_files_wanted() -> bool:
    return getattr(settings, "WIPOSTAD_PREPARE_PUBLIC_EXPORTS", False)


def _queue_published_on_commit(round_id: int) -> None:
    if not _published_files_wanted():
        return

    def queue() -> None:
        survey_round = SurveyRound.objects.filter(pk=round_id).first()
        if survey_round is not None:
            queue_published(survey_round)

    transaction.on_commit(queue, robust=True)


@receiver(post_save, sender=SurveyResponse, dispatch_uid="export_builds_response_saved")
def _response_saved(sender, instance: SurveyResponse, **kwargs) -> None:
    """A response saved as published: published, republished, recorded as published, or
    corrected while published (what did not change the figures queues nothing)."""
    if instance.status in PUBLIC_STATUSES:
        _queue_published_on_commit(instance.round_id)


@receiver(post_save, sender=ResponseEvent, dispatch_uid="export_builds_response_reopened")
def _response_left_public(sender, instance: ResponseEvent, created: bool, **kwargs) -> None:
    """A published response reopened: its figures leave the public files."""
    if created and instance.from_status in PUBLIC_STATUSES and instance.to_status not in PUBLIC_STATUSES:
        _queue_published_on_commit(instance.response.round_id)


@receiver(post_delete, sender=SurveyResponse, dispatch_uid="export_builds_response_deleted")
def _response_deleted(sender, instance: SurveyResponse, **kwargs) -> None:
    if instance.status in PUBLIC_STATUSES:
        _queue_published_on_commit(instance.round_id)


@receiver(post_save, sender=QuestionnaireEdition, dispatch_uid="export_builds_edition_changed")
def _edition_changed(sender, instance: QuestionnaireEdition, created: bool, **kwargs) -> None:
    """The edition's texts corrected (translations): the public files of its rounds follow."""
    if created:
        return
    for round_id in (
        SurveyRound.objects.filter(edition=instance).with_published_responses().values_list("pk", flat=True)
    ):
        _queue_published_on_commit(round_id)


# --- the report page --------------------------------------------------------------------------


@dataclass
class ReportPage:
    """Where a request's report page comes from: `stored`, or else the `build` under way
    (None: none is, and this user may not ask for one)."""

    scope: tables.Scope
    state: DataState
    build: ExportBuild | None = None
    stored: snapshots.StoredReport | None = None
    may_prepare: bool = False


def page_key(survey_round: SurveyRound, scope: tables.Scope, language: str) -> BuildKey:
    return BuildKey(survey_round, scope, PAGE, "", language)


def report_page(
    survey_round: SurveyRound, scope: tables.Scope, language: str, user, *, only: str | None = None
) -> ReportPage:
    """The report page's data for the current figures (see the module's docstring); with
    `only`, that table alone (KeyError when the report has no such table).

    Served from storage it takes three queries (the fingerprint's two, the build's row)
    and reads two small files at most, whatever the number of responses."""
    key = page_key(survey_round, scope, language)
    state = data_state(survey_round, scope)
    build = find(key, state.fingerprint)
    stored = _read_stored(build, survey_round, only)
    if stored is not None:
        return ReportPage(scope, state, build, stored)
    if state.responses <= inline_limit():
        build = build_inline(key, state.fingerprint, user)
        stored = _read_stored(build, survey_round, only)
        if stored is not None:
            return ReportPage(scope, state, build, stored)
    may_prepare = may(user, "surveys.prepare_exportbuild", key)
    if may_prepare and state.responses > inline_limit() and (build is None or build.error.startswith(MISSING)):
        # A build that failed is not queued again by looking at the page (it offers to);
        # one whose files went missing from the storage is.
        build, _queued = request_build(key, state.fingerprint, user)
    return ReportPage(scope, state, build, None, may_prepare)


def _read_stored(build: ExportBuild | None, survey_round: SurveyRound, only: str | None):
    """The stored report of a finished build; None when there is none or it cannot be read
    (the build is then marked failed, so that it is built again)."""
    if build is None or build.state != ExportBuild.State.DONE:
        return None
    try:
        return snapshots.read(build.file.name, survey_round, only=only)
    except snapshots.StoredReportMissing as exc:
        log.warning("report page build %s cannot be read: %s", build.pk, exc)
        build.state, build.error = ExportBuild.State.FAILED, f"{MISSING}: {exc}"[:500]
        _finish_failed(build, build.error)
        return None


MISSING = "stored file missing"


def build_inline(key: BuildKey, fingerprint: str, user=None) -> ExportBuild:
    """Build a small round's report page data in this process, now, and store it; the build
    (done, or failed, or being built by another process, which this call leaves alone).
    A build queued for the same data (on publication) is taken over: the worker then finds
    nothing to do."""
    build, _created = _get_or_create(key, fingerprint, user)
    retryable = (
        Q(state=ExportBuild.State.QUEUED)
        | Q(state=ExportBuild.State.FAILED)
        | Q(state=ExportBuild.State.RUNNING, started_at__lt=timezone.now() - stale_after())
    )
    if not _claim(ExportBuild.objects.filter(retryable, pk=build.pk)):
        build.refresh_from_db()
        return build
    build.round = key.survey_round  # with its edition, as the caller fetched it
    build.state, build.error = ExportBuild.State.RUNNING, ""
    if _execute(build, inline=True) != "done":
        build.state = ExportBuild.State.FAILED
    return build


def build_published_pages(survey_round: SurveyRound) -> int:
    """Build the report page data of the published figures now, in this process, in every
    language the current data does not have yet (`manage.py prepare_exports --pages-now`:
    after loading data in bulk); how many were built."""
    survey_round = SurveyRound.objects.select_related("edition").get(pk=survey_round.pk)
    fingerprint = data_fingerprint(survey_round, tables.Scope.PUBLISHED)
    built = 0
    for language in LANGUAGES:
        key = page_key(survey_round, tables.Scope.PUBLISHED, language)
        existing = find(key, fingerprint)
        if existing is not None and existing.state == ExportBuild.State.DONE:
            continue
        built += build_inline(key, fingerprint).state == ExportBuild.State.DONE
    return built
