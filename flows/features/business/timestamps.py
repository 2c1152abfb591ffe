"""Timestamps in the features' tables: aware UTC, whatever the database hands back.

Every feature's timestamp column is a :class:`storage.models.UTCDateTime` (:func:`timestamp`),
and every time a caller passes in is made aware UTC with :func:`as_utc` before it is compared
or written: SQLite keeps no offset, so a naive value is taken as UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Field

from storage.models import UTCDateTime


def as_utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime; a naive one (SQLite gives those back) is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def timestamp(**kw: Any) -> Any:
    """A SQLModel ``Field`` stored as :class:`~storage.models.UTCDateTime`; keywords go to it."""
    return Field(sa_type=UTCDateTime(), **kw)


__all__ = ["as_utc", "timestamp"]
