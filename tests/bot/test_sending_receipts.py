"""Read receipts and the typing indicator: the outbox's read lane.

A customer message's receipt is queued in the transaction that stores it, reaches the Graph
API before the turn's reply, and never delays, blocks or fails a reply. SQLite and PostgreSQL
through the ``engine`` fixture; the Graph API mocked (``sent``) or a test double.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot import messages, simulate
from bot.client import CloudClient, SandboxClient, SendResult
from bot.config import Config
from bot.errors import ConfigError, GraphError
from bot.processing import Processor
from bot.runtime import Runtime
from bot.sending import OutboxSender, outbox_rows
from bot.turn import Turn
from storage import inbox, outbox
from storage.db import read_session, transaction
from storage.models import ReadReceipt, utcnow
from tests.bot.test_sending import A, B
from tests.helpers import load_payload, process_pending
from webhooks.bootstrap import make_runtime

DEADLINE = 10.0


class Echo:
    """Answers every message with ``re: <text>``."""

    def handle(self, turn: Turn) -> None:
        said = turn.message.text_value or ""
        turn.reply(messages.text(turn.contact.wa_id, f"re: {said}"))


def receipts(engine: Engine) -> list[ReadReceipt]:
    with read_session(engine) as session:
        return list(session.exec(select(ReadReceipt).order_by(col(ReadReceipt.id))))


def count_receipts(engine: Engine) -> int:
    with read_session(engine) as session:
        return int(session.exec(select(func.count()).select_from(ReadReceipt)).one())


def read_body(wamid: str, *, typing: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"messaging_product": "whatsapp", "status": "read", "message_id": wamid}
    if typing:
        body["typing_indicator"] = {"type": "text"}
    return body


def until(done: Callable[[], bool]) -> None:
    """Wait until ``done()`` is true, at most :data:`DEADLINE` seconds."""
    deadline = utcnow() + timedelta(seconds=DEADLINE)
    while utcnow() < deadline and not done():
        threading.Event().wait(0.01)


def run_in_background(runtime: Runtime, body: dict[str, Any], done: Callable[[], bool]) -> None:
    """Start ``runtime``'s workers, accept ``body`` and wait until ``done()``, then stop them."""
    runtime.start()
    try:
        runtime.accept(body)
        until(done)
    finally:
        runtime.stop()


def wamid_of(body: dict[str, Any]) -> str:
    return str(body["entry"][0]["changes"][0]["value"]["messages"][0]["id"])


# -- queued with the message, before its turn ---------------------------------------------------


def test_the_receipt_is_queued_with_the_message_and_reaches_graph_before_the_reply(
    engine: Engine, cloud_client: CloudClient, sent: list[dict[str, Any]]
) -> None:
    processor = Processor(engine, Echo(), read_receipts="typing")
    body = simulate.text(A, "hi")

    assert processor.ingest(body).receipts  # stored: the turn has not run yet
    (queued,) = receipts(engine)
    assert (queued.wa_id, queued.message_id, queued.typing) == (A, wamid_of(body), True)

    sender = OutboxSender(engine, cloud_client)
    sender.drain()  # the running bot's sender, while the turn runs
    sender.close()  # waits for the receipts handed to its threads
    assert sent == [read_body(wamid_of(body), typing=True)]
    assert count_receipts(engine) == 0  # taken: sent at most once

    process_pending(processor)
    sender.drain()
    sender.close()
    assert sent[1:] == [messages.text(A, "re: hi")]
    assert [r.state for r in outbox_rows(engine)] == ["sent"]  # the receipt is not a message


def test_read_marks_without_the_typing_indicator_and_off_queues_nothing(
    engine: Engine, cloud_client: CloudClient, sent: list[dict[str, Any]]
) -> None:
    body = simulate.text(A, "hi")
    Processor(engine, Echo(), read_receipts="read").ingest(body)
    Processor(engine, Echo(), read_receipts="off").ingest(simulate.text(B, "hi"))

    sender = OutboxSender(engine, cloud_client)
    sender.drain()
    sender.close()

    assert sent == [read_body(wamid_of(body), typing=False)]


@pytest.mark.parametrize(
    "body",
    [
        simulate.status("wamid.OUT1", A, "delivered"),
        load_payload("inbound", "smb_message_echo.json"),
        load_payload("inbound", "reaction.json"),
    ],
    ids=["status", "echo", "reaction"],
)
def test_statuses_echoes_and_reactions_queue_no_receipt(
    engine: Engine, body: dict[str, Any]
) -> None:
    result = Processor(engine, Echo(), read_receipts="typing").ingest(body)

    assert result.stored == 1
    assert count_receipts(engine) == 0
    if "statuses" in str(body) or "message_echoes" in str(body):
        assert not result.receipts  # the sender is not woken for nothing


