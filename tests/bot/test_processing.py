"""The processing contract, run against SQLite and PostgreSQL through the ``engine`` fixture.

Ingest stores every update once (Meta delivers at least once, cloud-api.md §1.4); processing
hands each contact's messages to the handler in arrival order, one transaction per update; a
handler failure rolls its writes back, marks the update failed and sends one apology; statuses
only move forward (§2.3); ``user_preferences`` flips the marketing opt-out (§2.4, §5).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot import _limits, inbound, messages, simulate
from bot.client import CloudClient, SandboxClient
from bot.processing import DEFAULT_APOLOGY, Processor
from bot.sending import OutboxSender, outbox_rows
from bot.turn import Turn
from storage.db import make_engine
from storage.models import Contact, Conversation, MessageStatus
from tests.helpers import pending_count, process_pending, stored_updates

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
A = "15550000001"
B = "15550000002"


def clock() -> datetime:
    return NOW


def text_body(
    wa_id: str, body: str, *, wamid: str | None = None, at: datetime = NOW - timedelta(minutes=1)
) -> dict[str, Any]:
    return simulate.text(wa_id, body, name="Ana", msg_id=wamid, timestamp=at.timestamp())


class Recorder:
    """Answers ``re: <text>`` and remembers what it saw, in order (thread-safe)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str | None]] = []
        self._lock = threading.Lock()

    def handle(self, turn: Turn) -> None:
        with self._lock:
            self.seen.append((turn.contact.wa_id, turn.message.text_value))
        turn.reply(messages.text(turn.contact.wa_id, f"re: {turn.message.text_value}"))


class Scripted:
    """A handler whose behaviour per message text is given by the test."""

    def __init__(self, script: dict[str, Callable[[Turn], None]]) -> None:
        self.script = script

    def handle(self, turn: Turn) -> None:
        self.script[turn.message.text_value or ""](turn)


def ask_name(turn: Turn) -> None:
    turn.conversation.state = "ask_name"
    turn.reply(messages.text(turn.contact.wa_id, "What is your name?"))


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def processor(engine: Engine, recorder: Recorder) -> Processor:
    return Processor(engine, recorder, clock=clock)


@pytest.fixture
def other_engine(db_url: str) -> Iterator[Engine]:
    """A second engine on the same database: another process, or this one after a restart."""
    other = make_engine(db_url)
    yield other
    other.dispose()


def reply_texts(engine: Engine, wa_id: str | None = None) -> list[str]:
    return [row.payload["text"]["body"] for row in outbox_rows(engine, wa_id)]


def contact(engine: Engine, wa_id: str) -> Contact:
    with Session(engine) as session:
        return session.exec(select(Contact).where(Contact.wa_id == wa_id)).one()


def conversation(engine: Engine, wa_id: str) -> Conversation | None:
    with Session(engine) as session:
        return session.exec(select(Conversation).where(Conversation.wa_id == wa_id)).first()


def states(engine: Engine) -> list[str]:
    return [row.state for row in stored_updates(engine)]


# -- at-least-once delivery -------------------------------------------------------------------


def test_redelivered_message_is_stored_and_handled_once(
    engine: Engine, processor: Processor, recorder: Recorder
) -> None:
    body = text_body(A, "hello", wamid="wamid.DUP1")

    first = processor.ingest(body)
    again_before = processor.ingest(copy.deepcopy(body))
    process_pending(processor)
    again_after = processor.ingest(copy.deepcopy(body))

    assert (first.received, first.stored, first.contacts) == (1, 1, (A,))
    assert (again_before.received, again_before.stored, again_before.contacts) == (1, 0, ())
    assert (again_after.received, again_after.stored) == (1, 0)
    assert process_pending(processor) == []
    assert recorder.seen == [(A, "hello")]
    assert states(engine) == ["done"]
    assert reply_texts(engine) == ["re: hello"]


