"""The handoff table: what happened in each customer's handoffs, for the inbox and analytics.

One :class:`HandoffEvent` row per event, written in the transaction of the change it records:
``requested`` (the customer asked for a person), ``claimed`` (a staff member took the
conversation, written by the inbox), ``released`` (given back to the bot by staff),
``idle_released`` (given back after ``handoff.release_after_minutes`` of silence) and ``echo``
(a person answered from the WhatsApp Business app, which pauses the bot). The staff's first
response time is measured from ``requested`` to the next staff message in the outbox or echo.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from sqlalchemy import Index
from sqlmodel import Field, Session, SQLModel

from flows.features.business.timestamps import as_utc, timestamp

EventKind = Literal["requested", "claimed", "released", "idle_released", "echo"]
EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)
"""Every kind of :class:`HandoffEvent`."""


class HandoffEvent(SQLModel, table=True):
    """One event of a customer's handoff; ``staff_id`` is the staff member, when one acted."""

    __tablename__ = "waflow_handoff_event"
    __table_args__ = (Index("ix_waflow_handoff_event_wa_id_at", "wa_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    wa_id: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    at: datetime = timestamp(index=True)
    staff_id: int | None = None


def record_event(
    session: Session, wa_id: str, kind: EventKind, at: datetime, *, staff_id: int | None = None
) -> HandoffEvent:
    """Add a :class:`HandoffEvent` to the caller's transaction and return it."""
    event = HandoffEvent(wa_id=wa_id, kind=kind, at=as_utc(at), staff_id=staff_id)
    session.add(event)
    return event


__all__ = ["EVENT_KINDS", "EventKind", "HandoffEvent", "record_event"]
