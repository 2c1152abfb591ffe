"""Group commit: concurrent webhook bodies share transactions, and each still waits for its own.

``GroupCommit`` is tested on its own with a fake ``write`` (deterministic, no database), then
through ``Processor.ingest`` on SQLite and PostgreSQL with many threads at once.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from bot import messages, simulate
from bot._group_commit import GroupCommit
from bot.processing import DEFAULT_APOLOGY, Processor
from bot.sending import outbox_rows
from bot.starter import StarterHandler
from tests.helpers import stored_updates


class SlowWrite:
    """A ``write`` that blocks until released, recording each call's values."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []
        self.entered = threading.Event()
        self.release = threading.Event()
        self.committed: set[int] = set()

    def __call__(self, values: Sequence[int]) -> list[int]:
        self.calls.append(list(values))
        self.entered.set()
        assert self.release.wait(10)
        if 13 in values:
            raise ValueError("unlucky")
        self.committed.update(values)
        return [v * 10 for v in values]


def run_all(group: GroupCommit[int, int], values: list[int]) -> dict[int, Any]:
    results: dict[int, Any] = {}

    def call(value: int) -> None:
        try:
            results[value] = group.submit(value)
        except ValueError as exc:
            results[value] = exc

    threads = [threading.Thread(target=call, args=(v,)) for v in values]
    for thread in threads:
        thread.start()
    return {"threads": threads, "results": results}


def test_a_lone_caller_writes_at_once() -> None:
    write = SlowWrite()
    write.release.set()
    group: GroupCommit[int, int] = GroupCommit(write)

    assert [group.submit(v) for v in (1, 2, 3)] == [10, 20, 30]
    assert write.calls == [[1], [2], [3]]


def test_callers_arriving_during_a_write_share_the_next_one() -> None:
    write = SlowWrite()
    group: GroupCommit[int, int] = GroupCommit(write)
    first = run_all(group, [1])
    assert write.entered.wait(10)  # 1 is being written; 2..6 arrive meanwhile
    rest = run_all(group, [2, 3, 4, 5, 6])
    for _ in range(200):
        if len(group._queue) == 5:
            break
        threading.Event().wait(0.01)
    assert rest["results"] == {}  # nobody returns before its transaction committed
    write.release.set()
    for thread in first["threads"] + rest["threads"]:
        thread.join(10)

    assert len(write.calls) == 2
    assert (write.calls[0], sorted(write.calls[1])) == ([1], [2, 3, 4, 5, 6])
    assert {**first["results"], **rest["results"]} == {v: v * 10 for v in range(1, 7)}


def test_one_bad_value_fails_alone() -> None:
    write = SlowWrite()
    group: GroupCommit[int, int] = GroupCommit(write)
    first = run_all(group, [1])
    assert write.entered.wait(10)
    rest = run_all(group, [12, 13, 14])
    for _ in range(200):
        if len(group._queue) == 3:
            break
        threading.Event().wait(0.01)
    write.release.set()
    for thread in first["threads"] + rest["threads"]:
        thread.join(10)

    results = rest["results"]
    assert (results[12], results[14]) == (120, 140)
    assert isinstance(results[13], ValueError)
    assert write.committed == {1, 12, 14}
    assert [sorted(c) for c in write.calls[2:]] == [[12], [13], [14]]  # retried one by one


def test_ingest_from_many_threads_stores_everything_once(engine: Engine) -> None:
    processor = Processor(engine, StarterHandler())
    contacts = [f"1555000{n:04d}" for n in range(8)]
    bodies = [
        simulate.text(wa_id, f"m{i}", msg_id=f"wamid.{wa_id}.{i}")
        for i in range(5)
        for wa_id in contacts
    ]
    start = threading.Barrier(len(contacts))
    results: list[Any] = []
    errors: list[BaseException] = []

    def webhook(wa_id: str) -> None:
        try:
            start.wait(10)
            for body in bodies:
                if body["entry"][0]["changes"][0]["value"]["contacts"][0]["wa_id"] == wa_id:
                    results.append(processor.ingest(body))
                    results.append(processor.ingest(body))  # Meta delivers it again
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=webhook, args=(w,)) for w in contacts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert sorted(r.stored for r in results) == [0] * len(bodies) + [1] * len(bodies)
    rows = stored_updates(engine)
    assert len(rows) == len(bodies)
    for wa_id in contacts:  # arrival order per contact survives the batching
        mine = [r.value["messages"][0]["text"]["body"] for r in rows if r.wa_id == wa_id]
        assert mine == [f"m{i}" for i in range(5)]


