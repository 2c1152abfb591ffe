"""The inbound inbox: durable, de-duplicated storage of every update Meta sends, in arrival order.

A redelivered message is dropped by the database itself (``ON CONFLICT DO NOTHING`` on
``dedupe_key``), whichever process receives it. Processing takes a contact's oldest pending row
under the contact's lock, which keeps per-contact order; a row with a ``retry_at`` holds back
itself and every later row of its contact until then.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, bindparam, func, or_, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from storage._types import UTCDateTime
from storage.db import insert_ignoring, is_postgres
from storage.models import Contact, InboundUpdate, utcnow

_INBOUND: Any = InboundUpdate.__table__  # type: ignore[attr-defined]
_CONTACT: Any = Contact.__table__  # type: ignore[attr-defined]


# Built once: the hot path only binds values (no statement building, no cache-key work).
_CONTACT_BY_WA_ID = select(Contact).where(Contact.wa_id == bindparam("w"))
_LOCK_CONTACT = {False: _CONTACT_BY_WA_ID, True: _CONTACT_BY_WA_ID.with_for_update()}


def _pending_head_query(*, no_contact: bool, skip_locked: bool) -> Any:
    query = select(InboundUpdate).where(InboundUpdate.state == "pending")
    if no_contact:
        query = query.where(col(InboundUpdate.wa_id).is_(None))
    else:
        query = query.where(InboundUpdate.wa_id == bindparam("w"))
    query = query.order_by(col(InboundUpdate.id)).limit(bindparam("n", type_=Integer()))
    return query.with_for_update(skip_locked=True) if skip_locked else query


_PENDING_HEAD = {
    (no_contact, skip): _pending_head_query(no_contact=no_contact, skip_locked=skip)
    for no_contact, skip in ((False, False), (True, False), (True, True))
}


def store_batches(
    session: Session, batches: Sequence[Sequence[dict[str, Any]]], *, now: datetime | None = None
) -> list[list[tuple[int, str | None]]]:
    """Insert the updates of several webhook bodies in one statement, skipping those already stored.

    Args:
        session: An open transaction.
        batches: For each body, column values for :class:`InboundUpdate` (``dedupe_key``,
            ``kind``, ``field``, ``wa_id``, ``phone_number_id``, ``value``).
        now: Their ``received_at`` (the wall clock by default).

    Returns:
        For each batch, ``(id, wa_id)`` of its rows actually inserted, in arrival order. A key
        repeated across batches counts for the first batch that holds it.
    """
    now = now or utcnow()
    params = [{**row, "received_at": now} for rows in batches for row in rows]
    if not params:
        return [[] for _ in batches]
    conn = session.connection()
    stmt = insert_ignoring(
        conn, _INBOUND, unique=["dedupe_key"], returning=["id", "wa_id", "dedupe_key"]
    )
    # One cached statement; SQLAlchemy batches the rows into multi-row VALUES (insertmanyvalues).
    stored = {r[2]: (int(r[0]), r[1]) for r in conn.execute(stmt, params)}
    found: list[list[tuple[int, str | None]]] = []
    for rows in batches:
        mine = [stored.pop(row["dedupe_key"]) for row in rows if row["dedupe_key"] in stored]
        found.append(sorted(mine))
    return found


def lock_contact(session: Session, wa_id: str, *, now: datetime | None = None) -> Contact:
    """Return the contact row, created if missing, locked for this transaction.

    On PostgreSQL ``SELECT … FOR UPDATE`` serialises one contact's turns across processes; on
    SQLite the transaction already holds the write lock. A returning customer costs one SELECT.
    """
    query = _LOCK_CONTACT[is_postgres(session)]
    found = session.exec(query, params={"w": wa_id}).first()
    if found is not None:
        return found
    conn = session.connection()
    values = {"wa_id": wa_id, "created_at": now or utcnow()}  # column defaults fill the rest
    conn.execute(insert_ignoring(conn, _CONTACT, unique=["wa_id"]), [values])
    return session.exec(query, params={"w": wa_id}).one()


_MARK = (
    update(_INBOUND)
    .where(_INBOUND.c.id == bindparam("b_id"))
    .values(
        state=bindparam("b_state", type_=String()),
        attempts=_INBOUND.c.attempts + 1,
        processed_at=bindparam("b_at", type_=UTCDateTime()),
        retry_at=None,
        error=bindparam("b_error", type_=String()),
    )
)


def mark_processed(
    session: Session, row: InboundUpdate, state: str, now: datetime, *, error: str | None = None
) -> None:
    """Mark an update ``done`` or ``failed`` (one more attempt) with a plain ``UPDATE``.

    ``row`` is brought in step without being marked dirty.
    """
    params = {"b_id": row.id, "b_state": state, "b_at": now, "b_error": error}
    session.connection().execute(_MARK, params)
    for name, value in (
        ("state", state),
        ("attempts", row.attempts + 1),
        ("processed_at", now),
        ("retry_at", None),
        ("error", error),
    ):
        set_committed_value(row, name, value)


def next_pending(session: Session, wa_id: str | None) -> InboundUpdate | None:
    """The oldest pending update of one contact (``None``: updates about no contact)."""
    return next(iter(pending_head(session, wa_id, 1)), None)


def pending_head(session: Session, wa_id: str | None, limit: int = 2) -> list[InboundUpdate]:
    """The ``limit`` oldest pending updates of one contact (``None``: updates about no contact).

    Two tell the caller in one query whether more work waits behind the first.
    """
    query = _PENDING_HEAD[(wa_id is None, wa_id is None and is_postgres(session))]
    return list(session.exec(query, params={"w": wa_id, "n": limit}))


def pending_contacts(
    session: Session, limit: int = 500, *, now: datetime | None = None
) -> list[str | None]:
    """Contacts (``None``: no contact) whose oldest pending update is due, longest-waiting first.

    Given ``now``, a contact whose oldest pending update waits for its ``retry_at`` is left out.
    """
    heads = (
        select(func.min(InboundUpdate.id).label("id"))
        .where(InboundUpdate.state == "pending")
        .group_by(col(InboundUpdate.wa_id))
        .subquery()
    )
    query = select(InboundUpdate.wa_id).join(heads, col(InboundUpdate.id) == heads.c.id)
    if now is not None:
        query = query.where(
            or_(col(InboundUpdate.retry_at).is_(None), col(InboundUpdate.retry_at) <= now)
        )
    return list(session.exec(query.order_by(col(InboundUpdate.id)).limit(limit)))


def count_by_state(session: Session) -> dict[str, int]:
    """How many inbound updates are in each state (pending, done, failed)."""
    query = select(InboundUpdate.state, func.count()).group_by(col(InboundUpdate.state))
    return {state: int(n) for state, n in session.exec(query)}


__all__ = [
    "count_by_state",
    "lock_contact",
    "mark_processed",
    "next_pending",
    "pending_contacts",
    "pending_head",
    "store_batches",
]
