"""The customer page's consent form over HTTP: owners only, CSRF, audited, in the ledger.

The example shop's app with an owner and an agent (``tests/console/consolekit.py``), on SQLite
and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot import messages
from flows.features.consent.models import history, record
from flows.features.console import AuditEvent
from storage.db import read_session, transaction
from storage.models import Contact, utcnow
from storage.outbox import enqueue
from tests.console.consolekit import OWNER, Login, csrf_of

ANA = "34600111222"
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def owner(logged_in: Login) -> FlaskClient:
    """The owner, logged in."""
    return logged_in("owner")


@pytest.fixture
def ana(shop_engine: Engine) -> int:
    """A customer who never chose: her contact id."""
    with transaction(shop_engine) as session:
        contact = Contact(wa_id=ANA, name="Ana", created_at=NOW)
        session.add(contact)
        session.flush()
        assert contact.id is not None
        return contact.id


def post(client: FlaskClient, contact_id: int, **form: str) -> tuple[int, str]:
    """Submit the consent form of the customer's page, following the redirect."""
    token = csrf_of(client, f"/console/customers/{contact_id}")
    answer = client.post(
        f"/console/customers/{contact_id}/consent",
        data={"csrf_token": token, **form},
        follow_redirects=True,
    )
    return answer.status_code, answer.get_data(as_text=True)


def ledger(engine: Engine) -> list[tuple[str, str, dict[str, object]]]:
    with read_session(engine) as session:
        return [(e.opted, e.source, e.detail) for e in history(session, ANA)]


def audits(engine: Engine) -> list[AuditEvent]:
    with read_session(engine) as session:
        rows = session.exec(
            select(AuditEvent)
            .where(col(AuditEvent.action).startswith("consent."))
            .order_by(col(AuditEvent.id))
        )
        return list(rows)


def opted_out(engine: Engine) -> bool:
    with read_session(engine) as session:
        return session.exec(select(Contact).where(Contact.wa_id == ANA)).one().marketing_opt_out


def queue_an_offer(engine: Engine) -> str:
    """Queue a marketing template for Ana: the state the outbox gives it."""
    with transaction(engine) as session:
        offer = messages.template(ANA, "spring_offer", "es")
        row = enqueue(session, ANA, [offer], category="marketing", now=utcnow())[0]
        session.flush()
        return row.state


def test_the_owner_opts_a_customer_out_and_back_in(
    owner: FlaskClient, shop_engine: Engine, ana: int
) -> None:
    status, page = post(owner, ana, opted="out", note="  asked   by phone ")

    assert status == 200
    assert "Ana will get no more marketing messages." in page
    assert "opted out" in page
    assert "a member of staff (owner@bakery.test): <q>asked by phone</q>" in page
    assert 'value="in">Opt back in to marketing</button>' in page
    assert ledger(shop_engine) == [("out", "staff", {"by": OWNER[0], "note": "asked by phone"})]
    assert opted_out(shop_engine)
    [audit] = audits(shop_engine)
    assert (audit.action, audit.staff_email) == ("consent.out", OWNER[0])
    assert (audit.target, audit.detail) == (f"contact #{ana}", {"note": "asked by phone"})
    assert ANA not in f"{audit.target} {audit.detail}"  # no full number in the audit log
    assert queue_an_offer(shop_engine) == "suppressed"

    status, page = post(owner, ana, opted="in")

    assert "Ana may get marketing messages again." in page
    assert [(o, s) for o, s, _ in ledger(shop_engine)] == [("out", "staff"), ("in", "staff")]
    assert [a.action for a in audits(shop_engine)] == ["consent.out", "consent.in"]
    assert not opted_out(shop_engine)
    assert queue_an_offer(shop_engine) == "pending"


def test_a_choice_already_made_says_so_and_writes_nothing(
    owner: FlaskClient, shop_engine: Engine, ana: int
) -> None:
    with transaction(shop_engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == ANA)).one()
        record(session, contact, "out", "keyword", NOW)

    status, page = post(owner, ana, opted="out", note="again")

    assert status == 200
    assert "Ana had already opted out: nothing changed." in page
    assert [(o, s) for o, s, _ in ledger(shop_engine)] == [("out", "keyword")]
    assert audits(shop_engine) == []


def test_a_customer_who_never_chose_can_be_recorded_opted_in(
    owner: FlaskClient, shop_engine: Engine, ana: int
) -> None:
    page = owner.get(f"/console/customers/{ana}").get_data(as_text=True)
    assert 'value="out">Opt out of marketing</button>' in page
    assert 'value="in">Record an opt-in</button>' in page

    post(owner, ana, opted="in", note="signed up at the counter")

    assert ledger(shop_engine) == [
        ("in", "staff", {"by": OWNER[0], "note": "signed up at the counter"})
    ]
    page = owner.get(f"/console/customers/{ana}").get_data(as_text=True)
    assert "Record an opt-in" not in page  # her choice is recorded now


def test_an_agent_is_refused_and_nothing_changes(
    logged_in: Login, shop_engine: Engine, ana: int
) -> None:
    agent = logged_in("agent")
    token = csrf_of(agent, "/console/account")
    answer = agent.post(
        f"/console/customers/{ana}/consent", data={"csrf_token": token, "opted": "out"}
    )
    assert answer.status_code == 403
    assert ledger(shop_engine) == []
    assert audits(shop_engine) == []


def test_a_form_without_its_csrf_token_is_refused(
    owner: FlaskClient, shop_engine: Engine, ana: int
) -> None:
    answer = owner.post(f"/console/customers/{ana}/consent", data={"opted": "out"})
    assert answer.status_code == 400
    assert "This form has expired" in answer.get_data(as_text=True)
    assert ledger(shop_engine) == []


def test_a_stranger_is_sent_to_the_login(shop_app: Flask, shop_engine: Engine, ana: int) -> None:
    answer = shop_app.test_client().post(f"/console/customers/{ana}/consent", data={"opted": "out"})
    assert answer.status_code == 302
    assert "/console/login" in answer.headers["Location"]
    assert ledger(shop_engine) == []


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"opted": "maybe"}, 400, "Choose to opt the customer out or in."),
        ({}, 400, "Choose to opt the customer out or in."),
        ({"opted": "out", "note": "x" * 201}, 400, "The note is 201 characters long; at most 200."),
    ],
    ids=["bad-choice", "no-choice", "long-note"],
)
def test_a_bad_form_is_a_400_that_changes_nothing(
    owner: FlaskClient,
    shop_engine: Engine,
    ana: int,
    form: dict[str, str],
    status: int,
    message: str,
) -> None:
    answer_status, page = post(owner, ana, **form)
    assert answer_status == status
    assert message in page
    assert ledger(shop_engine) == []
    assert audits(shop_engine) == []


def test_an_unknown_customer_is_a_404(owner: FlaskClient, ana: int) -> None:
    token = csrf_of(owner, f"/console/customers/{ana}")
    answer = owner.post(
        "/console/customers/999999/consent", data={"csrf_token": token, "opted": "out"}
    )
    assert answer.status_code == 404


def test_the_ledger_shows_notes_escaped_and_imports_with_their_line(
    owner: FlaskClient, shop_engine: Engine, ana: int
) -> None:
    with transaction(shop_engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == ANA)).one()
        detail = {"file": "list.csv", "line": 7, "note": "<b>old list</b>"}
        record(session, contact, "out", "import", NOW - timedelta(days=2), detail)

    page = owner.get(f"/console/customers/{ana}").get_data(as_text=True)

    assert "an import (list.csv, line 7): <q>&lt;b&gt;old list&lt;/b&gt;</q>" in page
