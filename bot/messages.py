"""Outbound message builders: one function per WhatsApp message type, each returning the JSON body.

Every builder takes the recipient's number in international form as ``to`` (and, where offered,
``reply_to``, the wamid of a message to quote) and returns the complete body of
``POST /{phone-number-id}/messages``, already held against WhatsApp's hard limits by
:func:`check` (re-exported from :mod:`bot._limits` with the limit table), so a message that breaks
one raises :class:`~bot.errors.LimitError` before anything is queued. That is the only check a
built message gets: the runtime re-checks only payloads written by hand, so change a built
payload's recipient with :func:`with_recipient`, not in place. :func:`describe` renders a payload
as text for terminals and logs.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from bot._limits import (
    CAPTION_KINDS,
    MAX_BUTTON_ID,
    MAX_BUTTON_TITLE,
    MAX_BUTTONS,
    MAX_CALLBACK_DATA,
    MAX_CAPTION,
    MAX_CONTACTS,
    MAX_CTA_DISPLAY_TEXT,
    MAX_FLOW_CTA,
    MAX_FOOTER,
    MAX_HEADER_TEXT,
    MAX_INTERACTIVE_BODY,
    MAX_LIST_BUTTON,
    MAX_LIST_ROWS,
    MAX_LIST_SECTIONS,
    MAX_PRODUCT_SECTIONS,
    MAX_PRODUCTS,
    MAX_ROW_DESCRIPTION,
    MAX_ROW_ID,
    MAX_ROW_TITLE,
    MAX_SECTION_TITLE,
    MAX_TEMPLATE_BUTTON_INDEX,
    MAX_TEMPLATE_TEXT_PARAM,
    MAX_TEXT,
    MEDIA_KINDS,
    Checked,
    check,
    checked,
)
from bot.errors import LimitError

MediaKind = Literal["image", "video", "audio", "document", "sticker"]
ButtonSubType = Literal["quick_reply", "url", "catalog", "flow"]


# -- the envelope and plain messages --------------------------------------------------------------


def _envelope(to: str, kind: str, obj: Any, reply_to: str | None = None) -> dict[str, Any]:
    """Wrap the ``kind`` object in the common envelope, then check the whole payload."""
    payload: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": kind,
        kind: obj,
    }
    if reply_to is not None:
        payload["context"] = {"message_id": reply_to}
    return checked(payload)


def text(
    to: str, body: str, *, preview_url: bool = False, reply_to: str | None = None
) -> dict[str, Any]:
    """Build a text message.

    Args:
        body: 1 to :data:`MAX_TEXT` characters.
        preview_url: Ask WhatsApp to render a preview of the first URL in the body.

    Raises:
        LimitError: The body is empty or too long, or ``to`` is empty.
    """
    return _envelope(to, "text", {"body": body, "preview_url": preview_url}, reply_to)


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
        kind: One of ``image``, ``video``, ``audio``, ``document``, ``sticker``.
        media_id: The id of uploaded media; give exactly one of ``media_id`` and ``link``.
        link: An ``http(s)`` URL WhatsApp fetches the media from.
        caption: At most :data:`MAX_CAPTION` characters; image, video and document only.
        filename: The file name shown to the user; document only.

    Raises:
        LimitError: An unknown kind, both or neither of id and link, a caption or filename on
            a kind that takes none, or a caption that is too long.
    """
    if kind not in MEDIA_KINDS:
        raise LimitError("type", "one of " + ", ".join(MEDIA_KINDS), repr(kind))
    fields = {"id": media_id, "link": link, "caption": caption, "filename": filename}
    return _envelope(to, kind, {k: v for k, v in fields.items() if v is not None}, reply_to)


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
        message_id: The wamid of the message to react to (at most 30 days old).
        emoji: The emoji, or ``""`` to remove an earlier reaction.

    Raises:
        LimitError: ``message_id`` or ``to`` is empty.
    """
    return _envelope(to, "reaction", {"message_id": message_id, "emoji": emoji})


def contacts(to: str, cards: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Build a message carrying contact cards.

    Args:
        cards: 1 to :data:`MAX_CONTACTS` cards in Meta's contact shape; each needs
            ``name.formatted_name``.

    Raises:
        LimitError: No cards, too many, or a card without ``name.formatted_name``.
    """
    return _envelope(to, "contacts", copy.deepcopy(list(cards)))


