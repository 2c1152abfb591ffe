"""The console's order pages over HTTP: list and filters, detail, actions, roles, CSRF, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from flows.features.shop import expire_unpaid
from flows.features.shop.models import OrderEvent, PaymentEventRecord
from storage.db import transaction
from storage.models import Contact, OutboxMessage, utcnow
from tests.console.consolekit import OWNER, Login, csrf_of
from tests.shop.consolekit import CUSTOMER, EXAMPLE, audit_events, place_order
from tests.shop.shopkit import events, outbox_payloads, reload, stock_of


@pytest.fixture
def owner(logged_in: Login) -> FlaskClient:
    """The owner, logged in."""
    return logged_in("owner")


def act(client: FlaskClient, number: str, action: str, **form: str) -> tuple[int, str]:
    """Post an action from the order's page (with its CSRF token): the status and the page."""
    token = csrf_of(client, f"/console/orders/{number}")
    answer = client.post(
        f"/console/orders/{number}", data={"csrf_token": token, "action": action, **form}
    )
    if answer.status_code == 303:
        return 303, client.get(answer.headers["Location"]).get_data(as_text=True)
    return answer.status_code, answer.get_data(as_text=True)


def texts(engine: Engine, wa_id: str = CUSTOMER) -> list[str]:
    """The text bodies queued for the customer."""
    return [p["text"]["body"] for p in outbox_payloads(engine, wa_id) if p["type"] == "text"]


def unsent(engine: Engine) -> int:
    """Outbox rows not sent yet (the console wakes the sender after a change)."""
    with Session(engine) as session:
        return len(session.exec(select(OutboxMessage).where(OutboxMessage.state != "sent")).all())


# -- roles and CSRF ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/console/orders", "/console/orders/MG-22222", "/console/stock"])
def test_an_agent_is_refused_the_order_pages(logged_in: Login, path: str) -> None:
    answer = logged_in("agent").get(path)
    assert answer.status_code == 403
    assert "Owners only" in answer.get_data(as_text=True)


def test_an_agent_cannot_change_an_order(logged_in: Login, shop_engine: Engine) -> None:
    order = place_order(shop_engine)
    agent = logged_in("agent")
    token = csrf_of(agent, "/console/account")
    answer = agent.post(
        f"/console/orders/{order.number}", data={"csrf_token": token, "action": "paid"}
    )
    assert answer.status_code == 403
    assert reload(shop_engine, order.number).status == "pending_payment"


def test_a_stranger_is_sent_to_the_login(shop_app: Flask) -> None:
    answer = shop_app.test_client().get("/console/orders")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/console/login?next=/console/orders"


def test_an_action_without_its_csrf_token_is_refused(
    owner: FlaskClient, shop_engine: Engine
) -> None:
    order = place_order(shop_engine)
    answer = owner.post(f"/console/orders/{order.number}", data={"action": "paid"})
    assert answer.status_code == 400
    assert "This form has expired" in answer.get_data(as_text=True)
    assert reload(shop_engine, order.number).status == "pending_payment"
    assert texts(shop_engine) == []


def test_the_menu_shows_orders_and_stock_to_the_owner_only(logged_in: Login) -> None:
    owner_menu = logged_in("owner").get("/console/audit").get_data(as_text=True)
    assert 'href="/console/orders"' in owner_menu
    assert 'href="/console/stock"' in owner_menu
    agent_menu = logged_in("agent").get("/console/account").get_data(as_text=True)
    assert 'href="/console/orders"' not in agent_menu


# -- the list ---------------------------------------------------------------------------------


def _day(day: int) -> datetime:
    return datetime(2026, 3, day, 12, 0, tzinfo=UTC)


