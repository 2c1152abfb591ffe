"""Test kit for the flow engine: Meta-shaped inbound messages and a chat driver.

``Chat`` plays the runtime's part for one customer: for each message it builds the Meta
``value`` object, parses it with :func:`bot.inbound.parse_value`, opens a session on the
in-memory database, loads (or creates) the contact and conversation rows, builds a
:class:`bot.turn.Turn` at the test clock's time, calls the handler, and commits, the way
``bot.processing`` does. The ``reply helpers`` read the payloads back as text.
"""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.inbound import Message, parse_value
from bot.turn import Turn
from flows import FlowHandler, FlowSet, parse_flow
from storage.models import Contact, Conversation

WA_ID = "15550001111"
MakeChat = Callable[..., "Chat"]
"""The type of the ``make_chat`` fixture."""
_ids = itertools.count(1)


@dataclass
class Clock:
    """The test clock: the time every turn sees as ``turn.now``."""

    now: datetime = field(default_factory=lambda: datetime(2025, 3, 3, 10, 0, tzinfo=UTC))

    def advance(self, **delta: float) -> None:
        """Move the clock forward, e.g. ``advance(minutes=31)``."""
        self.now += timedelta(**delta)


def flowset(*sources: str) -> FlowSet:
    """Parse dedented YAML sources into a flow set."""
    return FlowSet(
        parse_flow(textwrap.dedent(source), file=f"test{i}.yaml")
        for i, source in enumerate(sources)
    )


def value(
    message: dict[str, Any], *, wa_id: str = WA_ID, name: str | None = "Ana"
) -> dict[str, Any]:
    """Wrap one Meta message object in a ``value`` with metadata and the contact."""
    return {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
        "messages": [message],
    }


def text(body: str) -> dict[str, Any]:
    """A text message object."""
    return {"type": "text", "text": {"body": body}}


def button(reply_id: str, title: str | None = None) -> dict[str, Any]:
    """A reply-button tap."""
    reply = {"id": reply_id, "title": title or reply_id}
    return {"type": "interactive", "interactive": {"type": "button_reply", "button_reply": reply}}


def row(row_id: str, title: str | None = None) -> dict[str, Any]:
    """A list-row pick."""
    reply = {"id": row_id, "title": title or row_id}
    return {"type": "interactive", "interactive": {"type": "list_reply", "list_reply": reply}}


def template_button(payload: str, label: str = "Go") -> dict[str, Any]:
    """A tap on a template quick-reply button."""
    return {"type": "button", "button": {"payload": payload, "text": label}}


def media(kind: str, **extra: Any) -> dict[str, Any]:
    """An image/video/audio/document/sticker message."""
    body = {
        "id": f"media-{kind}",
        "mime_type": "application/octet-stream",
        "sha256": "abc",
        **extra,
    }
    return {"type": kind, kind: body}


def location(latitude: float = 51.5, longitude: float = -0.12, **extra: Any) -> dict[str, Any]:
    """A shared location."""
    return {"type": "location", "location": {"latitude": latitude, "longitude": longitude, **extra}}


def reaction(emoji: str = "👍") -> dict[str, Any]:
    """A reaction to an earlier message."""
    return {"type": "reaction", "reaction": {"message_id": "wamid.OLD", "emoji": emoji}}


def contacts_card(phone: str) -> dict[str, Any]:
    """A shared contact card with one phone number."""
    card = {
        "name": {"formatted_name": "Bob", "first_name": "Bob"},
        "phones": [{"phone": phone, "type": "CELL"}],
    }
    return {"type": "contacts", "contacts": [card]}


def body(payload: dict[str, Any]) -> str:
    """The visible text of a payload: text body, interactive body, or media caption."""
    kind = payload["type"]
    if kind == "text":
        return str(payload["text"]["body"])
    if kind == "interactive":
        return str(payload["interactive"].get("body", {}).get("text", ""))
    return str(payload.get(kind, {}).get("caption", ""))


