"""Webhook bodies kept as received: those not parsed or not stored, and cleaned ones' originals.

A correctly signed body that is not JSON, or whose data the database refuses for good
(:func:`storage.db.is_permanent_data_error`), is kept here whole and answered 200, so Meta does
not deliver it again for days; a body whose updates were stored cleaned (:mod:`bot._clean`)
keeps its original here too. The body is stored as text any column holds: its bytes as UTF-8,
with every byte that is not (NUL, invalid UTF-8) and every backslash written ``\\xNN``
(a backslash is ``\\x5c``), so :func:`raw_body` gives the exact bytes back for any body
(``waflow db quarantine ID --raw`` writes them, to replay them once fixed).
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.db import insert_ignoring
from storage.models import QuarantinedBody, utcnow

UNPARSABLE = "unparsable"
UNSTORABLE = "unstorable"
CLEANED = "cleaned"

_TABLE: Any = QuarantinedBody.__table__  # type: ignore[attr-defined]
_ESCAPED = re.compile(r"\\x([0-9a-f]{2})")


def body_text(raw: bytes) -> str:
    """``raw`` as text any column holds: UTF-8; backslashes, NUL and other bytes ``\\xNN``.

    A backslash is never part of a multi-byte UTF-8 sequence, so escaping it first leaves every
    backslash of the text the start of an escape, and :func:`raw_body` reads them unambiguously.
    """
    escaped = raw.replace(b"\\", b"\\x5c").replace(b"\x00", b"\\x00")
    return escaped.decode("utf-8", "backslashreplace")


def raw_body(text: str) -> bytes:
    """The exact bytes :func:`body_text` was given."""
    parts = _ESCAPED.split(text)  # text, hex, text, hex, ..., text
    return b"".join(
        bytes.fromhex(part) if i % 2 else part.encode("utf-8") for i, part in enumerate(parts)
    )


def keep(
    session: Session,
    raw: bytes,
    reason: str,
    detail: str,
    *,
    wa_id: str | None = None,
    now: datetime | None = None,
) -> int | None:
    """Store a body as received, once (a redelivery of the same bytes adds nothing).

    Args:
        session: An open transaction.
        raw: The body's bytes, as received.
        reason: :data:`UNPARSABLE`, :data:`UNSTORABLE` or :data:`CLEANED`.
        detail: What went wrong or was cleaned, without the body's values.
        wa_id: The customer the body is about, when known (for privacy requests).
        now: Its ``received_at`` (the wall clock by default).

    Returns:
        The new row's id, or ``None`` when these bytes were already kept.
    """
    row = {
        "digest": hashlib.sha256(raw).hexdigest(),
        "reason": reason,
        "detail": detail[:200],
        "wa_id": wa_id[:64] if wa_id else None,
        "body": body_text(raw),
        "received_at": now or utcnow(),
    }
    conn = session.connection()
    stmt = insert_ignoring(conn, _TABLE, unique=["digest"], returning=["id"])
    found = conn.execute(stmt, [row]).first()
    return int(found[0]) if found is not None else None


def count_by_reason(session: Session) -> dict[str, int]:
    """How many bodies are kept for each reason."""
    query = select(QuarantinedBody.reason, func.count()).group_by(col(QuarantinedBody.reason))
    return {reason: int(n) for reason, n in session.exec(query)}


def latest(session: Session, limit: int = 20) -> list[QuarantinedBody]:
    """The ``limit`` bodies kept last, newest first."""
    query = select(QuarantinedBody).order_by(col(QuarantinedBody.id).desc()).limit(limit)
    return list(session.exec(query))


__all__ = [
    "CLEANED",
    "UNPARSABLE",
    "UNSTORABLE",
    "body_text",
    "count_by_reason",
    "keep",
    "latest",
    "raw_body",
]
