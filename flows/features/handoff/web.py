"""The console inbox's pages: the conversation list, a transcript, replies and staff actions.

The pages are rendered on the server and work without JavaScript; ``static/inbox.js`` polls a
small JSON answer (a fingerprint of what the page shows) every few seconds and, when it
changed, fetches the page again and swaps the live part in. Polling, not server-sent events:
a long-lived stream would hold one of a small deployment's few WSGI workers per open tab.
Customers' media are served through :func:`media`, which checks that the media id belongs to
the customer's stored messages and downloads it from the Cloud API outside any transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from flask import Blueprint, Response, abort, flash, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from sqlmodel import Session

from bot.client import CloudClient, RetryPolicy
from bot.config import mask
from bot.errors import WaflowError
from flows.features._feature import WebContext
from flows.features.console import StaffUser
from flows.features.console.forms import parse_id
from flows.features.console.web import (
    acting_staff,
    console_blueprint,
    error_page,
    owner_only,
    render,
)
from flows.features.handoff import inbox
from flows.features.handoff.handoff import HandoffError
from flows.features.handoff.models import SavedReply
from storage.db import read_session, transaction
from storage.models import Contact, utcnow

log = logging.getLogger(__name__)

POLL_SECONDS = 4
"""How often an open inbox page asks whether it changed."""
MAX_SEARCH = 100
"""The longest search the inbox list reads (a name or a number is far shorter)."""
_INLINE_MEDIA = ("image/jpeg", "image/png", "image/webp", "audio/", "video/")


def _contact(session: Session, contact_id: int) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None:
        abort(404)
    return contact


def _search() -> str:
    """The list's search (``?q=``), at most :data:`MAX_SEARCH` characters."""
    return request.args.get("q", "").strip()[:MAX_SEARCH]


