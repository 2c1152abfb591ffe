"""Helpers shared by the shop tests (fixtures live in ``conftest.py``)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.processing import Processor
from bot.turn import Handler
from flows.features.shop.models import Order, OrderEvent, StockLevel
from storage.models import Contact, Conversation, OutboxMessage

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


@contextmanager
def outside_transaction(engine: Engine) -> Iterator[Session]:
    """A session for calling a payment provider directly: it writes only after the provider
    answered and commits at the end, since a provider is never called inside
    ``storage.db.transaction`` (``tests/network_guard.py`` checks)."""
    with Session(engine, expire_on_commit=False) as session:
        yield session
        session.commit()


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
    from flows.features.shop.stripe import signature_header

    raw = (STRIPE_PAYLOADS / name).read_bytes()
    return raw, signature_header(raw, secret, at)


FEATURES = Path(__file__).parent.parent.parent / "flows" / "features"
SHOP_FLOWS = (
    FEATURES / "shop" / "flows" / "purchase.yaml",
    FEATURES / "tracking" / "flows" / "track_order.yaml",
)
_message_ids = itertools.count(1)


def visible(payload: dict[str, Any]) -> str:
    """What the customer reads: a text, an interactive body, a caption, a template's name."""
    kind = payload["type"]
    if kind == "text":
        return str(payload["text"]["body"])
    if kind == "interactive":
        return str(payload["interactive"].get("body", {}).get("text", ""))
    if kind == "template":
        return f"(template {payload['template']['name']})"
    return str(payload.get(kind, {}).get("caption", f"({kind})"))


def row_ids(payload: dict[str, Any]) -> list[str]:
    """The row ids of a list message (or the button ids of a button message)."""
    action = payload.get("interactive", {}).get("action", {})
    rows = [r["id"] for s in action.get("sections", []) for r in s["rows"]]
    return rows or [b["reply"]["id"] for b in action.get("buttons", [])]


@dataclass
class ShopChat:
    """One customer talking to the bot through the real processing pipeline.

    Each message is wrapped in a Meta webhook body, stored by :class:`bot.processing.Processor`
    and processed in its own transaction (contact window, conversation, outbox), exactly as in
    production; the replies are read back from the outbox.
    """

    engine: Engine
    handler: Handler
    wa_id: str = ANA
    name: str = "Ana"
    now: datetime = NOW
    seen: int = 0

    def deliver(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        """Send one Meta message object; return the payloads queued in reply."""
        item = {
            "from": self.wa_id,
            "id": f"wamid.SHOP{next(_message_ids):05d}",
            "timestamp": str(int(self.now.timestamp())),
            **message,
        }
        value = {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": "15550783881",
                "phone_number_id": "106540352242922",
            },
            "contacts": [{"profile": {"name": self.name}, "wa_id": self.wa_id}],
            "messages": [item],
        }
        body = {
            "object": "whatsapp_business_account",
            "entry": [
                {"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}
            ],
        }
        processor = Processor(self.engine, self.handler, clock=lambda: self.now)
        processor.ingest(body)
        for done in processor.process_contact(self.wa_id):
            assert done.ok, done.error
        return self.replies()

    def replies(self) -> list[dict[str, Any]]:
        """Payloads queued for this customer since the last look (turns, webhooks, CLI)."""
        queued = outbox_payloads(self.engine, self.wa_id)
        new, self.seen = queued[self.seen :], len(queued)
        return new

    def say(self, text: str) -> list[str]:
        """Type a text; return what the customer reads."""
        return [visible(p) for p in self.deliver({"type": "text", "text": {"body": text}})]

    def tap(self, reply_id: str, title: str | None = None) -> list[dict[str, Any]]:
        """Tap a reply button."""
        reply = {"id": reply_id, "title": title or reply_id}
        return self.deliver(
            {"type": "interactive", "interactive": {"type": "button_reply", "button_reply": reply}}
        )

    def pick(self, row_id: str, title: str | None = None) -> list[dict[str, Any]]:
        """Pick a list row."""
        reply = {"id": row_id, "title": title or row_id}
        return self.deliver(
            {"type": "interactive", "interactive": {"type": "list_reply", "list_reply": reply}}
        )

    def share_location(
        self, latitude: float, longitude: float, **extra: Any
    ) -> list[dict[str, Any]]:
        """Share a location (a place has ``name`` and ``address``)."""
        return self.deliver(
            {
                "type": "location",
                "location": {"latitude": latitude, "longitude": longitude, **extra},
            }
        )

    def advance(self, **delta: float) -> None:
        """Move this customer's clock forward."""
        self.now += timedelta(**delta)

    @property
    def slots(self) -> dict[str, Any]:
        """The conversation's slots as committed."""
        with Session(self.engine) as session:
            row = session.exec(select(Conversation).where(Conversation.wa_id == self.wa_id)).one()
            return dict(row.slots)
