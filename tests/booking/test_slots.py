"""Free-time arithmetic: opening hours, holidays, notice, horizon, daylight saving, cells."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from flows.features.booking import _slots
from flows.features.booking._slots import Schedule
from flows.features.business import BusinessConfig, OpeningHours, TimeRange
from tests.booking.conftest import NOW, madrid


def _hhmm(schedule: Schedule, starts: list[datetime]) -> list[str]:
    return [s.astimezone(schedule.tz).strftime("%H:%M") for s in starts]


def test_starts_follow_opening_hours_and_service_length(salon: BusinessConfig) -> None:
    schedule = Schedule.from_business(salon)
    colour = salon.service("colour")
    assert colour is not None
    starts = _slots.candidate_starts(schedule, colour, date(2025, 3, 4))
    assert _hhmm(schedule, starts) == [
        "09:00", "09:30", "10:00", "10:30", "11:00", "11:30",
        "15:00", "15:30", "16:00", "16:30", "17:00", "17:30",
    ]  # fmt: skip
    assert all(s.tzinfo is UTC for s in starts)
    assert starts[0] == datetime(2025, 3, 4, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2025, 3, 9), id="sunday-closed"),
        pytest.param(date(2025, 3, 19), id="holiday"),
    ],
)
def test_closed_days_have_no_starts(salon: BusinessConfig, day: date) -> None:
    cut = salon.service("cut")
    assert cut is not None
    assert _slots.candidate_starts(Schedule.from_business(salon), cut, day) == []


def test_minimum_notice_hides_the_next_two_hours(salon: BusinessConfig) -> None:
    schedule = Schedule.from_business(salon)
    cut = salon.service("cut")
    assert cut is not None
    now = madrid(2025, 3, 3, 9, 10)
    starts = _slots.free_starts(schedule, cut, date(2025, 3, 3), now, set())
    assert _hhmm(schedule, starts)[:2] == ["11:30", "12:00"]


def test_days_run_to_the_horizon_and_skip_closed_days(salon: BusinessConfig) -> None:
    schedule = Schedule.from_business(salon)
    cut = salon.service("cut")
    assert cut is not None
    days = [d for d, _ in _slots.free_days(schedule, cut, NOW, set())]
    assert days[0] == date(2025, 3, 3)
    # The horizon ends on Monday 17 March at 08:00, before opening: Saturday 15 is the last day.
    assert days[-1] == date(2025, 3, 15)
    assert date(2025, 3, 9) not in days  # Sunday
    assert len(days) == 12


def _around_the_clock(salon: BusinessConfig) -> Schedule:
    always = (TimeRange(time(0, 0), time(23, 55)),)
    return replace(Schedule.from_business(salon), hours=OpeningHours(*[always] * 7))


def test_spring_forward_skips_the_missing_hour(salon: BusinessConfig) -> None:
    """On 30 March 2025 Madrid clocks jump from 02:00 to 03:00."""
    schedule = _around_the_clock(salon)
    cut = salon.service("cut")
    assert cut is not None
    starts = _slots.candidate_starts(schedule, cut, date(2025, 3, 30))
    wall = _hhmm(schedule, starts)
    assert "02:00" not in wall
    assert "02:30" not in wall
    assert wall[:6] == ["00:00", "00:30", "01:00", "01:30", "03:00", "03:30"]
    assert starts[4] - starts[3] == timedelta(minutes=30)  # 01:30 CET → 03:00 CEST
    assert len(starts) == 47 - 2  # 00:00 to 23:00 without 02:00 and 02:30


def test_fall_back_offers_the_repeated_hour_once(salon: BusinessConfig) -> None:
    """On 26 October 2025 Madrid clocks go back from 03:00 to 02:00."""
    schedule = _around_the_clock(salon)
    cut = salon.service("cut")
    assert cut is not None
    starts = _slots.candidate_starts(schedule, cut, date(2025, 10, 26))
    assert len(starts) == len(set(starts)) == 47  # 00:00 to 23:00, 02:xx once
    two = next(s for s in starts if s.astimezone(schedule.tz).strftime("%H:%M") == "02:00")
    assert two == datetime(2025, 10, 26, 0, 0, tzinfo=UTC)  # the first 02:00 (CEST)


def test_a_summer_time_start_is_stored_an_hour_earlier_in_utc(salon: BusinessConfig) -> None:
    schedule = Schedule.from_business(salon)
    cut = salon.service("cut")
    assert cut is not None
    winter = _slots.candidate_starts(schedule, cut, date(2025, 3, 28))[0]
    summer = _slots.candidate_starts(schedule, cut, date(2025, 3, 31))[0]
    assert winter == datetime(2025, 3, 28, 8, 0, tzinfo=UTC)
    assert summer == datetime(2025, 3, 31, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        pytest.param(
            (9, 0), 30, ["09:00", "09:05", "09:10", "09:15", "09:20", "09:25"], id="aligned"
        ),
        pytest.param((9, 2), 6, ["09:00", "09:05"], id="unaligned-touches-both"),
        pytest.param((9, 0), 5, ["09:00"], id="one-cell"),
    ],
)
def test_cells_cover_every_touched_block(
    start: tuple[int, int], minutes: int, expected: list[str]
) -> None:
    begin = datetime(2025, 3, 4, *start, tzinfo=UTC)
    got = _slots.cells(begin, begin + timedelta(minutes=minutes))
    assert [c.strftime("%H:%M") for c in got] == expected


def test_overlapping_services_share_a_cell(salon: BusinessConfig) -> None:
    colour_start = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)
    cut_start = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)  # inside the 90-minute colour
    colour = set(_slots.cells(colour_start, colour_start + timedelta(minutes=90)))
    cut = set(_slots.cells(cut_start, cut_start + timedelta(minutes=30)))
    assert colour & cut


def test_busy_staff_is_skipped_for_the_next_one(salon: BusinessConfig) -> None:
    schedule = Schedule.from_business(salon)
    cut = salon.service("cut")
    assert cut is not None
    start = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)
    ana_busy = {("ana", c) for c in _slots.cells(start, start + timedelta(minutes=30))}
    assert _slots.free_resource(schedule, cut, start, set()) == "ana"
    assert _slots.free_resource(schedule, cut, start, ana_busy) == "ben"
    assert _slots.free_resource(schedule, cut, start, ana_busy, staff="ana") is None
    both = ana_busy | {("ben", c) for (c,) in [(x,) for _, x in ana_busy]}
    assert _slots.free_resource(schedule, cut, start, both) is None


def test_a_service_without_staff_uses_everyone_or_the_shop(salon: BusinessConfig) -> None:
    schedule = Schedule.from_business(salon)
    consult = salon.service("consult")
    assert consult is not None
    assert schedule.resources(consult) == ("ana", "ben")
    assert replace(schedule, staff=()).resources(consult) == (_slots.SHOP,)


def test_asking_for_someone_keeps_only_them_when_they_do_the_service(
    salon: BusinessConfig,
) -> None:
    schedule = Schedule.from_business(salon)
    colour = salon.service("colour")
    assert colour is not None
    assert schedule.resources(colour, "ana") == ("ana",)
    assert schedule.resources(colour, "ben") == ()
