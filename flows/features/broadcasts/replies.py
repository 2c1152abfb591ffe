"""Customers answering a broadcast: a stop word recorded as ``broadcast_reply``, Meta's 131050.

:class:`BroadcastReplies` wraps the conversation handler outside the consent feature's keywords:
a stop word that answers a broadcast (it quotes the broadcast's message, or comes within
``broadcasts.reply_window`` of one being sent to that customer) is recorded in the consent
ledger with source ``broadcast_reply`` before the consent feature confirms it, so the ledger
tells a stop provoked by a campaign from any other. :func:`stop_listener` records a ``failed``
status with Meta's 131050 (the customer stopped marketing messages) as an opt-out, source
``meta``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.config import mask
from bot.inbound import Status, TextMessage, Update
from bot.turn import Handler, Turn, UpdateListener
from flows.features.broadcasts.broadcasts import STOP_CODE
from flows.features.broadcasts.models import BroadcastRecipient
from flows.features.broadcasts.settings import broadcast_settings
from flows.features.business import BusinessConfig
from flows.features.consent.consent import consent_settings, fold
from flows.features.consent.models import Opted, record
from storage.models import Contact, OutboxMessage

log = logging.getLogger(__name__)


def answered_broadcast(
    session: Session, wa_id: str, quoted: str | None, now: datetime, window: timedelta
) -> int | None:
    """The broadcast a message from ``wa_id`` answers, if any.

    Args:
        quoted: The wamid the message quotes (``context.id``), if it quotes one.
        window: Otherwise, the latest broadcast sent to them within this time.
    """
    query = (
        select(BroadcastRecipient.broadcast_id)
        .join(OutboxMessage, col(OutboxMessage.id) == col(BroadcastRecipient.outbox_id))
        .where(BroadcastRecipient.wa_id == wa_id)
        .where(OutboxMessage.state == "sent")
    )
    if quoted:
        found = session.exec(query.where(OutboxMessage.wamid == quoted)).first()
        if found is not None:
            return found
    recent = query.where(col(OutboxMessage.sent_at) >= now - window)
    return session.exec(recent.order_by(col(OutboxMessage.sent_at).desc())).first()


@dataclass(frozen=True)
class BroadcastReplies:
    """A :class:`bot.turn.Handler` recording a stop word that answers a broadcast, then delegating.

    Attributes:
        handler: The conversation logic (the consent keywords around the flows), which confirms
            the stop as usual.
        words: The consent feature's keywords and the choice each makes.
        window: How long after a broadcast a stop word answers it.
    """

    handler: Handler
    words: Mapping[str, Opted]
    window: timedelta

    def handle(self, turn: Turn) -> None:
        """Record a stop that answers a broadcast (source ``broadcast_reply``), then delegate."""
        message, contact = turn.message, turn.contact
        if (
            isinstance(message, TextMessage)
            and not contact.marketing_opt_out
            and self.words.get(fold(message.body)) == "out"
        ):
            quoted = message.context.id if message.context is not None else None
            found = answered_broadcast(turn.session, contact.wa_id, quoted, turn.now, self.window)
            if found is not None:
                detail = {"text": message.body, "broadcast": found}
                record(turn.session, contact, "out", "broadcast_reply", turn.now, detail)
                log.info("%s opted out answering broadcast #%d", mask(contact.wa_id), found)
        self.handler.handle(turn)


def broadcast_replies(handler: Handler, business: BusinessConfig) -> BroadcastReplies:
    """The feature's handler wrapper: ``handler`` with broadcast stops recorded around it.

    Raises:
        ConfigError: The ``consent`` or ``broadcasts`` section cannot be read.
    """
    words = consent_settings(business).keywords()
    return BroadcastReplies(handler, words, broadcast_settings(business).reply_window)


def stop_listener(business: BusinessConfig) -> UpdateListener:
    """The listener recording a ``failed`` status with 131050 as an opt-out (source ``meta``)."""

    def on_update(session: Session, update: Update, contact: Contact | None, now: datetime) -> None:
        if not isinstance(update, Status) or update.status != "failed" or contact is None:
            return
        if contact.marketing_opt_out or all(e.code != STOP_CODE for e in update.errors):
            return
        record(session, contact, "out", "meta", update.timestamp, {"code": STOP_CODE})
        log.info("%s stopped marketing messages (131050)", mask(contact.wa_id))

    return on_update


__all__ = ["BroadcastReplies", "answered_broadcast", "broadcast_replies", "stop_listener"]
