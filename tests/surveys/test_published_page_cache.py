"""Published response pages from the cache: a kept page is the page a fresh rendering
gives, carries no visitor's token or session, is never given to a signed-in user, and
goes out of date when the response, its office or its edition's texts change."""

from __future__ import annotations

import copy
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from surveys.questionnaire.loading import edition_load
from surveys.responses import page_cache
from surveys.review.workflow import response_publish, response_reopen
from tests.conftest import EDITION_FILE, _secretariat_user
from tests.surveys.web_helpers import public_url

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture
def published(make_response, office_a_respondent, moldova_answers):
    return make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)


def _without_token(html: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="…"', html)


def _visit(client: Client, url: str, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response


def test_a_second_anonymous_visit_is_answered_from_the_cache_with_the_same_page(published):
    url = public_url("md-001")
    first = _visit(Client(), url)
    assert not getattr(first, "published_page_from_cache", False)
    second = _visit(Client(), url)
    assert second.published_page_from_cache
    assert _without_token(second.content.decode()) == _without_token(first.content.decode())
    for header in ("Content-Type", "Content-Language", "Vary", "X-Frame-Options", "Content-Security-Policy"):
        assert second[header] == first[header], header
    assert "Cookie" in second["Vary"] and "Accept-Language" in second["Vary"]
    assert second["Content-Length"] == str(len(second.content))


def test_a_hit_asks_the_database_nothing(published):
    url = public_url("md-001")
    _visit(Client(), url)
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = _visit(client, url)
    assert response.published_page_from_cache
    assert len(queries) == 0, [q["sql"] for q in queries]


def test_a_kept_page_carries_each_visitors_own_token_and_no_session(published):
    url = public_url("md-001")
    renderer = Client()
    _visit(renderer, url)
    rendered_for = renderer.cookies["csrftoken"].value
    kept = page_cache.page_cache().get(page_cache.page_key("application-numbering-2012", "md-001", "en"))
    stored = b"".join(kept["parts"])
    assert not TOKEN.search(stored.decode()) and rendered_for.encode() not in stored
    assert b"sessionid" not in stored and not any(name.lower() == "set-cookie" for name, _ in kept["headers"])

    visitor = Client()
    page = _visit(visitor, url)
    assert page.published_page_from_cache
    tokens = set(TOKEN.findall(page.content.decode()))
    assert len(tokens) == 1
    # The token in the page goes with the cookie this visitor was given, not the first one's.
    secret = visitor.cookies["csrftoken"].value
    assert secret != rendered_for
    from django.middleware.csrf import _does_token_match

    assert _does_token_match(tokens.pop(), secret)
    assert not _does_token_match(TOKEN.search(page.content.decode())[1], rendered_for)


def test_the_language_switcher_of_a_kept_page_works(published):
    url = public_url("md-001")
    _visit(Client(), url)
    client = Client(enforce_csrf_checks=True)
    page = _visit(client, url)
    assert page.published_page_from_cache
    token = TOKEN.search(page.content.decode())[1]
    switched = client.post("/i18n/setlang/", {"language": "fr", "next": url, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
    french = _visit(client, url)
    assert french["Content-Language"] == "fr"


def test_each_language_has_its_own_copy(published):
    url = public_url("md-001")
    english = _visit(Client(), url)
    french = _visit(Client(), url, headers={"accept-language": "fr"})
    assert not getattr(french, "published_page_from_cache", False)
    assert french["Content-Language"] == "fr" and english["Content-Language"] == "en"
    again = _visit(Client(), url, headers={"accept-language": "fr"})
    assert again.published_page_from_cache
    assert _without_token(again.content.decode()) == _without_token(french.content.decode())
    assert 'lang="fr"' in again.content.decode()


def test_a_signed_in_user_never_gets_the_kept_page(published, secretariat_reviewer):
    url = public_url("md-001")
    _visit(Client(), url)
    _visit(Client(), url)  # kept
    client = Client()
    client.force_login(secretariat_reviewer)
    page = _visit(client, url)
    assert not getattr(page, "published_page_from_cache", False)
    assert secretariat_reviewer.username in page.content.decode()
    # … and what a signed-in user was shown is never kept for others.
    anonymous = _visit(Client(), url)
    assert anonymous.published_page_from_cache
    assert secretariat_reviewer.username not in anonymous.content.decode()


def test_visits_with_a_query_string_or_other_cookies_are_rendered(published):
    url = public_url("md-001")
    _visit(Client(), url)
    _visit(Client(), url)
    assert not getattr(_visit(Client(), url + "?x=1"), "published_page_from_cache", False)
    client = Client()
    client.cookies["messages"] = "anything"
    assert not getattr(_visit(client, url), "published_page_from_cache", False)


def _fresh(url: str) -> str:
    """The page as a fresh rendering gives it (a visitor with a session cookie)."""
    client = Client()
    client.cookies["sessionid"] = "none"
    page = _visit(client, url)
    assert not getattr(page, "published_page_from_cache", False)
    return _without_token(page.content.decode())


def test_reopening_and_republishing_make_the_kept_page_out_of_date(published):
    url = public_url("md-001")
    _visit(Client(), url)
    assert _visit(Client(), url).published_page_from_cache
    reviewer = _secretariat_user()
    response_reopen(response=published, user=reviewer)
    assert Client().get(url).status_code == 404  # no longer public: never the kept copy

    published.refresh_from_db()
    from surveys.review.workflow import response_accept, response_submit
    from tests.conftest import _approver_of

    response_submit(response=published, user=_approver_of("MD"))
    response_accept(response=published, user=reviewer)
    response_publish(response=published, user=reviewer)
    page = _visit(Client(), url)
    assert not getattr(page, "published_page_from_cache", False)
    assert _without_token(page.content.decode()) == _fresh(url)
    assert _visit(Client(), url).published_page_from_cache


def test_publishing_another_response_of_the_office_renews_n_of_m(
    published, make_response, office_a_respondent, moldova_answers
):
    url = public_url("md-001")
    assert "1 of 1" in _visit(Client(), url).content.decode()
    make_response(office_a_respondent, moldova_answers, label="Patents", publish=True)
    page = _visit(Client(), url)
    assert not getattr(page, "published_page_from_cache", False)
    assert "1 of 2" in page.content.decode()


def test_a_corrected_translation_of_the_edition_makes_the_kept_page_out_of_date(published, tmp_path):
    url = public_url("md-001")
    french = {"headers": {"accept-language": "fr"}}
    _visit(Client(), url, **french)
    assert _visit(Client(), url, **french).published_page_from_cache

    import json

    definition = json.loads(EDITION_FILE.read_text(encoding="utf-8"))
    corrected = copy.deepcopy(definition)
    corrected["title"]["fr"] = "Questionnaire corrigé sur la numérotation"
    path = tmp_path / EDITION_FILE.name
    path.write_text(json.dumps(corrected, ensure_ascii=False), encoding="utf-8")
    assert edition_load(path)[1] == "translations updated"

    page = _visit(Client(), url, **french)
    assert not getattr(page, "published_page_from_cache", False)
    assert "Questionnaire corrigé sur la numérotation" in page.content.decode()


def test_renaming_the_office_makes_the_kept_page_out_of_date(published):
    url = public_url("md-001")
    _visit(Client(), url)
    office = published.office
    office.name = "Republica Moldova (AGEPI)"
    office.save()
    page = _visit(Client(), url)
    assert not getattr(page, "published_page_from_cache", False)
    assert "Republica Moldova (AGEPI)" in page.content.decode()


def test_a_change_saved_by_another_process_is_seen_after_the_moment_of_recheck(published, settings):
    import time

    settings.WIPOSTAD_PUBLISHED_PAGE_RECHECK_SECONDS = 0.3
    url = public_url("md-001")
    _visit(Client(), url)
    assert _visit(Client(), url).published_page_from_cache
    # Another process renews the site's generation in the shared cache: this process's
    # copy serves until its moment is over, then the page is rendered again.
    page_cache.page_cache().set(page_cache.SITE_GENERATION, "renewed elsewhere", timeout=None)
    assert _visit(Client(), url).published_page_from_cache
    time.sleep(0.4)
    assert not getattr(_visit(Client(), url), "published_page_from_cache", False)
    assert _visit(Client(), url).published_page_from_cache


def test_without_the_process_copy_a_hit_is_one_cache_query(published, settings):
    settings.WIPOSTAD_PUBLISHED_PAGE_RECHECK_SECONDS = 0
    url = public_url("md-001")
    _visit(Client(), url)
    assert not page_cache.LOCAL.get(page_cache.page_key("application-numbering-2012", "md-001", "en"))
    with CaptureQueriesContext(connection) as queries:
        response = _visit(Client(), url)
    assert response.published_page_from_cache
    assert len(queries) == 1 and "cache" in queries[0]["sql"]


def test_the_middleware_recognises_exactly_the_public_page_address():
    from django.urls import reverse

    url = reverse("surveys:public_response_detail", args=["application-numbering-2012", ("md", 2)])
    match = page_cache.PAGE_PATH.match(url)
    assert match and (match["edition"], match["key"], match["office"]) == ("application-numbering-2012", "md-002", "md")
    for other in ("/surveys/application-numbering-2012/responses/", "/surveys/x/responses/md-002/history/"):
        assert not page_cache.PAGE_PATH.match(other)
