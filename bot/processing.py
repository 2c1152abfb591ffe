"""Turning stored updates into conversation turns, each all-or-nothing.

:meth:`Processor.ingest` stores every update of a webhook body in one transaction (bodies arriving
meanwhile share it, :mod:`bot._group_commit`), cleaned first of what no column can hold (a lone
surrogate, a NUL, ``NaN``: :mod:`bot._clean`); a body whose data the database still refuses
(:func:`storage.db.is_permanent_data_error`) raises :class:`Unstorable`, and the webhook keeps
it as received (:meth:`Processor.quarantine`). :meth:`Processor.process_one` then applies a
contact's oldest pending update under the contact's lock in one transaction: a message goes to the
:class:`~bot.turn.Handler`, whose replies, state and records commit with the update's ``done``
mark, and so does the release of the messages held for the contact until they wrote again
(:func:`storage.outbox.release_held`: they go out before the reply); a status, preference,
echo or error report is applied in place, then handed to the
:class:`~bot.turn.UpdateListener` objects (the features' reactions). A handler failure rolls back to a
savepoint, marks the update ``failed`` and sends an apology. A database failure rolls the whole
turn back and leaves the update pending: one caused by the data
(:func:`storage.db.is_permanent_data_error`) is retried :data:`MAX_STORAGE_ATTEMPTS` times, any
other (a lost connection, a lock, a read-only database after a failover, a missing grant) with a
growing back-off for :attr:`Processor.storage_retry_for` after arrival; then the update is failed
and apologised for.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from bot import inbound, messages, metrics
from bot._clean import clean_json
from bot._group_commit import GroupCommit
from bot._limits import check_unless_built
from bot._ratelimit import Backoff
from bot.config import ReadReceipts, mask
from bot.turn import Handler, Turn, UpdateListener
from storage import inbox, outbox, quarantine
from storage.db import database_reason, is_permanent_data_error, transaction
from storage.models import Contact, Conversation, InboundUpdate, utcnow
from storage.statuses import record_status

log = logging.getLogger(__name__)

DEFAULT_APOLOGY = "Sorry, something went wrong on our side. Please try again in a moment."

# A message timestamp may not open the window further into the future than this (clock skew).
_MAX_SKEW = timedelta(minutes=5)
_HELD_AFTER = timedelta(hours=23)
"""A customer whose previous message is older than this may have messages held (the 24-hour
window, less an hour for Meta's clock and the senders' safety margins)."""

MAX_STORAGE_ATTEMPTS = 5
"""Turns the database may refuse *because of the data* for one update before it is failed."""

STORAGE_RETRY_FOR = timedelta(hours=1)
"""How long after its arrival an update keeps being retried through passing database failures."""

_STORAGE_BACKOFF = Backoff(1.0, 300.0)  # 1, 2, 4 … 300 s, no jitter: one row, one contact

_CONVERSATION = select(Conversation).where(Conversation.wa_id == bindparam("w"))


@dataclass(frozen=True)
class IngestResult:
    """What one webhook body added to the inbox.

    Attributes:
        received: Updates found in the body.
        stored: Updates newly stored (the rest were redeliveries).
        contacts: The contacts (``None``: updates about no contact) that got new updates.
        receipts: Whether read receipts were queued for new customer messages (the sender
            has something to send at once).
        cleaned: What was cleaned out of the body before it was stored (``"lone surrogate"``,
            ``"NUL character"``, ``"non-finite number"``); empty for a clean body.
    """

    received: int
    stored: int
    contacts: tuple[str | None, ...]
    receipts: bool = False
    cleaned: tuple[str, ...] = ()


class Unstorable(Exception):
    """The database refuses a webhook body's data itself: storing it again would fail too.

    Attributes:
        reason: The error's class name (never its message, which may quote the values).
        wa_id: The customer the body is about, when it could be read.
    """

    def __init__(self, reason: str, wa_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wa_id = wa_id


@dataclass(frozen=True)
class Processed:
    """The outcome of processing one stored update.

    ``more`` is true when the contact had further updates pending behind this one.
    """

    update_id: int
    wa_id: str | None
    kind: str
    ok: bool
    replies: int = 0
    error: str | None = None
    more: bool = False


@dataclass
class Processor:
    """Stores inbound updates and processes them in order per contact.

    Args:
        engine: The database engine.
        handler: The conversation logic.
        clock: Returns the current aware UTC time (tests pass a fake one).
        apology: Sent when the handler fails on a message, or its update is given up.
        storage_retry_for: How long after its arrival an update the database keeps refusing
            for a passing reason is retried before it is given up.
        listeners: Called, in order, with every update that is not a customer message, in its
            turn's transaction.
        read_receipts: ``typing`` or ``read`` queues the read receipt of each new customer
            message (with or without the typing indicator) in the transaction that stores it,
            before its turn runs (:func:`storage.outbox.queue_receipts`); ``off`` queues none.
    """

    engine: Engine
    handler: Handler
    clock: Callable[[], datetime] = utcnow
    apology: str = DEFAULT_APOLOGY
    storage_retry_for: timedelta = STORAGE_RETRY_FOR
    listeners: Sequence[UpdateListener] = ()
    read_receipts: ReadReceipts = "off"
    _ingests: GroupCommit[list[dict[str, Any]], list[tuple[int, str | None]]] = field(
        init=False, repr=False
    )

    def __post_init__(self) -> None:
        # Bodies arriving while one is being stored share the next transaction.
        self._ingests = GroupCommit(self._store)

    def ingest(self, payload: object) -> IngestResult:
        """Parse a webhook body and store every update in it; return once its rows committed.

        Args:
            payload: The decoded JSON body (any shape: what cannot be understood is stored as
                an ``unknown`` update, never dropped). What no column can hold is cleaned out
                first (see :attr:`IngestResult.cleaned`).

        Raises:
            Unstorable: The data itself is refused (:func:`storage.db.is_permanent_data_error`):
                storing the body again would fail the same way.
            SQLAlchemyError: Any other database failure, passing or lasting until someone acts
                (a read-only replica, a revoked grant, a missing table): nothing was stored,
                try again later.
        """
        rows: list[dict[str, Any]] = []
        try:
            payload, cleaned = clean_json(payload)
            rows = self._rows(payload)
            if not rows:
                return IngestResult(received=0, stored=0, contacts=(), cleaned=tuple(cleaned))
            inserted = self._ingests.submit(rows)
        except Exception as exc:
            if not is_permanent_data_error(exc):
                raise
            wa_id = next((row["wa_id"] for row in rows if row["wa_id"]), None)
            raise Unstorable(type(exc).__name__, wa_id) from exc
        contacts = tuple(dict.fromkeys(wa_id for _, wa_id in inserted))
        receipts = bool(inserted) and self.read_receipts != "off" and _has_messages([rows])
        return IngestResult(len(rows), len(inserted), contacts, receipts, tuple(sorted(cleaned)))

    def quarantine(
        self, raw: bytes, reason: str, detail: str, wa_id: str | None = None
    ) -> int | None:
        """Keep a webhook body as received (:mod:`storage.quarantine`), in its own transaction.

        Args:
            raw: The body's bytes.
            reason: ``unstorable`` (nothing of it was stored) or ``cleaned`` (its updates were
                stored cleaned).
            detail: What went wrong or was cleaned, without the body's values.
            wa_id: The customer it is about, when known.

        Returns:
            The row's id, or ``None`` when these bytes were kept already.

        Raises:
            SQLAlchemyError: The database refused it too.
        """
        with transaction(self.engine, urgent=True) as session:  # Meta waits for the answer
            return quarantine.keep(session, raw, reason, detail, wa_id=wa_id, now=self.clock())

    def _rows(self, payload: object) -> list[dict[str, Any]]:
        """The inbox rows of one webhook body, one per update in it."""
        return [
            {
                "dedupe_key": u.dedupe_key,
                "kind": u.kind,
                "field": _clip(u.field, _ID_COLUMN) or "",
                "wa_id": _clip(u.wa_id, _ID_COLUMN),
                "phone_number_id": _clip(u.phone_number_id, _ID_COLUMN),
                "value": u.raw_value,
            }
            for u in inbound.parse_payload(payload)
        ]

    def _store(self, bodies: Sequence[list[dict[str, Any]]]) -> list[list[tuple[int, str | None]]]:
        """Store the rows of several webhook bodies in one transaction (group commit)."""
        now = self.clock()
        with transaction(self.engine, urgent=True) as session:  # Meta waits for the answer
            stored = inbox.store_batches(session, bodies, now=now)
            if self.read_receipts != "off" and _has_messages(bodies):
                ids = [row_id for batch in stored for row_id, _ in batch]
                typing = self.read_receipts == "typing"
                outbox.queue_receipts(session, ids, typing=typing, now=now)
            return stored

    def process_one(self, wa_id: str | None) -> Processed | None:
        """Process the oldest pending update of one contact, in one transaction.

        Args:
            wa_id: The contact, or ``None`` for updates about no contact.

        Returns:
            The outcome (its ``more`` says whether further updates wait), or ``None`` when the
            contact had nothing pending that is due now.

        Raises:
            SQLAlchemyError: The database refused the turn. The update stays pending (see the
                module docstring for when it is retried and when given up).
        """
        callbacks: list[Callable[[], None]] = []
        started = time.perf_counter()
        try:
            with transaction(self.engine) as session:
                result = self._turn(session, wa_id, callbacks, self.clock())
        except SQLAlchemyError as exc:
            self._record_storage_failure(wa_id, exc)
            raise
        metrics.turns_done((result,), started)
        _run_after_commit(callbacks)
        return result

    def process_batch(self, wa_ids: Sequence[str | None]) -> dict[str | None, Processed | None]:
        """Process the oldest pending update of several contacts in one shared transaction.

        One commit serves every turn, each still all-or-nothing for its contact. If the database
        refuses the shared transaction, every contact is processed again on its own with
        :meth:`process_one`, so a failure is handled for the update that caused it alone.

        Args:
            wa_ids: Distinct contacts (``None``: updates about no contact).

        Returns:
            Each contact's outcome; ``None`` when it had nothing due, or when the database
            refused its turn on its own too (it stays pending; the error is logged).
        """
        if len(wa_ids) > 1:
            callbacks: list[Callable[[], None]] = []
            results: dict[str | None, Processed | None] = {}
            now = self.clock()
            started = time.perf_counter()
            try:
                with transaction(self.engine) as session:
                    # One lock order for every batch: two of them cannot deadlock on PostgreSQL.
                    for wa_id in sorted(wa_ids, key=lambda w: (w is not None, w or "")):
                        results[wa_id] = self._turn(session, wa_id, callbacks, now)
            except SQLAlchemyError as exc:
                log.info(
                    "a shared transaction of %d turns failed (%s); retrying them one by one",
                    len(wa_ids),
                    type(exc).__name__,
                )
            else:
                metrics.turns_done(results.values(), started)
                _run_after_commit(callbacks)
                return results
        outcomes: dict[str | None, Processed | None] = {}
        for wa_id in wa_ids:
            try:
                outcomes[wa_id] = self.process_one(wa_id)
            except SQLAlchemyError:
                log.exception("the database refused a turn for %s; it stays pending", mask(wa_id))
                outcomes[wa_id] = None
        return outcomes

    def _turn(
        self,
        session: Session,
        wa_id: str | None,
        callbacks: list[Callable[[], None]],
        now: datetime,
    ) -> Processed | None:
        """One contact's oldest due update, inside the caller's transaction."""
        contact = inbox.lock_contact(session, wa_id, now=now) if wa_id else None
        head = inbox.pending_head(session, wa_id, 2)
        if not head or _waiting(head[0], now):
            return None
        result = self._process_row(session, head[0], contact, callbacks, now)
        return replace(result, more=True) if len(head) > 1 else result

    # -- a turn the database refused ------------------------------------------------------

    def _record_storage_failure(self, wa_id: str | None, exc: SQLAlchemyError) -> None:
        """Back a refused turn's update off, or give it up and apologise.

        Giving up keeps a poison update from blocking the contact's later messages for ever.
        """
        now = self.clock()
        exc = _underlying(exc)
        transient = not is_permanent_data_error(exc)  # the webhook's rule too
        try:
            with transaction(self.engine) as session:
                row = inbox.next_pending(session, wa_id)
                if row is None:
                    return
                row.attempts += 1
                row.error = f"{type(exc).__name__}: {exc}"[:2000]
                if transient:
                    give_up = now - row.received_at >= self.storage_retry_for
                else:
                    give_up = row.attempts >= MAX_STORAGE_ATTEMPTS
                if give_up:
                    row.state, row.processed_at, row.retry_at = "failed", now, None
                    log.error(
                        "update %s for %s refused by the database %d times; marked failed: %s",
                        row.id,
                        mask(wa_id),
                        row.attempts,
                        type(exc).__name__,
                    )
                    self._apologise_for(session, row, now)
                elif transient:
                    delay = _STORAGE_BACKOFF.delay(row.attempts)
                    row.retry_at = now + timedelta(seconds=delay)
                    log.warning(
                        "update %s for %s: passing database failure (%s: %s); retry in %.0f s",
                        row.id,
                        mask(wa_id),
                        type(exc).__name__,
                        database_reason(exc),
                        delay,
                    )
                session.add(row)
        except SQLAlchemyError:
            log.exception("could not record a storage failure for %s", mask(wa_id))

    def _apologise_for(self, session: Session, row: InboundUpdate, now: datetime) -> None:
        """Queue the apology for a message given up outside the handler's savepoint."""
        message = inbound.parse_value(row.field, row.value)[0]  # never empty
        if isinstance(message, inbound.Message) and row.wa_id:
            contact = inbox.lock_contact(session, row.wa_id, now=now)
            self._apologise(session, contact, message, row, now)

    def _apologise(
        self,
        session: Session,
        contact: Contact,
        message: inbound.Message,
        row: InboundUpdate,
        now: datetime,
    ) -> None:
        # A rollback undid the contact's new last_inbound_at too; the customer did write, so
        # the window is open, and without this a first-time customer's apology would be
        # refused by the sender as "outside the 24-hour window".
        _reopen_window(session, contact, message, now)
        outbox.enqueue(
            session,
            contact.wa_id,
            [messages.text(contact.wa_id, self.apology)],
            inbound_id=row.id,
            now=now,
        )

    def process_contact(self, wa_id: str | None) -> list[Processed]:
        """Process a contact's pending updates in arrival order until none is left."""
        done: list[Processed] = []
        while (result := self.process_one(wa_id)) is not None:
            done.append(result)
            if not result.more:
                break  # the same transaction saw nothing behind it: no empty pass
        return done

    # -- one update -------------------------------------------------------------------------

    def _process_row(
        self,
        session: Session,
        row: InboundUpdate,
        contact: Contact | None,
        callbacks: list[Callable[[], None]],
        now: datetime,
    ) -> Processed:
        assert row.id is not None
        update: inbound.Update | None = None
        replies = 0
        try:
            with session.begin_nested():
                update = inbound.parse_value(row.field, row.value)[0]
                if isinstance(update, inbound.Message) and contact is not None:
                    replies = self._handle_message(session, row, update, contact, now, callbacks)
                else:
                    _apply_update(session, update, contact)
                    for listener in self.listeners:
                        listener(session, update, contact, now)
        except Exception as exc:
            if _database_hiccup(exc):
                raise  # not the update's fault: roll the whole turn back, retry it later
            log.exception(
                "update %s (%s) for %s failed; marked failed", row.id, row.kind, mask(row.wa_id)
            )
            error = f"{type(exc).__name__}: {exc}"[:2000]
            inbox.mark_processed(session, row, "failed", now, error=error)
            apologies = 0
            if isinstance(update, inbound.Message) and contact is not None:
                self._apologise(session, contact, update, row, now)
                apologies = 1
            return Processed(row.id, row.wa_id, row.kind, ok=False, replies=apologies, error=error)
        inbox.mark_processed(session, row, "done", now)
        return Processed(row.id, row.wa_id, row.kind, ok=True, replies=replies)

    def _handle_message(
        self,
        session: Session,
        row: InboundUpdate,
        message: inbound.Message,
        contact: Contact,
        now: datetime,
        callbacks: list[Callable[[], None]],
    ) -> int:
        _remember_contact(contact, message.contact)
        _reopen_window(session, contact, message, now)
        conversation = session.exec(_CONVERSATION, params={"w": contact.wa_id}).first()
        if conversation is None:
            conversation = Conversation(wa_id=contact.wa_id, updated_at=now)
            session.add(conversation)
        turn = Turn(
            session=session, message=message, contact=contact, conversation=conversation, now=now
        )
        self.handler.handle(turn)
        payloads = [_addressed(p, contact.wa_id) for p in turn.replies]
        conversation.last_inbound_at = contact.last_inbound_at
        conversation.updated_at = now
        conversation.version += 1
        session.add(conversation)
        outbox.enqueue_rows(session, contact.wa_id, payloads, inbound_id=row.id, now=now)
        callbacks.extend(turn.after_commit)
        return len(payloads)


