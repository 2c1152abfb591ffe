"""``GET /metrics``: Prometheus text behind a Bearer token, counting real turns and sends.

The per-process metrics live in ``prometheus_client``'s default registry for the whole test
session, so each test compares a scrape after its action with one before it. The backlog gauges
are read from the database at scrape time (SQLite and PostgreSQL), their ages measured to the
runtime's clock.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import responses
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import Engine

from bot import messages, simulate
from bot.client import CloudClient
from bot.config import Config
from bot.metrics import MULTIPROC_VARIABLE
from bot.runtime import Runtime
from bot.starter import StarterHandler
from storage import inbox, outbox
from storage.db import make_engine, transaction
from tests.helpers import Clock
from webhooks.app import create_app
from webhooks.mockgraph import graph_error
from webhooks.signature import sign

TOKEN = "scrape-me-0123456789"
CUSTOMER = "15550001111"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client: FlaskClient, token: str = TOKEN) -> Samples:
    """Every sample of one scrape, by name and sorted labels."""
    response = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    assert response.content_type.startswith("text/plain; version=")
    return parse(response.text)


def parse(text: str) -> Samples:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def total(samples: Samples, name: str) -> float:
    return sum(v for (found, _), v in samples.items() if found == name)


def delta(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def app_for(runtime: Runtime, config: Config, token: str = TOKEN) -> Flask:
    app = create_app(
        runtime, app_secret=config.app_secret, verify_token=config.verify_token, metrics_token=token
    )
    app.testing = True
    return app


def signed_post(client: FlaskClient, body: dict[str, Any], config: Config) -> int:
    raw = json.dumps(body).encode()
    headers = {"X-Hub-Signature-256": sign(raw, config.app_secret)}
    return client.post("/webhook", data=raw, headers=headers).status_code


@pytest.fixture
def scraped(runtime: Runtime, config: Config) -> FlaskClient:
    """A client of an app whose ``/metrics`` takes :data:`TOKEN`."""
    return app_for(runtime, config).test_client()


# -- the token ------------------------------------------------------------------------------


def test_metrics_are_off_without_a_token(client: FlaskClient) -> None:
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404
    assert client.get("/metrics").status_code == 404


@pytest.mark.parametrize(
    "header",
    [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer", f"Bearer ü{TOKEN}"],
    ids=["none", "wrong", "basic", "longer", "empty", "non-ascii"],
)
def test_metrics_refuse_a_request_without_the_token(
    scraped: FlaskClient, header: str | None
) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = scraped.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "waflow" not in response.text


def test_metrics_with_the_token(scraped: FlaskClient) -> None:
    samples = scraped.get("/metrics", headers={"Authorization": f"bearer  {TOKEN} "})
    assert samples.status_code == 200
    assert value(parse(samples.text), "waflow_database_up") == 1


def test_the_token_comes_from_the_configuration(runtime: Runtime, config: Config) -> None:
    from webhooks.bootstrap import make_app

    configured = config.with_overrides(extra={"WAFLOW_METRICS_TOKEN": f" {TOKEN} "})
    assert configured.metrics_token == TOKEN
    app = make_app(runtime, configured)
    assert scrape(app.test_client())[("waflow_database_up", ())] == 1


# -- what the runtime counts --------------------------------------------------------------


def test_a_turn_and_its_reply_are_counted(
    scraped: FlaskClient, config: Config, sent: list[dict[str, Any]]
) -> None:
    before = scrape(scraped)

    assert signed_post(scraped, simulate.text(CUSTOMER, "hello"), config) == 200  # inline

    after = scrape(scraped)
    assert len(sent) == 1
    assert delta(before, after, "waflow_turn_seconds_count", outcome="done") == 1
    assert delta(before, after, "waflow_turn_seconds_sum", outcome="done") > 0
    assert delta(before, after, "waflow_send_seconds_count", result="ok") == 1
    assert delta(before, after, "waflow_sends_total", outcome="sent") == 1
    assert delta(before, after, "waflow_webhook_responses_total", method="POST", status="200") == 1
    assert value(after, "waflow_inbox_updates", state="pending") == 0
    assert value(after, "waflow_outbox_messages", state="pending") == 0


def test_webhook_answers_are_counted_by_status(scraped: FlaskClient, config: Config) -> None:
    before = scrape(scraped)

    scraped.post("/webhook", data=b"{}", headers={"X-Hub-Signature-256": "sha256=00"})
    scraped.post("/webhook", data=b"{}")
    scraped.get("/webhook", query_string={"hub.mode": "subscribe", "hub.verify_token": "no"})
    scraped.get("/healthz")  # not the webhook: not counted

    after = scrape(scraped)
    assert delta(before, after, "waflow_webhook_responses_total", method="POST", status="403") == 1
    assert delta(before, after, "waflow_webhook_responses_total", method="POST", status="401") == 1
    assert delta(before, after, "waflow_webhook_responses_total", method="GET", status="403") == 1
    assert total(after, "waflow_webhook_responses_total") - total(
        before, "waflow_webhook_responses_total"
    ) == pytest.approx(3)


def test_a_crash_answering_500_is_counted(
    runtime: Runtime, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_for(runtime, config)
    app.testing = False  # as in production: the crash becomes a 500 answer

    def crash(_payload: object) -> None:
        raise RuntimeError("a bug")

    client = app.test_client()
    before = scrape(client)
    monkeypatch.setattr(runtime, "accept", crash)

    assert signed_post(client, simulate.text(CUSTOMER, "hello"), config) == 500

    after = scrape(client)
    assert delta(before, after, "waflow_webhook_responses_total", method="POST", status="500") == 1


@pytest.mark.parametrize("code", [131026, 131047, 132001, 190])
def test_send_errors_are_counted_by_graph_code(
    engine: Engine,
    cloud_client: CloudClient,
    graph: responses.RequestsMock,
    config: Config,
    code: int,
) -> None:
    body, status = graph_error(code)
    graph.add(responses.POST, config.messages_url, json=body, status=status)
    runtime = Runtime(engine=engine, handler=StarterHandler(), client=cloud_client, inline=True)
    client = app_for(runtime, config).test_client()
    before = scrape(client)

    assert signed_post(client, simulate.text(CUSTOMER, "hello"), config) == 200

    after = scrape(client)
    assert delta(before, after, "waflow_send_errors_total", code=str(code)) == 1
    assert delta(before, after, "waflow_send_seconds_count", result="error") == 1
    assert delta(before, after, "waflow_sends_total", outcome="sent") == 0
    gave_up = delta(before, after, "waflow_sends_total", outcome="failed")
    paused = delta(before, after, "waflow_sends_total", outcome="deferred")
    assert (gave_up, paused) == ((0, 1) if code == 190 else (1, 0))  # 190: the account


def test_a_transport_failure_is_counted_as_transport(
    engine: Engine,
    cloud_client: CloudClient,
    graph: responses.RequestsMock,
    config: Config,
) -> None:
    graph.add(responses.POST, config.messages_url, body=requests.ConnectionError("reset"))
    runtime = Runtime(engine=engine, handler=StarterHandler(), client=cloud_client, inline=True)
    client = app_for(runtime, config).test_client()
    before = scrape(client)

    signed_post(client, simulate.text(CUSTOMER, "hello"), config)

    after = scrape(client)
    assert delta(before, after, "waflow_send_errors_total", code="transport") == 1
    assert delta(before, after, "waflow_sends_total", outcome="retried") == 1
    assert value(after, "waflow_outbox_messages", state="pending") == 1


def test_a_failing_handler_is_a_failed_turn(
    engine: Engine, cloud_client: CloudClient, sent: list[dict[str, Any]], config: Config
) -> None:
    class Broken(StarterHandler):
        def handle(self, turn: Any) -> None:
            raise ValueError("a bug in a flow")

    runtime = Runtime(engine=engine, handler=Broken(), client=cloud_client, inline=True)
    client = app_for(runtime, config).test_client()
    before = scrape(client)

    signed_post(client, simulate.text(CUSTOMER, "hello"), config)

    after = scrape(client)
    assert delta(before, after, "waflow_turn_seconds_count", outcome="failed") == 1
    assert delta(before, after, "waflow_turn_seconds_count", outcome="done") == 0
    assert value(after, "waflow_inbox_updates", state="failed") == 1
    assert len(sent) == 1  # the apology


# -- what the database says ---------------------------------------------------------------


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def waiting(engine: Engine, cloud_client: CloudClient, clock: Clock) -> Runtime:
    """A background runtime that is never started: what arrives stays pending."""
    return Runtime(engine=engine, handler=StarterHandler(), client=cloud_client, clock=clock)


def test_backlog_and_its_age_follow_the_clock(
    waiting: Runtime, engine: Engine, config: Config, clock: Clock
) -> None:
    client = app_for(waiting, config).test_client()
    signed_post(client, simulate.text(CUSTOMER, "first", msg_id="wamid.IN1"), config)
    clock.now += timedelta(seconds=30)
    signed_post(client, simulate.text(CUSTOMER, "second", msg_id="wamid.IN2"), config)
    with transaction(engine) as session:
        outbox.enqueue(session, CUSTOMER, [messages.text(CUSTOMER, "due")], now=clock.now)
        later = clock.now + timedelta(hours=1)  # a broadcast's slot: not late
        outbox.enqueue(session, "15550002222", [messages.text("1", "x")], now=later)
    clock.now += timedelta(seconds=60)

    samples = scrape(client)

    assert value(samples, "waflow_inbox_updates", state="pending") == 2
    assert value(samples, "waflow_inbox_oldest_pending_seconds") == 90
    assert value(samples, "waflow_outbox_messages", state="pending") == 2
    assert value(samples, "waflow_outbox_oldest_due_seconds") == 60
    assert CUSTOMER not in json.dumps(list(samples))  # no phone number in a label


def test_nothing_waiting_reads_zero(waiting: Runtime, config: Config) -> None:
    samples = scrape(app_for(waiting, config).test_client())
    for state in ("pending", "failed"):
        assert value(samples, "waflow_inbox_updates", state=state) == 0
    for state in ("pending", "held", "failed", "suppressed"):
        assert value(samples, "waflow_outbox_messages", state=state) == 0
    assert ("waflow_inbox_oldest_pending_seconds", ()) in samples
    assert value(samples, "waflow_outbox_oldest_due_seconds") == 0


def test_holds_and_suppressions(
    waiting: Runtime, engine: Engine, config: Config, clock: Clock
) -> None:
    opted_out, silent = "15550003333", "15550004444"
    with transaction(engine) as session:
        inbox.lock_contact(session, opted_out, now=T0).marketing_opt_out = True
        inbox.lock_contact(session, silent, now=T0)  # never wrote: the window is closed
    with transaction(engine) as session:
        template = messages.template(opted_out, "sale", "en_US")
        outbox.enqueue(session, opted_out, [template], now=T0, category="marketing")
        document = messages.text(silent, "your invoice")
        outbox.enqueue(session, silent, [document], now=T0, fallback=outbox.HOLD)
    client = app_for(waiting, config).test_client()
    before = scrape(client)

    report = waiting.sender.drain()  # finds the window closed: held, no Graph call

    after = scrape(client)
    assert report.held == 1
    assert delta(before, after, "waflow_sends_total", outcome="held") == 1
    assert value(after, "waflow_outbox_messages", state="held") == 1
    assert value(after, "waflow_outbox_messages", state="suppressed") == 1
    assert value(after, "waflow_outbox_messages", state="pending") == 0


def test_a_dead_database_reads_as_down_not_as_a_failed_scrape(
    cloud_client: CloudClient, config: Config
) -> None:
    dead = make_engine("postgresql://nobody@127.0.0.1:1/nothing")  # nothing listens on port 1
    runtime = Runtime(engine=dead, handler=StarterHandler(), client=cloud_client, inline=True)

    samples = scrape(app_for(runtime, config).test_client())

    assert samples[("waflow_database_up", ())] == 0
    assert ("waflow_inbox_updates", (("state", "pending"),)) not in samples
    assert any(name == "waflow_turn_seconds_count" for name, _ in samples)


# -- several worker processes -----------------------------------------------------------------

_WORKERS_THEN_SCRAPE = """
import os, sys
from bot import metrics
from bot.errors import RecipientError
from storage.db import create_schema, make_engine

