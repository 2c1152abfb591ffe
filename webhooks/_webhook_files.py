"""Webhook bodies read from files byte for byte, and grouped by the customer they concern.

This module owns turning recorded Meta webhook files into bodies ready to send again: a file holds
one POST body (kept as the file's exact bytes) or a JSON list of bodies (each kept as the exact
slice of the file that spells it), and a directory stands for its ``*.json`` files in name order.
Bodies are never re-serialised, so a signature computed over them matches what a receiver
hashes. It also finds the contacts of each body, so senders can keep order per customer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import PayloadError
from bot.inbound import parse_payload

_JSON_WS = re.compile(r"[ \t\n\r]*")
_BOM = "\ufeff"


@dataclass(frozen=True)
class WebhookBody:
    """One webhook POST body ready to replay.

    Attributes:
        source: Where it came from: the file, plus ``[index]`` for an element of a list file.
        body: The exact bytes to send.
        contacts: The customers it concerns (``messages[].from``, ``statuses[].recipient_id``).
    """

    source: str
    body: bytes
    contacts: tuple[str, ...] = ()


def load_webhooks(files: Sequence[Path]) -> list[WebhookBody]:
    """Read webhook bodies from files and directories, keeping their exact bytes.

    A file holds one JSON object (sent as the file's bytes, unchanged) or a JSON list of objects
    (each sent as the exact slice of the file that spells it). A directory stands for its
    ``*.json`` files in name order.

    Args:
        files: Files and directories, in the order to send them.

    Returns:
        The bodies in sending order.

    Raises:
        PayloadError: A path is missing, a file is not valid UTF-8 JSON, an element is not an
            object, or nothing was found at all.
    """
    bodies: list[WebhookBody] = []
    for path in files:
        if path.is_dir():
            bodies.extend(
                body
                for file in sorted(path.glob("*.json"), key=lambda p: p.name)
                for body in _load_file(file)
            )
        elif path.is_file():
            bodies.extend(_load_file(path))
        else:
            raise PayloadError(f"{path}: no such file or directory")
    if not bodies:
        raise PayloadError("no webhook bodies found in " + ", ".join(str(p) for p in files))
    return bodies


def _load_file(path: Path) -> list[WebhookBody]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8").removeprefix(_BOM)
        doc = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError(f"{path}: not a UTF-8 JSON file ({exc})") from exc
    if isinstance(doc, dict):
        return [WebhookBody(str(path), raw, _contacts(doc))]
    if not isinstance(doc, list):
        raise PayloadError(f"{path}: expected a JSON object or a list of objects")
    bodies = []
    for index, (element, chunk) in enumerate(_list_elements(text)):
        if not isinstance(element, dict):
            raise PayloadError(f"{path}[{index}]: expected a JSON object")
        bodies.append(WebhookBody(f"{path}[{index}]", chunk.encode("utf-8"), _contacts(element)))
    return bodies


def _list_elements(text: str) -> list[tuple[Any, str]]:
    """Split the text of a JSON array into (value, exact source text) pairs.

    The text is known to be a valid JSON array (it was parsed before).
    """
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, 0) + 1  # past "["
    out: list[tuple[Any, str]] = []
    while True:
        pos = _skip_ws(text, pos)
        if text[pos] == "]":
            return out
        value, end = decoder.raw_decode(text, pos)
        out.append((value, text[pos:end]))
        pos = _skip_ws(text, end)
        if text[pos] == ",":
            pos += 1


def _skip_ws(text: str, pos: int) -> int:
    match = _JSON_WS.match(text, pos)
    return match.end() if match else pos


def _contacts(doc: dict[str, Any]) -> tuple[str, ...]:
    """The customers a webhook body concerns, read as the receiver reads it, in order, once each."""
    return tuple(dict.fromkeys(update.wa_id for update in parse_payload(doc) if update.wa_id))


def group_by_contact(bodies: Sequence[WebhookBody]) -> list[list[int]]:
    """Partition body indexes so that bodies sharing any contact land in the same group.

    Each group keeps the original order; bodies without a contact form groups of one.

    Args:
        bodies: The bodies to send.

    Returns:
        Groups of indexes into ``bodies``, ordered by their first index.
    """
    parent = list(range(len(bodies)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, body in enumerate(bodies):
        for contact in body.contacts:
            if contact in owner:
                a, b = find(i), find(owner[contact])
                parent[max(a, b)] = min(a, b)
            else:
                owner[contact] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(bodies)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


__all__ = ["WebhookBody", "group_by_contact", "load_webhooks"]