# -- updates that are not messages, and failures -------------------------------------------


def _apply_update(
    session: Session,
    update: inbound.Update | None,
    contact: Contact | None,
) -> None:
    """Apply an update that is not a customer message: store a status, flip an opt-out, log."""
    if isinstance(update, inbound.Status):
        record_status(  # cut to the columns: no message of ours has a longer id or status
            session,
            update.id[:_WAMID_COLUMN],
            update.status[:_STATUS_COLUMN],
            at=update.timestamp,
            recipient_id=_clip(update.recipient_id, _ID_COLUMN),
            errors=[
                {"code": e.code, "title": e.title, "details": e.details} for e in update.errors
            ],
            pricing=asdict(update.pricing) if update.pricing else None,
            callback_data=update.biz_opaque_callback_data,
        )
        if update.status == "failed":
            log.warning(
                "message to %s failed: %s",
                mask(update.recipient_id),
                "; ".join(f"{e.code} {e.title or e.message}" for e in update.errors) or "?",
            )
    elif isinstance(update, inbound.UserPreference) and contact is not None:
        changed = contact.marketing_changed_at
        stale = changed is not None and changed > update.timestamp
        # Meta does not guarantee order: an older stop/resume delivered late is ignored.
        if update.value in ("stop", "resume") and not stale:
            contact.marketing_opt_out = update.value == "stop"
            contact.marketing_changed_at = update.timestamp
            session.add(contact)
    elif isinstance(update, inbound.MessageEcho):
        log.info("%s was answered from the WhatsApp Business app", mask(update.to))
    elif isinstance(update, inbound.ValueErrors):
        log.warning(
            "Meta reported errors: %s",
            "; ".join(f"{e.code} {e.title or e.message}: {e.details}" for e in update.errors),
        )
    else:
        kind = type(update).__name__ if update is not None else "nothing"
        log.info("stored update of kind %s needs no processing", kind)


