"""A slow payment provider delays nobody else (issue 13: no network call inside a transaction).

The test bakery runs as ``waflow run`` builds it (every feature, background workers) on SQLite
and PostgreSQL. Stripe's mock holds its answer until the test releases it: while customer A's
Checkout Session is being created, customer B's signed webhook goes through the real Flask app,
is acknowledged and stored. On SQLite, a Stripe call inside the turn's transaction would hold
the write lock B's webhook needs for as long as Stripe takes. Released, A gets the payment link,
then the rest of the turn's replies, in that order.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import responses
from flask import Flask
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot import simulate
from bot.client import CloudClient, RetryPolicy
from bot.config import Config
from bot.runtime import Runtime
from flows.features.shop.models import Order
from flows.features.shop.stripe import API_BASE
from storage.db import read_session
from storage.models import InboundUpdate
from tests.helpers import Clock
from tests.shop.shopkit import ANA, BEN, NOW, SHOP_FILE, STRIPE_ENV, ShopChat, stripe_payload
from webhooks.bootstrap import load_business_config, make_app, make_runtime
from webhooks.mockgraph import sent_reply
from webhooks.signature import SIGNATURE_HEADER, sign

SECRET = "slow-provider-app-secret"
PATIENCE = 20.0
"""Seconds a step may take before the test fails (a correctness bound, not a measurement)."""


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Poll ``condition`` until it holds, failing after :data:`PATIENCE` seconds."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


class SlowStripe:
    """Stripe's Checkout API, answering only once :meth:`release` is called."""

    def __init__(self) -> None:
        self.asked = threading.Event()
        self.released = threading.Event()
        self.answered = threading.Event()

    def __call__(self, request: Any) -> tuple[int, dict[str, str], str]:
        self.asked.set()
        self.released.wait(PATIENCE * 3)
        self.answered.set()
        return 200, {}, json.dumps(stripe_payload("checkout_session_create.response.json"))

    def release(self) -> None:
        self.released.set()


class Bakery:
    """The test bakery's app over a background runtime, and what reached the Cloud API."""

    def __init__(self, app: Flask, runtime: Runtime, stripe: SlowStripe) -> None:
        self.app, self.runtime, self.stripe = app, runtime, stripe
        self.sent: list[dict[str, Any]] = []

    def post(self, body: dict[str, Any]) -> int:
        """Deliver a signed webhook body through the app; its HTTP status."""
        raw = json.dumps(body).encode()
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(raw, SECRET)}
        return self.app.test_client().post("/webhook", data=raw, headers=headers).status_code

    def stored(self, wa_id: str) -> bool:
        """Whether an update from ``wa_id`` is in the inbox."""
        with read_session(self.runtime.engine) as session:
            query = select(InboundUpdate.id).where(InboundUpdate.wa_id == wa_id)
            return session.exec(query).first() is not None

    def sent_to(self, wa_id: str) -> list[dict[str, Any]]:
        return [p for p in list(self.sent) if p.get("to") == wa_id]


@pytest.fixture
def bakery(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Bakery]:
    """The bakery with two workers, its Stripe slow, the Cloud API mocked; stopped after."""
    for name, value in STRIPE_ENV.items():
        monkeypatch.setenv(name, value)
    environ = {
        "WAFLOW_BUSINESS": str(SHOP_FILE),
        "DATABASE_URL": db_url,
        "WHATSAPP_ACCESS_TOKEN": "slow-provider-token",
        "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_VERIFY_TOKEN": "slow-provider-verify",
    }
    config = Config.from_env(environ, dotenv=None)
    business = load_business_config(config)
    client = CloudClient(config, retry=RetryPolicy(max_attempts=1), sleep=lambda _s: None)
    clock = Clock(NOW + timedelta(minutes=5))
    runtime = make_runtime(
        config, engine=engine, client=client, business=business, clock=clock, workers=2
    )
    stripe = SlowStripe()
    built = Bakery(make_app(runtime, config, business), runtime, stripe)

    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        body = json.loads(request.body)
        built.sent.append(body)
        reply = sent_reply(str(body.get("to")), f"wamid.OUT{len(built.sent)}")
        return 200, {}, json.dumps(reply)

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.POST, config.messages_url, callback=answer)
        mock.add_callback(responses.POST, f"{API_BASE}/checkout/sessions", callback=stripe)
        try:
            yield built
        finally:
            stripe.release()  # never leave a worker blocked, whatever the test found
            runtime.stop()


def test_a_slow_external_call_does_not_delay_another_customers_webhook_acknowledgement(
    bakery: Bakery,
) -> None:
    # Customer A fills a cart and reaches the order summary (turns processed directly).
    chat = ShopChat(bakery.runtime.engine, bakery.runtime.processor.handler, wa_id=ANA)
    chat.say("shop")
    chat.pick("cat:cakes", "Cakes")
    chat.pick("prod:choc", "Chocolate cake")
    chat.say("2")
    chat.tap("checkout", "Checkout")
    chat.tap("pickup", "Pickup")
    [summary] = chat.deliver({"type": "text", "text": {"body": "tomorrow 11:00"}})
    assert summary["interactive"]["type"] == "button"
    bakery.runtime.start()

    # A places the order through the app: a worker asks Stripe, which does not answer yet.
    when = (NOW + timedelta(minutes=1)).timestamp()
    place = simulate.button_reply(ANA, "place", "Place order", name="Ana", timestamp=when)
    assert bakery.post(place) == 200
    wait_for(bakery.stripe.asked.is_set, "A's Checkout Session request")

    # B writes meanwhile: acknowledged and stored while A's Stripe call is still open.
    answered: list[int] = []
    hello = simulate.text(BEN, "hello", name="Ben", timestamp=when)
    webhook = threading.Thread(target=lambda: answered.append(bakery.post(hello)), daemon=True)
    webhook.start()
    webhook.join(PATIENCE)
    assert answered == [200], "B's webhook was not acknowledged while Stripe was slow"
    assert bakery.stored(BEN)
    assert not bakery.stripe.answered.is_set()  # A's call was still open throughout

    # Stripe answers: A gets the payment link, then the rest of the turn, in order.
    bakery.stripe.release()

    def placed() -> bool:
        return any("Your order number is" in json.dumps(p) for p in bakery.sent_to(ANA))

    wait_for(placed, "A's payment link and order number")
    to_ana = bakery.sent_to(ANA)
    [link] = [i for i, p in enumerate(to_ana) if p.get("interactive", {}).get("type") == "cta_url"]
    [number] = [i for i, p in enumerate(to_ana) if "Your order number is" in json.dumps(p)]
    assert link < number
    assert to_ana[link]["interactive"]["action"]["parameters"]["display_text"] == "Pay €55.00"
    with read_session(bakery.runtime.engine) as session:
        order = session.exec(select(Order).where(Order.wa_id == ANA)).one()
    assert order.payment_url == stripe_payload("checkout_session_create.response.json")["url"]
    assert order.payment_reply_id is None
