"""Static checks of a flow's hooks, intents, questions and timeouts.

This module owns the checks that need neither the graph nor the templates: every hook a flow
names (``run``, ``on_enter``/``on_exit``, ``validate: {hook}``, ``next: {when}``) must be
registered under the right kind when a registry is given; intents must not swallow a
question's own answers (the engine matches intents before answers) and ``help`` should resume;
``interrupts:`` must name existing intents; choice options must be told apart; ask states
should word their own re-prompts; timeouts must be able to fire.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from typing import get_args

from flows._choice import NO_WORDS, YES_WORDS, normalize
from flows._hooks import HookKind, Hooks
from flows._model import ExpectSpec, Flow, Intent, State
from flows._validate_base import Report

HookNames = Mapping[HookKind, frozenset[str]]
"""Registered hook names by kind."""
HOOK_KINDS: tuple[HookKind, ...] = get_args(HookKind)


def hook_names(hooks: Hooks | Collection[str]) -> HookNames:
    """Registered names by kind; a plain collection of names counts for every kind."""
    if isinstance(hooks, Hooks):
        return {kind: hooks.names(kind) for kind in HOOK_KINDS}
    names = frozenset(hooks)
    return dict.fromkeys(HOOK_KINDS, names)


def hook_uses(flow: Flow, report: Report) -> Iterator[tuple[HookKind, str, str]]:
    """Every hook the flow names: ``(kind, name, key path)``."""
    for state in flow.states.values():
        if state.run is not None:
            yield "action", state.run.name, state.run.path
        for call in (*state.on_enter, *state.on_exit):
            yield "action", call.name, report.key(call.path, "hook")
        for rule in state.validate:
            if rule.hook is not None:
                yield "validator", rule.hook, report.key(rule.path, "hook")
        for branch in state.next:
            if branch.hook is not None:
                yield "condition", branch.hook, report.key(branch.path, "when")


def effective_intents(flow: Flow, flows: Mapping[str, Flow] | None) -> list[Intent]:
    """The flow's intents, then the ``global: true`` intents of other flows it does not override.

    The same rule as :func:`flows._compile.effective_intents`, over a plain mapping of flows.
    """
    own = list(flow.intents.values())
    names = {intent.name for intent in own}
    for other in (flows or {}).values():
        for intent in other.intents.values():
            if intent.shared and other.id != flow.id and intent.name not in names:
                own.append(intent)
                names.add(intent.name)
    return own


def check_rules(
    flow: Flow, report: Report, flows: Mapping[str, Flow] | None, hooks: HookNames | None
) -> None:
    """Run the hook, intent, question and timeout checks of one flow.

    Args:
        flow: The flow.
        report: Where findings go.
        flows: Every loaded flow by id (for shared intents); ``None``: this flow alone.
        hooks: Registered hook names by kind; ``None`` skips the hook checks.
    """
    if hooks is not None:
        for kind, name, path in hook_uses(flow, report):
            _check_hook(report, hooks, kind, name, path)
    intents = effective_intents(flow, flows)
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
        if state.interrupts and flows is not None:
            for name in state.interrupts:
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


def _check_hook(report: Report, hooks: HookNames, kind: HookKind, name: str, path: str) -> None:
    if name in hooks[kind]:
        return
    elsewhere = [other for other in HOOK_KINDS if name in hooks[other]]
    if elsewhere:
        hint = f"; it is registered as {_a(elsewhere[0])}, not as {_a(kind)}"
    else:
        known = ", ".join(sorted(hooks[kind])) or "none registered"
        hint = f" (known {kind}s: {known})"
    report.error("unknown-hook", path, f"no {kind} hook named {name!r}{hint}")


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _check_options(report: Report, expect: ExpectSpec) -> None:
    """Options must be told apart: by id when tapped, by title when typed.

    The limit checks leave uniqueness within a question to this check, which also sees
    options on different pages of a long list.
    """
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


def _fires(intent: Intent, word: str) -> bool:
    folded = normalize(word)
    if any(normalize(keyword) == folded for keyword in intent.keywords):
        return True
    return any(re.search(pattern, word, re.IGNORECASE) for pattern in intent.patterns)


def _check_collisions(
    report: Report, state: State, expect: ExpectSpec, intents: list[Intent]
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
            if _fires(intent, word):
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


__all__ = ["HOOK_KINDS", "HookNames", "check_rules", "effective_intents", "hook_names", "hook_uses"]
