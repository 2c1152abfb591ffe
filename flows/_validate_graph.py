"""Static checks of a flow's graph: targets, reachability, input-less loops, fallback branches.

This module owns the checks on a flow as states joined by :func:`flows._graph.edges`: every
target names a state, ``end``, ``handoff`` or a loaded flow; every state is reachable from
``start`` or an intent target; no cycle of ``say``/``run``/``call`` states runs without asking
(the engine auto-advances through them); and every ``next`` list ends unconditionally, or the
machine raises at run time.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping

from flows._graph import Edge, edges, successors
from flows._model import END, HANDOFF, Flow, State, flow_target
from flows._validate_base import Report


def check_graph(flow: Flow, report: Report, flows: Mapping[str, Flow] | None) -> None:
    """Run every graph check of one flow into ``report``.

    Args:
        flows: Every loaded flow by id, for ``flow:<id>`` targets and ``call``; ``None`` skips
            the cross-flow checks.
    """
    known_start = flow.start in flow.states
    if not known_start:
        _unknown_state(flow, report, flow.start, "start", "the start state")
    all_edges = list(edges(flow))
    for edge in all_edges:
        _check_target(flow, report, flows, edge)
    for state in flow.states.values():
        if state.call is not None and flows is not None and state.call.flow not in flows:
            report.error(
                "unknown-flow",
                state.call.path,
                f"call names flow {state.call.flow!r}, which is not loaded{_known(flows)}",
            )
        _check_branches(state, report)
    if known_start:  # else every state would be reported unreachable
        _check_reachable(flow, report, all_edges)
    _check_loops(flow, report, flows)


def _known(flows: Mapping[str, Flow]) -> str:
    return f" (flows: {', '.join(sorted(flows))})" if flows else ""


def _unknown_state(flow: Flow, report: Report, target: str, path: str, what: str) -> None:
    close = difflib.get_close_matches(target, list(flow.states), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    report.error(
        "unknown-state", path, f"{what} {target!r} is not a state of flow {flow.id!r}{hint}"
    )


def _check_target(flow: Flow, report: Report, flows: Mapping[str, Flow] | None, edge: Edge) -> None:
    target = edge.target
    if target in (END, HANDOFF):
        return
    other = flow_target(target)
    if other is not None:
        if flows is not None and other != flow.id and other not in flows:
            report.error(
                "unknown-flow",
                edge.path,
                f"{target!r} names a flow that is not loaded{_known(flows)}",
            )
        return
    if target not in flow.states:
        _unknown_state(flow, report, target, edge.path, f"{edge.via} target")


def _check_branches(state: State, report: Report) -> None:
    if not state.next:
        return
    first = next((i for i, branch in enumerate(state.next) if branch.unconditional), None)
    if first is None:
        report.error(
            "no-fallback",
            report.key(state.path, "next"),
            "no branch of 'next' is unconditional: when no condition holds, the conversation "
            "is stuck; end the list with a plain target (e.g. '- goto: other' or '- other')",
        )
        return
    for branch in state.next[first + 1 :]:
        report.warning(
            "dead-branch", branch.path, f"never taken: branch {first} before it is unconditional"
        )


def _closure(todo: list[str], step: Callable[[str], Iterable[str]]) -> set[str]:
    """Every node reachable from ``todo`` (included) through ``step``."""
    seen: set[str] = set()
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(step(node))
    return seen


def _check_reachable(flow: Flow, report: Report, all_edges: list[Edge]) -> None:
    roots = [flow.start] + [e.target for e in all_edges if e.via == "intent"]
    seen = _closure(
        [name for name in roots if name in flow.states],
        lambda name: [t for t in successors(flow, flow.states[name]) if t in flow.states],
    )
    for state in flow.states.values():
        if state.name not in seen:
            report.error(
                "unreachable",
                state.path,
                f"state {state.name!r} can never be reached from start {flow.start!r} "
                "or an intent target",
            )


def _waits(state: State, flows: Mapping[str, Flow] | None) -> bool:
    """True when entering ``state`` can stop the turn to wait for the customer."""
    if state.kind in ("ask", "end", "handoff"):
        return True
    if state.kind == "call" and state.call is not None and flows is not None:
        child = flows.get(state.call.flow)
        return child is not None and any(s.kind == "ask" for s in child.states.values())
    return False


def _check_loops(flow: Flow, report: Report, flows: Mapping[str, Flow] | None) -> None:
    auto = {name for name, state in flow.states.items() if not _waits(state, flows)}
    graph = {name: [b.target for b in flow.states[name].next if b.target in auto] for name in auto}
    for component in _cycles(graph):
        members = [name for name in flow.states if name in component]
        exits = any(
            branch.target not in component for name in members for branch in flow.states[name].next
        )
        loop = " → ".join([*members, members[0]])
        if exits:
            message = (
                f"{loop} can loop without asking anything; only the step limit "
                f"({flow.settings.step_limit} states per turn) stops it"
            )
        else:
            message = (
                f"{loop} loops forever without asking anything (say/run/call states "
                "auto-advance); add an ask state or an exit"
            )
        where = report.key(flow.states[members[0]].path, "next")
        report.add("warning" if exits else "error", "input-less-loop", where, message)


def _cycles(graph: Mapping[str, list[str]]) -> list[set[str]]:
    """The strongly connected components of ``graph`` that contain a cycle."""
    reach = {node: _closure(list(targets), graph.__getitem__) for node, targets in graph.items()}
    found: list[set[str]] = []
    for node in graph:
        if node in reach[node] and not any(node in component for component in found):
            found.append({other for other in reach[node] if node in reach[other]})
    return found
