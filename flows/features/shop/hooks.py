"""The shop's flow hooks: browsing, the cart, checkout and payment.

:func:`register_shop_hooks` registers on a :class:`flows.Hooks` the ``shop.*``, ``cart.*``,
``checkout.*`` and ``payments.start`` hooks that the built-in flow ``purchase.yaml`` calls (each
is listed with what it returns in docs/business.md). Every hook works inside the turn's
transaction (``payments.start`` calls a remote provider only after the turn commits:
:func:`~flows.features.shop.payments.request_payment`) and reads the business configuration given at registration. Hooks that list catalog
items send the list message themselves (the flow engine's options are static); the following
question reads the answer with :mod:`flows.features.business.picks`. What a hook writes is in
the customer's language (``ctx.texts``), the business file's words included.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from bot.config import mask
from bot.messages import Row
from flows import HookContext, Hooks, Texts
from flows.features.business import PAGE_PREFIX, BusinessConfig, list_page, paginate, shorten
from flows.features.business.lists import fit_body
from flows.features.business.picks import answer, normalize, page_number, resolve
from flows.features.shop._errors import CartError, OutOfStockError
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
from flows.features.shop.catalog import (
    CATEGORY_PREFIX,
    PRODUCT_PREFIX,
    category_rows,
    product_detail,
    product_rows,
)
from flows.features.shop.orders import (
    create_order,
    describe_quote,
    find_customer_order,
    fulfilment_options,
    pickup_label,
    pickup_time,
    quote,
)
from flows.features.shop.payments import PaymentProvider, make_provider, request_payment

ENTRY_PAYLOADS = {"SHOP": "browse", "SHOP_CART": "cart", "SHOP_CHECKOUT": "checkout"}
"""Button / template payloads that start the purchase flow, and where each one leads."""
ENTRY_WORDS = {"cart": "cart", "my cart": "cart", "basket": "cart", "checkout": "checkout"}
"""Typed words that start the purchase flow somewhere else than the catalog."""
BACK_WORDS = ("back", "categories", "menu")
"""Typed words that go back to the categories (each also in the customer's language)."""
CLEAR_WORDS = ("empty", "empty cart", "clear")
"""Typed words that empty the cart from its line list (each also in the customer's language)."""
REMOVE_WORDS = ("remove", "delete")
"""Typed words that remove a cart line (each also in the customer's language), as does 0."""
LINE_PREFIX = "line:"
CLEAR_ID = "cart:clear"
REMOVE_ID = "remove"

log = logging.getLogger(__name__)


def _send(ctx: HookContext, rows: list[Row], body: str, button: str) -> dict[str, int]:
    """Send page ``page`` (an argument) of ``rows`` as a list when there are any; ``{count}``."""
    if rows:
        page = page_number(ctx.args.get("page"))
        ctx.reply(list_page(ctx.to, rows, body=body, button=button, page=page, texts=ctx.texts))
    return {"count": len(rows)}


def _shown(ctx: HookContext, rows: list[Row]) -> tuple[Row, ...]:
    """The rows of the page shown last (slot ``page``), navigation rows included."""
    return paginate(rows, page_number(ctx.slots.get("page")), ctx.texts).rows


def _turn_page(ctx: HookContext, picked: str) -> dict[str, Any]:
    """A ``page:<n>`` row was picked: show that page next."""
    ctx.set_slot("page", page_number(picked.removeprefix(PAGE_PREFIX)))
    return {"kind": "page", "id": picked, "title": ""}


def cart_summary(
    cart: CartView, business: BusinessConfig, texts: Texts | None = None
) -> dict[str, Any]:
    """The cart as a slot value: ``count`` (units), ``text`` (for a message body), ``subtotal``
    (in ``texts``' language, by default the business's)."""
    texts = texts or business.texts()
    text = fit_body(describe_cart(cart, business, texts))
    subtotal = texts.money(cart.subtotal, cart.currency)
    return {"count": cart.count, "text": text, "subtotal": subtotal}


def _said(ctx: HookContext, text: str, words: Iterable[str]) -> bool:
    """Whether ``text`` is one of ``words``, in English or in the customer's language."""
    said = normalize(text)
    return any(said in (normalize(word), normalize(ctx.texts(word))) for word in words)


def _is_remove(ctx: HookContext, value: Any) -> bool:
    if ctx.message is not None and ctx.message.choice_id == REMOVE_ID:
        return True
    return isinstance(value, str) and (value.strip() == "0" or _said(ctx, value, REMOVE_WORDS))


def register_shop_hooks(
    hooks: Hooks,
    business: BusinessConfig,
    *,
    provider: PaymentProvider | None = None,
) -> Hooks:
    """Register every shop hook on ``hooks``.

    Args:
        hooks: The registry the flows' hook names are looked up in.
        business: The business configuration the hooks serve.
        provider: The payment provider; by default the one the business file names, built
            (reading the Stripe key from ``os.environ``) when a payment starts.

    Returns:
        ``hooks``.

    Raises:
        FlowError: A shop hook name is already registered.
    """
    _register_browsing(hooks, business)
    _register_cart(hooks, business)
    _register_checkout(hooks, business, provider)
    return hooks


def _register_browsing(hooks: Hooks, business: BusinessConfig) -> None:
    catalog = business.catalog

    def category_title(ctx: HookContext, row_id: str) -> str:
        category = catalog.category(row_id.removeprefix(CATEGORY_PREFIX))
        return ctx.texts(category.title) if category else row_id

    def category_pick(ctx: HookContext, value: Any = None) -> str | None:
        rows = category_rows(business, ctx.texts)
        full = [Row(row.id, category_title(ctx, row.id)) for row in rows]
        return resolve(*answer(ctx, value), _shown(ctx, rows), full)

    def product_pick(ctx: HookContext, value: Any = None) -> str | None:
        products = catalog.in_category(ctx.slots.get("category") or None)
        choice, text = answer(ctx, value)
        if choice is None and text is not None and _said(ctx, text, BACK_WORDS):
            return "back"
        full = [Row(PRODUCT_PREFIX + p.id, ctx.texts(p.title)) for p in products]
        shown = _shown(ctx, product_rows(business, products, texts=ctx.texts))
        return resolve(choice, text, shown, full)

    @hooks.action("shop.entry")
    def entry(ctx: HookContext) -> str:
        ctx.set_slot("page", 0)
        choice, text = answer(ctx)
        return ENTRY_PAYLOADS.get(choice or "") or ENTRY_WORDS.get(normalize(text or ""), "browse")

    @hooks.action("shop.categories")
    def categories(ctx: HookContext) -> dict[str, int]:
        name = ctx.texts(business.business.name)
        body = ctx.texts("Welcome to {business}! What would you like to see?", business=name)
        return _send(ctx, category_rows(business, ctx.texts), body, ctx.texts("Categories"))

    @hooks.action("shop.products")
    def product_list(ctx: HookContext) -> dict[str, int]:
        category_id = ctx.args.get("category") or None
        products = catalog.in_category(category_id)
        stock = {p.id: available(ctx.session, p, ctx.now) for p in products}
        category = catalog.category(category_id) if category_id else None
        title = ctx.texts(category.title) if category else ctx.texts("Our products")
        rows = product_rows(business, products, stock, ctx.texts)
        body = ctx.texts("{category}: tap *Products* to choose.", category=title)
        return _send(ctx, rows, body, ctx.texts("Products"))

    @hooks.validator("shop.valid_category")
    def valid_category(ctx: HookContext, value: Any) -> bool | str:
        found = category_pick(ctx, value) is not None
        return found or ctx.texts("Please tap Categories and choose one (or type its name).")

    @hooks.action("shop.read_category")
    def read_category(ctx: HookContext) -> dict[str, Any]:
        picked = category_pick(ctx) or ""
        if picked.startswith(PAGE_PREFIX):
            return _turn_page(ctx, picked)
        category_id = picked.removeprefix(CATEGORY_PREFIX)
        ctx.set_slot("category", category_id)
        ctx.set_slot("page", 0)
        return {"kind": "category", "id": category_id, "title": category_title(ctx, picked)}

    @hooks.validator("shop.valid_product")
    def valid_product(ctx: HookContext, value: Any) -> bool | str:
        found = product_pick(ctx, value) is not None
        return found or ctx.texts(
            "Please tap Products and choose one (or type back for the categories)."
        )

    @hooks.action("shop.read_product")
    def read_product(ctx: HookContext) -> dict[str, Any]:
        picked = product_pick(ctx) or "back"
        if picked == "back":
            ctx.set_slot("page", 0)
            return {"kind": "back", "id": "", "title": ""}
        if picked.startswith(PAGE_PREFIX):
            return _turn_page(ctx, picked)
        product = catalog.product(picked.removeprefix(PRODUCT_PREFIX))
        assert product is not None
        return {"kind": "product", "id": product.id, "title": ctx.texts(product.title)}

    @hooks.action("shop.product")
    def product_card(ctx: HookContext) -> dict[str, Any]:
        product = catalog.product(str(ctx.args.get("product")))
        if product is None:
            raise CartError(ctx.texts("Sorry, that product is not available any more."))
        left = available(ctx.session, product, ctx.now)
        ctx.reply(product_detail(ctx.to, business, product, left, ctx.texts))
        most = product.max_per_order if left is None else min(product.max_per_order, left)
        digital = product.kind == "digital"
        held = 0
        if digital:  # one copy is all anyone needs: no quantity question
            cart = view_cart(ctx.session, business, ctx.to)
            held = sum(i.quantity for i in cart.items if i.product.id == product.id)
            ctx.set_slot("quantity", "1")
        card = {"id": product.id, "title": ctx.texts(product.title), "left": left, "max": most}
        return {**card, "digital": digital, "held": held}


def _register_cart(hooks: Hooks, business: BusinessConfig) -> None:
    catalog = business.catalog

    def quantity_check(
        ctx: HookContext, product_id: str, value: Any, *, adding: bool
    ) -> bool | str:
        texts = ctx.texts
        product = catalog.product(product_id)
        if product is None:
            return texts("Sorry, that product is not available any more.")
        cart = view_cart(ctx.session, business, ctx.to)
        held = sum(i.quantity for i in cart.items if i.product.id == product.id) if adding else 0
        left = available(ctx.session, product, ctx.now)
        most = product.max_per_order - held
        if left is not None:
            most = min(most, left - held)
        if most <= 0:
            title = texts(product.title)
            if left is not None and left <= held:
                return texts("Sorry, there is no more {product} left.", product=title)
            return texts("You already have the most {product} one order can take.", product=title)
        try:
            parse_quantity(value, most, product.title, texts=texts)
        except CartError as exc:
            return str(exc)
        return True

    def line_title(ctx: HookContext, row_id: str) -> str:
        product = catalog.product(row_id.removeprefix(LINE_PREFIX))
        return ctx.texts(product.title if product else "Empty the cart")

    def line_rows(ctx: HookContext) -> list[Row]:
        texts = ctx.texts
        cart = view_cart(ctx.session, business, ctx.to)
        rows = [
            Row(
                LINE_PREFIX + item.product.id,
                shorten(texts(item.product.title), 24),
                texts(
                    "{quantity} × {price}",
                    quantity=item.quantity,
                    price=texts.money(item.product.price, cart.currency),
                ),
            )
            for item in cart.items[:9]
        ]
        clear = Row(CLEAR_ID, texts("Empty the cart"), texts("Remove everything"))
        return [*rows, clear] if rows else []

    def line_pick(ctx: HookContext, value: Any = None) -> str | None:
        rows = line_rows(ctx)
        choice, text = answer(ctx, value)
        if choice is None and text and _said(ctx, text, CLEAR_WORDS):
            return CLEAR_ID
        return resolve(choice, text, rows, [Row(r.id, line_title(ctx, r.id)) for r in rows])

    @hooks.validator("cart.valid_quantity")
    def valid_quantity(ctx: HookContext, value: Any) -> bool | str:
        product = ctx.slots.get("product") or {}
        return quantity_check(ctx, str(product.get("id")), value, adding=True)

    @hooks.action("cart.add")
    def add(ctx: HookContext) -> dict[str, Any]:
        product_id, quantity = str(ctx.args.get("product")), ctx.args.get("quantity")
        texts = ctx.texts
        cart = add_item(ctx.session, business, ctx.to, product_id, quantity, ctx.now, texts=texts)
        return cart_summary(cart, business, texts)

    @hooks.action("cart.view")
    def view(ctx: HookContext) -> dict[str, Any]:
        return cart_summary(view_cart(ctx.session, business, ctx.to), business, ctx.texts)

    @hooks.action("cart.lines")
    def lines(ctx: HookContext) -> dict[str, int]:
        body = ctx.texts("Which line do you want to change?")
        shown = _send(ctx, line_rows(ctx), body, ctx.texts("Your cart"))
        return {"count": max(shown["count"] - 1, 0)}  # "Empty the cart" is no line

    @hooks.validator("cart.valid_line")
    def valid_line(ctx: HookContext, value: Any) -> bool | str:
        found = line_pick(ctx, value) is not None
        return found or ctx.texts("Please tap Your cart and choose a line.")

    @hooks.action("cart.read_line")
    def read_line(ctx: HookContext) -> dict[str, str]:
        picked = line_pick(ctx) or CLEAR_ID
        if picked == CLEAR_ID:
            return {"kind": "clear", "id": "", "title": ""}
        product_id = picked.removeprefix(LINE_PREFIX)
        return {"kind": "line", "id": product_id, "title": line_title(ctx, picked)}

    @hooks.validator("cart.valid_new_quantity")
    def valid_new_quantity(ctx: HookContext, value: Any) -> bool | str:
        if _is_remove(ctx, value):
            return True
        pick = ctx.slots.get("pick") or {}
        return quantity_check(ctx, str(pick.get("id")), value, adding=False)

    @hooks.action("cart.change")
    def change(ctx: HookContext) -> dict[str, Any]:
        product_id, quantity = str(ctx.args.get("product")), ctx.args.get("quantity")
        texts = ctx.texts
        if _is_remove(ctx, quantity):
            cart = remove_item(ctx.session, business, ctx.to, product_id)
        else:
            cart = set_quantity(
                ctx.session, business, ctx.to, product_id, quantity, ctx.now, texts=texts
            )
        return cart_summary(cart, business, texts)

    @hooks.action("cart.clear")
    def clear(ctx: HookContext) -> dict[str, Any]:
        clear_cart(ctx.session, ctx.to)
        return view(ctx)


def _register_checkout(
    hooks: Hooks, business: BusinessConfig, provider: PaymentProvider | None
) -> None:
    @hooks.validator("checkout.valid_pickup")
    def valid_pickup(ctx: HookContext, value: Any) -> bool | str:
        try:
            pickup_time(business, str(value), ctx.now, ctx.texts)
        except CartError as exc:
            return str(exc)
        return True

    @hooks.validator("checkout.valid_address")
    def valid_address(ctx: HookContext, value: Any) -> bool:
        """Every typed address is accepted; a business replaces this hook to limit its area."""
        del ctx, value
        return True

    @hooks.action("checkout.options")
    def options(ctx: HookContext) -> dict[str, Any]:
        cart = view_cart(ctx.session, business, ctx.to)
        offered = fulfilment_options(business, cart)
        only = offered[0] if len(offered) == 1 else None
        if only:
            ctx.set_slot("fulfilment", only)
        return {"count": cart.count, "only": only}

    @hooks.action("checkout.quote")
    def checkout_quote(ctx: HookContext) -> dict[str, str]:
        texts = ctx.texts
        q = quote(ctx.session, business, ctx.to, str(ctx.args.get("fulfilment")), texts)
        text = describe_quote(q, business, texts)
        pickup = ctx.args.get("pickup")
        if q.fulfilment == "pickup" and pickup:  # after where, before the total
            *lines, total = text.split("\n")
            moment = pickup_time(business, str(pickup), ctx.now, texts)
            when = texts("When: {when}", when=pickup_label(moment, texts))
            text = "\n".join([*lines, when, total])
        location = ctx.args.get("location")
        if q.fulfilment == "delivery":
            address = ctx.args.get("address")
            if isinstance(location, Mapping):
                where = location.get("name") or location.get("address")
                address = str(where or texts("the location you shared"))
            text += "\n" + texts("Deliver to: {address}", address=address)
        return {"text": fit_body(text), "total": texts.money(q.total, business.currency)}

    @hooks.action("checkout.create_order")
    def create(ctx: HookContext) -> dict[str, Any]:
        location = ctx.args.get("location")
        place: dict[str, Any] = {}
        if isinstance(location, Mapping) and location.get("latitude") is not None:
            place = {
                "latitude": float(location["latitude"]),
                "longitude": float(location["longitude"]),
                "location_name": location.get("name") or location.get("address"),
            }
        address = ctx.args.get("address")
        pickup, note = ctx.args.get("pickup"), None
        if ctx.args.get("fulfilment") == "pickup" and pickup:  # for staff, in the order's history
            moment = pickup_time(business, str(pickup), ctx.now, ctx.texts)  # as they wrote it
            note = f"pickup {pickup_label(moment, business.texts())}"  # as the staff read it
        try:
            order = create_order(
                ctx.session,
                business,
                ctx.to,
                fulfilment=str(ctx.args.get("fulfilment")),
                now=ctx.now,
                address=str(address) if address else None,
                texts=ctx.texts,
                pickup_note=note,
                **place,
            )
        except OutOfStockError as exc:  # lost the race for the last ones: an expected outcome
            log.info("order of %s refused: %s sold out", mask(ctx.to), exc.product_id)
            if exc.available:
                set_quantity(ctx.session, business, ctx.to, exc.product_id, exc.available, ctx.now)
            else:
                remove_item(ctx.session, business, ctx.to, exc.product_id)
            return {"status": "sold_out", "error": str(exc)}
        total = ctx.texts.money(order.total, order.currency)
        digital = order.fulfilment == "digital"
        return {"status": "ok", "number": order.number, "total": total, "digital": digital}

    @hooks.action("payments.start")
    def pay(ctx: HookContext) -> dict[str, Any]:
        nonlocal provider
        if provider is None:
            provider = make_provider(business)
        number = str(ctx.args.get("number"))
        order = find_customer_order(ctx.session, ctx.to, number, ctx.texts)
        link = request_payment(ctx, business, order, provider)
        return {"provider": order.provider, "link": link}


__all__ = ["ENTRY_PAYLOADS", "register_shop_hooks"]
