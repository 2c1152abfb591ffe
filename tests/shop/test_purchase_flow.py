"""The built-in purchase flow, driven through FlowHandler and the real processing pipeline."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from flows import Hooks
from flows._validate import validate_paths
from flows.features.business import BusinessConfig
from flows.features.shop.cart import add_item
from flows.features.shop.hooks import register_shop_hooks
from flows.features.shop.order_status import expire_unpaid
from flows.features.shop.orders import create_order
from flows.features.shop.stripe import handle_event
from flows.features.tracking.hooks import register_tracking_hooks
from storage.db import transaction
from tests.shop.shopkit import (
    BEN,
    NOW,
    SHOP_FLOWS,
    ShopChat,
    add_contact,
    events,
    reload,
    row_ids,
    stock_of,
    stripe_payload,
    visible,
)

MakeChat = Callable[..., ShopChat]


def test_the_shop_flows_pass_strict_validation(business: BusinessConfig) -> None:
    hooks = register_tracking_hooks(register_shop_hooks(Hooks(), business), business)
    assert validate_paths(list(SHOP_FLOWS), hooks=hooks) == []


def _to_quantity(chat: ShopChat, product: str = "prod:choc", category: str = "cat:cakes") -> None:
    chat.say("shop")
    chat.pick(category)
    chat.pick(product)


def test_happy_path_pickup_with_stripe(
    make_shop_chat: MakeChat, engine: Engine, business: BusinessConfig
) -> None:
    chat = make_shop_chat()
    welcome = chat.deliver({"type": "text", "text": {"body": "shop"}})
    assert row_ids(welcome[0]) == ["cat:cakes", "cat:cookies", "cat:digital"]
    products = chat.pick("cat:cakes", "Cakes")
    assert row_ids(products[0]) == ["prod:choc", "prod:lemon", "prod:tart"]
    card, question = chat.pick("prod:choc", "Chocolate cake")
    assert card["image"]["link"] == "https://bella.example/img/choc.jpg"
    assert visible(question) == "How many would you like? Send a number from 1 to 5."
    assert chat.say("2") == ["2 × Chocolate cake — €55.00\nSubtotal: €55.00"]
    assert row_ids(chat.tap("checkout", "Checkout")[0]) == ["pickup", "delivery"]
    [when] = chat.tap("pickup", "Pickup")
    assert visible(when).startswith("When would you like to pick it up?")
    assert chat.say("tomorrow 11:00") == [
        "2 × Chocolate cake — €55.00\nPickup at Calle Mayor 1, Madrid\n"
        "When: Tue 4 Mar at 11:00\nTotal: €55.00"
    ]
    pay, placed = chat.tap("place", "Place order")
    number = chat.slots["order"]["number"]
    assert pay["interactive"]["type"] == "cta_url"
    assert pay["interactive"]["action"]["parameters"]["display_text"] == "Pay €55.00"
    assert visible(placed).startswith(f"Your order number is *{number}*.")
    assert stock_of(engine, "choc") == 3
    assert reload(engine, number).status == "pending_payment"

    event = stripe_payload("event_checkout_session_completed.json")
    event["data"]["object"].update({"client_reference_id": number, "amount_total": 5500})
    for expected in ("paid", "duplicate"):  # Stripe delivers the same event twice
        with transaction(engine) as session:
            assert (
                handle_event(session, business, event, chat.now + timedelta(minutes=3)) == expected
            )
    confirmations = chat.replies()
    assert [visible(p) for p in confirmations] == [
        f"Payment received for order {number} (€55.00). Thank you! We'll tell you when it's ready for pickup."
    ]
    history = [(e.status, e.note) for e in events(engine, number)]
    assert [status for status, _ in history] == ["pending_payment", "paid"]  # each once
    assert history[0] == ("pending_payment", "pickup Tue 4 Mar at 11:00")  # for the staff


@pytest.mark.parametrize(
    ("typed", "reprompt"),
    [
        pytest.param("0", "The quantity must be at least 1 (at most 5).", id="zero"),
        pytest.param(
            "-1", "A quantity can't be negative. Send a number from 1 to 5.", id="minus-one"
        ),
        pytest.param(
            "lots", "Please send the quantity as a number from 1 to 5, for example 2.", id="lots"
        ),
        pytest.param(
            "10,000", "You can order at most 5 of Chocolate cake at once.", id="ten-thousand"
        ),
        pytest.param("2.5", "Please send a whole number from 1 to 5.", id="fraction"),
    ],
)
def test_bad_quantities_are_asked_again(
    make_shop_chat: MakeChat, typed: str, reprompt: str
) -> None:
    chat = make_shop_chat()
    _to_quantity(chat)
    assert chat.say(typed) == [reprompt]
    assert chat.say("1") == ["1 × Chocolate cake — €27.50\nSubtotal: €27.50"]


def test_every_bad_quantity_in_a_row(make_shop_chat: MakeChat) -> None:
    chat = make_shop_chat()
    _to_quantity(chat)
    for typed in ("0", "-1", "lots", "10000"):
        assert len(chat.say(typed)) == 1
    assert chat.slots.get("quantity") is None
    assert chat.say("3")[0].startswith("3 × Chocolate cake")


def test_long_lists_are_paged_and_typed_numbers_and_names_work(make_shop_chat: MakeChat) -> None:
    chat = make_shop_chat()
    chat.say("shop")
    first = chat.pick("cat:cookies", "Cookies")[0]
    assert row_ids(first)[-1] == "page:1"
    assert len(row_ids(first)) == 9
    second = chat.pick("page:1", "More ▶")[0]
    assert row_ids(second) == ["prod:c09", "prod:c10", "prod:c11", "prod:c12", "page:0"]
    card, _ = chat.deliver({"type": "text", "text": {"body": "2"}})  # the 2nd row of this page
    assert visible(card).startswith("*Double chocolate chip cookie deluxe*")
    chat.say("1")
    chat.tap("more", "Keep shopping")
    chat.say("COOKIES")  # typed category name
    assert visible(chat.deliver({"type": "text", "text": {"body": "oat"}})[0]).startswith(
        "*Oat cookie*"
    )


@pytest.mark.parametrize(
    ("typed", "reprompt"),
    [
        pytest.param(
            "pizza", "Please tap Categories and choose one (or type its name).", id="unknown-name"
        ),
        pytest.param(
            "9", "Please tap Categories and choose one (or type its name).", id="no-such-row"
        ),
    ],
)
def test_unknown_picks_are_refused(make_shop_chat: MakeChat, typed: str, reprompt: str) -> None:
    chat = make_shop_chat()
    chat.say("shop")
    assert chat.say(typed) == [reprompt]


def test_delivery_to_a_typed_address_costs_the_fee(
    make_shop_chat: MakeChat, engine: Engine
) -> None:
    chat = make_shop_chat()
    _to_quantity(chat, "prod:tart")
    chat.say("2")
    chat.tap("checkout")
    chat.tap("delivery")
    assert chat.tap("type")[0]["text"]["body"].startswith("Please type the delivery address")
    assert chat.say("Sol") == ["Please type the full address: street, number and city."]
    (summary,) = chat.deliver({"type": "text", "text": {"body": "Gran Via 2, 28013 Madrid"}})
    assert visible(summary) == (
        "2 × Apple tart slice — €8.50\nDelivery: €3.50\nTotal: €12.00\nDeliver to: Gran Via 2, 28013 Madrid"
    )
    chat.tap("place")
    order = reload(engine, chat.slots["order"]["number"])
    assert (order.fulfilment, order.address, order.total) == (
        "delivery",
        "Gran Via 2, 28013 Madrid",
        1200,
    )


def test_delivery_to_a_shared_location(make_shop_chat: MakeChat, engine: Engine) -> None:
    chat = make_shop_chat()
    _to_quantity(chat)
    chat.say("1")
    chat.tap("checkout")
    chat.tap("delivery")
    chat.tap("share")
    (summary,) = chat.share_location(
        40.4169, -3.7035, name="Puerta del Sol", address="Plaza de la Puerta del Sol"
    )
    assert visible(summary).endswith("Deliver to: Puerta del Sol")
    chat.tap("place")
    order = reload(engine, chat.slots["order"]["number"])
    assert (order.latitude, order.longitude, order.location_name) == (
        40.4169,
        -3.7035,
        "Puerta del Sol",
    )


def test_digital_only_carts_skip_fulfilment(make_shop_chat: MakeChat) -> None:
    chat = make_shop_chat()
    chat.say("shop")
    chat.pick("cat:digital")
    _card, cart = chat.pick("prod:ebook")  # no "how many": one copy goes into the cart
    assert visible(cart) == "1 × Bakery recipe book — €9.00\nSubtotal: €9.00"
    (summary,) = chat.tap("checkout")
    assert visible(summary) == "1 × Bakery recipe book — €9.00\nTotal: €9.00"
    chat.say("cancel")  # the book again later: still one copy
    chat.say("shop")
    chat.pick("cat:digital")
    *_, again = chat.pick("prod:ebook")
    assert visible(again) == "1 × Bakery recipe book — €9.00\nSubtotal: €9.00"


def test_the_last_item_goes_to_whoever_orders_first(
    make_shop_chat: MakeChat,
    engine: Engine,
    business: BusinessConfig,
    caplog: pytest.LogCaptureFixture,
) -> None:
    chat = make_shop_chat()
    _to_quantity(chat, "prod:lemon")
    chat.say("1")
    chat.tap("checkout")
    chat.tap("pickup")
    chat.say("tomorrow 11:00")  # a day and a time we are open
    with transaction(engine) as session:  # meanwhile, Ben buys the only lemon cake
        add_contact(session, BEN)
        add_item(session, business, BEN, "lemon", 1, chat.now)
        create_order(session, business, BEN, fulfilment="pickup", now=chat.now)
    caplog.set_level(logging.INFO)
    replies = chat.tap("place", "Place order")
    assert visible(replies[0]) == "Sorry, Lemon cake just sold out."
    assert visible(replies[1]) == "Your cart is empty."  # the sold-out line is gone
    assert stock_of(engine, "lemon") == 0
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []  # expected: INFO
    assert not any(r.exc_info for r in caplog.records)
    assert any("sold out" in r.getMessage() for r in caplog.records if r.levelno == logging.INFO)


def test_a_sold_out_product_cannot_be_added(
    make_shop_chat: MakeChat, engine: Engine, business: BusinessConfig
) -> None:
    from flows.features.shop.models import set_stock

    with transaction(engine) as session:
        set_stock(session, "lemon", 0, NOW)
    chat = make_shop_chat()
    chat.say("shop")
    chat.pick("cat:cakes")
    replies = [visible(p) for p in chat.pick("prod:lemon")]
    assert replies[1] == "Sorry, Lemon cake is sold out right now."
    assert replies[2] == "Cakes: tap *Products* to choose."


def test_an_unpaid_order_expires_and_frees_its_stock(
    make_shop_chat: MakeChat, engine: Engine, business: BusinessConfig
) -> None:
    chat = make_shop_chat()
    _to_quantity(chat)
    chat.say("2")
    chat.tap("checkout")
    chat.tap("pickup")
    chat.say("tomorrow 11:00")  # a day and a time we are open
    chat.tap("place")
    number = chat.slots["order"]["number"]
    chat.replies()
    with transaction(engine) as session:
        assert expire_unpaid(session, business, chat.now + timedelta(minutes=29)) == []
        assert expire_unpaid(session, business, chat.now + timedelta(minutes=30)) == [number]
    assert stock_of(engine, "choc") == 5
    assert [visible(p) for p in chat.replies()] == [
        f"Your order {number} expired because it was not paid in time. Its items are available again."
    ]
    event = stripe_payload("event_checkout_session_expired.json")  # Stripe's own expiry, later
    event["data"]["object"]["client_reference_id"] = number
    with transaction(engine) as session:
        assert handle_event(session, business, event, chat.now + timedelta(minutes=32)) == "ignored"


def test_change_and_empty_the_cart(make_shop_chat: MakeChat) -> None:
    chat = make_shop_chat()
    _to_quantity(chat, "prod:tart")
    chat.say("2")
    lines = chat.tap("change", "Change cart")[0]
    assert row_ids(lines) == ["line:tart", "cart:clear"]
    chat.pick("line:tart", "Apple tart slice")
    assert chat.say("13") == ["You can order at most 12 of Apple tart slice at once."]
    assert chat.say("5") == ["5 × Apple tart slice — €21.25\nSubtotal: €21.25"]
    chat.tap("change")
    chat.pick("line:tart")
    replies = [visible(p) for p in chat.tap("remove", "Remove")]  # an older message's button
    assert replies[:2] == [
        "Your cart is empty.",
        "Welcome to Bella Bakery! What would you like to see?",
    ]


def test_a_number_answering_how_many_is_a_quantity_and_0_removes(make_shop_chat: MakeChat) -> None:
    chat = make_shop_chat()
    _to_quantity(chat, "prod:tart")
    chat.say("3")
    chat.tap("change")
    [question] = chat.pick("line:tart")
    assert question["type"] == "text"  # no button a typed "1" could mean by its position
    assert visible(question) == (
        "How many Apple tart slice do you want now? Send a number, or *0* to remove it."
    )
    assert chat.say("1") == ["1 × Apple tart slice — €4.25\nSubtotal: €4.25"]
    chat.tap("change")
    chat.pick("line:tart")
    assert chat.say("0")[0] == "Your cart is empty."


def test_cart_intent_cancel_and_resume(make_shop_chat: MakeChat) -> None:
    chat = make_shop_chat()
    _to_quantity(chat, "prod:tart")
    chat.say("1")
    chat.tap("more")
    assert chat.say("cart") == ["1 × Apple tart slice — €4.25\nSubtotal: €4.25"]
    assert chat.say("cancel") == ["Okay, I stopped. Your cart is saved: send *shop* to continue."]
    assert chat.say("my cart") == ["1 × Apple tart slice — €4.25\nSubtotal: €4.25"]


def test_manual_payment_sends_instructions(
    make_shop_chat: MakeChat, manual_business: BusinessConfig
) -> None:
    chat = make_shop_chat(config=manual_business)
    _to_quantity(chat, "prod:tart")
    chat.say("1")
    chat.tap("checkout")
    chat.tap("pickup")
    chat.say("tomorrow 11:00")  # a day and a time we are open
    replies = [visible(p) for p in chat.tap("place")]
    number = chat.slots["order"]["number"]
    assert replies[0] == f"Bizum €4.25 to 600 000 000, concept {number}."


def test_native_catalog_order_goes_to_checkout(make_shop_chat: MakeChat) -> None:
    chat = make_shop_chat()
    order = {
        "type": "order",
        "order": {
            "catalog_id": "880011223344",
            "text": "",
            "product_items": [
                {
                    "product_retailer_id": "SKU-CHOC",
                    "quantity": 1,
                    "item_price": 27.5,
                    "currency": "EUR",
                },
                {
                    "product_retailer_id": "SKU-GONE",
                    "quantity": 2,
                    "item_price": 3,
                    "currency": "EUR",
                },
            ],
        },
    }
    (reply,) = chat.deliver(order)
    assert row_ids(reply) == ["SHOP_CHECKOUT", "SHOP"]
    assert visible(reply) == (
        "Item SKU-GONE is not in our catalog; it was left out.\n\n"
        "1 × Chocolate cake — €27.50\nSubtotal: €27.50"
    )
    assert row_ids(chat.tap("SHOP_CHECKOUT", "Checkout")[0]) == ["pickup", "delivery"]


def test_payment_webhook_over_http_twice_and_forged(
    make_shop_chat: MakeChat, engine: Engine, business: BusinessConfig
) -> None:
    import json

    from flask import Flask

    from flows.features.shop.stripe import signature_header
    from flows.features.shop.web import shop_blueprint
    from tests.shop.shopkit import STRIPE_ENV, WEBHOOK_SECRET

    chat = make_shop_chat()
    _to_quantity(chat, "prod:tart")
    chat.say("1")
    chat.tap("checkout")
    chat.tap("pickup")
    chat.say("tomorrow 11:00")  # a day and a time we are open
    chat.tap("place")
    number = chat.slots["order"]["number"]
    chat.replies()
    app = Flask("shop")
    when = chat.now + timedelta(minutes=4)
    app.register_blueprint(shop_blueprint(engine, business, environ=STRIPE_ENV, clock=lambda: when))
    client = app.test_client()
    event = stripe_payload("event_checkout_session_completed.json")
    event["data"]["object"].update({"client_reference_id": number, "amount_total": 425})
    raw = json.dumps(event).encode()
    forged = signature_header(raw, "whsec_guess", int(when.timestamp()))
    assert (
        client.post(
            "/payments/stripe/webhook", data=raw, headers={"Stripe-Signature": forged}
        ).status_code
        == 400
    )
    assert reload(engine, number).status == "pending_payment"
    signed = {"Stripe-Signature": signature_header(raw, WEBHOOK_SECRET, int(when.timestamp()))}
    results = [
        client.post("/payments/stripe/webhook", data=raw, headers=signed).json for _ in range(2)
    ]
    assert [r["result"] for r in results] == ["paid", "duplicate"]  # type: ignore[index]
    assert [visible(p) for p in chat.replies()] == [
        f"Payment received for order {number} (€4.25). Thank you! We'll tell you when it's ready for pickup."
    ]


def test_a_paused_contact_gets_no_cart_answer(make_shop_chat: MakeChat, engine: Engine) -> None:
    from sqlmodel import Session, select

    from storage.models import Contact

    chat = make_shop_chat()
    chat.say("shop")
    with Session(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == chat.wa_id)).one()
        contact.paused = True
        session.add(contact)
        session.commit()
    item = {"product_retailer_id": "SKU-CHOC", "quantity": 1, "item_price": 27.5, "currency": "EUR"}
    order = {"type": "order", "order": {"catalog_id": "880011223344", "product_items": [item]}}
    assert chat.deliver(order) == []
