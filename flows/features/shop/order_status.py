"""Order status changes: the order life cycle, from ``pending_payment`` to its final status.

Every change (:data:`TRANSITIONS`) is a conditional ``UPDATE`` (``WHERE status IN (...)``), so a
payment webhook and the expiry job racing on one order cannot both win, and a replayed webhook
changes nothing. Leaving for ``cancelled`` or ``expired`` gives the stock back. Each change is
written to the order's history and the customer is told through
:func:`flows.features.business.outreach.reach`, with no safety margin on the 24-hour window
(outside it, the ``templates.order_update`` template; without one, the news that matters later
(:data:`HELD_UPDATES`) is held until the customer next writes, the rest is not sent). A paid
order's digital products are delivered the same way, and held when the window is closed (the
order's history says so); a delivered one is announced to the other features
(:func:`flows.features.business.events.order_delivered`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from bot import messages
from flows import Texts
from flows.features.business import BusinessConfig, events, outreach
from flows.features.business.timestamps import as_utc
from flows.features.shop._errors import OrderNotFoundError, OrderStateError
from flows.features.shop.models import (
    ORDER_STATUSES,
    Order,
    OrderLine,
    add_event,
    adjust_stock,
    change_status,
)
from flows.features.shop.orders import get_order, order_lines, status_label
from storage.db import is_postgres

log = logging.getLogger(__name__)

NO_MARGIN = timedelta(0)
"""Order updates use the whole 24-hour window."""
HELD_UPDATES = frozenset({"paid", "shipped", "cancelled"})
"""Statuses whose news is held for the customer's next message when it cannot be sent now
(payment received, ready or on its way, cancelled with a refund); the others are stale by then."""
UPDATE_HELD = "customer update held: sent when the customer next writes"
"""Added to the history note of a change whose news waits for the customer's next message."""
DIGITAL_HELD = "digital delivery held: sent when the customer next writes"
"""The order's history note when its digital products wait for the customer's next message."""

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "pending_payment": ("paid", "cancelled", "expired"),
    "paid": ("preparing", "shipped", "delivered", "cancelled"),
    "preparing": ("shipped", "delivered", "cancelled"),
    "shipped": ("delivered",),
}
"""Allowed status changes; the others are final (a late payment of an expired order is handled
by :func:`mark_paid`)."""


@dataclass(frozen=True)
class StatusChange:
    """The result of a status change.

    Attributes:
        order: The order after the change.
        changed: False when nothing happened (a replay, or someone else got there first).
        notified: How the customer was told: ``text``, ``template``, ``held`` (when they next
            write), ``skipped`` or ``none``.
    """

    order: Order
    changed: bool
    notified: str = "none"


_PAID = {
    "pickup": "Payment received for order {number} ({total}). Thank you! We'll tell you when "
    "it's ready for pickup.",
    "delivery": "Payment received for order {number} ({total}). Thank you! We'll tell you when "
    "it's on its way.",
}
_NEWS = {
    "preparing": "Your order {number} is being prepared.",
    "shipped": "Your order {number} is on its way.",
    "delivered": "Your order {number} is delivered.",
    "pickup delivered": "Your order {number} is collected.",
}
"""The other changes' news, by status (``pickup`` and the status for a pickup order)."""


def _message(order: Order, business: BusinessConfig, was: str, texts: Texts) -> str:
    """The news of ``order``'s new status, in the customer's words."""
    number, total = order.number, texts.money(order.total, order.currency)
    if order.status == "paid":
        paid = _PAID.get(
            order.fulfilment, "Payment received for order {number} ({total}). Thank you!"
        )
        return texts(paid, number=number, total=total)
    if order.status == "shipped" and order.fulfilment == "pickup":
        where = business.delivery.pickup_address
        if where:
            return texts(
                "Your order {number} is ready for pickup at {address}.",
                number=number,
                address=texts(where),
            )
        return texts("Your order {number} is ready for pickup.", number=number)
    if order.status == "cancelled":
        if was != "pending_payment":
            return texts(
                "Your order {number} was cancelled. We will contact you about your refund.",
                number=number,
            )
        return texts("Your order {number} was cancelled.", number=number)
    if order.status == "expired":
        return texts(
            "Your order {number} expired because it was not paid in time. Its items are "
            "available again.",
            number=number,
        )
    pickup = "pickup " if order.fulfilment == "pickup" else ""
    news = _NEWS.get(pickup + order.status) or _NEWS.get(order.status)
    if news is None:
        status = status_label(order, texts)
        text = texts("Your order {number} is {status}.", number=number, status=status)
    else:
        text = texts(news, number=number)
    if order.tracking_url:
        text += "\n" + texts("Track it here: {url}", url=order.tracking_url)
    return text


