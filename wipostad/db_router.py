"""Which database a query goes to: the primary, or the read replica when asked for.

With DATABASE_REPLICA_URL set, the settings add a second database, "replica", a copy of
the primary that may lag behind it. Sending reads there at random would break
read-your-writes (a page shown right after a save could miss the save), so nothing goes
to the replica unless a piece of work says so:

    with replica_reads():
        tables = build_report(round)      # every read in here may use the replica

or, for a whole function, ``@replica_reads()``. Use it only for read-only work that may
see data a few seconds old: building a report or an export, a backup. Work queued right
after a write that it must see (an export asked for just after a publication) records
the primary's position when it is queued, ``position = primary_position()``, and reads
with ``replica_reads(after=position)``: the replica is used only once it has replayed
that far (waiting up to a few seconds), otherwise the primary. Even inside it:

- every write goes to the primary;
- a read inside a transaction on the primary stays on the primary (the transaction may
  have written, and must see its own writes);
- without a replica configured, everything goes to the primary.

Migrations run on the primary only; the replica receives them from the primary.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_DB_ALIAS = "replica"
REPLAY_POLL_SECONDS = 0.2

logger = logging.getLogger(__name__)

_replica_wanted: ContextVar[bool] = ContextVar("wipostad_replica_reads", default=False)


def primary_position() -> str | None:
    """Where the primary's write-ahead log stands now (PostgreSQL), or None elsewhere."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def replica_has_replayed(position: str, alias: str = REPLICA_DB_ALIAS) -> bool:
    """Whether the replica holds every change the primary had at ``position``. A server
    that is not replaying a log (not a standby) is the primary itself, or a copy the
    operator named on purpose: it counts as caught up."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= %s::pg_lsn",
            [position],
        )
        return bool(cursor.fetchone()[0])


def _replica_vendor() -> str:
    return connections[REPLICA_DB_ALIAS].vendor


def _caught_up(position: str | None, wait: float) -> bool:
    if position is None:
        return True
    if _replica_vendor() != "postgresql":
        return False  # no way to tell how far it is: the primary
    deadline = time.monotonic() + wait
    while not replica_has_replayed(position):
        if time.monotonic() >= deadline:
            logger.info("The read replica is behind position %s after %s s: reading from the primary.", position, wait)
            return False
        time.sleep(REPLAY_POLL_SECONDS)
    return True


class replica_reads:  # noqa: N801 (used like contextlib's helpers, as a context manager or decorator)
    """Within this block (or function), reads may go to the read replica: at once, or,
    with ``after`` (a primary_position()), once the replica has replayed that far,
    waiting at most ``wait`` seconds before reading from the primary instead."""

    def __init__(self, after: str | None = None, wait: float = 5.0) -> None:
        self.after = after
        self.wait = wait

    def __enter__(self) -> None:
        wanted = replica_configured() and _caught_up(self.after, self.wait)
        self._token = _replica_wanted.set(wanted)

    def __exit__(self, *exc_info) -> None:
        _replica_wanted.reset(self._token)

    def __call__(self, function):
        @wraps(function)
        def wrapper(*args, **kwargs):
            with replica_reads(self.after, self.wait):
                return function(*args, **kwargs)

        return wrapper


@contextmanager
def primary_reads() -> Iterator[None]:
    """Within this block, reads go to the primary again (e.g. a check before a write)."""
    token = _replica_wanted.set(False)
    try:
        yield
    finally:
        _replica_wanted.reset(token)


def replica_configured() -> bool:
    return REPLICA_DB_ALIAS in settings.DATABASES


def read_alias() -> str:
    """The database a read issued now would use."""
    if not (_replica_wanted.get() and replica_configured()):
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA_DB_ALIAS


class PrimaryReplicaRouter:
    """Writes and migrations on the primary; reads there too unless replica_reads() asks."""

    def db_for_read(self, model, **hints) -> str:
        return read_alias()

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Both databases hold the same rows: an object read from the replica may be
        # related to one read from the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
