"""Asking for payment: manual instructions, Stripe Checkout sessions over HTTP, the pay button."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl

import pytest
import requests
import responses
from sqlalchemy.engine import Engine

from bot.errors import ConfigError
from flows import texts_for
from flows.features.business import BusinessConfig
from flows.features.shop._errors import OrderStateError
from flows.features.shop.models import Order
from flows.features.shop.payments import (
    ManualProvider,
    make_provider,
    pay_button_label,
    start_payment,
)
from flows.features.shop.stripe import API_BASE, StripeCheckout, StripeError
from tests.shop.conftest import PlaceOrder
from tests.shop.shopkit import NOW, STRIPE_ENV, outside_transaction, reload, stripe_payload

SESSIONS_URL = f"{API_BASE}/checkout/sessions"


@pytest.fixture
def stripe_api() -> Iterator[responses.RequestsMock]:
    """Stripe's API, mocked: unexpected requests fail the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def _provider(business: BusinessConfig) -> StripeCheckout:
    provider = make_provider(business, environ=STRIPE_ENV)
    assert isinstance(provider, StripeCheckout)
    provider._sleep = lambda _seconds: None
    return provider


def test_stripe_checkout_session_is_created_as_recorded(
    engine: Engine,
    business: BusinessConfig,
    place_order: PlaceOrder,
    stripe_api: responses.RequestsMock,
) -> None:
    recorded = stripe_payload("checkout_session_create.request.json")
    stripe_api.post(SESSIONS_URL, json=stripe_payload("checkout_session_create.response.json"))
    order = place_order(items={"choc": 1})
    with outside_transaction(engine) as session:
        session.add(order)
        payload = start_payment(session, business, order, _provider(business), NOW)
    sent = stripe_api.calls[0].request
    assert parse_qsl(str(sent.body), keep_blank_values=True) == [tuple(p) for p in recorded["form"]]
    for header in ("Authorization", "Idempotency-Key", "Content-Type"):
        assert sent.headers[header] == recorded["headers"][header]
    action = payload["interactive"]["action"]
    assert payload["interactive"]["type"] == "cta_url"
    assert action["parameters"]["display_text"] == "Pay €27.50"
    assert action["parameters"]["url"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    assert "BK-XXXXX" in payload["interactive"]["body"]["text"]
    stored = reload(engine, order.number)
    assert stored.payment_reference == stripe_payload("checkout_session_create.response.json")["id"]
    assert stored.provider == "stripe"


def test_delivery_fee_is_a_line_item_and_the_url_is_reused(
    engine: Engine,
    business: BusinessConfig,
    place_order: PlaceOrder,
    stripe_api: responses.RequestsMock,
) -> None:
    stripe_api.post(SESSIONS_URL, json=stripe_payload("checkout_session_create.response.json"))
    order = place_order(items={"tart": 2}, fulfilment="delivery", address="Gran Via 2")
    provider = _provider(business)
    with outside_transaction(engine) as session:
        session.add(order)
        first = start_payment(session, business, order, provider, NOW)
        second = start_payment(session, business, order, provider, NOW)
    assert first == second
    assert len(stripe_api.calls) == 1
    form = dict(parse_qsl(str(stripe_api.calls[0].request.body)))
    assert form["line_items[0][price_data][unit_amount]"] == "425"
    assert form["line_items[0][quantity]"] == "2"
    assert form["line_items[1][price_data][product_data][name]"] == "Delivery"
    assert form["line_items[1][price_data][unit_amount]"] == "350"


def test_stripe_errors_become_a_customer_safe_payment_error(
    engine: Engine,
    business: BusinessConfig,
    place_order: PlaceOrder,
    stripe_api: responses.RequestsMock,
) -> None:
    stripe_api.post(
        SESSIONS_URL, status=400, json=stripe_payload("error_invalid_request.response.json")
    )
    order = place_order()
    with outside_transaction(engine) as session:
        session.add(order)
        with pytest.raises(StripeError) as caught:
            start_payment(session, business, order, _provider(business), NOW)
    assert str(caught.value).startswith("Sorry, we could not start the payment")
    assert caught.value.detail == "HTTP 400: Not a valid URL"
    assert (caught.value.http_status, caught.value.code) == (400, "url_invalid")
    assert len(stripe_api.calls) == 1  # a 400 is not retried
    assert reload(engine, order.number).payment_url is None


@pytest.mark.parametrize(
    "first",
    [
        pytest.param(
            {"status": 500, "json": stripe_payload("error_api.response.json")}, id="http-500"
        ),
        pytest.param({"body": requests.ConnectionError("reset")}, id="connection-error"),
        pytest.param(
            {"status": 409, "json": stripe_payload("error_idempotency_key_in_use.response.json")},
            id="http-409-key-in-flight",
        ),
    ],
)
def test_transient_stripe_failures_are_retried_with_the_same_idempotency_key(
    engine: Engine,
    business: BusinessConfig,
    place_order: PlaceOrder,
    stripe_api: responses.RequestsMock,
    first: dict[str, object],
) -> None:
    stripe_api.post(SESSIONS_URL, **first)  # type: ignore[arg-type]
    stripe_api.post(SESSIONS_URL, json=stripe_payload("checkout_session_create.response.json"))
    order = place_order()
    with outside_transaction(engine) as session:
        session.add(order)
        start_payment(session, business, order, _provider(business), NOW)
    keys = {call.request.headers["Idempotency-Key"] for call in stripe_api.calls}
    assert keys == {"waflow-checkout-BK-XXXXX"}
    assert len(stripe_api.calls) == 2


def test_manual_payment_sends_the_instructions(
    engine: Engine, manual_business: BusinessConfig, place_order: PlaceOrder
) -> None:
    order = place_order(config=manual_business)
    provider = make_provider(manual_business)
    assert isinstance(provider, ManualProvider)
    with outside_transaction(engine) as session:
        session.add(order)
        payload = start_payment(session, manual_business, order, provider, NOW)
    assert payload["text"]["body"] == "Bizum €27.50 to 600 000 000, concept BK-XXXXX."


def test_missing_stripe_key_is_a_config_error(business: BusinessConfig) -> None:
    with pytest.raises(ConfigError, match="BELLA_STRIPE_KEY"):
        make_provider(business, environ={})


def test_only_unpaid_orders_can_be_paid(
    engine: Engine, manual_business: BusinessConfig, place_order: PlaceOrder
) -> None:
    order = place_order(config=manual_business)
    with outside_transaction(engine) as session:
        session.add(order)
        order.status = "paid"
        with pytest.raises(OrderStateError, match="not waiting for payment"):
            start_payment(session, manual_business, order, ManualProvider(), NOW)


@pytest.mark.parametrize(
    ("total", "currency", "label"),
    [
        pytest.param(2750, "EUR", "Pay €27.50", id="short"),
        pytest.param(123456789, "EUR", "Pay €1,234,567.89", id="exactly-fits"),
        pytest.param(1234567890000, "IDR", "Pay now", id="too-long"),
    ],
)
def test_pay_button_label_fits_twenty_characters(
    business: BusinessConfig, total: int, currency: str, label: str
) -> None:
    order = Order(number="BK-XXXXX", wa_id="1", total=total, currency=currency)
    assert pay_button_label(order, business) == label
    assert len(label) <= 20


def test_stripe_checkout_is_in_the_customers_language(
    engine: Engine,
    business: BusinessConfig,
    place_order: PlaceOrder,
    stripe_api: responses.RequestsMock,
) -> None:
    stripe_api.post(SESSIONS_URL, json=stripe_payload("checkout_session_create.response.json"))
    order = place_order(items={"choc": 1})
    with outside_transaction(engine) as session:
        session.add(order)
        texts = texts_for("pt_BR", locale=business.business.locale)
        payload = start_payment(session, business, order, _provider(business), NOW, texts)
    form = dict(parse_qsl(str(stripe_api.calls[0].request.body), keep_blank_values=True))
    assert form["locale"] == "pt-BR"  # Stripe's page in Portuguese
    assert payload["interactive"]["action"]["parameters"]["display_text"] == "Pagar €\xa027,50"
