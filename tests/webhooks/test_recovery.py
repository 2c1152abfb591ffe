"""Issue 13's crash test and graceful shutdown, on the real server as a subprocess.

The README's production command (``gunicorn -c python:webhooks.gunicorn_conf -w 2 --threads 8``)
serves signed webhooks from several customers while the mock Cloud API, on a loopback port in this
process, holds each answer a moment so sends are in flight. Killed with SIGKILL mid-load (the whole
process group) and restarted, the server answers every acknowledged message, the last reply
within 10 s of the restart: the restart takes the dead workers' claims over at once instead of
waiting for their 120-second lease. Stopped with SIGTERM (gunicorn, and ``waflow run``) while a
slow hook runs, the turn finishes and its reply is sent before the process exits.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot import simulate
from storage.db import make_engine, read_session
from storage.models import InboundUpdate, OutboxMessage, SenderProcess
from webhooks._serve import ServerHandle, serve_in_thread
from webhooks.mockgraph import MockGraphStore, create_mock_graph_app, mock_store
from webhooks.signature import sign

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "recovery-test-token"
SECRET = "recovery-test-secret"
CUSTOMERS = 12
HELD = 0.3
"""Seconds the mock holds each send's answer: sends are in flight when the server is killed."""
RECOVERY_BOUND = 10.0
"""The issue's bound: the last reply within this many seconds of the restart."""

SLOW_FLOW = """\
schema: 1
flow: slow
version: 1
start: work
triggers: {default: true}
slots: {done: string}
states:
  work:
    run: slow.work
    save: done
    next: reply
  reply:
    say: "Finished {{ slots.done }}"
    end: true
"""
SLOW_HOOKS = """\
import os
import time
from pathlib import Path

import flows

hooks = flows.Hooks()


@hooks.action("slow.work")
def work(ctx):
    Path(os.environ["SLOW_MARKER"]).write_text("started")
    time.sleep(3)
    return "the slow work"
"""


class HeldAnswers:
    """WSGI middleware: every send reaches the mock (it is recorded) and its answer waits ``HELD``."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        answer = b"".join(self.app(environ, start_response))
        if environ["PATH_INFO"].endswith("/messages"):
            time.sleep(HELD)
        return [answer]


@pytest.fixture
def mock() -> Iterator[tuple[ServerHandle, MockGraphStore]]:
    app = create_mock_graph_app(access_token=TOKEN)
    app.wsgi_app = HeldAnswers(app.wsgi_app)  # type: ignore[method-assign]
    with serve_in_thread(app) as handle:
        yield handle, mock_store(app)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(db_url: str, mock_url: str, **extra: str) -> dict[str, str]:
    kept = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("WAFLOW_", "WHATSAPP_", "DATABASE_URL"))
    }
    return {
        **kept,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": db_url,
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": simulate.DEFAULT_PHONE_NUMBER_ID,
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_API_BASE_URL": mock_url,
        "WAFLOW_READ_RECEIPTS": "off",
        **extra,
    }


class Server:
    """The bot's server as a process group of its own, logging to a file."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        with log.open("ab") as out:
            self.proc = subprocess.Popen(  # noqa: S603 - our own command
                argv,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @classmethod
    def gunicorn(cls, env: dict[str, str], log: Path) -> Server:
        port = free_port()
        argv = [
            sys.executable, "-m", "gunicorn", "-c", "python:webhooks.gunicorn_conf",
            "-w", "2", "--threads", "8",
            "-b", f"127.0.0.1:{port}", "webhooks.bootstrap:app_from_env()",
        ]  # fmt: skip
        return cls(argv, env, log, port)

    @classmethod
    def waflow_run(cls, env: dict[str, str], log: Path) -> Server:
        port = free_port()
        code = "from webhooks.cli import main; main()"
        return cls([sys.executable, "-c", code, "run", "--port", str(port)], env, log, port)

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.tail()
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.05)
        raise AssertionError(f"the server did not start:\n{self.tail()}")

    def post(self, body: dict[str, Any]) -> int:
        raw = json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - our loopback server
            self.url + "/webhook",
            data=raw,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, SECRET)},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                return int(answer.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)
        except OSError:
            return 0  # killed: no answer

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    """Whatever servers a test starts are killed at its end, however it ends."""
    started: list[Server] = []
    yield started
    for server in started:
        server.kill()


def until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout:.0f} s: {what}"
        time.sleep(0.05)


def sent_to(store: MockGraphStore) -> list[Any]:
    return [r for r in store.requests() if r.kind == "message" and r.status == 200]


# -- the crash test -------------------------------------------------------------------------