def test_redelivery_to_another_process_is_dropped(
    engine: Engine, other_engine: Engine, recorder: Recorder
) -> None:
    body = text_body(A, "hello", wamid="wamid.DUP2")
    first = Processor(engine, recorder, clock=clock)
    second = Processor(other_engine, recorder, clock=clock)

    first.ingest(body)
    process_pending(first)
    redelivered = second.ingest(copy.deepcopy(body))

    assert redelivered.stored == 0
    assert process_pending(second) == []
    assert recorder.seen == [(A, "hello")]
    assert reply_texts(other_engine) == ["re: hello"]


def test_simultaneous_deliveries_to_two_processes_are_handled_once(
    engine: Engine, other_engine: Engine, recorder: Recorder
) -> None:
    body = text_body(A, "hello", wamid="wamid.DUP3")
    workers = [Processor(e, recorder, clock=clock) for e in (engine, other_engine)]
    start = threading.Barrier(len(workers))
    stored: list[int] = []
    errors: list[BaseException] = []

    def deliver(worker: Processor) -> None:
        try:
            start.wait(timeout=10)
            stored.append(worker.ingest(copy.deepcopy(body)).stored)
            process_pending(worker)
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=deliver, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(stored) == [0, 1]
    assert recorder.seen == [(A, "hello")]
    assert states(engine) == ["done"]
    assert reply_texts(engine) == ["re: hello"]


# -- order and recovery -----------------------------------------------------------------------

ARRIVALS = [(A, "a1"), (B, "b1"), (A, "a2"), (B, "b2"), (A, "a3")]


def _one_post_each() -> list[dict[str, Any]]:
    return [text_body(wa_id, body) for wa_id, body in ARRIVALS]


def _one_batched_post() -> list[dict[str, Any]]:
    items = [text_body(wa_id, body)["entry"][0]["changes"][0]["value"] for wa_id, body in ARRIVALS]
    value = {
        "contacts": [
            {"profile": {"name": "Ana"}, "wa_id": A},
            {"profile": {"name": "Bo"}, "wa_id": B},
        ],
        "messages": [item["messages"][0] for item in items],
    }
    return [simulate.envelope(value)]


@pytest.mark.parametrize(
    "bodies", [_one_post_each, _one_batched_post], ids=["one-post-each", "one-batched-post"]
)
def test_each_contact_is_handled_in_arrival_order(
    engine: Engine,
    processor: Processor,
    recorder: Recorder,
    bodies: Callable[[], list[dict[str, Any]]],
) -> None:
    for body in bodies():
        processor.ingest(body)

    processor.process_contact(B)
    processor.process_contact(A)

    assert [text for wa_id, text in recorder.seen if wa_id == A] == ["a1", "a2", "a3"]
    assert [text for wa_id, text in recorder.seen if wa_id == B] == ["b1", "b2"]
    assert reply_texts(engine, A) == ["re: a1", "re: a2", "re: a3"]
    assert reply_texts(engine, B) == ["re: b1", "re: b2"]


def test_updates_stored_before_a_crash_are_processed_after_restart(
    engine: Engine, other_engine: Engine, recorder: Recorder
) -> None:
    crashed = Processor(engine, recorder, clock=clock)
    crashed.ingest(text_body(A, "a1"))
    crashed.ingest(text_body(B, "b1"))
    crashed.ingest(simulate.status("wamid.OUT1", A, "delivered"))
    engine.dispose()  # the process dies here: acknowledged to Meta, never processed

    restarted = Processor(other_engine, recorder, clock=clock)
    results = process_pending(restarted)

    assert [r.ok for r in results] == [True, True, True]
    assert sorted(recorder.seen) == [(A, "a1"), (B, "b1")]
    assert pending_count(other_engine) == 0
    assert sorted(reply_texts(other_engine)) == ["re: a1", "re: b1"]


class ProcessKilled(BaseException):
    """Stands for the process dying mid-turn (not an ``Exception``: nothing catches it)."""


