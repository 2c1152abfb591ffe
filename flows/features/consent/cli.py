"""``waflow consent …``: a customer's marketing consent, set by staff or imported from a file.

``show NUMBER`` prints the current choice and the ledger; ``set NUMBER in|out`` records what the
customer asked for elsewhere (source ``staff``, by ``cli``, audited); ``import FILE.csv`` brings
the choices of another system (source ``import``; see :mod:`flows.features.consent.imports`),
all or nothing unless ``--skip-errors``, and ``--dry-run`` says what it would do. A number is
typed as people write it (``+34 600 11 22 33``); a number not known yet becomes a contact.
"""

from __future__ import annotations

from pathlib import Path

import click

from flows.features import cli as shared
from flows.features.business.outreach import find_contact
from flows.features.cli import Shop, fail, pass_shop, reporting, staff_group
from flows.features.consent.imports import ImportReport, apply_choices, read_choices
from flows.features.consent.models import SOURCE_LABELS, ConsentEvent, Opted, history
from flows.features.consent.staff import (
    add_customer,
    clean_note,
    set_by_staff,
)
from flows.features.console import audit
from storage.db import read_session, transaction
from storage.models import Contact, wa_id_from

SHOWN_ERRORS = 50
"""At most this many wrong lines of an import are listed."""
_LABELS: dict[str, str] = {source: label for source, label in SOURCE_LABELS.items()}
consent = staff_group("consent", "Customers' marketing consent: show, set, import.")


def _wa_id(typed: str) -> str:
    wa_id = wa_id_from(typed)
    if wa_id is None:
        fail(f"{typed!r} is not a phone number in international form (country code first)")
    return wa_id


def _state(contact: Contact | None) -> str:
    if contact is None or contact.marketing_changed_at is None:
        return "may receive marketing (never chose)"
    return "opted out of marketing" if contact.marketing_opt_out else "opted in to marketing"


def _event_line(shop: Shop, event: ConsentEvent) -> str:
    when = f"{shop.business.local(event.at):%Y-%m-%d %H:%M}"
    how = _LABELS.get(event.source, event.source)
    by = event.detail.get("by")
    line = f"{when}  {'opted out' if event.opted == 'out' else 'opted in ':<9}  {how}"
    if by:
        line += f" ({by})"
    if event.detail.get("file"):
        line += f" ({event.detail['file']}, line {event.detail.get('line')})"
    if event.detail.get("note"):
        line += f": {event.detail['note']}"
    return line


@consent.command("show")
@click.argument("number")
@pass_shop
def show(shop: Shop, number: str) -> None:
    """Show NUMBER's marketing consent and how it came to be, oldest first."""
    wa_id = _wa_id(number)
    with read_session(shop.engine) as session:
        contact = find_contact(session, wa_id)
        events = history(session, wa_id)
    if contact is None and not events:
        fail(f"no customer has the number {number!r}")
    name = f" ({contact.name})" if contact and contact.name else ""
    click.echo(f"+{wa_id}{name}: {_state(contact)}")
    zone = shop.business.business.timezone
    click.echo(f"{len(events)} change(s) ({zone})" if events else "no changes recorded")
    for event in events:
        click.echo(f"  {_event_line(shop, event)}")


@consent.command("set")
@click.argument("number")
@click.argument("opted", metavar="in|out", type=click.Choice(["in", "out"]))
@click.option("--note", default="", help='Why or how they asked ("asked by phone").')
@pass_shop
def set_consent(shop: Shop, number: str, opted: Opted, note: str) -> None:
    """Opt NUMBER in to marketing messages or out of them, as they asked."""
    wa_id = _wa_id(number)
    with reporting(), transaction(shop.engine) as session:
        now = shared.clock()
        contact = find_contact(session, wa_id)
        added = contact is None
        contact = contact or add_customer(session, wa_id, now)
        event = set_by_staff(session, contact, opted, now, staff=None, note=clean_note(note))
    if added:
        click.echo(f"+{wa_id} was not a customer yet: added")
    if event is None:
        click.echo(f"+{wa_id} is already {_state(contact)}: nothing changed")
        return
    click.echo(f"+{wa_id} is now {_state(contact)}")


class _DryRun(Exception):
    """Raised to roll a dry run's transaction back."""


@consent.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--dry-run", is_flag=True, help="Check the file and say what would change; write nothing."
)
@click.option("--skip-errors", is_flag=True, help="Import the good lines even if some are wrong.")
@click.option(
    "--known-only",
    is_flag=True,
    help="Refuse numbers that are not customers yet (by default they are added).",
)
@pass_shop
def import_file(shop: Shop, file: Path, dry_run: bool, skip_errors: bool, known_only: bool) -> None:
    """Import customers' choices from FILE.csv: columns phone and status (in/out), optional at
    (ISO time) and note, with a header line."""
    now = shared.clock()
    with reporting(OSError):
        read = read_choices(file.read_bytes(), shop.business.tz, now)
    if read.ignored_columns:
        click.echo(f"columns not read: {', '.join(read.ignored_columns)}")
    report = ImportReport()
    try:
        with transaction(shop.engine) as session:
            report = apply_choices(
                session, read.choices, now, source_name=file.name, create=not known_only
            )
            errors = sorted([*read.errors, *report.errors], key=lambda e: e.line)
            for error in errors[:SHOWN_ERRORS]:
                click.secho(f"  {error}", fg="red", err=True)
            if len(errors) > SHOWN_ERRORS:
                click.secho(f"  … and {len(errors) - SHOWN_ERRORS} more", fg="red", err=True)
            if errors and not skip_errors:
                raise _DryRun
            if dry_run:
                raise _DryRun
            audit(session, None, "consent.import", file.name[:200], _counts(report))
    except _DryRun:
        pass
    if errors and not skip_errors:
        fail(
            f"{len(errors)} line(s) cannot be imported: nothing was written "
            "(fix them, or import the rest with --skip-errors)"
        )
    summary = _summary(report, skipped=len(errors))
    if dry_run:
        click.echo(f"dry run, nothing written: {summary}")
    else:
        click.echo(f"imported {file.name}: {summary}")


def _counts(report: ImportReport) -> dict[str, int]:
    return {
        "opted_out": report.opted_out,
        "opted_in": report.opted_in,
        "unchanged": report.unchanged,
        "superseded": report.superseded,
        "new_contacts": report.new_contacts,
    }


def _summary(report: ImportReport, *, skipped: int) -> str:
    parts = [
        f"{report.opted_out} opted out",
        f"{report.opted_in} opted in",
        f"{report.unchanged} unchanged",
    ]
    if report.superseded:
        parts.append(f"{report.superseded} kept a later choice of the customer's")
    if report.new_contacts:
        parts.append(f"{report.new_contacts} new contact(s)")
    if skipped:
        parts.append(f"{skipped} line(s) skipped")
    return ", ".join(parts)


__all__ = ["consent"]
