"""A set of flows loaded together, and routing a new conversation to one of them by its triggers.

This module owns :class:`FlowSet` (flows by id, duplicate ids refused, shared intents gathered,
the default flow found), :func:`load_flows` (files and directories), and the trigger rules:
a Click-to-WhatsApp referral first (``source_id``, ``source_url``, ``ctwa_clid`` exactly;
``headline``/``body`` as case-insensitive substrings), then a button or template payload, then
a keyword compared forgivingly with the whole message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from bot import inbound
from bot.errors import FlowError
from flows._choice import normalize
from flows._inputs import typed_text
from flows._loader import FlowLoadError, load_flow
from flows._model import Flow, Intent, Trigger


class FlowSet:
    """Flows by id.

    Args:
        flows: The flows; ids must be unique, and so must the names of shared intents.

    Raises:
        FlowError: Two flows share an id, two flows share a ``global`` intent name, or
            several flows say ``triggers: {default: true}``.
    """

    def __init__(self, flows: Iterable[Flow]) -> None:
        self._flows: dict[str, Flow] = {}
        for flow in flows:
            first = self._flows.get(flow.id)
            if first is not None:
                raise flow.error(
                    f"duplicate flow id {flow.id!r} (also in {first.file or 'another flow'})",
                    "flow",
                )
            self._flows[flow.id] = flow
        shared: dict[str, Intent] = {}
        for flow in self._flows.values():
            for intent in flow.intents.values():
                if intent.shared and intent.name in shared:
                    other = self._flows[shared[intent.name].flow]
                    raise flow.error(
                        f"global intent {intent.name!r} is also declared by {other.id}", intent.path
                    )
                if intent.shared:
                    shared[intent.name] = intent
        self._shared = tuple(shared.values())
        defaults = [flow for flow in self._flows.values() if flow.is_default]
        if len(defaults) > 1:
            names = ", ".join(flow.id for flow in defaults)
            raise defaults[1].error(f"several flows are the default: {names}", "triggers.default")
        self._default = defaults[0] if defaults else None

    def get(self, flow_id: str) -> Flow:
        """Return the flow ``flow_id``.

        Raises:
            FlowError: There is no such flow.
        """
        flow = self._flows.get(flow_id)
        if flow is None:
            known = ", ".join(self._flows) or "none"
            raise FlowError(f"unknown flow {flow_id!r} (flows: {known})")
        return flow

    def find(self, flow_id: str) -> Flow | None:
        """Return the flow ``flow_id``, or ``None``."""
        return self._flows.get(flow_id)

    @property
    def ids(self) -> tuple[str, ...]:
        """The flow ids, in load order."""
        return tuple(self._flows)

    @property
    def default(self) -> Flow | None:
        """The flow with ``triggers: {default: true}``, if any."""
        return self._default

    def shared_intents(self) -> tuple[Intent, ...]:
        """Every ``global: true`` intent, in load order."""
        return self._shared

    def route(self, message: inbound.Message) -> Flow | None:
        """Pick the flow whose triggers match a message that starts a conversation.

        Args:
            message: The inbound message.

        Returns:
            The flow, or ``None`` when no trigger matches (the caller falls back to the default
            flow or the main menu).
        """
        for kind in ("referral", "payload", "keyword"):
            for flow in self._flows.values():
                if any(t.kind == kind and trigger_matches(t, message) for t in flow.triggers):
                    return flow
        return None

    def __iter__(self) -> Iterator[Flow]:
        return iter(self._flows.values())

    def __len__(self) -> int:
        return len(self._flows)

    def __contains__(self, flow_id: object) -> bool:
        return flow_id in self._flows


def trigger_matches(trigger: Trigger, message: inbound.Message) -> bool:
    """True when ``trigger`` matches ``message``.

    Args:
        trigger: A keyword, payload or referral trigger (``default`` never matches here).
        message: The inbound message.
    """
    if trigger.kind == "referral":
        referral = message.referral
        if referral is None or trigger.field is None:
            return False
        found = getattr(referral, trigger.field, None)
        if not found:
            return False
        if trigger.value == "*":
            return True
        if trigger.field in ("headline", "body"):
            return normalize(trigger.value) in normalize(str(found))
        return str(found) == trigger.value
    if trigger.kind == "payload":
        return message.choice_id is not None and message.choice_id == trigger.value
    if trigger.kind == "keyword":
        text = typed_text(message)
        return text is not None and normalize(text) == normalize(trigger.value)
    return False


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return [path]


def load_flows(*paths: str | Path) -> FlowSet:
    """Load flow files and directories (every ``*.yaml``/``*.yml`` below them) into a set.

    Args:
        paths: Files and directories.

    Returns:
        The flow set.

    Raises:
        FlowLoadError: One or more files have problems; every problem of every file is listed.
        FlowError: A path does not exist, or two flows share an id.
    """
    flows: list[Flow] = []
    problems: list[FlowError] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise FlowError(f"no such flow file or directory: {path}")
        for file in _files(path):
            try:
                flows.append(load_flow(file))
            except FlowLoadError as exc:
                problems.extend(exc.errors)
    if problems:
        raise FlowLoadError(problems)
    return FlowSet(flows)


__all__ = ["FlowSet", "load_flows", "trigger_matches"]