def _record(
    session: Session,
    business: BusinessConfig,
    order: Order,
    was: str,
    now: datetime,
    actor: str,
    note: str | None = None,
) -> outreach.Sent:
    """Write the change to the order's history and queue the customer's update; how it went."""
    session.flush()
    session.refresh(order)
    template = business.texts()  # the template's values: in the templates' (business's) language
    values = {
        "number": order.number,
        "status": status_label(order, template),
        "tracking_url": order.tracking_url or "-",
        "total": template.money(order.total, order.currency),
        "name": outreach.contact_name(session, order.wa_id, "there"),
    }
    text = _message(order, business, was, outreach.customer_texts(session, business, order.wa_id))
    sent = outreach.reach(
        session,
        order.wa_id,
        now,
        free_form=messages.text(order.wa_id, text[: messages.MAX_TEXT]),
        template=business.templates.order_update,
        values=values,
        what=f"order {order.number} update",
        margin=NO_MARGIN,
        hold=order.status in HELD_UPDATES,
    )
    if sent == "held":
        note = "; ".join(filter(None, (note, UPDATE_HELD)))
    add_event(session, order, now, note=note, actor=actor, tracking_url=order.tracking_url)
    return sent


def _deliver_digital(
    session: Session, business: BusinessConfig, order: Order, lines: list[OrderLine], now: datetime
) -> None:
    """Queue the digital lines' documents or links; held (and noted in the history) if need be."""
    texts = outreach.customer_texts(session, business, order.wa_id)
    payloads: list[dict[str, Any]] = []
    for line in lines:
        product = business.catalog.product(line.product_id)
        digital = product.digital if product is not None and line.kind == "digital" else None
        if digital is not None and digital.kind == "document":
            payloads.append(
                messages.document(
                    order.wa_id,
                    link=digital.url,
                    filename=digital.filename,
                    caption=texts(line.title),
                )
            )
        elif digital is not None:
            text = texts("{product}: {url}", product=texts(line.title), url=digital.url)
            payloads.append(messages.text(order.wa_id, text, preview_url=True))
    what = f"order {order.number} digital delivery"
    sent = [
        outreach.reach(
            session, order.wa_id, now, free_form=p, what=what, margin=NO_MARGIN, hold=True
        )
        for p in payloads
    ]
    if "held" in sent:
        add_event(session, order, now, note=DIGITAL_HELD)
        log.info("order %s: %s", order.number, DIGITAL_HELD)


def _release(session: Session, order: Order, now: datetime) -> None:
    # Products with unlimited stock have no stock row: the UPDATE then changes nothing.
    for line in order_lines(session, order):
        adjust_stock(session, line.product_id, line.quantity, now)


def _order(session: Session, number: str) -> Order:
    order = get_order(session, number)
    if order is None:
        raise OrderNotFoundError(f"There is no order {number}.")
    return order


def _revive(
    session: Session, business: BusinessConfig, order_id: int, lines: list[OrderLine], now: datetime
) -> bool:
    """Reserve an expired order's stock again and mark it paid, or change nothing."""
    try:
        with session.begin_nested():
            for line in lines:
                product = business.catalog.product(line.product_id)
                limited = product is None or product.stock is not None
                if limited and not adjust_stock(session, line.product_id, -line.quantity, now):
                    raise OrderStateError(line.product_id)
            if not change_status(session, order_id, ("expired",), "paid", now):
                raise OrderStateError("changed meanwhile")
    except OrderStateError:
        return False
    return True


