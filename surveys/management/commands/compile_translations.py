"""Compile the message catalogues (locale/*/LC_MESSAGES/*.po) into the .mo files Django reads.

Django's own ``compilemessages`` needs GNU gettext's msgfmt, which a fresh machine may not
have; polib is pure Python. Fuzzy and untranslated entries are left out of the .mo file
(the English text is shown for them), exactly as msgfmt does.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogues(locale_dirs: list[Path]) -> list[Path]:
    """Every .po file under the project's locale directories, in a stable order."""
    found: list[Path] = []
    for directory in locale_dirs:
        found.extend(sorted(Path(directory).glob("*/LC_MESSAGES/*.po")))
    return found


def compile_catalogue(po_path: Path) -> tuple[Path, int, int]:
    """Write the .mo file beside the .po file; (its path, entries compiled, entries left out)."""
    try:
        po = polib.pofile(str(po_path))
    except (OSError, ValueError) as exc:  # polib raises OSError for a file it cannot parse
        raise CommandError(f"{po_path}: {exc}") from None
    compiled = len(po.translated_entries())
    left_out = len(po.untranslated_entries()) + len(po.fuzzy_entries())
    mo_path = po_path.with_suffix(".mo")
    # Written next to its final place, then renamed: a server reading the catalogue
    # never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=po_path.parent, prefix=".", suffix=".mo")
    os.close(handle)
    try:
        po.save_as_mofile(temporary)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the server may run as another user
        os.replace(temporary, mo_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return mo_path, compiled, left_out


def compile_stale(locale_dirs: list[Path]) -> list[Path]:
    """Compile only the catalogues whose .mo file is missing or older than the .po file
    (tests call this so that they run with or without ``make``)."""
    done = []
    for po_path in catalogues(locale_dirs):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            compile_catalogue(po_path)
            done.append(mo_path)
    return done


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files with polib (no GNU gettext needed)."

    def handle(self, *args, **options) -> None:
        paths = catalogues([Path(p) for p in settings.LOCALE_PATHS])
        if not paths:
            raise CommandError(f"No .po file under {', '.join(str(p) for p in settings.LOCALE_PATHS)}.")
        for po_path in paths:
            mo_path, compiled, left_out = compile_catalogue(po_path)
            note = f" ({left_out} untranslated or fuzzy, shown in English)" if left_out else ""
            self.stdout.write(f"{mo_path}: {compiled} messages{note}")
