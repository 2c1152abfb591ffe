"""Booking, cancelling and rescheduling on SQLite and PostgreSQL, concurrency included."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from flows.features.booking import _slots
from flows.features.booking import models as store
from flows.features.booking.booking import BookingError, Bookings, SlotTakenError
from flows.features.booking.messages import day_label
from flows.features.booking.models import Booking, BookingCell
from flows.features.business import BusinessConfig
from flows.features.business.timestamps import as_utc
from storage.db import is_postgres, transaction
from tests.booking.conftest import NOW, madrid

ANA_CUSTOMER = "34600000001"
BEN_CUSTOMER = "34600000002"
TUESDAY_10 = madrid(2025, 3, 4, 10)


def _book(
    engine: Engine, bookings: Bookings, wa_id: str, service: str, start: datetime, **kw: Any
) -> Booking:
    with transaction(engine) as session:
        return bookings.book(session, wa_id, service, start, NOW, **kw)


def test_a_booking_is_stored_in_utc_with_its_staff_and_cells(
    engine: Engine, bookings: Bookings
) -> None:
    booking = _book(engine, bookings, ANA_CUSTOMER, "colour", TUESDAY_10)
    assert booking.id is not None
    with transaction(engine) as session:
        stored = session.get(Booking, booking.id)
        assert stored is not None
        assert as_utc(stored.start_at) == datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
        assert as_utc(stored.end_at) == datetime(2025, 3, 4, 10, 30, tzinfo=UTC)
        assert (stored.resource, stored.price, stored.status) == ("ana", 5500, "confirmed")
        busy = store.busy_cells(session, NOW, NOW + timedelta(days=2))
    assert len(busy) == 18  # 90 minutes of 5-minute cells
    assert {resource for resource, _ in busy} == {"ana"}


@pytest.mark.parametrize(
    ("service", "start", "reason"),
    [
        pytest.param("cut", madrid(2025, 3, 3, 7), "past", id="earlier-today"),
        pytest.param("cut", madrid(2025, 3, 1, 10), "past", id="past-day"),
        pytest.param("cut", madrid(2025, 3, 3, 9, 30), "min_notice", id="under-two-hours"),
        pytest.param("cut", madrid(2025, 3, 18, 10), "horizon", id="beyond-horizon"),
        pytest.param("cut", madrid(2025, 3, 9, 10), "closed", id="sunday"),
        pytest.param("cut", madrid(2025, 3, 4, 13, 30), "outside_hours", id="lunch-break"),
        pytest.param("colour", madrid(2025, 3, 4, 12), "outside_hours", id="ends-after-closing"),
        pytest.param("cut", madrid(2025, 3, 4, 10, 10), "outside_hours", id="off-the-grid"),
        pytest.param("massage", madrid(2025, 3, 4, 10), "unknown_service", id="unknown-service"),
    ],
)
def test_invalid_requests_are_refused_with_a_reason(
    engine: Engine, bookings: Bookings, service: str, start: datetime, reason: str
) -> None:
    with pytest.raises(BookingError) as caught:
        _book(engine, bookings, ANA_CUSTOMER, service, start)
    assert caught.value.reason == reason
    with transaction(engine) as session:
        assert (
            store.bookings_between(session, NOW - timedelta(days=9), NOW + timedelta(days=30)) == []
        )


def test_a_holiday_is_refused(engine: Engine, bookings: Bookings) -> None:
    later = NOW + timedelta(days=10)  # 19 March is now within the horizon
    with transaction(engine) as session, pytest.raises(BookingError) as caught:
        bookings.book(session, ANA_CUSTOMER, "cut", madrid(2025, 3, 19, 10), later)
    assert caught.value.reason == "holiday"
    assert "holiday" in str(caught.value)


def test_the_second_customer_gets_the_other_staff_member_then_nobody(
    engine: Engine, bookings: Bookings
) -> None:
    first = _book(engine, bookings, ANA_CUSTOMER, "cut", TUESDAY_10)
    second = _book(engine, bookings, BEN_CUSTOMER, "cut", TUESDAY_10)
    assert (first.resource, second.resource) == ("ana", "ben")
    with pytest.raises(SlotTakenError, match="just taken"):
        _book(engine, bookings, "34600000003", "cut", TUESDAY_10)
    with transaction(engine) as session:
        assert TUESDAY_10 not in bookings.free_times(session, "cut", date(2025, 3, 4), NOW)


def test_a_longer_service_blocks_a_shorter_one_inside_it(
    engine: Engine, bookings: Bookings
) -> None:
    _book(engine, bookings, ANA_CUSTOMER, "colour", TUESDAY_10)  # ana 10:00-11:30
    with pytest.raises(SlotTakenError):
        _book(engine, bookings, BEN_CUSTOMER, "cut", madrid(2025, 3, 4, 11), staff="ana")
    with_ben = _book(engine, bookings, BEN_CUSTOMER, "cut", madrid(2025, 3, 4, 11))
    assert with_ben.resource == "ben"
    right_after = _book(
        engine, bookings, BEN_CUSTOMER, "cut", madrid(2025, 3, 4, 11, 30), staff="ana"
    )
    assert right_after.resource == "ana"


def test_free_times_and_days_leave_out_what_is_booked(engine: Engine, bookings: Bookings) -> None:
    day = date(2025, 3, 4)
    with transaction(engine) as session:
        before = bookings.free_times(session, "colour", day, NOW)
    _book(engine, bookings, ANA_CUSTOMER, "colour", TUESDAY_10)
    with transaction(engine) as session:
        after = bookings.free_times(session, "colour", day, NOW)
        days = dict(bookings.free_days(session, "colour", NOW))
    local = [bookings.local(t).strftime("%H:%M") for t in after]
    assert len(before) == 12
    # 10:00-11:30 is taken, so 09:00 (ends 10:30), 09:30, 10:00, 10:30 and 11:00 are gone.
    assert local == ["11:30", "15:00", "15:30", "16:00", "16:30", "17:00", "17:30"]
    assert days[day] == 7


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        pytest.param(date(2025, 3, 2), "past", id="yesterday"),
        pytest.param(date(2025, 3, 9), "closed", id="sunday"),
        pytest.param(date(2025, 4, 1), "horizon", id="too-far"),
    ],
)
def test_free_times_refuse_a_day_that_cannot_be_booked(
    engine: Engine, bookings: Bookings, day: date, reason: str
) -> None:
    with transaction(engine) as session, pytest.raises(BookingError) as caught:
        bookings.free_times(session, "cut", day, NOW)
    assert caught.value.reason == reason


def test_a_time_taken_while_the_customer_was_choosing(engine: Engine, bookings: Bookings) -> None:
    with transaction(engine) as session:
        offered = bookings.free_times(session, "colour", date(2025, 3, 4), NOW)
    assert TUESDAY_10 in offered
    _book(engine, bookings, BEN_CUSTOMER, "colour", TUESDAY_10)
    with pytest.raises(SlotTakenError):
        _book(engine, bookings, ANA_CUSTOMER, "colour", TUESDAY_10)


def test_the_database_refuses_overlapping_cells(engine: Engine, bookings: Bookings) -> None:
    """Even code that skips every check cannot double-book: the unique constraint decides."""
    first = _book(engine, bookings, ANA_CUSTOMER, "colour", TUESDAY_10)
    start = madrid(2025, 3, 4, 11).astimezone(UTC)
    with transaction(engine) as session:
        rogue = Booking(
            wa_id=BEN_CUSTOMER, service="cut", resource="ana", start_at=start, end_at=start
        )
        session.add(rogue)
        session.flush()
        taken = store.occupy(
            session, int(rogue.id or 0), "ana", _slots.cells(start, start + timedelta(minutes=30))
        )
        assert taken is False
        free = store.occupy(
            session, int(rogue.id or 0), "ben", _slots.cells(start, start + timedelta(minutes=30))
        )
        assert free is True
    with transaction(engine) as session:
        owners = set(session.exec(select(BookingCell.booking_id)))
    assert owners == {first.id, rogue.id}


CASES = [
    pytest.param(("colour", TUESDAY_10, None), ("colour", TUESDAY_10, None), id="same-time"),
    pytest.param(
        ("colour", TUESDAY_10, None),
        ("cut", madrid(2025, 3, 4, 11), "ana"),
        id="overlapping-lengths",
    ),
]


@pytest.mark.parametrize(("one", "two"), CASES)
def test_two_simultaneous_confirmations_exactly_one_wins(
    engine: Engine,
    bookings: Bookings,
    monkeypatch: pytest.MonkeyPatch,
    one: tuple[str, datetime, str | None],
    two: tuple[str, datetime, str | None],
) -> None:
    """Two customers confirm at the same moment, each in its own transaction and thread.

    On PostgreSQL both transactions are made to pass every check and reach the insert of their
    cells together (a barrier inside ``occupy``); the unique constraint makes the second one
    wait for the first to commit and then find its cells taken. SQLite serialises writing
    transactions (``BEGIN IMMEDIATE``), so there the second one starts after the first commits.
    """
    if is_postgres(engine):
        inner = threading.Barrier(2, timeout=20)
        real_occupy: Callable[..., bool] = store.occupy

        def occupy_together(*args: Any, **kwargs: Any) -> bool:
            inner.wait()
            return real_occupy(*args, **kwargs)

        monkeypatch.setattr(store, "occupy", occupy_together)
    start = threading.Barrier(2, timeout=20)
    results: dict[str, str] = {}

    def confirm(name: str, request: tuple[str, datetime, str | None]) -> None:
        service, when, staff = request
        start.wait()
        try:
            _book(engine, bookings, name, service, when, staff=staff)
            results[name] = "booked"
        except SlotTakenError as exc:
            results[name] = str(exc)
        except Exception as exc:  # pragma: no cover - reported below
            results[name] = f"error: {exc!r}"

    threads = [
        threading.Thread(target=confirm, args=(ANA_CUSTOMER, one)),
        threading.Thread(target=confirm, args=(BEN_CUSTOMER, two)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results.values()) == [
        "Sorry, that time was just taken. Please pick another one.",
        "booked",
    ], results
    with transaction(engine) as session:
        confirmed = store.bookings_between(session, NOW, NOW + timedelta(days=3))
        cells = store.busy_cells(session, NOW, NOW + timedelta(days=3))
    assert len(confirmed) == 1
    assert len(cells) == len(
        _slots.cells(as_utc(confirmed[0].start_at), as_utc(confirmed[0].end_at))
    )


def test_a_customer_cancels_their_own_booking_and_frees_the_time(
    engine: Engine, bookings: Bookings
) -> None:
    booking = _book(engine, bookings, ANA_CUSTOMER, "colour", TUESDAY_10)
    booking_id = int(booking.id or 0)
    with transaction(engine) as session, pytest.raises(BookingError) as caught:
        bookings.cancel(session, booking_id, NOW, wa_id=BEN_CUSTOMER)
    assert caught.value.reason == "not_yours"
    with transaction(engine) as session:
        cancelled = bookings.cancel(session, booking_id, NOW, wa_id=ANA_CUSTOMER)
    assert (cancelled.status, cancelled.cancelled_by) == ("cancelled", "customer")
    with transaction(engine) as session, pytest.raises(BookingError) as again:
        bookings.cancel(session, booking_id, NOW, wa_id=ANA_CUSTOMER)
    assert again.value.reason == "not_active"
    assert _book(engine, bookings, BEN_CUSTOMER, "colour", TUESDAY_10).resource == "ana"


@pytest.mark.parametrize(
    ("booking_id", "reason"),
    [pytest.param(999, "not_found", id="unknown-id")],
)
def test_cancel_unknown(engine: Engine, bookings: Bookings, booking_id: int, reason: str) -> None:
    with transaction(engine) as session, pytest.raises(BookingError) as caught:
        bookings.cancel(session, booking_id, NOW, by="staff")
    assert caught.value.reason == reason


def test_a_started_booking_cannot_be_cancelled(engine: Engine, bookings: Bookings) -> None:
    booking = _book(engine, bookings, ANA_CUSTOMER, "cut", TUESDAY_10)
    with transaction(engine) as session, pytest.raises(BookingError) as caught:
        bookings.cancel(session, int(booking.id or 0), TUESDAY_10 + timedelta(minutes=5))
    assert caught.value.reason == "not_active"


def test_reschedule_moves_the_booking_and_frees_the_old_time(
    engine: Engine, bookings: Bookings
) -> None:
    booking = _book(engine, bookings, ANA_CUSTOMER, "colour", TUESDAY_10)
    new_start = madrid(2025, 3, 5, 15)
    with transaction(engine) as session:
        session.get(Booking, booking.id).reminder_sent_at = NOW  # type: ignore[union-attr]
    with transaction(engine) as session:
        moved = bookings.reschedule(
            session, int(booking.id or 0), new_start, NOW, wa_id=ANA_CUSTOMER
        )
    assert moved.id == booking.id
    assert as_utc(moved.start_at) == new_start.astimezone(UTC)
    assert moved.reminder_sent_at is None
    assert _book(engine, bookings, BEN_CUSTOMER, "colour", TUESDAY_10).resource == "ana"


def test_reschedule_may_overlap_the_customers_own_old_time(
    engine: Engine, bookings: Bookings
) -> None:
    booking = _book(engine, bookings, ANA_CUSTOMER, "colour", TUESDAY_10)
    with transaction(engine) as session:
        moved = bookings.reschedule(
            session, int(booking.id or 0), madrid(2025, 3, 4, 10, 30), NOW, wa_id=ANA_CUSTOMER
        )
    assert as_utc(moved.start_at) == madrid(2025, 3, 4, 10, 30).astimezone(UTC)


def test_reschedule_to_a_taken_time_keeps_the_old_one(engine: Engine, bookings: Bookings) -> None:
    mine = _book(engine, bookings, ANA_CUSTOMER, "colour", TUESDAY_10)
    _book(engine, bookings, BEN_CUSTOMER, "colour", madrid(2025, 3, 4, 15))
    with transaction(engine) as session, pytest.raises(SlotTakenError):
        bookings.reschedule(
            session, int(mine.id or 0), madrid(2025, 3, 4, 15, 30), NOW, wa_id=ANA_CUSTOMER
        )
    with transaction(engine) as session:
        kept = session.get(Booking, mine.id)
        assert kept is not None
        assert as_utc(kept.start_at) == TUESDAY_10.astimezone(UTC)
        busy = store.busy_cells(session, NOW, NOW + timedelta(days=2))
    assert ("ana", TUESDAY_10.astimezone(UTC)) in busy


def test_reschedule_someone_elses_booking_is_refused(engine: Engine, bookings: Bookings) -> None:
    mine = _book(engine, bookings, ANA_CUSTOMER, "colour", TUESDAY_10)
    with transaction(engine) as session, pytest.raises(BookingError) as caught:
        bookings.reschedule(
            session, int(mine.id or 0), madrid(2025, 3, 5, 10), NOW, wa_id=BEN_CUSTOMER
        )
    assert caught.value.reason == "not_yours"


def test_upcoming_and_on_day(engine: Engine, bookings: Bookings) -> None:
    _book(engine, bookings, ANA_CUSTOMER, "colour", madrid(2025, 3, 5, 10))
    _book(engine, bookings, ANA_CUSTOMER, "cut", TUESDAY_10)
    _book(engine, bookings, BEN_CUSTOMER, "cut", TUESDAY_10)
    with transaction(engine) as session:
        mine = bookings.upcoming(session, ANA_CUSTOMER, NOW)
        tuesday = bookings.on_day(session, date(2025, 3, 4))
    assert [b.service for b in mine] == ["cut", "colour"]
    assert {b.wa_id for b in tuesday} == {ANA_CUSTOMER, BEN_CUSTOMER}


def test_a_service_no_longer_offered_is_shown_by_its_id(bookings: Bookings) -> None:
    assert bookings.title("cut") == "Haircut"
    assert bookings.title("perm") == "perm"


def test_days_are_labelled_short_in_lists_and_long_in_sentences(salon: BusinessConfig) -> None:
    texts = salon.texts()
    assert day_label(texts, date(2025, 3, 4)) == "Tue 4 Mar"
    assert day_label(texts, datetime(2025, 3, 4, 10, tzinfo=UTC), long=True) == "Tuesday 4 March"
