"""The simulator's view model: every kind of outbound message as the page renders it."""

from __future__ import annotations

from typing import Any

import pytest
from markupsafe import Markup

from bot import messages, simulate
from bot.inbound import Message, parse_payload
from flows.features.business import BusinessConfig, parse_business
from webhooks.simulator import Choice, choices, customer_view, format_text, message_view

TO = "15550000001"
LIST = messages.list_message(
    TO,
    "Pick a *cake*",
    "Cakes",
    [
        messages.Section("Whole", [messages.Row("choc", "Chocolate", "€32.00")]),
        messages.Section("Slices", [messages.Row("lemon", "Lemon")]),
    ],
    header="Menu",
    footer="Miga",
)
TEMPLATE = messages.template(
    TO,
    "order_update",
    "en_GB",
    [
        messages.header_params({"type": "image", "image": {"link": "https://x.example/a.jpg"}}),
        messages.body_params(
            "Ana", messages.currency_param("€9.90", "EUR", 9900), messages.date_time_param("Mar 3")
        ),
        messages.button_param(0, "url", "MG-7F3K2"),
    ],
)


OUTBOUND = [
    pytest.param(
        messages.text(TO, "Hi *Ana*, _fresh_ ~old~ ```a*b*c```"),
        {
            "kind": "text",
            "body": "Hi <strong>Ana</strong>, <em>fresh</em> <s>old</s> <code>a*b*c</code>",
        },
        id="text-formatting",
    ),
    pytest.param(
        messages.buttons(TO, "Pay?", [("yes", "Yes"), ("no", "No")], header="Order"),
        {
            "kind": "buttons",
            "header": "Order",
            "body": "Pay?",
            "footer": None,
            "buttons": [
                {"kind": "button", "id": "yes", "title": "Yes", "description": None},
                {"kind": "button", "id": "no", "title": "No", "description": None},
            ],
        },
        id="buttons",
    ),
    pytest.param(
        LIST,
        {
            "kind": "list",
            "header": "Menu",
            "body": "Pick a <strong>cake</strong>",
            "footer": "Miga",
            "button": "Cakes",
            "sections": [
                {
                    "title": "Whole",
                    "rows": [
                        {
                            "kind": "list",
                            "id": "choc",
                            "title": "Chocolate",
                            "description": "€32.00",
                        }
                    ],
                },
                {
                    "title": "Slices",
                    "rows": [
                        {"kind": "list", "id": "lemon", "title": "Lemon", "description": None}
                    ],
                },
            ],
        },
        id="list",
    ),
    pytest.param(
        messages.cta_url(TO, "Order MG-1", "Pay €9.90", "https://pay.example/s/1"),
        {
            "kind": "cta_url",
            "body": "Order MG-1",
            "cta": {"text": "Pay €9.90", "url": "https://pay.example/s/1"},
        },
        id="cta_url",
    ),
    pytest.param(
        {
            "type": "interactive",
            "interactive": {
                "type": "cta_url",
                "body": {"text": "Tap"},
                "action": {
                    "name": "cta_url",
                    "parameters": {"display_text": "Go", "url": "javascript:alert(1)"},
                },
            },
        },
        {"kind": "cta_url", "cta": {"text": "Go", "url": None}},
        id="cta_url-not-a-web-link",
    ),
    pytest.param(
        messages.location_request(TO, "Where shall we deliver?"),
        {"kind": "location_request", "body": "Where shall we deliver?"},
        id="location_request",
    ),
    pytest.param(
        messages.product(TO, "cat1", "MIGA-CHOC", body="Our best"),
        {
            "kind": "product",
            "body": "Our best",
            "products": [
                {"id": "MIGA-CHOC", "name": "MIGA-CHOC", "price": None, "description": None}
            ],
        },
        id="product",
    ),
    pytest.param(
        messages.product_list(
            TO, "cat1", "Cakes", "Pick", [messages.ProductSection("All", ["A", "B"])]
        ),
        {
            "kind": "product_list",
            "header": "Cakes",
            "sections": [
                {
                    "title": "All",
                    "products": [
                        {"id": "A", "name": "A", "price": None, "description": None},
                        {"id": "B", "name": "B", "price": None, "description": None},
                    ],
                }
            ],
        },
        id="product_list",
    ),
    pytest.param(
        {
            "messaging_product": "whatsapp",
            "to": TO,
            "type": "location",
            "location": {
                "latitude": 40.4,
                "longitude": -3.7,
                "name": "Miga",
                "address": "C/ F",
            },
        },
        {
            "kind": "location",
            "location": {
                "latitude": 40.4,
                "longitude": -3.7,
                "name": "Miga",
                "address": "C/ F",
                "map": "https://www.openstreetmap.org/?mlat=40.4&mlon=-3.7#map=17/40.4/-3.7",
            },
        },
        id="location",
    ),
    pytest.param(
        messages.image(TO, link="https://miga.example/a.jpg", caption="*New*"),
        {
            "kind": "media",
            "caption": "<strong>New</strong>",
            "media": {
                "kind": "image",
                "link": "https://miga.example/a.jpg",
                "id": None,
                "filename": None,
            },
        },
        id="image-link",
    ),
    pytest.param(
        messages.document(TO, media_id="123", filename="book.pdf"),
        {
            "kind": "media",
            "caption": None,
            "media": {"kind": "document", "link": None, "id": "123", "filename": "book.pdf"},
        },
        id="document-id",
    ),
    pytest.param(
        messages.video(TO, link="http://plain.example/v.mp4"),
        {"media": {"kind": "video", "link": None, "id": None, "filename": None}},
        id="video-http-link-is-not-linked",
    ),
    pytest.param(
        messages.audio(TO, media_id="9"),
        {"media": {"kind": "audio", "link": None, "id": "9", "filename": None}},
        id="audio",
    ),
    pytest.param(
        messages.sticker(TO, media_id="8"),
        {"media": {"kind": "sticker", "link": None, "id": "8", "filename": None}},
        id="sticker",
    ),
    pytest.param(
        TEMPLATE,
        {
            "kind": "template",
            "template": {
                "name": "order_update",
                "language": "en_GB",
                "header": ["(image https://x.example/a.jpg)"],
                "body": ["Ana", "€9.90", "Mar 3"],
                "buttons": [{"sub_type": "url", "value": ["MG-7F3K2"]}],
            },
        },
        id="template",
    ),
    pytest.param(
        messages.reaction(TO, "wamid.X", "👍"),
        {"kind": "reaction", "text": "👍"},
        id="reaction",
    ),
    pytest.param(
        messages.contacts(TO, [{"name": {"formatted_name": "Lucia"}}]),
        {"kind": "contacts", "text": "(contacts: Lucia)"},
        id="contacts",
    ),
    pytest.param(
        {"type": "interactive", "interactive": {"type": "flow", "body": {"text": "Form"}}},
        {"kind": "other", "body": None, "text": "Form\n(interactive flow)"},
        id="unknown-interactive",
    ),
    pytest.param({"type": "text", "text": {}}, {"kind": "other", "text": "(text)"}, id="malformed"),
]
"""Every kind of outbound message, with what its view must hold."""


