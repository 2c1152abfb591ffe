"""A customer's data: one export, one erasure; old message bodies purged after the retention.

Every feature declares what it keeps about a customer with its ``personal_data`` entry (a
:class:`~flows.features._feature.PersonalData`); :func:`export_customer` gathers all of them in
one document with a format version, :func:`erase_customer` erases all of them in the caller's
transaction with one new pseudonym, so the orders and bookings kept for the accounts still show
which belonged to the same (now unnamed) person. :func:`purge` applies the business file's
``privacy.retention_days``: message texts older than that are removed from the stored updates
from Meta and from the outbox (the rows, their times and kinds stay, so counts do not change),
and older flow steps are deleted.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StrictInt
from sqlalchemy import exists, or_
from sqlmodel import Session, col, select

from bot.errors import WaflowError
from flows import Record, Text, problem, read_typed
from flows.features._feature import PersonalData, all_personal_data
from flows.features.business import BusinessConfig
from flows.features.business.timestamps import as_utc
from flows.features.privacy.models import PrivacyRequest, PurgeRun
from flows.features.privacy.personal import CoreData, core_data
from storage.errors import ConfigError
from storage.models import (
    Contact,
    Conversation,
    FlowStep,
    InboundUpdate,
    MessageStatus,
    OutboxMessage,
    QuarantinedBody,
)

FORMAT = "waflow.privacy.export"
"""The ``format`` of an export document."""
FORMAT_VERSION = 1
"""The ``version`` of an export document (raised when its shape changes)."""
PSEUDONYM_PREFIX = "erased-"
"""How every pseudonym starts (``erased-3f9c0a1b7e2d``)."""

_PUNCTUATION = re.compile(r"[\s()+.\-]")
_KEEP_IN_MESSAGE = frozenset({"id", "from", "to", "timestamp", "type", "context", "purged"})
_KEEP_IN_PAYLOAD = frozenset({"messaging_product", "recipient_type", "to", "type", "purged"})


class PrivacyError(WaflowError):
    """A privacy request cannot be done (an unknown customer)."""


MAX_RETENTION_DAYS = 36500
"""The longest retention (a hundred years)."""


def _at_most_a_century(days: int | None) -> int | None:
    if days is not None and days > MAX_RETENTION_DAYS:
        raise problem(f"'retention_days' must be at most {MAX_RETENTION_DAYS}, got {days}")
    return days


def _public_url(url: str | None) -> str | None:
    if url is None:
        return None
    if not url.startswith("https://") or len(url) < 9 or any(c.isspace() for c in url):
        raise problem(f"'public_url' must be an https:// address, got {url[:80]!r}")
    return url.rstrip("/")


Days = Annotated[StrictInt | None, Field(ge=1), AfterValidator(_at_most_a_century)]
PublicUrl = Annotated[str | None, AfterValidator(_public_url)]


class PrivacySettings(Record, what="privacy"):
    """The ``privacy`` section of the business file.

    Attributes:
        retention_days: How long message texts and flow steps are kept; ``None`` keeps them.
        public_url: Where the bot is reachable from the internet (``https://shop.example``):
            a customer asking for their data is then sent it at once, as a document whose
            link works for an hour; without it the owners send it.
        export_text: The answer to "my data" without ``public_url``; ``{business}`` becomes
            the shop's name (in every text).
        link_text: The caption of the document sent with ``public_url``.
        erase_question: The question asked after "delete my data".
        erase_again: The question asked again after an answer that is neither YES nor NO.
        erase_confirmed: The answer to YES (and to "delete my data" once confirmed).
        erase_cancelled: The answer to NO, or to a second answer that is neither.
    """

    retention_days: Days = None
    public_url: PublicUrl = None
    export_text: Text = (
        "We have noted your request: {business} will send you a copy of the data we keep about you."
    )
    link_text: Text = "The data {business} keeps about you (the link works for an hour)."
    erase_question: Text = (
        "Delete the data {business} keeps about you: your messages, conversation and details? "
        "Orders and bookings are kept for the accounts, without your name or number. "
        "Reply YES to delete or NO to keep it."
    )
    erase_again: Text = "Please reply YES to delete your data or NO to keep it."
    erase_confirmed: Text = (
        "Your data will be deleted in a minute. This is the last message from {business} "
        "unless you write to us again."
    )
    erase_cancelled: Text = "Nothing was deleted."


def privacy_settings(business: BusinessConfig) -> PrivacySettings:
    """The business file's ``privacy`` section.

    Raises:
        ConfigError: It is wrong (checked when the file was loaded: only a hand-made config).
    """
    raw = dict(business.privacy)
    settings, errors = read_typed(PrivacySettings, raw, file=business.file, path="privacy")
    if settings is None:
        raise ConfigError(str(errors[0]))
    return settings


_MAX_ID = 2**31 - 1  # the largest contact id (a 32-bit integer); a larger #id names no one
_MAX_NUMBER_DIGITS = 20  # E.164 allows 15; a longer number names no customer


def find_customer(session: Session, typed: str) -> Contact:
    """The customer with number ``typed`` (``+34 612 34 56 78`` or ``34612345678``), or with
    the console's id ``#12``.

    Raises:
        PrivacyError: It is not digits (ASCII, with spaces or dashes in a number), or no
            customer has that number or id (never seen, already erased, or out of range).
    """
    typed = typed.strip()
    digits = _PUNCTUATION.sub("", typed.removeprefix("#"))
    if not (digits.isascii() and digits.isdigit()):
        what = "an id (#12)" if typed.startswith("#") else "a phone number"
        raise PrivacyError(f"{typed[:40]!r} is not {what}: digits only")
    contact = None
    if typed.startswith("#"):
        if len(digits) <= 10 and 0 < int(digits) <= _MAX_ID:
            contact = session.get(Contact, int(digits))
    elif len(digits) <= _MAX_NUMBER_DIGITS:
        contact = session.exec(select(Contact).where(Contact.wa_id == digits)).first()
    if contact is None:
        what = "id" if typed.startswith("#") else "number"
        raise PrivacyError(
            f"no customer with the {what} {typed[:40]!r} (never seen, or already erased)"
        )
    return contact


def staff_numbers(business: BusinessConfig) -> frozenset[str]:
    """The shop's own numbers, digits only: where staff alerts go (``handoff.notify_number``)."""
    number = business.handoff.notify_number
    digits = re.sub(r"\D", "", number) if number else ""
    return frozenset({digits} if digits else ())


def _parts(business: BusinessConfig | None = None) -> tuple[PersonalData, ...]:
    """Every feature's personal data, the runtime's (privacy's own, which finds the staff's
    alerts to ``business``'s numbers) last."""
    features = tuple(p for p in all_personal_data() if p is not core_data)
    return (*features, CoreData(staff_numbers(business)) if business is not None else core_data)


def covered_tables() -> frozenset[str]:
    """The tables some feature's ``personal_data`` covers."""
    return frozenset(table for part in _parts() for table in part.tables)


def export_customer(
    session: Session, wa_id: str, now: datetime, business: BusinessConfig
) -> dict[str, Any]:
    """Everything stored about customer ``wa_id``: one JSON-ready document.

    It holds no other customer's row, even one naming this customer's number, and no staff
    member's identity; of the staff's alerts about the customer (to the shop's numbers in
    ``business``), only when and what they said.

    Returns:
        ``{"format", "version", "exported_at", "customer", "tables"}``; ``tables`` maps every
        table holding customers' data to this customer's rows (an empty list when none).
    """
    tables: dict[str, list[dict[str, Any]]] = {}
    for part in _parts(business):
        for table in part.tables:
            tables.setdefault(table, [])
        for table, rows in part.export(session, wa_id).items():
            tables[table] = [*tables.get(table, []), *rows]
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": as_utc(now).isoformat(),
        "customer": wa_id,
        "tables": dict(sorted(tables.items())),
    }


