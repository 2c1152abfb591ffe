"""The compiler: one checked :class:`~flows._model.Flow` → one cached ``transitions.Machine``.

This module is the only place a ``transitions.Machine`` is built. Per (flow id, version) it
builds one plain machine (``model=None``, ``auto_transitions=False``, ``send_event=True``) with
callables only, never strings: the flow's states plus the synthetic ``__start__``, ``__end__``,
``__abort__``, ``__handoff__`` and one ``flow:<id>`` per jump; the events ``start``, ``next``,
``reject`` (re-prompt, else ``on_exhausted``), ``error``, ``timeout`` and ``intent:<name>``
(from an explicit list of the ask states allowing it, so opt-outs show in
``machine.get_triggers``). Conversations are never registered on the machine: the engine fires
events on a tiny :class:`Cursor`, and callbacks only delegate to its per-turn
:class:`~flows._conversation.Runner`, so one machine serves every conversation. Compiling also
resolves hook names, checks targets and compiles every template and expression once, so a
broken flow fails at startup with file, line and key path. What the compiler reads off a flow
(:func:`effective_intents`, :func:`choice_labels`, :func:`sent_messages`) is public, so
``waflow validate`` reads it the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from transitions import Machine
from transitions import State as MachineState

from flows._choice import IntentIndex
from flows._model import END, HANDOFF, Fallback, Flow, Intent, MessageSpec, State, flow_target
from flows._render import spec_strings
from flows._template import Evaluator, Renderer, compile_expression, compile_template, compile_value

if TYPE_CHECKING:
    from flows._conversation import Runner
    from flows._flowset import FlowSet
    from flows._hooks import HookKind, Hooks

log = logging.getLogger(__name__)

START, FINISH, ABORT, HANDOFF_STATE = "__start__", "__end__", "__abort__", "__handoff__"
"""The synthetic states every machine has besides the flow's own (and one ``flow:<id>`` per jump)."""


@dataclass(slots=True, eq=False)
class Cursor:
    """The tiny model object the machine moves: a state name and the runner of this turn."""

    state: str
    runner: Runner


@dataclass
class CompiledFlow:
    """A flow version ready to run.

    Attributes:
        machine: Its state machine (shared by every conversation; never add models to it).
        intents: The intents active in this flow, own first then shared ones, in match order.
        index: The same intents indexed by keyword and payload (what the engine matches with).
        renderers: Compiled message templates by ``(source, key path)``.
        evaluators: Compiled expressions and argument values by key path.
        labels: Slot → option id → option title, for every choice question saving to a slot
            (templates read the title of a saved choice as ``labels.<slot>``).
    """

    flow: Flow
    machine: Machine
    intents: tuple[Intent, ...]
    index: IntentIndex
    renderers: dict[tuple[str, str], Renderer] = field(default_factory=dict)
    evaluators: dict[str, Evaluator] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def renderer(self, source: str, path: str) -> Renderer:
        """The compiled template of one string of the flow, compiled on first use."""
        renderer = self.renderers.get((source, path))
        if renderer is None:
            renderer = compile_template(source, error=partial(self.flow.error, path=path))
            self.renderers[(source, path)] = renderer
        return renderer

    def text(self, source: str, path: str, context: Mapping[str, Any]) -> str:
        """Render one template string of the flow."""
        return self.renderer(source, path)(context)

    def evaluate(self, path: str, context: Mapping[str, Any]) -> Any:
        """Evaluate the compiled expression or argument value stored at ``path``."""
        return self.evaluators[path](context)


Callback = Callable[[Any], Any]
_Spec = tuple[str, "str | list[str]", "str | None", dict[str, Any]]
"""One transition to add: trigger, source(s), dest (``None``: internal), options."""


def _runner(event: Any) -> Runner:
    runner: Runner = event.model.runner
    return runner