def test_the_list_is_newest_first_and_filters_by_status_and_dates(
    owner: FlaskClient, shop_engine: Engine
) -> None:
    first = place_order(shop_engine, now=_day(1))
    second = place_order(shop_engine, now=_day(2), wa_id="34600333444", name="Ben")
    third = place_order(shop_engine, now=_day(3))
    act(owner, second.number, "paid")

    page = owner.get("/console/orders").get_data(as_text=True)
    assert page.index(third.number) < page.index(second.number) < page.index(first.number)
    assert "Ben" in page

    paid = owner.get("/console/orders?status=paid").get_data(as_text=True)
    assert second.number in paid
    assert first.number not in paid
    assert third.number not in paid

    ranged = owner.get("/console/orders?from=2026-03-02&to=2026-03-03").get_data(as_text=True)
    assert second.number in ranged
    assert third.number in ranged
    assert first.number not in ranged


def test_dates_are_the_shops_days(owner: FlaskClient, shop_engine: Engine) -> None:
    # 23:30 UTC on 1 March is 00:30 on 2 March in Madrid.
    late = place_order(shop_engine, now=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    assert late.number in owner.get("/console/orders?from=2026-03-02").get_data(as_text=True)
    assert late.number not in owner.get("/console/orders?to=2026-03-01").get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=lost", "There is no order status"),
        ("from=03/01/2026", "is not a date: use YYYY-MM-DD"),
        ("from=2026-03-05&to=2026-03-01", "The date range ends before it starts."),
        ("page=0", "The page must be a positive number."),
        ("page=x", "The page must be a positive number."),
    ],
    ids=["status", "date", "range", "page-zero", "page-text"],
)
def test_a_bad_filter_is_a_400_with_a_message(owner: FlaskClient, query: str, message: str) -> None:
    answer = owner.get(f"/console/orders?{query}")
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)