@dataclass(frozen=True)
class Erasure:
    """What an erasure did.

    Attributes:
        pseudonym: What replaces the customer in the rows kept.
        counts: How many rows of each table were deleted or pseudonymised.
    """

    pseudonym: str
    counts: dict[str, int]


def erase_customer(
    session: Session, wa_id: str, now: datetime, business: BusinessConfig
) -> Erasure:
    """Erase customer ``wa_id`` in the caller's transaction: delete their contact, messages,
    conversation and everything personal; keep orders, bookings, survey ratings and flow steps
    under a new pseudonym, the name, address and notes cleared; the staff's alerts about them
    (to the shop's numbers in ``business``) kept with their number and name replaced. No other
    customer's row changes. Erasing again finds nothing.

    Returns:
        The pseudonym and the counts of rows changed, by table.
    """
    pseudonym = PSEUDONYM_PREFIX + secrets.token_hex(6)
    counts: dict[str, int] = {}
    for part in _parts(
        business
    ):  # the features first: the outbox and contact they look up still exist
        for table, count in part.erase(session, wa_id, pseudonym, now).items():
            counts[table] = counts.get(table, 0) + count
    return Erasure(pseudonym, {t: n for t, n in sorted(counts.items()) if n})


def _purged_items(items: Any, keep: frozenset[str]) -> tuple[Any, bool]:
    """``items`` (a list of messages) without their contents; whether anything was removed."""
    if not isinstance(items, list):
        return items, False
    changed = False
    result = []
    for item in items:
        if isinstance(item, dict) and not item.get("purged"):
            item = {k: v for k, v in item.items() if k in keep} | {"purged": True}
            changed = True
        result.append(item)
    return result, changed


