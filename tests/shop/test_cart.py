"""The cart: quantity rules, adding and changing lines, stock checks, native catalog orders."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from bot.inbound import OrderItem, OrderMessage
from flows.features.business import BusinessConfig
from flows.features.shop._errors import CartError, OutOfStockError
from flows.features.shop.cart import (
    add_item,
    clear_cart,
    describe_cart,
    parse_quantity,
    remove_item,
    set_quantity,
    view_cart,
)
from flows.features.shop.catalog_orders import cart_from_catalog_order
from flows.features.shop.models import seed_stock, set_stock, stock_levels
from storage.db import transaction
from tests.shop.shopkit import ANA, BEN, NOW


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("2", 2, id="digits"),
        pytest.param(" 3 ", 3, id="spaces"),
        pytest.param("x4", 4, id="x-prefix"),
        pytest.param("two", 2, id="word"),
        pytest.param("Dozen", 12, id="dozen"),
        pytest.param(7, 7, id="int"),
        pytest.param("50", 50, id="the-maximum"),
    ],
)
def test_parse_quantity_accepts(typed: object, expected: int) -> None:
    assert parse_quantity(typed, 50) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        pytest.param("0", "at least 1", id="zero"),
        pytest.param(0, "at least 1", id="zero-int"),
        pytest.param("-1", "can't be negative", id="negative"),
        pytest.param("lots", "as a number from 1 to 50", id="lots"),
        pytest.param("", "as a number", id="empty"),
        pytest.param("2.5", "whole number", id="decimal"),
        pytest.param("10000", "at most 50 of Chocolate cake", id="ten-thousand"),
        pytest.param("10,000", "at most 50 of Chocolate cake", id="ten-thousand-grouped"),
        pytest.param("10.000", "at most 50 of Chocolate cake", id="ten-thousand-dotted"),
        pytest.param("51", "at most 50", id="one-too-many"),
        pytest.param(True, "as a number", id="bool"),
        pytest.param(None, "as a number", id="none"),
    ],
)
def test_parse_quantity_refuses_with_a_clear_message(typed: object, message: str) -> None:
    with pytest.raises(CartError, match=message):
        parse_quantity(typed, 50, "Chocolate cake")


def test_add_merges_lines_and_prices_exactly(engine: Engine, business: BusinessConfig) -> None:
    with transaction(engine) as session:
        add_item(session, business, ANA, "tart", "3", NOW)
        add_item(session, business, ANA, "c01", 2, NOW)
        cart = add_item(session, business, ANA, "tart", "two", NOW)
        assert [(i.product.id, i.quantity, i.line_total) for i in cart.items] == [
            ("tart", 5, 2125),
            ("c01", 2, 220),
        ]
        assert cart.subtotal == 2345
        assert cart.count == 7
        assert describe_cart(cart, business).splitlines() == [
            "5 × Apple tart slice — €21.25",
            "2 × Butter cookie — €2.20",
            "Subtotal: €23.45",
        ]
        assert not view_cart(session, business, BEN)


def test_a_line_cannot_exceed_the_product_maximum(engine: Engine, business: BusinessConfig) -> None:
    with transaction(engine) as session:
        add_item(session, business, ANA, "tart", 10, NOW)
        with pytest.raises(CartError, match=r"at most 12 of Apple tart slice.*already have 10"):
            add_item(session, business, ANA, "tart", 3, NOW)


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        pytest.param(6, "only 5 × Chocolate cake left", id="more-than-left"),
        pytest.param(1, "sold out", id="sold-out"),
    ],
)
def test_add_checks_the_live_stock(
    engine: Engine, business: BusinessConfig, quantity: int, message: str
) -> None:
    with transaction(engine) as session:
        if message == "sold out":
            set_stock(session, "choc", 0, NOW)
        with pytest.raises(OutOfStockError, match=message) as caught:
            add_item(session, business, ANA, "choc", quantity, NOW)
        assert caught.value.product_id == "choc"


def test_seed_stock_opens_limited_products_once(engine: Engine, business: BusinessConfig) -> None:
    with transaction(engine) as session:
        seed_stock(session, business.catalog.products, NOW)
        assert stock_levels(session) == {"choc": 5, "lemon": 1}
        set_stock(session, "choc", 2, NOW)
        session.flush()
        seed_stock(session, business.catalog.products, NOW)
        assert stock_levels(session) == {"choc": 2, "lemon": 1}


def test_change_remove_clear(engine: Engine, business: BusinessConfig) -> None:
    with transaction(engine) as session:
        add_item(session, business, ANA, "choc", 1, NOW)
        add_item(session, business, ANA, "c02", 1, NOW)
        cart = set_quantity(session, business, ANA, "choc", "3", NOW)
        assert cart.items[0].quantity == 3
        with pytest.raises(CartError, match="at least 1"):
            set_quantity(session, business, ANA, "choc", 0, NOW)
        with pytest.raises(CartError, match="not in your cart"):
            set_quantity(session, business, ANA, "lemon", 1, NOW)
        with pytest.raises(CartError, match="not available"):
            add_item(session, business, ANA, "nope", 1, NOW)
        cart = remove_item(session, business, ANA, "choc")
        assert [i.product.id for i in cart.items] == ["c02"]
        clear_cart(session, ANA)
        assert describe_cart(view_cart(session, business, ANA), business) == "Your cart is empty."


def _catalog_order(*items: tuple[str, int, str, str]) -> OrderMessage:
    return OrderMessage(
        id="wamid.ORDER1",
        from_=ANA,
        timestamp=NOW,
        catalog_id="880011223344",
        items=tuple(OrderItem(sku, qty, Decimal(price), cur) for sku, qty, price, cur in items),
    )


def test_native_catalog_order_becomes_the_cart(engine: Engine, business: BusinessConfig) -> None:
    message = _catalog_order(("SKU-CHOC", 2, "27.50", "EUR"), ("SKU-LEMON", 1, "18", "EUR"))
    with transaction(engine) as session:
        add_item(session, business, ANA, "tart", 1, NOW)  # replaced by the catalog cart
        result = cart_from_catalog_order(session, business, message, NOW)
    assert result.problems == ()
    assert [(i.product.id, i.quantity) for i in result.cart.items] == [("choc", 2), ("lemon", 1)]
    assert result.cart.subtotal == 7300


@pytest.mark.parametrize(
    ("item", "kept", "problem"),
    [
        pytest.param(("SKU-GONE", 1, "5.00", "EUR"), None, "Item SKU-GONE is not in our catalog", id="unknown-sku"),
        pytest.param(("SKU-CHOC", 1, "25.00", "EUR"), ("choc", 1), "price of Chocolate cake is now €27.50", id="price-changed"),
        pytest.param(("SKU-CHOC", 1, "27.5", "USD"), ("choc", 1), "priced in USD", id="other-currency"),
        pytest.param(("SKU-CHOC", 9, "27.50", "EUR"), ("choc", 5), "Only 5 × Chocolate cake left", id="short-stock"),
        pytest.param(("SKU-LEMON", 1, "18.00", "EUR"), None, "Lemon cake is sold out", id="sold-out"),
    ],
)  # fmt: skip
def test_native_catalog_order_is_checked_against_our_catalog(
    engine: Engine,
    business: BusinessConfig,
    item: tuple[str, int, str, str],
    kept: tuple[str, int] | None,
    problem: str,
) -> None:
    with transaction(engine) as session:
        set_stock(session, "lemon", 0, NOW)
        result = cart_from_catalog_order(session, business, _catalog_order(item), NOW)
    assert any(problem in note for note in result.problems), result.problems
    lines = [(i.product.id, i.quantity) for i in result.cart.items]
    assert lines == ([kept] if kept else [])
