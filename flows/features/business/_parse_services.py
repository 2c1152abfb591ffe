"""Reading the bookings half of a business file: services, hours, holidays, booking, handoff, surveys.

These sections are used by the bookings, surveys and handoff features; the shop sections are
read by :mod:`flows.features.business._parse`, whose helpers (ids, lists, money) are shared.
Like there, every reader records located errors on the :class:`flows._fields.Reader`.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

from bot.errors import FlowError
from flows._fields import Reader
from flows._yaml import join
from flows.features.business._model import (
    WEEKDAYS,
    BookingSettings,
    HandoffSettings,
    OpeningHours,
    Service,
    TimeRange,
)
from flows.features.business._parse import item_list, money, unique_id

_RANGE_RE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


def read_services(r: Reader, raw: Any, currency: str) -> tuple[Service, ...]:
    """The ``services`` list."""
    seen: set[str] = set()
    result: list[Service] = []
    for where, item in item_list(r, raw, "services", "services"):
        r.keys(
            item, where, ("id", "title", "duration", "price", "price_minor", "staff"), "a service"
        )
        sid = unique_id(r, item, where, "service", seen)
        title = r.required(item, "title", where, "a service")
        duration = r.duration(item, "duration", where)
        if "duration" not in item:
            r.error("a service needs a 'duration' such as 45m or 1h30m", where)
        price = money(r, item, "price", where, currency)
        staff = r.strings(item, "staff", where)
        if sid and title and duration:
            result.append(Service(sid, title, duration, price, staff))
    return tuple(result)


def _clock(hours: str, minutes: str) -> time | None:
    h, m = int(hours), int(minutes)
    return time(h, m) if h < 24 and m < 60 else None


def read_hours(r: Reader, raw: Any) -> OpeningHours:
    """The ``hours`` mapping: ``mon: ["09:00-13:00", "16:00-20:00"]``; absent days are closed."""
    data = r.mapping(raw, "hours")
    r.keys(data, "hours", WEEKDAYS, "hours")
    days: dict[int, tuple[TimeRange, ...]] = {}
    for index, day in enumerate(WEEKDAYS):
        value = data.get(day)
        if value is None or value == "closed":
            continue
        items = value if isinstance(value, list) else [value]
        ranges: list[TimeRange] = []
        for i, text in enumerate(items):
            where = join(join("hours", day), i) if isinstance(value, list) else join("hours", day)
            match = _RANGE_RE.match(str(text).strip()) if isinstance(text, str) else None
            start = _clock(*match.group(1, 2)) if match else None
            end = _clock(*match.group(3, 4)) if match else None
            if start is None or end is None or start >= end:
                r.error(
                    f'opening hours look like "09:00-13:00" (start before end), got {text!r}', where
                )
                continue
            if ranges and start < ranges[-1].end:
                r.error(f"{text!r} overlaps or comes before the previous interval", where)
                continue
            ranges.append(TimeRange(start, end))
        days[index] = tuple(ranges)
    return OpeningHours(days)


def read_holidays(r: Reader, raw: Any) -> tuple[date, ...]:
    """The ``holidays`` list of dates (``2025-12-25``)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        r.error("holidays must be a list of dates such as 2025-12-25", "holidays")
        return ()
    result: list[date] = []
    for i, value in enumerate(raw):
        if isinstance(value, date):
            result.append(value)
            continue
        try:
            result.append(date.fromisoformat(str(value)))
        except ValueError:
            r.error(f"holidays are dates such as 2025-12-25, got {value!r}", join("holidays", i))
    return tuple(sorted(set(result)))


def read_booking(r: Reader, raw: Any) -> BookingSettings:
    """The ``booking`` section (``min_notice: 0`` allows bookings starting right away)."""
    data = r.mapping(raw, "booking")
    r.keys(data, "booking", ("slot_length", "min_notice", "horizon"), "booking")
    defaults = BookingSettings()
    notice = data.get("min_notice")
    zero = notice in (0, "0", "0m")
    return BookingSettings(
        slot_length=r.duration(data, "slot_length", "booking") or defaults.slot_length,
        min_notice=timedelta(0)
        if zero
        else r.duration(data, "min_notice", "booking") or defaults.min_notice,
        horizon=r.duration(data, "horizon", "booking") or defaults.horizon,
    )


def read_handoff(r: Reader, raw: Any) -> HandoffSettings:
    """The ``handoff`` section."""
    data = r.mapping(raw, "handoff")
    r.keys(data, "handoff", ("notify_number",), "handoff")
    number = r.text(data, "notify_number", "handoff")
    if number is None:
        return HandoffSettings()
    digits = re.sub(r"[\s()+-]", "", number)
    if not digits.isdigit() or not 6 <= len(digits) <= 15:
        r.error(
            f"notify_number must be a phone number in international form, got {number!r}",
            "handoff.notify_number",
        )
        return HandoffSettings()
    return HandoffSettings(digits)


def read_surveys(r: Reader, raw: Any) -> dict[str, Any]:
    """The ``surveys`` mapping, each value read by the surveys feature's ``parse_survey``."""
    data = r.mapping(raw, "surveys")
    parse = _survey_parser()
    if parse is None:
        return dict(data)
    located = "lines" in inspect.signature(parse).parameters
    result: dict[str, Any] = {}
    for key, value in data.items():
        path = join("surveys", key)
        try:
            if located:
                result[key] = parse(value, path, file=r.file, lines=r.lines)
            else:
                result[key] = parse(value, path)
        except FlowError as exc:
            where = exc.path or path
            line = exc.line or r.line(where)
            r.errors.append(FlowError(exc.message, file=exc.file or r.file, line=line, path=where))
    return result


def _survey_parser() -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("flows.features.surveys.definitions")
    except ModuleNotFoundError as exc:
        if exc.name in ("flows.features.surveys.definitions", "flows.features.surveys"):
            return None
        raise
    parse: Callable[..., Any] | None = getattr(module, "parse_survey", None)
    return parse


__all__ = [
    "read_booking",
    "read_handoff",
    "read_holidays",
    "read_hours",
    "read_services",
    "read_surveys",
]
