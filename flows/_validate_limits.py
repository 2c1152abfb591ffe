"""WhatsApp's hard limits, held statically against every message a flow can send.

This module owns the limit checks of ``waflow validate``. For each message it builds the
payload the engine would send (the same layout decisions as :mod:`flows._render`: a choice of
up to three short options becomes reply buttons, more becomes a list paged by ten rows with a
"More…" row, yes/no gets two buttons, a text re-prompt replaces the body of its question) with
its strings taken from the flow, and runs :func:`bot.messages.check`, the one checker of every
limit. Because ``check`` stops at the first breach, each string is checked on its own with the
other strings replaced by short placeholders, so every breach is reported, each at the key
path and line of its own string. A template string is checked on its literal parts (an error
when they alone break the limit) and rendered with the slots' ``example`` values (a warning
when that breaks it: the engine would cut the text with "…").
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from jinja2 import TemplateError, nodes

from bot.errors import LimitError
from bot.messages import MAX_BUTTON_TITLE, MAX_BUTTONS, MAX_LIST_ROWS, check
from flows._choice import MORE_ID, PAGE_SIZE, page_of
from flows._model import ExpectSpec, Flow, MessageSpec, Option, State
from flows._template import ENV
from flows._validate_base import Report, Sent, messages_of

_TO = "15550001111"
_NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
_MARKERS = ("{{", "{%", "{#")
_BUTTONS_HINT = (
    "; WhatsApp shows at most 3 reply buttons: use a list, or give the options in "
    "expect.options and the engine sends more than 3 as a list"
)
_ROWS_HINT = (
    "; give the options in expect.options instead: the engine pages long lists with a 'More…' row"
)


@dataclass(slots=True)
class _Leaf:
    """A string of the payload: what the flow says, and a harmless stand-in."""

    real: str
    placeholder: str
    example: str | None
    role: str


class _Payload:
    """A payload skeleton whose strings are leaves, and where each part came from."""

    def __init__(self, path: str) -> None:
        self.root: dict[str, Any] = {"messaging_product": "whatsapp", "to": _TO}
        self.where: dict[str, tuple[str, str]] = {"": (path, "this message")}
        self.leaves: list[_Leaf] = []
        self.question = False

    def at(self, field: str, path: str, label: str) -> None:
        """Say that the payload part ``field`` is written at flow key ``path``."""
        self.where[field] = (path, label)

    def render(self, choose: Callable[[_Leaf], str]) -> dict[str, Any]:
        """The payload with each leaf replaced by ``choose(leaf)``."""

        def walk(value: Any) -> Any:
            if isinstance(value, _Leaf):
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


def _literal(source: str) -> str:
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


def _shown(source: str) -> str:
    """What is known of a string before rendering: itself, or a template's literal parts."""
    return _literal(source) if any(marker in source for marker in _MARKERS) else source


