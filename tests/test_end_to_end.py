"""End to end: a signed webhook POST → 200 → the reply reaches the (mocked) Cloud API."""

from __future__ import annotations

from typing import Any

import responses

from bot import simulate
from bot.config import Config
from tests.helpers import PostWebhook


def test_signed_message_gets_its_reply_at_the_graph_endpoint(
    post_webhook: PostWebhook,
    sent: list[dict[str, Any]],
    graph: responses.RequestsMock,
    config: Config,
) -> None:
    body = simulate.text("15550001111", "hello", name="Ana", msg_id="wamid.E2E1")

    response = post_webhook(body)

    assert response.status_code == 200
    assert sent == [
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "15550001111",
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": "Hi Ana! How can I help?"},
                "action": {
                    "buttons": [
                        {"type": "reply", "reply": {"id": "hours", "title": "Opening hours"}},
                        {"type": "reply", "reply": {"id": "about", "title": "About waflow"}},
                        {"type": "reply", "reply": {"id": "human", "title": "Talk to a person"}},
                    ]
                },
            },
        }
    ]
    call = graph.calls[0]
    assert call.request.url == "https://graph.test/v23.0/106540352242922/messages"
    assert call.request.headers["Authorization"] == "Bearer test-token-abcdef"


def test_a_tap_on_a_reply_button_is_answered(
    post_webhook: PostWebhook, sent: list[dict[str, Any]]
) -> None:
    post_webhook(simulate.button_reply("15550001111", "hours", "Opening hours"))
    assert sent == [
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "15550001111",
            "type": "text",
            "text": {
                "body": "We are open Monday to Saturday, 9:00 to 18:00.",
                "preview_url": False,
            },
        }
    ]


def test_a_sticker_gets_a_friendly_answer(
    post_webhook: PostWebhook, sent: list[dict[str, Any]]
) -> None:
    post_webhook(simulate.media("15550001111", "sticker"))
    assert len(sent) == 1
    assert sent[0]["text"]["body"] == "Sorry, I can't read stickers yet. Please type your message."
