"""gunicorn settings for one app server: `gunicorn -c wipostad/gunicorn.conf.py wipostad.wsgi`.

Sync workers, one request per process at a time: a request that runs longer than
WIPOSTAD_REQUEST_TIMEOUT seconds is stopped by killing its worker (gunicorn's master
starts a new one), so a runaway request can hold one process for that long and no
longer, and cannot slow the requests of other workers (threaded or asynchronous workers
would let it run on, since a thread cannot be stopped). Anything that may take longer
than a few seconds (report files, e-mail) is a background task run by `manage.py
db_worker`, never in a request.

Every value comes from the environment (see .env.example and DEPLOY.md).
"""

from __future__ import annotations

import os


def _whole_number(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number (got {raw!r}).") from None
    if value < minimum:
        raise SystemExit(f"{name} must be {minimum} or more (got {value}).")
    return value


def _default_workers() -> int:
    # Requests mostly wait for the database: two processes per core, and one more.
    return 2 * (os.cpu_count() or 1) + 1


# Where to listen: host:port, or unix:/path/to/socket (the reverse proxy connects there).
bind = [os.environ.get("WIPOSTAD_BIND", "").strip() or "127.0.0.1:8000"]

worker_class = "sync"
workers = _whole_number("WIPOSTAD_WEB_WORKERS", _default_workers(), 1)

# Seconds one request may take before its worker is killed and replaced; the reverse
# proxy's read timeout should be a little longer, so that the client is told 502/504.
timeout = _whole_number("WIPOSTAD_REQUEST_TIMEOUT", 30, 1)
# On a restart or a stop (SIGHUP, SIGTERM), the seconds a worker has to finish its request.
graceful_timeout = _whole_number("WIPOSTAD_GRACEFUL_TIMEOUT", 30, 1)

# Each worker is replaced after this many requests (plus a random part, so that they are
# not all replaced at once): memory a long-lived process accumulates is given back.
max_requests = _whole_number("WIPOSTAD_MAX_REQUESTS", 1000, 0)
max_requests_jitter = _whole_number("WIPOSTAD_MAX_REQUESTS_JITTER", 100, 0)

# The workers' heartbeat files in memory, not on a disk that may stall (gunicorn makes
# them with unguessable names, readable by this user only).
_MEMORY_DIR = "/dev/shm"  # noqa: S108
worker_tmp_dir = _MEMORY_DIR if os.path.isdir(_MEMORY_DIR) else None

# Several app servers may run on one machine: no shared control socket (signals do the
# same: HUP reloads, TTIN/TTOU add or remove a worker, TERM stops gracefully).
control_socket_disable = True

# Access log on standard output: the client (and the address the proxy saw), the method
# and the path without its query string, status, size and seconds taken. No query
# strings, cookies, authorization headers or referrers, which may carry tokens or
# search terms.
accesslog = "-"
access_log_format = '%(h)s "%({x-forwarded-for}i)s" %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)s'
errorlog = "-"
loglevel = os.environ.get("WIPOSTAD_GUNICORN_LOG_LEVEL", "").strip() or "info"


def post_worker_init(worker):
    # Every URL module and view imported now, before the first request (which would
    # otherwise pay for it, within its time limit); a broken one stops the worker here.
    worker.notify()
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (reading it imports the whole URL configuration)
    worker.notify()


def pre_request(worker, req):
    # Remembered so that a worker killed for taking too long can say which request it was.
    worker.wipostad_current_request = f"{req.method} {req.path}"


def worker_abort(worker):
    worker.log.error(
        "Request stopped after %s seconds (WIPOSTAD_REQUEST_TIMEOUT); its worker is replaced: %s",
        worker.cfg.timeout,
        getattr(worker, "wipostad_current_request", "unknown request"),
    )
