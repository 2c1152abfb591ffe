"""Read WhatsApp Cloud API webhooks into typed updates, frozen dataclasses that never lose data.

This module owns the envelope walk (``entry[] -> changes[] -> value``), the split of a ``value``
into one update per item, each with a self-contained ``raw_value`` and its matched ``contacts[]``
entry, and the per-type message readers (most types are a row of a table). :func:`parse_payload`
never raises and drops nothing: an unreadable item becomes an :class:`UnknownChange`, a message
with an unreadable body an :class:`UnsupportedMessage`, and ``parse_value(u.field, u.raw_value)
== [u]``, so the raw value is what gets stored (a value that is not a JSON object is wrapped as
``{"waflow_unparsed": value}`` so it round-trips too). The classes (:mod:`bot._inbound_model`)::

    Update                      field, phone_number_id, raw_value, dedupe_key, wa_id, kind
    ├── Message                 id, from_, timestamp, type, contact, context, referral, errors;
    │   │                       text_value, choice_id
    │   ├── TextMessage, ButtonReply, ListReply, FlowReply (a completed Flow),
    │   │   CallPermissionReply (may the business call?), TemplateButtonReply,
    │   │   LocationMessage, ContactsMessage, OrderMessage,
    │   │   ReactionMessage, SystemMessage, EditMessage, RevokeMessage, RequestWelcome
    │   ├── MediaMessage        ImageMessage, VideoMessage, AudioMessage, DocumentMessage,
    │   │                       StickerMessage
    │   └── UnsupportedMessage  unsupported, unknown, unrecognised or malformed types
    ├── Status                  sent, delivered, read, played, failed
    ├── ValueErrors             value-level errors[]
    ├── UserPreference          marketing stop / resume
    ├── MessageEcho             what the business sent from the WhatsApp Business app
    └── UnknownChange           everything else, kept as it came

The reader is written by hand rather than with pydantic: it is deliberately lenient (an optional
field of the wrong type reads as ``None``, one bad item never costs its neighbours), which would
take a custom validator on nearly every field plus a second set of classes, and it runs on every
webhook, where plain ``isinstance`` checks are the fastest reader. Example::

    for update in parse_payload(json.loads(raw_body)):
        if isinstance(update, Message) and update.choice_id == "yes":
            ...
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from bot._inbound_model import (
    AudioMessage,
    ButtonReply,
    CallPermissionReply,
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
    MessageEcho,
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

logger = logging.getLogger(__name__)

WABA_OBJECT = "whatsapp_business_account"
UNPARSED_KEY = "waflow_unparsed"

_BASE_KEYS = ("messaging_product", "metadata")
_PHONE_PUNCTUATION = re.compile(r"[\s()+-]")
# The item lists of a value, in the order their updates come out, with the keys an item names
# its customer by (WhatsApp id, then business-scoped user id) for matching it to contacts[].
_ITEM_LISTS = {
    "messages": ("from", "from_user_id"),
    "statuses": ("recipient_id", "recipient_user_id"),
    "user_preferences": ("wa_id", "user_id"),
    "message_echoes": ("to", "to_user_id"),
}
_WALKED_FIELDS = frozenset({"messages", "user_preferences", "smb_message_echoes"})
_KNOWN_KEYS = frozenset({*_BASE_KEYS, *_ITEM_LISTS, "contacts", "errors"})

# Where an item came from: its change's field, the business number and the item's raw_value.
_Origin = tuple[str, str | None, dict[str, Any]]
_Match = tuple[dict[str, Any] | None, Contact | None]
_NO_MATCH: _Match = (None, None)


# --- the envelope -----------------------------------------------------------------------------


def parse_payload(payload: object) -> list[Update]:
    """Parse a whole webhook POST body (decoded JSON) into its updates, in payload order.

    Never raises: a payload that is not a WhatsApp Business Account webhook, or any part of one
    that cannot be read, comes back as an :class:`~bot.inbound.UnknownChange` with the raw data.
    """
    try:
        return _walk_payload(payload)
    except Exception as exc:  # never raise on the webhook path; keep the data instead
        logger.warning("unreadable webhook payload (%s); kept as unknown", type(exc).__name__)
        return [_unknown("", payload)]


def parse_value(field: str, value: object) -> list[Update]:
    """Parse the ``value`` of one change.

    This is also how a stored update is read back: ``parse_value(u.field, u.raw_value)``
    returns ``[u]``. Never raises.

    Args:
        field: The change's ``field``, for example ``"messages"``.
        value: The change's ``value``.

    Returns:
        One update per item of the value; an :class:`~bot.inbound.UnknownChange` for fields
        other than ``messages``, ``user_preferences`` and ``smb_message_echoes`` and for
        anything unreadable.
    """
    try:
        return _parse_value(field, value)
    except Exception as exc:  # never raise on the webhook path; keep the data instead
        logger.warning("unreadable %.64s change (%s); kept as unknown", field, type(exc).__name__)
        return [_unknown(field, value)]


def _walk_payload(payload: object) -> list[Update]:
    if not isinstance(payload, dict) or payload.get("object") != WABA_OBJECT:
        logger.info("payload is not a WhatsApp Business Account webhook; kept as unknown")
        return [_unknown("", payload)]
    entries = payload.get("entry")
    if not isinstance(entries, list):
        logger.info("webhook payload without an entry list; kept as unknown")
        return [_unknown("", payload)]
    updates: list[Update] = []
    for entry in entries:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            updates.append(_unknown("", entry))
            continue
        for change in changes:
            field = change.get("field") if isinstance(change, dict) else None
            if isinstance(field, str):
                updates.extend(parse_value(field, change.get("value")))
            else:
                updates.append(_unknown("", change))
    return updates


def _parse_value(field: str, value: object) -> list[Update]:
    if not isinstance(value, dict):
        return [_unknown(field, value)]
    if len(value) == 1 and UNPARSED_KEY in value:
        return [UnknownChange(field=field, raw_value=value, value=value[UNPARSED_KEY])]
    if field not in _WALKED_FIELDS:
        logger.debug("%.64s change is not parsed; kept as unknown", field)
        return [_unknown(field, value)]
    return _walk_value(field, value, _opt_str(_as_dict(value.get("metadata")), "phone_number_id"))


def _walk_value(field: str, value: dict[str, Any], phone_number_id: str | None) -> list[Update]:
    base = {key: value[key] for key in _BASE_KEYS if key in value}
    leftover = {key: item for key, item in value.items() if key not in _KNOWN_KEYS}
    contacts = value.get("contacts", [])
    if not isinstance(contacts, list):
        leftover["contacts"] = contacts
        contacts = []
    matcher = _ContactMatcher(contacts)
    updates: list[Update] = []
    where: dict[str, Any] = {"field": field, "phone_number_id": phone_number_id}

    def unknown(key: str, item: object, raw_value: dict[str, Any]) -> UnknownChange:
        logger.warning("unreadable %s item in a %.64s change; kept as unknown", key, field)
        return UnknownChange(**where, raw_value=raw_value, value=item)

    for key, (id_key, user_id_key) in _ITEM_LISTS.items():
        if key not in value:
            continue
        items = value[key]
        if not isinstance(items, list):
            leftover[key] = items
            continue
        read = _ITEM_READERS[key]
        for item in items:
            is_object = isinstance(item, dict)
            ids = (item.get(id_key), item.get(user_id_key)) if is_object else (None, None)
            contact_raw, contact = matcher.match(*ids)
            raw_value = {**base, key: [item]}
            if contact_raw is not None:
                raw_value["contacts"] = [contact_raw]
            update = None
            if is_object:
                try:
                    update = read(item, (field, phone_number_id, raw_value), contact)
                except Exception as exc:  # one bad item must not cost the others
                    logger.warning("parser error on a %s item: %s", key, type(exc).__name__)
            updates.append(unknown(key, item, raw_value) if update is None else update)

    if "errors" in value:
        errors = value["errors"]
        if not isinstance(errors, list):
            leftover["errors"] = errors
        elif errors:
            updates.append(
                ValueErrors(
                    **where, raw_value={**base, "errors": errors}, errors=_parse_errors(errors)
                )
            )

    if leftover:
        rest = {**base, **leftover}
        updates.append(unknown("unrecognised", rest, rest))
    elif not updates:
        logger.info("%.64s change with nothing in it; kept as unknown", field)
        updates.append(_unknown(field, value))
    return updates


def _unknown(field: str, value: object) -> UnknownChange:
    """Keep ``value`` as an unknown update; a non-object is wrapped so ``raw_value`` is a dict."""
    if isinstance(value, dict):
        try:
            phone_number_id = _opt_str(_as_dict(value.get("metadata")), "phone_number_id")
        except Exception:  # a dict subclass misbehaving; this is the last resort, keep going
            phone_number_id = None
        return UnknownChange(
            field=field, phone_number_id=phone_number_id, raw_value=value, value=value
        )
    return UnknownChange(field=field, raw_value={UNPARSED_KEY: value}, value=value)


class _ContactMatcher:
    """Find the ``contacts[]`` entry of an item: by WhatsApp id, then by BSUID.

    With a single contact, that contact is used whatever its ids (Meta warns that ``wa_id`` and
    ``from`` can differ, and ``wa_id`` may be empty for users known only by ``user_id``).
    """

    __slots__ = ("_by_user_id", "_by_wa_id", "_single")

    def __init__(self, contacts: list[Any]) -> None:
        entries = [(raw, _parse_contact(raw)) for raw in contacts if isinstance(raw, dict)]
        self._single: _Match | None = entries[0] if len(entries) == 1 else None
        self._by_wa_id: dict[str, _Match] = {}
        self._by_user_id: dict[str, _Match] = {}
        if len(entries) > 1:
            for raw, contact in reversed(entries):  # the first of duplicates wins
                if contact.wa_id:
                    self._by_wa_id[contact.wa_id] = (raw, contact)
                if contact.user_id:
                    self._by_user_id[contact.user_id] = (raw, contact)

    def match(self, wa_id: object, user_id: object) -> _Match:
        """Return the raw entry and the parsed contact for these ids, or ``(None, None)``."""
        if self._single is not None:
            return self._single
        if isinstance(wa_id, str) and wa_id in self._by_wa_id:
            return self._by_wa_id[wa_id]
        if isinstance(user_id, str) and user_id in self._by_user_id:
            return self._by_user_id[user_id]
        return _NO_MATCH


# --- fields -----------------------------------------------------------------------------------
# Optional readers (_opt_str, _as_dict, _flag) never raise and give None (or {}, False) for
# anything of the wrong type; required ones raise _Malformed: the message becomes unsupported.


class _Malformed(ValueError):
    """A required piece of an item is missing or has the wrong type."""


def _opt_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return value if isinstance(value, str) else None


def _req_str(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str):
        raise _Malformed(key)
    return value


def _req_obj(obj: dict[str, Any], key: str) -> dict[str, Any]:
    value = obj.get(key)
    if not isinstance(value, dict):
        raise _Malformed(key)
    return value


def _flag(obj: dict[str, Any], key: str) -> bool:
    return obj.get(key) is True


def _float(obj: dict[str, Any], key: str) -> float:
    """Read ``obj[key]``, a JSON number or a numeric string, as a float (else raise)."""
    return float(_number(obj.get(key), key))


def _objects(value: object, what: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise _Malformed(what)
    return value


def _as_dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _to_datetime(value: object) -> datetime | None:
    """Read Meta's unix-seconds timestamp (a string, sometimes a number) as aware UTC, or None."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _number(value: object, what: str) -> int | float | Decimal | str:
    """Return ``value`` when it is a JSON number or a string (else raise ``_Malformed``)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise _Malformed(what)
    return value


def _to_int(value: object) -> int:
    """Read a whole JSON number (or a string of digits) as an int (else raise ``ValueError``)."""
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, float | Decimal) and value == int(value):
        return int(value)
    raise _Malformed("integer")


def _to_decimal(value: object) -> Decimal:
    """Read a finite price exactly: a float goes through ``str()``, so ``12.99`` stays exact."""
    value = _number(value, "price")
    result = value if isinstance(value, Decimal) else Decimal(str(value))
    if not result.is_finite():
        raise _Malformed("price")
    return result


def _parse_errors(value: object) -> tuple[ErrorInfo, ...]:
    """Read an ``errors[]`` array; entries that are not objects are skipped (raw keeps them)."""
    if not isinstance(value, list):
        return ()
    return tuple(_error(item) for item in value if isinstance(item, dict))


def _error(obj: dict[str, Any]) -> ErrorInfo:
    code = obj.get("code")
    if isinstance(code, str) and code.isdigit():
        code = int(code)
    return ErrorInfo(
        code=code if isinstance(code, int) and not isinstance(code, bool) else None,
        title=_opt_str(obj, "title"),
        message=_opt_str(obj, "message"),
        details=_opt_str(_as_dict(obj.get("error_data")), "details"),
        href=_opt_str(obj, "href"),
    )


def _parse_contact(obj: dict[str, Any]) -> Contact:
    """Read one ``value.contacts[]`` entry; empty ids become ``None``."""
    profile = _as_dict(obj.get("profile"))
    return Contact(
        wa_id=_opt_str(obj, "wa_id") or None,
        name=_opt_str(profile, "name"),
        user_id=_opt_str(obj, "user_id") or None,
        parent_user_id=_opt_str(obj, "parent_user_id") or None,
        username=_opt_str(profile, "username") or None,
    )


def _parse_context(value: object) -> Context | None:
    """Read a message's ``context``; ``None`` when absent or not an object."""
    if not isinstance(value, dict):
        return None
    product = _as_dict(value.get("referred_product"))
    catalog_id = _opt_str(product, "catalog_id")
    retailer_id = _opt_str(product, "product_retailer_id")
    referred = None
    if catalog_id is not None and retailer_id is not None:
        referred = ReferredProduct(catalog_id, retailer_id)
    return Context(
        from_=_opt_str(value, "from"),
        id=_opt_str(value, "id"),
        forwarded=_flag(value, "forwarded"),
        frequently_forwarded=_flag(value, "frequently_forwarded"),
        referred_product=referred,
    )


