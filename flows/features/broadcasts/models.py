"""The broadcasts' tables: a :class:`Broadcast`, and one :class:`BroadcastRecipient` per customer.

A broadcast's recipients are written in batches, each in the transaction that queues their
messages in the outbox, and are unique per broadcast and customer: a batch is written once, so
a broadcast stopped at any point (a crash, ``kill -9``) resumes where it was, never queueing a
customer twice. What became of each message is read from the outbox row it names.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from flows.features.business.timestamps import timestamp
from storage.models import utcnow

State = Literal["draft", "scheduled", "sending", "done", "cancelled"]
STATES: tuple[State, ...] = get_args(State)
"""A broadcast's states, in their usual order."""


class Broadcast(SQLModel, table=True):
    """One template sent to a segment of customers.

    Attributes:
        title: What staff call it.
        template: The declared template's name; ``language`` and ``category`` as declared.
        params: The value of each template parameter, by name; ``{name}`` in a value becomes
            the customer's profile name.
        segment: Who receives it (:class:`~flows.features.broadcasts.segments.Segment`).
        state: ``draft``, ``scheduled`` (``scheduled_at``), ``sending``, ``done`` or
            ``cancelled``.
        created_by: Who made it (a staff e-mail, or ``cli``).
        audience: How many customers matched when it started.
        cursor: The last customer (``Contact.id``) queued: the next batch starts after it.
        expanded: Every matching customer is queued.
        next_slot_at: When the next queued message may go (the pacing).
    """

    __tablename__ = "waflow_broadcast"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    template: str = Field(max_length=512)
    language: str = Field(max_length=16)
    category: str = Field(max_length=16)
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    segment: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    state: str = Field(default="draft", max_length=16, index=True)
    scheduled_at: datetime | None = timestamp(default=None)
    created_by: str = Field(default="", max_length=256)
    created_at: datetime = timestamp(default_factory=utcnow)
    started_at: datetime | None = timestamp(default=None)
    finished_at: datetime | None = timestamp(default=None)
    audience: int | None = None
    cursor: int = 0
    expanded: bool = False
    next_slot_at: datetime | None = timestamp(default=None)


class BroadcastRecipient(SQLModel, table=True):
    """Customer ``wa_id`` in broadcast ``broadcast_id``, and the outbox row of their message.

    Attributes:
        outbox_id: The queued message (``None``: ``skipped``, with ``error``).
        state: ``queued`` (see the outbox row), ``suppressed`` (opted out as it was queued) or
            ``skipped`` (the message could not be made for them).
        stop_recorded: Meta's 131050 answer to it is in the consent ledger.
    """

    __tablename__ = "waflow_broadcast_recipient"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "wa_id", name="uq_waflow_broadcast_recipient"),
    )

    id: int | None = Field(default=None, primary_key=True)
    broadcast_id: int = Field(foreign_key="waflow_broadcast.id", ondelete="CASCADE", index=True)
    wa_id: str = Field(max_length=64, index=True)
    outbox_id: int | None = Field(default=None, index=True)
    state: str = Field(default="queued", max_length=16)
    error: str | None = Field(default=None, max_length=500)
    queued_at: datetime = timestamp(default_factory=utcnow)
    stop_recorded: bool = False


__all__ = ["STATES", "Broadcast", "BroadcastRecipient", "State"]
