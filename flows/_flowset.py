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

    Raises:
        FlowError: Two flows share an id, two flows share a ``global`` intent name, or
            several flows say ``triggers: {default: true}``.
    """

    def __init__(self, flows: Iterable[Flow]) -> None:
        self._flows, problems = _gather(flows)
        if problems:
            raise problems[0][1]
        intents = (intent for flow in self for intent in flow.intents.values())
        self._shared = tuple(intent for intent in intents if intent.shared)
        self._default = next((flow for flow in self if flow.is_default), None)

    @staticmethod
    def problems(flows: Iterable[Flow]) -> list[tuple[str, FlowError]]:
        """Why ``flows`` cannot make a set: ``(code, error)`` pairs; the constructor raises the first.

        Codes: ``duplicate-flow``, ``duplicate-intent`` (a ``global`` name), ``default-flow``.
        """
        return _gather(flows)[1]

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

    def route(
        self, message: inbound.Message, kinds: tuple[str, ...] = ("referral", "payload", "keyword")
    ) -> Flow | None:
        """Pick the flow whose triggers match a message that starts a conversation.

        Args:
            message: The inbound message.
            kinds: The trigger kinds to try, in order (mid-conversation only explicit ones,
                ``referral`` and ``payload``, may switch flows).

        Returns:
            The flow, or ``None`` when no trigger matches (the caller falls back to the default
            flow or the main menu).
        """
        for kind in kinds:
            for flow in self._flows.values():
                if any(t.kind == kind and _matches(t, message) for t in flow.triggers):
                    return flow
        return None

    def __iter__(self) -> Iterator[Flow]:
        return iter(self._flows.values())

    def __len__(self) -> int:
        return len(self._flows)

    def __contains__(self, flow_id: object) -> bool:
        return flow_id in self._flows


def _matches(trigger: Trigger, message: inbound.Message) -> bool:
    """True when ``trigger`` matches ``message``; a ``default`` trigger never does."""
    if trigger.kind == "referral":
        if message.referral is None or trigger.field is None:
            return False
        found = getattr(message.referral, trigger.field, None)
        if not found:
            return False
        if trigger.value == "*":
            return True
        if trigger.field in ("headline", "body"):
            return normalize(trigger.value) in normalize(str(found))
        return str(found) == trigger.value
    if trigger.kind == "payload":
        return message.choice_id == trigger.value
    if trigger.kind == "keyword":
        text = typed_text(message)
        return text is not None and normalize(text) == normalize(trigger.value)
    return False


def _gather(flows: Iterable[Flow]) -> tuple[dict[str, Flow], list[tuple[str, FlowError]]]:
    """The first flow of each id, and what stops the flows making a set (``FlowSet.problems``)."""
    by_id: dict[str, Flow] = {}
    problems: list[tuple[str, FlowError]] = []
    for flow in flows:
        if flow.id in by_id:
            where = by_id[flow.id].file or "another flow"
            message = f"duplicate flow id {flow.id!r} (also in {where})"
            problems.append(("duplicate-flow", flow.error(message, "flow")))
        else:
            by_id[flow.id] = flow
    shared: dict[str, str] = {}
    for flow in by_id.values():
        for intent in flow.intents.values():
            if intent.shared and intent.name in shared:
                other = shared[intent.name]
                message = f"global intent {intent.name!r} is also declared by flow {other!r}"
                problems.append(("duplicate-intent", flow.error(message, intent.path)))
            elif intent.shared:
                shared[intent.name] = flow.id
    defaults = [flow for flow in by_id.values() if flow.is_default]
    message = f"several flows say 'default: true': {', '.join(flow.id for flow in defaults)}"
    problems += [("default-flow", flow.error(message, "triggers.default")) for flow in defaults[1:]]
    return by_id, problems


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return [path]


def load_flows(*paths: str | Path) -> FlowSet:
    """Load flow files and directories (every ``*.yaml``/``*.yml`` below them) into a set.

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
