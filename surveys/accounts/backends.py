"""Checking a username and password against the database, refusing the demo accounts'
published password outside development."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

# The password of every account `load_demo` creates; printed by `make run` and written in
# the README, so it is known to anyone.
DEMO_PASSWORD = "wipostad-demo"

log = logging.getLogger(__name__)


class PasswordBackend(ModelBackend):
    """Django's username and password check. With DJANGO_DEBUG off, the published demo
    password signs nobody in: demo accounts (and any account given that password) are
    unusable on a production server."""

    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any):
        if not settings.DEBUG and password == DEMO_PASSWORD:
            log.warning("Sign-in with the published demo password refused (DJANGO_DEBUG is off).")
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
