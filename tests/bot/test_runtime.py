"""The runtime end to end: accept → process → send, inline and in background threads.

Runs against a SQLite file and PostgreSQL through the ``engine`` fixture, with the Graph API
mocked by the ``sent`` fixture. Background threads are waited for by bounded polling only; no
assertion depends on timing.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import select

from bot import messages, simulate
from bot._contact_queue import ContactQueue
from bot.client import CloudClient, SandboxClient, SendResult
from bot.config import Config
from bot.errors import ConfigError, PairRateLimitError
from bot.processing import DEFAULT_APOLOGY, Processor
from bot.runtime import Runtime
from bot.sending import outbox_rows
from bot.starter import StarterHandler
from bot.turn import Turn
from storage import outbox
from storage.db import create_schema, make_engine, read_session, transaction
from storage.models import Contact, SenderProcess, utcnow
from tests.helpers import pending_count, stored_updates
from webhooks.app import create_app
from webhooks.signature import sign

CONTACTS = [f"1555010{n:04d}" for n in range(5)]
PER_CONTACT = 6
DEADLINE = 20.0  # seconds: generous upper bound for the background threads to finish


class Echo:
    """Answers ``re: <text>``.

    For texts listed in ``gates`` the worker then blocks, after the commit (so no database lock
    is held, which on SQLite would stop every writer), until the test opens the gate.
    """

    def __init__(self) -> None:
        self.gates: dict[str, threading.Event] = {}
        self.entered: dict[str, threading.Event] = {}

    def gate(self, body: str) -> threading.Event:
        self.entered[body] = threading.Event()
        self.gates[body] = threading.Event()
        return self.gates[body]

    def handle(self, turn: Turn) -> None:
        body = turn.message.text_value or ""
        if body in self.gates:
            entered, gate = self.entered[body], self.gates[body]

            def hold() -> None:
                entered.set()
                gate.wait(DEADLINE)

            turn.after_commit.append(hold)
        turn.reply(messages.text(turn.contact.wa_id, f"re: {body}"))


def wait_until(condition: Callable[[], bool], timeout: float = DEADLINE) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def waflow_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("waflow-") and t.is_alive()]


def replies(sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages among the Graph calls (read receipts have no ``to``)."""
    return [body for body in list(sent) if "to" in body]


def replies_to(sent: list[dict[str, Any]], wa_id: str) -> list[str]:
    return [body["text"]["body"] for body in replies(sent) if body["to"] == wa_id]


@pytest.fixture
def echo() -> Echo:
    return Echo()


@pytest.fixture
def make_runtime(
    engine: Engine, cloud_client: CloudClient, echo: Echo, sent: list[dict[str, Any]]
) -> Iterator[Callable[..., Runtime]]:
    """Build runtimes on the test database; every one is stopped at the end of the test."""
    made: list[Runtime] = []

    def make(**options: Any) -> Runtime:
        settings: dict[str, Any] = {"inline": False, "workers": 4, "sweep_interval": 0.05}
        runtime = Runtime(
            engine=engine, handler=echo, client=cloud_client, **{**settings, **options}
        )
        made.append(runtime)
        return runtime

    yield make
    for gate in echo.gates.values():
        gate.set()
    for runtime in made:
        runtime.stop()


def feed_through_accept(runtime: Runtime, app: Flask, config: Config) -> None:
    """All messages through ``runtime.accept``, contacts interleaved, from one thread."""
    for i in range(PER_CONTACT):
        for wa_id in CONTACTS:
            runtime.accept(simulate.text(wa_id, f"{wa_id}#{i}"))


def feed_through_flask_threads(runtime: Runtime, app: Flask, config: Config) -> None:
    """Signed POSTs from one thread per contact, all threads at once."""
    start = threading.Barrier(len(CONTACTS))
    statuses: list[int] = []

    def customer(wa_id: str) -> None:
        client = app.test_client()
        start.wait(timeout=DEADLINE)
        for i in range(PER_CONTACT):
            raw = json.dumps(simulate.text(wa_id, f"{wa_id}#{i}")).encode()
            response = client.post(
                "/webhook",
                data=raw,
                headers={
                    "Content-Type": "application/json",
                    "X-Hub-Signature-256": sign(raw, config.app_secret),
                },
            )
            statuses.append(response.status_code)

    threads = [threading.Thread(target=customer, args=(wa_id,)) for wa_id in CONTACTS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=DEADLINE)
    assert statuses == [200] * (len(CONTACTS) * PER_CONTACT)


