"""What broadcasts keep about a customer (its ``personal_data`` entry): who got which campaign.

A recipient row stays after an erasure, pseudonymised, so a campaign's audience and report
keep their totals; the broadcast itself names no customer.
"""

from __future__ import annotations

from flows.features._personal import PersonalTables, Rows
from flows.features.broadcasts.models import BroadcastRecipient

broadcast_data = PersonalTables(Rows(BroadcastRecipient, keep=True))
"""Broadcasts' tables about a customer."""

__all__ = ["broadcast_data"]
