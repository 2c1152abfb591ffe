"""The storage layer on SQLite and PostgreSQL: dedupe on insert, per-contact queues, statuses.

Every test takes the ``engine`` fixture, so each runs once per database.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import event, func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import (
    DataError,
    IntegrityError,
    InternalError,
    OperationalError,
    ProgrammingError,
    StatementError,
)
from sqlmodel import Session, col, select

from bot.errors import ConfigError
from storage import inbox, outbox
from storage.db import (
    insert_ignoring,
    insert_ignoring_conflicts,
    is_permanent_data_error,
    is_transient_error,
    make_engine,
    normalize_url,
    read_session,
    transaction,
)
from storage.models import Contact, InboundUpdate, MessageStatus, OutboxMessage
from storage.statuses import record_status
from tests.helpers import DriverError

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
A, B, C, D = "15550000001", "15550000002", "15550000003", "15550000004"


def update_row(key: str, wa_id: str | None = A) -> dict[str, Any]:
    return {
        "dedupe_key": key,
        "kind": "message",
        "field": "messages",
        "wa_id": wa_id,
        "phone_number_id": "106540352242922",
        "value": {"messages": [{"id": key}]},
    }


def store(engine: Engine, *rows: dict[str, Any]) -> list[tuple[int, str | None]]:
    with transaction(engine) as session:
        return inbox.store_batches(session, [list(rows)])[0]


def keys(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(session.exec(select(InboundUpdate.dedupe_key).order_by(col(InboundUpdate.id))))


# -- insert_ignoring_conflicts and the inbox --------------------------------------------------


def test_store_batches_skips_keys_already_stored_and_repeated_in_one_batch(engine: Engine) -> None:
    first = store(engine, update_row("k1"), update_row("k2", B), update_row("k1"))
    second = store(engine, update_row("k2", B), update_row("k3", None))

    assert [wa_id for _, wa_id in first] == [A, B]
    assert [wa_id for _, wa_id in second] == [None]
    assert second[0][0] > first[1][0]
    assert keys(engine) == ["k1", "k2", "k3"]


def test_store_batches_in_chunks_keeps_arrival_order(engine: Engine) -> None:
    rows = [update_row(f"k{i:03d}", wa_id=[A, B, None][i % 3]) for i in range(250)]

    inserted = store(engine, *rows)

    ids = [row_id for row_id, _ in inserted]
    assert ids == sorted(ids)
    assert len(set(ids)) == 250
    assert [wa_id for _, wa_id in inserted] == [row["wa_id"] for row in rows]
    assert keys(engine) == [row["dedupe_key"] for row in rows]


def test_insert_ignoring_conflicts_leaves_the_existing_row_alone(engine: Engine) -> None:
    table: Any = Contact.__table__  # type: ignore[attr-defined]
    values = {"wa_id": A, "created_at": T0, "marketing_opt_out": False, "paused": False}
    with transaction(engine) as session:
        session.execute(
            insert_ignoring_conflicts(session, table, [{**values, "name": "Ana"}], unique=["wa_id"])
        )
    with transaction(engine) as session:
        stmt = insert_ignoring_conflicts(
            session, table, [{**values, "name": "Bo"}], unique=["wa_id"]
        )
        result = session.execute(stmt.returning(table.c.id))
        assert list(result) == []

    with Session(engine) as session:
        assert [c.name for c in session.exec(select(Contact))] == ["Ana"]


def test_insert_ignoring_builds_one_cacheable_statement(engine: Engine) -> None:
    table: Any = Contact.__table__  # type: ignore[attr-defined]
    with Session(engine) as session:
        first = insert_ignoring(session, table, unique=["wa_id"], returning=["id"])
        again = insert_ignoring(session.connection(), table, unique=["wa_id"], returning=["id"])

    assert first is again
    assert first._generate_cache_key() is not None


def test_pending_contacts_leaves_out_a_contact_whose_head_waits_for_its_retry(
    engine: Engine,
) -> None:
    store(engine, update_row("a1", A), update_row("b1", B), update_row("b2", B))
    with transaction(engine) as session:
        head = inbox.next_pending(session, A)
        assert head is not None
        head.retry_at = T0 + timedelta(seconds=30)
        session.add(head)

    with Session(engine) as session:
        waiting = inbox.pending_contacts(session, now=T0)
        due = inbox.pending_contacts(session, now=T0 + timedelta(seconds=30))
        everyone = inbox.pending_contacts(session)

    assert (waiting, due, everyone) == ([B], [A, B], [A, B])


def test_lock_contact_creates_the_contact_once(engine: Engine) -> None:
    with transaction(engine) as session:
        created = inbox.lock_contact(session, A, now=T0)
        created.name = "Ana"
        session.add(created)
    with transaction(engine) as session:
        again = inbox.lock_contact(session, A, now=T0 + timedelta(days=1))
        again_id, again_name, again_created = again.id, again.name, again.created_at

    assert (again_id, again_name, again_created) == (created.id, "Ana", T0)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Contact)).one() == 1


def test_pending_updates_come_oldest_first_per_contact(engine: Engine) -> None:
    store(
        engine,
        update_row("b1", B),
        update_row("a1", A),
        update_row("none1", None),
        update_row("b2", B),
    )
    with transaction(engine) as session:
        first_b = inbox.next_pending(session, B)
        assert first_b is not None
        first_b.state = "done"
        session.add(first_b)

    with Session(engine) as session:
        contacts = inbox.pending_contacts(session)
        heads = {
            wa_id: row.dedupe_key if (row := inbox.next_pending(session, wa_id)) else None
            for wa_id in (A, B, None, C)
        }
        counts = inbox.count_by_state(session)

    assert contacts == [A, None, B]  # B's oldest pending is now b2, the newest of all
    assert heads == {A: "a1", B: "b2", None: "none1", C: None}
    assert counts == {"pending": 3, "done": 1}


# -- the outbox -------------------------------------------------------------------------------


def put(engine: Engine, wa_id: str, *, state: str = "pending", due: datetime = T0) -> int:
    with transaction(engine) as session:
        row = OutboxMessage(
            wa_id=wa_id, payload={"to": wa_id}, state=state, next_attempt_at=due, created_at=T0
        )
        session.add(row)
        session.flush()
        return int(row.id or 0)


def claim(engine: Engine, now: datetime = T0, **options: Any) -> list[int]:
    with transaction(engine) as session:
        return [int(row.id or 0) for row in outbox.claim(session, now, **options).rows]


@pytest.fixture
def queues(engine: Engine) -> dict[str, int]:
    """A: two due; B: head backing off, second due; C: head sent; D: head failed."""
    return {
        "a1": put(engine, A),
        "b1": put(engine, B, due=T0 + timedelta(seconds=30)),
        "c1": put(engine, C, state="sent"),
        "d1": put(engine, D, state="failed"),
        "a2": put(engine, A),
        "b2": put(engine, B),
        "c2": put(engine, C),
        "d2": put(engine, D),
    }


def test_claim_takes_only_each_contacts_due_head(engine: Engine, queues: dict[str, int]) -> None:
    claimed = claim(engine, lease=timedelta(seconds=60))

    assert claimed == [queues["a1"], queues["c2"], queues["d2"]]
    with Session(engine) as session:
        leased = {row.id: row.next_attempt_at for row in session.exec(select(OutboxMessage))}
    assert {leased[i] for i in claimed} == {T0 + timedelta(seconds=60)}
    assert leased[queues["a2"]] == T0
    assert claim(engine) == []  # leased rows are not due, and nobody's second row moved up


def test_claim_after_the_back_off_releases_the_head(engine: Engine, queues: dict[str, int]) -> None:
    claim(engine)

    assert claim(engine, T0 + timedelta(seconds=30)) == [queues["b1"]]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"wa_ids": [D, A]}, ["a1", "d2"]),
        ({"wa_ids": []}, []),
        ({"limit": 2}, ["a1", "c2"]),
    ],
    ids=["only-some-contacts", "no-contacts", "limit"],
)
def test_claim_options(
    engine: Engine, queues: dict[str, int], options: dict[str, Any], expected: list[str]
) -> None:
    assert claim(engine, **options) == [queues[name] for name in expected]


def leases(engine: Engine, now: datetime = T0, **options: Any) -> dict[int, str]:
    """Claim what is due; the claim's token of each row."""
    with transaction(engine) as session:
        return {int(r.id or 0): str(r.lease) for r in outbox.claim(session, now, **options).rows}


