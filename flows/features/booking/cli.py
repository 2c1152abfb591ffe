"""``waflow bookings …``: staff commands to list, remind (from cron) and cancel bookings.

Messages to customers are queued in the outbox; the running bot (``waflow run``) sends them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import click

from bot.config import mask
from flows.features import cli as shared
from flows.features.booking import notices
from flows.features.booking.booking import Bookings
from flows.features.booking.messages import summary
from flows.features.booking.reminders import send_reminders
from flows.features.cli import Shop, pass_shop, reporting, staff_group
from storage.db import transaction

bookings = staff_group("bookings", "List, remind and cancel consultation bookings.")


@bookings.command("list")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="The day (default: today).")
@click.option("--all", "everything", is_flag=True, help="Include cancelled bookings.")
@click.option("--full-numbers", is_flag=True, help="Show customers' full WhatsApp numbers.")
@pass_shop
def list_bookings(shop: Shop, day: datetime | None, everything: bool, full_numbers: bool) -> None:
    """List the bookings of one day, on the shop's clock."""
    rules = Bookings(shop.business)
    wanted: date = day.date() if day else rules.schedule.local_day(shared.clock())
    with transaction(shop.engine) as session:
        rows = rules.on_day(session, wanted, status=None if everything else "confirmed")
    click.echo(f"{wanted:%A %d %B %Y}: {len(rows)} booking(s)")
    for booking in rows:
        start, end = rules.local(booking.start_at), rules.local(booking.end_at)
        customer = f"+{booking.wa_id}" if full_numbers else mask(booking.wa_id)
        flag = "" if booking.status == "confirmed" else f"  [{booking.status}]"
        click.echo(
            f"#{booking.id:<5} {start:%H:%M}-{end:%H:%M}  "
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
        line = summary(rules, booking)
        told = "not told (--quiet)"
        if not quiet:
            told = notices.told(
                notices.tell_customer(session, rules, booking, "cancelled", shared.clock())
            )
    click.echo(f"cancelled: {line}; {told}")


__all__ = ["bookings"]
