"""A flow as a graph: its transitions (:func:`edges`), and ``waflow graph``'s Mermaid drawing.

This module owns the one list of a flow's targets, read from the typed IR as
:mod:`flows._compile` wires them: :func:`edges` as written, :func:`successors` per state with
the flow-wide fallbacks that apply to it (used by the validator's graph checks), and
:func:`mermaid`, which draws a loaded flow (never the compiled machine, so no hooks are needed):
one box per state with its kind, labelled edges, other flows and missing targets as their own
boxes, and intents and flow-wide fallbacks from one "anywhere in the flow" box.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from flows._compile import key_path
from flows._model import END, HANDOFF, Fallback, Flow, State, flow_target

LABEL_MAX = 32
"""Edge labels and descriptions longer than this are cut with "…"."""
_CLASSES = {
    "ask": "fill:#e3f2fd,stroke:#1565c0",
    "say": "fill:#f1f8e9,stroke:#558b2f",
    "run": "fill:#fff8e1,stroke:#f9a825",
    "call": "fill:#f3e5f5,stroke:#6a1b9a",
    "stop": "fill:#eceff1,stroke:#455a64",
    "other": "fill:#fce4ec,stroke:#ad1457",
    "missing": "fill:#ffebee,stroke:#c62828,stroke-dasharray:4",
}
_ANY = "x_any"


@dataclass(frozen=True, slots=True)
class Edge:
    """A target written in the flow.

    Attributes:
        source: The state it leaves from; ``None`` for flow-wide targets (settings, intents),
            which can leave from any ``ask`` (timeouts, exhausted retries, intents) or ``run``
            (errors) state.
        target: The target as written.
        path: The key path of the target.
        via: ``next``, ``on_exhausted``, ``on_error``, ``on_timeout`` or ``intent``.
        label: What the edge means, in words (a branch's condition, "hook error"...).
    """

    source: str | None
    target: str
    path: str
    via: str
    label: str | None = None


_LABELS = {
    "on_exhausted": "retries exhausted",
    "on_error": "hook error",
    "on_timeout": "session timeout",
}


def edges(flow: Flow) -> Iterator[Edge]:
    """Every target of the flow with the key path of its ``goto``: flow-wide ones first."""
    settings = flow.settings
    for intent in flow.intents.values():
        if intent.goto is not None:
            path = key_path(flow, intent.path, "goto")
            yield Edge(None, intent.goto, path, "intent", f"intent {intent.name}")
    fallbacks: list[tuple[str | None, str, Fallback | None]] = [
        (None, "on_timeout", settings.on_timeout),
        (None, "on_exhausted", settings.on_exhausted),
        (None, "on_error", settings.on_error),
    ]
    for state in flow.states.values():
        fallbacks += [
            (state.name, "on_exhausted", state.reprompt.on_exhausted),
            (state.name, "on_error", state.on_error),
        ]
        conditional = any(not branch.unconditional for branch in state.next)
        for branch in state.next:
            parts = [part for part in (branch.condition, branch.hook) if part]
            label = " and ".join(parts) if parts else ("otherwise" if conditional else None)
            yield Edge(
                state.name, branch.target, key_path(flow, branch.path, "goto"), "next", label
            )
    for source, via, fallback in fallbacks:
        if fallback is not None and fallback.goto is not None:
            path = key_path(flow, fallback.path, "goto")
            yield Edge(source, fallback.goto, path, via, _LABELS[via])


def successors(flow: Flow, state: State) -> Iterator[str]:
    """The targets ``state`` can move to (as written), the flow-wide fallbacks that apply to it included.

    As the compiler wires them: an ask state's retries exhausted (its own ``on_exhausted``, else
    the flow's) and the session timeout, a run state's hook error (its own ``on_error``, else
    the flow's).
    """
    settings = flow.settings
    for branch in state.next:
        yield branch.target
    fallbacks: list[Fallback | None] = []
    if state.kind == "ask":
        fallbacks += [state.reprompt.on_exhausted or settings.on_exhausted, settings.on_timeout]
    if state.kind == "run":
        fallbacks.append(state.on_error or settings.on_error)
    for fallback in fallbacks:
        if fallback is not None and fallback.goto is not None:
            yield fallback.goto


def _id(prefix: str, name: str) -> str:
    """A Mermaid-safe id: letters, digits and ``_`` behind a prefix no keyword starts with."""
    return f"{prefix}_{re.sub(r'[^A-Za-z0-9_]', '_', name)}"


def _text(value: str, limit: int = LABEL_MAX) -> str:
    """Make ``value`` safe as a label: one line, no characters Mermaid reads as syntax."""
    text = " ".join(value.split())
    for bad, good in ((";", ","), ('"', "'"), ("<", "‹"), ("%%", "%")):
        text = text.replace(bad, good)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _Drawing:
    """Collects the lines of one diagram."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.lines: list[str] = []
        self.others: dict[str, str] = {}
        self.missing: dict[str, str] = {}
        self.handoff = False

    def node(self, target: str) -> str:
        """The Mermaid node of a target: a state, ``[*]``, or another flow's box."""
        if target == END:
            return "[*]"
        if target == HANDOFF:
            self.handoff = True
            return "x_handoff"
        other = flow_target(target)
        if other is not None:
            node = _id("f", other)
            self.others[node] = other
            return node
        node = _id("s", target)
        if target not in self.flow.states:
            self.missing[node] = target
        return node

    def edge(self, source: str, target: str, label: str | None = None) -> None:
        suffix = f" : {_text(label)}" if label else ""
        self.lines.append(f"    {source} --> {self.node(target)}{suffix}")


def _describe(state: State) -> str:
    """What the box says under the state name."""
    if state.kind == "ask" and state.expect is not None:
        text = f"ask {state.expect.type}"
        if state.expect.options:
            text += f" ({len(state.expect.options)} options)"
        return text + (f" → {state.save}" if state.save else "")
    if state.kind == "run" and state.run is not None:
        return f"run {state.run.name}" + (f" → {state.save}" if state.save else "")
    if state.kind == "call" and state.call is not None:
        return f"call {state.call.flow}, then next"
    return state.kind


def mermaid(flow: Flow) -> str:
    """Draw a loaded flow as a Mermaid state diagram.

    Returns:
        The diagram source (``stateDiagram-v2``), ending with a newline; paste it into a
        Markdown ```` ```mermaid ```` block or https://mermaid.live.
    """
    drawing = _Drawing(flow)
    lines = drawing.lines
    lines.append("stateDiagram-v2")
    title = flow.name or flow.id
    lines.append(f"    %% {_text(title, 80)} (flow {flow.id}, version {flow.version})")
    lines += [f"    classDef {name} {style}" for name, style in _CLASSES.items()]
    for state in flow.states.values():
        node = _id("s", state.name)
        lines.append(f'    state "{_text(state.name, 80)}" as {node}')
        lines.append(f"    {node} : {_text(_describe(state), 60)}")
    lines.append(f"    [*] --> {drawing.node(flow.start)}")
    outgoing: dict[str | None, list[Edge]] = {}
    for edge in edges(flow):
        outgoing.setdefault(edge.source, []).append(edge)
    for state in flow.states.values():
        node = _id("s", state.name)
        for edge in outgoing.get(state.name, []):
            drawing.edge(node, edge.target, edge.label)
        if state.kind == "end":
            lines.append(f"    {node} --> [*]")
        elif state.kind == "handoff":
            drawing.edge(node, HANDOFF)
    _flow_wide(drawing, flow, outgoing.get(None, []))
    if drawing.handoff:
        lines.append('    state "handoff to a person" as x_handoff')
        lines.append("    x_handoff --> [*]")
    for node, other in drawing.others.items():
        lines.append(f'    state "flow {_text(other, 80)}" as {node}')
    for node, name in drawing.missing.items():
        lines.append(f'    state "{_text(name, 80)} (missing)" as {node}')
    lines += _classes(flow, drawing)
    return "\n".join(lines) + "\n"


def _flow_wide(drawing: _Drawing, flow: Flow, anywhere: list[Edge]) -> None:
    """Intents and settings fallbacks, drawn from one "anywhere in the flow" box."""
    before = len(drawing.lines)
    for edge in anywhere:
        drawing.edge(_ANY, edge.target, edge.label)
    resumes = [intent.name for intent in flow.intents.values() if intent.resume]
    if len(drawing.lines) == before and not resumes:
        return
    drawing.lines.insert(before, '    state "anywhere in the flow" as x_any')
    if resumes:
        text = _text(", ".join(resumes), 60)
        drawing.lines.append(f"    note right of x_any : intents {text} → answer, then resume")


def _classes(flow: Flow, drawing: _Drawing) -> list[str]:
    """The ``class`` lines styling each box by its kind."""
    groups: dict[str, list[str]] = {name: [] for name in _CLASSES}
    for state in flow.states.values():
        kind = state.kind if state.kind in _CLASSES else "stop"
        groups[kind].append(_id("s", state.name))
    groups["other"] = list(drawing.others)
    groups["missing"] = list(drawing.missing)
    if drawing.handoff:
        groups["stop"].append("x_handoff")
    return [f"    class {','.join(members)} {kind}" for kind, members in groups.items() if members]