@pytest.mark.parametrize(
    "feed", [feed_through_accept, feed_through_flask_threads], ids=["accept", "flask-threads"]
)
@pytest.mark.parametrize("inline", [False, True], ids=["background", "inline"])
def test_every_message_is_answered_once_in_order(
    engine: Engine,
    make_runtime: Callable[..., Runtime],
    sent: list[dict[str, Any]],
    config: Config,
    inline: bool,
    feed: Callable[[Runtime, Flask, Config], None],
) -> None:
    total = len(CONTACTS) * PER_CONTACT
    runtime = make_runtime(inline=inline)
    app = create_app(runtime, app_secret=config.app_secret, verify_token=config.verify_token)
    runtime.start()

    feed(runtime, app, config)

    finished = wait_until(
        lambda: (
            len(replies(sent)) >= total
            and pending_count(engine) == 0
            and all(row.state == "sent" for row in outbox_rows(engine))
        )
    )
    runtime.stop()

    assert finished
    assert waflow_threads() == []
    assert [row.state for row in stored_updates(engine)] == ["done"] * total
    assert sorted(body["text"]["body"] for body in replies(sent)) == sorted(
        f"re: {wa_id}#{i}" for wa_id in CONTACTS for i in range(PER_CONTACT)
    )
    assert {wa_id: replies_to(sent, wa_id) for wa_id in CONTACTS} == {
        wa_id: [f"re: {wa_id}#{i}" for i in range(PER_CONTACT)] for wa_id in CONTACTS
    }


@pytest.fixture
def other_process(db_url: str, echo: Echo) -> Iterator[Processor]:
    """Another process's webhook receiver on the same database: it stores, never notifies us."""
    other = make_engine(db_url)
    yield Processor(other, echo)
    other.dispose()


@pytest.mark.parametrize("before_start", [True, False], ids=["before-start", "while-running"])
def test_sweeper_picks_up_updates_stored_by_another_process(
    make_runtime: Callable[..., Runtime],
    other_process: Processor,
    sent: list[dict[str, Any]],
    before_start: bool,
) -> None:
    runtime = make_runtime()
    wa_id = CONTACTS[0]
    if before_start:
        other_process.ingest(simulate.text(wa_id, "stored while we were down"))
        runtime.start()
    else:
        runtime.start()
        other_process.ingest(simulate.text(wa_id, "stored next door"))

    answered = wait_until(lambda: len(replies(sent)) == 1)
    runtime.stop()

    assert answered
    expected = "stored while we were down" if before_start else "stored next door"
    assert replies_to(sent, wa_id) == [f"re: {expected}"]


def test_stop_lets_work_in_progress_finish_and_keeps_what_arrives_meanwhile(
    engine: Engine, make_runtime: Callable[..., Runtime], echo: Echo, sent: list[dict[str, Any]]
) -> None:
    first, second = CONTACTS[0], CONTACTS[1]
    release = echo.gate("slow")
    runtime = make_runtime(workers=1, sweep_interval=60.0)
    runtime.start()
    runtime.accept(simulate.text(first, "slow"))
    assert echo.entered["slow"].wait(DEADLINE)

    stopper = threading.Thread(target=runtime.stop)
    stopper.start()
    # Wait until stop() has closed the contact queue (private: the moment the race opens).
    assert wait_until(lambda: runtime._queue.closed)
    # A webhook arriving now must not fail: its update is stored, the next start() serves it.
    result = runtime.accept(simulate.text(second, "during stop"))
    release.set()
    stopper.join(DEADLINE)

    assert not stopper.is_alive()
    assert result.stored == 1
    assert waflow_threads() == []
    done = {row.wa_id: row.state for row in stored_updates(engine)}
    assert done == {first: "done", second: "pending"}

    runtime.start()
    answered = wait_until(lambda: replies_to(sent, second) == ["re: during stop"])
    runtime.stop()

    assert answered
    assert replies_to(sent, first) == ["re: slow"]


# -- what background mode refuses, and what it does while idle ---------------------------------


def test_background_mode_refuses_an_in_memory_database() -> None:
    engine = make_engine("sqlite://")
    create_schema(engine)
    client = SandboxClient()

    with pytest.raises(ConfigError, match="in-memory SQLite"):
        Runtime(engine=engine, handler=StarterHandler(), client=client).start()

    inline = Runtime(engine=engine, handler=StarterHandler(), client=client, inline=True)
    inline.start()  # inline mode runs on the caller's thread: fine
    inline.accept(simulate.text(CONTACTS[0], "hi"))
    assert len(client.sent) == 1
    assert waflow_threads() == []


