"""Stripe webhooks: signatures over raw bytes, paid exactly once, expiry, mismatches, replays."""

from __future__ import annotations

import copy
import threading
from datetime import timedelta
from typing import Any

import pytest
import responses
from sqlalchemy.engine import Engine

from flows.features.business import BusinessConfig
from flows.features.shop._errors import PaymentError, SignatureError
from flows.features.shop.models import Order
from flows.features.shop.payments import make_provider, start_payment
from flows.features.shop.stripe import (
    API_BASE,
    handle_event,
    parse_event,
    signature_header,
    verify_signature,
)
from storage.db import transaction
from tests.shop.conftest import PlaceOrder
from tests.shop.shopkit import (
    ANA,
    NOW,
    STRIPE_ENV,
    WEBHOOK_SECRET,
    events,
    outbox_payloads,
    outside_transaction,
    reload,
    signed_event,
    stock_of,
    stripe_payload,
)

T = int(NOW.timestamp())
COMPLETED = "event_checkout_session_completed.json"


def test_a_valid_signature_passes() -> None:
    raw, header = signed_event(COMPLETED, at=T)
    verify_signature(raw, header, WEBHOOK_SECRET, now=NOW + timedelta(seconds=299))


def _tamper(raw: bytes) -> bytes:
    return raw.replace(b'"amount_total": 2750', b'"amount_total": 1')


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(lambda raw, h: (raw, None), "missing", id="no-header"),
        pytest.param(lambda raw, h: (raw, "v1=abc"), "malformed", id="no-timestamp"),
        pytest.param(lambda raw, h: (raw, f"t={T}"), "malformed", id="no-v1"),
        pytest.param(lambda raw, h: (raw, "t=soon,v1=ab"), "malformed", id="bad-timestamp"),
        pytest.param(lambda raw, h: (_tamper(raw), h), "does not match", id="tampered-body"),
        pytest.param(
            lambda raw, h: (raw, signature_header(raw, "whsec_other", T)),
            "does not match",
            id="wrong-secret",
        ),
        pytest.param(
            lambda raw, h: (raw, signature_header(raw, WEBHOOK_SECRET, T - 301)),
            "tolerance",
            id="too-old",
        ),
        pytest.param(
            lambda raw, h: (raw, signature_header(raw, WEBHOOK_SECRET, T + 400)),
            "tolerance",
            id="from-the-future",
        ),
        pytest.param(lambda raw, h: (raw, h.replace("v1=", "v0=")), "malformed", id="only-v0"),
    ],
)
def test_bad_signatures_are_refused(change: Any, message: str) -> None:
    raw, header = change(*signed_event(COMPLETED, at=T))
    with pytest.raises(SignatureError, match=message):
        verify_signature(raw, header, WEBHOOK_SECRET, now=NOW)


def test_any_matching_v1_is_accepted_during_secret_rotation() -> None:
    raw, header = signed_event(COMPLETED, at=T)
    old = signature_header(raw, "whsec_old", T).split(",")[1]
    verify_signature(raw, f"{header},{old}", WEBHOOK_SECRET, now=NOW)
    verify_signature(raw, f"t={T},{old},{header.split(',')[1]}", WEBHOOK_SECRET, now=NOW)


@pytest.mark.parametrize(
    "body",
    [pytest.param(b"not json", id="not-json"), pytest.param(b'{"object": "event"}', id="no-id")],
)
def test_parse_event_refuses_non_events(body: bytes) -> None:
    with pytest.raises(PaymentError):
        parse_event(body)


@pytest.fixture
def stripe_order(engine: Engine, business: BusinessConfig, place_order: PlaceOrder) -> Order:
    """BK-XXXXX: one chocolate cake, its Checkout Session created (recorded answer)."""
    order = place_order(items={"choc": 1})
    with responses.RequestsMock() as mock, outside_transaction(engine) as session:
        mock.post(
            f"{API_BASE}/checkout/sessions",
            json=stripe_payload("checkout_session_create.response.json"),
        )
        session.add(order)
        start_payment(
            session,
            business,
            order,
            make_provider(business, environ=STRIPE_ENV),
            NOW,
        )
    return order


def _handle(
    engine: Engine, business: BusinessConfig, event: dict[str, Any], minutes: int = 5
) -> str:
    with transaction(engine) as session:
        return handle_event(session, business, event, NOW + timedelta(minutes=minutes))


def test_completed_checkout_marks_the_order_paid_once(
    engine: Engine, business: BusinessConfig, stripe_order: Order
) -> None:
    event = stripe_payload(COMPLETED)
    queued_before = len(outbox_payloads(engine, ANA))
    assert _handle(engine, business, event) == "paid"
    assert _handle(engine, business, event) == "duplicate"
    assert _handle(engine, business, copy.deepcopy(event) | {"id": "evt_other"}) == "already_paid"
    order = reload(engine, stripe_order.number)
    assert order.status == "paid"
    assert order.paid_at is not None
    assert [e.status for e in events(engine, order.number)] == ["pending_payment", "paid"]
    assert events(engine, order.number)[1].note == "Stripe payment pi_3QyBellaPaid0001XyZ"
    confirmations = outbox_payloads(engine, ANA)[queued_before:]
    assert len(confirmations) == 1
    assert confirmations[0]["text"]["body"].startswith(
        "Payment received for order BK-XXXXX (€27.50)."
    )
    assert stock_of(engine, "choc") == 4


