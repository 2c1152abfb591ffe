"""Marketing consent (:class:`ConsentFeature`): the ledger, and how choices reach it.

The modules are ``models`` (the :class:`ConsentEvent` ledger: :func:`record`, ``change``,
:func:`history`), ``consent`` (the keywords, answered from any state; the ``consent`` section of
the business file; the listener recording Meta's ``user_preferences`` changes), ``staff`` (a
choice staff record for a customer, audited), ``imports`` (a CSV file of choices from another
system), ``cli`` (``waflow consent``) and ``web`` (the customer page's consent form). Importing
the package registers the table and the section's reader.
"""

from __future__ import annotations

from flows.features._feature import Feature
from flows.features.business import on_section, settings_reader
from flows.features.consent.consent import (
    START_WORDS,
    STOP_WORDS,
    ConsentKeywords,
    ConsentSettings,
    fold,
)
from flows.features.consent.models import ConsentEvent, history, record

on_section("consent", settings_reader(ConsentSettings))


class ConsentFeature(Feature):
    """Who may be sent marketing: keywords from any state, Meta's stops, staff, imports, one
    ledger; ``waflow consent``."""

    name = "consent"
    personal_data = "flows.features.consent.personal:consent_data"
    handler_wrapper = "flows.features.consent.consent:consent_keywords"
    update_listener = "flows.features.consent.consent:preference_listener"
    command_group = "flows.features.consent.cli:consent"
    console_factory = "flows.features.consent.web:consent_pages"


__all__ = [
    "START_WORDS",
    "STOP_WORDS",
    "ConsentEvent",
    "ConsentFeature",
    "ConsentKeywords",
    "ConsentSettings",
    "fold",
    "history",
    "record",
]
