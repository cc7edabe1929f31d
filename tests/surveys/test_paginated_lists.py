"""Every list page shows one page of 50 rows: the same queries for 3 rows as for 60 and
more, the right rows on page 2, "N–M of T", links to other pages that keep the search and
filters, and search and filters done by the database."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from standards.models import Office
from surveys.models import Invitation, NumberingSystem, ResponseStatus, SurveyResponse, SurveyRound
from surveys.pagination import PER_PAGE
from tests.surveys.web_helpers import EDITION_SLUG, logged_in

MANY = PER_PAGE + 15  # two pages


def add_responses(survey_round: SurveyRound, count: int, *, status: str = ResponseStatus.PUBLISHED, skip: int = 0):
    """``count`` responses in the round, one per office (invited), offices in code order
    after the first ``skip``; each numbered 1, its system named after the office."""
    offices = list(Office.objects.exclude(code__in=["MD", "EP"]).order_by("code")[skip : skip + count])
    assert len(offices) == count, "not enough ST.3 offices for the test"
    Invitation.objects.bulk_create([Invitation(round=survey_round, office=o) for o in offices], ignore_conflicts=True)
    systems = NumberingSystem.objects.bulk_create(
        [NumberingSystem(office=o, label=f"Patents of {o.code}") for o in offices]
    )
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(round=survey_round, office=o, numbering_system=s, sequence=1, status=status)
            for o, s in zip(offices, systems, strict=True)
        ]
    )
    return offices


def queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as context:
        page = client.get(url)
    assert page.status_code == 200, page.status_code
    return len(context.captured_queries), page.content.decode()


def codes_in_rows(content: str, pattern: str) -> list[str]:
    body = content.split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(pattern, body)


# --- the public list of published responses --------------------------------------------------


PUBLIC = reverse("surveys:public_response_list", args=[EDITION_SLUG])


def test_public_list_same_queries_for_3_and_65_and_page_2_has_the_rest(client, survey_round):
    offices = add_responses(survey_round, 3)
    few, content = queries(client, PUBLIC)
    assert "1–3 of 3" in content
    add_responses(survey_round, MANY - 3, skip=3)
    offices = list(Office.objects.exclude(code__in=["MD", "EP"]).order_by("code")[:MANY])
    many, content = queries(client, PUBLIC)

    assert few == many
    shown = codes_in_rows(content, r"<td>([A-Z]{2}) – ")
    assert shown == [o.code for o in offices[:PER_PAGE]]
    assert f"1–{PER_PAGE} of {MANY}" in content
    assert 'href="?page=2" rel="next"' in content

    second, content = queries(client, PUBLIC + "?page=2")
    assert second == many
    assert codes_in_rows(content, r"<td>([A-Z]{2}) – ") == [o.code for o in offices[PER_PAGE:]]
    assert f"{PER_PAGE + 1}–{MANY} of {MANY}" in content
    assert "Page 2 of 2" in content


def test_public_list_search_in_the_database_keeps_the_search_in_page_links(client, survey_round):
    add_responses(survey_round, MANY)
    add_responses(survey_round, 2, status=ResponseStatus.SUBMITTED, skip=MANY)  # never public
    first, second = Office.objects.exclude(code__in=["MD", "EP"]).order_by("code")[:2]

    by_code = client.get(PUBLIC, {"q": first.code.lower()}).content.decode()
    by_name = client.get(PUBLIC, {"q": second.name[2:12].upper()}).content.decode()
    by_system = client.get(PUBLIC, {"q": "patents of"}).content.decode()
    nothing = client.get(PUBLIC, {"q": "no such thing"}).content.decode()

    # The whole ST.3 code, or the letters in an office's name.
    found = Office.objects.filter(code__in=codes_in_rows(by_code, r"<td>([A-Z]{2}) – "))
    assert first.code in {o.code for o in found}
    assert all(o.code == first.code or first.code.lower() in o.name.lower() for o in found)
    assert second.code in codes_in_rows(by_name, r"<td>([A-Z]{2}) – ")
    assert f"1–{PER_PAGE} of {MANY}" in by_system  # the submitted ones are not counted
    assert 'href="?q=patents+of&amp;page=2" rel="next"' in by_system
    assert "No published response matches this search." in nothing


def test_public_list_page_out_of_range_shows_the_last_page(client, survey_round):
    add_responses(survey_round, 3)
    for page in ("99", "x", "-1"):
        content = client.get(PUBLIC, {"page": page}).content.decode()
        assert "1–3 of 3" in content


# --- the secretariat's round list and round dashboard ----------------------------------------


def test_round_list_same_queries_for_3_and_60_rounds(secretariat_reviewer, edition):
    def add_rounds(start: int, stop: int) -> None:
        SurveyRound.objects.bulk_create(
            [
                SurveyRound(
                    edition=edition,
                    slug=f"round-{i:03d}",
                    title=f"Round {i:03d}",
                    year=2000 + i,
                    opens_on=date(2000, 1, 1) + timedelta(days=i),
                    closes_on=date(2000, 1, 1) + timedelta(days=i + 30),
                )
                for i in range(start, stop)
            ]
        )

    client = logged_in(secretariat_reviewer)
    url = reverse("surveys:round_list")
    add_rounds(0, 3)
    few, _ = queries(client, url)
    add_rounds(3, 62)
    many, content = queries(client, url)
    _, second = queries(client, url + "?page=2")

    assert few == many
    assert codes_in_rows(content, r">Round (\d{3})</a>")[:2] == ["061", "060"]  # latest first
    assert codes_in_rows(second, r">Round (\d{3})</a>") == [f"{i:03d}" for i in range(11, -1, -1)]
    assert f"1–{PER_PAGE} of 62" in content


def test_round_dashboard_same_queries_for_3_and_65_rows_page_2_and_counts(secretariat_reviewer, survey_round):
    client = logged_in(secretariat_reviewer)
    url = reverse("surveys:round_dashboard", args=[survey_round.slug])
    add_responses(survey_round, 3, status=ResponseStatus.SUBMITTED)
    few, _ = queries(client, url)
    add_responses(survey_round, MANY - 3, status=ResponseStatus.DRAFT, skip=3)
    many, content = queries(client, url)
    second_count, second = queries(client, url + "?page=2")

    assert few == many == second_count
    rows = MANY + 2  # MD and EP, invited, not started
    assert f"1–{PER_PAGE} of {rows}" in content
    assert f"{PER_PAGE + 1}–{rows} of {rows}" in second
    everyone = sorted(
        [o.code for o in Office.objects.exclude(code__in=["MD", "EP"]).order_by("code")[:MANY]] + ["EP", "MD"]
    )
    assert codes_in_rows(second, r'<th scope="row">([A-Z]{2}) – ') == everyone[PER_PAGE:]
    # The counts cover the whole round, not the page.
    assert '<span class="count-n">3</span> Submitted' in content
    assert f'<span class="count-n">{MANY - 3}</span> Draft' in content
    assert '<span class="count-n">2</span> Not started' in content


def test_round_dashboard_filters_stay_in_page_links(secretariat_reviewer, survey_round):
    client = logged_in(secretariat_reviewer)
    url = reverse("surveys:round_dashboard", args=[survey_round.slug])
    add_responses(survey_round, MANY, status=ResponseStatus.DRAFT)
    add_responses(survey_round, 2, status=ResponseStatus.SUBMITTED, skip=MANY)

    drafts = client.get(url, {"state": "draft", "q": "patents"}).content.decode()
    submitted = client.get(url, {"state": "submitted"}).content.decode()

    assert f"1–{PER_PAGE} of {MANY}" in drafts
    assert 'href="?state=draft&amp;q=patents&amp;page=2" rel="next"' in drafts
    assert "1–2 of 2" in submitted
    assert len(codes_in_rows(submitted, r'<th scope="row">([A-Z]{2}) – ')) == 2


def test_round_dashboard_counts_and_lists_an_office_once_per_response(secretariat_reviewer, survey_round):
    # An office with two numbering systems has two rows; the page's count must say so too
    # (a count that dropped the join to the responses cut the last rows off the page).
    client = logged_in(secretariat_reviewer)
    url = reverse("surveys:round_dashboard", args=[survey_round.slug])
    (office,) = add_responses(survey_round, 1, status=ResponseStatus.SUBMITTED)
    system = NumberingSystem.objects.create(office=office, label=f"Trademarks of {office.code}")
    SurveyResponse.objects.create(
        round=survey_round, office=office, numbering_system=system, sequence=2, status=ResponseStatus.DRAFT
    )

    content = client.get(url).content.decode()

    rows = 4  # the office twice, MD and EP not started
    assert f"1–{rows} of {rows}" in content
    assert codes_in_rows(content, r'<th scope="row">([A-Z]{2}) – ') == sorted([office.code, office.code, "EP", "MD"])


# --- the dashboards -------------------------------------------------------------------------


def test_office_dashboard_same_queries_for_3_and_60_systems(office_a_respondent, survey_round):
    client = logged_in(office_a_respondent)
    url = reverse("surveys:dashboard")

    def add_systems(start: int, stop: int) -> None:
        NumberingSystem.objects.bulk_create(
            [NumberingSystem(office_id="MD", label=f"System {i:03d}") for i in range(start, stop)]
        )

    add_systems(0, 3)
    few, _ = queries(client, url)
    add_systems(3, 62)
    many, content = queries(client, url)
    _, second = queries(client, url + "?page=2")

    assert few == many
    # The pager counts numbering systems: a system has a row per round, so "of 62" alone
    # would not say what the 62 are.
    assert f"1–{PER_PAGE} of 62 numbering systems" in content
    assert "51–62 of 62 numbering systems" in second
    one_system = logged_in(office_a_respondent)
    NumberingSystem.objects.filter(office_id="MD").exclude(label="System 000").delete()
    assert "1–1 of 1 numbering system<" in one_system.get(url).content.decode()
    french = one_system.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "1–1 sur 1 système de numérotation" in french
    assert re.findall(r'<th scope="row">System (\d{3})</th>', second)[0] == f"{PER_PAGE:03d}"
    assert "System 049" not in second and "System 061" in second


def test_secretariat_list_of_every_response_paginated_searched_and_filtered(secretariat_reviewer, survey_round):
    client = logged_in(secretariat_reviewer)
    url = reverse("surveys:dashboard")
    add_responses(survey_round, 3, status=ResponseStatus.SUBMITTED)
    few, _ = queries(client, url)
    add_responses(survey_round, MANY, status=ResponseStatus.DRAFT, skip=3)
    many, content = queries(client, url)
    offices = list(Office.objects.exclude(code__in=["MD", "EP"]).order_by("code")[: MANY + 3])

    submitted = client.get(url, {"status": "submitted"}).content.decode()
    searched = client.get(url, {"q": offices[4].code}).content.decode()
    drafts_page_2 = client.get(url, {"status": "draft", "page": "2"}).content.decode()

    assert few == many
    assert f"1–{PER_PAGE} of {MANY + 3}" in content
    assert "1–3 of 3" in submitted
    assert offices[4].code in codes_in_rows(searched, r"<td>([A-Z]{2}) – ")
    assert offices[5].code not in codes_in_rows(searched, r"<td>([A-Z]{2}) – ")
    assert f"{PER_PAGE + 1}–{MANY} of {MANY}" in drafts_page_2
    assert codes_in_rows(drafts_page_2, r"<td>([A-Z]{2}) – ") == [o.code for o in offices[3 + PER_PAGE :]]
    assert 'href="?status=draft&amp;page=1"' in drafts_page_2


def test_secretariat_list_ignores_an_unknown_status(secretariat_reviewer, survey_round):
    client = logged_in(secretariat_reviewer)
    add_responses(survey_round, 3, status=ResponseStatus.SUBMITTED)
    content = client.get(reverse("surveys:dashboard"), {"status": "nonsense"}).content.decode()
    assert "1–3 of 3" in content


@pytest.mark.parametrize("url_name", ["surveys:round_list"])
def test_the_secretariat_lists_stay_closed_to_offices(office_a_respondent, url_name):
    assert logged_in(office_a_respondent).get(reverse(url_name)).status_code == 403
