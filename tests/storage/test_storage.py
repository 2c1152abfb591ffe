"""The storage layer on SQLite and PostgreSQL: dedupe on insert, per-contact queues, statuses.

Every test takes the ``engine`` fixture, so each runs once per database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.errors import ConfigError
from storage import inbox, outbox
from storage.db import insert_ignoring_conflicts, make_engine, normalize_url, transaction
from storage.models import Contact, InboundUpdate, MessageStatus, OutboxMessage
from storage.statuses import record_status

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
A, B, C, D = "15550000001", "15550000002", "15550000003", "15550000004"


def aware(moment: datetime | None) -> datetime | None:
    """SQLite gives naive UTC datetimes back, PostgreSQL aware ones."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


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
        return inbox.store_updates(session, list(rows))


def keys(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(session.exec(select(InboundUpdate.dedupe_key).order_by(col(InboundUpdate.id))))


# -- insert_ignoring_conflicts and the inbox --------------------------------------------------


def test_store_updates_skips_keys_already_stored_and_repeated_in_one_batch(engine: Engine) -> None:
    first = store(engine, update_row("k1"), update_row("k2", B), update_row("k1"))
    second = store(engine, update_row("k2", B), update_row("k3", None))

    assert [wa_id for _, wa_id in first] == [A, B]
    assert [wa_id for _, wa_id in second] == [None]
    assert second[0][0] > first[1][0]
    assert keys(engine) == ["k1", "k2", "k3"]


def test_store_updates_in_chunks_keeps_arrival_order(engine: Engine) -> None:
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


def test_lock_contact_creates_the_contact_once(engine: Engine) -> None:
    with transaction(engine) as session:
        created = inbox.lock_contact(session, A, now=T0)
        created.name = "Ana"
        session.add(created)
    with transaction(engine) as session:
        again = inbox.lock_contact(session, A, now=T0 + timedelta(days=1))
        again_id, again_name, again_created = again.id, again.name, again.created_at

    assert (again_id, again_name, aware(again_created)) == (created.id, "Ana", T0)
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
        return [int(row.id or 0) for row in outbox.claim_due(session, now, **options)]


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


def test_claim_due_takes_only_each_contacts_due_head(
    engine: Engine, queues: dict[str, int]
) -> None:
    claimed = claim(engine, lease=timedelta(seconds=60))

    assert claimed == [queues["a1"], queues["c2"], queues["d2"]]
    with Session(engine) as session:
        leased = {row.id: aware(row.next_attempt_at) for row in session.exec(select(OutboxMessage))}
    assert {leased[i] for i in claimed} == {T0 + timedelta(seconds=60)}
    assert leased[queues["a2"]] == T0
    assert claim(engine) == []  # leased rows are not due, and nobody's second row moved up


def test_claim_due_after_the_back_off_releases_the_head(
    engine: Engine, queues: dict[str, int]
) -> None:
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
def test_claim_due_options(
    engine: Engine, queues: dict[str, int], options: dict[str, Any], expected: list[str]
) -> None:
    assert claim(engine, **options) == [queues[name] for name in expected]


def test_marks_record_each_outcome(engine: Engine) -> None:
    sent, retried, failed = put(engine, A), put(engine, B), put(engine, C)
    with transaction(engine) as session:
        outbox.mark_sent(session, sent, "wamid.1", T0)
        outbox.mark_retry(session, retried, "x" * 5000, T0 + timedelta(seconds=4))
        outbox.mark_failed(session, failed, "AuthError: [190] expired")
        next_due = outbox.next_due_at(session)

    with Session(engine) as session:
        rows = {row.id: row for row in session.exec(select(OutboxMessage))}
    assert (rows[sent].state, rows[sent].wamid, rows[sent].attempts) == ("sent", "wamid.1", 1)
    assert (rows[retried].state, rows[retried].attempts) == ("pending", 1)
    assert rows[retried].last_error == "x" * 2000
    assert (rows[failed].state, rows[failed].last_error) == ("failed", "AuthError: [190] expired")
    assert aware(next_due) == T0 + timedelta(seconds=4)


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
    assert (row.status, row.rank, aware(row.updated_at)) == (
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
