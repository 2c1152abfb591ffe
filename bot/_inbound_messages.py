"""The inbound message classes: one frozen dataclass per kind of thing a user can send.

This module owns :class:`Message` (the fields every ``value.messages[]`` item shares, plus the
``text_value`` / ``choice_id`` helpers conversation logic reads) and its subclasses, one per
Meta ``type`` (and per ``interactive`` sub-type). Every subclass's ``type`` defaults to Meta's
type string, so tests and examples can build one with only the fields that matter.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from bot._inbound_types import (
    Contact,
    Context,
    ErrorInfo,
    OrderItem,
    Referral,
    Update,
    bounded_key,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Message(Update):
    """A message a user sent (``value.messages[]``).

    Attributes:
        id: The message's wamid; redeliveries carry the same one.
        from_: The sender's WhatsApp id (``from``).
        timestamp: When it was sent (aware UTC).
        type: Meta's raw ``type`` string, for example ``"text"`` or ``"interactive"``.
        contact: The sender's ``contacts[]`` entry, when Meta sent one.
        context: Quoted reply, forward or product-inquiry details.
        referral: Click-to-WhatsApp ad or post details, on the first message.
        errors: Per-message errors (e.g. why a message is unsupported).
    """

    kind: ClassVar[str] = "message"

    id: str
    from_: str
    timestamp: datetime
    type: str = ""
    contact: Contact | None = None
    context: Context | None = None
    referral: Referral | None = None
    errors: tuple[ErrorInfo, ...] = ()

    @property
    def dedupe_key(self) -> str:
        """``"message:<wamid>"`` (an absurdly long wamid is hashed, see ``bounded_key``)."""
        return bounded_key("message:", self.id)

    @property
    def wa_id(self) -> str | None:
        """The sender, ``from``."""
        return self.from_

    @property
    def text_value(self) -> str | None:
        """What the person "said": the text, a reply's title, a caption; ``None`` otherwise."""
        return None

    @property
    def choice_id(self) -> str | None:
        """The id of the option chosen (button/list reply id, template button payload)."""
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class TextMessage(Message):
    """A text message (``type: "text"``).

    Attributes:
        body: The text.
    """

    type: str = "text"
    body: str

    @property
    def text_value(self) -> str | None:
        """The text."""
        return self.body


@dataclass(frozen=True, slots=True, kw_only=True)
class ButtonReply(Message):
    """A tap on a reply button (``interactive.button_reply``).

    Attributes:
        reply_id: The button's id, as set when sending.
        title: The button's title.
    """

    type: str = "interactive"
    reply_id: str
    title: str

    @property
    def text_value(self) -> str | None:
        """The button's title."""
        return self.title

    @property
    def choice_id(self) -> str | None:
        """The button's id."""
        return self.reply_id


@dataclass(frozen=True, slots=True, kw_only=True)
class ListReply(Message):
    """A row picked from a list message (``interactive.list_reply``).

    Attributes:
        reply_id: The row's id, as set when sending.
        title: The row's title.
        description: The row's description, when it had one.
    """

    type: str = "interactive"
    reply_id: str
    title: str
    description: str | None = None

    @property
    def text_value(self) -> str | None:
        """The row's title."""
        return self.title

    @property
    def choice_id(self) -> str | None:
        """The row's id."""
        return self.reply_id


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowReply(Message):
    """A completed WhatsApp Flow (``interactive.nfm_reply``).

    Attributes:
        response: ``response_json`` decoded; ``{}`` when it was not a JSON object (the original
            string stays in ``raw_value``).
        body: Meta's ``body``, usually ``"Sent"``.
        name: ``"flow"`` (or ``"address_message"`` for address replies).
        flow_token: ``response["flow_token"]``, when it is a string.
    """

    type: str = "interactive"
    response: dict[str, Any] = dataclasses.field(default_factory=dict, hash=False)
    body: str | None = None
    name: str | None = None
    flow_token: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TemplateButtonReply(Message):
    """A tap on a template's quick-reply button (``type: "button"``).

    Attributes:
        payload: The button's payload.
        text: The button's text.
    """

    type: str = "button"
    payload: str
    text: str

    @property
    def text_value(self) -> str | None:
        """The button's text."""
        return self.text

    @property
    def choice_id(self) -> str | None:
        """The button's payload."""
        return self.payload


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaMessage(Message):
    """Base of the media messages; download the file with ``GET /{media_id}``.

    Attributes:
        media_id: The media id.
        mime_type: The MIME type, for example ``"image/jpeg"``.
        sha256: The file's hash, as Meta sends it.
        caption: The caption, for images, videos and documents that have one.
        url: A download URL, when Meta includes one.
    """

    media_id: str
    mime_type: str | None = None
    sha256: str | None = None
    caption: str | None = None
    url: str | None = None

    @property
    def text_value(self) -> str | None:
        """The caption, if any."""
        return self.caption


