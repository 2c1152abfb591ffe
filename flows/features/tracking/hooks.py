"""The order-tracking hooks: ``orders.mine`` and ``orders.lookup``, what ``track_order.yaml`` calls.

They are listed with what they return in docs/business.md; ``orders.lookup`` never reveals
another customer's order. Their words are in the customer's language (``ctx.texts``, this
feature's catalogs); a status is translated from the shop's own catalog.
"""

from __future__ import annotations

from typing import Any

from bot.messages import Row
from flows import HookContext, Hooks
from flows.features.business import BusinessConfig, list_page
from flows.features.business.lists import fit_body
from flows.features.business.picks import answer
from flows.features.shop import OrderNotFoundError, customer_orders, find_customer_order
from flows.features.shop.orders import describe_order, status_label

ORDER_PREFIX = "order:"


def register_tracking_hooks(hooks: Hooks, business: BusinessConfig) -> Hooks:
    """Register the ``orders.*`` actions for ``business`` on ``hooks``; returns ``hooks``.

    Raises:
        FlowError: A tracking hook name is already registered.
    """

    @hooks.action("orders.mine")
    def mine(ctx: HookContext) -> dict[str, Any]:
        orders = customer_orders(ctx.session, ctx.to, limit=10)
        if not orders:
            return {"count": 0, "example": ""}
        texts = ctx.texts
        rows = [
            Row(
                ORDER_PREFIX + o.number,
                o.number,
                f"{status_label(o, texts)} · {texts.money(o.total, o.currency)}"[:72],
            )
            for o in orders
        ]
        body, button = texts("Your latest orders:"), texts("Your orders")
        ctx.reply(list_page(ctx.to, rows, body=body, button=button, texts=texts))
        return {"count": len(orders), "example": orders[0].number}

    @hooks.action("orders.lookup")
    def lookup(ctx: HookContext) -> dict[str, Any]:
        choice, _ = answer(ctx)
        number = str(ctx.args.get("number") or "")
        if choice and choice.startswith(ORDER_PREFIX):
            number = choice.removeprefix(ORDER_PREFIX)
        try:
            order = find_customer_order(ctx.session, ctx.to, number, ctx.texts)
        except OrderNotFoundError as exc:
            return {"found": False, "number": "", "text": str(exc), "payable": False}
        text = fit_body(describe_order(ctx.session, business, order, ctx.texts))
        payable = order.status == "pending_payment"
        return {"found": True, "number": order.number, "text": text, "payable": payable}

    return hooks


__all__ = ["ORDER_PREFIX", "register_tracking_hooks"]