def mark(session: Session, row_id: int, lease: str, state: str, **fields: Any) -> bool:
    """Record one outcome; whether the claim still held the row."""
    return outbox.record_outcomes(session, [outbox.Outcome(row_id, lease, state, **fields)]) == 1


def test_outcomes_record_each_state(engine: Engine) -> None:
    sent, retried, failed = put(engine, A), put(engine, B), put(engine, C)
    token = leases(engine)
    with transaction(engine) as session:
        assert mark(session, sent, token[sent], "sent", wamid="wamid.1", sent_at=T0)
        at = T0 + timedelta(seconds=4)
        assert mark(
            session, retried, token[retried], "pending", error="x" * 5000, next_attempt_at=at
        )
        assert mark(session, failed, token[failed], "failed", error="AuthError: [190] expired")
        next_due = outbox.next_due_at(session)

    with Session(engine) as session:
        rows = {row.id: row for row in session.exec(select(OutboxMessage))}
    assert (rows[sent].state, rows[sent].wamid, rows[sent].attempts) == ("sent", "wamid.1", 1)
    assert (rows[retried].state, rows[retried].attempts) == ("pending", 1)
    assert rows[retried].last_error == "x" * 2000
    assert (rows[failed].state, rows[failed].last_error) == ("failed", "AuthError: [190] expired")
    assert next_due == T0 + timedelta(seconds=4)
    assert {row.lease for row in rows.values()} == {None}


