"""Stripe is asked after the turn commits: the reply waiting for the link, failures, a crash.

The turn that places an order records the intent (the order's ``payment_reply_id``, a reply
waiting for the link) and commits; the Checkout Session is created afterwards and the reply
filled in. A crash between the two leaves the intent, which the shop's periodic task finishes
with the same request (same idempotency key) once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qsl

import pytest
import responses
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from flows.features.business import BusinessConfig
from flows.features.shop import payments
from flows.features.shop.payments import LEFT_BEHIND, payment_task
from flows.features.shop.stripe import API_BASE
from storage.models import OutboxMessage
from tests.shop.shopkit import ANA, STRIPE_ENV, ShopChat, reload, stripe_payload, visible

MakeChat = Callable[..., ShopChat]
SESSIONS_URL = f"{API_BASE}/checkout/sessions"


def _to_summary(chat: ShopChat) -> None:
    chat.say("shop")
    chat.pick("cat:cakes")
    chat.pick("prod:choc")
    chat.say("2")
    chat.tap("checkout")
    chat.tap("pickup")
    chat.say("tomorrow 11:00")


def _queued(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        query = select(OutboxMessage).where(OutboxMessage.wa_id == ANA)
        return list(session.exec(query.order_by(OutboxMessage.id)))  # type: ignore[arg-type]


def test_stripe_failing_tells_the_customer_to_pay_later(
    make_shop_chat: MakeChat, engine: Engine, stripe_api: responses.RequestsMock
) -> None:
    chat = make_shop_chat()
    _to_summary(chat)
    stripe_api.replace(
        responses.POST,
        SESSIONS_URL,
        status=400,
        json=stripe_payload("error_invalid_request.response.json"),
    )
    sorry, placed = (visible(p) for p in chat.tap("place", "Place order"))
    number = chat.slots["order"]["number"]
    assert sorry == (
        "Sorry, we could not start the payment. Please try again. "
        f"Your order {number} is saved: send *orders* to pay it later."
    )
    assert placed.startswith(f"Your order number is *{number}*.")
    order = reload(engine, number)
    assert (order.payment_url, order.payment_reply_id) == (None, None)
    assert order.status == "pending_payment"


def test_a_payment_left_by_a_crash_is_finished_by_the_periodic_task(
    make_shop_chat: MakeChat,
    engine: Engine,
    business: BusinessConfig,
    stripe_api: responses.RequestsMock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chat = make_shop_chat()
    _to_summary(chat)
    before = len(_queued(engine))
    with monkeypatch.context() as crash:  # the process dies once the turn has committed
        crash.setattr(payments, "finish_payment", lambda *_a, **_k: False)
        chat.tap("place", "Place order")
    number = chat.slots["order"]["number"]
    waiting, placed = _queued(engine)[before:]
    assert waiting.next_attempt_at - waiting.created_at == payments.LINK_WAIT  # holds back...
    assert "Your order number is" in visible(placed.payload)  # ...the rest of the turn
    assert reload(engine, number).payment_reply_id == waiting.id
    assert len(stripe_api.calls) == 0

    for name, value in STRIPE_ENV.items():
        monkeypatch.setenv(name, value)
    now = chat.now
    assert payment_task(engine, business, now) is False  # the turn's own step may still run
    later = now + LEFT_BEHIND + timedelta(seconds=1)
    assert payment_task(engine, business, later) is True
    assert payment_task(engine, business, later) is False  # finished once

    [call] = stripe_api.calls
    assert call.request.headers["Idempotency-Key"] == f"waflow-checkout-{number}"
    assert ("client_reference_id", number) in parse_qsl(str(call.request.body))
    [link] = [row for row in _queued(engine) if row.id == waiting.id]
    assert link.payload["interactive"]["type"] == "cta_url"
    assert link.next_attempt_at == link.created_at  # due now, ahead of the order number
    order = reload(engine, number)
    assert order.payment_url == stripe_payload("checkout_session_create.response.json")["url"]
    assert order.payment_reply_id is None
