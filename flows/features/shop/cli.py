"""``waflow orders …``: staff commands to list, inspect, update, mark paid and expire orders.

Every command reads the business file from ``--business FILE`` (or ``WAFLOW_BUSINESS``) and the
database from ``DATABASE_URL``. Customer notifications are queued in the outbox; the running
bot (``waflow run``) sends them within a second.
"""

from __future__ import annotations

import click
from sqlmodel import Session, col, select

from flows.features import cli as shared
from flows.features.business.outreach import contact_name
from flows.features.cli import (
    Shop,
    fail,
    full_numbers_option,
    pass_shop,
    reporting,
    shown_number,
    staff_group,
)
from flows.features.shop.models import ORDER_STATUSES, Order, seed_stock, set_stock, stock_levels
from flows.features.shop.order_status import expire_unpaid, mark_paid, update_order_status
from flows.features.shop.orders import describe_order, get_order, order_history, status_label
from storage.db import transaction

orders = staff_group("orders", "List, inspect and update the shop's orders.")


@orders.command("list")
@click.option("--status", type=click.Choice(ORDER_STATUSES), help="Only orders in this status.")
@click.option("--limit", default=50, show_default=True, type=int, help="At most this many.")
@full_numbers_option
@pass_shop
def list_orders(shop: Shop, status: str | None, limit: int, full_numbers: bool) -> None:
    """List orders, newest first."""
    query = select(Order).order_by(col(Order.created_at).desc(), col(Order.id).desc()).limit(limit)
    if status:
        query = query.where(Order.status == status)
    with Session(shop.engine) as session:
        rows = list(session.exec(query))
    if not rows:
        click.echo("no orders")
    for order in rows:
        created = shop.business.local(order.created_at)
        total = shop.business.money(order.total, order.currency)
        click.echo(
            f"{order.number}  {order.status:<15}  {total:>12}  {order.fulfilment:<8}  "
            f"{shown_number(order.wa_id, full_numbers):<13}  {created:%Y-%m-%d %H:%M}"
        )


@orders.command("show")
@click.argument("number")
@full_numbers_option
@pass_shop
def show(shop: Shop, number: str, full_numbers: bool) -> None:
    """Show one order: customer, lines, total, delivery, history with notes."""
    with Session(shop.engine) as session:
        order = get_order(session, number)
        if order is None:
            fail(f"no order {number}")
        click.echo(describe_order(session, shop.business, order))
        name = contact_name(session, order.wa_id, "(no name)")
        click.echo(f"Customer: {name}, {shown_number(order.wa_id, full_numbers)}")
        if order.fulfilment == "delivery":
            where = order.address or order.location_name or ""
            if order.latitude is not None:
                where += f" ({order.latitude}, {order.longitude})"
            click.echo(f"Deliver to: {where.strip()}")
        if order.payment_reference:
            click.echo(f"Payment: {order.provider} {order.payment_reference}")
        for event in order_history(session, order):
            if event.note:
                click.echo(f"Note ({event.actor}, {event.status}): {event.note}")


@orders.command("update")
@click.argument("number")
@click.option("--status", required=True, type=click.Choice(ORDER_STATUSES), help="The new status.")
@click.option("--tracking-url", help="A carrier tracking link sent to the customer.")
@click.option("--note", help="A note for the order's history.")
@pass_shop
def update(
    shop: Shop, number: str, status: str, tracking_url: str | None, note: str | None
) -> None:
    """Change an order's status and tell the customer."""
    with reporting(), transaction(shop.engine) as session:
        change = update_order_status(
            session,
            shop.business,
            number,
            status,
            now=shared.clock(),
            tracking_url=tracking_url,
            note=note,
        )
    if not change.changed:
        click.echo(f"{change.order.number} unchanged ({change.order.status})")
        return
    click.echo(
        f"{change.order.number} is now {status_label(change.order)}; customer: {change.notified}"
    )


@orders.command("mark-paid")
@click.argument("number")
@click.option("--reference", help="The payment's reference (transfer id, receipt...).")
@pass_shop
def mark_paid_command(shop: Shop, number: str, reference: str | None) -> None:
    """Record a payment received outside waflow (manual payments)."""
    with reporting(), transaction(shop.engine) as session:
        change = mark_paid(session, shop.business, number, now=shared.clock(), reference=reference)
    if change.changed:
        click.echo(f"{change.order.number} marked paid; customer: {change.notified}")
    else:
        click.echo(f"{change.order.number} not changed: it is {change.order.status}")


@orders.command("expire")
@pass_shop
def expire(shop: Shop) -> None:
    """Expire unpaid orders whose time is up and give their stock back (run it from cron)."""
    with transaction(shop.engine) as session:
        numbers = expire_unpaid(session, shop.business, shared.clock())
    click.echo(f"expired {len(numbers)} order(s)" + (": " + ", ".join(numbers) if numbers else ""))


@orders.command("stock")
@click.option(
    "--set", "changes", multiple=True, metavar="PRODUCT=N", help="Set a live stock level."
)
@pass_shop
def stock(shop: Shop, changes: tuple[str, ...]) -> None:
    """Show (or set) the live stock of products with limited stock."""
    catalog, now = shop.business.catalog, shared.clock()
    with transaction(shop.engine) as session:
        seed_stock(session, catalog.products, now)
        for change in changes:
            product_id, _, value = change.partition("=")
            if catalog.product(product_id) is None or not value.isdigit():
                fail(f"--set wants PRODUCT=N with a product of the catalog, got {change!r}")
            set_stock(session, product_id, int(value), now)
        session.flush()
        levels = stock_levels(session)
    for product in catalog.products:
        level = "unlimited" if product.id not in levels else str(levels[product.id])
        click.echo(f"{product.id:<24} {level}")


__all__ = ["orders"]
