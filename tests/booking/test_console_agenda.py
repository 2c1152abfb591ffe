"""The console's bookings agenda (``/console/bookings``) on SQLite and PostgreSQL."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta
from functools import partial

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.sending import outbox_rows
from flows.features.booking import Bookings
from flows.features.booking.messages import day_label
from flows.features.booking.models import Booking
from flows.features.business import load_business
from flows.features.console import AuditEvent
from storage.db import read_session, transaction
from storage.models import Contact, as_utc, utcnow
from tests.console.consolekit import SHOP, Login, csrf_of

RULES = Bookings(load_business(SHOP / "business.yaml"))
label = partial(day_label, RULES.config.texts())  # the example shop writes en_GB dates
CUSTOMER, OTHER = "34600111222", "34600333444"


def customer(engine: Engine, wa_id: str = CUSTOMER, name: str = "Ana <b>") -> int:
    """A contact who wrote a moment ago (their window is open); returns its id."""
    with transaction(engine) as session:
        contact = Contact(wa_id=wa_id, name=name, last_inbound_at=utcnow())
        session.add(contact)
        session.flush()
        return int(contact.id or 0)


def free_starts(engine: Engine) -> tuple[date, list[datetime]]:
    """The first day with free tasting times, and those times."""
    now = utcnow()
    with read_session(engine) as session:
        day = RULES.free_days(session, "tasting", now)[0][0]
        return day, RULES.free_times(session, "tasting", day, now)


def book(engine: Engine, start: datetime, wa_id: str = CUSTOMER) -> int:
    """Book a tasting at ``start``; returns the booking id."""
    with transaction(engine) as session:
        return int(RULES.book(session, wa_id, "tasting", start, utcnow()).id or 0)


def get_booking(engine: Engine, booking_id: int) -> Booking:
    with read_session(engine) as session:
        found = session.get(Booking, booking_id)
        assert found is not None
        return found


def audit_events(engine: Engine, action: str) -> list[AuditEvent]:
    with read_session(engine) as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)))


def texts(engine: Engine, wa_id: str = CUSTOMER) -> list[str]:
    return [row.payload["text"]["body"] for row in outbox_rows(engine, wa_id)]


def page(client: FlaskClient, path: str) -> tuple[int, str]:
    answer = client.get(path)
    return answer.status_code, html.unescape(answer.get_data(as_text=True))


def test_agents_are_refused_and_do_not_see_the_menu_entry(
    logged_in: Login, shop_engine: Engine
) -> None:
    _, starts = free_starts(shop_engine)
    booking_id = book(shop_engine, starts[0])
    agent = logged_in("agent")
    token = csrf_of(agent, "/console/account")

    assert agent.get("/console/bookings").status_code == 403
    assert agent.get(f"/console/bookings/{booking_id}/move").status_code == 403
    refused = agent.post(f"/console/bookings/{booking_id}/cancel", data={"csrf_token": token})
    assert refused.status_code == 403
    assert get_booking(shop_engine, booking_id).status == "confirmed"
    assert "/console/bookings" not in agent.get("/console/account").get_data(as_text=True)
    assert 'href="/console/bookings"' in logged_in("owner").get("/console/account").get_data(
        as_text=True
    )


def test_a_stranger_is_sent_to_the_login(shop_app: Flask) -> None:
    answer = shop_app.test_client().get("/console/bookings")
    assert answer.status_code == 302
    assert "/console/login" in answer.headers["Location"]


def test_the_day_view_shows_each_booking_on_the_shops_clock(
    logged_in: Login, shop_engine: Engine
) -> None:
    contact_id = customer(shop_engine)
    day, starts = free_starts(shop_engine)
    booking_id = book(shop_engine, starts[0])
    local = RULES.local(starts[0])

    status, text = page(logged_in("owner"), f"/console/bookings?view=day&date={day}")

    assert status == 200
    row = text[text.index(f'id="booking-{booking_id}"') :]
    row = row[: row.index("</tr>")]
    end = local + timedelta(minutes=30)
    assert f"{local:%H:%M}–{end:%H:%M}" in row
    assert f'href="/console/customers/{contact_id}"' in row
    assert "Ana <b>" in row  # the customer's name, escaped in the page
    assert f"+{CUSTOMER}" in row
    assert "Cake tasting" in row
    assert "confirmed" in row
    assert get_booking(shop_engine, booking_id).resource in row
    assert f"{label(day, long=True)} {day.year}" in text
    assert f"date={day - timedelta(days=1)}" in text  # previous day
    assert f"date={day + timedelta(days=1)}" in text  # next day


def test_customer_text_is_escaped(logged_in: Login, shop_engine: Engine) -> None:
    customer(shop_engine, name="<script>alert(1)</script>")
    day, starts = free_starts(shop_engine)
    book(shop_engine, starts[0])

    raw = logged_in("owner").get(f"/console/bookings?date={day}").get_data(as_text=True)

    assert "<script>alert(1)</script>" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw


def test_the_agenda_opens_on_today_by_default(logged_in: Login) -> None:
    today = RULES.schedule.local_day(utcnow())

    status, text = page(logged_in("owner"), "/console/bookings")

    assert status == 200
    assert f'id="day-{today}"' in text
    assert "No bookings." in text
    assert f"date={today + timedelta(days=1)}" in text


def test_the_week_view_shows_monday_to_sunday(logged_in: Login, shop_engine: Engine) -> None:
    day, starts = free_starts(shop_engine)
    booking_id = book(shop_engine, starts[-1])
    monday = day - timedelta(days=day.weekday())

    status, text = page(logged_in("owner"), f"/console/bookings?view=week&date={day}")

    assert status == 200
    shown = re.findall(r'id="day-(\d{4}-\d{2}-\d{2})"', text)
    assert shown == [str(monday + timedelta(days=n)) for n in range(7)]
    section = text[text.index(f'id="day-{day}"') :]
    assert f'id="booking-{booking_id}"' in section[: section.index("</section>")]
    assert f"view=week&date={day - timedelta(days=7)}" in text


def test_a_bad_date_or_view_is_a_message_not_an_error(logged_in: Login) -> None:
    owner = logged_in("owner")
    for query, message in (
        ("date=2025-13-40", "is not a date: use YYYY-MM-DD."),
        ("date=yesterday", "is not a date: use YYYY-MM-DD."),
        ("date=0001-01-01&view=week", "The date must be within 100 years of today."),
        ("date=9999-12-31&view=week", "The date must be within 100 years of today."),
        ("date=2070-06-01", "Choose a date within ten years of today."),
        ("view=month", "Choose the day or the week view."),
    ):
        status, text = page(owner, f"/console/bookings?{query}")
        assert status == 400, query
        assert message in text, query


def test_cancel_frees_the_time_tells_the_customer_and_is_audited(
    logged_in: Login, shop_engine: Engine
) -> None:
    customer(shop_engine)
    day, starts = free_starts(shop_engine)
    booking_id = book(shop_engine, starts[0])
    owner = logged_in("owner")
    token = csrf_of(owner, f"/console/bookings?date={day}")

    answer = owner.post(
        f"/console/bookings/{booking_id}/cancel", data={"csrf_token": token, "view": "week"}
    )

    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"/console/bookings?view=week&date={day}")
    booking = get_booking(shop_engine, booking_id)
    assert (booking.status, booking.cancelled_by) == ("cancelled", "staff")
    [told] = texts(shop_engine)
    assert told.startswith("Sorry, we had to cancel your booking: Cake tasting")
    assert [row.state for row in outbox_rows(shop_engine, CUSTOMER)] == ["sent"]  # after_commit
    [event] = audit_events(shop_engine, "booking.cancel")
    assert (event.staff_email, event.target) == ("owner@bakery.test", f"booking #{booking_id}")
    assert event.detail == {"told": "text"}
    _, text = page(owner, answer.headers["Location"])
    assert f"Cancelled: Cake tasting, {label(day)}" in text
    assert "customer told." in text
    assert book(shop_engine, starts[0], OTHER)  # the time is free again


def test_cancel_outside_the_window_sends_the_booking_update_template(
    logged_in: Login, shop_engine: Engine
) -> None:
    day, starts = free_starts(shop_engine)
    booking_id = book(shop_engine, starts[0])  # never wrote: no window open
    owner = logged_in("owner")
    token = csrf_of(owner, f"/console/bookings?date={day}")

    answer = owner.post(
        f"/console/bookings/{booking_id}/cancel", data={"csrf_token": token}, follow_redirects=True
    )

    text = html.unescape(answer.get_data(True))
    assert "customer told (booking_update template: 24-hour window closed)" in text
    [sent] = outbox_rows(shop_engine, CUSTOMER)
    assert sent.payload["template"]["name"] == "booking_update"
    [body] = sent.payload["template"]["components"]
    assert [p["text"] for p in body["parameters"]][1:] == [
        "Cake tasting",
        f"{label(RULES.local(starts[0]))} at {RULES.local(starts[0]):%H:%M}",
        "cancelled",
    ]
    assert audit_events(shop_engine, "booking.cancel")[0].detail == {"told": "template"}


def test_cancel_without_the_csrf_token_is_refused(logged_in: Login, shop_engine: Engine) -> None:
    _, starts = free_starts(shop_engine)
    booking_id = book(shop_engine, starts[0])

    answer = logged_in("owner").post(f"/console/bookings/{booking_id}/cancel", data={})

    assert answer.status_code == 400
    assert "This form has expired" in answer.get_data(as_text=True)
    assert get_booking(shop_engine, booking_id).status == "confirmed"
    assert audit_events(shop_engine, "booking.cancel") == []


def test_cancelling_twice_or_an_unknown_booking_is_a_message(
    logged_in: Login, shop_engine: Engine
) -> None:
    day, starts = free_starts(shop_engine)
    booking_id = book(shop_engine, starts[0])
    owner = logged_in("owner")
    token = csrf_of(owner, f"/console/bookings?date={day}")
    owner.post(f"/console/bookings/{booking_id}/cancel", data={"csrf_token": token})

    again = owner.post(f"/console/bookings/{booking_id}/cancel", data={"csrf_token": token})
    unknown = owner.post("/console/bookings/999999/cancel", data={"csrf_token": token})

    assert again.status_code == 409
    assert f"Booking #{booking_id} is already cancelled." in again.get_data(as_text=True)
    assert unknown.status_code == 404
    assert "There is no booking #999999." in unknown.get_data(as_text=True)
    assert len(audit_events(shop_engine, "booking.cancel")) == 1


def test_move_offers_the_free_times_and_tells_the_customer(
    logged_in: Login, shop_engine: Engine
) -> None:
    customer(shop_engine)
    day, starts = free_starts(shop_engine)
    booking_id = book(shop_engine, starts[0])
    owner = logged_in("owner")

    status, text = page(owner, f"/console/bookings/{booking_id}/move?date={day}")

    assert status == 200
    offered = re.findall(r'name="start" value="([^"]+)"', text)
    assert offered == [s.isoformat() for s in starts]  # the first is still free for the other cook
    target = starts[-1]
    token = csrf_of(owner, f"/console/bookings/{booking_id}/move?date={day}")
    answer = owner.post(
        f"/console/bookings/{booking_id}/move",
        data={"csrf_token": token, "start": target.isoformat()},
    )

    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"date={day}")
    moved = get_booking(shop_engine, booking_id)
    assert as_utc(moved.start_at) == target
    assert moved.status == "confirmed"
    [told] = texts(shop_engine)
    local = RULES.local(target)
    assert told.startswith(
        f"We have moved your booking: Cake tasting, {label(local)} at {local:%H:%M}"
    )
    [event] = audit_events(shop_engine, "booking.move")
    assert event.detail == {
        "from": starts[0].isoformat(),
        "to": target.isoformat(),
        "told": "text",
    }
    assert "Moved: Cake tasting" in page(owner, answer.headers["Location"])[1]


def test_moving_to_a_taken_time_is_refused_and_keeps_the_booking(
    logged_in: Login, shop_engine: Engine
) -> None:
    customer(shop_engine)
    day, starts = free_starts(shop_engine)
    taken, mine = starts[0], starts[-1]
    book(shop_engine, taken, OTHER)
    book(shop_engine, taken, OTHER)  # both cake designers are busy then
    booking_id = book(shop_engine, mine)
    owner = logged_in("owner")
    token = csrf_of(owner, f"/console/bookings/{booking_id}/move?date={day}")

    answer = owner.post(
        f"/console/bookings/{booking_id}/move",
        data={"csrf_token": token, "start": taken.isoformat()},
    )

    assert answer.status_code == 409
    assert "Sorry, that time was just taken." in answer.get_data(as_text=True)
    assert as_utc(get_booking(shop_engine, booking_id).start_at) == mine
    assert texts(shop_engine) == []
    assert audit_events(shop_engine, "booking.move") == []


def test_a_bad_time_or_date_to_move_to_is_a_message(logged_in: Login, shop_engine: Engine) -> None:
    day, starts = free_starts(shop_engine)
    booking_id = book(shop_engine, starts[0])
    owner = logged_in("owner")
    path = f"/console/bookings/{booking_id}/move"
    token = csrf_of(owner, f"{path}?date={day}")
    yesterday = utcnow() - timedelta(days=1)

    for start, message in (
        ("noon", "Choose a time from the list."),
        ("9999-12-31T23:59:00", "Choose a time from the list."),
        (yesterday.isoformat(), "That time has already passed."),
    ):
        answer = owner.post(path, data={"csrf_token": token, "start": start})
        assert answer.status_code == 400, start
        assert message in answer.get_data(as_text=True), start
    for query, message in (
        ("date=31/02", "is not a date: use YYYY-MM-DD."),
        (f"date={RULES.schedule.local_day(yesterday)}", "is in the past."),
        (f"date={RULES.schedule.local_day(yesterday)}", "No free times on this date."),
    ):
        status, text = page(owner, f"{path}?{query}")
        assert status == 400, query
        assert message in text, query
    assert as_utc(get_booking(shop_engine, booking_id).start_at) == starts[0]


def test_a_cancelled_booking_cannot_be_moved(logged_in: Login, shop_engine: Engine) -> None:
    day, starts = free_starts(shop_engine)
    booking_id = book(shop_engine, starts[0])
    with transaction(shop_engine) as session:
        RULES.cancel(session, booking_id, utcnow(), by="staff")
    owner = logged_in("owner")
    token = csrf_of(owner, f"/console/bookings?date={day}")

    opened = owner.get(f"/console/bookings/{booking_id}/move")
    posted = owner.post(
        f"/console/bookings/{booking_id}/move",
        data={"csrf_token": token, "start": starts[-1].isoformat()},
    )

    for answer in (opened, posted):
        assert answer.status_code == 409
        assert f"Booking #{booking_id} is already cancelled." in answer.get_data(as_text=True)
    assert get_booking(shop_engine, booking_id).status == "cancelled"
