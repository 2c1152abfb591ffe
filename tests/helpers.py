"""Small helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import col, select
from werkzeug.test import TestResponse

from bot.processing import Processed, Processor
from storage import inbox
from storage.db import read_session
from storage.models import InboundUpdate

PAYLOADS = Path(__file__).parent / "payloads"
PHONE_NUMBER_ID = "106540352242922"

PostWebhook = Callable[..., TestResponse]
"""The type of the ``post_webhook`` fixture."""


def load_payload(*parts: str) -> dict[str, Any]:
    """A JSON file under tests/payloads."""
    data: dict[str, Any] = json.loads(PAYLOADS.joinpath(*parts).read_text(encoding="utf-8"))
    return data


def process_pending(processor: Processor) -> list[Processed]:
    """Process every pending update of every contact, as the runtime's sweeper would."""
    with read_session(processor.engine) as session:
        contacts = inbox.pending_contacts(session, limit=10_000, now=processor.clock())
    return [done for wa_id in contacts for done in processor.process_contact(wa_id)]


def pending_count(engine: Engine) -> int:
    """How many inbound updates wait for processing."""
    with read_session(engine) as session:
        return inbox.count_by_state(session).get("pending", 0)


def stored_updates(engine: Engine) -> list[InboundUpdate]:
    """Every stored update in arrival order."""
    with read_session(engine) as session:
        return list(session.exec(select(InboundUpdate).order_by(col(InboundUpdate.id))))


class DriverError(Exception):
    """A driver exception carrying a PostgreSQL SQLSTATE, as psycopg's do."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"SQLSTATE {sqlstate}")
        self.sqlstate = sqlstate


@dataclass
class Clock:
    """A runtime's clock that tests move (``clock.now += timedelta(...)``); call it for now."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now
