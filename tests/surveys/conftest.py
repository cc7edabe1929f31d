"""Fixtures of the surveys tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def importer(secretariat_reviewer):
    return secretariat_reviewer