def test_periodic_tasks_run_in_the_background_and_a_failing_one_stops_no_other(
    make_runtime: Callable[..., Runtime], caplog: pytest.LogCaptureFixture
) -> None:
    runs: list[str] = []

    def broken(now: Any) -> bool:
        runs.append("broken")
        raise RuntimeError("boom")

    def queues(now: Any) -> bool:
        runs.append("queues")
        return True

    runtime = make_runtime(tasks=(broken, queues), task_interval=0.05)
    runtime.start()

    assert wait_until(lambda: runs.count("queues") >= 2)
    assert runs[:2] == ["broken", "queues"]
    assert "periodic task" in caplog.text
    assert "failed; it runs again next time" in caplog.text


class PairLimited(SandboxClient):
    """Meta answers 131056 (pair rate limit) to every send."""

    def send(self, payload: dict[str, Any]) -> SendResult:
        raise PairRateLimitError("pair rate limit", code=131056)


@pytest.fixture
def claims(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """When the sender claimed (a write transaction each), counted from now."""
    seen: list[float] = []
    real = outbox.claim

    def counting(*args: Any, **kwargs: Any) -> Any:
        seen.append(time.monotonic())
        return real(*args, **kwargs)

    monkeypatch.setattr(outbox, "claim", counting)
    return seen


@pytest.mark.parametrize("queued", [0, 2], ids=["nothing-queued", "head-backing-off"])
def test_the_sender_waits_instead_of_polling(
    engine: Engine, claims: list[float], queued: int
) -> None:
    wa_id = CONTACTS[0]
    with transaction(engine) as session:
        session.add(Contact(wa_id=wa_id, last_inbound_at=utcnow()))
        outbox.enqueue(session, wa_id, [messages.text(wa_id, f"part {i}") for i in range(queued)])
    runtime = Runtime(engine=engine, handler=Echo(), client=PairLimited(), sweep_interval=60.0)
    runtime.start()
    try:
        time.sleep(1.5)  # the head, if any, backs off for 4-5 s: nothing is due meanwhile
    finally:
        runtime.stop()

    # One pass at start (it sends the head, which backs off), then a wake-up a second at most;
    # "part 1" queued behind the head must not make the sender poll every 10 ms.
    assert 1 <= len(claims) <= 4
    if queued:
        rows = outbox_rows(engine)
        assert [(r.state, r.attempts) for r in rows] == [("pending", 1), ("pending", 0)]


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(OperationalError("UPDATE", {}, Exception("database is locked")), id="locked"),
        pytest.param(
            ProgrammingError("SELECT", {}, Exception("permission denied for table waflow_order")),
            id="42501-grant",  # not the data's fault: waited out, not apologised for
        ),
    ],
)
def test_a_database_failure_in_a_turn_not_caused_by_the_data_is_retried_in_the_background(
    engine: Engine,
    make_runtime: Callable[..., Runtime],
    echo: Echo,
    sent: list[dict[str, Any]],
    failure: Exception,
) -> None:
    failures = [failure]
    real = echo.handle

    def flaky(turn: Turn) -> None:
        if failures:
            raise failures.pop()
        real(turn)

    echo.handle = flaky  # type: ignore[method-assign]
    runtime = make_runtime()
    runtime.start()
    runtime.accept(simulate.text(CONTACTS[0], "hello"))

    answered = wait_until(lambda: replies_to(sent, CONTACTS[0]) == ["re: hello"])
    runtime.stop()

    assert answered
    assert [row.state for row in stored_updates(engine)] == ["done"]
    assert DEFAULT_APOLOGY not in replies_to(sent, CONTACTS[0])


# -- the contact queue behind background mode ---------------------------------------------------


def test_a_contact_is_never_handed_to_two_workers_and_a_mid_turn_update_is_not_lost() -> None:
    queue = ContactQueue()
    a, b = CONTACTS[0], CONTACTS[1]
    queue.put(a)
    queue.put(b)
    queue.put(a)  # already queued: once is enough

    assert queue.take(8) == [a, b]
    queue.put(a)  # a new update while a's turn runs
    assert len(queue) == 0  # not handed out again meanwhile
    queue.done(b, more=False)
    queue.done(a, more=False)

    assert queue.take(8) == [a]  # a is drained again for the update that arrived mid-turn


