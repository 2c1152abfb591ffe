"""Timestamps in the features' tables: aware UTC, whatever the database hands back.

Every feature's timestamp column is a :class:`storage.models.UTCDateTime` (:func:`timestamp`),
and every time a caller passes in is made aware UTC with :func:`as_utc` before it is compared
or written: SQLite keeps no offset, so a naive value is taken as UTC. Both are storage's own
(``storage.models.utc_field`` and ``as_utc``), named here for the features.
"""

from __future__ import annotations

from storage.models import as_utc, utc_field

timestamp = utc_field
"""A SQLModel ``Field`` stored as :class:`~storage.models.UTCDateTime`; keywords go to it."""


__all__ = ["as_utc", "timestamp"]