def test_a_crash_in_the_middle_of_a_turn_leaves_the_update_pending(
    engine: Engine, other_engine: Engine, recorder: Recorder
) -> None:
    def die(turn: Turn) -> None:
        turn.conversation.state = "half_done"
        turn.reply(messages.text(turn.contact.wa_id, "half an answer"))
        raise ProcessKilled

    dying = Processor(engine, Scripted({"hello": die}), clock=clock)
    dying.ingest(text_body(A, "hello"))
    with pytest.raises(ProcessKilled):
        process_pending(dying)

    assert states(engine) == ["pending"]
    assert outbox_rows(engine) == []
    assert conversation(engine, A) is None

    process_pending(Processor(other_engine, recorder, clock=clock))

    assert recorder.seen == [(A, "hello")]
    assert states(other_engine) == ["done"]
    assert reply_texts(other_engine) == ["re: hello"]


# -- the failure path -------------------------------------------------------------------------

SECRET_ERROR = 'password "hunter2" rejected by db at orders.py:42'


def test_handler_failure_rolls_back_the_turn_and_apologises(engine: Engine) -> None:
    def fail(turn: Turn) -> None:
        turn.conversation.state = "broken"
        turn.conversation.slots = {"name": "half"}
        turn.reply(messages.text(turn.contact.wa_id, "this reply must never be stored"))
        turn.session.add(Contact(wa_id="15559999999", name="a business record"))
        turn.session.flush()  # the record really reaches the database before the failure
        raise RuntimeError(SECRET_ERROR)

    processor = Processor(engine, Scripted({"hi": ask_name, "Ana": fail}), clock=clock)
    processor.ingest(text_body(A, "hi", at=NOW - timedelta(minutes=5)))
    processor.ingest(text_body(A, "Ana", at=NOW - timedelta(minutes=1)))

    first, second = process_pending(processor)

    assert first.ok
    assert (second.ok, second.replies) == (False, 1)
    assert second.error == f"RuntimeError: {SECRET_ERROR}"
    failed = stored_updates(engine)[1]
    assert (failed.state, failed.error, failed.attempts) == (
        "failed",
        f"RuntimeError: {SECRET_ERROR}",
        1,
    )
    state = conversation(engine, A)
    assert state is not None
    assert (state.state, state.slots, state.version) == ("ask_name", {}, 1)
    with Session(engine) as session:
        assert session.exec(select(Contact).where(Contact.wa_id == "15559999999")).first() is None
    assert reply_texts(engine, A) == ["What is your name?", DEFAULT_APOLOGY]
    apology = outbox_rows(engine, A)[1].payload
    assert apology["to"] == A
    for leak in ("hunter2", "RuntimeError", "Traceback", "orders.py"):
        assert leak not in repr(apology)


def test_apology_reaches_a_first_time_customer(
    engine: Engine, cloud_client: CloudClient, sent: list[dict[str, Any]]
) -> None:
    def fail(turn: Turn) -> None:
        raise RuntimeError(SECRET_ERROR)

    processor = Processor(engine, Scripted({"hello": fail}), clock=clock)
    processor.ingest(text_body(A, "hello", at=NOW - timedelta(minutes=1)))
    process_pending(processor)

    report = OutboxSender(engine, cloud_client, clock=clock).drain()

    assert (report.sent, report.failed) == (1, 0)
    assert [body["text"]["body"] for body in sent] == [DEFAULT_APOLOGY]
    assert contact(engine, A).last_inbound_at == NOW - timedelta(minutes=1)


def _text_4097(to: str | None) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "type": "text", "text": {"body": "x" * 4097}}


def _four_buttons(to: str | None) -> dict[str, Any]:
    buttons = [{"type": "reply", "reply": {"id": f"b{i}", "title": f"B{i}"}} for i in range(4)]
    return {
        "messaging_product": "whatsapp",
        "to": to,
        "type": "interactive",
        "interactive": {"type": "button", "body": {"text": "Pick"}, "action": {"buttons": buttons}},
    }


