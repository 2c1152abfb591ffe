"""One turn of one conversation: its working copy, moving its machine, and what it sends.

This module owns :class:`Runner`, what the machine's callbacks call during a turn. It copies the
conversation row at the start of a turn and writes it back, reassigned and never mutated in place,
in :meth:`Runner.commit`. In between it fires machine events, auto-advances through
``say``/``run``/``call`` states until an ``ask`` or the end (with a step limit), keeps the sub-flow
call stack, reads answers with their ``validate`` rules (a kind of message it cannot read is
answered once per conversation, then ignored), builds the template context and the
:class:`~flows._hooks.HookContext`, calls hooks (a ``run`` hook inside a savepoint) and queues
rendered messages through ``turn.reply``. It adds a :class:`~storage.models.FlowStep` row for each
state entered and for the way a conversation leaves a flow (the history funnels are counted from),
in the turn's transaction. Which flow and event a message leads to is :mod:`flows._handler`'s job.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from transitions import MachineError

from bot import inbound
from bot.config import mask
from bot.errors import FlowError
from bot.messages import text as text_message
from flows._choice import page_of
from flows._compile import ABORT, FINISH, HANDOFF_STATE, START, CompiledFlow, Cursor
from flows._hooks import HookContext, Refusal
from flows._i18n import BUILTIN, SOURCE, Texts
from flows._inputs import Accepted, Invalid, NextPage, Unrecognized, read_answer
from flows._model import ExpectSpec, Flow, MessageSpec, State
from flows._render import TextFn, render_message, render_prompt
from flows._template import TEXTS_NAME, Evaluator, Raw
from storage.models import FlowStep

if TYPE_CHECKING:
    from bot.turn import Turn
    from flows._handler import FlowHandler

log = logging.getLogger(__name__)

MAX_CALL_DEPTH = 8
"""How deeply sub-flows may call sub-flows."""
CONTEXT_NAMES = frozenset({"slots", "labels", "contact", "flow", "now", "today", "retries"})
"""The names every template and expression can read (:meth:`Runner.context`)."""
EXTRA_CONTEXT_NAMES = {
    "validate": frozenset({"value"}),
    "reprompt": frozenset({"error", "received", "hint"}),
    "on_error": frozenset({"error"}),
}
"""Names only some places can read: validate rules, re-prompts, ``on_error`` messages."""
UNREADABLE = "unreadable"
"""The key of the conversation's data listing the kinds of message already answered "can't read"."""


def translated(expect: ExpectSpec, texts: Texts) -> ExpectSpec:
    """``expect`` with its options' titles in the customer's language, the written ones kept as
    synonyms (a customer may type either)."""
    if not expect.options or (texts.language == SOURCE and texts.catalogs is BUILTIN):
        return expect
    options = []
    for option in expect.options:
        title = texts(option.title)
        if title != option.title:
            option = replace(option, title=title, synonyms=(*option.synonyms, option.title))
        options.append(option)
    return replace(expect, options=tuple(options))


def jsonable(value: Any) -> Any:
    """Turn a hook result or slot value into plain JSON data (models dumped, others as text)."""
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="json")
    return json.loads(json.dumps(value, default=str))


class LoopGuard(FlowError):
    """More states were entered in one turn than ``settings.step_limit`` allows."""


