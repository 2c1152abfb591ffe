"""Processing survives what the database refuses: oversized identifiers, poison updates, outages,
deadlocks.

A database failure is never the customer's fault. A passing one (lost connection, deadlock,
locked file) leaves the update pending and retries the whole turn later with a growing back-off;
one caused by the data is retried a few times; an update given up either way gets the apology.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError, SQLAlchemyError
from sqlmodel import Session, select

from bot import messages, simulate
from bot.processing import DEFAULT_APOLOGY, MAX_STORAGE_ATTEMPTS, Processor
from bot.sending import outbox_rows
from bot.starter import StarterHandler
from bot.turn import Turn
from storage import inbox
from storage.models import Conversation, InboundUpdate
from tests.helpers import PostWebhook, process_pending, stored_updates

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
A = "15550001111"
B = "15550002222"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def disk_error() -> OperationalError:
    return OperationalError("SELECT", {}, Exception("disk I/O error"))


def bad_value() -> IntegrityError:
    return IntegrityError("INSERT", {}, Exception("CHECK constraint failed"))


def rows(engine: Engine) -> dict[str, InboundUpdate]:
    with Session(engine) as session:
        return {r.dedupe_key: r for r in session.exec(select(InboundUpdate))}


def replies(engine: Engine, wa_id: str) -> list[str]:
    """Each reply's text, or its type when it is not a text (the starter's buttons)."""
    return [
        row.payload.get("text", {}).get("body", row.payload["type"])
        for row in outbox_rows(engine, wa_id)
    ]


def refuse_lock(monkeypatch: pytest.MonkeyPatch, errors: list[SQLAlchemyError]) -> None:
    """``lock_contact`` raises each of ``errors`` in turn, then works again."""
    real_lock = inbox.lock_contact

    def broken_lock(*args: Any, **kwargs: Any) -> Any:
        if errors:
            raise errors.pop(0)
        return real_lock(*args, **kwargs)

    monkeypatch.setattr(inbox, "lock_contact", broken_lock)


def test_oversized_identifiers_from_garbage_are_stored(
    post_webhook: PostWebhook, engine: Engine
) -> None:
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "f" * 300, "value": {"x": 1}}]}],
    }
    response = post_webhook(json.dumps(body).encode())
    assert response.status_code == 200
    with Session(engine) as session:
        row = session.exec(select(InboundUpdate)).one()
    assert row.field == "f" * 64
    assert row.kind == "unknown"
    assert row.value == {"x": 1}


def test_a_poison_update_is_failed_after_a_few_tries_apologised_for_and_unblocks_its_contact(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    processor = Processor(engine, StarterHandler(), clock=clock)
    processor.ingest(simulate.text(A, "first", msg_id="wamid.P1"))
    processor.ingest(simulate.text(A, "second", msg_id="wamid.P2"))
    refuse_lock(monkeypatch, [bad_value() for _ in range(MAX_STORAGE_ATTEMPTS)])

    for _ in range(MAX_STORAGE_ATTEMPTS):
        with pytest.raises(IntegrityError):
            processor.process_one(A)  # a data error: retried at once, no back-off

    done = processor.process_contact(A)

    found = rows(engine)
    assert found["message:wamid.P1"].state == "failed"
    assert found["message:wamid.P1"].attempts == MAX_STORAGE_ATTEMPTS
    assert "CHECK constraint failed" in (found["message:wamid.P1"].error or "")
    assert found["message:wamid.P2"].state == "done"
    assert [d.ok for d in done] == [True]
    assert replies(engine, A)[0] == DEFAULT_APOLOGY  # the given-up message is answered first


def test_a_passing_database_failure_backs_off_and_never_fails_the_update(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    processor = Processor(engine, StarterHandler(), clock=clock)
    processor.ingest(simulate.text(A, "hi", msg_id="wamid.D1"))
    failures = 2 * MAX_STORAGE_ATTEMPTS  # far more than the data-error limit
    refuse_lock(monkeypatch, [disk_error() for _ in range(failures)])

    waits = []
    for _ in range(failures):
        with pytest.raises(OperationalError):
            processor.process_one(A)
        row = rows(engine)["message:wamid.D1"]
        assert row.state == "pending"
        assert row.retry_at is not None
        waits.append((row.retry_at - clock()).total_seconds())
        with Session(engine) as session:
            assert inbox.pending_contacts(session, now=clock()) == []  # not due: backing off
        clock.now = row.retry_at

    (result,) = processor.process_contact(A)

    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300]
    assert result.ok
    row = rows(engine)["message:wamid.D1"]
    assert (row.state, row.retry_at) == ("done", None)
    assert DEFAULT_APOLOGY not in replies(engine, A)


@pytest.mark.parametrize(
    "refusal",
    [
        pytest.param("cannot execute INSERT in a read-only transaction", id="25006-failover"),
        pytest.param("permission denied for table waflow_contact", id="42501-grant"),
        pytest.param('relation "waflow_contact" does not exist', id="42P01-not-upgraded"),
    ],
)
def test_a_database_refusing_for_a_reason_not_in_the_data_is_waited_out(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, refusal: str
) -> None:
    """Not the data's fault: retried with the back-off as long as a passing failure, not
    given up after the few tries a bad value gets (the webhook answers such bodies 500 too)."""
    clock = Clock()
    processor = Processor(engine, StarterHandler(), clock=clock)
    processor.ingest(simulate.text(A, "hi", msg_id="wamid.R1"))
    failures = 2 * MAX_STORAGE_ATTEMPTS
    refuse_lock(monkeypatch, [ProgrammingError("SELECT", {}, Exception(refusal))] * failures)

    for _ in range(failures):
        with pytest.raises(ProgrammingError):
            processor.process_one(A)
        row = rows(engine)["message:wamid.R1"]
        assert (row.state, row.retry_at is not None) == ("pending", True)
        clock.now = row.retry_at or clock.now

    (result,) = processor.process_contact(A)

    assert result.ok
    assert rows(engine)["message:wamid.R1"].state == "done"
    assert DEFAULT_APOLOGY not in replies(engine, A)


def test_an_update_refused_for_too_long_is_given_up_with_an_apology(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    processor = Processor(
        engine, StarterHandler(), clock=clock, storage_retry_for=timedelta(hours=1)
    )
    processor.ingest(simulate.text(A, "hi", msg_id="wamid.G1", timestamp=NOW.timestamp()))
    refuse_lock(monkeypatch, [disk_error() for _ in range(3)])

    with pytest.raises(OperationalError):
        processor.process_one(A)
    clock.advance(minutes=59, seconds=59)
    with pytest.raises(OperationalError):
        processor.process_one(A)
    assert rows(engine)["message:wamid.G1"].state == "pending"
    clock.advance(seconds=1)
    with pytest.raises(OperationalError):
        processor.process_one(A)

    row = rows(engine)["message:wamid.G1"]
    assert (row.state, row.attempts) == ("failed", 3)
    assert replies(engine, A) == [DEFAULT_APOLOGY]


class OrderFailed(Exception):
    """What a handler might raise after catching the database's error."""


