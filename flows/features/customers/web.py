"""The console's customer pages (owners only): the list with a search, and one profile.

``/console/customers?q=…`` finds contacts by name or number; ``/console/customers/<id>`` shows
one: name, number, first seen, last messages, marketing consent, whether the bot is paused,
their orders (linking to the order pages), bookings and survey answers, a link to their
conversation in the inbox, their tags, which owners add and remove there
(``POST /console/customers/<id>/tags``, audited), and their data requests with the privacy
feature's export and erase buttons (the privacy feature's routes).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from flows.features._feature import WebContext
from flows.features.consent.models import SOURCE_LABELS
from flows.features.console.accounts import audit
from flows.features.console.forms import parse_id
from flows.features.console.web import (
    acting_staff,
    console_blueprint,
    current_staff,
    error_page,
    owner_only,
    render,
)
from flows.features.customers.profiles import find_contacts, profile
from flows.features.customers.tags import TagError, add_tag, clean_tag, remove_tag, tags_of
from flows.features.privacy.models import requests_of
from flows.features.shop.models import STATUS_LABELS
from storage.db import read_session, transaction
from storage.models import Contact, utcnow


def customer_pages(ctx: WebContext) -> Blueprint:
    """The customer list and profiles (the feature's ``console_factory``)."""
    engine, business = ctx.engine, ctx.business
    pages = console_blueprint("waflow_customers_console", __name__)

    @pages.get("/customers")
    @owner_only
    def customers() -> ResponseReturnValue:
        typed = request.args.get("q", "")[:100]
        number, status = parse_id(request.args.get("page", "1")), 200
        if number is None or number > 100_000:
            flash("The page must be a positive number.", "error")
            number, status = 1, 400
        with read_session(engine) as session:
            contacts, more = find_contacts(session, typed, number)
        newer = url_for(".customers", q=typed, page=number - 1) if number > 1 else None
        older = url_for(".customers", q=typed, page=number + 1) if more else None
        page_html = render(
            "customers/list.html",
            contacts=contacts,
            typed=typed,
            newer=newer,
            older=older,
            business=business,
            now=utcnow(),
        )
        return page_html, status

    @pages.get("/customers/<int:contact_id>")
    @owner_only
    def customer(contact_id: int) -> ResponseReturnValue:
        with read_session(engine) as session:
            found = profile(session, business, contact_id)
            tags = tags_of(session, found.contact.wa_id) if found else []
            asked = [] if found is None else requests_of(session, found.contact.wa_id)
        if found is None:
            return error_page("No such customer", 404)
        return render(
            "customers/profile.html",
            profile=found,
            tags=tags,
            privacy_requests=asked,
            business=business,
            statuses=STATUS_LABELS,
            sources=SOURCE_LABELS,
            now=utcnow(),
        )

    # -- tags ---------------------------------------------------------------------------------

    @pages.post("/customers/<int:contact_id>/tags")
    @owner_only
    def customer_tags(contact_id: int) -> ResponseReturnValue:
        action, typed = request.form.get("action", ""), request.form.get("tag", "")[:100]
        if action not in ("add", "remove"):
            return error_page("Unknown action", 400)
        with transaction(engine) as session:
            contact = session.get(Contact, contact_id)
            if contact is None:
                return error_page("No such customer", 404)
            try:
                if action == "add":
                    changed = add_tag(
                        session, contact.wa_id, typed, utcnow(), current_staff().email
                    )
                else:
                    changed = remove_tag(session, contact.wa_id, typed)
            except TagError as exc:
                flash(f"{exc}.", "error")
                return redirect(url_for(".customer", contact_id=contact_id) + "#tags"), 303
            if changed:
                audit(
                    session,
                    acting_staff(session),
                    f"tag_{action}",
                    f"contact #{contact_id}",
                    {"tag": clean_tag(typed)},
                )
        flash(f"Tag {clean_tag(typed)!r} {'added' if action == 'add' else 'removed'}.", "ok")
        return redirect(url_for(".customer", contact_id=contact_id) + "#tags"), 303

    return pages


__all__ = ["customer_pages"]