def _title_21(to: str | None) -> dict[str, Any]:
    button = {"type": "reply", "reply": {"id": "yes", "title": "y" * 21}}
    return {
        "messaging_product": "whatsapp",
        "to": to,
        "type": "interactive",
        "interactive": {"type": "button", "body": {"text": "Ok?"}, "action": {"buttons": [button]}},
    }


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (_text_4097, "text.body"),
        (_four_buttons, "interactive.action.buttons[3]"),
        (_title_21, "interactive.action.buttons[0].reply.title"),
    ],
    ids=["text-body-4097-chars", "four-reply-buttons", "button-title-21-chars"],
)
def test_reply_over_a_whatsapp_limit_takes_the_failure_path(
    engine: Engine, build: Callable[[str | None], dict[str, Any]], field: str
) -> None:
    def oversized(turn: Turn) -> None:
        turn.conversation.state = "should_not_stick"
        turn.reply(messages.text(turn.contact.wa_id, "fine"))
        turn.reply(build(turn.contact.wa_id))

    processor = Processor(engine, Scripted({"go": oversized}), clock=clock)
    processor.ingest(text_body(A, "go"))

    (result,) = process_pending(processor)

    assert not result.ok
    assert result.error is not None
    assert result.error.startswith(f"LimitError: {field} must be")
    assert reply_texts(engine, A) == [DEFAULT_APOLOGY]
    assert conversation(engine, A) is None
    assert states(engine) == ["failed"]


