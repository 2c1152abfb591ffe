"""Orders: checkout quotes, creating an order from the cart with stock reserved, and lookups.

:func:`create_order` turns the cart into an order in one savepoint: every limited product is
reserved with a conditional ``UPDATE`` and, if any is short, nothing is reserved. Lookups are
scoped to the customer: :func:`find_customer_order` answers "not found" for another customer's
number exactly as for one that does not exist. Status changes live in ``order_status``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from flows import parse_datetime
from flows.features.business import BusinessConfig
from flows.features.business.timestamps import as_utc
from flows.features.shop._errors import CartError, OrderNotFoundError
from flows.features.shop.cart import (
    CartView,
    clear_cart,
    item_lines,
    line_text,
    out_of_stock,
    view_cart,
)
from flows.features.shop.models import (
    STATUS_LABELS,
    Order,
    OrderEvent,
    OrderLine,
    add_event,
    adjust_stock,
    seed_stock,
    stock_levels,
)

NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""Order number characters (``BK-7F3K2``: 31⁵ ≈ 28 million per prefix): no 0/O, 1/I/L, so numbers
read back over the phone survive."""
_NUMBER_RE = re.compile(r"^([A-Z]{1,4})-?([0-9A-Z]{5})$")


def status_label(order: Order) -> str:
    """The status as customers read it (a shipped pickup order is "ready for pickup")."""
    if order.fulfilment == "pickup" and order.status == "shipped":
        return "ready for pickup"
    if order.fulfilment == "pickup" and order.status == "delivered":
        return "collected"
    return STATUS_LABELS.get(order.status, order.status)


def normalize_number(typed: str) -> str:
    """What a customer typed (``"#bk 7f3k2"``) as an order number (``"BK-7F3K2"``), or cleaned text."""
    cleaned = re.sub(r"[\s#.]", "", typed).upper()
    match = _NUMBER_RE.match(cleaned)
    return f"{match.group(1)}-{match.group(2)}" if match else cleaned[:16]


@dataclass(frozen=True)
class Quote:
    """What an order would cost.

    Attributes:
        cart: The cart it is based on.
        fulfilment: ``pickup``, ``delivery`` or ``digital``.
        subtotal: The products, in minor units.
        delivery_fee: The delivery fee, in minor units.
    """

    cart: CartView
    fulfilment: str
    subtotal: int
    delivery_fee: int

    @property
    def total(self) -> int:
        """Subtotal plus delivery fee, in minor units."""
        return self.subtotal + self.delivery_fee


def fulfilment_options(business: BusinessConfig, cart: CartView) -> tuple[str, ...]:
    """The ways this cart can reach the customer: ``("digital",)`` or pickup and/or delivery."""
    if not cart.needs_fulfilment:
        return ("digital",)
    return tuple(way for way in ("pickup", "delivery") if getattr(business.delivery, way))


def quote(session: Session, business: BusinessConfig, wa_id: str, fulfilment: str) -> Quote:
    """Price the customer's cart for a fulfilment method.

    Raises:
        CartError: The cart is empty or the method is not offered for it.
    """
    cart = view_cart(session, business, wa_id)
    if not cart:
        raise CartError("Your cart is empty.")
    if not cart.needs_fulfilment:
        fulfilment = "digital"
    offered = fulfilment_options(business, cart)
    if fulfilment not in offered:
        raise CartError(f"Please choose {' or '.join(offered) or 'nothing'}.")
    fee = business.delivery.fee_for(cart.subtotal) if fulfilment == "delivery" else 0
    return Quote(cart, fulfilment, cart.subtotal, fee)


def describe_quote(quote: Quote, business: BusinessConfig) -> str:
    """The order summary shown before payment."""
    lines = item_lines(quote.cart, business)
    if quote.fulfilment == "delivery":
        fee = business.money(quote.delivery_fee) if quote.delivery_fee else "free"
        lines.append(f"Delivery: {fee}")
    elif quote.fulfilment == "pickup":
        where = business.delivery.pickup_address
        lines.append("Pickup" + (f" at {where}" if where else ""))
    lines.append(f"Total: {business.money(quote.total)}")
    return "\n".join(lines)


