"""Spreadsheets uploaded for import (Django glue): the caps every import applies, and the
folder that keeps a previewed file until its import is confirmed.

One check for every import (``check_sheet``): a file larger than
``WIPOSTAD_IMPORT_MAX_BYTES`` is refused from the size the upload reports, before a byte
is read; then the data rows are counted while reading, a row at a time, and the count
stops at one past ``WIPOSTAD_IMPORT_MAX_ROWS``. An XLSX file is a zip archive: one that
would unpack to many times the byte cap is refused before any part of it is opened.

Between the preview and the confirmation, django-import-export keeps the uploaded file
in its temporary storage (``IMPORT_EXPORT_TMP_STORAGE_CLASS``): here ``PreviewFolder``,
a folder of its own (``WIPOSTAD_IMPORT_PREVIEW_DIR``) whose files older than
``WIPOSTAD_IMPORT_PREVIEW_MAX_AGE`` seconds are removed when another preview starts, and
by ``manage.py clear_import_previews``.
"""

from __future__ import annotations

import csv
import io
import os
import re
import time
import uuid
import zipfile
from contextlib import suppress
from typing import IO, Any

import openpyxl
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX
from import_export.tmp_storages import TempFolderStorage

# An XLSX file's parts are compressed XML; a real sheet unpacks to a few times its size.
XLSX_UNPACKED_PER_BYTE = 10
# The names PreviewFolder gives its files: nothing else in the folder is ever removed.
_PREVIEW_NAME = re.compile(r"^[0-9a-f]{32}$")


class SheetRefused(ValueError):
    """A spreadsheet refused before import; the message says why, for the person importing."""


def max_rows() -> int:
    return settings.WIPOSTAD_IMPORT_MAX_ROWS


def max_bytes() -> int:
    return settings.WIPOSTAD_IMPORT_MAX_BYTES


def check_sheet(upload: IO[bytes], file_format: type) -> None:
    """Refuse ``upload`` (an uploaded file, or any binary file with a ``size``) when it is
    over a cap; read as ``file_format`` (CSV or XLSX of import-export). The file is left
    at its start. A file that cannot be read as a table passes: the importer's own reader
    says what is wrong with it."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise SheetRefused(
            _("This file is %(size)s; files to import may be at most %(limit)s. Split it into smaller files.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes())}
        )
    limit = max_rows() + 1  # the header row, then the data rows
    _rewind(upload)
    try:
        rows = (_xlsx_rows if issubclass(file_format, XLSX) else _csv_rows)(upload, limit)
    finally:
        _rewind(upload)
    if rows > limit:
        raise SheetRefused(
            _("This file has more than %(limit)s rows besides the header; import at most %(limit)s rows at a time.")
            % {"limit": max_rows()}
        )


def _rewind(upload: IO[bytes]) -> None:
    if upload.seekable():
        upload.seek(0)


def _csv_rows(upload: IO[bytes], limit: int) -> int:
    """Rows of a CSV file (a quoted line break stays within its row), counted up to limit + 1."""
    text = io.TextIOWrapper(upload, encoding="utf-8-sig", newline="")
    count = 0
    try:
        for _row in csv.reader(text):
            count += 1
            if count > limit:
                break
    except (UnicodeDecodeError, csv.Error):
        pass
    finally:
        text.detach()  # the upload stays open for the importer
    return count


def _xlsx_rows(upload: IO[bytes], limit: int) -> int:
    """Rows of an XLSX file's active sheet, streamed (openpyxl's read-only mode), counted up
    to limit + 1; the sheet is never loaded whole."""
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except zipfile.BadZipFile:
        return 0
    if unpacked > max_bytes() * XLSX_UNPACKED_PER_BYTE:
        raise SheetRefused(
            _("This file unpacks to more than %(limit)s; files to import may unpack to at most %(limit)s.")
            % {"limit": filesizeformat(max_bytes() * XLSX_UNPACKED_PER_BYTE)}
        )
    upload.seek(0)
    count = 0
    try:
        book = openpyxl.load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for files it cannot read
        return 0
    try:
        for _row in book.active.iter_rows(values_only=True):
            count += 1
            if count > limit:
                break
    finally:
        book.close()
    return count


# --- previews waiting for their confirmation ------------------------------------------


def preview_folder() -> str:
    return str(settings.WIPOSTAD_IMPORT_PREVIEW_DIR)


def sweep_previews(max_age: float | None = None) -> int:
    """Remove the preview files older than ``max_age`` seconds (the setting by default);
    return how many were removed."""
    max_age = settings.WIPOSTAD_IMPORT_PREVIEW_MAX_AGE if max_age is None else max_age
    oldest = time.time() - max_age
    removed = 0
    with suppress(FileNotFoundError), os.scandir(preview_folder()) as entries:
        for entry in entries:
            if _PREVIEW_NAME.match(entry.name) and entry.is_file() and entry.stat().st_mtime < oldest:
                with suppress(FileNotFoundError):
                    os.remove(entry.path)
                    removed += 1
    return removed


class PreviewFolder(TempFolderStorage):
    """import-export's temporary storage, in a folder of its own: files readable by this
    process's user only, under names of our making; older previews are swept each time
    a new one is kept."""

    def get_full_path(self) -> str:
        return os.path.join(preview_folder(), os.path.basename(self.name))

    def remove(self) -> None:
        with suppress(FileNotFoundError):
            os.remove(self.get_full_path())

    def _open(self, mode: str = "r") -> Any:
        if self.name:
            return open(self.get_full_path(), mode, encoding=self.encoding)
        sweep_previews()
        os.makedirs(preview_folder(), mode=0o700, exist_ok=True)
        self.name = uuid.uuid4().hex
        descriptor = os.open(self.get_full_path(), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        return os.fdopen(descriptor, "wb")
