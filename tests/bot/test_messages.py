"""Tests for ``bot.messages``: exact payload shapes, every hard limit, ``check``, ``describe``."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from bot import messages as m
from bot._limits import Checked, check_unless_built
from bot.errors import LimitError

TO = "16505551234"
WAMID = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA"


def s(n: int, char: str = "x") -> str:
    """A string of exactly ``n`` characters."""
    return char * n


def envelope(kind: str, obj: Any, **extra: Any) -> dict[str, Any]:
    """The common body every message shares, as Meta documents it."""
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": TO,
        "type": kind,
        kind: obj,
        **extra,
    }


def raw(kind: str, obj: Any, **extra: Any) -> dict[str, Any]:
    """A hand-written payload, as a flow author or the outbox would hold it."""
    return envelope(kind, obj, **extra)


# --- exact shapes ------------------------------------------------------------------------------

ORDER_UPDATE = {
    "type": "template",
    "template": {
        "name": "order_update",
        "language": {"code": "en_US"},
        "components": [
            {
                "type": "header",
                "parameters": [{"type": "image", "image": {"link": "https://x.io/a.png"}}],
            },
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": "Ana"},
                    {
                        "type": "currency",
                        "currency": {
                            "fallback_value": "$100.99",
                            "code": "USD",
                            "amount_1000": 100990,
                        },
                    },
                    {"type": "date_time", "date_time": {"fallback_value": "Feb 25"}},
                ],
            },
            {
                "type": "button",
                "sub_type": "quick_reply",
                "index": "0",
                "parameters": [{"type": "payload", "payload": "RESCHEDULE_8841"}],
            },
            {
                "type": "button",
                "sub_type": "url",
                "index": "1",
                "parameters": [{"type": "text", "text": "order/5521"}],
            },
        ],
    },
}

SHAPES = [
    pytest.param(
        lambda: m.text(TO, "Hello"),
        envelope("text", {"body": "Hello", "preview_url": False}),
        id="text",
    ),
    pytest.param(
        lambda: m.text(TO, "See https://x.io", preview_url=True, reply_to=WAMID),
        envelope(
            "text",
            {"body": "See https://x.io", "preview_url": True},
            context={"message_id": WAMID},
        ),
        id="text-preview-reply",
    ),
    pytest.param(
        lambda: m.buttons(TO, "Confirm?", [("yes", "Yes"), m.Button("no", "No")]),
        envelope(
            "interactive",
            {
                "type": "button",
                "body": {"text": "Confirm?"},
                "action": {
                    "buttons": [
                        {"type": "reply", "reply": {"id": "yes", "title": "Yes"}},
                        {"type": "reply", "reply": {"id": "no", "title": "No"}},
                    ]
                },
            },
        ),
        id="buttons",
    ),
    pytest.param(
        lambda: m.buttons(TO, "Body", [("a", "A")], header="Head", footer="Foot", reply_to=WAMID),
        envelope(
            "interactive",
            {
                "type": "button",
                "header": {"type": "text", "text": "Head"},
                "body": {"text": "Body"},
                "footer": {"text": "Foot"},
                "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "A"}}]},
            },
            context={"message_id": WAMID},
        ),
        id="buttons-header-footer-reply",
    ),
    pytest.param(
        lambda: m.list_message(TO, "Pick one", "Options", [m.Section(None, [m.Row("r1", "One")])]),
        envelope(
            "interactive",
            {
                "type": "list",
                "body": {"text": "Pick one"},
                "action": {
                    "button": "Options",
                    "sections": [{"rows": [{"id": "r1", "title": "One"}]}],
                },
            },
        ),
        id="list-one-untitled-section",
    ),
    pytest.param(
        lambda: m.list_message(
            TO,
            "Pick",
            "Menu",
            [
                m.Section("Pizza", [m.Row("p1", "Margherita", "Tomato, basil")]),
                m.Section("Drinks", [m.Row("d1", "Water")]),
            ],
            header="Our menu",
            footer="Prices incl. VAT",
            reply_to=WAMID,
        ),
        envelope(
            "interactive",
            {
                "type": "list",
                "header": {"type": "text", "text": "Our menu"},
                "body": {"text": "Pick"},
                "footer": {"text": "Prices incl. VAT"},
                "action": {
                    "button": "Menu",
                    "sections": [
                        {
                            "title": "Pizza",
                            "rows": [
                                {"id": "p1", "title": "Margherita", "description": "Tomato, basil"}
                            ],
                        },
                        {"title": "Drinks", "rows": [{"id": "d1", "title": "Water"}]},
                    ],
                },
            },
            context={"message_id": WAMID},
        ),
        id="list-sections-header-footer",
    ),
    pytest.param(
        lambda: m.cta_url(
            TO, "Your bill", "Pay now", "https://pay.example/1", header="Bill", footer="Thanks"
        ),
        envelope(
            "interactive",
            {
                "type": "cta_url",
                "header": {"type": "text", "text": "Bill"},
                "body": {"text": "Your bill"},
                "footer": {"text": "Thanks"},
                "action": {
                    "name": "cta_url",
                    "parameters": {"display_text": "Pay now", "url": "https://pay.example/1"},
                },
            },
        ),
        id="cta_url",
    ),
    pytest.param(
        lambda: m.location_request(TO, "Where are you?"),
        envelope(
            "interactive",
            {
                "type": "location_request_message",
                "body": {"text": "Where are you?"},
                "action": {"name": "send_location"},
            },
        ),
        id="location_request",
    ),
    pytest.param(
        lambda: m.image(TO, media_id="1234", caption="A cat"),
        envelope("image", {"id": "1234", "caption": "A cat"}),
        id="image-id-caption",
    ),
    pytest.param(
        lambda: m.video(TO, link="https://x.io/v.mp4", reply_to=WAMID),
        envelope("video", {"link": "https://x.io/v.mp4"}, context={"message_id": WAMID}),
        id="video-link-reply",
    ),
    pytest.param(lambda: m.audio(TO, media_id="55"), envelope("audio", {"id": "55"}), id="audio"),
    pytest.param(
        lambda: m.document(TO, link="https://x.io/x.pdf", filename="x.pdf", caption="Invoice"),
        envelope(
            "document", {"link": "https://x.io/x.pdf", "filename": "x.pdf", "caption": "Invoice"}
        ),
        id="document-link-filename",
    ),
    pytest.param(
        lambda: m.sticker(TO, media_id="77"), envelope("sticker", {"id": "77"}), id="sticker"
    ),
    pytest.param(
        lambda: m.media(TO, "image", link="http://x.io/a.png"),
        envelope("image", {"link": "http://x.io/a.png"}),
        id="media-generic",
    ),
    pytest.param(
        lambda: m.template(TO, "hello_world"),
        envelope("template", {"name": "hello_world", "language": {"code": "en_US"}}),
        id="template-no-components",
    ),
    pytest.param(
        lambda: m.template(
            TO,
            "order_update",
            components=[
                m.header_params({"type": "image", "image": {"link": "https://x.io/a.png"}}),
                m.body_params(
                    "Ana", m.currency_param("$100.99", "USD", 100990), m.date_time_param("Feb 25")
                ),
                m.button_param(0, "quick_reply", "RESCHEDULE_8841"),
                m.button_param(1, "url", "order/5521"),
            ],
        ),
        envelope("template", ORDER_UPDATE["template"]),
        id="template-order-update",
    ),
    pytest.param(
        lambda: m.template(TO, "greeting", "pt_BR", [m.body_params(first_name="Ana")]),
        envelope(
            "template",
            {
                "name": "greeting",
                "language": {"code": "pt_BR"},
                "components": [
                    {
                        "type": "body",
                        "parameters": [
                            {"type": "text", "parameter_name": "first_name", "text": "Ana"}
                        ],
                    }
                ],
            },
        ),
        id="template-named-params",
    ),
    pytest.param(
        lambda: m.reaction(TO, WAMID, "👍"),
        envelope("reaction", {"message_id": WAMID, "emoji": "👍"}),
        id="reaction",
    ),
    pytest.param(
        lambda: m.reaction(TO, WAMID, ""),
        envelope("reaction", {"message_id": WAMID, "emoji": ""}),
        id="reaction-removed",
    ),
    pytest.param(
        lambda: m.contacts(TO, [{"name": {"formatted_name": "Ana Silva", "first_name": "Ana"}}]),
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": TO,
            "type": "contacts",
            "contacts": [{"name": {"formatted_name": "Ana Silva", "first_name": "Ana"}}],
        },
        id="contacts",
    ),
    pytest.param(
        lambda: m.product(TO, "cat1", "sku1", body="Look", footer="Sale"),
        envelope(
            "interactive",
            {
                "type": "product",
                "body": {"text": "Look"},
                "footer": {"text": "Sale"},
                "action": {"catalog_id": "cat1", "product_retailer_id": "sku1"},
            },
        ),
        id="product",
    ),
    pytest.param(
        lambda: m.product(TO, "cat1", "sku1"),
        envelope(
            "interactive",
            {"type": "product", "action": {"catalog_id": "cat1", "product_retailer_id": "sku1"}},
        ),
        id="product-bare",
    ),
    pytest.param(
        lambda: m.product_list(
            TO,
            "cat1",
            "Our picks",
            "Have a look",
            [m.ProductSection("Shoes", ["s1", "s2"])],
            footer="F",
        ),
        envelope(
            "interactive",
            {
                "type": "product_list",
                "header": {"type": "text", "text": "Our picks"},
                "body": {"text": "Have a look"},
                "footer": {"text": "F"},
                "action": {
                    "catalog_id": "cat1",
                    "sections": [
                        {
                            "title": "Shoes",
                            "product_items": [
                                {"product_retailer_id": "s1"},
                                {"product_retailer_id": "s2"},
                            ],
                        }
                    ],
                },
            },
        ),
        id="product_list",
    ),
    pytest.param(
        lambda: m.mark_read(WAMID),
        {"messaging_product": "whatsapp", "status": "read", "message_id": WAMID},
        id="mark_read",
    ),
    pytest.param(
        lambda: m.mark_read(WAMID, typing=True),
        {
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": WAMID,
            "typing_indicator": {"type": "text"},
        },
        id="mark_read-typing",
    ),
]


@pytest.mark.parametrize(("build", "expected"), SHAPES)
def test_builder_produces_documented_shape(
    build: Callable[[], dict[str, Any]], expected: dict[str, Any]
) -> None:
    payload = build()
    assert payload == expected
    m.check(payload)  # what a builder returns always passes the checker the sender runs again


@pytest.mark.parametrize(
    ("sub_type", "parameter"),
    [
        pytest.param("quick_reply", {"type": "payload", "payload": "V"}, id="quick_reply-payload"),
        pytest.param("url", {"type": "text", "text": "V"}, id="url-text"),
        pytest.param(
            "catalog",
            {"type": "action", "action": {"thumbnail_product_retailer_id": "V"}},
            id="catalog",
        ),
        pytest.param("flow", {"type": "action", "action": {"flow_token": "V"}}, id="flow"),
    ],
)
def test_button_param_renders_parameter_per_sub_type(
    sub_type: Any, parameter: dict[str, Any]
) -> None:
    assert m.button_param(9, sub_type, "V") == {
        "type": "button",
        "sub_type": sub_type,
        "index": "9",
        "parameters": [parameter],
    }


def test_header_params_turns_strings_into_text_parameters() -> None:
    assert m.header_params("Ana") == {
        "type": "header",
        "parameters": [{"type": "text", "text": "Ana"}],
    }


# --- hard limits: rejected with the field and the limit -------------------------------------------


def many_rows(*counts: int) -> list[m.Section]:
    """Sections titled S0, S1... holding ``counts`` rows with ids unique across the list."""
    return [
        m.Section(f"S{i}", [m.Row(f"{i}-{j}", "Row") for j in range(n)])
        for i, n in enumerate(counts)
    ]


def products(*counts: int) -> list[m.ProductSection]:
    """Product sections holding ``counts`` products."""
    return [m.ProductSection(f"S{i}", [f"{i}-{j}" for j in range(n)]) for i, n in enumerate(counts)]


OK_ROWS = [m.Section(None, [m.Row("r", "Row")])]

REJECTED = [
    pytest.param(
        lambda: m.text(TO, s(4097)), "text.body", "at most 4096 characters", id="text-too-long"
    ),
    pytest.param(lambda: m.text(TO, ""), "text.body", "at least 1 character", id="text-empty"),
    pytest.param(lambda: m.text("", "hi"), "to", "at least 1 character", id="to-empty"),
    pytest.param(
        lambda: m.text(TO, "hi", reply_to=""),
        "context.message_id",
        "at least 1",
        id="reply_to-empty",
    ),
    pytest.param(
        lambda: m.buttons(TO, "b", []),
        "interactive.action.buttons",
        "at least 1 button",
        id="no-buttons",
    ),
    pytest.param(
        lambda: m.buttons(TO, "b", [(str(i), str(i)) for i in range(4)]),
        "interactive.action.buttons[3]",
        "at most 3 buttons",
        id="four-buttons",
    ),
    pytest.param(
        lambda: m.buttons(TO, "b", [("a", s(21))]),
        "interactive.action.buttons[0].reply.title",
        "at most 20 characters",
        id="button-title-too-long",
    ),
    pytest.param(
        lambda: m.buttons(TO, "b", [("a", "")]),
        "interactive.action.buttons[0].reply.title",
        "at least 1 character",
        id="button-title-empty",
    ),
    pytest.param(
        lambda: m.buttons(TO, "b", [(s(257), "T")]),
        "interactive.action.buttons[0].reply.id",
        "at most 256 characters",
        id="button-id-too-long",
    ),
    pytest.param(
        lambda: m.buttons(TO, "b", [("", "T")]),
        "interactive.action.buttons[0].reply.id",
        "at least 1 character",
        id="button-id-empty",
    ),
    pytest.param(
        lambda: m.buttons(TO, "b", [(" yes", "Yes")]),
        "interactive.action.buttons[0].reply.id",
        "leading and trailing spaces",
        id="button-id-leading-space",
    ),
    pytest.param(
        lambda: m.buttons(TO, "b", [("yes ", "Yes")]),
        "interactive.action.buttons[0].reply.id",
        "leading and trailing spaces",
        id="button-id-trailing-space",
    ),
    pytest.param(
        lambda: m.buttons(TO, "b", [("a", "Same"), ("b", "Same")]),
        "interactive.action.buttons[1].reply.title",
        "unique",
        id="button-titles-duplicate",
    ),
    pytest.param(
        lambda: m.buttons(TO, "b", [("a", "One"), ("a", "Two")]),
        "interactive.action.buttons[1].reply.id",
        "unique",
        id="button-ids-duplicate",
    ),
    pytest.param(
        lambda: m.buttons(TO, s(1025), [("a", "A")]),
        "interactive.body.text",
        "at most 1024",
        id="button-body",
    ),
    pytest.param(
        lambda: m.buttons(TO, "", [("a", "A")]),
        "interactive.body.text",
        "at least 1",
        id="button-body-empty",
    ),
    pytest.param(
        lambda: m.buttons(TO, "b", [("a", "A")], header=s(61)),
        "interactive.header.text",
        "at most 60 characters",
        id="header-too-long",
    ),
    pytest.param(
        lambda: m.buttons(TO, "b", [("a", "A")], footer=s(61)),
        "interactive.footer.text",
        "at most 60 characters",
        id="footer-too-long",
    ),
    pytest.param(
        lambda: m.buttons(TO, "b", [("a", "A")], footer=""),
        "interactive.footer.text",
        "at least 1 character",
        id="footer-empty",
    ),
    pytest.param(
        lambda: m.list_message(TO, s(1025), "Menu", OK_ROWS),
        "interactive.body.text",
        "at most 1024",
        id="list-body",
    ),
    pytest.param(
        lambda: m.list_message(TO, "b", s(21), OK_ROWS),
        "interactive.action.button",
        "at most 20 characters",
        id="list-button-label-too-long",
    ),
    pytest.param(
        lambda: m.list_message(TO, "b", "", OK_ROWS),
        "interactive.action.button",
        "at least 1 character",
        id="list-button-label-empty",
    ),
    pytest.param(
        lambda: m.list_message(TO, "b", "Menu", []),
        "interactive.action.sections",
        "at least 1 section",
        id="list-no-sections",
    ),
    pytest.param(
        lambda: m.list_message(TO, "b", "Menu", many_rows(*[1] * 11)),
        "interactive.action.sections[10]",
        "at most 10 sections",
        id="list-eleven-sections",
    ),
    pytest.param(
        lambda: m.list_message(TO, "b", "Menu", many_rows(11)),
        "interactive.action.sections[0].rows[10]",
        "at most 10 rows across all sections",
        id="list-eleven-rows-one-section",
    ),
    pytest.param(
        lambda: m.list_message(TO, "b", "Menu", many_rows(6, 6)),
        "interactive.action.sections[1].rows[4]",
        "at most 10 rows across all sections",
        id="list-twelve-rows-two-sections",
    ),
    pytest.param(
        lambda: m.list_message(TO, "b", "Menu", [m.Section("S", [])]),
        "interactive.action.sections[0].rows",
        "at least 1 row",
        id="list-empty-section",
    ),
    pytest.param(
        lambda: m.list_message(TO, "b", "Menu", [m.Section("S", [m.Row(s(201), "T")])]),
        "interactive.action.sections[0].rows[0].id",
        "at most 200 characters",
        id="row-id-too-long",
    ),
    pytest.param(
        lambda: m.list_message(
            TO, "b", "Menu", [m.Section(None, [m.Row("a", "T"), m.Row("a", "U")])]
        ),
        "interactive.action.sections[0].rows[1].id",
        "unique",
        id="row-ids-duplicate",
    ),
    pytest.param(
        lambda: m.list_message(
            TO, "b", "Menu", [m.Section("A", [m.Row("a", "T")]), m.Section("B", [m.Row("a", "U")])]
        ),
        "interactive.action.sections[1].rows[0].id",
        "unique",
        id="row-ids-duplicate-across-sections",
    ),
    pytest.param(
        lambda: m.list_message(TO, "b", "Menu", [m.Section(None, [m.Row("a", s(25))])]),
        "interactive.action.sections[0].rows[0].title",
        "at most 24 characters",
        id="row-title-too-long",
    ),
    pytest.param(
        lambda: m.list_message(TO, "b", "Menu", [m.Section(None, [m.Row("a", "T", s(73))])]),
        "interactive.action.sections[0].rows[0].description",
        "at most 72 characters",
        id="row-description-too-long",
    ),
    pytest.param(
        lambda: m.list_message(TO, "b", "Menu", [m.Section(s(25), [m.Row("a", "T")])]),
        "interactive.action.sections[0].title",
        "at most 24 characters",
        id="section-title-too-long",
    ),
    pytest.param(
        lambda: m.list_message(
            TO, "b", "Menu", [m.Section("A", [m.Row("a", "T")]), m.Section(None, [m.Row("b", "U")])]
        ),
        "interactive.action.sections[1].title",
        "more than one section",
        id="section-title-missing-with-two-sections",
    ),
    pytest.param(
        lambda: m.cta_url(TO, "b", s(21), "https://x.io"),
        "interactive.action.parameters.display_text",
        "at most 20 characters",
        id="cta-display-text-too-long",
    ),
    pytest.param(
        lambda: m.cta_url(TO, "b", "Go", "ftp://x.io/file"),
        "interactive.action.parameters.url",
        "http:// or https://",
        id="cta-url-not-http",
    ),
    pytest.param(
        lambda: m.cta_url(TO, "b", "Go", "x.io/pay"),
        "interactive.action.parameters.url",
        "http:// or https://",
        id="cta-url-no-scheme",
    ),
    pytest.param(
        lambda: m.cta_url(TO, s(1025), "Go", "https://x.io"),
        "interactive.body.text",
        "at most 1024",
        id="cta-body",
    ),
    pytest.param(
        lambda: m.location_request(TO, s(1025)),
        "interactive.body.text",
        "at most 1024",
        id="location-request-body",
    ),
    pytest.param(
        lambda: m.image(TO, media_id="1", caption=s(1025)),
        "image.caption",
        "at most 1024",
        id="caption",
    ),
    pytest.param(
        lambda: m.image(TO), "image", "exactly one of id or link", id="media-neither-id-nor-link"
    ),
    pytest.param(
        lambda: m.image(TO, media_id="1", link="https://x.io/a.png"),
        "image",
        "exactly one",
        id="media-both",
    ),
    pytest.param(
        lambda: m.image(TO, link="file:///etc/passwd"),
        "image.link",
        "https://",
        id="media-link-not-http",
    ),
    pytest.param(
        lambda: m.media(TO, "audio", media_id="1", caption="c"),
        "audio.caption",
        "absent",
        id="audio-caption",
    ),
    pytest.param(
        lambda: m.media(TO, "sticker", media_id="1", caption="c"),
        "sticker.caption",
        "absent",
        id="sticker-caption",
    ),
    pytest.param(
        lambda: m.media(TO, "image", media_id="1", filename="a.png"),
        "image.filename",
        "absent",
        id="image-filename",
    ),
    pytest.param(
        lambda: m.media(TO, "gif", media_id="1"),  # type: ignore[arg-type]
        "type",
        "one of image",
        id="media-unknown-kind",
    ),
    pytest.param(
        lambda: m.template(TO, ""), "template.name", "at least 1", id="template-name-empty"
    ),
    pytest.param(
        lambda: m.template(TO, "t", ""),
        "template.language.code",
        "at least 1",
        id="template-language-empty",
    ),
    pytest.param(
        lambda: m.template(TO, "t", components=[m.body_params("")]),
        "template.components[0].parameters[0].text",
        "at least 1",
        id="template-text-param-empty",
    ),
    pytest.param(
        lambda: m.button_param(10, "url", "x"),
        "button.index",
        "from 0 to 9",
        id="button-param-index-10",
    ),
    pytest.param(
        lambda: m.button_param(-1, "url", "x"),
        "button.index",
        "from 0 to 9",
        id="button-param-index-negative",
    ),
    pytest.param(
        lambda: m.button_param(0, "voice", "x"),  # type: ignore[arg-type]
        "button.sub_type",
        "quick_reply",
        id="button-param-sub-type",
    ),
    pytest.param(
        lambda: m.reaction(TO, "", "👍"),
        "reaction.message_id",
        "at least 1",
        id="reaction-no-target",
    ),
    pytest.param(
        lambda: m.contacts(TO, []), "contacts", "at least 1 contact card", id="contacts-none"
    ),
    pytest.param(
        lambda: m.contacts(TO, [{"name": {"formatted_name": str(i)}} for i in range(6)]),
        "contacts[5]",
        "at most 5 contact cards",
        id="contacts-six",
    ),
    pytest.param(
        lambda: m.contacts(TO, [{"name": {"first_name": "Ana"}}]),
        "contacts[0].name.formatted_name",
        "a string",
        id="contact-without-formatted-name",
    ),
    pytest.param(
        lambda: m.product(TO, "c", "p", body=s(1025)),
        "interactive.body.text",
        "at most 1024",
        id="product-body",
    ),
    pytest.param(
        lambda: m.product(TO, "", "p"),
        "interactive.action.catalog_id",
        "at least 1",
        id="product-no-catalog",
    ),
    pytest.param(
        lambda: m.product_list(TO, "c", "", "b", products(1)),
        "interactive.header.text",
        "at least 1",
        id="product-list-header-empty",
    ),
    pytest.param(
        lambda: m.product_list(TO, "c", "h", "b", products(*[1] * 11)),
        "interactive.action.sections[10]",
        "at most 10 sections",
        id="product-list-eleven-sections",
    ),
    pytest.param(
        lambda: m.product_list(TO, "c", "h", "b", products(10, 10, 11)),
        "interactive.action.sections[2].product_items[10]",
        "at most 30 products across all sections",
        id="product-list-31-products",
    ),
    pytest.param(
        lambda: m.product_list(TO, "c", "h", "b", [m.ProductSection(s(25), ["a"])]),
        "interactive.action.sections[0].title",
        "at most 24 characters",
        id="product-section-title-too-long",
    ),
    pytest.param(lambda: m.mark_read(""), "message_id", "at least 1", id="mark-read-empty"),
    pytest.param(
        lambda: m.with_recipient(m.text(TO, "hi"), ""), "to", "non-empty", id="with-recipient-empty"
    ),
]


@pytest.mark.parametrize(("build", "field", "limit"), REJECTED)
def test_limit_is_rejected_naming_field_and_limit(
    build: Callable[[], object], field: str, limit: str
) -> None:
    with pytest.raises(LimitError) as caught:
        build()
    assert caught.value.field == field
    assert limit in caught.value.limit
    assert str(caught.value).startswith(f"{field} must be ")


def test_error_message_reads_as_a_sentence() -> None:
    with pytest.raises(
        LimitError, match=r"^text\.body must be at most 4096 characters \(got 4097 characters\)$"
    ):
        m.text(TO, s(4097))


def test_limit_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"reply\.title"):
        m.buttons(TO, "b", [("a", s(21))])


# --- boundaries: exactly at the limit passes, one more fails --------------------------------------

BOUNDARIES = [
    pytest.param(lambda n: m.text(TO, s(n)), m.MAX_TEXT, "text.body", id="text-body"),
    pytest.param(
        lambda n: m.image(TO, media_id="1", caption=s(n)),
        m.MAX_CAPTION,
        "image.caption",
        id="caption",
    ),
    pytest.param(
        lambda n: m.buttons(TO, "b", [("a", s(n))]),
        m.MAX_BUTTON_TITLE,
        "interactive.action.buttons[0].reply.title",
        id="button-title",
    ),
    pytest.param(
        lambda n: m.buttons(TO, "b", [(s(n), "T")]),
        m.MAX_BUTTON_ID,
        "interactive.action.buttons[0].reply.id",
        id="button-id",
    ),
    pytest.param(
        lambda n: m.buttons(TO, "b", [("a", "A")], header=s(n)),
        m.MAX_HEADER_TEXT,
        "interactive.header.text",
        id="header",
    ),
    pytest.param(
        lambda n: m.buttons(TO, "b", [("a", "A")], footer=s(n)),
        m.MAX_FOOTER,
        "interactive.footer.text",
        id="footer",
    ),
    pytest.param(
        lambda n: m.buttons(TO, s(n), [("a", "A")]),
        m.MAX_INTERACTIVE_BODY,
        "interactive.body.text",
        id="button-body",
    ),
    pytest.param(
        lambda n: m.list_message(TO, s(n), "M", OK_ROWS),
        m.MAX_INTERACTIVE_BODY,
        "interactive.body.text",
        id="list-body",
    ),
    pytest.param(
        lambda n: m.list_message(TO, "b", s(n), OK_ROWS),
        m.MAX_LIST_BUTTON,
        "interactive.action.button",
        id="list-button",
    ),
    pytest.param(
        lambda n: m.list_message(TO, "b", "M", [m.Section(None, [m.Row(s(n), "T")])]),
        m.MAX_ROW_ID,
        "interactive.action.sections[0].rows[0].id",
        id="row-id",
    ),
    pytest.param(
        lambda n: m.list_message(TO, "b", "M", [m.Section(None, [m.Row("a", s(n))])]),
        m.MAX_ROW_TITLE,
        "interactive.action.sections[0].rows[0].title",
        id="row-title",
    ),
    pytest.param(
        lambda n: m.list_message(TO, "b", "M", [m.Section(None, [m.Row("a", "T", s(n))])]),
        m.MAX_ROW_DESCRIPTION,
        "interactive.action.sections[0].rows[0].description",
        id="row-description",
    ),
    pytest.param(
        lambda n: m.list_message(TO, "b", "M", [m.Section(s(n), [m.Row("a", "T")])]),
        m.MAX_SECTION_TITLE,
        "interactive.action.sections[0].title",
        id="section-title",
    ),
    pytest.param(
        lambda n: m.cta_url(TO, "b", s(n), "https://x.io"),
        m.MAX_CTA_DISPLAY_TEXT,
        "interactive.action.parameters.display_text",
        id="cta-display-text",
    ),
    pytest.param(
        lambda n: m.check(raw("text", {"body": "hi"}, biz_opaque_callback_data=s(n))),
        m.MAX_CALLBACK_DATA,
        "biz_opaque_callback_data",
        id="callback-data",
    ),
    pytest.param(
        lambda n: m.check(
            raw(
                "interactive",
                {
                    "type": "flow",
                    "body": {"text": "b"},
                    "action": {"name": "flow", "parameters": {"flow_cta": s(n)}},
                },
            )
        ),
        m.MAX_FLOW_CTA,
        "interactive.action.parameters.flow_cta",
        id="flow-cta",
    ),
]


@pytest.mark.parametrize(("build", "limit", "field"), BOUNDARIES)
def test_exactly_at_limit_is_accepted(
    build: Callable[[int], object], limit: int, field: str
) -> None:
    build(limit)  # no LimitError


@pytest.mark.parametrize(("build", "limit", "field"), BOUNDARIES)
def test_one_over_limit_is_rejected(build: Callable[[int], object], limit: int, field: str) -> None:
    with pytest.raises(LimitError) as caught:
        build(limit + 1)
    assert caught.value.field == field
    assert caught.value.limit == f"at most {limit} characters"
    assert caught.value.actual == f"{limit + 1} characters"


COUNT_BOUNDARIES = [
    pytest.param(
        lambda n: m.buttons(TO, "b", [(str(i), str(i)) for i in range(n)]),
        m.MAX_BUTTONS,
        id="buttons",
    ),
    pytest.param(
        lambda n: m.list_message(TO, "b", "M", many_rows(n)), m.MAX_LIST_ROWS, id="list-rows"
    ),
    pytest.param(
        lambda n: m.list_message(TO, "b", "M", many_rows(*[1] * n)),
        m.MAX_LIST_SECTIONS,
        id="list-sections",
    ),
    pytest.param(
        lambda n: m.product_list(TO, "c", "h", "b", products(n)), m.MAX_PRODUCTS, id="products"
    ),
    pytest.param(
        lambda n: m.product_list(TO, "c", "h", "b", products(*[1] * n)),
        m.MAX_PRODUCT_SECTIONS,
        id="product-sections",
    ),
    pytest.param(
        lambda n: m.contacts(TO, [{"name": {"formatted_name": "A"}}] * n),
        m.MAX_CONTACTS,
        id="contacts",
    ),
]


@pytest.mark.parametrize(("build", "limit"), COUNT_BOUNDARIES)
def test_item_count_at_limit_is_accepted_and_one_more_rejected(
    build: Callable[[int], object], limit: int
) -> None:
    build(limit)
    with pytest.raises(LimitError, match=f"at most {limit} "):
        build(limit + 1)


@pytest.mark.parametrize(
    "char",
    [
        pytest.param("😀", id="emoji"),
        pytest.param("é", id="accented-latin"),
        pytest.param("漢", id="cjk"),
        pytest.param("ש", id="hebrew"),
    ],
)
def test_non_ascii_counts_as_one_character_each(char: str) -> None:
    m.buttons(TO, "b", [("a", s(20, char))])
    with pytest.raises(LimitError) as caught:
        m.buttons(TO, "b", [("a", s(21, char))])
    assert caught.value.actual == "21 characters"


@pytest.mark.parametrize("index", [pytest.param(0, id="first"), pytest.param(9, id="last")])
def test_button_param_index_bounds_accepted_as_strings(index: int) -> None:
    assert m.button_param(index, "url", "x")["index"] == str(index)


# --- check() on hand-written payloads ---------------------------------------------------------

ACCEPTED_RAW = [
    pytest.param(raw("text", {"body": "hi"}), id="text-without-preview_url"),
    pytest.param(
        {"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": "hi"}},
        id="no-recipient_type",
    ),
    pytest.param({**raw("text", {"body": "hi"}), "recipient_type": "group"}, id="group-recipient"),
    pytest.param(
        raw("text", {"body": "hi"}, biz_opaque_callback_data="order-1"), id="callback-data"
    ),
    pytest.param(
        raw("location", {"latitude": -23.5, "longitude": -46.6, "name": "Office"}), id="location"
    ),
    pytest.param(
        raw(
            "interactive",
            {
                "type": "button",
                "header": {"type": "image", "image": {"link": "https://x.io/a.png"}},
                "body": {"text": "b"},
                "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "A"}}]},
            },
        ),
        id="button-image-header",
    ),
    pytest.param(
        raw(
            "interactive",
            {
                "type": "catalog_message",
                "body": {"text": "b"},
                "action": {"name": "catalog_message"},
            },
        ),
        id="catalog_message",
    ),
    pytest.param(
        ORDER_UPDATE | {"messaging_product": "whatsapp", "to": TO}, id="template-reference-example"
    ),
    pytest.param(
        {"messaging_product": "whatsapp", "status": "read", "message_id": WAMID}, id="mark-read"
    ),
]


@pytest.mark.parametrize("payload", ACCEPTED_RAW)
def test_check_accepts_valid_hand_written_payloads(payload: dict[str, Any]) -> None:
    before = copy.deepcopy(payload)
    m.check(payload)
    assert payload == before  # check never edits what it inspects


def button_message(**interactive: Any) -> dict[str, Any]:
    obj = {
        "type": "button",
        "body": {"text": "b"},
        "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "A"}}]},
    }
    return raw("interactive", obj | interactive)


REJECTED_RAW = [
    pytest.param("not a dict", "payload", "an object", id="not-a-dict"),
    pytest.param(
        {"to": TO, "type": "text", "text": {"body": "hi"}},
        "messaging_product",
        '"whatsapp"',
        id="no-product",
    ),
    pytest.param(raw("poll", {"q": "?"}), "type", "one of", id="unknown-type"),
    pytest.param({"messaging_product": "whatsapp", "to": TO}, "type", "one of", id="no-type"),
    pytest.param(raw("text", None), "text", "an object", id="typed-object-missing"),
    pytest.param({**raw("text", {"body": "hi"}), "to": None}, "to", "a string", id="to-missing"),
    pytest.param(
        {**raw("text", {"body": "hi"}), "recipient_type": "broadcast"},
        "recipient_type",
        "individual",
        id="recipient-type",
    ),
    pytest.param(
        raw("text", {"body": "hi"}, context={}),
        "context.message_id",
        "a string",
        id="context-empty",
    ),
    pytest.param(
        raw("text", {"body": "hi"}, biz_opaque_callback_data=s(513)),
        "biz_opaque_callback_data",
        "at most 512",
        id="callback-data-513",
    ),
    pytest.param(
        raw("text", {"body": "hi", "preview_url": "yes"}),
        "text.preview_url",
        "true or false",
        id="preview-url-not-bool",
    ),
    pytest.param(raw("text", {"body": 42}), "text.body", "a string", id="body-not-a-string"),
    pytest.param(
        raw("location", {"latitude": 91, "longitude": 0}),
        "location.latitude",
        "-90 to 90",
        id="latitude",
    ),
    pytest.param(
        raw("interactive", {"type": "carousel", "action": {}}),
        "interactive.type",
        "one of",
        id="interactive-unknown",
    ),
    pytest.param(
        button_message(body=None), "interactive.body", "an object", id="button-without-body"
    ),
    pytest.param(
        button_message(action={"buttons": [{"type": "url", "reply": {"id": "a", "title": "A"}}]}),
        "interactive.action.buttons[0].type",
        '"reply"',
        id="button-type-not-reply",
    ),
    pytest.param(
        button_message(action={"buttons": {"id": "a"}}),
        "interactive.action.buttons",
        "a list",
        id="buttons-not-a-list",
    ),
    pytest.param(
        button_message(header={"type": "sticker", "sticker": {"id": "1"}}),
        "interactive.header.type",
        "one of text, image",
        id="sticker-header",
    ),
    pytest.param(
        button_message(header={"type": "image", "image": {}}),
        "interactive.header.image",
        "exactly one",
        id="header-image-empty",
    ),
    pytest.param(
        raw(
            "interactive",
            {
                "type": "list",
                "header": {"type": "image", "image": {"id": "1"}},
                "body": {"text": "b"},
                "action": {"button": "M", "sections": [{"rows": [{"id": "a", "title": "A"}]}]},
            },
        ),
        "interactive.header.type",
        "one of text",
        id="list-media-header",
    ),
    pytest.param(
        raw(
            "interactive",
            {
                "type": "product",
                "header": {"type": "text", "text": "h"},
                "action": {"catalog_id": "c", "product_retailer_id": "p"},
            },
        ),
        "interactive.header",
        "absent",
        id="product-with-header",
    ),
    pytest.param(
        raw(
            "interactive",
            {
                "type": "product_list",
                "body": {"text": "b"},
                "action": {
                    "catalog_id": "c",
                    "sections": [{"title": "S", "product_items": [{"product_retailer_id": "p"}]}],
                },
            },
        ),
        "interactive.header",
        "present",
        id="product-list-without-header",
    ),
    pytest.param(
        raw(
            "interactive",
            {"type": "location_request_message", "body": {"text": "b"}, "action": {"name": "send"}},
        ),
        "interactive.action.name",
        '"send_location"',
        id="location-request-action-name",
    ),
    pytest.param(
        raw(
            "interactive",
            {"type": "flow", "body": {"text": "b"}, "action": {"name": "flow", "parameters": {}}},
        ),
        "interactive.action.parameters.flow_cta",
        "a string",
        id="flow-without-cta",
    ),
    pytest.param(
        raw("image", {"id": "1", "link": "https://x.io/a"}), "image", "exactly one", id="media-both"
    ),
    pytest.param(
        raw("sticker", {"id": "1", "caption": "c"}),
        "sticker.caption",
        "absent",
        id="sticker-caption",
    ),
    pytest.param(
        raw("video", {"id": "1", "filename": "v.mp4"}),
        "video.filename",
        "absent",
        id="video-filename",
    ),
    pytest.param(
        raw("reaction", {"message_id": WAMID}),
        "reaction.emoji",
        "a string",
        id="reaction-without-emoji",
    ),
    pytest.param(
        raw("template", {"name": "t"}), "template.language", "an object", id="template-no-language"
    ),
    pytest.param(
        raw(
            "template",
            {
                "name": "t",
                "language": {"code": "en"},
                "components": [{"type": "button", "sub_type": "url", "index": "10"}],
            },
        ),
        "template.components[0].index",
        '"0" to "9"',
        id="template-index-10",
    ),
    pytest.param(
        raw(
            "template",
            {
                "name": "t",
                "language": {"code": "en"},
                "components": [{"type": "button", "sub_type": "url", "index": 0}],
            },
        ),
        "template.components[0].index",
        "a string",
        id="template-index-not-string",
    ),
    pytest.param(
        raw(
            "template",
            {
                "name": "t",
                "language": {"code": "en"},
                "components": [
                    {
                        "type": "button",
                        "sub_type": "quick_reply",
                        "index": "0",
                        "parameters": [{"type": "payload", "payload": ""}],
                    }
                ],
            },
        ),
        "template.components[0].parameters[0].payload",
        "at least 1",
        id="template-empty-payload",
    ),
    pytest.param(
        raw("contacts", {"name": "Ana"}) | {"contacts": {"name": "Ana"}},
        "contacts",
        "a list",
        id="contacts-not-a-list",
    ),
    pytest.param(
        {
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": WAMID,
            "typing_indicator": {"type": "audio"},
        },
        "typing_indicator.type",
        '"text"',
        id="typing-indicator-type",
    ),
]


@pytest.mark.parametrize(("payload", "field", "limit"), REJECTED_RAW)
def test_check_rejects_hand_written_payloads(payload: Any, field: str, limit: str) -> None:
    with pytest.raises(LimitError) as caught:
        m.check(payload)
    assert caught.value.field == field
    assert limit in caught.value.limit


# --- with_recipient, copies -------------------------------------------------------------------


def test_with_recipient_returns_deep_copy_for_new_recipient() -> None:
    original = m.buttons(TO, "Confirm?", [("yes", "Yes")])
    copied = m.with_recipient(original, "5511999999999")
    assert copied == original | {"to": "5511999999999"}
    copied["interactive"]["action"]["buttons"][0]["reply"]["title"] = "Changed"
    assert original["to"] == TO
    assert original["interactive"]["action"]["buttons"][0]["reply"]["title"] == "Yes"


def test_payload_does_not_share_caller_components() -> None:
    components = [m.body_params("Ana")]
    payload = m.template(TO, "greeting", components=components)
    components[0]["parameters"][0]["text"] = ""
    assert payload["template"]["components"][0]["parameters"][0]["text"] == "Ana"


# --- one boundary: a built message is checked once ----------------------------------------------


@pytest.mark.parametrize("build", [pytest.param(p.values[0], id=p.id) for p in SHAPES])
def test_builders_mark_what_they_checked(build: Callable[[], dict[str, Any]]) -> None:
    assert isinstance(build(), Checked)


def test_with_recipient_keeps_the_mark_only_of_a_built_payload() -> None:
    built = m.text(TO, "hi")
    assert isinstance(m.with_recipient(built, "5511999999999"), Checked)
    assert not isinstance(m.with_recipient(dict(built), "5511999999999"), Checked)


def test_check_unless_built_checks_only_hand_written_payloads() -> None:
    with pytest.raises(LimitError, match=r"text\.body"):
        check_unless_built(raw("text", {"body": ""}))
    check_unless_built(raw("text", {"body": "hi"}))
    check_unless_built(Checked(raw("text", {"body": ""})))  # a builder vouched for it


# --- describe ---------------------------------------------------------------------------------

DESCRIBED = [
    pytest.param(m.text(TO, "Hello there"), "Hello there", id="text"),
    pytest.param(
        m.buttons(TO, "Confirm?", [("y", "Yes"), ("n", "No")]),
        "Confirm?\n[1] Yes  [2] No",
        id="buttons",
    ),
    pytest.param(
        m.buttons(TO, "Body", [("a", "A")], header="Head", footer="Foot"),
        "Head\nBody\n[1] A\nFoot",
        id="buttons-header-footer",
    ),
    pytest.param(
        m.list_message(
            TO,
            "Pick",
            "Menu",
            [
                m.Section("Pizza", [m.Row("p", "Margherita", "Tomato")]),
                m.Section("Drinks", [m.Row("d", "Water")]),
            ],
        ),
        "Pick\nPizza\n[1] Margherita - Tomato\nDrinks\n[2] Water",
        id="list-numbered-across-sections",
    ),
    pytest.param(
        m.cta_url(TO, "Your bill", "Pay now", "https://pay.example/1"),
        "Your bill\nPay now → https://pay.example/1",
        id="cta",
    ),
    pytest.param(
        m.location_request(TO, "Where?"), "Where?\n(send your location)", id="location-request"
    ),
    pytest.param(m.image(TO, media_id="1", caption="A cat"), "(image: A cat)", id="image-caption"),
    pytest.param(m.audio(TO, media_id="1"), "(audio)", id="audio"),
    pytest.param(
        m.document(TO, media_id="1", filename="x.pdf"), "(document x.pdf)", id="document-filename"
    ),
    pytest.param(
        m.template(TO, "order_update", components=[m.body_params("Ana")]),
        "(template order_update)",
        id="template",
    ),
    pytest.param(m.reaction(TO, WAMID, "👍"), "(reaction 👍)", id="reaction"),
    pytest.param(m.reaction(TO, WAMID, ""), "(reaction removed)", id="reaction-removed"),
    pytest.param(
        m.contacts(TO, [{"name": {"formatted_name": "Ana"}}, {"name": {"formatted_name": "Bo"}}]),
        "(contacts: Ana, Bo)",
        id="contacts",
    ),
    pytest.param(m.product(TO, "c", "sku1", body="Look"), "Look\n(product sku1)", id="product"),
    pytest.param(
        m.product_list(TO, "c", "Picks", "Look", products(2, 1)),
        "Picks\nLook\n(3 products)",
        id="product-list",
    ),
    pytest.param(m.mark_read(WAMID), "(read)", id="mark-read"),
    pytest.param(
        raw("location", {"latitude": 1, "longitude": 2}), "(location: 1, 2)", id="location"
    ),
    pytest.param(raw("poll", {}), "(poll)", id="unknown-type"),
    pytest.param(raw("text", None), "(text)", id="malformed-does-not-raise"),
    pytest.param(
        raw("interactive", {"type": "button", "action": {"buttons": "oops"}}),
        "(interactive)",
        id="malformed-interactive",
    ),
]


@pytest.mark.parametrize(("payload", "expected"), DESCRIBED)
def test_describe_renders_short_text(payload: dict[str, Any], expected: str) -> None:
    assert m.describe(payload) == expected


# --- the public API and the limit table ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        pytest.param("MAX_TEXT", 4096, id="text"),
        pytest.param("MAX_CAPTION", 1024, id="caption"),
        pytest.param("MAX_BUTTONS", 3, id="buttons"),
        pytest.param("MAX_BUTTON_ID", 256, id="button-id"),
        pytest.param("MAX_BUTTON_TITLE", 20, id="button-title"),
        pytest.param("MAX_HEADER_TEXT", 60, id="header"),
        pytest.param("MAX_FOOTER", 60, id="footer"),
        pytest.param("MAX_INTERACTIVE_BODY", 1024, id="interactive-body"),
        pytest.param("MAX_LIST_BUTTON", 20, id="list-button"),
        pytest.param("MAX_LIST_SECTIONS", 10, id="list-sections"),
        pytest.param("MAX_LIST_ROWS", 10, id="list-rows"),
        pytest.param("MAX_ROW_ID", 200, id="row-id"),
        pytest.param("MAX_ROW_TITLE", 24, id="row-title"),
        pytest.param("MAX_ROW_DESCRIPTION", 72, id="row-description"),
        pytest.param("MAX_SECTION_TITLE", 24, id="section-title"),
        pytest.param("MAX_CTA_DISPLAY_TEXT", 20, id="cta-display-text"),
        pytest.param("MAX_PRODUCT_SECTIONS", 10, id="product-sections"),
        pytest.param("MAX_PRODUCTS", 30, id="products"),
        pytest.param("MAX_CONTACTS", 5, id="contacts"),
        pytest.param("MAX_CALLBACK_DATA", 512, id="callback-data"),
    ],
)
def test_limit_table_matches_cloud_api_reference(name: str, value: int) -> None:
    assert getattr(m, name) == value


def test_public_api_is_pinned() -> None:
    assert {name for name in m.__all__ if not name.startswith(("MAX_", "MEDIA_", "CAPTION_"))} == {
        "Button", "ButtonSubType", "MediaKind", "ProductSection", "Row", "Section",
        "audio", "body_params", "button_param", "buttons", "check", "contacts", "cta_url",
        "currency_param", "date_time_param", "describe", "document", "header_params", "image",
        "list_message", "location_request", "mark_read", "media", "product", "product_list",
        "reaction", "sticker", "template", "text", "video", "with_recipient",
    }  # fmt: skip
    assert all(hasattr(m, name) for name in m.__all__)


def test_value_objects_are_frozen() -> None:
    button = m.Button("yes", "Yes")
    with pytest.raises(AttributeError):
        button.title = "No"  # type: ignore[misc]
