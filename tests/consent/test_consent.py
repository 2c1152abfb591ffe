"""Consent through the webhook: stop and start words from any state, Meta's own stops, the ledger.

The test bakery's bot (every feature, built by the bootstrap) gets Meta-shaped, signed bodies;
the ``user_preferences`` changes are ``tests/payloads/inbound/user_preferences_*.json``.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot import simulate
from bot.config import Config
from bot.errors import ConfigError
from flows.features.business import BusinessConfigError, parse_business
from flows.features.consent import ConsentEvent, fold, history
from storage.db import read_session, transaction
from storage.models import Contact, Conversation
from tests.consent.conftest import CUSTOMER, SHOP_YAML
from tests.helpers import Clock, PostWebhook, load_payload
from webhooks.bootstrap import make_handler

STOPPED = "You won't get offers from Bella Bakery any more. Send START to get them again."
STARTED = "You'll get offers from Bella Bakery again. Send STOP to stop them."


def say(post: PostWebhook, clock: Clock, text: str) -> None:
    clock.now += timedelta(seconds=30)
    body = simulate.text(CUSTOMER, text, name="Ana", timestamp=clock.now.timestamp())
    assert post(body).status_code == 200


def texts(sent: list[dict[str, Any]]) -> list[str]:
    """What the bot sent the customer, as text (an interactive message's body)."""
    return [
        p["text"]["body"] if p["type"] == "text" else p["interactive"]["body"]["text"]
        for p in sent
        if p["to"] == CUSTOMER
    ]


def state(engine: Engine) -> tuple[Contact, tuple[Any, ...], list[tuple[str, str]]]:
    """The customer's row, their conversation's place, and their ledger as (opted, source)."""
    with read_session(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one()
        talk = session.exec(select(Conversation).where(Conversation.wa_id == CUSTOMER)).one()
        events = [(e.opted, e.source) for e in history(session, CUSTOMER)]
    return contact, (talk.flow, talk.state, talk.status, talk.slots), events


def preference(value: str, at: datetime) -> dict[str, Any]:
    """The ``user_preferences`` payload file of ``value`` (stop, resume), changed at ``at``."""
    payload = copy.deepcopy(load_payload("inbound", f"user_preferences_{value}.json"))
    item = payload["entry"][0]["changes"][0]["value"]["user_preferences"][0]
    item["timestamp"] = int(at.timestamp())
    return payload


def test_stop_mid_flow_is_confirmed_recorded_and_keeps_the_conversation(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], clock: Clock, engine: Engine
) -> None:
    say(post_webhook, clock, "shop")
    _, place, _ = state(engine)
    assert place[0] == "purchase"
    before = len(texts(sent))

    say(post_webhook, clock, "STOP")

    assert texts(sent)[before:] == [STOPPED]
    contact, after, events = state(engine)
    assert contact.marketing_opt_out
    assert contact.marketing_changed_at == clock.now
    assert events == [("out", "keyword")]
    assert after == place  # the flow did not see it


def test_stop_while_the_bot_is_paused_for_a_person(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], clock: Clock, engine: Engine
) -> None:
    say(post_webhook, clock, "hi")
    with transaction(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one()
        contact.paused = True
        session.add(contact)
    before = len(texts(sent))

    say(post_webhook, clock, "stop")
    say(post_webhook, clock, "are you there?")  # still a person's conversation

    assert texts(sent)[before:] == [STOPPED]
    contact, _, events = state(engine)
    assert contact.marketing_opt_out
    assert contact.paused
    assert events == [("out", "keyword")]


def test_start_reverses_stop_and_a_repeated_word_records_nothing_new(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], clock: Clock, engine: Engine
) -> None:
    for word in ("Stop", "stop", "Start", "START"):
        say(post_webhook, clock, word)
    replies = texts(sent)
    assert replies[:3] == [STOPPED, STOPPED, STARTED]
    assert STARTED not in replies[3:]  # a start word from someone who never stopped is a word
    contact, _, events = state(engine)
    assert not contact.marketing_opt_out
    assert events == [("out", "keyword"), ("in", "keyword")]


@pytest.mark.parametrize(
    ("text", "opted"),
    [
        ("UNSUBSCRIBE", "out"),
        ("opt-out", "out"),
        ("Baja", "out"),
        ("cancelar suscripción", "out"),
        ("¡PARAR!", "out"),
        ("Descadastrar", "out"),
        ("berhenti", "out"),
        ("subscribe", "in"),
        ("alta", "in"),
        ("inscrever", "in"),
        ("BERLANGGANAN", "in"),
    ],
    ids=lambda value: fold(str(value)).replace(" ", "-"),
)
def test_the_words_of_each_language(
    post_webhook: PostWebhook, clock: Clock, engine: Engine, text: str, opted: str
) -> None:
    if opted == "in":
        say(post_webhook, clock, "stop")
    say(post_webhook, clock, text)
    contact, _, events = state(engine)
    assert contact.marketing_opt_out == (opted == "out")
    assert events[-1] == (opted, "keyword")


