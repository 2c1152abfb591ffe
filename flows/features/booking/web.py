"""The bookings agenda of the console: ``/console/bookings`` by day or week, cancel, move.

Owners only. Times are on the shop's clock; each booking shows its customer, service, staff
member and status. Cancelling and moving go through :class:`~flows.features.booking.Bookings`
(as ``waflow bookings cancel`` and the customer's own rescheduling do), tell the customer
(:mod:`flows.features.booking.notices`) and are audited in the same transaction; a refusal
(a taken time, a date that cannot be booked) is a flash message on a 4xx page, never a 500.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from sqlmodel import Session, col, select

from flows.features._feature import WebContext
from flows.features.booking import notices
from flows.features.booking.booking import BookingError, Bookings
from flows.features.booking.messages import day_label, summary
from flows.features.booking.models import Booking
from flows.features.console import audit
from flows.features.console.forms import FormError, parse_day
from flows.features.console.web import acting_staff, console_blueprint, owner_only, render
from storage.db import read_session, transaction
from storage.models import Contact, as_utc, utcnow

VIEWS = {"day": 1, "week": 7}
"""The agenda's views and how many days each shows."""
REACH = timedelta(days=3660)
"""How far from today the agenda can be browsed."""
_STATUS = {"not_found": 404, "taken": 409, "not_active": 409}


@dataclass(frozen=True)
class AgendaEntry:
    """One booking as the agenda shows it (``start`` and ``end`` on the shop's clock)."""

    booking: Booking
    start: datetime
    end: datetime
    service: str
    contact: Contact | None
    changeable: bool


def _day(text: str | None, today: date) -> date:
    """The date of a ``date`` parameter (``YYYY-MM-DD``), today without one.

    Raises:
        BookingError: ``invalid_date``.
    """
    try:
        day = parse_day(text, today)
    except FormError as exc:
        raise BookingError("invalid_date", str(exc)) from None
    if day is None:
        return today
    if abs(day - today) > REACH:
        raise BookingError("invalid_date", "Choose a date within ten years of today.")
    return day


def _start(text: str, now: datetime) -> datetime | None:
    """The instant of a ``start`` field (ISO 8601, naive is UTC), or ``None`` if it is not one."""
    try:
        start = as_utc(datetime.fromisoformat(text))
    except (ValueError, OverflowError):  # not a time, or one that cannot be made UTC
        return None
    return start if abs(start - now) <= REACH else None


def _status(exc: BookingError) -> int:
    return _STATUS.get(exc.reason, 400)


def _contacts(session: Session, bookings: Sequence[Booking]) -> dict[str, Contact]:
    wa_ids = {b.wa_id for b in bookings}
    found = session.exec(select(Contact).where(col(Contact.wa_id).in_(wa_ids))) if wa_ids else ()
    return {c.wa_id: c for c in found}


