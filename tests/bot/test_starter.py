"""The built-in starter handler answers what a person says and stays quiet otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from bot import simulate
from bot.starter import StarterHandler
from tests.helpers import PostWebhook

WA = "15550001111"


def _edit(original: str, new_text: str) -> dict[str, Any]:
    body = simulate.message(
        WA,
        "edit",
        {"original_message_id": original, "message": {"type": "text", "text": {"body": new_text}}},
    )
    return body


def _system() -> dict[str, Any]:
    body = simulate.message(
        WA,
        "system",
        {
            "body": "User A changed from 1555 to 1666",
            "type": "user_changed_number",
            "wa_id": "15550006666",
        },
    )
    del body["entry"][0]["changes"][0]["value"]["contacts"]
    return body


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            simulate.message(WA, "request_welcome", {}),
            "Hi Customer! How can I help?",
            id="request-welcome-greets",
        ),
        pytest.param(
            _edit("wamid.OLD", "hello"), "Hi Customer! How can I help?", id="edit-answers-new-text"
        ),
        pytest.param(
            simulate.message(
                WA,
                "edit",
                {
                    "original_message_id": "wamid.PHOTO",
                    "message": {"type": "image", "image": {"id": "1", "caption": "this one"}},
                },
            ),
            StarterHandler.EDIT_TEXT,
            id="edited-caption-is-no-cant-read-images",
        ),
        pytest.param(
            simulate.message(WA, "unsupported", {"type": "edit"}),
            StarterHandler.EDIT_TEXT,
            id="unsupported-edit",
        ),
        pytest.param(
            simulate.call_permission_reply(WA, "accept"),
            StarterHandler.CALL_ACCEPTED_TEXT,
            id="call-accepted",
        ),
        pytest.param(
            simulate.call_permission_reply(WA, "reject"),
            StarterHandler.CALL_REJECTED_TEXT,
            id="call-refused",
        ),
        pytest.param(
            simulate.media(WA, "audio"),
            "Sorry, I can't read voice notes and audio yet. Please type your message.",
            id="voice",
        ),
    ],
)
def test_answers(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], body: dict[str, Any], expected: str
) -> None:
    assert post_webhook(body).status_code == 200
    assert len(sent) == 1
    text = sent[0].get("text", {}).get("body") or sent[0]["interactive"]["body"]["text"]
    assert text == expected


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(_system(), id="system-number-change"),
        pytest.param(
            simulate.message(WA, "reaction", {"message_id": "wamid.X", "emoji": "👍"}),
            id="reaction",
        ),
        pytest.param(
            simulate.message(WA, "revoke", {"original_message_id": "wamid.X"}), id="revoke"
        ),
        pytest.param(
            simulate.message(WA, "unsupported", {"type": "reaction"}), id="unsupported-reaction"
        ),
        pytest.param(
            simulate.call_permission_reply(WA, "reject", source="automatic"), id="automatic-call"
        ),
    ],
)
def test_stays_quiet(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], body: dict[str, Any]
) -> None:
    assert post_webhook(body).status_code == 200
    assert sent == []
