"""What waits in the inbox and the outbox, and for how long: the reads behind monitoring.

:func:`read_backlog` runs one grouped query per table through a read-only connection (on SQLite
it never waits for the write lock), so every process serving ``/metrics`` or ``/healthz``
reports the same numbers. On SQLite both read an index, never the rows' JSON: the outbox its
``(state, next_attempt_at)`` index, the inbox the ``(wa_id, state, id)`` one that the runtime's
sweep scans every two seconds anyway; the oldest pending update's arrival time is then one
primary-key lookup (ids grow in arrival order).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.engine import Connection

from storage._types import as_utc
from storage.models import INBOUND_BACKLOG, INBOUND_BACKLOG_STATES, InboundUpdate, OutboxMessage

_INBOUND: Any = InboundUpdate.__table__  # type: ignore[attr-defined]
_OUTBOX: Any = OutboxMessage.__table__  # type: ignore[attr-defined]

INBOX_STATES = INBOUND_BACKLOG_STATES
"""The inbox states counted (``done`` rows are history, not backlog)."""
OUTBOX_STATES = ("pending", "held", "failed", "suppressed")
"""The outbox states counted (``sent`` rows are history, not backlog)."""

_INBOX_QUERY = (
    select(_INBOUND.c.state, func.count(), func.min(_INBOUND.c.id))
    .where(text(INBOUND_BACKLOG))  # the partial index's own condition (INBOX_STATES)
    .group_by(_INBOUND.c.state)
)
_ARRIVED = select(_INBOUND.c.received_at).where(_INBOUND.c.id == bindparam("id"))
_OUTBOX_QUERY = (
    select(_OUTBOX.c.state, func.count(), func.min(_OUTBOX.c.next_attempt_at))
    .where(_OUTBOX.c.state.in_(OUTBOX_STATES))
    .group_by(_OUTBOX.c.state)
)


@dataclass(frozen=True)
class Backlog:
    """The inbox and outbox rows not yet done with, read at one moment.

    Attributes:
        inbox: Inbound updates per state in :data:`INBOX_STATES` (0 when none).
        outbox: Outbound messages per state in :data:`OUTBOX_STATES` (0 when none).
        inbox_age: Seconds since the oldest pending inbound update arrived (0 when none).
        outbox_overdue: Seconds since the earliest pending outbound message became due (0
            when none is due yet: a message scheduled later, backing off, or being sent is not
            late). This is how far the sender is behind.
    """

    inbox: dict[str, int]
    outbox: dict[str, int]
    inbox_age: float
    outbox_overdue: float

    def as_dict(self) -> dict[str, Any]:
        """The numbers as JSON-ready nested dicts (``/healthz``)."""
        return {
            "inbox": {**self.inbox, "oldest_pending_seconds": round(self.inbox_age, 3)},
            "outbox": {**self.outbox, "oldest_due_seconds": round(self.outbox_overdue, 3)},
        }


def read_backlog(conn: Connection, now: datetime) -> Backlog:
    """Count the inbox's and the outbox's rows still to handle, and how late the oldest is.

    Args:
        conn: A connection (a read-only one: :func:`storage.db.read_connection`).
        now: The current aware UTC time.
    """
    inbox = dict.fromkeys(INBOX_STATES, 0)
    outbox = dict.fromkeys(OUTBOX_STATES, 0)
    inbox_age = outbox_overdue = 0.0
    oldest_id = None
    for state, count, first_id in conn.execute(_INBOX_QUERY):
        inbox[state] = int(count)
        if state == "pending":
            oldest_id = first_id
    if oldest_id is not None:
        arrived = conn.execute(_ARRIVED, {"id": oldest_id}).scalar()
        if arrived is not None:  # processed meanwhile: not waiting any more
            inbox_age = _seconds_since(arrived, now)
    for state, count, earliest in conn.execute(_OUTBOX_QUERY):
        outbox[state] = int(count)
        if state == "pending" and earliest is not None:
            outbox_overdue = _seconds_since(earliest, now)
    return Backlog(inbox, outbox, inbox_age, outbox_overdue)


def _seconds_since(moment: datetime, now: datetime) -> float:
    """Seconds from ``moment`` to ``now``, never negative (a future moment is not late)."""
    return max(0.0, (now - as_utc(moment)).total_seconds())


__all__ = ["INBOX_STATES", "OUTBOX_STATES", "Backlog", "read_backlog"]
