"""The console's Broadcasts page (owners only): the broadcasts with their reports, a new one.

``/console/broadcasts`` lists every broadcast with its report and offers the form for a new one:
a template declared in ``broadcasts.templates``, its parameters, the segment (tags, opted in,
bought, booked, active in N days, click-to-WhatsApp ad), then *Preview* (a draft, shown with its
audience count and a sample), *Send now* or *Schedule*. ``/console/broadcasts/<id>`` shows one:
report, preview, and the buttons to start, schedule or cancel it. The running bot sends what is
started or due (its periodic task); every change is audited.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from flows.features._feature import WebContext
from flows.features.broadcasts.broadcasts import (
    BroadcastError,
    cancel,
    create,
    find,
    listing,
    preview,
    sample_text,
    schedule,
)
from flows.features.broadcasts.report import report
from flows.features.broadcasts.segments import Segment
from flows.features.broadcasts.settings import broadcast_settings
from flows.features.console.accounts import audit
from flows.features.console.forms import FormError, parse_moment
from flows.features.console.web import (
    acting_staff,
    console_blueprint,
    current_staff,
    error_page,
    owner_only,
    render,
)
from flows.features.customers.tags import all_tags
from storage.db import read_session, transaction
from storage.models import utcnow


def _days(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 5:  # ² is a digit to isdigit
        raise BroadcastError(f"active days must be a whole number of days, got {text[:20]!r}")
    return int(text)


def _segment(form: MultiDict[str, str]) -> Segment:
    tags = tuple(t for t in form.get("tags", "")[:500].replace(",", " ").split() if t)
    return Segment(
        tags=tags,
        opted_in=form.get("opted_in") == "on",
        bought=form.get("bought", "").strip()[:64] or None,
        booked=form.get("booked", "").strip()[:64] or None,
        active_days=_days(form.get("active_days", "")),
        ad=form.get("ad", "").strip()[:200] or None,
    )


def _moment(text: str, ctx: WebContext, now: datetime) -> datetime:
    if not text.strip():
        raise BroadcastError("pick a date and time to schedule it")
    try:
        return parse_moment(text, ctx.business.tz, now)
    except FormError as exc:
        raise BroadcastError(f"pick a date and time to schedule it: {exc}") from None


def broadcast_pages(ctx: WebContext) -> Blueprint:
    """The Broadcasts page (the feature's ``console_factory``)."""
    engine, business = ctx.engine, ctx.business
    pages = console_blueprint("waflow_broadcasts_console", __name__)

    def list_page(
        form: MultiDict[str, str] | None = None, status: int = 200
    ) -> ResponseReturnValue:
        settings = broadcast_settings(business)
        with read_session(engine) as session:
            rows = [(b, report(session, b, settings.reply_window)) for b in listing(session)]
            tags = all_tags(session)
        html = render(
            "broadcasts/list.html",
            rows=rows,
            templates=settings.templates,
            param_names=list(dict.fromkeys(p for t in settings.templates for p in t.params)),
            tags=tags,
            form=form or MultiDict(),
            business=business,
            settings=settings,
            describe=lambda b: Segment.from_json(b.segment).describe(),
        )
        return html, status

    @pages.get("/broadcasts")
    @owner_only
    def broadcasts() -> ResponseReturnValue:
        return list_page()

    @pages.post("/broadcasts")
    @owner_only
    def new_broadcast() -> ResponseReturnValue:
        form, now = request.form, utcnow()
        action = form.get("action", "preview")
        if action not in ("preview", "now", "schedule"):
            return error_page("Unknown action", 400)
        template = form.get("template", "")[:512]
        ref = broadcast_settings(business).template(template)
        params = {p: form.get(f"param_{p}", "")[:2000] for p in (ref.params if ref else ())}
        try:
            with transaction(engine) as session:
                made = create(
                    session,
                    business,
                    title=form.get("title", "")[:300],
                    template=template,
                    params=params,
                    segment=_segment(form),
                    created_by=current_staff().email,
                    now=now,
                )
                if action != "preview":
                    at = _moment(form.get("at", ""), ctx, now) if action == "schedule" else now
                    schedule(session, made, at, now)
                audit(
                    session, acting_staff(session), f"broadcast_{action}", f"broadcast #{made.id}"
                )
        except BroadcastError as exc:
            flash(f"{str(exc)[:1].upper()}{str(exc)[1:]}.", "error")
            return list_page(form, 400)
        flash(_done(action, made.id or 0), "ok")
        return redirect(url_for(".broadcast", broadcast_id=made.id)), 303

    @pages.get("/broadcasts/<int:broadcast_id>")
    @owner_only
    def broadcast(broadcast_id: int) -> ResponseReturnValue:
        settings, now = broadcast_settings(business), utcnow()
        with read_session(engine) as session:
            try:
                found = find(session, broadcast_id)
            except BroadcastError:
                return error_page("No such broadcast", 404)
            seen = preview(session, business, found, now)
            result = report(session, found, settings.reply_window)
        sample = sample_text(seen.sample) if seen.sample is not None else None
        return render(
            "broadcasts/broadcast.html",
            broadcast=found,
            seen=seen,
            sample=sample,
            result=result,
            segment=Segment.from_json(found.segment).describe(),
            business=business,
        )

    @pages.post("/broadcasts/<int:broadcast_id>/<any(start, cancel):action>")
    @owner_only
    def change(broadcast_id: int, action: str) -> ResponseReturnValue:
        now = utcnow()
        try:
            with transaction(engine) as session:
                found = find(session, broadcast_id, lock=True)
                if action == "cancel":
                    cancel(session, found, now)
                else:
                    at = request.form.get("at", "")
                    schedule(session, found, _moment(at, ctx, now) if at else now, now)
                audit(
                    session,
                    acting_staff(session),
                    f"broadcast_{action}",
                    f"broadcast #{broadcast_id}",
                )
        except BroadcastError as exc:
            if str(exc).startswith("no broadcast"):
                return error_page("No such broadcast", 404)
            flash(f"{str(exc)[:1].upper()}{str(exc)[1:]}.", "error")
            return redirect(url_for(".broadcast", broadcast_id=broadcast_id)), 303
        flash(
            f"Broadcast #{broadcast_id} {'cancelled' if action == 'cancel' else 'scheduled'}.", "ok"
        )
        return redirect(url_for(".broadcast", broadcast_id=broadcast_id)), 303

    return pages


def _done(action: str, broadcast_id: int) -> str:
    if action == "preview":
        return f"Broadcast #{broadcast_id} saved as a draft: check its audience, then send it."
    if action == "now":
        return f"Broadcast #{broadcast_id} starts within a minute."
    return f"Broadcast #{broadcast_id} scheduled."


__all__ = ["broadcast_pages"]
