"""``GET /healthz``: the database answers, and how much waits for how long (SQLite, PostgreSQL).

The ages are measured to the runtime's clock, a fake one here; a runtime that is never started
leaves what arrives pending.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine

from bot import messages, simulate
from bot.client import CloudClient
from bot.config import Config
from bot.runtime import Runtime
from bot.starter import StarterHandler
from storage import outbox
from storage.db import make_engine, transaction
from tests.helpers import Clock
from webhooks.app import create_app
from webhooks.signature import sign

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CUSTOMER = "15550001111"


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def waiting(engine: Engine, cloud_client: CloudClient, clock: Clock, config: Config) -> FlaskClient:
    """A client of an app whose runtime is never started: what arrives stays pending."""
    runtime = Runtime(engine=engine, handler=StarterHandler(), client=cloud_client, clock=clock)
    return create_app(runtime, app_secret=config.app_secret).test_client()


def deliver(client: FlaskClient, body: dict[str, object], config: Config) -> None:
    raw = json.dumps(body).encode()
    response = client.post(
        "/webhook", data=raw, headers={"X-Hub-Signature-256": sign(raw, config.app_secret)}
    )
    assert response.status_code == 200


def test_healthz_with_nothing_waiting(waiting: FlaskClient) -> None:
    response = waiting.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": "ok",
        "inbox": {"pending": 0, "failed": 0, "oldest_pending_seconds": 0},
        "outbox": {
            "pending": 0,
            "held": 0,
            "failed": 0,
            "suppressed": 0,
            "oldest_due_seconds": 0,
        },
    }


def test_healthz_reports_the_backlog_and_its_age(
    waiting: FlaskClient, engine: Engine, config: Config, clock: Clock
) -> None:
    deliver(waiting, simulate.text(CUSTOMER, "one", msg_id="wamid.IN1"), config)
    clock.now += timedelta(seconds=45)
    deliver(waiting, simulate.text(CUSTOMER, "two", msg_id="wamid.IN2"), config)
    with transaction(engine) as session:
        outbox.enqueue(session, CUSTOMER, [messages.text(CUSTOMER, "late")], now=clock.now)
    clock.now += timedelta(seconds=15)

    body = waiting.get("/healthz").get_json()

    assert body["status"] == "ok"
    assert body["inbox"]["pending"] == 2
    assert body["inbox"]["oldest_pending_seconds"] == 60
    assert body["outbox"]["pending"] == 1
    assert body["outbox"]["oldest_due_seconds"] == 15


def test_a_message_scheduled_later_is_not_late(
    waiting: FlaskClient, engine: Engine, clock: Clock
) -> None:
    with transaction(engine) as session:
        later = clock.now + timedelta(minutes=10)
        outbox.enqueue(session, CUSTOMER, [messages.text(CUSTOMER, "paced")], now=later)

    body = waiting.get("/healthz").get_json()

    assert (body["outbox"]["pending"], body["outbox"]["oldest_due_seconds"]) == (1, 0)


def test_a_dead_database_is_503(cloud_client: CloudClient) -> None:
    dead = make_engine("postgresql://nobody@127.0.0.1:1/nothing")  # nothing listens on port 1
    runtime = Runtime(engine=dead, handler=StarterHandler(), client=cloud_client, inline=True)

    response = create_app(runtime, app_secret="s").test_client().get("/healthz")

    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "OperationalError"}
