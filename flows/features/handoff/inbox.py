"""The console inbox's rules: the conversation list, a customer's transcript, staff actions.

:func:`threads` lists the conversations, customers waiting for a person first, then those with
unread messages, then the others, most recent first; :func:`transcript` merges a customer's
stored messages (theirs from ``InboundUpdate``, the owner's Business-app echoes, the bot's and
staff's from the outbox with their delivery status) with the internal notes. The actions
(:func:`send_reply`, :func:`claim`, :func:`release_to_bot`, :func:`pause`, :func:`resume`,
:func:`add_note`) run in the caller's transaction, record a console audit event and raise
:class:`InboxError` when they do not apply. Taking a conversation (a claim, or a reply while
nobody has it) also pauses the bot for the customer, so that it never talks over the person.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from bot import messages
from bot.errors import LimitError
from bot.inbound import (
    ButtonReply,
    ListReply,
    LocationMessage,
    MediaMessage,
    Message,
    MessageEcho,
    TemplateButtonReply,
    Update,
    parse_value,
)
from flows.features.business import BusinessConfig, TemplateRef, outreach
from flows.features.business.timestamps import as_utc
from flows.features.console import StaffUser, audit
from flows.features.handoff.handoff import HandoffError, release
from flows.features.handoff.models import (
    InboxNote,
    InboxThread,
    SavedReply,
    StaffReply,
    record_event,
)
from storage import outbox
from storage.models import Contact, Conversation, InboundUpdate, MessageStatus, OutboxMessage

MESSAGE_KINDS = ("message", "echo")
"""The ``InboundUpdate`` kinds shown in a transcript: the customer's messages and the echoes."""
MAX_NOTE = 2000
MAX_SAVED_TITLE = 80
LIST_LIMIT = 200
TRANSCRIPT_LIMIT = 300

Side = Literal["customer", "owner", "bot", "staff", "note"]


class InboxError(HandoffError):
    """An inbox action that does not apply (the message says why, for the staff member)."""


@dataclass(frozen=True)
class Thread:
    """One row of the conversation list.

    Attributes:
        contact: The customer.
        assignee: The e-mail of the staff member who has the conversation, if anyone.
        paused: Whether the bot is paused for them (a handoff or a Business-app answer).
        unread: Whether they wrote since staff last opened the conversation.
        last_at: The last message either way.
        preview: The last message, shortened.
        waiting_since: While the bot is paused for them: when they wrote last, if no person
            has answered since.
        flow: The flow they are in.
    """

    contact: Contact
    assignee: str | None
    paused: bool
    unread: bool
    last_at: datetime | None
    preview: str
    waiting_since: datetime | None
    flow: str | None


@dataclass(frozen=True)
class Entry:
    """One item of a transcript.

    Attributes:
        at: When it was received, queued or written.
        side: Who it is from: ``customer``, ``owner`` (the Business app), ``bot``, ``staff`` or
            ``note`` (internal, never sent).
        text: What it says.
        label: What kind of message it is when not plain text (``button``, ``location``...).
        author: The staff member's e-mail, for staff replies and notes.
        media_id: The Cloud API media id, for media (shown through the console's proxy).
        media_type: ``image``, ``video``, ``audio``, ``document`` or ``sticker``.
        tick: For messages to the customer: ``queued``, ``sent``, ``delivered``, ``read``,
            ``failed``, ``suppressed`` (marketing never sent: the customer opted out) or
            ``held`` (the window was closed: it goes out when the customer next writes).
        error: Why it failed or was not sent.
    """

    at: datetime
    side: Side
    text: str
    label: str = ""
    author: str | None = None
    media_id: str | None = None
    media_type: str | None = None
    tick: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Transcript:
    """A customer's conversation as the console shows it.

    Attributes:
        contact: The customer.
        entries: Oldest first.
        flow: The flow they are in, and ``state``, the state of it.
        paused: Whether the bot is paused for them; ``paused_until``: until when, after an echo.
        window_open: Whether free text may be sent (their 24-hour window).
        assignee: The e-mail of the staff member who has the conversation, if anyone.
    """

    contact: Contact
    entries: list[Entry]
    flow: str | None
    state: str | None
    paused: bool
    paused_until: datetime | None
    window_open: bool
    assignee: str | None


