"""Customers' requests in the chat ("my data", "delete my data") and the feature's daily work.

:class:`PrivacyWords` wraps the conversation handler so the requests are answered from any
state. "my data" records an export request that owners see on the customer's page and the
privacy page, and tells the customer the shop will send it; with ``privacy.public_url`` it
sends the data at once instead, as a JSON document whose link works for an hour. "delete my
data" asks for a YES or NO; a YES records the erase as due a minute later and says so; a NO
cancels; anything else asks once more, then cancels. Every answer is in the customer's language
(this feature's catalogs). The turn that takes the YES is not destroyed under its feet: :func:`privacy_task`, run by the bot about once a minute, erases the
customer once the request is due and the confirmation has left the outbox (that outbox row goes
with the rest). The same task erases what Meta's late delivery statuses about erased messages
bring back (a contact with nothing but statuses), and runs the retention purge once a day when
``privacy.retention_days`` is set.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot import messages
from bot.config import mask
from bot.inbound import TextMessage
from bot.turn import Handler, Turn
from flows import Texts, texts_for
from flows.features.business import BusinessConfig
from flows.features.business.timestamps import as_utc
from flows.features.consent import fold
from flows.features.privacy.models import PrivacyRequest, last_purge, open_request
from flows.features.privacy.privacy import (
    PrivacySettings,
    erase_customer,
    erase_requested,
    leftovers,
    link_hash,
    privacy_settings,
    purge,
)
from storage.db import transaction
from storage.models import OutboxMessage

log = logging.getLogger(__name__)

EXPORT_WORDS: tuple[str, ...] = (
    "my data", "send my data",  # English
    "mis datos",  # Spanish
    "meus dados",  # Brazilian Portuguese
    "data saya",  # Indonesian
)  # fmt: skip
"""What asks for a copy of one's data, folded (:func:`~flows.features.consent.fold`)."""

ERASE_WORDS: tuple[str, ...] = (
    "delete my data", "erase my data",  # English
    "borrar mis datos", "eliminar mis datos",  # Spanish
    "apagar meus dados", "excluir meus dados",  # Brazilian Portuguese
    "hapus data saya",  # Indonesian
)  # fmt: skip
"""What asks to delete one's data, folded."""

YES_WORDS: tuple[str, ...] = ("yes", "y", "si", "sim", "ya", "iya")
"""What confirms a deletion, folded."""
NO_WORDS: tuple[str, ...] = ("no", "n", "nao", "tidak", "cancel", "cancelar", "batal")
"""What cancels it, folded."""

EXPORT_FILE = "my-data.json"
LINK_PATH = "/privacy/data/"
"""Where an export link points, after ``privacy.public_url`` (the token follows)."""
LINK_FOR = timedelta(hours=1)
"""How long an export link works at most."""
LINK_AFTER_FETCH = timedelta(minutes=10)
"""How long it still works after it was first opened (WhatsApp fetches it to deliver it)."""
MAX_CAPTION = 1024
"""The longest caption of a document message."""
ERASE_DELAY = timedelta(minutes=1)
"""How long after the YES the erasure runs (the confirmation is sent first)."""
CONFIRM_FOR = timedelta(hours=1)
"""How long a deletion question waits for its answer."""
PURGE_EVERY = timedelta(days=1)
"""How often the running bot purges old message texts (with ``privacy.retention_days``)."""


