"""Booking tables: appointments, and the occupied cells that make double booking impossible.

Every confirmed booking owns one :class:`BookingCell` per 5-minute UTC block its interval
touches, for its staff member (resource), under a unique ``(resource, cell_start)`` constraint.
The cells are inserted with ``INSERT … ON CONFLICT DO NOTHING`` in a savepoint of the booking's
transaction: when another transaction holds one of them (PostgreSQL waits for it to commit;
SQLite serialises writers), fewer rows come back and the savepoint is rolled back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import UniqueConstraint, delete, update
from sqlmodel import Field, Session, SQLModel, col, select

from flows.features.business.timestamps import as_utc, timestamp
from storage.db import insert_ignoring_conflicts
from storage.models import utcnow


class Booking(SQLModel, table=True):
    """One appointment. ``status`` is ``confirmed`` or ``cancelled``; times are UTC."""

    __tablename__ = "waflow_booking"

    id: int | None = Field(default=None, primary_key=True)
    wa_id: str = Field(max_length=64, index=True)
    service: str = Field(max_length=64)
    resource: str = Field(max_length=64)
    start_at: datetime = timestamp(index=True)
    end_at: datetime = timestamp()
    status: str = Field(default="confirmed", max_length=16)
    price: int | None = None
    created_at: datetime = timestamp(default_factory=utcnow)
    cancelled_at: datetime | None = timestamp(default=None)
    cancelled_by: str | None = Field(default=None, max_length=16)  # customer | staff
    reminder_sent_at: datetime | None = timestamp(default=None)


class BookingCell(SQLModel, table=True):
    """One occupied 5-minute cell of one resource; unique, so never booked twice."""

    __tablename__ = "waflow_booking_cell"
    __table_args__ = (UniqueConstraint("resource", "cell_start", name="uq_waflow_booking_cell"),)

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="waflow_booking.id", ondelete="CASCADE", index=True)
    resource: str = Field(max_length=64)
    cell_start: datetime = timestamp()


def occupy(session: Session, booking_id: int, resource: str, cells: Sequence[datetime]) -> bool:
    """Take ``cells`` (aware UTC) of ``resource`` for booking ``booking_id``, all or none.

    Runs in a savepoint of the caller's transaction, so a refusal leaves the transaction usable.

    Returns:
        ``True`` when every cell was free and is now taken; ``False`` (nothing taken) when at
        least one is held by another booking, committed or committing.
    """
    if not cells:
        return True
    table = BookingCell.__table__  # type: ignore[attr-defined]
    rows = [
        {"booking_id": booking_id, "resource": resource, "cell_start": as_utc(c)} for c in cells
    ]
    with session.begin_nested() as savepoint:
        statement = insert_ignoring_conflicts(
            session, table, rows, unique=["resource", "cell_start"]
        ).returning(table.c.id)
        inserted = len(session.execute(statement).all())
        if inserted != len(rows):
            savepoint.rollback()
            return False
    return True


def release(session: Session, booking_id: int) -> None:
    """Free every cell of a booking."""
    session.execute(delete(BookingCell).where(col(BookingCell.booking_id) == booking_id))


def busy_cells(session: Session, start: datetime, end: datetime) -> set[tuple[str, datetime]]:
    """The occupied ``(resource, cell_start)`` pairs with ``start <= cell_start < end``."""
    query = select(BookingCell.resource, BookingCell.cell_start).where(
        BookingCell.cell_start >= as_utc(start), BookingCell.cell_start < as_utc(end)
    )
    return {(resource, as_utc(cell)) for resource, cell in session.exec(query)}


def bookings_between(
    session: Session,
    start: datetime,
    end: datetime,
    *,
    wa_id: str | None = None,
    status: str | None = "confirmed",
) -> list[Booking]:
    """Bookings starting in ``[start, end)``, in time order."""
    query = select(Booking).where(Booking.start_at >= as_utc(start), Booking.start_at < as_utc(end))
    if wa_id is not None:
        query = query.where(Booking.wa_id == wa_id)
    if status is not None:
        query = query.where(Booking.status == status)
    return list(session.exec(query.order_by(col(Booking.start_at), col(Booking.id))))


def claim_reminder(session: Session, booking_id: int, now: datetime) -> bool:
    """Mark a booking's reminder as sent, unless another run already did (atomic)."""
    result = session.execute(
        update(Booking)
        .where(col(Booking.id) == booking_id, col(Booking.reminder_sent_at).is_(None))
        .values(reminder_sent_at=as_utc(now))
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


__all__ = [
    "Booking",
    "BookingCell",
    "bookings_between",
    "busy_cells",
    "claim_reminder",
    "occupy",
    "release",
]
