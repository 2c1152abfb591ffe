"""The per-turn working copy of a conversation: its fields, its context, and what it sends.

This module owns :class:`Workspace`, the base of :class:`flows._runner.Runner`. It copies the
conversation row's fields at the start of a turn and writes them back, reassigned and never
mutated in place, in :meth:`Workspace.commit` (with the session deadline for lazy timeouts).
It builds the template/expression context and the :class:`~flows._hooks.HookContext`, calls
action hooks (inside a savepoint when the session has a transaction), and renders and queues
messages through ``turn.reply``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from flows._compile import CompiledFlow, Cursor
from flows._hooks import HookContext
from flows._model import Flow, MessageSpec, State
from flows._render import render_message, render_prompt
from flows._template import Raw

if TYPE_CHECKING:
    from bot.turn import Turn
    from flows._handler import FlowHandler

CONTEXT_NAMES = frozenset({"slots", "labels", "contact", "flow", "now", "today", "retries"})
"""The names every template and expression can read (:meth:`Workspace.context`)."""
EXTRA_CONTEXT_NAMES = {
    "validate": frozenset({"value"}),
    "reprompt": frozenset({"error", "received", "hint"}),
    "on_error": frozenset({"error"}),
}
"""Names only some places can read: validate rules, re-prompts, ``on_error`` messages."""


def jsonable(value: Any) -> Any:
    """Turn a hook result or slot value into plain JSON data (models dumped, others as text)."""
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="json")
    return json.loads(json.dumps(value, default=str))


class Workspace:
    """The working copy of one conversation during one turn, and the turn's output.

    Args:
        handler: The flow handler (flows, compiler, hooks and default texts).
        turn: The turn being handled.
    """

    cursor: Cursor
    """Where the conversation is; set by the subclass, whose object drives the machine."""

    def __init__(self, handler: FlowHandler, turn: Turn) -> None:
        self.handler = handler
        self.turn = turn
        conv = turn.conversation
        self.flow_id: str | None = conv.flow
        self.version: int | None = conv.flow_version
        self.slots: dict[str, Any] = dict(conv.slots or {})
        self.data: dict[str, Any] = dict(conv.data or {})
        self.stack: list[dict[str, Any]] = [dict(frame) for frame in conv.call_stack or []]
        self.status: str = conv.status or "active"
        self.compiled: CompiledFlow | None = None

    # -- conversation plumbing -----------------------------------------------------------------

    @property
    def flow(self) -> Flow:
        """The current flow."""
        assert self.compiled is not None
        return self.compiled.flow

    @property
    def now(self) -> datetime:
        """The turn's clock in the current flow's time zone."""
        zone = self.flow.settings.timezone if self.compiled else "UTC"
        return self.turn.now.astimezone(ZoneInfo(zone))

    @property
    def state(self) -> State | None:
        """The current flow state, ``None`` in a synthetic state."""
        return self.flow.states.get(self.cursor.state) if self.compiled else None

    def use(self, flow: Flow) -> CompiledFlow:
        """Make ``flow`` current (compiled and cached) and pin its version."""
        self.compiled = self.handler.compiler.get(flow)
        self.flow_id, self.version = flow.id, flow.version
        return self.compiled

    def commit(self) -> None:
        """Write the working copies back to the conversation row (new objects, never mutated)."""
        conv = self.turn.conversation
        state = self.state
        timeout = None
        if self.status == "active" and state is not None and state.kind == "ask":
            timeout = state.timeout or self.flow.settings.session_timeout
        data = {k: v for k, v in self.data.items() if k != "expires_at"}
        if timeout is not None:
            data["expires_at"] = (self.turn.now + timeout).isoformat()
        conv.flow, conv.flow_version, conv.state = self.flow_id, self.version, self.cursor.state
        conv.slots = dict(self.slots)
        conv.call_stack = [dict(frame) for frame in self.stack]
        conv.data = data
        conv.status = self.status

    def context(self, **extra: Any) -> dict[str, Any]:
        """The template/expression context.

        ``slots`` (declared slots default to their ``default``), ``labels`` (titles of saved
        choices), ``contact`` (``wa_id``, ``name``), ``flow`` (``id``, ``version``, ``state``),
        ``now`` and ``today`` (in the flow's time zone), ``retries``, plus ``extra`` (``value``
        in validate rules; ``received``, ``error``, ``hint`` in re-prompts).
        """
        flow = self.flow
        slots = {name: spec.default for name, spec in flow.slots.items()}
        slots.update(self.slots)
        contact = self.turn.contact
        now = self.now
        labels = {
            slot: Raw(titles[str(slots[slot])])
            for slot, titles in (self.compiled.labels if self.compiled else {}).items()
            if str(slots.get(slot)) in titles
        }
        return {
            "slots": slots,
            "labels": labels,
            "contact": {"wa_id": contact.wa_id, "name": contact.name},
            "flow": {"id": flow.id, "version": flow.version, "state": self.cursor.state},
            "now": now,
            "today": now.date(),
            "retries": int(self.data.get("retries", 0)),
            **extra,
        }

    def hook_context(self, args: Mapping[str, Any]) -> HookContext:
        """Build the :class:`~flows._hooks.HookContext` of a hook call."""
        return HookContext(
            session=self.turn.session,
            contact=self.turn.contact,
            conversation=self.turn.conversation,
            slots=dict(self.slots),
            now=self.turn.now,
            args=dict(args),
            flow=self.flow.id,
            state=self.cursor.state,
            message=self.turn.message,
            _reply=self.turn.reply,
        )

    def _apply(self, ctx: HookContext) -> None:
        for name, value in ctx._slot_writes.items():
            self.slots[name] = jsonable(value)

    # -- sending -------------------------------------------------------------------------------

    def _text_fn(self, extra: Mapping[str, Any]) -> Any:
        compiled, context = self.compiled, self.context(**extra)
        assert compiled is not None
        return lambda source, path: compiled.text(source, path, context)

    def send(self, specs: tuple[MessageSpec, ...], **extra: Any) -> None:
        """Render and queue messages."""
        text = self._text_fn(extra)
        for spec in specs:
            self.turn.reply(render_message(spec, to=self.turn.contact.wa_id, text=text))

    def send_text(self, body: str) -> None:
        """Queue one plain text from the engine (not a template)."""
        from bot import messages

        self.turn.reply(messages.text(self.turn.contact.wa_id, body))

    def send_prompt(self, state: State, body: str | None = None, **extra: Any) -> None:
        """Queue ``state``'s question (on the current page), optionally with other words."""
        self.turn.reply(
            render_prompt(
                state,
                to=self.turn.contact.wa_id,
                text=self._text_fn(extra),
                settings=self.flow.settings,
                page=int(self.data.get("page", 0)),
                body=body,
            )
        )

    # -- hooks ---------------------------------------------------------------------------------

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        session = self.turn.session
        if not session.in_transaction():
            yield
            return
        with session.begin_nested():
            yield

    def _call_hook(self, name: str, path: str) -> Any:
        assert self.compiled is not None
        args = self.compiled.evaluate(path, self.context())
        ctx = self.hook_context(args)
        result = self.handler.hooks.get("action", name)(ctx)
        self._apply(ctx)
        return result


__all__ = ["CONTEXT_NAMES", "EXTRA_CONTEXT_NAMES", "Workspace", "jsonable"]
