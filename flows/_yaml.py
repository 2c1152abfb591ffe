"""Reading YAML text into plain Python values while remembering the line of every key.

This module is the one YAML reader of the project (flow files, the business file, conversation
fixtures) and knows none of their schemas. It turns PyYAML's node graph (``yaml.compose``, safe
loader) into dicts, lists and scalars plus a map from each key path (``states.greet.say[0]``) to
its 1-based line, refuses what PyYAML lets through silently (duplicate keys, non-string keys)
and adds a hint to syntax errors from the usual quoting mistakes. Only ``true`` and ``false``
are booleans (YAML 1.2), so ``yes``, ``No``, ``on`` and ``off`` stay text (titles, answers).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from bot.errors import FlowError

_BOOL_TAG = "tag:yaml.org,2002:bool"
_HINTS = (
    (
        "expected ',' or",
        'texts inside {...} or [...] that contain , ? : # [ ] { } need quotes, e.g. {text: "Ready?"}',
    ),
    (
        "mapping values are not allowed",
        'a text containing ": " needs quotes, e.g. text: "Note: we are closed"',
    ),
    ("found character '\\t'", "indent with spaces, not tabs"),
)
"""Words of a PyYAML problem → the hint added to its syntax error."""


def join(path: str, key: str | int) -> str:
    """Extend a key path (``""`` at the root) by a mapping key (``a.b``) or a list index (``a[0]``)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class _Reader:
    """Walks a composed node graph; collects values, lines and errors."""

    def __init__(self, file: str | None) -> None:
        self.file = file
        self.lines: dict[str, int] = {}
        self.errors: list[FlowError] = []
        self._constructor = yaml.SafeLoader("")

    def error(self, message: str, node: yaml.Node, path: str) -> None:
        line = node.start_mark.line + 1
        self.errors.append(FlowError(message, file=self.file, line=line, path=path or None))

    def value(self, node: yaml.Node, path: str, depth: int = 0) -> Any:
        if depth > 50:
            self.error(
                "the document is nested too deeply (or an alias refers to itself)", node, path
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [
                self._item(child, join(path, index), depth)
                for index, child in enumerate(node.value)
            ]
        if node.tag == _BOOL_TAG and node.value.lower() not in ("true", "false"):
            return node.value  # YAML 1.2: yes/no/on/off are text
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:  # ValueError: an impossible date
            self.error(f"cannot read this value: {exc}", node, path)
            return None

    def _item(self, node: yaml.Node, path: str, depth: int) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        return self.value(node, path, depth + 1)

    def _mapping(self, node: yaml.MappingNode, path: str, depth: int) -> dict[str, Any]:
        try:
            self._constructor.flatten_mapping(node)  # resolves ``<<: *anchor`` merge keys
        except yaml.YAMLError as exc:
            self.error(f"bad merge key: {exc}", node, path)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.value(key_node, path, depth + 1)
            if key is None or isinstance(key, (int, float)):
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else key
            if not isinstance(key, str):
                self.error("keys must be plain strings", key_node, path)
                continue
            child = join(path, key)
            if key in result:
                first = self.lines.get(child)
                self.error(
                    f"duplicate key {key!r} (first defined on line {first})", key_node, child
                )
                continue
            self.lines[child] = key_node.start_mark.line + 1
            result[key] = self.value(value_node, child, depth + 1)
        return result


def line_of(lines: Mapping[str, int], path: str) -> int | None:
    """The line of key ``path`` (``steps[3].bot``) in ``lines`` (from :func:`read_yaml`), or of
    its nearest ancestor that has one."""
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None


def read_yaml(text: str, file: str | None = None) -> tuple[Any, dict[str, int], list[FlowError]]:
    """Parse one YAML document, keeping line numbers; ``file`` names it in errors.

    Only ``true`` and ``false`` are booleans; keys that YAML would read as booleans or numbers
    (``true:``, ``1:``) are kept as their literal text.

    Returns:
        The data (``None`` for an empty document), the key path → 1-based line map, and the
        errors found (duplicate keys, syntax errors...); data is ``None`` after a syntax error.
    """
    reader = _Reader(file)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or str(exc)
        hint = next((f" (hint: {h})" for start, h in _HINTS if start in problem), "")
        return None, {}, [FlowError(f"YAML syntax error: {problem}{hint}", file=file, line=line)]
    except yaml.YAMLError as exc:
        return None, {}, [FlowError(f"YAML error: {exc}", file=file)]
    if node is None:
        return None, {}, []
    return reader.value(node, ""), reader.lines, reader.errors
