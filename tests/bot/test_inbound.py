"""Tests for ``bot.inbound``: one real webhook body per inbound kind, garbage, keys, round trips.

Each file under ``tests/payloads/inbound/`` is a complete POST body in Meta's shapes
(cloud-api.md §1.2, §2). :data:`EXPECTED` says, per file, which updates must come out, in
order, and the attribute values that matter (dotted paths reach into nested objects).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot import inbound
from bot.inbound import (
    AudioMessage,
    ButtonReply,
    CallPermissionReply,
    Contact,
    ContactsMessage,
    DocumentMessage,
    EditMessage,
    ErrorInfo,
    FlowReply,
    ImageMessage,
    ListReply,
    LocationMessage,
    Message,
    MessageEcho,
    OrderItem,
    OrderMessage,
    Pricing,
    ReactionMessage,
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
    parse_payload,
    parse_value,
)

PAYLOAD_DIR = Path(__file__).resolve().parent.parent / "payloads" / "inbound"
PHONE_NUMBER_ID = "106540352242922"
BUSINESS_NUMBER = "15550783881"
ANA = "16505551234"
BRUNO = "5511987654321"
T0 = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
HEX64 = 64


def wamid(tag: str) -> str:
    """The inbound wamid the payload files use for ``tag``."""
    return f"wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTk{tag}RkE4QzA2MzdCMkQ1QTkwAA=="


def out_wamid(tag: str) -> str:
    """The outbound wamid the status files use for ``tag``."""
    return f"wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI{tag}QjZCMzlEQUE4OTJBMTE4RTUA"


def load(name: str) -> Any:
    """A payload file, decoded."""
    return json.loads((PAYLOAD_DIR / name).read_text(encoding="utf-8"))


def get(element: Any, path: str) -> Any:
    """Follow a dotted path: attributes, dict keys, and numbers as sequence indexes."""
    for part in path.split("."):
        if part.isdigit():
            element = element[int(part)]
        elif isinstance(element, dict):
            element = element[part]
        else:
            element = getattr(element, part)
    return element


def seconds(n: int) -> datetime:
    """``T0`` plus ``n`` seconds."""
    return datetime.fromtimestamp(T0.timestamp() + n, UTC)


ANA_CARD = {"wa_id": ANA, "contact.name": "Ana Souza", "contact.wa_id": ANA}
GENERIC_131000 = ErrorInfo(
    code=131000,
    title="Something went wrong",
    message="Something went wrong",
    details="Unsupported webhook payload",
    href=None,
)

Expected = list[tuple[type[Update], dict[str, object]]]

EXPECTED: dict[str, Expected] = {
    "text.json": [
        (
            TextMessage,
            {
                **ANA_CARD,
                "kind": "message",
                "field": "messages",
                "phone_number_id": PHONE_NUMBER_ID,
                "id": wamid("001"),
                "from_": ANA,
                "timestamp": T0,
                "type": "text",
                "body": "Hi! Do you deliver on Sundays?",
                "context": None,
                "referral": None,
                "errors": (),
            },
        )
    ],
    "text_referral.json": [
        (
            TextMessage,
            {
                **ANA_CARD,
                "body": "Hello! Can I get more info on this?",
                "referral.source_type": "ad",
                "referral.source_id": "120214582356730621",
                "referral.media_type": "image",
                "referral.headline": "Order bread on WhatsApp",
                "referral.video_url": None,
                "referral.ctwa_clid": "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7"
                "JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a",
                "referral.welcome_text": "Hi! Tell us what you would like to order.",
            },
        )
    ],
    "text_quoted_reply.json": [
        (
            TextMessage,
            {
                "body": "Yes, that one please",
                "context.from_": BUSINESS_NUMBER,
                "context.id": "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJCMUQyRTA5QjU0QjI1QzY4RTIA",
                "context.forwarded": False,
                "context.referred_product": None,
            },
        )
    ],
    "text_forwarded.json": [
        (
            TextMessage,
            {
                "context.forwarded": True,
                "context.frequently_forwarded": False,
                "context.from_": None,
                "context.id": None,
            },
        )
    ],
    "text_frequently_forwarded.json": [
        (TextMessage, {"context.forwarded": False, "context.frequently_forwarded": True})
    ],
    "text_product_inquiry.json": [
        (
            TextMessage,
            {
                "body": "Is this available in size M?",
                "context.referred_product": ReferredProduct("1523548721458723", "TSHIRT-BLUE-M"),
                "context.from_": BUSINESS_NUMBER,
            },
        )
    ],
    "interactive_button_reply.json": [
        (
            ButtonReply,
            {
                **ANA_CARD,
                "type": "interactive",
                "reply_id": "confirm_yes",
                "title": "Yes, confirm",
                "context.id": "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJCVVRUT05TMDAxMjM0NTY3AA==",
            },
        )
    ],
    "interactive_list_reply.json": [
        (
            ListReply,
            {
                "type": "interactive",
                "reply_id": "slot_tue_10",
                "title": "Tuesday 10:00",
                "description": "Downtown store, 30 minutes",
            },
        )
    ],
    "interactive_list_reply_no_description.json": [
        (ListReply, {"reply_id": "size_m", "title": "Medium", "description": None})
    ],
    "interactive_nfm_reply.json": [
        (
            FlowReply,
            {
                "type": "interactive",
                "flow_token": "booking-7f3a9c",
                "response": {
                    "flow_token": "booking-7f3a9c",
                    "date": "2026-03-20",
                    "guests": "2",
                    "name": "Ana",
                },
                "body": "Sent",
                "name": "flow",
            },
        )
    ],
    "template_button_reply.json": [
        (
            TemplateButtonReply,
            {
                "type": "button",
                "payload": "STOP_PROMOTIONS",
                "text": "Stop promotions",
                "context.from_": BUSINESS_NUMBER,
            },
        )
    ],
    "image_caption.json": [
        (
            ImageMessage,
            {
                "type": "image",
                "media_id": "1479537139650973",
                "mime_type": "image/jpeg",
                "sha256": "4PGY3MP8pmCQaQ3vgbp+Mm8hmvLZ/gj6VwxVU8M5c3k=",
                "caption": "My receipt",
                "url": None,
            },
        )
    ],
    "audio_voice.json": [
        (
            AudioMessage,
            {
                "type": "audio",
                "media_id": "1003383421387256",
                "mime_type": "audio/ogg; codecs=opus",
                "voice": True,
                "caption": None,
            },
        )
    ],
    "video.json": [
        (VideoMessage, {"type": "video", "media_id": "1246891773120593", "mime_type": "video/mp4"})
    ],
    "document.json": [
        (
            DocumentMessage,
            {
                "type": "document",
                "media_id": "889124523677413",
                "filename": "contract-2026.pdf",
                "caption": "Signed contract",
                "mime_type": "application/pdf",
            },
        )
    ],
    "sticker_animated.json": [
        (
            StickerMessage,
            {"type": "sticker", "animated": True, "mime_type": "image/webp", "caption": None},
        )
    ],
    "location_live.json": [
        (
            LocationMessage,
            {
                "latitude": -23.5613991,
                "longitude": -46.6565712,
                "name": None,
                "address": None,
                "url": None,
            },
        )
    ],
    "location_place.json": [
        (
            LocationMessage,
            {
                "latitude": 37.4847483,
                "longitude": -122.1473606,
                "name": "Meta Headquarters",
                "address": "1 Hacker Way, Menlo Park, CA 94025",
            },
        )
    ],
    "contacts.json": [
        (
            ContactsMessage,
            {
                "type": "contacts",
                "cards.0.name": {
                    "formatted_name": "Rachel Green",
                    "first_name": "Rachel",
                    "last_name": "Green",
                },
                "cards.1.phones": [{"phone": "+1 555-555-0199", "type": "HOME"}],
            },
        )
    ],
    "order.json": [
        (
            OrderMessage,
            {
                "catalog_id": "1523548721458723",
                "text": "",
                "items": (
                    OrderItem("BREAD-SOURDOUGH", 2, Decimal("12.99"), "BRL"),
                    OrderItem("CROISSANT", 3, Decimal("4.5"), "BRL"),
                ),
            },
        )
    ],
    "reaction.json": [
        (
            ReactionMessage,
            {
                "message_id": "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJSRUFDVEVEMDEyMzQ1NjcA",
                "emoji": "\U0001f44d",
                "removed": False,
            },
        )
    ],
    "reaction_removed_empty.json": [(ReactionMessage, {"emoji": "", "removed": True})],
    "reaction_removed_missing.json": [(ReactionMessage, {"emoji": None, "removed": True})],
    "call_permission_reply_accept.json": [
        (
            CallPermissionReply,
            {
                **ANA_CARD,
                "type": "interactive",
                "id": wamid("040"),
                "response": "accept",
                "accepted": True,
                "is_permanent": False,
                "expires_at": seconds(120 + 7 * 86_400),  # Meta's samples send it as a string
                "response_source": "user_action",
                "automatic": False,
                "context.id": "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJDQUxMUkVRVUVTVDAxAA==",
            },
        )
    ],
    "call_permission_reply_permanent.json": [
        (CallPermissionReply, {"accepted": True, "is_permanent": True, "expires_at": None})
    ],
    "call_permission_reply_reject_automatic.json": [
        (
            CallPermissionReply,
            {
                "response": "reject",
                "accepted": False,
                "automatic": True,
                "expires_at": None,
                "context": None,
            },
        )
    ],
    "call_permission_reply_temporary_int.json": [
        (
            CallPermissionReply,
            {
                "expires_at": seconds(150 + 7 * 86_400),  # PYWA's samples send an integer
                "automatic": True,
                "context.id": "wacid.HBgLMTY1MDU1NTEyMzQVAgARGBJDQUxMMDEA",
            },
        )
    ],
    "system_user_changed_number.json": [
        (
            SystemMessage,
            {
                "wa_id": ANA,
                "contact": None,
                "system_type": "user_changed_number",
                "new_wa_id": "16505559876",
                "body": "User Ana Souza changed from 16505551234 to 16505559876",
                "identity": None,
            },
        )
    ],
    "system_customer_identity_changed.json": [
        (
            SystemMessage,
            {
                "system_type": "customer_identity_changed",
                "new_wa_id": None,
                "identity": {
                    "acknowledged": True,
                    "created_timestamp": "1773480540",
                    "hash": "Sjvjlx8G6Z0=",
                },
            },
        )
    ],
    "edit.json": [
        (
            EditMessage,
            {
                "type": "edit",
                "id": wamid("025"),
                "original_message_id": wamid("001"),
                "edited.id": wamid("001"),
                "edited.body": "Hi! Do you deliver on Saturdays?",
                "edited.timestamp": seconds(90),
                "edited.contact.name": "Ana Souza",
            },
        )
    ],
    "revoke.json": [(RevokeMessage, {"type": "revoke", "original_message_id": wamid("001")})],
    "request_welcome.json": [(RequestWelcome, {**ANA_CARD, "type": "request_welcome"})],
    "unsupported.json": [
        (
            UnsupportedMessage,
            {
                "type": "unsupported",
                "unsupported_type": "poll_creation",
                "errors": (
                    ErrorInfo(
                        code=131051,
                        title="Message type unknown",
                        message="Message type unknown",
                        details="Message type is currently not supported.",
                        href=None,
                    ),
                ),
            },
        )
    ],
    "unknown_old_style.json": [
        (
            UnsupportedMessage,
            {"type": "unknown", "unsupported_type": None, "errors.0.code": 131051},
        )
    ],
    "interactive_missing_object.json": [
        (
            UnsupportedMessage,
            {"type": "interactive", "unsupported_type": None, "id": wamid("030"), "wa_id": ANA},
        ),
        (ValueErrors, {"kind": "errors", "wa_id": None, "errors": (GENERIC_131000,)}),
    ],
    "status_sent.json": [
        (
            Status,
            {
                "kind": "status",
                "id": out_wamid("OUT1"),
                "status": "sent",
                "timestamp": T0,
                "recipient_id": ANA,
                "wa_id": ANA,
                "conversation": {
                    "id": "a3f1cb5c7e8d2b4a6f9e0c1d2b3a4f5e",
                    "expiration_timestamp": "1773567000",
                    "origin": {"type": "service"},
                },
                "biz_opaque_callback_data": "order-4711",
                "pricing": None,
            },
        )
    ],
    "status_delivered.json": [
        (
            Status,
            {
                "status": "delivered",
                "timestamp": seconds(2),
                "pricing": Pricing(
                    billable=True, pricing_model="PMP", type="regular", category="utility"
                ),
                "conversation": None,
            },
        )
    ],
    "status_read.json": [(Status, {"status": "read", "id": out_wamid("OUT1"), "pricing": None})],
    "status_played.json": [(Status, {"status": "played", "id": out_wamid("VOICE")})],
    "status_failed.json": [
        (
            Status,
            {
                "status": "failed",
                "errors.0.code": 131047,
                "errors.0.title": "Re-engagement message",
                "errors.0.href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/"
                "error-codes/",
            },
        )
    ],
    "value_errors.json": [
        (
            ValueErrors,
            {"kind": "errors", "phone_number_id": PHONE_NUMBER_ID, "errors": (GENERIC_131000,)},
        )
    ],
    "user_preferences_stop.json": [
        (
            UserPreference,
            {
                "kind": "preference",
                "field": "user_preferences",
                "wa_id": ANA,
                "category": "marketing_messages",
                "value": "stop",
                "detail": "User requested to stop marketing messages",
                "timestamp": seconds(300),
            },
        )
    ],
    "user_preferences_resume.json": [(UserPreference, {"wa_id": ANA, "value": "resume"})],
    "contact_user_id_no_wa_id.json": [
        (
            TextMessage,
            {
                "wa_id": ANA,
                "contact": Contact(
                    wa_id=None,
                    name="Ana Souza",
                    user_id="US.13491208655302741918",
                    parent_user_id="US.ENT.11815799212886844830",
                    username="ana.bakes",
                ),
            },
        )
    ],
    "contact_user_id_empty_wa_id.json": [
        (
            TextMessage,
            {
                "body": "Hi again",
                "contact.wa_id": None,
                "contact.user_id": "US.13491208655302741918",
                "contact.username": "ana.bakes",
            },
        )
    ],
    "non_ascii_name.json": [
        (
            TextMessage,
            {
                "contact.name": "José Müller 🌟",
                "body": "Olá! Quero um pão de queijo 🧀, por favor 🙏",
            },
        )
    ],
    "smb_message_echo.json": [
        (
            MessageEcho,
            {
                "kind": "echo",
                "field": "smb_message_echoes",
                "phone_number_id": PHONE_NUMBER_ID,
                "id": out_wamid("E01"),
                "from_": BUSINESS_NUMBER,
                "to": ANA,  # Meta's "+16505551234", as the contact's id
                "wa_id": ANA,
                "timestamp": seconds(300),
                "type": "text",
                "text_value": "Hi Ana, Marta here from the shop. Yes, we deliver on Sundays "
                "until 1 pm.",
                "message.from_": BUSINESS_NUMBER,
                "message.kind": "message",
            },
        )
    ],
    "message_template_status_update.json": [
        (
            UnknownChange,
            {
                "kind": "unknown",
                "field": "message_template_status_update",
                "phone_number_id": None,
                "wa_id": None,
                "value.event": "APPROVED",
            },
        )
    ],
    "batch.json": [
        (TextMessage, {**ANA_CARD, "id": wamid("B01"), "body": "Good morning"}),
        (
            TextMessage,
            {
                "wa_id": BRUNO,
                "contact.name": "Bruno Lima",
                "body": "Bom dia",
                "timestamp": seconds(1),
            },
        ),
        (ButtonReply, {**ANA_CARD, "reply_id": "menu"}),
        (Status, {"id": out_wamid("B11"), "status": "sent"}),
        (
            Status,
            {
                "id": out_wamid("B11"),
                "status": "delivered",
                "pricing.type": "free_customer_service",
            },
        ),
        (Status, {"id": out_wamid("B11"), "status": "read"}),
        (
            ImageMessage,
            {"wa_id": BRUNO, "contact.name": "Bruno Lima", "media_id": "998877665544332"},
        ),
    ],
}

EVERY_UPDATE = [
    pytest.param(name, index, id=f"{name}#{index}")
    for name in sorted(EXPECTED)
    for index in range(len(EXPECTED[name]))
]


def value_of(**lists: Any) -> dict[str, Any]:
    """A ``value`` object with Meta's common keys plus ``lists``."""
    return {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": BUSINESS_NUMBER, "phone_number_id": PHONE_NUMBER_ID},
        **lists,
    }


