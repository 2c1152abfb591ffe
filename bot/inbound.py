"""The typed inbound model: what a WhatsApp Cloud API webhook says, as frozen dataclasses.

This module is the public face of the inbound side; it only re-exports. The classes live in
:mod:`bot._inbound_model`, the parser that reads webhook JSON into them in :mod:`bot._inbound_parse`.

Every item of a webhook becomes one :class:`Update`::

    Update                      field, phone_number_id, raw_value, dedupe_key, wa_id, kind
    ├── Message                 kind "message"; id, from_, timestamp, type, contact, context,
    │   │                       referral, errors; text_value, choice_id
    │   ├── TextMessage             text
    │   ├── ButtonReply             interactive.button_reply
    │   ├── ListReply               interactive.list_reply
    │   ├── FlowReply               interactive.nfm_reply (a completed Flow)
    │   ├── TemplateButtonReply     button (template quick reply)
    │   ├── MediaMessage            ImageMessage, VideoMessage, AudioMessage,
    │   │                           DocumentMessage, StickerMessage
    │   ├── LocationMessage         location
    │   ├── ContactsMessage         contacts
    │   ├── OrderMessage            order
    │   ├── ReactionMessage         reaction (``removed`` when the emoji is gone)
    │   ├── SystemMessage           system (number or identity changed)
    │   ├── EditMessage             edit
    │   ├── RevokeMessage           revoke
    │   ├── RequestWelcome          request_welcome
    │   └── UnsupportedMessage      unsupported, unknown, unrecognised or malformed types
    ├── Status                  kind "status": sent, delivered, read, played, failed
    ├── ValueErrors             kind "errors": value-level errors[]
    ├── UserPreference          kind "preference": marketing stop / resume
    └── UnknownChange           kind "unknown": everything else, kept as it came

Contract:

* :func:`parse_payload` walks every ``entry[]``, ``changes[]`` and item, and never raises.
  Nothing is dropped: what it cannot read comes back as an :class:`UnknownChange` (or, for a
  message with an id, sender and time but an unreadable body, an :class:`UnsupportedMessage`).
* ``update.raw_value`` is a self-contained Meta ``value`` holding only that item, and
  ``parse_value(update.field, update.raw_value) == [update]``: store the raw value, parse it
  again when processing.
* ``update.dedupe_key`` is the same for a redelivery (``message:<wamid>``,
  ``status:<wamid>:<status>``, ``preference:...``, or a content hash) and ``update.wa_id`` is the
  customer, to process each customer's updates in order.

Example::

    for update in parse_payload(json.loads(raw_body)):
        if isinstance(update, Message) and update.choice_id == "yes":
            ...
"""

from __future__ import annotations

from bot._inbound_model import (
    AudioMessage,
    ButtonReply,
    Contact,
    ContactsMessage,
    Context,
    DocumentMessage,
    EditMessage,
    ErrorInfo,
    FlowReply,
    ImageMessage,
    ListReply,
    LocationMessage,
    MediaMessage,
    Message,
    OrderItem,
    OrderMessage,
    Pricing,
    ReactionMessage,
    Referral,
    ReferredProduct,
    RequestWelcome,
    RevokeMessage,
    Status,
    StickerMessage,
    SystemMessage,
    TemplateButtonReply,
    TextMessage,
    UnknownChange,
    UnsupportedMessage,
    Update,
    UserPreference,
    ValueErrors,
    VideoMessage,
)
from bot._inbound_parse import parse_payload, parse_value

__all__ = [
    "AudioMessage",
    "ButtonReply",
    "Contact",
    "ContactsMessage",
    "Context",
    "DocumentMessage",
    "EditMessage",
    "ErrorInfo",
    "FlowReply",
    "ImageMessage",
    "ListReply",
    "LocationMessage",
    "MediaMessage",
    "Message",
    "OrderItem",
    "OrderMessage",
    "Pricing",
    "ReactionMessage",
    "Referral",
    "ReferredProduct",
    "RequestWelcome",
    "RevokeMessage",
    "Status",
    "StickerMessage",
    "SystemMessage",
    "TemplateButtonReply",
    "TextMessage",
    "UnknownChange",
    "UnsupportedMessage",
    "Update",
    "UserPreference",
    "ValueErrors",
    "VideoMessage",
    "parse_payload",
    "parse_value",
]