def digest(value: Any) -> str:
    """A short fingerprint of what a page shows, so that a poll can tell when it changed."""
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


STAFF_ONLY_TEMPLATES = ("handoff",)
"""The ``templates`` entries never offered to staff for a customer: ``handoff`` alerts staff."""


def templates(config: BusinessConfig) -> list[TemplateRef]:
    """The approved templates staff may send a customer, once each by name.

    ``templates.replies`` first, then the features' templates the business file declares, but
    :data:`STAFF_ONLY_TEMPLATES`.
    """
    section = config.templates
    skipped = ("language", "replies", *STAFF_ONLY_TEMPLATES)
    named = (getattr(section, name) for name in type(section).model_fields if name not in skipped)
    found = (*section.replies, *named)
    unique = {ref.name: ref for ref in found if isinstance(ref, TemplateRef)}
    return list(unique.values())


def staff_emails(session: Session) -> dict[int, str]:
    """Every staff account's e-mail by id."""
    return {user.id: user.email for user in session.exec(select(StaffUser)) if user.id is not None}


def _thread(session: Session, wa_id: str) -> InboxThread:
    found = session.exec(select(InboxThread).where(InboxThread.wa_id == wa_id)).first()
    if found is None:
        found = InboxThread(wa_id=wa_id)
        session.add(found)
    return found


def _message_of(update: Update) -> Message | None:
    if isinstance(update, MessageEcho):
        return update.message
    return update if isinstance(update, Message) else None


def _parsed(row: InboundUpdate) -> Message | None:
    updates = parse_value(row.field, row.value)
    return _message_of(updates[0]) if updates else None


def _label(message: Message) -> str:
    if isinstance(message, ButtonReply | TemplateButtonReply):
        return "button"
    if isinstance(message, ListReply):
        return "list choice"
    if isinstance(message, LocationMessage | MediaMessage):
        return message.type
    return "" if message.type == "text" else message.type


def _text(message: Message) -> str:
    if isinstance(message, LocationMessage):
        place = ", ".join(part for part in (message.name, message.address) if part)
        where = f"{message.latitude:.5f}, {message.longitude:.5f}"
        return f"{place} ({where})" if place else where
    return message.text_value or ""


def _preview(text: str, label: str) -> str:
    shown = text if len(text) <= 80 else text[:79] + "…"
    return f"({label}) {shown}".strip() if label else shown


def _last_inbound(
    session: Session, wa_ids: list[str]
) -> dict[str, tuple[InboundUpdate, InboundUpdate | None]]:
    """Per customer: their last message or echo, and their own last message."""
    theirs = func.max(case((col(InboundUpdate.kind) == "message", InboundUpdate.id)))
    found = session.exec(
        select(InboundUpdate.wa_id, func.max(InboundUpdate.id), theirs)
        .where(col(InboundUpdate.wa_id).in_(wa_ids), col(InboundUpdate.kind).in_(MESSAGE_KINDS))
        .group_by(InboundUpdate.wa_id)
    ).all()
    wanted = {i for _, last, own in found for i in (last, own) if i is not None}
    rows = {
        r.id: r
        for r in session.exec(select(InboundUpdate).where(col(InboundUpdate.id).in_(wanted)))
    }
    return {wa_id: (rows[last], rows.get(own)) for wa_id, last, own in found if wa_id is not None}


def _last_outbound(session: Session, wa_ids: list[str]) -> dict[str, OutboxMessage]:
    last = (
        select(func.max(OutboxMessage.id))
        .where(col(OutboxMessage.wa_id).in_(wa_ids))
        .group_by(OutboxMessage.wa_id)
    )
    rows = session.exec(select(OutboxMessage).where(col(OutboxMessage.id).in_(last)))
    return {row.wa_id: row for row in rows}


def _last_staff_reply(session: Session, wa_ids: list[str]) -> dict[str, datetime]:
    found = session.exec(
        select(OutboxMessage.wa_id, func.max(OutboxMessage.created_at))
        .join(StaffReply, col(StaffReply.outbox_id) == col(OutboxMessage.id))
        .where(col(OutboxMessage.wa_id).in_(wa_ids))
        .group_by(OutboxMessage.wa_id)
    )
    return {wa_id: as_utc(at) for wa_id, at in found}


