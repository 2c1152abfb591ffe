"""The booking flow through ``flows.FlowHandler``: booking, bad input, a slot taken, my bookings."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from flows import FlowSet, Hooks, load_flow, parse_flow
from flows.features.booking import hooks as hooks_booking
from flows.features.booking.booking import Bookings
from flows.features.booking.models import Booking
from flows.features.business import BusinessConfig
from flows.features.business.timestamps import as_utc
from flows.features.handoff.hooks import register_handoff_hooks
from storage.db import transaction
from tests.booking.conftest import handler_for, madrid
from tests.flows.flowkit import WA_ID, Chat, Clock, body, buttons, rows

FLOWS = Path(__file__).parents[2] / "flows" / "features" / "booking" / "flows"
OTHER = "34600000009"
MENU = """
schema: 1
flow: main_menu
version: 1
start: menu
intents:
  menu: {global: true, match: {keywords: [menu]}, goto: menu}
  agent: {global: true, match: {keywords: [person]}, goto: handoff}
states:
  menu: {say: "Main menu.", end: true}
"""


@pytest.fixture
def chat(engine: Engine, salon: BusinessConfig) -> Chat:
    """Ana talking to the booking flow on Monday 3 March 2025, 11:00 in Madrid."""
    hooks = Hooks()
    hooks_booking.register_booking_hooks(hooks, salon)
    register_handoff_hooks(hooks, salon)  # "talk to a person" when a question runs out of retries
    flowset = FlowSet([load_flow(FLOWS / "booking.yaml"), parse_flow(MENU)])
    handler = handler_for(flowset, hooks, salon)
    return Chat(engine, handler, Clock())


def _ids(payload: dict[str, object]) -> list[str]:
    return [row_id for row_id, _ in rows(payload)]


def _bookings(engine: Engine) -> list[Booking]:
    with Session(engine) as session:
        return list(session.exec(select(Booking).order_by(Booking.id)))  # type: ignore[arg-type]


def _to_times(
    chat: Chat, service: str = "svc:colour", day: str = "day:2025-03-04"
) -> list[dict[str, object]]:
    chat.send("book")
    chat.pick(service)
    return chat.pick(day)


def test_booking_happy_path(chat: Chat, engine: Engine) -> None:
    services, prompt = chat.send("book")
    assert _ids(services) == ["svc:cut", "svc:colour", "svc:consult"]
    assert rows(services)[1] == ("svc:colour", "Colour")
    assert "or type its name" in body(prompt)
    days, _ = chat.pick("svc:colour", "Colour")
    assert body(days).startswith("Colour (1 h 30 min · €55.00)")
    assert _ids(days)[:3] == ["day:2025-03-03", "day:2025-03-04", "day:2025-03-05"]
    times, _ = chat.pick("day:2025-03-04", "Tue 4 Mar")
    assert rows(times)[0] == ("time:20250304T0800Z", "09:00")
    [confirm] = chat.pick("time:20250304T0900Z", "10:00")
    assert (
        body(confirm)
        == "Colour on Tuesday 4 March at 10:00 (1 h 30 min · €55.00). Shall I book it?"
    )
    assert buttons(confirm) == ["Confirm", "Another time", "Not now"]
    [done] = chat.tap("confirm", "Confirm")
    assert (
        body(done)
        == "Booked! Colour, Tue 4 Mar at 10:00 (1 h 30 min · €55.00), booking #1. See you then!"
    )
    [booking] = _bookings(engine)
    assert (booking.wa_id, booking.service, booking.resource) == (WA_ID, "colour", "ana")
    assert as_utc(booking.start_at) == madrid(2025, 3, 4, 10).astimezone(
        as_utc(booking.start_at).tzinfo
    )
    assert chat.conversation.status == "ended"


def test_typed_answers_work_too(chat: Chat, engine: Engine) -> None:
    chat.send("book")
    chat.send("haircut")
    times, _ = chat.send("tomorrow")
    assert body(times) == "Free times on Tuesday 4 March:"
    [confirm] = chat.send("3pm")
    assert body(confirm).startswith("Haircut on Tuesday 4 March at 15:00")
    chat.send("confirm")
    assert len(_bookings(engine)) == 1


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        pytest.param("01/03", "Saturday 1 March is in the past", id="past-date"),
        pytest.param("31/02", "There is no 31 February", id="invalid-date"),
        pytest.param("next year", "couldn't read that date", id="not-a-date"),
        pytest.param("sunday", "closed on Sundays", id="closed-day"),
        pytest.param("28/03", "up to 14 days ahead", id="beyond-horizon"),
    ],
)
def test_a_bad_day_is_explained_and_asked_again(
    chat: Chat, engine: Engine, typed: str, error: str
) -> None:
    chat.send("book")
    chat.pick("svc:cut")
    [explained] = chat.send(typed)  # the engine re-asks with the reason
    assert error in body(explained)
    assert chat.conversation.state == "ask_day"
    times, _ = chat.pick("day:2025-03-04")
    assert body(times) == "Free times on Tuesday 4 March:"


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        pytest.param("25:00", "couldn't read that time", id="unreadable"),
        pytest.param("13:30", "we are not open then", id="lunch-break"),
        pytest.param("07:00", "we are not open then", id="before-opening"),
    ],
)
def test_a_bad_time_is_explained(chat: Chat, typed: str, error: str) -> None:
    _to_times(chat, "svc:cut")
    [explained] = chat.send(typed)
    assert error in body(explained)
    assert chat.conversation.state == "ask_time"


def test_under_minimum_notice_today(chat: Chat) -> None:
    chat.send("book")
    chat.pick("svc:cut")
    times, _ = chat.pick("day:2025-03-03")  # 11:00 now: 12:00 and 12:30 are under 2 hours
    assert rows(times)[0][1] == "15:00"
    [explained] = chat.send("12:00")
    assert "at least 2 hours of notice" in body(explained)


def test_a_time_taken_while_the_customer_was_choosing(
    chat: Chat, engine: Engine, bookings: Bookings
) -> None:
    times = _to_times(chat)
    assert "time:20250304T0900Z" in _ids(times[0])
    chat.pick("time:20250304T0900Z")
    with transaction(engine) as session:  # someone else confirms 10:00 first
        bookings.book(session, OTHER, "colour", madrid(2025, 3, 4, 10), chat.clock.now)
    sorry, fresh, prompt = chat.tap("confirm", "Confirm")
    assert body(sorry) == "Sorry, that time was just taken. Please pick another one."
    assert "time:20250304T0900Z" not in _ids(fresh)
    assert "time:20250304T0800Z" not in _ids(fresh)  # 09:00 would overlap the 10:00 colour
    assert body(prompt).startswith("Tap a time")
    assert [b.wa_id for b in _bookings(engine)] == [OTHER]
    chat.pick("time:20250304T1400Z")
    [done] = chat.tap("confirm")
    assert body(done).startswith("Booked! Colour, Tue 4 Mar at 15:00")


def test_long_lists_are_paged(chat: Chat) -> None:
    chat.send("book")
    days, _ = chat.pick("svc:cut")
    shown = _ids(days)
    assert len(shown) == 9  # 8 days + "More"
    assert shown[-1] == "page:1"
    more, _ = chat.pick("page:1", "More ▶")
    assert _ids(more)[0] == "day:2025-03-12"
    assert "page:0" in _ids(more)


def test_quit_and_not_now(chat: Chat, engine: Engine) -> None:
    chat.send("book")
    assert chat.say("cancel") == ["OK, nothing was booked."]
    _to_times(chat)
    chat.pick("time:20250304T0900Z")
    assert [body(p) for p in chat.tap("drop", "Not now")] == ["OK, nothing was booked."]
    assert _bookings(engine) == []


def test_my_bookings_cancel(chat: Chat, engine: Engine, bookings: Bookings) -> None:
    with transaction(engine) as session:
        mine = bookings.book(session, WA_ID, "cut", madrid(2025, 3, 4, 10), chat.clock.now)
        bookings.book(session, OTHER, "cut", madrid(2025, 3, 5, 10), chat.clock.now)
    [what] = chat.send("my bookings")
    assert "Haircut, Tue 4 Mar at 10:00" in body(what)
    listed, _ = chat.tap("manage", "Change or cancel")
    assert _ids(listed) == [f"bk:{mine.id}"]
    [manage] = chat.pick(f"bk:{mine.id}")
    assert buttons(manage) == ["Change time", "Cancel booking", "Keep it"]
    [done] = chat.tap("cancel_booking")
    assert body(done).startswith("Cancelled: Haircut, Tue 4 Mar at 10:00")
    assert [b.status for b in _bookings(engine)] == ["cancelled", "confirmed"]


def test_cancel_typed_at_several_bookings_asks_which(
    chat: Chat, engine: Engine, bookings: Bookings
) -> None:
    with transaction(engine) as session:
        first = bookings.book(session, WA_ID, "cut", madrid(2025, 3, 4, 10), chat.clock.now)
        bookings.book(session, WA_ID, "cut", madrid(2025, 3, 5, 10), chat.clock.now)
    chat.send("my bookings")
    listed, _ = chat.send("cancel")  # at "your upcoming bookings": the list of them
    assert len(_ids(listed)) == 2
    assert chat.say("cancel") == ["Which booking do you want to cancel? Tap it in the list above."]
    chat.pick(f"bk:{first.id}")
    assert chat.say("cancel")[0].startswith("Cancelled: Haircut, Tue 4 Mar at 10:00")
    assert [b.status for b in _bookings(engine)] == ["cancelled", "confirmed"]


def test_menu_still_works_where_cancel_means_a_booking(
    chat: Chat, engine: Engine, bookings: Bookings
) -> None:
    with transaction(engine) as session:
        bookings.book(session, WA_ID, "cut", madrid(2025, 3, 4, 10), chat.clock.now)
    chat.send("my bookings")
    assert chat.say("menu") == ["Main menu."]
    chat.send("my bookings")
    chat.send("cancel")
    assert chat.say("quit") == ["OK, your bookings stay as they are."]
    assert [b.status for b in _bookings(engine)] == ["confirmed"]


def test_my_bookings_refuses_someone_elses(chat: Chat, engine: Engine, bookings: Bookings) -> None:
    with transaction(engine) as session:
        bookings.book(session, WA_ID, "cut", madrid(2025, 3, 4, 10), chat.clock.now)
        theirs = bookings.book(session, OTHER, "cut", madrid(2025, 3, 5, 10), chat.clock.now)
    chat.send("my bookings")
    chat.tap("manage")
    [explained] = chat.send(f"#{theirs.id}")
    assert body(explained) == f"Booking #{theirs.id} is not one of yours."


def test_my_bookings_says_why_a_booking_cannot_be_changed(
    chat: Chat, engine: Engine, bookings: Bookings
) -> None:
    with transaction(engine) as session:
        gone = bookings.book(session, WA_ID, "cut", madrid(2025, 3, 4, 10), chat.clock.now)
        started = bookings.book(session, WA_ID, "cut", madrid(2025, 3, 5, 10), chat.clock.now)
        bookings.book(session, WA_ID, "cut", madrid(2025, 3, 7, 10), chat.clock.now)
        bookings.cancel(session, gone.id, chat.clock.now)
    chat.send("my bookings")
    chat.tap("manage")
    [explained] = chat.send(f"#{gone.id}")
    assert body(explained) == f"Booking #{gone.id} is already cancelled."
    chat.clock.advance(days=2)
    chat.send("my bookings")
    chat.tap("manage")
    [explained] = chat.send(f"#{started.id}")
    assert body(explained) == f"Booking #{started.id} has already started."


def test_my_bookings_reschedule(chat: Chat, engine: Engine, bookings: Bookings) -> None:
    with transaction(engine) as session:
        mine = bookings.book(session, WA_ID, "colour", madrid(2025, 3, 4, 10), chat.clock.now)
    chat.send("reschedule")
    chat.tap("manage")
    chat.pick(f"bk:{mine.id}")
    days, _ = chat.tap("move", "Change time")
    assert body(days).startswith("Colour")
    chat.pick("day:2025-03-05")
    chat.pick("time:20250305T1400Z")
    [done] = chat.tap("confirm")
    assert body(done).startswith(
        f"Booked! Colour, Wed 5 Mar at 15:00 (1 h 30 min · €55.00), booking #{mine.id}"
    )
    [moved] = _bookings(engine)
    assert as_utc(moved.start_at) == madrid(2025, 3, 5, 15).astimezone(
        as_utc(moved.start_at).tzinfo
    )


def test_next_friday_is_the_friday_after_today(chat: Chat) -> None:
    chat.send("book")
    chat.pick("svc:cut")
    times = chat.send("next friday")
    assert body(times[0]) == "Free times on Friday 7 March:"


def _exhaust(chat: Chat) -> list[str]:
    """Four refused days on the day question: the last one runs out of retries."""
    chat.send("book")
    chat.pick("svc:cut")
    for typed in ("sunday", "01/03", "31/02"):
        assert "couldn't" not in chat.say(typed)[0]
    return chat.say("28/03")


def test_out_of_retries_keeps_the_service_and_offers_menu_or_person(chat: Chat) -> None:
    reason, offer = _exhaust(chat)
    assert reason.startswith("We take bookings up to 14 days ahead")  # its own reason, again
    assert "I kept your choice: Haircut." in offer
    assert "couldn't" not in offer
    assert buttons(chat.last[-1]) == ["Try again", "Main menu", "Talk to a person"]
    assert chat.conversation.status == "active"
    [days, _] = chat.tap("again", "Try again")
    assert body(days).startswith("Haircut")  # back at the days of the kept service
    assert chat.conversation.state == "ask_day"


def test_out_of_retries_a_person_or_the_menu(chat: Chat) -> None:
    _exhaust(chat)
    chat.tap("person", "Talk to a person")
    assert chat.contact.paused
    chat.set_paused(False)
    _exhaust(chat)
    assert chat.say("Main menu") == ["Main menu."]
