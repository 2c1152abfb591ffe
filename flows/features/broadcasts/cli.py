"""``waflow broadcast …``: make, preview, schedule, send, follow and cancel broadcasts.

``create`` makes a draft (a template declared in ``broadcasts.templates``, its parameters, a
segment); ``preview`` shows the audience count and a sample; ``start`` has the running bot send
it (now, or ``--at`` a time in the business's time zone); ``send`` sends it from this process
with a progress bar until it is done (run it again after an interruption: it resumes);
``status`` prints the report; ``list`` every broadcast; ``cancel`` stops one.
"""

from __future__ import annotations

from datetime import datetime

import click
from sqlmodel import Session

from bot.client import make_client
from bot.config import Config
from flows.features import cli as shared
from flows.features.broadcasts.broadcasts import (
    Progress,
    cancel,
    create,
    find,
    listing,
    preview,
    run,
    sample_text,
    schedule,
)
from flows.features.broadcasts.models import Broadcast
from flows.features.broadcasts.report import report
from flows.features.broadcasts.segments import Segment
from flows.features.broadcasts.settings import broadcast_settings
from flows.features.cli import Shop, fail, pass_shop, reporting, staff_group
from flows.features.console.cli import row_id
from flows.features.console.forms import FormError, parse_moment
from storage.db import read_session, transaction

broadcast = staff_group("broadcast", "Broadcasts: a template to a segment of customers.")


def _params(given: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in given:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            fail(f"--param takes NAME=VALUE, got {item!r}")
        values[name.strip()] = value
    return values


@broadcast.command("create")
@click.option("--title", required=True, help="What staff call it.")
@click.option("--template", required=True, help="A template of broadcasts.templates.")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A template parameter; {name} in VALUE is the customer's name (repeatable).",
)
@click.option("--tag", "tags", multiple=True, help="Customers with this tag (repeatable: any).")
@click.option("--opted-in", is_flag=True, help="Only customers who explicitly opted in.")
@click.option("--bought", metavar="PRODUCT", help="Customers who bought this product id.")
@click.option("--booked", metavar="SERVICE", help="Customers who booked this service id.")
@click.option("--active-days", type=int, metavar="N", help="Customers who wrote in N days.")
@click.option(
    "--ad", metavar="SOURCE_ID", help="Customers who came from this click-to-WhatsApp ad."
)
@click.option("--by", "created_by", default="cli", show_default=True, help="Who makes it.")
@pass_shop
def create_command(
    shop: Shop,
    title: str,
    template: str,
    params: tuple[str, ...],
    tags: tuple[str, ...],
    opted_in: bool,
    bought: str | None,
    booked: str | None,
    active_days: int | None,
    ad: str | None,
    created_by: str,
) -> None:
    """Make a draft broadcast (send it with `start` or `send`)."""
    segment = Segment(tags, opted_in, bought, booked, active_days, ad)
    with reporting(), transaction(shop.engine) as session:
        made = create(
            session,
            shop.business,
            title=title,
            template=template,
            params=_params(params),
            segment=segment,
            created_by=created_by,
            now=shared.clock(),
        )
        shown = _preview_lines(shop, session, made)
    click.echo(f"broadcast #{made.id} made (draft): {made.title}")
    for line in shown:
        click.echo(line)


def _preview_lines(shop: Shop, session: Session, made: Broadcast) -> list[str]:
    seen = preview(session, shop.business, made, shared.clock())
    lines = [
        f"segment:  {Segment.from_json(made.segment).describe()}",
        f"audience: {seen.audience} customer(s), {seen.outside_window} outside their "
        "24-hour window (they count against the messaging limit)",
    ]
    if seen.opted_out:
        lines.append(
            f"opted out: {seen.opted_out} customer(s) opted out of marketing: their message is "
            "recorded as suppressed, not sent"
        )
    if seen.sample is not None:
        lines.append(f"sample:   {sample_text(seen.sample)}")
    return lines


@broadcast.command("preview")
@click.argument("broadcast_id", callback=row_id)
@pass_shop
def preview_command(shop: Shop, broadcast_id: int) -> None:
    """Show BROADCAST_ID's audience count and a rendered sample."""
    with reporting(), read_session(shop.engine) as session:
        found = find(session, broadcast_id)
        click.echo(f"#{found.id} {found.title} ({found.state}), template {found.template}")
        for line in _preview_lines(shop, session, found):
            click.echo(line)


