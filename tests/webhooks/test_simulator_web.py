"""The simulator's page and JSON endpoints over HTTP: login, CSRF, the conversation, bad input."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, render_template
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine

from storage.db import make_engine
from storage.models import utcnow
from tests.console.consolekit import Login, csrf_of
from tests.webhooks.test_simulator import row_counts
from tests.webhooks.test_simulator_view import OUTBOUND
from webhooks.simulator import Entry, message_view

PAGE = "/console/simulator"


@pytest.fixture
def simulator_engine(simulator_url: str) -> Iterator[Engine]:
    """The database the simulator of ``shop_app`` uses."""
    engine = make_engine(simulator_url)
    yield engine
    engine.dispose()


@pytest.fixture
def owner(logged_in: Login, simulator_engine: Engine) -> FlaskClient:
    return logged_in("owner")


def post(client: FlaskClient, action: str, body: dict[str, Any]) -> Any:
    """POST ``body`` as JSON to an action, with the CSRF header fetch() sends."""
    return client.post(
        f"{PAGE}/{action}", json=body, headers={"X-CSRFToken": csrf_of(client, PAGE)}
    )


@pytest.mark.parametrize("path", [PAGE, f"{PAGE}/transcript"])
def test_a_stranger_is_sent_to_the_login(shop_app: Flask, path: str) -> None:
    answer = shop_app.test_client().get(path)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/console/login")


def test_a_stranger_cannot_post(shop_app: Flask) -> None:
    answer = shop_app.test_client().post(f"{PAGE}/text", json={"text": "hi"})
    assert answer.status_code == 302


def test_owners_and_agents_see_it_in_the_menu(
    logged_in: Login,
    simulator_engine: Engine,
) -> None:
    for role in ("owner", "agent"):
        page = logged_in(role).get(PAGE)
        assert page.status_code == 200
        assert f'href="{PAGE}"' in page.get_data(as_text=True)


def test_a_post_without_its_csrf_token_is_refused(owner: FlaskClient) -> None:
    answer = owner.post(f"{PAGE}/text", json={"text": "hi"})
    assert answer.status_code == 400
    assert owner.get(f"{PAGE}/transcript").get_json()["messages"] == []


def test_text_then_tap_through_the_json_endpoints(owner: FlaskClient) -> None:
    answer = post(owner, "text", {"text": "hi"})

    assert answer.status_code == 200
    said, menu = answer.get_json()["messages"]
    assert (said["side"], said["body"]) == ("customer", "hi")
    assert menu["kind"] == "list"
    assert "Order cakes &amp; treats" in answer.get_json()["html"]

    tapped = post(owner, "tap", {"message": menu["message_id"], "index": 0}).get_json()
    assert tapped["messages"][2]["kind"] == "reply"
    assert tapped["messages"][3]["button"] == "Categories"
    assert owner.get(f"{PAGE}/transcript").get_json()["messages"] == tapped["messages"]


def test_location_media_and_start_over(owner: FlaskClient, simulator_engine: Engine) -> None:
    post(owner, "text", {"text": "hi"})
    kinds = [
        (m["side"], m["kind"])
        for m in post(owner, "location", {"latitude": "40.4", "longitude": "-3.7"}).get_json()[
            "messages"
        ]
    ]
    assert ("customer", "location") in kinds
    media = post(owner, "media", {"kind": "sticker"}).get_json()["messages"]
    assert ("customer", "media") in [(m["side"], m["kind"]) for m in media]

    again = post(owner, "reset", {}).get_json()
    assert again["messages"] == []
    assert "Say <em>hi</em> to start" in again["html"]
    assert "waflow_conversation" not in row_counts(simulator_engine)


@pytest.mark.parametrize(
    ("action", "body", "error"),
    [
        pytest.param("text", {"text": "  "}, "Type a message first.", id="empty-text"),
        pytest.param(
            "text",
            {"text": "x" * 4097},
            "WhatsApp takes at most 4096 characters here.",
            id="long-text",
        ),
        pytest.param("text", {"text": 5}, "Type a message first.", id="text-not-a-string"),
        pytest.param(
            "tap",
            {"message": 999, "index": 0},
            "That choice is no longer offered: tap one in the conversation.",
            id="tap-unknown-message",
        ),
        pytest.param(
            "tap",
            {"message": "x", "index": None},
            "That choice is no longer offered: tap one in the conversation.",
            id="tap-not-numbers",
        ),
        pytest.param(
            "location",
            {"latitude": 91, "longitude": 0},
            "The latitude is a number from -90 to 90.",
            id="latitude",
        ),
        pytest.param(
            "location",
            {"latitude": 0, "longitude": "nan"},
            "The longitude is a number from -180 to 180.",
            id="longitude-nan",
        ),
        pytest.param(
            "media",
            {"kind": "hologram"},
            "Choose an image, video, audio, document or sticker.",
            id="media-kind",
        ),
    ],
)
def test_bad_input_gets_a_clear_error_and_stores_nothing(
    owner: FlaskClient, simulator_engine: Engine, action: str, body: dict[str, Any], error: str
) -> None:
    answer = post(owner, action, body)

    assert answer.status_code == 400
    assert answer.get_json() == {"error": error}
    assert "waflow_inbound" not in row_counts(simulator_engine)


def test_an_unknown_action_is_404(owner: FlaskClient) -> None:
    assert post(owner, "dance", {}).status_code == 404


def test_without_javascript_forms_post_and_come_back(owner: FlaskClient) -> None:
    token = csrf_of(owner, PAGE)
    sent = owner.post(f"{PAGE}/text", data={"text": "hi", "csrf_token": token})
    assert sent.status_code == 303
    assert sent.headers["Location"] == PAGE

    page = owner.get(PAGE).get_data(as_text=True)
    message = re.search(r'name="message" value="(\d+)"', page)
    assert message is not None
    tapped = owner.post(
        f"{PAGE}/tap", data={"message": message.group(1), "index": "0", "csrf_token": token}
    )
    assert tapped.status_code == 303
    assert "Categories" in owner.get(PAGE).get_data(as_text=True)

    refused = owner.post(f"{PAGE}/text", data={"text": "", "csrf_token": token})
    assert refused.status_code == 303
    assert "Type a message first." in owner.get(PAGE).get_data(as_text=True)


def test_customer_text_is_escaped_on_the_page(owner: FlaskClient) -> None:
    post(owner, "text", {"text": "<script>alert(1)</script>"})

    page = owner.get(PAGE).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_the_shops_database_gets_nothing(owner: FlaskClient, shop_engine: Engine) -> None:
    before = row_counts(shop_engine)
    post(owner, "text", {"text": "hi"})
    assert row_counts(shop_engine) == before


def test_a_database_failure_is_a_clear_503(owner: FlaskClient, simulator_engine: Engine) -> None:
    post(owner, "text", {"text": "hi"})
    with simulator_engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE waflow_inbound")

    answer = post(owner, "text", {"text": "hi again"})

    assert answer.status_code == 503
    assert answer.get_json() == {
        "error": "The simulator's database is not usable right now; try again later."
    }


@pytest.mark.parametrize(("payload", "expected"), OUTBOUND)
def test_every_kind_is_drawn(
    shop_app: Flask,
    payload: dict[str, Any],
    expected: dict[str, Any],
) -> None:
    view = message_view(payload)
    with shop_app.test_request_context(PAGE):
        html = render_template("simulator/_transcript.html", entries=[Entry(utcnow(), view, 7)])

    assert f"sim-msg sim-bot sim-kind-{view['kind']}" in html
    for choice in view.get("buttons") or []:
        assert f">{choice['title']}</button>" in html
    if view["kind"] == "list":
        assert html.count('name="message" value="7"') == 2  # a form per row
    if view["kind"] == "cta_url" and view["cta"]["url"]:
        assert f'href="{view["cta"]["url"]}"' in html
    if view["kind"] == "template":
        assert "<li>€9.90</li>" in html
    if view["kind"] == "media" and view["media"]["link"]:
        assert f'href="{view["media"]["link"]}"' in html


def test_a_product_is_drawn_with_its_name_price_and_description(shop_app: Flask) -> None:
    product = {"id": "S1", "name": "<b>Cake</b>", "price": "€32.00", "description": "Dark"}
    view = {"side": "bot", "kind": "product", "body": None, "products": [product]}
    with shop_app.test_request_context(PAGE):
        html = render_template("simulator/_transcript.html", entries=[Entry(utcnow(), view, 7)])

    assert "&lt;b&gt;Cake&lt;/b&gt;</strong>" in html  # escaped, as every catalog text
    assert '<span class="sim-product-price">€32.00</span>' in html
    assert '<small class="sim-product-description">Dark</small>' in html