def test_a_claim_whose_lease_was_taken_over_records_nothing(engine: Engine) -> None:
    row_id = put(engine, A)
    first = leases(engine, lease=timedelta(seconds=60))[row_id]
    later = T0 + timedelta(seconds=61)
    second = leases(engine, later, lease=timedelta(seconds=60))[row_id]  # the lease ran out

    with transaction(engine) as session:
        stale = [
            mark(session, row_id, first, "sent", wamid="wamid.LATE", sent_at=later),
            mark(session, row_id, first, "pending", error="late", next_attempt_at=later),
            mark(session, row_id, first, "failed", error="late"),
        ]
    with transaction(engine) as session:
        current = mark(session, row_id, second, "sent", wamid="wamid.NEW", sent_at=later)

    assert (stale, current) == ([False, False, False], True)
    with Session(engine) as session:
        row = session.exec(select(OutboxMessage)).one()
    assert (row.state, row.wamid, row.attempts, row.last_error) == ("sent", "wamid.NEW", 1, None)


def test_record_outcomes_writes_a_whole_pass_at_once(engine: Engine) -> None:
    ids = [put(engine, wa_id) for wa_id in (A, B, C)]
    token = leases(engine)
    outcomes = [
        outbox.Outcome(ids[0], token[ids[0]], "sent", wamid="wamid.A", sent_at=T0),
        outbox.Outcome(ids[1], token[ids[1]], "pending", error="later", next_attempt_at=T0),
        outbox.Outcome(ids[2], "not-this-claim", "failed", error="stale"),
    ]
    with transaction(engine) as session:
        outbox.record_outcomes(session, outcomes)

    with Session(engine) as session:
        rows = {row.id: row for row in session.exec(select(OutboxMessage))}
    assert [(rows[i].state, rows[i].attempts) for i in ids] == [
        ("sent", 1),
        ("pending", 1),
        ("pending", 0),
    ]
    assert (rows[ids[0]].wamid, rows[ids[1]].last_error) == ("wamid.A", "later")


def test_next_due_at_counts_only_the_head_of_each_queue(engine: Engine) -> None:
    put(engine, B, due=T0 + timedelta(seconds=30))  # the head backs off
    put(engine, B)  # due "now", but it waits behind the head

    with Session(engine) as session:
        assert outbox.next_due_at(session) == T0 + timedelta(seconds=30)


def _statements(engine: Engine) -> list[str]:
    """Every SQL statement ``engine`` runs from now on (for the test's length)."""
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


