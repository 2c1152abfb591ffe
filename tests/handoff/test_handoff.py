"""Human handoff: pausing the bot, alerting the staff (text or template), releasing."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.sending import outbox_rows
from flows.features.business import BusinessConfig, HandoffSettings
from flows.features.handoff.handoff import (
    BACK_TEXT,
    HandoffError,
    paused_contacts,
    release,
    request_handoff,
)
from storage.db import transaction
from storage.models import Contact
from tests.handoff.conftest import CUSTOMER, NOW, STAFF, add_contact


def _request(
    engine: Engine, config: BusinessConfig, message: str | None = "Is the salon open on Sunday?"
) -> str:
    with transaction(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one()
        return request_handoff(session, config, contact, NOW, message=message)


def _paused(engine: Engine) -> bool:
    with transaction(engine) as session:
        return session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one().paused


def test_handoff_pauses_and_texts_the_staff_inside_their_window(
    engine: Engine, salon: BusinessConfig, caplog: pytest.LogCaptureFixture
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=1), name="Ana")
    add_contact(engine, STAFF, wrote_ago=timedelta(hours=2))
    with caplog.at_level(logging.INFO, logger="flows.features"):
        assert _request(engine, salon) == "text"
    assert _paused(engine)
    [alert] = outbox_rows(engine, STAFF)
    body = alert.payload["text"]["body"]
    assert "Ana (+34600111222) asked to talk to a person" in body
    assert '"Is the salon open on Sunday?"' in body
    assert "waflow handoff release 34600111222" in body
    assert outbox_rows(engine, CUSTOMER) == []
    assert "…1222" in caplog.text
    assert CUSTOMER not in caplog.text
    assert STAFF not in caplog.text


def test_outside_the_staff_window_the_handoff_template_is_sent(
    engine: Engine, salon: BusinessConfig
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=1), name="Ana")
    assert _request(engine, salon) == "template"  # the staff never wrote to the bot
    [alert] = outbox_rows(engine, STAFF)
    template = alert.payload["template"]
    assert template["name"] == "staff_alert"
    assert [p["text"] for p in template["components"][0]["parameters"]] == ["Ana", "+34600111222"]


def test_without_a_notify_number_the_bot_still_pauses(
    engine: Engine, salon: BusinessConfig
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=1))
    assert _request(engine, replace(salon, handoff=HandoffSettings())) == "skipped"
    assert _paused(engine)
    assert outbox_rows(engine) == []


def test_paused_contacts_and_release(engine: Engine, salon: BusinessConfig) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=1), name="Ana")
    add_contact(engine, "34600333444", wrote_ago=timedelta(minutes=5), paused=True)
    add_contact(engine, "34600555666", wrote_ago=timedelta(minutes=5))
    _request(engine, salon)
    with transaction(engine) as session:
        waiting = [c.wa_id for c, _ in paused_contacts(session)]
    assert waiting == ["34600333444", CUSTOMER]
    with transaction(engine) as session:
        assert release(session, CUSTOMER, NOW) is True
    assert not _paused(engine)
    [back] = outbox_rows(engine, CUSTOMER)
    assert back.payload["text"]["body"] == BACK_TEXT


def test_release_outside_the_window_does_not_message(engine: Engine) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(days=2), paused=True)
    with transaction(engine) as session:
        assert release(session, CUSTOMER, NOW) is False
    assert not _paused(engine)
    assert outbox_rows(engine, CUSTOMER) == []


@pytest.mark.parametrize(
    ("paused", "wa_id", "message"),
    [
        pytest.param(False, CUSTOMER, "not paused", id="not-paused"),
        pytest.param(True, "34699999999", "no customer", id="unknown"),
    ],
)
def test_release_refuses(engine: Engine, paused: bool, wa_id: str, message: str) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=1), paused=paused)
    with transaction(engine) as session, pytest.raises(HandoffError, match=message):
        release(session, wa_id, NOW)
