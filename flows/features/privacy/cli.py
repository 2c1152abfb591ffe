"""``waflow privacy …``: export or erase one customer's data, purge old message texts (cron).

``export`` writes one JSON document (see :func:`~flows.features.privacy.export_customer`);
``erase`` asks first unless ``--yes``; ``purge`` applies the business file's
``privacy.retention_days`` and says what it changed (``--dry-run``: what it would change).
"""

from __future__ import annotations

import json

import click

from bot.config import mask
from flows.features import cli as shared
from flows.features.cli import Shop, fail, pass_shop, reporting, staff_group
from flows.features.privacy.privacy import (
    answer_export,
    erase_customer,
    find_customer,
    privacy_settings,
    purge,
)
from storage.db import read_session, transaction

privacy = staff_group("privacy", "Export or erase a customer's data; purge old message texts.")


@privacy.command("export")
@click.argument("contact")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write it to FILE."
)
@pass_shop
def export(shop: Shop, contact: str, output: str | None) -> None:
    """Write everything stored about customer CONTACT (a number, or #id) as JSON."""
    with reporting(), transaction(shop.engine) as session:
        wa_id = find_customer(session, contact).wa_id
        document = answer_export(session, wa_id, shared.clock(), shop.business)
    text = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        with open(output, "w", encoding="utf-8") as file:
            file.write(text)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}")
    rows = sum(len(r) for r in document["tables"].values())
    click.echo(f"exported {rows} row(s) about {mask(wa_id)} to {output}", err=True)


@privacy.command("erase")
@click.argument("contact")
@click.option("--yes", "confirmed", is_flag=True, help="Do not ask for confirmation.")
@pass_shop
def erase(shop: Shop, contact: str, confirmed: bool) -> None:
    """Erase customer CONTACT (a number, or #id): messages, conversation and details deleted;
    orders and bookings kept for the accounts under a pseudonym, without name or address."""
    with reporting(), read_session(shop.engine) as session:
        wa_id = find_customer(session, contact).wa_id
    if not confirmed:
        click.confirm(
            f"Erase everything stored about {mask(wa_id)}? This cannot be undone", abort=True
        )
    with reporting(), transaction(shop.engine) as session:
        erasure = erase_customer(session, wa_id, shared.clock(), shop.business)
    click.echo(f"erased {mask(wa_id)}; kept rows now name {erasure.pseudonym}")
    for table, count in erasure.counts.items():
        click.echo(f"  {table}: {count}")


@privacy.command("purge")
@click.option("--dry-run", is_flag=True, help="Say what would be purged, change nothing.")
@pass_shop
def purge_command(shop: Shop, dry_run: bool) -> None:
    """Remove old message texts, flow steps and kept webhook bodies (retention_days; for cron)."""
    with reporting():
        days = privacy_settings(shop.business).retention_days
    if days is None:
        fail("the business file sets no privacy.retention_days: nothing to purge")
    with reporting(), transaction(shop.engine) as session:
        counts = purge(session, days, shared.clock(), dry_run=dry_run)
    verb = "would purge" if dry_run else "purged"
    click.echo(f"{verb} what is older than {days} day(s):")
    click.echo(f"  message texts received: {counts['waflow_inbound']}")
    click.echo(f"  message texts sent: {counts['waflow_outbox']}")
    click.echo(f"  flow steps deleted: {counts['waflow_flow_step']}")
    click.echo(f"  webhook bodies kept as received, deleted: {counts['waflow_quarantine']}")
