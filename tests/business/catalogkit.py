"""Checks shared by the features' language tests: every text a flow sends is in a catalog."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from flows import SOURCE, _i18n

_TEXT_KEYS = frozenset(
    {"say", "ask", "text", "title", "description", "button", "unrecognized", "invalid", "message"}
)
"""The keys whose strings a customer reads, inside a flow's states, intents and settings."""
_ONLY_A_PLACEHOLDER = re.compile(r"\s*\{\{[^}]*\}\}\s*")


def flow_texts(file: Path) -> list[str]:
    """The texts ``file`` (a flow) sends: say, ask, buttons, rows, re-prompts (a text that is
    only a ``{{ placeholder }}`` left out: a hook's words, translated there)."""
    flow = yaml.safe_load(file.read_text(encoding="utf-8"))
    found: list[str] = []
    for section in ("states", "intents", "settings"):
        found.extend(_walk(flow.get(section) or {}, None))
    return sorted({text for text in found if not _ONLY_A_PLACEHOLDER.fullmatch(text)})


def _walk(value: Any, key: str | None) -> Iterator[str]:
    if isinstance(value, str):
        if key in _TEXT_KEYS:
            yield value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _walk(item, str(name) if key != "args" else None)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, key if key in ("say",) else None)


def missing(texts: list[str]) -> list[str]:
    """The ``texts`` that no catalog of waflow has (``catalog_problems`` checks that each
    entry is translated into every language)."""
    known = {
        str(message.id)
        for source in _i18n.builtin_sources()
        for message in source.read(SOURCE)
        if message.id
    }
    return [text for text in texts if text not in known]
