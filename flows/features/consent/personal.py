"""What consent keeps about a customer (its ``personal_data`` entry): the consent ledger.

An erasure deletes the ledger with the contact: once the number is gone nothing can be sent to
it, so there is no choice left to prove (and the entries hold the words the customer sent).
"""

from __future__ import annotations

from flows.features._personal import PersonalTables, Rows
from flows.features.consent.models import ConsentEvent

consent_data = PersonalTables(Rows(ConsentEvent))
"""Consent's tables about a customer."""

__all__ = ["consent_data"]
