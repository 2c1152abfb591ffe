"""Field checks shared by the limit checker: required objects, strings and lists, and their sizes.

This module owns the generic half of :func:`bot._limits.check`: reading one field of a payload
dict, holding it to a type, a length or a count, and raising :class:`~bot.errors.LimitError`
that names the field by its path from the payload root and shows what was found. It knows no
message types and no limit numbers; :mod:`bot._limits` supplies both. Characters are counted
with ``len()`` of the Python string, so an emoji counts as one. The ``req_*`` checks raise when
the field is absent, :func:`opt_text` accepts an absent field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from bot.errors import LimitError


def _join(path: str, key: str) -> str:
    """Extend a field path by one key (``""`` is the payload root)."""
    return f"{path}.{key}" if path else key


def short_repr(value: Any) -> str:
    """Render a found value for an error message, missing values and long strings included."""
    if value is None:
        return "missing"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _count(n: int, noun: str) -> str:
    """Count a noun: ``1 row``, ``2 rows``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def req_obj(value: Any, path: str) -> Mapping[str, Any]:
    """Return ``value``, which must be an object (a mapping); ``path`` names it in the error.

    Raises:
        LimitError: It is missing or not a mapping.
    """
    if not isinstance(value, Mapping):
        raise LimitError(path, "an object", "missing" if value is None else type(value).__name__)
    return value


def req_text(
    parent: Mapping[str, Any], key: str, path: str, maximum: int | None, minimum: int = 1
) -> str:
    """Return the required string ``parent[key]`` after checking its length.

    Raises:
        LimitError: It is missing, not a string, or too long or short.
    """
    field = _join(path, key)
    value = parent.get(key)
    if not isinstance(value, str):
        raise LimitError(
            field, "a string", short_repr(value) if value is None else type(value).__name__
        )
    if maximum is not None and len(value) > maximum:
        raise LimitError(field, f"at most {maximum} characters", _count(len(value), "character"))
    if len(value) < minimum:
        raise LimitError(field, f"at least {_count(minimum, 'character')}", "an empty string")
    return value


def opt_text(parent: Mapping[str, Any], key: str, path: str, maximum: int | None) -> str | None:
    """Like :func:`req_text` for a field that may be absent; present, it must not be empty."""
    return req_text(parent, key, path, maximum) if key in parent else None


def req_const(parent: Mapping[str, Any], key: str, path: str, expected: str) -> None:
    """Check that ``parent[key]`` is exactly the string ``expected``.

    Raises:
        LimitError: It is anything else, or missing.
    """
    if parent.get(key) != expected:
        raise LimitError(_join(path, key), f'"{expected}"', short_repr(parent.get(key)))


def req_http_url(parent: Mapping[str, Any], key: str, path: str) -> None:
    """Check that ``parent[key]`` is an ``http://`` or ``https://`` URL with a host.

    Raises:
        LimitError: It is missing, not a string, empty, or another kind of URL.
    """
    value = req_text(parent, key, path, None)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LimitError(_join(path, key), "an http:// or https:// URL", short_repr(value))


def req_items(
    parent: Mapping[str, Any], key: str, path: str, maximum: int | None, noun: str
) -> Sequence[Any]:
    """Return the list ``parent[key]`` after checking it holds 1 to ``maximum`` items.

    Raises:
        LimitError: It is not a list or tuple, is empty, or holds too many items.
    """
    field = _join(path, key)
    value = parent.get(key)
    if not isinstance(value, list | tuple):
        raise LimitError(field, f"a list of {noun}s", short_repr(value))
    if not value:
        raise LimitError(field, f"at least 1 {noun}", f"0 {noun}s")
    if maximum is not None and len(value) > maximum:
        raise LimitError(
            f"{field}[{maximum}]", f"at most {_count(maximum, noun)}", _count(len(value), noun)
        )
    return value


def check_total(groups: Sequence[tuple[str, Sequence[Any]]], maximum: int, noun: str) -> None:
    """Name the first item past ``maximum`` when the groups together hold too many.

    Raises:
        LimitError: The groups hold more than ``maximum`` items in total.
    """
    total = sum(len(items) for _, items in groups)
    seen = 0
    for path, items in groups:
        if total > maximum and seen + len(items) > maximum:
            raise LimitError(
                f"{path}[{maximum - seen}]",
                f"at most {_count(maximum, noun)} across all sections",
                _count(total, noun),
            )
        seen += len(items)


def check_unique(seen: dict[str, str], value: str, field: str) -> None:
    """Record ``value`` at ``field`` in ``seen``, unless an earlier field already used it.

    Raises:
        LimitError: An earlier field already used ``value``.
    """
    if value in seen:
        raise LimitError(
            field,
            "unique within the message",
            f"{short_repr(value)}, already used by {seen[value]}",
        )
    seen[value] = field


__all__ = [
    "check_total",
    "check_unique",
    "opt_text",
    "req_const",
    "req_http_url",
    "req_items",
    "req_obj",
    "req_text",
    "short_repr",
]
