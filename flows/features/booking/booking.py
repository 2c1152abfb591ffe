"""Consultation booking: the rules of what can be booked, booking, cancelling, rescheduling.

:class:`Bookings` works over a :class:`~sqlmodel.Session` (the turn's transaction, or the CLI's)
and refuses with a :class:`BookingError` fit to show the customer. The calendar arithmetic is in
:mod:`flows.features.booking._slots`; that a time is never booked twice is the database's
guarantee (:mod:`flows.features.booking.models`): of two customers confirming the same time at
once, one gets :class:`SlotTakenError`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal

from sqlmodel import Session

from bot.config import mask
from flows import Refusal, Texts
from flows.features.booking import _slots
from flows.features.booking import models as store
from flows.features.booking._slots import Schedule
from flows.features.booking._words import clock, day_label, weekday
from flows.features.booking.models import Booking
from flows.features.business import BusinessConfig, Service
from flows.features.business.timestamps import as_utc

log = logging.getLogger(__name__)

Reason = Literal[
    "unknown_service",
    "invalid_date",
    "past",
    "holiday",
    "closed",
    "outside_hours",
    "min_notice",
    "horizon",
    "taken",
    "not_found",
    "not_yours",
    "not_active",
]


Value = str | int | Callable[[Texts], str]
"""A value of a refusal's sentence: as it is, or written for the customer (a date, a title)."""


class BookingError(Refusal):
    """A booking request was refused; :meth:`said` is the sentence for the customer.

    An expected outcome (:class:`flows.Refusal`): logged at INFO, never with a traceback.
    ``str(error)`` is the sentence in English.

    Args:
        reason: A stable code (see :data:`Reason`).
        message: The English sentence (a message id), with ``{placeholders}`` for ``values``.
        plural: Its plural form, chosen by the ``count`` value (``{n}`` in both).
        values: The placeholders' values; a callable is given the customer's
            :class:`~flows.Texts` (a date written in their language, a translated title).

    Attributes:
        reason: A stable code (see :data:`Reason`).
    """

    def __init__(
        self, reason: Reason, message: str, /, *, plural: str | None = None, **values: Value
    ) -> None:
        self.reason: Reason = reason
        self.message, self.plural, self.values = message, plural, values
        super().__init__(self.said(Texts()))

    def said(self, texts: Texts) -> str:
        """The refusal in the customer's language."""
        values = {
            key: value(texts) if callable(value) else value for key, value in self.values.items()
        }
        if self.plural is not None:
            count = int(values.pop("n"))
            return texts.plural(self.message, self.plural, count, **values)
        return texts(self.message, **values) if values else texts(self.message)


class SlotTakenError(BookingError):
    """The time was free when offered but someone else booked it first."""

    def __init__(self) -> None:
        super().__init__("taken", "Sorry, that time was just taken. Please pick another one.")


def _day(day: date) -> Callable[[Texts], str]:
    return lambda texts: day_label(texts, day, long=True)  # in a sentence: written in full


