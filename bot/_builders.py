"""The message envelope, and the builders of plain (non-interactive) outbound messages.

This module owns :func:`envelope`, the one place an outbound body gets its common envelope
(``messaging_product``, ``recipient_type``, ``to``, ``type``, an optional quoted ``context``) and
is held against WhatsApp's hard limits by :func:`~bot._limits.check` before it is returned.
It also builds the messages that need no value objects: text, the five media kinds, reactions,
contact cards, and the read receipt of :func:`mark_read`. Interactive messages live in
:mod:`bot._interactive`, templates in :mod:`bot._template_params`; all are re-exported by
:mod:`bot.messages`.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any, Literal

from bot._limits import MEDIA_KINDS, check
from bot.errors import LimitError

MediaKind = Literal["image", "video", "audio", "document", "sticker"]


def envelope(to: str, kind: str, obj: Any, reply_to: str | None = None) -> dict[str, Any]:
    """Wrap a typed object in the common envelope, then check the whole payload.

    Args:
        to: The recipient's phone number.
        kind: The message ``type``; ``obj`` is stored under this key too.
        obj: The typed object, such as ``{"body": "Hi"}`` for ``text``.
        reply_to: The wamid of a message to quote, sent as ``context.message_id``.

    Returns:
        The JSON body to send.

    Raises:
        LimitError: The payload breaks a limit; see :func:`~bot._limits.check`.
    """
    payload: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": kind,
        kind: obj,
    }
    if reply_to is not None:
        payload["context"] = {"message_id": reply_to}
    check(payload)
    return payload


def text(
    to: str, body: str, *, preview_url: bool = False, reply_to: str | None = None
) -> dict[str, Any]:
    """Build a text message.

    Args:
        to: The recipient's phone number in international form.
        body: 1 to :data:`MAX_TEXT` characters.
        preview_url: Ask WhatsApp to render a preview of the first URL in the body.
        reply_to: The wamid of a message to quote.

    Returns:
        The JSON body to send.

    Raises:
        LimitError: The body is empty or too long, or ``to`` is empty.
    """
    return envelope(to, "text", {"body": body, "preview_url": preview_url}, reply_to)


def media(
    to: str,
    kind: MediaKind,
    *,
    media_id: str | None = None,
    link: str | None = None,
    caption: str | None = None,
    filename: str | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    """Build a media message from an uploaded media id or a public link.

    Args:
        to: The recipient's phone number.
        kind: One of ``image``, ``video``, ``audio``, ``document``, ``sticker``.
        media_id: The id of uploaded media; give exactly one of ``media_id`` and ``link``.
        link: An ``http(s)`` URL WhatsApp fetches the media from.
        caption: At most :data:`MAX_CAPTION` characters; image, video and document only.
        filename: The file name shown to the user; document only.
        reply_to: The wamid of a message to quote.

    Returns:
        The JSON body to send.

    Raises:
        LimitError: An unknown kind, both or neither of id and link, a caption or filename on
            a kind that takes none, or a caption that is too long.
    """
    if kind not in MEDIA_KINDS:
        raise LimitError("type", "one of " + ", ".join(MEDIA_KINDS), repr(kind))
    fields = {"id": media_id, "link": link, "caption": caption, "filename": filename}
    return envelope(to, kind, {k: v for k, v in fields.items() if v is not None}, reply_to)


def image(
    to: str,
    *,
    media_id: str | None = None,
    link: str | None = None,
    caption: str | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    """Build an image message; see :func:`media`."""
    return media(to, "image", media_id=media_id, link=link, caption=caption, reply_to=reply_to)


def video(
    to: str,
    *,
    media_id: str | None = None,
    link: str | None = None,
    caption: str | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    """Build a video message; see :func:`media`."""
    return media(to, "video", media_id=media_id, link=link, caption=caption, reply_to=reply_to)


def audio(
    to: str, *, media_id: str | None = None, link: str | None = None, reply_to: str | None = None
) -> dict[str, Any]:
    """Build an audio message (no caption); see :func:`media`."""
    return media(to, "audio", media_id=media_id, link=link, reply_to=reply_to)


def document(
    to: str,
    *,
    media_id: str | None = None,
    link: str | None = None,
    caption: str | None = None,
    filename: str | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    """Build a document message, optionally with a file name; see :func:`media`."""
    return media(
        to,
        "document",
        media_id=media_id,
        link=link,
        caption=caption,
        filename=filename,
        reply_to=reply_to,
    )


def sticker(
    to: str, *, media_id: str | None = None, link: str | None = None, reply_to: str | None = None
) -> dict[str, Any]:
    """Build a sticker message (no caption); see :func:`media`."""
    return media(to, "sticker", media_id=media_id, link=link, reply_to=reply_to)


def reaction(to: str, message_id: str, emoji: str) -> dict[str, Any]:
    """Build a reaction to a message, or the removal of one.

    Args:
        to: The recipient's phone number.
        message_id: The wamid of the message to react to (at most 30 days old).
        emoji: The emoji, or ``""`` to remove an earlier reaction.

    Returns:
        The JSON body to send.

    Raises:
        LimitError: ``message_id`` or ``to`` is empty.
    """
    return envelope(to, "reaction", {"message_id": message_id, "emoji": emoji})


def contacts(to: str, cards: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Build a message carrying contact cards.

    Args:
        to: The recipient's phone number.
        cards: 1 to :data:`MAX_CONTACTS` cards in Meta's contact shape; each needs
            ``name.formatted_name``.

    Returns:
        The JSON body to send.

    Raises:
        LimitError: No cards, too many, or a card without ``name.formatted_name``.
    """
    return envelope(to, "contacts", copy.deepcopy(list(cards)))


def mark_read(message_id: str, *, typing: bool = False) -> dict[str, Any]:
    """Build the body that marks an inbound message read, optionally showing "typing...".

    The typing indicator lasts until the next reply or 25 seconds; ask for it only when a
    reply is actually coming.

    Args:
        message_id: The wamid of the inbound message.
        typing: Also show the typing indicator.

    Returns:
        The JSON body to send (it has no ``to``).

    Raises:
        LimitError: ``message_id`` is empty.
    """
    payload: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": message_id,
    }
    if typing:
        payload["typing_indicator"] = {"type": "text"}
    check(payload)
    return payload


__all__ = [
    "MediaKind",
    "audio",
    "contacts",
    "document",
    "envelope",
    "image",
    "mark_read",
    "media",
    "reaction",
    "sticker",
    "text",
    "video",
]
