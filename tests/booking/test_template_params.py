"""The booking reminder fills every parameter ``TEMPLATE_PARAMS`` lists for ``booking_reminder``."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy.engine import Engine

from bot.sending import outbox_rows
from flows.features.booking.booking import Bookings
from flows.features.booking.reminders import send_reminders
from flows.features.business import TEMPLATE_PARAMS, BusinessConfig, TemplateRef, Templates
from storage.db import transaction
from storage.models import Contact
from tests.booking.conftest import NOW, madrid

CUSTOMER = "34600000001"


def test_a_reminder_template_may_use_every_listed_parameter(
    engine: Engine, salon: BusinessConfig
) -> None:
    names = sorted(TEMPLATE_PARAMS["booking_reminder"] or ())
    template = TemplateRef("booking_reminder", params=tuple(names))
    bookings = Bookings(replace(salon, templates=Templates(booking_reminder=template)))
    with transaction(engine) as session:
        session.add(Contact(wa_id=CUSTOMER, name="Ana", last_inbound_at=NOW - timedelta(days=2)))
        bookings.book(session, CUSTOMER, "cut", madrid(2025, 3, 4, 10), NOW)
    assert send_reminders(engine, bookings, madrid(2025, 3, 3, 10, 30)).template
    [row] = outbox_rows(engine, CUSTOMER)
    sent = [p["text"] for p in row.payload["template"]["components"][0]["parameters"]]
    assert dict(zip(names, sent, strict=True))["service"] == "Haircut"