def test_a_server_killed_mid_load_answers_every_acknowledged_message_soon_after_restart(
    engine: Engine,
    db_url: str,
    mock: tuple[ServerHandle, MockGraphStore],
    servers: list[Server],
    tmp_path: Path,
) -> None:
    handle, store = mock
    env = environment(db_url, handle.url)
    log = tmp_path / "server.log"
    first = Server.gunicorn(env, log)
    servers.append(first)
    first.wait_ready()

    acknowledged: list[tuple[str, str]] = []  # (wa_id, message id) answered 200
    refused: list[int] = []  # answers other than 200 before the kill: there must be none
    lock, killed = threading.Lock(), threading.Event()

    def customer(n: int) -> None:
        """Write, wait for the answer (or a few seconds), write again: a conversation."""
        wa_id = f"4917000{n:05d}"
        for i in range(1000):
            answers = len(store.requests(to=wa_id))
            wamid = simulate.new_wamid()
            status = first.post(simulate.text(wa_id, f"hello {i}", msg_id=wamid))
            if status != 200:
                if not (killed.is_set() or status == 0):
                    refused.append(status)
                return
            with lock:
                acknowledged.append((wa_id, wamid))
            deadline = time.monotonic() + 3
            while len(store.requests(to=wa_id)) == answers and time.monotonic() < deadline:
                if killed.wait(0.02):
                    return

    load = [threading.Thread(target=customer, args=(n,)) for n in range(CUSTOMERS)]
    for thread in load:
        thread.start()
    try:  # mid-load: many messages acknowledged, replies going out, some of them in flight
        until(lambda: len(sent_to(store)) >= 30 and len(acknowledged) >= 60, 30, "load under way")
    finally:
        first.kill()
        killed.set()
        for thread in load:
            thread.join(15)
    assert refused == []
    with read_session(engine) as session:
        unsent = session.exec(select(OutboxMessage).where(OutboxMessage.state == "pending")).all()
        claimed = [row for row in unsent if row.lease is not None]
        processed = len(
            session.exec(select(InboundUpdate).where(InboundUpdate.state == "done")).all()
        )
    assert claimed, "no send was in flight when the server was killed"
    assert processed < len(acknowledged) or unsent, "the load was over before the kill"

    restarted_at = time.time()
    second = Server.gunicorn(env, log)
    servers.append(second)

    def all_answered() -> bool:
        """Every acknowledged message processed, its reply sent, nothing else left to send."""
        with read_session(engine) as session:
            inbound = session.exec(select(InboundUpdate).where(InboundUpdate.kind == "message"))
            ids = {row.dedupe_key: row.id for row in inbound if row.state == "done"}
            outbox = session.exec(select(OutboxMessage)).all()
        replied = {row.inbound_id for row in outbox if row.state == "sent"}
        answered = all(
            any(wamid in key and ids[key] in replied for key in ids) for _, wamid in acknowledged
        )
        return answered and all(row.state == "sent" for row in outbox)

    until(all_answered, 30, "every acknowledged message answered after the restart")
    last_reply = max(r.received_at for r in sent_to(store))
    recovery = last_reply - restarted_at
    print(f"\nrecovery: last reply {recovery:.2f} s after the restart", file=sys.stderr)
    assert recovery <= RECOVERY_BOUND, second.tail()

    # Every reply reached its customer (at least once: those in flight at the kill went twice).
    with read_session(engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
    queued = Counter(row.wa_id for row in rows)
    received = Counter(r.to for r in sent_to(store))
    assert all(received[wa_id] >= count for wa_id, count in queued.items())
    assert {wa_id for wa_id, _ in acknowledged} <= set(queued)


# -- graceful shutdown ----------------------------------------------------------------------


@pytest.mark.parametrize("start", [Server.gunicorn, Server.waflow_run], ids=["gunicorn", "run"])
def test_sigterm_finishes_the_turn_in_progress_and_sends_its_reply(
    start: Callable[[dict[str, str], Path], Server],
    mock: tuple[ServerHandle, MockGraphStore],
    servers: list[Server],
    tmp_path: Path,
) -> None:
    handle, store = mock
    (tmp_path / "slow.yaml").write_text(SLOW_FLOW, encoding="utf-8")
    (tmp_path / "hooks.py").write_text(SLOW_HOOKS, encoding="utf-8")
    marker = tmp_path / "started"
    database = f"sqlite:///{tmp_path / 'waflow.db'}"
    env = environment(
        database,
        handle.url,
        WAFLOW_FLOWS=str(tmp_path / "slow.yaml"),
        WAFLOW_HOOKS=str(tmp_path / "hooks.py"),
        SLOW_MARKER=str(marker),
    )
    server = start(env, tmp_path / "server.log")
    servers.append(server)
    server.wait_ready()

    assert server.post(simulate.text("491700000042", "go")) == 200
    until(marker.exists, 20, "the slow turn started")
    os.kill(server.proc.pid, signal.SIGTERM)  # what docker stop and systemd send
    server.proc.wait(30)

    assert [r.json["text"]["body"] for r in sent_to(store)] == ["Finished the slow work"]
    assert server.proc.returncode == 0, server.tail()
    engine = make_engine(database)
    with read_session(engine) as session:
        assert session.exec(select(SenderProcess)).all() == []  # unregistered: nothing claimed
        assert {row.state for row in session.exec(select(OutboxMessage))} == {"sent"}
    engine.dispose()
