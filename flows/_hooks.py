"""The hook registry: the only way a flow file reaches Python code.

This module owns :class:`Hooks`, where an application registers its actions, validators and
conditions under dotted names (``@hooks.action("orders.create")``), and :class:`HookContext`,
the one argument every hook receives. A flow file names hooks; it can never name an import path,
and nothing here ever imports by name. Hooks run inside the turn's transaction: database work
goes through ``ctx.session`` and is committed by the runtime with the rest of the turn.

A hook never makes a network call itself (on SQLite the turn's transaction holds the write lock
every webhook needs): it records what it needs in the turn, and does the call in a step of its
own after the turn commits (:meth:`HookContext.after_commit`); a reply that waits for that
call's answer is queued with :meth:`HookContext.reply_later` and filled in by
:meth:`HookContext.fill_reply`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args

from sqlalchemy import update
from sqlmodel import col

from bot.errors import FlowError, WaflowError
from bot.turn import shown_name
from flows._i18n import Texts
from flows._model import HOOK_RE
from storage import outbox
from storage.models import OutboxMessage

if TYPE_CHECKING:
    from sqlmodel import Session

    from bot.inbound import Message
    from storage.models import Contact, Conversation

HookKind = Literal["action", "validator", "condition"]


class Refusal(WaflowError):
    """An expected outcome an action hook reports by raising (sold out, a time just taken).

    ``str(exc)`` is written for the customer. The engine follows the state's ``on_error`` with
    it as ``error`` like any hook error, but logs it at INFO without a traceback: nothing is
    broken, so it must not page anyone as an ERROR would.
    """


F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class HookContext:
    """Everything a hook may use; build none yourself, the engine passes one in.

    Attributes:
        session: The turn's database session; write business records here, never commit.
        contact: The customer's contact row (read it; ``paused`` is managed by the engine).
        conversation: The conversation row (read it; the engine owns its fields).
        slots: The current flow's slots (read-only; use :meth:`set_slot`).
        now: The turn's clock (aware), never the wall clock.
        args: The hook's arguments from the flow, already evaluated.
        flow: The current flow id.
        state: The current state id.
        message: The inbound message of this turn, when there is one.
        texts: The customer's words and formats: ``ctx.texts("Your order {number} is
            ready.", number=n)`` in their language, ``ctx.texts.money(2750, "EUR")``.
    """

    session: Session
    contact: Contact
    conversation: Conversation
    slots: Mapping[str, Any]
    now: datetime
    args: Mapping[str, Any]
    flow: str
    state: str
    message: Message | None = None
    texts: Texts = field(default_factory=Texts)
    _reply: Callable[[dict[str, Any]], None] | None = field(default=None, repr=False)
    _slot_writes: dict[str, Any] = field(default_factory=dict, repr=False)
    _after_commit: Callable[[Callable[[], None]], None] | None = field(default=None, repr=False)

    @property
    def to(self) -> str:
        """The customer's WhatsApp id, for :mod:`bot.messages` builders."""
        return self.contact.wa_id

    @property
    def customer_name(self) -> str | None:
        """The customer's profile name as a message shows it: cut to 60 characters with "…"
        (it is whatever they typed; :func:`bot.turn.shown_name`). ``None`` when unknown."""
        return shown_name(self.contact.name)

    def reply(self, payload: dict[str, Any]) -> None:
        """Queue an extra outbound message (a :mod:`bot.messages` payload) in this turn."""
        if self._reply is None:
            raise FlowError("this hook context cannot send messages")
        self._reply(payload)

    def set_slot(self, name: str, value: Any) -> None:
        """Set a slot of the current flow (must be JSON-serialisable); applied after the hook."""
        self._slot_writes[name] = value

    def after_commit(self, step: Callable[[], None]) -> None:
        """Run ``step()`` once the turn has committed, outside any transaction (never if the
        turn rolls back): the place for a network call (a payment provider, a download).

        It runs in the processing thread before the turn's replies are sent, and is not
        durable: a crash can lose it. So the turn records what ``step`` must do (an intent row
        it writes through :attr:`session`), ``step`` does it idempotently and clears the intent
        in a short transaction of its own, and a periodic task finishes intents left behind.
        Register it last in the hook: a hook that fails after registering still runs it.

        Raises:
            FlowError: This context runs outside a turn (nothing commits it).
        """
        if self._after_commit is None:
            raise FlowError("this hook context has no turn to run a step after")
        self._after_commit(step)

    def reply_later(self, fallback: dict[str, Any], *, within: timedelta) -> int:
        """Queue a reply whose content is not known yet, in this turn; return its id.

        The reply waits, holding back the customer's later messages (this turn's replies
        included) until :meth:`fill_reply` gives its payload, typically from an
        :meth:`after_commit` step. If nothing fills it ``within`` that time, ``fallback`` (a
        :mod:`bot.messages` payload saying that something went wrong) is sent as it is. It goes
        out before every reply of this turn: call it before the hook's other replies.
        """
        row = outbox.enqueue(self.session, self.to, [fallback], now=self.now)[0]
        row.next_attempt_at = self.now + within
        self.session.flush()
        assert row.id is not None
        return row.id

    @staticmethod
    def fill_reply(session: Session, reply_id: int, payload: dict[str, Any] | None) -> bool:
        """Give a :meth:`reply_later` reply its payload and send it now (``None``: its
        fallback), in the caller's transaction; the customer's later messages follow it.

        Returns:
            False when the reply was no longer waiting (already filled, or its fallback went
            out): nothing changed.
        """
        values: dict[str, Any] = {"next_attempt_at": OutboxMessage.created_at}
        if payload is not None:
            values["payload"] = payload
        waiting = update(OutboxMessage).where(
            col(OutboxMessage.id) == reply_id,
            col(OutboxMessage.state) == "pending",
            col(OutboxMessage.lease).is_(None),
            col(OutboxMessage.attempts) == 0,
            col(OutboxMessage.next_attempt_at) > OutboxMessage.created_at,
        )
        result = session.connection().execute(waiting.values(**values))
        return bool(result.rowcount)


