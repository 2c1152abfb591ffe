"""Reading what staff type in console forms, addresses and files: days, times, row ids.

Every reader answers with the value or raises :class:`FormError` whose message says what to type
instead, so a page shows it and changes nothing: a value staff can type never makes a 500.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from bot.errors import WaflowError
from storage.models import as_utc

MAX_ID = 2**63 - 1
"""The largest id a database integer column holds."""
REACH_YEARS = 100
"""How far from today a typed day may be (further is a typo, and date arithmetic overflows)."""


class FormError(WaflowError):
    """A value typed in a console form or address cannot be used; the message says why."""


def parse_id(text: str | None) -> int | None:
    """The row id ``text`` names (``1`` … :data:`MAX_ID`, ASCII digits), or ``None``."""
    value = (text or "").strip()
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= MAX_ID:
        return None
    return int(value)


def parse_day(text: str | None, today: date, *, what: str = "date") -> date | None:
    """The day ``text`` writes as ``YYYY-MM-DD``, or ``None`` when it is empty.

    Raises:
        FormError: It is not such a day, or it is more than :data:`REACH_YEARS` from ``today``.
    """
    value = (text or "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise FormError(f"The {what} {value[:20]!r} is not a date: use YYYY-MM-DD.") from None
    if abs(day.year - today.year) > REACH_YEARS:
        raise FormError(f"The {what} must be within {REACH_YEARS} years of today.")
    return day


def parse_moment(text: str, zone: tzinfo, now: datetime) -> datetime:
    """The instant ``text`` writes in ISO 8601, aware UTC; without an offset it is in ``zone``.

    The message of the error names no field (``'2026-13-01' is not ...``): callers put theirs
    before it.

    Raises:
        FormError: It is not such a time, or it is more than :data:`REACH_YEARS` from ``now``
            (a typo, and converting a time near year 1 or 9999 to UTC overflows).
    """
    value = text.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise FormError(
            f"{value[:30]!r} is not ISO 8601 (2026-03-14 or 2026-03-14T09:30:00+01:00)"
        ) from None
    if abs(moment.year - now.year) > REACH_YEARS:
        raise FormError(f"{value[:30]!r} is more than {REACH_YEARS} years from now")
    return as_utc(moment.replace(tzinfo=zone) if moment.tzinfo is None else moment)


def parse_days(first: str | None, last: str | None, today: date) -> tuple[date | None, date | None]:
    """A range of days, both included, either end open when empty.

    Raises:
        FormError: An end is not a day (see :func:`parse_day`), or the range ends before it
            starts.
    """
    start = parse_day(first, today, what="start date")
    end = parse_day(last, today, what="end date")
    if start is not None and end is not None and end < start:
        raise FormError("The date range ends before it starts.")
    return start, end


__all__ = [
    "MAX_ID",
    "REACH_YEARS",
    "FormError",
    "parse_day",
    "parse_days",
    "parse_id",
    "parse_moment",
]