def mark_read(message_id: str, *, typing: bool = False) -> dict[str, Any]:
    """Build the body (it has no ``to``) that marks an inbound wamid read.

    With ``typing``, it also shows "typing…" until the next reply or 25 seconds: ask for it only
    when a reply is coming.

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
    return checked(payload)


# -- interactive messages -------------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    """One reply button: ``id`` comes back in the user's reply, ``title`` is what they see."""

    id: str
    title: str


@dataclass(frozen=True)
class Row:
    """One row of a list message; ``description`` is an optional second line."""

    id: str
    title: str
    description: str | None = None


@dataclass(frozen=True)
class Section:
    """A group of list rows; ``title`` is required when a list has more than one section."""

    title: str | None
    rows: Sequence[Row]


@dataclass(frozen=True)
class ProductSection:
    """A titled group of catalog products in a multi-product message."""

    title: str
    product_retailer_ids: Sequence[str]


def _assemble(
    itype: str,
    action: dict[str, Any],
    body: str | None,
    header: str | None = None,
    footer: str | None = None,
) -> dict[str, Any]:
    """Assemble an ``interactive`` object: its type, the optional parts, then the action."""
    obj: dict[str, Any] = {"type": itype}
    if header is not None:
        obj["header"] = {"type": "text", "text": header}
    if body is not None:
        obj["body"] = {"text": body}
    if footer is not None:
        obj["footer"] = {"text": footer}
    obj["action"] = action
    return obj


