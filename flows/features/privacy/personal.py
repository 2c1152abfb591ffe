"""The runtime's personal data, which the privacy feature answers for: :data:`core_data`.

The runtime's tables (:mod:`storage.models`) belong to no feature, so the privacy feature
declares them: the contact, the conversation, every stored update from Meta (whose raw values
hold the number, the profile name and the messages), the outbox, the delivery statuses and the
flow steps. So does it the console's audit log, which may name a customer in what staff typed,
and its own requests. Flow steps and requests stay, pseudonymised, for the funnels and as the
proof that a request was answered; messages to others that name the customer (the staff's
alert when they asked for a person) stay with the number and name replaced by the pseudonym;
everything else is deleted.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, or_
from sqlmodel import Session, col, select

from flows.features._personal import PersonalTables, Rows, row_dict
from flows.features.console.models import AuditEvent
from flows.features.privacy.models import PrivacyRequest
from storage.models import (
    Contact,
    Conversation,
    FlowStep,
    InboundUpdate,
    MessageStatus,
    OutboxMessage,
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


def _mentions(text: str, wa_id: str) -> bool:
    digits = re.sub(r"[\s()+.\-]", "", text)
    return any(form in digits for form in number_forms(wa_id)[1:])


def _written(wa_id: str) -> re.Pattern[str]:
    """The number as people write it: with or without ``+`` and the calling code, spaced."""
    national = national_digits(wa_id)
    code = wa_id[: len(wa_id) - len(national)]
    gap = r"[\s().\-]*"
    return re.compile(rf"(?:\+?{gap.join(code)}{gap})?{gap.join(national)}")


def _replace(text: str, wa_id: str, pseudonym: str) -> str:
    return _written(wa_id).sub(pseudonym, text)


class _Unattributed:
    """Stored updates without a customer column (an error, an unknown change) naming them."""

    tables = ("waflow_inbound",)

    @staticmethod
    def _found(session: Session, wa_id: str) -> list[InboundUpdate]:
        query = select(InboundUpdate).where(
            col(InboundUpdate.wa_id).is_(None),
            cast(InboundUpdate.value, String).contains(national_digits(wa_id)),
        )
        return [u for u in session.exec(query) if _mentions(json.dumps(u.value), wa_id)]

    def export(self, session: Session, wa_id: str) -> dict[str, list[dict[str, Any]]]:
        return {"waflow_inbound": [row_dict(u) for u in self._found(session, wa_id)]}

    def erase(self, session: Session, wa_id: str, pseudonym: str, now: datetime) -> dict[str, int]:
        found = self._found(session, wa_id)
        for update in found:
            session.delete(update)
        session.flush()
        return {"waflow_inbound": len(found)}


class _Mentions:
    """Messages to others that name the customer: the staff's alert when they asked for a
    person holds their name, number and last words. Kept for the staff's record, anonymised."""

    tables = ("waflow_outbox",)

    @staticmethod
    def _found(session: Session, wa_id: str) -> list[OutboxMessage]:
        query = select(OutboxMessage).where(
            OutboxMessage.wa_id != wa_id,
            cast(OutboxMessage.payload, String).contains(national_digits(wa_id)),
        )
        return [m for m in session.exec(query) if _mentions(json.dumps(m.payload), wa_id)]

    def export(self, session: Session, wa_id: str) -> dict[str, list[dict[str, Any]]]:
        return {"waflow_outbox": [row_dict(m) for m in self._found(session, wa_id)]}

    def erase(self, session: Session, wa_id: str, pseudonym: str, now: datetime) -> dict[str, int]:
        contact = session.exec(select(Contact).where(Contact.wa_id == wa_id)).first()
        name = contact.name if contact is not None else None
        found = self._found(session, wa_id)
        for message in found:
            text = _replace(json.dumps(message.payload, ensure_ascii=False), wa_id, pseudonym)
            if name:
                text = text.replace(json.dumps(name, ensure_ascii=False)[1:-1], pseudonym)
            message.payload = json.loads(text)
            session.add(message)
        session.flush()
        return {"waflow_outbox": len(found)}


class _AuditLog:
    """The console's audit entries about the customer: on their page, or naming their number."""

    tables = ("waflow_audit_event",)

    @staticmethod
    def _found(session: Session, wa_id: str) -> list[AuditEvent]:
        contact = session.exec(select(Contact).where(Contact.wa_id == wa_id)).first()
        national = national_digits(wa_id)
        matches = [
            col(AuditEvent.target).contains(national),
            cast(AuditEvent.detail, String).contains(national),
        ]
        if contact is not None:
            matches.append(col(AuditEvent.target) == f"contact #{contact.id}")
        query = select(AuditEvent).where(or_(*matches)).order_by(col(AuditEvent.id))
        mine = f"contact #{contact.id}" if contact is not None else None
        return [
            event
            for event in session.exec(query)
            if event.target == mine or _mentions(event.target + json.dumps(event.detail), wa_id)
        ]

    def export(self, session: Session, wa_id: str) -> dict[str, list[dict[str, Any]]]:
        return {"waflow_audit_event": [row_dict(e) for e in self._found(session, wa_id)]}

    def erase(self, session: Session, wa_id: str, pseudonym: str, now: datetime) -> dict[str, int]:
        changed = 0
        for event in self._found(session, wa_id):
            target = _replace(event.target, wa_id, pseudonym)
            detail = json.loads(_replace(json.dumps(event.detail), wa_id, pseudonym))
            if (target, detail) != (event.target, event.detail):
                event.target, event.detail = target, detail
                session.add(event)
                changed += 1
        session.flush()
        return {"waflow_audit_event": changed}


class CoreData:
    """The runtime's tables, the audit log and the privacy requests (the feature's entry)."""

    def __init__(self) -> None:
        self.rows = PersonalTables(
            Rows(Contact),
            Rows(Conversation),
            Rows(InboundUpdate),
            Rows(OutboxMessage),
            Rows(MessageStatus, "recipient_id"),
            Rows(FlowStep, keep=True),
            Rows(PrivacyRequest, keep=True),
        )
        self.extra = (_Unattributed(), _Mentions(), _AuditLog())

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
"""The privacy feature's ``personal_data`` entry."""

__all__ = ["CoreData", "core_data", "national_digits", "number_forms"]