def console_pages(ctx: WebContext) -> Blueprint:
    """The agenda's blueprint (the booking feature's ``console_factory``)."""
    rules = Bookings(ctx.business)
    staff_texts = ctx.business.texts("en")  # the console is in English
    staff_day = partial(day_label, staff_texts)
    blueprint = console_blueprint("waflow_booking_console", __name__)

    def entries(session: Session, first: date, days: int, now: datetime) -> list[AgendaEntry]:
        rows = rules.on_day(session, first, days=days, status=None)
        contacts = _contacts(session, rows)
        return [
            AgendaEntry(
                booking=b,
                start=rules.local(b.start_at),
                end=rules.local(b.end_at),
                service=rules.title(b.service),
                contact=contacts.get(b.wa_id),
                changeable=b.status == "confirmed" and as_utc(b.start_at) > now,
            )
            for b in rows
        ]

    def agenda_page(view: str, day: date, status: int = 200) -> ResponseReturnValue:
        now = utcnow()
        first = day - timedelta(days=day.weekday()) if view == "week" else day
        with read_session(ctx.engine) as session:
            found = entries(session, first, VIEWS[view], now)
        days = [first + timedelta(days=n) for n in range(VIEWS[view])]
        by_day = {d: [e for e in found if e.start.date() == d] for d in days}
        step = timedelta(days=VIEWS[view])
        page = render(
            "booking/agenda.html",
            view=view,
            day=day,
            by_day=by_day,
            today=rules.schedule.local_day(now),
            previous=day - step,
            following=day + step,
            day_label=staff_day,
        )
        return page, status

    @blueprint.get("/bookings")
    @owner_only
    def agenda() -> ResponseReturnValue:
        """The bookings of a day (``?view=day``) or its week (``?view=week``)."""
        today = rules.schedule.local_day(utcnow())
        view = request.args.get("view", "day")
        if view not in VIEWS:
            flash("Choose the day or the week view.", "error")
            return agenda_page("day", today, 400)
        try:
            day = _day(request.args.get("date"), today)
        except BookingError as exc:
            flash(str(exc), "error")
            return agenda_page(view, today, 400)
        return agenda_page(view, day)

    def done(message: str, day: date) -> ResponseReturnValue:
        ctx.wake()
        flash(message, "info")
        view = request.form.get("view", "day")
        target = url_for(".agenda", view=view if view in VIEWS else "day", date=day.isoformat())
        return redirect(target, 303)

    @blueprint.post("/bookings/<int:booking_id>/cancel")
    @owner_only
    def cancel(booking_id: int) -> ResponseReturnValue:
        """Cancel a booking, free its time and tell the customer."""
        now = utcnow()
        try:
            with transaction(ctx.engine) as session:
                booking = rules.cancel(session, booking_id, now, by="staff")
                reached = notices.tell_customer(session, rules, booking, "cancelled", now)
                staff = acting_staff(session)
                audit(session, staff, "booking.cancel", f"booking #{booking_id}", {"told": reached})
                line = summary(rules, booking, staff_texts)
        except BookingError as exc:
            flash(str(exc), "error")
            return agenda_page("day", rules.schedule.local_day(now), _status(exc))
        day = rules.local(booking.start_at).date()
        return done(f"Cancelled: {line}; {notices.told(reached)}.", day)

    def move_page(booking_id: int, day: date | None, status: int = 200) -> ResponseReturnValue:
        now = utcnow()
        with read_session(ctx.engine) as session:
            try:
                booking = rules.get(session, booking_id, now=now)
            except BookingError as exc:
                flash(str(exc), "error")
                return agenda_page("day", rules.schedule.local_day(now), _status(exc))
            current = rules.local(booking.start_at).date()
            day = day or max(current, rules.schedule.local_day(now))
            try:
                slots = rules.free_times(session, booking.service, day, now)
            except BookingError as exc:
                flash(str(exc), "error")
                slots, status = [], _status(exc)
            contact = _contacts(session, [booking]).get(booking.wa_id)
        page = render(
            "booking/move.html",
            booking=booking,
            line=summary(rules, booking, staff_texts),
            contact=contact,
            day=day,
            slots=[(as_utc(s), rules.local(s)) for s in slots],
            day_label=staff_day,
        )
        return page, status

    @blueprint.get("/bookings/<int:booking_id>/move")
    @owner_only
    def move_form(booking_id: int) -> ResponseReturnValue:
        """The free times of the booking's service on a chosen date (``?date=``)."""
        text = request.args.get("date", "")
        try:
            day = _day(text, rules.schedule.local_day(utcnow())) if text else None
        except BookingError as exc:
            flash(str(exc), "error")
            return move_page(booking_id, None, 400)
        return move_page(booking_id, day)

    @blueprint.post("/bookings/<int:booking_id>/move")
    @owner_only
    def move(booking_id: int) -> ResponseReturnValue:
        """Move a booking to the free time ``start`` (UTC, ISO 8601) and tell the customer."""
        now = utcnow()
        start = _start(request.form.get("start", ""), now)
        if start is None:
            flash("Choose a time from the list.", "error")
            return move_page(booking_id, None, 400)
        try:
            with transaction(ctx.engine) as session:
                booking = rules.get(session, booking_id, now=now)
                before = as_utc(booking.start_at)
                rules.reschedule(session, booking_id, start, now, wa_id=booking.wa_id)
                reached = notices.tell_customer(session, rules, booking, "moved", now)
                staff = acting_staff(session)
                detail = {"from": before.isoformat(), "to": start.isoformat(), "told": reached}
                audit(session, staff, "booking.move", f"booking #{booking_id}", detail)
                line = summary(rules, booking, staff_texts)
        except BookingError as exc:
            flash(str(exc), "error")
            if exc.reason in ("not_found", "not_active"):
                return agenda_page("day", rules.schedule.local_day(now), _status(exc))
            return move_page(booking_id, rules.local(start).date(), _status(exc))
        return done(f"Moved: {line}; {notices.told(reached)}.", rules.local(start).date())

    return blueprint


__all__ = ["VIEWS", "AgendaEntry", "console_pages"]
