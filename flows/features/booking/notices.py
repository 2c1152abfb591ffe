"""What the shop tells a customer when its staff cancel or move their booking.

One text per change, queued through :func:`flows.features.business.outreach.reach` in the
caller's transaction: it goes out only inside the customer's 24-hour window (there is no
approved template for these), so the staff are told whether the customer was reached.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlmodel import Session

from bot import messages
from flows.features.booking.booking import Bookings
from flows.features.booking.messages import summary
from flows.features.booking.models import Booking
from flows.features.business import outreach

Change = Literal["cancelled", "moved"]
_TEXTS: dict[Change, str] = {
    "cancelled": "Sorry, we had to cancel your booking: {line}. Reply *book* to choose another time.",
    "moved": "We have moved your booking: {line}. To change or cancel it, reply *my bookings*.",
}


def tell_customer(
    session: Session, bookings: Bookings, booking: Booking, change: Change, now: datetime
) -> bool:
    """Queue the message telling the customer their booking was ``change``.

    Returns:
        ``True`` when queued; ``False`` when their 24-hour window is closed (nothing is sent).
    """
    text = _TEXTS[change].format(line=summary(bookings, booking))
    sent = outreach.reach(
        session,
        booking.wa_id,
        now,
        free_form=messages.text(booking.wa_id, text),
        what=f"{change} booking {booking.id}",
    )
    return sent == "text"


def told(reached: bool) -> str:
    """What the staff are told about the customer: ``customer told`` or why not."""
    return "customer told" if reached else "customer NOT told (24-hour window closed)"


__all__ = ["Change", "tell_customer", "told"]
