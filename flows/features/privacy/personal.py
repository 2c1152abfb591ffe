"""The runtime's personal data, which the privacy feature answers for: :data:`core_data`.

The runtime's tables (:mod:`storage.models`) belong to no feature, so the privacy feature declares
them: the contact, the conversation, every stored update from Meta (whose raw values hold the
number, the profile name and the messages) and the bodies kept as received (the quarantine), the
outbox, the delivery statuses and the flow steps. So does it the console's audit log, which may
name a customer in what staff typed, and its own requests. Flow steps and requests stay,
pseudonymised, for the funnels and as the proof that a request was answered; the staff's alerts
naming the customer (when they asked for a person) stay with the number and name replaced by the
pseudonym; everything else is deleted. A number counts only written whole (no digit just before or
after it), and a row addressed to another customer is theirs, never this customer's; the export
names no staff member.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, or_
from sqlmodel import Session, col, select

from flows.features._personal import PersonalTables, Rows, row_dict
from flows.features.booking.models import Booking
from flows.features.console.models import AuditEvent
from flows.features.privacy.models import PrivacyRequest
from flows.features.shop.models import Order
from storage.models import (
    Contact,
    Conversation,
    FlowStep,
    InboundUpdate,
    MessageStatus,
    OutboxMessage,
    QuarantinedBody,
    ReadReceipt,
)

_TWO_DIGIT_CODES = frozenset((
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
    "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
    "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
))  # fmt: skip


def national_digits(wa_id: str) -> str:
    """The number without its country calling code (``"34612345678"`` → ``"612345678"``).

    A number of one of the one- and two-digit codes (``1``, ``7``, ``34``, ``55``...) loses that
    many digits, any other three.
    """
    if wa_id[:1] in ("1", "7"):
        return wa_id[1:]
    return wa_id[2:] if wa_id[:2] in _TWO_DIGIT_CODES else wa_id[3:]


def number_forms(wa_id: str) -> tuple[str, ...]:
    """How the number may be written in free text, longest first (``+``, digits, national)."""
    forms = [f"+{wa_id}", wa_id]
    national = national_digits(wa_id)
    if len(national) >= 6:
        forms.append(national)
    return tuple(forms)


_GAP = r"[\s().\-]"


def _written(wa_id: str) -> re.Pattern[str]:
    """The number as people write it (with or without ``+`` and the calling code, spaced or
    dashed as staff type it), as a whole number: no digit just before or after it, even across
    one separator, so a longer number that starts or ends with it is not taken for it."""
    national = national_digits(wa_id)
    code = wa_id[: len(wa_id) - len(national)]
    gap = f"{_GAP}*"
    return re.compile(
        rf"(?<!\d)(?<!\d{_GAP})(?:\+?{gap.join(code)}{gap})?{gap.join(national)}(?!{_GAP}?\d)"
    )


def _mentions(text: str, wa_id: str) -> bool:
    return _written(wa_id).search(text) is not None


def _replace(text: str, wa_id: str, pseudonym: str) -> str:
    return _written(wa_id).sub(pseudonym, text)


def _replace_name(text: str, name: str | None, pseudonym: str) -> str:
    """``text`` with the profile ``name`` replaced, as whole words ("Al" leaves "Alert" alone),
    in any case: the full name, then each of its words of three letters or more (staff write
    "Hugo" for "Hugo López")."""
    words = (name or "").split()
    for part in sorted({" ".join(words), *(w for w in words if len(w) >= 3)}, key=len)[::-1]:
        if len(part) >= 2:
            written = re.escape(json.dumps(part, ensure_ascii=False)[1:-1])
            text = re.sub(rf"(?<!\w){written}(?!\w)", lambda _: pseudonym, text, flags=re.I)
    return text


class _Unattributed:
    """Rows without a customer (a stored error or unknown change, a kept body whose customer
    could not be read) whose text names them: ``model``'s ``column`` (JSON or text)."""

    def __init__(self, model: type[InboundUpdate] | type[QuarantinedBody], column: str) -> None:
        self.model = model
        self.column = column
        self.tables = (str(model.__tablename__),)

    def _found(self, session: Session, wa_id: str) -> list[Any]:
        text_of = getattr(self.model, self.column)
        query = select(self.model).where(
            col(self.model.wa_id).is_(None),
            cast(text_of, String).contains(national_digits(wa_id)),
        )
        return [r for r in session.exec(query) if _mentions(self._text(r), wa_id)]

    def _text(self, row: Any) -> str:
        value = getattr(row, self.column)
        return value if isinstance(value, str) else json.dumps(value)

    def export(self, session: Session, wa_id: str) -> dict[str, list[dict[str, Any]]]:
        return {self.tables[0]: [row_dict(r) for r in self._found(session, wa_id)]}

    def erase(self, session: Session, wa_id: str, pseudonym: str, now: datetime) -> dict[str, int]:
        found = self._found(session, wa_id)
        for row in found:
            session.delete(row)
        session.flush()
        return {self.tables[0]: len(found)}