def buttons(
    to: str,
    body: str,
    choices: Sequence[Button | tuple[str, str]],
    *,
    header: str | None = None,
    footer: str | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    """Build an interactive message with 1 to :data:`MAX_BUTTONS` reply buttons.

    Args:
        body: The message text, at most :data:`MAX_INTERACTIVE_BODY` characters.
        choices: :class:`Button` objects or ``(id, title)`` pairs. Ids (at most
            :data:`MAX_BUTTON_ID`, no outer spaces) and titles (at most :data:`MAX_BUTTON_TITLE`)
            must each be unique.
        header: Optional header text, at most :data:`MAX_HEADER_TEXT` characters.
        footer: Optional footer text, at most :data:`MAX_FOOTER` characters.

    Raises:
        LimitError: A limit is broken; the error names the field.
    """
    items = [choice if isinstance(choice, Button) else Button(*choice) for choice in choices]
    action = {
        "buttons": [{"type": "reply", "reply": {"id": b.id, "title": b.title}} for b in items]
    }
    return _envelope(to, "interactive", _assemble("button", action, body, header, footer), reply_to)


def list_message(
    to: str,
    body: str,
    button: str,
    sections: Sequence[Section],
    *,
    header: str | None = None,
    footer: str | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    """Build a list message: a button that opens up to :data:`MAX_LIST_ROWS` rows in sections.

    Args:
        body: The message text, at most :data:`MAX_INTERACTIVE_BODY` characters.
        button: The label of the button that opens the list, 1 to :data:`MAX_LIST_BUTTON`.
        sections: 1 to :data:`MAX_LIST_SECTIONS` sections holding at most :data:`MAX_LIST_ROWS`
            rows in total; row ids unique.
        header: Optional header text, at most :data:`MAX_HEADER_TEXT` characters.
        footer: Optional footer text, at most :data:`MAX_FOOTER` characters.

    Raises:
        LimitError: A limit is broken; the error names the field.
    """
    rendered = []
    for section in sections:
        rows = []
        for row in section.rows:
            item = {"id": row.id, "title": row.title}
            if row.description is not None:
                item["description"] = row.description
            rows.append(item)
        rendered.append(
            {"rows": rows} if section.title is None else {"title": section.title, "rows": rows}
        )
    action = {"button": button, "sections": rendered}
    return _envelope(to, "interactive", _assemble("list", action, body, header, footer), reply_to)


def cta_url(
    to: str,
    body: str,
    display_text: str,
    url: str,
    *,
    header: str | None = None,
    footer: str | None = None,
) -> dict[str, Any]:
    """Build a call-to-action message: one button that opens ``url``.

    Args:
        body: The message text, at most :data:`MAX_INTERACTIVE_BODY` characters.
        display_text: The button label, 1 to :data:`MAX_CTA_DISPLAY_TEXT` characters.
        url: An ``http://`` or ``https://`` URL.
        header: Optional header text, at most :data:`MAX_HEADER_TEXT` characters.
        footer: Optional footer text, at most :data:`MAX_FOOTER` characters.

    Raises:
        LimitError: A limit is broken or the URL is not http(s).
    """
    action = {"name": "cta_url", "parameters": {"display_text": display_text, "url": url}}
    return _envelope(to, "interactive", _assemble("cta_url", action, body, header, footer))


def location_request(to: str, body: str) -> dict[str, Any]:
    """Build a message asking the user to share their location (answered by a ``location``).

    Args:
        body: The message text, at most :data:`MAX_INTERACTIVE_BODY` characters.

    Raises:
        LimitError: A limit is broken.
    """
    action = {"name": "send_location"}
    return _envelope(to, "interactive", _assemble("location_request_message", action, body))


def product(
    to: str,
    catalog_id: str,
    product_retailer_id: str,
    *,
    body: str | None = None,
    footer: str | None = None,
) -> dict[str, Any]:
    """Build a single-product message (it takes no header).

    Args:
        catalog_id: The catalog connected to the business account.
        product_retailer_id: The product's SKU in that catalog.
        body: Optional text, at most :data:`MAX_INTERACTIVE_BODY` characters.
        footer: Optional footer text, at most :data:`MAX_FOOTER` characters.

    Raises:
        LimitError: A limit is broken.
    """
    action = {"catalog_id": catalog_id, "product_retailer_id": product_retailer_id}
    return _envelope(to, "interactive", _assemble("product", action, body, None, footer))


def product_list(
    to: str,
    catalog_id: str,
    header: str,
    body: str,
    sections: Sequence[ProductSection],
    *,
    footer: str | None = None,
) -> dict[str, Any]:
    """Build a multi-product message.

    Args:
        catalog_id: The catalog connected to the business account.
        header: The required header text, at most :data:`MAX_HEADER_TEXT` characters.
        body: The message text, at most :data:`MAX_INTERACTIVE_BODY` characters.
        sections: 1 to :data:`MAX_PRODUCT_SECTIONS` sections holding at most
            :data:`MAX_PRODUCTS` products in total; titles at most :data:`MAX_SECTION_TITLE`.
        footer: Optional footer text, at most :data:`MAX_FOOTER` characters.

    Raises:
        LimitError: A limit is broken.
    """
    rendered = [
        {
            "title": section.title,
            "product_items": [{"product_retailer_id": sku} for sku in section.product_retailer_ids],
        }
        for section in sections
    ]
    action = {"catalog_id": catalog_id, "sections": rendered}
    return _envelope(to, "interactive", _assemble("product_list", action, body, header, footer))


# -- templates ------------------------------------------------------------------------------------


def template(
    to: str, name: str, language: str = "en_US", components: Sequence[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Build a template message, the only kind allowed outside the 24-hour window.

    Args:
        name: The approved template's name.
        language: The template's language code, for example ``en_US`` or ``pt_BR``.
        components: Parameters by component, built with :func:`header_params`,
            :func:`body_params` and :func:`button_param`; ``None`` for a template without
            variables.

    Raises:
        LimitError: An empty name or language, an empty text parameter, or a button index
            outside ``"0"`` to ``"9"``.
    """
    obj: dict[str, Any] = {"name": name, "language": {"code": language}}
    if components:
        obj["components"] = copy.deepcopy(list(components))
    return _envelope(to, "template", obj)


def _param(value: str | Mapping[str, Any]) -> dict[str, Any]:
    """Turn a plain string into a text parameter; copy a parameter dict as is."""
    if isinstance(value, str):
        return {"type": "text", "text": value}
    return dict(value)


def header_params(*params: str | Mapping[str, Any]) -> dict[str, Any]:
    """Build a template ``header`` component for :func:`template`.

    Args:
        *params: Strings (text parameters) or parameter dicts such as
            ``{"type": "image", "image": {"link": "https://..."}}``.
    """
    return {"type": "header", "parameters": [_param(p) for p in params]}


def body_params(*params: str | Mapping[str, Any], **named: str) -> dict[str, Any]:
    """Build a template ``body`` component for :func:`template`.

    Args:
        *params: Strings (text parameters, in order) or parameter dicts such as
            :func:`currency_param` and :func:`date_time_param`.
        **named: Text parameters of a template created with named variables, rendered as
            ``{"type": "text", "parameter_name": key, "text": value}``.
    """
    rendered = [_param(p) for p in params]
    rendered += [{"type": "text", "parameter_name": k, "text": v} for k, v in named.items()]
    return {"type": "body", "parameters": rendered}


def button_param(index: int, sub_type: ButtonSubType, value: str) -> dict[str, Any]:
    """Build a template ``button`` component for :func:`template`.

    Args:
        index: The 0-based position of the button in the template, 0 to 9.
        sub_type: ``quick_reply`` (``value`` is the payload sent back), ``url`` (``value``
            completes the URL), ``catalog`` (``value`` is the thumbnail product retailer id)
            or ``flow`` (``value`` is the flow token).

    Raises:
        LimitError: The index is outside 0 to 9 or the sub-type is unknown.
    """
    if isinstance(index, bool) or not 0 <= index <= MAX_TEMPLATE_BUTTON_INDEX:
        raise LimitError("button.index", f"from 0 to {MAX_TEMPLATE_BUTTON_INDEX}", repr(index))
    params: dict[str, dict[str, Any]] = {
        "quick_reply": {"type": "payload", "payload": value},
        "url": {"type": "text", "text": value},
        "catalog": {"type": "action", "action": {"thumbnail_product_retailer_id": value}},
        "flow": {"type": "action", "action": {"flow_token": value}},
    }
    if sub_type not in params:
        raise LimitError("button.sub_type", "one of " + ", ".join(params), repr(sub_type))
    return {
        "type": "button",
        "sub_type": sub_type,
        "index": str(index),
        "parameters": [params[sub_type]],
    }


def currency_param(fallback: str, code: str, amount_1000: int) -> dict[str, Any]:
    """Build a currency parameter for :func:`body_params`.

    Args:
        fallback: The text shown where the amount cannot be localized, such as ``$100.99``.
        code: The ISO 4217 currency code, such as ``USD``.
        amount_1000: The amount times 1000 (``100990`` for 100.99).
    """
    currency = {"fallback_value": fallback, "code": code, "amount_1000": amount_1000}
    return {"type": "currency", "currency": currency}


def date_time_param(fallback: str) -> dict[str, Any]:
    """Build a date-time parameter for :func:`body_params`.

    Args:
        fallback: The date as text, such as ``Feb 25``.
    """
    return {"type": "date_time", "date_time": {"fallback_value": fallback}}


def with_recipient(payload: Mapping[str, Any], to: str) -> dict[str, Any]:
    """Return a deep copy of ``payload`` (one written for many recipients, say) addressed to ``to``.

    A built payload's copy stays :class:`Checked`: only ``to`` changed, and it is checked here.

    Raises:
        LimitError: ``to`` is empty.
    """
    if not isinstance(to, str) or not to:
        raise LimitError("to", "a non-empty string", repr(to))
    result = copy.deepcopy(dict(payload))
    result["to"] = to
    return Checked(result) if isinstance(payload, Checked) else result


# -- the reverse view: a payload as text -----------------------------------------------------------


def _describe_interactive(obj: Mapping[str, Any]) -> list[str]:
    """The non-empty lines of an ``interactive`` object: header, body, choices, footer."""
    action = obj.get("action") or {}
    itype = obj.get("type")
    lines = [
        (obj.get("header") or {}).get("text"),
        (obj.get("body") or {}).get("text"),
    ]
    if itype == "button":
        titles = [(b.get("reply") or {}).get("title") for b in action.get("buttons") or []]
        lines.append("  ".join(f"[{n}] {t}" for n, t in enumerate(titles, 1)))
    elif itype == "list":
        n = 0
        for section in action.get("sections") or []:
            lines.append(section.get("title"))
            for row in section.get("rows") or []:
                n += 1
                extra = f" - {row['description']}" if row.get("description") else ""
                lines.append(f"[{n}] {row.get('title')}{extra}")
    elif itype == "cta_url":
        params = action.get("parameters") or {}
        lines.append(f"{params.get('display_text')} → {params.get('url')}")
    elif itype == "location_request_message":
        lines.append("(send your location)")
    elif itype == "product":
        lines.append(f"(product {action.get('product_retailer_id')})")
    elif itype == "product_list":
        count = sum(len(s.get("product_items") or []) for s in action.get("sections") or [])
        lines.append(f"({count} products)")
    else:
        lines.append(f"(interactive {itype})")
    lines.append((obj.get("footer") or {}).get("text"))
    return [line for line in lines if line]


def describe(payload: Mapping[str, Any]) -> str:
    """Render an outbound payload as short text, perhaps several lines, for terminals and logs.

    Never raises, even on a malformed payload. Examples: a text body as is; reply buttons as
    ``[1] Yes  [2] No`` under the body; list rows numbered; a CTA as ``Pay now → https://...``;
    media as ``(image: caption)``; a template as ``(template order_update)``.
    """
    try:
        if payload.get("status") == "read" and "type" not in payload:
            return "(read, typing…)" if "typing_indicator" in payload else "(read)"
        kind = payload.get("type")
        obj: Any = payload.get(kind) if isinstance(kind, str) else None
        if kind == "text":
            return str(obj["body"])
        if kind in MEDIA_KINDS:
            label = " ".join(str(x) for x in (kind, obj.get("filename")) if x)
            return f"({label}: {obj['caption']})" if obj.get("caption") else f"({label})"
        if kind == "interactive":
            return "\n".join(str(line) for line in _describe_interactive(obj))
        if kind == "template":
            return f"(template {obj['name']})"
        if kind == "reaction":
            return f"(reaction {obj['emoji']})" if obj.get("emoji") else "(reaction removed)"
        if kind == "contacts":
            names = ", ".join(str(c["name"]["formatted_name"]) for c in obj)
            return f"(contacts: {names})"
        if kind == "location":
            where = obj.get("name") or f"{obj['latitude']}, {obj['longitude']}"
            return f"(location: {where})"
        return f"({kind})"
    except (AttributeError, KeyError, TypeError):
        return f"({payload.get('type', 'message') if isinstance(payload, Mapping) else 'message'})"


__all__ = [
    "CAPTION_KINDS",
    "MAX_BUTTONS",
    "MAX_BUTTON_ID",
    "MAX_BUTTON_TITLE",
    "MAX_CALLBACK_DATA",
    "MAX_CAPTION",
    "MAX_CONTACTS",
    "MAX_CTA_DISPLAY_TEXT",
    "MAX_FLOW_CTA",
    "MAX_FOOTER",
    "MAX_HEADER_TEXT",
    "MAX_INTERACTIVE_BODY",
    "MAX_LIST_BUTTON",
    "MAX_LIST_ROWS",
    "MAX_LIST_SECTIONS",
    "MAX_PRODUCTS",
    "MAX_PRODUCT_SECTIONS",
    "MAX_ROW_DESCRIPTION",
    "MAX_ROW_ID",
    "MAX_ROW_TITLE",
    "MAX_SECTION_TITLE",
    "MAX_TEMPLATE_BUTTON_INDEX",
    "MAX_TEMPLATE_TEXT_PARAM",
    "MAX_TEXT",
    "MEDIA_KINDS",
    "Button",
    "ButtonSubType",
    "MediaKind",
    "ProductSection",
    "Row",
    "Section",
    "audio",
    "body_params",
    "button_param",
    "buttons",
    "check",
    "contacts",
    "cta_url",
    "currency_param",
    "date_time_param",
    "describe",
    "document",
    "header_params",
    "image",
    "list_message",
    "location_request",
    "mark_read",
    "media",
    "product",
    "product_list",
    "reaction",
    "sticker",
    "template",
    "text",
    "video",
    "with_recipient",
]
