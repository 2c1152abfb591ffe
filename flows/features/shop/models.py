"""The shop's tables: stock, carts, orders with their lines and history, processed payment events.

Amounts are whole minor units in ``BIGINT`` columns next to an ISO 4217 currency. Stock changes
are single conditional ``UPDATE`` statements (:func:`adjust_stock`), so two customers buying the
last item can never both get it, on SQLite (``BEGIN IMMEDIATE``) as on PostgreSQL (the row lock
makes the second ``UPDATE`` re-check the level). Processed payment events are unique per
provider, so a redelivered webhook is a no-op. The cart is a table rather than conversation
slots: it survives switching flows, a native catalog ``order`` can fill it, and staff can query it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    update,
)
from sqlmodel import Field, Session, SQLModel, col, select

from flows.features.business import Product
from flows.features.business.timestamps import timestamp
from storage.db import insert_ignoring_conflicts
from storage.models import utcnow

STATUS_LABELS = {
    "pending_payment": "waiting for payment",
    "paid": "paid",
    "preparing": "being prepared",
    "shipped": "on its way",
    "delivered": "delivered",
    "cancelled": "cancelled",
    "expired": "expired (not paid in time)",
}
"""Every status an order can have, in their usual order, and how each reads to customers."""
ORDER_STATUSES = tuple(STATUS_LABELS)


def _money() -> Any:
    return Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))


class StockLevel(SQLModel, table=True):
    """The live stock of one product with limited stock (unlimited products have no row)."""

    __tablename__ = "waflow_stock"

    product_id: str = Field(sa_column=Column(String(64), primary_key=True))
    quantity: int = Field(sa_column=Column(Integer, nullable=False))
    updated_at: datetime = timestamp(default_factory=utcnow)


class CartLine(SQLModel, table=True):
    """One product in a customer's cart; one row per (customer, product)."""

    __tablename__ = "waflow_cart_line"
    __table_args__ = (UniqueConstraint("wa_id", "product_id", name="uq_waflow_cart_line"),)

    id: int | None = Field(default=None, primary_key=True)
    wa_id: str = Field(max_length=64, index=True)
    product_id: str = Field(max_length=64)
    quantity: int
    added_at: datetime = timestamp(default_factory=utcnow)


