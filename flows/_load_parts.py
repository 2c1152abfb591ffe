"""Loading the reusable pieces of a flow file: messages, options, questions, branches, fallbacks.

This module owns the schema of everything that can appear in more than one place of a flow
file (a message in ``say``, ``ask``, ``reprompt``, ``messages`` or an intent; a target in
``next``, ``on_exhausted`` or ``on_timeout``; an ``expect`` block with its per-type options)
and turns each into its :mod:`flows._model` object. The top of the document and the states
are read by :mod:`flows._loader`, which calls these readers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, cast

from flows._fields import NAME_RE, Reader
from flows._model import (
    END,
    EXPECT_TYPES,
    FLOW_PREFIX,
    HANDOFF,
    MEDIA_KINDS,
    Branch,
    ExpectSpec,
    ExpectType,
    Fallback,
    HookCall,
    MessageSpec,
    Option,
    RepromptSpec,
    SectionSpec,
    ValidateRule,
)
from flows._yaml import join

MESSAGE_KEYS = frozenset(
    {"text", "preview_url", "header", "footer", "buttons", "list", "cta", "location_request"}
    | {"media", "template", "ref"}
)
_SHAPES = ("buttons", "list", "cta", "location_request")
_OPTION_KEYS = frozenset({"id", "title", "description", "synonyms", "section"})
_EXPECT_OPTIONS: dict[str, frozenset[str]] = {
    "choice": frozenset({"options", "list_button"}),
    "number": frozenset({"min", "max", "integer"}),
    "text": frozenset({"min_length", "max_length"}),
    "regex": frozenset({"pattern", "ignore_case"}),
    "email": frozenset(),
    "phone": frozenset({"country_code"}),
    "date": frozenset({"formats", "future_only", "min", "max"}),
    "time": frozenset({"formats", "future_only", "min", "max"}),
    "datetime": frozenset({"formats", "future_only", "min", "max"}),
    "yes_no": frozenset({"yes_words", "no_words"}),
    "location": frozenset({"request"}),
    "media": frozenset({"kinds"}),
}
_ALL_EXPECT_KEYS = frozenset().union(*_EXPECT_OPTIONS.values())


def slug(title: str) -> str:
    """Make an option id from a title: ``"Crème brûlée 🍮"`` → ``"creme_brulee"``."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