def body_of(value: Any, field: str = "messages") -> dict[str, Any]:
    """A complete POST body with one change."""
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": field}]}],
    }


def text_item(**changes: Any) -> dict[str, Any]:
    """A text message item, with some keys replaced (``None`` removes a key)."""
    item: dict[str, Any] = {
        "from": ANA,
        "id": wamid("X01"),
        "timestamp": "1773480600",
        "type": "text",
        "text": {"body": "hello"},
    }
    item.update(changes)
    return {key: value for key, value in item.items() if value is not None}


# --- every payload file ------------------------------------------------------------------------


def test_every_payload_file_has_expectations() -> None:
    files = {path.name for path in PAYLOAD_DIR.glob("*.json")}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_payload_file_parses_to_the_expected_updates(name: str) -> None:
    updates = parse_payload(load(name))

    assert [type(update) for update in updates] == [cls for cls, _ in EXPECTED[name]]
    for update, (_, attributes) in zip(updates, EXPECTED[name], strict=True):
        actual = {path: get(update, path) for path in attributes}
        assert actual == attributes


@pytest.mark.parametrize(("name", "index"), EVERY_UPDATE)
def test_raw_value_parses_back_to_the_same_update(name: str, index: int) -> None:
    update = parse_payload(load(name))[index]

    assert parse_value(update.field, update.raw_value) == [update]