@pytest.mark.parametrize("size", [1, 3])
def test_store_batches_maps_rows_back_to_their_bodies(engine: Engine, size: int) -> None:
    processor = Processor(engine, StarterHandler())
    body = simulate.text("15550000001", "hi", msg_id="wamid.SAME")
    other = simulate.text("15550000002", "yo", msg_id="wamid.OTHER")
    rows_of = [processor._rows(b) for b in [body, other, body][:size]]

    stored = processor._store(rows_of)

    assert [len(s) for s in stored] == [1, 1, 0][:size]


# -- several contacts' turns in one transaction -------------------------------------------------


class Script:
    """Answers ``re: <text>``; ``fail`` texts raise, ``hiccup`` texts hit a database error once."""

    def __init__(self, fail: Sequence[str] = (), hiccup: Sequence[str] = ()) -> None:
        self.fail, self.hiccup = set(fail), set(hiccup)
        self.seen: list[str] = []

    def handle(self, turn: Any) -> None:
        body = turn.message.text_value or ""
        self.seen.append(body)
        if body in self.hiccup:
            self.hiccup.discard(body)
            raise OperationalError("UPDATE", {}, Exception("database is locked"))
        if body in self.fail:
            raise RuntimeError("broken")
        turn.reply(messages.text(turn.contact.wa_id, f"re: {body}"))


A, B, C = "15550000001", "15550000002", "15550000003"


def begins(engine: Engine) -> list[int]:
    """A counter of transactions begun on ``engine`` from now on."""
    count = [0]

    def on_begin(_conn: Any) -> None:
        count[0] += 1

    event.listen(engine, "begin", on_begin)
    return count


def test_a_batch_processes_one_update_of_each_contact_in_one_transaction(engine: Engine) -> None:
    handler = Script()
    processor = Processor(engine, handler)
    for wa_id, body in [(A, "a1"), (B, "b1"), (A, "a2"), (C, "c1")]:
        processor.ingest(simulate.text(wa_id, body))
    count = begins(engine)

    results = processor.process_batch([A, B, C])

    assert count[0] == 1
    assert {w: (r.ok, r.more) for w, r in results.items() if r} == {
        A: (True, True),
        B: (True, False),
        C: (True, False),
    }
    assert sorted(handler.seen) == ["a1", "b1", "c1"]
    assert [u.state for u in stored_updates(engine)] == ["done", "done", "pending", "done"]


def test_a_handler_failure_in_a_batch_fails_only_its_own_update(engine: Engine) -> None:
    processor = Processor(engine, Script(fail=["b1"]))
    for wa_id, body in [(A, "a1"), (B, "b1"), (C, "c1")]:
        processor.ingest(simulate.text(wa_id, body))

    results = processor.process_batch([A, B, C])

    assert {w: r.ok for w, r in results.items() if r} == {A: True, B: False, C: True}
    assert [(r.wa_id, r.payload["text"]["body"]) for r in outbox_rows(engine)] == [
        (A, "re: a1"),
        (B, DEFAULT_APOLOGY),
        (C, "re: c1"),
    ]


def test_a_database_failure_in_a_batch_retries_each_contact_on_its_own(engine: Engine) -> None:
    handler = Script(hiccup=["b1"])
    processor = Processor(engine, handler)
    for wa_id, body in [(A, "a1"), (B, "b1"), (C, "c1")]:
        processor.ingest(simulate.text(wa_id, body))

    results = processor.process_batch([A, B, C])

    # The shared transaction rolled back whole; one by one, b1 went through this time.
    assert {w: r.ok for w, r in results.items() if r} == {A: True, B: True, C: True}
    assert handler.seen.count("a1") == 2  # its first turn was rolled back with the batch
    assert sorted(r.payload["text"]["body"] for r in outbox_rows(engine)) == [
        "re: a1",
        "re: b1",
        "re: c1",
    ]
    assert [u.state for u in stored_updates(engine)] == ["done"] * 3
