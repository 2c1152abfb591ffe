"""Turning stored updates into conversation turns, one transaction per update.

``ingest`` parses a webhook body and stores every update it holds in one transaction (the
webhook answers 200 only after that commit). ``process_one`` then takes a contact's oldest
pending update under the contact's lock and, in one transaction, applies it: a message goes to
the :class:`~bot.turn.Handler`, whose replies, new conversation state and business records are
committed together with the update's ``done`` mark. If the handler fails, its writes are rolled
back to a savepoint, the update is marked ``failed`` with the error, and the customer gets an
apology instead of silence (never a stack trace).

A database failure is different: the whole turn is rolled back and the update stays pending.
A passing one (lost connection, deadlock, serialization failure, a locked or busy file, see
:func:`storage.db.is_transient_error`) is retried with a growing back-off for as long as
:attr:`Processor.storage_retry_for` after the update arrived; one caused by the data (a value
the database refuses) is retried :data:`MAX_STORAGE_ATTEMPTS` times. Either way, an update given
up is marked ``failed`` and its customer gets the apology.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from bot import inbound, messages
from bot.config import mask
from bot.turn import Handler, Turn
from storage import inbox, outbox
from storage.db import is_transient_error, read_session, transaction
from storage.models import Contact, Conversation, InboundUpdate, utcnow
from storage.statuses import record_status

log = logging.getLogger(__name__)

MAX_STORAGE_ATTEMPTS = 5
"""Turns the database may refuse *because of the data* for one update before it is failed."""

STORAGE_RETRY_FOR = timedelta(hours=1)
"""How long after its arrival an update keeps being retried through passing database failures."""

_MAX_STORAGE_BACKOFF = 300.0

DEFAULT_APOLOGY = "Sorry, something went wrong on our side. Please try again in a moment."

# A message timestamp may not open the window further into the future than this (clock skew).
_MAX_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class IngestResult:
    """What one webhook body added to the inbox.

    Attributes:
        received: Updates found in the body.
        stored: Updates newly stored (the rest were redeliveries).
        contacts: The contacts (``None``: updates about no contact) that got new updates.
    """

    received: int
    stored: int
    contacts: tuple[str | None, ...]


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
    """

    engine: Engine
    handler: Handler
    clock: Callable[[], datetime] = utcnow
    apology: str = DEFAULT_APOLOGY
    storage_retry_for: timedelta = STORAGE_RETRY_FOR
    _after_commit: list[Callable[[], None]] = field(default_factory=list, repr=False)

    def ingest(self, payload: object) -> IngestResult:
        """Parse a webhook body and store every update in it, in one transaction.

        Args:
            payload: The decoded JSON body (any shape: what cannot be understood is stored as
                an ``unknown`` update, never dropped).

        Returns:
            What was stored.
        """
        updates = inbound.parse_payload(payload)
        rows = [
            {
                "dedupe_key": u.dedupe_key,
                "kind": u.kind,
                "field": _clip(u.field, 64) or "",
                "wa_id": _clip(u.wa_id, 64),
                "phone_number_id": _clip(u.phone_number_id, 64),
                "value": u.raw_value,
            }
            for u in updates
        ]
        if not rows:
            return IngestResult(received=0, stored=0, contacts=())
        with transaction(self.engine) as session:
            inserted = inbox.store_updates(session, rows, now=self.clock())
        contacts = tuple(dict.fromkeys(wa_id for _, wa_id in inserted))
        return IngestResult(received=len(rows), stored=len(inserted), contacts=contacts)

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
        now = self.clock()
        try:
            with transaction(self.engine) as session:
                contact = inbox.lock_contact(session, wa_id, now=now) if wa_id else None
                head = inbox.pending_head(session, wa_id, 2)
                if not head or _waiting(head[0], now):
                    return None
                result = self._process_row(session, head[0], contact, callbacks, now)
                if len(head) > 1:
                    result = replace(result, more=True)
        except SQLAlchemyError as exc:
            self._record_storage_failure(wa_id, exc)
            raise
        for callback in callbacks:
            try:
                callback()
            except Exception:
                log.exception("after-commit callback failed for update %s", result.update_id)
        return result

    def _record_storage_failure(self, wa_id: str | None, exc: SQLAlchemyError) -> None:
        """Note a turn the database refused; back off, or give the update up and apologise.

        Without a limit, one update the database can never store (a poison update) would stay
        at the head of its contact's queue and block every later message of that contact; with
        a count only, a database outage of a few seconds would fail every update it touched.
        """
        transient = is_transient_error(exc)
        now = self.clock()
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
                    delay = min(2.0 ** (row.attempts - 1), _MAX_STORAGE_BACKOFF)
                    row.retry_at = now + timedelta(seconds=delay)
                    log.warning(
                        "update %s for %s: passing database failure (%s); retry in %.0f s",
                        row.id,
                        mask(wa_id),
                        type(exc).__name__,
                        delay,
                    )
                session.add(row)
        except SQLAlchemyError:
            log.exception("could not record a storage failure for %s", mask(wa_id))

    def _apologise_for(self, session: Session, row: InboundUpdate, now: datetime) -> None:
        """Queue the apology for a message given up outside the handler's savepoint."""
        parsed = inbound.parse_value(row.field, row.value) if row.wa_id else []
        message = parsed[0] if parsed else None
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
        _note_inbound(contact, message, now)
        session.add(contact)
        outbox.enqueue(
            session,
            contact.wa_id,
            [messages.text(contact.wa_id, self.apology)],
            inbound_id=row.id,
            now=now,
        )

    def process_contact(self, wa_id: str | None, limit: int | None = None) -> list[Processed]:
        """Process a contact's pending updates in arrival order until none is left."""
        done: list[Processed] = []
        while limit is None or len(done) < limit:
            result = self.process_one(wa_id)
            if result is None:
                break
            done.append(result)
            if not result.more:
                break  # the same transaction saw nothing behind it: no empty pass
        return done

    def process_pending(self) -> list[Processed]:
        """Process every pending update of every contact (start-up recovery, tests)."""
        with read_session(self.engine) as session:
            contacts = inbox.pending_contacts(session, limit=10_000, now=self.clock())
        done: list[Processed] = []
        for wa_id in contacts:
            done.extend(self.process_contact(wa_id))
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
                parsed = inbound.parse_value(row.field, row.value)
                update = parsed[0] if parsed else None
                if isinstance(update, inbound.Message) and contact is not None:
                    replies = self._handle_message(session, row, update, contact, now, callbacks)
                else:
                    self._apply_other(session, update, contact, now)
        except Exception as exc:
            if _database_hiccup(exc):
                raise  # not the update's fault: roll the whole turn back, retry it later
            log.exception(
                "update %s (%s) for %s failed; marked failed", row.id, row.kind, mask(row.wa_id)
            )
            row.state = "failed"
            row.error = f"{type(exc).__name__}: {exc}"[:2000]
            row.attempts += 1
            row.processed_at = now
            row.retry_at = None
            session.add(row)
            apologies = 0
            if isinstance(update, inbound.Message) and contact is not None:
                self._apologise(session, contact, update, row, now)
                apologies = 1
            return Processed(
                row.id, row.wa_id, row.kind, ok=False, replies=apologies, error=row.error
            )
        row.state = "done"
        row.attempts += 1
        row.processed_at = now
        row.retry_at = None
        session.add(row)
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
        _remember_contact(contact, message, now)
        session.add(contact)
        conversation = session.exec(
            select(Conversation).where(Conversation.wa_id == contact.wa_id)
        ).first()
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
        outbox.enqueue(session, contact.wa_id, payloads, inbound_id=row.id, now=now)
        callbacks.extend(turn.after_commit)
        return len(payloads)

    def _apply_other(
        self,
        session: Session,
        update: inbound.Update | None,
        contact: Contact | None,
        now: datetime,
    ) -> None:
        if isinstance(update, inbound.Status):
            record_status(
                session,
                update.id,
                update.status,
                at=update.timestamp,
                recipient_id=update.recipient_id,
                errors=[_error_dict(e) for e in update.errors],
                pricing=_pricing_dict(update.pricing),
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
        elif isinstance(update, inbound.ValueErrors):
            log.warning(
                "Meta reported errors: %s",
                "; ".join(f"{e.code} {e.title or e.message}: {e.details}" for e in update.errors),
            )
        else:
            kind = type(update).__name__ if update is not None else "nothing"
            log.info("stored update of kind %s needs no processing", kind)


def _remember_contact(contact: Contact, message: inbound.Message, now: datetime) -> None:
    if message.contact is not None:
        if message.contact.name:
            contact.name = message.contact.name
        if message.contact.user_id:
            contact.user_id = message.contact.user_id
    _note_inbound(contact, message, now)


def _note_inbound(contact: Contact, message: inbound.Message, now: datetime) -> None:
    """Move ``last_inbound_at`` (the 24-hour window) forward to the message's send time."""
    sent_at = min(message.timestamp, now + _MAX_SKEW)
    if contact.last_inbound_at is None or contact.last_inbound_at < sent_at:
        contact.last_inbound_at = sent_at


def _waiting(row: InboundUpdate, now: datetime) -> bool:
    """True while an update backs off after a passing database failure."""
    return row.retry_at is not None and row.retry_at > now


def _database_hiccup(exc: BaseException) -> bool:
    """True when a handler's failure comes from a passing database failure, even wrapped.

    The handler may have caught the database's exception and raised its own, and on PostgreSQL
    every statement after a deadlock fails with "transaction is aborted": follow the chain.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, SQLAlchemyError) and is_transient_error(current):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _clip(value: str | None, size: int) -> str | None:
    """Fit an identifier taken from the payload into its column (garbage can be any length)."""
    return value[:size] if value else None


def _addressed(payload: dict[str, Any], wa_id: str) -> dict[str, Any]:
    """Address a reply to the contact and check it against WhatsApp's limits before storing it."""
    addressed = payload if payload.get("to") == wa_id else messages.with_recipient(payload, wa_id)
    messages.check(addressed)
    return addressed


def _error_dict(error: inbound.ErrorInfo) -> dict[str, Any]:
    return {"code": error.code, "title": error.title, "details": error.details}


def _pricing_dict(pricing: inbound.Pricing | None) -> dict[str, Any] | None:
    if pricing is None:
        return None
    return {
        "billable": pricing.billable,
        "pricing_model": pricing.pricing_model,
        "type": pricing.type,
        "category": pricing.category,
    }


def pending_count(engine: Engine) -> int:
    """How many inbound updates wait for processing."""
    with read_session(engine) as session:
        return inbox.count_by_state(session).get("pending", 0)


def stored_updates(engine: Engine, kinds: Sequence[str] | None = None) -> list[InboundUpdate]:
    """All stored updates in arrival order (diagnostics and tests)."""
    with read_session(engine) as session:
        query = select(InboundUpdate)
        if kinds:
            query = query.where(InboundUpdate.kind.in_(list(kinds)))  # type: ignore[attr-defined]
        return list(session.exec(query.order_by(InboundUpdate.id)))  # type: ignore[arg-type]


__all__ = [
    "DEFAULT_APOLOGY",
    "IngestResult",
    "Processed",
    "Processor",
    "pending_count",
    "stored_updates",
]