_REFERRAL_KEYS = [f.name for f in dataclasses.fields(Referral) if f.name != "welcome_text"]


def _parse_referral(value: object) -> Referral | None:
    """Read a message's ``referral``; ``None`` when absent or not an object."""
    if not isinstance(value, dict):
        return None
    return Referral(
        **{key: _opt_str(value, key) for key in _REFERRAL_KEYS},
        welcome_text=_opt_str(_as_dict(value.get("welcome_message")), "text"),
    )


def _parse_pricing(value: object) -> Pricing | None:
    """Read a status's ``pricing``; ``None`` when absent or not an object."""
    if not isinstance(value, dict):
        return None
    billable = value.get("billable")
    return Pricing(
        billable=billable if isinstance(billable, bool) else None,
        pricing_model=_opt_str(value, "pricing_model"),
        type=_opt_str(value, "type"),
        category=_opt_str(value, "category"),
    )


# --- statuses and preferences -----------------------------------------------------------------


def _head(item: dict[str, Any], key: str) -> tuple[str, str, datetime] | None:
    """Return the item's ``id``, its ``key`` (both non-empty strings) and time, or ``None``."""
    item_id, other = item.get("id"), item.get(key)
    timestamp = _to_datetime(item.get("timestamp"))
    if not (item_id and isinstance(item_id, str) and other and isinstance(other, str)):
        return None
    return None if timestamp is None else (item_id, other, timestamp)


