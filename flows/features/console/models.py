"""Console tables: staff accounts, their login sessions, the audit log, the app's signing key.

A session is a row (the cookie carries a random token whose SHA-256 is stored), so logging out
or changing a password ends it at once on every worker, whatever the cookie says.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel

from flows.features.business.timestamps import timestamp
from storage.models import utcnow

ROLES = ("owner", "agent")
"""Agents answer customers; owners also run orders, bookings, customers' data and staff."""


class StaffUser(SQLModel, table=True):
    """A member of staff who logs in to the console."""

    __tablename__ = "waflow_staff_user"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column=Column(String(254), unique=True, nullable=False))
    role: str = Field(max_length=16)
    password_hash: str = Field(max_length=256)
    failed_logins: int = 0
    locked_until: datetime | None = timestamp(default=None)
    created_at: datetime = timestamp(default_factory=utcnow)
    password_changed_at: datetime = timestamp(default_factory=utcnow)

    @property
    def is_owner(self) -> bool:
        """Whether the member may open the owners' pages."""
        return self.role == "owner"


class StaffSession(SQLModel, table=True):
    """One logged-in browser: ``token_hash`` is the SHA-256 of the cookie's token."""

    __tablename__ = "waflow_staff_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    staff_id: int = Field(foreign_key="waflow_staff_user.id", ondelete="CASCADE", index=True)
    created_at: datetime = timestamp(default_factory=utcnow)
    last_seen_at: datetime = timestamp(default_factory=utcnow)
    expires_at: datetime = timestamp()


class AuditEvent(SQLModel, table=True):
    """One staff action: who, when, what, on what, with which details."""

    __tablename__ = "waflow_audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = timestamp(default_factory=utcnow, index=True)
    staff_id: int | None = Field(default=None, index=True)
    staff_email: str | None = Field(default=None, max_length=254)
    action: str = Field(max_length=64)
    target: str = Field(default="", max_length=200)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ConsoleSecret(SQLModel, table=True):
    """The key that signs CSRF tokens when ``WAFLOW_SECRET_KEY`` is not set: made once, shared by
    every worker through the database."""

    __tablename__ = "waflow_console_secret"

    id: int | None = Field(default=None, primary_key=True)
    value: str = Field(max_length=128)
