"""Dates, times and durations of bookings as the customer's language writes them (Babel's CLDR).

Days are written by :class:`flows.Texts`: ``Tue 4 Mar``, ``mar, 4 mar`` in a list
(:meth:`~flows.Texts.day`); ``Tuesday 4 March``, ``martes, 4 de marzo`` in a sentence
(:meth:`~flows.Texts.date`), each language ordering day, month and weekday its own way.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flows import Texts


def day_label(texts: Texts, day: date, *, long: bool = False) -> str:
    """``Tue 4 Mar`` (``Tuesday 4 March`` when ``long``) for a date or a local time, in the
    customer's language (``mar, 4 mar``; ``martes, 4 de marzo``)."""
    if isinstance(day, datetime):
        day = day.date()
    return texts.date(day) if long else texts.day(day)


def weekday(texts: Texts, day: date) -> str:
    """The weekday of ``day``, written in full (``Monday``, ``lunes``)."""
    return texts.date(day, "cccc")


def month(texts: Texts, day: date) -> str:
    """The month of ``day``, written in full (``February``, ``febrero``)."""
    return texts.date(day, "LLLL")


def clock(texts: Texts, moment: datetime) -> str:
    """A local time of day (``10:30``, or ``10:30 AM`` where the locale writes it so)."""
    return texts.time(moment)


def duration(texts: Texts, span: timedelta) -> str:
    """``30 min``, ``1 h``, ``1 h 30 min``."""
    hours, minutes = divmod(int(span.total_seconds() // 60), 60)
    if hours and minutes:
        return texts("{hours} h {minutes} min", hours=hours, minutes=minutes)
    return texts("{hours} h", hours=hours) if hours else texts("{minutes} min", minutes=minutes)