def _listed(search: str) -> Any:
    """The customers the list shows, in the order it reads them: paused ones first, then by
    their last message; only those matching ``search`` (:meth:`Contact.matching`) if any."""
    query = select(Contact)
    if search.strip():
        query = query.where(Contact.matching(search))
    return query.order_by(
        col(Contact.paused).desc(),
        col(Contact.last_inbound_at).desc().nulls_last(),
        col(Contact.id),
    )


def threads(
    session: Session, now: datetime, *, search: str = "", limit: int = LIST_LIMIT
) -> list[Thread]:
    """The conversation list: waiting for a person, then unread, then the others.

    Waiting customers come longest-waiting first, the others most recent first; a customer the
    bot is paused for waits from their last message until a staff reply or a Business-app
    echo. ``search`` keeps the customers whose name or number holds it
    (:meth:`~storage.models.Contact.matching`); ``limit`` bounds the customers read (the paused
    ones first, then by their last message; :func:`cut` tells whether some were left out).
    """
    contacts: list[Contact] = list(session.exec(_listed(search).limit(limit)))
    wa_ids = [contact.wa_id for contact in contacts]
    inbound = _last_inbound(session, wa_ids)
    outbound = _last_outbound(session, wa_ids)
    staff_at = _last_staff_reply(session, wa_ids)
    states = {
        t.wa_id: t
        for t in session.exec(select(InboxThread).where(col(InboxThread.wa_id).in_(wa_ids)))
    }
    flows = dict(
        session.exec(
            select(Conversation.wa_id, Conversation.flow).where(col(Conversation.wa_id).in_(wa_ids))
        ).all()
    )
    emails = staff_emails(session)
    listed = []
    for contact in contacts:
        last_in, theirs = inbound.get(contact.wa_id, (None, None))
        out = outbound.get(contact.wa_id)
        in_at = as_utc(last_in.received_at) if last_in else None
        out_at = as_utc(out.created_at) if out else None
        preview, last_at = "", in_at
        if out is not None and out_at is not None and (in_at is None or out_at >= in_at):
            preview, last_at = _preview(messages.describe(out.payload), ""), out_at
        elif last_in is not None and (message := _parsed(last_in)) is not None:
            preview = _preview(_text(message), _label(message))
        their_at = as_utc(theirs.received_at) if theirs else None
        answers = [staff_at.get(contact.wa_id)]
        if last_in is not None and last_in is not theirs:
            answers.append(in_at)  # a Business-app echo after their last message
        paused = contact.bot_paused(now)
        waiting = (
            paused and their_at is not None and all(a is None or a < their_at for a in answers)
        )
        state = states.get(contact.wa_id)
        read_up_to = state.read_up_to if state else 0
        listed.append(
            Thread(
                contact=contact,
                assignee=emails.get(state.assignee_id or 0) if state else None,
                paused=paused,
                unread=theirs is not None and (theirs.id or 0) > read_up_to,
                last_at=last_at,
                preview=preview,
                waiting_since=their_at if waiting else None,
                flow=flows.get(contact.wa_id),
            )
        )
    return sorted(listed, key=_rank)


def cut(session: Session, *, search: str = "", limit: int = LIST_LIMIT) -> bool:
    """Whether more than ``limit`` customers match ``search``: :func:`threads` left some out."""
    return session.exec(_listed(search).offset(limit).limit(1)).first() is not None


def _rank(thread: Thread) -> tuple[int, float]:
    """Waiting for a person (longest first), then unread, then the rest (latest first)."""
    if thread.waiting_since is not None:
        return 0, thread.waiting_since.timestamp()
    last = -thread.last_at.timestamp() if thread.last_at else 0.0
    return (1 if thread.unread else 2), last


def _ticks(session: Session, rows: Sequence[OutboxMessage]) -> dict[str, MessageStatus]:
    wamids = [row.wamid for row in rows if row.wamid]
    found = session.exec(select(MessageStatus).where(col(MessageStatus.wamid).in_(wamids)))
    return {status.wamid: status for status in found}


