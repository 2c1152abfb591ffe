"""``waflow customers …``: tagging customers, for picking a broadcast's audience.

A customer is named by their WhatsApp number (``+34 600 000 001`` or its digits) or by the
``#id`` the console shows; they must have written to the bot before.
"""

from __future__ import annotations

from collections.abc import Callable

import click
from sqlmodel import Session, select

from bot.config import mask
from flows.features import cli as shared
from flows.features.cli import Shop, fail, pass_shop, reporting, staff_group
from flows.features.console.forms import parse_id
from flows.features.customers.tags import TagError, add_tag, remove_tag, tags_of
from storage.db import transaction
from storage.models import Contact

customers = staff_group("customers", "Customers: their tags.")


def find_customer(session: Session, named: str) -> Contact:
    """The contact ``named`` names (a WhatsApp number or ``#id``), or :func:`fail`."""
    text = named.strip().replace(" ", "").replace("-", "")
    if text.startswith("#"):
        row_id = parse_id(text[1:])
        found = session.get(Contact, row_id) if row_id is not None else None
    else:
        found = session.exec(select(Contact).where(Contact.wa_id == text.lstrip("+"))).first()
    if found is None:
        fail(f"no customer {named!r} (a WhatsApp number that wrote to the bot, or #id)")
    return found


def _change_tags(
    shop: Shop,
    customer: str,
    tag: str,
    change: Callable[[Session, str], bool],
    said: tuple[str, str],
) -> None:
    """Apply ``change`` (add or remove ``tag``) to ``customer`` and print what came of it.

    ``said`` is the verb for a change made and for none, such as ``("tagged", "already
    tagged")``.
    """
    with reporting(TagError), transaction(shop.engine) as session:
        contact = find_customer(session, customer)
        changed = change(session, contact.wa_id)
        now_has = tags_of(session, contact.wa_id)
    done, nothing = said
    left = ", ".join(now_has) or "none"
    verb = done if changed else nothing
    click.echo(f"{mask(contact.wa_id)} {verb} {tag.strip().lower()!r}; tags: {left}")


@customers.command("tag")
@click.argument("customer")
@click.argument("tag")
@pass_shop
def tag(shop: Shop, customer: str, tag: str) -> None:
    """Tag CUSTOMER (a WhatsApp number or #id) with TAG."""

    def add(session: Session, wa_id: str) -> bool:
        return add_tag(session, wa_id, tag, shared.clock(), "cli")

    _change_tags(shop, customer, tag, add, ("tagged", "already tagged"))


@customers.command("untag")
@click.argument("customer")
@click.argument("tag")
@pass_shop
def untag(shop: Shop, customer: str, tag: str) -> None:
    """Take TAG off CUSTOMER (a WhatsApp number or #id)."""

    def remove(session: Session, wa_id: str) -> bool:
        return remove_tag(session, wa_id, tag)

    _change_tags(shop, customer, tag, remove, ("untagged", "did not have"))


__all__ = ["customers", "find_customer"]
