"""The shop's HTTP edge: Stripe's payment webhook and the console's orders and stock pages.

``POST /payments/stripe/webhook`` checks ``Stripe-Signature`` over the raw body (400 when it is
missing, wrong or stale; nothing is stored then) and applies the event in one transaction; a
replayed event answers 200 and changes nothing. The routes only translate HTTP into calls of
:mod:`flows.features.shop.stripe`.

The console pages (:func:`shop_console`, owners only) list and filter orders, show one with its
customer, lines, payment and history, and change its status through exactly the functions
``waflow orders`` uses, so the customer is told the same way; they also set the live stock.
Every change is audited in its own transaction; a refused one is a message with a 4xx answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from bot.errors import ConfigError
from flows.features._feature import WebContext
from flows.features.business import BusinessConfig
from flows.features.console import StaffUser, audit
from flows.features.console.web import console_blueprint, current_staff, owner_only, render
from flows.features.shop._errors import (
    OrderNotFoundError,
    OrderStateError,
    PaymentError,
    ShopError,
    SignatureError,
)
from flows.features.shop.models import (
    ORDER_STATUSES,
    STATUS_LABELS,
    Order,
    PaymentEventRecord,
    seed_stock,
    set_stock,
    stock_levels,
)
from flows.features.shop.order_status import (
    TRANSITIONS,
    StatusChange,
    mark_paid,
    update_order_status,
)
from flows.features.shop.orders import get_order, order_history, order_lines, status_label
from flows.features.shop.stripe import SIGNATURE_HEADER, handle_event, parse_event, verify_signature
from storage.db import read_session, transaction
from storage.models import Contact, utcnow

log = logging.getLogger(__name__)


def shop_blueprint(
    engine: Engine,
    business: BusinessConfig,
    *,
    environ: Mapping[str, str] | None = None,
    clock: Callable[[], datetime] = utcnow,
    after_commit: Callable[[], None] | None = None,
) -> Blueprint:
    """Build the blueprint serving the payment webhook (the shop tables must exist:
    ``storage.db.create_schema``).

    The Stripe webhook secret (the variable the business file names) is read from ``environ``
    (``os.environ`` by default); ``clock`` bounds the signature's age; ``after_commit`` is
    called after a change queued messages (e.g. to wake the sender).
    """
    webhook_secret = ""
    if business.payments.stripe is not None:
        try:
            webhook_secret = business.payments.stripe.webhook_secret(environ)
        except ConfigError as exc:
            log.warning("Stripe webhook disabled: %s", exc)
    blueprint = Blueprint("waflow_shop", __name__)

    @blueprint.post("/payments/stripe/webhook")
    def stripe_webhook() -> ResponseReturnValue:
        if not webhook_secret:
            return {"error": "Stripe is not configured"}, 404
        raw = request.get_data(cache=False)
        now = clock()
        try:
            verify_signature(raw, request.headers.get(SIGNATURE_HEADER), webhook_secret, now=now)
            event = parse_event(raw)
        except SignatureError as exc:
            log.warning("refused a Stripe webhook: %s", exc)
            return {"error": str(exc)}, 400
        except PaymentError as exc:
            return {"error": str(exc)}, 400
        try:
            with transaction(engine) as session:
                result = handle_event(session, business, event, now)
        except SQLAlchemyError:
            log.exception("could not apply Stripe event %s; Stripe will retry", event.get("id"))
            return {"error": "storage unavailable"}, 500
        if result in ("paid", "expired") and after_commit is not None:
            after_commit()
        return {"received": True, "result": result}

    return blueprint


# -- the console's orders and stock pages ---------------------------------------------------------

ORDERS_PER_PAGE = 50
MAX_STOCK = 1_000_000
"""The highest stock level the console accepts (a typo guard)."""
PAYABLE = ("pending_payment", "expired")
"""Statuses an order can be marked paid from (an expired one takes its stock back if it can)."""
ACTIONS = {"paid": "paid", "ship": "shipped", "deliver": "delivered", "cancel": "cancelled"}
"""The console's order actions and the status each moves to."""


class FormError(ShopError):
    """A console form value that cannot be used (answered with 400)."""


@dataclass(frozen=True)
class OrderFilter:
    """The orders list's filters: status, and local dates (inclusive), and the page."""

    status: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1


