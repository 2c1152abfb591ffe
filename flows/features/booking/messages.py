"""Booking in a chat: list messages for services, days and times, and reading what came back.

Pure functions over :class:`~flows.features.booking.booking.Bookings`: rows for services
(``svc:<id>``), days (``day:2025-03-04``) and times (``time:20250304T0900Z``), a booking's
one-line summary, and readers of the customer's pick or typed service name, date (``14/03``,
``tomorrow``, ``friday``, ``mañana``, ``martes``...) or time (``10:30``, ``3pm``), which return
the value or raise a :class:`~flows.features.booking.booking.BookingError` whose text can be
sent back. Every text is written with the customer's :class:`~flows.Texts`: their language's
words (service titles too, which the business's catalog may translate), dates and amounts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from bot import messages
from bot.messages import Row
from flows import Texts, english_moment, parse_time
from flows.features.booking._words import clock, day_label, duration, month
from flows.features.booking.booking import BookingError, Bookings
from flows.features.booking.models import Booking
from flows.features.business import PAGE_PREFIX, Service, shorten
from flows.features.business.timestamps import as_utc

SERVICE_PREFIX = "svc:"
DAY_PREFIX = "day:"
TIME_PREFIX = "time:"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_TIME_ID = "%Y%m%dT%H%MZ"
_RECENT = timedelta(days=60)


def service_line(bookings: Bookings, service: Service, texts: Texts) -> str:
    """``30 min · €18.00`` (duration, then price when there is one)."""
    parts = [duration(texts, service.duration)]
    if service.price is not None:
        parts.append(texts.money(service.price, bookings.config.currency))
    return " · ".join(parts)


def service_rows(bookings: Bookings, texts: Texts) -> list[Row]:
    """One row per service: title, duration and price."""
    return [
        Row(
            SERVICE_PREFIX + s.id,
            shorten(texts(s.title), messages.MAX_ROW_TITLE),
            shorten(service_line(bookings, s, texts), messages.MAX_ROW_DESCRIPTION),
        )
        for s in bookings.config.services
    ]


def day_rows(days: Sequence[tuple[date, int]], texts: Texts) -> list[Row]:
    """One row per day: ``Tue 4 Mar`` and how many free times it has."""
    return [
        Row(
            DAY_PREFIX + day.isoformat(),
            day_label(texts, day),
            texts.plural("{n} free time", "{n} free times", count),
        )
        for day, count in days
    ]


def time_rows(bookings: Bookings, starts: Sequence[datetime], texts: Texts) -> list[Row]:
    """One row per free start, shown on the shop's clock (``10:30``)."""
    return [
        Row(TIME_PREFIX + as_utc(s).strftime(_TIME_ID), clock(texts, bookings.local(s)))
        for s in starts
    ]


def summary(bookings: Bookings, booking: Booking, texts: Texts) -> str:
    """``Haircut, Tue 4 Mar at 10:00 (30 min · €18.00), booking #12``."""
    service = bookings.config.service(booking.service)
    when = bookings.local(booking.start_at)
    values = {
        "service": bookings.title(booking.service, texts),
        "day": day_label(texts, when),
        "time": clock(texts, when),
        "id": booking.id,
    }
    if service is None:
        return texts("{service}, {day} at {time}, booking #{id}", **values)
    detail = service_line(bookings, service, texts)
    return texts("{service}, {day} at {time} ({detail}), booking #{id}", detail=detail, **values)


def page_pick(choice_id: str | None) -> int | None:
    """The page number of a tapped ``page:<n>`` row, else ``None``."""
    if choice_id and choice_id.startswith(PAGE_PREFIX) and choice_id[len(PAGE_PREFIX) :].isdigit():
        return int(choice_id[len(PAGE_PREFIX) :])
    return None


def read_service(
    bookings: Bookings, choice_id: str | None, text: str | None, texts: Texts
) -> Service:
    """The service picked (a row, its title as written or translated, or its number in the list).

    Raises:
        BookingError: ``unknown_service``.
    """
    services = bookings.config.services
    if choice_id and choice_id.startswith(SERVICE_PREFIX):
        return bookings.service(choice_id[len(SERVICE_PREFIX) :])
    typed = (text or "").strip().lower()
    for service in services:
        if typed in (service.id, service.title.lower(), texts(service.title).lower()):
            return service
    if typed.isdigit() and 1 <= int(typed) <= len(services):
        return services[int(typed) - 1]
    raise BookingError("unknown_service", "Please choose a service from the list.")