def test_the_list_is_paged(
    owner: FlaskClient, shop_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("flows.features.shop.backoffice.ORDERS_PER_PAGE", 2)
    numbers = [place_order(shop_engine, {"cookies": 1}, now=_day(d)).number for d in (1, 2, 3)]
    first = owner.get("/console/orders?status=pending_payment").get_data(as_text=True)
    assert numbers[2] in first
    assert numbers[1] in first
    assert numbers[0] not in first
    assert 'href="/console/orders?status=pending_payment&amp;page=2"' in first
    second = owner.get("/console/orders?status=pending_payment&page=2").get_data(as_text=True)
    assert numbers[0] in second
    assert numbers[1] not in second
    assert 'rel="next"' not in second


# -- the detail -------------------------------------------------------------------------------


def test_the_detail_shows_customer_items_totals_payment_and_history(
    owner: FlaskClient, shop_engine: Engine
) -> None:
    order = place_order(
        shop_engine, {"choc": 2, "cookies": 1}, fulfilment="delivery", address="Calle Mayor 1"
    )
    with transaction(shop_engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one()
        session.add(
            PaymentEventRecord(
                provider="stripe",
                event_id="evt_1Q2w3E4r5T6y",
                event_type="checkout.session.completed",
                order_number=order.number,
            )
        )
    answer = owner.get(f"/console/orders/{order.number.lower()}")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert f'href="/console/customers/{contact.id}">Ana</a>' in page
    assert f"+{CUSTOMER}" in page
    assert "Calle Mayor 1" in page
    assert "Chocolate fudge cake" in page
    assert "€64.00" in page  # two cakes
    assert "€78.00" in page  # subtotal
    assert "Method: manual" in page
    assert "evt_1Q2w3E4r5T6y" in page
    assert "waiting for payment" in page
    assert "customer</td>" in page  # the history's first event, by the customer
    for action in ("paid", "cancel"):
        assert f'id="action-{action}"' in page
    for action in ("ship", "deliver"):
        assert f'id="action-{action}"' not in page


def test_customer_text_is_escaped(owner: FlaskClient, shop_engine: Engine) -> None:
    order = place_order(
        shop_engine, name="<script>alert(1)</script>", fulfilment="delivery", address="<b>x</b>"
    )
    page = owner.get(f"/console/orders/{order.number}").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page
    listing = owner.get("/console/orders").get_data(as_text=True)
    assert "&lt;script&gt;" in listing


def test_an_unknown_order_is_a_404(owner: FlaskClient) -> None:
    answer = owner.get("/console/orders/MG-ZZZZZ")
    assert answer.status_code == 404
    assert "No such order" in answer.get_data(as_text=True)
    token = csrf_of(owner, "/console/orders")
    answer = owner.post("/console/orders/MG-ZZZZZ", data={"csrf_token": token, "action": "paid"})
    status, page = answer.status_code, answer.get_data(as_text=True)
    assert status == 404
    assert "There is no order MG-ZZZZZ." in page


# -- the actions ------------------------------------------------------------------------------


def test_mark_paid_tells_the_customer_as_the_cli_does_and_is_audited(
    owner: FlaskClient, shop_engine: Engine
) -> None:
    order = place_order(shop_engine)

    status, page = act(owner, order.number, "paid", reference="BIZUM-991")

    assert status == 303
    assert f"Order {order.number} is now paid; customer: text." in page
    paid = reload(shop_engine, order.number)
    assert paid.status == "paid"
    assert paid.paid_at is not None
    assert paid.payment_reference == "BIZUM-991"
    assert texts(shop_engine) == [
        f"Payment received for order {order.number} (€32.00). Thank you! "
        "We'll tell you when it's ready for pickup."
    ]
    assert unsent(shop_engine) == 0  # the sender was woken after the commit
    assert [e.actor for e in events(shop_engine, order.number)] == ["customer", "staff"]
    (event,) = [e for e in audit_events(shop_engine) if e.action == "order.paid"]
    assert event.staff_email == OWNER[0]
    assert event.target == order.number
    assert event.detail == {"status": "paid", "notified": "text", "reference": "BIZUM-991"}
    assert 'id="action-paid"' not in page
    assert 'id="action-ship"' in page


def test_outside_the_24_hour_window_the_customer_gets_the_order_update_template(
    owner: FlaskClient, shop_engine: Engine
) -> None:
    order = place_order(shop_engine)
    with transaction(shop_engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one()
        contact.last_inbound_at = utcnow() - timedelta(days=2)

    status, page = act(owner, order.number, "paid")

    assert status == 303
    assert "customer: template." in page
    (payload,) = outbox_payloads(shop_engine, CUSTOMER)
    assert payload["type"] == "template"
    assert payload["template"]["name"] == "order_update"


def test_ship_with_a_tracking_link_then_deliver(owner: FlaskClient, shop_engine: Engine) -> None:
    order = place_order(shop_engine, fulfilment="delivery", address="Calle Mayor 1")
    act(owner, order.number, "paid")

    status, page = act(owner, order.number, "ship", tracking_url="https://track.example/MG1")
    assert status == 303
    assert "is now on its way" in page
    assert texts(shop_engine)[-1] == (
        f"Your order {order.number} is on its way.\nTrack it here: https://track.example/MG1"
    )
    assert 'href="https://track.example/MG1"' in page

    status, page = act(owner, order.number, "deliver")
    assert status == 303
    assert reload(shop_engine, order.number).status == "delivered"
    assert texts(shop_engine)[-1].startswith(f"Your order {order.number} is delivered.")
    assert "nothing more to do" in page
    actions = [e.action for e in audit_events(shop_engine) if e.action.startswith("order.")]
    assert actions == ["order.paid", "order.ship", "order.deliver"]


def test_a_pickup_order_is_ready_then_collected(owner: FlaskClient, shop_engine: Engine) -> None:
    order = place_order(shop_engine)
    act(owner, order.number, "paid")
    page = owner.get(f"/console/orders/{order.number}").get_data(as_text=True)
    assert "Ready for pickup</button>" in page
    assert 'name="tracking_url"' not in page
    act(owner, order.number, "ship")
    assert texts(shop_engine)[-1].startswith(f"Your order {order.number} is ready for pickup at ")


def test_cancel_needs_a_reason_gives_the_stock_back_and_tells_the_customer(
    owner: FlaskClient, shop_engine: Engine
) -> None:
    order = place_order(shop_engine, {"carrot": 2})
    assert stock_of(shop_engine, "carrot") == 0

    status, page = act(owner, order.number, "cancel", reason="  ")
    assert status == 400
    assert "Say why the order is cancelled" in page
    assert reload(shop_engine, order.number).status == "pending_payment"

    status, page = act(owner, order.number, "cancel", reason="Customer asked by phone")
    assert status == 303
    assert reload(shop_engine, order.number).status == "cancelled"
    assert stock_of(shop_engine, "carrot") == 2
    assert texts(shop_engine) == [f"Your order {order.number} was cancelled."]
    assert events(shop_engine, order.number)[-1].note == "Customer asked by phone"
    assert "Customer asked by phone" in page
    (event,) = [e for e in audit_events(shop_engine) if e.action == "order.cancel"]
    assert event.detail["reason"] == "Customer asked by phone"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "must be a web address starting with https://"),
        ("https://", "must be a web address starting with https://"),
        ("ftp://files.example/x", "must be a web address starting with https://"),
        ("https://t.example/" + "x" * 2000, "longer than 2000 characters"),
    ],
    ids=["javascript", "no-host", "ftp", "too-long"],
)
def test_a_bad_tracking_link_is_a_400_and_changes_nothing(
    owner: FlaskClient, shop_engine: Engine, url: str, message: str
) -> None:
    order = place_order(shop_engine)
    act(owner, order.number, "paid")
    status, page = act(owner, order.number, "ship", tracking_url=url)
    assert status == 400
    assert message in page
    assert reload(shop_engine, order.number).status == "paid"
    assert [e.action for e in audit_events(shop_engine) if e.action == "order.ship"] == []