@pytest.mark.parametrize(("payload", "expected"), OUTBOUND)
def test_every_outbound_kind_has_a_view(payload: dict[str, Any], expected: dict[str, Any]) -> None:
    view = message_view(payload)
    assert view["side"] == "bot"
    assert {key: view.get(key) for key in expected} == expected


CATALOG = """\
business:
  name: Miga
  timezone: Europe/Madrid
  currency: EUR
  locale: es_ES
catalog:
  products:
    - {id: choc, title: Chocolate cake, price: "32.00", description: Dark, retailer_id: MIGA-CHOC}
    - {id: lemon, title: Lemon slice, price: "3.50"}
"""


@pytest.fixture
def miga() -> BusinessConfig:
    """A business whose catalog holds one product by its SKU and one by its id."""
    return parse_business(CATALOG, "miga.yaml")


def test_a_product_shows_its_name_price_and_description(miga: BusinessConfig) -> None:
    view = message_view(messages.product(TO, "cat1", "MIGA-CHOC", body="Yum"), business=miga)
    assert view["products"] == [
        {
            "id": "MIGA-CHOC",
            "name": "Chocolate cake",
            "price": miga.money(3200),
            "description": "Dark",
        }
    ]
    assert "32,00" in view["products"][0]["price"]  # the business's locale, not a bare number