def _moment(shop: Shop, text: str, now: datetime) -> datetime:
    try:
        return parse_moment(text, shop.business.tz, now)
    except FormError as exc:
        fail(f"--at takes a date and time such as 2026-12-24T09:00: {exc}")


@broadcast.command("start")
@click.argument("broadcast_id", callback=row_id)
@click.option("--at", "at", metavar="TIME", help="When (business time zone); now by default.")
@pass_shop
def start_command(shop: Shop, broadcast_id: int, at: str | None) -> None:
    """Have the running bot send BROADCAST_ID, now or --at TIME."""
    now = shared.clock()
    when = _moment(shop, at, now) if at else now
    with reporting(), transaction(shop.engine) as session:
        found = find(session, broadcast_id, lock=True)
        schedule(session, found, when, now)
        due = found.scheduled_at or now
    local = shop.business.local(due)
    click.echo(
        f"broadcast #{broadcast_id} scheduled for {local:%Y-%m-%d %H:%M} "
        f"({shop.business.business.timezone}); the running bot sends it (or run `send`)"
    )


@broadcast.command("send")
@click.argument("broadcast_id", callback=row_id)
@click.option("--concurrency", type=click.IntRange(1, 32), default=8, show_default=True)
@pass_shop
def send_command(shop: Shop, broadcast_id: int, concurrency: int) -> None:
    """Send BROADCAST_ID from this process until it is done (resumes after an interruption)."""
    config = Config.from_env()
    with reporting(), read_session(shop.engine) as session:
        found = find(session, broadcast_id)
        total = found.audience
        if total is None:
            total = preview(session, shop.business, found, shared.clock()).audience
    client = make_client(config)
    shown = 0
    with reporting(), click.progressbar(length=max(total, 1), label="sending") as bar:

        def progressed(progress: Progress) -> None:
            nonlocal shown
            done = min(progress.finished, max(total, 1))
            if done > shown:
                bar.update(done - shown)
                shown = done

        state = run(
            shop.engine,
            shop.business,
            broadcast_id,
            client,
            clock=shared.clock,
            on_progress=progressed,
            concurrency=concurrency,
        )
    if state == "waiting":
        click.echo("the messaging limit is reached: the rest wait (the running bot goes on)")
    else:
        click.echo(f"broadcast #{broadcast_id} {state}")
    _print_report(shop, broadcast_id)


def _print_report(shop: Shop, broadcast_id: int) -> None:
    window = broadcast_settings(shop.business).reply_window
    with reporting(), read_session(shop.engine) as session:
        found = find(session, broadcast_id)
        lines = report(session, found, window).lines()
    for line in lines:
        click.echo(line)


@broadcast.command("status")
@click.argument("broadcast_id", callback=row_id)
@pass_shop
def status_command(shop: Shop, broadcast_id: int) -> None:
    """Print BROADCAST_ID's report: sent, delivered, read, failed, replied, opted out."""
    with reporting(), read_session(shop.engine) as session:
        found = find(session, broadcast_id)
        click.echo(f"#{found.id} {found.title}: {found.state}")
    _print_report(shop, broadcast_id)


@broadcast.command("list")
@pass_shop
def list_command(shop: Shop) -> None:
    """List the broadcasts, newest first."""
    with read_session(shop.engine) as session:
        found = listing(session)
    click.echo(f"{len(found)} broadcast(s)")
    for item in found:
        when = item.scheduled_at if item.state == "scheduled" else item.started_at
        at = f"{shop.business.local(when):%Y-%m-%d %H:%M}" if when else "-"
        click.echo(f"#{item.id:<4} {item.state:<10} {at:<16} {item.template:<24} {item.title}")


@broadcast.command("cancel")
@click.argument("broadcast_id", callback=row_id)
@pass_shop
def cancel_command(shop: Shop, broadcast_id: int) -> None:
    """Cancel BROADCAST_ID: nobody else is sent it."""
    with reporting(), transaction(shop.engine) as session:
        found = find(session, broadcast_id, lock=True)
        withdrawn = cancel(session, found, shared.clock())
    click.echo(f"broadcast #{broadcast_id} cancelled; {withdrawn} queued message(s) withdrawn")


__all__ = ["broadcast"]