@pytest.mark.parametrize(("name", "index"), EVERY_UPDATE)
def test_raw_value_is_one_self_contained_json_value(name: str, index: int) -> None:
    update = parse_payload(load(name))[index]
    raw = json.loads(json.dumps(update.raw_value))  # storable as JSON, and unchanged by it

    assert parse_value(update.field, raw) == [update]
    if isinstance(update, UnknownChange):
        return
    assert raw["messaging_product"] == "whatsapp"
    assert raw["metadata"]["phone_number_id"] == PHONE_NUMBER_ID
    items = [
        item
        for key in ("messages", "statuses", "user_preferences", "message_echoes")
        for item in raw.get(key, [])
    ]
    if isinstance(update, ValueErrors):
        assert (items, len(raw["errors"])) == ([], len(update.errors))
    else:
        assert (len(items), "errors" in raw) == (1, False)
    assert len(raw.get("contacts", [])) <= 1


@pytest.mark.parametrize(("name", "index"), EVERY_UPDATE)
def test_timestamps_are_aware_utc(name: str, index: int) -> None:
    update = parse_payload(load(name))[index]
    timestamp = getattr(update, "timestamp", T0)

    assert timestamp.utcoffset() == timedelta(0)


# --- garbage never raises, and nothing is dropped ----------------------------------------------

