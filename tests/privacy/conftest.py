"""Privacy fixtures: the example shop's bot (every feature) on a clock the tests move, its
console, and two customers whose data fills every table holding customers' data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot import simulate
from bot.client import CloudClient
from bot.config import Config
from bot.runtime import Runtime
from flows.features.booking.models import Booking
from flows.features.broadcasts.models import Broadcast, BroadcastRecipient
from flows.features.business import BusinessConfig, parse_business
from flows.features.console import add_staff, audit
from flows.features.customers.tags import add_tag
from flows.features.handoff.inbox import add_note, send_reply
from flows.features.shop.cart import add_item
from flows.features.shop.orders import create_order
from flows.features.surveys.invites import invite
from flows.features.surveys.models import StoredAnswer, record_response
from storage import outbox
from storage.db import transaction
from storage.models import Contact, InboundUpdate, OutboxMessage
from tests.console.consolekit import AGENT, OWNER, SHOP, csrf_of
from tests.helpers import Clock, PostWebhook
from webhooks.bootstrap import make_app, make_runtime

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Person:
    """A customer of the tests: number, profile name, and an address only they have."""

    wa_id: str
    name: str
    address: str

    @property
    def forms(self) -> tuple[str, ...]:
        """Every way the tests look for them: the number with and without ``+``, its national
        digits, the profile name, the address."""
        return (f"+{self.wa_id}", self.wa_id, self.wa_id[2:], self.name, self.address)


ANA = Person("34600111222", "Anabel Quintero", "Calle del Pez 7, Madrid")
BEN = Person("34600333444", "Benedikt Ostrowski", "Calle Luna 3, Madrid")


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def business(request: pytest.FixtureRequest) -> BusinessConfig:
    """The example shop (with its ``privacy`` section); parametrized indirectly, with those
    entries added to the section."""
    text = (SHOP / "business.yaml").read_text(encoding="utf-8")
    return parse_business(text + getattr(request, "param", ""), "business.yaml")


@pytest.fixture
def runtime(
    engine: Engine,
    cloud_client: CloudClient,
    sent: list[dict[str, Any]],
    config: Config,
    business: BusinessConfig,
    clock: Clock,
) -> Runtime:
    """The example shop's bot with every feature, inline, on the test clock."""
    return make_runtime(
        config, inline=True, engine=engine, client=cloud_client, business=business, clock=clock
    )


@pytest.fixture
def app(runtime: Runtime, config: Config, business: BusinessConfig) -> Flask:
    """The webhook, the features' routes and the console, with an owner and an agent."""
    with transaction(runtime.engine) as session:
        add_staff(session, OWNER[0], "owner", OWNER[1])
        add_staff(session, AGENT[0], "agent", AGENT[1])
    flask_app = make_app(runtime, config, business)
    flask_app.testing = True
    return flask_app


def log_in(app: Flask, role: str) -> FlaskClient:
    """A test client with a live console session of the owner or the agent."""
    email, password = OWNER if role == "owner" else AGENT
    client = app.test_client()
    data = {"email": email, "password": password, "csrf_token": csrf_of(client)}
    assert client.post("/console/login", data=data).status_code == 302
    return client


def say(post: PostWebhook, clock: Clock, person: Person, text: str) -> None:
    """``person`` writes ``text`` 30 seconds later (a signed webhook, as Meta sends it)."""
    clock.now += timedelta(seconds=30)
    body = simulate.text(person.wa_id, text, name=person.name, timestamp=clock.now.timestamp())
    assert post(body).status_code == 200


def fill(
    engine: Engine, post: PostWebhook, clock: Clock, business: BusinessConfig, person: Person
) -> None:
    """Give ``person`` a row in every table holding customers' data.

    The chat (signed webhooks) makes the contact, the conversation, the stored updates, the
    flow steps, the outbox, a delivery status (and one cleaned of a lone surrogate, its original
    kept in the quarantine), the consent ledger, a data request and a
    handoff (the staff's alert names them); the features' own functions (those the flows and
    console pages call) add an order delivered to their address with a note naming their
    number, a cart, a booking, a survey invitation and answer, a staff reply, a note, a tag and
    a place in a campaign.
    """
    say(post, clock, person, "hi")
    say(post, clock, person, "STOP")
    say(post, clock, person, "my data")
    say(post, clock, person, "talk to a person")  # the staff's alert names them
    with transaction(engine) as session:
        wamid = session.exec(
            select(OutboxMessage.wamid).where(OutboxMessage.wa_id == person.wa_id)
        ).first()
    assert wamid is not None
    assert post(simulate.status(wamid, person.wa_id, "read")).status_code == 200
    delivered = simulate.status(wamid, person.wa_id, "delivered")
    delivered["entry"][0]["changes"][0]["value"]["statuses"][0]["note"] = "\ud83d"
    assert post(delivered).status_code == 200  # stored cleaned, the original kept as received
    now = clock.now
    with transaction(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == person.wa_id)).one()
        written = select(InboundUpdate.id).where(
            InboundUpdate.wa_id == person.wa_id, InboundUpdate.kind == "message"
        )
        last = max(i for i in session.exec(written) if i is not None)
        outbox.queue_receipts(session, [last], typing=True, now=now)  # a read receipt not sent yet
        email = f"{person.name[:3].lower()}@staff.test"
        staff = add_staff(session, email, "agent", "agent pass 9")
        add_item(session, business, person.wa_id, "choc", 1, now)
        order = create_order(
            session, business, person.wa_id, fulfilment="delivery", now=now, address=person.address
        )
        ring = f"Ring {person.wa_id[:2]} {person.wa_id[2:]} at the door"  # as staff type it
        audit(session, staff, "order.note", order.number, {"note": ring})
        said = f"{person.name.split()[0].lower()} asked to keep it warm"  # staff's words
        audit(session, staff, "order.note", order.number, {"note": said})
        audit(
            session,
            staff,
            "consent.out",
            f"contact #{contact.id}",
            {"note": f"{person.name} phoned"},
        )
        add_item(session, business, person.wa_id, "choc", 2, now)  # a cart left behind
        session.add(
            Booking(
                wa_id=person.wa_id,
                service="wedding",
                resource="lucia",
                start_at=now + timedelta(days=7),
                end_at=now + timedelta(days=7, hours=1),
            )
        )
        survey = business.surveys["feedback"]
        invite(session, business, survey, person.wa_id, now, ref="visit-1")
        answers = [
            StoredAnswer("stars", "rating", 5),
            StoredAnswer("improve", "text", f"I am {person.name}, call me on +{person.wa_id}"),
        ]
        record_response(session, "feedback", person.wa_id, answers, once_per_contact=False, now=now)
        add_note(session, contact, staff, f"Calls: {person.wa_id[2:5]} {person.wa_id[5:]}", now)
        add_tag(session, person.wa_id, "regular", now, by=email)
        campaign = Broadcast(title="Spring", template="spring", language="en", category="marketing")
        session.add(campaign)
        session.flush()
        assert campaign.id is not None
        session.add(BroadcastRecipient(broadcast_id=campaign.id, wa_id=person.wa_id))
        send_reply(session, business, contact, staff, now, text="We are on it!")