def test_a_product_list_names_what_the_catalog_knows(miga: BusinessConfig) -> None:
    sections = [messages.ProductSection("All", ["lemon", "gone"])]
    payload = messages.product_list(TO, "cat1", "Cakes", "Pick", sections)
    products = message_view(payload, business=miga)["sections"][0]["products"]
    assert products == [
        {"id": "lemon", "name": "Lemon slice", "price": miga.money(350), "description": None},
        {"id": "gone", "name": "gone", "price": None, "description": None},
    ]


@pytest.mark.parametrize(
    ("text", "html"),
    [
        pytest.param(
            "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;", id="tag"
        ),
        pytest.param('*<b x="1">*', "<strong>&lt;b x=&#34;1&#34;&gt;</strong>", id="tag-in-bold"),
        pytest.param("snake_case_name and 2*3*4", "snake_case_name and 2*3*4", id="inside-words"),
        pytest.param("* not bold *", "* not bold *", id="spaces-inside"),
        pytest.param("*two\nlines*", "*two\nlines*", id="no-line-break"),
        pytest.param("_*both*_", "<em><strong>both</strong></em>", id="nested"),
    ],
)
def test_text_is_escaped_then_formatted(text: str, html: str) -> None:
    formatted = format_text(text)
    assert isinstance(formatted, Markup)
    assert str(formatted) == html


def test_choices_are_what_the_customer_can_tap() -> None:
    assert choices(LIST) == [
        Choice("list", "choc", "Chocolate", "€32.00"),
        Choice("list", "lemon", "Lemon"),
    ]
    assert choices(messages.text(TO, "hi")) == []


def test_a_tap_is_the_real_reply_body() -> None:
    list_tap = Choice("list", "choc", "Chocolate", "€32.00").payload(TO, "Ana")
    button_tap = Choice("button", "yes", "Yes").payload(TO, "Ana")
    list_message = list_tap["entry"][0]["changes"][0]["value"]["messages"][0]
    button_message = button_tap["entry"][0]["changes"][0]["value"]["messages"][0]
    assert list_message["interactive"] == {
        "type": "list_reply",
        "list_reply": {"id": "choc", "title": "Chocolate", "description": "€32.00"},
    }
    assert button_message["interactive"] == {
        "type": "button_reply",
        "button_reply": {"id": "yes", "title": "Yes"},
    }


def _inbound(payload: dict[str, Any]) -> Message:
    (message,) = parse_payload(payload)
    assert isinstance(message, Message)
    return message


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        pytest.param(
            simulate.text(TO, "<i>hi</i>"),
            {"kind": "text", "body": "&lt;i&gt;hi&lt;/i&gt;"},
            id="text",
        ),
        pytest.param(
            simulate.button_reply(TO, "yes", "Yes"), {"kind": "reply", "body": "Yes"}, id="button"
        ),
        pytest.param(
            simulate.list_reply(TO, "choc", "Chocolate"),
            {"kind": "reply", "body": "Chocolate"},
            id="list",
        ),
        pytest.param(
            simulate.location(TO, 1.5, 2.5, place="Home"),
            {
                "kind": "location",
                "location": {
                    "latitude": 1.5,
                    "longitude": 2.5,
                    "name": "Home",
                    "address": None,
                    "map": "https://www.openstreetmap.org/?mlat=1.5&mlon=2.5#map=17/1.5/2.5",
                },
            },
            id="location",
        ),
        pytest.param(
            simulate.media(TO, "image", caption="look"),
            {"kind": "media", "caption": "look"},
            id="image",
        ),
        pytest.param(
            simulate.message(TO, "contacts", {}),
            {"kind": "other", "text": "(contacts)"},
            id="other",
        ),
    ],
)
def test_every_customer_kind_has_a_view(payload: dict[str, Any], expected: dict[str, Any]) -> None:
    view = customer_view(_inbound(payload))
    assert view["side"] == "customer"
    assert {key: view.get(key) for key in expected} == expected