WABA = "whatsapp_business_account"
NOT_A_CHANGE = {"object": WABA, "entry": [{"id": "1", "changes": ["not a change"]}]}
NO_ID = text_item(id=None)
NO_FROM = text_item(**{"from": None})
BAD_TIMESTAMP = text_item(timestamp="abc")
NO_STATUS = {"id": out_wamid("X"), "timestamp": "1773480600", "recipient_id": ANA}
NO_WA_ID = {"category": "marketing_messages", "value": "stop", "timestamp": 1773480900}
NO_TEXT_OBJECT = text_item(text=None)
BOOL_LATITUDE = text_item(type="location", text=None, location={"latitude": True})
BAD_PRICE = text_item(
    type="order",
    text=None,
    order={
        "catalog_id": "1523548721458723",
        "product_items": [
            {"product_retailer_id": "A", "quantity": 1, "item_price": "abc", "currency": "BRL"}
        ],
    },
)


def messages_body(*items: Any) -> dict[str, Any]:
    """A POST body whose one value carries ``items`` as ``messages``."""
    return body_of(value_of(messages=list(items)))


GARBAGE = [
    pytest.param(None, UnknownChange, None, id="none"),
    pytest.param([], UnknownChange, [], id="empty-list"),
    pytest.param("x", UnknownChange, "x", id="string"),
    pytest.param({}, UnknownChange, {}, id="empty-dict"),
    pytest.param({"entry": "x"}, UnknownChange, {"entry": "x"}, id="entry-not-a-list"),
    pytest.param(
        {"entry": [{"changes": [{"value": 5}]}]},
        UnknownChange,
        {"entry": [{"changes": [{"value": 5}]}]},
        id="no-object-value-5",
    ),
    pytest.param(
        {"object": "instagram", "entry": []},
        UnknownChange,
        {"object": "instagram", "entry": []},
        id="other-object",
    ),
    pytest.param({"object": WABA, "entry": [7]}, UnknownChange, 7, id="entry-not-a-dict"),
    pytest.param(NOT_A_CHANGE, UnknownChange, "not a change", id="change-not-a-dict"),
    pytest.param(body_of(5), UnknownChange, 5, id="value-5"),
    pytest.param(body_of(None), UnknownChange, None, id="value-null"),
    pytest.param(messages_body(NO_ID), UnknownChange, NO_ID, id="message-without-id"),
    pytest.param(messages_body(NO_FROM), UnknownChange, NO_FROM, id="message-without-from"),
    pytest.param(messages_body(BAD_TIMESTAMP), UnknownChange, BAD_TIMESTAMP, id="timestamp-abc"),
    pytest.param(messages_body("oops"), UnknownChange, "oops", id="message-not-a-dict"),
    pytest.param(
        body_of(value_of(messages="oops")),
        UnknownChange,
        value_of(messages="oops"),
        id="messages-not-a-list",
    ),
    pytest.param(
        body_of(value_of(statuses=[NO_STATUS])), UnknownChange, NO_STATUS, id="status-no-status"
    ),
    pytest.param(
        body_of(value_of(user_preferences=[NO_WA_ID]), "user_preferences"),
        UnknownChange,
        NO_WA_ID,
        id="preference-without-wa-id",
    ),
    pytest.param(body_of(value_of()), UnknownChange, value_of(), id="value-with-no-items"),
    pytest.param(
        messages_body(NO_TEXT_OBJECT), UnsupportedMessage, NO_TEXT_OBJECT, id="text-no-object"
    ),
    pytest.param(messages_body(BAD_PRICE), UnsupportedMessage, BAD_PRICE, id="order-bad-price"),
    pytest.param(
        messages_body(BOOL_LATITUDE), UnsupportedMessage, BOOL_LATITUDE, id="location-bool-lat"
    ),
]


