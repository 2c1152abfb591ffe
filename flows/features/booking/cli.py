"""``waflow bookings …``: staff commands to list (a day or a range), remind (cron) and cancel.

Messages to customers are queued in the outbox; the running bot (``waflow run``) sends them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import click

from flows.features import cli as shared
from flows.features.booking import notices
from flows.features.booking.booking import Bookings
from flows.features.booking.messages import summary
from flows.features.booking.reminders import send_reminders
from flows.features.cli import (
    Shop,
    fail,
    full_numbers_option,
    pass_shop,
    reporting,
    shown_number,
    staff_group,
)
from storage.db import transaction

bookings = staff_group("bookings", "List, remind and cancel consultation bookings.")


_DAY = click.DateTime(["%Y-%m-%d"])
DEFAULT_DAYS = 8
"""``bookings list`` without dates: today and the next 7 days."""
MAX_DAYS = 366
"""The longest range ``bookings list`` shows at once."""


def _days(
    today: date,
    day: datetime | None,
    first: datetime | None,
    last: datetime | None,
    days: int | None,
) -> tuple[date, int]:
    """The first day and the number of days that ``bookings list``'s options ask for."""
    if day and (first or last or days):
        fail("--date is one day: give it alone, or use --from with --to or --days")
    if last and days:
        fail("give --to or --days, not both")
    if day:
        return day.date(), 1
    start = first.date() if first else today
    if last:
        days = (last.date() - start).days + 1
        if days < 1:
            fail(f"--to {last:%Y-%m-%d} is before --from {start:%Y-%m-%d}")
    count = DEFAULT_DAYS if days is None else days
    if not 1 <= count <= MAX_DAYS:
        fail(f"a list covers 1 to {MAX_DAYS} days, not {count}")
    return start, count


@bookings.command("list")
@click.option("--date", "day", type=_DAY, help="One day.")
@click.option("--from", "first", type=_DAY, help="The first day (default: today).")
@click.option("--to", "last", type=_DAY, help="The last day, included.")
@click.option("--days", type=int, help="How many days from --from (default: 8, a week on).")
@click.option("--all", "everything", is_flag=True, help="Include cancelled bookings.")
@full_numbers_option
@pass_shop
def list_bookings(
    shop: Shop,
    day: datetime | None,
    first: datetime | None,
    last: datetime | None,
    days: int | None,
    everything: bool,
    full_numbers: bool,
) -> None:
    """List the bookings from today to 7 days on (or of --date, or --from/--to/--days).

    Days are the shop's: a booking is listed on the date it starts in the shop's time zone.
    """
    rules = Bookings(shop.business)
    start, count = _days(rules.schedule.local_day(shared.clock()), day, first, last, days)
    with transaction(shop.engine) as session:
        rows = rules.on_day(session, start, days=count, status=None if everything else "confirmed")
    end = start + timedelta(days=count - 1)
    period = f"{start:%A %d %B %Y}" + ("" if count == 1 else f" to {end:%A %d %B %Y}")
    click.echo(f"{period}: {len(rows)} booking(s)")
    shown: date | None = None
    for booking in rows:
        start_at, end_at = rules.local(booking.start_at), rules.local(booking.end_at)
        if count > 1 and start_at.date() != shown:
            shown = start_at.date()
            click.echo(f"{shown:%A %d %B %Y}")
        customer = shown_number(booking.wa_id, full_numbers)
        flag = "" if booking.status == "confirmed" else f"  [{booking.status}]"
        click.echo(
            f"#{booking.id:<5} {start_at:%H:%M}-{end_at:%H:%M}  "
            f"{rules.title(booking.service):<20} "
            f"{booking.resource:<10} {customer}{flag}"
        )


@bookings.command("remind")
@click.option(
    "--hours", default=24.0, show_default=True, type=float, help="Remind bookings this soon."
)
@pass_shop
def remind(shop: Shop, hours: float) -> None:
    """Queue a reminder for every booking starting within --hours (once per booking)."""
    with reporting():
        report = send_reminders(
            shop.engine, Bookings(shop.business), shared.clock(), within=timedelta(hours=hours)
        )
    click.echo(
        f"reminders queued: {report.sent} ({len(report.text)} text, "
        f"{len(report.template)} template)"
    )
    if report.skipped:
        ids = ", ".join(f"#{i}" for i in report.skipped)
        click.echo(
            f"not sent (window closed, no booking_reminder template): {ids}; they stay due",
            err=True,
        )


@bookings.command("cancel")
@click.argument("booking_id", type=int)
@click.option("--quiet", is_flag=True, help="Do not tell the customer.")
@pass_shop
def cancel(shop: Shop, booking_id: int, quiet: bool) -> None:
    """Cancel booking BOOKING_ID, free its time and tell the customer."""
    rules = Bookings(shop.business)
    with reporting(), transaction(shop.engine) as session:
        booking = rules.cancel(session, booking_id, shared.clock(), by="staff")
        line = summary(rules, booking, shop.business.texts("en"))
        told = "not told (--quiet)"
        if not quiet:
            told = notices.told(
                notices.tell_customer(session, rules, booking, "cancelled", shared.clock())
            )
    click.echo(f"cancelled: {line}; {told}")


__all__ = ["bookings"]
