"""Outbound message builders: one function per WhatsApp message type, each returning the JSON body.

This is the public face of the outbound side; apart from :func:`with_recipient` it only
re-exports. Every builder returns the complete body of ``POST /{phone-number-id}/messages`` as a
plain ``dict`` (envelope, ``type`` and typed object) and runs :func:`check` on it first, so a
message that breaks one of WhatsApp's hard limits raises :class:`~bot.errors.LimitError` before
anything is queued or sent. :func:`describe` renders a payload as a short line of text for
terminals and logs in sandbox mode. Where things live:

* :mod:`bot._builders`: the common envelope; :func:`text`, :func:`media` and its five kinds,
  :func:`reaction`, :func:`contacts` and the read receipt of :func:`mark_read`.
* :mod:`bot._interactive`: :func:`buttons`, :func:`list_message`, :func:`cta_url`,
  :func:`location_request`, :func:`product`, :func:`product_list` and the value objects
  :class:`Button`, :class:`Row`, :class:`Section` and :class:`ProductSection`.
* :mod:`bot._template_params`: :func:`template` and its components and parameters.
* :mod:`bot._describe`: :func:`describe`.
* :mod:`bot._limits`: the limit table (``MAX_*``, :data:`MEDIA_KINDS`, :data:`CAPTION_KINDS`)
  and :func:`check`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from bot._builders import (
    MediaKind,
    audio,
    contacts,
    document,
    image,
    mark_read,
    media,
    reaction,
    sticker,
    text,
    video,
)
from bot._describe import describe
from bot._interactive import (
    Button,
    ProductSection,
    Row,
    Section,
    buttons,
    cta_url,
    list_message,
    location_request,
    product,
    product_list,
)
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
    check,
)
from bot._template_params import (
    ButtonSubType,
    body_params,
    button_param,
    currency_param,
    date_time_param,
    header_params,
    template,
)
from bot.errors import LimitError


def with_recipient(payload: Mapping[str, Any], to: str) -> dict[str, Any]:
    """Return a deep copy of ``payload`` addressed to ``to``.

    Args:
        payload: An outbound payload, for example one written once for many recipients.
        to: The new recipient's phone number.

    Returns:
        The copy; ``payload`` itself is left unchanged.

    Raises:
        LimitError: ``to`` is empty.
    """
    if not isinstance(to, str) or not to:
        raise LimitError("to", "a non-empty string", repr(to))
    result = copy.deepcopy(dict(payload))
    result["to"] = to
    return result


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
