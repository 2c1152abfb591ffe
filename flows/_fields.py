"""The hand-written field reader the business-file parser still uses, until it moves to pydantic.

This module owns :class:`Reader`: the file name, the line map and the collected errors of one
document, and methods that read one field with its expected type and record anything else as a
located :class:`~bot.errors.FlowError` (unknown keys get a "did you mean"). Flow files are read
with pydantic models instead (:mod:`flows._typed`, :mod:`flows._loader`); new readers should do
the same, and this module goes away once the business file does.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from datetime import timedelta
from typing import Any

from pydantic_core import PydanticCustomError

from bot.errors import FlowError
from flows._model import HOOK_RE, NAME_RE
from flows._typed import parse_duration, type_name
from flows._yaml import join, line_of


class Reader:
    """Reads fields of one document, collecting errors instead of raising.

    Args:
        file: The file name, for errors.
        lines: Key path → 1-based line, from :func:`flows.read_yaml`.
    """

    def __init__(self, file: str | None, lines: Mapping[str, int]) -> None:
        self.file = file
        self.lines = lines
        self.errors: list[FlowError] = []

    def line(self, path: str) -> int | None:
        """Return the line of ``path`` or of its nearest ancestor."""
        return line_of(self.lines, path)

    def error(self, message: str, path: str) -> None:
        """Record a :class:`~bot.errors.FlowError` at ``path``."""
        self.errors.append(
            FlowError(message, file=self.file, line=self.line(path), path=path or None)
        )

    def mapping(self, value: Any, path: str, what: str = "a mapping") -> dict[str, Any]:
        """Return ``value`` when it is a mapping, else record an error and return ``{}``."""
        if isinstance(value, dict):
            return value
        self.error(f"expected {what}, got {type_name(value)}", path)
        return {}

    def keys(
        self, data: Mapping[str, Any], path: str, allowed: Collection[str], where: str
    ) -> None:
        """Report every key of ``data`` not in ``allowed``, with a "did you mean" hint."""
        for key in data:
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            known = ", ".join(sorted(allowed))
            self.error(
                f"unknown key {key!r} in {where}{hint} (known keys: {known})", join(path, key)
            )

    def string(self, data: Mapping[str, Any], key: str, path: str) -> str | None:
        """Read an optional string; numbers are accepted and turned into text."""
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(f"{key!r} must be a string, got {type_name(value)}", join(path, key))
            return None
        return str(value)

    def text(self, data: Mapping[str, Any], key: str, path: str) -> str | None:
        """Read an optional non-empty string."""
        value = self.string(data, key, path)
        if value is not None and not value.strip():
            self.error(f"{key!r} must not be empty", join(path, key))
            return None
        return value

    def required(self, data: Mapping[str, Any], key: str, path: str, where: str) -> str | None:
        """Read a required non-empty string."""
        if key not in data:
            self.error(f"{where} needs {key!r}", path)
            return None
        return self.text(data, key, path)

    def integer(
        self, data: Mapping[str, Any], key: str, path: str, minimum: int | None = None
    ) -> int | None:
        """Read an optional int, at least ``minimum``."""
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(f"{key!r} must be a whole number, got {type_name(value)}", join(path, key))
            return None
        if minimum is not None and value < minimum:
            self.error(f"{key!r} must be at least {minimum}, got {value}", join(path, key))
            return None
        return value

    def boolean(self, data: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
        """Read an optional boolean."""
        value = data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(f"{key!r} must be true or false, got {type_name(value)}", join(path, key))
            return default
        return value

    def strings(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        """Read a string or a list of strings (numbers become text)."""
        value = data.get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        result: list[str] = []
        for index, item in enumerate(items):
            where = join(join(path, key), index) if isinstance(value, list) else join(path, key)
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                self.error(f"expected a string, got {type_name(item)}", where)
            elif not str(item).strip():
                self.error("must not be empty", where)
            else:
                result.append(str(item))
        return tuple(result)

    def duration(self, data: Mapping[str, Any], key: str, path: str) -> timedelta | None:
        """Read a duration such as ``30m``, ``2h``, ``1h30m``, ``1d`` or ``45s``."""
        value = data.get(key)
        if value is None:
            return None
        try:
            return parse_duration(value)
        except PydanticCustomError as exc:
            self.error(exc.message(), join(path, key))
            return None


__all__ = ["HOOK_RE", "NAME_RE", "Reader"]
