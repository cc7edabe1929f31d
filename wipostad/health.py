"""A health check for the reverse proxy or the load balancer: GET /healthz.

200 when this process can reach the database and the shared cache (the state every
request may need), 503 otherwise, naming the part that failed. It reads no data and sets
no cookie, so that it stays cheap when asked every few seconds.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

PROBE_KEY = "wipostad:healthz"


def _database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    # Reading a key that is never written asks the cache server without changing anything.
    cache.get(PROBE_KEY)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {}
    for name, check in (("database", _database), ("cache", _cache)):
        try:
            check()
        except Exception:  # any failure to reach it is the answer
            logger.exception("Health check: the %s cannot be reached", name)
            checks[name] = "unavailable"
        else:
            checks[name] = "ok"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
