"""Cleaning a decoded webhook body of what no database column can hold.

Python's ``json`` accepts things a column refuses: a lone surrogate (``"\\ud83d"``, which
cannot be encoded as UTF-8), a NUL character (``"\\u0000"``, which PostgreSQL text refuses)
and ``NaN``, ``Infinity`` or a number too large for a float (which PostgreSQL's JSON refuses).
:func:`clean_json` replaces a lone surrogate with U+FFFD, drops NUL characters and turns a
non-finite number into ``null``, in keys and values alike, and says what it changed; the
webhook keeps the raw body beside the cleaned updates (``waflow_quarantine``).
"""

from __future__ import annotations

import math
import re
from typing import Any

SURROGATE = "lone surrogate"
NUL = "NUL character"
NON_FINITE = "non-finite number"

_SURROGATES = re.compile("[\ud800-\udfff]")  # json pairs valid ones: any left is lone


def clean_json(value: Any) -> tuple[Any, frozenset[str]]:
    """Return ``value`` (decoded JSON) with what a column cannot hold replaced, and what was.

    Returns:
        The cleaned value (``value`` itself when nothing changed) and the set of what was
        cleaned (:data:`SURROGATE`, :data:`NUL`, :data:`NON_FINITE`), empty for a clean body.

    Raises:
        RecursionError: The value is nested deeper than Python's recursion limit allows.
    """
    found: set[str] = set()
    cleaned = _clean(value, found)
    return (cleaned if found else value), frozenset(found)


def _clean(value: Any, found: set[str]) -> Any:
    if isinstance(value, str):
        return _clean_text(value, found)
    if isinstance(value, float) and not math.isfinite(value):
        found.add(NON_FINITE)
        return None
    if isinstance(value, dict):
        return {_clean_text(k, found): _clean(v, found) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(item, found) for item in value]
    return value


def _clean_text(text: str, found: set[str]) -> str:
    if text.isascii() and "\x00" not in text:
        return text  # the common case, one pass
    if "\x00" in text:
        found.add(NUL)
        text = text.replace("\x00", "")
    if _SURROGATES.search(text):
        found.add(SURROGATE)
        text = _SURROGATES.sub("\ufffd", text)
    return text