class Hooks:
    """A registry of named hooks.

    Example::

        hooks = Hooks()

        @hooks.action("orders.create")
        def create_order(ctx: HookContext) -> dict[str, Any]:
            order = Order(wa_id=ctx.contact.wa_id, cake=ctx.args["cake"])
            ctx.session.add(order)
            return {"id": order.id}

        @hooks.validator("orders.deliverable_zip")
        def deliverable(ctx: HookContext, value: str) -> bool | str:
            return value.startswith("75") or "We only deliver in Paris."
    """

    def __init__(self) -> None:
        self._hooks: dict[HookKind, dict[str, Callable[..., Any]]] = {
            kind: {} for kind in get_args(HookKind)
        }

    def _register(self, kind: HookKind, name: str) -> Callable[[F], F]:
        if not HOOK_RE.match(name):
            raise FlowError(
                f"a hook name is dotted lowercase words such as 'orders.create'; got {name!r}"
            )
        if name in self._hooks[kind]:
            raise FlowError(f"the {kind} hook {name!r} is registered twice")

        def decorator(fn: F) -> F:
            self._hooks[kind][name] = fn
            return fn

        return decorator

    def action(self, name: str) -> Callable[[F], F]:
        """Register an action (``run:``, ``on_enter``, ``on_exit``): ``fn(ctx) -> result``.

        The result goes to the state's ``save`` slot, if any.

        Raises:
            FlowError: The name is malformed or already taken.
        """
        return self._register("action", name)

    def validator(self, name: str) -> Callable[[F], F]:
        """Register a validator (``validate: [{hook: name}]``): ``fn(ctx, value)``.

        ``True`` or ``None`` accepts the value, ``False`` refuses it, a string refuses it with
        that message.

        Raises:
            FlowError: The name is malformed or already taken.
        """
        return self._register("validator", name)

    def condition(self, name: str) -> Callable[[F], F]:
        """Register a condition (``next: [{when: name, goto: ...}]``): ``fn(ctx) -> bool``.

        Raises:
            FlowError: The name is malformed or already taken.
        """
        return self._register("condition", name)

    def get(self, kind: HookKind, name: str) -> Callable[..., Any]:
        """Return the hook ``name`` of ``kind``.

        Raises:
            FlowError: No such hook is registered.
        """
        try:
            return self._hooks[kind][name]
        except KeyError:
            known = ", ".join(sorted(self._hooks[kind])) or "none"
            raise FlowError(
                f"no {kind} hook named {name!r} is registered (known: {known})"
            ) from None

    def update(self, other: Hooks) -> Hooks:
        """Copy every hook of ``other`` into this registry, replacing hooks of the same name.

        This is how an application's own hooks override built-in ones of the same name.

        Returns:
            This registry, for chaining.
        """
        for kind, table in other._hooks.items():
            self._hooks[kind].update(table)
        return self

    def names(self, kind: HookKind) -> frozenset[str]:
        """The registered names of one kind (for the validator and tooling)."""
        return frozenset(self._hooks[kind])

    def __contains__(self, name: object) -> bool:
        return any(name in table for table in self._hooks.values())