def test_simultaneous_redeliveries_pay_once(
    engine: Engine, business: BusinessConfig, stripe_order: Order
) -> None:
    event = stripe_payload(COMPLETED)
    start = threading.Barrier(3)
    results: list[str] = []

    def deliver() -> None:
        start.wait()
        results.append(_handle(engine, business, event))

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["duplicate", "duplicate", "paid"]
    assert [e.status for e in events(engine, stripe_order.number)] == ["pending_payment", "paid"]
    assert stock_of(engine, "choc") == 4


def test_asynchronous_payment_waits_for_success(
    engine: Engine, business: BusinessConfig, stripe_order: Order
) -> None:
    assert (
        _handle(engine, business, stripe_payload("event_checkout_session_completed_async.json"))
        == "awaiting_payment"
    )
    assert reload(engine, stripe_order.number).status == "pending_payment"
    event = stripe_payload("event_checkout_session_async_payment_succeeded.json")
    assert _handle(engine, business, event, minutes=15) == "paid"


def test_expired_checkout_expires_the_order_and_frees_the_stock(
    engine: Engine, business: BusinessConfig, stripe_order: Order
) -> None:
    assert stock_of(engine, "choc") == 4
    assert (
        _handle(engine, business, stripe_payload("event_checkout_session_expired.json"), 32)
        == "expired"
    )
    assert reload(engine, stripe_order.number).status == "expired"
    assert stock_of(engine, "choc") == 5


def test_payment_after_our_expiry_is_honoured_when_stock_allows(
    engine: Engine, business: BusinessConfig, stripe_order: Order
) -> None:
    from flows.features.shop.order_status import expire_unpaid

    with transaction(engine) as session:
        assert expire_unpaid(session, business, NOW + timedelta(minutes=30)) == [
            stripe_order.number
        ]
    assert _handle(engine, business, stripe_payload(COMPLETED), 31) == "paid"
    assert reload(engine, stripe_order.number).status == "paid"
    assert stock_of(engine, "choc") == 4
    assert events(engine, stripe_order.number)[-1].note.startswith("paid after it had expired")


def test_payment_after_expiry_without_stock_asks_for_a_refund(
    engine: Engine, business: BusinessConfig, stripe_order: Order
) -> None:
    from flows.features.shop.models import set_stock
    from flows.features.shop.order_status import expire_unpaid

    with transaction(engine) as session:
        expire_unpaid(session, business, NOW + timedelta(minutes=30))
        set_stock(session, "choc", 0, NOW)
    assert _handle(engine, business, stripe_payload(COMPLETED), 31) == "refund_needed"
    assert reload(engine, stripe_order.number).status == "expired"
    assert "refund needed" in (events(engine, stripe_order.number)[-1].note or "")


@pytest.mark.parametrize(
    ("change", "result"),
    [
        pytest.param({"amount_total": 100}, "amount_mismatch", id="amount"),
        pytest.param({"currency": "usd"}, "amount_mismatch", id="currency"),
        pytest.param(
            {"client_reference_id": "BK-ZZZZZ", "metadata": {}}, "unknown_order", id="unknown-order"
        ),
    ],
)
def test_suspicious_events_do_not_mark_paid(
    engine: Engine,
    business: BusinessConfig,
    stripe_order: Order,
    change: dict[str, Any],
    result: str,
) -> None:
    event = stripe_payload(COMPLETED)
    event["data"]["object"].update(change)
    assert _handle(engine, business, event) == result
    assert reload(engine, stripe_order.number).status == "pending_payment"


def test_other_event_types_are_ignored(
    engine: Engine, business: BusinessConfig, stripe_order: Order
) -> None:
    assert (
        _handle(engine, business, stripe_payload("event_payment_intent_succeeded.json"))
        == "ignored"
    )
    assert reload(engine, stripe_order.number).status == "pending_payment"


def test_digital_goods_are_delivered_right_after_payment(
    engine: Engine, business: BusinessConfig, place_order: PlaceOrder
) -> None:
    order = place_order(items={"ebook": 1, "class": 1})
    event = stripe_payload(COMPLETED)
    event["data"]["object"].update({"client_reference_id": order.number, "amount_total": 2400})
    assert _handle(engine, business, event) == "paid"
    sent = outbox_payloads(engine, ANA)
    assert sent[0]["text"]["body"].startswith(f"Payment received for order {order.number}")
    assert sent[1]["document"] == {
        "link": "https://bella.example/files/recipes.pdf",
        "caption": "Bakery recipe book",
        "filename": "bella-recipes.pdf",
    }
    assert sent[2]["text"]["body"] == "Online baking class: https://bella.example/class/7d1f"
