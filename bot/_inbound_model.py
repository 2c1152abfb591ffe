"""The typed inbound model: :class:`Update`, its subclasses and their value objects.

:mod:`bot.inbound` reads webhooks into them and re-exports them. Each :class:`Message` subclass
defaults ``type`` to Meta's string, so tests can build one with only the fields that matter.
They stay stdlib dataclasses rather than pydantic models: they are built on the webhook hot path
from already-checked values and must be frozen, slotted and hashable.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, cast


def canonical_digest(obj: object) -> str:
    """The SHA-256 of ``obj`` as canonical JSON; never raises (unencodable parts use ``repr``)."""
    try:
        text = json.dumps(obj, sort_keys=True, separators=(",", ":"), default=repr)
    except (TypeError, ValueError, RecursionError):
        text = repr(obj)
    return hashlib.sha256(text.encode("utf-8", "backslashreplace")).hexdigest()


MAX_KEY_LENGTH = 255


def bounded_key(prefix: str, rest: str) -> str:
    """Return ``prefix + rest``, or ``prefix + "sha256:" + digest`` when that is too long.

    Only garbage ids get hashed (real ones are far shorter), so a hostile payload cannot
    overflow the inbox's ``dedupe_key`` column; prefixes must stay under 180 characters.
    """
    key = prefix + rest
    if len(key) <= MAX_KEY_LENGTH:
        return key
    return prefix + "sha256:" + hashlib.sha256(rest.encode("utf-8", "backslashreplace")).hexdigest()


@dataclass(frozen=True, slots=True)
class Contact:
    """The sender's entry in ``value.contacts[]``; ``name`` and ``username`` come from ``profile``.

    Attributes:
        wa_id: The user's WhatsApp id; ``None`` when Meta sent ``""`` or nothing (users with a
            username may have only a ``user_id``).
        user_id: The business-scoped user id (BSUID); ``parent_user_id`` is the parent BSUID.
    """

    wa_id: str | None
    name: str | None
    user_id: str | None
    parent_user_id: str | None = None
    username: str | None = None


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """One entry of an ``errors[]`` array (on a message, a status or a whole value).

    ``message`` is usually the same as ``title``; ``details`` is ``error_data.details``; ``href``
    links to Meta's error-code page.
    """

    code: int | None = None
    title: str | None = None
    message: str | None = None
    details: str | None = None
    href: str | None = None


@dataclass(frozen=True, slots=True)
class ReferredProduct:
    """The product (catalog and SKU) a user asked about with "Message business"."""

    catalog_id: str
    product_retailer_id: str


@dataclass(frozen=True, slots=True)
class Context:
    """A message's ``context``: a quoted reply, a forward, or a product inquiry.

    Attributes:
        from_: The number of the quoted message's sender (``context.from``).
        id: The wamid of the quoted message; for button replies, the business message.
    """

    from_: str | None = None
    id: str | None = None
    forwarded: bool = False
    frequently_forwarded: bool = False
    referred_product: ReferredProduct | None = None


@dataclass(frozen=True, slots=True)
class Referral:
    """Where a user came from: a Click-to-WhatsApp ad or a post (``message.referral``).

    The attributes are Meta's ``referral`` keys (``source_type`` is ``"ad"`` or ``"post"``,
    ``ctwa_clid`` the click id conversion reporting needs), plus ``welcome_text``, the ad's
    ``welcome_message.text``.
    """

    source_url: str | None = None
    source_id: str | None = None
    source_type: str | None = None
    body: str | None = None
    headline: str | None = None
    media_type: str | None = None
    image_url: str | None = None
    video_url: str | None = None
    thumbnail_url: str | None = None
    ctwa_clid: str | None = None
    welcome_text: str | None = None


@dataclass(frozen=True, slots=True)
class Pricing:
    """The ``pricing`` object of a status.

    Attributes:
        billable: Meta's ``billable`` flag (being deprecated; use type and category).
        pricing_model: ``"PMP"`` (or ``"CBP"`` before July 2025).
        type: ``"regular"``, ``"free_customer_service"`` or ``"free_entry_point"``.
        category: For example ``"service"``, ``"utility"`` or ``"marketing"``.
    """

    billable: bool | None = None
    pricing_model: str | None = None
    type: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True)
class OrderItem:
    """One line of a catalog order: a SKU, a quantity and an exact unit price in an ISO currency."""

    product_retailer_id: str
    quantity: int
    item_price: Decimal
    currency: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Update:
    """One item of a webhook: a message, a status, an error report, a preference or unknown data.

    Attributes:
        kind: ``"message"``, ``"status"``, ``"errors"``, ``"preference"``, ``"echo"`` or
            ``"unknown"``.
        field: The change's ``field``, for example ``"messages"``.
        phone_number_id: ``metadata.phone_number_id``: the business number the update is for.
        raw_value: A self-contained Meta ``value`` object holding exactly this one item (with
            ``messaging_product``, ``metadata`` and the matching ``contacts`` entry).
            ``parse_value(update.field, update.raw_value)`` gives back ``[update]``, so this is
            what to store. It shares objects with the parsed payload: do not mutate it.
    """

    kind: ClassVar[str] = "unknown"

    field: str = "messages"
    phone_number_id: str | None = None
    raw_value: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False, hash=False)

    @property
    def dedupe_key(self) -> str:
        """A key that is equal for redeliveries of the same update and differs otherwise."""
        raise NotImplementedError

    @property
    def wa_id(self) -> str | None:
        """The customer this update is about (processing is ordered per customer), if any."""
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Status(Update):
    """A delivery status of a message the business sent (``value.statuses[]``).

    Attributes:
        id: The outbound message's wamid.
        status: ``"sent"``, ``"delivered"``, ``"read"``, ``"played"`` or ``"failed"``.
        timestamp: When it happened (aware UTC).
        recipient_id: The user's WhatsApp id (or a group id).
        errors: Why it failed, for ``"failed"``.
        pricing: The ``pricing`` object, when sent.
        conversation: The raw ``conversation`` object, when sent (omitted from v24.0).
        biz_opaque_callback_data: The string given when sending, echoed back.
    """

    kind: ClassVar[str] = "status"

    id: str
    status: str
    timestamp: datetime
    recipient_id: str | None = None
    errors: tuple[ErrorInfo, ...] = ()
    pricing: Pricing | None = None
    conversation: dict[str, Any] | None = dataclasses.field(default=None, hash=False)
    biz_opaque_callback_data: str | None = None

    @property
    def dedupe_key(self) -> str:
        """``"status:<wamid>:<status>"``: one wamid is legitimately sent, delivered and read."""
        return bounded_key("status:", f"{self.id}:{self.status}")

    @property
    def wa_id(self) -> str | None:
        """The recipient, ``recipient_id``."""
        return self.recipient_id


@dataclass(frozen=True, slots=True, kw_only=True)
class ValueErrors(Update):
    """System- or app-level errors (``value.errors[]``), not tied to one message.

    Attributes:
        errors: The errors, in Meta's order.
    """

    kind: ClassVar[str] = "errors"

    errors: tuple[ErrorInfo, ...] = ()

    @property
    def dedupe_key(self) -> str:
        """``"errors:"`` and the SHA-256 of the canonical JSON of the errors and their number."""
        rows = [dataclasses.astuple(error) for error in self.errors]
        return "errors:" + canonical_digest([self.field, self.phone_number_id, rows])


@dataclass(frozen=True, slots=True, kw_only=True)
class UserPreference(Update):
    """A user's preference change (``value.user_preferences[]``), e.g. a marketing opt-out.

    Attributes:
        wa_id_: The user's WhatsApp id (read it through :attr:`wa_id`).
        category: For example ``"marketing_messages"``.
        value: ``"stop"``, ``"resume"`` or another value Meta adds.
        detail: Meta's free-text explanation.
        timestamp: When the user changed it (aware UTC).
    """

    kind: ClassVar[str] = "preference"

    field: str = "user_preferences"
    wa_id_: str
    category: str
    value: str
    detail: str | None = None
    timestamp: datetime

    @property
    def dedupe_key(self) -> str:
        """``"preference:<wa_id>:<category>:<value>:<unix seconds>"``."""
        seconds = int(self.timestamp.timestamp())
        return bounded_key("preference:", f"{self.wa_id_}:{self.category}:{self.value}:{seconds}")

    @property
    def wa_id(self) -> str | None:
        """The user whose preference changed."""
        return self.wa_id_


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageEcho(Update):
    """A message the business sent from the WhatsApp Business app on its Cloud API number.

    With *coexistence* the shop's owner keeps answering from the app; Meta copies each message
    they send to the webhook (field ``smb_message_echoes``, ``value.message_echoes[]``). It is
    about the customer it was sent **to**, and the bot never answers it.

    Attributes:
        id: The echoed message's wamid.
        from_: The business's display number (``from``).
        to: The customer's WhatsApp id.
        timestamp: When the business sent it (aware UTC).
        type: Meta's ``type`` of the content, for example ``"text"``.
        message: The content read as a message (``from_`` is the business); its
            ``text_value`` is what the owner wrote.
    """

    kind: ClassVar[str] = "echo"

    field: str = "smb_message_echoes"
    id: str
    from_: str
    to: str
    timestamp: datetime
    type: str = ""
    message: Message

    @property
    def dedupe_key(self) -> str:
        """``"echo:<wamid>"``."""
        return bounded_key("echo:", self.id)

    @property
    def wa_id(self) -> str | None:
        """The customer the business wrote to, ``to``."""
        return self.to

    @property
    def text_value(self) -> str | None:
        """What the business wrote: the text, a caption...; ``None`` otherwise."""
        return self.message.text_value


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownChange(Update):
    """Anything the parser could not turn into a typed update; kept so that nothing is lost.

    Other webhook fields (``message_template_status_update`` ...), values of unknown shape,
    items that are not objects, messages without ``id``/``from`` or with a bad timestamp, and
    payloads that are not WhatsApp webhooks at all end up here, as ``value``: the item, the
    whole value or the payload.
    """

    kind: ClassVar[str] = "unknown"

    value: Any = dataclasses.field(hash=False)

    @property
    def dedupe_key(self) -> str:
        """``"unknown:"`` and the SHA-256 of the canonical JSON of ``[field, value]``."""
        return "unknown:" + canonical_digest([self.field, self.value])


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

    # The attributes holding what the person said and the option they chose, per subclass.
    _said: ClassVar[str | None] = None
    _chosen: ClassVar[str | None] = None

    @property
    def text_value(self) -> str | None:
        """What the person "said": the text, a reply's title, a caption; ``None`` otherwise."""
        return None if self._said is None else cast("str | None", getattr(self, self._said))

    @property
    def choice_id(self) -> str | None:
        """The id of the option chosen (button/list reply id, template button payload)."""
        return None if self._chosen is None else cast("str | None", getattr(self, self._chosen))


