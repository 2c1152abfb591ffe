"""Delivery statuses of outbound messages, kept monotonic.

Meta does not guarantee order and may skip ``delivered``, so a status only moves forward: a late
``delivered`` never overwrites ``read``; ``failed`` is terminal. A ``failed`` with 131047 (the
24-hour window was closed) makes the outbox apply the message's fallback, if it declared one
(:func:`storage.outbox.window_closed_after_send`).
A status carrying the callback data of an outbox row marks that row sent
(:func:`storage.outbox.reconcile`): an in-doubt marketing message is then never sent twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from storage import outbox
from storage.db import is_postgres
from storage.models import MessageStatus

RANKS = {"sent": 1, "delivered": 2, "read": 3, "played": 4, "failed": 5}
WINDOW_CLOSED = 131047
"""Meta's error code for a free-form message sent outside the 24-hour window."""


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
        outbox.reconcile(session, callback_data, wamid, at)
    rank = RANKS.get(status, 0)
    if status == "failed" and any(_code(e) == WINDOW_CLOSED for e in errors or ()):
        outbox.window_closed_after_send(session, wamid)
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


def _code(error: Any) -> int | None:
    code = error.get("code") if isinstance(error, dict) else None
    try:
        return int(code) if code is not None else None
    except (TypeError, ValueError):
        return None


__all__ = ["RANKS", "WINDOW_CLOSED", "record_status"]
