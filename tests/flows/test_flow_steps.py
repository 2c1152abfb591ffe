"""The engine records every state a conversation enters, and how it leaves the flow (FlowStep)."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.models import FlowStep
from tests.flows import flowkit as kit
from tests.flows.flowkit import MakeChat

CAKE = """\
schema: 1
flow: cake
version: 1
start: ask_qty
triggers: {default: true}
slots: {qty: integer}
settings: {max_retries: 1}
intents:
  agent: {match: {keywords: [agent]}, goto: handoff}
states:
  ask_qty:
    ask: "How many cakes?"
    expect: {type: number, integer: true, min: 1, max: 5}
    save: qty
    next: thanks
  thanks:
    say: "Got it."
    end: true
"""


def steps(db: Engine) -> list[tuple[str, str, str]]:
    """``(wa_id, flow, state)`` of every recorded step, in order."""
    with Session(db) as session:
        rows = session.exec(select(FlowStep).order_by(col(FlowStep.id))).all()
        return [(r.wa_id, r.flow, r.state) for r in rows]


def test_a_completed_conversation_records_each_state_and_the_end(
    make_chat: MakeChat, db: Engine, clock: kit.Clock
) -> None:
    chat = make_chat(CAKE)
    chat.send("hi")
    clock.advance(minutes=5)
    chat.send("2")
    assert steps(db) == [
        (kit.WA_ID, "cake", "ask_qty"),
        (kit.WA_ID, "cake", "thanks"),
        (kit.WA_ID, "cake", FlowStep.COMPLETED),
    ]
    with Session(db) as session:
        times = [r.at for r in session.exec(select(FlowStep).order_by(col(FlowStep.id)))]
    assert times == [kit.Clock().now, clock.now, clock.now]


def test_a_reprompt_is_not_a_new_step_and_giving_up_is_recorded(
    make_chat: MakeChat, db: Engine
) -> None:
    chat = make_chat(CAKE)
    chat.send("hi")
    chat.send("lots")  # re-prompt: the same question, no step
    assert steps(db) == [(kit.WA_ID, "cake", "ask_qty")]
    chat.send("many")  # retries used up: the flow aborts
    assert steps(db)[-1] == (kit.WA_ID, "cake", FlowStep.ABORTED)
    assert len(steps(db)) == 2


def test_a_handoff_is_recorded(make_chat: MakeChat, db: Engine) -> None:
    chat = make_chat(CAKE)
    chat.send("hi")
    chat.send("agent")
    assert steps(db) == [(kit.WA_ID, "cake", "ask_qty"), (kit.WA_ID, "cake", FlowStep.HANDED_OFF)]
