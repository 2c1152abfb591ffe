"""Meta-shaped bodies for a simulated customer and a simulated Cloud API: chat, tests, benchmarks.

Each webhook function returns a complete ``POST /webhook`` body exactly as the Cloud API sends
it (``object`` → ``entry[]`` → ``changes[]`` → ``value``), so what is simulated goes through the
same signature check, parser, inbox and flow engine as real traffic. :func:`sent_reply` is the
other direction: Meta's answer to a message send, for every stand-in of the Cloud API (the
sandbox client, the mock Graph server, the tests' ``responses`` mock).
"""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

DEFAULT_PHONE_NUMBER_ID = "106540352242922"
DEFAULT_DISPLAY_NUMBER = "15550783881"
DEFAULT_WABA_ID = "102290129340398"

_counter = itertools.count(1)
_NON_DIGITS = re.compile(r"\D+")


def new_wamid() -> str:
    """A fresh, unique inbound message id in Meta's style."""
    return f"wamid.SIM{time.time_ns():x}{next(_counter):06d}"


def envelope(
    value: dict[str, Any],
    *,
    field: str = "messages",
    phone_number_id: str = DEFAULT_PHONE_NUMBER_ID,
) -> dict[str, Any]:
    """Wrap one change ``value`` into a full webhook body."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": {
            "display_phone_number": DEFAULT_DISPLAY_NUMBER,
            "phone_number_id": phone_number_id,
        },
        **value,
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": DEFAULT_WABA_ID, "changes": [{"value": value, "field": field}]}],
    }


def message(
    wa_id: str,
    kind: str,
    content: dict[str, Any],
    *,
    name: str = "Customer",
    msg_id: str | None = None,
    timestamp: float | None = None,
    context: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A webhook body carrying one inbound message of type ``kind`` with its ``content`` object."""
    item: dict[str, Any] = {
        "from": wa_id,
        "id": msg_id or new_wamid(),
        "timestamp": str(int(time.time() if timestamp is None else timestamp)),
        "type": kind,
        kind: content,
    }
    if context:
        item["context"] = context
    contact = {"profile": {"name": name}, "wa_id": wa_id}
    return envelope({"contacts": [contact], "messages": [item]})


def text(wa_id: str, body: str, **kw: Any) -> dict[str, Any]:
    """A text message."""
    return message(wa_id, "text", {"body": body}, **kw)


def button_reply(wa_id: str, reply_id: str, title: str, **kw: Any) -> dict[str, Any]:
    """A tap on a reply button."""
    content = {"type": "button_reply", "button_reply": {"id": reply_id, "title": title}}
    return message(wa_id, "interactive", content, **kw)


def list_reply(
    wa_id: str, reply_id: str, title: str, description: str | None = None, **kw: Any
) -> dict[str, Any]:
    """A choice from a list message."""
    row: dict[str, Any] = {"id": reply_id, "title": title}
    if description:
        row["description"] = description
    return message(wa_id, "interactive", {"type": "list_reply", "list_reply": row}, **kw)


def location(
    wa_id: str, latitude: float, longitude: float, *, place: str | None = None, **kw: Any
) -> dict[str, Any]:
    """A shared location (a named place when ``place`` is given)."""
    content: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
    if place:
        content["name"] = place
    return message(wa_id, "location", content, **kw)


def media(wa_id: str, kind: str, *, caption: str | None = None, **kw: Any) -> dict[str, Any]:
    """An image, video, audio, document or sticker message."""
    mime = {
        "image": "image/jpeg",
        "video": "video/mp4",
        "audio": "audio/ogg; codecs=opus",
        "document": "application/pdf",
        "sticker": "image/webp",
    }.get(kind, "application/octet-stream")
    content: dict[str, Any] = {
        "id": f"{abs(hash((wa_id, kind, time.time_ns())))}",
        "mime_type": mime,
        "sha256": "0" * 64,
    }
    if caption and kind in ("image", "video", "document"):
        content["caption"] = caption
    if kind == "audio":
        content["voice"] = True
    if kind == "sticker":
        content["animated"] = False
    if kind == "document":
        content["filename"] = "file.pdf"
    return message(wa_id, kind, content, **kw)


def edit(wa_id: str, original_id: str, body: str, **kw: Any) -> dict[str, Any]:
    """The customer edited their text message ``original_id`` to read ``body``."""
    content = {
        "original_message_id": original_id,
        "message": {"type": "text", "text": {"body": body}},
    }
    return message(wa_id, "edit", content, **kw)


def reaction(wa_id: str, message_id: str, emoji: str, **kw: Any) -> dict[str, Any]:
    """A reaction to the message ``message_id``; ``emoji=""`` removes an earlier one."""
    return message(wa_id, "reaction", {"message_id": message_id, "emoji": emoji}, **kw)


def call_permission_reply(
    wa_id: str,
    response: str,
    *,
    permanent: bool = False,
    expires: float | None = None,
    source: str = "user_action",
    **kw: Any,
) -> dict[str, Any]:
    """The customer's answer (``accept``/``reject``) to a request to call them.

    A temporary acceptance expires ``expires`` (unix seconds; by default 7 days after the
    message's ``timestamp``), written as a string as in Meta's samples.
    """
    reply: dict[str, Any] = {"response": response, "is_permanent": permanent}
    if response == "accept" and not permanent:
        sent = time.time() if kw.get("timestamp") is None else float(kw["timestamp"])
        reply["expiration_timestamp"] = str(int(sent + 7 * 86400 if expires is None else expires))
    reply["response_source"] = source
    content = {"type": "call_permission_reply", "call_permission_reply": reply}
    return message(wa_id, "interactive", content, **kw)


def status(
    wamid: str, recipient: str, state: str, *, timestamp: float | None = None
) -> dict[str, Any]:
    """A delivery status of an outbound message."""
    item = {
        "id": wamid,
        "status": state,
        "timestamp": str(int(time.time() if timestamp is None else timestamp)),
        "recipient_id": recipient,
    }
    return envelope({"statuses": [item]})


def wa_id_for(to: str) -> str:
    """Return the WhatsApp id Meta answers a send to ``to`` with: its digits, or ``to`` itself.

    ``"+1 650-555-1234"`` gives ``"16505551234"``; a ``to`` without digits (a business-scoped
    user id, a group id) is its own id. Stand-ins of the Cloud API match recipients by it.
    """
    return to if to.isdigit() else (_NON_DIGITS.sub("", to) or to)


def sent_reply(to: str | None, message_id: str, *, status: str | None = None) -> dict[str, Any]:
    """Build Meta's success answer to a message send (cloud-api.md §3.3).

    Args:
        to: The ``to`` of the send, echoed as ``contacts[0].input``; :func:`wa_id_for` gives
            the ``wa_id``.
        message_id: The wamid to answer with.
        status: ``messages[0].message_status`` (``accepted`` …); left out when ``None``, as in
            most of Meta's own examples.
    """
    wa_id = None if to is None else wa_id_for(to)
    sent: dict[str, Any] = {"id": message_id}
    if status is not None:
        sent["message_status"] = status
    return {
        "messaging_product": "whatsapp",
        "contacts": [{"input": to, "wa_id": wa_id}],
        "messages": [sent],
    }


__all__ = [
    "DEFAULT_PHONE_NUMBER_ID",
    "button_reply",
    "call_permission_reply",
    "edit",
    "envelope",
    "list_reply",
    "location",
    "media",
    "message",
    "new_wamid",
    "reaction",
    "sent_reply",
    "status",
    "text",
    "wa_id_for",
]
