"""Consent through the live app, as Meta and a shop system would drive it (issue 11's Must show).

A customer orders on WhatsApp (signed webhook bodies), the shop's system marks the order paid
and delivered through the order-status API, the owner sends a broadcast to every customer, and
the mock Cloud API shows what reached the customer: after STOP (or Meta's ``user_preferences``
stop) the order's utility updates still arrive, and neither the broadcast nor the feedback
invitation, both marketing, does, though both are recorded as suppressed (another customer gets
the broadcast); after START they arrive again.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from sqlmodel import select

from flows.features.broadcasts import Segment
from flows.features.broadcasts.broadcasts import broadcast_task, create, schedule
from flows.features.business import load_business
from flows.features.consent.models import ConsentEvent
from storage.db import read_session, transaction
from storage.models import OutboxMessage, utcnow
from tests.browser.conftest import SHOP, Console, console  # noqa: F401 (the live shop)
from tests.browser.test_orders import Customer, _body, order_a_cake
from tests.helpers import load_payload

TOKEN = "consent-test-api-token"


@pytest.fixture(autouse=True)
def _api_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """The order-status API's token, set before the live shop (``console``) is built."""
    monkeypatch.setenv("WAFLOW_SHOP_API_TOKEN", TOKEN)


def set_status(console: Console, number: str, status: str) -> None:  # noqa: F811
    """The shop's own system reports a status, as it would in production."""
    answer = requests.post(
        f"{console.url}/api/orders/{number}/status",
        json={"status": status},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text


def is_invitation(payload: dict[str, Any]) -> bool:
    buttons = payload.get("interactive", {}).get("action", {}).get("buttons", [])
    return any(b["reply"]["id"].startswith("survey:") for b in buttons)


def deliver_an_order(customer: Customer) -> str:
    number = order_a_cake(customer)
    set_status(customer.console, number, "paid")
    customer.expect(lambda p: "Payment received" in _body(p))
    set_status(customer.console, number, "delivered")
    customer.expect(lambda p: number in _body(p) and "collected" in _body(p))
    return number


def is_broadcast(payload: dict[str, Any]) -> bool:
    return payload.get("template", {}).get("name") == "spring_sale"


def send_a_broadcast(console: Console) -> None:  # noqa: F811
    """The owner sends the spring sale to every customer now; the bot's minute task queues it."""
    business = load_business(SHOP / "business.yaml")  # the live shop's
    now = utcnow()
    with transaction(console.engine) as session:
        sale = create(
            session,
            business,
            title="Spring sale",
            template="spring_sale",
            params={"code": "SPRING10"},
            segment=Segment(),
            created_by="owner@bakery.test",
            now=now,
        )
        schedule(session, sale, now, now)
    assert broadcast_task(console.engine, business, now)
    console.runtime.wake_sender()


def user_preferences(wa_id: str, value: str) -> dict[str, Any]:
    """Meta's ``user_preferences`` webhook body, readdressed."""
    body = load_payload("inbound", "user_preferences_stop.json")
    item = body["entry"][0]["changes"][0]["value"]["user_preferences"][0]
    item.update(wa_id=wa_id, value=value)
    body["entry"][0]["changes"][0]["value"]["contacts"][0]["wa_id"] = wa_id
    return body


@pytest.mark.parametrize("how", ["keyword", "meta"])
def test_after_stop_nothing_marketing_arrives_and_start_undoes_it(
    console: Console,  # noqa: F811
    how: str,
) -> None:
    ana = Customer(console)
    ana.say("hi")
    if how == "keyword":
        ana.say("STOP")
        ana.expect(lambda p: "START" in _body(p))  # the confirmation says how to undo it
    else:
        console.deliver(user_preferences(ana.wa_id, "stop"))

    deliver_an_order(ana)
    ben = Customer(console, wa_id="34611222444", name="Ben")
    ben.say("hi")
    send_a_broadcast(console)
    ben.expect(is_broadcast)  # the broadcast went out to those who did not opt out

    with read_session(console.engine) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.wa_id == ana.wa_id)).all()
        events = session.exec(select(ConsentEvent).where(ConsentEvent.wa_id == ana.wa_id)).all()
    suppressed = sorted(r.payload.get("type", "") for r in rows if r.state == "suppressed")
    assert suppressed == ["interactive", "template"]  # the invitation and the broadcast
    assert all(
        is_invitation(r.payload) or is_broadcast(r.payload) for r in rows if r.state == "suppressed"
    )
    assert not any(is_invitation(p) or is_broadcast(p) for p in ana.sent())
    assert [(e.opted, e.source) for e in events] == [
        ("out", "keyword" if how == "keyword" else "meta")
    ]

    ana.say("START")
    deliver_an_order(ana)
    ana.expect(is_invitation)  # marketing reaches her again
    send_a_broadcast(console)
    ana.expect(is_broadcast)
