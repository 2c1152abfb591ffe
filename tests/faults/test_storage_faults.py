"""SQLite refusing writes for longer than the busy timeout, and a full disk.

Both are real SQLite failures on a file database: another connection holds the write lock
(``database is locked`` once the busy timeout runs out, shortened here from 30 s to 0.2 s), or
``PRAGMA max_page_count`` caps the file at its size (``database or disk is full``, SQLITE_FULL,
what a full disk gives). The webhook must answer 500 (Meta delivers the body again), the log must
say what happened, and once the database accepts writes again every message is processed and
answered, once.
"""

from __future__ import annotations

import copy
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.test import TestResponse

from bot import messages
from bot.client import SandboxClient, SendResult
from bot.runtime import Runtime
from bot.sending import OutboxSender, outbox_rows
from bot.turn import Turn
from storage.db import is_transient_error, make_engine, reset_schema
from tests.helpers import Clock, load_payload, stored_updates
from webhooks.app import create_app
from webhooks.signature import sign

SECRET = "test-app-secret"
BUSY_MS = 200
UNCAPPED = 1_000_000_000
LONG = "x" * 3000
"""Near a page's size: rows holding it twice or more need new pages, which a full database
cannot add."""
DEADLINE = 30.0
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@dataclass
class Database:
    """A waflow SQLite file whose connections wait ``BUSY_MS`` for the lock and whose size
    ``cap`` limits (in pages; ``None``: unlimited)."""

    path: Path
    engine: Engine
    cap: int | None = None

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Another process's connection holds the write lock meanwhile."""
        holder = sqlite3.connect(self.path, isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")
            yield
        finally:
            holder.rollback()
            holder.close()

    @contextmanager
    def full(self) -> Iterator[None]:
        """The disk is full meanwhile: the file cannot grow by a page."""
        self.cap = 1  # SQLite raises a cap below the file's size to its size
        try:
            yield
        finally:
            self.cap = None


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "waflow.db"
    engine = make_engine(f"sqlite:///{path}")
    found = Database(path, engine)

    @event.listens_for(engine, "connect")
    def _short_busy_timeout(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")

    @event.listens_for(engine, "checkout")
    def _cap(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count={found.cap or UNCAPPED}")

    reset_schema(engine)
    yield found
    engine.dispose()


class LongEcho:
    """Answers each text with three long texts: a turn that needs room in the database."""

    def handle(self, turn: Turn) -> None:
        said = getattr(turn.message, "body", "")[:20]
        for n in (1, 2, 3):
            turn.reply(messages.text(turn.contact.wa_id, f"{said} ({n}): {LONG}"))


def text_from(wa_id: str, n: int, body: str = "", at: datetime | None = None) -> dict[str, Any]:
    """Meta's text message webhook, from ``wa_id``, message ``n``, written ``at`` (now)."""
    payload = copy.deepcopy(load_payload("inbound", "text.json"))
    value = payload["entry"][0]["changes"][0]["value"]
    value["contacts"][0]["wa_id"] = wa_id
    message = value["messages"][0]
    sent_at = int((at or datetime.now(UTC)).timestamp())
    message.update({"from": wa_id, "id": f"wamid.FAULT{wa_id}{n:03d}", "timestamp": str(sent_at)})
    message["text"]["body"] = body or f"message {n}"
    return payload


def poster(client: FlaskClient) -> Callable[[dict[str, Any]], TestResponse]:
    def post(body: dict[str, Any]) -> TestResponse:
        raw = json.dumps(body).encode()
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, SECRET)}
        return client.post("/webhook", data=raw, headers=headers)

    return post


def replies(sandbox: SandboxClient, wa_id: str) -> list[str]:
    """What the replies sent to ``wa_id`` answered, in order (three for each message)."""
    return [p["text"]["body"].split(":")[0] for p in sandbox.sent if p["to"] == wa_id]


def answers(*said: str) -> list[str]:
    return [f"{text} ({n})" for text in said for n in (1, 2, 3)]


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {DEADLINE:.0f} s: {what}")
        time.sleep(0.02)


def logged(caplog: pytest.LogCaptureFixture, level: int, *parts: str) -> bool:
    """Whether one record at ``level`` or above says all of ``parts`` (its traceback included)."""
    for record in list(caplog.records):
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f"\n{record.exc_info[1]}"
        if record.levelno >= level and all(part in text for part in parts):
            return True
    return False


FAULTS = {
    "locked": ("database is locked", Database.locked),
    "disk-full": ("database or disk is full", Database.full),
}


@pytest.fixture(params=list(FAULTS))
def fault(request: pytest.FixtureRequest) -> tuple[str, Callable[[Database], Any]]:
    found: tuple[str, Callable[[Database], Any]] = FAULTS[request.param]
    return found


def test_each_fault_is_a_passing_database_failure(
    db: Database, fault: tuple[str, Callable[[Database], Any]]
) -> None:
    reason, during = fault

    def write() -> None:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE filler (x TEXT)")
            conn.exec_driver_sql("INSERT INTO filler VALUES (?)", (LONG * 2,))

    with during(db), pytest.raises(OperationalError) as info:
        write()
    assert reason in str(info.value)
    assert is_transient_error(info.value)


def test_the_webhook_answers_500_while_the_database_refuses_and_200_when_meta_redelivers(
    db: Database,
    fault: tuple[str, Callable[[Database], Any]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    reason, during = fault
    sandbox = SandboxClient()
    runtime = Runtime(engine=db.engine, handler=LongEcho(), client=sandbox, inline=True)
    app = create_app(runtime, app_secret=SECRET, verify_token="verify-me")
    post = poster(app.test_client())
    customer = "34611000001"
    body = text_from(customer, 1, body=f"big {LONG}{LONG}")

    with during(db):
        refused = post(body)
        health = app.test_client().get("/healthz")

    assert refused.status_code == 500
    assert health.status_code == 200  # reads still work: the app is alive, Meta redelivers
    assert logged(caplog, logging.WARNING, "answering 500", reason)
    assert customer not in caplog.text
    assert stored_updates(db.engine) == []
    assert sandbox.sent == []

    again = post(body)  # Meta's redelivery

    assert again.status_code == 200
    assert [u.state for u in stored_updates(db.engine)] == ["done"]
    assert replies(sandbox, customer) == answers("big " + LONG[:16])


def test_processing_and_sending_wait_out_the_fault_and_lose_nothing(
    db: Database,
    fault: tuple[str, Callable[[Database], Any]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The background runtime: one customer's reply waits in the outbox, another customer's
    message waits for its turn, when the database starts refusing writes."""
    reason, during = fault
    sandbox = SandboxClient()
    runtime = Runtime(
        engine=db.engine, handler=LongEcho(), client=sandbox, sweep_interval=0.05, workers=1
    )
    app = create_app(runtime, app_secret=SECRET, verify_token="verify-me")
    post = poster(app.test_client())
    replied, waiting = "34611000002", "34611000003"
    # stored while the runtime is stopped: they stay pending
    assert post(text_from(replied, 1)).status_code == 200
    assert post(text_from(waiting, 1)).status_code == 200
    runtime.processor.process_contact(replied)  # its reply is queued, not sent
    assert [r.state for r in outbox_rows(db.engine)] == ["pending"] * 3

    caplog.set_level(logging.INFO)
    try:
        with during(db):
            runtime.start()
            wait_for(
                lambda: logged(caplog, logging.WARNING, mask_of(waiting), reason),
                "processing logs the fault",
            )
            if reason == "database is locked":
                wait_for(
                    lambda: logged(caplog, logging.WARNING, "sender pass failed", reason),
                    "the sender logs the fault",
                )
                assert sandbox.sent == []
            # a full disk leaves the sender alone: sending only updates rows in place
            assert replies(sandbox, waiting) == []
            assert [u.state for u in stored_updates(db.engine)] == ["done", "pending"]

        wait_for(
            lambda: (
                replies(sandbox, replied) == answers("message 1")
                and replies(sandbox, waiting) == answers("message 1")
            ),
            "both replies sent after the fault",
        )
    finally:
        runtime.stop()

    assert [u.state for u in stored_updates(db.engine)] == ["done", "done"]
    assert [r.state for r in outbox_rows(db.engine)] == ["sent"] * 6
    assert len(sandbox.sent) == 6
    assert replied not in caplog.text
    assert waiting not in caplog.text


def mask_of(wa_id: str) -> str:
    return "…" + wa_id[-4:]


def test_a_refused_turn_is_retried_after_its_back_off_once_the_database_recovers(
    db: Database,
    fault: tuple[str, Callable[[Database], Any]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Step by step on a test clock: the turn fails, is backed off, then succeeds."""
    reason, during = fault
    sandbox = SandboxClient()
    clock = Clock(T0)
    runtime = Runtime(engine=db.engine, handler=LongEcho(), client=sandbox, clock=clock)
    customer = "34611000004"
    runtime.processor.ingest(text_from(customer, 1, at=T0))

    with during(db), pytest.raises(SQLAlchemyError):
        runtime.processor.process_contact(customer)

    assert logged(caplog, logging.WARNING, mask_of(customer), reason)
    (update,) = stored_updates(db.engine)
    assert update.state == "pending"

    clock.now += timedelta(minutes=5)
    assert runtime.processor.process_contact(customer)
    runtime.sender.drain()

    assert [u.state for u in stored_updates(db.engine)] == ["done"]
    assert replies(sandbox, customer) == answers("message 1")


class LockingAfterSend:
    """A sandbox client after whose first send the database locks (as if another process took
    the write lock while the message was in flight)."""

    def __init__(self, db: Database, stack: ExitStack) -> None:
        self.sandbox = SandboxClient()
        self.db = db
        self.stack = stack

    def send(self, payload: dict[str, Any]) -> SendResult:
        result = self.sandbox.send(payload)
        if len(self.sandbox.sent) == 1:
            self.stack.enter_context(self.db.locked())
        return result

    def mark_read(self, message_id: str, *, typing: bool = False) -> bool:
        return self.sandbox.mark_read(message_id, typing=typing)


def test_a_send_whose_outcome_cannot_be_recorded_is_recorded_later_not_sent_again(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    customer = "34611000005"
    clock = Clock(T0)
    runtime = Runtime(engine=db.engine, handler=LongEcho(), client=SandboxClient(), clock=clock)
    runtime.processor.ingest(text_from(customer, 1, at=T0))
    runtime.processor.process_contact(customer)
    with ExitStack() as lock:
        client = LockingAfterSend(db, lock)
        sender = OutboxSender(db.engine, client, clock=clock)
        with pytest.raises(OperationalError, match="database is locked"):
            sender.drain()  # the first reply went out; recording it met the lock
    assert len(client.sandbox.sent) == 1

    for _ in range(5):  # the lock is gone: the sender thread's next passes, over the lease
        sender.drain()
        clock.now += sender.lease

    assert [r.state for r in outbox_rows(db.engine)] == ["sent"] * 3
    assert [p["text"]["body"].split(":")[0] for p in client.sandbox.sent] == answers("message 1")
