"""Helpers shared by the shop tests (fixtures live in ``conftest.py``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.commerce import Order, OrderEvent, StockLevel
from storage.models import Contact, OutboxMessage

SHOP_FILE = Path(__file__).with_name("shop.yaml")
STRIPE_PAYLOADS = Path(__file__).parent.parent / "payloads" / "stripe"
NOW = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
ANA = "34600111222"
BEN = "34600333444"
WEBHOOK_SECRET = "whsec_test_bella"
STRIPE_ENV = {"BELLA_STRIPE_KEY": "sk_test_51Hbella", "BELLA_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET}


def add_contact(session: Session, wa_id: str, last_inbound_at: datetime | None = NOW) -> Contact:
    """A contact who last wrote at ``last_inbound_at`` (``None``: never)."""
    contact = Contact(wa_id=wa_id, name="Ana", last_inbound_at=last_inbound_at)
    session.add(contact)
    session.flush()
    return contact


def outbox_payloads(engine: Engine, wa_id: str) -> list[dict[str, Any]]:
    """What is queued for a customer, oldest first."""
    with Session(engine) as session:
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.wa_id == wa_id)
            .order_by(col(OutboxMessage.id))
        )
        return [row.payload for row in session.exec(query)]


def stock_of(engine: Engine, product_id: str) -> int | None:
    """The live stock of a product (``None`` without a stock row)."""
    with Session(engine) as session:
        row = session.get(StockLevel, product_id)
        return None if row is None else row.quantity


def reload(engine: Engine, number: str) -> Order:
    """An order as it is in the database now."""
    with Session(engine) as session:
        order = session.exec(select(Order).where(Order.number == number)).one()
        session.expunge(order)
        return order


def events(engine: Engine, number: str) -> list[OrderEvent]:
    """An order's history, oldest first."""
    with Session(engine) as session:
        order = session.exec(select(Order).where(Order.number == number)).one()
        query = (
            select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(col(OrderEvent.id))
        )
        rows = list(session.exec(query))
        for row in rows:
            session.expunge(row)
        return rows


def stripe_payload(name: str) -> dict[str, Any]:
    """A recorded Stripe JSON file under tests/payloads/stripe."""
    data: dict[str, Any] = json.loads((STRIPE_PAYLOADS / name).read_text(encoding="utf-8"))
    return data


def signed_event(name: str, *, at: int, secret: str = WEBHOOK_SECRET) -> tuple[bytes, str]:
    """A recorded event file's raw bytes and a ``Stripe-Signature`` made at unix time ``at``."""
    from flows.builtin.stripe import signature_header

    raw = (STRIPE_PAYLOADS / name).read_bytes()
    return raw, signature_header(raw, secret, at)
