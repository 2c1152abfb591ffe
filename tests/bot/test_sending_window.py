"""A closed 24-hour window: each message does what its sender declared (SQLite and PostgreSQL).

A message carries its ``fallback`` in the outbox: a template sent in its place, or ``hold``
(stored ``held`` until the customer next writes, then sent before the reply to that message);
without one (a reply in a conversation) it fails as before. The window is found closed by the
sender's own check, by 131047 in the Cloud API's answer, or by a later ``failed`` status with
131047 (``tests/payloads/inbound/status_failed.json``).
"""

# The sending tests' fixtures (clock, once, script) are imported, so parameters name them again.
# ruff: noqa: F811

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from bot import messages
from bot.client import CloudClient
from bot.processing import Processor
from bot.sending import OutboxSender, outbox_rows
from bot.turn import Turn
from storage import inbox, outbox
from storage.db import transaction
from tests.bot.test_sending import (  # noqa: F401 (fixtures: clock, once, script)
    OPEN,
    T0,
    A,
    B,
    Clock,
    GraphScript,
    clock,
    once,
    row,
    script,
)
from tests.helpers import load_payload

CLOSED = T0 - timedelta(hours=30)
TEMPLATE = messages.template(A, "order_update", "en_US", [messages.body_params("BK-1", "paid")])


def queue(
    engine: Engine,
    wa_id: str,
    *payloads: dict[str, Any],
    last_inbound_at: datetime | None,
    fallback: outbox.Fallback | None = None,
    held: bool = False,
) -> list[int]:
    """Queue payloads with a fallback for a contact who last wrote at ``last_inbound_at``."""
    with transaction(engine) as session:
        contact = inbox.lock_contact(session, wa_id, now=T0)
        contact.last_inbound_at = last_inbound_at
        session.add(contact)
        rows = outbox.enqueue(session, wa_id, list(payloads), now=T0, fallback=fallback, held=held)
        session.flush()
        return [int(r.id or 0) for r in rows]


# The window found closed by the sender's own check (30 h), or by Meta's 131047 at send time.
HOW = pytest.mark.parametrize("how", ["own-check", "131047"])


def closed_by(how: str, script: GraphScript) -> datetime:
    """The customer's last message time for ``how``, queueing Meta's refusal if need be."""
    if how == "131047":
        script.queue(A, "131047_re_engagement")
        return OPEN
    return CLOSED


@HOW
def test_a_closed_window_sends_the_fallback_template_instead(
    engine: Engine, once: CloudClient, script: GraphScript, clock: Clock, how: str
) -> None:
    (row_id,) = queue(
        engine,
        A,
        messages.text(A, "Paid!"),
        last_inbound_at=closed_by(how, script),
        fallback=TEMPLATE,
    )

    report = OutboxSender(engine, once, clock=clock).drain()

    found = row(engine, row_id)
    assert (report.sent, report.failed, found.state) == (1, 0, "sent")
    assert (found.payload, found.fallback) == (TEMPLATE, None)  # what the customer got
    assert found.wamid is not None
    assert found.last_error is not None
    assert "window closed; sent as template order_update instead" in found.last_error
    assert script.sent_to(A)[-1] == "template:order_update"
    assert script.sent_to(A).count("template:order_update") == 1


@HOW
def test_a_closed_window_holds_a_message_that_asked_to_be_held(
    engine: Engine, once: CloudClient, script: GraphScript, clock: Clock, how: str
) -> None:
    document = messages.document(A, link="https://shop.example/book.pdf", filename="book.pdf")
    held_id, after_id = queue(
        engine,
        A,
        document,
        messages.template(A, "come_back"),
        last_inbound_at=closed_by(how, script),
        fallback=outbox.HOLD,
    )

    report = OutboxSender(engine, once, clock=clock).drain()

    held = row(engine, held_id)
    assert (report.held, report.failed, held.state, held.attempts) == (1, 0, "held", 0)
    assert held.last_error is not None
    assert held.last_error.startswith(outbox.HELD)
    assert held.payload == document
    assert row(engine, after_id).state == "sent"  # a held row does not block the queue
    assert "template:come_back" in script.sent_to(A)


@HOW
def test_a_conversation_reply_without_a_fallback_still_fails(
    engine: Engine, once: CloudClient, script: GraphScript, clock: Clock, how: str
) -> None:
    (row_id,) = queue(engine, A, messages.text(A, "hi"), last_inbound_at=closed_by(how, script))

    report = OutboxSender(engine, once, clock=clock).drain()

    found = row(engine, row_id)
    assert (report.failed, found.state) == (1, "failed")
    assert found.last_error is not None
    assert found.last_error.startswith(("WindowClosedError", "ReEngagementError"))


def test_a_retried_message_whose_window_closes_meanwhile_takes_its_fallback(
    engine: Engine, once: CloudClient, script: GraphScript, clock: Clock
) -> None:
    last = T0 - timedelta(hours=23, minutes=59, seconds=59)  # closes a second after T0
    (row_id,) = queue(engine, A, messages.text(A, "Paid!"), last_inbound_at=last, fallback=TEMPLATE)
    script.queue(A, "131000_unknown")  # retryable; the back-off would pass the window

    OutboxSender(engine, once, clock=clock).drain()

    found = row(engine, row_id)
    assert (found.state, found.payload) == ("sent", TEMPLATE)
    assert script.sent_to(A) == ["Paid!", "template:order_update"]


# -- held until the customer writes again -------------------------------------------------------


