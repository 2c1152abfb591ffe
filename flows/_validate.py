"""``waflow validate``: every static check of flow files, as a list of located diagnostics.

This module owns the validator's entry points. :func:`validate_flow` checks one loaded flow
(graph, templates and slots, WhatsApp limits, hooks and intents; the checks live in the
``flows._validate_*`` modules), :func:`validate_flows` checks a set of flows together (ids,
default flow, shared intents, triggers, hooks nobody uses), and :func:`validate_paths` loads
files and directories first, turning every loader problem into an error diagnostic with its
line. Nothing here raises on a bad flow: problems are findings, each a :class:`Diagnostic`
naming file, line, key path and a stable code (listed in ``docs/flows.md``).
"""

from __future__ import annotations

import inspect
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from flows._choice import normalize
from flows._flowset import _files
from flows._hooks import Hooks
from flows._loader import read_flow
from flows._model import Flow
from flows._validate_base import Diagnostic, Report, Severity, sort_key
from flows._validate_graph import check_graph
from flows._validate_limits import check_limits
from flows._validate_rules import HOOK_KINDS, HookNames, check_rules, hook_names, hook_uses
from flows._validate_templates import check_templates

HooksLike = Hooks | Collection[str]
"""A hook registry, or just the registered names (then kinds are not told apart)."""


def validate_flow(
    flow: Flow,
    *,
    flows: Mapping[str, Flow] | None = None,
    hooks: HooksLike | None = None,
) -> list[Diagnostic]:
    """Check one loaded flow statically.

    Args:
        flow: The flow (from :func:`flows.load_flow` or built in code).
        flows: Every flow it is deployed with, by id, for ``flow:<id>`` targets, ``call``,
            shared intents and sub-flow slots; ``None`` skips the cross-flow checks.
        hooks: The hook registry (or its names); ``None`` skips the hook checks.

    Returns:
        The diagnostics, ordered by line.
    """
    report = Report(flow)
    check_graph(flow, report, flows)
    check_templates(flow, report, flows)
    check_limits(flow, report)
    check_rules(flow, report, flows, None if hooks is None else hook_names(hooks))
    return sorted(report.items, key=sort_key)


def validate_flows(flows: Iterable[Flow], *, hooks: HooksLike | None = None) -> list[Diagnostic]:
    """Check flows that are deployed together, each one and the set as a whole.

    Args:
        flows: The flows, in load order.
        hooks: The hook registry (or its names); ``None`` skips the hook checks.

    Returns:
        The diagnostics, ordered by file and line.
    """
    return _validate_set(list(flows), [], hooks)


def flow_files(paths: Iterable[str | Path]) -> list[Path]:
    """The flow files named by ``paths``: files as given, directories searched for ``*.yaml``/``*.yml``.

    Missing paths are kept, so :func:`validate_paths` can report them.
    """
    result: list[Path] = []
    for raw in paths:
        path = Path(raw)
        result.extend(_files(path) if path.exists() else [path])
    return result


def validate_paths(
    paths: Iterable[str | Path],
    *,
    hooks: HooksLike | None = None,
    base: Iterable[Flow] = (),
) -> list[Diagnostic]:
    """Load flow files and directories, then check them as one deployment.

    A file with loader problems (YAML syntax, unknown keys, wrong types, a state with no kind
    or two...) reports those as errors with their lines and is not checked further; its flow id
    still counts for the other files' references.

    Args:
        paths: Flow files and directories.
        hooks: The hook registry (or its names); ``None`` skips the hook checks.
        base: Flows deployed with these files (the built-in business flows); a file's flow
            replaces a base flow of the same id, as it does at run time.

    Returns:
        The diagnostics, ordered by file and line.
    """
    flows: list[Flow] = []
    broken: list[Flow] = []
    found: list[Diagnostic] = []
    for file in flow_files(paths):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            found.append(Diagnostic("error", f"cannot read: {reason}", str(file), None, "", "io"))
            continue
        flow, errors = read_flow(text, str(file))
        found.extend(Diagnostic.from_flow_error(error) for error in errors)
        if flow is not None and not errors:
            flows.append(flow)
        elif flow is not None and flow.id != "invalid":
            broken.append(flow)
    replaced = {flow.id for flow in flows + broken}
    flows = [flow for flow in base if flow.id not in replaced] + flows
    return sorted(found + _validate_set(flows, broken, hooks), key=sort_key)


