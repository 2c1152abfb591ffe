"""Delivery statuses of outbound messages, kept monotonic.

Meta does not guarantee order and may skip ``delivered``, so a status only moves forward: a late
``delivered`` never overwrites ``read``; ``failed`` is terminal. A status carrying the callback
data of an outbox row marks that row sent (:func:`storage.outbox.reconcile`): an in-doubt
marketing message is then never sent twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from storage.db import is_postgres
from storage.models import MessageStatus
from storage.outbox import reconcile

RANKS = {"sent": 1, "delivered": 2, "read": 3, "played": 4, "failed": 5}


def record_status(
    session: Session,
    wamid: str,
    status: str,
    *,
    at: datetime,
    recipient_id: str | None = None,
    errors: list[Any] | None = None,
    pricing: dict[str, Any] | None = None,
    callback_data: str | None = None,
) -> MessageStatus:
    """Store ``status`` for ``wamid`` unless a further-along one is stored; return the row.

    ``callback_data`` (the status's ``biz_opaque_callback_data``) reconciles the outbox row it
    names.
    """
    if callback_data:
        reconcile(session, callback_data, wamid, at)
    rank = RANKS.get(status, 0)
    query = select(MessageStatus).where(MessageStatus.wamid == wamid)
    if is_postgres(session):
        query = query.with_for_update()
    row = session.exec(query).first()
    if row is None:
        row = MessageStatus(
            wamid=wamid,
            recipient_id=recipient_id,
            status=status,
            rank=rank,
            errors=errors or [],
            pricing=pricing,
            updated_at=at,
        )
        session.add(row)
        return row
    if pricing and not row.pricing:
        row.pricing = pricing
    if rank > row.rank:
        row.status, row.rank, row.updated_at = status, rank, at
        if errors:
            row.errors = errors
    return row


__all__ = ["RANKS", "record_status"]
