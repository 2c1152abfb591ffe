"""The outbox: replies committed with the state that caused them, sent after commit.

A row is *pending* until sent. The sender claims due rows with a lease (``next_attempt_at``
moves into the future), so a sender that dies mid-send leaves rows that become due again.
Only the oldest unsent row of each contact is due, which keeps each contact's replies in order
and lets a pair-rate back-off for one contact leave everyone else alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func
from sqlmodel import Session, col, select

from storage.db import is_postgres
from storage.models import OutboxMessage, utcnow


def enqueue(
    session: Session,
    wa_id: str,
    payloads: Sequence[dict[str, Any]],
    *,
    inbound_id: int | None = None,
    now: datetime | None = None,
) -> list[OutboxMessage]:
    """Add replies for one contact to the outbox in the current transaction.

    ``now`` (the caller's clock; the wall clock by default) stamps the rows and makes them due.
    """
    now = now or utcnow()
    rows = [
        OutboxMessage(
            wa_id=wa_id, payload=p, inbound_id=inbound_id, created_at=now, next_attempt_at=now
        )
        for p in payloads
    ]
    session.add_all(rows)
    return rows


def claim_due(
    session: Session,
    now: datetime,
    *,
    limit: int = 100,
    lease: timedelta = timedelta(seconds=60),
    wa_ids: Sequence[str] | None = None,
) -> list[OutboxMessage]:
    """Claim the due head-of-line message of up to ``limit`` contacts.

    Args:
        session: An open transaction; commit it to make the claim visible to other senders.
        now: The current time.
        limit: At most this many rows.
        lease: How long the claim holds before another sender may take the row again.
        wa_ids: Only these contacts (inline mode); all contacts when ``None``.

    Returns:
        The claimed rows, their ``next_attempt_at`` moved to ``now + lease``.
    """
    head = (
        select(func.min(OutboxMessage.id).label("id"))
        .where(OutboxMessage.state == "pending")
        .group_by(col(OutboxMessage.wa_id))
    )
    if wa_ids is not None:
        head = head.where(col(OutboxMessage.wa_id).in_(list(wa_ids)))
    heads = head.subquery()
    query = (
        select(OutboxMessage)
        .join(heads, and_(col(OutboxMessage.id) == heads.c.id))
        .where(OutboxMessage.next_attempt_at <= now)
        .order_by(col(OutboxMessage.id))
        .limit(limit)
    )
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True, of=OutboxMessage)
    rows = list(session.exec(query))
    for row in rows:
        row.next_attempt_at = now + lease
        session.add(row)
    return rows


def mark_sent(session: Session, row_id: int, wamid: str, now: datetime) -> None:
    """Record a successful send."""
    row = session.get(OutboxMessage, row_id)
    if row is not None:
        row.state, row.wamid, row.sent_at = "sent", wamid, now
        row.attempts += 1
        row.last_error = None
        session.add(row)


def mark_retry(session: Session, row_id: int, error: str, at: datetime) -> None:
    """Record a failed attempt that will be tried again at ``at``."""
    row = session.get(OutboxMessage, row_id)
    if row is not None:
        row.attempts += 1
        row.last_error = error[:2000]
        row.next_attempt_at = at
        session.add(row)


def mark_failed(session: Session, row_id: int, error: str) -> None:
    """Give up on a message for good."""
    row = session.get(OutboxMessage, row_id)
    if row is not None:
        row.state = "failed"
        row.attempts += 1
        row.last_error = error[:2000]
        session.add(row)


def next_due_at(session: Session) -> datetime | None:
    """When the earliest pending message becomes due, if any."""
    query = select(func.min(OutboxMessage.next_attempt_at)).where(OutboxMessage.state == "pending")
    return session.exec(query).one()


__all__ = ["claim_due", "enqueue", "mark_failed", "mark_retry", "mark_sent", "next_due_at"]
