"""A week of a small shop's life, written straight into the tables the analytics read.

The shop is the shared test business (Europe/Madrid, UTC+1 in March 2025, EUR). The week is
Monday 2025-03-03 to Sunday 2025-03-09 (``START``, ``END`` exclusive). Three customers:

- Ana writes on Monday through ad ``ad-1``, orders and pays 25.00 (a cake and five candles).
- Ben writes late on Monday in UTC (already Tuesday in Madrid) through ``ad-2``, orders and pays
  10.00 at once; on Wednesday he writes through ``ad-1`` and leaves an unpaid order.
- Cai came through ``ad-2`` in February (before the week), writes on Wednesday, pays an order
  that is then cancelled (refunded).

Each figure the tests expect is worked out next to it in ``test_metrics.py``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from flows.features.handoff import HandoffEvent
from flows.features.shop.models import Order, OrderLine
from flows.features.surveys.models import SurveyAnswer, SurveyResponse
from storage.models import Contact, FlowStep, InboundUpdate, MessageStatus, OutboxMessage

START, END = date(2025, 3, 3), date(2025, 3, 10)
ANA, BEN, CAI = "34600000001", "34600000002", "34600000003"
AD_HEADLINE = '=HYPERLINK("http://evil.test","Cakes")'
"""The second ad's headline: text a spreadsheet would run, to check the CSV exports."""


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """A UTC instant in 2025."""
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


def referral(source_id: str, headline: str) -> dict[str, Any]:
    """A Click-to-WhatsApp ``referral`` object as Meta sends it."""
    return {
        "source_url": f"https://fb.me/{source_id}",
        "source_id": source_id,
        "source_type": "ad",
        "headline": headline,
        "body": "Fresh every morning",
        "media_type": "image",
        "ctwa_clid": f"clid-{source_id}",
    }


def message(wa_id: str, received: datetime, ref: dict[str, Any] | None = None) -> InboundUpdate:
    """A stored customer text message, with a referral when given."""
    item: dict[str, Any] = {
        "from": wa_id,
        "id": f"wamid.IN{wa_id}{received.timestamp():.0f}",
        "timestamp": str(int(received.timestamp())),
        "type": "text",
        "text": {"body": "hi"},
    }
    if ref is not None:
        item["referral"] = ref
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "contacts": [{"profile": {"name": "Customer"}, "wa_id": wa_id}],
        "messages": [item],
    }
    return InboundUpdate(
        dedupe_key=f"message:{item['id']}",
        kind="message",
        field="messages",
        wa_id=wa_id,
        value=value,
        received_at=received,
        state="done",
    )


def sent(wa_id: str, when: datetime, wamid: str, inbound_id: int | None = 1) -> OutboxMessage:
    """An outbox row the sender sent (written by a bot turn unless ``inbound_id`` is ``None``)."""
    payload = {"messaging_product": "whatsapp", "to": wa_id, "type": "text"}
    return OutboxMessage(
        wa_id=wa_id,
        payload=payload,
        state="sent",
        wamid=wamid,
        created_at=when,
        sent_at=when,
        inbound_id=inbound_id,
    )


def order(
    number: str,
    wa_id: str,
    created: datetime,
    status: str,
    lines: list[tuple[str, str, int, int]],
    paid: datetime | None = None,
) -> Order:
    """An order with its lines ``(product_id, title, unit_price, quantity)``."""
    made = Order(
        number=number,
        wa_id=wa_id,
        status=status,
        currency="EUR",
        created_at=created,
        updated_at=created,
        paid_at=paid,
        total=sum(price * qty for _, _, price, qty in lines),
    )
    made.subtotal = made.total
    return made


def lines_of(made: Order, lines: list[tuple[str, str, int, int]]) -> list[OrderLine]:
    """The :class:`OrderLine` rows of a flushed order."""
    assert made.id is not None
    return [
        OrderLine(
            order_id=made.id,
            product_id=product,
            title=title,
            unit_price=price,
            quantity=qty,
            line_total=price * qty,
        )
        for product, title, price, qty in lines
    ]


def steps(wa_id: str, flow: str, states: list[str], first: datetime) -> list[FlowStep]:
    """The steps of one customer through a flow, a minute apart."""
    return [
        FlowStep(wa_id=wa_id, flow=flow, state=state, at=first.replace(minute=n))
        for n, state in enumerate(states)
    ]