class Echo:
    """A handler answering every message with ``you said: <text>``."""

    def handle(self, turn: Turn) -> None:
        turn.reply(messages.text(turn.contact.wa_id, f"you said: {turn.message.text_value}"))


def customer_writes(engine: Engine, wa_id: str, text: str, at: datetime) -> None:
    processor = Processor(engine, Echo(), clock=lambda: at)
    body = copy.deepcopy(load_payload("inbound", "text.json"))
    value = body["entry"][0]["changes"][0]["value"]
    value["contacts"][0]["wa_id"] = value["messages"][0]["from"] = wa_id
    value["messages"][0].update(
        id=f"wamid.IN.{wa_id}.{text}", timestamp=str(int(at.timestamp())), text={"body": text}
    )
    processor.ingest(body)
    assert [p.ok for p in processor.process_contact(wa_id)] == [True]


def test_held_messages_go_out_in_order_before_the_reply_when_the_customer_writes(
    engine: Engine, once: CloudClient, script: GraphScript, clock: Clock
) -> None:
    first = messages.text(A, "your book: https://shop.example/book")
    second = messages.text(A, "your class: https://shop.example/class")
    queue(engine, A, first, second, last_inbound_at=CLOSED, held=True)
    queue(engine, B, messages.text(B, "B's"), last_inbound_at=CLOSED, held=True)
    sender = OutboxSender(engine, once, clock=clock)
    assert sender.drain().claimed == 0  # held: nobody sends them

    clock.now = T0 + timedelta(minutes=1)
    customer_writes(engine, A, "hello", clock.now)
    sender.drain()
    clock.now += timedelta(seconds=1)
    customer_writes(engine, A, "again", clock.now)
    sender.drain()

    assert script.sent_to(A) == [
        "your book: https://shop.example/book",
        "your class: https://shop.example/class",
        "you said: hello",
        "you said: again",
    ]
    assert script.sent_to(B) == []  # only the contact who wrote
    assert [r.state for r in outbox_rows(engine, B)] == ["held"]


def test_a_released_message_queued_long_ago_is_retried_not_given_up(
    engine: Engine, once: CloudClient, script: GraphScript, clock: Clock
) -> None:
    (row_id,) = queue(engine, A, messages.text(A, "your book"), last_inbound_at=CLOSED, held=True)
    clock.now = T0 + timedelta(hours=30)  # the customer writes more than a day later
    customer_writes(engine, A, "hello", clock.now)
    script.queue(A, "131000_unknown")

    OutboxSender(engine, once, clock=clock).drain()

    found = row(engine, row_id)
    assert (found.state, found.attempts) == ("pending", 1)  # retried, not too old
    assert found.next_attempt_at > clock.now


def outbox_updates(engine: Engine, write: Callable[[], None]) -> int:
    """How many ``UPDATE waflow_outbox`` statements ``write()`` runs."""
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        statements.append(sql)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        write()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return sum(s.lstrip().startswith("UPDATE waflow_outbox") for s in statements)


def test_a_turn_after_a_closed_window_releases_held_messages_in_one_statement(
    engine: Engine, clock: Clock
) -> None:
    queue(engine, A, messages.text(A, "held"), last_inbound_at=CLOSED, held=True)
    later = T0 + timedelta(hours=30)

    assert outbox_updates(engine, lambda: customer_writes(engine, A, "back", later)) == 1
    assert outbox_rows(engine, A)[0].state == "pending"


def test_a_turn_inside_the_window_costs_no_release_statement(engine: Engine, clock: Clock) -> None:
    customer_writes(engine, A, "first", T0)
    soon = T0 + timedelta(hours=2)  # nothing can be held while the window is open

    assert outbox_updates(engine, lambda: customer_writes(engine, A, "again", soon)) == 0


# -- 131047 in a later status webhook ---------------------------------------------------------


def failed_status(wamid: str) -> dict[str, Any]:
    body = copy.deepcopy(load_payload("inbound", "status_failed.json"))
    item = body["entry"][0]["changes"][0]["value"]["statuses"][0]
    item.update(id=wamid, recipient_id=A)
    return body


@pytest.mark.parametrize(
    ("fallback", "state"),
    [(TEMPLATE, "sent"), (outbox.HOLD, "held"), (None, "sent")],
    ids=["template", "hold", "no-fallback"],
)
def test_a_failed_status_with_131047_applies_the_fallback(
    engine: Engine,
    once: CloudClient,
    script: GraphScript,
    clock: Clock,
    fallback: outbox.Fallback | None,
    state: str,
) -> None:
    (row_id,) = queue(engine, A, messages.text(A, "Paid!"), last_inbound_at=OPEN, fallback=fallback)
    sender = OutboxSender(engine, once, clock=clock)
    sender.drain()
    wamid = row(engine, row_id).wamid
    assert wamid is not None

    processor = Processor(engine, Echo(), clock=clock)
    for _ in range(2):  # a redelivered status changes nothing more
        processor.ingest(failed_status(wamid))
        processor.process_contact(A)
        sender.drain()

    found = row(engine, row_id)
    assert found.state == state
    if fallback == TEMPLATE:
        assert script.sent_to(A) == ["Paid!", "template:order_update"]
        assert found.payload == TEMPLATE
        assert found.wamid != wamid
    else:
        assert script.sent_to(A) == ["Paid!"]
    if fallback == outbox.HOLD:
        assert found.last_error is not None
        assert found.last_error.startswith(outbox.HELD)