def test_a_garbage_message_id_queues_no_receipt_and_is_still_stored(engine: Engine) -> None:
    body = simulate.message(A, "text", {"body": "hi"}, msg_id="wamid." + "x" * 400)

    result = Processor(engine, Echo(), read_receipts="typing").ingest(body)

    assert (result.stored, count_receipts(engine)) == (1, 0)


def test_a_redelivered_message_queues_no_second_receipt(engine: Engine) -> None:
    processor = Processor(engine, Echo(), read_receipts="typing")
    body = simulate.text(A, "hi")

    processor.ingest(body)
    processor.ingest(body)

    assert count_receipts(engine) == 1


# -- never in a reply's way ---------------------------------------------------------------------


def queue_receipt(engine: Engine, wa_id: str, wamid: str, *, at: datetime | None = None) -> None:
    """A customer message from ``wa_id`` stored (its receipt queued) at ``at``."""
    stored_at = at or utcnow()
    processor = Processor(engine, Echo(), clock=lambda: stored_at, read_receipts="typing")
    processor.ingest(simulate.message(wa_id, "text", {"body": "hi"}, msg_id=wamid))


def queue_reply(engine: Engine, wa_id: str, body: str) -> None:
    with transaction(engine) as session:
        contact = inbox.lock_contact(session, wa_id)
        contact.last_inbound_at = utcnow()
        session.add(contact)
        outbox.enqueue(session, wa_id, [messages.text(wa_id, body)])


class SlowReader:
    """Sends replies at once; ``mark_read`` waits for ``release`` (or raises ``error``)."""

    def __init__(self, error: Exception | None = None) -> None:
        self.release = threading.Event()
        self.reading = threading.Event()
        self.error = error
        self.sent: list[dict[str, Any]] = []
        self.read: list[tuple[str, bool]] = []

    def send(self, payload: dict[str, Any]) -> SendResult:
        self.sent.append(payload)
        return SendResult(f"wamid.OUT{len(self.sent)}", str(payload["to"]), "accepted", {})

    def mark_read(self, message_id: str, *, typing: bool = False) -> bool:
        self.reading.set()
        if self.error is not None:
            raise self.error
        assert self.release.wait(DEADLINE)
        self.read.append((message_id, typing))
        return True


def test_a_slow_read_receipt_does_not_delay_the_reply(engine: Engine) -> None:
    queue_receipt(engine, A, "wamid.IN1")
    queue_reply(engine, A, "hello")
    client = SlowReader()
    sender = OutboxSender(engine, client)

    report = sender.drain()  # returns while the receipt's call is still hanging

    assert client.reading.wait(DEADLINE)
    assert (report.sent, [b["text"]["body"] for b in client.sent]) == (1, ["hello"])
    assert client.read == []
    client.release.set()
    sender.close()
    assert client.read == [("wamid.IN1", False)]  # a reply was queued: no typing indicator


@pytest.mark.parametrize(
    "error",
    [GraphError("token expired", code=190), GraphError("rate", code=130429), RuntimeError("bug")],
    ids=["account-error", "throttled", "client-bug"],
)
def test_a_failing_read_receipt_pauses_nothing_fails_nothing_and_is_not_retried(
    engine: Engine, error: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="bot.sending")
    queue_receipt(engine, A, "wamid.IN1")
    client = SlowReader(error)
    sender = OutboxSender(engine, client)

    sender.drain()
    sender.close()
    queue_reply(engine, A, "hello")
    report = sender.drain()

    assert (report.sent, sender.paused_for()) == (1, 0.0)
    assert [r.state for r in outbox_rows(engine)] == ["sent"]
    assert count_receipts(engine) == 0  # not retried
    assert "read receipt for" in caplog.text
    assert A not in caplog.text  # masked


def test_stale_answered_and_paused_receipts_are_dropped_and_only_the_newest_goes(
    engine: Engine,
) -> None:
    now = utcnow()
    c, d = "15550000003", "15550000004"
    queue_receipt(engine, A, "wamid.OLD", at=now - timedelta(seconds=30))  # stale
    queue_receipt(engine, B, "wamid.B1", at=now - timedelta(seconds=5))
    queue_receipt(engine, B, "wamid.B2", at=now - timedelta(seconds=4))  # marks B1 read too
    queue_receipt(engine, c, "wamid.C1", at=now - timedelta(seconds=5))
    queue_receipt(engine, d, "wamid.D1", at=now - timedelta(seconds=5))
    with transaction(engine) as session:
        contact = inbox.lock_contact(session, d)
        contact.paused = True  # a person answers: they read it
        session.add(contact)
    queue_reply(engine, c, "already answered")
    client = SlowReader()
    client.release.set()
    sender = OutboxSender(engine, client)
    sender.drain()  # sends C's reply; its receipt is taken in the same pass, reply queued
    sender.close()

    assert sorted(client.read) == [("wamid.B2", True), ("wamid.C1", False)]
    assert count_receipts(engine) == 0


