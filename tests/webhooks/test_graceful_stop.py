"""SIGTERM under load, on the real server: every turn that ran has its replies sent.

``gunicorn`` (README's production command) serves a burst of signed webhooks from several
customers while the mock Cloud API holds each answer a moment; SIGTERM reaches it with turns
running and replies queued. Each worker stops its runtime from gunicorn's ``worker_exit`` hook,
before the interpreter shuts down the sender's thread pools: the replies of every turn that ran
go out, what was not processed stays pending for the next start, and nothing fails on the way.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

from sqlmodel import select

from bot import simulate
from storage.db import make_engine, read_session
from storage.models import InboundUpdate, OutboxMessage, SenderProcess
from tests.webhooks.test_recovery import (
    MockGraphStore,
    Server,
    ServerHandle,
    environment,
    sent_to,
    until,
)
from tests.webhooks.test_recovery import mock as mock
from tests.webhooks.test_recovery import servers as servers

CUSTOMERS = 12
MESSAGES = 5  # each


def test_sigterm_under_load_sends_the_reply_of_every_turn_that_ran(
    mock: tuple[ServerHandle, MockGraphStore], servers: list[Server], tmp_path: Path
) -> None:
    handle, store = mock
    database = f"sqlite:///{tmp_path / 'waflow.db'}"
    server = Server.gunicorn(environment(database, handle.url), tmp_path / "server.log")
    servers.append(server)
    server.wait_ready()

    def customer(n: int) -> None:
        for i in range(MESSAGES):
            assert server.post(simulate.text(f"4917100{n:05d}", f"hello {i}")) == 200

    burst = [threading.Thread(target=customer, args=(n,)) for n in range(CUSTOMERS)]
    for thread in burst:
        thread.start()
    for thread in burst:
        thread.join(30)
    until(lambda: len(sent_to(store)) >= 5, 30, "replies going out")
    os.kill(server.proc.pid, signal.SIGTERM)  # what docker stop and systemd send
    server.proc.wait(60)

    log = server.tail()
    assert server.proc.returncode == 0, log
    assert "ERROR" not in log, log
    assert "Traceback" not in log, log
    engine = make_engine(database)
    with read_session(engine) as session:
        done = session.exec(select(InboundUpdate.id).where(InboundUpdate.state == "done")).all()
        states = [row.state for row in session.exec(select(OutboxMessage))]
        assert session.exec(select(SenderProcess)).all() == []  # unregistered: nothing claimed
    engine.dispose()
    assert done, "no turn ran before the stop"
    assert states, "no reply was queued"
    assert set(states) == {"sent"}, states  # every turn that ran was answered
    assert len(sent_to(store)) == len(states)
