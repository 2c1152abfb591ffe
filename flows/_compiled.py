"""What the compiler produces: a compiled flow, the cursor it moves, and the driver protocol.

This module owns :class:`CompiledFlow` (one flow version with its shared ``transitions``
machine, compiled templates and expressions, and effective intents), :class:`Cursor` (the
tiny ``__slots__`` model object a machine moves for one conversation: a state name and the
per-turn driver), the :class:`Driver` protocol machine callbacks call, and the names of the
synthetic states. It builds nothing: machines are built only by :mod:`flows._compile`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from transitions import Machine

from flows._model import Flow, Intent, MessageSpec, State
from flows._template import Evaluator, Renderer, compile_template

START, FINISH, ABORT, HANDOFF_STATE = "__start__", "__end__", "__abort__", "__handoff__"
SYNTHETIC = frozenset({START, FINISH, ABORT, HANDOFF_STATE})


class Driver(Protocol):
    """What machine callbacks call: the engine's per-turn runner implements it."""

    def entered(self, compiled: CompiledFlow, state: State) -> None:
        """A flow state was entered: run ``on_enter`` hooks, send ``say`` and the prompt."""

    def exited(self, compiled: CompiledFlow, state: State) -> None:
        """A flow state is being left: run ``on_exit`` hooks."""

    def reached(self, compiled: CompiledFlow, where: str) -> None:
        """A synthetic state was entered: ``__end__``, ``__abort__``, ``__handoff__``, ``flow:x``."""

    def holds(self, compiled: CompiledFlow, condition: Evaluator | None, hook: str | None) -> bool:
        """Evaluate a branch condition and/or condition hook against the conversation."""

    def retries_left(self, compiled: CompiledFlow, state: State) -> bool:
        """True while ``state`` may still re-prompt."""

    def say(
        self, compiled: CompiledFlow, messages: tuple[MessageSpec, ...], kwargs: Mapping[str, Any]
    ) -> None:
        """Send messages (an intent's, an exhausted or error fallback's...)."""

    def apologize(self, compiled: CompiledFlow, reason: str) -> None:
        """Send the engine's default text for ``reason`` (``exhausted`` or ``error``)."""

    def reprompt(self, compiled: CompiledFlow, state: State, kwargs: Mapping[str, Any]) -> None:
        """Count a retry and ask ``state``'s question again, with the reprompt text."""

    def resume(self, compiled: CompiledFlow, state: State) -> None:
        """Re-send ``state``'s prompt (after ``help``-like intents)."""


class Cursor:
    """The tiny model object the machine moves: a state name and the runner of this turn."""

    __slots__ = ("driver", "state")

    def __init__(self, state: str, driver: Driver) -> None:
        self.state = state
        self.driver = driver


@dataclass
class CompiledFlow:
    """A flow version ready to run.

    Attributes:
        flow: The flow.
        machine: Its state machine (shared by every conversation; never add models to it).
        intents: The intents active in this flow, own first then shared ones, in match order.
        renderers: Compiled message templates by ``(source, key path)``.
        evaluators: Compiled expressions and argument values by key path.
        labels: Slot → option id → option title, for every choice question saving to a slot
            (templates read the title of a saved choice as ``labels.<slot>``).
    """

    flow: Flow
    machine: Machine
    intents: tuple[Intent, ...]
    renderers: dict[tuple[str, str], Renderer] = field(default_factory=dict)
    evaluators: dict[str, Evaluator] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def text(self, source: str, path: str, context: Mapping[str, Any]) -> str:
        """Render one template string of the flow."""
        key = (source, path)
        renderer = self.renderers.get(key)
        if renderer is None:
            renderer = compile_template(source, error=lambda m: self.flow.error(m, path))
            self.renderers[key] = renderer
        return renderer(context)

    def evaluate(self, path: str, context: Mapping[str, Any]) -> Any:
        """Evaluate the compiled expression or argument value stored at ``path``."""
        return self.evaluators[path](context)

    def trigger(self, cursor: Cursor, event: str, **kwargs: Any) -> bool:
        """Fire ``event`` on ``cursor`` (an unregistered model); False when no branch matched."""
        return bool(self.machine.events[event].trigger(cursor, **kwargs))

    def can(self, state: str, event: str) -> bool:
        """True when ``event`` has a transition out of ``state``."""
        found = self.machine.events.get(event)
        return found is not None and state in found.transitions


__all__ = [
    "ABORT",
    "FINISH",
    "HANDOFF_STATE",
    "START",
    "SYNTHETIC",
    "CompiledFlow",
    "Cursor",
    "Driver",
]
