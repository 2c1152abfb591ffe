"""Messages the business starts (reminders, invitations, staff alerts), inside or outside the window.

This helper module owns one decision: a free-form message is sent only while the recipient's
24-hour window is open (less a safety margin, :data:`MARGIN`, as it is sent a moment later);
otherwise the configured approved template, its body parameters filled by name; without a
template, nothing, or (``hold=True``: digital goods, booking changes) the message is stored
``held`` and goes out when the customer next writes. The free-form message carries the template
(or the hold) as its outbox ``fallback``, for a window that closes before the sender gets to it.
Everything goes through the outbox in the caller's transaction, with its
category (the free-form message's, or the template's own): the outbox stores a ``marketing``
message to a customer who opted out as ``suppressed`` and never sends it.
:func:`reach_once` adds a claim that is undone when nothing could be sent, so the message stays due.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlmodel import Session, select

from bot import messages
from bot.config import mask
from bot.errors import ConfigError
from bot.sending import WINDOW
from bot.turn import shown_name
from flows import Texts
from flows.features.business._model import BusinessConfig, TemplateRef
from flows.features.business.timestamps import as_utc
from storage import outbox
from storage.models import Contact

log = logging.getLogger(__name__)

MARGIN = timedelta(minutes=10)
"""A window closing sooner than this is treated as closed."""
Sent = Literal["text", "template", "held", "skipped"]


def find_contact(session: Session, wa_id: str) -> Contact | None:
    """The contact row of ``wa_id``, if they ever wrote."""
    return session.exec(select(Contact).where(Contact.wa_id == wa_id)).first()


def customer_texts(session: Session, business: BusinessConfig, wa_id: str) -> Texts:
    """The words of the customer ``wa_id`` outside a conversation (order news, a reminder):
    their remembered language, else the business's."""
    contact = find_contact(session, wa_id)
    return business.texts(contact.language if contact else None)


def contact_name(session: Session, wa_id: str, default: str = "") -> str:
    """The profile name of ``wa_id`` as a message shows it (cut, :func:`bot.turn.shown_name`),
    or ``default`` when unknown."""
    contact = find_contact(session, wa_id)
    return shown_name(contact.name if contact else None) or default


def window_open(session: Session, wa_id: str, now: datetime, *, margin: timedelta = MARGIN) -> bool:
    """Whether ``wa_id`` wrote in the last 24 hours, minus ``margin``."""
    contact = find_contact(session, wa_id)
    last = contact.last_inbound_at if contact else None
    return last is not None and as_utc(now) < as_utc(last) + WINDOW - margin


def reach(
    session: Session,
    wa_id: str,
    now: datetime,
    *,
    free_form: dict[str, Any],
    what: str,
    template: TemplateRef | None = None,
    values: Mapping[str, str] | None = None,
    margin: timedelta = MARGIN,
    category: outbox.Category = "utility",
    hold: bool = False,
) -> Sent:
    """Queue a business-initiated message for ``wa_id``.

    Args:
        session: The open transaction.
        wa_id: The recipient.
        now: The current time.
        free_form: The message to send while the window is open.
        what: A few words for the log (``booking reminder``).
        template: The approved template for outside the window; ``None``: send nothing then.
        values: The template's parameter values by name.
        margin: How long before it closes the window counts as closed.
        category: The free-form message's category (``marketing`` is suppressed for a
            customer who opted out); a template is sent with its own ``category``.
        hold: Without a template, keep the message until the customer next writes instead of
            sending nothing (it must still be worth sending then).

    Returns:
        ``text`` or ``template`` (queued; stored ``suppressed`` instead of sent when it is
        marketing to a customer who opted out), ``held`` (window closed, no template, ``hold``)
        or ``skipped`` (window closed, no template).

    Raises:
        ConfigError: The template names an unknown parameter.
    """
    fallback = _template(wa_id, template, values) if template is not None else None
    if window_open(session, wa_id, now, margin=margin):
        on_closed = fallback if fallback is not None else (outbox.HOLD if hold else None)
        _queue(session, wa_id, free_form, now, category, what, fallback=on_closed)
        return "text"
    if template is None and hold:
        _queue(session, wa_id, free_form, now, category, what, held=True)
        return "held"
    if template is None or fallback is None:
        log.warning(
            "%s for %s not sent: the 24-hour window is closed and no template is configured",
            what,
            mask(wa_id),
        )
        return "skipped"
    _queue(session, wa_id, fallback, now, template.category, f"{what} (template {template.name})")
    return "template"


def _template(
    wa_id: str, template: TemplateRef, values: Mapping[str, str] | None
) -> dict[str, Any]:
    """The template's message to ``wa_id``, its body parameters filled by name."""
    values = values or {}
    unknown = [p for p in template.params if p not in values]
    if unknown:
        known = ", ".join(sorted(values))
        raise ConfigError(
            f"template {template.name}: unknown parameter {unknown[0]!r} (known: {known})"
        )
    params = [values[p] or "-" for p in template.params]
    components = [messages.body_params(*params)] if params else None
    return messages.template(wa_id, template.name, template.language, components)


def _queue(
    session: Session,
    wa_id: str,
    message: dict[str, Any],
    now: datetime,
    category: outbox.Category,
    what: str,
    *,
    fallback: outbox.Fallback | None = None,
    held: bool = False,
) -> None:
    (row,) = outbox.enqueue(
        session, wa_id, [message], now=now, category=category, fallback=fallback, held=held
    )
    if row.state == "suppressed":
        log.info("%s for %s not sent: %s", what, mask(wa_id), outbox.SUPPRESSED)
    elif row.state == "held":
        log.info("%s for %s %s (the 24-hour window is closed)", what, mask(wa_id), outbox.HELD)
    else:
        log.info("%s queued for %s", what, mask(wa_id))


def reach_once(
    session: Session, claim: Callable[[], bool], send: Callable[[], Sent]
) -> Sent | None:
    """Run ``claim()`` then ``send()`` (a :func:`reach`) in a savepoint undone when nothing was sent.

    Args:
        session: The open transaction.
        claim: Records the message as sent (an atomic update or a unique insert); ``False``: it
            already was, and nothing is sent.
        send: Sends it, e.g. ``functools.partial(reach, session, wa_id, now, ...)``.

    Returns:
        ``None`` when the claim was lost; otherwise what ``send()`` returned (``skipped``: the
        claim was undone, so the message stays due).
    """
    with session.begin_nested() as savepoint:
        if not claim():
            return None
        sent = send()
        if sent == "skipped":
            savepoint.rollback()
    return sent


__all__ = [
    "MARGIN",
    "Sent",
    "contact_name",
    "customer_texts",
    "find_contact",
    "reach",
    "reach_once",
    "window_open",
]
