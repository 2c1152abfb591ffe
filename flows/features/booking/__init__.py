"""Consultation bookings (:class:`BookingFeature`): services, free slots, booking, reminders.

The modules are ``booking`` (:class:`Bookings`, the rules), ``_slots`` (free times), ``messages``
(what the customer sees and types), ``reminders``, ``notices`` (telling a customer of a change
by staff), ``hooks`` (what ``booking.yaml`` calls), ``models`` (the tables, which guarantee a
time is never booked twice), ``cli`` and ``web`` (the console's agenda).
"""

from __future__ import annotations

from pathlib import Path

from flows.features._feature import ConsoleLink, Feature
from flows.features.booking.booking import BookingError, Bookings, Reason, SlotTakenError


class BookingFeature(Feature):
    """Bookings of the business file's services: the ``booking`` flow, ``waflow bookings``."""

    name = "booking"
    personal_data = "flows.features.booking.personal:booking_data"
    flows_dir = Path(__file__).parent / "flows"
    hook_registrar = "flows.features.booking.hooks:register_booking_hooks"
    command_group = "flows.features.booking.cli:bookings"
    console_factory = "flows.features.booking.web:console_pages"
    console_links = (
        ConsoleLink("Bookings", "waflow_booking_console.agenda", owner_only=True, rank=25),
    )


__all__ = ["BookingError", "BookingFeature", "Bookings", "Reason", "SlotTakenError"]
