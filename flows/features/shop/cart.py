"""The customer's cart: add, view, change, remove, clear.

This module owns quantity rules and cart contents. Quantities are whole numbers from 1 to the
product's ``max_per_order``; what a customer types (``"2"``, ``"x3"``, ``"two"``, ``"lots"``,
``"-1"``, ``"10,000"``, and small numbers' words in Spanish, Portuguese and Indonesian) is read
by :func:`parse_quantity`, and every refusal is a :class:`~flows.features.shop.CartError` whose
message can be sent to the customer as is (in the language of the ``texts`` given). Stock is
only *checked* here; it is *reserved* when the order is created (:mod:`flows.features.shop.orders`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, delete, select

from flows import Texts, number_word
from flows.features.business import BusinessConfig, Product
from flows.features.shop._errors import CartError, OutOfStockError
from flows.features.shop.models import CartLine, seed_stock, stock_levels

_ARTICLES = {"a": 1, "an": 1}
"""``a cake``: one (number words come from :func:`flows.number_word`)."""
_INT_RE = re.compile(r"^[+-]?\d+$")
_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:[,.\s]\d{3})+$")
_DECIMAL_RE = re.compile(r"^[+-]?\d*[.,]\d+$")


def parse_quantity(
    value: object, maximum: int = 50, what: str | None = None, *, texts: Texts | None = None
) -> int:
    """Read a quantity a customer typed or picked.

    Args:
        value: An int, or text such as ``"2"``, ``"x2"``, ``"two"``.
        maximum: The largest quantity allowed.
        what: The product's name, for the messages (by default "this product").
        texts: The customer's words for the messages (by default English).

    Returns:
        A whole number from 1 to ``maximum``.

    Raises:
        CartError: Zero, negative, not a number, not whole, or more than ``maximum``; the
            message, in the customer's language, says what to send instead.
    """
    texts = texts or Texts()
    one = maximum == 1  # never "a number from 1 to 1"
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = value.strip().lower().lstrip("x×*").strip()
        if _INT_RE.match(text):
            number = int(text)
        elif _THOUSANDS_RE.match(text):
            number = int(re.sub(r"\D", "", text))
        elif _DECIMAL_RE.match(text):
            if one:
                raise CartError(texts("Please send 1."))
            raise CartError(
                texts("Please send a whole number from 1 to {maximum}.", maximum=maximum)
            )
        else:
            number = _ARTICLES.get(text, number_word(text, texts.language))
    if number is None:
        if one:
            raise CartError(texts("Please send the quantity as 1."))
        raise CartError(
            texts(
                "Please send the quantity as a number from 1 to {maximum}, for example 2.",
                maximum=maximum,
            )
        )
    if number < 0:
        if one:
            raise CartError(texts("A quantity can't be negative. Send 1."))
        raise CartError(
            texts(
                "A quantity can't be negative. Send a number from 1 to {maximum}.", maximum=maximum
            )
        )
    if number == 0:
        if one:
            raise CartError(texts("The quantity must be 1."))
        raise CartError(
            texts("The quantity must be at least 1 (at most {maximum}).", maximum=maximum)
        )
    if number > maximum:
        product = texts(what) if what else texts("this product")
        if one:
            raise CartError(texts("Only one {product} can be ordered at once.", product=product))
        raise CartError(
            texts(
                "You can order at most {maximum} of {product} at once.",
                maximum=maximum,
                product=product,
            )
        )
    return number


@dataclass(frozen=True)
class CartItem:
    """One cart line, priced with the catalog's current price."""

    product: Product
    quantity: int

    @property
    def line_total(self) -> int:
        """Unit price × quantity, in minor units."""
        return self.product.price * self.quantity