@pytest.mark.parametrize(("payload", "cls", "kept"), GARBAGE)
def test_garbage_never_raises_and_keeps_the_raw_data(
    payload: object, cls: type[Update], kept: object
) -> None:
    (update,) = parse_payload(payload)

    assert type(update) is cls
    if isinstance(update, UnknownChange):
        assert (update.value, update.wa_id) == (kept, None)
    else:
        assert update.raw_value["messages"] == [kept]


@pytest.mark.parametrize(("payload", "cls", "kept"), GARBAGE)
def test_garbage_round_trips_through_raw_value(
    payload: object, cls: type[Update], kept: object
) -> None:
    (update,) = parse_payload(payload)
    raw = json.loads(json.dumps(update.raw_value))

    assert parse_value(update.field, raw) == [update]
    assert update.dedupe_key.startswith(f"{update.kind}:")


def test_a_misbehaving_mapping_does_not_escape() -> None:
    class Hostile(dict[str, Any]):
        def get(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("boom")

    (update,) = parse_payload(Hostile(object=WABA))

    assert isinstance(update, UnknownChange)
    assert update.value == {"object": WABA}


def test_one_bad_item_does_not_cost_its_neighbours() -> None:
    value = value_of(
        contacts=[{"profile": {"name": "Ana Souza"}, "wa_id": ANA}],
        messages=[text_item(id=wamid("X01")), "oops", text_item(id=wamid("X02"))],
    )

    updates = parse_payload(body_of(value))

    assert [type(update) for update in updates] == [TextMessage, UnknownChange, TextMessage]
    assert [get(u, "contact.name") for u in (updates[0], updates[2])] == ["Ana Souza"] * 2


def test_unrecognised_keys_in_a_value_are_kept_beside_the_items() -> None:
    calls = [{"id": "call-1", "event": "connect"}]
    value = value_of(messages=[text_item()], calls=calls)

    updates = parse_payload(body_of(value))

    assert [type(update) for update in updates] == [TextMessage, UnknownChange]
    assert get(updates[1], "value") == value_of(calls=calls)


# --- specific behaviours -----------------------------------------------------------------------


def test_flow_reply_with_bad_json_gives_an_empty_response_and_keeps_the_raw_string() -> None:
    nfm = {"response_json": "{not json", "body": "Sent", "name": "flow"}
    item = text_item(
        type="interactive", text=None, interactive={"type": "nfm_reply", "nfm_reply": nfm}
    )

    (update,) = parse_payload(body_of(value_of(messages=[item])))

    assert isinstance(update, FlowReply)
    assert (update.response, update.flow_token) == ({}, None)
    assert (
        update.raw_value["messages"][0]["interactive"]["nfm_reply"]["response_json"] == "{not json"
    )


def test_an_interactive_sub_type_waflow_does_not_know_is_unsupported() -> None:
    interactive = {"type": "carousel_reply", "carousel_reply": {"id": "x"}}
    item = text_item(type="interactive", text=None, interactive=interactive)

    (update,) = parse_payload(body_of(value_of(messages=[item])))

    assert isinstance(update, UnsupportedMessage)
    assert (update.type, update.unsupported_type) == ("interactive", "carousel_reply")


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param({}, id="no-response"),
        pytest.param({"response": 1}, id="response-not-a-string"),
        pytest.param(None, id="no-object"),
    ],
)
def test_a_malformed_call_permission_reply_is_unsupported(reply: object) -> None:
    interactive: dict[str, object] = {"type": "call_permission_reply"}
    if reply is not None:
        interactive["call_permission_reply"] = reply
    item = text_item(type="interactive", text=None, interactive=interactive)

    (update,) = parse_payload(body_of(value_of(messages=[item])))

    assert isinstance(update, UnsupportedMessage)


