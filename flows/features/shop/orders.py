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

from flows import Texts, english_moment, parse_datetime
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


def status_label(order: Order, texts: Texts | None = None) -> str:
    """The status as customers read it (a shipped pickup order is "ready for pickup"), in
    ``texts``' language (by default English)."""
    texts = texts or Texts()
    if order.fulfilment == "pickup" and order.status == "shipped":
        return texts("ready for pickup")
    if order.fulfilment == "pickup" and order.status == "delivered":
        return texts("collected")
    return texts(STATUS_LABELS.get(order.status, order.status))


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


_CHOOSE = {
    ("pickup", "delivery"): "Please choose pickup or delivery.",
    ("pickup",): "Please choose pickup.",
    ("delivery",): "Please choose delivery.",
}
"""What to answer a fulfilment method that is not offered, by the methods that are."""


def quote(
    session: Session,
    business: BusinessConfig,
    wa_id: str,
    fulfilment: str,
    texts: Texts | None = None,
) -> Quote:
    """Price the customer's cart for a fulfilment method.

    Raises:
        CartError: The cart is empty or the method is not offered for it (in ``texts``'
            language, by default the business's).
    """
    texts = texts or business.texts()
    cart = view_cart(session, business, wa_id)
    if not cart:
        raise CartError(texts("Your cart is empty."))
    if not cart.needs_fulfilment:
        fulfilment = "digital"
    offered = fulfilment_options(business, cart)
    if fulfilment not in offered:
        refusal = _CHOOSE.get(offered, "Sorry, this cart can be neither picked up nor delivered.")
        raise CartError(texts(refusal))
    fee = business.delivery.fee_for(cart.subtotal) if fulfilment == "delivery" else 0
    return Quote(cart, fulfilment, cart.subtotal, fee)