@dataclass(frozen=True)
class CartView:
    """A customer's cart as it stands.

    Attributes:
        items: The lines, oldest first.
        currency: The business currency.
    """

    items: tuple[CartItem, ...]
    currency: str

    @property
    def subtotal(self) -> int:
        """The sum of the lines, in minor units."""
        return sum(item.line_total for item in self.items)

    @property
    def count(self) -> int:
        """How many units in total."""
        return sum(item.quantity for item in self.items)

    @property
    def needs_fulfilment(self) -> bool:
        """True when something must be picked up or delivered (a physical product)."""
        return any(item.product.kind == "physical" for item in self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def available(session: Session, product: Product, now: datetime) -> int | None:
    """How many units of ``product`` are left right now; ``None`` for unlimited stock."""
    if product.stock is None:
        return None
    seed_stock(session, [product], now)
    return stock_levels(session, [product.id]).get(product.id, 0)


def out_of_stock(
    product: Product, left: int, *, just: bool = False, texts: Texts | None = None
) -> OutOfStockError:
    """The refusal for wanting more of ``product`` than the ``left`` units (``just`` sold out:
    someone else took the last ones meanwhile), in the customer's words (by default English)."""
    texts = texts or Texts()
    title = texts(product.title)
    if left == 0:
        sold_out = "Sorry, {product} just sold out." if just else "Sorry, {product} is sold out."
        return OutOfStockError(texts(sold_out, product=title), product.id, 0)
    text = texts.plural(
        "Sorry, only {n} × {product} left.",
        "Sorry, only {n} × {product} left.",
        left,
        product=title,
    )
    return OutOfStockError(text, product.id, left)


def add_item(
    session: Session,
    business: BusinessConfig,
    wa_id: str,
    product_id: str,
    quantity: object,
    now: datetime,
    *,
    replace: bool = False,
    texts: Texts | None = None,
) -> CartView:
    """Add units of a product to the cart (merging with a line already there).

    With ``replace``, set the quantity of a product already in the cart instead
    (:func:`set_quantity`). Refusals are written in ``texts``' language (by default the
    business's).

    Raises:
        CartError: Unknown product or bad quantity (also when the line would exceed the
            product's ``max_per_order``); with ``replace``, the product is not in the cart.
        OutOfStockError: Not that many left.
    """
    texts = texts or business.texts()
    product = business.catalog.product(product_id)
    if product is None:
        raise CartError(texts("Sorry, that product is not available any more."))
    query = select(CartLine).where(CartLine.wa_id == wa_id, CartLine.product_id == product.id)
    line = session.exec(query).first()
    if line is None and replace:
        raise CartError(texts("{product} is not in your cart.", product=texts(product.title)))
    total = parse_quantity(quantity, product.max_per_order, product.title, texts=texts)
    held = line.quantity if line is not None and not replace else 0
    if total + held > product.max_per_order:
        raise CartError(
            texts(
                "You can order at most {maximum} of {product} at once (you already have {held}).",
                maximum=product.max_per_order,
                product=texts(product.title),
                held=held,
            )
        )
    left = available(session, product, now)
    if left is not None and total + held > left:
        raise out_of_stock(product, left, texts=texts)
    line = line or CartLine(wa_id=wa_id, product_id=product.id, quantity=0, added_at=now)
    line.quantity = total + held
    session.add(line)
    session.flush()
    return view_cart(session, business, wa_id)


def set_quantity(
    session: Session,
    business: BusinessConfig,
    wa_id: str,
    product_id: str,
    quantity: object,
    now: datetime,
    *,
    texts: Texts | None = None,
) -> CartView:
    """Change the quantity of a product already in the cart (refusals in ``texts``' language).

    Raises:
        CartError: The product is not in the cart, or the quantity is bad (0 included: use
            :func:`remove_item` to take a product out).
        OutOfStockError: Not that many left.
    """
    return add_item(session, business, wa_id, product_id, quantity, now, replace=True, texts=texts)


def remove_item(
    session: Session, business: BusinessConfig, wa_id: str, product_id: str
) -> CartView:
    """Take a product out of the cart (no error when it was not there)."""
    session.execute(
        delete(CartLine).where(col(CartLine.wa_id) == wa_id, col(CartLine.product_id) == product_id)
    )
    return view_cart(session, business, wa_id)


def clear_cart(session: Session, wa_id: str) -> None:
    """Empty the customer's cart."""
    session.execute(delete(CartLine).where(col(CartLine.wa_id) == wa_id))


def view_cart(session: Session, business: BusinessConfig, wa_id: str) -> CartView:
    """The customer's cart, priced with current catalog prices.

    Lines whose product left the catalog are dropped from the cart.
    """
    query = select(CartLine).where(CartLine.wa_id == wa_id).order_by(col(CartLine.id))
    items: list[CartItem] = []
    for line in session.exec(query):
        product = business.catalog.product(line.product_id)
        if product is None:
            session.delete(line)
            continue
        items.append(CartItem(product, line.quantity))
    return CartView(tuple(items), business.currency)


def line_text(
    business: BusinessConfig,
    quantity: int,
    title: str,
    amount: int,
    currency: str,
    texts: Texts | None = None,
) -> str:
    """One line of a cart, a quote or an order: ``"2 × Coffee beans — €18.00"`` (in ``texts``'
    language, by default the business's)."""
    texts = texts or business.texts()
    return texts(
        "{quantity} × {product} — {amount}",
        quantity=quantity,
        product=texts(title),
        amount=texts.money(amount, currency),
    )


def item_lines(cart: CartView, business: BusinessConfig, texts: Texts | None = None) -> list[str]:
    """The cart's lines as text, one per product."""
    return [
        line_text(business, i.quantity, i.product.title, i.line_total, cart.currency, texts)
        for i in cart.items
    ]


def describe_cart(cart: CartView, business: BusinessConfig, texts: Texts | None = None) -> str:
    """The cart as text: one line per product and the subtotal (``"Your cart is empty."``), in
    ``texts``' language (by default the business's)."""
    texts = texts or business.texts()
    if not cart:
        return texts("Your cart is empty.")
    subtotal = texts("Subtotal: {amount}", amount=texts.money(cart.subtotal, cart.currency))
    return "\n".join([*item_lines(cart, business, texts), subtotal])


__all__ = [
    "CartItem",
    "CartView",
    "add_item",
    "available",
    "clear_cart",
    "describe_cart",
    "item_lines",
    "line_text",
    "out_of_stock",
    "parse_quantity",
    "remove_item",
    "set_quantity",
    "view_cart",
]