@pytest.mark.parametrize(
    "text", ["please don't stop", "stop it now", "start over", "stopp", "voltar"]
)
def test_a_sentence_with_a_keyword_in_it_is_not_one(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], clock: Clock, engine: Engine, text: str
) -> None:
    say(post_webhook, clock, text)
    contact, _, events = state(engine)
    assert not contact.marketing_opt_out
    assert events == []
    assert texts(sent)  # the flow answered
    assert not {STOPPED, STARTED} & set(texts(sent))


def test_metas_stop_and_resume_are_recorded_with_source_meta(
    post_webhook: PostWebhook, clock: Clock, engine: Engine
) -> None:
    stop_at = clock.now - timedelta(minutes=5)
    assert post_webhook(preference("stop", stop_at)).status_code == 200
    contact, events = _ledger(engine)
    assert contact.marketing_opt_out
    assert [(e.opted, e.source, e.at) for e in events] == [("out", "meta", stop_at)]
    assert events[0].detail == {
        "category": "marketing_messages",
        "detail": "User requested to stop marketing messages",
    }

    assert post_webhook(preference("resume", stop_at + timedelta(minutes=1))).status_code == 200
    late = preference("stop", stop_at - timedelta(minutes=1))  # older, delivered late: ignored
    assert post_webhook(late).status_code == 200

    contact, events = _ledger(engine)
    assert not contact.marketing_opt_out
    assert [(e.opted, e.source) for e in events] == [("out", "meta"), ("in", "meta")]


def _ledger(engine: Engine) -> tuple[Contact, list[ConsentEvent]]:
    with read_session(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one()
        return contact, history(session, CUSTOMER)


EXTENDED = """
consent:
  stop_words: [basta, "No más"]
  start_words: [volver]
  stopped_text: "Vale, {business} no te enviará más ofertas."
  started_text: "¡Hola de nuevo! {business} te enviará ofertas."
"""


@pytest.mark.parametrize("business", [EXTENDED], indirect=True)
def test_the_business_file_adds_words_and_its_own_confirmations(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], clock: Clock, engine: Engine
) -> None:
    for word in ("¡Basta!", "no mas", "Volver", "STOP"):
        say(post_webhook, clock, word)
    assert texts(sent) == [
        "Vale, Bella Bakery no te enviará más ofertas.",
        "Vale, Bella Bakery no te enviará más ofertas.",
        "¡Hola de nuevo! Bella Bakery te enviará ofertas.",
        "Vale, Bella Bakery no te enviará más ofertas.",  # the built-in words still work
    ]
    _, _, events = state(engine)
    assert events == [("out", "keyword"), ("in", "keyword"), ("out", "keyword")]


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            "consent: {stop_words: [[nope]]}",
            r"shop\.yaml:\d+ \(consent\.stop_words\[0\]\): expected a word, got list",
        ),
        ("consent: {stop_words: {a: 1}}", r"consent\.stop_words.*expected a list of words"),
        ("consent: {start_words: ['  ']}", r"consent\.start_words\[0\]\): must not be empty"),
        ("consent: {stopped_text: ''}", r"consent\.stopped_text"),
        ("consent: {stop_word: [basta]}", r"unknown key 'stop_word'.*did you mean 'stop_words'"),
        (
            "consent: {start_words: [Stop]}",
            r"consent\.start_words.*'stop'.*both a stop and a start",
        ),
        ("consent: [stop]", r"consent"),
    ],
    ids=["not-a-word", "not-a-list", "empty-word", "empty-text", "unknown-key", "both", "list"],
)
def test_a_bad_consent_section_is_a_located_load_error(section: str, message: str) -> None:
    with pytest.raises(BusinessConfigError, match=message):
        parse_business(f"{SHOP_YAML}\n{section}\n", "shop.yaml")


def test_a_word_both_stopping_and_starting_is_refused_when_the_bot_is_built() -> None:
    business = parse_business(
        f"{SHOP_YAML}\nconsent: {{stop_words: [basta], start_words: [Basta]}}\n", "shop.yaml"
    )
    with pytest.raises(ConfigError, match=r"consent\.stop_words.*'basta' cannot be both"):
        make_handler(Config(access_token="t", phone_number_id="1"), business)