def _outbound(row: OutboxMessage, status: MessageStatus | None, author: str | None) -> Entry:
    if row.state in ("failed", "suppressed", "held"):
        tick, error = row.state, row.last_error
    elif status is not None:
        tick = status.status if status.status != "played" else "read"
        titles = [e.get("title") or e.get("message") for e in status.errors if isinstance(e, dict)]
        error = "; ".join(str(t) for t in titles if t) or None
    else:
        tick, error = ("sent" if row.state == "sent" else "queued"), None
    return Entry(
        at=as_utc(row.created_at),
        side="staff" if author is not None else "bot",
        text=messages.describe(row.payload),
        author=author,
        tick=tick,
        error=error,
    )


def _inbound(row: InboundUpdate) -> Entry | None:
    message = _parsed(row)
    if message is None:
        return None
    media = message if isinstance(message, MediaMessage) else None
    return Entry(
        at=as_utc(row.received_at),
        side="owner" if row.kind == "echo" else "customer",
        text=_text(message),
        label=_label(message),
        media_id=media.media_id if media else None,
        media_type=media.type if media else None,
    )


def _newest(session: Session, query: Any, limit: int) -> list[Any]:
    return list(reversed(session.exec(query.limit(limit)).all()))


def transcript(
    session: Session, contact: Contact, now: datetime, *, limit: int = TRANSCRIPT_LIMIT
) -> Transcript:
    """``contact``'s conversation: the last ``limit`` messages each way and notes, oldest first."""
    wa_id = contact.wa_id
    inbound = _newest(
        session,
        select(InboundUpdate)
        .where(InboundUpdate.wa_id == wa_id, col(InboundUpdate.kind).in_(MESSAGE_KINDS))
        .order_by(col(InboundUpdate.id).desc()),
        limit,
    )
    sent = _newest(
        session,
        select(OutboxMessage)
        .where(OutboxMessage.wa_id == wa_id)
        .order_by(col(OutboxMessage.id).desc()),
        limit,
    )
    notes = _newest(
        session,
        select(InboxNote).where(InboxNote.wa_id == wa_id).order_by(col(InboxNote.id).desc()),
        limit,
    )
    emails = staff_emails(session)
    ids = [row.id for row in sent]
    authors = {
        reply.outbox_id: emails.get(reply.staff_id, "former staff")
        for reply in session.exec(select(StaffReply).where(col(StaffReply.outbox_id).in_(ids)))
    }
    statuses = _ticks(session, sent)
    entries = [entry for row in inbound if (entry := _inbound(row)) is not None]
    entries += [
        _outbound(row, statuses.get(row.wamid or ""), authors.get(row.id or 0)) for row in sent
    ]
    entries += [
        Entry(as_utc(n.at), "note", n.body, author=emails.get(n.staff_id, "former staff"))
        for n in notes
    ]
    entries.sort(key=lambda entry: entry.at)
    conversation = session.exec(select(Conversation).where(Conversation.wa_id == wa_id)).first()
    state = session.exec(select(InboxThread).where(InboxThread.wa_id == wa_id)).first()
    until = contact.paused_until
    return Transcript(
        contact=contact,
        entries=entries,
        flow=conversation.flow if conversation else None,
        state=conversation.state if conversation else None,
        paused=contact.bot_paused(now),
        paused_until=as_utc(until) if until is not None and as_utc(until) > now else None,
        window_open=outreach.window_open(session, wa_id, now),
        assignee=emails.get(state.assignee_id or 0) if state else None,
    )


def mark_read(session: Session, contact: Contact) -> None:
    """Record that staff saw every message ``contact`` sent so far."""
    last = session.exec(
        select(func.max(InboundUpdate.id)).where(
            InboundUpdate.wa_id == contact.wa_id, InboundUpdate.kind == "message"
        )
    ).one()
    thread = _thread(session, contact.wa_id)
    if last is not None and last > thread.read_up_to:
        thread.read_up_to = last
        session.add(thread)


def has_media(session: Session, contact: Contact, media_id: str) -> bool:
    """Whether ``media_id`` is the media of one of ``contact``'s stored messages (or echoes)."""
    rows = session.exec(
        select(InboundUpdate)
        .where(InboundUpdate.wa_id == contact.wa_id, col(InboundUpdate.kind).in_(MESSAGE_KINDS))
        .order_by(col(InboundUpdate.id).desc())
    )
    return any(
        isinstance(message := _parsed(row), MediaMessage) and message.media_id == media_id
        for row in rows
    )