@dataclass
class Bookings:
    """The booking rules of one business file (services, hours, holidays, booking settings)."""

    config: BusinessConfig
    schedule: Schedule = field(init=False)

    def __post_init__(self) -> None:
        self.schedule = Schedule.from_business(self.config)

    def service(self, service_id: str) -> Service:
        """The service with this id.

        Raises:
            BookingError: ``unknown_service``.
        """
        service = self.config.service(service_id)
        if service is None:
            raise BookingError("unknown_service", "Sorry, we don't offer that service.")
        return service

    def title(self, service_id: str, texts: Texts | None = None) -> str:
        """The title of a service (translated by ``texts``: the business's catalog may have it),
        or its id when the business file no longer offers it."""
        service = self.config.service(service_id)
        if service is None:
            return service_id
        return texts(service.title) if texts is not None else service.title

    def _busy(self, session: Session, now: datetime) -> set[tuple[str, datetime]]:
        return store.busy_cells(session, now, now + self.schedule.horizon + timedelta(days=1))

    def free_days(self, session: Session, service_id: str, now: datetime) -> list[tuple[date, int]]:
        """``(date, free start count)`` of each of the shop's dates with free times.

        Raises:
            BookingError: ``unknown_service``.
        """
        service = self.service(service_id)
        return _slots.free_days(self.schedule, service, now, self._busy(session, now))

    def free_times(
        self, session: Session, service_id: str, day: date, now: datetime
    ) -> list[datetime]:
        """The free start times (aware UTC) of a service on one of the shop's dates.

        Raises:
            BookingError: ``unknown_service``, or why the day cannot be booked at all
                (``past``, ``holiday``, ``closed``, ``horizon``).
        """
        service = self.service(service_id)
        self.check_day(day, now)
        return _slots.free_starts(self.schedule, service, day, now, self._busy(session, now))

    def check_day(self, day: date, now: datetime) -> None:
        """Refuse a day that cannot have bookable times.

        Raises:
            BookingError: ``past``, ``holiday``, ``closed`` or ``horizon``.
        """
        today = self.schedule.local_day(now)
        if day < today:
            raise BookingError(
                "past", "{day} is in the past. Please choose a later date.", day=_day(day)
            )
        if day > self.schedule.local_day(now + self.schedule.horizon):
            raise BookingError(
                "horizon",
                "We take bookings up to {n} day ahead. Please choose an earlier date.",
                plural="We take bookings up to {n} days ahead. Please choose an earlier date.",
                n=self.schedule.horizon.days,
            )
        if day in self.schedule.holidays:
            raise BookingError(
                "holiday",
                "We are closed on {day} (holiday). Please choose another date.",
                day=_day(day),
            )
        if not self.schedule.hours.on(day):
            raise BookingError(
                "closed",
                "We are closed on {weekday}s. Please choose another date.",
                weekday=lambda texts: weekday(texts, day),
            )

    def check_start(self, service: Service, start: datetime, now: datetime) -> None:
        """Refuse a start time that breaks a rule (whether or not it is free).

        Raises:
            BookingError: ``past``, ``min_notice``, ``horizon``, ``holiday``, ``closed`` or
                ``outside_hours``.
        """
        start = as_utc(start)
        if start <= now:
            raise BookingError("past", "That time has already passed. Please choose a later one.")
        day = self.schedule.local_day(start)
        self.check_day(day, now)
        if start not in _slots.candidate_starts(self.schedule, service, day):
            local = self.local(start)
            raise BookingError(
                "outside_hours",
                "{service} cannot start at {time}: we are not open then.",
                service=lambda texts: texts(service.title),
                time=lambda texts: clock(texts, local),
            )
        if start < now + self.schedule.min_notice:
            minutes = int(self.schedule.min_notice.total_seconds() // 60)
            if minutes % 60:
                raise BookingError(
                    "min_notice",
                    "Bookings need at least {n} minute of notice. Please choose a later time.",
                    plural="Bookings need at least {n} minutes of notice. "
                    "Please choose a later time.",
                    n=minutes,
                )
            raise BookingError(
                "min_notice",
                "Bookings need at least {n} hour of notice. Please choose a later time.",
                plural="Bookings need at least {n} hours of notice. Please choose a later time.",
                n=minutes // 60,
            )
        if start > now + self.schedule.horizon:
            raise BookingError("horizon", "That is too far ahead. Please choose an earlier date.")

    def book(
        self,
        session: Session,
        wa_id: str,
        service_id: str,
        start: datetime,
        now: datetime,
        *,
        staff: str | None = None,
    ) -> Booking:
        """Book ``service_id`` at ``start`` for ``wa_id``, with the first staff member free.

        Returns:
            The confirmed booking (flushed: it has an id).

        Raises:
            SlotTakenError: Someone else holds the time, even if still committing.
            BookingError: The start breaks a rule (see :meth:`check_start`).
        """
        service = self.service(service_id)
        start = as_utc(start)
        self.check_start(service, start, now)
        booking = Booking(
            wa_id=wa_id,
            service=service.id,
            resource="",
            start_at=start,
            end_at=start + service.duration,
            price=service.price,
            created_at=as_utc(now),
        )
        with session.begin_nested():  # leaving it by SlotTakenError rolls the booking back
            session.add(booking)
            session.flush()
            self._occupy(session, booking, service, start, staff)
        log.info("booking %s for %s at %s", booking.id, mask(wa_id), start.isoformat())
        return booking

    def _occupy(
        self,
        session: Session,
        booking: Booking,
        service: Service,
        start: datetime,
        staff: str | None,
    ) -> None:
        """Give ``booking`` the first resource free at ``start``, else raise SlotTakenError."""
        needed = _slots.cells(start, start + service.duration)
        for resource in self.schedule.resources(service, staff):
            if store.occupy(session, int(booking.id or 0), resource, needed):
                booking.resource = resource
                session.add(booking)
                return
        log.info("booking for %s at %s refused: taken", mask(booking.wa_id), start.isoformat())
        raise SlotTakenError()

    def get(
        self,
        session: Session,
        booking_id: int,
        *,
        wa_id: str | None = None,
        now: datetime | None = None,
    ) -> Booking:
        """A booking by id; with ``wa_id`` only that customer's, with ``now`` only an active one.

        Raises:
            BookingError: ``not_found``, ``not_yours`` for someone else's booking, or
                ``not_active`` for one cancelled or started by ``now``.
        """
        booking = session.get(Booking, booking_id)
        if booking is None:
            raise BookingError("not_found", "There is no booking #{id}.", id=booking_id)
        if wa_id is not None and booking.wa_id != wa_id:
            raise BookingError("not_yours", "Booking #{id} is not one of yours.", id=booking_id)
        if now is not None and booking.status != "confirmed":
            raise BookingError("not_active", "Booking #{id} is already cancelled.", id=booking_id)
        if now is not None and as_utc(booking.start_at) <= now:
            raise BookingError("not_active", "Booking #{id} has already started.", id=booking_id)
        return booking

    def cancel(
        self,
        session: Session,
        booking_id: int,
        now: datetime,
        *,
        wa_id: str | None = None,
        by: str = "customer",
    ) -> Booking:
        """Cancel a booking and free its time, recording ``by`` (``customer`` or ``staff``).

        With ``wa_id`` (the customer asking) only their own booking may be cancelled.

        Raises:
            BookingError: ``not_found``, ``not_yours`` or ``not_active``.
        """
        booking = self.get(session, booking_id, wa_id=wa_id, now=now)
        store.release(session, booking_id)
        booking.status, booking.cancelled_at, booking.cancelled_by = "cancelled", as_utc(now), by
        session.add(booking)
        session.flush()
        log.info("booking %s of %s cancelled by %s", booking_id, mask(booking.wa_id), by)
        return booking

    def reschedule(
        self, session: Session, booking_id: int, start: datetime, now: datetime, *, wa_id: str
    ) -> Booking:
        """Move a customer's own booking to ``start``; the old time stays theirs if it fails.

        Raises:
            SlotTakenError: The new time is taken.
            BookingError: ``not_found``, ``not_yours``, ``not_active``, or a rule (see
                :meth:`check_start`).
        """
        booking = self.get(session, booking_id, wa_id=wa_id, now=now)
        service = self.service(booking.service)
        start = as_utc(start)
        self.check_start(service, start, now)
        with session.begin_nested():  # leaving it by SlotTakenError gives the old cells back
            store.release(session, booking_id)
            self._occupy(session, booking, service, start, None)
            booking.start_at, booking.end_at = start, start + service.duration
            booking.reminder_sent_at = None
            session.add(booking)
            session.flush()
        log.info("booking %s of %s moved to %s", booking_id, mask(wa_id), start.isoformat())
        return booking

    def upcoming(self, session: Session, wa_id: str, now: datetime) -> list[Booking]:
        """A customer's confirmed bookings that have not started yet."""
        return store.bookings_between(
            session, now, now + self.schedule.horizon + timedelta(days=366), wa_id=wa_id
        )

    def on_day(
        self, session: Session, day: date, *, days: int = 1, status: str | None = "confirmed"
    ) -> list[Booking]:
        """Every booking starting on one of the shop's dates (or in the ``days`` from it)."""
        start = datetime.combine(day, time(), tzinfo=self.schedule.tz)
        end = datetime.combine(day + timedelta(days=days), time(), tzinfo=self.schedule.tz)
        return store.bookings_between(session, start, end, status=status)

    def local(self, moment: datetime) -> datetime:
        """``moment`` on the shop's wall clock."""
        return self.config.local(moment)


__all__ = ["BookingError", "Bookings", "Reason", "SlotTakenError", "Value"]
