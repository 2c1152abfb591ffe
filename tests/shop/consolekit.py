"""Helpers of the console's back-office tests: the example shop's orders and the audit log.

They work on the ``shop_app`` fixture's database (tests/console/conftest.py), whose business file
is the example shop's (manual payments, order numbers ``MG-…``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from flows.features.business import BusinessConfig, load_business
from flows.features.console import AuditEvent
from flows.features.shop import add_item, create_order
from flows.features.shop.models import Order
from storage.db import transaction
from storage.models import Contact, utcnow
from tests.console.consolekit import SHOP

EXAMPLE: BusinessConfig = load_business(SHOP / "business.yaml")
CUSTOMER = "34600111222"


def place_order(
    engine: Engine,
    items: dict[str, int] | None = None,
    *,
    wa_id: str = CUSTOMER,
    name: str | None = "Ana",
    now: datetime | None = None,
    fulfilment: str = "pickup",
    **extra: Any,
) -> Order:
    """A committed order of the example shop; the customer (created if new) wrote 5 minutes ago."""
    now = now or utcnow()
    with transaction(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == wa_id)).first()
        contact = contact or Contact(wa_id=wa_id, created_at=now - timedelta(days=1))
        contact.name, contact.last_inbound_at = name, now - timedelta(minutes=5)
        session.add(contact)
        for product_id, quantity in (items or {"choc": 1}).items():
            add_item(session, EXAMPLE, wa_id, product_id, quantity, now)
        return create_order(session, EXAMPLE, wa_id, fulfilment=fulfilment, now=now, **extra)


def audit_events(engine: Engine) -> list[AuditEvent]:
    """The audit log, oldest first."""
    with Session(engine) as session:
        rows = list(session.exec(select(AuditEvent).order_by(col(AuditEvent.id))))
        for row in rows:
            session.expunge(row)
        return rows
