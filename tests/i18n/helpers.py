"""What the language tests share: the edition, and a client that reads in a language."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

EDITION = "application-numbering-2012"


def _in(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client
