"""``waflow handoff …``: the customers waiting for a person, and giving them back to the bot.

``sweep`` gives back those idle for ``handoff.release_after_minutes`` now (a running bot does it
every minute by itself).

A customer is named by their WhatsApp number or by the ``#id`` that ``waflow handoff list`` shows.
"""

from __future__ import annotations

import click

from bot.config import mask
from flows.features import cli as shared
from flows.features.cli import (
    Shop,
    fail,
    full_numbers_option,
    pass_shop,
    reporting,
    shown_number,
    staff_group,
)
from flows.features.handoff.handoff import paused_contacts, release, release_idle
from storage.db import transaction
from storage.models import Contact

handoff = staff_group("handoff", "Customers handed over to a person.")


@handoff.command("list")
@full_numbers_option
@pass_shop
def list_paused(shop: Shop, full_numbers: bool) -> None:
    """List the customers the bot is paused for, longest-waiting first."""
    with transaction(shop.engine) as session:
        waiting = paused_contacts(session)
    click.echo(f"{len(waiting)} customer(s) with a person")
    for contact, conversation in waiting:
        number = shown_number(contact.wa_id, full_numbers)
        last = contact.last_inbound_at
        seen = "-" if last is None else f"{shop.business.local(last):%Y-%m-%d %H:%M}"
        flow = conversation.flow if conversation and conversation.flow else "-"
        click.echo(
            f"#{contact.id:<5} {number:<16} {contact.name or '-':<20} last message {seen}  ({flow})"
        )


@handoff.command("release")
@click.argument("contact")
@pass_shop
def release_contact(shop: Shop, contact: str) -> None:
    """Give CONTACT (a WhatsApp number or #id) back to the bot and tell them."""
    with reporting(ValueError), transaction(shop.engine) as session:
        wa_id = contact.lstrip("+").replace(" ", "")
        if wa_id.startswith("#") or (wa_id.isdigit() and len(wa_id) < 6):
            row = session.get(Contact, int(wa_id.lstrip("#")))
            if row is None:
                fail(f"no customer #{wa_id.lstrip('#')}")
            wa_id = row.wa_id
        text, config = shop.business.handoff.release_text, shop.business
        told = release(session, wa_id, shared.clock(), text=text, config=config)
    click.echo(f"the bot answers {mask(wa_id)} again ({_told(told)})")


@handoff.command("sweep")
@pass_shop
def sweep(shop: Shop) -> None:
    """Give back to the bot customers idle for handoff.release_after_minutes, now."""
    minutes = shop.business.handoff.release_after_minutes
    if minutes is None:
        click.echo("handoff.release_after_minutes is not set: customers stay with a person")
        return
    with transaction(shop.engine) as session:
        released = release_idle(session, shop.business, shared.clock())
    click.echo(f"{len(released)} customer(s) idle for {minutes} min given back to the bot")
    for wa_id, told in released:
        click.echo(f"  {mask(wa_id)} ({_told(told)})")


def _told(told: bool) -> str:
    return "they were told" if told else "not told: their 24-hour window is closed"


__all__ = ["handoff"]
