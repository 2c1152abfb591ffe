"""What the customer is told when staff cancel or move their booking, window open or closed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from bot.sending import outbox_rows
from flows.features.booking import Bookings, notices
from flows.features.business import BusinessConfig, parse_business
from storage import outbox
from storage.db import transaction
from storage.models import Contact
from tests.booking.conftest import NOW, SALON_YAML, madrid

ANA = "34600111222"
UPDATE = "  booking_update: {name: booking_update, params: [name, service, when, status]}\n"


def cancel(engine: Engine, business: BusinessConfig, wrote: timedelta) -> notices.outreach.Sent:
    rules = Bookings(business)
    with transaction(engine) as session:
        session.add(Contact(wa_id=ANA, name="Ana", last_inbound_at=NOW - wrote))
        booking = rules.book(session, ANA, "cut", madrid(2025, 3, 3, 11), NOW)
        rules.cancel(session, int(booking.id or 0), NOW, by="staff")
        return notices.tell_customer(session, rules, booking, "cancelled", NOW)


def test_without_the_template_a_closed_window_holds_the_notice(
    engine: Engine, salon: BusinessConfig
) -> None:
    sent = cancel(engine, salon, timedelta(hours=30))

    assert sent == "held"
    assert notices.told(sent) == "customer told when they next write (24-hour window closed)"
    [row] = outbox_rows(engine, ANA)
    assert (row.state, row.last_error) == ("held", outbox.HELD)
    assert row.payload["text"]["body"].startswith("Sorry, we had to cancel your booking: Haircut")


@pytest.mark.parametrize(
    ("wrote", "told"),
    [(timedelta(hours=1), "text"), (timedelta(hours=30), "template")],
    ids=["window-open", "window-closed"],
)
def test_the_booking_update_template_fills_name_service_when_and_status(
    engine: Engine, wrote: timedelta, told: str
) -> None:
    salon = parse_business(SALON_YAML.replace("templates:\n", "templates:\n" + UPDATE), "s.yaml")

    sent = cancel(engine, salon, wrote)

    [row] = outbox_rows(engine, ANA)
    template = row.payload if told == "template" else row.fallback
    assert sent == told
    assert isinstance(template, dict)
    assert template["template"]["name"] == "booking_update"
    [body] = template["template"]["components"]
    assert [p["text"] for p in body["parameters"]] == [
        "Ana",
        "Haircut",
        "Mon 3 Mar at 11:00",
        "cancelled",
    ]
