"""Two starts of the same response at once: one response, and the second person gets it
(or, where it cannot be read yet, a clear 409) — never an error page."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections
from django.test import Client
from django.urls import reverse

from surveys.errors import ResponseBusy
from surveys.models import NumberingSystem, SurveyResponse
from surveys.responses import services
from surveys.responses.services import response_start
from tests.api.helpers import ROUND_SLUG, client_for, url


@pytest.fixture
def system(office_a_respondent):
    return NumberingSystem.objects.create(office_id="MD", label="Trademarks", created_by=office_a_respondent)


def _lose_the_race(monkeypatch, *, misses: int):
    """The "already exists" look misses the other person's row ``misses`` times (not
    committed yet when it looked), and the insert meets it: IntegrityError."""
    real_existing = services._existing_response
    looks: list[int] = []

    def existing(*args, **kwargs):
        looks.append(1)
        return None if len(looks) <= misses else real_existing(*args, **kwargs)

    def create(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(services, "_existing_response", existing)
    monkeypatch.setattr(SurveyResponse.objects, "create", create)


def test_an_insert_that_meets_the_winner_returns_the_winners_response(
    monkeypatch, survey_round, system, office_a_respondent
):
    winner = response_start(survey_round=survey_round, numbering_system=system, user=office_a_respondent)
    _lose_the_race(monkeypatch, misses=1)
    response = response_start(survey_round=survey_round, numbering_system=system, user=office_a_respondent)
    assert response == winner
    assert SurveyResponse.objects.get() == winner


def test_an_insert_that_meets_an_unseen_row_is_a_clear_conflict(monkeypatch, survey_round, system, office_a_respondent):
    _lose_the_race(monkeypatch, misses=99)
    with pytest.raises(ResponseBusy, match="at the same moment"):
        response_start(survey_round=survey_round, numbering_system=system, user=office_a_respondent)
    assert not SurveyResponse.objects.exists()

    page = client_for(office_a_respondent).post(
        url("responses/"), {"round": ROUND_SLUG, "numbering_system": system.pk}, format="json"
    )
    assert page.status_code == 409
    assert "at the same moment" in page.json()["detail"]

    web = Client()
    web.force_login(office_a_respondent)
    page = web.post(reverse("surveys:response_start", args=[survey_round.slug, system.pk]), follow=True)
    assert page.status_code == 200
    assert "at the same moment" in page.content.decode()


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite runs one writer at a time: no race to lose")
@pytest.mark.django_db(transaction=True)
def test_two_starts_at_once_give_one_response(survey_round, system, office_a_respondent):
    barrier = threading.Barrier(2)
    results: list[object] = []

    def start():
        try:
            barrier.wait()
            results.append(response_start(survey_round=survey_round, numbering_system=system, user=office_a_respondent))
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(r, SurveyResponse) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert SurveyResponse.objects.count() == 1
