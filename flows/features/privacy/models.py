"""The privacy feature's tables: customers' requests about their data, and the purges done.

A :class:`PrivacyRequest` is a customer's "my data" (``export``) or "delete my data" (``erase``)
sent in the chat. An erase request waits for the customer's YES (``confirming``), then for the
periodic task (``pending``, due a minute later so the confirmation is sent first); an export
request waits for the owners (``pending``) until they download the customer's data, or, with
``privacy.public_url``, is sent at once as a link that works for an hour (``sent``). A
:class:`PurgeRun` records each retention purge, so the running bot purges once a day.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, Session, SQLModel, col, select

from flows.features.business.timestamps import timestamp

RequestKind = Literal["export", "erase"]
RequestState = Literal["confirming", "pending", "sent", "done", "cancelled"]


class PrivacyRequest(SQLModel, table=True):
    """A customer's request about their data, made in the chat.

    Attributes:
        kind: ``export`` (a copy of their data) or ``erase`` (delete it).
        state: ``confirming`` (an erase waiting for YES or NO), ``pending`` (confirmed, or an
            export waiting for the owners), ``sent`` (an export sent as a link, not opened
            yet), ``done`` or ``cancelled``.
        asked: How many times the confirmation question was asked.
        requested_at: When the customer asked.
        due_at: When a confirmed erase runs.
        done_at: When it was done or cancelled.
        link_hash: The SHA-256 of the token of the link an export was sent as, if it was.
        link_expires_at: When that link stops working.
    """

    __tablename__ = "waflow_privacy_request"
    __table_args__ = (Index("ix_waflow_privacy_request_state", "state", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    wa_id: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=8)
    state: str = Field(max_length=16)
    asked: int = 0
    requested_at: datetime = timestamp()
    due_at: datetime | None = timestamp(default=None)
    done_at: datetime | None = timestamp(default=None)
    link_hash: str | None = Field(default=None, max_length=64, unique=True)
    link_expires_at: datetime | None = timestamp(default=None)


class PurgeRun(SQLModel, table=True):
    """One retention purge: when, the cut-off it used, and how many rows of each table changed."""

    __tablename__ = "waflow_privacy_purge"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = timestamp()
    cutoff: datetime = timestamp()
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


def open_request(session: Session, wa_id: str, kind: RequestKind) -> PrivacyRequest | None:
    """Customer ``wa_id``'s latest request of ``kind`` still confirming or pending, if any."""
    query = (
        select(PrivacyRequest)
        .where(PrivacyRequest.wa_id == wa_id, PrivacyRequest.kind == kind)
        .where(col(PrivacyRequest.state).in_(("confirming", "pending")))
        .order_by(col(PrivacyRequest.id).desc())
    )
    return session.exec(query).first()


def requests_of(session: Session, wa_id: str) -> list[PrivacyRequest]:
    """Customer ``wa_id``'s requests, newest first."""
    query = (
        select(PrivacyRequest)
        .where(PrivacyRequest.wa_id == wa_id)
        .order_by(col(PrivacyRequest.id).desc())
    )
    return list(session.exec(query))


def pending_exports(session: Session, limit: int = 200) -> list[PrivacyRequest]:
    """The export requests owners have not answered yet, oldest first."""
    query = (
        select(PrivacyRequest)
        .where(PrivacyRequest.kind == "export", PrivacyRequest.state == "pending")
        .order_by(col(PrivacyRequest.id))
        .limit(limit)
    )
    return list(session.exec(query))


def last_purge(session: Session) -> PurgeRun | None:
    """The latest retention purge, if any ran."""
    return session.exec(select(PurgeRun).order_by(col(PurgeRun.id).desc())).first()


__all__ = [
    "PrivacyRequest",
    "PurgeRun",
    "RequestKind",
    "RequestState",
    "last_purge",
    "open_request",
    "pending_exports",
    "requests_of",
]
