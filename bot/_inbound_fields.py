"""Readers for the small pieces of Meta's webhook JSON, shared by the inbound parsers.

This module owns the coercions: optional and required strings, unix timestamps to aware UTC
datetimes, numbers, exact prices, and the sub-objects several updates share (``errors[]``,
``contacts[]`` entries, ``context``, ``referral``, ``pricing``). Optional readers never raise and
return ``None`` for anything of the wrong type; required readers raise :class:`Malformed` (a
``ValueError``), which the parser turns into an unsupported or unknown update.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from bot._inbound_types import Contact, Context, ErrorInfo, Pricing, Referral, ReferredProduct


class Malformed(ValueError):
    """A required piece of an item is missing or has the wrong type (internal to the parser)."""


def opt_str(obj: dict[str, Any], key: str) -> str | None:
    """Return ``obj[key]`` when it is a string, else ``None``."""
    value = obj.get(key)
    return value if isinstance(value, str) else None


def req_str(obj: dict[str, Any], key: str) -> str:
    """Return ``obj[key]``, which must be a string.

    Raises:
        Malformed: It is missing or not a string.
    """
    value = obj.get(key)
    if not isinstance(value, str):
        raise Malformed(key)
    return value


def req_obj(obj: dict[str, Any], key: str) -> dict[str, Any]:
    """Return ``obj[key]``, which must be a JSON object.

    Raises:
        Malformed: It is missing or not an object.
    """
    value = obj.get(key)
    if not isinstance(value, dict):
        raise Malformed(key)
    return value


def as_dict(value: object) -> dict[str, Any]:
    """Return ``value`` when it is a dict, else an empty dict."""
    return value if isinstance(value, dict) else {}


def to_datetime(value: object) -> datetime | None:
    """Read Meta's unix-seconds timestamp (a string, sometimes an int) as aware UTC.

    Returns:
        The datetime, or ``None`` for anything that is not a whole number of seconds in range.
    """
    if isinstance(value, str):
        try:
            seconds = int(value)
        except ValueError:
            return None
    elif isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, float) and value.is_integer():
        seconds = int(value)
    else:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def to_float(value: object) -> float:
    """Read a JSON number (or a numeric string) as a float.

    Raises:
        Malformed: Not a number.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise Malformed("number")
    return float(value)


def to_int(value: object) -> int:
    """Read a whole JSON number (or a string of digits) as an int.

    Raises:
        Malformed: Not a whole number.
    """
    if isinstance(value, bool):
        raise Malformed("integer")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return int(value)
    if isinstance(value, float | Decimal) and value == int(value):
        return int(value)
    raise Malformed("integer")


def to_decimal(value: object) -> Decimal:
    """Read a price exactly: floats go through ``str()`` so ``12.99`` stays ``Decimal("12.99")``.

    Raises:
        Malformed: Not a finite number.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise Malformed("price")
    result = value if isinstance(value, Decimal) else Decimal(str(value))
    if not result.is_finite():
        raise Malformed("price")
    return result


def parse_errors(value: object) -> tuple[ErrorInfo, ...]:
    """Read an ``errors[]`` array; entries that are not objects are skipped (raw keeps them)."""
    if not isinstance(value, list):
        return ()
    return tuple(parse_error(item) for item in value if isinstance(item, dict))


def parse_error(obj: dict[str, Any]) -> ErrorInfo:
    """Read one ``errors[]`` entry."""
    code = obj.get("code")
    if isinstance(code, bool):
        code = None
    elif isinstance(code, str):
        code = int(code) if code.isdigit() else None
    elif not isinstance(code, int):
        code = None
    return ErrorInfo(
        code=code,
        title=opt_str(obj, "title"),
        message=opt_str(obj, "message"),
        details=opt_str(as_dict(obj.get("error_data")), "details"),
        href=opt_str(obj, "href"),
    )


def parse_contact(obj: dict[str, Any]) -> Contact:
    """Read one ``value.contacts[]`` entry; empty ids become ``None``."""
    profile = as_dict(obj.get("profile"))
    return Contact(
        wa_id=opt_str(obj, "wa_id") or None,
        name=opt_str(profile, "name"),
        user_id=opt_str(obj, "user_id") or None,
        parent_user_id=opt_str(obj, "parent_user_id") or None,
        username=opt_str(profile, "username") or None,
    )


def parse_context(value: object) -> Context | None:
    """Read a message's ``context``; ``None`` when absent or not an object."""
    if not isinstance(value, dict):
        return None
    product = value.get("referred_product")
    referred = None
    if isinstance(product, dict):
        catalog_id = opt_str(product, "catalog_id")
        retailer_id = opt_str(product, "product_retailer_id")
        if catalog_id is not None and retailer_id is not None:
            referred = ReferredProduct(catalog_id, retailer_id)
    return Context(
        from_=opt_str(value, "from"),
        id=opt_str(value, "id"),
        forwarded=value.get("forwarded") is True,
        frequently_forwarded=value.get("frequently_forwarded") is True,
        referred_product=referred,
    )


def parse_referral(value: object) -> Referral | None:
    """Read a message's ``referral``; ``None`` when absent or not an object."""
    if not isinstance(value, dict):
        return None
    return Referral(
        source_url=opt_str(value, "source_url"),
        source_id=opt_str(value, "source_id"),
        source_type=opt_str(value, "source_type"),
        body=opt_str(value, "body"),
        headline=opt_str(value, "headline"),
        media_type=opt_str(value, "media_type"),
        image_url=opt_str(value, "image_url"),
        video_url=opt_str(value, "video_url"),
        thumbnail_url=opt_str(value, "thumbnail_url"),
        ctwa_clid=opt_str(value, "ctwa_clid"),
        welcome_text=opt_str(as_dict(value.get("welcome_message")), "text"),
    )


def parse_pricing(value: object) -> Pricing | None:
    """Read a status's ``pricing``; ``None`` when absent or not an object."""
    if not isinstance(value, dict):
        return None
    billable = value.get("billable")
    return Pricing(
        billable=billable if isinstance(billable, bool) else None,
        pricing_model=opt_str(value, "pricing_model"),
        type=opt_str(value, "type"),
        category=opt_str(value, "category"),
    )


__all__ = [
    "Malformed",
    "as_dict",
    "opt_str",
    "parse_contact",
    "parse_context",
    "parse_error",
    "parse_errors",
    "parse_pricing",
    "parse_referral",
    "req_obj",
    "req_str",
    "to_datetime",
    "to_decimal",
    "to_float",
    "to_int",
]
