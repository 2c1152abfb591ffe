"""Issue 11's Must show: an export holds every table's rows of one customer and none of
another's; after an erasure, a search of the whole database for their number and name finds
only pseudonymised rows. Run on SQLite and PostgreSQL, with two customers filling every table.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import JSON, select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, col

from bot import messages
from flows.features.business import BusinessConfig
from flows.features.console import add_staff, audit
from flows.features.console.models import AuditEvent, StaffUser
from flows.features.privacy import (
    FORMAT,
    FORMAT_VERSION,
    covered_tables,
    erase_customer,
    export_customer,
)
from flows.features.shop.models import Order
from storage import outbox
from storage.db import read_session, transaction
from storage.models import Contact, InboundUpdate, OutboxMessage
from tests.helpers import Clock, PostWebhook
from tests.privacy.conftest import ANA, BEN, NOW, Person, fill

NOT_PERSONAL = {
    "waflow_broadcast": "a campaign: its template, segment and counts (recipients are apart)",
    "waflow_booking_cell": "the times a booking occupies; its booking holds the customer",
    "waflow_console_secret": "the console's signing key",
    "waflow_payment_event": "a payment provider's event id and type, and an order number",
    "waflow_privacy_purge": "when a retention purge ran and how many rows it changed",
    "waflow_saved_reply": "replies the owners saved, for every customer",
    "waflow_sender": "the running sender processes: host, process id, heartbeat",
    "waflow_staff_session": "staff members' console sessions",
    "waflow_staff_user": "staff accounts",
    "waflow_stock": "the live stock of products",
}
"""Tables that hold nothing about a customer, and why (a new table must be declared)."""

CUSTOMER_COLUMNS = ("wa_id", "recipient_id")


def waflow_tables() -> set[str]:
    """The tables the project's own packages define (tests define tables of their own)."""
    packages = ("bot.", "flows.", "storage.", "webhooks.")
    models = [mapper.class_ for mapper in SQLModel._sa_registry.mappers]
    return {str(model.__tablename__) for model in models if model.__module__.startswith(packages)}


def test_every_table_is_declared_personal_or_not() -> None:
    tables = waflow_tables()
    covered = covered_tables()
    assert covered.isdisjoint(NOT_PERSONAL)
    assert tables - covered - set(NOT_PERSONAL) == set(), "declare it in a personal_data entry"
    assert set(NOT_PERSONAL) <= tables


@pytest.fixture
def filled(
    engine: Engine, post_webhook: PostWebhook, clock: Clock, business: BusinessConfig
) -> Engine:
    """Ana and Ben, each with rows in every table holding customers' data."""
    fill(engine, post_webhook, clock, business, ANA)
    fill(engine, post_webhook, clock, business, BEN)
    return engine


