"""Consent set by staff on a customer's behalf: the console's customer page, ``waflow consent``.

:func:`set_by_staff` records an opt-out or opt-in the customer asked for elsewhere (by phone, at
the counter) with source ``staff``, through :func:`~flows.features.consent.models.change` as
the keywords do, and audits it in the same transaction. The audit names the customer by contact
id, never by number. A choice the customer has already made writes nothing.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlmodel import Session

from bot.errors import WaflowError
from flows.features.consent.models import ConsentEvent, Opted, change
from flows.features.console import StaffUser, audit
from storage.models import Contact

MAX_NOTE = 200
"""The longest note kept with a choice (characters)."""
CLI_ACTOR = "cli"
"""Who made a choice given on the command line, in the ledger's ``detail.by``."""


class ConsentError(WaflowError):
    """A consent change cannot be made as asked; the message says why."""


def clean_note(typed: str | None) -> str:
    """A note as kept: spacing collapsed, control characters dropped (``""`` for none).

    Raises:
        ConsentError: It is longer than :data:`MAX_NOTE` characters.
    """
    text = "".join(c for c in typed or "" if unicodedata.category(c)[0] != "C" or c in "\t\n")
    note = " ".join(text.split())
    if len(note) > MAX_NOTE:
        raise ConsentError(f"the note is {len(note)} characters long; at most {MAX_NOTE}")
    return note


def add_customer(session: Session, wa_id: str, now: datetime) -> Contact:
    """A new contact for ``wa_id``, who has not written yet (flushed: it has its id)."""
    contact = Contact(wa_id=wa_id, created_at=now)
    session.add(contact)
    session.flush()
    return contact


def set_by_staff(
    session: Session,
    contact: Contact,
    opted: Opted,
    now: datetime,
    *,
    staff: StaffUser | None,
    note: str = "",
) -> ConsentEvent | None:
    """Opt ``contact`` out of marketing messages or back in, as staff, audited.

    Args:
        session: The open transaction (the ledger, the contact and the audit are written in it).
        contact: The customer.
        opted: ``"out"`` or ``"in"``.
        now: When.
        staff: Who, or ``None`` from the command line.
        note: Why or how the customer asked (:func:`clean_note`-ed), kept in the ledger.

    Returns:
        The ledger event, or ``None`` when the customer was already opted ``opted`` (nothing is
        written then, not even the audit).
    """
    detail = {"by": CLI_ACTOR if staff is None else staff.email}
    if note:
        detail["note"] = note
    event = change(session, contact, opted, "staff", now, detail)
    if event is not None:
        extra = {"note": note} if note else {}
        audit(session, staff, f"consent.{opted}", f"contact #{contact.id}", extra)
    return event


__all__ = [
    "CLI_ACTOR",
    "MAX_NOTE",
    "ConsentError",
    "add_customer",
    "clean_note",
    "set_by_staff",
]
