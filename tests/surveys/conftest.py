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


@pytest.fixture
def add_response():
    """add_response(round, office code, answers, status=published, system=None, sequence=1):
    a response written straight into the database (no workflow, no e-mail), for the tests
    of what is computed from responses; a new numbering system unless one is given."""
    from surveys.models import NumberingSystem, ResponseStatus, SurveyResponse

    def factory(survey_round, code, answers, status=ResponseStatus.PUBLISHED, *, system=None, sequence=1):
        system = system or NumberingSystem.objects.create(office_id=code, label="Trademarks")
        return SurveyResponse.objects.create(
            round=survey_round,
            office_id=code,
            numbering_system=system,
            sequence=sequence,
            status=status,
            answers=answers,
        )

    return factory
