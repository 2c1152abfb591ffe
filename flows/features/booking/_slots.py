"""Free booking times: when a service can start, as pure calendar arithmetic (no database).

Opening hours, holidays, slot length, minimum notice and horizon are wall-clock rules in the
shop's zone; every instant leaving this module is aware UTC, computed through :mod:`zoneinfo`
(a day when the clocks change has 23 or 25 hours; a start in the skipped hour is never offered).
Occupancy is counted in *cells*, the 5-minute blocks of a fixed UTC grid: a booking occupies
every cell its interval touches, per staff member (resource), and overlapping intervals always
share a cell, so a unique ``(resource, cell)`` constraint makes double booking impossible even
across services of different lengths or after a change of slot length.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flows.features.business import BusinessConfig, OpeningHours, Service

CELL = timedelta(minutes=5)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
SHOP = "shop"
"""The resource of a business without staff: one booking at a time."""


@dataclass(frozen=True)
class Schedule:
    """The booking rules of one shop, as its business file's ``booking`` section describes them.

    ``staff`` is everyone who appears in a service's ``staff`` (in order of appearance): the
    people a service without its own list can be booked with.
    """

    tz: ZoneInfo
    hours: OpeningHours
    holidays: frozenset[date]
    slot_length: timedelta
    min_notice: timedelta
    horizon: timedelta
    staff: tuple[str, ...] = ()

    @classmethod
    def from_business(cls, config: BusinessConfig) -> Schedule:
        """The schedule described by a business file."""
        staff = dict.fromkeys(name for service in config.services for name in service.staff)
        return cls(
            tz=config.tz,
            hours=config.hours,
            holidays=frozenset(config.holidays),
            slot_length=config.booking.slot_length,
            min_notice=config.booking.min_notice,
            horizon=config.booking.horizon,
            staff=tuple(staff),
        )

    def resources(self, service: Service, staff: str | None = None) -> tuple[str, ...]:
        """Who can do ``service``: its staff, else all staff, else the shop (or only ``staff``)."""
        everyone = service.staff or self.staff or (SHOP,)
        return everyone if staff is None else tuple(r for r in everyone if r == staff)

    def local_day(self, moment: datetime) -> date:
        """The shop's calendar date at ``moment``."""
        return moment.astimezone(self.tz).date()


def _local(day: date, clock: time, tz: ZoneInfo) -> datetime | None:
    """The instant ``clock`` on ``day`` (the first in a repeated hour); ``None`` if skipped."""
    wall = datetime.combine(day, clock, tzinfo=tz)
    instant = wall.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != wall.replace(tzinfo=None):
        return None
    return instant


def candidate_starts(schedule: Schedule, service: Service, day: date) -> list[datetime]:
    """Every start time on ``day`` (the shop's date) that fits the opening hours, busy or not.

    Starts are laid out from each interval's opening time every ``slot_length`` (in wall-clock
    time); a start is kept when the service ends no later than the interval closes.

    Returns:
        Aware UTC datetimes in order; empty on holidays and closed days.
    """
    if day in schedule.holidays:
        return []
    starts: list[datetime] = []
    for interval in schedule.hours.on(day):
        closes = _local(day, interval.end, schedule.tz)
        wall = datetime.combine(day, interval.start)
        end_wall = datetime.combine(day, interval.end)
        while wall < end_wall:
            start = _local(day, wall.time(), schedule.tz)
            if start is not None:
                end = start + service.duration
                if closes is None or end <= closes:
                    starts.append(start)
                else:
                    break
            wall += schedule.slot_length
    return starts


def cells(start: datetime, end: datetime) -> list[datetime]:
    """The UTC cells that the interval ``[start, end)`` touches."""
    first = _EPOCH + ((start - _EPOCH) // CELL) * CELL
    return [first + n * CELL for n in range(math.ceil((end - first) / CELL))]


def free_resource(
    schedule: Schedule,
    service: Service,
    start: datetime,
    busy: Collection[tuple[str, datetime]],
    *,
    staff: str | None = None,
) -> str | None:
    """The first resource free for the whole service from ``start`` (aware UTC), or ``None``.

    ``busy`` holds the occupied ``(resource, cell)`` pairs; ``staff`` limits it to one person.
    """
    needed = cells(start, start + service.duration)
    return next(
        (r for r in schedule.resources(service, staff) if all((r, c) not in busy for c in needed)),
        None,
    )


def free_starts(
    schedule: Schedule,
    service: Service,
    day: date,
    now: datetime,
    busy: Collection[tuple[str, datetime]],
) -> list[datetime]:
    """The start times (aware UTC, in order) on ``day`` a customer can book at ``now``.

    ``busy`` is as for :func:`free_resource`.
    """
    earliest, latest = now + schedule.min_notice, now + schedule.horizon
    return [
        start
        for start in candidate_starts(schedule, service, day)
        if earliest <= start <= latest and free_resource(schedule, service, start, busy) is not None
    ]


def free_days(
    schedule: Schedule,
    service: Service,
    now: datetime,
    busy: Collection[tuple[str, datetime]],
) -> list[tuple[date, int]]:
    """``(date, number of free starts)`` for each day with one, from the notice to the horizon."""
    first = schedule.local_day(now + schedule.min_notice)
    last = schedule.local_day(now + schedule.horizon)
    days = [first + timedelta(n) for n in range((last - first).days + 1)]
    counts = {day: len(free_starts(schedule, service, day, now, busy)) for day in days}
    return [(day, count) for day, count in counts.items() if count]
