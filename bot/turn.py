"""The contract between the runtime and conversation logic: a :class:`Turn` and a :class:`Handler`.

For each inbound message the runtime opens one transaction, loads the contact and its
conversation, and calls ``handler.handle(turn)``. The handler reads ``turn.message``, changes
``turn.conversation`` and any business records through ``turn.session``, and queues replies with
:meth:`Turn.reply`. The runtime then commits all of it at once (state, records and outbox), or
none of it. Updates that are not messages (statuses, echoes of what a person sent from the
WhatsApp Business app...) go to the :class:`UpdateListener` objects the runtime was given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sqlmodel import Session

    from bot.inbound import Message, Update
    from storage.models import Contact, Conversation

NAME_LIMIT = 60
"""The longest profile name :func:`shown_name` gives."""


def shown_name(name: str | None) -> str | None:
    """A customer's profile name as a message shows it: cut to :data:`NAME_LIMIT` characters
    with "…" (it is whatever the customer typed, and every text sent has a length limit)."""
    if name is None or len(name) <= NAME_LIMIT:
        return name
    return name[: NAME_LIMIT - 1].rstrip() + "…"


@dataclass
class Turn:
    """One inbound message being handled, inside one database transaction.

    Attributes:
        session: The open SQLModel session; business records written here commit with the turn.
        message: The typed inbound message.
        contact: The sender's contact row.
        conversation: The sender's conversation row; assign to its fields to change them.
        now: The time of this turn (aware UTC); use it instead of the wall clock.
        replies: The outbound payloads queued so far.
        after_commit: Called once the turn has committed (not if it rolls back).
    """

    session: Session
    message: Message
    contact: Contact
    conversation: Conversation
    now: datetime
    replies: list[dict[str, Any]] = field(default_factory=list)
    after_commit: list[Callable[[], None]] = field(default_factory=list)

    @property
    def contact_name(self) -> str | None:
        """The customer's profile name as a reply shows it (:func:`shown_name`)."""
        return shown_name(self.contact.name)

    def reply(self, payload: dict[str, Any]) -> None:
        """Queue an outbound message (a payload from :mod:`bot.messages`) for this contact.

        The payload is written to the outbox in the turn's transaction and sent after commit.
        """
        self.replies.append(payload)


class Handler(Protocol):
    """Conversation logic: anything with a ``handle(turn)`` method."""

    def handle(self, turn: Turn) -> None:
        """Handle one inbound message; see :class:`Turn`."""


class UpdateListener(Protocol):
    """Acts on a stored update that is not a customer message (a status, an echo...).

    Listeners run after the runtime applied the update, in the same transaction, so what they
    write commits with the update's ``done`` mark; if one raises, the update is marked failed.
    ``contact`` is the locked row of the customer the update is about (``None``: no customer).
    """

    def __call__(
        self, session: Session, update: Update, contact: Contact | None, now: datetime
    ) -> None:
        """Act on ``update`` at ``now`` through ``session``."""


__all__ = ["NAME_LIMIT", "Handler", "Turn", "UpdateListener", "shown_name"]
