"""Booking reminders for cron: each booking is reminded once, N hours before it starts.

A booking is due when it is confirmed, starts within the next ``within`` and was not reminded
yet; one booked inside that period is left alone (the customer has just been told). Each
reminder is claimed with an atomic update of ``reminder_sent_at`` and queued in the same
transaction, so two cron runs never remind twice. It is a text inside the customer's 24-hour
window, in the customer's remembered language (else the business's), the ``booking_reminder``
template outside it (its parameters written in the template's language); without the template it
stays due.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot import messages
from flows import Texts
from flows.features.booking._words import clock, day_label
from flows.features.booking.booking import Bookings
from flows.features.booking.messages import summary
from flows.features.booking.models import Booking, claim_reminder
from flows.features.business import TemplateRef, outreach
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


def template_texts(bookings: Bookings, template: TemplateRef | None, customer: Texts) -> Texts:
    """The words a template's parameters are written in: the template's language (its text
    is fixed in it), or the customer's without a template."""
    return bookings.config.texts(template.language) if template is not None else customer


def reminder_values(
    bookings: Bookings, booking: Booking, name: str | None, texts: Texts
) -> dict[str, str]:
    """The template parameters of a booking reminder, by name, written with ``texts``."""
    when = bookings.local(booking.start_at)
    day, time = day_label(texts, when), clock(texts, when)
    return {
        "name": name or "",
        "service": bookings.title(booking.service, texts),
        "date": day,
        "time": time,
        "when": texts("{day} at {time}", day=day, time=time),
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
            texts = outreach.customer_texts(session, bookings.config, booking.wa_id)
            text = texts(
                "Reminder: {booking}, at {business}. To change or cancel it, reply *my bookings*.",
                booking=summary(bookings, booking, texts),
                business=bookings.config.business.name,
            )
            name = outreach.contact_name(session, booking.wa_id)
            in_template = template_texts(bookings, template, texts)
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
                    values=reminder_values(bookings, booking, name, in_template),
                ),
            )
            if outcome is not None:  # None: another run got it first
                getattr(report, outcome).append(booking_id)
    return report


__all__ = [
    "ReminderReport",
    "due",
    "reminder_values",
    "send_reminders",
    "template_texts",
]
