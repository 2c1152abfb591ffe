"""``outreach.reach``: text inside the window (with its fallback), template outside, or held.

Run against SQLite and PostgreSQL through the ``engine`` fixture; what is queued is read back
from the outbox.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bot import messages
from bot.sending import outbox_rows
from flows.features.business import TemplateRef, outreach
from storage import outbox
from storage.db import transaction
from storage.models import Contact, OutboxMessage

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
ANA = "34600111222"
UPDATE = TemplateRef(name="booking_update", language="en_GB", params=("name", "status"))
VALUES = {"name": "Ana", "status": "cancelled"}
UPDATE_PAYLOAD = messages.template(
    ANA, "booking_update", "en_GB", [messages.body_params("Ana", "cancelled")]
)


def reach(
    engine: Engine, wrote: timedelta, *, template: TemplateRef | None, hold: bool
) -> tuple[outreach.Sent, list[OutboxMessage]]:
    with transaction(engine) as session:
        session.add(Contact(wa_id=ANA, name="Ana", last_inbound_at=NOW - wrote))
        session.flush()
        sent = outreach.reach(
            session,
            ANA,
            NOW,
            free_form=messages.text(ANA, "We had to cancel your booking."),
            what="test notice",
            template=template,
            values=VALUES,
            hold=hold,
        )
    return sent, outbox_rows(engine, ANA)


OPEN, CLOSED = timedelta(hours=1), timedelta(hours=30)


@pytest.mark.parametrize(
    ("template", "hold", "fallback"),
    [
        (UPDATE, True, UPDATE_PAYLOAD),
        (UPDATE, False, UPDATE_PAYLOAD),
        (None, True, outbox.HOLD),
        (None, False, None),
    ],
    ids=["template-and-hold", "template", "hold", "neither"],
)
def test_inside_the_window_the_text_carries_its_fallback(
    engine: Engine, template: TemplateRef | None, hold: bool, fallback: Any
) -> None:
    sent, [row] = reach(engine, OPEN, template=template, hold=hold)

    assert sent == "text"
    assert (row.state, row.payload["type"], row.fallback) == ("pending", "text", fallback)


@pytest.mark.parametrize("hold", [True, False], ids=["hold", "no-hold"])
def test_outside_the_window_the_template_goes(engine: Engine, hold: bool) -> None:
    sent, [row] = reach(engine, CLOSED, template=UPDATE, hold=hold)

    assert sent == "template"
    assert (row.state, row.payload, row.fallback) == ("pending", UPDATE_PAYLOAD, None)


def test_outside_the_window_without_a_template_hold_keeps_the_message(engine: Engine) -> None:
    sent, [row] = reach(engine, CLOSED, template=None, hold=True)

    assert sent == "held"
    assert (row.state, row.last_error, row.payload["type"]) == ("held", outbox.HELD, "text")


def test_outside_the_window_without_a_template_or_hold_nothing_is_queued(engine: Engine) -> None:
    sent, rows = reach(engine, CLOSED, template=None, hold=False)

    assert (sent, rows) == ("skipped", [])


def test_reach_once_keeps_the_claim_of_a_held_message(engine: Engine) -> None:
    claims: list[int] = []
    with transaction(engine) as session:
        session.add(Contact(wa_id=ANA, last_inbound_at=NOW - CLOSED))
        outcome = outreach.reach_once(
            session,
            claim=lambda: claims.append(1) is None,
            send=lambda: outreach.reach(
                session, ANA, NOW, free_form=messages.text(ANA, "x"), what="test", hold=True
            ),
        )
    assert (outcome, claims) == ("held", [1])
    assert [r.state for r in outbox_rows(engine, ANA)] == ["held"]
