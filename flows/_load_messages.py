"""Loading the content of a flow file: messages, buttons, list rows and options.

This module owns the schema of one message wherever it appears (``say``, ``ask``, ``reprompt``,
``messages``, an intent or a fallback): a string is a text; a mapping has exactly one shape
(text, buttons, list, cta, location request, media or template) or is a ``{ref: name}`` to a
named message. It also reads options (``"Lemon"`` or ``{id, title, description, synonyms,
section}``). :class:`MessageReader` is extended by :class:`flows._load_parts.Parts`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from flows._fields import Reader
from flows._model import MessageSpec, Option, SectionSpec
from flows._yaml import join

MESSAGE_KEYS = frozenset(
    {"text", "preview_url", "header", "footer", "buttons", "list", "cta", "location_request"}
    | {"media", "template", "ref"}
)
_SHAPES = ("buttons", "list", "cta", "location_request")
_OPTION_KEYS = frozenset({"id", "title", "description", "synonyms", "section"})


def slug(title: str) -> str:
    """Make an option id from a title: ``"Crème brûlée 🍮"`` → ``"creme_brulee"``."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


class MessageReader:
    """Reads messages and options of one flow document.

    Args:
        reader: The document's field reader (errors are collected there).
        messages: The document's named messages, for ``{ref: name}``.
    """

    def __init__(self, reader: Reader, messages: Mapping[str, MessageSpec] | None = None) -> None:
        self.r = reader
        self.named: Mapping[str, MessageSpec] = messages or {}

    # -- messages ----------------------------------------------------------------------------

    def messages(self, value: Any, path: str) -> tuple[MessageSpec, ...]:
        """Read ``say:``-like fields: a message or a list of messages."""
        if value is None:
            return ()
        if isinstance(value, list):
            specs = (self.message(item, join(path, i)) for i, item in enumerate(value))
            return tuple(spec for spec in specs if spec is not None)
        spec = self.message(value, path)
        return () if spec is None else (spec,)

    def message(self, value: Any, path: str, *, allow_ref: bool = True) -> MessageSpec | None:
        """Read one message: a string (text) or a mapping with one shape."""
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            if not str(value).strip():
                self.r.error("a message must not be empty", path)
                return None
            return MessageSpec(kind="text", text=str(value), path=path)
        data = self.r.mapping(value, path, "a message (a string or a mapping)")
        if not data:
            return None
        self.r.keys(data, path, MESSAGE_KEYS, "a message")
        if "ref" in data:
            return self._ref(data, path, allow_ref)
        if "media" in data:
            return self._media(data, path)
        if "template" in data:
            return self._template(data, path)
        shapes = [key for key in _SHAPES if key in data]
        if len(shapes) > 1:
            self.r.error(f"a message has one shape, got {' and '.join(shapes)}", path)
        text = self.r.required(data, "text", path, "this message")
        common: dict[str, Any] = {
            "text": text,
            "header": self.r.text(data, "header", path),
            "footer": self.r.text(data, "footer", path),
            "path": path,
        }
        shape = shapes[0] if shapes else None
        if shape == "buttons":
            items = data["buttons"]
            if not isinstance(items, list) or not items:
                self.r.error("'buttons' must be a non-empty list", join(path, "buttons"))
                items = []
            return MessageSpec(
                kind="buttons", buttons=self.options(items, join(path, "buttons")), **common
            )
        if shape == "list":
            return self._list(data["list"], join(path, "list"), common)
        if shape == "cta":
            cta = self.r.mapping(data["cta"], join(path, "cta"))
            self.r.keys(cta, join(path, "cta"), {"display_text", "url"}, "a cta")
            return MessageSpec(
                kind="cta_url",
                display_text=self.r.required(cta, "display_text", join(path, "cta"), "a cta"),
                url=self.r.required(cta, "url", join(path, "cta"), "a cta"),
                **common,
            )
        if shape == "location_request":
            if data["location_request"] is not True:
                self.r.error("'location_request' must be true", join(path, "location_request"))
            return MessageSpec(kind="location_request", text=text, path=path)
        for key in ("header", "footer"):
            if key in data:
                self.r.error(f"{key!r} needs buttons, a list or a cta", join(path, key))
        return MessageSpec(
            kind="text",
            text=text,
            preview_url=self.r.boolean(data, "preview_url", path, False),
            path=path,
        )

    def _ref(self, data: Mapping[str, Any], path: str, allow_ref: bool) -> MessageSpec | None:
        if len(data) > 1:
            self.r.error("'ref' stands alone in a message", path)
        name = self.r.text(data, "ref", path)
        if not allow_ref:
            self.r.error("a named message cannot refer to another one", join(path, "ref"))
            return None
        if name is None:
            return None
        spec = self.named.get(name)
        if spec is None:
            known = ", ".join(self.named) or "none declared"
            self.r.error(f"unknown message {name!r} (messages: {known})", join(path, "ref"))
            return None
        return _replace_path(spec, name, path)

    def _media(self, data: Mapping[str, Any], path: str) -> MessageSpec | None:
        where = join(path, "media")
        media = self.r.mapping(data["media"], where)
        self.r.keys(media, where, {"kind", "id", "link", "caption", "filename"}, "media")
        if set(data) - {"media"}:
            self.r.error("a media message has only 'media' (put text in media.caption)", path)
        kind = self.r.required(media, "kind", where, "media")
        if kind is not None and kind not in ("image", "video", "audio", "document", "sticker"):
            self.r.error(
                f"media kind must be image, video, audio, document or sticker; got {kind!r}",
                join(where, "kind"),
            )
        if ("id" in media) == ("link" in media):
            self.r.error("media needs exactly one of 'id' and 'link'", where)
        return MessageSpec(
            kind="media",
            media_kind=kind,
            media_id=self.r.text(media, "id", where),
            link=self.r.text(media, "link", where),
            text=self.r.text(media, "caption", where),
            filename=self.r.text(media, "filename", where),
            path=path,
        )

    def _template(self, data: Mapping[str, Any], path: str) -> MessageSpec:
        where = join(path, "template")
        tpl = self.r.mapping(data["template"], where)
        self.r.keys(tpl, where, {"name", "language", "components"}, "a template")
        if set(data) - {"template"}:
            self.r.error("a template message has only 'template'", path)
        components = tpl.get("components") or []
        if not isinstance(components, list) or not all(isinstance(c, dict) for c in components):
            self.r.error("'components' must be a list of mappings", join(where, "components"))
            components = []
        return MessageSpec(
            kind="template",
            template_name=self.r.required(tpl, "name", where, "a template"),
            language=self.r.text(tpl, "language", where) or "en_US",
            components=tuple(components),
            path=path,
        )

    def _list(self, value: Any, path: str, common: dict[str, Any]) -> MessageSpec:
        data = self.r.mapping(value, path)
        self.r.keys(data, path, {"button", "sections", "rows"}, "a list")
        sections: list[SectionSpec] = []
        if ("sections" in data) == ("rows" in data):
            self.r.error("a list needs exactly one of 'sections' and 'rows'", path)
        elif "rows" in data:
            rows = self.options(data["rows"], join(path, "rows"))
            sections.append(SectionSpec(title=None, rows=rows, path=join(path, "rows")))
        else:
            items = data["sections"] if isinstance(data["sections"], list) else []
            if not items:
                self.r.error("'sections' must be a non-empty list", join(path, "sections"))
            for index, item in enumerate(items):
                where = join(join(path, "sections"), index)
                section = self.r.mapping(item, where)
                self.r.keys(section, where, {"title", "rows"}, "a section")
                rows = self.options(section.get("rows"), join(where, "rows"))
                sections.append(SectionSpec(self.r.text(section, "title", where), rows, where))
        return MessageSpec(
            kind="list",
            list_button=self.r.text(data, "button", path),
            sections=tuple(sections),
            **common,
        )

    # -- options -----------------------------------------------------------------------------

    def options(self, value: Any, path: str) -> tuple[Option, ...]:
        """Read a list of options: titles, or mappings with ``id``/``title``/``synonyms``."""
        if not isinstance(value, list) or not value:
            self.r.error("expected a non-empty list of options", path)
            return ()
        result = (self.option(item, join(path, i)) for i, item in enumerate(value))
        return tuple(option for option in result if option is not None)

    def option(self, value: Any, path: str) -> Option | None:
        """Read one option: ``"Chocolate"`` or ``{id, title, description, synonyms, section}``."""
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            label = str(value).strip()
            if not label:
                self.r.error("an option title must not be empty", path)
                return None
            return Option(id=slug(label) or label, title=label, path=path)
        data = self.r.mapping(value, path, "an option (a title or a mapping)")
        if not data:
            return None
        self.r.keys(data, path, _OPTION_KEYS, "an option")
        title = self.r.required(data, "title", path, "an option")
        if title is None:
            return None
        option_id = self.r.text(data, "id", path) or slug(title) or title
        if option_id != option_id.strip():
            self.r.error("an option id must not start or end with spaces", join(path, "id"))
        return Option(
            id=option_id,
            title=title,
            description=self.r.text(data, "description", path),
            synonyms=self.r.strings(data, "synonyms", path),
            section=self.r.text(data, "section", path),
            path=path,
        )


def _replace_path(spec: MessageSpec, ref: str, path: str) -> MessageSpec:
    return replace(spec, ref=ref, path=path)


__all__ = ["MESSAGE_KEYS", "MessageReader", "slug"]
