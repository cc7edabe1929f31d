"""The language settings and the switcher: on every page, by POST with the CSRF token, kept
in a cookie; Accept-Language until the switcher is used."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.i18n.extraction import BASE_DIR
from tests.i18n.helpers import EDITION


def test_language_settings():
    assert settings.LANGUAGE_CODE == "en"
    assert settings.LANGUAGES == [("en", "English"), ("es", "Español"), ("fr", "Français")]
    assert settings.LOCALE_PATHS == [BASE_DIR / "locale"]
    middleware = settings.MIDDLEWARE
    locale = middleware.index("django.middleware.locale.LocaleMiddleware")
    assert middleware.index("django.contrib.sessions.middleware.SessionMiddleware") < locale
    assert locale < middleware.index("django.middleware.common.CommonMiddleware")
    assert settings.LANGUAGE_COOKIE_SECURE == settings.SESSION_COOKIE_SECURE
    assert settings.LANGUAGE_COOKIE_SAMESITE == "Lax"
    assert reverse("set_language") == "/i18n/setlang/"


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _switcher(html: str) -> str:
    return html[html.index('<form method="post" action="/i18n/setlang/"') :].split("</form>", 1)[0]


@pytest.mark.django_db
def test_every_page_offers_the_switcher_in_english_by_default(client, edition):
    for url in ("/", reverse("login"), "/no-such-page/", reverse("surveys:edition_detail", args=[EDITION])):
        page = client.get(url)
        html = page.content.decode()
        assert '<html lang="en">' in html, url
        switcher = _switcher(html)
        assert _text(switcher).replace(" | ", "|") == "English|Español|Français", url
        assert "English | Español | Français" in re.sub(r"<[^>]+>", "", switcher)
        assert 'name="csrfmiddlewaretoken"' in switcher
        assert f'<input type="hidden" name="next" value="{url}">' in switcher
        assert '<button name="language" value="en" lang="en" class="link-button" aria-current="true">' in switcher
        assert '<button name="language" value="fr" lang="fr" class="link-button">Français</button>' in switcher
        assert '<button name="language" value="es" lang="es" class="link-button">Español</button>' in switcher
        assert 'aria-label="Language"' in switcher
        assert "<script" not in switcher and "style=" not in switcher


@pytest.mark.django_db
def test_switching_language_sets_the_cookie_and_the_next_page_is_in_that_language(edition):
    client = Client(enforce_csrf_checks=True)
    url = reverse("surveys:edition_detail", args=[EDITION])
    token = client.get(url).cookies["csrftoken"].value

    answer = client.post(reverse("set_language"), {"language": "fr", "next": url, "csrfmiddlewaretoken": token})

    assert answer.status_code == 302 and answer["Location"] == url
    cookie = answer.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "fr"
    assert cookie["samesite"] == "Lax" and cookie["httponly"] is True
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    html = client.get(url).content.decode()
    assert '<html lang="fr">' in html
    assert "<h1>Questionnaire sur la numérotation des demandes</h1>" in html  # from the edition file
    assert "<h2>Introduction</h2>" in html and "<h2>Liste des exemples</h2>" in html
    assert ">Se connecter</a>" in html and ">Réponses publiées</a>" in html
    assert '<button name="language" value="fr" lang="fr" class="link-button" aria-current="true">' in html
    assert 'aria-label="Langue"' in html
    # The choice is remembered: another page, no new request to switch.
    assert ">Aller au contenu</a>" in client.get("/").content.decode()

    client.post(reverse("set_language"), {"language": "es", "next": "/", "csrfmiddlewaretoken": token})
    html = client.get(url).content.decode()
    assert '<html lang="es">' in html and "<h1>Cuestionario sobre la numeración de las solicitudes</h1>" in html


@pytest.mark.django_db
def test_switching_language_needs_a_post_with_the_csrf_token(edition):
    client = Client(enforce_csrf_checks=True)
    refused = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert refused.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in refused.cookies
    by_get = client.get(reverse("set_language"), {"language": "fr", "next": "/"})
    assert by_get.status_code == 302 and settings.LANGUAGE_COOKIE_NAME not in by_get.cookies
    # An outside address in `next` is not followed.
    client = Client()
    away = client.post(reverse("set_language"), {"language": "fr", "next": "https://evil.example/"})
    assert away["Location"] == "/"


@pytest.mark.django_db
def test_accept_language_picks_a_language_until_the_switcher_is_used(client, edition):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9").content.decode()
    assert '<html lang="es">' in html and ">Ir al contenido</a>" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9").content.decode()
    assert '<html lang="fr">' in html