def describe_quote(quote: Quote, business: BusinessConfig, texts: Texts | None = None) -> str:
    """The order summary shown before payment, in ``texts``' language (the business's)."""
    texts = texts or business.texts()
    lines = item_lines(quote.cart, business, texts)
    if quote.fulfilment == "delivery":
        if quote.delivery_fee:
            fee = texts.money(quote.delivery_fee, business.currency)
            lines.append(texts("Delivery: {fee}", fee=fee))
        else:
            lines.append(texts("Delivery: free"))
    elif quote.fulfilment == "pickup":
        where = business.delivery.pickup_address
        if where:
            lines.append(texts("Pickup at {address}", address=texts(where)))
        else:
            lines.append(texts("Pickup"))
    lines.append(texts("Total: {amount}", amount=texts.money(quote.total, business.currency)))
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
    texts: Texts | None = None,
    pickup_note: str | None = None,
) -> Order:
    """Turn the customer's cart into an unpaid order, reserving its stock, and empty the cart.

    ``fulfilment`` is ``pickup`` or ``delivery`` (ignored for digital-only carts); a delivery
    goes to the typed ``address`` or the shared location (``latitude``, ``longitude``,
    ``location_name``). The order, ``pending_payment``, expires at
    ``now + payments.unpaid_expiry``. ``choice`` picks order-number characters (tests make it
    deterministic). Refusals are written in ``texts``' language (by default the business's).
    ``pickup_note`` (when, for the staff) goes on a pickup order's first history entry.

    Raises:
        CartError: Empty cart, method not offered, delivery without an address.
        OutOfStockError: A product ran out; nothing was reserved and the cart is kept.
    """
    now = as_utc(now)
    texts = texts or business.texts()
    q = quote(session, business, wa_id, fulfilment, texts)
    if q.fulfilment == "delivery" and not address and latitude is None:
        raise CartError(texts("Please send your delivery address or share your location."))
    with session.begin_nested():
        seed_stock(session, [i.product for i in q.cart.items], now)
        for item in q.cart.items:
            limited = item.product.stock is not None
            if limited and not adjust_stock(session, item.product.id, -item.quantity, now):
                left = stock_levels(session, [item.product.id]).get(item.product.id, 0)
                raise out_of_stock(item.product, left, just=True, texts=texts)
        order = Order(
            number=_unique_number(session, business.business.order_prefix, choice, texts),
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
        note = pickup_note if q.fulfilment == "pickup" else None
        add_event(session, order, now, note=note, actor="customer")
        clear_cart(session, wa_id)
    return order


def _unique_number(
    session: Session, prefix: str, choice: Callable[[str], str], texts: Texts
) -> str:
    for _ in range(20):
        number = f"{prefix}-" + "".join(choice(NUMBER_ALPHABET) for _ in range(5))
        if session.exec(select(Order.id).where(Order.number == number)).first() is None:
            return number
    raise CartError(texts("Sorry, we could not create your order right now. Please try again."))


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


def find_customer_order(
    session: Session, wa_id: str, typed_number: str, texts: Texts | None = None
) -> Order:
    """Look up one of the customer's orders by the number they typed.

    Raises:
        OrderNotFoundError: No such order *among this customer's orders*; the message (in
            ``texts``' language, by default English) is the same whether the number does not
            exist or belongs to someone else.
    """
    order = get_order(session, typed_number)
    if order is None or order.wa_id != wa_id:
        texts = texts or Texts()
        number = normalize_number(typed_number)
        if _NUMBER_RE.match(number):
            text = texts("I couldn't find an order {number} among your orders.", number=number)
        else:
            text = texts("I couldn't find an order with that number among your orders.")
        raise OrderNotFoundError(text)
    return order


def order_lines(session: Session, order: Order) -> list[OrderLine]:
    """The lines of an order, in order."""
    query = select(OrderLine).where(OrderLine.order_id == order.id).order_by(col(OrderLine.id))
    return list(session.exec(query))


def order_history(session: Session, order: Order) -> list[OrderEvent]:
    """The events of an order, oldest first."""
    query = select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(col(OrderEvent.id))
    return list(session.exec(query))


def describe_order(
    session: Session, business: BusinessConfig, order: Order, texts: Texts | None = None
) -> str:
    """An order as the customer sees it: number, status, lines, total, tracking and history,
    in ``texts``' language (by default the business's)."""
    texts = texts or business.texts()
    status = status_label(order, texts)
    lines = [texts("Order {number}: {status}", number=order.number, status=status)]
    lines += [
        line_text(business, line.quantity, line.title, line.line_total, order.currency, texts)
        for line in order_lines(session, order)
    ]
    if order.delivery_fee:
        fee = texts.money(order.delivery_fee, order.currency)
        lines.append(texts("Delivery: {fee}", fee=fee))
    lines.append(texts("Total: {amount}", amount=texts.money(order.total, order.currency)))
    if order.tracking_url:
        lines.append(texts("Tracking: {url}", url=order.tracking_url))
    history = [
        "{} {}".format(
            texts.date(business.local(event.created_at), "dd MMM HH:mm"),
            texts(STATUS_LABELS.get(event.status, event.status)),
        )
        for event in order_history(session, order)
    ]
    if history:
        lines.append(texts("History:") + "\n" + "\n".join(history))
    return "\n".join(lines)


PICKUP_EXAMPLE = "tomorrow 11:00"


def pickup_time(
    business: BusinessConfig, text: str, now: datetime, texts: Texts | None = None
) -> datetime:
    """The pickup moment a customer typed (``tomorrow 11:00``, ``14/03 17:30``), checked.

    Read on the shop's clock; it must be later than ``now``, not on a holiday, and within the
    opening hours of its day (any time, when the business file declares no hours).

    Returns:
        The moment, aware, in the shop's time zone.

    Raises:
        CartError: Unreadable, past, or outside the opening hours; the message (in ``texts``'
            language, by default the business's) says why.
    """
    texts = texts or business.texts()
    local_now = as_utc(now).astimezone(business.tz)
    moment = parse_datetime(english_moment(text, texts.language), local_now)
    if moment is None:
        raise CartError(
            texts("Please send a day and a time, like {example}.", example=texts(PICKUP_EXAMPLE))
        )
    moment = moment.astimezone(business.tz)
    day = moment.date()
    label = texts.date(day)  # in a sentence: the weekday and month in full
    if moment <= local_now:
        raise CartError(texts("That time has already passed. Please choose a later one."))
    if day in business.holidays:
        raise CartError(
            texts("We are closed on {day} (holiday). Please choose another day.", day=label)
        )
    hours = business.hours.on(day)
    week = [day + timedelta(days=n) for n in range(7)]
    if not any(business.hours.on(d) for d in week):  # no opening hours declared at all
        return moment
    if not hours:
        weekday = texts.date(moment, "EEEE")
        raise CartError(
            texts("We are closed on {weekday}s. Please choose another day.", weekday=weekday)
        )
    clock = moment.time().replace(tzinfo=None)
    if not any(r.start <= clock < r.end for r in hours):
        times = ", ".join(f"{texts.time(r.start)}-{texts.time(r.end)}" for r in hours)
        raise CartError(
            texts(
                "On {day} we are open {times}. Please choose a time then.", day=label, times=times
            )
        )
    return moment


def pickup_label(moment: datetime, texts: Texts | None = None) -> str:
    """``Tue 4 Mar at 11:00`` (in ``texts``' language, by default English)."""
    texts = texts or Texts()
    return texts("{day} at {time}", day=texts.day(moment.date()), time=texts.time(moment))


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