def create_order(
    session: Session,
    business: BusinessConfig,
    wa_id: str,
    *,
    fulfilment: str,
    now: datetime,
    address: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    location_name: str | None = None,
    choice: Callable[[str], str] = secrets.choice,
) -> Order:
    """Turn the customer's cart into an unpaid order, reserving its stock, and empty the cart.

    ``fulfilment`` is ``pickup`` or ``delivery`` (ignored for digital-only carts); a delivery
    goes to the typed ``address`` or the shared location (``latitude``, ``longitude``,
    ``location_name``). The order, ``pending_payment``, expires at
    ``now + payments.unpaid_expiry``. ``choice`` picks order-number characters (tests make it
    deterministic).

    Raises:
        CartError: Empty cart, method not offered, delivery without an address.
        OutOfStockError: A product ran out; nothing was reserved and the cart is kept.
    """
    now = as_utc(now)
    q = quote(session, business, wa_id, fulfilment)
    if q.fulfilment == "delivery" and not address and latitude is None:
        raise CartError("Please send your delivery address or share your location.")
    with session.begin_nested():
        seed_stock(session, [i.product for i in q.cart.items], now)
        for item in q.cart.items:
            limited = item.product.stock is not None
            if limited and not adjust_stock(session, item.product.id, -item.quantity, now):
                left = stock_levels(session, [item.product.id]).get(item.product.id, 0)
                raise out_of_stock(item.product, left, "just sold out")
        order = Order(
            number=_unique_number(session, business.business.order_prefix, choice),
            wa_id=wa_id,
            status="pending_payment",
            fulfilment=q.fulfilment,
            address=address if q.fulfilment == "delivery" else None,
            latitude=latitude if q.fulfilment == "delivery" else None,
            longitude=longitude if q.fulfilment == "delivery" else None,
            location_name=location_name if q.fulfilment == "delivery" else None,
            subtotal=q.subtotal,
            delivery_fee=q.delivery_fee,
            total=q.total,
            currency=business.currency,
            provider=business.payments.provider,
            expires_at=now + business.payments.unpaid_expiry,
            created_at=now,
            updated_at=now,
        )
        session.add(order)
        session.flush()
        assert order.id is not None
        for item in q.cart.items:
            session.add(
                OrderLine(
                    order_id=order.id,
                    product_id=item.product.id,
                    title=item.product.title,
                    kind=item.product.kind,
                    unit_price=item.product.price,
                    quantity=item.quantity,
                    line_total=item.line_total,
                )
            )
        add_event(session, order, now, actor="customer")
        clear_cart(session, wa_id)
    return order


def _unique_number(session: Session, prefix: str, choice: Callable[[str], str]) -> str:
    for _ in range(20):
        number = f"{prefix}-" + "".join(choice(NUMBER_ALPHABET) for _ in range(5))
        if session.exec(select(Order.id).where(Order.number == number)).first() is None:
            return number
    raise CartError("Sorry, we could not create your order right now. Please try again.")


def get_order(session: Session, number: str) -> Order | None:
    """The order with this number, whoever it belongs to (staff tools only)."""
    return session.exec(select(Order).where(Order.number == normalize_number(number))).first()


def customer_orders(session: Session, wa_id: str, limit: int = 10) -> list[Order]:
    """The customer's own orders, newest first."""
    query = (
        select(Order)
        .where(Order.wa_id == wa_id)
        .order_by(col(Order.created_at).desc(), col(Order.id).desc())
        .limit(limit)
    )
    return list(session.exec(query))


