"""Loading the reusable pieces of a flow file: questions, re-prompts, branches, fallbacks, hooks.

This module owns the schema of what can appear in several places of a flow file: an ``expect``
block with its per-type options (and the ``min > max`` / bad regex / bad bound checks),
``validate`` rules, ``reprompt`` blocks, targets (``next``, ``on_exhausted``, ``on_timeout``,
intents), fallbacks and hook calls. :class:`Parts` extends the message reader of
:mod:`flows._load_messages`; the top of the document and the states are read by
:mod:`flows._loader`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, cast

from flows._fields import NAME_RE
from flows._load_messages import MessageReader
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
    RepromptSpec,
    ValidateRule,
)
from flows._yaml import join

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


class Parts(MessageReader):
    """Reads the shared pieces of one flow document: messages (inherited), questions, control.

    Args:
        reader: The document's field reader (errors are collected there).
        messages: The document's named messages, for ``{ref: name}``.
    """

    # -- questions ---------------------------------------------------------------------------

    def expect(self, value: Any, path: str, ask: MessageSpec | None) -> ExpectSpec:
        """Read ``expect:`` (a type name, or a mapping with ``type`` and its options)."""
        if value is None:
            implied = "choice" if ask is not None and ask.kind in ("buttons", "list") else "text"
            return ExpectSpec(
                type=cast(ExpectType, implied), options=ask.options if ask else (), path=path
            )
        data: dict[str, Any] = (
            {"type": value} if isinstance(value, str) else self.r.mapping(value, path)
        )
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
                self.r.error(
                    f"unknown media kind {bad!r} (kinds: {', '.join(MEDIA_KINDS)})",
                    join(path, "kinds"),
                )
            fields = {"kinds": kinds}
        return _with(spec, fields)

    def _choice(
        self, data: Mapping[str, Any], path: str, ask: MessageSpec | None
    ) -> dict[str, Any]:
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
                self.r.error(
                    f"invalid regular expression {pattern!r}: {exc}", join(path, "pattern")
                )
        return {"pattern": pattern, "ignore_case": ignore_case}

    def _moment(self, data: Mapping[str, Any], path: str, kind: str) -> dict[str, Any]:
        formats = self.r.strings(data, "formats", path)
        for index, fmt in enumerate(formats):
            if "%" not in fmt:
                self.r.error(
                    f"{fmt!r} is not a strptime format (e.g. '%d/%m/%Y')",
                    join(join(path, "formats"), index),
                )
        low = self.r.date_bound(data, "min", path, kind)
        high = self.r.date_bound(data, "max", path, kind)
        if low is not None and high is not None:
            both_rel = low.offset is not None and high.offset is not None
            if (
                both_rel
                and low.offset is not None
                and high.offset is not None
                and low.offset > high.offset
            ):
                self.r.error(f"min ({low.raw}) is after max ({high.raw})", path)
            same = type(low.absolute) is type(high.absolute) and low.absolute is not None
            if same and low.absolute > high.absolute:  # type: ignore[operator]
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
        self.r.keys(
            data, path, {"unrecognized", "invalid", "max_retries", "on_exhausted"}, "reprompt"
        )
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


def _with(spec: ExpectSpec, fields: dict[str, Any]) -> ExpectSpec:
    return replace(spec, **fields)


__all__ = ["Parts"]
