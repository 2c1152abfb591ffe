"""Recovery in seconds: a claim of a sender process that is gone is taken over at once.

Each test runs on SQLite and PostgreSQL. A claim records its owner (a registered sender
process); another sender takes it over when the owner's row is gone (clean stop, or found dead on
its host), its heartbeat is stale (another host only), or its process id names another process
now. A live owner's claims are left alone until their lease ends.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from storage import outbox, senders
from storage.db import read_session, transaction
from storage.models import OutboxMessage, SenderProcess

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(seconds=120)
SOON = T0 + timedelta(seconds=1)


def dead_pid() -> int:
    """The id of a process of this host that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def add_sender(
    engine: Engine,
    *,
    pid: int,
    host: str | None = None,
    beat: datetime = T0,
    started: str | None = None,
) -> str:
    """Register a sender row as another process would; its token."""
    token = senders.new_token()
    with transaction(engine) as session:
        session.add(
            SenderProcess(
                token=token,
                host=host or senders.this_host(),
                pid=pid,
                pid_started=started,
                started_at=beat,
                heartbeat_at=beat,
            )
        )
    return token


def queue(engine: Engine, category: str | None = None) -> int:
    wa_id = "491700000001"
    with transaction(engine) as session:
        row = OutboxMessage(
            wa_id=wa_id, payload={"to": wa_id}, next_attempt_at=T0, category=category
        )
        session.add(row)
        session.flush()
        return int(row.id or 0)


def claim(engine: Engine, now: datetime, owner: str | None) -> dict[int, str]:
    """Claim what is due for ``owner``; each claimed row's lease token."""
    with transaction(engine) as session:
        taken = outbox.claim(session, now, lease=LEASE, owner=owner)
    return {row.id: row.lease for row in taken.rows}


def reap(engine: Engine, now: datetime) -> int:
    with transaction(engine) as session:
        return senders.reap(session, now)


def test_a_dead_owners_claim_is_taken_over_at_once_after_a_restart(engine: Engine) -> None:
    dead = add_sender(engine, pid=dead_pid())
    row = queue(engine)
    assert list(claim(engine, T0, dead)) == [row]
    assert claim(engine, SOON, None) == {}  # its heartbeat is fresh: not yet known dead

    assert reap(engine, SOON) == 1  # what a (re)starting runtime does first

    restarted = add_sender(engine, pid=os.getpid(), beat=SOON)
    assert list(claim(engine, SOON, restarted)) == [row]  # not 120 s later
    with read_session(engine) as session:
        stored = session.get(OutboxMessage, row)
        assert stored is not None
        assert stored.owner == restarted


def test_a_live_owners_claim_is_left_alone_until_its_lease_ends(engine: Engine) -> None:
    live = add_sender(engine, pid=os.getpid())
    row = queue(engine)
    assert list(claim(engine, T0, live)) == [row]

    assert reap(engine, SOON) == 0
    assert claim(engine, SOON, add_sender(engine, pid=os.getpid())) == {}
    # Still claimed while it lives; the lease stays the last resort.
    with transaction(engine) as session:
        assert senders.heartbeat(session, live, T0 + LEASE)
    assert claim(engine, T0 + LEASE - timedelta(seconds=1), None) == {}
    assert row in claim(engine, T0 + LEASE, None)
    assert claim(engine, T0 + LEASE, None) == {}  # and a lease claim without an owner holds


def test_a_clean_stop_frees_the_claims_at_once(engine: Engine) -> None:
    owner = add_sender(engine, pid=os.getpid())
    row = queue(engine)
    claim(engine, T0, owner)

    with transaction(engine) as session:
        senders.unregister(session, owner)

    assert list(claim(engine, SOON, None)) == [row]


def test_an_owner_on_another_host_is_gone_once_its_heartbeat_is_stale(engine: Engine) -> None:
    elsewhere = add_sender(engine, pid=os.getpid(), host="another-machine")
    row = queue(engine)
    claim(engine, T0, elsewhere)

    assert reap(engine, T0 + senders.STALE) == 0  # another host's process ids mean nothing here
    assert claim(engine, T0 + senders.STALE, None) == {}
    assert list(claim(engine, T0 + senders.STALE + timedelta(seconds=1), None)) == [row]


