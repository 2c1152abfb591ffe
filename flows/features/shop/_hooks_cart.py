"""The cart hooks of the purchase flow (registered by :func:`flows.features.shop.hooks.register_shop_hooks`).

==========================  ==============================================================
``cart.valid_quantity``     validator: a quantity of slot ``product`` that is allowed and left
``cart.add``                adds ``quantity`` × ``product``; returns the cart (``{count, text}``)
``cart.view``               the cart (``{count, text, subtotal}``)
``cart.lines``              sends the cart lines as a list (plus "Empty the cart"); ``{count}``
``cart.valid_line``         validator: the answer names a cart line or "empty"
``cart.read_line``          the line picked: ``{kind: line|clear, id, title}``
``cart.valid_new_quantity`` validator: a new quantity for slot ``pick``, or "Remove"
``cart.change``             sets ``quantity`` of ``product`` (or removes it); returns the cart
``cart.clear``              empties the cart; returns the cart
==========================  ==============================================================
"""

from __future__ import annotations

from typing import Any

from bot.messages import MAX_INTERACTIVE_BODY, Row
from flows._hooks import HookContext, Hooks
from flows.features.business import BusinessConfig, format_money, list_page, shorten
from flows.features.business.picks import normalize, resolve
from flows.features.shop._errors import CartError
from flows.features.shop.cart import (
    CartView,
    add_item,
    available,
    clear_cart,
    describe_cart,
    parse_quantity,
    remove_item,
    set_quantity,
    view_cart,
)

LINE_PREFIX = "line:"
CLEAR_ID = "cart:clear"
REMOVE_ID = "remove"


def cart_summary(cart: CartView, business: BusinessConfig) -> dict[str, Any]:
    """The cart as a slot value: ``count`` (units), ``text`` (for a message body), ``subtotal``."""
    text = describe_cart(cart, business)
    if len(text) > MAX_INTERACTIVE_BODY:
        text = text[: MAX_INTERACTIVE_BODY - 1] + "…"
    subtotal = format_money(cart.subtotal, cart.currency, business.business.locale)
    return {"count": cart.count, "text": text, "subtotal": subtotal}


class _Cart:
    def __init__(self, business: BusinessConfig) -> None:
        self.business = business

    def _quantity_error(
        self, ctx: HookContext, product_id: str, value: Any, *, adding: bool
    ) -> str | None:
        product = self.business.catalog.product(product_id)
        if product is None:
            return "Sorry, that product is not available any more."
        cart = view_cart(ctx.session, self.business, ctx.to)
        held = sum(i.quantity for i in cart.items if i.product.id == product.id) if adding else 0
        left = available(ctx.session, product, ctx.now)
        most = product.max_per_order - held
        if left is not None:
            most = min(most, left - held)
        if most <= 0:
            if left is not None and left <= held:
                return f"Sorry, there is no more {product.title} left."
            return f"You already have the most {product.title} one order can take."
        try:
            parse_quantity(value, most, product.title)
        except CartError as exc:
            return str(exc)
        return None

    def valid_quantity(self, ctx: HookContext, value: Any) -> bool | str:
        product = ctx.slots.get("product") or {}
        return self._quantity_error(ctx, str(product.get("id")), value, adding=True) or True

    def add(self, ctx: HookContext) -> dict[str, Any]:
        cart = add_item(
            ctx.session,
            self.business,
            ctx.to,
            str(ctx.args.get("product")),
            ctx.args.get("quantity"),
            ctx.now,
        )
        return cart_summary(cart, self.business)

    def view(self, ctx: HookContext) -> dict[str, Any]:
        return cart_summary(view_cart(ctx.session, self.business, ctx.to), self.business)

    def _rows(self, ctx: HookContext) -> list[Row]:
        cart = view_cart(ctx.session, self.business, ctx.to)
        locale = self.business.business.locale
        rows = [
            Row(
                LINE_PREFIX + item.product.id,
                shorten(item.product.title, 24),
                f"{item.quantity} × {format_money(item.product.price, cart.currency, locale)}",
            )
            for item in cart.items[:9]
        ]
        return [*rows, Row(CLEAR_ID, "Empty the cart", "Remove everything")] if rows else []

    def lines(self, ctx: HookContext) -> dict[str, int]:
        rows = self._rows(ctx)
        if rows:
            ctx.reply(
                list_page(
                    ctx.to, rows, body="Which line do you want to change?", button="Your cart"
                )
            )
        return {"count": len(rows) - 1 if rows else 0}

    def _line_pick(self, ctx: HookContext, value: Any = None) -> str | None:
        rows = self._rows(ctx)
        message = ctx.message
        choice = message.choice_id if message else None
        text = value if isinstance(value, str) else (message.text_value if message else None)
        if choice is None and text and normalize(text) in ("empty", "empty cart", "clear"):
            return CLEAR_ID
        full = [Row(r.id, self._title(r.id)) for r in rows]
        return resolve(choice, text, rows, full)

    def _title(self, row_id: str) -> str:
        product = self.business.catalog.product(row_id.removeprefix(LINE_PREFIX))
        return product.title if product else "Empty the cart"

    def valid_line(self, ctx: HookContext, value: Any) -> bool | str:
        return self._line_pick(ctx, value) is not None or "Please tap Your cart and choose a line."

    def read_line(self, ctx: HookContext) -> dict[str, str]:
        picked = self._line_pick(ctx) or CLEAR_ID
        if picked == CLEAR_ID:
            return {"kind": "clear", "id": "", "title": ""}
        return {
            "kind": "line",
            "id": picked.removeprefix(LINE_PREFIX),
            "title": self._title(picked),
        }

    def valid_new_quantity(self, ctx: HookContext, value: Any) -> bool | str:
        if _is_remove(ctx, value):
            return True
        pick = ctx.slots.get("pick") or {}
        return self._quantity_error(ctx, str(pick.get("id")), value, adding=False) or True

    def change(self, ctx: HookContext) -> dict[str, Any]:
        product_id, quantity = str(ctx.args.get("product")), ctx.args.get("quantity")
        if _is_remove(ctx, quantity):
            cart = remove_item(ctx.session, self.business, ctx.to, product_id)
        else:
            cart = set_quantity(ctx.session, self.business, ctx.to, product_id, quantity, ctx.now)
        return cart_summary(cart, self.business)

    def clear(self, ctx: HookContext) -> dict[str, Any]:
        clear_cart(ctx.session, ctx.to)
        return cart_summary(view_cart(ctx.session, self.business, ctx.to), self.business)


def _is_remove(ctx: HookContext, value: Any) -> bool:
    if ctx.message is not None and ctx.message.choice_id == REMOVE_ID:
        return True
    return isinstance(value, str) and normalize(value) in ("remove", "delete", "0")


def register(hooks: Hooks, business: BusinessConfig) -> None:
    """Register the ``cart.*`` hooks."""
    cart = _Cart(business)
    hooks.validator("cart.valid_quantity")(cart.valid_quantity)
    hooks.action("cart.add")(cart.add)
    hooks.action("cart.view")(cart.view)
    hooks.action("cart.lines")(cart.lines)
    hooks.validator("cart.valid_line")(cart.valid_line)
    hooks.action("cart.read_line")(cart.read_line)
    hooks.validator("cart.valid_new_quantity")(cart.valid_new_quantity)
    hooks.action("cart.change")(cart.change)
    hooks.action("cart.clear")(cart.clear)


__all__ = ["CLEAR_ID", "LINE_PREFIX", "REMOVE_ID", "cart_summary", "register"]
