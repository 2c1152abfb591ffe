"""The Cloud API hanging: a real socket on loopback that takes requests and never answers.

Unlike a mocked ``requests`` timeout, the client's own timeout has to end each call here. The
sender must log it clearly, keep the message queued, serve the other contacts meanwhile, and send
everything, once and in order, when the API answers again.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bot import messages
from bot.client import CloudClient, RetryPolicy
from bot.config import Config
from bot.sending import OutboxSender, outbox_rows
from storage import inbox, outbox
from storage.db import transaction
from tests.helpers import PHONE_NUMBER_ID, Clock
from webhooks.mockgraph import sent_reply

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
READ_TIMEOUT = 0.3
HANG_FOR = 60.0
"""How long the mock holds a request it does not answer: far past every timeout, so a client
without one would stall the test (and fail its bound) instead of passing."""
CUSTOMERS = ["34600000001", "34600000002", "34600000003", "34600000004"]


class HangingGraph(ThreadingHTTPServer):
    """A Cloud API on loopback: answers sends like Meta, except to the ``hanging`` recipients,
    whose requests it reads and then holds without a byte of answer."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hanging: set[str] = set()
        self.answered: list[tuple[str, str]] = []  # (to, text body) of each accepted send
        self.held = 0
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.wamids = itertools.count(1)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def texts_to(self, wa_id: str) -> list[str]:
        with self.lock:
            return [body for to, body in self.answered if to == wa_id]


class _Handler(BaseHTTPRequestHandler):
    server: HangingGraph

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        to = str(body.get("to", ""))
        with self.server.lock:
            hang = to in self.server.hanging
            if hang:
                self.server.held += 1
        if hang:
            self.server.release.wait(HANG_FOR)
            self.close_connection = True
            return
        with self.server.lock:
            self.server.answered.append((to, body["text"]["body"]))
            wamid = f"wamid.OUT{next(self.server.wamids):04d}"
        answer = json.dumps(sent_reply(to, wamid)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads the client's log, not the mock's."""


@pytest.fixture
def api() -> Iterator[HangingGraph]:
    server = HangingGraph()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def cloud(api: HangingGraph) -> Iterator[CloudClient]:
    """The runtime's client (two attempts per send) against the mock, with a short timeout."""
    config = Config(
        access_token="test-token-abcdef",
        phone_number_id=PHONE_NUMBER_ID,
        app_secret="test-app-secret",
        api_base_url=api.url,
    )
    client = CloudClient(
        config,
        timeout=(2.0, READ_TIMEOUT),
        retry=RetryPolicy(max_attempts=2, max_delay=0.0),
        sleep=lambda _s: None,
    )
    yield client
    client.close()


def seed(engine: Engine, wa_id: str, *bodies: str) -> None:
    """Queue text replies to a customer who wrote at T0."""
    with transaction(engine) as session:
        contact = inbox.lock_contact(session, wa_id, now=T0)
        contact.last_inbound_at = T0
        session.add(contact)
        outbox.enqueue(session, wa_id, [messages.text(wa_id, b) for b in bodies], now=T0)


def states(engine: Engine, wa_id: str) -> list[str]:
    return [row.state for row in outbox_rows(engine, wa_id)]


def send_until_done(sender: OutboxSender, engine: Engine, clock: Clock) -> None:
    """The sender thread's loop on the test's clock: drain, then move to the next due time."""
    for _ in range(20):
        sender.drain()
        wait = sender.next_due_in()
        if wait is None:
            return
        clock.now += timedelta(seconds=wait)
    pytest.fail(f"still pending: {[r.id for r in outbox_rows(engine) if r.state == 'pending']}")


def test_a_hanging_api_times_out_keeps_the_messages_and_sends_them_in_order_after(
    engine: Engine, api: HangingGraph, cloud: CloudClient, caplog: pytest.LogCaptureFixture
) -> None:
    customer = CUSTOMERS[0]
    seed(engine, customer, "first", "second", "third")
    clock = Clock(T0)
    sender = OutboxSender(engine, cloud, clock=clock, rand=lambda: 0.0)
    api.hanging = {customer}

    started = time.monotonic()
    with caplog.at_level(logging.INFO):
        report = sender.drain()
    elapsed = time.monotonic() - started

    # each of the client's two attempts ended by its own read timeout, not by the mock
    assert api.held == 2
    assert 2 * READ_TIMEOUT <= elapsed < HANG_FOR / 2
    assert (report.sent, report.retried) == (0, 1)
    assert states(engine, customer) == ["pending"] * 3
    first = outbox_rows(engine, customer)[0]
    assert first.attempts == 1
    assert "no answer within 0.3 s" in (first.last_error or "")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(
        "…0001" in line and "timed out: no answer within 0.3 s" in line and "retry 1 in" in line
        for line in warnings
    ), warnings
    assert customer not in caplog.text

    api.hanging = set()  # the API answers again
    send_until_done(sender, engine, clock)

    assert states(engine, customer) == ["sent"] * 3
    assert api.texts_to(customer) == ["first", "second", "third"]


@pytest.mark.parametrize("concurrency", [1, 4], ids=["one-at-a-time", "in-parallel"])
def test_a_timeout_mid_burst_holds_up_only_the_contacts_it_hit(
    engine: Engine, api: HangingGraph, cloud: CloudClient, concurrency: int
) -> None:
    for n, customer in enumerate(CUSTOMERS):
        seed(engine, customer, f"{n}: one", f"{n}: two")
    stuck, served = CUSTOMERS[::2], CUSTOMERS[1::2]
    api.hanging = set(stuck)
    clock = Clock(T0)
    sender = OutboxSender(engine, cloud, clock=clock, rand=lambda: 0.0, concurrency=concurrency)

    report = sender.drain()

    # the others were served in the same burst, while the stuck ones wait for their retry
    assert report.sent == 4
    assert report.retried == 2
    for customer in served:
        assert states(engine, customer) == ["sent", "sent"]
    for customer in stuck:
        assert states(engine, customer) == ["pending", "pending"]
        assert api.texts_to(customer) == []

    api.hanging = set()
    send_until_done(sender, engine, clock)

    for n, customer in enumerate(CUSTOMERS):
        assert states(engine, customer) == ["sent", "sent"]
        assert api.texts_to(customer) == [f"{n}: one", f"{n}: two"]
