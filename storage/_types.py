"""Column types shared by every table: timestamps that are aware UTC on both databases.

SQLite has no timezone-aware timestamp (SQLAlchemy drops the offset and reads naive values), so
:class:`UTCDateTime` writes every value as UTC (naive ones are taken as UTC) and reads UTC back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.types import DateTime, TypeDecorator
from sqlmodel import Field


def as_utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime; a naive one (SQLite gives those back) is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """``DateTime(timezone=True)`` that always stores and returns aware UTC datetimes.

    Use it (or :func:`utc_field`) for every timestamp column; query comparisons such as
    ``column <= now`` go through it too, so they compare instants on both databases.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Write UTC: aware values are converted, naive ones are taken as UTC."""
        if value is None:
            return None
        moment = as_utc(value)
        return moment.replace(tzinfo=None) if dialect.name == "sqlite" else moment

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Read aware UTC whatever the database returned."""
        return None if value is None else as_utc(value)

    @property
    def python_type(self) -> type[datetime]:
        """Values are :class:`datetime.datetime`."""
        return datetime


def utc_field(**kw: Any) -> Any:
    """A SQLModel ``Field`` of type :class:`UTCDateTime`; keyword arguments go to ``Field``."""
    return Field(sa_type=UTCDateTime(), **kw)
