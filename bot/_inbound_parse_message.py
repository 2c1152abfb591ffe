"""Turn one ``value.messages[]`` item into the right :class:`~bot.inbound.Message` subclass.

This module owns the per-type readers, dispatched on Meta's ``type`` string through a dict (one
lookup on the hot path). A message without a usable ``id``, ``from`` or ``timestamp`` becomes an
:class:`~bot.inbound.UnknownChange`; a known type whose object is missing or malformed, Meta's
``unsupported``/``unknown`` types and type strings waflow does not know become an
:class:`~bot.inbound.UnsupportedMessage`. The envelope walk lives in :mod:`bot._inbound_parse`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from bot._inbound_fields import (
    Malformed,
    as_dict,
    opt_str,
    parse_context,
    parse_errors,
    parse_referral,
    req_obj,
    req_str,
    to_datetime,
    to_decimal,
    to_float,
    to_int,
)
from bot._inbound_messages import (
    AudioMessage,
    ButtonReply,
    ContactsMessage,
    DocumentMessage,
    EditMessage,
    FlowReply,
    ImageMessage,
    ListReply,
    LocationMessage,
    Message,
    OrderMessage,
    ReactionMessage,
    RequestWelcome,
    RevokeMessage,
    StickerMessage,
    SystemMessage,
    TemplateButtonReply,
    TextMessage,
    UnsupportedMessage,
    VideoMessage,
)
from bot._inbound_types import Contact, OrderItem, UnknownChange, Update

logger = logging.getLogger(__name__)

_Common = dict[str, Any]
_Reader = Callable[[dict[str, Any], _Common], Message]

# What a malformed item can raise inside a reader (decimal.InvalidOperation is an
# ArithmeticError); anything else is a bug and is caught one
# level up (the item then becomes an UnknownChange).
_BAD_SHAPE = (Malformed, LookupError, TypeError, ValueError, ArithmeticError)


def parse_message(
    item: dict[str, Any],
    field: str,
    phone_number_id: str | None,
    raw_value: dict[str, Any],
    contact: Contact | None,
) -> Update:
    """Read one message item.

    Args:
        item: The ``messages[]`` entry.
        field: The change's field.
        phone_number_id: The business number's id.
        raw_value: The self-contained value holding only this item.
        contact: The sender's parsed ``contacts[]`` entry, if one matched.

    Returns:
        A :class:`Message` subclass, or an :class:`UnknownChange` when the item has no usable
        ``id``, ``from`` or ``timestamp``.
    """
    message_id = item.get("id")
    sender = item.get("from")
    timestamp = to_datetime(item.get("timestamp"))
    if not (message_id and isinstance(message_id, str) and sender and isinstance(sender, str)):
        return UnknownChange(
            field=field, phone_number_id=phone_number_id, raw_value=raw_value, value=item
        )
    if timestamp is None:
        return UnknownChange(
            field=field, phone_number_id=phone_number_id, raw_value=raw_value, value=item
        )
    message_type = item.get("type")
    if not isinstance(message_type, str):
        message_type = ""
    common: _Common = {
        "field": field,
        "phone_number_id": phone_number_id,
        "raw_value": raw_value,
        "id": message_id,
        "from_": sender,
        "timestamp": timestamp,
        "type": message_type,
        "contact": contact,
        "context": parse_context(item.get("context")),
        "referral": parse_referral(item.get("referral")),
        "errors": parse_errors(item.get("errors")),
    }
    reader = _READERS.get(message_type, _unsupported)
    try:
        return reader(item, common)
    except _BAD_SHAPE as exc:
        logger.info(
            "message of type %r has a malformed %s; kept as unsupported",
            message_type,
            type(exc).__name__,
        )
        return UnsupportedMessage(**common)


def _unsupported(item: dict[str, Any], common: _Common) -> Message:
    unsupported_type = opt_str(as_dict(item.get("unsupported")), "type")
    return UnsupportedMessage(**common, unsupported_type=unsupported_type)


def _text(item: dict[str, Any], common: _Common) -> Message:
    return TextMessage(**common, body=req_str(req_obj(item, "text"), "body"))


def _interactive(item: dict[str, Any], common: _Common) -> Message:
    interactive = req_obj(item, "interactive")
    kind = interactive.get("type")
    if kind == "button_reply":
        reply = req_obj(interactive, "button_reply")
        return ButtonReply(**common, reply_id=req_str(reply, "id"), title=req_str(reply, "title"))
    if kind == "list_reply":
        reply = req_obj(interactive, "list_reply")
        return ListReply(
            **common,
            reply_id=req_str(reply, "id"),
            title=req_str(reply, "title"),
            description=opt_str(reply, "description"),
        )
    if kind == "nfm_reply":
        return _flow_reply(req_obj(interactive, "nfm_reply"), common)
    return UnsupportedMessage(**common, unsupported_type=kind if isinstance(kind, str) else None)


def _flow_reply(reply: dict[str, Any], common: _Common) -> Message:
    encoded = reply.get("response_json")
    response: object = encoded
    if isinstance(encoded, str):
        try:
            response = json.loads(encoded)
        except ValueError:  # includes JSONDecodeError and bad unicode
            response = None
    if not isinstance(response, dict):
        response = {}
    return FlowReply(
        **common,
        response=response,
        body=opt_str(reply, "body"),
        name=opt_str(reply, "name"),
        flow_token=opt_str(response, "flow_token"),
    )


def _button(item: dict[str, Any], common: _Common) -> Message:
    button = req_obj(item, "button")
    return TemplateButtonReply(
        **common, payload=req_str(button, "payload"), text=req_str(button, "text")
    )


def _media(item: dict[str, Any], common: _Common) -> dict[str, Any]:
    media = req_obj(item, common["type"])
    return {
        **common,
        "media_id": req_str(media, "id"),
        "mime_type": opt_str(media, "mime_type"),
        "sha256": opt_str(media, "sha256"),
        "caption": opt_str(media, "caption"),
        "url": opt_str(media, "url"),
    }


def _image(item: dict[str, Any], common: _Common) -> Message:
    return ImageMessage(**_media(item, common))


def _video(item: dict[str, Any], common: _Common) -> Message:
    return VideoMessage(**_media(item, common))


def _audio(item: dict[str, Any], common: _Common) -> Message:
    return AudioMessage(**_media(item, common), voice=item["audio"].get("voice") is True)


def _document(item: dict[str, Any], common: _Common) -> Message:
    return DocumentMessage(**_media(item, common), filename=opt_str(item["document"], "filename"))


def _sticker(item: dict[str, Any], common: _Common) -> Message:
    return StickerMessage(**_media(item, common), animated=item["sticker"].get("animated") is True)


def _location(item: dict[str, Any], common: _Common) -> Message:
    location = req_obj(item, "location")
    return LocationMessage(
        **common,
        latitude=to_float(location.get("latitude")),
        longitude=to_float(location.get("longitude")),
        name=opt_str(location, "name"),
        address=opt_str(location, "address"),
        url=opt_str(location, "url"),
    )


def _contacts(item: dict[str, Any], common: _Common) -> Message:
    cards = item.get("contacts")
    if not isinstance(cards, list) or not all(isinstance(card, dict) for card in cards):
        raise Malformed("contacts")
    return ContactsMessage(**common, cards=tuple(cards))


def _order(item: dict[str, Any], common: _Common) -> Message:
    order = req_obj(item, "order")
    lines = order.get("product_items", [])
    if not isinstance(lines, list) or not all(isinstance(line, dict) for line in lines):
        raise Malformed("product_items")
    items = tuple(
        OrderItem(
            product_retailer_id=req_str(line, "product_retailer_id"),
            quantity=to_int(line.get("quantity")),
            item_price=to_decimal(line.get("item_price")),
            currency=req_str(line, "currency"),
        )
        for line in lines
    )
    return OrderMessage(
        **common,
        catalog_id=req_str(order, "catalog_id"),
        text=opt_str(order, "text") or "",
        items=items,
    )


def _reaction(item: dict[str, Any], common: _Common) -> Message:
    reaction = req_obj(item, "reaction")
    return ReactionMessage(
        **common, message_id=req_str(reaction, "message_id"), emoji=opt_str(reaction, "emoji")
    )


def _system(item: dict[str, Any], common: _Common) -> Message:
    system = as_dict(item.get("system"))
    identity = item.get("identity")
    return SystemMessage(
        **common,
        body=opt_str(system, "body"),
        system_type=opt_str(system, "type"),
        new_wa_id=opt_str(system, "wa_id") or opt_str(system, "new_wa_id"),
        identity=identity if isinstance(identity, dict) else None,
    )


def _edit(item: dict[str, Any], common: _Common) -> Message:
    edit = req_obj(item, "edit")
    original_id = req_str(edit, "original_message_id")
    edited: Message | None = None
    inner = edit.get("message")
    if isinstance(inner, dict):
        # The new content, read as a message of its own: it takes the original message's id
        # and the edit's sender and time. Its raw_value parses back to it, like any update's.
        synthetic = {
            **inner,
            "id": original_id,
            "from": item["from"],
            "timestamp": item["timestamp"],
        }
        raw_value = {**common["raw_value"], "messages": [synthetic]}
        parsed = parse_message(
            synthetic, common["field"], common["phone_number_id"], raw_value, common["contact"]
        )
        edited = parsed if isinstance(parsed, Message) else None
    return EditMessage(**common, original_message_id=original_id, edited=edited)


def _revoke(item: dict[str, Any], common: _Common) -> Message:
    revoke = req_obj(item, "revoke")
    return RevokeMessage(**common, original_message_id=req_str(revoke, "original_message_id"))


def _request_welcome(item: dict[str, Any], common: _Common) -> Message:
    return RequestWelcome(**common)


_READERS: dict[str, _Reader] = {
    "text": _text,
    "interactive": _interactive,
    "button": _button,
    "image": _image,
    "video": _video,
    "audio": _audio,
    "document": _document,
    "sticker": _sticker,
    "location": _location,
    "contacts": _contacts,
    "order": _order,
    "reaction": _reaction,
    "system": _system,
    "edit": _edit,
    "revoke": _revoke,
    "request_welcome": _request_welcome,
    "unsupported": _unsupported,
    "unknown": _unsupported,
}

__all__ = ["parse_message"]
