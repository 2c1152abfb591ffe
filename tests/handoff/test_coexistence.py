"""Coexistence through the webhook: an owner answering from the WhatsApp Business app pauses the bot.

The salon's bot (every feature, built by the bootstrap) gets Meta-shaped, signed bodies; the
echo is ``tests/payloads/inbound/smb_message_echo.json`` readdressed to the salon's customer.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot import simulate
from bot.client import CloudClient
from bot.config import Config
from bot.runtime import Runtime
from flows.features.business import BusinessConfig, HandoffSettings
from flows.features.handoff.models import HandoffEvent
from storage.db import read_session
from storage.models import Contact, InboundUpdate
from tests.handoff.conftest import CUSTOMER, NOW
from tests.helpers import Clock, PostWebhook, load_payload
from webhooks.bootstrap import make_runtime

ECHO_WAMID = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBIE01QjZCMzlEQUE4OTJBMTE4RTUA"


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def business(request: pytest.FixtureRequest, salon: BusinessConfig) -> BusinessConfig:
    """The salon; parametrized indirectly, with that ``handoff.echo_pause_minutes``."""
    minutes = getattr(request, "param", None)
    if minutes is None:
        return salon
    settings = HandoffSettings(
        notify_number=salon.handoff.notify_number, echo_pause_minutes=minutes
    )
    return replace(salon, handoff=settings)


@pytest.fixture
def runtime(
    engine: Engine,
    cloud_client: CloudClient,
    sent: list[dict[str, Any]],
    config: Config,
    business: BusinessConfig,
    clock: Clock,
) -> Runtime:
    """The salon's bot as `waflow run` builds it, inline, on the test clock."""
    return make_runtime(
        config, inline=True, engine=engine, client=cloud_client, business=business, clock=clock
    )


def echo(at: datetime, body: str = "Hi Ana, Marta here. Yes, we are open.") -> dict[str, Any]:
    """The echo payload file, sent by the salon to its customer at ``at``."""
    payload = copy.deepcopy(load_payload("inbound", "smb_message_echo.json"))
    item = payload["entry"][0]["changes"][0]["value"]["message_echoes"][0]
    item.update(to=f"+{CUSTOMER}", timestamp=str(int(at.timestamp())), text={"body": body})
    return payload


def customer_says(post: PostWebhook, clock: Clock, text: str) -> None:
    body = simulate.text(CUSTOMER, text, name="Ana", timestamp=clock.now.timestamp())
    assert post(body).status_code == 200


def replies(sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the bot sent the customer (the staff alerts go to another number)."""
    return [payload for payload in sent if payload["to"] == CUSTOMER]


def test_an_echo_pauses_the_bot_then_it_answers_again(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], clock: Clock, engine: Engine
) -> None:
    customer_says(post_webhook, clock, "hi")
    assert len(replies(sent)) == 1  # the menu

    clock.now += timedelta(minutes=1)
    assert post_webhook(echo(clock.now)).status_code == 200
    assert post_webhook(echo(clock.now)).status_code == 200  # Meta delivers it again
    assert len(replies(sent)) == 1  # an echo is never answered

    clock.now += timedelta(minutes=2)
    customer_says(post_webhook, clock, "great, can I come at 5?")
    assert len(replies(sent)) == 1  # the bot does not talk over the owner

    with read_session(engine) as session:
        rows = session.exec(select(InboundUpdate).order_by(col(InboundUpdate.id))).all()
        events = session.exec(select(HandoffEvent)).all()
        contact = session.exec(select(Contact)).one()
    assert [(r.kind, r.wa_id, r.state) for r in rows] == [
        ("message", CUSTOMER, "done"),
        ("echo", CUSTOMER, "done"),
        ("message", CUSTOMER, "done"),  # stored and shown in the inbox, just not answered
    ]
    assert rows[1].dedupe_key == f"echo:{ECHO_WAMID}"
    assert [(e.wa_id, e.kind) for e in events] == [(CUSTOMER, "echo")]
    assert contact.paused_until == NOW + timedelta(minutes=1 + 30)
    assert not contact.paused

    clock.now = NOW + timedelta(minutes=1 + 30, seconds=1)
    customer_says(post_webhook, clock, "hi")
    [again] = replies(sent)[1:]  # the bot speaks again, where the conversation was: the menu
    assert again["interactive"]["body"]["text"] == "Please choose from the menu."


@pytest.mark.parametrize("business", [0], indirect=True)
def test_with_no_echo_pause_the_bot_keeps_answering(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], clock: Clock, engine: Engine
) -> None:
    customer_says(post_webhook, clock, "hi")
    assert post_webhook(echo(clock.now)).status_code == 200
    customer_says(post_webhook, clock, "hi")
    assert len(replies(sent)) == 2
    with read_session(engine) as session:
        assert session.exec(select(Contact)).one().paused_until is None
        assert [e.kind for e in session.exec(select(HandoffEvent))] == ["echo"]


def test_a_late_echo_does_not_shorten_a_pause(
    post_webhook: PostWebhook, clock: Clock, engine: Engine
) -> None:
    assert post_webhook(echo(clock.now, "first")).status_code == 200
    old = echo(clock.now - timedelta(minutes=20), "sent earlier, delivered late")
    old["entry"][0]["changes"][0]["value"]["message_echoes"][0]["id"] = "wamid.LATE"
    assert post_webhook(old).status_code == 200
    with read_session(engine) as session:
        assert session.exec(select(Contact)).one().paused_until == NOW + timedelta(minutes=30)
