"""The demo bot's flows (examples/demo/flows), run end to end like the README quick start."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import FlowHandler, FlowSet, Hooks, load_flows
from tests.flows import flowkit as kit
from tests.flows.flowkit import MakeChat

DEMO = Path(__file__).parents[2] / "examples" / "demo" / "flows"


@pytest.fixture
def demo() -> FlowSet:
    return load_flows(DEMO)


@pytest.fixture
def chat(make_chat: MakeChat, demo: FlowSet) -> kit.Chat:
    return make_chat(demo, main_menu="main_menu")


def test_demo_flows_load_and_compile(demo: FlowSet) -> None:
    assert set(demo.ids) == {"main_menu", "order_cake"}
    assert demo.default is not None
    assert demo.default.id == "main_menu"
    handler = FlowHandler(demo, Hooks(), main_menu="main_menu")
    assert len(handler.compiler) == 2


def test_menu_is_a_list_with_four_options(chat: kit.Chat) -> None:
    (menu,) = chat.send("hi")
    assert kit.body(menu).startswith("Hi Ana! 🎂 Welcome to *Crumb & Co.*")
    assert [i for i, _ in kit.rows(menu)] == ["order", "hours", "find_us", "agent"]


def test_ordering_a_cake_end_to_end(chat: kit.Chat) -> None:
    chat.send("hi")
    (cakes,) = chat.pick("order", "Order a cake")
    assert len(kit.rows(cakes)) == 5
    assert chat.say("lemon") == ["How many Lemon drizzle cakes would you like?"]
    assert chat.say("20") == [
        "Please send a number from 1 to 12. We can bake 1 to 12 cakes per order."
    ]
    assert chat.say("2") == [
        "When would you like to pick them up? (for example *tomorrow* or 24/12)"
    ]
    assert chat.say("today") == ["Please choose a date between 04 Mar 2025 and 02 May 2025."]
    assert chat.say("sunday") == ["We're closed on Sundays — please choose another day."]
    assert chat.say("tomorrow") == [
        "So that's 2 × Lemon drizzle, ready on Tuesday 04 March. Shall I place the order?"
    ]
    assert chat.say("yes") == [
        "🎉 Order placed! We'll have your cakes ready on Tuesday 04 March.",
        "Anything else I can help you with?",
    ]
    assert chat.conversation.flow == "main_menu"
    assert chat.say("no") == ["Thanks for stopping by, Ana! 👋"]
    assert chat.conversation.status == "ended"


def test_opening_hours_then_back_to_the_menu(chat: kit.Chat) -> None:
    chat.send("hi")
    replies = chat.say("opening hours")
    assert replies[0].startswith("🕘 We're open:")
    assert replies[1] == "Anything else I can help you with?"
    (menu,) = chat.tap("yes", "Yes")
    assert kit.rows(menu)


def test_find_us_sends_a_map_button(chat: kit.Chat) -> None:
    chat.send("hi")
    cta = chat.send("3")[0]
    assert cta["interactive"]["type"] == "cta_url"


def test_talk_to_a_person(chat: kit.Chat) -> None:
    chat.send("hi")
    assert chat.say("Talk to a person") == [
        "I'm passing you to a person. They'll answer here shortly."
    ]
    assert chat.contact.paused


def test_global_intents_inside_the_order(chat: kit.Chat) -> None:
    chat.send("cake")
    help_text, question = chat.say("help")
    assert help_text.startswith("Answer with the buttons")
    assert question == "Which cake would you like? 🍰"
    assert chat.say("menu")[0].startswith("Hi Ana!")
    chat.send("cake")
    assert chat.say("cancel") == ["Okay, I've stopped. Send *menu* whenever you like."]
    assert chat.conversation.status == "ended"


def test_order_times_out_after_two_hours(chat: kit.Chat) -> None:
    chat.send("cake")
    chat.clock.advance(hours=2, minutes=1)
    replies = chat.say("lemon")
    assert (
        replies[0] == "Your cake order timed out, so I've cleared it. Send *cake* to start again."
    )
    assert replies[1].startswith("Hi Ana!")
