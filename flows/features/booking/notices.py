"""What the shop tells a customer when its staff cancel or move their booking.

One text per change, queued through :func:`flows.features.business.outreach.reach` in the
caller's transaction: inside the customer's 24-hour window as a text (with the
``templates.booking_update`` template as its fallback), outside it as that template (parameters
``name``, ``service``, ``when``, ``status`` and the reminder's others), and without the template
it is held and goes out when the customer next writes. The text is in the customer's remembered
language (else the business's); the staff are told which way it went, in English.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlmodel import Session

from bot import messages
from flows.features.booking.booking import Bookings
from flows.features.booking.messages import summary
from flows.features.booking.models import Booking
from flows.features.booking.reminders import reminder_values, template_texts
from flows.features.business import outreach

Change = Literal["cancelled", "moved"]
_TEXTS: dict[Change, str] = {
    "cancelled": "Sorry, we had to cancel your booking: {line}. Reply *book* to choose another time.",
    "moved": "We have moved your booking: {line}. To change or cancel it, reply *my bookings*.",
}


def tell_customer(
    session: Session, bookings: Bookings, booking: Booking, change: Change, now: datetime
) -> outreach.Sent:
    """Queue the message telling the customer their booking was ``change``.

    Returns:
        How: ``text``, ``template`` (window closed) or ``held`` (window closed, no
        ``booking_update`` template: it goes out when they next write).

    Raises:
        ConfigError: The ``booking_update`` template names an unknown parameter.
    """
    texts = outreach.customer_texts(session, bookings.config, booking.wa_id)
    text = texts(_TEXTS[change], line=summary(bookings, booking, texts))
    name = outreach.contact_name(session, booking.wa_id)
    template = bookings.config.templates.booking_update
    in_template = template_texts(bookings, template, texts)
    return outreach.reach(
        session,
        booking.wa_id,
        now,
        free_form=messages.text(booking.wa_id, text),
        what=f"{change} booking {booking.id}",
        template=template,
        values={**reminder_values(bookings, booking, name, in_template), "status": change},
        hold=True,
    )


def told(sent: outreach.Sent) -> str:
    """What the staff are told about the customer: ``customer told`` or how they will be."""
    if sent == "text":
        return "customer told"
    if sent == "template":
        return "customer told (booking_update template: 24-hour window closed)"
    if sent == "held":
        return "customer told when they next write (24-hour window closed)"
    return "customer NOT told (24-hour window closed)"


__all__ = ["Change", "tell_customer", "told"]