def test_a_built_reply_is_checked_once_from_builder_to_meta(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[dict[str, Any]] = []
    real = _limits.check

    def counting(payload: dict[str, Any]) -> None:
        checked.append(payload)
        real(payload)

    monkeypatch.setattr(_limits, "check", counting)
    processor = Processor(engine, Scripted({"go": ask_name}), clock=clock)
    processor.ingest(text_body(A, "go"))
    process_pending(processor)
    sandbox = SandboxClient()

    OutboxSender(engine, sandbox, clock=clock).drain()

    assert [p["text"]["body"] for p in sandbox.sent] == ["What is your name?"]
    assert len(checked) == 1  # by the builder; storing and sending do not check it again


# -- statuses and preferences -----------------------------------------------------------------

PRICING = {
    "billable": False,
    "pricing_model": "PMP",
    "type": "free_customer_service",
    "category": "service",
}
UNDELIVERABLE = {
    "code": 131026,
    "title": "Message undeliverable",
    "message": "Message undeliverable",
    "error_data": {"details": "Recipient is not on WhatsApp"},
}


def status_body(state: str, minute: int, **extra: Any) -> dict[str, Any]:
    item = {
        "id": "wamid.OUT1",
        "status": state,
        "timestamp": str(int((NOW + timedelta(minutes=minute)).timestamp())),
        "recipient_id": A,
        **extra,
    }
    return simulate.envelope({"statuses": [item]})


@pytest.mark.parametrize(
    ("bodies", "expected"),
    [
        (
            [status_body("sent", 1), status_body("delivered", 2), status_body("read", 3)],
            ("read", [], None, 3),
        ),
        (
            [status_body("read", 3), status_body("delivered", 2, pricing=PRICING)],
            ("read", [], "service", 2),
        ),
        (
            [status_body("sent", 1), status_body("failed", 2, errors=[UNDELIVERABLE])],
            ("failed", [131026], None, 2),
        ),
        (
            [status_body("failed", 2, errors=[UNDELIVERABLE]), status_body("delivered", 1)],
            ("failed", [131026], None, 2),
        ),
        (
            [status_body("delivered", 2, pricing=PRICING), status_body("delivered", 2)],
            ("delivered", [], "service", 1),
        ),
    ],
    ids=[
        "sent-delivered-read",
        "read-then-late-delivered-keeps-read-and-pricing",
        "failed-with-its-errors",
        "late-delivered-after-failed",
        "redelivered-status-stored-once",
    ],
)
def test_statuses_only_move_forward(
    engine: Engine,
    processor: Processor,
    bodies: list[dict[str, Any]],
    expected: tuple[str, list[int], str | None, int],
) -> None:
    stored = sum(processor.ingest(body).stored for body in bodies)
    process_pending(processor)

    with Session(engine) as session:
        row = session.exec(select(MessageStatus).where(MessageStatus.wamid == "wamid.OUT1")).one()
    status, codes, category, updates = expected
    assert row.status == status
    assert [error["code"] for error in row.errors] == codes
    assert (row.pricing or {}).get("category") == category
    assert row.recipient_id == A
    assert stored == updates
    assert set(states(engine)) == {"done"}


def preference_body(value: str, minute: int) -> dict[str, Any]:
    item = {
        "wa_id": A,
        "detail": "User requested to stop marketing messages",
        "category": "marketing_messages",
        "value": value,
        "timestamp": int((NOW + timedelta(minutes=minute)).timestamp()),
    }
    return simulate.envelope(
        {"contacts": [{"wa_id": A}], "user_preferences": [item]}, field="user_preferences"
    )


@pytest.mark.parametrize(
    ("sequence", "opted_out", "changed_minute"),
    [
        ([("stop", 1)], True, 1),
        ([("stop", 1), ("resume", 2)], False, 2),
        ([("resume", 2), ("stop", 1)], False, 2),
        ([("stop", 2), ("resume", 1)], True, 2),
    ],
    ids=["stop", "stop-then-resume", "late-older-stop-ignored", "late-older-resume-ignored"],
)
def test_user_preferences_flip_the_marketing_opt_out(
    engine: Engine,
    processor: Processor,
    sequence: list[tuple[str, int]],
    opted_out: bool,
    changed_minute: int,
) -> None:
    for value, minute in sequence:
        processor.ingest(preference_body(value, minute))

    process_pending(processor)

    row = contact(engine, A)
    assert row.marketing_opt_out is opted_out
    assert row.marketing_changed_at == NOW + timedelta(minutes=changed_minute)
    assert set(states(engine)) == {"done"}


VALUE_ERRORS = simulate.envelope(
    {
        "errors": [
            {
                "code": 131000,
                "title": "Something went wrong",
                "message": "Something went wrong",
                "error_data": {"details": "Unsupported webhook payload"},
            }
        ]
    }
)
TEMPLATE_STATUS = simulate.envelope(
    {"event": "APPROVED", "message_template_id": 594425479261596, "message_template_name": "hi"},
    field="message_template_status_update",
)
NEW_KEY = simulate.envelope({"brand_new_thing": {"x": 1}})
NOT_WHATSAPP = {"object": "page", "entry": [{"id": "1", "changes": []}]}


@pytest.mark.parametrize(
    ("body", "kinds"),
    [
        (VALUE_ERRORS, ["errors"]),
        (TEMPLATE_STATUS, ["unknown"]),
        (NEW_KEY, ["unknown"]),
        (NOT_WHATSAPP, ["unknown"]),
    ],
    ids=["value-level-errors", "unknown-field", "unknown-key-in-value", "not-a-whatsapp-body"],
)
def test_updates_without_a_customer_are_stored_and_marked_done(
    engine: Engine, processor: Processor, recorder: Recorder, body: dict[str, Any], kinds: list[str]
) -> None:
    result = processor.ingest(body)
    processed = process_pending(processor)

    assert (result.stored, result.contacts) == (len(kinds), (None,))
    assert [(p.kind, p.ok) for p in processed] == [(kind, True) for kind in kinds]
    rows = stored_updates(engine)
    assert [(row.kind, row.state, row.wa_id) for row in rows] == [(k, "done", None) for k in kinds]
    assert recorder.seen == []
    assert outbox_rows(engine) == []


# -- bookkeeping of a turn --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent_at", "expected"),
    [
        ([NOW - timedelta(hours=3)], NOW - timedelta(hours=3)),
        ([NOW - timedelta(minutes=1), NOW - timedelta(hours=2)], NOW - timedelta(minutes=1)),
        ([NOW + timedelta(days=1)], NOW + timedelta(minutes=5)),
    ],
    ids=["from-the-message-not-the-clock", "late-older-message-keeps-newest", "future-clamped"],
)
def test_last_inbound_at_follows_the_message_timestamp(
    engine: Engine, processor: Processor, sent_at: list[datetime], expected: datetime
) -> None:
    for i, moment in enumerate(sent_at):
        processor.ingest(text_body(A, f"m{i}", at=moment))

    process_pending(processor)

    assert contact(engine, A).last_inbound_at == expected
    state = conversation(engine, A)
    assert state is not None
    assert state.last_inbound_at == expected