@pytest.mark.parametrize(
    ("category", "opted_out", "state"),
    [
        (None, True, "pending"),
        ("utility", True, "pending"),
        ("marketing", False, "pending"),
        ("marketing", True, "suppressed"),
    ],
    ids=["reply", "utility", "marketing-opted-in", "marketing-opted-out"],
)
def test_enqueue_rows_suppresses_only_marketing_to_a_contact_who_opted_out(
    engine: Engine, category: Any, opted_out: bool, state: str
) -> None:
    with transaction(engine) as session:
        session.add(Contact(wa_id=A, marketing_opt_out=opted_out))
    with transaction(engine) as session:
        outbox.enqueue_rows(session, A, [{"to": A}, {"to": A}], now=T0, category=category)
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
        assert [(r.state, r.category) for r in rows] == [(state, category)] * 2
        suppressed = state == "suppressed"
        assert [r.last_error for r in rows] == [outbox.SUPPRESSED if suppressed else None] * 2
        assert outbox.next_due_at(session) == (None if suppressed else T0)
    assert claim(engine) == ([] if suppressed else [rows[0].id])


def test_a_reply_is_queued_with_one_insert_and_no_other_query(engine: Engine) -> None:
    with transaction(engine) as session:
        session.connection()  # the transaction's own statements are not the outbox's
        seen = _statements(engine)
        outbox.enqueue_rows(session, A, [{"to": A}, {"to": A}], now=T0)
        assert len(seen) == 1
        assert seen[0].lstrip().upper().startswith("INSERT")
        del seen[:]
        outbox.enqueue_rows(session, A, [{"to": A}], now=T0, category="marketing")
        assert len(seen) == 2  # marketing looks the contact up first


def test_next_due_at_is_none_without_pending_rows(engine: Engine) -> None:
    put(engine, A, state="sent")

    with Session(engine) as session:
        assert outbox.next_due_at(session) is None


# -- statuses ---------------------------------------------------------------------------------

FAILED = [{"code": 131026, "title": "Message undeliverable"}]
PRICE = {"pricing_model": "PMP", "type": "regular", "category": "utility"}


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (
            [("sent", 1, None, None), ("delivered", 2, None, None), ("read", 3, None, None)],
            ("read", 3, 3, [], None),
        ),
        ([("read", 3, None, None), ("delivered", 2, None, PRICE)], ("read", 3, 3, [], PRICE)),
        (
            [("delivered", 2, None, PRICE), ("read", 3, None, {"category": "other"})],
            ("read", 3, 3, [], PRICE),
        ),
        (
            [("sent", 1, None, None), ("failed", 4, FAILED, None), ("read", 5, None, None)],
            ("failed", 5, 4, FAILED, None),
        ),
        ([("played", 4, None, None), ("read", 3, None, None)], ("played", 4, 4, [], None)),
        ([("deleted", 1, None, None), ("sent", 2, None, None)], ("sent", 1, 2, [], None)),
    ],
    ids=[
        "sent-delivered-read",
        "late-delivered-brings-pricing-only",
        "first-pricing-kept",
        "failed-is-terminal-with-errors",
        "played-beats-read",
        "unknown-status-ranks-lowest",
    ],
)
def test_record_status_only_moves_forward(
    engine: Engine,
    steps: list[tuple[str, int, list[Any] | None, dict[str, Any] | None]],
    expected: tuple[str, int, int, list[Any], dict[str, Any] | None],
) -> None:
    for status, minute, errors, pricing in steps:
        with transaction(engine) as session:
            returned = record_status(
                session,
                "wamid.X",
                status,
                at=T0 + timedelta(minutes=minute),
                recipient_id=A,
                errors=errors,
                pricing=pricing,
            )
            returned_status = returned.status

    with Session(engine) as session:
        (row,) = session.exec(select(MessageStatus))
    status, rank, minute, errors, pricing = expected
    assert (row.status, row.rank, row.updated_at) == (
        status,
        rank,
        T0 + timedelta(minutes=minute),
    )
    assert (row.errors, row.pricing, row.recipient_id) == (errors, pricing, A)
    assert returned_status == status


# -- engines ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///waflow.db", "sqlite:///waflow.db"),
    ],
    ids=["heroku-style", "plain-postgresql", "already-explicit", "sqlite"],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


