"""Customer tags: short labels staff put on customers (``vip``, ``wholesale``) to pick audiences.

One :class:`CustomerTag` row per customer and tag (unique), added and removed by staff with
``waflow customers tag`` / ``untag`` or on the customer's console page. Tags are folded to
lowercase letters, digits, ``-`` and ``_`` (:func:`clean_tag`), so ``VIP`` and ``vip`` are one.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint, delete
from sqlmodel import Field, Session, SQLModel, col, select

from bot.errors import WaflowError
from flows.features.business.timestamps import as_utc, timestamp
from storage.db import insert_ignoring

MAX_TAG = 40
"""The longest tag."""
_TAG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class TagError(WaflowError, ValueError):
    """A tag that is empty, too long or has characters tags cannot have."""


class CustomerTag(SQLModel, table=True):
    """Tag ``tag`` on customer ``wa_id``.

    Attributes:
        added_at: When staff added it.
        added_by: Who did (a staff e-mail, or ``cli``).
    """

    __tablename__ = "waflow_customer_tag"
    __table_args__ = (UniqueConstraint("wa_id", "tag", name="uq_waflow_customer_tag"),)

    id: int | None = Field(default=None, primary_key=True)
    wa_id: str = Field(max_length=64, index=True)
    tag: str = Field(max_length=MAX_TAG, index=True)
    added_at: datetime = timestamp()
    added_by: str = Field(default="", max_length=256)


_TABLE: Any = CustomerTag.__table__  # type: ignore[attr-defined]


def clean_tag(text: str) -> str:
    """``text`` as a tag: trimmed, lowercase, spaces as ``-``.

    Raises:
        TagError: It is empty, longer than :data:`MAX_TAG` or has other characters than
            letters, digits, ``-`` and ``_``.
    """
    tag = "-".join(text.strip().lower().split())
    if not tag:
        raise TagError("a tag cannot be empty")
    if len(tag) > MAX_TAG:
        raise TagError(f"a tag has at most {MAX_TAG} characters, got {len(tag)}")
    if not _TAG_RE.match(tag):
        raise TagError(
            f"a tag is made of letters, digits, '-' and '_' (starting with a letter or digit), "
            f"got {text.strip()[:MAX_TAG]!r}"
        )
    return tag


def add_tag(session: Session, wa_id: str, tag: str, now: datetime, by: str = "") -> bool:
    """Tag customer ``wa_id`` with ``tag`` (cleaned); ``False`` when they already had it.

    Raises:
        TagError: The tag is not valid (:func:`clean_tag`).
    """
    values = {"wa_id": wa_id, "tag": clean_tag(tag), "added_at": as_utc(now), "added_by": by[:256]}
    stmt = insert_ignoring(session, _TABLE, unique=("wa_id", "tag"), returning=("id",))
    return session.connection().execute(stmt, values).first() is not None


def remove_tag(session: Session, wa_id: str, tag: str) -> bool:
    """Take ``tag`` off customer ``wa_id``; ``False`` when they did not have it.

    Raises:
        TagError: The tag is not valid (:func:`clean_tag`).
    """
    query = delete(CustomerTag).where(
        col(CustomerTag.wa_id) == wa_id, col(CustomerTag.tag) == clean_tag(tag)
    )
    return bool(session.connection().execute(query).rowcount)


def tags_of(session: Session, wa_id: str) -> list[str]:
    """Customer ``wa_id``'s tags, alphabetically."""
    query = select(CustomerTag.tag).where(CustomerTag.wa_id == wa_id).order_by(col(CustomerTag.tag))
    return list(session.exec(query))


def all_tags(session: Session) -> list[str]:
    """Every tag in use, alphabetically."""
    return list(session.exec(select(CustomerTag.tag).distinct().order_by(col(CustomerTag.tag))))


__all__ = [
    "MAX_TAG",
    "CustomerTag",
    "TagError",
    "add_tag",
    "all_tags",
    "clean_tag",
    "remove_tag",
    "tags_of",
]