def test_a_call_permission_reply_with_a_bad_expiry_keeps_the_answer() -> None:
    reply = {"response": "accept", "expiration_timestamp": "soon", "is_permanent": "yes"}
    interactive = {"type": "call_permission_reply", "call_permission_reply": reply}
    item = text_item(type="interactive", text=None, interactive=interactive)

    (update,) = parse_payload(body_of(value_of(messages=[item])))

    assert isinstance(update, CallPermissionReply)
    assert (update.accepted, update.expires_at, update.is_permanent) == (True, None, False)


def test_a_type_string_waflow_does_not_know_is_unsupported() -> None:
    item = text_item(type="poll", text=None, poll={"question": "?"})

    (update,) = parse_payload(body_of(value_of(messages=[item])))

    assert isinstance(update, UnsupportedMessage)
    assert (update.type, update.unsupported_type, update.id) == ("poll", None, wamid("X01"))


def test_an_integer_timestamp_is_read_like_a_string_one() -> None:
    (update,) = parse_payload(body_of(value_of(messages=[text_item(timestamp=1773480600)])))

    assert isinstance(update, TextMessage)
    assert update.timestamp == T0


def test_contacts_are_matched_by_user_id_when_wa_id_is_empty() -> None:
    contacts = [
        {"profile": {"name": "Ana Souza"}, "wa_id": "", "user_id": "US.111"},
        {"profile": {"name": "Bruno Lima"}, "wa_id": "", "user_id": "US.222"},
    ]
    messages = [text_item(from_user_id="US.222"), text_item(id=wamid("X02"), from_user_id="US.111")]

    updates = parse_payload(body_of(value_of(contacts=contacts, messages=messages)))

    assert [get(u, "contact.name") for u in updates] == ["Bruno Lima", "Ana Souza"]
    assert [u.raw_value["contacts"][0]["user_id"] for u in updates] == ["US.222", "US.111"]


