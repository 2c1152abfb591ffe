"""``waflow staff …``: the console's accounts (add, list, remove, passwd, role).

A password is read from standard input when it is not a terminal (``echo "$PW" | waflow staff
add …``), else asked for twice without echo. Every change lands in the audit log as done from
the command line. :func:`row_id` reads the row ids the other features' commands take.
"""

from __future__ import annotations

import sys

import click

from flows.features import cli as shared
from flows.features.cli import Shop, pass_shop, reporting, staff_group
from flows.features.console.accounts import (
    MIN_PASSWORD,
    add_staff,
    audit,
    list_staff,
    remove_staff,
    set_password,
    set_role,
)
from flows.features.console.forms import parse_id
from flows.features.console.models import ROLES
from storage.db import transaction

staff = staff_group("staff", "The console's staff accounts.")


def row_id(ctx: click.Context, param: click.Parameter, value: str) -> int:
    """A command's row id argument, ``12`` or ``#12`` (its click ``callback``; see
    :func:`parse_id`).

    Raises:
        click.BadParameter: It is not such an id (a usage error, never a traceback).
    """
    found = parse_id(value.removeprefix("#"))
    if found is None:
        raise click.BadParameter(f"{value[:30]!r} is not an id such as 12 or #12", ctx, param)
    return found


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return str(
        click.prompt(
            f"Password (at least {MIN_PASSWORD} characters)",
            hide_input=True,
            confirmation_prompt=True,
        )
    )


@staff.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="owner or agent.")
@pass_shop
def add(shop: Shop, email: str, role: str) -> None:
    """Create an account for EMAIL (the password from standard input or a prompt)."""
    password = _read_password()
    with reporting(), transaction(shop.engine) as session:
        user = add_staff(session, email, role, password)
        audit(session, None, "staff.add", user.email, {"role": role})
    click.echo(f"{user.email} can log in to /console/ as {role}")


@staff.command("list")
@pass_shop
def list_accounts(shop: Shop) -> None:
    """List the accounts."""
    with transaction(shop.engine) as session:
        users = list_staff(session)
        rows = [(u.email, u.role, u.locked_until) for u in users]
    click.echo(f"{len(rows)} staff account(s)")
    for email, role, locked in rows:
        note = f"  locked until {locked:%Y-%m-%d %H:%M} UTC" if locked else ""
        click.echo(f"{role:<6} {email}{note}")


@staff.command("remove")
@click.argument("email")
@pass_shop
def remove(shop: Shop, email: str) -> None:
    """Delete EMAIL's account and log it out everywhere."""
    with reporting(), transaction(shop.engine) as session:
        user = remove_staff(session, email)
        audit(session, None, "staff.remove", user.email)
    click.echo(f"removed {user.email}")


@staff.command("passwd")
@click.argument("email")
@pass_shop
def passwd(shop: Shop, email: str) -> None:
    """Set EMAIL's password (ends all their sessions and unlocks the account)."""
    password = _read_password()
    with reporting(), transaction(shop.engine) as session:
        user = set_password(session, email, password, shared.clock())
        audit(session, None, "staff.password", user.email)
    click.echo(f"password changed for {user.email}; their sessions have ended")


@staff.command("role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
@pass_shop
def role(shop: Shop, email: str, role: str) -> None:
    """Make EMAIL an owner or an agent."""
    with reporting(), transaction(shop.engine) as session:
        user = set_role(session, email, role)
        audit(session, None, "staff.role", user.email, {"role": role})
    click.echo(f"{user.email} is now {role}")


__all__ = ["row_id", "staff"]
