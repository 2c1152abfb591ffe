"""What processing does when the database, not the handler, refuses a turn.

The turn was rolled back whole and its update is still pending. A passing failure (see
:func:`storage.db.is_transient_error`: a lost connection, a deadlock, a locked file) backs the
update off, 1, 2, 4 … 300 s, through its ``retry_at``; it is given up only when it is still
refused :data:`STORAGE_RETRY_FOR` after it arrived. A failure caused by the data is retried
:data:`MAX_STORAGE_ATTEMPTS` times. An update given up is marked ``failed`` and its customer
gets the apology, so one update the database can never store (a poison update) does not block
the contact's later messages for ever.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from bot._ratelimit import Backoff
from bot.config import mask
from storage import inbox
from storage.db import is_transient_error, transaction
from storage.models import InboundUpdate

log = logging.getLogger(__name__)

MAX_STORAGE_ATTEMPTS = 5
"""Turns the database may refuse *because of the data* for one update before it is failed."""

STORAGE_RETRY_FOR = timedelta(hours=1)
"""How long after its arrival an update keeps being retried through passing database failures."""

_STORAGE_BACKOFF = Backoff(1.0, 300.0)  # 1, 2, 4 … 300 s, no jitter: one row, one contact


def record_storage_failure(
    engine: Engine,
    wa_id: str | None,
    exc: SQLAlchemyError,
    *,
    now: datetime,
    retry_for: timedelta,
    apologise: Callable[[Session, InboundUpdate, datetime], None],
) -> None:
    """Note a turn the database refused; back off, or give the update up and apologise.

    Args:
        engine: The database.
        wa_id: The contact whose oldest pending update the turn was for.
        exc: What the database raised.
        now: The time of the failure.
        retry_for: How long after its arrival a passing failure is retried.
        apologise: Queues the apology for a given-up message, in the given transaction.
    """
    transient = is_transient_error(exc)
    try:
        with transaction(engine) as session:
            row = inbox.next_pending(session, wa_id)
            if row is None:
                return
            row.attempts += 1
            row.error = f"{type(exc).__name__}: {exc}"[:2000]
            if transient:
                give_up = now - row.received_at >= retry_for
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
                apologise(session, row, now)
            elif transient:
                delay = _STORAGE_BACKOFF.delay(row.attempts)
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


def database_hiccup(exc: BaseException) -> bool:
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


__all__ = ["MAX_STORAGE_ATTEMPTS", "STORAGE_RETRY_FOR", "database_hiccup", "record_storage_failure"]
