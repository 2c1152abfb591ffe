"""What booking keeps about a customer (its ``personal_data`` entry): their appointments.

Bookings stay after an erasure, for the accounts and the diary, with the customer replaced by
the pseudonym (a booking holds no name, address or note); the cells they occupy hold no customer.
"""

from __future__ import annotations

from flows.features._personal import PersonalTables, Rows
from flows.features.booking.models import Booking

booking_data = PersonalTables(Rows(Booking, keep=True))
"""Booking's tables about a customer."""

__all__ = ["booking_data"]
