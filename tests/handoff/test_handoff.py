"""Human handoff: pausing the bot, alerting the staff (text or template), releasing."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.messages import text
from bot.sending import outbox_rows
from flows.features.business import (
    BusinessConfig,
    BusinessConfigError,
    HandoffSettings,
    OpeningHours,
    parse_business,
)
from flows.features.handoff import HandoffFeature
from flows.features.handoff.handoff import (
    BACK_TEXT,
    HandoffError,
    after_hours_text,
    paused_contacts,
    release,
    release_idle,
    request_handoff,
)
from flows.features.handoff.models import HandoffEvent, record_event
from storage import outbox
from storage.db import transaction
from storage.models import Contact
from tests.booking.conftest import SALON_YAML, madrid
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


def _events(engine: Engine) -> list[tuple[str, str]]:
    with transaction(engine) as session:
        rows = session.exec(select(HandoffEvent).order_by(col(HandoffEvent.id))).all()
        return [(event.wa_id, event.kind) for event in rows]


def _with(config: BusinessConfig, **settings: object) -> BusinessConfig:
    return replace(config, handoff=HandoffSettings(**{**config.handoff.model_dump(), **settings}))


# -- the staff alert links to the conversation ---------------------------------------------------


def test_with_a_console_url_the_alert_links_to_the_conversation(
    engine: Engine, salon: BusinessConfig
) -> None:
    contact_id = add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=1), name="Ana")
    add_contact(engine, STAFF, wrote_ago=timedelta(hours=2))
    _request(engine, _with(salon, console_url="https://salon.example"))
    [alert] = outbox_rows(engine, STAFF)
    link = f"https://salon.example/console/inbox/{contact_id}"
    assert alert.payload["text"]["body"].endswith(
        f"The bot is paused for them. Answer here: {link}"
    )


def test_the_handoff_template_can_carry_the_link(engine: Engine, salon: BusinessConfig) -> None:
    contact_id = add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=1), name="Ana")
    template = salon.templates.handoff
    assert template is not None
    templates = salon.templates.model_copy(
        update={"handoff": template.model_copy(update={"params": ("name", "link")})}
    )
    config = replace(_with(salon, console_url="https://salon.example/"), templates=templates)
    assert _request(engine, config) == "template"
    [alert] = outbox_rows(engine, STAFF)
    parameters = alert.payload["template"]["components"][0]["parameters"]
    assert [p["text"] for p in parameters] == [
        "Ana",
        f"https://salon.example/console/inbox/{contact_id}",
    ]


# -- events ---------------------------------------------------------------------------------------


def test_requests_and_releases_are_recorded(engine: Engine, salon: BusinessConfig) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=1))
    _request(engine, salon)
    with transaction(engine) as session:
        release(session, CUSTOMER, NOW + timedelta(minutes=5), staff_id=7)
        staff = session.exec(select(HandoffEvent).where(HandoffEvent.kind == "released")).one()
        assert (staff.staff_id, staff.at) == (7, NOW + timedelta(minutes=5))
    assert _events(engine) == [(CUSTOMER, "requested"), (CUSTOMER, "released")]


# -- business hours -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "told"),
    [
        pytest.param(madrid(2025, 3, 3, 10), None, id="open"),
        pytest.param(madrid(2025, 3, 3, 13, 30), "today at 15:00", id="lunch-break"),
        pytest.param(madrid(2025, 3, 8, 18), "on Monday 10 March at 09:00", id="saturday-evening"),
        pytest.param(madrid(2025, 3, 18, 20), "on Thursday 20 March at 09:00", id="before-holiday"),
        pytest.param(madrid(2025, 3, 4, 7), "today at 09:00", id="early"),
        pytest.param(madrid(2025, 3, 4, 22), "tomorrow at 09:00", id="late"),
    ],
)
def test_after_hours_the_customer_hears_when_someone_will_answer(
    salon: BusinessConfig, now: datetime, told: str | None
) -> None:
    expected = (
        None
        if told is None
        else (
            f"We're closed right now. Someone from the team will answer here when we open, {told}."
        )
    )
    assert after_hours_text(salon, now) == expected


def test_without_opening_hours_nothing_is_said(salon: BusinessConfig) -> None:
    assert after_hours_text(replace(salon, hours=OpeningHours()), madrid(2025, 3, 9, 3)) is None


# -- idle release ---------------------------------------------------------------------------------

IDLE = {"release_after_minutes": 60, "release_text": "The assistant is back. Send *menu*."}


def _sweep(engine: Engine, config: BusinessConfig) -> list[tuple[str, bool]]:
    with transaction(engine) as session:
        return release_idle(session, config, NOW)


def test_an_idle_customer_is_given_back_to_the_bot_and_told(
    engine: Engine, salon: BusinessConfig
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=61), paused=True)
    add_contact(engine, "34600333444", wrote_ago=timedelta(minutes=59), paused=True)
    assert _sweep(engine, _with(salon, **IDLE)) == [(CUSTOMER, True)]
    assert not _paused(engine)
    [note] = outbox_rows(engine, CUSTOMER)
    assert note.payload["text"]["body"] == "The assistant is back. Send *menu*."
    assert _events(engine) == [(CUSTOMER, "idle_released")]


def test_outside_the_window_an_idle_customer_is_released_untold(
    engine: Engine, salon: BusinessConfig
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(hours=30), paused=True)
    assert _sweep(engine, _with(salon, **IDLE)) == [(CUSTOMER, False)]
    assert outbox_rows(engine, CUSTOMER) == []


@pytest.mark.parametrize("kind", ["staff-reply", "echo", "claimed"])
def test_staff_activity_keeps_a_customer_with_a_person(
    engine: Engine, salon: BusinessConfig, kind: str
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(hours=3), paused=True)
    with transaction(engine) as session:
        if kind == "staff-reply":
            outbox.enqueue(
                session, CUSTOMER, [text(CUSTOMER, "On it!")], now=NOW - timedelta(minutes=10)
            )
        else:
            record_event(session, CUSTOMER, kind, NOW - timedelta(minutes=10))  # type: ignore[arg-type]
    assert _sweep(engine, _with(salon, **IDLE)) == []
    assert _paused(engine)


def test_a_running_bot_releases_idle_customers_by_itself(
    engine: Engine, salon: BusinessConfig
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=61), paused=True)
    task = HandoffFeature().task(engine, _with(salon, **IDLE))
    assert task is not None
    assert task(NOW) is True
    assert not _paused(engine)
    assert task(NOW) is False  # nobody left to release
    assert HandoffFeature().task(engine, salon)(NOW) is False  # type: ignore[misc]


def test_without_release_after_minutes_nobody_is_released(
    engine: Engine, salon: BusinessConfig
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(days=3), paused=True)
    assert _sweep(engine, salon) == []
    assert _paused(engine)


# -- the handoff settings in the business file -----------------------------------------------------


@pytest.mark.parametrize(
    ("section", "error"),
    [
        pytest.param(
            "{echo_pause_minutes: -1}",
            r"\(handoff.echo_pause_minutes\): 'echo_pause_minutes' must be at least 0, got -1",
            id="negative-pause",
        ),
        pytest.param(
            "{release_after_minutes: 0}",
            r"\(handoff.release_after_minutes\): .* must be at least 1, got 0",
            id="zero-idle",
        ),
        pytest.param(
            "{console_url: shop.example}",
            r"\(handoff.console_url\): must be an http\(s\) URL, got 'shop.example'",
            id="bad-url",
        ),
    ],
)
def test_bad_handoff_settings_are_refused(section: str, error: str) -> None:
    with pytest.raises(BusinessConfigError, match=error):
        parse_business(SALON_YAML.replace('{notify_number: "+34 600 999 888"}', section), "s.yaml")