def _target(contact: Contact) -> str:
    return f"contact #{contact.id}"


def _take(session: Session, contact: Contact, staff: StaffUser, now: datetime) -> InboxThread:
    """Give the conversation to ``staff`` and pause the bot; a ``claimed`` event records it."""
    thread = _thread(session, contact.wa_id)
    thread.assignee_id = staff.id
    session.add(thread)
    if not contact.paused:
        contact.paused = True
        session.add(contact)
    record_event(session, contact.wa_id, "claimed", now, staff_id=staff.id)
    return thread


def claim(
    session: Session,
    contact: Contact,
    actor: StaffUser,
    now: datetime,
    *,
    assignee: StaffUser | None = None,
) -> None:
    """Give ``contact``'s conversation to ``assignee`` (``actor`` by default); the bot pauses.

    Raises:
        InboxError: They already have it.
    """
    to = assignee or actor
    current = session.exec(select(InboxThread).where(InboxThread.wa_id == contact.wa_id)).first()
    if current is not None and current.assignee_id == to.id:
        who = "You already have" if to is actor else f"{to.email} already has"
        raise InboxError(f"{who} this conversation.")
    _take(session, contact, to, now)
    action = "inbox.claim" if to is actor else "inbox.assign"
    audit(session, actor, action, _target(contact), {"assignee": to.email})


def release_to_bot(
    session: Session, config: BusinessConfig, contact: Contact, actor: StaffUser, now: datetime
) -> bool:
    """Give ``contact`` back to the bot, telling them ``handoff.release_text``; nobody has it now.

    Returns:
        Whether the customer was told (``False``: their 24-hour window is closed).

    Raises:
        InboxError: The bot is not paused for them.
    """
    if not contact.bot_paused(now):
        raise InboxError("The bot is not paused for this customer: there is nothing to release.")
    text = config.handoff.release_text
    told = release(session, contact.wa_id, now, text=text, staff_id=actor.id, config=config)
    audit(session, actor, "inbox.release", _target(contact), {"told": told})
    return told


def _unassign(session: Session, contact: Contact) -> None:
    thread = _thread(session, contact.wa_id)
    thread.assignee_id = None
    session.add(thread)


def pause(session: Session, contact: Contact, actor: StaffUser, now: datetime) -> None:
    """Keep the bot quiet for ``contact`` until someone resumes or releases it.

    Raises:
        InboxError: It is already paused.
    """
    if contact.paused:
        raise InboxError("The bot is already paused for this customer.")
    contact.paused = True
    session.add(contact)
    audit(session, actor, "inbox.pause", _target(contact))


def resume(session: Session, contact: Contact, actor: StaffUser, now: datetime) -> None:
    """Let the bot answer ``contact`` again, without telling them (:func:`release_to_bot` does).

    Raises:
        InboxError: The bot is not paused for them.
    """
    if not contact.bot_paused(now):
        raise InboxError("The bot is not paused for this customer.")
    contact.paused, contact.paused_until = False, None
    session.add(contact)
    record_event(session, contact.wa_id, "released", now, staff_id=actor.id)
    _unassign(session, contact)
    audit(session, actor, "inbox.resume", _target(contact))


def add_note(
    session: Session, contact: Contact, actor: StaffUser, body: str, now: datetime
) -> InboxNote:
    """Add an internal note (never sent) to ``contact``'s conversation.

    Raises:
        InboxError: The note is empty or longer than :data:`MAX_NOTE` characters.
    """
    body = body.strip()
    if not body or len(body) > MAX_NOTE:
        raise InboxError(f"A note has 1 to {MAX_NOTE} characters.")
    assert actor.id is not None
    note = InboxNote(wa_id=contact.wa_id, staff_id=actor.id, at=now, body=body)
    session.add(note)
    audit(session, actor, "inbox.note", _target(contact))
    return note


