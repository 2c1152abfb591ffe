"""Customers' data (:class:`PrivacyFeature`): export, erasure, retention, requests in the chat.

The modules are ``privacy`` (:func:`export_customer`, :func:`erase_customer`, :func:`purge`,
the ``privacy`` section of the business file), ``personal`` (the runtime's tables and the audit
log, which the feature answers for), ``models`` (the customers' requests, the purges done),
``chat`` (the "my data" and "delete my data" words, the periodic erasures and purge), ``cli``
(``waflow privacy``) and ``web`` (the owners' list of requests). Every feature declares its own
tables with its ``personal_data`` entry (see :class:`~flows.features._feature.PersonalData`).
Importing the package registers the tables and the section's reader.
"""

from __future__ import annotations

from flows.features._feature import ConsoleLink, Feature
from flows.features.business import on_section, settings_reader
from flows.features.privacy.models import PrivacyRequest, PurgeRun
from flows.features.privacy.privacy import (
    FORMAT,
    FORMAT_VERSION,
    Erasure,
    PrivacyError,
    PrivacySettings,
    covered_tables,
    erase_customer,
    export_customer,
    find_customer,
    purge,
)

on_section("privacy", settings_reader(PrivacySettings))


class PrivacyFeature(Feature):
    """What is kept about a customer: export it, erase it, purge old messages, take requests."""

    name = "privacy"
    handler_wrapper = "flows.features.privacy.chat:privacy_words"
    periodic_task = "flows.features.privacy.chat:privacy_task"
    command_group = "flows.features.privacy.cli:privacy"
    blueprint_factory = "flows.features.privacy.web:privacy_blueprint"
    console_factory = "flows.features.privacy.web:privacy_pages"
    console_links = (
        ConsoleLink("Data requests", "waflow_privacy_console.requests", owner_only=True, rank=31),
    )
    personal_data = "flows.features.privacy.personal:core_data"


__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "Erasure",
    "PrivacyError",
    "PrivacyFeature",
    "PrivacyRequest",
    "PrivacySettings",
    "PurgeRun",
    "covered_tables",
    "erase_customer",
    "export_customer",
    "find_customer",
    "purge",
]