for errors in (2, 3):  # two worker processes, as gunicorn forks them
    pid = os.fork()
    if pid == 0:
        for _ in range(errors):
            try:
                with metrics.timed_send():
                    raise RecipientError("undeliverable", code=131026)
            except RecipientError:
                pass
        metrics.webhook_answered("POST", 200)
        os._exit(0)
    os.waitpid(pid, 0)
engine = make_engine(sys.argv[1])
create_schema(engine)
sys.stdout.write(metrics.exposition(engine)[0].decode())
"""


def test_multiprocess_mode_sums_every_worker(tmp_path: Path) -> None:
    """With ``PROMETHEUS_MULTIPROC_DIR`` any process answers the sum of all workers' counts."""
    shared = tmp_path / "prometheus"
    shared.mkdir()
    database = f"sqlite:///{tmp_path / 'waflow.db'}"
    done = subprocess.run(  # noqa: S603 (this interpreter, a script of this file)
        [sys.executable, "-c", _WORKERS_THEN_SCRAPE, database],
        env={**os.environ, MULTIPROC_VARIABLE: str(shared)},
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parents[2],
    )

    samples = parse(done.stdout)

    assert value(samples, "waflow_send_errors_total", code="131026") == 5
    assert value(samples, "waflow_send_seconds_count", result="error") == 5
    assert value(samples, "waflow_webhook_responses_total", method="POST", status="200") == 2
    assert value(samples, "waflow_database_up") == 1
    assert value(samples, "waflow_inbox_updates", state="pending") == 0
