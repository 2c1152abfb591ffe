"""The shop's HTTP edge: Stripe's payment webhook and the console's orders and stock pages.

``POST /payments/stripe/webhook`` checks ``Stripe-Signature`` over the raw body (400 when it is
missing, wrong or stale; nothing is stored then) and applies the event in one transaction; a
replayed event answers 200 and changes nothing. The routes only translate HTTP into calls of
:mod:`flows.features.shop.stripe`.

The console pages (:func:`shop_console`, owners only) list and filter orders, show one with its
customer, lines, payment and history, change its status and set the live stock, through the
rules of :mod:`flows.features.shop.backoffice`. Every change is audited in its transaction and
wakes the sender once committed; a refused one is a message with a 4xx answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from bot.errors import ConfigError
from flows.features._feature import WebContext
from flows.features.business import BusinessConfig
from flows.features.console import audit
from flows.features.console.forms import FormError
from flows.features.console.web import (
    acting_staff,
    console_blueprint,
    error_page,
    owner_only,
    render,
)
from flows.features.shop._errors import (
    InputError,
    OrderNotFoundError,
    OrderStateError,
    PaymentError,
    SignatureError,
)
from flows.features.shop.backoffice import (
    ACTION_INPUTS,
    MAX_STOCK,
    OrderFilter,
    apply_action,
    find_orders,
    order_actions,
    parse_filter,
    set_stock_level,
)
from flows.features.shop.models import STATUS_LABELS, PaymentEventRecord, stock_levels
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


# -- the console's orders and stock pages (their rules are in backoffice.py) ----------------------


def shop_console(ctx: WebContext) -> Blueprint:
    """The console's orders and stock pages (the feature's ``console_factory``)."""
    engine, business = ctx.engine, ctx.business
    pages = console_blueprint("waflow_shop_console", __name__)

    def orders_page(wanted: OrderFilter, status: int = 200) -> ResponseReturnValue:
        with read_session(engine) as session:
            rows, more = find_orders(session, business, wanted)
        query: dict[str, Any] = {
            key: value
            for key, value in (
                ("status", wanted.status),
                ("from", wanted.since and wanted.since.isoformat()),
                ("to", wanted.until and wanted.until.isoformat()),
            )
            if value
        }
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
            wanted = parse_filter(request.args, business.local(utcnow()).date())
        except FormError as exc:
            flash(str(exc), "error")
            return orders_page(OrderFilter(), 400)
        return orders_page(wanted)

    def order_page(number: str, status: int = 200) -> ResponseReturnValue:
        with read_session(engine) as session:
            order = get_order(session, number)
            if order is None:
                return error_page("No such order", 404)
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
                if typed := request.form.get(ACTION_INPUTS.get(action, ""), "").strip():
                    detail[ACTION_INPUTS[action]] = typed
                audit(
                    session, acting_staff(session), f"order.{action}", change.order.number, detail
                )
        except OrderNotFoundError as exc:
            flash(str(exc), "error")
            return order_page(number, 404)
        except OrderStateError as exc:
            flash(str(exc), "error")
            return order_page(number, 409)
        except InputError as exc:
            flash(str(exc), "error")
            return order_page(number, 400)
        ctx.wake()
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
                audit(session, acting_staff(session), "stock.set", product_id, detail)
        except InputError as exc:
            flash(str(exc), "error")
            return stock_page(400)
        flash(f"{product_id}: stock set to {after} (was {before}).", "info")
        return redirect(url_for(".stock"), 303)

    return pages


__all__ = ["shop_blueprint", "shop_console"]
