"""Office membership: which office a user answers for, and in which role."""

from __future__ import annotations

from django.contrib.auth.models import User

from standards.models import Office
from surveys.models import Membership


def membership_set(*, user: User, office: Office, role: str) -> Membership:
    membership, _created = Membership.objects.update_or_create(user=user, defaults={"office": office, "role": role})
    return membership