@dataclass(frozen=True, slots=True, kw_only=True)
class ImageMessage(MediaMessage):
    """An image (``type: "image"``)."""

    type: str = "image"


@dataclass(frozen=True, slots=True, kw_only=True)
class VideoMessage(MediaMessage):
    """A video (``type: "video"``)."""

    type: str = "video"


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioMessage(MediaMessage):
    """An audio file or a voice note (``type: "audio"``).

    Attributes:
        voice: True for a voice note recorded in WhatsApp.
    """

    type: str = "audio"
    voice: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentMessage(MediaMessage):
    """A document (``type: "document"``).

    Attributes:
        filename: The file name, when sent.
    """

    type: str = "document"
    filename: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StickerMessage(MediaMessage):
    """A sticker (``type: "sticker"``).

    Attributes:
        animated: True for an animated sticker.
    """

    type: str = "sticker"
    animated: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class LocationMessage(Message):
    """A location (``type: "location"``): a live position has coordinates only.

    Attributes:
        latitude: Degrees.
        longitude: Degrees.
        name: The place's name, for a shared place.
        address: The place's address, for a shared place.
        url: The place's URL, when sent.
    """

    type: str = "location"
    latitude: float
    longitude: float
    name: str | None = None
    address: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactsMessage(Message):
    """Shared contact cards (``type: "contacts"``).

    Attributes:
        cards: The raw contact objects (``name``, ``phones``, ``emails`` ...), as Meta sent them.
    """

    type: str = "contacts"
    cards: tuple[dict[str, Any], ...] = dataclasses.field(default=(), hash=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderMessage(Message):
    """A cart sent from a catalog (``type: "order"``); Meta sends no totals.

    Attributes:
        catalog_id: The catalog.
        text: The text sent with the order (often ``""``).
        items: The order lines.
    """

    type: str = "order"
    catalog_id: str
    text: str = ""
    items: tuple[OrderItem, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ReactionMessage(Message):
    """A reaction to a message, or the removal of one (``type: "reaction"``).

    Attributes:
        message_id: The wamid of the message reacted to.
        emoji: The emoji; ``""`` or ``None`` when the reaction was removed.
    """

    type: str = "reaction"
    message_id: str
    emoji: str | None = None

    @property
    def removed(self) -> bool:
        """True when this removes an earlier reaction."""
        return not self.emoji


@dataclass(frozen=True, slots=True, kw_only=True)
class SystemMessage(Message):
    """A system event about the user (``type: "system"``), e.g. a changed number.

    Attributes:
        body: Meta's description, for example ``"User A changed from ... to ..."``.
        system_type: ``system.type``: ``"user_changed_number"``, ``"customer_identity_changed"``...
        new_wa_id: The new WhatsApp id, for ``user_changed_number``.
        identity: The top-level ``identity`` object, for ``customer_identity_changed``.
    """

    type: str = "system"
    body: str | None = None
    system_type: str | None = None
    new_wa_id: str | None = None
    identity: dict[str, Any] | None = dataclasses.field(default=None, hash=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class EditMessage(Message):
    """The user edited an earlier message (``type: "edit"``).

    Attributes:
        original_message_id: The wamid of the edited message.
        edited: The new content parsed as a message (its ``id`` is ``original_message_id``,
            its ``from_``/``timestamp`` those of the edit); ``None`` when Meta sent none.
    """

    type: str = "edit"
    original_message_id: str
    edited: Message | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RevokeMessage(Message):
    """The user deleted an earlier message (``type: "revoke"``).

    Attributes:
        original_message_id: The wamid of the deleted message.
    """

    type: str = "revoke"
    original_message_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestWelcome(Message):
    """The user opened the chat for the first time (``type: "request_welcome"``)."""

    type: str = "request_welcome"


@dataclass(frozen=True, slots=True, kw_only=True)
class UnsupportedMessage(Message):
    """A message waflow cannot read: Meta's ``unsupported``/``unknown`` types, type strings
    waflow does not know, and known types whose object is missing or malformed (for example an
    ``interactive`` without its ``interactive`` object). ``errors`` carries Meta's reasons.

    Attributes:
        unsupported_type: Meta's ``unsupported.type`` (e.g. ``"poll_creation"``), or the
            ``interactive.type`` waflow does not know; ``None`` otherwise.
    """

    type: str = "unsupported"
    unsupported_type: str | None = None


__all__ = [
    "AudioMessage",
    "ButtonReply",
    "ContactsMessage",
    "DocumentMessage",
    "EditMessage",
    "FlowReply",
    "ImageMessage",
    "ListReply",
    "LocationMessage",
    "MediaMessage",
    "Message",
    "OrderMessage",
    "ReactionMessage",
    "RequestWelcome",
    "RevokeMessage",
    "StickerMessage",
    "SystemMessage",
    "TemplateButtonReply",
    "TextMessage",
    "UnsupportedMessage",
    "VideoMessage",
]