def test_conversation_version_counts_turns(engine: Engine) -> None:
    times = iter([NOW, NOW + timedelta(seconds=10), NOW + timedelta(seconds=20)])
    moment = {"now": NOW}

    def tick() -> datetime:
        return moment["now"]

    processor = Processor(engine, Recorder(), clock=tick)
    for i in range(3):
        processor.ingest(text_body(A, f"m{i}"))

    versions = []
    for when in times:
        moment["now"] = when
        processor.process_one(A)
        state = conversation(engine, A)
        assert state is not None
        versions.append((state.version, state.updated_at))

    assert versions == [
        (1, NOW),
        (2, NOW + timedelta(seconds=10)),
        (3, NOW + timedelta(seconds=20)),
    ]
    assert processor.process_one(A) is None


# -- listeners: updates that are not customer messages --------------------------------------------


def echo_body(wa_id: str, wamid: str = "wamid.ECHO1") -> dict[str, Any]:
    """A coexistence echo: the business wrote to ``wa_id`` from the WhatsApp Business app."""
    item = {
        "from": simulate.DEFAULT_DISPLAY_NUMBER,
        "to": wa_id,
        "id": wamid,
        "timestamp": str(int(NOW.timestamp())),
        "type": "text",
        "text": {"body": "Marta here, I'll help you."},
    }
    return simulate.envelope({"message_echoes": [item]}, field="smb_message_echoes")


def test_listeners_get_non_message_updates_in_the_turn_and_the_handler_never_does(
    engine: Engine, recorder: Recorder
) -> None:
    seen: list[tuple[str, str | None, bool]] = []

    def listener(
        session: Session, update: inbound.Update, contact: Contact | None, now: datetime
    ) -> None:
        assert contact is not None
        assert now == NOW
        contact.name = "seen by the listener"  # written in the update's transaction
        session.add(contact)
        seen.append((update.kind, update.wa_id, isinstance(update, inbound.MessageEcho)))

    processor = Processor(engine, recorder, clock=clock, listeners=[listener])
    processor.ingest(echo_body(A))
    processor.ingest(simulate.status("wamid.OUT1", A, "delivered"))
    process_pending(processor)
    assert seen == [("echo", A, True), ("status", A, False)]
    assert recorder.seen == []
    assert outbox_rows(engine) == []
    assert contact(engine, A).name == "seen by the listener"


def test_a_failing_listener_fails_its_update_and_keeps_the_contact_going(
    engine: Engine, recorder: Recorder
) -> None:
    def listener(
        session: Session, update: inbound.Update, contact: Contact | None, now: datetime
    ) -> None:
        raise RuntimeError("listener bug")

    processor = Processor(engine, recorder, clock=clock, listeners=[listener])
    processor.ingest(echo_body(A))
    processor.ingest(text_body(A, "hello"))
    process_pending(processor)
    assert [(row.kind, row.state) for row in stored_updates(engine)] == [
        ("echo", "failed"),
        ("message", "done"),
    ]
    assert reply_texts(engine, A) == ["re: hello"]  # no apology for an echo
