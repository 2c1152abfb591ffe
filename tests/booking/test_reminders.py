"""``send_reminders``: once per booking, text inside the window, template outside, cron-safe."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from bot.errors import ConfigError
from bot.sending import outbox_rows
from flows.features.booking.booking import Bookings
from flows.features.booking.models import Booking
from flows.features.booking.reminders import send_reminders
from flows.features.business import BusinessConfig, TemplateRef, Templates
from storage.db import transaction
from storage.models import Contact
from tests.booking.conftest import NOW, madrid

CUSTOMER = "34600000001"
TUESDAY_10 = madrid(2025, 3, 4, 10)
DAY_BEFORE = madrid(2025, 3, 3, 10, 30)  # 23.5 hours before


def _contact(engine: Engine, last_inbound: datetime | None, name: str | None = "Ana") -> None:
    with transaction(engine) as session:
        utc = last_inbound.astimezone(UTC) if last_inbound else None  # as the runtime stores it
        session.add(Contact(wa_id=CUSTOMER, name=name, last_inbound_at=utc))


def _booking(engine: Engine, bookings: Bookings, start: datetime = TUESDAY_10) -> int:
    with transaction(engine) as session:
        return int(bookings.book(session, CUSTOMER, "cut", start, NOW).id or 0)


def test_inside_the_window_the_reminder_is_a_text_sent_once(
    engine: Engine, bookings: Bookings
) -> None:
    _contact(engine, last_inbound=DAY_BEFORE - timedelta(hours=1))
    booking_id = _booking(engine, bookings)
    first = send_reminders(engine, bookings, DAY_BEFORE)
    again = send_reminders(engine, bookings, DAY_BEFORE + timedelta(minutes=15))
    assert (first.text, first.template, first.skipped) == ([booking_id], [], [])
    assert again.sent == 0
    [row] = outbox_rows(engine, CUSTOMER)
    body = row.payload["text"]["body"]
    assert body.startswith("Reminder: Haircut, Tue 4 Mar at 10:00")
    assert "Salon Sol" in body
    with transaction(engine) as session:
        assert session.get(Booking, booking_id).reminder_sent_at is not None  # type: ignore[union-attr]


def test_outside_the_window_the_configured_template_is_used(
    engine: Engine, bookings: Bookings
) -> None:
    _contact(engine, last_inbound=DAY_BEFORE - timedelta(days=2))
    booking_id = _booking(engine, bookings)
    report = send_reminders(engine, bookings, DAY_BEFORE)
    assert report.template == [booking_id]
    [row] = outbox_rows(engine, CUSTOMER)
    template = row.payload["template"]
    assert (template["name"], template["language"]["code"]) == ("booking_reminder", "es_ES")
    params = [p["text"] for p in template["components"][0]["parameters"]]
    assert params == ["Ana", "Haircut", "mar, 4 mar a las 10:00"]  # the template's language


@pytest.mark.parametrize(
    "last_inbound",
    [
        pytest.param(None, id="never-wrote"),
        pytest.param(DAY_BEFORE - timedelta(hours=23, minutes=55), id="window-closing-in-minutes"),
    ],
)
def test_without_a_template_a_closed_window_skips_and_stays_due(
    engine: Engine, salon: BusinessConfig, last_inbound: datetime | None
) -> None:
    plain = Bookings(replace(salon, templates=Templates()))
    _contact(engine, last_inbound=last_inbound)
    booking_id = _booking(engine, plain)
    assert send_reminders(engine, plain, DAY_BEFORE).skipped == [booking_id]
    assert outbox_rows(engine, CUSTOMER) == []
    with transaction(engine) as session:
        assert session.get(Booking, booking_id).reminder_sent_at is None  # type: ignore[union-attr]
    assert send_reminders(engine, plain, DAY_BEFORE).skipped == [booking_id]


def test_only_bookings_starting_within_the_period_are_reminded(
    engine: Engine, bookings: Bookings
) -> None:
    _contact(engine, last_inbound=DAY_BEFORE)
    soon = _booking(engine, bookings)
    _booking(engine, bookings, madrid(2025, 3, 6, 10))  # Thursday: not yet
    report = send_reminders(engine, bookings, DAY_BEFORE, within=timedelta(hours=24))
    assert report.text == [soon]


def test_cancelled_and_last_minute_bookings_are_not_reminded(
    engine: Engine, bookings: Bookings
) -> None:
    _contact(engine, last_inbound=NOW)
    cancelled = _booking(engine, bookings)
    with transaction(engine) as session:
        bookings.cancel(session, cancelled, NOW, wa_id=CUSTOMER)
    _booking(engine, bookings, madrid(2025, 3, 3, 15))  # booked at 08:00 for 15:00 today
    assert send_reminders(engine, bookings, NOW + timedelta(minutes=5)).sent == 0


def test_an_unknown_template_parameter_is_a_config_error(
    engine: Engine, salon: BusinessConfig
) -> None:
    # The business file refuses it when loaded; a config built past that check still fails here.
    wrong = TemplateRef("r", params=("colour",))
    bad = replace(salon, templates=Templates.model_construct(booking_reminder=wrong))
    rules = Bookings(bad)
    _contact(engine, last_inbound=None)
    _booking(engine, rules)
    with pytest.raises(ConfigError, match="unknown parameter 'colour'"):
        send_reminders(engine, rules, DAY_BEFORE)


def test_two_cron_runs_at_once_remind_once(engine: Engine, bookings: Bookings) -> None:
    _contact(engine, last_inbound=DAY_BEFORE)
    for hour, minute in ((9, 0), (9, 30), (10, 0)):
        _booking(engine, bookings, madrid(2025, 3, 4, hour, minute))
    barrier = threading.Barrier(2, timeout=20)
    sent: list[int] = []

    def run() -> None:
        barrier.wait()
        sent.append(send_reminders(engine, bookings, DAY_BEFORE).sent)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(sent) == 3
    assert len(outbox_rows(engine, CUSTOMER)) == 3
