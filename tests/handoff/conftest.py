"""Handoff fixtures: the salon's business file, a customer and the staff member's contact rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from flows.features.business import BusinessConfig, parse_business
from storage.db import transaction
from storage.models import Contact
from tests.booking.conftest import SALON_YAML

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
CUSTOMER = "34600111222"
STAFF = "34600999888"


@pytest.fixture
def salon() -> BusinessConfig:
    """The salon's business file (notify number +34 600 999 888, ``staff_alert`` template)."""
    return parse_business(SALON_YAML, "salon.yaml")


def add_contact(
    engine: Engine, wa_id: str, *, wrote_ago: timedelta | None, **fields: object
) -> int:
    """Insert a contact who last wrote ``wrote_ago`` before :data:`NOW` (``None``: never)."""
    last = None if wrote_ago is None else NOW - wrote_ago
    with transaction(engine) as session:
        contact = Contact(wa_id=wa_id, last_inbound_at=last, **fields)
        session.add(contact)
        session.flush()
        return int(contact.id or 0)
