"""The inbound inbox: durable, de-duplicated storage of every update Meta sends, in arrival order.

Rows are inserted with ``ON CONFLICT DO NOTHING`` on their ``dedupe_key``, so a redelivered
message is dropped by the database itself, whichever process or restart receives it. Processing
takes a contact's oldest pending row under that contact's lock, which keeps per-contact order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.db import insert_ignoring_conflicts, is_postgres
from storage.models import Contact, InboundUpdate, utcnow

# SQLite caps bound parameters per statement; 8 columns x 100 rows stays well under it.
_INSERT_CHUNK = 100


def store_updates(session: Session, rows: Sequence[dict[str, Any]]) -> list[tuple[int, str | None]]:
    """Insert updates, silently skipping those already stored.

    Args:
        session: An open transaction.
        rows: Column values for :class:`InboundUpdate` (``dedupe_key``, ``kind``, ``field``,
            ``wa_id``, ``phone_number_id``, ``value``).

    Returns:
        ``(id, wa_id)`` of each row actually inserted; duplicates are left out.
    """
    inserted: list[tuple[int, str | None]] = []
    now = utcnow()
    for start in range(0, len(rows), _INSERT_CHUNK):
        chunk = [
            {**row, "received_at": now, "state": "pending", "attempts": 0}
            for row in rows[start : start + _INSERT_CHUNK]
        ]
        table: Any = InboundUpdate.__table__  # type: ignore[attr-defined]
        stmt = insert_ignoring_conflicts(session, table, chunk, unique=["dedupe_key"])
        result = session.execute(stmt.returning(table.c.id, table.c.wa_id))
        inserted.extend((int(r[0]), r[1]) for r in result)
    return inserted


def lock_contact(session: Session, wa_id: str, *, now: datetime | None = None) -> Contact:
    """Return the contact row, creating it if needed, locked for this transaction.

    On PostgreSQL this is ``SELECT … FOR UPDATE``: other workers wait for this contact until the
    transaction ends, which is what serialises one contact's turns across processes. On SQLite
    the transaction already holds the database write lock (``BEGIN IMMEDIATE``).
    """
    table: Any = Contact.__table__  # type: ignore[attr-defined]
    values = {"wa_id": wa_id, "created_at": now or utcnow(), "marketing_opt_out": False, "paused": False}
    session.execute(insert_ignoring_conflicts(session, table, [values], unique=["wa_id"]))
    query = select(Contact).where(Contact.wa_id == wa_id)
    if is_postgres(session):
        query = query.with_for_update()
    return session.exec(query).one()


def next_pending(session: Session, wa_id: str | None) -> InboundUpdate | None:
    """The oldest pending update of one contact (``None``: updates about no contact)."""
    query = select(InboundUpdate).where(InboundUpdate.state == "pending")
    if wa_id is None:
        query = query.where(col(InboundUpdate.wa_id).is_(None))
        if is_postgres(session):
            query = query.with_for_update(skip_locked=True)
    else:
        query = query.where(InboundUpdate.wa_id == wa_id)
    return session.exec(query.order_by(col(InboundUpdate.id)).limit(1)).first()


def pending_contacts(session: Session, limit: int = 500) -> list[str | None]:
    """Contacts with pending updates, the longest-waiting first (``None`` stands for no contact)."""
    query = (
        select(InboundUpdate.wa_id, func.min(InboundUpdate.id))
        .where(InboundUpdate.state == "pending")
        .group_by(col(InboundUpdate.wa_id))
        .order_by(func.min(InboundUpdate.id))
        .limit(limit)
    )
    return [row[0] for row in session.exec(query)]


def count_by_state(session: Session) -> dict[str, int]:
    """How many inbound updates are in each state (pending, done, failed)."""
    query = select(InboundUpdate.state, func.count()).group_by(col(InboundUpdate.state))
    return {state: int(n) for state, n in session.exec(query)}


__all__ = ["count_by_state", "lock_contact", "next_pending", "pending_contacts", "store_updates"]
