"""Loading the states of a flow file: exactly one kind per state, and only that kind's keys.

This module owns the schema of one state: its kind (``ask``, ``say``, ``run``, ``call``,
``handoff`` or ``end``; ``say`` alone makes a say state), the keys common to all kinds, the keys
of each kind (an ``expect`` on a run state is reported, as is a typo, with "did you mean"),
reserved names, ``next`` being required (or forbidden on ``end``/``handoff``), and the state's
parts read through :class:`flows._load_parts.Parts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flows._fields import Reader
from flows._load_parts import Parts
from flows._model import RESERVED_STATE_NAMES, CallSpec, HookCall, State, StateKind
from flows._yaml import join

KIND_KEYS: tuple[StateKind, ...] = ("ask", "run", "call", "handoff", "end")
COMMON_STATE_KEYS = frozenset(
    {"say", "next", "on_enter", "on_exit", "interrupts", "timeout", "tags", "description"}
)
KIND_STATE_KEYS: dict[str, frozenset[str]] = {
    "ask": frozenset({"ask", "expect", "validate", "reprompt", "save"}),
    "say": frozenset(),
    "run": frozenset({"run", "args", "save", "on_error"}),
    "call": frozenset({"call", "args", "returns"}),
    "handoff": frozenset({"handoff"}),
    "end": frozenset({"end"}),
}
ALL_STATE_KEYS = COMMON_STATE_KEYS.union(*KIND_STATE_KEYS.values())


class StateReader:
    """Reads the ``states:`` mapping of one document.

    Args:
        reader: The document's field reader (errors are collected there).
        parts: The document's parts reader (messages, questions, branches).
    """

    def __init__(self, reader: Reader, parts: Parts) -> None:
        self.r = reader
        self.parts = parts

    def states(self, value: Any) -> dict[str, State]:
        """Read ``states:`` (file order kept)."""
        result: dict[str, State] = {}
        data = self.r.mapping(value, "states") if value is not None else {}
        if value is not None and not data:
            self.r.error("'states' must hold at least one state", "states")
        for name, item in data.items():
            path = join("states", name)
            if not self.r.name(name, path, "a state id"):
                continue
            if name in RESERVED_STATE_NAMES:
                self.r.error(f"{name!r} is reserved and cannot name a state", path)
                continue
            state = self._state(name, item, path)
            if state is not None:
                result[name] = state
        return result

    def _state(self, name: str, value: Any, path: str) -> State | None:
        r, p = self.r, self.parts
        data = r.mapping(value, path, "a mapping (a state)")
        if not data:
            if isinstance(value, dict):
                r.error("an empty state: give it one of ask, say, run, call, handoff, end", path)
            return None
        r.keys(data, path, ALL_STATE_KEYS, "a state")
        kinds = [key for key in KIND_KEYS if key in data]
        if len(kinds) > 1:
            r.error(f"a state has exactly one kind, this one has {' and '.join(kinds)}", path)
            return None
        kind: StateKind = kinds[0] if kinds else "say"
        if not kinds and "say" not in data:
            r.error("a state needs a kind: one of ask, say, run, call, handoff, end", path)
            return None
        allowed = COMMON_STATE_KEYS | KIND_STATE_KEYS[kind]
        for key in data:
            if key in ALL_STATE_KEYS and key not in allowed:
                r.error(f"{key!r} is not used by {kind} states", join(path, key))
        if kind in ("handoff", "end"):
            if data[kind] is not True:
                r.error(f"{kind!r} must be true", join(path, kind))
            if "next" in data:
                r.error(f"{kind} states have no 'next'", join(path, "next"))
        elif "next" not in data:
            r.error(f"{kind} states need 'next'", path)
        ask = p.message(data["ask"], join(path, "ask")) if kind == "ask" else None
        if ask is not None and ask.kind in ("media", "template", "cta_url"):
            r.error(f"an ask prompt cannot be a {ask.kind} message", join(path, "ask"))
        save = (
            r.name(data["save"], join(path, "save"), "a slot name")
            if data.get("save") is not None
            else None
        )
        return State(
            name=name,
            kind=kind,
            say=p.messages(data.get("say"), join(path, "say")),
            ask=ask,
            expect=p.expect(data.get("expect"), join(path, "expect"), ask)
            if kind == "ask"
            else None,
            validate=p.validate(data.get("validate"), join(path, "validate")),
            reprompt=p.reprompt(data.get("reprompt"), join(path, "reprompt")),
            save=save,
            next=p.branches(data.get("next"), join(path, "next")),
            run=self._run(data, path) if kind == "run" else None,
            on_error=p.fallback(data.get("on_error"), join(path, "on_error")),
            call=self._call(data, path) if kind == "call" else None,
            on_enter=p.hook_calls(data.get("on_enter"), join(path, "on_enter")),
            on_exit=p.hook_calls(data.get("on_exit"), join(path, "on_exit")),
            interrupts=self._interrupts(data.get("interrupts", True), join(path, "interrupts")),
            timeout=r.duration(data, "timeout", path),
            tags=r.strings(data, "tags", path),
            description=r.text(data, "description", path),
            path=path,
        )

    def _run(self, data: Mapping[str, Any], path: str) -> HookCall | None:
        name = self.r.hook(data["run"], join(path, "run"))
        if name is None:
            return None
        return HookCall(
            name=name,
            args=self.parts.args(data.get("args"), join(path, "args")),
            path=join(path, "run"),
        )

    def _call(self, data: Mapping[str, Any], path: str) -> CallSpec | None:
        flow = self.r.name(data["call"], join(path, "call"), "a flow id")
        returns = self.parts.args(data.get("returns"), join(path, "returns"))
        for key, child in returns.items():
            self.r.name(child, join(join(path, "returns"), key), "a slot name of the called flow")
        if flow is None:
            return None
        return CallSpec(
            flow=flow,
            args=self.parts.args(data.get("args"), join(path, "args")),
            returns={key: str(child) for key, child in returns.items()},
            path=join(path, "call"),
        )

    def _interrupts(self, value: Any, path: str) -> tuple[str, ...] | None:
        if value is True:
            return None
        if value is False:
            return ()
        if isinstance(value, list):
            names = (
                self.r.name(item, join(path, i), "an intent name") for i, item in enumerate(value)
            )
            return tuple(name for name in names if name)
        self.r.error("'interrupts' is true, false or a list of intent names", path)
        return None


__all__ = ["ALL_STATE_KEYS", "COMMON_STATE_KEYS", "KIND_KEYS", "KIND_STATE_KEYS", "StateReader"]