@pytest.mark.parametrize("url", ["mysql://u@h/db", "not a url"], ids=["mysql", "garbage"])
def test_make_engine_refuses_what_it_cannot_run(url: str) -> None:
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        make_engine(url)


def test_transaction_rolls_back_on_error(engine: Engine) -> None:
    def write_then_fail() -> None:
        with transaction(engine) as session:
            session.add(Contact(wa_id=A))
            session.flush()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        write_then_fail()

    with Session(engine) as session:
        assert session.exec(select(Contact)).first() is None


def test_database_errors_never_show_the_statements_values(engine: Engine) -> None:
    secret = "my card is 4111 1111 1111 1111"
    with transaction(engine) as session:
        session.add(Contact(wa_id=A, name=secret))

    def again() -> None:
        with transaction(engine) as session:
            session.add(Contact(wa_id=A, name=secret))

    with pytest.raises(IntegrityError) as info:
        again()

    shown = str(info.value)
    assert "parameters hidden" in shown
    assert A not in shown
    assert secret not in shown


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (datetime(2026, 3, 2, 14, 0, tzinfo=timezone(timedelta(hours=2))), T0),
        (datetime(2026, 3, 2, 7, 0, tzinfo=timezone(timedelta(hours=-5))), T0),
        (datetime(2026, 3, 2, 12, 0), T0),  # naive: taken as UTC
    ],
    ids=["utc-plus-2", "utc-minus-5", "naive-is-utc"],
)
def test_timestamps_come_back_as_the_same_instant_in_utc(
    engine: Engine, written: datetime, expected: datetime
) -> None:
    with transaction(engine) as session:
        session.add(Contact(wa_id=A, last_inbound_at=written, created_at=written))

    with Session(engine) as session:
        row = session.exec(select(Contact)).one()
        earlier = session.exec(
            select(Contact).where(col(Contact.last_inbound_at) < T0 + timedelta(seconds=1))
        ).all()

    assert row.last_inbound_at == expected
    assert row.last_inbound_at is not None
    assert row.last_inbound_at.utcoffset() == timedelta(0)
    assert row.created_at.tzinfo is not None
    assert len(earlier) == 1  # comparisons in SQL see the same instant


def test_a_reader_does_not_wait_for_a_writer(engine: Engine) -> None:
    put(engine, A)
    read: list[int] = []

    def reader() -> None:
        with read_session(engine) as session:
            read.append(len(session.exec(select(OutboxMessage)).all()))

    with transaction(engine) as session:  # a writer holds the write lock (SQLite) meanwhile
        session.add(OutboxMessage(wa_id=B, payload={}, created_at=T0, next_attempt_at=T0))
        session.flush()
        thread = threading.Thread(target=reader)
        thread.start()
        thread.join(timeout=10)
        finished = not thread.is_alive()
    thread.join()

    assert finished
    assert read == [1]  # the snapshot before the writer's commit


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (OperationalError("SELECT 1", {}, Exception("disk I/O error")), True),
        (InternalError("UPDATE", {}, DriverError("40P01")), True),
        (InternalError("UPDATE", {}, DriverError("40001")), True),
        (InternalError("UPDATE", {}, DriverError("55P03")), True),
        (IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed")), False),
        (DataError("INSERT", {}, DriverError("22001")), False),
        (StatementError("bind failed", "INSERT", {}, TypeError("not JSON")), False),
    ],
    ids=[
        "operational",
        "deadlock",
        "serialization",
        "lock-timeout",
        "integrity",
        "value-too-long",
        "unbindable-value",
    ],
)
def test_is_transient_error(error: Exception, transient: bool) -> None:
    assert is_transient_error(error) is transient


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed")), True),
        (DataError("INSERT", {}, DriverError("22001")), True),
        (DataError("INSERT", {}, DriverError("22P05")), True),
        (StatementError("bind failed", "INSERT", {}, TypeError("not JSON")), True),
        (StatementError("bind failed", "INSERT", {}, RecursionError("too deep")), True),
        (UnicodeEncodeError("utf-8", "\ud83d", 0, 1, "surrogates not allowed"), True),
        (ValueError("bad value"), True),
        (InternalError("INSERT", {}, DriverError("25006")), False),
        (ProgrammingError("INSERT", {}, DriverError("42501")), False),
        (ProgrammingError("INSERT", {}, DriverError("42P01")), False),
        (ProgrammingError("INSERT", {}, DriverError("42703")), False),
        (OperationalError("INSERT", {}, Exception("attempt to write a readonly database")), False),
        (OperationalError("INSERT", {}, Exception("no such table: waflow_inbound")), False),
        (InternalError("UPDATE", {}, DriverError("40P01")), False),
        (StatementError("bind failed", "INSERT", {}, KeyError("x")), False),
        (RuntimeError("a bug"), False),
    ],
    ids=[
        "integrity",
        "value-too-long",
        "nul-in-text",
        "unbindable-value",
        "too-deep-to-bind",
        "lone-surrogate",
        "bare-value-error",
        "read-only-replica",
        "revoked-grant",
        "missing-table",
        "missing-column",
        "sqlite-read-only",
        "sqlite-missing-table",
        "deadlock",
        "bind-bug",
        "other",
    ],
)
def test_only_errors_of_the_data_are_permanent(error: BaseException, permanent: bool) -> None:
    assert is_permanent_data_error(error) is permanent


