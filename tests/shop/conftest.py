"""Fixtures of the shop tests: the test bakery's business file and a way to place orders.

They build on the root ``engine`` fixture (SQLite, and PostgreSQL when available); importing
:mod:`flows.features.shop.models` here registers the shop tables before ``reset_schema`` creates them.
Constants and helpers are in ``shopkit.py``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import responses
from sqlalchemy.engine import Engine
from sqlmodel import select

import flows.features.shop.models  # noqa: F401  (registers the shop tables)
from flows import FlowHandler, Hooks, load_flows
from flows.features.business import BusinessConfig, load_business
from flows.features.shop.cart import add_item
from flows.features.shop.catalog_orders import CatalogOrders
from flows.features.shop.hooks import register_shop_hooks
from flows.features.shop.models import Order
from flows.features.shop.orders import create_order
from flows.features.shop.payments import make_provider
from flows.features.shop.stripe import API_BASE
from flows.features.tracking.hooks import register_tracking_hooks
from storage.db import transaction
from storage.models import Contact
from tests.shop.shopkit import (
    ANA,
    NOW,
    SHOP_FILE,
    SHOP_FLOWS,
    STRIPE_ENV,
    ShopChat,
    add_contact,
    stripe_payload,
)

PlaceOrder = Callable[..., Order]


@pytest.fixture
def business() -> BusinessConfig:
    """The test bakery (Stripe payments, ``order_update`` template configured)."""
    return load_business(SHOP_FILE)


@pytest.fixture
def manual_business(business: BusinessConfig) -> BusinessConfig:
    """The same bakery taking manual payments."""
    payments = business.payments.model_copy(
        update={
            "provider": "manual",
            "instructions": "Bizum {total} to 600 000 000, concept {number}.",
            "stripe": None,
        }
    )
    return dataclasses.replace(business, payments=payments)


@pytest.fixture
def place_order(engine: Engine, business: BusinessConfig) -> PlaceOrder:
    """Create a committed order from ``{product: quantity}`` (numbers BK-XXXXY, BK-XXXYX...).

    The customer last wrote ``window`` before ``now`` (``None``: never).
    """
    counter = iter(range(10_000))

    def place(
        wa_id: str = ANA,
        items: dict[str, int] | None = None,
        *,
        fulfilment: str = "pickup",
        now: datetime = NOW,
        config: BusinessConfig | None = None,
        window: timedelta | None = timedelta(minutes=5),
        **extra: Any,
    ) -> Order:
        config = config or business
        with transaction(engine) as session:
            if session.exec(select(Contact).where(Contact.wa_id == wa_id)).first() is None:
                add_contact(session, wa_id, None if window is None else now - window)
            for product_id, quantity in (items or {"choc": 1}).items():
                add_item(session, config, wa_id, product_id, quantity, now)
            letters = iter(
                f"{next(counter):05d}".translate(str.maketrans("0123456789", "XYZ2345678"))
            )
            return create_order(
                session,
                config,
                wa_id,
                fulfilment=fulfilment,
                now=now,
                choice=lambda _alphabet: next(letters),
                **extra,
            )

    return place


@pytest.fixture
def stripe_api() -> Iterator[responses.RequestsMock]:
    """Stripe's API, mocked: Checkout Sessions are created with the recorded answer."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.post(
            f"{API_BASE}/checkout/sessions",
            json=stripe_payload("checkout_session_create.response.json"),
        )
        yield mock


@pytest.fixture
def make_shop_chat(
    engine: Engine, business: BusinessConfig, stripe_api: responses.RequestsMock
) -> Callable[..., ShopChat]:
    """Build a customer chatting with the built-in shop flows (Stripe mocked).

    ``make_shop_chat(wa_id=BEN, config=manual_business)``.
    """

    def make(wa_id: str = ANA, name: str = "Ana", config: BusinessConfig | None = None) -> ShopChat:
        config = config or business
        provider = make_provider(config, environ=STRIPE_ENV)
        hooks = register_shop_hooks(Hooks(), config, provider=provider)
        register_tracking_hooks(hooks, config)
        flow_handler = FlowHandler(
            load_flows(*SHOP_FLOWS),
            hooks,
            language=config.business.language or "en",
            locale=config.business.locale,
            catalogs=config.catalogs,
        )
        handler = CatalogOrders(flow_handler, config)
        return ShopChat(engine, handler, wa_id=wa_id, name=name)

    return make