@pytest.mark.parametrize(
    ("before", "action", "message"),
    [
        ("pending_payment", "deliver", "is pending_payment: it cannot be delivered"),
        ("pending_payment", "ship", "is pending_payment: it cannot be shipped"),
        ("paid", "paid", "is paid: it cannot be paid"),
        ("cancelled", "cancel", "is cancelled: it cannot be cancelled"),
    ],
    ids=["deliver-unpaid", "ship-unpaid", "paid-twice", "cancel-twice"],
)
def test_an_action_the_status_does_not_allow_is_a_409(
    owner: FlaskClient, shop_engine: Engine, before: str, action: str, message: str
) -> None:
    order = place_order(shop_engine)
    if before == "paid":
        act(owner, order.number, "paid")
    if before == "cancelled":
        act(owner, order.number, "cancel", reason="test")
    sent = len(texts(shop_engine))
    logged = len(audit_events(shop_engine))

    status, page = act(owner, order.number, action, reason="again")

    assert status == 409
    assert message in page
    assert reload(shop_engine, order.number).status == before
    assert len(texts(shop_engine)) == sent
    assert len(audit_events(shop_engine)) == logged


def test_an_unknown_action_is_a_400(owner: FlaskClient, shop_engine: Engine) -> None:
    order = place_order(shop_engine)
    status, page = act(owner, order.number, "refund")
    assert status == 400
    assert "There is no order action &#39;refund&#39;." in page


def test_an_expired_order_paid_late_takes_its_stock_back(
    owner: FlaskClient, shop_engine: Engine
) -> None:
    order = place_order(shop_engine, {"lemon": 1})
    assert order.expires_at is not None
    with transaction(shop_engine) as session:
        expire_unpaid(session, EXAMPLE, order.expires_at)
    assert stock_of(shop_engine, "lemon") == 4
    assert 'id="action-paid"' in owner.get(f"/console/orders/{order.number}").get_data(as_text=True)

    status, _ = act(owner, order.number, "paid")

    assert status == 303
    assert reload(shop_engine, order.number).status == "paid"
    assert stock_of(shop_engine, "lemon") == 3
    with Session(shop_engine) as session:
        notes = session.exec(select(OrderEvent.note).where(col(OrderEvent.note).is_not(None))).all()
    assert "paid after it had expired" in notes