def _alert_text(payload: dict[str, Any]) -> str:
    """What a staff alert says: its text, or its template's parameters one a line."""
    text = payload.get("text")
    if isinstance(text, dict) and isinstance(text.get("body"), str):
        return str(text["body"])
    template = payload.get("template")
    components = template.get("components") if isinstance(template, dict) else None
    words = [
        str(parameter["text"])
        for component in (components if isinstance(components, list) else [])
        if isinstance(component, dict) and isinstance(component.get("parameters"), list)
        for parameter in component["parameters"]
        if isinstance(parameter, dict) and isinstance(parameter.get("text"), str)
    ]
    return "\n".join(words)


class _StaffAlerts:
    """The staff's alerts naming the customer (when they asked for a person): their name,
    number and last words, sent to the shop's own numbers (``handoff.notify_number``). A
    message to any other number is that person's, never this customer's, even if it holds
    their number. The export gives when and what an alert said, not the shop's number; an
    erasure keeps the alert for the staff's record with the number and name replaced."""

    tables = ("waflow_outbox",)

    def __init__(self, staff: frozenset[str]) -> None:
        self.staff = staff

    def _found(self, session: Session, wa_id: str) -> list[OutboxMessage]:
        recipients = self.staff - {wa_id}
        if not recipients:
            return []
        query = (
            select(OutboxMessage)
            .where(
                col(OutboxMessage.wa_id).in_(sorted(recipients)),
                cast(OutboxMessage.payload, String).contains(national_digits(wa_id)),
            )
            .order_by(col(OutboxMessage.id))
        )
        return [m for m in session.exec(query) if _mentions(json.dumps(m.payload), wa_id)]

    def export(self, session: Session, wa_id: str) -> dict[str, list[dict[str, Any]]]:
        alerts = [
            {
                "staff_alert": True,
                "created_at": row_dict(m)["created_at"],
                "text": _alert_text(m.payload),
            }
            for m in self._found(session, wa_id)
        ]
        return {"waflow_outbox": alerts}

    def erase(self, session: Session, wa_id: str, pseudonym: str, now: datetime) -> dict[str, int]:
        contact = session.exec(select(Contact).where(Contact.wa_id == wa_id)).first()
        name = contact.name if contact is not None else None
        found = self._found(session, wa_id)
        for message in found:
            text = _replace(json.dumps(message.payload, ensure_ascii=False), wa_id, pseudonym)
            message.payload = json.loads(_replace_name(text, name, pseudonym))
            session.add(message)
        session.flush()
        return {"waflow_outbox": len(found)}


_CONTACT_TARGET = re.compile(r"contact #(\d+)")
_STAFF_COLUMNS = ("staff_id", "staff_email")


def _subjects(session: Session, contact: Contact | None, owner: str) -> set[str]:
    """The audit targets that are the customer's: their page, and their orders and bookings
    (whose customer column is ``owner``: their number, or after the features' erasure, which
    runs first, the pseudonym)."""
    found = {f"contact #{contact.id}"} if contact is not None else set()
    found.update(session.exec(select(Order.number).where(Order.wa_id == owner)))
    bookings = session.exec(select(Booking.id).where(Booking.wa_id == owner))
    found.update(f"booking #{booking_id}" for booking_id in bookings)
    return found