def _status(item: dict[str, Any], origin: _Origin, contact: Contact | None) -> Update | None:
    head = _head(item, "status")
    if head is None:
        return None
    status_id, status, timestamp = head
    field, phone_number_id, raw_value = origin
    conversation = item.get("conversation")
    return Status(
        field=field,
        phone_number_id=phone_number_id,
        raw_value=raw_value,
        id=status_id,
        status=status,
        timestamp=timestamp,
        recipient_id=_opt_str(item, "recipient_id"),
        errors=_parse_errors(item.get("errors")),
        pricing=_parse_pricing(item.get("pricing")),
        conversation=conversation if isinstance(conversation, dict) else None,
        biz_opaque_callback_data=_opt_str(item, "biz_opaque_callback_data"),
    )


def _preference(item: dict[str, Any], origin: _Origin, contact: Contact | None) -> Update | None:
    # Some deliveries name the user only in contacts[] (PYWA test data): fall back to it.
    wa_id = _opt_str(item, "wa_id") or (contact.wa_id if contact else None)
    category = _opt_str(item, "category")
    choice = _opt_str(item, "value")
    timestamp = _to_datetime(item.get("timestamp"))
    if not (wa_id and category and choice and timestamp):
        return None
    field, phone_number_id, raw_value = origin
    return UserPreference(
        field=field,
        phone_number_id=phone_number_id,
        raw_value=raw_value,
        wa_id_=wa_id,
        category=category,
        value=choice,
        detail=_opt_str(item, "detail"),
        timestamp=timestamp,
    )