def test_a_live_owner_of_this_host_keeps_its_claims_though_its_heartbeat_is_stale(
    engine: Engine,
) -> None:
    # Its heartbeats wait behind the database's write lock (a backup, a full disk freed) while
    # its send may already have reached Meta: taking its claim over would send it twice.
    live = add_sender(engine, pid=os.getpid(), started=senders.process_started(os.getpid()))
    row = queue(engine)
    claim(engine, T0, live)
    silent = T0 + senders.STALE + timedelta(seconds=2)

    assert reap(engine, silent) == 0
    assert claim(engine, silent, add_sender(engine, pid=os.getpid(), beat=silent)) == {}
    assert row in claim(engine, T0 + LEASE, None)  # a hung one: its lease, the last resort


@pytest.fixture
def fresh_host() -> Iterator[None]:
    """Forget the cached host identity before and after the test."""
    senders.this_host.cache_clear()
    yield
    senders.this_host.cache_clear()


def test_a_host_that_only_shares_this_host_name_is_another_host(
    engine: Engine, fresh_host: None
) -> None:
    if senders.this_host() == socket.gethostname():
        pytest.skip("this system names no boot id nor process namespace")
    # A clone, or a container with a fixed host name: its process ids are not ours.
    twin = add_sender(engine, pid=dead_pid(), host=socket.gethostname())
    row = queue(engine)
    claim(engine, T0, twin)

    assert reap(engine, SOON) == 0
    assert claim(engine, SOON, None) == {}
    assert list(claim(engine, T0 + senders.STALE + timedelta(seconds=1), None)) == [row]


def test_the_host_is_named_by_its_boot_and_process_namespace_within_the_column(
    monkeypatch: pytest.MonkeyPatch, fresh_host: None
) -> None:
    monkeypatch.setattr(socket, "gethostname", lambda: "h" * 300)
    host = senders.this_host()

    assert len(host) <= 255
    assert host.startswith("hhh")
    if os.path.exists("/proc/sys/kernel/random/boot_id"):
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as file:
            boot = file.read().strip()
        assert host.endswith(f"/{boot}/{os.readlink('/proc/self/ns/pid')}")
    else:
        assert host == "h" * 255


def test_a_reused_process_id_does_not_keep_a_dead_owner_alive(engine: Engine) -> None:
    if senders.process_started(os.getpid()) is None:
        pytest.skip("this system does not say when a process started")
    # Our own pid, but registered by a process that started at another time.
    ghost = add_sender(engine, pid=os.getpid(), started="1")
    me = add_sender(engine, pid=os.getpid(), started=senders.process_started(os.getpid()))

    assert reap(engine, SOON) == 1
    with read_session(engine) as session:
        assert list(session.exec(select(SenderProcess.token))) == [me]
    assert ghost != me


def test_a_marketing_message_of_a_dead_owner_waits_in_doubt(engine: Engine) -> None:
    dead = add_sender(engine, pid=dead_pid())
    row = queue(engine, category="marketing")
    claim(engine, T0, dead)
    reap(engine, SOON)

    assert claim(engine, SOON, None) == {}  # it may have reached Meta: not sent again yet
    with read_session(engine) as session:
        stored = session.get(OutboxMessage, row)
        assert stored is not None
        assert stored.lease == outbox.IN_DOUBT
        assert stored.next_attempt_at == SOON + outbox.DOUBT


def test_a_heartbeat_of_a_sender_taken_for_dead_says_so(engine: Engine) -> None:
    owner = add_sender(engine, pid=dead_pid())
    with transaction(engine) as session:
        assert senders.heartbeat(session, owner, SOON)
    reap(engine, SOON)
    with transaction(engine) as session:
        assert not senders.heartbeat(session, owner, SOON)


def test_recording_an_outcome_clears_the_owner(engine: Engine) -> None:
    owner = add_sender(engine, pid=os.getpid())
    row = queue(engine)
    token = claim(engine, T0, owner)[row]
    with transaction(engine) as session:
        outbox.record_outcomes(session, [outbox.Outcome(row, token, "sent", wamid="wamid.1")])
    with read_session(engine) as session:
        stored = session.get(OutboxMessage, row)
        assert stored is not None
        assert (stored.lease, stored.owner) == (None, None)