def test_an_unmatched_sender_among_several_contacts_gets_no_contact() -> None:
    contacts = [{"wa_id": BRUNO}, {"wa_id": "4915112345678"}]

    (update,) = parse_payload(body_of(value_of(contacts=contacts, messages=[text_item()])))

    assert isinstance(update, TextMessage)
    assert update.contact is None
    assert "contacts" not in update.raw_value


def test_the_edited_content_round_trips_on_its_own() -> None:
    (update,) = parse_payload(load("edit.json"))

    assert isinstance(update, EditMessage)
    assert update.edited is not None
    assert parse_value(update.edited.field, update.edited.raw_value) == [update.edited]


def test_malformed_edited_content_is_kept_as_an_unsupported_message() -> None:
    item = text_item(
        type="edit",
        text=None,
        edit={"original_message_id": wamid("X00"), "message": {"type": "image", "image": 5}},
    )

    (update,) = parse_payload(messages_body(item))

    assert isinstance(update, EditMessage)
    assert type(update.edited) is UnsupportedMessage
    assert (update.edited.id, update.edited.type) == (wamid("X00"), "image")
    assert parse_value(update.edited.field, update.edited.raw_value) == [update.edited]


@pytest.mark.parametrize("kind", ["image", "video", "audio", "document", "sticker"])
def test_media_without_its_id_is_unsupported(kind: str) -> None:
    item = text_item(type=kind, text=None, **{kind: {"mime_type": "image/jpeg"}})

    (update,) = parse_payload(messages_body(item))

    assert type(update) is UnsupportedMessage
    assert update.type == kind


def test_a_status_with_a_bad_timestamp_is_kept_as_unknown() -> None:
    status = {"id": out_wamid("OUT1"), "status": "sent", "timestamp": "soon"}

    (update,) = parse_payload(body_of(value_of(statuses=[status])))

    assert type(update) is UnknownChange
    assert update.value == status


def test_statuses_are_matched_to_their_recipient_among_several_contacts() -> None:
    contacts = [{"wa_id": BRUNO}, {"wa_id": ANA, "profile": {"name": "Ana"}}]
    status = {"id": out_wamid("OUT1"), "status": "read", "timestamp": "1773480600"}

    (update,) = parse_payload(
        body_of(value_of(contacts=contacts, statuses=[{**status, "recipient_id": ANA}]))
    )

    assert isinstance(update, Status)
    assert update.raw_value["contacts"] == [contacts[1]]


def test_messages_can_be_built_by_hand_with_defaults() -> None:
    message = TextMessage(id=wamid("X01"), from_=ANA, timestamp=T0, body="hi")

    assert (message.type, message.field, message.kind, message.errors) == (
        "text",
        "messages",
        "message",
        (),
    )
    assert (message.text_value, message.dedupe_key, message.wa_id) == (
        "hi",
        f"message:{wamid('X01')}",
        ANA,
    )


def test_updates_are_frozen_and_hashable() -> None:
    (first,) = parse_payload(load("interactive_nfm_reply.json"))
    (again,) = parse_payload(load("interactive_nfm_reply.json"))

    assert isinstance(first, FlowReply)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.id = "other"  # type: ignore[misc]
    assert len({first, again}) == 1


# --- helpers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text_value", "choice_id"),
    [
        pytest.param("text.json", "Hi! Do you deliver on Sundays?", None, id="text"),
        pytest.param("interactive_button_reply.json", "Yes, confirm", "confirm_yes", id="button"),
        pytest.param("interactive_list_reply.json", "Tuesday 10:00", "slot_tue_10", id="list"),
        pytest.param(
            "template_button_reply.json", "Stop promotions", "STOP_PROMOTIONS", id="template"
        ),
        pytest.param("image_caption.json", "My receipt", None, id="image-caption"),
        pytest.param("document.json", "Signed contract", None, id="document-caption"),
        pytest.param("video.json", None, None, id="video-no-caption"),
        pytest.param("audio_voice.json", None, None, id="voice"),
        pytest.param("interactive_nfm_reply.json", None, None, id="flow"),
        pytest.param("reaction.json", None, None, id="reaction"),
        pytest.param("order.json", None, None, id="order"),
        pytest.param("location_place.json", None, None, id="location"),
        pytest.param("edit.json", None, None, id="edit"),
        pytest.param(
            "call_permission_reply_accept.json",
            None,
            "call_permission:accept",
            id="call-permission",
        ),
        pytest.param("unsupported.json", None, None, id="unsupported"),
    ],
)
def test_text_value_and_choice_id(name: str, text_value: str | None, choice_id: str | None) -> None:
    (message,) = parse_payload(load(name))

    assert isinstance(message, Message)
    assert (message.text_value, message.choice_id) == (text_value, choice_id)