# --- messages ---------------------------------------------------------------------------------

_Reader = Callable[[dict[str, Any], dict[str, Any]], Message]

# What a malformed item can raise inside a reader (decimal.InvalidOperation is an
# ArithmeticError, _Malformed a ValueError); anything else is a bug and is caught one level up
# (the item then becomes an UnknownChange).
_BAD_SHAPE = (LookupError, TypeError, ValueError, ArithmeticError)


def _message(item: dict[str, Any], origin: _Origin, contact: Contact | None) -> Message | None:
    """Read one ``messages[]`` item; ``None`` without a usable ``id``, ``from`` or timestamp."""
    head = _head(item, "from")
    if head is None:
        return None
    message_id, sender, timestamp = head
    field, phone_number_id, raw_value = origin
    message_type = item.get("type")
    if not isinstance(message_type, str):
        message_type = ""
    common: dict[str, Any] = {
        "field": field,
        "phone_number_id": phone_number_id,
        "raw_value": raw_value,
        "id": message_id,
        "from_": sender,
        "timestamp": timestamp,
        "type": message_type,
        "contact": contact,
        # Most messages have none of these: the test spares three calls on the hot path.
        "context": _parse_context(item["context"]) if "context" in item else None,
        "referral": _parse_referral(item["referral"]) if "referral" in item else None,
        "errors": _parse_errors(item["errors"]) if "errors" in item else (),
    }
    reader = _MESSAGE_READERS.get(message_type, _unsupported)
    try:
        return reader(item, common)
    except _BAD_SHAPE as exc:
        logger.info(
            "message of type %r has a malformed %s; kept as unsupported",
            message_type,
            type(exc).__name__,
        )
        return UnsupportedMessage(**common)


