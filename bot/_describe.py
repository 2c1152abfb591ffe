"""Render an outbound payload as a few lines of text, for terminals and sandbox logs.

This module owns :func:`describe`, the read-only view of what waflow sends: it never builds or
checks a payload and never raises, so it is safe on anything read back from the outbox,
malformed or not. It is re-exported by :mod:`bot.messages`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot._limits import MEDIA_KINDS


def _describe_interactive(obj: Mapping[str, Any]) -> list[str]:
    """Return the non-empty lines of an ``interactive`` object: header, body, choices, footer."""
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
    """Render an outbound payload as short text for terminals and logs in sandbox mode.

    Never raises, even on a malformed payload. Examples: a text body as is; reply buttons as
    ``[1] Yes  [2] No`` under the body; list rows numbered; a CTA as ``Pay now → https://...``;
    media as ``(image: caption)``; a template as ``(template order_update)``.

    Args:
        payload: An outbound payload, such as one built by this module.

    Returns:
        The rendering, possibly on several lines.
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


__all__ = ["describe"]