def _purged_value(value: dict[str, Any]) -> dict[str, Any] | None:
    """A stored update's value without its messages' contents, or ``None`` if none are left."""
    changed = False
    result = dict(value)
    for key in ("messages", "message_echoes"):
        if key in result:
            result[key], did = _purged_items(result[key], _KEEP_IN_MESSAGE)
            changed = changed or did
    return result if changed else None


def _purged_payload(payload: dict[str, Any]) -> dict[str, Any] | None:
    """An outbox payload without its content, or ``None`` if it was purged already."""
    if payload.get("purged"):
        return None
    return {k: v for k, v in payload.items() if k in _KEEP_IN_PAYLOAD} | {"purged": True}


def purge(
    session: Session, retention_days: int, now: datetime, *, dry_run: bool = False
) -> dict[str, int]:
    """Remove what is older than ``retention_days``: message texts, flow steps, kept bodies.

    Stored updates keep their row, kind, times and each message's id, sender, time and type;
    outbox rows keep their recipient, state, kind and times; flow steps and the quarantine's
    bodies are deleted. A purge
    run is recorded (not with ``dry_run``, which changes nothing).

    Returns:
        How many rows of each table were (or, with ``dry_run``, would be) changed.
    """
    cutoff = as_utc(now) - timedelta(days=retention_days)
    counts = {"waflow_inbound": 0, "waflow_outbox": 0, "waflow_flow_step": 0}
    inbound = select(InboundUpdate).where(
        col(InboundUpdate.received_at) < cutoff, col(InboundUpdate.state) != "pending"
    )
    for update in session.exec(inbound):
        value = _purged_value(update.value)
        if value is not None:
            counts["waflow_inbound"] += 1
            if not dry_run:
                update.value = value
                session.add(update)
    outbox = select(OutboxMessage).where(
        col(OutboxMessage.created_at) < cutoff, col(OutboxMessage.state) != "pending"
    )
    for message in session.exec(outbox):
        payload = _purged_payload(message.payload)
        if payload is not None:
            counts["waflow_outbox"] += 1
            if not dry_run:
                message.payload = payload
                session.add(message)
    steps = list(session.exec(select(FlowStep).where(col(FlowStep.at) < cutoff)))
    counts["waflow_flow_step"] = len(steps)
    kept = list(
        session.exec(select(QuarantinedBody).where(col(QuarantinedBody.received_at) < cutoff))
    )
    counts["waflow_quarantine"] = len(kept)
    if not dry_run:
        for row in (*steps, *kept):
            session.delete(row)
        session.add(PurgeRun(at=as_utc(now), cutoff=cutoff, counts=counts))
    session.flush()
    return counts


