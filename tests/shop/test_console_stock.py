"""The console's stock page over HTTP: live levels, setting a count, bad values, roles, audit."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine

from tests.console.consolekit import Login, csrf_of
from tests.shop.consolekit import audit_events, place_order
from tests.shop.shopkit import stock_of


@pytest.fixture
def owner(logged_in: Login) -> FlaskClient:
    """The owner, logged in."""
    return logged_in("owner")


def set_count(client: FlaskClient, product: str, quantity: str) -> tuple[int, str]:
    """Post the stock form: the status and the page shown after."""
    token = csrf_of(client, "/console/stock")
    data = {"csrf_token": token, "product": product, "quantity": quantity}
    answer = client.post("/console/stock", data=data)
    if answer.status_code == 303:
        return 303, client.get(answer.headers["Location"]).get_data(as_text=True)
    return answer.status_code, answer.get_data(as_text=True)


def test_the_page_lists_limited_products_with_their_live_level(
    owner: FlaskClient, shop_engine: Engine
) -> None:
    place_order(shop_engine, {"lemon": 3})
    page = owner.get("/console/stock").get_data(as_text=True)
    assert "Chocolate fudge cake" in page
    assert 'name="quantity" min="0" max="1000000" step="1" required value="1"' in page  # lemon
    assert 'value="6" aria-label="New stock of Chocolate fudge cake"' in page  # never ordered
    assert "Cookie box" not in page  # unlimited


def test_setting_a_count_is_stored_and_audited(owner: FlaskClient, shop_engine: Engine) -> None:
    place_order(shop_engine, {"carrot": 2})

    status, page = set_count(owner, "carrot", " 5 ")

    assert status == 303
    assert "carrot: stock set to 5 (was 0)." in page
    assert stock_of(shop_engine, "carrot") == 5
    (event,) = [e for e in audit_events(shop_engine) if e.action == "stock.set"]
    assert (event.target, event.detail) == ("carrot", {"from": 0, "to": 5})


def test_a_product_never_ordered_starts_from_its_opening_stock(
    owner: FlaskClient, shop_engine: Engine
) -> None:
    status, _ = set_count(owner, "choc", "0")
    assert status == 303
    assert stock_of(shop_engine, "choc") == 0
    (event,) = [e for e in audit_events(shop_engine) if e.action == "stock.set"]
    assert event.detail == {"from": 6, "to": 0}
    assert "sold out" in owner.get("/console/stock").get_data(as_text=True)


@pytest.mark.parametrize(
    ("product", "quantity", "message"),
    [
        ("choc", "-1", "The stock must be a whole number from 0 to 1000000."),
        ("choc", "2.5", "The stock must be a whole number from 0 to 1000000."),
        ("choc", "ten", "The stock must be a whole number from 0 to 1000000."),
        ("choc", "", "The stock must be a whole number from 0 to 1000000."),
        ("choc", "١٢", "The stock must be a whole number from 0 to 1000000."),
        ("choc", "1000001", "The stock must be a whole number from 0 to 1000000."),
        ("cookies", "3", "&#39;cookies&#39; is not a product with limited stock."),
        ("nope", "3", "&#39;nope&#39; is not a product with limited stock."),
    ],
    ids=[
        "negative",
        "decimal",
        "words",
        "empty",
        "arabic-digits",
        "too-many",
        "unlimited",
        "unknown",
    ],
)
def test_a_bad_count_is_a_400_and_changes_nothing(
    owner: FlaskClient, shop_engine: Engine, product: str, quantity: str, message: str
) -> None:
    status, page = set_count(owner, product, quantity)
    assert status == 400
    assert message in page
    assert stock_of(shop_engine, "choc") is None  # not even seeded
    assert stock_of(shop_engine, product) is None
    assert [e for e in audit_events(shop_engine) if e.action == "stock.set"] == []


def test_an_agent_cannot_set_stock(logged_in: Login, shop_engine: Engine) -> None:
    agent = logged_in("agent")
    token = csrf_of(agent, "/console/account")
    answer = agent.post(
        "/console/stock", data={"csrf_token": token, "product": "choc", "quantity": "1"}
    )
    assert answer.status_code == 403
    assert stock_of(shop_engine, "choc") is None


def test_setting_stock_needs_the_csrf_token(owner: FlaskClient, shop_engine: Engine) -> None:
    answer = owner.post("/console/stock", data={"product": "choc", "quantity": "1"})
    assert answer.status_code == 400
    assert stock_of(shop_engine, "choc") is None
