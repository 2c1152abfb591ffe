"""A hook's work after its turn commits: ``HookContext.after_commit`` and ``reply_later``.

A hook that needs a remote service queues a reply that waits, registers a step, and returns;
the processor commits the turn, then runs the step outside any transaction; the step fills the
reply in, which then goes out ahead of the turn's later replies. A turn that rolls back runs no
step.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot import messages, simulate
from bot.errors import FlowError
from bot.processing import Processor
from flows import FlowHandler, HookContext, Hooks
from storage import outbox
from storage.db import in_write_transaction, transaction
from storage.models import Contact, Conversation, OutboxMessage
from tests.flows.flowkit import flowset

NOW = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
ANA = "15550001111"
FLOW = """
schema: 1
flow: fetch
version: 1
start: fetch
triggers: {default: true}
states:
  fetch:
    run: remote.fetch
    next: done
  done:
    say: "That is all."
    end: true
"""


def _queued(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))  # type: ignore[arg-type]


def _processor(engine: Engine, seen: list[str], *, fill: bool = True) -> Processor:
    hooks = Hooks()

    @hooks.action("remote.fetch")
    def fetch(ctx: HookContext) -> None:
        sorry = messages.text(ctx.to, "Sorry, try later.")
        reply_id = ctx.reply_later(sorry, within=timedelta(minutes=10))

        def step() -> None:
            seen.append(f"outside a transaction: {not in_write_transaction()}")
            with transaction(engine) as session:
                answer = messages.text(ANA, "Here it is.") if fill else None
                seen.append(f"filled: {HookContext.fill_reply(session, reply_id, answer)}")
                seen.append(f"again: {HookContext.fill_reply(session, reply_id, answer)}")

        ctx.after_commit(step)

    handler = FlowHandler(flowset(FLOW), hooks)
    return Processor(engine, handler, clock=lambda: NOW)


def _deliver(processor: Processor) -> None:
    processor.ingest(simulate.text(ANA, "hi", timestamp=NOW.timestamp()))
    processor.process_contact(ANA)


@pytest.mark.parametrize("fill", [True, False], ids=["filled", "fallback"])
def test_the_step_runs_after_commit_and_its_reply_goes_first(engine: Engine, fill: bool) -> None:
    seen: list[str] = []
    _deliver(_processor(engine, seen, fill=fill))
    assert seen == ["outside a transaction: True", "filled: True", "again: False"]
    first, last = _queued(engine)
    expected = "Here it is." if fill else "Sorry, try later."
    assert (first.payload["text"]["body"], last.payload["text"]["body"]) == (
        expected,
        "That is all.",
    )
    assert first.next_attempt_at == first.created_at  # due now, the turn's reply behind it


def test_unfilled_the_reply_holds_the_turns_later_replies_back(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    lost: list[Callable[[], None]] = []  # the process dies after the commit: no step runs
    monkeypatch.setattr(HookContext, "after_commit", lambda _ctx, step: lost.append(step))
    _deliver(_processor(engine, []))
    waiting, later = _queued(engine)
    assert waiting.next_attempt_at == NOW + timedelta(minutes=10)
    assert later.payload["text"]["body"] == "That is all."
    with transaction(engine) as session:
        assert outbox.claim(session, NOW + timedelta(minutes=9)).rows == []  # nothing due
        assert outbox.next_due_at(session) == waiting.next_attempt_at
        [fallback] = outbox.claim(session, NOW + timedelta(minutes=10)).rows
    assert fallback.id == waiting.id  # unfilled, its fallback goes out, then the rest
    assert len(lost) == 1


def test_after_commit_needs_a_turn(engine: Engine) -> None:
    with Session(engine) as session:
        ctx = HookContext(
            session=session,
            contact=Contact(wa_id=ANA),
            conversation=Conversation(wa_id=ANA, updated_at=NOW),
            slots={},
            now=NOW,
            args={},
            flow="fetch",
            state="fetch",
        )
        with pytest.raises(FlowError, match="no turn"):
            ctx.after_commit(lambda: None)
