"""The customer's cart: add, view, change, remove, clear.

This module owns quantity rules and cart contents. Quantities are whole numbers from 1 to the
product's ``max_per_order``; what a customer types (``"2"``, ``"x3"``, ``"two"``, ``"lots"``,
``"-1"``, ``"10,000"``) is read by :func:`parse_quantity`, and every refusal is a
:class:`~flows.features.shop.CartError` whose message can be sent to the customer as is. Stock is
only *checked* here; it is *reserved* when the order is created (:mod:`flows.features.shop.orders`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, delete, select

from flows.features.business import BusinessConfig, Product
from flows.features.shop._errors import CartError, OutOfStockError
from flows.features.shop.models import CartLine, seed_stock, stock_levels

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12,
    "a": 1, "an": 1,
}  # fmt: skip
_INT_RE = re.compile(r"^[+-]?\d+$")
_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:[,.\s]\d{3})+$")
_DECIMAL_RE = re.compile(r"^[+-]?\d*[.,]\d+$")


def parse_quantity(value: object, maximum: int = 50, what: str = "this product") -> int:
    """Read a quantity a customer typed or picked.

    Args:
        value: An int, or text such as ``"2"``, ``"x2"``, ``"two"``.
        maximum: The largest quantity allowed.
        what: The product's name, for the messages.

    Returns:
        A whole number from 1 to ``maximum``.

    Raises:
        CartError: Zero, negative, not a number, not whole, or more than ``maximum``; the
            message says what to send instead.
    """
    one = maximum == 1  # never "a number from 1 to 1"
    numbers = "1" if one else f"a number from 1 to {maximum}"
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
            raise CartError(f"Please send {'1' if one else 'a whole ' + numbers[2:]}.")
        else:
            number = _WORDS.get(text)
    if number is None:
        example = "" if one else ", for example 2"
        raise CartError(f"Please send the quantity as {numbers}{example}.")
    if number < 0:
        raise CartError(f"A quantity can't be negative. Send {numbers}.")
    if number == 0:
        most = "" if one else f" (at most {maximum})"
        raise CartError(f"The quantity must be {'1' if one else 'at least 1'}{most}.")
    if number > maximum:
        if one:
            raise CartError(f"Only one {what} can be ordered at once.")
        raise CartError(f"You can order at most {maximum} of {what} at once.")
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


def out_of_stock(product: Product, left: int, sold_out: str = "is sold out") -> OutOfStockError:
    """The refusal for wanting more of ``product`` than the ``left`` units."""
    if left == 0:
        return OutOfStockError(f"Sorry, {product.title} {sold_out}.", product.id, 0)
    return OutOfStockError(f"Sorry, only {left} × {product.title} left.", product.id, left)


def add_item(
    session: Session,
    business: BusinessConfig,
    wa_id: str,
    product_id: str,
    quantity: object,
    now: datetime,
    *,
    replace: bool = False,
) -> CartView:
    """Add units of a product to the cart (merging with a line already there).

    With ``replace``, set the quantity of a product already in the cart instead
    (:func:`set_quantity`).

    Raises:
        CartError: Unknown product or bad quantity (also when the line would exceed the
            product's ``max_per_order``); with ``replace``, the product is not in the cart.
        OutOfStockError: Not that many left.
    """
    product = business.catalog.product(product_id)
    if product is None:
        raise CartError("Sorry, that product is not available any more.")
    query = select(CartLine).where(CartLine.wa_id == wa_id, CartLine.product_id == product.id)
    line = session.exec(query).first()
    if line is None and replace:
        raise CartError(f"{product.title} is not in your cart.")
    total = parse_quantity(quantity, product.max_per_order, product.title)
    held = line.quantity if line is not None and not replace else 0
    if total + held > product.max_per_order:
        raise CartError(
            f"You can order at most {product.max_per_order} of {product.title} at once "
            f"(you already have {held})."
        )
    left = available(session, product, now)
    if left is not None and total + held > left:
        raise out_of_stock(product, left)
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
) -> CartView:
    """Change the quantity of a product already in the cart.

    Raises:
        CartError: The product is not in the cart, or the quantity is bad (0 included: use
            :func:`remove_item` to take a product out).
        OutOfStockError: Not that many left.
    """
    return add_item(session, business, wa_id, product_id, quantity, now, replace=True)


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
    business: BusinessConfig, quantity: int, title: str, amount: int, currency: str
) -> str:
    """One line of a cart, a quote or an order: ``"2 × Coffee beans — €18.00"``."""
    return f"{quantity} × {title} — {business.money(amount, currency)}"


def item_lines(cart: CartView, business: BusinessConfig) -> list[str]:
    """The cart's lines as text, one per product."""
    return [
        line_text(business, i.quantity, i.product.title, i.line_total, cart.currency)
        for i in cart.items
    ]


def describe_cart(cart: CartView, business: BusinessConfig) -> str:
    """The cart as text: one line per product and the subtotal (``"Your cart is empty."``)."""
    if not cart:
        return "Your cart is empty."
    subtotal = f"Subtotal: {business.money(cart.subtotal, cart.currency)}"
    return "\n".join([*item_lines(cart, business), subtotal])


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
