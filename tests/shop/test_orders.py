"""Orders: exact totals, stock reserved atomically (also under a race), expiry, customer scoping."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from flows.features.business import BusinessConfig
from flows.features.shop._errors import CartError, OrderNotFoundError, OutOfStockError
from flows.features.shop.cart import add_item, view_cart
from flows.features.shop.order_status import expire_unpaid
from flows.features.shop.orders import (
    create_order,
    customer_orders,
    describe_order,
    describe_quote,
    find_customer_order,
    normalize_number,
    order_lines,
    quote,
)
from storage.db import transaction
from tests.shop.conftest import PlaceOrder
from tests.shop.shopkit import ANA, BEN, NOW, add_contact, events, outbox_payloads, reload, stock_of


@pytest.mark.parametrize(
    ("items", "fulfilment", "subtotal", "fee"),
    [
        pytest.param({"choc": 1}, "pickup", 2750, 0, id="pickup-no-fee"),
        pytest.param({"choc": 1}, "delivery", 2750, 350, id="delivery-fee"),
        pytest.param({"choc": 1, "tart": 3}, "delivery", 4025, 0, id="free-over-40"),
        pytest.param({"c01": 3, "c02": 3, "c03": 3}, "delivery", 1080, 350, id="cents-add-up"),
        pytest.param({"ebook": 1, "class": 1}, "pickup", 2400, 0, id="digital-only"),
    ],
)
def test_totals_are_exact(
    place_order: PlaceOrder, items: dict[str, int], fulfilment: str, subtotal: int, fee: int
) -> None:
    extra = {"address": "Gran Via 2"} if fulfilment == "delivery" else {}
    order = place_order(items=items, fulfilment=fulfilment, **extra)
    assert (order.subtotal, order.delivery_fee, order.total) == (subtotal, fee, subtotal + fee)
    assert order.currency == "EUR"
    assert order.status == "pending_payment"
    assert order.expires_at is not None
    assert order.expires_at - NOW == timedelta(minutes=30)
    assert order.number == "BK-XXXXX"
    if set(items) <= {"ebook", "class"}:
        assert order.fulfilment == "digital"


def test_quote_and_summary(engine: Engine, business: BusinessConfig) -> None:
    with transaction(engine) as session:
        add_item(session, business, ANA, "choc", 1, NOW)
        add_item(session, business, ANA, "tart", 2, NOW)
        q = quote(session, business, ANA, "delivery")
        assert describe_quote(q, business).splitlines() == [
            "1 × Chocolate cake — €27.50",
            "2 × Apple tart slice — €8.50",
            "Delivery: €3.50",
            "Total: €39.50",
        ]
        assert "Pickup at Calle Mayor 1, Madrid" in describe_quote(
            quote(session, business, ANA, "pickup"), business
        )


def test_order_reserves_stock_and_empties_the_cart(
    engine: Engine, place_order: PlaceOrder, business: BusinessConfig
) -> None:
    order = place_order(items={"choc": 2, "tart": 1})
    assert stock_of(engine, "choc") == 3
    assert stock_of(engine, "tart") is None  # unlimited: no stock row
    with Session(engine) as session:
        assert not view_cart(session, business, ANA)
        lines = order_lines(session, order)
    assert [(li.product_id, li.unit_price, li.quantity, li.line_total) for li in lines] == [
        ("choc", 2750, 2, 5500),
        ("tart", 425, 1, 425),
    ]
    assert [e.status for e in events(engine, order.number)] == ["pending_payment"]


@pytest.mark.parametrize(
    ("fulfilment", "extra", "message"),
    [
        pytest.param("delivery", {}, "delivery address or share your location", id="no-address"),
        pytest.param("teleport", {}, "choose pickup or delivery", id="unknown-method"),
    ],
)
def test_checkout_refusals(
    engine: Engine, business: BusinessConfig, fulfilment: str, extra: dict[str, str], message: str
) -> None:
    with transaction(engine) as session:
        with pytest.raises(CartError, match="cart is empty"):
            create_order(session, business, ANA, fulfilment="pickup", now=NOW)
        add_item(session, business, ANA, "choc", 1, NOW)
        with pytest.raises(CartError, match=message):
            create_order(session, business, ANA, fulfilment=fulfilment, now=NOW, **extra)


def test_shared_location_is_kept(place_order: PlaceOrder) -> None:
    order = place_order(
        fulfilment="delivery", latitude=40.4168, longitude=-3.7038, location_name="Sol"
    )
    assert (order.latitude, order.longitude, order.location_name, order.address) == (
        40.4168,
        -3.7038,
        "Sol",
        None,
    )


def test_out_of_stock_reserves_nothing_and_keeps_the_cart(
    engine: Engine, business: BusinessConfig
) -> None:
    with transaction(engine) as session:
        add_contact(session, ANA)
        add_item(session, business, ANA, "choc", 2, NOW)
        add_item(session, business, ANA, "lemon", 1, NOW)
    with transaction(engine) as session:  # someone else buys the lemon cake meanwhile
        add_item(session, business, BEN, "lemon", 1, NOW)
        create_order(session, business, BEN, fulfilment="pickup", now=NOW)
    with transaction(engine) as session:
        with pytest.raises(OutOfStockError, match="Lemon cake just sold out") as caught:
            create_order(session, business, ANA, fulfilment="pickup", now=NOW)
        assert (caught.value.product_id, caught.value.available) == ("lemon", 0)
        assert len(view_cart(session, business, ANA).items) == 2
    assert stock_of(engine, "choc") == 5  # the chocolate cakes were not kept either
    with Session(engine) as session:
        assert customer_orders(session, ANA) == []


def test_two_customers_race_for_the_last_item(engine: Engine, business: BusinessConfig) -> None:
    with transaction(engine) as session:
        for wa_id in (ANA, BEN):
            add_contact(session, wa_id)
            add_item(session, business, wa_id, "lemon", 1, NOW)
    start = threading.Barrier(2)
    results: dict[str, str] = {}

    def buy(wa_id: str) -> None:
        start.wait()
        try:
            with transaction(engine) as session:
                order = create_order(session, business, wa_id, fulfilment="pickup", now=NOW)
                results[wa_id] = order.number
        except OutOfStockError as exc:
            results[wa_id] = str(exc)

    threads = [threading.Thread(target=buy, args=(wa_id,)) for wa_id in (ANA, BEN)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(r.startswith("BK-") for r in results.values()) == [False, True], results
    assert "Sorry, Lemon cake just sold out." in results.values()
    assert stock_of(engine, "lemon") == 0


def test_expired_orders_give_their_stock_back_once(
    engine: Engine, business: BusinessConfig, place_order: PlaceOrder
) -> None:
    old = place_order(items={"choc": 2})
    fresh = place_order(BEN, items={"choc": 1}, now=NOW + timedelta(minutes=20))
    assert stock_of(engine, "choc") == 2
    with transaction(engine) as session:
        assert expire_unpaid(session, business, NOW + timedelta(minutes=29)) == []
        assert expire_unpaid(session, business, NOW + timedelta(minutes=30)) == [old.number]
    with transaction(engine) as session:
        assert expire_unpaid(session, business, NOW + timedelta(minutes=31)) == []
    assert stock_of(engine, "choc") == 4
    assert reload(engine, old.number).status == "expired"
    assert reload(engine, fresh.number).status == "pending_payment"
    assert (
        "expired because it was not paid in time"
        in outbox_payloads(engine, ANA)[-1]["text"]["body"]
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("BK-7F3K2", "BK-7F3K2", id="as-printed"),
        pytest.param("bk7f3k2", "BK-7F3K2", id="lower-no-dash"),
        pytest.param(" #BK 7F3K2. ", "BK-7F3K2", id="decorated"),
        pytest.param("hello", "HELLO", id="not-a-number"),
    ],
)
def test_normalize_number(typed: str, expected: str) -> None:
    assert normalize_number(typed) == expected


def test_customers_only_ever_see_their_own_orders(
    engine: Engine, business: BusinessConfig, place_order: PlaceOrder
) -> None:
    mine = place_order(ANA, items={"tart": 1})
    theirs = place_order(BEN, items={"tart": 2})
    with Session(engine) as session:
        assert find_customer_order(session, ANA, mine.number.lower()).id == mine.id
        assert [o.number for o in customer_orders(session, ANA)] == [mine.number]
        with pytest.raises(OrderNotFoundError) as other:
            find_customer_order(session, ANA, theirs.number)
        with pytest.raises(OrderNotFoundError) as missing:
            find_customer_order(session, ANA, "BK-ZZZZZ")
    assert str(other.value) == f"I couldn't find an order {theirs.number} among your orders."
    assert str(missing.value) == "I couldn't find an order BK-ZZZZZ among your orders."


def test_describe_order(engine: Engine, business: BusinessConfig, place_order: PlaceOrder) -> None:
    order = place_order(items={"choc": 1}, fulfilment="delivery", address="Gran Via 2")
    with Session(engine) as session:
        text = describe_order(session, business, order)
    assert text.splitlines()[:4] == [
        f"Order {order.number}: waiting for payment",
        "1 × Chocolate cake — €27.50",
        "Delivery: €3.50",
        "Total: €31.00",
    ]
    assert "03 Mar 11:00 waiting for payment" in text  # Madrid time
