"""The shop's back office: the rules behind the console's orders and stock pages, free of Flask.

Staff find orders (:func:`find_orders`, filtered as :func:`parse_filter` reads a query string),
see which changes an order's status allows (:func:`order_actions`), apply one
(:func:`apply_action`, through :func:`~flows.features.shop.order_status.mark_paid` and
:func:`~flows.features.shop.order_status.update_order_status`, exactly as ``waflow orders``
does, so the customer is told the same way) and set a product's live stock
(:func:`set_stock_level`). A value staff typed that cannot be used raises
:class:`~flows.features.shop.InputError` and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from flows.features.business import BusinessConfig
from flows.features.console.forms import parse_days, parse_id
from flows.features.shop._errors import InputError, OrderNotFoundError, OrderStateError
from flows.features.shop.models import ORDER_STATUSES, Order, seed_stock, set_stock, stock_levels
from flows.features.shop.order_status import (
    TRANSITIONS,
    StatusChange,
    mark_paid,
    update_order_status,
)
from flows.features.shop.orders import get_order
from storage.models import Contact

ORDERS_PER_PAGE = 50
MAX_STOCK = 1_000_000
"""The highest stock level the console accepts (a typo guard)."""
PAYABLE = ("pending_payment", "expired")
"""Statuses an order can be marked paid from (an expired one takes its stock back if it can)."""
ACTIONS = {"paid": "paid", "ship": "shipped", "deliver": "delivered", "cancel": "cancelled"}
"""The console's order actions and the status each moves to."""
ACTION_INPUTS = {"paid": "reference", "ship": "tracking_url", "cancel": "reason"}
"""The form field each action reads (a payment reference, a tracking link, why it is cancelled)."""


@dataclass(frozen=True)
class OrderFilter:
    """The orders list's filters: status, and local dates (inclusive), and the page."""

    status: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1


def parse_filter(args: Mapping[str, str], today: date) -> OrderFilter:
    """The orders list's filters from its query string.

    Raises:
        FormError: An unknown status (:class:`InputError`), a bad range of days
            (:func:`~flows.features.console.forms.parse_days`), or a page that is not a
            positive number.
    """
    status = args.get("status", "").strip()
    if status and status not in ORDER_STATUSES:
        raise InputError(f"There is no order status {status[:30]!r}.")
    since, until = parse_days(args.get("from"), args.get("to"), today)
    page = parse_id(args.get("page", "1"))
    if page is None or page > 100_000:
        raise InputError("The page must be a positive number.")
    return OrderFilter(status, since, until, page)


def find_orders(
    session: Session, business: BusinessConfig, wanted: OrderFilter
) -> tuple[list[tuple[Order, Contact | None]], bool]:
    """One page of orders matching ``wanted``, newest first, each with its customer's contact.

    Dates are the shop's (its timezone). Returns the rows and whether a next page exists.
    """
    query = select(Order, Contact).join(
        Contact, col(Contact.wa_id) == col(Order.wa_id), isouter=True
    )
    if wanted.status:
        query = query.where(Order.status == wanted.status)
    if wanted.since is not None:
        start = datetime.combine(wanted.since, time.min, tzinfo=business.tz)
        query = query.where(col(Order.created_at) >= start)
    if wanted.until is not None:
        end = datetime.combine(wanted.until + timedelta(days=1), time.min, tzinfo=business.tz)
        query = query.where(col(Order.created_at) < end)
    query = (
        query.order_by(col(Order.created_at).desc(), col(Order.id).desc())
        .offset((wanted.page - 1) * ORDERS_PER_PAGE)
        .limit(ORDERS_PER_PAGE + 1)
    )
    rows: list[tuple[Order, Contact | None]] = [(o, c) for o, c in session.exec(query)]
    return rows[:ORDERS_PER_PAGE], len(rows) > ORDERS_PER_PAGE


def order_actions(order: Order) -> tuple[str, ...]:
    """The console actions the order's current status allows (keys of :data:`ACTIONS`)."""
    allowed = TRANSITIONS.get(order.status, ())
    return tuple(
        action
        for action, status in ACTIONS.items()
        if (order.status in PAYABLE if action == "paid" else status in allowed)
    )


def _text(form: Mapping[str, str], key: str, limit: int) -> str | None:
    value = form.get(key, "").strip()
    if len(value) > limit:
        raise InputError(f"The {key.replace('_', ' ')} is longer than {limit} characters.")
    return value or None


def _tracking_url(form: Mapping[str, str]) -> str | None:
    url = _text(form, "tracking_url", 2000)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InputError("The tracking link must be a web address starting with https://.")
    return url


def apply_action(
    session: Session,
    business: BusinessConfig,
    number: str,
    action: str,
    form: Mapping[str, str],
    now: datetime,
) -> StatusChange:
    """Apply a console action to an order, as ``waflow orders`` does, telling the customer.

    ``form`` holds ``reference`` (mark paid), ``tracking_url`` (ship) or ``reason`` (cancel).

    Raises:
        InputError: An unknown action, a bad tracking link, a missing reason.
        OrderNotFoundError: No such order.
        OrderStateError: The order's status does not allow it, or it changed meanwhile.
    """
    if action not in ACTIONS:
        raise InputError(f"There is no order action {action[:30]!r}.")
    order = get_order(session, number)
    if order is None:
        raise OrderNotFoundError(f"There is no order {number[:20]}.")
    if action not in order_actions(order):
        raise OrderStateError(
            f"Order {order.number} is {order.status}: it cannot be {ACTIONS[action]}."
        )
    if action == "paid":
        reference = _text(form, "reference", 255)
        change = mark_paid(session, business, order.number, now=now, reference=reference)
        if not change.changed:
            status = change.order.status
            raise OrderStateError(f"Order {order.number} is {status}: it was not marked paid.")
        return change
    note = _text(form, "reason", 500) if action == "cancel" else None
    if action == "cancel" and note is None:
        raise InputError("Say why the order is cancelled (the reason goes to its history).")
    url = _tracking_url(form) if action == "ship" else None
    return update_order_status(
        session, business, order.number, ACTIONS[action], now=now, tracking_url=url, note=note
    )


def set_stock_level(
    session: Session, business: BusinessConfig, product_id: str, typed: str, now: datetime
) -> tuple[int, int]:
    """Set a limited product's live stock to the typed count, as ``waflow orders stock --set``.

    Returns:
        The level before and after.

    Raises:
        InputError: Not a product with limited stock, or not a whole number from 0 to
            :data:`MAX_STOCK`.
    """
    product = business.catalog.product(product_id)
    if product is None or product.stock is None:
        raise InputError(f"{product_id[:64]!r} is not a product with limited stock.")
    typed = typed.strip()
    if not (typed.isascii() and typed.isdigit()) or int(typed) > MAX_STOCK:
        raise InputError(f"The stock must be a whole number from 0 to {MAX_STOCK}.")
    seed_stock(session, [product], now)
    before = stock_levels(session, [product.id])[product.id]
    set_stock(session, product.id, int(typed), now)
    return before, int(typed)


__all__ = [
    "ACTIONS",
    "ACTION_INPUTS",
    "MAX_STOCK",
    "ORDERS_PER_PAGE",
    "PAYABLE",
    "OrderFilter",
    "apply_action",
    "find_orders",
    "order_actions",
    "parse_filter",
    "set_stock_level",
]
