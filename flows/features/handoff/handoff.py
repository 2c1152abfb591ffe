"""Human handoff: a customer asks for a person, the bot pauses for them, staff take over.

:func:`request_handoff` sets ``Contact.paused`` (the flow engine then stays silent for that
customer) and alerts ``handoff.notify_number`` through the outbox: a text inside the staff
member's 24-hour window, the ``handoff`` template outside it; with ``handoff.console_url`` both
link to the customer's conversation in the console. :func:`after_hours_text` is what a customer
asking outside the opening hours is told (in the customer's language, as is every text sent
to a customer: this feature's catalogs). :func:`release` gives the customer back to the bot and
tells them so; :func:`release_idle` does it for every customer silent for
``handoff.release_after_minutes`` (``waflow handoff sweep``, from cron). :func:`echo_listener`
pauses the bot for ``handoff.echo_pause_minutes`` when a person answers a customer from the
WhatsApp Business app (coexistence). Requests, releases and echoes are recorded as
:class:`~flows.features.handoff.models.HandoffEvent` rows.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot import messages
from bot.config import mask
from bot.errors import WaflowError
from bot.inbound import MessageEcho, Update
from bot.turn import UpdateListener, shown_name
from flows import Texts, texts_for
from flows.features.business import WEEKDAYS, BusinessConfig, HandoffSettings, outreach
from flows.features.business.timestamps import as_utc
from flows.features.handoff.models import EventKind, HandoffEvent, InboxThread, record_event
from storage.db import transaction
from storage.inbox import lock_contact
from storage.models import Contact, Conversation, OutboxMessage
from storage.outbox import SUPPRESSED

log = logging.getLogger(__name__)

BACK_TEXT = HandoffSettings().release_text
"""What a released customer is told unless ``handoff.release_text`` says otherwise."""
OPENS_TIME = "HH:mm"
"""How the opening time is written in the after-hours notice (Babel's pattern: ``09:00``)."""
OPENS_DAY = "EEEE d MMMM"
"""How a later opening day is written (Babel's pattern: ``Monday 10 March``); each language's
catalog gives its own (``EEEE d 'de' MMMM``: ``lunes 10 de marzo``)."""

# The events that show someone is still busy with a handoff, besides messages either way.
_ACTIVE: tuple[EventKind, ...] = ("requested", "claimed", "echo")


class HandoffError(WaflowError):
    """A handoff command named a customer that cannot be released."""


def console_link(config: BusinessConfig, contact: Contact) -> str | None:
    """The customer's conversation in the console, when ``handoff.console_url`` is set."""
    base = config.handoff.console_url
    return f"{base}/console/inbox/{contact.id}" if base and contact.id is not None else None


def staff_alert_text(config: BusinessConfig, contact: Contact, message: str | None) -> str:
    """The text sent to staff, in the business's language: who asked, their number, what they
    last wrote, where to answer."""
    texts = config.texts()
    name = shown_name(contact.name)
    who = f"{name} (+{contact.wa_id})" if name else f"+{contact.wa_id}"
    lines = [
        texts(
            "{business}: {who} asked to talk to a person.", business=config.business.name, who=who
        )
    ]
    if message:
        lines.append(texts('Last message: "{message}"', message=message[:500]))
    link = console_link(config, contact)
    if link:
        lines.append(texts("The bot is paused for them. Answer here: {link}", link=link))
    else:
        lines.append(
            texts(
                "The bot is paused for them. When you are done: waflow handoff release {number}",
                number=contact.wa_id,
            )
        )
    return "\n".join(lines)


def request_handoff(
    session: Session,
    config: BusinessConfig,
    contact: Contact,
    now: datetime,
    *,
    message: str | None = None,
) -> outreach.Sent:
    """Pause the bot for ``contact`` and alert the staff, passing on ``message`` (what they wrote).

    Runs in the caller's transaction; ``config`` gives the notify number and ``handoff`` template
    (its values: ``name``, ``number``, ``message``, ``business`` and ``link``).

    Returns:
        How the staff was alerted: ``text``, ``template``, or ``skipped`` (no notify number, or
        its window is closed and there is no ``handoff`` template).

    Raises:
        ConfigError: The ``handoff`` template names an unknown parameter.
    """
    contact.paused = True  # the engine's ``handoff`` states do it too
    session.add(contact)
    record_event(session, contact.wa_id, "requested", now)
    log.info("handoff requested by %s", mask(contact.wa_id))
    staff = config.handoff.notify_number
    if not staff:
        log.warning("handoff of %s: no handoff.notify_number configured", mask(contact.wa_id))
        return "skipped"
    values = {
        "name": shown_name(contact.name) or "",
        "number": "+" + contact.wa_id,
        "message": (message or "")[:200],
        "business": config.business.name,
        "link": console_link(config, contact) or "",
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


def next_opening(config: BusinessConfig, now: datetime) -> datetime | None:
    """When the business next opens, on its own clock; ``None`` while it is open.

    Also ``None`` when the business file gives no opening hours (nothing to say then) or no
    opening in the coming year (holidays all the way).
    """
    if not any(getattr(config.hours, day) for day in WEEKDAYS):
        return None
    local = config.local(now)
    for offset in range(367):
        day = local.date() + timedelta(days=offset)
        if day in config.holidays:
            continue
        for interval in config.hours.on(day):
            opens = datetime.combine(day, interval.start, tzinfo=config.tz)
            closes = datetime.combine(day, interval.end, tzinfo=config.tz)
            if opens <= local < closes:
                return None
            if local < opens:
                return opens
    return None


def after_hours_text(
    config: BusinessConfig, now: datetime, texts: Texts | None = None
) -> str | None:
    """``handoff.after_hours_text`` with the next opening time, or ``None`` while open.

    Args:
        config: The business (its opening hours and texts).
        now: The current time.
        texts: The customer's words and formats (the business's language without): the text
            and the opening time ("tomorrow at 09:00", "mañana a las 09:00") in their language.
    """
    opens = next_opening(config, now)
    if opens is None:
        return None
    texts = texts or config.texts()
    days = (opens.date() - config.local(now).date()).days
    at = texts.time(opens, OPENS_TIME)
    if days == 0:
        when = texts("today at {time}", time=at)
    elif days == 1:
        when = texts("tomorrow at {time}", time=at)
    else:
        day = texts.date(opens.date(), texts(OPENS_DAY))
        when = texts("on {day} at {time}", day=day, time=at)
    return texts(config.handoff.after_hours_text).replace("{opens}", when)


def echo_listener(config: BusinessConfig) -> UpdateListener:
    """The listener pausing the bot for a customer a person answered from the Business app.

    Each echo records an ``echo`` event; with ``handoff.echo_pause_minutes`` (not ``0``) it keeps
    the bot quiet until that long after the echo was sent (a later pause is never shortened).
    """
    pause = timedelta(minutes=config.handoff.echo_pause_minutes)

    def on_update(session: Session, update: Update, contact: Contact | None, now: datetime) -> None:
        if not isinstance(update, MessageEcho) or contact is None:
            return
        sent = min(update.timestamp, now)
        record_event(session, contact.wa_id, "echo", sent)
        until = sent + pause
        if pause and (contact.paused_until is None or as_utc(contact.paused_until) < until):
            contact.paused_until = until
            session.add(contact)
            log.info(
                "bot paused for %s: a person answered from the Business app", mask(contact.wa_id)
            )

    return on_update


def paused_contacts(session: Session) -> list[tuple[Contact, Conversation | None]]:
    """The customers waiting for (or talking to) a person, longest-waiting first."""
    query = (
        select(Contact, Conversation)
        .join(Conversation, col(Conversation.wa_id) == col(Contact.wa_id), isouter=True)
        .where(col(Contact.paused).is_(True))
        .order_by(col(Contact.last_inbound_at), col(Contact.id))
    )
    return [(contact, conversation) for contact, conversation in session.exec(query)]


def release(
    session: Session,
    wa_id: str,
    now: datetime,
    *,
    text: str = BACK_TEXT,
    kind: EventKind = "released",
    staff_id: int | None = None,
    config: BusinessConfig | None = None,
) -> bool:
    """Give paused customer ``wa_id`` back to the bot (nobody has the conversation in the inbox
    any more); tell them ``text``, in their language, if their window is open.

    Args:
        session: The open transaction.
        wa_id: The customer.
        now: The current time.
        text: What they are told (``handoff.release_text``).
        kind: The event recorded: ``released``, or ``idle_released`` by :func:`release_idle`.
        staff_id: The staff member who released them, if one did.
        config: The business: ``text`` is translated with its catalogs into the customer's
            language, else its language (waflow's catalogs and the customer's language without).

    Returns:
        Whether the customer was told (``False``: their 24-hour window is closed).

    Raises:
        HandoffError: No such customer, or the bot is not paused for them.
    """
    contact = outreach.find_contact(session, wa_id)
    if contact is None:
        raise HandoffError(f"no customer with number {mask(wa_id)}")
    if not contact.bot_paused(now):
        raise HandoffError(f"the bot is not paused for {mask(wa_id)}")
    contact.paused, contact.paused_until = False, None
    session.add(contact)
    session.execute(
        update(InboxThread).where(col(InboxThread.wa_id) == wa_id).values(assignee_id=None)
    )  # nobody has the conversation any more, however it was given back
    record_event(session, wa_id, kind, now, staff_id=staff_id)
    log.info("bot resumed for %s (%s)", mask(wa_id), kind)
    texts = config.texts(contact.language) if config else texts_for(contact.language)
    note = messages.text(wa_id, texts(text))
    return outreach.reach(session, wa_id, now, free_form=note, what="back-to-bot note") == "text"


def last_activity(session: Session, contact: Contact) -> datetime | None:
    """The customer's last message, the last one queued for them (not a suppressed one), or
    their last handoff event."""
    sent = select(func.max(OutboxMessage.created_at)).where(
        OutboxMessage.wa_id == contact.wa_id, OutboxMessage.state != SUPPRESSED
    )
    event = select(func.max(HandoffEvent.at)).where(
        HandoffEvent.wa_id == contact.wa_id, col(HandoffEvent.kind).in_(_ACTIVE)
    )
    moments = [contact.last_inbound_at, session.exec(sent).one(), session.exec(event).one()]
    return max((as_utc(m) for m in moments if m is not None), default=None)


def release_idle(session: Session, config: BusinessConfig, now: datetime) -> list[tuple[str, bool]]:
    """Give back to the bot every paused customer idle for ``handoff.release_after_minutes``.

    Idle means no message either way (theirs, the staff's, an echo) and no handoff event for
    that long. Each is told ``handoff.release_text`` when their window is open (the 24-hour rule
    is :func:`~flows.features.business.outreach.reach`'s) and gets an ``idle_released`` event.

    Returns:
        ``(wa_id, told)`` for each customer released; nothing when the setting is unset.
    """
    minutes = config.handoff.release_after_minutes
    if minutes is None:
        return []
    cutoff = now - timedelta(minutes=minutes)
    released: list[tuple[str, bool]] = []
    for waiting, _ in paused_contacts(session):
        wa_id = waiting.wa_id
        session.expire(waiting)  # read again under the lock: a turn may have changed it
        contact = lock_contact(session, wa_id, now=now)
        last = last_activity(session, contact)
        if contact.paused and (last is None or last <= cutoff):
            text = config.handoff.release_text
            told = release(
                session, contact.wa_id, now, text=text, kind="idle_released", config=config
            )
            released.append((contact.wa_id, told))
    return released


def release_idle_task(engine: Engine, config: BusinessConfig, now: datetime) -> bool:
    """:func:`release_idle` in a transaction of its own: the feature's periodic task.

    Returns:
        Whether someone was released (a note may wait to be sent).
    """
    if config.handoff.release_after_minutes is None:
        return False
    with transaction(engine) as session:
        return bool(release_idle(session, config, now))


__all__ = [
    "BACK_TEXT",
    "HandoffError",
    "after_hours_text",
    "console_link",
    "echo_listener",
    "last_activity",
    "next_opening",
    "paused_contacts",
    "release",
    "release_idle",
    "release_idle_task",
    "request_handoff",
    "staff_alert_text",
]