def dump(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, as column values (JSON columns as their JSON text)."""
    found: dict[str, list[dict[str, Any]]] = {}
    with read_session(engine) as session:
        for name, table in SQLModel.metadata.tables.items():
            rows = session.connection().execute(select(table)).mappings()
            found[name] = [
                {
                    key: json.dumps(value) if isinstance(table.c[key].type, JSON) else value
                    for key, value in row.items()
                }
                for row in rows
            ]
    return found


def text_of(row: dict[str, Any]) -> str:
    return " ".join(str(v) for v in row.values() if v is not None)


def naming(engine: Engine, person: Person) -> list[tuple[str, str]]:
    """Every (table, row text) of the database holding one of ``person``'s forms."""
    return [
        (table, text_of(row))
        for table, rows in dump(engine).items()
        for row in rows
        if any(form in text_of(row) for form in person.forms)
    ]


def test_the_export_has_every_table_of_one_customer_and_nothing_of_another(
    filled: Engine, business: BusinessConfig
) -> None:
    with read_session(filled) as session:
        document = export_customer(session, ANA.wa_id, NOW, business)
    assert document["format"] == FORMAT
    assert document["version"] == FORMAT_VERSION
    assert document["customer"] == ANA.wa_id
    assert set(document["tables"]) == covered_tables()
    empty = sorted(t for t, rows in document["tables"].items() if not rows)
    assert empty == []  # the fill reached every table, and the export found it there
    text = json.dumps(document, ensure_ascii=False)
    assert ANA.name in text
    assert ANA.address in text
    assert not [form for form in BEN.forms if form in text]
    for table, rows in document["tables"].items():
        for row in rows:
            for column in CUSTOMER_COLUMNS:  # theirs, or a message to staff naming them
                mine = row.get(column, ANA.wa_id) == ANA.wa_id
                assert mine or f"+{ANA.wa_id}" in json.dumps(row), (table, row)
    database = dump(filled)
    for table in document["tables"]:
        columns = SQLModel.metadata.tables[table].c
        column = next((c for c in CUSTOMER_COLUMNS if c in columns), None)
        if column is not None:
            mine = [r for r in database[table] if r[column] == ANA.wa_id]
            exported = [r for r in document["tables"][table] if r.get(column) == ANA.wa_id]
            assert len(exported) == len(mine), table


def test_the_export_is_json_with_no_row_missing(filled: Engine, business: BusinessConfig) -> None:
    with read_session(filled) as session:
        document = export_customer(session, ANA.wa_id, NOW, business)
    assert json.loads(json.dumps(document)) == document


def test_after_an_erasure_only_pseudonymised_rows_remain_and_the_other_is_untouched(
    filled: Engine, business: BusinessConfig
) -> None:
    assert naming(filled, ANA)  # the search finds them before
    with read_session(filled) as session:
        before = export_customer(session, BEN.wa_id, NOW, business)
    with transaction(filled) as session:
        erasure = erase_customer(session, ANA.wa_id, NOW, business)

    assert naming(filled, ANA) == []
    with read_session(filled) as session:
        after = export_customer(session, BEN.wa_id, NOW, business)
        orders = list(session.exec(select(Order).where(col(Order.wa_id) == erasure.pseudonym)))
        left = export_customer(session, ANA.wa_id, NOW, business)
    assert after == before
    [order] = [o for (o,) in orders]
    assert order.address is None  # kept for the accounts, unnamed
    assert order.total > 0
    kept = {t for t, rows in dump(filled).items() for r in rows if erasure.pseudonym in text_of(r)}
    assert kept >= {"waflow_order", "waflow_booking", "waflow_survey_response", "waflow_flow_step"}
    assert {"waflow_contact", "waflow_conversation"}.isdisjoint(kept)
    alerts = [r for r in dump(filled)["waflow_outbox"] if erasure.pseudonym in text_of(r)]
    assert [r["wa_id"] for r in alerts] == ["34600000001"]  # the staff's alert, anonymised
    assert all(rows == [] for rows in left["tables"].values())


def test_erasing_again_changes_nothing(filled: Engine, business: BusinessConfig) -> None:
    with transaction(filled) as session:
        erase_customer(session, ANA.wa_id, NOW, business)
    snapshot = dump(filled)
    with transaction(filled) as session:
        again = erase_customer(session, ANA.wa_id, NOW, business)
    assert again.counts == {}
    assert dump(filled) == snapshot


A = "491701234567"
B = "4917012345678"  # A's digits with one more: another customer
B_FORMS = (B, B[2:], "+49 170 1234567 8", "Bob Secret", "Calle Sol 9")
STAFF = "34600000001"  # the example shop's handoff.notify_number


@pytest.fixture
def neighbours(engine: Engine) -> Engine:
    """A and B, whose number starts with A's: each with a pending message, a staff alert, an
    audit entry and an unattributed update naming them; B with a message and an entry on
    their page naming A."""
    with transaction(engine) as session:
        session.add(Contact(wa_id=A, name="Al"))
        session.add(Contact(wa_id=B, name="Bob Secret"))
        session.flush()
        b_id = session.exec(select(Contact.id).where(col(Contact.wa_id) == B)).one()[0]
        staff = add_staff(session, "ana@staff.test", "owner", "owner pass 9")
        for who, text in ((A, "Al's order"), (B, "Bob's order to Calle Sol 9")):
            outbox.enqueue(session, who, [messages.text(who, text)], now=NOW)
            name = "Al" if who == A else "Bob Secret"
            alert = f"Alert from Miga: {name} (+{who}) asked to talk to a person."
            outbox.enqueue(session, STAFF, [messages.text(STAFF, alert)], now=NOW)
            audit(session, staff, "order.note", "MG-1", {"note": f"Ring {who[:2]} {who[2:]}"})
            value = {"errors": [{"code": 131026, "message": f"undeliverable to {who}"}]}
            session.add(
                InboundUpdate(
                    dedupe_key=f"error:{who}", kind="error", field="messages", value=value
                )
            )
        naming = f"Your friend +{A[:2]} {A[2:5]} {A[5:]} says hi"  # B's, though it names A
        outbox.enqueue(session, B, [messages.text(B, naming)], now=NOW)
        audit(session, staff, "customer.tag", f"contact #{b_id}", {"note": f"knows +{A}"})
    return engine


def test_a_longer_number_is_another_customer_in_the_export(
    neighbours: Engine, business: BusinessConfig
) -> None:
    with read_session(neighbours) as session:
        document = export_customer(session, A, NOW, business)
    text = json.dumps(document, ensure_ascii=False)
    assert [form for form in B_FORMS if form in text] == []
    tables = document["tables"]
    assert [m["payload"]["text"]["body"] for m in tables["waflow_outbox"][:1]] == ["Al's order"]
    [alert] = tables["waflow_outbox"][1:]
    assert alert == {
        "staff_alert": True,
        "created_at": "2026-03-10T09:00:00Z",
        "text": f"Alert from Miga: Al (+{A}) asked to talk to a person.",
    }  # when and what it said, not the shop's number
    assert STAFF not in text
    assert [e["detail"] for e in tables["waflow_audit_event"]] == [{"note": "Ring 49 1701234567"}]
    assert [u["dedupe_key"] for u in tables["waflow_inbound"]] == [f"error:{A}"]


def test_erasing_a_customer_leaves_a_longer_number_untouched(
    neighbours: Engine, business: BusinessConfig
) -> None:
    def of_b() -> list[tuple[str, dict[str, Any]]]:
        return [
            (table, row)
            for table, rows in dump(neighbours).items()
            for row in rows
            if any(form in text_of(row) for form in B_FORMS) and table != "waflow_contact"
        ]

    before = of_b()
    assert {table for table, _ in before} == {
        "waflow_outbox",
        "waflow_audit_event",
        "waflow_inbound",
    }
    with transaction(neighbours) as session:
        erasure = erase_customer(session, A, NOW, business)
    assert of_b() == before  # byte for byte
    with read_session(neighbours) as session:
        contacts = list(session.exec(select(Contact.wa_id)))
        alerts = list(session.exec(select(OutboxMessage).where(col(OutboxMessage.wa_id) == STAFF)))
    assert [c for (c,) in contacts] == [B]
    bodies = [m.payload["text"]["body"] for (m,) in alerts]
    assert bodies == [
        f"Alert from Miga: {erasure.pseudonym} ({erasure.pseudonym}) asked to talk to a person.",
        f"Alert from Miga: Bob Secret (+{B}) asked to talk to a person.",
    ]
    with read_session(neighbours) as session:
        notes = list(session.exec(select(AuditEvent).where(AuditEvent.action == "customer.tag")))
    [(note,)] = notes  # on B's page, A's number replaced, nothing else
    assert (note.target, note.detail) == ("contact #2", {"note": f"knows {erasure.pseudonym}"})


def test_the_export_names_no_staff_member(filled: Engine, business: BusinessConfig) -> None:
    with read_session(filled) as session:
        document = export_customer(session, ANA.wa_id, NOW, business)
        staff = list(session.exec(select(StaffUser)))
    text = json.dumps(document, ensure_ascii=False)
    for (member,) in staff:
        assert member.email not in text
    assert STAFF not in text  # the shop's number the alert went to
    assert "+34 600 000 001" not in text
    for table, rows in document["tables"].items():
        for row in rows:
            named = {"staff_id", "staff_email", "added_by", "assignee_id"} & set(row)
            assert not named, (table, row)
    [alert] = [r for r in document["tables"]["waflow_outbox"] if r.get("staff_alert")]
    assert set(alert) == {"staff_alert", "created_at", "text"}
    assert f"+{ANA.wa_id}" in alert["text"]