def raise_disk_error() -> None:
    raise disk_error()


def raise_wrapped_disk_error() -> None:
    try:
        raise_disk_error()
    except SQLAlchemyError as exc:
        raise OrderFailed("could not reserve stock") from exc


@pytest.mark.parametrize(
    "raise_it",
    [raise_disk_error, raise_wrapped_disk_error],
    ids=["operational-error", "wrapped-by-the-handler"],
)
def test_a_passing_database_failure_inside_a_turn_retries_the_whole_turn(
    engine: Engine, raise_it: Callable[[], None]
) -> None:
    calls = {"n": 0}

    class Flaky:
        def handle(self, turn: Turn) -> None:
            calls["n"] += 1
            turn.conversation.state = f"try {calls['n']}"
            if calls["n"] == 1:
                raise_it()
            turn.reply(messages.text(turn.contact.wa_id, "ordered"))

    clock = Clock()
    processor = Processor(engine, Flaky(), clock=clock)
    processor.ingest(simulate.text(A, "buy", msg_id="wamid.T1"))

    with pytest.raises((SQLAlchemyError, OrderFailed)):
        processor.process_one(A)

    assert rows(engine)["message:wamid.T1"].state == "pending"
    assert replies(engine, A) == []  # no apology: nothing went wrong for good
    clock.advance(seconds=1)
    (result,) = process_pending(processor)

    assert result.ok
    assert replies(engine, A) == ["ordered"]
    with Session(engine) as session:
        assert session.exec(select(Conversation)).one().state == "try 2"


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_deadlock_between_two_turns_is_retried_not_failed(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS test_stock"))
        conn.execute(text("CREATE TABLE test_stock (id int PRIMARY KEY, n int NOT NULL)"))
        conn.execute(text("INSERT INTO test_stock VALUES (1, 10), (2, 10)"))
    both_hold_one = threading.Barrier(2)

    class Shop:
        """Two customers buy the same two items, locking them in opposite order."""

        def handle(self, turn: Turn) -> None:
            first, second = (1, 2) if turn.contact.wa_id == A else (2, 1)
            turn.session.execute(
                text("UPDATE test_stock SET n = n - 1 WHERE id = :i"), {"i": first}
            )
            if not both_hold_one.broken:
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_hold_one.wait(timeout=10)
            turn.session.execute(
                text("UPDATE test_stock SET n = n - 1 WHERE id = :i"), {"i": second}
            )
            turn.reply(messages.text(turn.contact.wa_id, "ordered"))

    clock = Clock()
    processor = Processor(engine, Shop(), clock=clock)
    for wa_id in (A, B):
        processor.ingest(simulate.text(wa_id, "buy"))
    errors: list[BaseException] = []

    def customer(wa_id: str) -> None:
        try:
            processor.process_contact(wa_id)
        except SQLAlchemyError as exc:
            errors.append(exc)
            both_hold_one.abort()  # the retry runs alone

    threads = [threading.Thread(target=customer, args=(w,)) for w in (A, B)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert [type(e).__name__ for e in errors] == ["OperationalError"]  # the deadlock's loser
    assert sorted(u.state for u in stored_updates(engine)) == ["done", "pending"]
    clock.advance(seconds=1)
    process_pending(processor)

    assert [u.state for u in stored_updates(engine)] == ["done", "done"]
    assert (replies(engine, A), replies(engine, B)) == (["ordered"], ["ordered"])
    with engine.connect() as conn:
        assert list(conn.execute(text("SELECT n FROM test_stock ORDER BY id"))) == [(8,), (8,)]
        conn.execute(text("DROP TABLE test_stock"))
        conn.commit()
