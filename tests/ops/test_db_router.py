"""The database router: writes on the primary, reads there too unless a piece of work
asks for the replica, and never inside a transaction on the primary; migrations on the
primary only. Checked with two real SQLite databases, the replica a copy of the primary
taken before a write (so a read shows which database answered it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wipostad import db_router
from wipostad.db_router import PrimaryReplicaRouter, read_alias, replica_reads

ROOT = Path(__file__).resolve().parent.parent.parent

SCRIPT = r"""
import json, sqlite3, sys
import django
django.setup()
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connections, transaction
from wipostad.db_router import PrimaryReplicaRouter, primary_reads, replica_reads

primary, replica = sys.argv[1], sys.argv[2]
call_command("migrate", "auth", verbosity=0, interactive=False)
Group.objects.create(name="before the copy")
connections.close_all()
source, copy = sqlite3.connect(primary), sqlite3.connect(replica)
source.backup(copy)
source.close(); copy.close()

Group.objects.create(name="after the copy")

def names():
    return sorted(Group.objects.values_list("name", flat=True))

@replica_reads()
def report():
    return names()

seen = {"plain": names()}
with replica_reads():
    seen["replica"] = names()
    seen["read_from"] = Group.objects.get(name="before the copy")._state.db
    with transaction.atomic():
        seen["in_transaction"] = names()
    with primary_reads():
        seen["primary_reads"] = names()
    Group.objects.create(name="written while reading from the replica")
seen["after"] = names()
seen["decorated"] = report()
seen["migrate"] = [PrimaryReplicaRouter().allow_migrate(db, "surveys") for db in ("default", "replica")]
print(json.dumps(seen))
"""


def test_reads_go_to_the_replica_only_where_asked_and_never_after_a_write_in_a_transaction(tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "WIPOSTAD_", "REDIS_"))}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(primary), str(replica)],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "wipostad.settings",
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{primary}",
            "DATABASE_REPLICA_URL": f"sqlite:///{replica}",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    copied, written = "before the copy", "after the copy"
    assert seen["plain"] == [written, copied]  # by default, the primary
    assert seen["replica"] == [copied]  # asked for: the replica (a copy from before the write)
    assert seen["read_from"] == "replica"
    assert seen["in_transaction"] == [written, copied]  # a transaction sees the primary
    assert seen["primary_reads"] == [written, copied]
    assert seen["decorated"] == [copied]
    # The write inside the replica block went to the primary.
    assert seen["after"] == [written, copied, "written while reading from the replica"]
    assert seen["migrate"] == [True, False]


def test_without_a_replica_everything_is_on_the_primary(db):
    router = PrimaryReplicaRouter()
    with replica_reads():
        assert read_alias() == "default"
        assert router.db_for_read(None) == "default"
    assert router.db_for_write(None) == "default"


def test_a_transaction_keeps_reads_on_the_primary(monkeypatch):
    from django.conf import settings
    from django.db import connections

    # A replica named (never connected to: the answer is decided before any query), and
    # no transaction open on the primary, then one open.
    monkeypatch.setitem(settings.DATABASES, "replica", settings.DATABASES["default"])
    monkeypatch.setattr(connections["default"], "in_atomic_block", False)
    assert read_alias() == "default"
    with replica_reads():
        assert read_alias() == "replica"
        monkeypatch.setattr(connections["default"], "in_atomic_block", True)
        assert read_alias() == "default"
    monkeypatch.setattr(connections["default"], "in_atomic_block", False)
    assert read_alias() == "default"


@pytest.fixture
def named_replica(monkeypatch):
    """A replica named in the settings (never connected to), no transaction open."""
    from django.conf import settings
    from django.db import connections

    monkeypatch.setitem(settings.DATABASES, "replica", settings.DATABASES["default"])
    monkeypatch.setattr(connections["default"], "in_atomic_block", False)
    monkeypatch.setattr(db_router, "REPLAY_POLL_SECONDS", 0.01)


def test_after_a_position_the_replica_is_used_once_it_has_replayed_that_far(named_replica, monkeypatch):
    monkeypatch.setattr(db_router, "_replica_vendor", lambda: "postgresql")
    answers = iter([False, False, True])
    monkeypatch.setattr(db_router, "replica_has_replayed", lambda position: next(answers))
    with replica_reads(after="0/3000060", wait=5):
        assert read_alias() == "replica"
    assert next(answers, "all asked") == "all asked"


def test_a_replica_still_behind_after_the_wait_leaves_the_reads_on_the_primary(named_replica, monkeypatch, caplog):
    monkeypatch.setattr(db_router, "_replica_vendor", lambda: "postgresql")
    monkeypatch.setattr(db_router, "replica_has_replayed", lambda position: False)
    with replica_reads(after="0/3000060", wait=0.05):
        assert read_alias() == "default"
    assert "behind position 0/3000060" in caplog.text

    @replica_reads(after="0/3000060", wait=0.05)
    def build():
        return read_alias()

    assert build() == "default"


def test_a_position_cannot_be_checked_on_a_replica_other_than_postgresql(named_replica, monkeypatch):
    monkeypatch.setattr(db_router, "_replica_vendor", lambda: "sqlite")
    with replica_reads(after="0/3000060"):
        assert read_alias() == "default"
    with replica_reads():
        assert read_alias() == "replica"


@pytest.mark.django_db
def test_positions_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("write-ahead log positions exist on PostgreSQL only (the suite's PostgreSQL run checks them)")
    position = db_router.primary_position()
    assert "/" in position
    # The primary is not replaying a log: it holds everything it has written.
    assert db_router.replica_has_replayed(position, alias="default")
