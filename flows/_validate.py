"""``waflow validate``: every static check of flow files, as a list of located diagnostics.

This module owns the validator's entry points: :func:`validate_flow` (one flow: its graph,
templates, limits, and here its wiring: hooks registered under the right kind, intents that
would swallow a question's answers, ``interrupts:``, options told apart, re-prompts, timeouts),
:func:`validate_flows` (a set deployed together: ids, triggers, unused hooks) and
:func:`validate_paths` (files first loaded, loader problems becoming diagnostics with their
lines). Nothing here raises on a bad flow: each finding is a :class:`Diagnostic` with file,
line, key path and a stable code (listed in ``docs/flows.md``).
"""

from __future__ import annotations

import inspect
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import get_args

from flows._choice import NO_WORDS, YES_WORDS, normalize, says_intent
from flows._compile import effective_intents, hook_uses
from flows._flowset import FlowSet, _files
from flows._hooks import HookKind, Hooks
from flows._loader import read_flow
from flows._model import ExpectSpec, Flow, Intent, State
from flows._validate_base import Diagnostic, Report, sort_key
from flows._validate_graph import check_graph
from flows._validate_limits import check_limits
from flows._validate_templates import check_templates

HooksLike = Hooks | Collection[str]
"""A hook registry, or just the registered names (then kinds are not told apart)."""
HookNames = Mapping[HookKind, frozenset[str]]
"""Registered hook names by kind."""
_HOOK_KINDS: tuple[HookKind, ...] = get_args(HookKind)


def validate_flow(
    flow: Flow, *, flows: Mapping[str, Flow] | None = None, hooks: HooksLike | None = None
) -> list[Diagnostic]:
    """Check one loaded flow statically; the diagnostics are ordered by line.

    Args:
        flows: Every flow it is deployed with, by id, for ``flow:<id>`` targets, ``call``,
            shared intents and sub-flow slots; ``None`` skips the cross-flow checks.
        hooks: The hook registry (or its names); ``None`` skips the hook checks.
    """
    report = Report(flow)
    check_graph(flow, report, flows)
    check_templates(flow, report, flows)
    check_limits(flow, report)
    _check_wiring(flow, report, flows, None if hooks is None else _hook_names(hooks))
    return sorted(report.items, key=sort_key)


def validate_flows(flows: Iterable[Flow], *, hooks: HooksLike | None = None) -> list[Diagnostic]:
    """Check flows deployed together (in load order), each one and the set as a whole.

    Args:
        hooks: The hook registry (or its names); ``None`` skips the hook checks.

    Returns:
        The diagnostics, ordered by file and line.
    """
    return _validate_set(list(flows), [], hooks)


def flow_files(paths: Iterable[str | Path]) -> list[Path]:
    """The flow files named by ``paths``: files as given, directories searched for ``*.yaml``/``*.yml``.

    Missing paths are kept, so :func:`validate_paths` can report them.
    """
    given = [Path(raw) for raw in paths]
    return [file for path in given for file in (_files(path) if path.exists() else [path])]