class Runner:
    """Runs one inbound message (or one start) against the stored conversation.

    The compiled machine's callbacks call the methods marked as such below. The runner holds
    the conversation's working copy (flow, version, slots, data, call stack, status) until
    :meth:`commit` writes it back.
    """

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
        self._compiled: CompiledFlow | None = None
        self.cursor = Cursor(conv.state or START, self)
        self.pending: str | None = None
        self.steps = 0
        self.mark = 0
        self.actions = 0  # action hooks run this turn (their effects cannot be taken back)

    # -- conversation plumbing -----------------------------------------------------------------

    @property
    def compiled(self) -> CompiledFlow:
        """The current flow, compiled (set by :meth:`use`)."""
        assert self._compiled is not None
        return self._compiled

    @property
    def flow(self) -> Flow:
        """The current flow."""
        return self.compiled.flow

    @property
    def texts(self) -> Texts:
        """The customer's words and formats (read each time: a turn may change the language)."""
        return self.handler.texts(self.turn.contact)

    @property
    def now(self) -> datetime:
        """The turn's clock in the current flow's time zone."""
        return self.turn.now.astimezone(ZoneInfo(self.flow.settings.timezone))

    @property
    def state(self) -> State | None:
        """The current flow state, ``None`` in a synthetic state."""
        return self.flow.states.get(self.cursor.state) if self._compiled else None

    def use(self, flow: Flow) -> None:
        """Make ``flow`` current (compiled and cached) and pin its version."""
        self._compiled = self.handler.compiler.get(flow)
        self.flow_id, self.version = flow.id, flow.version

    def timeout(self, state: State) -> timedelta | None:
        """How long ``state`` waits for an answer: its own ``timeout``, else the flow's."""
        return state.timeout or self.flow.settings.session_timeout

    def commit(self) -> None:
        """Write the working copies back to the conversation row (new objects, never mutated)."""
        conv = self.turn.conversation
        state = self.state
        data = {k: v for k, v in self.data.items() if k != "expires_at"}
        if self.status == "active" and state is not None and state.kind == "ask":
            timeout = self.timeout(state)
            if timeout is not None:
                data["expires_at"] = (self.turn.now + timeout).isoformat()
        conv.flow, conv.flow_version, conv.state = self.flow_id, self.version, self.cursor.state
        conv.slots = dict(self.slots)
        conv.call_stack = [dict(frame) for frame in self.stack]
        conv.data = data
        conv.status = self.status

    def context(self, **extra: Any) -> dict[str, Any]:
        """The template/expression context: :data:`CONTEXT_NAMES`, plus ``extra`` for some places.

        Declared slots default to their ``default``; ``now`` and ``today`` are in the flow's
        time zone.
        """
        flow = self.flow
        slots = {name: spec.default for name, spec in flow.slots.items()}
        slots.update(self.slots)
        contact = self.turn.contact
        now = self.now
        texts = self.texts
        labels = {
            slot: Raw(texts(titles[str(slots[slot])]))
            for slot, titles in self.compiled.labels.items()
            if str(slots.get(slot)) in titles
        }
        return {
            "slots": slots,
            "labels": labels,
            "contact": {"wa_id": contact.wa_id, "name": self.turn.contact_name},
            "flow": {"id": flow.id, "version": flow.version, "state": self.cursor.state},
            "now": now,
            "today": now.date(),
            "retries": int(self.data.get("retries", 0)),
            "language": texts.language,
            TEXTS_NAME: texts,
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
            texts=self.texts,
            _reply=self.turn.reply,
            _after_commit=self.turn.after_commit.append,
        )

    # -- sending -------------------------------------------------------------------------------

    def _text_fn(self, extra: Mapping[str, Any]) -> TextFn:
        """Render a flow's text in the customer's language: its translation is rendered."""
        compiled, context, texts = self.compiled, self.context(**extra), self.texts
        return lambda source, path: compiled.text(texts(source), path, context)

    def send(self, specs: tuple[MessageSpec, ...], **extra: Any) -> None:
        """Render and queue messages."""
        text = self._text_fn(extra)
        for spec in specs:
            self.turn.reply(render_message(spec, to=self.turn.contact.wa_id, text=text))

    def send_text(self, body: str) -> None:
        """Queue one plain text from the engine (not a template), in the customer's language."""
        self.send_written(self.handler.translate(body, self.turn.contact))

    def send_written(self, body: str) -> None:
        """Queue one plain text already written in the customer's language (a refusal's reason)."""
        self.turn.reply(text_message(self.turn.contact.wa_id, body))

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
                texts=self.texts,
            )
        )

    def _call_hook(self, name: str, path: str) -> Any:
        args = self.compiled.evaluate(path, self.context())
        ctx = self.hook_context(args)
        self.actions += 1
        result = self.handler.hooks.get("action", name)(ctx)
        self.slots.update((slot, jsonable(value)) for slot, value in ctx._slot_writes.items())
        return result

    # -- called from machine callbacks ---------------------------------------------------------

    def entered(self, state: State) -> None:
        """Record the step, run ``on_enter`` hooks, send ``say``; for questions reset and ask."""
        self._count()
        self._step(state.name)
        for call in state.on_enter:
            self._call_hook(call.name, call.path)
        self.send(state.say)
        if state.kind == "ask":
            self.data = {**self.data, "retries": 0, "page": 0}
            self.send_prompt(state)

    def exited(self, state: State) -> None:
        """Run ``on_exit`` hooks."""
        for call in state.on_exit:
            self._call_hook(call.name, call.path)

    def reached(self, where: str) -> None:
        """Remember a synthetic state; :meth:`advance` acts on it once the event is done."""
        self._count()
        self.pending = where

    def holds(self, condition: Evaluator | None, hook: str | None) -> bool:
        """Evaluate a branch's ``if`` expression and ``when`` hook."""
        if condition is not None and not condition(self.context()):
            return False
        if hook is not None:
            check = self.handler.hooks.get("condition", hook)
            return bool(check(self.hook_context({})))
        return True

    def retries_left(self, state: State) -> bool:
        """True while fewer re-prompts than ``max_retries`` were sent for this question."""
        limit = state.reprompt.max_retries or self.flow.settings.max_retries
        return int(self.data.get("retries", 0)) < limit

    def say(self, messages: tuple[MessageSpec, ...], kwargs: Mapping[str, Any]) -> None:
        """Send a fallback's or an intent's messages."""
        self.send(messages, **{k: v for k, v in kwargs.items() if k in ("error", "received")})

    def exhausted(
        self, messages: tuple[MessageSpec, ...] | None, kwargs: Mapping[str, Any]
    ) -> None:
        """Out of retries: say why the last answer was refused, then the fallback's messages.

        An answer understood but refused keeps its own reason (a closed day, a number out of
        range), and the engine's words never claim it was not understood. ``messages`` is
        ``None`` without a fallback: the engine's own words then say that it stops here.
        """
        refused = kwargs.get("reason") == "invalid"
        if refused and kwargs.get("error"):
            self.send_written(str(kwargs["error"]))
        if messages is not None:
            self.say(messages, kwargs)
        else:
            handler = self.handler
            self.send_text(handler.STOPPED_TEXT if refused else handler.EXHAUSTED_TEXT)

    def apologize(self, reason: str) -> None:
        """Send the handler's default text for ``exhausted`` or ``error``."""
        texts = {"exhausted": self.handler.EXHAUSTED_TEXT, "error": self.handler.ERROR_TEXT}
        self.send_text(texts[reason])

    def reprompt(self, state: State, kwargs: Mapping[str, Any]) -> None:
        """Count a retry, then ask again with the "unrecognized" or "invalid" words."""
        self.data = {**self.data, "retries": int(self.data.get("retries", 0)) + 1}
        reason = kwargs.get("reason", "unrecognized")
        settings = self.flow.settings
        own = state.reprompt.invalid if reason == "invalid" else state.reprompt.unrecognized
        spec = own or (settings.invalid if reason == "invalid" else settings.unrecognized)
        extra = {key: kwargs.get(key, "") for key in ("error", "received", "hint")}
        if spec is None:
            self.send_prompt(state, body=str(kwargs.get("default", "")), **extra)
        elif spec.kind == "text":
            body = self._text_fn(extra)(spec.text or "", spec.path)
            self.send_prompt(state, body=body, **extra)
        else:
            self.send((spec,), **extra)

    # -- moving --------------------------------------------------------------------------------

    def _step(self, state: str) -> None:
        """Add the :class:`~storage.models.FlowStep` of entering ``state`` (one insert, no read)."""
        turn = self.turn
        step = FlowStep(wa_id=turn.contact.wa_id, flow=self.flow.id, state=state, at=turn.now)
        turn.session.add(step)

    def _count(self) -> None:
        self.steps += 1
        limit = self.flow.settings.step_limit
        if self.steps > limit:
            raise LoopGuard(
                f"more than {limit} states entered in one turn (last: {self.cursor.state}); "
                "a loop of say/run states?",
                file=self.flow.file,
            )

    def fire(self, event: str, **kwargs: Any) -> bool:
        """Fire ``event`` on the conversation's cursor.

        Raises:
            FlowError: The event is not valid in the current state (a compile or engine bug).
        """
        self.mark = len(self.turn.replies)
        try:
            # the cursor is an unregistered model: the event is fired on it directly
            return bool(self.compiled.machine.events[event].trigger(self.cursor, **kwargs))
        except MachineError as exc:
            raise self.flow.error(
                f"{event!r} is not possible in state {self.cursor.state!r}: {exc}",
                f"states.{self.cursor.state}",
            ) from exc

    def start(
        self, flow: Flow, *, slots: Mapping[str, Any] | None = None, state: str | None = None
    ) -> None:
        """Begin ``flow`` (at its start, or at ``state``) with fresh slots; then :meth:`advance`."""
        self.use(flow)
        self.slots = dict(slots or {})
        self.data = {}
        self.status = "active"
        if state is None:
            self.cursor.state = START
            self.fire("start")
        else:  # an explicit entry step: set_state never runs on_enter
            self.cursor.state = state
            self.entered(flow.states[state])

    def restart(self, flow: Flow) -> None:
        """Drop the call stack, begin ``flow`` from its start and follow it (:meth:`advance`)."""
        self.stack = []
        self.start(flow)
        self.advance()

    def advance(self) -> None:
        """Follow the flow until it waits for an answer or ends (at most ``step_limit`` states)."""
        while True:
            pending, self.pending = self.pending, None
            if pending == FINISH:
                self._step(FlowStep.COMPLETED)
                if not self._return():
                    self.end("done")
                    return
                continue
            if pending == ABORT:
                self._step(FlowStep.ABORTED)
                self.end("aborted")
                return
            if pending == HANDOFF_STATE:
                self.handoff()
                return
            if pending is not None and pending.startswith("flow:"):
                flow_id, _, entry = pending[len("flow:") :].partition("#")
                self.stack = []
                self.start(self.handler.flows.get(flow_id), state=entry or None)
                continue
            state = self.state
            if state is None or state.kind == "ask":
                return
            if state.kind == "say":
                self._next(state)
            elif state.kind == "run":
                self._run(state)
            elif state.kind == "call":
                self._call(state)
            elif state.kind == "end":
                self.pending = FINISH
            else:
                self.handoff(state)
                return

    def _next(self, state: State) -> None:
        if not self.fire("next"):
            raise self.flow.error(
                f"no 'next' branch of {state.name!r} matched", state.path + ".next"
            )

    def end(self, reason: str) -> None:
        """End the conversation (``done``, ``aborted``, ``handoff``, ``timeout``...)."""
        self.status = "ended"
        self.stack = []
        self.data = {"ended": reason}

    def handoff(self, state: State | None = None) -> None:
        """Pause the bot for this contact; say so unless this step already did."""
        self._step(FlowStep.HANDED_OFF)
        if len(self.turn.replies) == self.mark and (state is None or not state.say):
            self.send_text(self.handler.HANDOFF_TEXT)
        self.turn.contact.paused = True
        self.turn.session.add(self.turn.contact)
        log.info(
            "conversation of %s handed off to a person (flow %s)",
            mask(self.turn.contact.wa_id),
            self.flow_id,
        )
        self.end("handoff")

    # -- run, call, return ---------------------------------------------------------------------

    def _run(self, state: State) -> None:
        assert state.run is not None
        session = self.turn.session
        savepoint = session.begin_nested() if session.in_transaction() else nullcontext()
        try:
            with savepoint:
                result = self._call_hook(state.run.name, state.run.path)
        except FlowError:
            raise
        except Refusal as exc:  # an expected outcome: no traceback, no ERROR
            log.info("hook %s refused in %s.%s: %s", state.run.name, self.flow.id, state.name, exc)
            self.fire("error", error=str(exc))
            return
        except Exception as exc:
            log.exception("hook %s failed in %s.%s", state.run.name, self.flow.id, state.name)
            self.fire("error", error=str(exc))
            return
        if state.save:
            self.slots[state.save] = jsonable(result)
        self._next(state)

    def _call(self, state: State) -> None:
        assert state.call is not None
        if len(self.stack) >= MAX_CALL_DEPTH:
            raise self.flow.error(
                f"sub-flows nested more than {MAX_CALL_DEPTH} deep", state.call.path
            )
        args = self.compiled.evaluate(state.call.path, self.context())
        frame = {
            "flow": self.flow.id,
            "version": self.flow.version,
            "state": state.name,
            "slots": dict(self.slots),
        }
        self.stack = [*self.stack, frame]
        self.start(self.handler.flows.get(state.call.flow), slots=jsonable(args))

    def _return(self) -> bool:
        """Pop the call stack into the caller and follow the call state's ``next``."""
        if not self.stack:
            return False
        *rest, frame = self.stack
        parent = self.handler.flows.find(str(frame.get("flow")))
        state = parent.states.get(str(frame.get("state"))) if parent else None
        if parent is None or state is None or state.call is None:
            log.warning(
                "cannot return to %s.%s: the flow changed", frame.get("flow"), frame.get("state")
            )
            self.stack = []
            self.end("recovered")
            self.send_text(self.handler.RECOVERED_TEXT)
            return True
        self.use(parent)
        self.stack = rest
        returned = {mine: self.slots.get(theirs) for mine, theirs in state.call.returns.items()}
        self.slots = {**dict(frame.get("slots") or {}), **returned}
        self.data = {}
        self.status = "active"
        self.cursor.state = state.name
        self._next(state)
        return True

    # -- answers -------------------------------------------------------------------------------

    def answer(self, state: State) -> None:
        """Read the turn's message as the answer to ``state``, then move on."""
        expect = state.expect
        assert expect is not None
        page = None
        if expect.type == "choice":
            page = page_of(expect.options, int(self.data.get("page", 0))).options
        result = read_answer(
            translated(expect, self.texts),
            self.turn.message,
            now=self.now,
            page=page,
            more_title=self.flow.settings.more_title,
            texts=self.texts,
        )
        if isinstance(result, NextPage):
            wanted = int(self.data.get("page", 0)) + 1 if result.page is None else result.page
            self.data = {**self.data, "page": page_of(expect.options, wanted).number}
            self.send_prompt(state)
            return
        if isinstance(result, Accepted):
            problem = self._validate(state, result.value)
            result = result if problem is None else Invalid(problem)
        if isinstance(result, Unrecognized) and self._unreadable_again(result):
            who = mask(self.turn.contact.wa_id)
            log.info("%s sent %s again; it was answered once already", who, result.received)
            return  # one apology per kind, not one per sticker (and no retry counted)
        if isinstance(result, Unrecognized):
            self.fire(
                "reject",
                reason="unrecognized",
                default=result.message,
                received=result.received or "",
                hint=result.hint,
            )
        elif isinstance(result, Invalid):
            self.fire("reject", reason="invalid", default=result.reason, error=result.reason)
        else:
            if state.save:
                self.slots[state.save] = result.stored
            self._next(state)
        self.advance()

    def _unreadable_again(self, result: Unrecognized) -> bool:
        """True for a kind of message the bot cannot read that this conversation already sent.

        The first one of each kind (stickers, voice messages, each unsupported type) is
        answered and noted in the conversation's data, which a new flow starts afresh.
        """
        if not result.received:
            return False  # text the question did not understand: always answered
        message = self.turn.message
        kind = result.received
        if isinstance(message, inbound.UnsupportedMessage):
            kind = f"{message.type}:{message.unsupported_type or ''}"
        seen = [k for k in self.data.get(UNREADABLE, []) if isinstance(k, str)]
        if kind in seen:
            return True
        self.data = {**self.data, UNREADABLE: [*seen, kind]}
        return False

    def _validate(self, state: State, value: Any) -> str | None:
        """Why the first failing ``validate`` rule refuses ``value``; ``None`` when all pass."""
        for rule in state.validate:
            verdict: Any = True  # a hook: True/None accepts, False refuses, a string says why
            if rule.check is not None:
                verdict = bool(self.compiled.evaluate(rule.path, self.context(value=value)))
            elif rule.hook is not None:
                check = self.handler.hooks.get("validator", rule.hook)
                verdict = check(self.hook_context({}), value)
            if verdict in (True, None):
                continue
            if rule.message is not None:
                return self._text_fn({"value": value})(rule.message, rule.path + ".message")
            said = isinstance(verdict, str) and verdict != "invalid"
            if said:
                return str(verdict)
            return self.handler.translate(self.handler.INVALID_TEXT, self.turn.contact)
        return None
