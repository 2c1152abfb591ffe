"""The HTTP edges of the shop and tracking: Stripe's webhook (signature on raw bytes, replays)
and the order-status API."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import responses
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine

from flows.features.business import BusinessConfig
from flows.features.shop.models import Order
from flows.features.shop.payments import make_provider, start_payment
from flows.features.shop.stripe import API_BASE
from flows.features.shop.web import shop_blueprint
from flows.features.tracking.web import tracking_blueprint
from storage.db import transaction
from tests.shop.conftest import PlaceOrder
from tests.shop.shopkit import (
    NOW,
    STRIPE_ENV,
    outside_transaction,
    reload,
    signed_event,
    stripe_payload,
)

TOKEN = "shop-token-7c1e9a"
WEBHOOK = "/payments/stripe/webhook"
COMPLETED = "event_checkout_session_completed.json"
T = int(NOW.timestamp())


@pytest.fixture
def woken() -> list[int]:
    """Counts the ``after_commit`` calls."""
    return []


@pytest.fixture
def shop_client(engine: Engine, business: BusinessConfig, woken: list[int]) -> FlaskClient:
    """A Flask app serving only the shop and tracking blueprints, its clock at NOW + 5 minutes."""
    app = Flask("shop-test")
    env = {**STRIPE_ENV, "WAFLOW_SHOP_API_TOKEN": TOKEN}
    for make in (shop_blueprint, tracking_blueprint):
        blueprint = make(
            engine,
            business,
            environ=env,
            clock=lambda: NOW + timedelta(minutes=5),
            after_commit=lambda: woken.append(1),
        )
        app.register_blueprint(blueprint)
    return app.test_client()


@pytest.fixture
def order(engine: Engine, business: BusinessConfig, place_order: PlaceOrder) -> Order:
    """BK-XXXXX with its Checkout Session."""
    placed = place_order()
    with responses.RequestsMock() as mock, outside_transaction(engine) as session:
        mock.post(
            f"{API_BASE}/checkout/sessions",
            json=stripe_payload("checkout_session_create.response.json"),
        )
        session.add(placed)
        provider = make_provider(business, environ=STRIPE_ENV)
        start_payment(session, business, placed, provider, NOW)
    return placed


def test_paid_webhook_then_replay(
    shop_client: FlaskClient, engine: Engine, order: Order, woken: list[int]
) -> None:
    raw, header = signed_event(COMPLETED, at=T + 300)
    first = shop_client.post(WEBHOOK, data=raw, headers={"Stripe-Signature": header})
    assert (first.status_code, first.json) == (200, {"received": True, "result": "paid"})
    replay = shop_client.post(WEBHOOK, data=raw, headers={"Stripe-Signature": header})
    assert (replay.status_code, replay.json) == (200, {"received": True, "result": "duplicate"})
    assert reload(engine, order.number).status == "paid"
    assert woken == [1]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="missing"),
        pytest.param({"Stripe-Signature": f"t={T},v1=00ff"}, id="wrong"),
        pytest.param({"Stripe-Signature": signed_event(COMPLETED, at=T - 600)[1]}, id="stale"),
        pytest.param(
            {"Stripe-Signature": signed_event(COMPLETED, at=T, secret="whsec_x")[1]},
            id="other-secret",
        ),
    ],
)
def test_bad_signature_is_400_and_changes_nothing(
    shop_client: FlaskClient, engine: Engine, order: Order, headers: dict[str, str]
) -> None:
    raw, _ = signed_event(COMPLETED, at=T)
    response = shop_client.post(WEBHOOK, data=raw, headers=headers)
    assert response.status_code == 400
    assert reload(engine, order.number).status == "pending_payment"


def test_reserialised_json_fails_the_signature(shop_client: FlaskClient, order: Order) -> None:
    raw, header = signed_event(COMPLETED, at=T + 300)
    compact = json.dumps(json.loads(raw), separators=(",", ":")).encode()
    assert (
        shop_client.post(WEBHOOK, data=compact, headers={"Stripe-Signature": header}).status_code
        == 400
    )


def test_webhook_without_stripe_configuration_is_404(
    engine: Engine, manual_business: BusinessConfig
) -> None:
    app = Flask("manual")
    app.register_blueprint(shop_blueprint(engine, manual_business, environ={}))
    raw, header = signed_event(COMPLETED, at=T)
    assert (
        app.test_client().post(WEBHOOK, data=raw, headers={"Stripe-Signature": header}).status_code
        == 404
    )


def _status(
    client: FlaskClient, number: str, body: object, token: str | None = TOKEN
) -> tuple[int, object]:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    response = client.post(f"/api/orders/{number}/status", json=body, headers=headers)
    return response.status_code, response.json


def test_status_api_updates_and_notifies(
    shop_client: FlaskClient,
    engine: Engine,
    business: BusinessConfig,
    order: Order,
    woken: list[int],
) -> None:
    with transaction(engine) as session:
        from flows.features.shop.order_status import mark_paid

        mark_paid(session, business, order.number, now=NOW)
    code, body = _status(
        shop_client,
        order.number.lower(),
        {"status": "shipped", "tracking_url": "https://t.example/1"},
    )
    assert code == 200
    assert body == {
        "number": order.number,
        "status": "shipped",
        "changed": True,
        "notified": "text",
    }
    assert reload(engine, order.number).tracking_url == "https://t.example/1"
    assert woken == [1]


@pytest.mark.parametrize(
    ("token", "body", "code"),
    [
        pytest.param(None, {"status": "shipped"}, 401, id="no-token"),
        pytest.param("wrong", {"status": "shipped"}, 401, id="wrong-token"),
        pytest.param(TOKEN, {"state": "shipped"}, 400, id="bad-body"),
        pytest.param(TOKEN, {"status": "shipped", "tracking_url": 5}, 400, id="bad-tracking"),
        pytest.param(TOKEN, {"status": "delivered"}, 409, id="not-allowed-yet"),
        pytest.param(TOKEN, {"status": "teleported"}, 409, id="unknown-status"),
    ],
)
def test_status_api_refusals(
    shop_client: FlaskClient,
    engine: Engine,
    order: Order,
    token: str | None,
    body: object,
    code: int,
) -> None:
    got, _ = _status(shop_client, order.number, body, token)
    assert got == code
    assert reload(engine, order.number).status == "pending_payment"


def test_status_api_unknown_order_is_404(shop_client: FlaskClient, order: Order) -> None:
    assert _status(shop_client, "BK-ZZZZZ", {"status": "shipped"})[0] == 404


def test_status_api_without_a_configured_token_refuses_everything(
    engine: Engine, business: BusinessConfig, order: Order
) -> None:
    app = Flask("no-token")
    app.register_blueprint(tracking_blueprint(engine, business, environ=STRIPE_ENV))
    response = app.test_client().post(
        f"/api/orders/{order.number}/status",
        json={"status": "cancelled"},
        headers={"Authorization": "Bearer "},
    )
    assert response.status_code == 401
