"""Office membership: which office a user answers for, and in which role."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User

from standards.models import Office
from surveys.models import Membership, Preferences


def membership_set(*, user: User, office: Office, role: str) -> Membership:
    membership, _created = Membership.objects.update_or_create(user=user, defaults={"office": office, "role": role})
    return membership


def language_of(user: User) -> str:
    """The language the user chose (the site's default when they never chose)."""
    preferences = Preferences.objects.filter(user=user).only("language").first()
    return preferences.language if preferences else settings.LANGUAGE_CODE


def language_set(*, user: User, language: str) -> Preferences:
    known = {code for code, _name in settings.LANGUAGES}
    if language not in known:
        raise ValueError(f"unknown language {language!r}; one of {sorted(known)}")
    preferences, _created = Preferences.objects.update_or_create(user=user, defaults={"language": language})
    return preferences
