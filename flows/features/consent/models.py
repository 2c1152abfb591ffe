"""The consent ledger: every marketing opt-in and opt-out of a customer, with its source.

One :class:`ConsentEvent` row per change, written in the transaction of the change. The customer's
current choice stays on ``Contact.marketing_opt_out`` (and ``marketing_changed_at``), which is what
a sender reads; :func:`record` sets both and appends the event, so the flag and its history agree,
and :func:`change` does so only when the choice differs from the current one. The runtime itself
flips the flag for Meta's ``user_preferences`` webhook; the feature's update listener then adds that
change to the ledger with source ``meta``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, Session, SQLModel, col, select

from flows.features.business.timestamps import as_utc, timestamp
from storage.models import Contact

Opted = Literal["in", "out"]
ConsentSource = Literal["keyword", "meta", "staff", "import", "broadcast_reply"]
SOURCES: tuple[ConsentSource, ...] = get_args(ConsentSource)
"""Where a :class:`ConsentEvent` may come from."""
SOURCE_LABELS: dict[ConsentSource, str] = {
    "keyword": "the customer sent a stop or start word",
    "meta": "the customer's setting in WhatsApp",
    "staff": "a member of staff",
    "import": "an import",
    "broadcast_reply": "the customer's reply to a broadcast",
}
"""How staff read each source."""


class ConsentEvent(SQLModel, table=True):
    """One opt-in or opt-out of customer ``wa_id``.

    Attributes:
        opted: ``"in"`` (marketing messages welcome) or ``"out"``.
        source: ``keyword`` (the customer wrote STOP or START), ``meta`` (WhatsApp's own
            stop/resume, the ``user_preferences`` webhook), ``staff``, ``import`` or
            ``broadcast_reply``.
        at: When the customer made the choice.
        detail: What else is known (the keyword, Meta's explanation...).
    """

    __tablename__ = "waflow_consent_event"
    __table_args__ = (Index("ix_waflow_consent_event_wa_id_at", "wa_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    wa_id: str = Field(max_length=64)
    opted: str = Field(max_length=3)
    source: str = Field(max_length=16)
    at: datetime = timestamp()
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


def record(
    session: Session,
    contact: Contact,
    opted: Opted,
    source: ConsentSource,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> ConsentEvent:
    """Record a customer's choice: append the event and set ``Contact.marketing_opt_out``.

    Args:
        session: The open transaction.
        contact: The customer.
        opted: ``"out"`` to stop marketing messages, ``"in"`` to have them again.
        source: Where the choice came from (one of :data:`SOURCES`).
        now: When it was made.
        detail: What else to keep with it.

    Returns:
        The event added.
    """
    at = as_utc(now)
    contact.marketing_opt_out = opted == "out"
    contact.marketing_changed_at = at
    session.add(contact)
    event = ConsentEvent(
        wa_id=contact.wa_id, opted=opted, source=source, at=at, detail=dict(detail or {})
    )
    session.add(event)
    session.flush()
    return event


def change(
    session: Session,
    contact: Contact,
    opted: Opted,
    source: ConsentSource,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> ConsentEvent | None:
    """:func:`record` the choice unless it already is the customer's (then write nothing).

    A customer who never chose (``marketing_changed_at`` unset) may receive marketing but has
    not opted in: an opt-in is recorded for them.

    Returns:
        The event added, or ``None`` when ``contact``'s recorded choice already is ``opted``.
    """
    chosen = contact.marketing_changed_at is not None
    if chosen and contact.marketing_opt_out == (opted == "out"):
        return None
    return record(session, contact, opted, source, now, detail)


def history(session: Session, wa_id: str) -> list[ConsentEvent]:
    """Customer ``wa_id``'s consent events, oldest first."""
    query = (
        select(ConsentEvent)
        .where(ConsentEvent.wa_id == wa_id)
        .order_by(col(ConsentEvent.at), col(ConsentEvent.id))
    )
    return list(session.exec(query))


__all__ = [
    "SOURCES",
    "SOURCE_LABELS",
    "ConsentEvent",
    "ConsentSource",
    "Opted",
    "change",
    "history",
    "record",
]