def test_a_closed_queue_refuses_new_contacts_but_drains_those_in_progress() -> None:
    queue = ContactQueue()
    a, b = CONTACTS[0], CONTACTS[1]
    queue.put(a)
    assert queue.take(1) == [a]

    queue.close()

    assert queue.put(b) is False  # stored, not scheduled: the next start's sweep finds it
    queue.done(a, more=True)  # work in progress finishes its contact
    assert queue.take(1) == [a]
    queue.done(a, more=False)
    assert queue.take(1) is None  # closed and empty: the worker leaves


def test_one_processing_thread_by_default_on_sqlite_four_on_postgresql(engine: Engine) -> None:
    runtime = Runtime(engine=engine, handler=Echo(), client=SandboxClient())
    pinned = Runtime(engine=engine, handler=Echo(), client=SandboxClient(), workers=3)

    assert runtime.worker_count == (1 if engine.dialect.name == "sqlite" else 4)
    assert pinned.worker_count == 3


def test_stop_sends_the_reply_of_a_turn_that_ends_while_stopping_and_frees_its_claims(
    engine: Engine, cloud_client: CloudClient, sent: list[dict[str, Any]]
) -> None:
    entered, release = threading.Event(), threading.Event()

    class Slow:
        """Blocks inside the turn (its transaction open) until released."""

        def handle(self, turn: Turn) -> None:
            entered.set()
            release.wait(DEADLINE)
            turn.reply(messages.text(turn.contact.wa_id, "finished"))

    runtime = Runtime(
        engine=engine, handler=Slow(), client=cloud_client, workers=1, sweep_interval=60.0
    )
    runtime.start()
    with read_session(engine) as session:
        registered = session.exec(select(SenderProcess)).all()
    runtime.accept(simulate.text(CONTACTS[0], "go"))
    assert entered.wait(DEADLINE)

    stopper = threading.Thread(target=runtime.stop)
    stopper.start()
    assert wait_until(lambda: runtime._queue.closed)
    release.set()  # the turn ends after stop() began
    stopper.join(DEADLINE)

    assert not stopper.is_alive()
    assert [row.pid for row in registered] == [os.getpid()]
    assert replies_to(sent, CONTACTS[0]) == ["finished"]
    with read_session(engine) as session:
        assert session.exec(select(SenderProcess)).all() == []  # a clean stop claims nothing
    assert waflow_threads() == []


def test_stop_keeps_the_sender_registered_while_a_send_still_hangs(engine: Engine) -> None:
    entered, release = threading.Event(), threading.Event()

    class Hanging(SandboxClient):
        """A Cloud API call that outlasts the stop's timeout."""

        def send(self, payload: dict[str, Any]) -> SendResult:
            entered.set()
            release.wait(DEADLINE)
            return super().send(payload)

    client = Hanging()
    runtime = Runtime(engine=engine, handler=Echo(), client=client, workers=1, sweep_interval=60.0)
    runtime.start()
    try:
        runtime.accept(simulate.text(CONTACTS[0], "go"))
        assert entered.wait(DEADLINE)

        runtime.stop(timeout=0.2)

        # The send may reach Meta: its claim stays owned, so no sibling sends it again.
        with read_session(engine) as session:
            assert [row.pid for row in session.exec(select(SenderProcess))] == [os.getpid()]
    finally:
        release.set()
    assert wait_until(lambda: waflow_threads() == [])
    assert [body["text"]["body"] for body in client.sent] == ["re: go"]


def test_stop_does_not_wait_for_sends_that_hang_in_the_senders_pool(engine: Engine) -> None:
    """Two contacts' replies go out in parallel, through the sender's thread pool: when both
    calls hang past the timeout, the stop returns all the same (gunicorn would kill it)."""
    entered, release = threading.Semaphore(0), threading.Event()

    class Hanging(SandboxClient):
        def send(self, payload: dict[str, Any]) -> SendResult:
            entered.release()
            release.wait(DEADLINE)
            return super().send(payload)

    client = Hanging()
    runtime = Runtime(engine=engine, handler=Echo(), client=client, workers=1, sweep_interval=60.0)
    for wa_id in CONTACTS[:2]:  # stored before the start: one turn each, both replies due
        runtime.accept(simulate.text(wa_id, "go"))
    runtime.start()
    stopper = threading.Thread(target=runtime.stop, kwargs={"timeout": 0.2})
    try:
        assert entered.acquire(timeout=DEADLINE)
        assert entered.acquire(timeout=DEADLINE)  # both sends are in flight, in the pool

        stopper.start()
        stopper.join(DEADLINE)

        assert not stopper.is_alive(), "the stop waited for the hanging sends"
    finally:
        release.set()
        stopper.join(DEADLINE)
    assert wait_until(lambda: waflow_threads() == [])
