"""Booking fixtures: a salon's business file, its booking rules and a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import flows.features.booking.models  # noqa: F401  (registers the booking tables before the schema is built)
from flows import FlowHandler, FlowSet, Hooks
from flows.features.booking.booking import Bookings
from flows.features.business import BusinessConfig, parse_business

SALON_YAML = """
business: {name: Salon Sol, timezone: Europe/Madrid, currency: EUR, locale: en_GB}
services:
  - {id: cut, title: Haircut, duration: 30m, price: "18.00", staff: [ana, ben]}
  - {id: colour, title: Colour, duration: 1h30m, price: "55.00", staff: [ana]}
  - {id: consult, title: Consultation, duration: 1h}
hours:
  mon: ["09:00-13:00", "15:00-19:00"]
  tue: ["09:00-13:00", "15:00-19:00"]
  wed: ["09:00-13:00", "15:00-19:00"]
  thu: ["09:00-13:00", "15:00-19:00"]
  fri: ["09:00-13:00", "15:00-19:00"]
  sat: "10:00-14:00"
holidays: [2025-03-19]
booking: {slot_length: 30m, min_notice: 2h, horizon: 14d}
templates:
  booking_reminder: {name: booking_reminder, language: es_ES, params: [name, service, when]}
  handoff: {name: staff_alert, params: [name, number]}
handoff: {notify_number: "+34 600 999 888"}
"""

NOW = datetime(2025, 3, 3, 7, 0, tzinfo=UTC)
"""Monday 3 March 2025, 08:00 in Madrid (UTC+1)."""


def madrid(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A Madrid wall-clock time as an aware datetime."""
    from zoneinfo import ZoneInfo

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Madrid"))


@pytest.fixture
def salon() -> BusinessConfig:
    """The salon's business configuration."""
    return parse_business(SALON_YAML, "salon.yaml")


@pytest.fixture
def bookings(salon: BusinessConfig) -> Bookings:
    """The salon's booking rules."""
    return Bookings(salon)


def handler_for(flowset: FlowSet, hooks: Hooks, business: BusinessConfig) -> FlowHandler:
    """A flow handler answering in the business's language and locale, as the runtime builds it."""
    info = business.business
    return FlowHandler(
        flowset,
        hooks,
        language=info.language or "en",
        locale=info.locale,
        catalogs=business.catalogs,
    )
