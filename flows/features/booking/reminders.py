"""Booking reminders for cron: each booking is reminded once, N hours before it starts.

A booking is due when it is confirmed, starts within the next ``within`` and was not reminded
yet; one booked inside that period is left alone (the customer has just been told). Each
reminder is claimed with an atomic update of ``reminder_sent_at`` and queued in the same
transaction, so two cron runs never remind twice. It is a text inside the customer's 24-hour
window, the ``booking_reminder`` template outside it; without the template it stays due.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot import messages
from flows.features.booking.booking import Bookings
from flows.features.booking.messages import day_label, summary
from flows.features.booking.models import Booking, claim_reminder
from flows.features.business import outreach
from flows.features.business.timestamps import as_utc
from storage.db import transaction


@dataclass
class ReminderReport:
    """What one run did: booking ids by outcome."""

    text: list[int] = field(default_factory=list)
    template: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)

    @property
    def sent(self) -> int:
        """How many reminders were queued."""
        return len(self.text) + len(self.template)


def due(engine: Engine, now: datetime, within: timedelta) -> list[int]:
    """Ids of the bookings whose reminder is due at ``now``."""
    with transaction(engine) as session:
        query = (
            select(Booking)
            .where(
                Booking.status == "confirmed",
                col(Booking.reminder_sent_at).is_(None),
                Booking.start_at > as_utc(now),
                Booking.start_at <= as_utc(now + within),
            )
            .order_by(col(Booking.start_at))
        )
        return [
            int(b.id or 0)
            for b in session.exec(query)
            if as_utc(b.created_at) <= as_utc(b.start_at) - within
        ]


def reminder_values(bookings: Bookings, booking: Booking, name: str | None) -> dict[str, str]:
    """The template parameters of a booking reminder, by name."""
    when = bookings.local(booking.start_at)
    day = day_label(when)
    return {
        "name": name or "",
        "service": bookings.title(booking.service),
        "date": day,
        "time": f"{when:%H:%M}",
        "when": f"{day} at {when:%H:%M}",
        "staff": booking.resource,
        "id": str(booking.id),
        "business": bookings.config.business.name,
    }


def send_reminders(
    engine: Engine, bookings: Bookings, now: datetime, *, within: timedelta = timedelta(hours=24)
) -> ReminderReport:
    """Queue the reminders of the bookings starting ``within`` from ``now`` (see the module).

    Returns:
        Which bookings got a text, a template, or nothing (no template, window closed).

    Raises:
        ConfigError: The ``booking_reminder`` template names an unknown parameter.
    """
    report = ReminderReport()
    template = bookings.config.templates.booking_reminder
    for booking_id in due(engine, now, within):
        with transaction(engine) as session:
            booking = session.get(Booking, booking_id)
            if booking is None:
                continue
            text = (
                f"Reminder: {summary(bookings, booking)}, at {bookings.config.business.name}. "
                "To change or cancel it, reply *my bookings*."
            )
            name = outreach.contact_name(session, booking.wa_id)
            outcome = outreach.reach_once(
                session,
                claim=partial(claim_reminder, session, booking_id, now),
                send=partial(
                    outreach.reach,
                    session,
                    booking.wa_id,
                    now,
                    free_form=messages.text(booking.wa_id, text),
                    what=f"reminder of booking {booking_id}",
                    template=template,
                    values=reminder_values(bookings, booking, name),
                ),
            )
            if outcome is not None:  # None: another run got it first
                getattr(report, outcome).append(booking_id)
    return report


__all__ = ["ReminderReport", "due", "reminder_values", "send_reminders"]
