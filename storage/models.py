"""The runtime's tables: contacts, the inbox, conversations, flow steps, the outbox, statuses,
and the webhook bodies kept as received (the quarantine).

Every column type exists on SQLite and PostgreSQL; timestamps are aware UTC
(:class:`~storage._types.UTCDateTime`). JSON columns are not tracked for in-place mutation: assign
a new object (``conversation.slots = {**conversation.slots, "name": "Ana"}``) to save a change.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ColumnElement,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    or_,
    text,
)
from sqlmodel import Field, SQLModel, col

from storage._types import UTCDateTime, as_utc, utc_field

_NUMBER_PUNCTUATION = re.compile(r"[\s()+.\-]")


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def wa_id_from(typed: str) -> str | None:
    """The WhatsApp id (the number in international form, digits only) ``typed`` writes, or
    ``None`` when it is not one.

    Spaces, ``+``, brackets, dots and dashes are dropped, and so is an ``00`` international
    prefix: ``"+34 600-11 22 33"``, ``"(34) 600.112.233"`` and ``"0034600112233"`` are all
    ``"34600112233"``. What is left must be 6 to 15 digits, the first not ``0`` (a national
    number without its country code is refused).
    """
    digits = _NUMBER_PUNCTUATION.sub("", typed)
    if digits.startswith("00"):
        digits = digits[2:]
    if not (digits.isascii() and digits.isdigit()) or digits.startswith("0"):
        return None
    return digits if 6 <= len(digits) <= 15 else None


class Contact(SQLModel, table=True):
    """A customer, keyed by WhatsApp id (``wa_id``).

    ``last_inbound_at`` opens the 24-hour customer service window; ``marketing_opt_out`` follows
    the ``user_preferences`` webhook; ``paused`` is set while a human has taken over, and
    ``paused_until`` keeps the bot quiet for a while after a person answered from the WhatsApp
    Business app (see :meth:`bot_paused`). ``language`` is the customer's remembered choice of
    language (a catalog language such as ``es`` or ``pt_BR``); ``None`` follows the business's.
    """

    __tablename__ = "waflow_contact"

    id: int | None = Field(default=None, primary_key=True)
    wa_id: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    user_id: str | None = Field(default=None, max_length=256, index=True)
    name: str | None = Field(default=None, max_length=256)
    last_inbound_at: datetime | None = utc_field(default=None)
    marketing_opt_out: bool = False
    marketing_changed_at: datetime | None = utc_field(default=None)
    paused: bool = False
    paused_until: datetime | None = utc_field(default=None)
    language: str | None = Field(default=None, max_length=16)
    created_at: datetime = utc_field(default_factory=utcnow)

    def bot_paused(self, now: datetime) -> bool:
        """Whether the bot stays silent for this customer at ``now`` (``paused`` or ``paused_until``)."""
        return self.paused or (self.paused_until is not None and as_utc(self.paused_until) > now)

    @staticmethod
    def matching(typed: str) -> ColumnElement[bool]:
        """A filter: the name holds ``typed`` (any case), or the number holds its digits.

        ``typed`` is matched literally (``%`` and ``_`` are no wildcards); spaces, ``+``,
        brackets, dots and dashes are dropped from a number. SQLite folds the case of ASCII
        letters only (``É`` finds ``É``, not ``é``); PostgreSQL folds every letter.
        """
        typed = typed.strip()
        matches = [col(Contact.name).icontains(typed, autoescape=True)]
        digits = _NUMBER_PUNCTUATION.sub("", typed)
        if digits.isascii() and digits.isdigit():
            matches.append(col(Contact.wa_id).contains(digits, autoescape=True))
        return or_(*matches)


INBOUND_BACKLOG_STATES = ("pending", "failed")
"""The states of the inbound updates still to handle (``done`` rows are history)."""
INBOUND_BACKLOG = "state IN ({})".format(", ".join(f"'{s}'" for s in INBOUND_BACKLOG_STATES))
"""The same as SQL: the backlog index's condition. A query must write it the same way, values
inline, for SQLite to use that index (:mod:`storage.backlog`)."""


class InboundUpdate(SQLModel, table=True):
    """One update from Meta (a message, a status, an error...), stored before the 200 answer.

    ``id`` gives the processing order per contact; the unique ``dedupe_key`` drops redeliveries;
    ``value`` is a self-contained Meta ``value`` object with this one item. ``retry_at`` is set
    when the database refused a turn for a passing reason: this update and its contact's later
    ones wait until then.
    """

    __tablename__ = "waflow_inbound"
    __table_args__ = (
        Index("ix_waflow_inbound_pending", "wa_id", "state", "id"),
        # The backlog (/healthz, /metrics) counts the rows still to handle: a partial index
        # holds only those, so its cost does not grow with history (storage.backlog).
        Index(
            "ix_waflow_inbound_backlog",
            "state",
            "id",
            sqlite_where=text(INBOUND_BACKLOG),
            postgresql_where=text(INBOUND_BACKLOG),
        ),
    )

    id: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    dedupe_key: str = Field(sa_column=Column(String(300), unique=True, nullable=False))
    kind: str = Field(max_length=32)
    field: str = Field(max_length=64)
    wa_id: str | None = Field(default=None, max_length=64)
    phone_number_id: str | None = Field(default=None, max_length=64)
    value: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    received_at: datetime = utc_field(default_factory=utcnow)
    state: str = Field(default="pending", max_length=16)  # pending | done | failed
    attempts: int = 0
    processed_at: datetime | None = utc_field(default=None)
    retry_at: datetime | None = utc_field(default=None)
    error: str | None = None


class Conversation(SQLModel, table=True):
    """The conversation state of one contact: which flow, which state, what was collected.

    ``version`` grows with every committed turn; ``data`` is the flow engine's free space.
    """

    __tablename__ = "waflow_conversation"

    id: int | None = Field(default=None, primary_key=True)
    wa_id: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    flow: str | None = Field(default=None, max_length=128)
    flow_version: int | None = None
    state: str | None = Field(default=None, max_length=128)
    slots: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    call_stack: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="active", max_length=16)  # active | ended
    last_inbound_at: datetime | None = utc_field(default=None)
    updated_at: datetime = utc_field(default_factory=utcnow)
    version: int = 0


class FlowStep(SQLModel, table=True):
    """One state a conversation entered: the history that flow funnels are counted from.

    The flow engine adds one row, in the turn's transaction, for every state of a flow a
    conversation enters, and one for the way it leaves the flow: :attr:`COMPLETED` (it reached
    the end), :attr:`ABORTED` (it gave up: retries used up, a failed step, a timeout) or
    :attr:`HANDED_OFF` (to a person). Those names cannot clash with a flow's own state names.
    """

    __tablename__ = "waflow_flow_step"
    __table_args__ = (Index("ix_waflow_flow_step_flow_at", "flow", "at"),)

    COMPLETED: ClassVar[str] = "__end__"
    ABORTED: ClassVar[str] = "__abort__"
    HANDED_OFF: ClassVar[str] = "__handoff__"

    id: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    wa_id: str = Field(max_length=64)
    flow: str = Field(max_length=128)
    state: str = Field(max_length=128)
    at: datetime = utc_field()


class OutboxMessage(SQLModel, table=True):
    """A reply waiting to be sent, written in the same transaction as the state that caused it.

    ``next_attempt_at``, ``lease`` and ``owner`` hold a sender's claim (see :mod:`storage.outbox`).
    ``category`` is the message's kind for Meta's pricing and consent rules (``marketing``,
    ``utility``, ``authentication``), or ``None`` for a reply in a conversation; a ``marketing``
    message to a customer who opted out is stored ``suppressed`` and never sent. ``fallback``
    says what happens when the 24-hour window is closed when it is sent: the template payload
    sent instead, ``"hold"`` (stored ``held`` until the customer next writes), or ``None``
    (it fails).
    """

    __tablename__ = "waflow_outbox"
    __table_args__ = (Index("ix_waflow_outbox_due", "state", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    wa_id: str = Field(max_length=64, index=True)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    # pending | sent | failed | suppressed | held
    state: str = Field(default="pending", max_length=16)
    category: str | None = Field(default=None, max_length=16)
    fallback: dict[str, Any] | str | None = Field(
        default=None, sa_column=Column(JSON(none_as_null=True))
    )
    attempts: int = 0
    next_attempt_at: datetime = utc_field(default_factory=utcnow)
    lease: str | None = Field(default=None, max_length=32)
    owner: str | None = Field(default=None, max_length=32)  # the claiming SenderProcess's token
    wamid: str | None = Field(default=None, max_length=200, index=True)  # 131047 in a status
    last_error: str | None = None
    inbound_id: int | None = None
    created_at: datetime = utc_field(default_factory=utcnow)
    sent_at: datetime | None = utc_field(default=None)


class SenderProcess(SQLModel, table=True):
    """A running process that sends the outbox: who owns a claim, and whether it still lives.

    Registered when a runtime starts, its ``heartbeat_at`` renewed every second, deleted when it
    stops cleanly. A claim whose owner's row is gone, or whose owner on another host has a
    stale heartbeat, is taken over at once; on this host only a dead process frees its claims
    (see :mod:`storage.senders`). ``host`` tells hosts apart (host name, boot and process
    namespace); ``pid_started`` tells a reused process id apart (the process's start time where
    the system says it). No customer data.
    """

    __tablename__ = "waflow_sender"

    token: str = Field(primary_key=True, max_length=32)
    host: str = Field(max_length=255)
    pid: int
    pid_started: str | None = Field(default=None, max_length=32)
    started_at: datetime = utc_field(default_factory=utcnow)
    heartbeat_at: datetime = utc_field(default_factory=utcnow)


class ReadReceipt(SQLModel, table=True):
    """The outbox's read lane: a customer message to mark read (and show "typing…" for).

    Queued in the transaction that stores the message, before its turn runs, and sent by the
    sender beside the replies, never ahead of one: best effort, at most once, deleted when taken
    or once stale (see :func:`storage.outbox.take_receipts`). It is not a message: nothing that
    counts or shows the outbox sees it.
    """

    __tablename__ = "waflow_read_receipt"

    id: int | None = Field(default=None, primary_key=True)
    wa_id: str = Field(max_length=64)
    message_id: str = Field(max_length=300)  # the customer message's wamid
    typing: bool = False
    inbound_id: int | None = None
    created_at: datetime = utc_field(default_factory=utcnow)


class MessageStatus(SQLModel, table=True):
    """The furthest-along delivery status of one outbound message (never goes backwards)."""

    __tablename__ = "waflow_status"
    __table_args__ = (UniqueConstraint("wamid", name="uq_waflow_status_wamid"),)

    id: int | None = Field(default=None, primary_key=True)
    wamid: str = Field(max_length=200)
    recipient_id: str | None = Field(default=None, max_length=64)
    status: str = Field(max_length=16)
    rank: int = 0
    errors: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    pricing: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    updated_at: datetime = utc_field(default_factory=utcnow)


class QuarantinedBody(SQLModel, table=True):
    """A webhook body kept as received (see :mod:`storage.quarantine`).

    ``reason`` is ``unparsable`` (a signed body that is not JSON), ``unstorable`` (its data the
    database refuses): nothing of either is in the inbox, or ``cleaned`` (its updates were
    stored with what no column can hold replaced: this is the original). ``detail`` names the
    error class or what was cleaned, never the body's values. ``body`` is the raw bytes as UTF-8
    text, any byte a text column cannot hold (NUL, invalid UTF-8) and every backslash written
    ``\\xNN``; ``digest`` (SHA-256 of the raw bytes) keeps one row per body however often Meta
    delivers it.
    """

    __tablename__ = "waflow_quarantine"

    id: int | None = Field(default=None, primary_key=True)
    digest: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    reason: str = Field(max_length=16)
    detail: str = Field(max_length=200)
    wa_id: str | None = Field(default=None, max_length=64, index=True)
    body: str = Field(sa_column=Column(Text, nullable=False))
    received_at: datetime = utc_field(default_factory=utcnow)


__all__ = [
    "INBOUND_BACKLOG",
    "INBOUND_BACKLOG_STATES",
    "Contact",
    "Conversation",
    "FlowStep",
    "InboundUpdate",
    "MessageStatus",
    "OutboxMessage",
    "QuarantinedBody",
    "ReadReceipt",
    "SenderProcess",
    "UTCDateTime",
    "as_utc",
    "utc_field",
    "utcnow",
    "wa_id_from",
]
