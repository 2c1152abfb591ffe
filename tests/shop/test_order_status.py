"""Business-side status changes: the life cycle, stock given back, the customer told in or out of the window."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from flows.features.business import BusinessConfig, Templates
from flows.features.shop._errors import OrderNotFoundError, OrderStateError
from flows.features.shop.order_status import (
    DIGITAL_HELD,
    UPDATE_HELD,
    mark_paid,
    update_order_status,
)
from storage.db import read_session, transaction
from storage.models import OutboxMessage
from tests.shop.conftest import PlaceOrder
from tests.shop.shopkit import ANA, NOW, events, outbox_payloads, reload, stock_of

LATER = NOW + timedelta(hours=2)
TRACKING = "https://track.example/ES123456789"


def _update(
    engine: Engine, business: BusinessConfig, number: str, status: str, **kw: object
) -> object:
    with transaction(engine) as session:
        return update_order_status(
            session, business, number, status, now=kw.pop("now", LATER), **kw
        )  # type: ignore[arg-type]


def _paid(engine: Engine, business: BusinessConfig, place_order: PlaceOrder, **kw: object) -> str:
    order = place_order(**kw)
    with transaction(engine) as session:
        assert mark_paid(session, business, order.number, now=NOW + timedelta(minutes=5)).changed
    return order.number


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        pytest.param(["preparing", "shipped", "delivered"], True, id="full-journey"),
        pytest.param(["shipped", "delivered"], True, id="skip-preparing"),
        pytest.param(["delivered"], True, id="handed-over"),
        pytest.param(["cancelled"], True, id="cancel-after-payment"),
        pytest.param(["delivered", "shipped"], False, id="backwards"),
        pytest.param(["shipped", "cancelled"], False, id="cancel-after-shipping"),
        pytest.param(["pending_payment"], False, id="back-to-unpaid"),
        pytest.param(["expired"], False, id="expire-a-paid-order"),
    ],
)
def test_life_cycle(
    engine: Engine,
    business: BusinessConfig,
    place_order: PlaceOrder,
    path: list[str],
    allowed: bool,
) -> None:
    number = _paid(engine, business, place_order)
    *ok, last = path
    for status in ok:
        _update(engine, business, number, status)
    if allowed:
        _update(engine, business, number, last)
        assert reload(engine, number).status == last
    else:
        with pytest.raises(OrderStateError, match="it can change to"):
            _update(engine, business, number, last)
    assert [e.status for e in events(engine, number)] == [
        "pending_payment",
        "paid",
        *path[: len(path) - (not allowed)],
    ]


@pytest.mark.parametrize(
    ("status", "tracking", "message"),
    [
        pytest.param("lost", None, "unknown status 'lost'", id="unknown-status"),
        pytest.param("shipped", "ftp://x", "must start with https://", id="bad-url"),
    ],
)
def test_bad_requests(
    engine: Engine,
    business: BusinessConfig,
    place_order: PlaceOrder,
    status: str,
    tracking: str | None,
    message: str,
) -> None:
    number = _paid(engine, business, place_order)
    with pytest.raises(OrderStateError, match=message):
        _update(engine, business, number, status, tracking_url=tracking)
    with pytest.raises(OrderNotFoundError):
        _update(engine, business, "BK-ZZZZZ", "shipped")


def test_cancelling_gives_the_stock_back(
    engine: Engine, business: BusinessConfig, place_order: PlaceOrder
) -> None:
    unpaid = place_order(items={"choc": 2})
    paid = _paid(engine, business, place_order, items={"choc": 1})
    assert stock_of(engine, "choc") == 2
    _update(engine, business, unpaid.number, "cancelled")
    _update(engine, business, paid, "cancelled")
    assert stock_of(engine, "choc") == 5
    bodies = [p["text"]["body"] for p in outbox_payloads(engine, ANA) if p["type"] == "text"]
    assert f"Your order {unpaid.number} was cancelled." in bodies
    assert f"Your order {paid} was cancelled. We will contact you about your refund." in bodies


def test_inside_the_window_the_customer_gets_a_text_with_the_tracking_link(
    engine: Engine, business: BusinessConfig, place_order: PlaceOrder
) -> None:
    number = _paid(engine, business, place_order, fulfilment="delivery", address="Gran Via 2")
    change = _update(engine, business, number, "shipped", tracking_url=TRACKING)
    assert change.notified == "text"  # type: ignore[attr-defined]
    last = outbox_payloads(engine, ANA)[-1]
    assert last["text"]["body"] == f"Your order {number} is on its way.\nTrack it here: {TRACKING}"
    assert events(engine, number)[-1].tracking_url == TRACKING


def test_a_new_tracking_link_for_the_same_status_is_sent_again(
    engine: Engine, business: BusinessConfig, place_order: PlaceOrder
) -> None:
    number = _paid(engine, business, place_order, fulfilment="delivery", address="Gran Via 2")
    _update(engine, business, number, "shipped", tracking_url=TRACKING)
    _update(engine, business, number, "shipped", tracking_url=TRACKING + "-2")
    assert reload(engine, number).tracking_url == TRACKING + "-2"
    with pytest.raises(OrderStateError):
        _update(engine, business, number, "shipped")


def test_pickup_orders_read_as_ready_for_pickup(
    engine: Engine, business: BusinessConfig, place_order: PlaceOrder
) -> None:
    number = _paid(engine, business, place_order)
    _update(engine, business, number, "shipped")
    assert outbox_payloads(engine, ANA)[-1]["text"]["body"] == (
        f"Your order {number} is ready for pickup at Calle Mayor 1, Madrid."
    )


def test_outside_the_window_the_order_update_template_is_used(
    engine: Engine, business: BusinessConfig, place_order: PlaceOrder
) -> None:
    number = _paid(engine, business, place_order, fulfilment="delivery", address="Gran Via 2")
    change = _update(
        engine, business, number, "shipped", tracking_url=TRACKING, now=NOW + timedelta(hours=25)
    )
    assert change.notified == "template"  # type: ignore[attr-defined]
    template = outbox_payloads(engine, ANA)[-1]["template"]
    assert template["name"] == "order_update"
    assert template["language"] == {"code": "en_GB"}
    assert template["components"] == [
        {
            "type": "body",
            "parameters": [
                {"type": "text", "text": number},
                {"type": "text", "text": "on its way"},
                {"type": "text", "text": TRACKING},
            ],
        }
    ]


def test_outside_the_window_without_a_template_stale_news_is_not_sent(
    engine: Engine,
    business: BusinessConfig,
    place_order: PlaceOrder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    plain = dataclasses.replace(business, templates=Templates())
    number = _paid(engine, plain, place_order, config=plain)
    queued = len(outbox_payloads(engine, ANA))
    change = _update(engine, plain, number, "preparing", now=NOW + timedelta(days=2))
    assert change.notified == "skipped"  # type: ignore[attr-defined]
    assert len(outbox_payloads(engine, ANA)) == queued
    assert reload(engine, number).status == "preparing"
    assert ANA not in caplog.text
    assert "…1222" in caplog.text


def test_outside_the_window_without_a_template_news_that_matters_is_held(
    engine: Engine, business: BusinessConfig, place_order: PlaceOrder
) -> None:
    plain = dataclasses.replace(business, templates=Templates())
    order = place_order(items={"ebook": 1}, window=timedelta(hours=30), config=plain)
    with transaction(engine) as session:
        change = mark_paid(session, plain, order.number, now=NOW)
    assert change.notified == "held"
    with read_session(engine) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.wa_id == ANA)).all()
    assert [(r.state, r.payload["type"]) for r in rows] == [("held", "text"), ("held", "document")]
    assert [e.note for e in events(engine, order.number)][-2:] == [UPDATE_HELD, DIGITAL_HELD]


def test_a_customer_who_never_wrote_gets_the_template(
    engine: Engine, business: BusinessConfig, place_order: PlaceOrder
) -> None:
    order = place_order(window=None)
    with transaction(engine) as session:
        change = mark_paid(session, business, order.number, now=NOW, reference="transfer 42")
    assert change.notified == "template"
    assert reload(engine, order.number).payment_reference == "transfer 42"


def test_mark_paid_twice_is_a_no_op(
    engine: Engine, manual_business: BusinessConfig, place_order: PlaceOrder
) -> None:
    order = place_order(config=manual_business)
    with transaction(engine) as session:
        assert mark_paid(session, manual_business, order.number, now=NOW).changed
    with transaction(engine) as session:
        again = mark_paid(session, manual_business, order.number, now=NOW)
    assert not again.changed
    assert again.order.status == "paid"
    assert [e.status for e in events(engine, order.number)] == ["pending_payment", "paid"]
    assert sum("Payment received" in str(p) for p in outbox_payloads(engine, ANA)) == 1