# -- the SQLite write gate ----------------------------------------------------------------------

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@sqlite_only
def test_writers_on_many_threads_all_commit(engine: Engine) -> None:
    def write(n: int) -> None:
        for k in range(30):
            with transaction(engine) as session:
                session.add(Contact(wa_id=f"{n}-{k}"))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Contact)).one() == 120


@sqlite_only
def test_a_failed_write_lets_the_next_writer_in(engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(Contact(wa_id=A))

    def duplicate() -> None:
        with transaction(engine) as session:
            session.add(Contact(wa_id=A))

    def second_writer() -> None:
        with transaction(engine) as session:
            session.add(Contact(wa_id=B))

    with pytest.raises(IntegrityError):
        duplicate()
    other = threading.Thread(target=second_writer)
    other.start()
    other.join(timeout=5)

    assert not other.is_alive()
    with Session(engine) as session:
        assert sorted(c.wa_id for c in session.exec(select(Contact))) == [A, B]


@sqlite_only
def test_the_gate_is_skipped_by_a_thread_that_already_holds_it(
    engine: Engine, tmp_path: Any
) -> None:
    from storage._sqlite import _WriteGate

    gate = _WriteGate(str(tmp_path / "gate.lock"))
    first, second = object(), object()

    gate.acquire(first)
    gate.acquire(second)  # nested on the same thread: would wait forever without the check
    gate.release(second)  # not the holder: nothing happens
    gate.release(first)
    waited = threading.Thread(target=gate.acquire, args=(second,))
    waited.start()
    waited.join(timeout=5)

    assert not waited.is_alive()


@sqlite_only
@pytest.mark.parametrize(
    ("grace", "expected"),
    [(5.0, ["urgent", "patient"]), (0.0, ["patient", "urgent"])],
    ids=["urgent-first", "patient-past-its-grace"],
)
def test_an_urgent_writer_goes_first_but_never_starves_the_others(
    engine: Engine,
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
    grace: float,
    expected: list[str],
) -> None:
    import storage._sqlite
    from storage._sqlite import _WriteGate

    monkeypatch.setattr(storage._sqlite, "_URGENT_GRACE", grace)
    gate = _WriteGate(str(tmp_path / "gate.lock"))
    holder, patient, urgent = object(), object(), object()
    order: list[str] = []
    gate.acquire(holder)

    def take(conn: object, name: str, is_urgent: bool) -> None:
        gate.acquire(conn, urgent=is_urgent)
        order.append(name)
        gate.release(conn)

    waiting = threading.Thread(target=take, args=(patient, "patient", False))
    waiting.start()
    hurried = threading.Thread(target=take, args=(urgent, "urgent", True))
    hurried.start()
    threading.Event().wait(0.1)  # both are waiting now
    gate.release(holder)
    for thread in (waiting, hurried):
        thread.join(timeout=5)

    assert order == expected  # both got through, in the order the gate hands over