class _AuditLog:
    """The console's audit entries about the customer: on their page, about their orders and
    bookings, or naming their number.

    An entry about another customer's page is that customer's: an erasure replaces this
    customer's number in it, the export leaves it out. The export never says which staff
    member did what. An erasure also replaces the customer's name in what staff typed about
    them.
    """

    tables = ("waflow_audit_event",)

    @staticmethod
    def _found(session: Session, wa_id: str, owner: str) -> list[tuple[AuditEvent, bool]]:
        """The entries naming the customer, each with whether it is theirs to export."""
        contact = session.exec(select(Contact).where(Contact.wa_id == wa_id)).first()
        national = national_digits(wa_id)
        mine = _subjects(session, contact, owner)
        matches = [
            col(AuditEvent.target).contains(national),
            cast(AuditEvent.detail, String).contains(national),
            col(AuditEvent.target).in_(sorted(mine)),
        ]
        query = select(AuditEvent).where(or_(*matches)).order_by(col(AuditEvent.id))
        found = []
        for event in session.exec(query):
            if event.target in mine:
                found.append((event, True))
            elif _mentions(event.target + " " + json.dumps(event.detail), wa_id):
                other = _CONTACT_TARGET.fullmatch(event.target) is not None
                found.append((event, not other))
        return found

    def export(self, session: Session, wa_id: str) -> dict[str, list[dict[str, Any]]]:
        found = self._found(session, wa_id, wa_id)
        return {
            "waflow_audit_event": [row_dict(e, _STAFF_COLUMNS) for e, theirs in found if theirs]
        }

    def erase(self, session: Session, wa_id: str, pseudonym: str, now: datetime) -> dict[str, int]:
        contact = session.exec(select(Contact).where(Contact.wa_id == wa_id)).first()
        name = contact.name if contact is not None else None
        changed = 0
        for event, theirs in self._found(session, wa_id, pseudonym):
            target = _replace(event.target, wa_id, pseudonym)
            text = _replace(json.dumps(event.detail, ensure_ascii=False), wa_id, pseudonym)
            detail = json.loads(_replace_name(text, name, pseudonym) if theirs else text)
            if (target, detail) != (event.target, event.detail):
                event.target, event.detail = target, detail
                session.add(event)
                changed += 1
        session.flush()
        return {"waflow_audit_event": changed}


class CoreData:
    """The runtime's tables, the audit log and the privacy requests (the feature's entry).

    Args:
        staff: The shop's own numbers (digits only) the staff's alerts go to; without them no
            alert is found (see :func:`~flows.features.privacy.export_customer`).
    """

    def __init__(self, staff: Collection[str] = ()) -> None:
        self.rows = PersonalTables(
            Rows(Contact),
            Rows(Conversation),
            Rows(InboundUpdate),
            Rows(OutboxMessage),
            Rows(ReadReceipt),  # seconds old at most: sent or dropped
            Rows(QuarantinedBody),  # webhook bodies kept as received
            Rows(MessageStatus, "recipient_id"),
            Rows(FlowStep, keep=True),
            Rows(PrivacyRequest, keep=True),
        )
        self.extra = (
            _Unattributed(InboundUpdate, "value"),
            _Unattributed(QuarantinedBody, "body"),
            _StaffAlerts(frozenset(staff)),
            _AuditLog(),
        )

    @property
    def tables(self) -> tuple[str, ...]:
        """The names of the tables covered."""
        return (*self.rows.tables, *(t for part in self.extra for t in part.tables))

    def export(self, session: Session, wa_id: str) -> dict[str, list[dict[str, Any]]]:
        """Every core row about customer ``wa_id``, by table name."""
        found = self.rows.export(session, wa_id)
        for part in self.extra:
            for table, rows in part.export(session, wa_id).items():
                found[table] = [*found.get(table, []), *rows]
        return found

    def erase(self, session: Session, wa_id: str, pseudonym: str, now: datetime) -> dict[str, int]:
        """Delete the customer's core rows; keep flow steps and requests pseudonymised."""
        counts: dict[str, int] = {}
        for part in (*self.extra, self.rows):  # the audit log while the contact still exists
            for table, count in part.erase(session, wa_id, pseudonym, now).items():
                counts[table] = counts.get(table, 0) + count
        return counts


core_data = CoreData()
"""The privacy feature's ``personal_data`` entry (knowing no staff number)."""

__all__ = ["CoreData", "core_data", "national_digits", "number_forms"]
