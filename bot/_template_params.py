"""The template message builder and the helpers that build its components and parameters.

This module owns the ``template`` message type, the only kind WhatsApp delivers outside the
24-hour customer-service window: :func:`template` itself, the ``header``, ``body`` and
``button`` components (:func:`header_params`, :func:`body_params`, :func:`button_param`) and
the typed body parameters (:func:`currency_param`, :func:`date_time_param`). The public names
are re-exported by :mod:`bot.messages`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from bot._builders import envelope
from bot._limits import MAX_TEMPLATE_BUTTON_INDEX
from bot.errors import LimitError

ButtonSubType = Literal["quick_reply", "url", "catalog", "flow"]


def template(
    to: str, name: str, language: str = "en_US", components: Sequence[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Build a template message, the only kind allowed outside the 24-hour window.

    Args:
        to: The recipient's phone number.
        name: The approved template's name.
        language: The template's language code, for example ``en_US`` or ``pt_BR``.
        components: Parameters by component, built with :func:`header_params`,
            :func:`body_params` and :func:`button_param`; ``None`` for a template without
            variables.

    Returns:
        The JSON body to send.

    Raises:
        LimitError: An empty name or language, an empty text parameter, or a button index
            outside ``"0"`` to ``"9"``.
    """
    obj: dict[str, Any] = {"name": name, "language": {"code": language}}
    if components:
        obj["components"] = copy.deepcopy(list(components))
    return envelope(to, "template", obj)


def _param(value: str | Mapping[str, Any]) -> dict[str, Any]:
    """Turn a plain string into a text parameter; copy a parameter dict as is."""
    if isinstance(value, str):
        return {"type": "text", "text": value}
    return dict(value)


def header_params(*params: str | Mapping[str, Any]) -> dict[str, Any]:
    """Build a template ``header`` component.

    Args:
        *params: Strings (text parameters) or parameter dicts such as
            ``{"type": "image", "image": {"link": "https://..."}}``.

    Returns:
        The component dict for :func:`template`.
    """
    return {"type": "header", "parameters": [_param(p) for p in params]}


def body_params(*params: str | Mapping[str, Any], **named: str) -> dict[str, Any]:
    """Build a template ``body`` component.

    Args:
        *params: Strings (text parameters, in order) or parameter dicts such as
            :func:`currency_param` and :func:`date_time_param`.
        **named: Text parameters of a template created with named variables, rendered as
            ``{"type": "text", "parameter_name": key, "text": value}``.

    Returns:
        The component dict for :func:`template`.
    """
    rendered = [_param(p) for p in params]
    rendered += [{"type": "text", "parameter_name": k, "text": v} for k, v in named.items()]
    return {"type": "body", "parameters": rendered}


def button_param(index: int, sub_type: ButtonSubType, value: str) -> dict[str, Any]:
    """Build a template ``button`` component for the button at ``index``.

    Args:
        index: The 0-based position of the button in the template, 0 to 9.
        sub_type: ``quick_reply`` (``value`` is the payload sent back), ``url`` (``value``
            completes the URL), ``catalog`` (``value`` is the thumbnail product retailer id)
            or ``flow`` (``value`` is the flow token).
        value: The parameter value.

    Returns:
        The component dict for :func:`template`.

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

    Returns:
        The parameter dict.
    """
    currency = {"fallback_value": fallback, "code": code, "amount_1000": amount_1000}
    return {"type": "currency", "currency": currency}


def date_time_param(fallback: str) -> dict[str, Any]:
    """Build a date-time parameter for :func:`body_params`.

    Args:
        fallback: The date as text, such as ``Feb 25``.

    Returns:
        The parameter dict.
    """
    return {"type": "date_time", "date_time": {"fallback_value": fallback}}


__all__ = [
    "ButtonSubType",
    "body_params",
    "button_param",
    "currency_param",
    "date_time_param",
    "header_params",
    "template",
]