def seed(engine: Engine) -> None:
    """Write the week (see the module docstring)."""
    cake, candles = ("cake", "Chocolate cake", 2000, 1), ("candle", "Candle", 100, 5)
    small = ("cake", "Chocolate cake", 1000, 1)
    orders = [
        (order("A1", ANA, at(3, 9, 10), "paid", [cake, candles], at(3, 9, 20)), [cake, candles]),
        (order("B1", BEN, at(4, 0), "delivered", [small], at(4, 0, 10)), [small]),
        (order("B2", BEN, at(5, 10, 10), "pending_payment", [small]), [small]),
        (order("C1", CAI, at(5, 12, 10), "cancelled", [cake], at(5, 12, 20)), [cake]),
    ]
    with Session(engine) as session:
        session.add_all(
            [
                Contact(wa_id=ANA, created_at=at(3, 9)),
                Contact(wa_id=BEN, created_at=at(3, 23, 30)),  # Tuesday in Madrid
                Contact(wa_id=CAI, created_at=at(20, 9, month=2)),
                message(ANA, at(3, 9), referral("ad-1", "Cakes -20%")),
                message(ANA, at(3, 9, 5)),
                message(BEN, at(3, 23, 30), referral("ad-2", AD_HEADLINE)),
                message(BEN, at(5, 10), referral("ad-1", "Cakes -20%")),
                message(CAI, at(25, 9, month=2), referral("ad-2", AD_HEADLINE)),
                message(CAI, at(5, 12)),
                message(CAI, at(9, 23, 30)),  # Monday 10 March in Madrid: after the week
                InboundUpdate(
                    dedupe_key="status:wamid.OUT1:read",
                    kind="status",
                    field="messages",
                    wa_id=ANA,
                    value={},
                    received_at=at(3, 9, 30),
                ),
                sent(ANA, at(3, 9, 1), "wamid.OUT1"),
                sent(ANA, at(3, 9, 2), "wamid.OUT2"),
                sent(ANA, at(3, 9, 3), "wamid.OUT3"),
                sent(CAI, at(5, 12, 1), "wamid.OUT4"),
                OutboxMessage(wa_id=BEN, payload={}, state="failed", created_at=at(5, 10)),
                MessageStatus(wamid="wamid.OUT1", status="read", rank=3),
                MessageStatus(wamid="wamid.OUT2", status="delivered", rank=2),
                MessageStatus(wamid="wamid.OUT3", status="failed", rank=5),
                *steps(ANA, "purchase", ["browse", "cart", "checkout", "__end__"], at(3, 9)),
                *steps(BEN, "purchase", ["browse", "cart"], at(5, 10)),
                *steps(CAI, "purchase", ["browse", "__abort__"], at(5, 12)),
                *steps(ANA, "main_menu", ["menu"], at(3, 8)),
                # handoffs: Cai waits 7 minutes for staff on Thursday; Ben is released without
                # an answer; on Friday Ana is answered from the Business app after 15 minutes
                FlowStep(wa_id=CAI, flow="main_menu", state="__handoff__", at=at(6, 10)),
                FlowStep(wa_id=BEN, flow="main_menu", state="__handoff__", at=at(6, 11)),
                HandoffEvent(wa_id=CAI, kind="requested", at=at(6, 10)),
                sent(CAI, at(6, 10, 1), "wamid.OUT5"),  # the bot's "a person will answer"
                sent(CAI, at(6, 10, 7), "wamid.OUT6", inbound_id=None),  # staff's answer
                HandoffEvent(wa_id=BEN, kind="requested", at=at(6, 11)),
                HandoffEvent(wa_id=BEN, kind="released", at=at(6, 11, 20)),
                sent(BEN, at(6, 11, 20), "wamid.OUT7", inbound_id=None),  # "back to the bot"
                HandoffEvent(wa_id=ANA, kind="requested", at=at(7, 9)),
                HandoffEvent(wa_id=ANA, kind="echo", at=at(7, 9, 15)),
            ]
        )
        for made, _ in orders:
            session.add(made)
        session.flush()
        for made, lines in orders:
            session.add_all(lines_of(made, lines))
        for wa_id, completed, score in [
            (ANA, at(3, 12), 10),
            (BEN, at(4, 12), 9),
            (CAI, at(5, 13), 3),
            (CAI, at(6, 13), None),
        ]:
            response = SurveyResponse(survey="feedback", wa_id=wa_id, completed_at=completed)
            session.add(response)
            session.flush()
            assert response.id is not None
            session.add(
                SurveyAnswer(
                    response_id=response.id,
                    survey="feedback",
                    question="nps",
                    kind="nps",
                    value_int=score,
                    skipped=score is None,
                )
            )
            session.add(
                SurveyAnswer(
                    response_id=response.id,
                    survey="feedback",
                    question="stars",
                    kind="rating",
                    value_int=1,
                )
            )
        session.commit()
