"""The main menu and human handoff through ``flows.FlowHandler``: a paused contact gets silence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from bot.sending import outbox_rows
from flows.features.business import BusinessConfig
from flows.features.handoff.handoff import release
from storage.db import transaction
from tests.flows.flowkit import WA_ID, Chat, body, rows
from tests.handoff.conftest import STAFF, menu_chat


@pytest.fixture
def chat(engine: Engine, salon: BusinessConfig) -> Chat:
    """Ana talking to the main menu, booking and survey flows (the shop flows are stubs)."""
    return menu_chat(engine, salon)


def test_the_menu_links_every_feature(chat: Chat) -> None:
    [menu] = chat.send("hi")
    assert body(menu) == "Hi Ana! How can I help you?"
    assert [row_id for row_id, _ in rows(menu)] == ["shop", "track", "book", "feedback", "person"]


@pytest.mark.parametrize(
    ("row", "first_reply"),
    [
        pytest.param("shop", "purchase here", id="shop"),
        pytest.param("track", "track_order here", id="track"),
        pytest.param("book", "Which service would you like to book?", id="book"),
        pytest.param(
            "feedback",
            "There is no survey to answer right now. Thank you for asking!",
            id="feedback",
        ),
    ],
)
def test_menu_rows_start_their_flows(chat: Chat, row: str, first_reply: str) -> None:
    chat.send("menu")
    assert body(chat.pick(row)[0]) == first_reply


def test_talk_to_a_person_pauses_the_bot_until_released(chat: Chat, engine: Engine) -> None:
    chat.send("hi")
    [told] = chat.pick("person", "Talk to a person")
    assert body(told).startswith("I'm passing you to a person")
    assert chat.contact.paused
    [alert] = outbox_rows(engine, STAFF)
    assert alert.payload["template"]["name"] == "staff_alert"  # the staff never wrote: template
    assert chat.send("hello? anyone?") == []
    assert chat.send("book") == []
    assert chat.send("menu") == []
    with transaction(engine) as session:
        release(session, WA_ID, chat.clock.now)
    assert not chat.contact.paused
    assert body(chat.send("hi")[0]) == "Hi Ana! How can I help you?"


def test_talk_to_a_person_works_in_the_middle_of_a_booking(chat: Chat, engine: Engine) -> None:
    chat.send("book")
    chat.pick("svc:cut")
    [told] = chat.send("talk to a person")
    assert body(told).startswith("I'm passing you to a person")
    assert chat.contact.paused
    assert len(outbox_rows(engine, STAFF)) == 1
    assert chat.pick("day:2025-03-04") == []


def test_menu_works_in_the_middle_of_a_booking(chat: Chat) -> None:
    chat.send("book")
    [menu] = chat.send("menu")
    assert body(menu) == "Hi Ana! How can I help you?"


def test_asking_after_hours_tells_when_the_team_is_back(chat: Chat, engine: Engine) -> None:
    chat.clock.now = datetime(2025, 3, 9, 11, 0, tzinfo=UTC)  # a Sunday: the salon is closed
    chat.send("hi")
    told = chat.pick("person", "Talk to a person")
    assert [body(message) for message in told] == [
        "We're closed right now. Someone from the team will answer here when we open, "
        "tomorrow at 09:00.",
        "I'm passing you to a person from the team. They'll answer here as soon as they can.",
    ]
    assert chat.contact.paused
    assert len(outbox_rows(engine, STAFF)) == 1  # the staff is alerted all the same
