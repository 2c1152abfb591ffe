"""Stripe is asked after the turn commits: the reply waiting for the link, failures, a crash.

The turn that places an order records the intent (the order's ``payment_reply_id``, a reply
waiting for the link) and commits; the Checkout Session is created afterwards and the reply
filled in. A crash between the two leaves the intent, which the shop's periodic task finishes
with the same request (same idempotency key) once.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

import pytest
import responses
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from flows.features.business import BusinessConfig
from flows.features.shop import payments
from flows.features.shop.payments import CLAIM, LEFT_BEHIND, MAX_FAILURES, payment_task
from flows.features.shop.stripe import API_BASE, StripeCheckout
from storage import outbox
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


PATIENCE = 20.0
"""Seconds a blocked Stripe call may wait for the test (a correctness bound)."""


class RacingStripe:
    """Stripe's Checkout API with a request in flight, as Stripe's idempotency layer answers.

    The first request of an idempotency key waits until :meth:`release`; a request with the same
    key while it is in flight gets 409 ``idempotency_key_in_use``; later ones get the first one's
    session. ``answer`` replaces the session (a failing Stripe).
    """

    def __init__(self, answer: tuple[int, dict[str, Any]] | None = None) -> None:
        self.asked, self.released = threading.Event(), threading.Event()
        self.answer = answer or (200, stripe_payload("checkout_session_create.response.json"))
        self.requests = 0
        self._lock = threading.Lock()
        self._in_flight: set[str] = set()
        self._done: set[str] = set()

    def __call__(self, request: Any) -> tuple[int, dict[str, str], str]:
        key = request.headers["Idempotency-Key"]
        with self._lock:
            self.requests += 1
            busy = key in self._in_flight
            first = not busy and key not in self._done
            self._in_flight.add(key)
        if busy:
            return 409, {}, json.dumps(stripe_payload("error_idempotency_key_in_use.response.json"))
        if first:
            self.asked.set()
            assert self.released.wait(PATIENCE), "the test never released Stripe"
        with self._lock:
            self._in_flight.discard(key)
            self._done.add(key)
        return self.answer[0], {}, json.dumps(self.answer[1])

    def release(self) -> None:
        self.released.set()


@pytest.fixture
def racing_stripe(stripe_api: responses.RequestsMock) -> Iterator[RacingStripe]:
    """Stripe answering as :class:`RacingStripe`; released after the test whatever it found."""
    stripe = RacingStripe()
    stripe_api.remove(responses.POST, SESSIONS_URL)
    stripe_api.add_callback(responses.POST, SESSIONS_URL, callback=stripe)
    yield stripe
    stripe.release()


def _left_by_a_crash(
    chat: ShopChat, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, OutboxMessage]:
    """Place the order, the process dying once the turn has committed: the order's number and
    the reply waiting for its link."""
    _to_summary(chat)
    before = len(_queued(engine))
    with monkeypatch.context() as crash:
        crash.setattr(payments, "finish_payment", lambda *_a, **_k: False)
        chat.tap("place", "Place order")
    for name, value in STRIPE_ENV.items():
        monkeypatch.setenv(name, value)
    return chat.slots["order"]["number"], _queued(engine)[before]


def _in_thread(task: Callable[[], bool]) -> tuple[threading.Thread, list[bool]]:
    done: list[bool] = []
    thread = threading.Thread(target=lambda: done.append(task()), daemon=True)
    thread.start()
    return thread, done


def _one_link_no_failure(engine: Engine, number: str, waiting_id: int | None) -> None:
    rows = _queued(engine)
    links = [r for r in rows if r.payload.get("interactive", {}).get("type") == "cta_url"]
    assert [r.id for r in links] == [waiting_id]
    assert links[0].next_attempt_at == links[0].created_at  # due now, ahead of the rest
    assert not [r for r in rows if "could not start" in visible(r.payload)]
    order = reload(engine, number)
    assert order.payment_url == stripe_payload("checkout_session_create.response.json")["url"]
    assert (order.payment_reply_id, order.payment_claimed_until) == (None, None)


def test_workers_finishing_one_payment_together_ask_stripe_once(
    make_shop_chat: MakeChat,
    engine: Engine,
    business: BusinessConfig,
    racing_stripe: RacingStripe,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chat = make_shop_chat()
    number, waiting = _left_by_a_crash(chat, engine, monkeypatch)
    later = chat.now + LEFT_BEHIND + timedelta(seconds=1)
    first, done = _in_thread(lambda: payment_task(engine, business, later))
    assert racing_stripe.asked.wait(PATIENCE)  # the first worker's call is in flight
    for _worker in range(3):  # every other worker runs the task at the same moment
        assert payment_task(engine, business, later) is False
    assert racing_stripe.requests == 1  # the claim keeps them off Stripe
    racing_stripe.release()
    first.join(PATIENCE)
    assert done == [True]
    assert payment_task(engine, business, later + CLAIM) is False  # finished once
    _one_link_no_failure(engine, number, waiting.id)


def test_a_duplicate_that_stripe_answers_409_is_not_a_failure(
    make_shop_chat: MakeChat,
    engine: Engine,
    business: BusinessConfig,
    racing_stripe: RacingStripe,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chat = make_shop_chat()
    number, waiting = _left_by_a_crash(chat, engine, monkeypatch)
    monkeypatch.setattr(StripeCheckout, "attempts", 1)
    later = chat.now + LEFT_BEHIND + timedelta(seconds=1)
    first, done = _in_thread(lambda: payment_task(engine, business, later))
    assert racing_stripe.asked.wait(PATIENCE)
    # The first call outlives its claim: another worker takes the intent over, Stripe says 409.
    assert payment_task(engine, business, later + CLAIM) is False
    assert racing_stripe.requests == 2
    order = reload(engine, number)
    assert (order.payment_reply_id, order.payment_failures) == (waiting.id, 0)
    assert order.payment_claimed_until is None  # released: a later run tries again
    racing_stripe.release()
    first.join(PATIENCE)
    assert done == [True]  # the first worker's link is kept and sent
    _one_link_no_failure(engine, number, waiting.id)


def test_stripe_failing_for_a_while_is_retried_before_the_customer_is_told(
    make_shop_chat: MakeChat,
    engine: Engine,
    business: BusinessConfig,
    stripe_api: responses.RequestsMock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(StripeCheckout, "attempts", 1)
    stripe_api.replace(
        responses.POST, SESSIONS_URL, status=500, json=stripe_payload("error_api.response.json")
    )
    for name, value in STRIPE_ENV.items():
        monkeypatch.setenv(name, value)
    chat = make_shop_chat()
    _to_summary(chat)
    waiting, _placed = chat.tap("place", "Place order")
    number = chat.slots["order"]["number"]
    assert reload(engine, number).payment_failures == 1  # the turn's own step failed once
    [row] = [r for r in _queued(engine) if r.payload == waiting]
    assert row.next_attempt_at - row.created_at == payments.LINK_WAIT  # still waiting

    later = chat.now + LEFT_BEHIND + timedelta(seconds=1)
    assert payment_task(engine, business, later) is False
    assert reload(engine, number).payment_failures == 2
    assert payment_task(engine, business, later) is True  # MAX_FAILURES: the customer is told
    assert len(stripe_api.calls) == MAX_FAILURES
    [row] = [r for r in _queued(engine) if r.id == row.id]
    assert "could not start the payment" in visible(row.payload)
    assert row.next_attempt_at == row.created_at  # its fallback goes out now
    assert reload(engine, number).payment_reply_id is None


def test_a_reply_waiting_for_a_link_never_holds_the_customer_back_for_good(
    make_shop_chat: MakeChat,
    engine: Engine,
    business: BusinessConfig,
    stripe_api: responses.RequestsMock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(StripeCheckout, "attempts", 1)
    stuck = stripe_payload("error_idempotency_key_in_use.response.json")
    stripe_api.replace(responses.POST, SESSIONS_URL, status=409, json=stuck)
    for name, value in STRIPE_ENV.items():
        monkeypatch.setenv(name, value)
    chat = make_shop_chat()
    _to_summary(chat)
    before = len(_queued(engine))
    chat.tap("place", "Place order")  # Stripe says 409 for ever, as if a request never ended
    number = chat.slots["order"]["number"]
    waiting, placed = _queued(engine)[before:]
    assert payment_task(engine, business, chat.now + LEFT_BEHIND) is False

    deadline = waiting.created_at + payments.LINK_WAIT
    with Session(engine) as session:  # the replies of earlier turns went out
        sent = update(OutboxMessage).where(col(OutboxMessage.id) < waiting.id)
        session.connection().execute(sent.values(state="sent"))
        session.commit()
        assert outbox.claim(session, deadline - timedelta(seconds=1)).rows == []  # held back
        [head] = outbox.claim(session, deadline).rows  # the fallback goes out at its deadline
        assert (head.id, visible(head.payload)) == (waiting.id, visible(waiting.payload))
        assert head.more  # and the rest of the turn follows it
        session.commit()
    assert placed.id is not None
    assert payment_task(engine, business, deadline) is True  # the intent ends with it
    assert reload(engine, number).payment_reply_id is None

    # Asked again, the customer gets a reply of their own (Stripe works again by now).
    stripe_api.replace(
        responses.POST, SESSIONS_URL, json=stripe_payload("checkout_session_create.response.json")
    )
    chat.advance(minutes=11)
    chat.replies()
    chat.say("orders")
    chat.deliver({"type": "text", "text": {"body": number}})
    pay, bye = chat.tap("pay", "Pay now")
    assert pay["interactive"]["type"] == "cta_url"
    assert visible(bye) == "Thanks! Send *orders* any time to check again."
