"""Words that always work: every global word is acted on in every question of every built-in flow
and of the example shop (menus included), unless the question opts out with ``interrupts``.

"Acted on" is what the engine does before it reads an answer: a global intent fires (another
flow, the menu, a person, the help text), or the word is one of the question's own options (the
main menu's "person" row). Only a question whose ``interrupts`` leaves a word out re-prompts it,
and none of the built-in questions does. ``stop`` belongs to the consent feature, which answers
it before any flow sees the message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Config
from bot.errors import FlowError
from bot.inbound import TextMessage
from flows import USER_DOMAIN, FlowHandler, FlowSet, Source, load_flows, texts_for
from flows._choice import IntentIndex, match_option, normalize
from flows._i18n import builtin_sources
from flows._model import Flow, Intent, State
from flows.features.booking.hooks import BACK_WORDS as BOOKING_WORDS
from flows.features.business import load_business
from flows.features.consent.consent import consent_settings
from flows.features.shop.hooks import BACK_WORDS as SHOP_BACK_WORDS
from webhooks.bootstrap import load_business_config, make_flow_set, make_hooks

ROOT = Path(__file__).parents[2]
BUSINESS = ROOT / "flows" / "features" / "business" / "fixtures" / "business.yaml"
EXAMPLE = ROOT / "examples" / "shop_bot"

GLOBAL_WORDS: dict[str, tuple[str, ...]] = {
    "menu": ("menu", "Main menu", "menú", "início", "menu utama"),
    "orders": ("orders", "track", "my orders", "mis pedidos", "meus pedidos", "pesanan saya"),
    "cart": ("cart", "my cart", "carrito", "carrinho", "keranjang"),
    "bookings": ("my bookings", "mis reservas", "minhas reservas", "reservasi saya"),
    "help": ("help", "ayuda", "ajuda", "bantuan"),
    "agent": ("person", "agent", "human", "persona", "atendente", "orang"),
    "language": ("language", "languages", "idioma", "idiomas", "língua", "bahasa", "lang", "🌐"),
    "language_named": ("english", "español", "português", "bahasa indonesia"),
}
"""Each global word (the intent that answers it) with its synonyms in en, es, pt-BR and id."""

OPTED_OUT: dict[tuple[str, str], frozenset[str]] = {}
"""(flow, question) → the global words it leaves out with ``interrupts`` (none built in)."""

T0 = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)


def assembled(**env: str) -> FlowHandler:
    """The flow engine as the bot builds it from ``env``: the features' flows and hooks."""
    config = Config.from_env({"WHATSAPP_ACCESS_TOKEN": "t", "WHATSAPP_PHONE_NUMBER_ID": "1", **env},
                             dotenv=None)  # fmt: skip
    business = load_business_config(config)
    hooks = make_hooks(config, business)
    return FlowHandler(make_flow_set(config, business), hooks, main_menu="main_menu")


def builtin() -> FlowHandler:
    return assembled(WAFLOW_BUSINESS=str(BUSINESS))


def example_shop() -> FlowHandler:
    return assembled(WAFLOW_BUSINESS=str(EXAMPLE / "business.yaml"),
                     WAFLOW_FLOWS=str(EXAMPLE / "flows"),
                     WAFLOW_HOOKS=str(EXAMPLE / "hooks.py"))  # fmt: skip


def questions(flows: FlowSet) -> list[tuple[Flow, State]]:
    return [(f, s) for f in flows for s in f.states.values() if s.kind == "ask"]


def acted_on(handler: FlowHandler, flow: Flow, state: State, text: str) -> str | None:
    """The intent (or ``option:<id>``) the typed ``text`` leads to in ``state``, else ``None``."""
    message = TextMessage(id="wamid.words", from_="34611000001", timestamp=T0, body=text)
    intent = handler._intent(handler.compiler.get(flow).index, message, state)
    if intent is not None:
        return intent.name
    if state.expect is not None and state.expect.options:
        option = match_option(state.expect.options, choice_id=None, text=text)
        if option is not None:
            return f"option:{option.id}"
    return None


@pytest.mark.parametrize("make", [builtin, example_shop], ids=["builtin", "example_shop"])
def test_every_global_word_is_acted_on_in_every_question(make: Callable[[], FlowHandler]) -> None:
    handler = make()
    flows = handler.flows
    missed = []
    for flow, state in questions(flows):
        skip = OPTED_OUT.get((flow.id, state.name), frozenset())
        for name, words in GLOBAL_WORDS.items():
            if name in skip:
                continue
            for word in words:
                got = acted_on(handler, flow, state, word)
                # a flow's own word of that name (the shop's help) is the feature's answer
                if got is None or (got != name and not got.startswith("option:")):
                    missed.append(f"{flow.id}.{state.name}: {word!r} -> {got}")
    assert missed == []
    assert len(questions(flows)) > 10


def test_an_opted_out_question_reads_the_word_as_its_answer() -> None:
    handler = builtin()
    flow = handler.flows.get("booking")
    state = flow.states["ask_mine"]
    # ask_mine lists the intents it allows: booking's own "quit" (cancel) is left out there
    assert acted_on(handler, flow, state, "cancel") is None
    assert acted_on(handler, flow, state, "orders") == "orders"


def test_stop_is_the_consent_features_in_every_language() -> None:
    settings = consent_settings(load_business(BUSINESS))
    words = settings.keywords()
    for word in ("stop", "parar", "berhenti"):
        assert word in words
    for handler in (builtin(), example_shop()):
        for flow in handler.flows:
            for intent in flow.intents.values():
                assert "stop" not in intent.keywords, (flow.id, intent.name)