class Compiler:
    """Builds and caches one :class:`CompiledFlow` per (flow id, version).

    Args:
        flows: The flow set (for sub-flow calls, ``flow:`` targets and shared intents).
        hooks: The hook registry every hook name must be found in.
    """

    def __init__(self, flows: FlowSet, hooks: Hooks) -> None:
        self.flows = flows
        self.hooks = hooks
        self._cache: dict[tuple[str, int], CompiledFlow] = {}

    def get(self, flow: Flow) -> CompiledFlow:
        """Return the compiled flow, building it on first use.

        Raises:
            FlowError: The flow names a missing state, flow or hook, or has a template error.
        """
        key = (flow.id, flow.version)
        compiled = self._cache.get(key)
        if compiled is None:
            compiled = _Builder(flow, self.flows, self.hooks).build()
            self._cache[key] = compiled
            log.debug("compiled flow %s v%d (%d states)", flow.id, flow.version, len(flow.states))
        return compiled

    def __len__(self) -> int:
        return len(self._cache)


def effective_intents(flow: Flow, flows: Iterable[Flow]) -> tuple[Intent, ...]:
    """The flow's own intents, then the shared (``global: true``) intents of the other flows.

    A shared intent the flow overrides (one of its own has that name) is left out; of two
    shared intents with one name, the first flow's wins.

    Args:
        flows: Every flow deployed with it, in load order (a :class:`~flows.FlowSet` or any
            iterable of flows).
    """
    intents = {intent.name: intent for intent in flow.intents.values()}
    for other in flows:
        for intent in other.intents.values():
            if intent.shared and other.id != flow.id:
                intents.setdefault(intent.name, intent)
    return tuple(intents.values())


def choice_labels(flow: Flow) -> dict[str, dict[str, str]]:
    """Slot → option id → option title of each question with options saving to a slot."""
    labels: dict[str, dict[str, str]] = {}
    for state in flow.states.values():
        if state.save and state.expect is not None and state.expect.options:
            titles = labels.setdefault(state.save, {})
            titles.update((option.id, option.title) for option in state.expect.options)
    return labels


@dataclass(frozen=True, slots=True)
class Sent:
    """A message the engine can send, and where it sends it.

    Attributes:
        spec: The message.
        place: ``reprompt`` for an ``unrecognized``/``invalid`` re-prompt, ``on_error`` for a
            message sent when a hook raised, else ``None``: the key of the extra names its
            templates can read (:data:`flows._conversation.EXTRA_CONTEXT_NAMES`).
        state: The ask state whose prompt this message is or re-words, if any.
    """

    spec: MessageSpec
    place: str | None = None
    state: State | None = None

    @property
    def reprompt(self) -> bool:
        """True for a re-prompt (a text one replaces the body of the state's prompt)."""
        return self.place == "reprompt"


def sent_messages(flow: Flow, intents: Iterable[Intent] | None = None) -> Iterator[Sent]:
    """Every message the engine can send in ``flow``, where it sends it.

    A ``{ref: name}`` copy of a named message is listed where it is used (its ``ref`` is set);
    the named messages themselves are sent only through such copies.

    Args:
        intents: The intents answered in it; by default its own (the compiler passes
            :func:`effective_intents`).
    """
    settings = flow.settings
    for fallback, place in (
        (settings.on_exhausted, None),
        (settings.on_timeout, None),
        (settings.on_error, "on_error"),
    ):
        for spec in fallback.say if fallback else ():
            yield Sent(spec, place)
    for intent in flow.intents.values() if intents is None else intents:
        for spec in intent.say:
            yield Sent(spec)
    for state in flow.states.values():
        for spec in state.say:
            yield Sent(spec)
        if state.ask is not None:
            yield Sent(state.ask, None, state)
        # a question without its own re-prompt uses the flow's, inside its own prompt shape
        reprompts = (
            state.reprompt.unrecognized or settings.unrecognized,
            state.reprompt.invalid or settings.invalid,
        )
        for reprompt in reprompts if state.kind == "ask" else ():
            if reprompt is not None:
                yield Sent(reprompt, "reprompt", state)
        for fallback, place in ((state.reprompt.on_exhausted, None), (state.on_error, "on_error")):
            for spec in fallback.say if fallback else ():
                yield Sent(spec, place)
    for reprompt in (settings.unrecognized, settings.invalid):
        if reprompt is not None:
            yield Sent(reprompt, "reprompt")


def key_path(flow: Flow, base: str, key: str) -> str:
    """``base.key`` when the flow's file has that key, else ``base`` (a shorthand form)."""
    path = f"{base}.{key}"
    return path if path in flow.lines else base


