"""Words that always work, tried as a customer: every global word typed at every question.

For every question (``ask`` state) of every built-in flow (as the features' own business file
switches them on) and of the example shop (its own flows and the built-in ones it configures), a
fresh customer's conversation is put at that question, the way the database holds it, and the
customer types each global word in each language. The word must be acted on: the engine enters
the word's flow or state (or hands the customer to a person), or says the word's answer and asks
the question again; never the question's re-prompt. Where a question keeps a word out
(``interrupts``), the word is read as its answer instead. No question is left out.

:mod:`tests.flows.test_global_words` checks the same promise on the engine's matching tables;
this one runs the conversations through the real pipeline (inbox, flow engine, outbox).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from bot.client import SandboxClient
from bot.config import Config
from bot.runtime import Runtime
from flows import FlowHandler
from flows._model import Flow, Intent, State
from storage.db import make_engine
from storage.models import Conversation, FlowStep, utcnow
from tests.examples.test_shop_bot import example_env, visible
from tests.flows.test_global_words import BUSINESS, GLOBAL_WORDS, builtin, example_shop, questions
from webhooks._chat import ChatSession
from webhooks.bootstrap import load_business_config, make_runtime

ROOT = Path(__file__).parents[2]
GIBBERISH = "zqxv wplk"
"""An answer no question understands: what it gets is the question's re-prompt."""

CAKE = "Carrot cake"
TASTING = "Cake tasting, Friday 11 December at 11:00"
SLOTS: dict[tuple[str, str], dict[str, Any]] = {
    ("purchase", "ask_quantity"): {"product": {"title": CAKE, "max": 2, "digital": False}},
    ("purchase", "cart_menu"): {"cart": {"text": f"1 × {CAKE} — €28.00", "count": 1}},
    ("purchase", "ask_line_quantity"): {"pick": {"title": CAKE, "kind": "line"}},
    ("purchase", "confirm_order"): {"summary": {"text": f"1 × {CAKE} — €28.00"}},
    ("track_order", "ask_number"): {"orders": {"example": "MG-7K2QX", "count": 1}},
    ("track_order", "show_order"): {"found": {"text": "Order MG-7K2QX: paid"}},
    ("track_order", "show_unpaid"): {"found": {"text": "Order MG-7K2QX: waiting for payment"}},
    ("booking", "what"): {"mine": {"summary": TASTING, "upcoming": 1}},
    ("booking", "confirm"): {"offer": {"summary": TASTING}},
    ("booking", "manage"): {"offer": {"summary": TASTING}},
    ("booking", "confirm_cancel"): {"offer": {"summary": TASTING}},
    ("booking", "ask_stuck"): {"kept": {"summary": "Cake tasting"}},
}
"""(flow, question) → the slots its prompt reads, as the steps before it would have saved them."""

HANDLERS = {"builtin": builtin(), "example_shop": example_shop()}
"""The bots walked: every built-in flow (the features' own business file), and the example shop."""

CASES = [
    pytest.param(bot, flow.id, state.name, name, word, id=f"{bot}/{flow.id}.{state.name}:{word}")
    for bot, handler in HANDLERS.items()
    for flow, state in questions(handler.flows)
    for name, words in GLOBAL_WORDS.items()
    for word in words
]


@dataclass
class Walk:
    """The example bot in inline mode, its sandbox client, and a counter for fresh customers."""

    runtime: Runtime
    client: SandboxClient
    handler: FlowHandler
    ids: Iterator[int]
    reprompts: dict[tuple[str, str], list[str] | None]

    def at(self, flow: Flow, state: State) -> ChatSession:
        """A new customer whose conversation waits at ``state`` of ``flow``."""
        wa_id = f"3461{next(self.ids):07d}"
        with Session(self.runtime.engine) as session:
            session.add(
                Conversation(
                    wa_id=wa_id,
                    flow=flow.id,
                    flow_version=flow.version,
                    state=state.name,
                    slots=SLOTS.get((flow.id, state.name), {}),
                    status="active",
                    last_inbound_at=utcnow(),
                )
            )
            session.commit()
        return ChatSession(self.runtime, self.client, wa_id=wa_id, name="Ana")

    def reprompt(self, flow: Flow, state: State) -> list[str] | None:
        """What the question answers to gibberish, if it stays there (``None``: it moved on)."""
        key = (flow.id, state.name)
        if key not in self.reprompts:
            chat = self.at(flow, state)
            replies = [visible(p) for p in chat.say(GIBBERISH)]
            stayed = where(self, chat.wa_id) == key
            self.reprompts[key] = replies if stayed else None
        return self.reprompts[key]


def conversation(walk: Walk, wa_id: str) -> Conversation:
    """The customer's conversation as stored after the turn."""
    with Session(walk.runtime.engine) as session:
        return session.exec(select(Conversation).where(Conversation.wa_id == wa_id)).one()