def _reply_payload(
    session: Session,
    config: BusinessConfig,
    wa_id: str,
    now: datetime,
    text: str,
    template: str,
    values: Iterable[str],
) -> tuple[dict[str, Any], outbox.Category | None]:
    """The message to send and its category.

    ``text`` (a reply, no category) inside the 24-hour window, else the approved ``template``
    with its own category.
    """
    try:
        if text.strip():
            if not outreach.window_open(session, wa_id, now):
                raise InboxError(
                    "The customer's 24-hour window is closed: send one of the approved templates."
                )
            return messages.text(wa_id, text.strip()), None
        ref = next((ref for ref in templates(config) if ref.name == template), None)
        if ref is None:
            raise InboxError("Write a reply, or choose an approved template.")
        params = [value.strip() for value in values]
        if len(params) != len(ref.params) or not all(params):
            raise InboxError(f"Fill in every parameter of the template {ref.name}.")
        components = [messages.body_params(*params)] if params else None
        return messages.template(wa_id, ref.name, ref.language, components), ref.category
    except LimitError as exc:
        raise InboxError(f"WhatsApp would refuse this reply: {exc}") from exc


def send_reply(
    session: Session,
    config: BusinessConfig,
    contact: Contact,
    actor: StaffUser,
    now: datetime,
    *,
    text: str = "",
    template: str = "",
    values: Iterable[str] = (),
) -> OutboxMessage:
    """Queue a staff reply to ``contact`` in the outbox; taking the conversation if nobody has it.

    ``text`` is sent while the customer's 24-hour window is open; otherwise (and with no text)
    the declared approved ``template`` with its body ``values`` in order.

    Raises:
        InboxError: The window is closed and no template was chosen, the template's values are
            missing, or WhatsApp's limits refuse the message.
    """
    assert actor.id is not None
    payload, category = _reply_payload(session, config, contact.wa_id, now, text, template, values)
    (row,) = outbox.enqueue(session, contact.wa_id, [payload], now=now, category=category)
    session.flush()
    assert row.id is not None
    session.add(StaffReply(outbox_id=row.id, staff_id=actor.id))
    thread = session.exec(select(InboxThread).where(InboxThread.wa_id == contact.wa_id)).first()
    if thread is None or thread.assignee_id is None or not contact.bot_paused(now):
        _take(session, contact, actor, now)  # the bot never talks over a person
    audit(session, actor, "inbox.reply", _target(contact), {"type": payload["type"]})
    return row


def saved_replies(session: Session) -> list[SavedReply]:
    """The saved replies, by title."""
    return list(session.exec(select(SavedReply).order_by(SavedReply.title, col(SavedReply.id))))


def save_reply(session: Session, actor: StaffUser, title: str, body: str) -> SavedReply:
    """Save a reply for staff to insert into the reply box.

    Raises:
        InboxError: The title or the text is empty or too long.
    """
    title, body = title.strip(), body.strip()
    if not title or len(title) > MAX_SAVED_TITLE:
        raise InboxError(f"A saved reply's title has 1 to {MAX_SAVED_TITLE} characters.")
    if not body or len(body) > messages.MAX_TEXT:
        raise InboxError(f"A saved reply has 1 to {messages.MAX_TEXT} characters.")
    reply = SavedReply(title=title, body=body)
    session.add(reply)
    audit(session, actor, "inbox.saved_reply.add", title)
    return reply


def delete_saved_reply(session: Session, actor: StaffUser, reply_id: int) -> None:
    """Delete a saved reply.

    Raises:
        InboxError: There is no such saved reply.
    """
    reply = session.get(SavedReply, reply_id)
    if reply is None:
        raise InboxError("That saved reply no longer exists.")
    session.delete(reply)
    audit(session, actor, "inbox.saved_reply.delete", reply.title)


__all__ = [
    "LIST_LIMIT",
    "MAX_NOTE",
    "MAX_SAVED_TITLE",
    "MESSAGE_KINDS",
    "STAFF_ONLY_TEMPLATES",
    "TRANSCRIPT_LIMIT",
    "Entry",
    "InboxError",
    "Thread",
    "Transcript",
    "add_note",
    "claim",
    "cut",
    "delete_saved_reply",
    "digest",
    "has_media",
    "mark_read",
    "pause",
    "release_to_bot",
    "resume",
    "save_reply",
    "saved_replies",
    "send_reply",
    "staff_emails",
    "templates",
    "threads",
    "transcript",
]