def hook_uses(flow: Flow) -> Iterator[tuple[HookKind, str, str]]:
    """Every hook the flow names: ``(kind, name, key path of the name)``."""
    for state in flow.states.values():
        if state.run is not None:
            yield "action", state.run.name, state.run.path
        for call in (*state.on_enter, *state.on_exit):
            yield "action", call.name, key_path(flow, call.path, "hook")
        for rule in state.validate:
            if rule.hook is not None:
                yield "validator", rule.hook, key_path(flow, rule.path, "hook")
        for branch in state.next:
            if branch.hook is not None:
                yield "condition", branch.hook, key_path(flow, branch.path, "when")


def expressions(flow: Flow) -> Iterator[tuple[str, str, str]]:
    """Every expression of the flow: ``(source, key path of its branch or rule, key below it)``."""
    for state in flow.states.values():
        for branch in state.next:
            if branch.condition is not None:
                yield branch.condition, branch.path, "if"
        for rule in state.validate:
            if rule.check is not None:
                yield rule.check, rule.path, "check"


def arguments(flow: Flow) -> Iterator[tuple[Mapping[str, Any], str, str]]:
    """The ``args`` of each hook and sub-flow call: ``(args, call key path, args key path)``."""
    for state in flow.states.values():
        for hook in (*state.on_enter, *state.on_exit):
            yield hook.args, hook.path, f"{hook.path}.args"
        for call in (state.run, state.call):
            if call is not None:
                yield call.args, call.path, f"{state.path}.args"


