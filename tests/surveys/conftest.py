"""Fixtures of the surveys tests."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture
def importer(secretariat_reviewer):
    return secretariat_reviewer


@pytest.fixture
def fresh_round(edition):
    """The next year's round of the edition, with Moldova invited and nothing answered yet."""
    from surveys.models import Invitation, SurveyRound

    rnd = SurveyRound.objects.create(
        edition=edition,
        slug="application-numbering-2013",
        title="Application numbering (2013)",
        year=2013,
        opens_on=date(2013, 3, 1),
        closes_on=date(2013, 12, 31),
    )
    Invitation.objects.create(round=rnd, office_id="MD")
    return rnd