@dataclass(frozen=True, slots=True, kw_only=True)
class TextMessage(Message):
    """A text message (``type: "text"``); ``body`` is the text."""

    type: str = "text"
    _said = "body"
    body: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ButtonReply(Message):
    """A tap on a reply button (``interactive.button_reply``): its ``reply_id`` and ``title``."""

    type: str = "interactive"
    _said = "title"
    _chosen = "reply_id"
    reply_id: str
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ListReply(Message):
    """A row picked from a list message (``interactive.list_reply``), as the row was sent."""

    type: str = "interactive"
    _said = "title"
    _chosen = "reply_id"
    reply_id: str
    title: str
    description: str | None = None


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
    """A template quick-reply button tapped (``type: "button"``): its ``payload`` and ``text``."""

    type: str = "button"
    _said = "text"
    _chosen = "payload"
    payload: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaMessage(Message):
    """Base of the media messages; download the file with ``GET /{media_id}``.

    ``url`` is a download URL, when Meta includes one; ``caption`` is for images, videos and
    documents that have one.
    """

    _said = "caption"
    media_id: str
    mime_type: str | None = None
    sha256: str | None = None
    caption: str | None = None
    url: str | None = None


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
    """An audio file, or a voice note recorded in WhatsApp when ``voice`` (``type: "audio"``)."""

    type: str = "audio"
    voice: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentMessage(MediaMessage):
    """A document (``type: "document"``), with its ``filename`` when sent."""

    type: str = "document"
    filename: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StickerMessage(MediaMessage):
    """A sticker (``type: "sticker"``), ``animated`` or not."""

    type: str = "sticker"
    animated: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class LocationMessage(Message):
    """A location (``type: "location"``, degrees); a shared place adds name, address and url."""

    type: str = "location"
    latitude: float
    longitude: float
    name: str | None = None
    address: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactsMessage(Message):
    """Shared contact ``cards`` (``type: "contacts"``): raw objects, as Meta sent them."""

    type: str = "contacts"
    cards: tuple[dict[str, Any], ...] = dataclasses.field(default=(), hash=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderMessage(Message):
    """A cart sent from a catalog (``type: "order"``): lines and text (often ``""``), no totals."""

    type: str = "order"
    catalog_id: str
    text: str = ""
    items: tuple[OrderItem, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ReactionMessage(Message):
    """A reaction to the message ``message_id`` (``type: "reaction"``); no ``emoji``: removed."""

    type: str = "reaction"
    message_id: str
    emoji: str | None = None

    @property
    def removed(self) -> bool:
        """This removes an earlier reaction."""
        return not self.emoji


@dataclass(frozen=True, slots=True, kw_only=True)
class CallPermissionReply(Message):
    """The customer's answer to a request to call them (``interactive.call_permission_reply``).

    It is not text: a flow sees it through :attr:`choice_id`, ``"call_permission:accept"`` or
    ``"call_permission:reject"``, which a payload trigger or an intent can name.

    Attributes:
        response: ``"accept"`` or ``"reject"`` (another value Meta adds is kept as sent).
        is_permanent: The permission has no expiry (a temporary one lasts 7 days).
        expires_at: When a temporary permission ends (aware UTC), when Meta said.
        response_source: ``"user_action"`` (the customer tapped), or ``"automatic"`` (the
            customer called the business, or unanswered calls revoked the permission).
    """

    type: str = "interactive"
    response: str
    is_permanent: bool = False
    expires_at: datetime | None = None
    response_source: str | None = None

    @property
    def accepted(self) -> bool:
        """The customer allows calls."""
        return self.response == "accept"

    @property
    def automatic(self) -> bool:
        """WhatsApp answered, not a tap of the customer (``response_source: automatic``)."""
        return self.response_source == "automatic"

    @property
    def choice_id(self) -> str | None:
        """``"call_permission:"`` and the response, for payload triggers and intents."""
        return f"call_permission:{self.response}"


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
    """The user deleted the message ``original_message_id`` (``type: "revoke"``)."""

    type: str = "revoke"
    original_message_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestWelcome(Message):
    """The user opened the chat for the first time (``type: "request_welcome"``)."""

    type: str = "request_welcome"


@dataclass(frozen=True, slots=True, kw_only=True)
class UnsupportedMessage(Message):
    """A message waflow cannot read; ``errors`` carries Meta's reasons.

    Meta's ``unsupported``/``unknown`` types, type strings waflow does not know, and known types
    whose object is missing or malformed. ``unsupported_type`` is Meta's ``unsupported.type``
    (e.g. ``"poll_creation"``) or an ``interactive.type`` waflow does not know.
    """

    type: str = "unsupported"
    unsupported_type: str | None = None