class _Builder:
    """Builds the payloads of one flow's messages, as :mod:`flows._render` lays them out."""

    def __init__(self, flow: Flow, report: Report) -> None:
        self.flow = flow
        self.report = report
        slots = {
            name: spec.example if spec.example is not None else spec.default
            for name, spec in flow.slots.items()
        }
        self.context: dict[str, Any] = {
            "slots": slots,
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
        self, p: _Payload, field: str, source: str, path: str, label: str, role: str = "text"
    ) -> _Leaf:
        """Make the leaf of one flow string placed at payload ``field``."""
        self.count += 1
        placeholder = "https://example.com/" if role == "url" else f"p{self.count}"
        example: str | None = None
        real = source
        if any(marker in source for marker in _MARKERS):
            literal = _literal(source).strip()
            real = literal if literal and role != "url" else placeholder
            try:
                rendered = ENV.from_string(source).render(self.context).strip()
            except Exception:  # any failure just means "no example"
                rendered = ""
            example = rendered if rendered and rendered != real else None
        item = _Leaf(real, placeholder, example, role)
        p.leaves.append(item)
        p.at(field, path, label)
        return item

    def fixed(
        self, p: _Payload, field: str, value: str, path: str, label: str, role: str = "text"
    ) -> _Leaf:
        """A leaf that is never a template (an option id, an engine default)."""
        self.count += 1
        item = _Leaf(value, f"p{self.count}", None, role)
        p.leaves.append(item)
        p.at(field, path, label)
        return item

    def key(self, base: str, sub: str) -> str:
        return self.report.key(base, sub)

    # -- layouts -------------------------------------------------------------------------------

    def interactive(
        self,
        itype: str,
        spec: MessageSpec,
        body: tuple[str, str] | None,
        action: dict[str, Any],
        p: _Payload,
        *,
        chrome: bool = True,
    ) -> _Payload:
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
        body: tuple[str, str],
        options: tuple[Option, ...],
        container: str,
        chrome: bool,
    ) -> _Payload:
        p = _Payload(spec.path)
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

    def rows(self, p: _Payload, field: str, options: tuple[Option, ...]) -> list[dict[str, Any]]:
        result = []
        for j, option in enumerate(options):
            where = f"{field}[{j}]"
            p.at(where, option.path, "a list message")
            row: dict[str, Any] = {
                "id": self.fixed(p, f"{where}.id", option.id, option.path, "a row id", "id"),
                "title": self.leaf(
                    p, f"{where}.title", option.title, self.key(option.path, "title"),
                    "a row title", "title",
                ),
            }  # fmt: skip
            if option.description is not None:
                path = self.key(option.path, "description")
                row["description"] = self.leaf(
                    p, f"{where}.description", option.description, path, "a row description"
                )
            result.append(row)
        return result

    def explicit_list(self, spec: MessageSpec, body: tuple[str, str]) -> _Payload:
        p = _Payload(spec.path)
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

    def choice_pages(
        self, spec: MessageSpec, expect: ExpectSpec, body: tuple[str, str]
    ) -> list[_Payload]:
        settings = self.flow.settings
        options = expect.options
        if not options:
            return []
        container = self.key(expect.path, "options")
        if len(options) <= MAX_BUTTONS and all(
            len(_shown(o.title)) <= MAX_BUTTON_TITLE for o in options
        ):
            return [self.buttons(spec, body, options, container, chrome=False)]
        if expect.list_button is not None:
            button_source, button_path = expect.list_button, self.key(expect.path, "list_button")
        else:
            button_source = settings.list_button
            button_path = self.key("settings", "list_button")
        count = 1 if len(options) <= MAX_LIST_ROWS else -(-len(options) // PAGE_SIZE)
        result = []
        for page in (page_of(options, number) for number in range(count)):
            p = _Payload(spec.path)
            shown = page.options
            groups: dict[str | None, list[Option]] = {}
            for option in shown:
                groups.setdefault(option.section, []).append(option)
            sections: list[dict[str, Any]] = []
            for i, (name, members) in enumerate(groups.items()):
                field = f"interactive.action.sections[{i}]"
                section: dict[str, Any] = {"rows": self.rows(p, f"{field}.rows", tuple(members))}
                if list(groups) != [None]:
                    section["title"] = self.leaf(
                        p, f"{field}.title", name or "Other",
                        self.key(members[0].path, "section"), "a section title",
                    )  # fmt: skip
                sections.append(section)
            if page.more:
                following = page_of(options, page.number + 1)
                rows = sections[-1]["rows"]
                where = f"interactive.action.sections[{len(sections) - 1}].rows[{len(rows)}]"
                more_path = self.key("settings", "more_title")
                rows.append(
                    {
                        "id": f"{MORE_ID}{following.number}",
                        "title": self.fixed(
                            p, f"{where}.title", settings.more_title, more_path, "the 'More…' row"
                        ),
                    }
                )
            button = self.leaf(
                p, "interactive.action.button", button_source, button_path, "the list button"
            )
            action = {"button": button, "sections": sections}
            result.append(self.interactive("list", spec, body, action, p, chrome=False))
        return result

    def message(self, spec: MessageSpec, body: tuple[str, str] | None = None) -> list[_Payload]:
        """The payload of ``spec`` as :func:`flows._render.render_message` builds it."""
        if body is None:
            where = self.key(spec.path, "media.caption" if spec.kind == "media" else "text")
            body = (spec.text, where) if spec.text is not None else None
        p = _Payload(spec.path)
        if spec.kind == "buttons" and body is not None:
            container = self.key(spec.path, "buttons")
            return [self.buttons(spec, body, spec.buttons, container, chrome=True)]
        if spec.kind == "list" and body is not None:
            return [self.explicit_list(spec, body)]
        if spec.kind == "cta_url" and body is not None:
            params = {
                "display_text": self.leaf(
                    p, "interactive.action.parameters.display_text", spec.display_text or "",
                    self.key(spec.path, "cta.display_text"), "the button text",
                ),
                "url": self.leaf(
                    p, "interactive.action.parameters.url", spec.url or "",
                    self.key(spec.path, "cta.url"), "the URL", "url",
                ),
            }  # fmt: skip
            return [
                self.interactive(
                    "cta_url", spec, body, {"name": "cta_url", "parameters": params}, p
                )
            ]
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

    def media(self, spec: MessageSpec, body: tuple[str, str] | None, p: _Payload) -> list[_Payload]:
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

    def template(self, spec: MessageSpec, p: _Payload) -> _Payload:
        def literal(value: Any) -> Any:
            if isinstance(value, str):
                if any(marker in value for marker in _MARKERS):
                    return _literal(value).strip() or "x"
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
        components = [literal(copy.deepcopy(dict(c))) for c in spec.components]
        if components:
            obj["components"] = components
        p.at("template", spec.path, "a template message")
        p.at("template.components", self.key(spec.path, "template.components"), "a component")
        p.root.update({"type": "template", "template": obj})
        return p

    def prompt(self, state: State, body: tuple[str, str]) -> list[_Payload]:
        """The payloads of ``state``'s question, as :func:`flows._render.render_prompt` lays it out."""
        spec, expect = state.ask, state.expect
        if spec is None or expect is None:
            return []
        if spec.kind != "text":
            return self.message(spec, body)
        if expect.type == "choice":
            return self.choice_pages(spec, expect, body)
        p = _Payload(spec.path)
        if expect.type == "yes_no":
            yes = {"type": "reply", "reply": {"id": "yes", "title": "Yes"}}
            no = {"type": "reply", "reply": {"id": "no", "title": "No"}}
            return [self.interactive("button", spec, body, {"buttons": [yes, no]}, p, chrome=False)]
        if expect.type == "location" and expect.request:
            action = {"name": "send_location"}
            return [
                self.interactive("location_request_message", spec, body, action, p, chrome=False)
            ]
        return self.message(spec, body)

    def payloads(self, sent: Sent) -> list[_Payload]:
        """The payloads one sent message can take."""
        spec, state = sent.spec, sent.state
        if state is None or state.ask is None or state.expect is None:
            return [] if spec.ref is not None else self.message(spec)
        if sent.reprompt and spec.kind != "text":
            return [] if spec.ref is not None else self.message(spec)
        where = self.key(spec.path, "text")
        payloads = self.prompt(state, (spec.text or "", where))
        for payload in payloads:
            payload.question = True
        return payloads


def _message(err: LimitError, p: _Payload, label: str) -> str:
    actual = err.actual or ""
    if ", already used by " in actual:
        value, _, other = actual.partition(", already used by ")
        actual = f"{value}, already used by {p.locate(other)[0]}"
    counted = err.limit.startswith("at most") and "character" not in err.limit
    text = f"{label} {'can have' if counted else 'must be'} {err.limit}"
    if actual:
        text += f" (got {actual})"
    if counted and "button" in err.limit:
        text += _BUTTONS_HINT
    elif counted and ("row" in err.limit or "section" in err.limit):
        text += _ROWS_HINT
    return text


def _only(item: _Leaf, value: str) -> Callable[[_Leaf], str]:
    """Choose ``value`` for ``item`` and placeholders for every other leaf."""
    return lambda leaf: value if leaf is item else leaf.placeholder


def _real_role(role: str) -> Callable[[_Leaf], str]:
    """Choose the real strings of one role and placeholders for the rest."""
    return lambda leaf: leaf.real if leaf.role == role else leaf.placeholder


def _check(p: _Payload, choose: Callable[[_Leaf], str]) -> LimitError | None:
    try:
        check(p.render(choose))
    except LimitError as err:
        return err
    return None


def _report(report: Report, p: _Payload, err: LimitError, example: str | None = None) -> None:
    path, label = p.locate(err.field)
    if example is None:
        report.error("limit", path, _message(err, p, label))
    else:
        shown = example if len(example) <= 40 else example[:37] + "..."
        text = f"with the slot examples it renders as {shown!r}: {_message(err, p, label)}"
        report.warning("limit-may-exceed", path, f"{text}; the engine would cut it")


def check_payload(report: Report, p: _Payload) -> None:
    """Hold one payload against every limit, one string at a time."""
    err = _check(p, lambda leaf: leaf.placeholder)
    if err is not None:
        _report(report, p, err)
    for item in p.leaves:
        if item.real != item.placeholder:
            err = _check(p, _only(item, item.real))
            if err is not None:
                _report(report, p, err)
                continue
        if item.example is not None:
            err = _check(p, _only(item, item.example))
            if err is not None:
                _report(report, p, err, item.example)
    if p.question:
        return  # options of a question: uniqueness is the duplicate-option check's
    for role in ("id", "title"):
        err = _check(p, _real_role(role))
        if err is not None and "unique" in err.limit:
            _report(report, p, err)


def check_limits(flow: Flow, report: Report) -> None:
    """Check every message of ``flow`` against WhatsApp's hard limits.

    Args:
        flow: The flow.
        report: Where findings go.
    """
    builder = _Builder(flow, report)
    for sent in messages_of(flow):
        for payload in builder.payloads(sent):
            check_payload(report, payload)


__all__ = ["check_limits"]
