"""The built-in order tracking flow: own orders only, status and history, paying later, updates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.engine import Engine

from flows.features.business import BusinessConfig
from flows.features.shop.order_status import mark_paid, update_order_status
from storage.db import transaction
from tests.shop.conftest import PlaceOrder
from tests.shop.shopkit import BEN, ShopChat, row_ids, visible

MakeChat = Callable[..., ShopChat]
TRACKING = "https://track.example/ES123456789"


def test_no_orders_yet(make_shop_chat: MakeChat) -> None:
    assert make_shop_chat().say("orders") == [
        "You have no orders yet. Send *shop* to see our products."
    ]


def test_pick_an_order_and_see_its_history(
    make_shop_chat: MakeChat, place_order: PlaceOrder, engine: Engine, business: BusinessConfig
) -> None:
    chat = make_shop_chat()
    order = place_order(
        chat.wa_id, items={"choc": 1}, fulfilment="delivery", address="Gran Via 2", now=chat.now
    )
    with transaction(engine) as session:
        mark_paid(session, business, order.number, now=chat.now)
        update_order_status(
            session, business, order.number, "shipped", now=chat.now, tracking_url=TRACKING
        )
    chat.replies()  # the notifications so far
    listing, question = chat.deliver({"type": "text", "text": {"body": "orders"}})
    assert row_ids(listing) == [f"order:{order.number}"]
    assert (
        visible(question) == f"Tap *Your orders*, or type an order number such as {order.number}."
    )
    (shown,) = chat.pick(f"order:{order.number}", order.number)
    text = visible(shown)
    assert text.startswith(f"Order {order.number}: on its way\n1 × Chocolate cake — €27.50")
    assert f"Tracking: {TRACKING}" in text
    assert (
        "History:\n03 Mar 11:00 waiting for payment\n03 Mar 11:00 paid\n03 Mar 11:00 on its way"
        in text
    )
    assert row_ids(shown) == ["other", "done"]
    assert [visible(p) for p in chat.tap("done")] == [
        "Thanks! Send *orders* any time to check again."
    ]


def test_another_customers_number_is_not_found_like_a_missing_one(
    make_shop_chat: MakeChat, place_order: PlaceOrder
) -> None:
    chat = make_shop_chat()
    mine = place_order(chat.wa_id, items={"tart": 1}, now=chat.now)
    theirs = place_order(BEN, items={"tart": 1}, now=chat.now)
    chat.say("orders")
    other = chat.say(theirs.number)
    assert other == [
        f"I couldn't find an order {theirs.number} among your orders.",
        f"Tap *Your orders*, or type an order number such as {mine.number}.",
    ]
    missing = chat.say("BK-ZZZZZ")
    assert missing[0] == "I couldn't find an order BK-ZZZZZ among your orders."
    assert theirs.number.lower() not in " ".join(chat.say(mine.number.lower())).lower()


def test_an_unpaid_order_can_be_paid_from_tracking(
    make_shop_chat: MakeChat, place_order: PlaceOrder
) -> None:
    chat = make_shop_chat()
    order = place_order(chat.wa_id, items={"tart": 2}, now=chat.now)
    chat.say("orders")
    (shown,) = chat.deliver({"type": "text", "text": {"body": order.number}})
    assert visible(shown).startswith(f"Order {order.number}: waiting for payment")
    assert row_ids(shown) == ["pay", "other", "done"]
    pay, bye = chat.tap("pay", "Pay now")
    assert pay["interactive"]["action"]["parameters"]["display_text"] == "Pay €8.50"
    assert visible(bye) == "Thanks! Send *orders* any time to check again."


def test_shipping_update_outside_the_window_uses_the_template(
    make_shop_chat: MakeChat, place_order: PlaceOrder, engine: Engine, business: BusinessConfig
) -> None:
    chat = make_shop_chat()
    chat.say("orders")  # the customer writes: the window opens
    order = place_order(
        chat.wa_id, items={"tart": 1}, fulfilment="delivery", address="Gran Via 2", now=chat.now
    )
    later = chat.now + timedelta(days=2)
    with transaction(engine) as session:
        mark_paid(session, business, order.number, now=chat.now + timedelta(minutes=5))
        update_order_status(
            session, business, order.number, "shipped", now=later, tracking_url=TRACKING
        )
    paid, shipped = chat.replies()
    assert paid["type"] == "text"
    assert shipped["type"] == "template"
    assert shipped["template"]["components"][0]["parameters"] == [
        {"type": "text", "text": order.number},
        {"type": "text", "text": "on its way"},
        {"type": "text", "text": TRACKING},
    ]