def find_customer_order(session: Session, wa_id: str, typed_number: str) -> Order:
    """Look up one of the customer's orders by the number they typed.

    Raises:
        OrderNotFoundError: No such order *among this customer's orders*; the message is the
            same whether the number does not exist or belongs to someone else.
    """
    order = get_order(session, typed_number)
    if order is None or order.wa_id != wa_id:
        number = normalize_number(typed_number)
        shown = number if _NUMBER_RE.match(number) else "with that number"
        raise OrderNotFoundError(f"I couldn't find an order {shown} among your orders.")
    return order


def order_lines(session: Session, order: Order) -> list[OrderLine]:
    """The lines of an order, in order."""
    query = select(OrderLine).where(OrderLine.order_id == order.id).order_by(col(OrderLine.id))
    return list(session.exec(query))


def order_history(session: Session, order: Order) -> list[OrderEvent]:
    """The events of an order, oldest first."""
    query = select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(col(OrderEvent.id))
    return list(session.exec(query))


def describe_order(session: Session, business: BusinessConfig, order: Order) -> str:
    """An order as the customer sees it: number, status, lines, total, tracking and history."""
    lines = [f"Order {order.number}: {status_label(order)}"]
    lines += [
        line_text(business, line.quantity, line.title, line.line_total, order.currency)
        for line in order_lines(session, order)
    ]
    if order.delivery_fee:
        lines.append(f"Delivery: {business.money(order.delivery_fee, order.currency)}")
    lines.append(f"Total: {business.money(order.total, order.currency)}")
    if order.tracking_url:
        lines.append(f"Tracking: {order.tracking_url}")
    history = [
        f"{business.local(event.created_at):%d %b %H:%M} {STATUS_LABELS.get(event.status, event.status)}"
        for event in order_history(session, order)
    ]
    if history:
        lines.append("History:\n" + "\n".join(history))
    return "\n".join(lines)


PICKUP_EXAMPLE = "tomorrow 11:00"


def pickup_time(business: BusinessConfig, text: str, now: datetime) -> datetime:
    """The pickup moment a customer typed (``tomorrow 11:00``, ``14/03 17:30``), checked.

    Read on the shop's clock; it must be later than ``now``, not on a holiday, and within the
    opening hours of its day (any time, when the business file declares no hours).

    Returns:
        The moment, aware, in the shop's time zone.

    Raises:
        CartError: Unreadable, past, or outside the opening hours; the message says why.
    """
    local_now = as_utc(now).astimezone(business.tz)
    moment = parse_datetime(text, local_now)
    if moment is None:
        raise CartError(f"Please send a day and a time, like {PICKUP_EXAMPLE}.")
    moment = moment.astimezone(business.tz)
    day = moment.date()
    label = f"{moment:%a} {day.day} {moment:%b}"
    if moment <= local_now:
        raise CartError("That time has already passed. Please choose a later one.")
    if day in business.holidays:
        raise CartError(f"We are closed on {label} (holiday). Please choose another day.")
    hours = business.hours.on(day)
    week = [day + timedelta(days=n) for n in range(7)]
    if not any(business.hours.on(d) for d in week):  # no opening hours declared at all
        return moment
    if not hours:
        raise CartError(f"We are closed on {moment:%A}s. Please choose another day.")
    clock = moment.time().replace(tzinfo=None)
    if not any(r.start <= clock < r.end for r in hours):
        times = ", ".join(f"{r.start:%H:%M}-{r.end:%H:%M}" for r in hours)
        raise CartError(f"On {label} we are open {times}. Please choose a time then.")
    return moment


def pickup_label(moment: datetime) -> str:
    """``Tue 4 Mar at 11:00``."""
    return f"{moment:%a} {moment.day} {moment:%b} at {moment:%H:%M}"


__all__ = [
    "NUMBER_ALPHABET",
    "PICKUP_EXAMPLE",
    "Quote",
    "create_order",
    "customer_orders",
    "describe_order",
    "describe_quote",
    "find_customer_order",
    "fulfilment_options",
    "get_order",
    "normalize_number",
    "order_history",
    "order_lines",
    "pickup_label",
    "pickup_time",
    "quote",
    "status_label",
]
