"""Payload skeletons of a flow's messages, laid out as the engine sends them.

This module owns the first half of the limit checks of ``waflow validate``: the Cloud API
payload of one message spec as :func:`flows._render.render_message` builds it (text, reply
buttons, list, CTA, location request, media, template), with every string of the flow kept as
a :class:`Leaf`: its literal value (for a template, the literal parts), a short placeholder, and
a rendering with the slots' ``example`` values. Each :class:`Payload` also remembers which flow
key path every part came from. Question prompts (choices laid out by the engine) are built on
top of this in :mod:`flows._validate_prompts`; :mod:`flows._validate_limits` checks them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from jinja2 import TemplateError, nodes

from flows._model import Flow, MessageSpec, Option
from flows._template import ENV
from flows._validate_base import Report
from flows._validate_templates import labelled_slots

_TO = "15550001111"
_NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
Body = tuple[str, str]
"""A string of the flow and its key path (a message's body, a list button label)."""
MARKERS = ("{{", "{%", "{#")
"""What makes a string a template (the engine sends other strings as they are)."""


@dataclass(slots=True)
class Leaf:
    """A string of the payload: what the flow says, and a harmless stand-in."""

    real: str
    placeholder: str
    example: str | None
    role: str


class Payload:
    """A payload skeleton whose strings are leaves, and where each part came from."""

    def __init__(self, path: str) -> None:
        self.root: dict[str, Any] = {"messaging_product": "whatsapp", "to": _TO}
        self.where: dict[str, tuple[str, str]] = {"": (path, "this message")}
        self.leaves: list[Leaf] = []
        self.question = False

    def at(self, field: str, path: str, label: str) -> None:
        """Say that the payload part ``field`` is written at flow key ``path``."""
        self.where[field] = (path, label)

    def render(self, choose: Callable[[Leaf], str]) -> dict[str, Any]:
        """The payload with each leaf replaced by ``choose(leaf)``."""

        def walk(value: Any) -> Any:
            if isinstance(value, Leaf):
                return choose(value)
            if isinstance(value, dict):
                return {key: walk(item) for key, item in value.items()}
            if isinstance(value, list):
                return [walk(item) for item in value]
            return value

        result: dict[str, Any] = walk(self.root)
        return result

    def locate(self, field: str) -> tuple[str, str]:
        """The flow key path and label of the longest registered prefix of ``field``."""
        while field not in self.where:
            cut = max(field.rfind("."), field.rfind("["))
            field = field[:cut] if cut > 0 else ""
        return self.where[field]


def literal_text(source: str) -> str:
    """The text a template always prints: its top-level literal parts."""
    try:
        tree = ENV.parse(source)
    except TemplateError:
        return ""
    parts = [
        child.data
        for output in tree.body
        if isinstance(output, nodes.Output)
        for child in output.nodes
        if isinstance(child, nodes.TemplateData)
    ]
    return "".join(parts)


class PayloadBuilder:
    """Builds message payloads of one flow, as :func:`flows._render.render_message` does.

    Args:
        flow: The flow.
        report: Its report (for key paths).
    """

    def __init__(self, flow: Flow, report: Report) -> None:
        self.flow = flow
        self.report = report
        slots = {
            name: spec.example if spec.example is not None else spec.default
            for name, spec in flow.slots.items()
        }
        labels = {
            slot: titles.get(str(slots.get(slot)), next(iter(titles.values())))
            for slot, titles in labelled_slots(flow).items()
        }
        self.context: dict[str, Any] = {
            "slots": slots,
            "labels": labels,
            "contact": {"wa_id": _TO, "name": "Alex"},
            "flow": {"id": flow.id, "version": flow.version, "state": flow.start},
            "now": _NOW,
            "today": _NOW.date(),
            "retries": 0,
            "error": "",
            "received": "",
            "hint": "",
            "value": None,
        }
        self.count = 0

    def leaf(
        self, p: Payload, field: str, source: str, path: str, label: str, role: str = "text"
    ) -> Leaf:
        """Make the leaf of one flow string placed at payload ``field``."""
        self.count += 1
        placeholder = "https://example.com/" if role == "url" else f"p{self.count}"
        example: str | None = None
        real = source
        if any(marker in source for marker in MARKERS):
            literal = literal_text(source).strip()
            real = literal if literal and role != "url" else placeholder
            try:
                rendered = ENV.from_string(source).render(self.context).strip()
            except Exception:  # any failure just means "no example"
                rendered = ""
            example = rendered if rendered and rendered != real else None
        item = Leaf(real, placeholder, example, role)
        p.leaves.append(item)
        p.at(field, path, label)
        return item

    def fixed(
        self, p: Payload, field: str, value: str, path: str, label: str, role: str = "text"
    ) -> Leaf:
        """A leaf that is never a template (an option id, an engine default)."""
        self.count += 1
        item = Leaf(value, f"p{self.count}", None, role)
        p.leaves.append(item)
        p.at(field, path, label)
        return item

    def key(self, base: str, sub: str) -> str:
        """``base.sub`` when the file has that key, else ``base``."""
        return self.report.key(base, sub)

    # -- layouts -------------------------------------------------------------------------------

    def interactive(
        self,
        itype: str,
        spec: MessageSpec,
        body: Body | None,
        action: dict[str, Any],
        p: Payload,
        *,
        chrome: bool = True,
    ) -> Payload:
        """Fill ``p`` as an interactive message; ``chrome=False`` leaves out header and footer."""
        obj: dict[str, Any] = {"type": itype}
        if chrome and spec.header is not None:
            where = self.key(spec.path, "header")
            leaf = self.leaf(p, "interactive.header.text", spec.header, where, "the header")
            obj["header"] = {"type": "text", "text": leaf}
        if body is not None:
            leaf = self.leaf(p, "interactive.body.text", body[0], body[1], "the message text")
            obj["body"] = {"text": leaf}
        if chrome and spec.footer is not None:
            where = self.key(spec.path, "footer")
            leaf = self.leaf(p, "interactive.footer.text", spec.footer, where, "the footer")
            obj["footer"] = {"text": leaf}
        obj["action"] = action
        p.root.update({"type": "interactive", "interactive": obj})
        return p

    def buttons(
        self,
        spec: MessageSpec,
        body: Body,
        options: tuple[Option, ...],
        container: str,
        chrome: bool,
    ) -> Payload:
        """A reply-button message of ``options`` (``container``: the key path of the list)."""
        p = Payload(spec.path)
        p.at("interactive.action.buttons", container, "a reply-button message")
        items = []
        for i, option in enumerate(options):
            field = f"interactive.action.buttons[{i}]"
            p.at(field, option.path, "a reply-button message")
            reply = {
                "id": self.fixed(
                    p, f"{field}.reply.id", option.id, option.path, "a button id", "id"
                ),
                "title": self.leaf(
                    p,
                    f"{field}.reply.title",
                    option.title,
                    self.key(option.path, "title"),
                    "a button title",
                    "title",
                ),
            }
            items.append({"type": "reply", "reply": reply})
        return self.interactive("button", spec, body, {"buttons": items}, p, chrome=chrome)

    def rows(self, p: Payload, field: str, options: tuple[Option, ...]) -> list[dict[str, Any]]:
        """List rows of ``options`` at payload ``field``."""
        result = []
        for j, option in enumerate(options):
            where = f"{field}[{j}]"
            p.at(where, option.path, "a list message")
            title = self.key(option.path, "title")
            row: dict[str, Any] = {
                "id": self.fixed(p, f"{where}.id", option.id, option.path, "a row id", "id"),
                "title": self.leaf(
                    p, f"{where}.title", option.title, title, "a row title", "title"
                ),
            }
            if option.description is not None:
                path = self.key(option.path, "description")
                row["description"] = self.leaf(
                    p, f"{where}.description", option.description, path, "a row description"
                )
            result.append(row)
        return result

    def explicit_list(self, spec: MessageSpec, body: Body) -> Payload:
        """A ``list:`` message as written in the flow."""
        p = Payload(spec.path)
        p.at("interactive.action.sections", spec.path, "a list message")
        sections = []
        for i, section in enumerate(spec.sections):
            field = f"interactive.action.sections[{i}]"
            p.at(field, section.path, "a list message")
            item: dict[str, Any] = {"rows": self.rows(p, f"{field}.rows", section.rows)}
            if section.title is not None:
                path = self.key(section.path, "title")
                item["title"] = self.leaf(
                    p, f"{field}.title", section.title, path, "a section title"
                )
            sections.append(item)
        button_path = self.key(spec.path, "list.button")
        if spec.list_button is not None:
            button = self.leaf(
                p, "interactive.action.button", spec.list_button, button_path, "the list button"
            )
        else:
            button = self.fixed(p, "interactive.action.button", "Choose", spec.path, "list button")
        action = {"button": button, "sections": sections}
        return self.interactive("list", spec, body, action, p)

    def message(self, spec: MessageSpec, body: Body | None = None) -> list[Payload]:
        """The payload of ``spec`` as :func:`flows._render.render_message` builds it."""
        if body is None:
            where = self.key(spec.path, "media.caption" if spec.kind == "media" else "text")
            body = (spec.text, where) if spec.text is not None else None
        p = Payload(spec.path)
        if spec.kind == "buttons" and body is not None:
            container = self.key(spec.path, "buttons")
            return [self.buttons(spec, body, spec.buttons, container, chrome=True)]
        if spec.kind == "list" and body is not None:
            return [self.explicit_list(spec, body)]
        if spec.kind == "cta_url" and body is not None:
            return [self.cta(spec, body, p)]
        if spec.kind == "location_request" and body is not None:
            action = {"name": "send_location"}
            return [
                self.interactive("location_request_message", spec, body, action, p, chrome=False)
            ]
        if spec.kind == "media":
            return self.media(spec, body, p)
        if spec.kind == "template":
            return [self.template(spec, p)]
        if body is not None:
            leaf = self.leaf(p, "text.body", body[0], body[1], "the message text")
            p.root.update({"type": "text", "text": {"body": leaf, "preview_url": spec.preview_url}})
            return [p]
        return []

    def cta(self, spec: MessageSpec, body: Body, p: Payload) -> Payload:
        """A ``cta:`` message."""
        field = "interactive.action.parameters"
        text_path, url_path = (
            self.key(spec.path, "cta.display_text"),
            self.key(spec.path, "cta.url"),
        )
        params = {
            "display_text": self.leaf(
                p, f"{field}.display_text", spec.display_text or "", text_path, "the button text"
            ),
            "url": self.leaf(p, f"{field}.url", spec.url or "", url_path, "the URL", "url"),
        }
        return self.interactive("cta_url", spec, body, {"name": "cta_url", "parameters": params}, p)

    def media(self, spec: MessageSpec, body: Body | None, p: Payload) -> list[Payload]:
        """A ``media:`` message; a template link is replaced by a placeholder URL."""
        kind = spec.media_kind
        if kind is None:
            return []
        obj: dict[str, Any] = {}
        p.at(kind, spec.path, f"a {kind} message")
        if spec.media_id is not None:
            obj["id"] = spec.media_id
        if spec.link is not None:
            where = self.key(spec.path, "media.link")
            obj["link"] = self.leaf(p, f"{kind}.link", spec.link, where, "the media link", "url")
        if body is not None and body[0].strip():
            obj["caption"] = self.leaf(p, f"{kind}.caption", body[0], body[1], "the caption")
        if spec.filename is not None:
            obj["filename"] = spec.filename
        p.root.update({"type": kind, kind: obj})
        return [p]

    def template(self, spec: MessageSpec, p: Payload) -> Payload:
        """A ``template:`` message, its templated strings replaced by their literal parts."""

        def literal(value: Any) -> Any:
            if isinstance(value, str):
                if any(marker in value for marker in MARKERS):
                    return literal_text(value).strip() or "x"
                return value
            if isinstance(value, dict):
                return {key: literal(item) for key, item in value.items()}
            if isinstance(value, list):
                return [literal(item) for item in value]
            return value

        obj: dict[str, Any] = {
            "name": spec.template_name or "",
            "language": {"code": spec.language or "en_US"},
        }
        components = [literal(dict(c)) for c in spec.components]
        if components:
            obj["components"] = components
        p.at("template", spec.path, "a template message")
        p.at("template.components", self.key(spec.path, "template.components"), "a component")
        p.root.update({"type": "template", "template": obj})
        return p


__all__ = ["MARKERS", "Body", "Leaf", "Payload", "PayloadBuilder", "literal_text"]
