"""The owners' privacy pages: the customers' requests, and a customer's export and erasure.

``/console/privacy`` lists the export requests waiting for the owners and the erasures
scheduled. On a customer's page (``/console/customers/<id>``), an owner downloads everything
stored about them as JSON (``POST …/export``, which answers their export requests) or erases
them after typing their number on ``…/erase``. Every action is in the audit log, which names the
contact by id, never by number. Agents are refused. With ``privacy.public_url``, the link
sent to a customer who asked for their data (``/privacy/data/<token>``) serves it without a
login for an hour, and for ten minutes at most once it was first opened; the bot's request log
(werkzeug's, under ``waflow run -v``) shows it without its token.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.config import mask
from flows.features._feature import WebContext
from flows.features.business import BusinessConfig
from flows.features.business.timestamps import as_utc
from flows.features.console import audit
from flows.features.console.web import (
    acting_staff,
    console_blueprint,
    error_page,
    owner_only,
    render,
)
from flows.features.privacy.chat import EXPORT_FILE, LINK_AFTER_FETCH, LINK_PATH
from flows.features.privacy.models import PrivacyRequest
from flows.features.privacy.privacy import answer_export, by_link, erase_customer, export_customer
from storage.db import read_session, transaction
from storage.models import Contact, utcnow

log = logging.getLogger(__name__)

_PUNCTUATION = re.compile(r"[\s()+.\-]")
_TOKEN = re.compile(rf"({re.escape(LINK_PATH)})[^\s\"?#]+")


class _HideLinkTokens(logging.Filter):
    """Shows an export link's path without its token in a log line (werkzeug's request log)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if LINK_PATH in message:
            record.msg, record.args = _TOKEN.sub(r"\1…", message), None
        return True


def _hide_link_tokens(logger: logging.Logger) -> None:
    """Make ``logger`` show export links without their token (once, however often called)."""
    if not any(isinstance(f, _HideLinkTokens) for f in logger.filters):
        logger.addFilter(_HideLinkTokens())


def _open_requests(session: Session) -> list[tuple[PrivacyRequest, Contact | None]]:
    """Export requests waiting for the owners and erasures not done yet, oldest first."""
    query = (
        select(PrivacyRequest, Contact)
        .join(Contact, col(Contact.wa_id) == col(PrivacyRequest.wa_id), isouter=True)
        .where(PrivacyRequest.state == "pending")
        .order_by(col(PrivacyRequest.id))
        .limit(500)
    )
    return [(req, contact) for req, contact in session.exec(query)]


def _json_download(document: dict[str, object], filename: str) -> Response:
    body = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def privacy_blueprint(
    engine: Engine,
    business: BusinessConfig,
    *,
    environ: Mapping[str, str] | None = None,
    after_commit: Callable[[], None] | None = None,
) -> Blueprint:
    """The export links sent to customers (``GET /privacy/data/<token>``; the feature's
    ``blueprint_factory``): the customer's data as JSON while the link works, else a 404.

    The first fetch leaves the link :data:`~flows.features.privacy.chat.LINK_AFTER_FETCH`
    (within its hour); the development server's request log shows it without its token."""
    links = Blueprint("waflow_privacy", __name__)
    _hide_link_tokens(logging.getLogger("werkzeug"))

    @links.get(f"{LINK_PATH}<token>")
    def data(token: str) -> ResponseReturnValue:
        now = utcnow()
        with transaction(engine) as session:
            request = by_link(session, token, now)
            if request is None:
                return Response("This link does not work (any more).\n", 404, mimetype="text/plain")
            document = export_customer(session, request.wa_id, now, business)
            if request.state != "done":
                request.state, request.done_at = "done", now
            if request.link_expires_at is not None:  # always: by_link found it unexpired
                expires = min(as_utc(request.link_expires_at), now + LINK_AFTER_FETCH)
                request.link_expires_at = expires
            session.add(request)
            log.info("%s opened the link to their data", mask(request.wa_id))
        return _json_download(document, EXPORT_FILE)

    return links


def privacy_pages(ctx: WebContext) -> Blueprint:
    """The requests page and a customer's export and erasure (the feature's ``console_factory``)."""
    engine, business = ctx.engine, ctx.business
    pages = console_blueprint("waflow_privacy_console", __name__)

    @pages.get("/privacy")
    @owner_only
    def requests() -> ResponseReturnValue:
        with read_session(engine) as session:
            found = _open_requests(session)
        return render("privacy/requests.html", found=found, business=business)

    @pages.post("/customers/<int:contact_id>/export")
    @owner_only
    def export(contact_id: int) -> ResponseReturnValue:
        with transaction(engine) as session:
            contact = session.get(Contact, contact_id)
            if contact is None:
                return error_page("No such customer", 404)
            document = answer_export(session, contact.wa_id, utcnow(), business)
            audit(session, acting_staff(session), "customer.export", f"contact #{contact_id}")
        return _json_download(document, f"customer-{contact_id}-data.json")

    @pages.get("/customers/<int:contact_id>/erase")
    @owner_only
    def erase_page(contact_id: int) -> ResponseReturnValue:
        with read_session(engine) as session:
            contact = session.get(Contact, contact_id)
        if contact is None:
            return error_page("No such customer", 404)
        return render("privacy/erase.html", contact=contact)

    @pages.post("/customers/<int:contact_id>/erase")
    @owner_only
    def erase(contact_id: int) -> ResponseReturnValue:
        typed = _PUNCTUATION.sub("", request.form.get("number", "")[:64])
        with transaction(engine) as session:
            contact = session.get(Contact, contact_id)
            if contact is None:
                return error_page("No such customer", 404)
            if typed != contact.wa_id:
                flash("Type the customer's number exactly to erase their data.", "error")
                return render("privacy/erase.html", contact=contact), 400
            erasure = erase_customer(session, contact.wa_id, utcnow(), business)
            detail = {"pseudonym": erasure.pseudonym}
            audit(
                session, acting_staff(session), "customer.erase", f"contact #{contact_id}", detail
            )
        flash(
            f"The customer's data was erased; their orders and bookings now read "
            f"{erasure.pseudonym}.",
            "info",
        )
        return redirect(url_for("waflow_customers_console.customers"), 303)

    return pages


__all__ = ["privacy_blueprint", "privacy_pages"]
