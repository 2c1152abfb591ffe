"""Typed field readers for the flow loader: each wrong shape becomes a located ``FlowError``.

This module owns the small vocabulary the loader is written in: a :class:`Reader` that holds the
file name, the line map and the list of collected errors, and methods that read one field with
its expected type (string, int, bool, list of strings, name, duration...) and report anything
else with the file, the line and the key path. Unknown keys are reported with a "did you mean"
suggestion. Readers never raise: they record the error and return a harmless default, so one
load reports every problem of a file at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.errors import FlowError
from flows._model import DateBound
from flows._yaml import join, line_of

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
"""Flow ids, state ids, slot names and intent names."""
HOOK_RE = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")
"""Hook names: dotted lowercase words such as ``orders.create``."""
_DURATION_RE = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_RELATIVE_RE = re.compile(r"^([+-])(\d+)([dwhm])$")
_UNITS = {"d": timedelta(days=1), "w": timedelta(weeks=1), "h": timedelta(hours=1)}


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names.update({list: "a list", dict: "a mapping"})
    return names.get(type(value), type(value).__name__)


class Reader:
    """Reads fields of one flow document, collecting errors instead of raising.

    Args:
        file: The flow file name, for errors.
        lines: Key path → 1-based line, from :func:`flows._yaml.read_yaml`.
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
        self.error(f"expected {what}, got {_type_name(value)}", path)
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
            self.error(f"{key!r} must be a string, got {_type_name(value)}", join(path, key))
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
            self.error(f"{key!r} must be a whole number, got {_type_name(value)}", join(path, key))
            return None
        if minimum is not None and value < minimum:
            self.error(f"{key!r} must be at least {minimum}, got {value}", join(path, key))
            return None
        return value

    def number(self, data: Mapping[str, Any], key: str, path: str) -> float | None:
        """Read an optional int or float."""
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(f"{key!r} must be a number, got {_type_name(value)}", join(path, key))
            return None
        return value

    def boolean(self, data: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
        """Read an optional boolean."""
        value = data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(f"{key!r} must be true or false, got {_type_name(value)}", join(path, key))
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
                self.error(f"expected a string, got {_type_name(item)}", where)
            elif not str(item).strip():
                self.error("must not be empty", where)
            else:
                result.append(str(item))
        return tuple(result)

    def name(self, value: Any, path: str, what: str) -> str | None:
        """Check an id (``[a-z][a-z0-9_]*``)."""
        if not isinstance(value, str) or not NAME_RE.match(value):
            self.error(
                f"{what} must be lowercase letters, digits and '_', starting with a letter; "
                f"got {value!r}",
                path,
            )
            return None
        return value

    def hook(self, value: Any, path: str) -> str | None:
        """Check a hook name (``orders.create``)."""
        if not isinstance(value, str) or not HOOK_RE.match(value):
            self.error(
                f"a hook name is dotted lowercase words such as 'orders.create'; got {value!r}",
                path,
            )
            return None
        return value

    def duration(self, data: Mapping[str, Any], key: str, path: str) -> timedelta | None:
        """Read a duration such as ``30m``, ``2h``, ``1h30m``, ``1d`` or ``45s``."""
        value = data.get(key)
        if value is None:
            return None
        where = join(path, key)
        text = str(value).strip().replace(" ", "") if not isinstance(value, bool) else ""
        match = _DURATION_RE.match(text) if text else None
        if match is None or not any(match.groups()):
            hint = " (add a unit: s, m, h or d)" if text.isdigit() else ""
            self.error(f"bad duration {value!r}: use forms like 30m, 2h, 1h30m, 1d{hint}", where)
            return None
        days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
        result = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
        if not result:
            self.error(f"duration {value!r} must be longer than zero", where)
            return None
        return result

    def date_bound(
        self, data: Mapping[str, Any], key: str, path: str, kind: str
    ) -> DateBound | None:
        """Read a ``min``/``max`` of a date, time or datetime question."""
        value = data.get(key)
        if value is None:
            return None
        where = join(path, key)
        if isinstance(value, datetime):
            return DateBound(value.isoformat(), absolute=value)
        if isinstance(value, date):
            return DateBound(value.isoformat(), absolute=value)
        is_int = isinstance(value, int) and not isinstance(value, bool)
        if kind == "time" and is_int and 0 <= value < 24 * 60:
            # YAML 1.1 reads an unquoted 18:00 as the base-60 integer 1080.
            value = f"{value // 60:02d}:{value % 60:02d}"
        text = str(value).strip().lower()
        if text in ("now", "today"):
            return DateBound(text, offset=timedelta(0))
        match = _RELATIVE_RE.match(text)
        if match:
            sign, amount, unit = match.groups()
            if kind == "date" and unit in "hm":
                self.error(f"a date bound moves in days or weeks, got {value!r}", where)
                return None
            step = _UNITS.get(unit, timedelta(minutes=1))
            offset = step * int(amount) * (-1 if sign == "-" else 1)
            return DateBound(str(value), offset=offset)
        parsed = _absolute(text, kind)
        if parsed is None:
            self.error(
                f"bad {key} {value!r}: use a relative bound such as '+0d', '+60d', '-2h', or "
                f"an absolute {kind} such as "
                + {"date": "'2025-12-24'", "time": "'09:00'"}.get(kind, "'2025-12-24T18:00'"),
                where,
            )
            return None
        return DateBound(str(value), absolute=parsed)


def _absolute(text: str, kind: str) -> date | time | datetime | None:
    try:
        if kind == "date":
            return date.fromisoformat(text)
        if kind == "time":
            return time.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        return None


__all__ = ["HOOK_RE", "NAME_RE", "Reader"]
