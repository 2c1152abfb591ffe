"""The shop's flow hooks: browsing, the cart, checkout, payment and order tracking.

:func:`register_shop_hooks` registers, on a :class:`flows.Hooks`, the hooks that the built-in
flows ``purchase.yaml`` and ``track_order.yaml`` (of the shop and tracking features) call:

============================  ===========================================================
``shop.entry``                where a purchase starts: ``browse``, ``cart`` or ``checkout``
``shop.categories``           sends the category list (page ``page``); ``{count}``
``shop.products``             sends the product list of ``category`` (page ``page``)
``shop.valid_category``       validator: the answer names a category (or a page)
``shop.read_category``        the category picked; sets slots ``category`` and ``page``
``shop.valid_product``        validator: the answer names a product, a page, or "back"
``shop.read_product``         the product picked (``{kind, id, title}``); sets ``page``
``shop.product``              sends the product card; ``{id, title, left, max}``
``cart.*``                    see :mod:`flows.features.shop._hooks_cart`
``checkout.*``, ``payments.start``, ``orders.*``: see :mod:`flows.features.shop._hooks_checkout`
============================  ===========================================================

Every hook works inside the turn's transaction and reads the business configuration given at
registration. Hooks that list catalog items send the list message themselves (the flow engine's
options are static); the following question reads the answer with :mod:`flows.features.business.picks`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.messages import Row
from flows._hooks import HookContext, Hooks
from flows.features.business import PAGE_PREFIX, BusinessConfig, list_page, paginate
from flows.features.business.picks import normalize, resolve
from flows.features.shop import _hooks_cart, _hooks_checkout
from flows.features.shop._errors import CartError
from flows.features.shop.cart import available
from flows.features.shop.catalog import (
    CATEGORY_PREFIX,
    PRODUCT_PREFIX,
    category_rows,
    product_detail,
    product_rows,
)
from flows.features.shop.payments import PaymentProvider

ENTRY_PAYLOADS = {"SHOP": "browse", "SHOP_CART": "cart", "SHOP_CHECKOUT": "checkout"}
"""Button / template payloads that start the purchase flow, and where each one leads."""
ENTRY_WORDS = {"cart": "cart", "my cart": "cart", "basket": "cart", "checkout": "checkout"}
"""Typed words that start the purchase flow somewhere else than the catalog."""
BACK_WORDS = frozenset({"back", "categories", "menu"})


def _int(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _answer(ctx: HookContext, value: Any = None) -> tuple[str | None, str | None]:
    message = ctx.message
    choice = message.choice_id if message is not None else None
    text = value if isinstance(value, str) else (message.text_value if message else None)
    return choice, text


class _Browse:
    """The browsing hooks, bound to one business."""

    def __init__(self, business: BusinessConfig) -> None:
        self.business = business

    def _products(self, category: str | None) -> list[Row]:
        catalog = self.business.catalog
        return [Row(PRODUCT_PREFIX + p.id, p.title) for p in catalog.in_category(category or None)]

    def _categories(self) -> list[Row]:
        return [Row(row.id, self._category_title(row.id)) for row in category_rows(self.business)]

    def _category_title(self, row_id: str) -> str:
        category = self.business.catalog.category(row_id.removeprefix(CATEGORY_PREFIX))
        return category.title if category else row_id

    def entry(self, ctx: HookContext) -> str:
        ctx.set_slot("page", 0)
        message = ctx.message
        choice = message.choice_id if message is not None else None
        if choice in ENTRY_PAYLOADS:
            return ENTRY_PAYLOADS[choice]
        typed = normalize(message.text_value or "") if message is not None else ""
        return ENTRY_WORDS.get(typed, "browse")

    def categories(self, ctx: HookContext) -> dict[str, int]:
        rows = category_rows(self.business)
        if rows:
            body = f"Welcome to {self.business.business.name}! What would you like to see?"
            ctx.reply(
                list_page(
                    ctx.to, rows, body=body, button="Categories", page=_int(ctx.args.get("page"))
                )
            )
        return {"count": len(rows)}

    def products(self, ctx: HookContext) -> dict[str, int]:
        category_id = ctx.args.get("category") or None
        products = self.business.catalog.in_category(category_id)
        stock = {p.id: available(ctx.session, p, ctx.now) for p in products}
        rows = product_rows(self.business, products, stock)
        category = self.business.catalog.category(category_id) if category_id else None
        title = category.title if category else "Our products"
        if rows:
            page = _int(ctx.args.get("page"))
            ctx.reply(
                list_page(
                    ctx.to,
                    rows,
                    body=f"{title}: tap *Products* to choose.",
                    button="Products",
                    page=page,
                )
            )
        return {"count": len(rows)}

    def _category_pick(self, ctx: HookContext, value: Any = None) -> str | None:
        shown = paginate(category_rows(self.business), _int(ctx.slots.get("page"))).rows
        return resolve(*_answer(ctx, value), shown, self._categories())

    def valid_category(self, ctx: HookContext, value: Any) -> bool | str:
        if self._category_pick(ctx, value) is not None:
            return True
        return "Please tap Categories and choose one (or type its name)."

    def read_category(self, ctx: HookContext) -> dict[str, Any]:
        picked = self._category_pick(ctx) or ""
        if picked.startswith(PAGE_PREFIX):
            ctx.set_slot("page", _int(picked.removeprefix(PAGE_PREFIX)))
            return {"kind": "page", "id": picked, "title": ""}
        category_id = picked.removeprefix(CATEGORY_PREFIX)
        ctx.set_slot("category", category_id)
        ctx.set_slot("page", 0)
        return {"kind": "category", "id": category_id, "title": self._category_title(picked)}

    def _product_pick(self, ctx: HookContext, value: Any = None) -> str | None:
        category = ctx.slots.get("category") or None
        products = self.business.catalog.in_category(category)
        shown = paginate(product_rows(self.business, products), _int(ctx.slots.get("page"))).rows
        choice, text = _answer(ctx, value)
        if choice is None and text is not None and text.strip().casefold() in BACK_WORDS:
            return "back"
        return resolve(choice, text, shown, self._products(category))

    def valid_product(self, ctx: HookContext, value: Any) -> bool | str:
        if self._product_pick(ctx, value) is not None:
            return True
        return "Please tap Products and choose one (or type back for the categories)."

    def read_product(self, ctx: HookContext) -> dict[str, Any]:
        picked = self._product_pick(ctx) or "back"
        if picked == "back":
            ctx.set_slot("page", 0)
            return {"kind": "back", "id": "", "title": ""}
        if picked.startswith(PAGE_PREFIX):
            ctx.set_slot("page", _int(picked.removeprefix(PAGE_PREFIX)))
            return {"kind": "page", "id": picked, "title": ""}
        product = self.business.catalog.product(picked.removeprefix(PRODUCT_PREFIX))
        assert product is not None
        return {"kind": "product", "id": product.id, "title": product.title}

    def product(self, ctx: HookContext) -> dict[str, Any]:
        product = self.business.catalog.product(str(ctx.args.get("product")))
        if product is None:
            raise CartError("Sorry, that product is not available any more.")
        left = available(ctx.session, product, ctx.now)
        ctx.reply(product_detail(ctx.to, self.business, product, left))
        most = product.max_per_order if left is None else min(product.max_per_order, left)
        return {"id": product.id, "title": product.title, "left": left, "max": most}


def register_shop_hooks(
    hooks: Hooks,
    business: BusinessConfig,
    *,
    provider: PaymentProvider | None = None,
    environ: Mapping[str, str] | None = None,
) -> Hooks:
    """Register every shop hook on ``hooks``.

    Args:
        hooks: The registry the flows' hook names are looked up in.
        business: The business configuration the hooks serve.
        provider: The payment provider; by default the one the business file names, built
            (reading the Stripe key from ``environ``) when a payment starts.
        environ: Where secrets are read; ``os.environ`` by default.

    Returns:
        ``hooks``, for chaining.

    Raises:
        FlowError: A shop hook name is already registered.
    """
    browse = _Browse(business)
    hooks.action("shop.entry")(browse.entry)
    hooks.action("shop.categories")(browse.categories)
    hooks.action("shop.products")(browse.products)
    hooks.validator("shop.valid_category")(browse.valid_category)
    hooks.action("shop.read_category")(browse.read_category)
    hooks.validator("shop.valid_product")(browse.valid_product)
    hooks.action("shop.read_product")(browse.read_product)
    hooks.action("shop.product")(browse.product)
    _hooks_cart.register(hooks, business)
    _hooks_checkout.register(hooks, business, provider=provider, environ=environ)
    return hooks


def shop_hooks(business: BusinessConfig, **options: Any) -> Hooks:
    """A new :class:`flows.Hooks` with the shop hooks (see :func:`register_shop_hooks`)."""
    return register_shop_hooks(Hooks(), business, **options)


__all__ = ["ENTRY_PAYLOADS", "register_shop_hooks", "shop_hooks"]