def validate_paths(
    paths: Iterable[str | Path], *, hooks: HooksLike | None = None, base: Iterable[Flow] = ()
) -> list[Diagnostic]:
    """Load flow files and directories, then check them as one deployment.

    A file with loader problems (YAML syntax, unknown keys, wrong types, a state with no kind
    or two...) reports those as errors with their lines and is not checked further; its flow id
    still counts for the other files' references.

    Args:
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


def _validate_set(
    flows: list[Flow], broken: list[Flow], hooks: HooksLike | None
) -> list[Diagnostic]:
    found = [Diagnostic.from_flow_error(error, code) for code, error in FlowSet.problems(flows)]
    by_id: dict[str, Flow] = {}
    for flow in flows:
        by_id.setdefault(flow.id, flow)
    known = {**{flow.id: flow for flow in broken}, **by_id}
    found += _check_triggers(list(by_id.values()))
    for flow in by_id.values():
        found += validate_flow(flow, flows=known, hooks=hooks)
    if hooks is not None:
        found += _unused_hooks(list(by_id.values()), hooks)
    return sorted(found, key=sort_key)


def _check_triggers(flows: list[Flow]) -> list[Diagnostic]:
    """A keyword or payload that starts two flows: the first loaded wins."""
    found: list[Diagnostic] = []
    triggers: dict[tuple[str, str], Flow] = {}
    for flow in flows:
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
                error = flow.error(message, trigger.path)
                found.append(Diagnostic.from_flow_error(error, "duplicate-trigger"))
    return found


def _unused_hooks(flows: list[Flow], hooks: HooksLike) -> list[Diagnostic]:
    names = _hook_names(hooks)
    registry = hooks if isinstance(hooks, Hooks) else None
    uses = [use for flow in flows for use in hook_uses(flow)]
    used = {(kind if registry else "action", name) for kind, name, _ in uses}
    found: list[Diagnostic] = []
    for kind in _HOOK_KINDS if registry else ("action",):
        for name in sorted(names[kind]):
            if (kind, name) in used:
                continue
            hook = inspect.unwrap(registry.get(kind, name)) if registry else None
            code = getattr(hook, "__code__", None)
            file, line = (code.co_filename, code.co_firstlineno) if code else (None, None)
            what = f"{kind} hook" if registry else "hook"
            message = f"{what} {name!r} is registered but no flow uses it"
            found.append(Diagnostic("warning", message, file, line, name, "unused-hook"))
    return found


# -- hooks --------------------------------------------------------------------------------------


def _hook_names(hooks: Hooks | Collection[str]) -> HookNames:
    """Registered names by kind; a plain collection of names counts for every kind."""
    if isinstance(hooks, Hooks):
        return {kind: hooks.names(kind) for kind in _HOOK_KINDS}
    return dict.fromkeys(_HOOK_KINDS, frozenset(hooks))


def _check_hook(report: Report, hooks: HookNames, kind: HookKind, name: str, path: str) -> None:
    if name in hooks[kind]:
        return
    elsewhere = [other for other in _HOOK_KINDS if name in hooks[other]]
    if elsewhere:
        hint = f"; it is registered as {_a(elsewhere[0])}, not as {_a(kind)}"
    else:
        known = ", ".join(sorted(hooks[kind])) or "none registered"
        hint = f" (known {kind}s: {known})"
    report.error("unknown-hook", path, f"no {kind} hook named {name!r}{hint}")


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


# -- intents, questions, timeouts --------------------------------------------------------------


def _check_wiring(
    flow: Flow, report: Report, flows: Mapping[str, Flow] | None, hooks: HookNames | None
) -> None:
    """The hook, intent, question and timeout checks; ``None`` ``flows``/``hooks`` skip theirs."""
    if hooks is not None:
        for kind, name, path in hook_uses(flow):
            _check_hook(report, hooks, kind, name, path)
    intents = effective_intents(flow, (flows or {}).values())
    for intent in flow.intents.values():
        if intent.name == "help" and not intent.resume:
            report.warning(
                "help-without-resume",
                report.key(intent.path, "goto"),
                "a help intent usually answers and goes back to the question: use "
                "'then: resume' instead of 'goto'",
            )
    names = {intent.name for intent in intents}
    for state in flow.states.values():
        if (state.interrupts or state.keeps_out) and flows is not None:
            for name in (*(state.interrupts or ()), *state.keeps_out):
                if name not in names:
                    report.error(
                        "unknown-intent",
                        report.key(state.path, "interrupts"),
                        f"no intent named {name!r} (intents: {', '.join(sorted(names)) or 'none'})",
                    )
        if state.expect is not None:
            _check_options(report, state.expect)
            _check_collisions(report, state, state.expect, intents)
            _check_reprompts(flow, report, state, state.expect)
    _check_timeouts(flow, report)


def _check_options(report: Report, expect: ExpectSpec) -> None:
    """Options must be told apart: by id when tapped, by title when typed (on any page)."""
    ids: dict[str, str] = {}
    titles: dict[str, tuple[str, str]] = {}
    for option in expect.options:
        if option.id in ids:
            report.error(
                "duplicate-option",
                report.key(option.path, "id"),
                f"option id {option.id!r} is also used by {ids[option.id]}: a tap cannot tell "
                "them apart",
            )
        ids.setdefault(option.id, option.path)
        folded = normalize(option.title)
        if folded in titles:
            title, first = titles[folded]
            same = title == option.title
            report.add(
                "error" if same else "warning",
                "duplicate-option",
                report.key(option.path, "title"),
                f"title {option.title!r} "
                + ("is also" if same else f"reads like {title!r},")
                + f" the title of {first}: typing it matches neither",
            )
        titles.setdefault(folded, (option.title, option.path))


def _check_collisions(
    report: Report, state: State, expect: ExpectSpec, intents: Iterable[Intent]
) -> None:
    active = [intent for intent in intents if state.allows(intent.name)]
    if not active:
        return
    words: list[tuple[str, str]] = []
    for option in expect.options:
        words += [(word, option.path) for word in (option.title, *option.synonyms)]
    if expect.type == "yes_no":
        answers = (*YES_WORDS, *NO_WORDS, *expect.yes_words, *expect.no_words)
        words += [(word, expect.path) for word in answers]
    for word, path in words:
        for intent in active:
            if says_intent(intent, word):
                report.warning(
                    "intent-collision",
                    path,
                    f"typing {word!r} fires intent {intent.name!r} (intents are matched "
                    "before answers): rename the answer, or leave the intent out of this "
                    "state with 'interrupts:'",
                )
                break


def _refuses(state: State, expect: ExpectSpec) -> bool:
    """True when an answer can be understood but refused (an ``invalid`` re-prompt)."""
    if state.validate or expect.type == "phone":
        return True
    if expect.type == "number":
        return expect.integer or expect.min is not None or expect.max is not None
    if expect.type == "text":
        return expect.min_length is not None or expect.max_length is not None
    if expect.type in ("date", "time", "datetime"):
        bounds = (expect.min_date, expect.max_date)
        return expect.future_only or any(bound is not None for bound in bounds)
    return expect.type == "media" and bool(expect.kinds)


def _check_reprompts(flow: Flow, report: Report, state: State, expect: ExpectSpec) -> None:
    settings, reprompt = flow.settings, state.reprompt
    missing = []
    if reprompt.unrecognized is None and settings.unrecognized is None:
        missing.append("unrecognized")
    if _refuses(state, expect) and reprompt.invalid is None and settings.invalid is None:
        missing.append("invalid")
    for name in missing:
        report.warning(
            "missing-reprompt",
            report.key(state.path, "reprompt"),
            f"no {name!r} re-prompt here or in settings: the engine's generic wording is sent",
        )


def _check_timeouts(flow: Flow, report: Report) -> None:
    settings = flow.settings
    for state in flow.states.values():
        if state.timeout is not None and state.kind != "ask":
            report.warning(
                "timeout",
                report.key(state.path, "timeout"),
                "a timeout only applies while waiting for an answer (ask states)",
            )
    timed = settings.session_timeout is not None or any(
        state.timeout is not None for state in flow.states.values()
    )
    if settings.on_timeout is not None and not timed:
        report.warning(
            "timeout",
            "settings.on_timeout",
            "on_timeout never fires: set settings.session_timeout (or a state timeout)",
        )