NOTICES = ("flows/features/booking/notices.py", "flows/features/booking/reminders.py")
"""Texts sent outside any flow (a moved booking, a reminder): the customer may be anywhere."""


def said_words(path: Path) -> set[str]:
    """The words a file's texts tell the customer to type (``send *orders*``), folded."""
    text = path.read_text(encoding="utf-8")
    found = re.findall(r"(?:send|type|reply) \*([^*]+)\*", text, re.IGNORECASE)
    return {normalize(word) for word in found}


def test_every_word_the_bot_tells_customers_to_type_works() -> None:
    handler = example_shop()
    global_words = {
        normalize(keyword)
        for flow in handler.flows
        for intent in flow.intents.values()
        if intent.shared
        for keyword in intent.keywords
    }
    triggers = {
        normalize(t.value) for f in handler.flows for t in f.triggers if t.kind == "keyword"
    }
    local = {"1", "back"}  # a quantity, and the shop's products list's own word
    yaml = [*ROOT.glob("flows/features/*/flows/*.yaml"), *EXAMPLE.glob("flows/*.yaml")]
    # said where a flow ends (a trigger starts it again) or inside the flow that reads it
    for path in yaml:
        assert said_words(path) <= global_words | triggers | local, path
    # said while the customer may be in any flow: only global words work there
    for name in NOTICES:
        assert said_words(ROOT / name) <= global_words, name


def test_the_index_finds_intents_by_word_payload_or_pattern_in_match_order() -> None:
    first = Intent(name="cart", keywords=("Cart", "carrinho"), payloads=("SHOP_CART",))
    second = Intent(name="menu", keywords=("cart",), patterns=("^back( to)? menu$",))
    index = IntentIndex.of([first, second])
    assert [i.name for i in index.fired(None, " CARRINHO! ")] == ["cart"]
    assert [i.name for i in index.fired(None, "cart")] == ["cart", "menu"]
    assert [i.name for i in index.fired("SHOP_CART", None)] == ["cart"]
    assert [i.name for i in index.fired(None, "Back to menu")] == ["menu"]
    assert list(index.fired(None, "cartridge")) == []
    assert list(index.fired(None, None)) == []


FLOW = """schema: 1
flow: ask_free
version: 1
start: ask
intents:
  help: {match: {keywords: [help]}, say: "Say anything.", then: resume}
  quit: {match: {keywords: [quit]}, goto: end}
states:
  ask:
    ask: "What would you like to tell us?"
    interrupts: INTERRUPTS
    save: note
    next: bye
  bye: {say: Thanks, end: true}
slots:
  note: string
"""


def test_a_question_leaves_some_intents_out_and_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "ask_free.yaml"
    path.write_text(FLOW.replace("INTERRUPTS", "{except: [help]}"), encoding="utf-8")
    state = load_flows(path).get("ask_free").states["ask"]
    assert state.keeps_out == ("help",)
    assert not state.allows("help")
    assert state.allows("quit")
    assert state.allows("orders")  # a global word of a feature the flow does not know


@pytest.mark.parametrize("bad", ["{except: help}", "{only: [help]}", "{except: [help], x: 1}"])
def test_a_bad_except_is_a_located_schema_problem(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "ask_free.yaml"
    path.write_text(FLOW.replace("INTERRUPTS", bad), encoding="utf-8")
    with pytest.raises(FlowError, match=r"states\.ask\.interrupts.*except"):
        load_flows(path)


def _told_words(language: str) -> dict[str, set[str]]:
    """The words each translated text tells the customer to type, by message id, folded.

    A translation keeps the English text's ``*starred*`` words in order, so the ones the English
    says to send, type or reply (not those it says to tap) are found at the same places.
    """
    sources = [*builtin_sources(), Source(EXAMPLE / "locales", USER_DOMAIN)]
    told: dict[str, set[str]] = {}
    for source in sources:
        if not source.file(language).is_file():
            continue
        for message in source.read(language):
            english = message.id if isinstance(message.id, str) else ""
            starred = re.findall(r"(\w+)?\s*\*[^*]+\*", english)
            typed = [
                i for i, verb in enumerate(starred) if verb.lower() in ("send", "type", "reply")
            ]
            if not typed:
                continue
            text = str(message.string)
            words = re.findall(r"\*([^*]+)\*", text)
            assert len(words) == len(starred), (language, english, text)
            told[english] = {normalize(words[i]) for i in typed}
    return told


@pytest.mark.parametrize("language", ["es", "pt_BR", "id"])
def test_every_word_the_bot_tells_customers_to_type_works_in_their_language(
    language: str,
) -> None:
    handler = example_shop()
    keywords = {
        normalize(keyword)
        for flow in handler.flows
        for intent in flow.intents.values()
        for keyword in intent.keywords
    }
    triggers = {
        normalize(t.value) for f in handler.flows for t in f.triggers if t.kind == "keyword"
    }
    titles = {
        normalize(texts_for(language)(o.title))
        for f in handler.flows
        for s in f.states.values()
        if s.expect is not None
        for o in s.expect.options
    }
    texts = texts_for(language)
    read_by_hooks = {  # the shop's and the bookings' own words, read in every language
        normalize(word)
        for word in (*SHOP_BACK_WORDS, *(texts(w) for w in SHOP_BACK_WORDS), *BOOKING_WORDS)
    }
    shown = {normalize(w) for w in ("0", "1", "mañana 11:00", "amanhã 11:00", "besok 11:00")}
    known = keywords | triggers | titles | read_by_hooks | shown
    unknown = {
        english: words - known for english, words in _told_words(language).items() if words - known
    }
    assert unknown == {}