# --- dedupe keys ------------------------------------------------------------------------------


def test_a_redelivered_message_has_the_same_key() -> None:
    (first,) = parse_payload(load("text.json"))
    (again,) = parse_payload(load("text.json"))

    assert first.dedupe_key == again.dedupe_key == f"message:{wamid('001')}"


def test_one_wamid_sent_delivered_and_read_gives_three_keys() -> None:
    names = ("status_sent.json", "status_delivered.json", "status_read.json")
    statuses = [parse_payload(load(name))[0] for name in names]

    assert {get(s, "id") for s in statuses} == {out_wamid("OUT1")}
    assert [s.dedupe_key for s in statuses] == [
        f"status:{out_wamid('OUT1')}:{state}" for state in ("sent", "delivered", "read")
    ]


def test_every_update_of_a_batch_has_its_own_key() -> None:
    keys = [update.dedupe_key for update in parse_payload(load("batch.json"))]

    assert len(keys) == len(set(keys)) == 7


def test_preference_keys_tell_stop_from_resume() -> None:
    (stop,) = parse_payload(load("user_preferences_stop.json"))
    (resume,) = parse_payload(load("user_preferences_resume.json"))

    assert stop.dedupe_key == f"preference:{ANA}:marketing_messages:stop:1773480900"
    assert resume.dedupe_key != stop.dedupe_key


def test_value_error_and_unknown_keys_are_content_hashes() -> None:
    (errors,) = parse_payload(load("value_errors.json"))
    (again,) = parse_payload(load("value_errors.json"))
    (unknown,) = parse_payload(load("message_template_status_update.json"))
    other = body_of({"event": "REJECTED"}, "message_template_status_update")

    assert errors.dedupe_key == again.dedupe_key
    assert len(errors.dedupe_key) == len("errors:") + HEX64
    assert unknown.dedupe_key.startswith("unknown:")
    assert unknown.dedupe_key != parse_payload(other)[0].dedupe_key


def test_an_absurd_wamid_gets_a_bounded_key() -> None:
    long_id = "wamid." + "A" * 1000
    (message,) = parse_payload(body_of(value_of(messages=[text_item(id=long_id)])))

    assert isinstance(message, TextMessage)
    assert message.dedupe_key.startswith("message:sha256:")
    assert len(message.dedupe_key) <= 255


# --- public API -------------------------------------------------------------------------------


def test_an_echo_is_keyed_by_its_wamid_and_never_taken_for_a_customer_message() -> None:
    (echo,) = parse_payload(load("smb_message_echo.json"))
    (again,) = parse_payload(load("smb_message_echo.json"))
    assert echo.dedupe_key == again.dedupe_key == "echo:" + echo.id
    assert not isinstance(echo, Message)
    assert parse_value(echo.message.field, echo.message.raw_value) == [echo.message]


def test_an_echo_without_a_recipient_is_kept_as_unknown() -> None:
    item = {**text_item(**{"from": BUSINESS_NUMBER})}
    (update,) = parse_payload(body_of(value_of(message_echoes=[item]), "smb_message_echoes"))
    assert isinstance(update, UnknownChange)
    assert update.value == item


def test_public_api_is_pinned() -> None:
    assert set(inbound.__all__) == {
        "AudioMessage", "ButtonReply", "CallPermissionReply", "Contact", "ContactsMessage", "Context",
        "DocumentMessage", "EditMessage", "ErrorInfo", "FlowReply", "ImageMessage", "ListReply",
        "LocationMessage", "MediaMessage", "Message", "MessageEcho", "OrderItem", "OrderMessage", "Pricing",
        "ReactionMessage", "Referral", "ReferredProduct", "RequestWelcome", "RevokeMessage",
        "Status", "StickerMessage", "SystemMessage", "TemplateButtonReply", "TextMessage",
        "UnknownChange", "UnsupportedMessage", "Update", "UserPreference", "ValueErrors",
        "VideoMessage", "parse_payload", "parse_value",
    }  # fmt: skip
    assert all(hasattr(inbound, name) for name in inbound.__all__)