class _Builder:
    """Builds one machine; kept apart from :class:`Compiler` to hold the per-build state."""

    def __init__(self, flow: Flow, flows: FlowSet, hooks: Hooks) -> None:
        self.flow = flow
        self.flows = flows
        self.hooks = hooks
        self.intents = effective_intents(flow, flows)
        self.evaluators: dict[str, Evaluator] = {}
        self.jumps: set[str] = set()

    def dest(self, target: str, path: str, declared_in: str | None = None) -> str:
        """Map a target to a machine state name, checking it exists."""
        if target == END:
            return FINISH
        if target == HANDOFF:
            return HANDOFF_STATE
        other = flow_target(target)
        if other is None and declared_in is not None and declared_in != self.flow.id:
            other = f"{declared_in}#{target}"
            if self.flows.get(declared_in).states.get(target) is None:
                raise self.flow.error(
                    f"intent target {target!r} is not a state of {declared_in}", path
                )
        if other is not None:
            if self.flows.find(other.split("#", 1)[0]) is None:
                raise self.flow.error(f"{target!r} names an unknown flow", path)
            self.jumps.add(f"flow:{other}")
            return f"flow:{other}"
        if target not in self.flow.states:
            raise self.flow.error(f"{target!r} is not a state of flow {self.flow.id}", path)
        return target

    def fallback_dest(self, fallback: Fallback | None, default: str) -> str:
        if fallback is None or fallback.goto is None:
            return default
        return self.dest(fallback.goto, fallback.path + ".goto")

    def build(self) -> CompiledFlow:
        flow = self.flow
        if flow.start not in flow.states:
            raise flow.error(f"start state {flow.start!r} is not defined", "start")
        self._expressions()
        transitions = list(self._transitions())
        states = [MachineState(START)]
        states += [self._synthetic(name) for name in (FINISH, ABORT, HANDOFF_STATE)]
        states += [self._state(state) for state in flow.states.values()]
        states += [self._synthetic(name) for name in sorted(self.jumps)]
        machine = Machine(
            model=None,
            states=states,
            initial=START,
            auto_transitions=False,
            send_event=True,
        )
        for trigger, source, dest, options in transitions:
            machine.add_transition(trigger, cast(Any, source), dest, **options)
        compiled = CompiledFlow(
            flow=flow,
            machine=machine,
            intents=self.intents,
            index=IntentIndex.of(self.intents),
            evaluators=self.evaluators,
            labels=choice_labels(flow),
        )
        for sent in sent_messages(flow, self.intents):  # template errors fail at startup
            for source, path, _, _ in spec_strings(sent.spec):
                compiled.renderer(source, path)
        return compiled

    def _expressions(self) -> None:
        flow = self.flow
        for kind, name, path in hook_uses(flow):
            if name not in self.hooks.names(kind):
                known = ", ".join(sorted(self.hooks.names(kind))) or "none registered"
                raise flow.error(f"no {kind} hook named {name!r} (known: {known})", path)
        for source, path, key in expressions(flow):
            error = partial(flow.error, path=f"{path}.{key}")
            self.evaluators[path] = compile_expression(source, error=error)
        for state in flow.states.values():
            if state.call is not None and self.flows.find(state.call.flow) is None:
                message = f"call names an unknown flow {state.call.flow!r}"
                raise flow.error(message, state.call.path)
        for args, path, _ in arguments(flow):
            self.evaluators[path] = compile_value(dict(args), error=partial(flow.error, path=path))

    def _synthetic(self, name: str) -> MachineState:
        return MachineState(name, on_enter=[lambda event: _runner(event).reached(name)])

    def _state(self, state: State) -> MachineState:
        return MachineState(
            state.name,
            on_enter=[lambda event: _runner(event).entered(state)],
            on_exit=[lambda event: _runner(event).exited(state)],
        )

    def _say(self, messages: tuple[MessageSpec, ...], default: str | None = None) -> list[Callback]:
        """A ``before`` callback sending ``messages``, or the engine's ``default`` apology."""
        if messages:
            return [lambda event: _runner(event).say(messages, event.kwargs)]
        if default is not None:
            return [lambda event: _runner(event).apologize(default)]
        return []

    def _transitions(self) -> Iterator[_Spec]:
        flow, settings = self.flow, self.flow.settings
        yield "start", START, flow.start, {}
        for state in flow.states.values():
            yield from self._next(state)
            if state.kind == "ask":
                yield from self._reject(state)
            if state.kind == "run":
                fallback = state.on_error or settings.on_error
                say = self._say(fallback.say if fallback else (), "error")
                yield "error", state.name, self.fallback_dest(fallback, ABORT), {"before": say}
        asks = [s for s in flow.states.values() if s.kind == "ask"]
        timeout = settings.on_timeout
        timeout_dest = self.fallback_dest(timeout, ABORT)
        if asks:
            say = self._say(timeout.say if timeout else ())
            yield "timeout", [s.name for s in asks], timeout_dest, {"before": say}
        for intent in self.intents:
            sources = [s.name for s in asks if s.allows(intent.name)]
            if sources:
                yield from self._intent(intent, sources)

    def _next(self, state: State) -> Iterator[_Spec]:
        for branch in state.next:
            condition = self.evaluators.get(branch.path) if branch.condition else None

            def holds(
                event: Any, condition: Evaluator | None = condition, hook: str | None = branch.hook
            ) -> bool:
                return _runner(event).holds(condition, hook)

            options = {} if branch.unconditional else {"conditions": [holds]}
            yield "next", state.name, self.dest(branch.target, branch.path), options

    def _reject(self, state: State) -> Iterator[_Spec]:
        again = {
            "conditions": [lambda event: _runner(event).retries_left(state)],
            "after": [lambda event: _runner(event).reprompt(state, event.kwargs)],
        }
        yield "reject", state.name, None, again
        fallback = state.reprompt.on_exhausted or self.flow.settings.on_exhausted
        said = None if fallback is None else fallback.say
        say = [lambda event: _runner(event).exhausted(said, event.kwargs)]
        yield "reject", state.name, self.fallback_dest(fallback, ABORT), {"before": say}

    def _intent(self, intent: Intent, sources: list[str]) -> Iterator[_Spec]:
        say = self._say(intent.say)
        if intent.resume:  # then ask the current question again, as it was
            again = [lambda event: _runner(event).send_prompt(self.flow.states[event.model.state])]
            yield f"intent:{intent.name}", sources, None, {"before": say, "after": again}
            return
        assert intent.goto is not None
        dest = (
            ABORT
            if intent.goto == END
            else self.dest(intent.goto, intent.path + ".goto", intent.flow)
        )
        yield f"intent:{intent.name}", sources, dest, {"before": say}
