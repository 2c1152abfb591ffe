"""Who owns an outbox claim, and whether it still lives: recovery in seconds after a crash.

Each process that runs a sender registers a :class:`~storage.models.SenderProcess` row (a random
token, its host (:func:`this_host`), process id and the process's start time) when its runtime
starts, renews its ``heartbeat_at`` every :data:`HEARTBEAT` and deletes the row when it stops
cleanly. A claim records its owner's token (:func:`storage.outbox.claim`), and a claim whose owner
is gone is taken over at once, without waiting for the lease to end. An owner is gone when:

- its row was deleted: it stopped cleanly, or a process on its host found it dead;
- on the same host, its process id no longer names it (no such process, a zombie, or a process
  started at another time: the id was reused). :func:`reap` checks this when a runtime starts, so
  a restart takes over the dead process's claims at once, and on each heartbeat, so a worker
  that the server restarted is noticed within a second by its siblings;
- on another host, its heartbeat is older than :data:`STALE`. Not on the same host: there a
  heartbeat can wait behind the database's write lock (SQLite) while the process lives and its
  send may have reached Meta, so only the process check frees its claims.

The lease's end frees every claim, owned or not: the last resort (a claim without an owner, in
inline mode and the CLI; a hung process of this host that still lives). Heartbeats and the
staleness check use each host's own clock: a host whose clock runs ``d`` ahead of an owner's
sees that owner's heartbeats ``d`` older, so hosts sharing a PostgreSQL database must agree to
well within :data:`STALE` (NTP keeps them within milliseconds); ``d`` of several seconds leaves
a live owner on another host only the rest of :data:`STALE` for its heartbeats to get through.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import String, and_, bindparam, delete, exists, not_, or_, update
from sqlmodel import Session, select

from storage._types import UTCDateTime
from storage.models import OutboxMessage, SenderProcess

log = logging.getLogger(__name__)

_SENDER: Any = SenderProcess.__table__  # type: ignore[attr-defined]
_OUTBOX: Any = OutboxMessage.__table__  # type: ignore[attr-defined]

HEARTBEAT = 1.0
"""Seconds between a running sender's heartbeats."""
STALE = timedelta(seconds=10)
"""A sender of another host whose heartbeat is older than this is gone: its claims are taken
over."""
FORGET = timedelta(hours=1)
"""A sender row silent for this long is deleted (housekeeping; its claims were free long ago)."""


def new_token() -> str:
    """A fresh process token (32 hex digits, the width of the outbox's ``owner`` column)."""
    return uuid.uuid4().hex


@cache
def this_host() -> str:
    """This host's identity in the ``host`` column: where process ids mean the same processes.

    The host name alone is not enough: hosts or containers may share one (cloned machines, host
    networking, a fixed container host name) while each has its own processes. So it is the host
    name, the kernel's boot id and the process id namespace (Linux), as far as the system says
    them, cut to the column's 255 characters. A container restarted gets a new namespace: its
    old processes' claims are then another host's, freed once their heartbeat is stale.
    """
    name = socket.gethostname()
    parts = [_boot_id(), _pid_namespace()]
    suffix = "".join(f"/{part}" for part in parts if part)
    return name[: 255 - len(suffix)] + suffix


def _boot_id() -> str | None:
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii", errors="replace") as file:
            return file.read().strip()[:64] or None
    except OSError:
        return None


def _pid_namespace() -> str | None:
    try:
        return os.readlink("/proc/self/ns/pid")[:64] or None
    except OSError:
        return None


def register(session: Session, token: str, now: datetime) -> None:
    """Record this process as the running sender ``token`` (call :func:`reap` first)."""
    pid = os.getpid()
    session.add(
        SenderProcess(
            token=token,
            host=this_host(),
            pid=pid,
            pid_started=process_started(pid),
            started_at=now,
            heartbeat_at=now,
        )
    )


_BEAT = (
    update(_SENDER)
    .where(_SENDER.c.token == bindparam("b_token"))
    .values(heartbeat_at=bindparam("b_now", type_=UTCDateTime()))
)


def heartbeat(session: Session, token: str, now: datetime) -> bool:
    """Renew sender ``token``'s heartbeat.

    Returns:
        ``False`` when its row is gone (another process found it dead): register it again.
    """
    return bool(session.connection().execute(_BEAT, {"b_token": token, "b_now": now}).rowcount)


def unregister(session: Session, token: str) -> None:
    """Delete sender ``token``'s row: whatever it still claims is free at once."""
    session.connection().execute(delete(_SENDER).where(_SENDER.c.token == token))


def reap(session: Session, now: datetime) -> int:
    """Delete the rows of senders that are gone: dead processes of this host, long-silent ones.

    Returns:
        How many were deleted.
    """
    rows = session.exec(select(SenderProcess).where(SenderProcess.host == this_host())).all()
    dead = [row.token for row in rows if not _alive(row.pid, row.pid_started)]
    silent = delete(_SENDER).where(_SENDER.c.heartbeat_at < now - FORGET)
    count = int(session.connection().execute(silent).rowcount or 0)
    if dead:
        session.connection().execute(delete(_SENDER).where(_SENDER.c.token.in_(dead)))
        log.info("%d sender process(es) of this host found dead: their claims are free", len(dead))
    return count + len(dead)


def owner_gone() -> Any:
    """The SQL condition that an outbox row is claimed by an owner that is gone (see above).

    Parameters: ``this_host``, the claiming process's :func:`this_host` (an owner of this host
    lives while its row does: :func:`reap` deletes it once its process is dead); ``alive_since``,
    the oldest heartbeat that counts for an owner of another host (``now -`` :data:`STALE`).
    """
    live = exists().where(
        _SENDER.c.token == _OUTBOX.c.owner,
        or_(
            _SENDER.c.host == bindparam("this_host", type_=String()),
            _SENDER.c.heartbeat_at >= bindparam("alive_since", type_=UTCDateTime()),
        ),
    )
    return and_(_OUTBOX.c.owner.is_not(None), not_(live))


def process_started(pid: int) -> str | None:
    """When process ``pid`` started, as the system says it (Linux), or ``None`` if unknown."""
    stat = _stat(pid)
    return stat[19] if stat is not None and len(stat) > 19 else None


def _stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/<pid>/stat`` after the command name, or ``None``."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as file:
            text = file.read()
    except OSError:
        return None
    return text.rpartition(")")[2].split()


def _alive(pid: int, started: str | None) -> bool:
    """Whether process ``pid`` of this host is still the sender that registered (``started``)."""
    stat = _stat(pid)
    if stat is not None:
        same = started is None or len(stat) <= 19 or stat[19] == started
        return same and stat[0] not in ("Z", "X")  # a zombie sends nothing
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive
    return True


__all__ = [
    "FORGET",
    "HEARTBEAT",
    "STALE",
    "heartbeat",
    "new_token",
    "owner_gone",
    "process_started",
    "reap",
    "register",
    "this_host",
    "unregister",
]
