"""The handoff tables: each customer's handoff events, and the console inbox's own state.

One :class:`HandoffEvent` row per event, written in the transaction of the change it records:
``requested`` (the customer asked for a person), ``claimed`` (a staff member took the
conversation, written by the inbox), ``released`` (given back to the bot by staff),
``idle_released`` (given back after ``handoff.release_after_minutes`` of silence) and ``echo``
(a person answered from the WhatsApp Business app, which pauses the bot). The staff's first
response time is measured from ``requested`` to the next staff message in the outbox or echo.
The inbox keeps who has each conversation and how far staff read it (:class:`InboxThread`),
which outbox messages staff wrote (:class:`StaffReply`), internal notes (:class:`InboxNote`)
and the owners' saved replies (:class:`SavedReply`). Staff ids are ``StaffUser`` ids, kept
without a foreign key so that removing an account keeps the history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from sqlalchemy import Column, Index, String, Text
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


class InboxThread(SQLModel, table=True):
    """The inbox's state of one customer's conversation: who has it, how far staff read it.

    ``read_up_to`` is the id of the last ``InboundUpdate`` staff saw; later messages are unread.
    """

    __tablename__ = "waflow_inbox_thread"

    id: int | None = Field(default=None, primary_key=True)
    wa_id: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    assignee_id: int | None = None
    read_up_to: int = 0


class StaffReply(SQLModel, table=True):
    """Which staff member wrote an outbox message (the others are the bot's)."""

    __tablename__ = "waflow_staff_reply"

    outbox_id: int = Field(primary_key=True)
    staff_id: int


class InboxNote(SQLModel, table=True):
    """An internal note on a customer's conversation: for staff only, never sent."""

    __tablename__ = "waflow_inbox_note"

    id: int | None = Field(default=None, primary_key=True)
    wa_id: str = Field(max_length=64, index=True)
    staff_id: int
    at: datetime = timestamp()
    body: str = Field(sa_column=Column(Text, nullable=False))


class SavedReply(SQLModel, table=True):
    """A reply the owners saved for staff to insert into the reply box."""

    __tablename__ = "waflow_saved_reply"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=80)
    body: str = Field(sa_column=Column(Text, nullable=False))


def record_event(
    session: Session, wa_id: str, kind: EventKind, at: datetime, *, staff_id: int | None = None
) -> HandoffEvent:
    """Add a :class:`HandoffEvent` to the caller's transaction and return it."""
    event = HandoffEvent(wa_id=wa_id, kind=kind, at=as_utc(at), staff_id=staff_id)
    session.add(event)
    return event


__all__ = [
    "EVENT_KINDS",
    "EventKind",
    "HandoffEvent",
    "InboxNote",
    "InboxThread",
    "SavedReply",
    "StaffReply",
    "record_event",
]
