"""Checkout, payment and order-tracking hooks (registered by :func:`flows.features.shop.hooks.register_shop_hooks`).

==========================  ==============================================================
``checkout.options``        ``{count, only}``: cart units, and the one fulfilment method when
                            there is no choice (``digital``, or a shop with only pickup or
                            only delivery; slot ``fulfilment`` is then set)
``checkout.quote``          ``{text, total}``: the summary of ``fulfilment`` (+ address)
``checkout.create_order``   creates the order from the cart (stock reserved): ``{number, total}``
``payments.start``          sends the pay button (or instructions) of order ``number``
``orders.mine``             sends the customer's recent orders as a list: ``{count, example}``
``orders.lookup``           ``{found, number, text, payable}`` for ``number`` (tapped or typed),
                            never revealing another customer's order
==========================  ==============================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.messages import MAX_INTERACTIVE_BODY, Row
from flows._hooks import HookContext, Hooks
from flows.features.business import BusinessConfig, format_money, list_page
from flows.features.shop._errors import OrderNotFoundError
from flows.features.shop.cart import view_cart
from flows.features.shop.orders import (
    create_order,
    customer_orders,
    describe_order,
    describe_quote,
    find_customer_order,
    fulfilment_options,
    quote,
    status_label,
)
from flows.features.shop.payments import PaymentProvider, make_provider, start_payment

ORDER_PREFIX = "order:"


def _body(text: str) -> str:
    return text if len(text) <= MAX_INTERACTIVE_BODY else text[: MAX_INTERACTIVE_BODY - 1] + "…"


class _Checkout:
    def __init__(
        self,
        business: BusinessConfig,
        provider: PaymentProvider | None,
        environ: Mapping[str, str] | None,
    ) -> None:
        self.business = business
        self._provider = provider
        self._environ = environ

    def provider(self) -> PaymentProvider:
        if self._provider is None:
            self._provider = make_provider(self.business, environ=self._environ)
        return self._provider

    def options(self, ctx: HookContext) -> dict[str, Any]:
        cart = view_cart(ctx.session, self.business, ctx.to)
        offered = fulfilment_options(self.business, cart)
        only = offered[0] if len(offered) == 1 else None
        if only is not None:
            ctx.set_slot("fulfilment", only)
        return {"count": cart.count, "only": only}

    def quote(self, ctx: HookContext) -> dict[str, str]:
        q = quote(ctx.session, self.business, ctx.to, str(ctx.args.get("fulfilment")))
        text = describe_quote(q, self.business)
        location = ctx.args.get("location")
        if q.fulfilment == "delivery":
            address = ctx.args.get("address")
            if isinstance(location, Mapping):
                where = location.get("name") or location.get("address") or "the location you shared"
                address = str(where)
            text += f"\nDeliver to: {address}"
        total = format_money(q.total, self.business.currency, self.business.business.locale)
        return {"text": _body(text), "total": total}

    def create(self, ctx: HookContext) -> dict[str, Any]:
        location = ctx.args.get("location")
        place: dict[str, Any] = {}
        if isinstance(location, Mapping) and location.get("latitude") is not None:
            place = {
                "latitude": float(location["latitude"]),
                "longitude": float(location["longitude"]),
                "location_name": location.get("name") or location.get("address"),
            }
        address = ctx.args.get("address")
        order = create_order(
            ctx.session,
            self.business,
            ctx.to,
            fulfilment=str(ctx.args.get("fulfilment")),
            now=ctx.now,
            address=str(address) if address else None,
            **place,
        )
        total = format_money(order.total, order.currency, self.business.business.locale)
        return {"number": order.number, "total": total}

    def pay(self, ctx: HookContext) -> dict[str, Any]:
        order = find_customer_order(ctx.session, ctx.to, str(ctx.args.get("number")))
        payload = start_payment(ctx.session, self.business, order, self.provider(), ctx.now)
        ctx.reply(payload)
        return {"provider": order.provider, "link": payload.get("type") == "interactive"}

    def mine(self, ctx: HookContext) -> dict[str, Any]:
        orders = customer_orders(ctx.session, ctx.to, limit=10)
        if not orders:
            return {"count": 0, "example": ""}
        locale = self.business.business.locale
        rows = [
            Row(
                ORDER_PREFIX + o.number,
                o.number,
                f"{status_label(o)} · {format_money(o.total, o.currency, locale)}"[:72],
            )
            for o in orders
        ]
        ctx.reply(list_page(ctx.to, rows, body="Your latest orders:", button="Your orders"))
        return {"count": len(orders), "example": orders[0].number}

    def lookup(self, ctx: HookContext) -> dict[str, Any]:
        choice = ctx.message.choice_id if ctx.message is not None else None
        typed = str(ctx.args.get("number") or "")
        number = (
            choice.removeprefix(ORDER_PREFIX)
            if choice and choice.startswith(ORDER_PREFIX)
            else typed
        )
        try:
            order = find_customer_order(ctx.session, ctx.to, number)
        except OrderNotFoundError as exc:
            return {"found": False, "number": "", "text": str(exc), "payable": False}
        text = _body(describe_order(ctx.session, self.business, order))
        payable = order.status == "pending_payment"
        return {"found": True, "number": order.number, "text": text, "payable": payable}


def register(
    hooks: Hooks,
    business: BusinessConfig,
    *,
    provider: PaymentProvider | None = None,
    environ: Mapping[str, str] | None = None,
) -> None:
    """Register the ``checkout.*``, ``payments.start`` and ``orders.*`` hooks."""
    checkout = _Checkout(business, provider, environ)
    hooks.action("checkout.options")(checkout.options)
    hooks.action("checkout.quote")(checkout.quote)
    hooks.action("checkout.create_order")(checkout.create)
    hooks.action("payments.start")(checkout.pay)
    hooks.action("orders.mine")(checkout.mine)
    hooks.action("orders.lookup")(checkout.lookup)


__all__ = ["ORDER_PREFIX", "register"]