def _unsupported(item: dict[str, Any], common: dict[str, Any]) -> Message:
    unsupported_type = _opt_str(_as_dict(item.get("unsupported")), "type")
    return UnsupportedMessage(**common, unsupported_type=unsupported_type)


def _interactive(item: dict[str, Any], common: dict[str, Any]) -> Message:
    interactive = _req_obj(item, "interactive")
    kind = interactive.get("type")
    if kind in _REPLIES:
        return _shaped(_REPLIES[kind], _req_obj(interactive, kind), common)
    if kind == "nfm_reply":
        reply = _req_obj(interactive, "nfm_reply")
        response: object = reply.get("response_json")
        if isinstance(response, str):
            try:
                response = json.loads(response)
            except ValueError:  # includes JSONDecodeError and bad unicode
                response = None
        if not isinstance(response, dict):
            response = {}  # the original string stays in raw_value
        return FlowReply(
            **common,
            response=response,
            body=_opt_str(reply, "body"),
            name=_opt_str(reply, "name"),
            flow_token=_opt_str(response, "flow_token"),
        )
    if kind == "call_permission_reply":
        reply = _req_obj(interactive, "call_permission_reply")
        return CallPermissionReply(
            **common,
            response=_req_str(reply, "response"),
            is_permanent=reply.get("is_permanent") is True,
            # An integer in some samples, a string in others; a bad one is left out.
            expires_at=_to_datetime(reply.get("expiration_timestamp")),
            response_source=_opt_str(reply, "response_source"),
        )
    return UnsupportedMessage(**common, unsupported_type=kind if isinstance(kind, str) else None)


# A message type read by a table: the class, then each field's attribute, its key in the
# type's object and how it is read (required fields raise _Malformed when missing or mistyped).
_Shape = tuple[type[Message], tuple[tuple[str, str, Callable[[dict[str, Any], str], Any]], ...]]


def _shaped(shape: _Shape, obj: dict[str, Any], common: dict[str, Any]) -> Message:
    cls, fields = shape
    kwargs = common.copy()  # a loop, not a comprehension: this is the hot path
    for attr, key, read in fields:
        kwargs[attr] = read(obj, key)
    return cls(**kwargs)


def _typed(item: dict[str, Any], common: dict[str, Any]) -> Message:
    kind = common["type"]
    return _shaped(_SHAPES[kind], _req_obj(item, kind), common)


def _contacts(item: dict[str, Any], common: dict[str, Any]) -> Message:
    return ContactsMessage(**common, cards=tuple(_objects(item.get("contacts"), "contacts")))


def _order(item: dict[str, Any], common: dict[str, Any]) -> Message:
    order = _req_obj(item, "order")
    items = tuple(
        OrderItem(
            product_retailer_id=_req_str(line, "product_retailer_id"),
            quantity=_to_int(line.get("quantity")),
            item_price=_to_decimal(line.get("item_price")),
            currency=_req_str(line, "currency"),
        )
        for line in _objects(order.get("product_items", []), "product_items")
    )
    return OrderMessage(
        **common,
        catalog_id=_req_str(order, "catalog_id"),
        text=_opt_str(order, "text") or "",
        items=items,
    )


