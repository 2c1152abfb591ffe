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

from flows.features.business import BusinessConfig
from flows.features.privacy import (
    FORMAT,
    FORMAT_VERSION,
    covered_tables,
    erase_customer,
    export_customer,
)
from flows.features.shop.models import Order
from storage.db import read_session, transaction
from tests.helpers import Clock, PostWebhook
from tests.privacy.conftest import ANA, BEN, NOW, Person, fill

NOT_PERSONAL = {
    "waflow_broadcast": "a campaign: its template, segment and counts (recipients are apart)",
    "waflow_booking_cell": "the times a booking occupies; its booking holds the customer",
    "waflow_console_secret": "the console's signing key",
    "waflow_payment_event": "a payment provider's event id and type, and an order number",
    "waflow_privacy_purge": "when a retention purge ran and how many rows it changed",
    "waflow_saved_reply": "replies the owners saved, for every customer",
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
    filled: Engine,
) -> None:
    with read_session(filled) as session:
        document = export_customer(session, ANA.wa_id, NOW)
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


def test_the_export_is_json_with_no_row_missing(filled: Engine) -> None:
    with read_session(filled) as session:
        document = export_customer(session, ANA.wa_id, NOW)
    assert json.loads(json.dumps(document)) == document


def test_after_an_erasure_only_pseudonymised_rows_remain_and_the_other_is_untouched(
    filled: Engine,
) -> None:
    assert naming(filled, ANA)  # the search finds them before
    with read_session(filled) as session:
        before = export_customer(session, BEN.wa_id, NOW)
    with transaction(filled) as session:
        erasure = erase_customer(session, ANA.wa_id, NOW)

    assert naming(filled, ANA) == []
    with read_session(filled) as session:
        after = export_customer(session, BEN.wa_id, NOW)
        orders = list(session.exec(select(Order).where(col(Order.wa_id) == erasure.pseudonym)))
        left = export_customer(session, ANA.wa_id, NOW)
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


def test_erasing_again_changes_nothing(filled: Engine) -> None:
    with transaction(filled) as session:
        erase_customer(session, ANA.wa_id, NOW)
    snapshot = dump(filled)
    with transaction(filled) as session:
        again = erase_customer(session, ANA.wa_id, NOW)
    assert again.counts == {}
    assert dump(filled) == snapshot