class Order(SQLModel, table=True):
    """A customer's order.

    ``number`` is what people read and type (``BK-7F3K2``). ``fulfilment`` is ``pickup``,
    ``delivery`` or ``digital``. ``expires_at`` is when an unpaid order gives its stock back.
    ``payment_reference`` is the provider's id (a Stripe Checkout Session id).
    ``payment_reply_id`` is set while the payment is being created with the provider after
    the turn that asked for it (the outbox row waiting for its link, see
    :func:`flows.features.shop.payments.request_payment`); ``None`` otherwise. While one
    process asks the provider, ``payment_claimed_until`` keeps the others off the intent (a
    crashed process's claim expires); ``payment_failures`` counts the provider's transient
    failures for it.
    """

    __tablename__ = "waflow_order"
    __table_args__ = (Index("ix_waflow_order_expiry", "status", "expires_at"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_column=Column(String(16), unique=True, nullable=False))
    wa_id: str = Field(max_length=64, index=True)
    status: str = Field(default="pending_payment", max_length=16)
    fulfilment: str = Field(default="pickup", max_length=16)
    address: str | None = Field(default=None, sa_column=Column(Text))
    latitude: float | None = None
    longitude: float | None = None
    location_name: str | None = Field(default=None, max_length=256)
    subtotal: int = _money()
    delivery_fee: int = _money()
    total: int = _money()
    currency: str = Field(max_length=3)
    provider: str = Field(default="manual", max_length=16)
    payment_reference: str | None = Field(default=None, max_length=255, index=True)
    payment_url: str | None = Field(default=None, sa_column=Column(Text))
    payment_reply_id: int | None = None
    payment_claimed_until: datetime | None = timestamp(default=None)
    payment_failures: int | None = None
    tracking_url: str | None = Field(default=None, sa_column=Column(Text))
    expires_at: datetime | None = timestamp(default=None)
    created_at: datetime = timestamp(default_factory=utcnow)
    paid_at: datetime | None = timestamp(default=None)
    updated_at: datetime = timestamp(default_factory=utcnow)


class OrderLine(SQLModel, table=True):
    """One line of an order, with the title and unit price as they were when ordered."""

    __tablename__ = "waflow_order_line"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(
        sa_column=Column(Integer, ForeignKey("waflow_order.id", ondelete="CASCADE"), index=True)
    )
    product_id: str = Field(max_length=64)
    title: str = Field(max_length=256)
    kind: str = Field(default="physical", max_length=16)
    unit_price: int = _money()
    quantity: int
    line_total: int = _money()


class OrderEvent(SQLModel, table=True):
    """One entry of an order's history: a status change, a note, a tracking link."""

    __tablename__ = "waflow_order_event"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(
        sa_column=Column(Integer, ForeignKey("waflow_order.id", ondelete="CASCADE"), index=True)
    )
    status: str = Field(max_length=16)
    note: str | None = Field(default=None, sa_column=Column(Text))
    tracking_url: str | None = Field(default=None, sa_column=Column(Text))
    actor: str = Field(default="system", max_length=16)  # system | customer | staff | stripe...
    created_at: datetime = timestamp(default_factory=utcnow)


class PaymentEventRecord(SQLModel, table=True):
    """A payment provider's webhook event already handled (replays are recognised by id)."""

    __tablename__ = "waflow_payment_event"
    __table_args__ = (UniqueConstraint("provider", "event_id", name="uq_waflow_payment_event"),)

    id: int | None = Field(default=None, primary_key=True)
    provider: str = Field(max_length=16)
    event_id: str = Field(max_length=255)
    event_type: str = Field(max_length=100)
    order_number: str | None = Field(default=None, max_length=16)
    received_at: datetime = timestamp(default_factory=utcnow)


def seed_stock(session: Session, products: Iterable[Product], now: datetime) -> None:
    """Create the stock rows of limited-stock products that have none yet, at their opening level.

    Existing rows are left alone: the database, not the file, holds the live stock.
    """
    rows = [
        {"product_id": p.id, "quantity": p.stock, "updated_at": now}
        for p in products
        if p.stock is not None
    ]
    if not rows:
        return
    table: Any = StockLevel.__table__  # type: ignore[attr-defined]
    session.execute(insert_ignoring_conflicts(session, table, rows, unique=["product_id"]))


def stock_levels(session: Session, product_ids: list[str] | None = None) -> dict[str, int]:
    """The live stock of products with a stock row (all of them when ``product_ids`` is None)."""
    query = select(StockLevel)
    if product_ids is not None:
        query = query.where(col(StockLevel.product_id).in_(product_ids))
    return {row.product_id: row.quantity for row in session.exec(query)}


def adjust_stock(session: Session, product_id: str, change: int, now: datetime) -> bool:
    """Add ``change`` units (negative: take them) if, and only if, none goes below 0: one UPDATE.

    Returns:
        ``True`` when the level changed; ``False`` when fewer than ``-change`` are left or the
        product has no stock row (nothing changes).
    """
    statement = (
        update(StockLevel)
        .where(col(StockLevel.product_id) == product_id, col(StockLevel.quantity) + change >= 0)
        .values(quantity=col(StockLevel.quantity) + change, updated_at=now)
    )
    result: Any = session.execute(statement)
    return bool(result.rowcount == 1)


def set_stock(session: Session, product_id: str, quantity: int, now: datetime) -> None:
    """Set the live stock of a product (staff restocking), creating its row if needed."""
    session.merge(StockLevel(product_id=product_id, quantity=quantity, updated_at=now))


def change_status(
    session: Session, order_id: int, from_statuses: tuple[str, ...], to: str, now: datetime
) -> bool:
    """Move an order to ``to`` only if it is still in one of ``from_statuses`` (race-safe).

    Returns:
        ``True`` when this call made the change; ``False`` when someone else got there first.
    """
    values: dict[str, Any] = {"status": to, "updated_at": now}
    if to == "paid":
        values["paid_at"] = now
    statement = (
        update(Order)
        .where(col(Order.id) == order_id, col(Order.status).in_(from_statuses))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    result: Any = session.execute(statement)
    return bool(result.rowcount == 1)


def add_event(
    session: Session,
    order: Order,
    now: datetime,
    *,
    note: str | None = None,
    actor: str = "system",
    tracking_url: str | None = None,
) -> None:
    """Add an entry to ``order``'s history, at its current status."""
    event = OrderEvent(
        order_id=order.id or 0,
        status=order.status,
        note=note,
        tracking_url=tracking_url,
        actor=actor,
        created_at=now,
    )
    session.add(event)


def record_payment_event(
    session: Session,
    provider: str,
    event_id: str,
    event_type: str,
    order_number: str | None,
    now: datetime,
) -> bool:
    """Remember a payment webhook event; ``False`` when it was already handled (a replay).

    Call it in the same transaction as the event's effects: if they fail and roll back, the
    event is forgotten too and the provider's next delivery is handled afresh.
    """
    row = {
        "provider": provider,
        "event_id": event_id,
        "event_type": event_type[:100],
        "order_number": order_number[:16] if order_number else None,
        "received_at": now,
    }
    table: Any = PaymentEventRecord.__table__  # type: ignore[attr-defined]
    statement = insert_ignoring_conflicts(session, table, [row], unique=["provider", "event_id"])
    # RETURNING, not rowcount: psycopg reports -1 for a multi-row VALUES insert.
    return session.execute(statement.returning(table.c.id)).first() is not None


__all__ = [
    "ORDER_STATUSES",
    "STATUS_LABELS",
    "CartLine",
    "Order",
    "OrderEvent",
    "OrderLine",
    "PaymentEventRecord",
    "StockLevel",
    "add_event",
    "adjust_stock",
    "change_status",
    "record_payment_event",
    "seed_stock",
    "set_stock",
    "stock_levels",
]