def _list_stamp(threads: list[inbox.Thread], now: datetime) -> str:
    """The list's fingerprint; it changes each minute too, to update the waiting times."""
    return inbox.digest((threads, int(now.timestamp() // 60)))


def inbox_pages(ctx: WebContext) -> Blueprint:
    """The inbox's console blueprint (the handoff feature's ``console_factory``)."""
    blueprint = console_blueprint("waflow_handoff_console", __name__)
    business = ctx.business
    engine = ctx.engine

    def when(moment: datetime | None) -> str:
        return "" if moment is None else f"{business.local(moment):%d %b %H:%M}"

    def back(contact_id: int) -> ResponseReturnValue:
        return redirect(url_for(".conversation", contact_id=contact_id)), 303

    def act(
        contact_id: int, change: Callable[[Session, Contact, StaffUser, datetime], str]
    ) -> ResponseReturnValue:
        """Run one staff action; its message or the refusal is flashed."""
        try:
            with transaction(engine) as session:
                done = change(
                    session, _contact(session, contact_id), acting_staff(session), utcnow()
                )
        except HandoffError as exc:
            flash(str(exc), "error")
        else:
            flash(done, "info")
            ctx.wake()
        return back(contact_id)

    @blueprint.get("/inbox")
    def conversations() -> ResponseReturnValue:
        """The conversation list; ``?q=`` keeps the customers whose name or number holds it."""
        now, search = utcnow(), _search()
        with read_session(engine) as session:
            threads = inbox.threads(session, now, search=search)
            cut = inbox.cut(session, search=search)
        return render(
            "handoff/inbox.html",
            threads=threads,
            cut=cut,
            limit=inbox.LIST_LIMIT,
            search=search,
            now=now,
            when=when,
            stamp=_list_stamp(threads, now),
            poll=url_for(".conversations_poll", q=search or None),
            poll_seconds=POLL_SECONDS,
        )

    @blueprint.get("/inbox/poll")
    def conversations_poll() -> ResponseReturnValue:
        """The list's fingerprint and how many customers wait for a person."""
        now = utcnow()
        with read_session(engine) as session:
            threads = inbox.threads(session, now, search=_search())
        waiting = sum(1 for t in threads if t.paused and t.waiting_since is not None)
        return jsonify(stamp=_list_stamp(threads, now), waiting=waiting)

    @blueprint.get("/inbox/<int:contact_id>")
    def conversation(contact_id: int) -> ResponseReturnValue:
        """A customer's transcript, with the reply box and the actions; marks it read, unless
        another site's link opened it (a page elsewhere must not mark a waiting customer read)."""
        now = utcnow()
        with transaction(engine) as session:
            contact = _contact(session, contact_id)
            if request.headers.get("Sec-Fetch-Site") != "cross-site":
                inbox.mark_read(session, contact)
            view = inbox.transcript(session, contact, now)
            staff = inbox.staff_emails(session)
            saved = inbox.saved_replies(session)
        return render(
            "handoff/conversation.html",
            view=view,
            contact=view.contact,
            when=when,
            stamp=inbox.digest(view),
            poll=url_for(".conversation_poll", contact_id=contact_id),
            poll_seconds=POLL_SECONDS,
            staff_members=sorted(staff.items(), key=lambda item: item[1]),
            saved=saved,
            templates=inbox.templates(business),
        )

    @blueprint.get("/inbox/<int:contact_id>/poll")
    def conversation_poll(contact_id: int) -> ResponseReturnValue:
        """The transcript's fingerprint."""
        with read_session(engine) as session:
            view = inbox.transcript(session, _contact(session, contact_id), utcnow())
        return jsonify(stamp=inbox.digest(view))

    @blueprint.get("/inbox/<int:contact_id>/media/<media_id>")
    def media(contact_id: int, media_id: str) -> ResponseReturnValue:
        """A customer's media, downloaded from the Cloud API (never a link to Meta)."""
        with read_session(engine) as session:
            contact = _contact(session, contact_id)
            if not inbox.has_media(session, contact, media_id):
                abort(404)
        config = ctx.config
        if config is None or config.sandbox:
            abort(404)
        try:
            with CloudClient(config, retry=RetryPolicy(max_attempts=2)) as client:
                found = client.download_media(media_id)
        except WaflowError as exc:
            log.warning("media of %s not downloaded: %s", mask(contact.wa_id), exc)
            return error_page(
                "This file could not be downloaded",
                502,
                "WhatsApp did not give it; it may have expired. Try again later.",
            )
        inline = found.mime_type.startswith(_INLINE_MEDIA)
        disposition = "inline" if inline else "attachment"
        return Response(
            found.content,
            mimetype=found.mime_type if inline else "application/octet-stream",
            headers={"Content-Disposition": disposition},
        )

    @blueprint.post("/inbox/<int:contact_id>/reply")
    def reply(contact_id: int) -> ResponseReturnValue:
        """Send the reply box's text, a saved reply, or an approved template with its values."""
        form = request.form
        text = form.get("text", "")
        saved_id = form.get("saved", "")

        def send(session: Session, contact: Contact, actor: StaffUser, now: datetime) -> str:
            body = text
            if not body.strip() and saved_id:
                found = parse_id(saved_id)
                saved = session.get(SavedReply, found) if found is not None else None
                if saved is None:
                    raise inbox.InboxError("That saved reply no longer exists.")
                body = saved.body
            inbox.send_reply(
                session,
                business,
                contact,
                actor,
                now,
                text=body,
                template=form.get("template", ""),
                values=form.getlist("value"),
            )
            return "Reply queued."

        return act(contact_id, send)

    @blueprint.post("/inbox/<int:contact_id>/action")
    def action(contact_id: int) -> ResponseReturnValue:
        """Claim, assign, release, pause or resume (``action`` says which)."""
        form = request.form
        chosen = form.get("action", "")

        def change(session: Session, contact: Contact, actor: StaffUser, now: datetime) -> str:
            if chosen == "claim":
                inbox.claim(session, contact, actor, now)
                return "The conversation is yours; the bot is paused for this customer."
            if chosen == "assign":
                chosen_id = parse_id(form.get("assignee"))
                assignee = session.get(StaffUser, chosen_id) if chosen_id is not None else None
                if assignee is None:
                    raise inbox.InboxError("Choose a member of staff to assign it to.")
                inbox.claim(session, contact, actor, now, assignee=assignee)
                return f"Assigned to {assignee.email}."
            if chosen == "release":
                told = inbox.release_to_bot(session, business, contact, actor, now)
                note = "they were told" if told else "not told: their 24-hour window is closed"
                return f"The bot answers this customer again ({note})."
            if chosen == "pause":
                inbox.pause(session, contact, actor, now)
                return "The bot is paused for this customer."
            if chosen == "resume":
                inbox.resume(session, contact, actor, now)
                return "The bot answers this customer again."
            raise inbox.InboxError("Unknown action.")

        return act(contact_id, change)

    @blueprint.post("/inbox/<int:contact_id>/note")
    def note(contact_id: int) -> ResponseReturnValue:
        """Add an internal note."""
        body = request.form.get("note", "")

        def add(session: Session, contact: Contact, actor: StaffUser, now: datetime) -> str:
            inbox.add_note(session, contact, actor, body, now)
            return "Note added (only staff see it)."

        return act(contact_id, add)

    @blueprint.route("/inbox/saved", methods=["GET", "POST"])
    @owner_only
    def saved_replies() -> ResponseReturnValue:
        """The saved replies, with forms to add and delete them."""
        if request.method == "POST":
            form = request.form
            try:
                with transaction(engine) as session:
                    actor = acting_staff(session)
                    if form.get("action") == "delete":
                        chosen = parse_id(form.get("id")) or 0
                        inbox.delete_saved_reply(session, actor, chosen)
                        flash("Saved reply deleted.", "info")
                    else:
                        inbox.save_reply(
                            session, actor, form.get("title", ""), form.get("body", "")
                        )
                        flash("Reply saved.", "info")
            except HandoffError as exc:
                flash(str(exc), "error")
            return redirect(url_for(".saved_replies")), 303
        with read_session(engine) as session:
            replies = inbox.saved_replies(session)
        return render("handoff/saved.html", replies=replies, limit=inbox.MAX_SAVED_TITLE)

    return blueprint


__all__ = ["POLL_SECONDS", "inbox_pages"]