def _set_error(flow: Flow, code: str, path: str, message: str) -> Diagnostic:
    return Diagnostic("error", message, flow.file, flow.line_of(path), path, code)


def _validate_set(
    flows: list[Flow], broken: list[Flow], hooks: HooksLike | None
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    by_id: dict[str, Flow] = {}
    for flow in flows:
        first = by_id.get(flow.id)
        if first is not None:
            where = first.file or "another flow"
            message = f"duplicate flow id {flow.id!r} (also in {where})"
            found.append(_set_error(flow, "duplicate-flow", "flow", message))
            continue
        by_id[flow.id] = flow
    known = {**{flow.id: flow for flow in broken}, **by_id}
    found += _check_set(list(by_id.values()))
    names = None if hooks is None else hook_names(hooks)
    for flow in by_id.values():
        found += validate_flow(flow, flows=known, hooks=hooks)
    if names is not None and hooks is not None:
        found += _unused_hooks(list(by_id.values()), names, hooks)
    return sorted(found, key=sort_key)


def _check_set(flows: list[Flow]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    defaults = [flow for flow in flows if flow.is_default]
    for flow in defaults[1:]:
        message = f"several flows say 'default: true': {', '.join(f.id for f in defaults)}"
        found.append(_set_error(flow, "default-flow", "triggers.default", message))
    shared: dict[str, Flow] = {}
    triggers: dict[tuple[str, str], Flow] = {}
    for flow in flows:
        for intent in flow.intents.values():
            if intent.shared and intent.name in shared:
                other = shared[intent.name].id
                message = f"global intent {intent.name!r} is also declared by flow {other!r}"
                found.append(_set_error(flow, "duplicate-intent", intent.path, message))
            elif intent.shared:
                shared[intent.name] = flow
        for trigger in flow.triggers:
            if trigger.kind not in ("keyword", "payload"):
                continue
            value = normalize(trigger.value) if trigger.kind == "keyword" else trigger.value
            first = triggers.setdefault((trigger.kind, value), flow)
            if first is not flow:
                message = (
                    f"{trigger.kind} {trigger.value!r} also starts flow {first.id!r}, "
                    "which is loaded first and wins"
                )
                found.append(_set_error(flow, "duplicate-trigger", trigger.path, message))
    return found


def _unused_hooks(flows: list[Flow], names: HookNames, hooks: HooksLike) -> list[Diagnostic]:
    uses = [use for flow in flows for use in hook_uses(flow, Report(flow))]
    registry = hooks if isinstance(hooks, Hooks) else None
    used = {(kind if registry else "action", name) for kind, name, _ in uses}
    found: list[Diagnostic] = []
    for kind in HOOK_KINDS if registry else ("action",):
        for name in sorted(names[kind]):
            if (kind, name) in used:
                continue
            file = line = None
            if registry is not None:
                code = getattr(inspect.unwrap(registry.get(kind, name)), "__code__", None)
                file = code.co_filename if code is not None else None
                line = code.co_firstlineno if code is not None else None
            what = f"{kind} hook" if registry else "hook"
            message = f"{what} {name!r} is registered but no flow uses it"
            found.append(Diagnostic("warning", message, file, line, name, "unused-hook"))
    return found


__all__ = [
    "Diagnostic",
    "HooksLike",
    "Severity",
    "flow_files",
    "validate_flow",
    "validate_flows",
    "validate_paths",
]