def test_a_receipt_taken_before_a_reply_went_out_loses_its_typing_indicator(
    engine: Engine,
) -> None:
    queue_receipt(engine, A, "wamid.IN1")
    client = SlowReader()
    sender = OutboxSender(engine, client)
    with transaction(engine) as session:
        (taken,) = outbox.take_receipts(session, utcnow())
    assert taken.typing

    sender._note_reply(A, utcnow())  # the reply starts going out before the receipt's call
    client.release.set()
    sender._mark_read(taken)

    assert client.read == [("wamid.IN1", False)]


# -- the runtime: background sends them while the turn runs, inline sends none --------------------


class WaitsForTheReceipt:
    """A turn that answers only once the Graph API has seen the message's receipt."""

    def __init__(self, sent: list[dict[str, Any]]) -> None:
        self.sent = sent
        self.saw: list[bool] = []

    def handle(self, turn: Turn) -> None:
        until(lambda: any(b.get("status") == "read" for b in self.sent))
        self.saw.append(any(b.get("status") == "read" for b in self.sent))
        turn.reply(messages.text(turn.contact.wa_id, "answer"))


# PostgreSQL only: on SQLite the one write lock keeps the sender waiting while a turn writes.
@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_in_the_background_the_receipt_goes_out_while_the_turn_runs(
    engine: Engine, cloud_client: CloudClient, sent: list[dict[str, Any]]
) -> None:
    handler = WaitsForTheReceipt(sent)
    body = simulate.text(A, "hi")
    runtime = Runtime(engine=engine, handler=handler, client=cloud_client, sweep_interval=0.05)
    run_in_background(runtime, body, lambda: len(sent) >= 2)

    assert handler.saw == [True]
    assert sent == [read_body(wamid_of(body), typing=True), messages.text(A, "answer")]


def test_in_the_background_the_receipt_and_the_reply_both_go_out(
    engine: Engine, cloud_client: CloudClient, sent: list[dict[str, Any]]
) -> None:
    body = simulate.text(A, "hi")
    runtime = Runtime(engine=engine, handler=Echo(), client=cloud_client, sweep_interval=0.05)
    run_in_background(runtime, body, lambda: len(sent) >= 2)

    replies = [b for b in sent if "to" in b]
    marks = [b for b in sent if "to" not in b]
    assert replies == [messages.text(A, "re: hi")]
    assert len(marks) == 1  # with or without typing: the sender may have been first
    assert {k: v for k, v in marks[0].items() if k != "typing_indicator"} == read_body(
        wamid_of(body), typing=False
    )


def test_inline_mode_sends_no_receipt(engine: Engine) -> None:
    client = SandboxClient()
    runtime = Runtime(engine=engine, handler=Echo(), client=client, inline=True)

    runtime.accept(simulate.text(A, "hi"))

    assert [b["text"]["body"] for b in client.sent] == ["re: hi"]
    assert (client.read, count_receipts(engine)) == ([], 0)


# -- the setting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "typing"), ("typing", "typing"), ("read", "read"), (" OFF ", "off")],
)
def test_waflow_read_receipts_setting(value: str | None, expected: str) -> None:
    environ = {} if value is None else {"WAFLOW_READ_RECEIPTS": value}
    config = Config.from_env(environ, dotenv=None)

    config.check()
    assert config.read_receipts == expected


def test_an_unknown_read_receipts_setting_is_refused() -> None:
    config = Config.from_env({"WAFLOW_READ_RECEIPTS": "always"}, dotenv=None)

    with pytest.raises(ConfigError, match="WAFLOW_READ_RECEIPTS must be one of typing, read, off"):
        config.check()


@pytest.mark.parametrize(
    ("value", "inline", "expected"),
    [("read", False, "read"), ("off", False, "off"), (None, False, "typing"), (None, True, "off")],
)
def test_make_runtime_takes_the_setting_and_inline_mode_queues_none(
    engine: Engine, value: str | None, inline: bool, expected: str
) -> None:
    environ = {} if value is None else {"WAFLOW_READ_RECEIPTS": value}
    config = Config.from_env(environ, dotenv=None)

    runtime = make_runtime(config, inline=inline, engine=engine, handler=Echo())

    assert runtime.processor.read_receipts == expected
