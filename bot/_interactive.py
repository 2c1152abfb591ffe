"""Interactive message builders and the value objects their choices are written with.

This module owns the ``interactive`` message type: reply buttons (:class:`Button`), list
messages (:class:`Row`, :class:`Section`), a call-to-action URL, a location request, and the
single- and multi-product catalog messages (:class:`ProductSection`). Each builder renders its
value objects into Meta's JSON shape and hands the result to :func:`bot._builders.envelope`,
which wraps and checks it. The public names are re-exported by :mod:`bot.messages`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot._builders import envelope


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
        to: The recipient's phone number.
        body: The message text, at most :data:`MAX_INTERACTIVE_BODY` characters.
        choices: :class:`Button` objects or ``(id, title)`` pairs. Ids (at most
            :data:`MAX_BUTTON_ID`, no outer spaces) and titles (at most :data:`MAX_BUTTON_TITLE`)
            must each be unique.
        header: Optional header text, at most :data:`MAX_HEADER_TEXT` characters.
        footer: Optional footer text, at most :data:`MAX_FOOTER` characters.
        reply_to: The wamid of a message to quote.

    Returns:
        The JSON body to send.

    Raises:
        LimitError: A limit is broken; the error names the field.
    """
    items = [choice if isinstance(choice, Button) else Button(*choice) for choice in choices]
    action = {
        "buttons": [{"type": "reply", "reply": {"id": b.id, "title": b.title}} for b in items]
    }
    return envelope(to, "interactive", _assemble("button", action, body, header, footer), reply_to)


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
        to: The recipient's phone number.
        body: The message text, at most :data:`MAX_INTERACTIVE_BODY` characters.
        button: The label of the button that opens the list, 1 to :data:`MAX_LIST_BUTTON`.
        sections: 1 to :data:`MAX_LIST_SECTIONS` sections holding at most :data:`MAX_LIST_ROWS`
            rows in total; row ids unique.
        header: Optional header text, at most :data:`MAX_HEADER_TEXT` characters.
        footer: Optional footer text, at most :data:`MAX_FOOTER` characters.
        reply_to: The wamid of a message to quote.

    Returns:
        The JSON body to send.

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
    return envelope(to, "interactive", _assemble("list", action, body, header, footer), reply_to)


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
        to: The recipient's phone number.
        body: The message text, at most :data:`MAX_INTERACTIVE_BODY` characters.
        display_text: The button label, 1 to :data:`MAX_CTA_DISPLAY_TEXT` characters.
        url: An ``http://`` or ``https://`` URL.
        header: Optional header text, at most :data:`MAX_HEADER_TEXT` characters.
        footer: Optional footer text, at most :data:`MAX_FOOTER` characters.

    Returns:
        The JSON body to send.

    Raises:
        LimitError: A limit is broken or the URL is not http(s).
    """
    action = {"name": "cta_url", "parameters": {"display_text": display_text, "url": url}}
    return envelope(to, "interactive", _assemble("cta_url", action, body, header, footer))


def location_request(to: str, body: str) -> dict[str, Any]:
    """Build a message asking the user to share their location (answered by a ``location``).

    Args:
        to: The recipient's phone number.
        body: The message text, at most :data:`MAX_INTERACTIVE_BODY` characters.

    Returns:
        The JSON body to send.

    Raises:
        LimitError: A limit is broken.
    """
    action = {"name": "send_location"}
    return envelope(to, "interactive", _assemble("location_request_message", action, body))


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
        to: The recipient's phone number.
        catalog_id: The catalog connected to the business account.
        product_retailer_id: The product's SKU in that catalog.
        body: Optional text, at most :data:`MAX_INTERACTIVE_BODY` characters.
        footer: Optional footer text, at most :data:`MAX_FOOTER` characters.

    Returns:
        The JSON body to send.

    Raises:
        LimitError: A limit is broken.
    """
    action = {"catalog_id": catalog_id, "product_retailer_id": product_retailer_id}
    return envelope(to, "interactive", _assemble("product", action, body, None, footer))


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
        to: The recipient's phone number.
        catalog_id: The catalog connected to the business account.
        header: The required header text, at most :data:`MAX_HEADER_TEXT` characters.
        body: The message text, at most :data:`MAX_INTERACTIVE_BODY` characters.
        sections: 1 to :data:`MAX_PRODUCT_SECTIONS` sections holding at most
            :data:`MAX_PRODUCTS` products in total; titles at most :data:`MAX_SECTION_TITLE`.
        footer: Optional footer text, at most :data:`MAX_FOOTER` characters.

    Returns:
        The JSON body to send.

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
    return envelope(to, "interactive", _assemble("product_list", action, body, header, footer))


__all__ = [
    "Button",
    "ProductSection",
    "Row",
    "Section",
    "buttons",
    "cta_url",
    "list_message",
    "location_request",
    "product",
    "product_list",
]