def buttons(payload: dict[str, Any]) -> list[str]:
    """Titles of the reply buttons of a payload."""
    action = payload.get("interactive", {}).get("action", {})
    return [b["reply"]["title"] for b in action.get("buttons", [])]


def rows(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """``(id, title)`` of every list row of a payload."""
    action = payload.get("interactive", {}).get("action", {})
    return [(r["id"], r["title"]) for s in action.get("sections", []) for r in s["rows"]]


class Chat:
    """One customer talking to a :class:`~flows.FlowHandler` over an in-memory database.

    Args:
        engine: The database engine (schema created).
        handler: The handler under test.
        clock: The test clock.
        name: The contact's profile name.
    """

    def __init__(
        self, engine: Engine, handler: FlowHandler, clock: Clock, name: str | None = "Ana"
    ) -> None:
        self.engine = engine
        self.handler = handler
        self.clock = clock
        self.name = name
        self.last: list[dict[str, Any]] = []

    def deliver(self, message: dict[str, Any], **meta: Any) -> list[dict[str, Any]]:
        """Handle one Meta message object; return the replies."""
        item = {
            "from": WA_ID,
            "id": f"wamid.TEST{next(_ids)}",
            "timestamp": str(int(self.clock.now.timestamp())),
            **message,
            **meta,
        }
        parsed = parse_value("messages", value(item, name=self.name))[0]
        assert isinstance(parsed, Message), parsed
        with Session(self.engine) as session:
            contact = session.exec(select(Contact).where(Contact.wa_id == WA_ID)).first()
            if contact is None:
                contact = Contact(wa_id=WA_ID, name=self.name)
                session.add(contact)
            conversation = session.exec(
                select(Conversation).where(Conversation.wa_id == WA_ID)
            ).first()
            if conversation is None:
                conversation = Conversation(wa_id=WA_ID)
                session.add(conversation)
            turn = Turn(
                session=session,
                message=parsed,
                contact=contact,
                conversation=conversation,
                now=self.clock.now,
            )
            self.handler.handle(turn)
            conversation.last_inbound_at = self.clock.now
            session.add(conversation)
            session.commit()
        self.last = list(turn.replies)
        return self.last

    def send(self, body_text: str) -> list[dict[str, Any]]:
        """Type a text message."""
        return self.deliver(text(body_text))

    def say(self, body_text: str) -> list[str]:
        """Type a text message; return the visible texts of the replies."""
        return [body(p) for p in self.send(body_text)]

    def tap(self, reply_id: str, title: str | None = None) -> list[dict[str, Any]]:
        """Tap a reply button."""
        return self.deliver(button(reply_id, title))

    def pick(self, row_id: str, title: str | None = None) -> list[dict[str, Any]]:
        """Pick a list row."""
        return self.deliver(row(row_id, title))

    @property
    def texts(self) -> list[str]:
        """Visible texts of the last replies."""
        return [body(p) for p in self.last]

    @property
    def conversation(self) -> Conversation:
        """The conversation row as committed."""
        with Session(self.engine) as session:
            found = session.exec(select(Conversation).where(Conversation.wa_id == WA_ID)).one()
            session.expunge(found)
            return found

    @property
    def contact(self) -> Contact:
        """The contact row as committed."""
        with Session(self.engine) as session:
            found = session.exec(select(Contact).where(Contact.wa_id == WA_ID)).one()
            session.expunge(found)
            return found

    def set_conversation(self, **fields: Any) -> None:
        """Overwrite stored conversation fields (to stage a deployed-flow change)."""
        with Session(self.engine) as session:
            conversation = session.exec(
                select(Conversation).where(Conversation.wa_id == WA_ID)
            ).one()
            for key, item in fields.items():
                setattr(conversation, key, item)
            session.add(conversation)
            session.commit()

    def set_paused(self, paused: bool) -> None:
        """Pause or resume the bot for this contact, as an agent console would."""
        with Session(self.engine) as session:
            contact = session.exec(select(Contact).where(Contact.wa_id == WA_ID)).one()
            contact.paused = paused
            session.add(contact)
            session.commit()
