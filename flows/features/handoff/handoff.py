"""Human handoff: a customer asks for a person, the bot pauses for them, staff take over.

:func:`request_handoff` sets ``Contact.paused`` (the flow engine then stays silent for that
customer) and alerts ``handoff.notify_number`` through the outbox: a text inside the staff
member's 24-hour window, the ``handoff`` template outside it. :func:`release` gives the
customer back to the bot and tells them so.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session, col, select

from bot import messages
from bot.config import mask
from bot.errors import WaflowError
from flows.features.business import BusinessConfig, outreach
from storage.models import Contact, Conversation

log = logging.getLogger(__name__)

BACK_TEXT = "You're chatting with our assistant again. Send *menu* to see what I can do."
"""What a released customer is told."""


class HandoffError(WaflowError):
    """A handoff command named a customer that cannot be released."""


def staff_alert_text(config: BusinessConfig, contact: Contact, message: str | None) -> str:
    """The text sent to staff: who asked, their number, and what they last wrote."""
    who = f"{contact.name} (+{contact.wa_id})" if contact.name else f"+{contact.wa_id}"
    text = f"{config.business.name}: {who} asked to talk to a person."
    if message:
        text += f'\nLast message: "{message[:500]}"'
    text += (
        f"\nThe bot is paused for them. When you are done: waflow handoff release {contact.wa_id}"
    )
    return text


def request_handoff(
    session: Session,
    config: BusinessConfig,
    contact: Contact,
    now: datetime,
    *,
    message: str | None = None,
) -> outreach.Sent:
    """Pause the bot for ``contact`` and alert the staff, passing on ``message`` (what they wrote).

    Runs in the caller's transaction; ``config`` gives the notify number and ``handoff`` template.

    Returns:
        How the staff was alerted: ``text``, ``template``, or ``skipped`` (no notify number, or
        its window is closed and there is no ``handoff`` template).

    Raises:
        ConfigError: The ``handoff`` template names an unknown parameter.
    """
    contact.paused = True  # the engine's ``handoff`` states do it too
    session.add(contact)
    log.info("handoff requested by %s", mask(contact.wa_id))
    staff = config.handoff.notify_number
    if not staff:
        log.warning("handoff of %s: no handoff.notify_number configured", mask(contact.wa_id))
        return "skipped"
    values = {
        "name": contact.name or "",
        "number": "+" + contact.wa_id,
        "message": (message or "")[:200],
        "business": config.business.name,
    }
    return outreach.reach(
        session,
        staff,
        now,
        free_form=messages.text(staff, staff_alert_text(config, contact, message)),
        template=config.templates.handoff,
        values=values,
        what=f"handoff alert about {mask(contact.wa_id)}",
    )


def paused_contacts(session: Session) -> list[tuple[Contact, Conversation | None]]:
    """The customers waiting for (or talking to) a person, longest-waiting first."""
    query = (
        select(Contact, Conversation)
        .join(Conversation, col(Conversation.wa_id) == col(Contact.wa_id), isouter=True)
        .where(col(Contact.paused).is_(True))
        .order_by(col(Contact.last_inbound_at), col(Contact.id))
    )
    return [(contact, conversation) for contact, conversation in session.exec(query)]


def release(session: Session, wa_id: str, now: datetime) -> bool:
    """Give paused customer ``wa_id`` back to the bot; tell them so if their window is open.

    Returns:
        Whether the customer was told (``False``: their 24-hour window is closed).

    Raises:
        HandoffError: No such customer, or the bot is not paused for them.
    """
    contact = outreach.find_contact(session, wa_id)
    if contact is None:
        raise HandoffError(f"no customer with number {mask(wa_id)}")
    if not contact.paused:
        raise HandoffError(f"the bot is not paused for {mask(wa_id)}")
    contact.paused = False
    session.add(contact)
    log.info("bot resumed for %s", mask(wa_id))
    note = messages.text(wa_id, BACK_TEXT)
    return outreach.reach(session, wa_id, now, free_form=note, what="back-to-bot note") == "text"


__all__ = [
    "BACK_TEXT",
    "HandoffError",
    "paused_contacts",
    "release",
    "request_handoff",
    "staff_alert_text",
]