class Parts:
    """Reads the shared pieces of one flow document.

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
            return MessageSpec(kind="buttons", buttons=self.options(items, join(path, "buttons")), **common)
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
            title = str(value).strip()
            if not title:
                self.r.error("an option title must not be empty", path)
                return None
            return Option(id=slug(title) or title, title=title, path=path)
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

    # -- questions ---------------------------------------------------------------------------

    def expect(self, value: Any, path: str, ask: MessageSpec | None) -> ExpectSpec:
        """Read ``expect:`` (a type name, or a mapping with ``type`` and its options)."""
        if value is None:
            kind = "choice" if ask is not None and ask.kind in ("buttons", "list") else "text"
            return ExpectSpec(type=cast(ExpectType, kind), options=ask.options if ask else (), path=path)
        data: dict[str, Any] = {"type": value} if isinstance(value, str) else self.r.mapping(value, path)
        kind = data.get("type")
        if kind not in EXPECT_TYPES:
            self.r.error(
                f"expect type must be one of {', '.join(EXPECT_TYPES)}; got {kind!r}",
                join(path, "type") if isinstance(value, dict) else path,
            )
            return ExpectSpec(type="text", path=path)
        allowed = _EXPECT_OPTIONS[kind] | {"type"}
        for key in data:
            if key not in allowed and key in _ALL_EXPECT_KEYS:
                self.r.error(f"{key!r} is not an option of expect type {kind!r}", join(path, key))
        self.r.keys(data, path, allowed | _ALL_EXPECT_KEYS, f"expect ({kind})")
        spec = ExpectSpec(type=kind, path=path)
        fields: dict[str, Any] = {}
        if kind == "choice":
            fields = self._choice(data, path, ask)
        elif kind == "number":
            fields = self._number(data, path)
        elif kind == "text":
            fields = {
                "min_length": self.r.integer(data, "min_length", path, minimum=0),
                "max_length": self.r.integer(data, "max_length", path, minimum=1),
            }
            low, high = fields["min_length"], fields["max_length"]
            if low is not None and high is not None and low > high:
                self.r.error(f"min_length ({low}) is greater than max_length ({high})", path)
        elif kind == "regex":
            fields = self._regex(data, path)
        elif kind == "phone":
            code = self.r.string(data, "country_code", path)
            if code is not None and not code.lstrip("+").isdigit():
                self.r.error(f"country_code must be digits such as '44', got {code!r}", path)
            fields = {"country_code": code.lstrip("+") if code else None}
        elif kind in ("date", "time", "datetime"):
            fields = self._moment(data, path, kind)
        elif kind == "yes_no":
            fields = {
                "yes_words": self.r.strings(data, "yes_words", path),
                "no_words": self.r.strings(data, "no_words", path),
            }
        elif kind == "location":
            fields = {"request": self.r.boolean(data, "request", path, True)}
        elif kind == "media":
            kinds = self.r.strings(data, "kinds", path)
            for bad in (k for k in kinds if k not in MEDIA_KINDS):
                self.r.error(f"unknown media kind {bad!r} (kinds: {', '.join(MEDIA_KINDS)})", join(path, "kinds"))
            fields = {"kinds": kinds}
        return _with(spec, fields)

    def _choice(self, data: Mapping[str, Any], path: str, ask: MessageSpec | None) -> dict[str, Any]:
        declared = ask.options if ask is not None else ()
        if "options" in data:
            if declared:
                self.r.error(
                    "options are given twice: in the ask message and in expect.options", path
                )
            options = self.options(data["options"], join(path, "options"))
        elif declared:
            options = declared
        else:
            self.r.error("a choice needs options (expect.options, or buttons/list in ask)", path)
            options = ()
        return {"options": options, "list_button": self.r.text(data, "list_button", path)}

    def _number(self, data: Mapping[str, Any], path: str) -> dict[str, Any]:
        low, high = self.r.number(data, "min", path), self.r.number(data, "max", path)
        if low is not None and high is not None and low > high:
            self.r.error(f"min ({low}) is greater than max ({high})", path)
        return {"min": low, "max": high, "integer": self.r.boolean(data, "integer", path, False)}

    def _regex(self, data: Mapping[str, Any], path: str) -> dict[str, Any]:
        pattern = self.r.required(data, "pattern", path, "expect regex")
        ignore_case = self.r.boolean(data, "ignore_case", path, False)
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                self.r.error(f"invalid regular expression {pattern!r}: {exc}", join(path, "pattern"))
        return {"pattern": pattern, "ignore_case": ignore_case}

    def _moment(self, data: Mapping[str, Any], path: str, kind: str) -> dict[str, Any]:
        formats = self.r.strings(data, "formats", path)
        for index, fmt in enumerate(formats):
            if "%" not in fmt:
                self.r.error(f"{fmt!r} is not a strptime format (e.g. '%d/%m/%Y')", join(join(path, "formats"), index))
        low = self.r.date_bound(data, "min", path, kind)
        high = self.r.date_bound(data, "max", path, kind)
        if low is not None and high is not None:
            both_rel = low.offset is not None and high.offset is not None
            if both_rel and low.offset is not None and high.offset is not None and low.offset > high.offset:
                self.r.error(f"min ({low.raw}) is after max ({high.raw})", path)
            if type(low.absolute) is type(high.absolute) and low.absolute is not None:
                if low.absolute > high.absolute:  # type: ignore[operator]
                    self.r.error(f"min ({low.raw}) is after max ({high.raw})", path)
        return {
            "formats": formats,
            "future_only": self.r.boolean(data, "future_only", path, False),
            "min_date": low,
            "max_date": high,
        }

    def validate(self, value: Any, path: str) -> tuple[ValidateRule, ...]:
        """Read ``validate:``: one rule or a list of ``{check|hook, message}``."""
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        rules: list[ValidateRule] = []
        for index, item in enumerate(items):
            where = join(path, index) if isinstance(value, list) else path
            data = self.r.mapping(item, where, "a rule ({check: ..., message: ...})")
            self.r.keys(data, where, {"check", "hook", "message"}, "a validate rule")
            if ("check" in data) == ("hook" in data):
                self.r.error("a validate rule needs exactly one of 'check' and 'hook'", where)
                continue
            hook = self.r.hook(data["hook"], join(where, "hook")) if "hook" in data else None
            rules.append(
                ValidateRule(
                    check=self.r.text(data, "check", where),
                    hook=hook,
                    message=self.r.text(data, "message", where),
                    path=where,
                )
            )
        return tuple(rules)

    def reprompt(self, value: Any, path: str) -> RepromptSpec:
        """Read ``reprompt:``."""
        if value is None:
            return RepromptSpec(path=path)
        data = self.r.mapping(value, path)
        self.r.keys(data, path, {"unrecognized", "invalid", "max_retries", "on_exhausted"}, "reprompt")
        return RepromptSpec(
            unrecognized=self._one(data, "unrecognized", path),
            invalid=self._one(data, "invalid", path),
            max_retries=self.r.integer(data, "max_retries", path, minimum=1),
            on_exhausted=self.fallback(data.get("on_exhausted"), join(path, "on_exhausted")),
            path=path,
        )

    def _one(self, data: Mapping[str, Any], key: str, path: str) -> MessageSpec | None:
        return None if data.get(key) is None else self.message(data[key], join(path, key))

    # -- control flow ------------------------------------------------------------------------

    def target(self, value: Any, path: str) -> str | None:
        """Check a target: a state id, ``end``, ``handoff`` or ``flow:<id>``."""
        if isinstance(value, str):
            if value in (END, HANDOFF) or NAME_RE.match(value):
                return value
            if value.startswith(FLOW_PREFIX) and NAME_RE.match(value[len(FLOW_PREFIX) :]):
                return value
        self.r.error(
            f"a target is a state id, 'end', 'handoff' or 'flow:<flow id>'; got {value!r}", path
        )
        return None

    def fallback(self, value: Any, path: str) -> Fallback | None:
        """Read ``{say, goto}`` (a bare string is a ``goto``)."""
        if value is None:
            return None
        if isinstance(value, str):
            return Fallback(goto=self.target(value, path), path=path)
        data = self.r.mapping(value, path, "a mapping with 'say' and/or 'goto'")
        self.r.keys(data, path, {"say", "goto"}, "a fallback")
        goto = self.target(data["goto"], join(path, "goto")) if "goto" in data else None
        return Fallback(say=self.messages(data.get("say"), join(path, "say")), goto=goto, path=path)

    def branches(self, value: Any, path: str) -> tuple[Branch, ...]:
        """Read ``next:``: a target, or a list of targets and ``{if|when, goto}`` entries."""
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        result: list[Branch] = []
        for index, item in enumerate(items):
            where = join(path, index) if isinstance(value, list) else path
            if isinstance(item, str):
                target = self.target(item, where)
                if target is not None:
                    result.append(Branch(target=target, path=where))
                continue
            data = self.r.mapping(item, where, "a target or {if: ..., goto: ...}")
            self.r.keys(data, where, {"if", "when", "goto"}, "a next entry")
            if "goto" not in data:
                self.r.error("a next entry needs 'goto'", where)
                continue
            target = self.target(data["goto"], join(where, "goto"))
            hook = self.r.hook(data["when"], join(where, "when")) if "when" in data else None
            if target is not None:
                result.append(Branch(target, self.r.text(data, "if", where), hook, where))
        return tuple(result)

    def hook_calls(self, value: Any, path: str) -> tuple[HookCall, ...]:
        """Read ``on_enter``/``on_exit``: a hook name, or a list of names/``{hook, args}``."""
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        calls: list[HookCall] = []
        for index, item in enumerate(items):
            where = join(path, index) if isinstance(value, list) else path
            if isinstance(item, dict):
                self.r.keys(item, where, {"hook", "args"}, "a hook call")
                name = self.r.hook(item.get("hook"), join(where, "hook"))
                args = self.args(item.get("args"), join(where, "args"))
            else:
                name, args = self.r.hook(item, where), {}
            if name is not None:
                calls.append(HookCall(name=name, args=args, path=where))
        return tuple(calls)

    def args(self, value: Any, path: str) -> dict[str, Any]:
        """Read an ``args`` mapping whose keys are names."""
        if value is None:
            return {}
        data = self.r.mapping(value, path)
        for key in data:
            self.r.name(key, join(path, key), "an argument name")
        return data


def _replace_path(spec: MessageSpec, ref: str, path: str) -> MessageSpec:
    return replace(spec, ref=ref, path=path)


def _with(spec: ExpectSpec, fields: dict[str, Any]) -> ExpectSpec:
    return replace(spec, **fields)


__all__ = ["MESSAGE_KEYS", "Parts", "slug"]
