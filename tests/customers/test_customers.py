"""The console's customer pages over HTTP: search, profile, roles, escaping, bad values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from flows.features.booking.models import Booking
from flows.features.consent.models import record
from flows.features.surveys.models import StoredAnswer, record_response
from storage.db import transaction
from storage.models import Contact
from tests.console.consolekit import Login
from tests.shop.consolekit import CUSTOMER, place_order

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def owner(logged_in: Login) -> FlaskClient:
    """The owner, logged in."""
    return logged_in("owner")


def add_contact(engine: Engine, wa_id: str, name: str | None, **fields: object) -> int:
    """A contact: its id."""
    with transaction(engine) as session:
        contact = Contact(wa_id=wa_id, name=name, **fields)
        session.add(contact)
        session.flush()
        assert contact.id is not None
        return contact.id


def contact_id(engine: Engine, wa_id: str) -> int:
    """The id of the contact with this number."""
    with transaction(engine) as session:
        found = session.exec(select(Contact.id).where(Contact.wa_id == wa_id)).one()
        assert found is not None
        return found


@pytest.mark.parametrize("path", ["/console/customers", "/console/customers/1"])
def test_an_agent_is_refused_the_customer_pages(logged_in: Login, path: str) -> None:
    assert logged_in("agent").get(path).status_code == 403


def test_the_menu_links_the_customers_for_owners(owner: FlaskClient) -> None:
    assert 'href="/console/customers"' in owner.get("/console/audit").get_data(as_text=True)


def test_the_list_shows_the_most_recent_first(owner: FlaskClient, shop_engine: Engine) -> None:
    add_contact(shop_engine, "34600000001", "Old", last_inbound_at=NOW - timedelta(days=3))
    add_contact(shop_engine, "34600000002", "Recent", last_inbound_at=NOW)
    add_contact(shop_engine, "34600000003", "Silent")
    page = owner.get("/console/customers").get_data(as_text=True)
    assert page.index("Recent") < page.index("Old") < page.index("Silent")


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("lucía", ["Lucía Gómez"]),
        ("ROSSI", ["Marco Rossi"]),
        ("+34 600 000 002", ["Marco Rossi"]),
        ("0000", ["Lucía Gómez", "Marco Rossi"]),
        ("%", ["100% Bakery fan"]),
        ("_", []),
        ("nobody", []),
    ],
    ids=[
        "name",
        "any-case",
        "number-as-written",
        "part-of-number",
        "percent",
        "underscore",
        "none",
    ],
)
def test_search_by_name_or_number(
    owner: FlaskClient, shop_engine: Engine, typed: str, found: list[str]
) -> None:
    add_contact(shop_engine, "34600000001", "Lucía Gómez")
    add_contact(shop_engine, "34600000002", "Marco Rossi")
    add_contact(shop_engine, "447700900123", "100% Bakery fan")
    answer = owner.get("/console/customers", query_string={"q": typed})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    shown = [n for n in ("Lucía Gómez", "Marco Rossi", "100% Bakery fan") if n in page]
    assert sorted(shown) == sorted(found)
    if not found:
        assert "Nobody matches" in page


def test_the_list_is_paged(
    owner: FlaskClient, shop_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("flows.features.customers.profiles.PER_PAGE", 2)
    for n in range(3):
        add_contact(shop_engine, f"3460000000{n}", f"Name {n}", last_inbound_at=NOW - timedelta(n))
    first = owner.get("/console/customers?q=name").get_data(as_text=True)
    assert ("Name 0" in first, "Name 1" in first, "Name 2" in first) == (True, True, False)
    assert 'href="/console/customers?q=name&amp;page=2"' in first
    second = owner.get("/console/customers?q=name&page=2").get_data(as_text=True)
    assert ("Name 0" in second, "Name 2" in second) == (False, True)


def test_a_bad_page_is_a_400(owner: FlaskClient) -> None:
    answer = owner.get("/console/customers?page=-1")
    assert answer.status_code == 400
    assert "The page must be a positive number." in answer.get_data(as_text=True)


def test_the_profile_gathers_orders_bookings_answers_consent_and_the_bot(
    owner: FlaskClient, shop_engine: Engine
) -> None:
    order = place_order(shop_engine, {"lemon": 1}, now=NOW)
    with transaction(shop_engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one()
        contact.marketing_opt_out = True
        contact.marketing_changed_at = NOW - timedelta(days=2)
        contact.paused = True
        session.add(
            Booking(
                wa_id=CUSTOMER,
                service="wedding",
                resource="lucia",
                start_at=NOW + timedelta(days=7),
                end_at=NOW + timedelta(days=7, hours=1),
            )
        )
        record_response(
            session,
            "feedback",
            CUSTOMER,
            [
                StoredAnswer("stars", "rating", 5),
                StoredAnswer("nps", "nps", 4),
                StoredAnswer("improve", "text", "Open on Mondays"),
                StoredAnswer("comment", "text", None),
            ],
            once_per_contact=False,
            now=NOW,
        )
    page_id = contact_id(shop_engine, CUSTOMER)

    answer = owner.get(f"/console/customers/{page_id}")

    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "<h1>Ana</h1>" in page
    assert f"+{CUSTOMER}" in page
    assert f'href="/console/inbox/{page_id}"' in page
    assert "opted out" in page
    assert "since 2026-03-08 10:00" in page  # Madrid time
    assert "paused (a person is answering)" in page
    assert f'href="/console/orders/{order.number}">{order.number}</a>' in page
    assert "waiting for payment" in page
    assert "Wedding consultation" in page
    assert "2026-03-17 10:00" in page
    assert "Miga feedback" in page
    assert "<th>How likely are you to recommend Miga to a friend?</th><td>4</td>" in page
    assert "Open on Mondays" in page
    assert "Anything else you would like to tell us?" in page  # skipped, shown empty


def test_a_new_contact_has_an_empty_profile(owner: FlaskClient, shop_engine: Engine) -> None:
    page_id = add_contact(shop_engine, "34600000009", None)
    page = owner.get(f"/console/customers/{page_id}").get_data(as_text=True)
    assert "(no name)" in page
    assert "No orders." in page
    assert "No bookings." in page
    assert "No survey answers." in page
    assert "may receive" in page
    assert 'Last message from them: <span class="muted">never</span>' in page


def test_a_customer_the_owner_answered_from_the_app_shows_the_bot_paused(
    owner: FlaskClient, shop_engine: Engine
) -> None:
    until = datetime.now(UTC) + timedelta(minutes=20)
    page_id = add_contact(shop_engine, "34600000009", "Ana", paused_until=until)
    page = owner.get(f"/console/customers/{page_id}").get_data(as_text=True)
    assert "paused until" in page
    assert "answered from the WhatsApp Business app" in page
    assert "bot paused" in owner.get("/console/customers").get_data(as_text=True)


def test_the_profile_lists_the_consent_ledger_newest_first(
    owner: FlaskClient, shop_engine: Engine
) -> None:
    page_id = add_contact(shop_engine, "34600000009", "Ana")
    with transaction(shop_engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == "34600000009")).one()
        record(session, contact, "out", "keyword", NOW - timedelta(days=3))
        record(session, contact, "in", "meta", NOW - timedelta(days=1))

    page = owner.get(f"/console/customers/{page_id}").get_data(as_text=True)

    history = page[page.index('id="consent-history"') :]
    opted_in = history.index("the customer&#39;s setting in WhatsApp")
    assert opted_in < history.index("the customer sent a stop or start word")
    assert "may receive" in page


def test_customer_text_is_escaped(owner: FlaskClient, shop_engine: Engine) -> None:
    page_id = add_contact(shop_engine, "34600000009", "<script>alert(1)</script>")
    for path in (f"/console/customers/{page_id}", "/console/customers?q=script"):
        page = owner.get(path).get_data(as_text=True)
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    searched = owner.get("/console/customers", query_string={"q": '"><b>'}).get_data(as_text=True)
    assert '"><b>' not in searched


def test_an_unknown_customer_is_a_404(owner: FlaskClient) -> None:
    answer = owner.get("/console/customers/999")
    assert answer.status_code == 404
    assert "No such customer" in answer.get_data(as_text=True)


def test_answers_to_a_survey_since_removed_are_shown_raw(
    owner: FlaskClient, shop_engine: Engine
) -> None:
    page_id = add_contact(shop_engine, CUSTOMER, "Ana")
    with transaction(shop_engine) as session:
        record_response(
            session,
            "summer_poll",
            CUSTOMER,
            [StoredAnswer("flavour", "text", "Mango"), StoredAnswer("score", "rating", 4)],
            once_per_contact=False,
            now=NOW,
        )
    page = owner.get(f"/console/customers/{page_id}").get_data(as_text=True)
    assert "summer_poll" in page
    assert "<th>flavour</th><td>Mango</td>" in page
    assert "<th>score</th><td>4</td>" in page
