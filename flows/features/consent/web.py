"""The console's consent form (owners only): opt a customer out of marketing, or back in.

The customer's page (``/console/customers/<id>``, the customers feature) shows the form in its
consent part; it posts to ``/console/customers/<id>/consent`` here, with ``opted`` (``out`` or
``in``) and an optional ``note``. The change is
:func:`~flows.features.consent.staff.set_by_staff`'s: ledger source ``staff``, audited in the same
transaction. Then the page is shown again with what happened, or a 400 that changes nothing.
"""

from __future__ import annotations

import logging

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from bot.config import mask
from flows.features._feature import WebContext
from flows.features.consent.models import Opted
from flows.features.consent.staff import ConsentError, clean_note, set_by_staff
from flows.features.console.web import acting_staff, console_blueprint, error_page, owner_only
from storage.db import transaction
from storage.models import Contact, utcnow

log = logging.getLogger(__name__)

_CHOICES: dict[str, Opted] = {"out": "out", "in": "in"}
_DONE = {"out": "will get no more marketing messages", "in": "may get marketing messages again"}
_ALREADY = {"out": "had already opted out", "in": "was already opted in"}


def consent_pages(ctx: WebContext) -> Blueprint:
    """The consent form's route (the feature's ``console_factory``)."""
    engine = ctx.engine
    pages = console_blueprint("waflow_consent_console", __name__)

    @pages.post("/customers/<int:contact_id>/consent")
    @owner_only
    def set_consent(contact_id: int) -> ResponseReturnValue:
        opted = _CHOICES.get(request.form.get("opted", ""))
        if opted is None:
            return error_page("Nothing changed", 400, "Choose to opt the customer out or in.")
        try:
            note = clean_note(request.form.get("note"))
        except ConsentError as exc:
            return error_page("Nothing changed", 400, str(exc).capitalize() + ".")
        with transaction(engine) as session:
            contact = session.get(Contact, contact_id)
            if contact is None:
                return error_page("No such customer", 404)
            staff = acting_staff(session)
            event = set_by_staff(session, contact, opted, utcnow(), staff=staff, note=note)
            who = contact.name or "This customer"
            if event is not None:
                log.info("%s opted %s of marketing by staff", mask(contact.wa_id), opted)
        if event is None:
            flash(f"{who} {_ALREADY[opted]}: nothing changed.", "info")
        else:
            flash(f"{who} {_DONE[opted]}.", "info")
        return redirect(url_for("waflow_customers_console.customer", contact_id=contact_id), 303)

    return pages


__all__ = ["consent_pages"]
