"""Delivery statuses of outbound messages, kept monotonic.

Meta does not guarantee order and may skip ``delivered``, so a status only moves forward: a late
``delivered`` never overwrites ``read``; ``failed`` is terminal. A ``failed`` with 131047 (the
24-hour window was closed) makes the outbox apply the message's fallback, if it declared one
(:func:`storage.outbox.window_closed_after_send`).
A status carrying the callback data of an outbox row (for that row's recipient) settles it
(:func:`storage.outbox.reconcile`): an in-doubt marketing message is then never sent twice. A
``failed`` one records the row failed with the status's error, not sent.
"""

from __future__ import annotations

from collections.abc import Sequence
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
        failure = _failure(errors or ()) if status == "failed" else None
        outbox.reconcile(
            session, callback_data, wamid, at, recipient_id=recipient_id, failure=failure
        )
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


def _failure(errors: Sequence[Any]) -> str:
    """A failed status's first error as an outbox row's ``last_error``: ``[code] title``."""
    first = errors[0] if errors and isinstance(errors[0], dict) else {}
    code, title = _code(first), first.get("title") or first.get("message")
    text = f"[{code}] " if code is not None else ""
    return f"{text}{title or 'failed'} (a failed status from Meta)"


def _code(error: Any) -> int | None:
    code = error.get("code") if isinstance(error, dict) else None
    try:
        return int(code) if code is not None else None
    except (TypeError, ValueError):
        return None


__all__ = ["RANKS", "WINDOW_CLOSED", "record_status"]
