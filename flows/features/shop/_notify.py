"""Telling a customer about their order through the outbox, inside or outside the 24-hour window.

Inside the customer service window (the customer wrote less than 24 hours ago; unlike other
business-initiated messages, with no safety margin) a plain text goes out; outside it only an
approved template may, so the business's ``templates.order_update`` is used with its configured
parameters (:func:`flows.features.business.outreach.reach`). Without that template the update is
recorded but not sent. Digital products are delivered here too.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot import messages
from flows.features.business import BusinessConfig, format_money, outreach
from flows.features.shop.models import Order, OrderLine, add_event
from storage import outbox

log = logging.getLogger(__name__)

NO_MARGIN = timedelta(0)
"""Order updates use the whole 24-hour window."""


def notify(
    session: Session,
    business: BusinessConfig,
    order: Order,
    text: str,
    label: str,
    now: datetime,
) -> outreach.Sent:
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
    contact = outreach.find_contact(session, wa_id)
    values = {
        "number": order.number,
        "status": label,
        "tracking_url": order.tracking_url or "-",
        "total": format_money(order.total, order.currency, business.business.locale),
        "name": (contact.name if contact else None) or "there",
    }
    return outreach.reach(
        session,
        wa_id,
        now,
        free_form=messages.text(wa_id, text[: messages.MAX_TEXT]),
        template=business.templates.order_update,
        values=values,
        what=f"order {order.number} update",
        margin=NO_MARGIN,
    )


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
    if not outreach.window_open(session, order.wa_id, now, margin=NO_MARGIN):
        note = "digital delivery waiting: the customer has not written in 24 hours"
        add_event(session, order, now, note=note)
        log.warning("order %s: %s", order.number, note)
        return 0
    outbox.enqueue(session, order.wa_id, payloads, now=now)
    return len(payloads)


__all__ = ["NO_MARGIN", "deliver_digital", "notify"]