def mark_paid(
    session: Session,
    business: BusinessConfig,
    number: str,
    *,
    now: datetime,
    reference: str | None = None,
    actor: str = "staff",
    note: str | None = None,
) -> StatusChange:
    """Record that an order was paid, once; deliver digital products and tell the customer.

    Only call it on the payment provider's own confirmation (its server-side webhook) or a
    staff member's word, never on the customer's. A second call is a no-op. A payment that
    arrives after the order expired re-reserves the stock; if that fails the order stays
    expired and its history says a refund is needed.

    Raises:
        OrderNotFoundError: No such order.
    """
    now = as_utc(now)
    order = _order(session, number)
    assert order.id is not None
    was = order.status
    if was != "expired" and not change_status(session, order.id, ("pending_payment",), "paid", now):
        session.refresh(order)
        was = order.status  # "expired" if it expired between our read and our update
        if was in ("paid", "preparing", "shipped", "delivered"):
            return StatusChange(order, changed=False)
        if was != "expired":
            return _refund_needed(session, order, now, f"payment received while {was}", actor, note)
    lines = order_lines(session, order)
    if was == "expired":
        if not _revive(session, business, order.id, lines, now):
            gone = "payment received after the order expired and the stock is gone"
            return _refund_needed(session, order, now, gone, actor, note)
        note = "paid after it had expired" + (f" ({note})" if note else "")
    if reference:
        order.payment_reference = reference
    notified = _record(session, business, order, was, now, actor, note)
    _deliver_digital(session, business, order, lines, now)
    return StatusChange(order, changed=True, notified=notified)


def _refund_needed(
    session: Session, order: Order, now: datetime, problem: str, actor: str, note: str | None
) -> StatusChange:
    """Say in the order's history (and the log) that a payment must be refunded; change nothing."""
    text = f"{problem}: refund needed" + (f" ({note})" if note else "")
    add_event(session, order, now, note=text, actor=actor)
    log.warning("order %s: %s", order.number, text)
    return StatusChange(order, changed=False)


def update_order_status(
    session: Session,
    business: BusinessConfig,
    number: str,
    status: str,
    *,
    now: datetime,
    tracking_url: str | None = None,
    note: str | None = None,
    actor: str = "staff",
) -> StatusChange:
    """Move an order to ``status`` (business side: CLI, shop API) and tell the customer.

    Setting the same status again with a new ``tracking_url`` updates the link and notifies.
    Moving to ``delivered`` also announces it to the features listening
    (:func:`flows.features.business.events.order_delivered`).

    ``status`` is one of :data:`flows.features.shop.models.ORDER_STATUSES`; ``note`` and
    ``actor`` (who made the change) go to the history.

    Raises:
        OrderNotFoundError: No such order.
        OrderStateError: Unknown status, a change the life cycle does not allow, or a bad URL.
    """
    now = as_utc(now)
    if status not in ORDER_STATUSES:
        raise OrderStateError(f"unknown status {status!r}; use one of: {', '.join(ORDER_STATUSES)}")
    if tracking_url is not None and not tracking_url.startswith(("https://", "http://")):
        raise OrderStateError(f"the tracking URL must start with https://, got {tracking_url!r}")
    if status == "paid":
        return mark_paid(session, business, number, now=now, actor=actor)
    order = _order(session, number)
    assert order.id is not None
    was = order.status
    if status == was and tracking_url and tracking_url != order.tracking_url:
        order.tracking_url, order.updated_at = tracking_url, now
        return StatusChange(order, True, _record(session, business, order, was, now, actor, note))
    if status not in TRANSITIONS.get(was, ()):
        allowed = ", ".join(TRANSITIONS.get(was, ())) or "nothing (it is final)"
        raise OrderStateError(f"order {order.number} is {was}; it can change to {allowed}")
    if not change_status(session, order.id, (was,), status, now):
        raise OrderStateError(f"order {order.number} changed meanwhile; try again")
    if tracking_url:
        order.tracking_url = tracking_url
    if status in ("cancelled", "expired"):
        _release(session, order, now)
    notified = _record(session, business, order, was, now, actor, note)
    if status == "delivered":
        events.order_delivered(session, business, order.wa_id, order.number, now)
    return StatusChange(order, True, notified)


def expire_unpaid(session: Session, business: BusinessConfig, now: datetime) -> list[str]:
    """Expire every unpaid order whose time is up, giving its stock back (run it from cron).

    Safe to run from several processes at once: each order expires once.

    Returns:
        The numbers of the orders this call expired.
    """
    now = as_utc(now)
    query = (
        select(Order)
        .where(Order.status == "pending_payment", col(Order.expires_at) <= now)
        .order_by(col(Order.id))
    )
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    expired: list[str] = []
    for order in list(session.exec(query)):
        assert order.id is not None
        if change_status(session, order.id, ("pending_payment",), "expired", now):
            _release(session, order, now)
            _record(session, business, order, "pending_payment", now, "system")
            expired.append(order.number)
    return expired


__all__ = [
    "DIGITAL_HELD",
    "HELD_UPDATES",
    "NO_MARGIN",
    "TRANSITIONS",
    "UPDATE_HELD",
    "StatusChange",
    "expire_unpaid",
    "mark_paid",
    "update_order_status",
]
