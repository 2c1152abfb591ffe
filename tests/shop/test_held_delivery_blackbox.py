"""A digital product paid outside the 24-hour window, through the app (issue 11's Must show).

The example shop is built as ``waflow run`` builds it (every feature, inline), on SQLite and
PostgreSQL, on a clock the test moves. The customer orders the recipe book on WhatsApp (signed webhook bodies), does not
write for 30 hours, and the shop's system then reports the payment through the order-status
API. The Cloud API (mocked) shows what reached the customer: the ``order_update`` template at
once, the book only when the customer writes again, before the answer to that message, once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import responses
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot import simulate
from bot.client import CloudClient, RetryPolicy
from bot.config import Config
from bot.runtime import Runtime
from flows.features.shop.models import Order, OrderEvent
from flows.features.shop.order_status import DIGITAL_HELD
from storage import outbox
from storage.db import read_session
from storage.models import OutboxMessage, utcnow
from tests.browser.test_orders import ORDER_NUMBER, _body, _choices
from tests.helpers import Clock
from webhooks.bootstrap import load_business_config, make_app, make_runtime
from webhooks.mockgraph import sent_reply
from webhooks.signature import SIGNATURE_HEADER, sign

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop_bot"
TOKEN = "held-delivery-api-token"
SECRET = "held-delivery-app-secret"
ANA = "34611222444"
BOOK = "https://miga.example/files/miga-recipes.pdf"


class Shop:
    """The example shop's app, what it sent to the Cloud API, and a customer writing to it."""

    def __init__(self, client: FlaskClient, runtime: Runtime, clock: Clock) -> None:
        self.client, self.runtime, self.clock = client, runtime, clock
        self.sent: list[dict[str, Any]] = []

    def deliver(self, body: dict[str, Any]) -> None:
        raw = json.dumps(body).encode()
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(raw, SECRET)}
        assert self.client.post("/webhook", data=raw, headers=headers).status_code == 200

    def say(self, text: str) -> None:
        self.clock.now += timedelta(seconds=20)
        self.deliver(simulate.text(ANA, text, name="Ana", timestamp=self.clock.now.timestamp()))

    def tap(self, title: str) -> None:
        offered = next(p for p in reversed(self.sent) if title in [t for *_, t in _choices(p)])
        kind, reply_id = next((k, i) for k, i, t in _choices(offered) if t == title)
        make = simulate.button_reply if kind == "button" else simulate.list_reply
        self.clock.now += timedelta(seconds=20)
        self.deliver(make(ANA, reply_id, title, name="Ana", timestamp=self.clock.now.timestamp()))

    def paid(self, number: str) -> None:
        """The shop's own system reports the payment (its clock is the wall clock)."""
        answer = self.client.post(
            f"/api/orders/{number}/status",
            json={"status": "paid"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert answer.status_code == 200, answer.get_data(as_text=True)


@pytest.fixture
def shop(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shop]:
    """The example shop on SQLite and PostgreSQL, its clock 30 hours behind the wall clock."""
    monkeypatch.setenv("WAFLOW_SHOP_API_TOKEN", TOKEN)
    environ = {
        "WAFLOW_BUSINESS": str(SHOP / "business.yaml"),
        "WAFLOW_FLOWS": str(SHOP / "flows"),
        "WAFLOW_HOOKS": str(SHOP / "hooks.py"),
        "DATABASE_URL": db_url,
        "WHATSAPP_ACCESS_TOKEN": "held-delivery-token",
        "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_VERIFY_TOKEN": "held-delivery-verify",
    }
    config = Config.from_env(environ, dotenv=None)
    business = load_business_config(config)
    # The order-status API stamps the payment with the wall clock: the chat starts 30 h before.
    clock = Clock(utcnow().replace(microsecond=0) - timedelta(hours=30))
    client = CloudClient(config, retry=RetryPolicy(max_attempts=1), sleep=lambda _s: None)
    runtime = make_runtime(
        config, inline=True, engine=engine, client=client, business=business, clock=clock
    )
    app = make_app(runtime, config, business)
    app.testing = True
    built = Shop(app.test_client(), runtime, clock)

    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        body = json.loads(request.body)
        built.sent.append(body)
        return 200, {}, json.dumps(sent_reply(str(body["to"]), f"wamid.OUT{len(built.sent)}"))

    with responses.RequestsMock(assert_all_requests_are_fired=False) as graph:
        graph.add_callback(responses.POST, config.messages_url, callback=answer)
        yield built


def order_the_book(shop: Shop) -> str:
    shop.say("shop")
    shop.tap("Recipes & classes")
    shop.tap("Miga recipe book")
    shop.say("1")
    shop.tap("Checkout")
    shop.tap("Place order")
    found = next(m for p in reversed(shop.sent) if (m := ORDER_NUMBER.search(_body(p))))
    return found.group()


def is_book(payload: dict[str, Any]) -> bool:
    return payload.get("type") == "document" and payload["document"]["link"] == BOOK


def test_a_digital_product_paid_outside_the_window_is_delivered_when_the_customer_writes(
    shop: Shop,
) -> None:
    number = order_the_book(shop)
    shop.clock.now = utcnow() + timedelta(seconds=5)  # 30 hours later: the window is closed

    shop.paid(number)

    assert [p["template"]["name"] for p in shop.sent if p["type"] == "template"] == ["order_update"]
    assert not any(is_book(p) for p in shop.sent)
    with read_session(shop.runtime.engine) as session:
        held = session.exec(select(OutboxMessage).where(OutboxMessage.state == "held")).all()
        order = session.exec(select(Order).where(Order.number == number)).one()
        notes = [e.note for e in session.exec(select(OrderEvent)) if e.order_id == order.id]
    assert [(is_book(r.payload), r.last_error) for r in held] == [(True, outbox.HELD)]
    assert DIGITAL_HELD in notes

    before = len(shop.sent)
    shop.say("hi")

    after = shop.sent[before:]
    assert is_book(after[0])  # before the answer to "hi"
    assert len(after) > 1
    shop.say("hi again")
    assert [p for p in shop.sent if is_book(p)] == [after[0]]  # exactly once
    with read_session(shop.runtime.engine) as session:
        states = session.exec(select(OutboxMessage.state).where(OutboxMessage.wa_id == ANA)).all()
    assert "held" not in states