@dataclass(frozen=True)
class PrivacyWords:
    """A :class:`bot.turn.Handler` answering privacy requests from any state, then delegating.

    Attributes:
        handler: The conversation logic for every other message.
        business_name: The shop's name, for the answers.
        settings: The ``privacy`` section (its texts; with ``public_url``, "my data" is
            answered with a link to the data).
        texts: The words of a customer whose remembered language is the argument: the answers
            are translated (the built-in ones by this feature's catalogs, the business's own
            by its catalogs) into it, else into the business's language.
    """

    handler: Handler
    business_name: str
    settings: PrivacySettings = field(default_factory=PrivacySettings)
    texts: Callable[[str | None], Texts] = texts_for

    def _text(self, turn: Turn, text: str) -> str:
        """``text`` in the customer's language, ``{business}`` filled in."""
        return self.texts(turn.contact.language)(text).replace("{business}", self.business_name)

    def _say(self, turn: Turn, text: str) -> None:
        text = self._text(turn, text)
        turn.reply(messages.text(turn.contact.wa_id, text[: messages.MAX_TEXT]))

    def handle(self, turn: Turn) -> None:
        """Answer a request, or the YES or NO to a deletion question; delegate the rest."""
        message, session, wa_id = turn.message, turn.session, turn.contact.wa_id
        said = fold(message.body) if isinstance(message, TextMessage) else None
        question = open_request(session, wa_id, "erase")
        if question is not None and question.state == "confirming":
            if as_utc(question.requested_at) + CONFIRM_FOR >= turn.now:
                self._answer(turn, question, said)
                return
            _close(session, question, "cancelled", turn.now)  # unanswered: the words are words
        if said in ERASE_WORDS:
            if question is not None and question.state == "pending":
                self._say(turn, self.settings.erase_confirmed)
                return
            at = as_utc(turn.now)
            session.add(
                PrivacyRequest(
                    wa_id=wa_id, kind="erase", state="confirming", asked=1, requested_at=at
                )
            )
            self._say(turn, self.settings.erase_question)
            return
        if said in EXPORT_WORDS:
            self._export(turn)
            return
        self.handler.handle(turn)

    def _export(self, turn: Turn) -> None:
        """Send the customer their data as a link (with ``public_url``), or tell them the
        owners will, recording the request either way."""
        session, wa_id, at = turn.session, turn.contact.wa_id, as_utc(turn.now)
        if self.settings.public_url is None:
            if open_request(session, wa_id, "export") is None:
                session.add(
                    PrivacyRequest(wa_id=wa_id, kind="export", state="pending", requested_at=at)
                )
                log.info("%s asked for a copy of their data", mask(wa_id))
            self._say(turn, self.settings.export_text)
            return
        token = secrets.token_urlsafe(32)
        request = PrivacyRequest(
            wa_id=wa_id,
            kind="export",
            state="sent",
            requested_at=at,
            link_hash=link_hash(token),
            link_expires_at=at + LINK_FOR,
        )
        session.add(request)
        caption = self._text(turn, self.settings.link_text)[:MAX_CAPTION]
        link = f"{self.settings.public_url}{LINK_PATH}{token}"
        turn.reply(messages.document(wa_id, link=link, filename=EXPORT_FILE, caption=caption))
        log.info("%s asked for a copy of their data: sent as a link", mask(wa_id))

    def _answer(self, turn: Turn, question: PrivacyRequest, said: str | None) -> None:
        """Take the customer's answer to the deletion question."""
        session = turn.session
        if said in YES_WORDS:
            question.state, question.due_at = "pending", as_utc(turn.now) + ERASE_DELAY
            session.add(question)
            log.info("%s confirmed the deletion of their data", mask(turn.contact.wa_id))
            self._say(turn, self.settings.erase_confirmed)
        elif said in NO_WORDS or question.asked >= 2:
            _close(session, question, "cancelled", turn.now)
            self._say(turn, self.settings.erase_cancelled)
        else:
            question.asked += 1
            session.add(question)
            self._say(turn, self.settings.erase_again)


def _close(session: Session, request: PrivacyRequest, state: str, now: datetime) -> None:
    request.state, request.done_at = state, as_utc(now)
    session.add(request)
    session.flush()


def privacy_words(handler: Handler, business: BusinessConfig) -> PrivacyWords:
    """The feature's handler wrapper: ``handler`` with the privacy requests around it."""
    return PrivacyWords(handler, business.business.name, privacy_settings(business), business.texts)


def due_erasures(session: Session, now: datetime) -> list[PrivacyRequest]:
    """The confirmed erase requests that are due and whose customer has nothing left to send."""
    waiting = select(OutboxMessage.wa_id).where(OutboxMessage.state == "pending")
    query = (
        select(PrivacyRequest)
        .where(PrivacyRequest.kind == "erase", PrivacyRequest.state == "pending")
        .where(col(PrivacyRequest.due_at) <= as_utc(now))
        .where(col(PrivacyRequest.wa_id).not_in(waiting))
        .order_by(col(PrivacyRequest.id))
    )
    return list(session.exec(query))


def privacy_task(engine: Engine, business: BusinessConfig, now: datetime) -> bool:
    """The feature's periodic task: due erasures, leftovers of erasures, the daily purge.

    Returns:
        ``False``: it never queues messages.
    """
    with transaction(engine) as session:
        for request in due_erasures(session, now):
            erasure = erase_requested(session, request, now, business)
            log.info("erased the data of a customer as %s asked", erasure.pseudonym)
        for wa_id in leftovers(session, now):
            erase_customer(session, wa_id, now, business)
            log.info("erased late delivery statuses of erased messages to %s", mask(wa_id))
    retention = privacy_settings(business).retention_days
    if retention is None:
        return False
    with transaction(engine) as session:
        last = last_purge(session)
        if last is None or as_utc(last.at) + PURGE_EVERY <= as_utc(now):
            counts = purge(session, retention, now)
            log.info("purged message texts older than %d days: %s", retention, counts)
    return False


__all__ = [
    "ERASE_WORDS",
    "EXPORT_WORDS",
    "NO_WORDS",
    "YES_WORDS",
    "PrivacyWords",
    "due_erasures",
    "privacy_task",
    "privacy_words",
]