def read_day(
    bookings: Bookings, choice_id: str | None, text: str | None, now: datetime, texts: Texts
) -> date:
    """The day picked or typed (in English or the customer's language), checked against the
    booking rules.

    Raises:
        BookingError: ``invalid_date`` (unreadable), ``past``, ``holiday``, ``closed`` or
            ``horizon``.
    """
    if choice_id and choice_id.startswith(DAY_PREFIX):
        try:
            day = date.fromisoformat(choice_id[len(DAY_PREFIX) :])
        except ValueError:
            raise BookingError("invalid_date", "Please choose a day from the list.") from None
    else:
        month_first = bookings.config.business.locale.replace("-", "_") in ("en_US", "en_PH")
        today = bookings.schedule.local_day(now)
        parsed = parse_day(
            english_moment(text or "", texts.language), today, month_first=month_first
        )
        impossible = None if parsed is not None else _impossible(text or "", month_first)
        if impossible is not None:
            day_number, first = impossible
            raise BookingError(
                "invalid_date",
                "There is no {day} {month}. Please choose another date.",
                day=day_number,
                month=lambda texts: month(texts, first),
            )
        if parsed is None:
            raise BookingError(
                "invalid_date",
                "Sorry, I couldn't read that date. Pick a day from the list or type one like "
                "{example}.",
                example="03/14" if month_first else "14/03",
            )
        day = parsed
    bookings.check_day(day, now)
    return day


def parse_day(
    text: str,
    today: date,
    *,
    month_first: bool = False,
) -> date | None:
    """Read a typed date: ``2025-03-14``, ``14/03``, ``14 mar``, ``tomorrow``, ``next friday``…

    ``friday`` is today on a Friday, ``next friday`` never today (as the engine reads it). A date
    without a year is this year's, unless that is more than two months ago: then it is next year's
    (``05/01`` typed in December). ``month_first`` reads ``03/14`` as 14 March. The words are
    English: a customer's own go through :func:`flows.english_moment` first.

    Returns:
        The date, or ``None`` when the text is not a valid date (such as ``31/02``).
    """
    words = " ".join(text.strip().lower().rstrip(".!").split())
    words = words.removeprefix("on ")
    if words == "today":
        return today
    if words == "tomorrow":
        return today + timedelta(days=1)
    following = words.startswith("next ")  # "next friday": never today, as the engine reads it
    words = words.removeprefix("next ").removeprefix("this ")
    for index, name in enumerate(_WEEKDAYS):
        if words in (name, name[:3]):
            return today + timedelta(days=(index - today.weekday()) % 7 or (7 if following else 0))
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", words):
            return date.fromisoformat(words)
        match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?", words)
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            day, month = (second, first) if month_first else (first, second)
            return _with_year(day, month, match.group(3), today)
        match = re.fullmatch(r"(\d{1,2})\s+([a-z]{3})[a-z]*\.?(?:\s+(\d{4}))?", words)
        match = match or re.fullmatch(r"([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?", words)
        if match:
            a, b, year = match.groups()
            day_text, month_text = (a, b) if a.isdigit() else (b, a)
            if month_text not in _MONTHS:
                return None
            return _with_year(int(day_text), _MONTHS.index(month_text) + 1, year, today)
    except ValueError:
        return None
    return None


def _impossible(text: str, month_first: bool) -> tuple[int, date] | None:
    """The day and (the first of) the month of a well-formed date that no calendar has
    (``31/02``), else ``None``."""
    match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](?:\d{2}|\d{4}))?", text.strip())
    if match is None:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    day, month = (second, first) if month_first else (first, second)
    if not 1 <= month <= 12:
        return None
    try:
        date(2024, month, day)  # a leap year: 29 February exists
    except ValueError:
        return day, date(2024, month, 1)
    return None


def _with_year(day: int, month: int, year: str | None, today: date) -> date:
    if year is not None:
        return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
    try:
        candidate = date(today.year, month, day)
    except ValueError:  # 29 February of a common year
        return date(today.year + 1, month, day)
    if candidate < today - _RECENT:
        return date(today.year + 1, month, day)
    return candidate  # a date a few weeks back is a mistake to point out, not next year


def read_time(
    bookings: Bookings,
    service: Service,
    day: date,
    choice_id: str | None,
    text: str | None,
    now: datetime,
    texts: Texts,
) -> datetime:
    """The start picked or typed on ``day`` (aware UTC), checked against the rules but not booked.

    A typed time may be in English or the customer's language (``a las 11``, ``às 11``,
    ``jam 11``), as :func:`read_day` reads days.

    Raises:
        BookingError: ``invalid_date`` (unreadable), ``past``, ``min_notice``, ``horizon``,
            ``closed`` or ``outside_hours``.
    """
    if choice_id and choice_id.startswith(TIME_PREFIX):
        try:
            start = datetime.strptime(choice_id[len(TIME_PREFIX) :], _TIME_ID).replace(tzinfo=UTC)
        except ValueError:
            raise BookingError("invalid_date", "Please choose a time from the list.") from None
    else:
        # as the flow engine reads ``time`` answers, after the customer's words in English
        clock = parse_time(english_moment(text or "", texts.language))
        if clock is None:
            raise BookingError(
                "invalid_date",
                "Sorry, I couldn't read that time. Pick one from the list or type one like 10:30.",
            )
        start = datetime.combine(day, clock, tzinfo=bookings.schedule.tz).astimezone(UTC)
    bookings.check_start(service, start, now)
    return start


__all__ = [
    "DAY_PREFIX",
    "SERVICE_PREFIX",
    "TIME_PREFIX",
    "day_label",
    "day_rows",
    "page_pick",
    "parse_day",
    "read_day",
    "read_service",
    "read_time",
    "service_line",
    "service_rows",
    "summary",
    "time_rows",
]
