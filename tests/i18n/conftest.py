"""English, French and Spanish: catalogues complete for every string marked in the code,
the language switcher, and the edition's texts in the reader's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from surveys.management.commands.compile_translations import compile_stale


@pytest.fixture(autouse=True)
def catalogues_compiled(settings):
    """Compile the .po files if `make` has not (pure Python), then make Django read them."""
    if compile_stale([Path(p) for p in settings.LOCALE_PATHS]):
        settings.LOCALE_PATHS = [*settings.LOCALE_PATHS]  # setting_changed empties Django's catalogue cache
    yield
    # LocaleMiddleware leaves the last request's language active in this thread: later
    # tests that call code directly expect English.
    translation.deactivate()