def link_hash(token: str) -> str:
    """What is stored of an export link's token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def by_link(session: Session, token: str, now: datetime) -> PrivacyRequest | None:
    """The export request an unexpired link's ``token`` was sent for, if its customer is known."""
    if not token or len(token) > 100:
        return None
    request = session.exec(
        select(PrivacyRequest).where(PrivacyRequest.link_hash == link_hash(token))
    ).first()
    if request is None or request.link_expires_at is None:
        return None
    if as_utc(request.link_expires_at) <= as_utc(now):
        return None
    if session.exec(select(Contact).where(Contact.wa_id == request.wa_id)).first() is None:
        return None  # erased since
    return request


LEFTOVER_WINDOW = timedelta(days=1)
"""How recent a contact made by a late status must be to be taken for a leftover."""


def leftovers(session: Session, now: datetime) -> list[str]:
    """Contacts that only delivery statuses made: those of messages erased before Meta's
    statuses about them arrived (a "read" may come hours later, and makes the contact anew).

    A leftover was made in the last day (:data:`LEFTOVER_WINDOW`; the running bot looks every
    minute), never wrote, has no conversation and no message in the outbox, and every update
    stored about them is a status already processed.

    Returns:
        Their numbers.
    """
    wa_id = col(Contact.wa_id)
    other = or_(col(InboundUpdate.kind) != "status", col(InboundUpdate.state) == "pending")
    query = (
        select(Contact.wa_id)
        .where(col(Contact.created_at) >= as_utc(now) - LEFTOVER_WINDOW)
        .where(col(Contact.last_inbound_at).is_(None))
        .where(exists().where(col(MessageStatus.recipient_id) == wa_id))
        .where(~exists().where(col(Conversation.wa_id) == wa_id))
        .where(~exists().where(col(OutboxMessage.wa_id) == wa_id))
        .where(~exists().where(col(InboundUpdate.wa_id) == wa_id, other))
    )
    return list(session.exec(query))


def answer_export(
    session: Session, wa_id: str, now: datetime, business: BusinessConfig
) -> dict[str, Any]:
    """:func:`export_customer` for staff, which answers the customer's pending export requests.

    Returns:
        The export document (the requests it answers are marked done in it too).
    """
    for request in session.exec(
        select(PrivacyRequest).where(
            PrivacyRequest.wa_id == wa_id,
            PrivacyRequest.kind == "export",
            PrivacyRequest.state == "pending",
        )
    ):
        request.state, request.done_at = "done", as_utc(now)
        session.add(request)
    session.flush()
    return export_customer(session, wa_id, now, business)


def erase_requested(
    session: Session, request: PrivacyRequest, now: datetime, business: BusinessConfig
) -> Erasure:
    """Do a confirmed erase request: mark it done, then erase its customer."""
    request.state, request.done_at = "done", as_utc(now)
    session.add(request)
    session.flush()
    return erase_customer(session, request.wa_id, now, business)


__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "PSEUDONYM_PREFIX",
    "Erasure",
    "PrivacyError",
    "PrivacySettings",
    "answer_export",
    "by_link",
    "covered_tables",
    "erase_customer",
    "erase_requested",
    "export_customer",
    "find_customer",
    "leftovers",
    "link_hash",
    "privacy_settings",
    "purge",
    "staff_numbers",
]