def _day(args: Mapping[str, str], key: str) -> date | None:
    value = args.get(key, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FormError(f"{value[:20]!r} is not a date: use YYYY-MM-DD.") from None


def parse_filter(args: Mapping[str, str]) -> OrderFilter:
    """The orders list's filters from its query string.

    Raises:
        FormError: An unknown status, a date that is not ``YYYY-MM-DD``, a range that ends
            before it starts, or a page that is not a positive number.
    """
    status = args.get("status", "").strip()
    if status and status not in ORDER_STATUSES:
        raise FormError(f"There is no order status {status[:30]!r}.")
    since, until = _day(args, "from"), _day(args, "to")
    if since and until and until < since:
        raise FormError("The date range ends before it starts.")
    page = args.get("page", "1").strip()
    if not page.isdigit() or not 1 <= int(page) <= 100_000:
        raise FormError("The page must be a positive number.")
    return OrderFilter(status, since, until, int(page))


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
        raise FormError(f"The {key.replace('_', ' ')} is longer than {limit} characters.")
    return value or None


def _tracking_url(form: Mapping[str, str]) -> str | None:
    url = _text(form, "tracking_url", 2000)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise FormError("The tracking link must be a web address starting with https://.")
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
        FormError: An unknown action, a bad tracking link, a missing reason.
        OrderNotFoundError: No such order.
        OrderStateError: The order's status does not allow it, or it changed meanwhile.
    """
    if action not in ACTIONS:
        raise FormError(f"There is no order action {action[:30]!r}.")
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
        raise FormError("Say why the order is cancelled (the reason goes to its history).")
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
        FormError: Not a product with limited stock, or not a whole number from 0 to
            :data:`MAX_STOCK`.
    """
    product = business.catalog.product(product_id)
    if product is None or product.stock is None:
        raise FormError(f"{product_id[:64]!r} is not a product with limited stock.")
    typed = typed.strip()
    if not (typed.isascii() and typed.isdigit()) or int(typed) > MAX_STOCK:
        raise FormError(f"The stock must be a whole number from 0 to {MAX_STOCK}.")
    seed_stock(session, [product], now)
    before = stock_levels(session, [product.id])[product.id]
    set_stock(session, product.id, int(typed), now)
    return before, int(typed)


def _staff_user(session: Session) -> StaffUser | None:
    return session.get(StaffUser, current_staff().id)


def shop_console(ctx: WebContext) -> Blueprint:
    """The console's orders and stock pages (the feature's ``console_factory``)."""
    engine, business, after_commit = ctx.engine, ctx.business, ctx.after_commit
    pages = console_blueprint("waflow_shop_console", __name__)

    def orders_page(wanted: OrderFilter, status: int = 200) -> ResponseReturnValue:
        with read_session(engine) as session:
            rows, more = find_orders(session, business, wanted)
        query: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page"}
        page = render(
            "shop/orders.html",
            rows=rows,
            wanted=wanted,
            newer=url_for(".orders", **query, page=wanted.page - 1) if wanted.page > 1 else None,
            older=url_for(".orders", **query, page=wanted.page + 1) if more else None,
            statuses=STATUS_LABELS,
            business=business,
        )
        return page, status

    @pages.get("/orders")
    @owner_only
    def orders() -> ResponseReturnValue:
        try:
            wanted = parse_filter(request.args)
        except FormError as exc:
            flash(str(exc), "error")
            return orders_page(OrderFilter(), 400)
        return orders_page(wanted)

    def order_page(number: str, status: int = 200) -> ResponseReturnValue:
        with read_session(engine) as session:
            order = get_order(session, number)
            if order is None:
                page = render("console/error.html", title="No such order", status=404)
                return page, 404
            contact = session.exec(select(Contact).where(Contact.wa_id == order.wa_id)).first()
            payments = session.exec(
                select(PaymentEventRecord)
                .where(PaymentEventRecord.order_number == order.number)
                .order_by(col(PaymentEventRecord.id))
            ).all()
            page = render(
                "shop/order.html",
                order=order,
                label=status_label(order),
                contact=contact,
                lines=order_lines(session, order),
                history=order_history(session, order),
                payments=payments,
                actions=order_actions(order),
                statuses=STATUS_LABELS,
                business=business,
            )
        return page, status

    @pages.get("/orders/<number>")
    @owner_only
    def order(number: str) -> ResponseReturnValue:
        return order_page(number)

    @pages.post("/orders/<number>")
    @owner_only
    def order_action(number: str) -> ResponseReturnValue:
        action = request.form.get("action", "")
        try:
            with transaction(engine) as session:
                change = apply_action(session, business, number, action, request.form, utcnow())
                detail: dict[str, Any] = {
                    "status": change.order.status,
                    "notified": change.notified,
                }
                for key in ("reference", "tracking_url", "reason"):
                    if request.form.get(key, "").strip():
                        detail[key] = request.form[key].strip()
                audit(session, _staff_user(session), f"order.{action}", change.order.number, detail)
        except OrderNotFoundError as exc:
            flash(str(exc), "error")
            return order_page(number, 404)
        except OrderStateError as exc:
            flash(str(exc), "error")
            return order_page(number, 409)
        except FormError as exc:
            flash(str(exc), "error")
            return order_page(number, 400)
        if after_commit is not None:
            after_commit()
        flash(
            f"Order {change.order.number} is now {status_label(change.order)}; "
            f"customer: {change.notified}.",
            "info",
        )
        return redirect(url_for(".order", number=change.order.number), 303)

    def stock_page(status: int = 200) -> ResponseReturnValue:
        products = [p for p in business.catalog.products if p.stock is not None]
        with read_session(engine) as session:
            levels = stock_levels(session, [p.id for p in products])
        rows = [(p, levels.get(p.id, p.stock)) for p in products]
        return render("shop/stock.html", rows=rows, limit=MAX_STOCK), status

    @pages.get("/stock")
    @owner_only
    def stock() -> ResponseReturnValue:
        return stock_page()

    @pages.post("/stock")
    @owner_only
    def stock_change() -> ResponseReturnValue:
        product_id = request.form.get("product", "")
        try:
            with transaction(engine) as session:
                before, after = set_stock_level(
                    session, business, product_id, request.form.get("quantity", ""), utcnow()
                )
                detail = {"from": before, "to": after}
                audit(session, _staff_user(session), "stock.set", product_id, detail)
        except FormError as exc:
            flash(str(exc), "error")
            return stock_page(400)
        flash(f"{product_id}: stock set to {after} (was {before}).", "info")
        return redirect(url_for(".stock"), 303)

    return pages


__all__ = [
    "ACTIONS",
    "MAX_STOCK",
    "ORDERS_PER_PAGE",
    "PAYABLE",
    "FormError",
    "OrderFilter",
    "apply_action",
    "find_orders",
    "order_actions",
    "parse_filter",
    "set_stock_level",
    "shop_blueprint",
    "shop_console",
]