def where(walk: Walk, wa_id: str) -> tuple[str | None, str | None]:
    """The flow and question the customer's conversation waits at."""
    conv = conversation(walk, wa_id)
    return conv.flow, conv.state


def steps(walk: Walk, wa_id: str) -> list[tuple[str, str]]:
    """The states the customer's conversation entered (and the ways it left a flow)."""
    with Session(walk.runtime.engine) as session:
        rows = session.exec(select(FlowStep).where(FlowStep.wa_id == wa_id)).all()
        return [(row.flow, row.state) for row in rows]


def settings(bot: str, database_url: str) -> dict[str, str]:
    """The bot's settings: the example's ``.env.example``, or the features' business file."""
    if bot == "example_shop":
        return example_env(database_url)
    return {"WAFLOW_BUSINESS": str(BUSINESS), "DATABASE_URL": database_url}


@pytest.fixture(scope="module")
def walks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Walk]]:
    """Each bot built as `make demo` builds it (inline mode), on its own SQLite file."""
    built: dict[str, Walk] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)  # the example's paths are relative to the repository root
        for bot in HANDLERS:
            database = tmp_path_factory.mktemp(bot) / "shop.db"
            config = Config.from_env(settings(bot, f"sqlite:///{database}"), dotenv=None)
            business = load_business_config(config)
            engine = make_engine(config.database_url)
            client = SandboxClient()
            runtime = make_runtime(
                config, inline=True, engine=engine, client=client, business=business
            )
            handler = runtime.handler
            while not isinstance(handler, FlowHandler):  # the features' wrappers around it
                handler = handler.handler  # type: ignore[attr-defined]
            built[bot] = Walk(runtime, client, handler, itertools.count(1), {})
        yield built
    for walk in built.values():
        walk.runtime.engine.dispose()


def meant(handler: FlowHandler, flow: Flow, name: str) -> Intent:
    """The intent ``name`` as ``flow`` knows it: its own, else the one shared by another flow."""
    own = flow.intents.get(name)
    if own is not None:
        return own
    return next(i for f in handler.flows for i in f.intents.values() if i.shared and i.name == name)


def entered(intent: Intent, flow: Flow, taken: list[tuple[str, str]]) -> bool:
    """True when the steps ``taken`` show the conversation went where ``intent`` leads."""
    goto = intent.goto or ""
    if goto == "handoff":
        return (flow.id, FlowStep.HANDED_OFF) in taken
    if goto == "end":
        return (flow.id, FlowStep.COMPLETED) in taken or (flow.id, FlowStep.ABORTED) in taken
    if goto.startswith("flow:"):
        return any(f == goto.removeprefix("flow:") for f, _ in taken)
    return (intent.flow or flow.id, goto) in taken


@pytest.mark.parametrize(("bot", "flow_id", "state_name", "name", "word"), CASES)
def test_a_global_word_typed_at_a_question_is_acted_on(
    walks: dict[str, Walk], bot: str, flow_id: str, state_name: str, name: str, word: str
) -> None:
    walk = walks[bot]
    flow = walk.handler.flows.get(flow_id)
    state = flow.states[state_name]
    reprompt = walk.reprompt(flow, state)
    chat = walk.at(flow, state)
    replies = [visible(p) for p in chat.say(word)]
    taken = steps(walk, chat.wa_id)

    assert replies, "no answer"
    assert walk.handler.ERROR_TEXT not in replies
    assert replies != reprompt, "re-prompted"
    intent = meant(walk.handler, flow, name)
    if not state.allows(intent.name):
        # kept out: the word is one of the question's own options, read as the answer (which
        # leads where the word would; where the conversation stays, the answer is saved)
        assert taken, "the answer was not taken"
        conv = conversation(walk, chat.wa_id)
        if conv.flow == flow.id and state.save is not None:
            options = {o.id for o in state.expect.options} if state.expect else set()
            assert conv.slots.get(state.save) in options, conv.slots
    elif intent.resume:
        # the word's answer, then the question again
        assert [m.text for m in intent.say] == replies[: len(intent.say)]
        assert where(walk, chat.wa_id) == (flow.id, state.name)
    else:
        assert entered(intent, flow, taken), taken


def test_the_walk_covers_every_flow_and_its_slots_name_real_questions() -> None:
    asks = {(f.id, s.name) for handler in HANDLERS.values() for f, s in questions(handler.flows)}
    walked = {flow for flow, _ in asks}
    builtin_flows = {flow.id for flow in HANDLERS["builtin"].flows}
    assert {"main_menu", "purchase", "track_order", "booking", "survey_feedback"} <= builtin_flows
    asking = {f.id for f in HANDLERS["builtin"].flows if any(
        state.kind == "ask" for state in f.states.values()
    )}  # fmt: skip
    assert builtin_flows - asking == {"survey"}  # it only sends an invitation
    assert asking | {"allergens", "delivery_area"} <= walked
    assert set(SLOTS) <= asks
