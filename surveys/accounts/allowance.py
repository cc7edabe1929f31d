"""Hourly allowances of e-mails that one person's action sends to another's mailbox
(password resets, invitations), so that no form of the site can be used to flood a
mailbox or the mail queue.

Each allowance is a sliding window of moments kept in the shared cache under a key, so it
holds across every process; a key that names an address holds a digest of it, never the
address itself.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.core.cache import cache

HOUR = 60 * 60


def take(key: str, limit: int, seconds: int = HOUR) -> int:
    """Count one more under ``key``: 0 when it is within ``limit`` for the last ``seconds``,
    else the whole seconds until the oldest counted moment leaves the window (and then
    nothing is counted)."""
    now = time.time()
    history = [moment for moment in cache.get(key, []) if moment > now - seconds]
    if len(history) >= limit:
        return max(1, math.ceil(history[0] + seconds - now))
    history.append(now)
    cache.set(key, history, seconds)
    return 0


def minutes(seconds: int) -> int:
    """Whole minutes to wait (at least one)."""
    return max(1, math.ceil(seconds / 60))


def digest(value: str) -> str:
    """A key part that stands for an address without holding it."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
