"""The console's Broadcasts page and the customer's tags, over HTTP: roles, CSRF, the form and
its mistakes, preview, send now, schedule, cancel; the example shop's ``broadcasts`` section."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from flows.features.broadcasts.broadcasts import broadcast_task
from flows.features.broadcasts.models import Broadcast
from flows.features.business import load_business
from flows.features.console.models import AuditEvent
from flows.features.customers.tags import CustomerTag
from storage.db import read_session, transaction
from storage.models import Contact, OutboxMessage, utcnow
from tests.broadcasts.kit import add_customer
from tests.console.consolekit import SHOP, Login, csrf_of


@pytest.fixture
def owner(logged_in: Login) -> FlaskClient:
    return logged_in("owner")


@pytest.fixture
def people(shop_engine: Engine) -> None:
    with transaction(shop_engine) as session:
        add_customer(session, "34600000001", "Ana", last_inbound_at=utcnow())
        add_customer(session, "34600000002", "Ben")
        add_customer(session, "34600000003", "Gone", opted_out=True)


def _form(client: FlaskClient, **changes: str) -> dict[str, str]:
    form = {
        "csrf_token": csrf_of(client, "/console/broadcasts"),
        "title": "Spring sale",
        "template": "spring_sale",
        "param_name": "{name}",
        "param_code": "SPRING10",
        "action": "preview",
    }
    form.update(changes)
    return form


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/console/broadcasts"), ("get", "/console/broadcasts/1"),
     ("post", "/console/broadcasts"), ("post", "/console/broadcasts/1/cancel")],
)  # fmt: skip
def test_an_agent_is_refused(logged_in: Login, method: str, path: str) -> None:
    agent = logged_in("agent")
    data = {"csrf_token": csrf_of(agent, "/console/inbox")} if method == "post" else None
    assert getattr(agent, method)(path, data=data).status_code == 403


def test_a_visitor_must_log_in(shop_app: Any) -> None:
    answer = shop_app.test_client().get("/console/broadcasts")
    assert answer.status_code == 302
    assert "/console/login" in answer.headers["Location"]


def test_a_form_without_its_csrf_token_is_refused(owner: FlaskClient) -> None:
    form = _form(owner)
    del form["csrf_token"]
    assert owner.post("/console/broadcasts", data=form).status_code == 400


def test_the_menu_links_broadcasts_for_owners(owner: FlaskClient) -> None:
    page = owner.get("/console/broadcasts").get_data(as_text=True)
    assert 'href="/console/broadcasts"' in page
    assert "spring_sale (en_GB, marketing: name, code)" in page  # the declared template


def test_preview_makes_a_draft_with_its_audience_and_a_sample(
    owner: FlaskClient, shop_engine: Engine, people: None
) -> None:
    answer = owner.post("/console/broadcasts", data=_form(owner))
    assert answer.status_code == 303
    page = owner.get(answer.headers["Location"]).get_data(as_text=True)
    assert 'id="audience">3</strong>' in page
    assert 'id="opted-out">1</span> opted out of marketing' in page  # recorded, not sent
    assert "spring_sale (en_GB): Ana, SPRING10" in page
    with read_session(shop_engine) as session:
        made = session.exec(select(Broadcast)).one()
        audits = session.exec(select(AuditEvent.action)).all()
    assert (made.state, made.created_by) == ("draft", "owner@bakery.test")
    assert "broadcast_preview" in audits


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"template": "ghost"}, "Unknown template &#39;ghost&#39;"),
        ({"param_code": ""}, "needs a value for parameter &#39;code&#39;"),
        ({"title": ""}, "The title must be 1 to 200 characters"),
        ({"active_days": "ten"}, "Active days must be a whole number"),
        ({"active_days": "0"}, "Active days must be 1 to 3650"),
        ({"bought": "ghost"}, "Unknown product &#39;ghost&#39;"),
        ({"tags": "ok no!"}, "A tag is made of"),
        ({"title": "\x00"}, "The title must be 1 to 200 characters"),
        ({"param_code": "SPRING\x0010"}, "has a control character"),
        ({"param_code": "SPRING\n10"}, "has a control character"),
        ({"active_days": "\u00b2"}, "Active days must be a whole number"),
        ({"active_days": "99999"}, "Active days must be 1 to 3650"),
        ({"action": "schedule", "at": "someday"}, "Pick a date and time"),
        ({"action": "schedule", "at": ""}, "Pick a date and time"),
        ({"action": "schedule", "at": "0001-01-01T00:00+01:00"}, "more than 100 years from now"),
        ({"action": "schedule", "at": "9999-12-31T23:59-05:00"}, "more than 100 years from now"),
        ({"action": "schedule", "at": "2026-01-01T00:00+25:00"}, "is not ISO 8601"),
        ({"action": "schedule", "at": "2020-01-01T10:00"}, "That time has passed"),
    ],
    ids=["template", "param", "title", "days-text", "days-zero", "product", "tag",
         "title-nul", "param-nul", "param-newline", "days-superscript", "days-too-many", "when", "when-empty", "year-1", "year-9999",
         "offset", "past"],
)  # fmt: skip
def test_bad_values_are_explained_and_nothing_is_made(
    owner: FlaskClient, shop_engine: Engine, changes: dict[str, str], error: str
) -> None:
    answer = owner.post("/console/broadcasts", data=_form(owner, **changes))
    assert answer.status_code == 400
    assert error in answer.get_data(as_text=True)
    with read_session(shop_engine) as session:
        assert session.exec(select(Broadcast)).all() == []


@pytest.mark.parametrize(
    ("at", "error"),
    [
        ("0001-01-01T00:00+01:00", "more than 100 years from now"),
        ("9999-12-31T23:59-05:00", "more than 100 years from now"),
        ("2020-01-01T10:00", "That time has passed"),
    ],
    ids=["year-1", "year-9999", "past"],
)
def test_a_bad_time_to_start_a_draft_is_explained_and_changes_nothing(
    owner: FlaskClient, shop_engine: Engine, at: str, error: str
) -> None:
    location = owner.post("/console/broadcasts", data=_form(owner)).headers["Location"]
    token = csrf_of(owner, location)
    answer = owner.post(f"{location}/start", data={"csrf_token": token, "at": at})
    assert answer.status_code == 303
    assert error in owner.get(location).get_data(as_text=True)
    with read_session(shop_engine) as session:
        assert [b.state for b in session.exec(select(Broadcast)).all()] == ["draft"]


def test_an_unknown_action_is_refused(owner: FlaskClient) -> None:
    assert owner.post("/console/broadcasts", data=_form(owner, action="boom")).status_code == 400


def test_send_now_is_sent_by_the_running_bot_and_reported(
    owner: FlaskClient, shop_engine: Engine, people: None
) -> None:
    answer = owner.post("/console/broadcasts", data=_form(owner, action="now"))
    assert answer.status_code == 303
    business = load_business(SHOP / "business.yaml")  # the example shop's, as the app's
    assert broadcast_task(shop_engine, business, utcnow()) is True  # the bot's periodic task
    with read_session(shop_engine) as session:
        rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.wa_id))).all()
    assert [(r.wa_id, r.state) for r in rows] == [
        ("34600000001", "pending"),
        ("34600000002", "pending"),
        ("34600000003", "suppressed"),  # opted out: recorded by the outbox, never sent
    ]
    page = owner.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Sending" in page


def test_schedule_then_cancel(owner: FlaskClient, shop_engine: Engine, people: None) -> None:
    answer = owner.post(
        "/console/broadcasts", data=_form(owner, action="schedule", at="2099-01-01T10:00")
    )
    location = answer.headers["Location"]
    assert "Scheduled for 2099-01-01 10:00" in owner.get(location).get_data(as_text=True)
    token = csrf_of(owner, location)
    cancelled = owner.post(f"{location}/cancel", data={"csrf_token": token})
    assert cancelled.status_code == 303
    page = owner.get(location).get_data(as_text=True)
    assert "Cancelled" in page
    again = owner.post(f"{location}/cancel", data={"csrf_token": token}, follow_redirects=True)
    assert "already cancelled" in again.get_data(as_text=True)
    assert owner.get("/console/broadcasts/99").status_code == 404
    assert (
        owner.post("/console/broadcasts/99/cancel", data={"csrf_token": token}).status_code == 404
    )


def test_owners_tag_a_customer_on_their_page(
    owner: FlaskClient, logged_in: Login, shop_engine: Engine, people: None
) -> None:
    with read_session(shop_engine) as session:
        ana = session.exec(select(Contact.id).where(Contact.wa_id == "34600000001")).one()
    page = f"/console/customers/{ana}"
    token = csrf_of(owner, page)
    added = owner.post(f"{page}/tags", data={"csrf_token": token, "action": "add", "tag": "VIP"})
    assert added.status_code == 303
    assert "Tag &#39;vip&#39; added." in owner.get(page).get_data(as_text=True)
    bad = owner.post(
        f"{page}/tags",
        data={"csrf_token": token, "action": "add", "tag": "no!"},
        follow_redirects=True,
    )
    assert "A tag is made of" in bad.get_data(as_text=True) or "a tag is made of" in bad.get_data(
        as_text=True
    )
    assert owner.post(f"{page}/tags", data={"action": "add", "tag": "x"}).status_code == 400
    agent = logged_in("agent")
    agent_token = csrf_of(agent, "/console/inbox")
    refused = agent.post(
        f"{page}/tags", data={"csrf_token": agent_token, "action": "add", "tag": "x"}
    )
    assert refused.status_code == 403
    removed = owner.post(
        f"{page}/tags", data={"csrf_token": token, "action": "remove", "tag": "vip"}
    )
    assert removed.status_code == 303
    with read_session(shop_engine) as session:
        assert session.exec(select(CustomerTag)).all() == []
        assert {"tag_add", "tag_remove"} <= set(session.exec(select(AuditEvent.action)).all())
