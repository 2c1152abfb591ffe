"""The owners' export and erasure on a customer's page, and the requests page: login, CSRF,
agents refused, every action audited without the number."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from flows.features.business import BusinessConfig
from flows.features.console import AuditEvent
from flows.features.privacy import PrivacyRequest
from storage.db import read_session
from storage.models import Contact
from tests.console.consolekit import csrf_of
from tests.helpers import Clock, PostWebhook
from tests.privacy.conftest import ANA, BEN, fill, log_in, say


@pytest.fixture
def ids(
    engine: Engine, post_webhook: PostWebhook, clock: Clock, business: BusinessConfig
) -> dict[str, int]:
    """Ana and Ben with data everywhere (Ana asked for a copy): their contact ids by number."""
    fill(engine, post_webhook, clock, business, ANA)
    fill(engine, post_webhook, clock, business, BEN)
    with read_session(engine) as session:
        return {c.wa_id: c.id for c in session.exec(select(Contact)) if c.id is not None}


@pytest.fixture
def owner(app: Flask) -> FlaskClient:
    return log_in(app, "owner")


def audits(engine: Engine, action: str) -> list[AuditEvent]:
    with read_session(engine) as session:
        query = select(AuditEvent).where(AuditEvent.action == action)
        return list(session.exec(query.order_by(col(AuditEvent.id))))


def test_the_customer_page_shows_the_requests_and_both_buttons(
    owner: FlaskClient, ids: dict[str, int]
) -> None:
    page = owner.get(f"/console/customers/{ids[ANA.wa_id]}").get_data(as_text=True)
    assert 'id="privacy"' in page
    assert "a copy of their data" in page
    assert f'action="/console/customers/{ids[ANA.wa_id]}/export"' in page
    assert f'href="/console/customers/{ids[ANA.wa_id]}/erase"' in page


def test_the_requests_page_lists_the_customers_waiting(
    owner: FlaskClient, ids: dict[str, int]
) -> None:
    page = owner.get("/console/privacy").get_data(as_text=True)
    assert ANA.name in page
    assert BEN.name in page
    assert f"/console/customers/{ids[ANA.wa_id]}" in page
    assert 'href="/console/privacy"' in page  # in the owners' menu


def test_export_downloads_the_json_answers_the_request_and_is_audited(
    owner: FlaskClient, ids: dict[str, int], engine: Engine
) -> None:
    page = f"/console/customers/{ids[ANA.wa_id]}"
    answer = owner.post(f"{page}/export", data={"csrf_token": csrf_of(owner, page)})
    assert answer.status_code == 200
    assert answer.mimetype == "application/json"
    assert "attachment" in answer.headers["Content-Disposition"]
    document: dict[str, Any] = json.loads(answer.get_data(as_text=True))
    assert document["customer"] == ANA.wa_id
    assert BEN.wa_id not in answer.get_data(as_text=True)
    with read_session(engine) as session:
        states = {
            (r.wa_id, r.state) for r in session.exec(select(PrivacyRequest)) if r.kind == "export"
        }
    assert states == {(ANA.wa_id, "done"), (BEN.wa_id, "pending")}
    [event] = audits(engine, "customer.export")
    assert event.target == f"contact #{ids[ANA.wa_id]}"
    assert ANA.wa_id[2:] not in json.dumps(event.detail) + event.target
    assert ANA.name not in owner.get("/console/privacy").get_data(as_text=True)


def test_erase_needs_the_number_typed_then_erases_and_audits(
    owner: FlaskClient, ids: dict[str, int], engine: Engine
) -> None:
    page = f"/console/customers/{ids[ANA.wa_id]}/erase"
    form = owner.get(page)
    assert form.status_code == 200
    token = csrf_of(owner, page)
    wrong = owner.post(page, data={"csrf_token": token, "number": BEN.wa_id})
    assert wrong.status_code == 400
    assert "Type the customer" in wrong.get_data(as_text=True)
    assert audits(engine, "customer.erase") == []

    done = owner.post(page, data={"csrf_token": token, "number": "+34 600 111 222"})

    assert done.status_code == 303
    with read_session(engine) as session:
        assert session.get(Contact, ids[ANA.wa_id]) is None
        assert session.get(Contact, ids[BEN.wa_id]) is not None
    [event] = audits(engine, "customer.erase")
    assert event.target == f"contact #{ids[ANA.wa_id]}"
    assert event.detail["pseudonym"].startswith("erased-")
    assert owner.get(page).status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/console/privacy"),
        ("get", "/console/customers/{id}/erase"),
        ("post", "/console/customers/{id}/erase"),
        ("post", "/console/customers/{id}/export"),
    ],
)
def test_an_agent_is_refused(
    app: Flask, ids: dict[str, int], engine: Engine, method: str, path: str
) -> None:
    agent = log_in(app, "agent")
    url = path.format(id=ids[ANA.wa_id])
    data = {"csrf_token": csrf_of(agent, "/console/inbox"), "number": ANA.wa_id}
    answer = agent.get(url) if method == "get" else agent.post(url, data=data)
    assert answer.status_code == 403
    with read_session(engine) as session:
        assert session.get(Contact, ids[ANA.wa_id]) is not None


@pytest.mark.parametrize("action", ["export", "erase"])
def test_a_post_without_its_csrf_token_is_refused(
    owner: FlaskClient, ids: dict[str, int], engine: Engine, action: str
) -> None:
    url = f"/console/customers/{ids[ANA.wa_id]}/{action}"
    answer = owner.post(url, data={"number": ANA.wa_id})
    assert answer.status_code == 400
    with read_session(engine) as session:
        assert session.get(Contact, ids[ANA.wa_id]) is not None
    assert audits(engine, f"customer.{action}") == []


def test_a_stranger_is_sent_to_the_login(app: Flask, ids: dict[str, int]) -> None:
    answer = app.test_client().get(f"/console/customers/{ids[ANA.wa_id]}/erase")
    assert answer.status_code == 302
    assert "/console/login" in answer.headers["Location"]


def test_an_unknown_customer_is_a_404(owner: FlaskClient, ids: dict[str, int]) -> None:
    token = csrf_of(owner, f"/console/customers/{ids[ANA.wa_id]}")
    assert (
        owner.post("/console/customers/999/export", data={"csrf_token": token}).status_code == 404
    )
    assert owner.get("/console/customers/999/erase").status_code == 404


def test_a_request_made_in_the_chat_shows_on_the_page(
    owner: FlaskClient, post_webhook: PostWebhook, clock: Clock, engine: Engine
) -> None:
    say(post_webhook, clock, ANA, "delete my data")
    with read_session(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == ANA.wa_id)).one()
    page = owner.get(f"/console/customers/{contact.id}").get_data(as_text=True)
    assert "erase their data" in page
    assert "confirming" in page