def _database_hiccup(exc: BaseException) -> bool:
    """True when a handler's failure comes from a database failure not caused by the data
    (:func:`storage.db.is_permanent_data_error`), even wrapped.

    The handler may have caught the database's exception and raised its own, and on PostgreSQL
    every statement after a deadlock fails with "transaction is aborted": follow the chain.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, SQLAlchemyError) and not is_permanent_data_error(current):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _reopen_window(
    session: Session, contact: Contact, message: inbound.Message, now: datetime
) -> None:
    """Move ``last_inbound_at`` (the 24-hour window) forward to the message's send time, and
    release the messages held for the contact if their window had closed.

    A message is held only while the window is closed, so with the customer's previous message
    less than :data:`_HELD_AFTER` old nothing can be held and the turn costs no extra query.
    """
    sent_at = min(message.timestamp, now + _MAX_SKEW)
    last = contact.last_inbound_at
    if last is None or last < sent_at:
        contact.last_inbound_at = sent_at
    session.add(contact)
    if last is None or sent_at - last > _HELD_AFTER:
        outbox.release_held(session, contact.wa_id, now)


def _run_after_commit(callbacks: list[Callable[[], None]]) -> None:
    for callback in callbacks:
        try:
            callback()
        except Exception:
            log.exception("after-commit callback failed")


def _waiting(row: InboundUpdate, now: datetime) -> bool:
    """True while an update backs off after a passing database failure."""
    return row.retry_at is not None and row.retry_at > now


def _has_messages(bodies: Sequence[list[dict[str, Any]]]) -> bool:
    """Whether any row stored is a customer message (a status-only body queues no receipt)."""
    return any(row["kind"] == "message" for rows in bodies for row in rows)


def _remember_contact(contact: Contact, sender: inbound.Contact | None) -> None:
    """Keep the sender's profile name and user id, cut to their columns.

    A profile name is whatever the customer typed in WhatsApp: one too long for its column, or
    holding what no column can hold (an update stored before ingest cleaned it), must not fail
    every turn of that customer.
    """
    if sender is None:
        return
    if sender.name:
        contact.name = _clip(clean_json(sender.name)[0], _NAME_COLUMN)
    if sender.user_id:
        contact.user_id = _clip(clean_json(sender.user_id)[0], _USER_ID_COLUMN)


_NAME_COLUMN = 256
_USER_ID_COLUMN = 256
_WAMID_COLUMN = 200
_STATUS_COLUMN = 16
_ID_COLUMN = 64  # the inbox's field, wa_id and phone_number_id; a status's recipient


def _clip(value: str | None, size: int) -> str | None:
    """Fit an identifier taken from the payload into its column (garbage can be any length)."""
    return value[:size] if value else None


def _addressed(payload: dict[str, Any], wa_id: str) -> dict[str, Any]:
    """Address a reply to the contact; check it against WhatsApp's limits unless a builder did."""
    addressed = payload if payload.get("to") == wa_id else messages.with_recipient(payload, wa_id)
    check_unless_built(addressed)
    return addressed


def _underlying(exc: SQLAlchemyError) -> SQLAlchemyError:
    """The database error that started it all: SQLite rolls a transaction back by itself on
    some errors (a full disk), and undoing the turn's savepoint then fails with "no such
    savepoint", which would hide the full disk in the log and in its classification."""
    found = exc
    for _ in range(8):  # a few links at most; a cycle ends here too
        if not isinstance(found.__context__, SQLAlchemyError):
            break
        found = found.__context__
    return found


__all__ = [
    "DEFAULT_APOLOGY",
    "MAX_STORAGE_ATTEMPTS",
    "STORAGE_RETRY_FOR",
    "IngestResult",
    "Processed",
    "Processor",
    "Unstorable",
]
