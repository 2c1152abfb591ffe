"""Every message shape a flow can send, rendered into checked Cloud API payloads."""

from __future__ import annotations

from typing import Any

import pytest

from bot.errors import LimitError
from bot.messages import check
from flows import parse_flow
from flows._render import render_message
from tests.flows import flowkit as kit
from tests.flows.flowkit import MakeChat

SHOWCASE = """\
schema: 1
flow: showcase
version: 1
start: show
triggers: {default: true}
slots: {order_id: string}
messages:
  receipt:
    media: {kind: document, link: "https://example.com/r/{{ slots.order_id }}.pdf", caption: "Receipt", filename: r.pdf}
states:
  show:
    say:
      - "Plain *text* with a link https://example.com"
      - {text: "Preview", preview_url: true}
      - {media: {kind: image, id: "1234567890", caption: "Cake of the day"}}
      - {ref: receipt}
      - {text: "Pay now", cta: {display_text: "Pay £24", url: "https://pay.example.com/{{ slots.order_id }}"}, footer: "Secure"}
      - {template: {name: order_ready, language: en_GB, components: [{type: body, parameters: [{type: text, text: "{{ contact.name }}"}]}]}}
      - text: "Pick a size"
        header: "Sizes"
        footer: "Prices include VAT"
        buttons: [{id: s, title: Small}, {id: l, title: Large}]
      - text: "Or browse"
        list:
          button: Browse
          sections:
            - {title: Cakes, rows: [{id: c1, title: Lemon, description: "£18"}]}
            - {title: Pies, rows: [{id: p1, title: Apple}]}
      - {text: "Where are you?", location_request: true}
    next: done
  done: {end: true}
"""


@pytest.fixture
def payloads(make_chat: MakeChat) -> list[dict[str, Any]]:
    chat = make_chat(
        SHOWCASE.replace(
            "slots: {order_id: string}", "slots: {order_id: {type: string, default: A7}}"
        )
    )
    return chat.send("hi")


def test_every_payload_passes_the_limit_checker(payloads: list[dict[str, Any]]) -> None:
    assert len(payloads) == 9
    for payload in payloads:
        check(payload)
        assert payload["to"] == kit.WA_ID


def test_text_messages(payloads: list[dict[str, Any]]) -> None:
    assert payloads[0]["text"] == {
        "body": "Plain *text* with a link https://example.com",
        "preview_url": False,
    }
    assert payloads[1]["text"]["preview_url"] is True


def test_media_by_id_and_by_templated_link(payloads: list[dict[str, Any]]) -> None:
    assert payloads[2]["image"] == {"id": "1234567890", "caption": "Cake of the day"}
    assert payloads[3]["document"] == {
        "link": "https://example.com/r/A7.pdf",
        "caption": "Receipt",
        "filename": "r.pdf",
    }


def test_cta_url(payloads: list[dict[str, Any]]) -> None:
    interactive = payloads[4]["interactive"]
    assert interactive["action"]["parameters"] == {
        "display_text": "Pay £24",
        "url": "https://pay.example.com/A7",
    }
    assert interactive["footer"] == {"text": "Secure"}


def test_template_components_are_rendered(payloads: list[dict[str, Any]]) -> None:
    template = payloads[5]["template"]
    assert (template["name"], template["language"]) == ("order_ready", {"code": "en_GB"})
    assert template["components"][0]["parameters"][0]["text"] == "Ana"


def test_explicit_buttons_and_list(payloads: list[dict[str, Any]]) -> None:
    assert kit.buttons(payloads[6]) == ["Small", "Large"]
    assert payloads[6]["interactive"]["header"] == {"type": "text", "text": "Sizes"}
    sections = payloads[7]["interactive"]["action"]["sections"]
    assert [s["title"] for s in sections] == ["Cakes", "Pies"]


def test_location_request(payloads: list[dict[str, Any]]) -> None:
    assert payloads[8]["interactive"]["type"] == "location_request_message"


def test_rendered_text_is_cut_to_fit_unless_the_caller_keeps_it_whole() -> None:
    flow = parse_flow(
        """\
schema: 1
flow: cut
version: 1
start: hi
states:
  hi: {say: {text: "Pick", header: "{{ contact.name }}", buttons: [Small, Large]}, end: true}
"""
    )
    (spec,) = flow.states["hi"].say
    long = "x" * 70

    def text(source: str, path: str) -> str:
        return long if "{{" in source else source

    payload = render_message(spec, to="15550001111", text=text)
    assert payload["interactive"]["header"]["text"] == "x" * 59 + "…"
    with pytest.raises(LimitError) as caught:
        render_message(spec, to="15550001111", text=text, fit=lambda value, limit, field: value)
    assert caught.value.field == "interactive.header.text"