def _system(item: dict[str, Any], common: dict[str, Any]) -> Message:
    system = _as_dict(item.get("system"))
    identity = item.get("identity")
    return SystemMessage(
        **common,
        body=_opt_str(system, "body"),
        system_type=_opt_str(system, "type"),
        new_wa_id=_opt_str(system, "wa_id") or _opt_str(system, "new_wa_id"),
        identity=identity if isinstance(identity, dict) else None,
    )


def _edit(item: dict[str, Any], common: dict[str, Any]) -> Message:
    edit = _req_obj(item, "edit")
    original_id = _req_str(edit, "original_message_id")
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
        origin = (common["field"], common["phone_number_id"], raw_value)
        edited = _message(synthetic, origin, common["contact"])
    return EditMessage(**common, original_message_id=original_id, edited=edited)


_R, _O = _req_str, _opt_str
_MEDIA_FIELDS = (
    ("media_id", "id", _R),
    ("mime_type", "mime_type", _O),
    ("sha256", "sha256", _O),
    ("caption", "caption", _O),
    ("url", "url", _O),
)
_SHAPES: dict[str, _Shape] = {
    "text": (TextMessage, (("body", "body", _R),)),
    "button": (TemplateButtonReply, (("payload", "payload", _R), ("text", "text", _R))),
    "image": (ImageMessage, _MEDIA_FIELDS),
    "video": (VideoMessage, _MEDIA_FIELDS),
    "audio": (AudioMessage, (*_MEDIA_FIELDS, ("voice", "voice", _flag))),
    "document": (DocumentMessage, (*_MEDIA_FIELDS, ("filename", "filename", _O))),
    "sticker": (StickerMessage, (*_MEDIA_FIELDS, ("animated", "animated", _flag))),
    "location": (
        LocationMessage,
        (
            ("latitude", "latitude", _float),
            ("longitude", "longitude", _float),
            ("name", "name", _O),
            ("address", "address", _O),
            ("url", "url", _O),
        ),
    ),
    "reaction": (ReactionMessage, (("message_id", "message_id", _R), ("emoji", "emoji", _O))),
    "revoke": (RevokeMessage, (("original_message_id", "original_message_id", _R),)),
}
# The interactive replies read by the table, keyed by interactive.type (the object's key too).
_REPLY_FIELDS = (("reply_id", "id", _R), ("title", "title", _R))
_REPLIES: dict[str, _Shape] = {
    "button_reply": (ButtonReply, _REPLY_FIELDS),
    "list_reply": (ListReply, (*_REPLY_FIELDS, ("description", "description", _O))),
}

_MESSAGE_READERS: dict[str, _Reader] = {
    **dict.fromkeys(_SHAPES, _typed),
    "interactive": _interactive,
    "contacts": _contacts,
    "order": _order,
    "system": _system,
    "edit": _edit,
    "request_welcome": lambda _item, common: RequestWelcome(**common),
    "unsupported": _unsupported,
    "unknown": _unsupported,
}


def _echo(item: dict[str, Any], origin: _Origin, contact: Contact | None) -> Update | None:
    """Read one ``message_echoes[]`` item; ``None`` without a usable ``to``, id or timestamp.

    Its content is read as a message from the business, whose ``raw_value`` holds it as a
    ``messages[]`` item, so it parses back on its own (as an edit's new content does).
    """
    to = _PHONE_PUNCTUATION.sub("", _opt_str(item, "to") or "")  # Meta may write "+1 650…"
    field, phone_number_id, raw_value = origin
    inner = {**{k: v for k, v in raw_value.items() if k != "message_echoes"}, "messages": [item]}
    message = _message(item, ("messages", phone_number_id, inner), None)
    if not to or message is None:
        return None
    return MessageEcho(
        field=field,
        phone_number_id=phone_number_id,
        raw_value=raw_value,
        id=message.id,
        from_=message.from_,
        to=to,
        timestamp=message.timestamp,
        type=message.type,
        message=message,
    )


_ItemReader = Callable[[dict[str, Any], _Origin, Contact | None], Update | None]
_ITEM_READERS: dict[str, _ItemReader] = {
    "messages": _message,
    "statuses": _status,
    "user_preferences": _preference,
    "message_echoes": _echo,
}


__all__ = [
    "AudioMessage",
    "ButtonReply",
    "CallPermissionReply",
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
    "MessageEcho",
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
