"""Telling a customer about their order through the outbox, inside or outside the 24-hour window.

Inside the customer service window (the customer wrote less than 24 hours ago,
``Contact.last_inbound_at``) a plain text goes out; outside it only an approved template may,
so the business's ``templates.order_update`` is used with its configured parameters. Without
that template the update is recorded but not sent. Digital products are delivered here too.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Literal

from sqlmodel import Session, select

from bot import messages
from bot.config import mask
from bot.sending import WINDOW
from flows.features.business import BusinessConfig, format_money
from flows.features.shop.models import Order, OrderEvent, OrderLine, as_utc
from storage import outbox
from storage.models import Contact

log = logging.getLogger(__name__)

Delivery = Literal["text", "template", "skipped"]


def in_window(session: Session, wa_id: str, now: datetime) -> bool:
    """True when the customer wrote within the last 24 hours (free-form messages allowed)."""
    contact = session.exec(select(Contact).where(Contact.wa_id == wa_id)).first()
    if contact is None or contact.last_inbound_at is None:
        return False
    return as_utc(now) - as_utc(contact.last_inbound_at) < WINDOW


def _template_value(
    name: str, order: Order, label: str, business: BusinessConfig, contact_name: str | None
) -> str:
    if name == "number":
        return order.number
    if name == "status":
        return label
    if name == "tracking_url":
        return order.tracking_url or "-"
    if name == "total":
        return format_money(order.total, order.currency, business.business.locale)
    return contact_name or "there"


def notify(
    session: Session,
    business: BusinessConfig,
    order: Order,
    text: str,
    label: str,
    now: datetime,
) -> Delivery:
    """Queue an order update for the customer.

    Args:
        session: The open transaction; the message is committed with it.
        business: The configuration (its ``templates.order_update``).
        order: The order.
        text: The free-form text, used inside the window.
        label: The status as words, the ``status`` template parameter outside the window.
        now: The current time.

    Returns:
        ``"text"``, ``"template"``, or ``"skipped"`` (window closed and no template).
    """
    wa_id = order.wa_id
    if in_window(session, wa_id, now):
        outbox.enqueue(session, wa_id, [messages.text(wa_id, text[: messages.MAX_TEXT])], now=now)
        return "text"
    ref = business.templates.order_update
    if ref is None:
        log.warning(
            "order %s: window closed for %s and no templates.order_update; update not sent",
            order.number,
            mask(wa_id),
        )
        return "skipped"
    contact = session.exec(select(Contact).where(Contact.wa_id == wa_id)).first()
    name = contact.name if contact else None
    values = [_template_value(p, order, label, business, name) for p in ref.params]
    components = [messages.body_params(*values)] if values else None
    payload = messages.template(wa_id, ref.name, ref.language, components)
    outbox.enqueue(session, wa_id, [payload], now=now)
    return "template"


def deliver_digital(
    session: Session, business: BusinessConfig, order: Order, lines: list[OrderLine], now: datetime
) -> int:
    """Queue the document or link of every digital line of a paid order.

    Returns:
        How many messages were queued; 0 when the window is closed (an event records that the
        delivery is waiting; ``waflow orders show`` shows it to staff).
    """
    payloads: list[dict[str, Any]] = []
    for line in lines:
        product = business.catalog.product(line.product_id)
        if line.kind != "digital" or product is None or product.digital is None:
            continue
        digital = product.digital
        if digital.kind == "document":
            payloads.append(
                messages.document(
                    order.wa_id, link=digital.url, filename=digital.filename, caption=line.title
                )
            )
        else:
            payloads.append(
                messages.text(order.wa_id, f"{line.title}: {digital.url}", preview_url=True)
            )
    if not payloads:
        return 0
    if not in_window(session, order.wa_id, now):
        note = "digital delivery waiting: the customer has not written in 24 hours"
        session.add(
            OrderEvent(order_id=order.id or 0, status=order.status, note=note, created_at=now)
        )
        log.warning("order %s: %s", order.number, note)
        return 0
    outbox.enqueue(session, order.wa_id, payloads, now=now)
    return len(payloads)


__all__ = ["Delivery", "deliver_digital", "in_window", "notify"]
