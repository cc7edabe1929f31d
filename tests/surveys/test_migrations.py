"""Migrations that rename keep the data: Response → SurveyResponse, stashed_answers →
set_aside_answers."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("surveys", "0003_signin_failures")


@pytest.fixture
def at_0003(transactional_db):
    """The database as it was before the rename (the migrate command, as on a server:
    content types follow renamed models); back to the latest schema afterwards."""
    call_command("migrate", *BEFORE, verbosity=0)
    # Migrating back leaves the content type of today's model name beside the old one;
    # a server that never had the new name has only the old one.
    ContentType.objects.filter(app_label="surveys", model="surveyresponse").delete()
    yield MigrationExecutor(connection).loader.project_state([BEFORE]).apps
    call_command("migrate", verbosity=0)
    ContentType.objects.clear_cache()


def test_renames_keep_rows_references_and_permissions(at_0003):
    old = at_0003
    # The ST.3 offices may already be loaded (the suite loads its reference data once).
    office, _ = old.get_model("standards", "Office").objects.get_or_create(
        code="MD", defaults={"name": "Republic of Moldova", "kind": "state"}
    )
    edition = old.get_model("surveys", "QuestionnaireEdition").objects.create(
        slug="e", version="1", title="E", year=2012, definition={}, checksum="x"
    )
    survey_round = old.get_model("surveys", "SurveyRound").objects.create(
        edition=edition, slug="r", title="R", year=2012, opens_on=date(2012, 1, 1), closes_on=date(2012, 12, 31)
    )
    system = old.get_model("surveys", "NumberingSystem").objects.create(office=office, label="Trademarks")
    response = old.get_model("surveys", "Response").objects.create(
        round=survey_round,
        office=office,
        numbering_system=system,
        sequence=1,
        answers={"q1b": "1992"},
        stashed_answers={"q4b": {"serial": 6}},
    )
    old.get_model("surveys", "ResponseRevision").objects.create(
        response=response, version=1, status="draft", answers={"q1b": "1992"}, stashed_answers={"q4c": "x"}
    )
    content_type, _ = ContentType.objects.get_or_create(app_label="surveys", model="response")
    view, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="view_response", defaults={"name": "Can view response"}
    )
    reviewers = Group.objects.create(name="reviewers")
    reviewers.permissions.add(view)

    call_command("migrate", "surveys", verbosity=0)

    from surveys.models import ResponseRevision, SurveyResponse

    kept = SurveyResponse.objects.get()
    assert (kept.pk, kept.office_id, kept.sequence, kept.answers) == (response.pk, "MD", 1, {"q1b": "1992"})
    assert kept.set_aside_answers == {"q4b": {"serial": 6}}
    assert (ResponseRevision.objects.get().response_id, ResponseRevision.objects.get().set_aside_answers) == (
        kept.pk,
        {"q4c": "x"},
    )
    assert ContentType.objects.get_for_model(SurveyResponse).pk == content_type.pk
    assert [p.codename for p in Group.objects.get(name="reviewers").permissions.all()] == ["view_surveyresponse"]
    assert reviewers.permissions.get().name == "Can view response"
